use super::*;
use serde_json::json;

fn req(v: Value) -> Result<Request, Error> {
    Request::from_value(v, &Limits::DEFAULT)
}

#[test]
fn images_with_defaults() {
    let r = req(json!({"images": ["busybox:1.36"]})).unwrap();
    assert_eq!((r.namespace(), r.service_account()), ("default", "default"));
    assert!(!r.break_glass());
}

#[test]
fn deployment_template_is_used() {
    let r = req(json!({"workload": {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"namespace": "payments", "labels": {"image-policy.k8s.io/break-glass": "true"}},
        "spec": {"template": {
            "metadata": {"labels": {"app": "web"}, "annotations": {"alpha.image-policy.k8s.io/break-glass": "TRUE"}},
            "spec": {"serviceAccountName": "deployer",
                "containers": [{"name": "web", "image": "gcr.io/p/web:1"}],
                "initContainers": [{"name": "init", "image": "gcr.io/p/init:1"}],
                "ephemeralContainers": [{"name": "dbg", "image": "busybox"}]}}}}}))
    .unwrap();
    assert_eq!(
        (r.namespace(), r.service_account()),
        ("payments", "deployer")
    );
    let names: Vec<_> = r
        .images()
        .iter()
        .map(|i| i.container.clone().unwrap())
        .collect();
    assert_eq!(names, ["init", "web", "dbg"]);
    // Only the template's metadata counts: the annotation triggers, the object label does not.
    assert!(r.break_glass());
    assert_eq!(r.labels().get("image-policy.k8s.io/break-glass"), None);
}

#[test]
fn service_account_is_the_one_the_pod_runs_as() {
    let sa = |spec: Value| {
        let mut spec = spec;
        spec["containers"] = json!([{"name": "c", "image": "busybox"}]);
        req(json!({"workload": {"kind": "Pod", "spec": spec}}))
            .map(|r| r.service_account().to_owned())
    };
    assert_eq!(sa(json!({})).unwrap(), "default");
    assert_eq!(sa(json!({"serviceAccount": "x"})).unwrap(), "x");
    assert_eq!(
        sa(json!({"serviceAccountName": "", "serviceAccount": "x"})).unwrap(),
        "x"
    );
    assert_eq!(
        sa(json!({"serviceAccountName": null, "serviceAccount": "x"})).unwrap(),
        "x"
    );
    assert_eq!(
        sa(json!({"serviceAccountName": "y", "serviceAccount": "x"})).unwrap(),
        "y"
    );
    assert_eq!(sa(json!({"serviceAccount": ""})).unwrap(), "default");
    let e = sa(json!({"serviceAccountName": true})).unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/serviceAccountName"
        )
    );
}

#[test]
fn image_volumes_are_evaluated_after_containers() {
    let r = req(json!({"workload": {"kind": "Deployment", "spec": {"template": {"spec": {
        "containers": [{"name": "web", "image": "gcr.io/p/web:1"}],
        "ephemeralContainers": [{"name": "dbg", "image": "busybox"}],
        "volumes": [{"name": "cfg", "configMap": {"name": "x"}},
                    {"name": "models", "image": {"reference": "gcr.io/p/models:2", "pullPolicy": "Always"}}]}}}}}))
    .unwrap();
    let got: Vec<_> = r
        .images()
        .iter()
        .map(|i| {
            (
                i.image.as_str(),
                i.container.as_deref(),
                i.volume.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("gcr.io/p/web:1", Some("web"), None),
            ("busybox", Some("dbg"), None),
            ("gcr.io/p/models:2", None, Some("models"))
        ]
    );
    let e = req(json!({"workload": {"kind": "Pod", "spec": {
        "containers": [{"name": "c", "image": "busybox"}],
        "volumes": [{"name": "v", "image": {}}]}}}))
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/volumes/0/image/reference"
        )
    );
}

#[test]
fn cronjob_and_yaml_string() {
    let yaml = "kind: CronJob\nmetadata: {namespace: batch}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - {name: job, image: 'gcr.io/p/job:1'}\n";
    let r = req(json!({"workload": yaml, "namespace": "override"})).unwrap();
    assert_eq!(r.namespace(), "override");
    assert_eq!(r.images().len(), 1);
}

#[test]
fn errors() {
    let code = |v: Value| {
        let e = req(v).unwrap_err();
        (e.code(), e.path().to_owned())
    };
    assert_eq!(
        code(json!({})),
        (ErrorCode::RequestNoImages, "/images".into())
    );
    assert_eq!(code(json!({"images": []})).0, ErrorCode::RequestNoImages);
    assert_eq!(
        code(json!({"images": ["ok", "Bad"]})),
        (ErrorCode::RequestInvalidImage, "/images/1".into())
    );
    assert_eq!(
        code(json!({"images": ["a"], "cluster": "prod"})).0,
        ErrorCode::RequestInvalidCluster
    );
    assert_eq!(
        code(json!({"images": ["a"], "namespace": "A"})).0,
        ErrorCode::RequestInvalidNamespace
    );
    assert_eq!(
        code(json!({"images": ["a"], "bogus": 1})),
        (ErrorCode::RequestUnknownField, "/bogus".into())
    );
    assert_eq!(
        code(json!({"workload": {"kind": "Service", "spec": {}}})),
        (
            ErrorCode::RequestUnsupportedWorkload,
            "/workload/kind".into()
        )
    );
    assert_eq!(
        code(
            json!({"workload": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}}})
        ),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/template/spec/containers/0/image".into()
        )
    );
    assert_eq!(
        code(
            json!({"workload": {"kind": "Pod", "metadata": {"labels": {"a": true}}, "spec": {"containers": []}}})
        ),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/metadata/labels/a".into()
        )
    );
}
