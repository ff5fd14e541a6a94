#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use serde_json::{Value, json};

use super::*;
use crate::request::Request;

const DIGEST: &str = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";
const OTHER: &str = "sha256:3de6f781a0858ca01b0bfab42c51e47eb1b2f4f580db12423f817e1bf955b824";
const WEB: &str = "us-docker.pkg.dev/p/app/web";

fn req(v: Value) -> Result<Request, Error> {
    Request::from_value(v, &Limits::DEFAULT)
}

fn service(annotations: Value, containers: Value) -> Value {
    json!({
        "apiVersion": "serving.knative.dev/v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "123456789012", "annotations": annotations},
        "spec": {"template": {
            "metadata": {"annotations": {"run.googleapis.com/binary-authorization-breakglass": "template copy"}},
            "spec": {"serviceAccountName": "web@p.iam.gserviceaccount.com", "containers": containers}}}
    })
}

fn job(annotations: Value, containers: Value) -> Value {
    json!({
        "apiVersion": "run.googleapis.com/v1", "kind": "Job",
        "metadata": {"name": "migrate", "annotations": annotations},
        "spec": {"template": {"spec": {"taskCount": 1, "template": {"spec": {"containers": containers}}}}}
    })
}

fn cloud_run(r: &Request) -> &CloudRun {
    r.cloud_run().unwrap()
}

fn code(v: Value) -> (ErrorCode, String) {
    let e = req(v).unwrap_err();
    (e.code(), e.path().to_owned())
}

#[test]
fn v1_service_images_and_opt_in() {
    let r = req(json!({"workload": service(
        json!({"run.googleapis.com/binary-authorization": "default"}),
        json!([{"name": "web", "image": format!("{WEB}:1")}, {"name": "proxy", "image": "gcr.io/p/proxy@".to_owned() + DIGEST}]),
    )}))
    .unwrap();
    assert_eq!(r.platform(), Platform::CloudRun);
    let cr = cloud_run(&r);
    assert_eq!(cr.resource(), CloudRunResource::Service);
    assert_eq!(cr.api(), CloudRunApi::V1);
    assert_eq!(cr.name(), Some("web"));
    assert_eq!(cr.binary_authorization(), Some(&CloudRunBinauthz::Default));
    // The revision template's break-glass copy does not count.
    assert_eq!(cr.break_glass_justification(), None);
    assert!(!r.break_glass());
    let names: Vec<_> = r
        .images()
        .iter()
        .map(|i| i.container.clone().unwrap())
        .collect();
    assert_eq!(names, ["web", "proxy"]);
    // The service account is a Google one, and the namespace a project number: neither is
    // read as a Kubernetes name.
    assert_eq!((r.namespace(), r.service_account()), ("default", "default"));
}

#[test]
fn v1_job_images() {
    let r = req(json!({"workload": job(
        json!({"run.googleapis.com/binary-authorization": "projects/p/platforms/cloudRun/strict"}),
        json!([{"image": "gcr.io/p/migrate:1"}]),
    )}))
    .unwrap();
    let cr = cloud_run(&r);
    assert_eq!(cr.resource(), CloudRunResource::Job);
    assert_eq!(
        cr.binary_authorization(),
        Some(&CloudRunBinauthz::Policy(
            "projects/p/platforms/cloudRun/policies/strict".into()
        ))
    );
    assert_eq!(r.images()[0].container, None);
}

#[test]
fn kubernetes_kinds_are_unchanged() {
    // A Kubernetes Job (batch/v1) is a pod template, not a Cloud Run job.
    let r = req(json!({"workload": {"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"annotations": {"run.googleapis.com/binary-authorization": "default"}},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}}))
    .unwrap();
    assert_eq!(r.platform(), Platform::Gke);
    assert!(r.cloud_run().is_none());
    // A Kubernetes Service runs nothing.
    assert_eq!(
        code(json!({"workload": {"apiVersion": "v1", "kind": "Service", "spec": {}}})).0,
        ErrorCode::RequestUnsupportedWorkload
    );
    // Knative's older API versions are not Cloud Run's.
    assert_eq!(
        code(
            json!({"workload": {"apiVersion": "serving.knative.dev/v1alpha1", "kind": "Service"}})
        )
        .0,
        ErrorCode::RequestUnsupportedWorkload
    );
}

#[test]
fn break_glass_annotation_any_justification() {
    for justification in ["", "incident 42", "false"] {
        let r = req(json!({"workload": service(
            json!({"run.googleapis.com/binary-authorization": "default",
                   "run.googleapis.com/binary-authorization-breakglass": justification}),
            json!([{"image": "busybox"}]),
        )}))
        .unwrap();
        assert!(r.break_glass(), "{justification:?}");
        assert_eq!(
            cloud_run(&r).break_glass_justification(),
            Some(justification)
        );
    }
    // GKE's label and legacy annotation mean nothing to Cloud Run.
    let mut w = service(
        json!({"run.googleapis.com/binary-authorization": "default",
               "alpha.image-policy.k8s.io/break-glass": "true"}),
        json!([{"image": "busybox"}]),
    );
    w["metadata"]["labels"] = json!({"image-policy.k8s.io/break-glass": "true"});
    let r =
        req(json!({"workload": w, "labels": {"image-policy.k8s.io/break-glass": "true"}})).unwrap();
    assert!(!r.break_glass());
}

#[test]
fn request_annotations_override_the_objects() {
    let r = req(json!({
        "workload": service(json!({}), json!([{"image": "busybox"}])),
        "annotations": {"run.googleapis.com/binary-authorization": "default",
                        "run.googleapis.com/binary-authorization-breakglass": "what if"}
    }))
    .unwrap();
    let cr = cloud_run(&r);
    assert_eq!(cr.binary_authorization(), Some(&CloudRunBinauthz::Default));
    assert_eq!(cr.break_glass_justification(), Some("what if"));
    assert_eq!(
        code(json!({
            "workload": service(json!({}), json!([{"image": "busybox"}])),
            "annotations": {"run.googleapis.com/binary-authorization": "Default"}
        })),
        (
            ErrorCode::RequestInvalidValue,
            "/annotations/run.googleapis.com~1binary-authorization".into()
        )
    );
}

#[test]
fn annotation_values() {
    let value = |v: &str| {
        req(json!({"workload": service(
            json!({"run.googleapis.com/binary-authorization": v}),
            json!([{"image": "busybox"}]),
        )}))
        .map(|r| cloud_run(&r).binary_authorization().cloned())
    };
    assert_eq!(value("default").unwrap(), Some(CloudRunBinauthz::Default));
    for ok in [
        "projects/p/platforms/cloudRun/policies/bcidManagedPolicy",
        "projects/p/platforms/cloudRun/bcidManagedPolicy",
    ] {
        assert_eq!(
            value(ok).unwrap(),
            Some(CloudRunBinauthz::Policy(
                "projects/p/platforms/cloudRun/policies/bcidManagedPolicy".into()
            ))
        );
    }
    for bad in [
        "",
        "Default",
        " default",
        "true",
        "projects/p/platforms/gke/policies/x",
        "projects/p/platforms/cloudRun/policies/",
        "projects/p/platforms/cloudRun/policies",
        "projects/P/platforms/cloudRun/policies/x",
        "projects/p/platforms/cloudRun/policies/x/y",
    ] {
        let e = value(bad).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestInvalidValue, "{bad:?}");
        assert_eq!(
            e.path(),
            "/workload/metadata/annotations/run.googleapis.com~1binary-authorization"
        );
    }
    // No annotation: Binary Authorization is off for the resource.
    let r = req(json!({"workload": service(json!({}), json!([{"image": "busybox"}]))})).unwrap();
    assert_eq!(cloud_run(&r).binary_authorization(), None);
}

fn v2(name: &str, template: Value, ba: Value) -> Value {
    json!({"name": name, "uid": "u", "generation": "3", "template": template, "binaryAuthorization": ba})
}

#[test]
fn v2_shapes() {
    let r = req(json!({"workload": v2(
        "projects/p/locations/us-central1/services/web",
        json!({"containers": [{"name": "web", "image": "busybox"}, {"name": "side", "image": "gcr.io/p/side:1"}]}),
        json!({"useDefault": true, "breakglassJustification": "outage"}),
    )}))
    .unwrap();
    let cr = cloud_run(&r);
    assert_eq!(
        (cr.resource(), cr.api()),
        (CloudRunResource::Service, CloudRunApi::V2)
    );
    assert_eq!(cr.name(), Some("web"));
    assert_eq!(cr.binary_authorization(), Some(&CloudRunBinauthz::Default));
    assert_eq!(cr.break_glass_justification(), Some("outage"));
    assert_eq!(r.images().len(), 2);

    let r = req(json!({"workload": v2(
        "projects/p/locations/us-central1/jobs/migrate",
        json!({"taskCount": 1, "template": {"containers": [{"image": "busybox"}]}}),
        json!({"policy": "projects/p/platforms/cloudRun/policies/strict", "breakglassJustification": ""}),
    )}))
    .unwrap();
    let cr = cloud_run(&r);
    assert_eq!(cr.resource(), CloudRunResource::Job);
    assert!(matches!(
        cr.binary_authorization(),
        Some(CloudRunBinauthz::Policy(_))
    ));
    // proto3 JSON: an empty string is an unset field, so no break-glass.
    assert_eq!(cr.break_glass_justification(), None);
    assert!(!r.break_glass());

    // `useDefault: false`, an empty `policy`, or no block at all: off.
    for ba in [
        json!({"useDefault": false}),
        json!({"policy": ""}),
        json!(null),
        json!({}),
    ] {
        let r = req(json!({"workload": v2(
            "projects/p/locations/l/services/s",
            json!({"containers": [{"image": "busybox"}]}),
            ba,
        )}))
        .unwrap();
        assert_eq!(cloud_run(&r).binary_authorization(), None);
    }
}

#[test]
fn v2_refusals() {
    let svc = |ba: Value| {
        code(json!({"workload": v2(
            "projects/p/locations/l/services/s",
            json!({"containers": [{"image": "busybox"}]}),
            ba,
        )}))
    };
    assert_eq!(
        svc(json!({"useDefault": true, "policy": "projects/p/platforms/cloudRun/policies/x"})),
        (
            ErrorCode::RequestInvalidValue,
            "/workload/binaryAuthorization/policy".into()
        )
    );
    assert_eq!(
        svc(json!({"useDefault": "yes"})).1,
        "/workload/binaryAuthorization/useDefault"
    );
    assert_eq!(
        svc(json!({"use_default": true})).1,
        "/workload/binaryAuthorization/use_default"
    );
    assert_eq!(
        svc(json!({"policy": "strict"})),
        (
            ErrorCode::RequestInvalidValue,
            "/workload/binaryAuthorization/policy".into()
        )
    );
    // The v1 annotations on a v2 object.
    let mut w = v2(
        "projects/p/locations/l/services/s",
        json!({"containers": [{"image": "busybox"}]}),
        json!(null),
    );
    w["annotations"] = json!({"run.googleapis.com/binary-authorization-breakglass": "x"});
    assert_eq!(
        code(json!({"workload": w})),
        (
            ErrorCode::RequestInvalidValue,
            "/workload/annotations/run.googleapis.com~1binary-authorization-breakglass".into()
        )
    );
    // Worker pools are refused, not skipped.
    assert_eq!(
        code(
            json!({"workload": v2("projects/p/locations/l/workerPools/w", json!({}), json!(null))})
        )
        .0,
        ErrorCode::RequestUnsupportedWorkload
    );
    // A kindless object without a Cloud Run name is what it was before.
    assert_eq!(
        code(json!({"workload": {"name": "projects/p/locations/l/functions/f"}})),
        (ErrorCode::RequestInvalidWorkload, "/workload/kind".into())
    );
}

#[test]
fn structure_errors() {
    assert_eq!(
        code(
            json!({"workload": {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "spec": {"template": {}}}})
        ),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/template/spec".into()
        )
    );
    assert_eq!(
        code(json!({"workload": job(json!({}), json!([{"name": "c"}]))})),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/template/spec/template/spec/containers/0/image".into()
        )
    );
    let mut w = service(json!({}), json!([{"image": "busybox"}]));
    w["spec"]["template"]["spec"]["initContainers"] = json!([{"image": "evil"}]);
    assert_eq!(
        code(json!({"workload": w})),
        (
            ErrorCode::RequestInvalidWorkload,
            "/workload/spec/template/spec/initContainers".into()
        )
    );
    assert_eq!(
        code(json!({"workload": service(json!({"run.googleapis.com/binary-authorization": true}), json!([{"image": "busybox"}]))})).1,
        "/workload/metadata/annotations/run.googleapis.com~1binary-authorization"
    );
    assert_eq!(
        code(json!({"workload": service(json!({}), json!([]))})).0,
        ErrorCode::RequestNoImages
    );
}

fn resolution(r: &Request, i: usize) -> (DigestResolution, Option<String>) {
    let res = &cloud_run(r).resolutions()[i];
    (res.result(), res.evaluated().map(|e| e.as_str().to_owned()))
}

#[test]
fn status_digests() {
    let mut w = service(
        json!({}),
        json!([{"name": "web", "image": format!("{WEB}:1")}]),
    );
    w["metadata"]["generation"] = json!(4);
    w["status"] = json!({"observedGeneration": 4, "imageDigest": format!("{WEB}@{DIGEST}")});
    let r = req(json!({"workload": w.clone()})).unwrap();
    assert_eq!(
        resolution(&r, 0),
        (DigestResolution::Resolved, Some(format!("{WEB}@{DIGEST}")))
    );
    assert_eq!(
        cloud_run(&r).resolutions()[0].source(),
        Some(DigestSource::Status)
    );
    // A status of an older generation is not used.
    w["status"]["observedGeneration"] = json!(3);
    let r = req(json!({"workload": w.clone()})).unwrap();
    assert_eq!(resolution(&r, 0), (DigestResolution::StaleStatus, None));
    // A status that does not say which generation it observed is not used either.
    w["status"] = json!({"imageDigest": format!("{WEB}@{DIGEST}")});
    let r = req(json!({"workload": w.clone()})).unwrap();
    assert_eq!(resolution(&r, 0), (DigestResolution::StaleStatus, None));
    // Another repository is not used.
    w["status"] =
        json!({"observedGeneration": 4, "imageDigest": format!("gcr.io/other/web@{DIGEST}")});
    let r = req(json!({"workload": w.clone()})).unwrap();
    assert_eq!(
        resolution(&r, 0),
        (DigestResolution::RepositoryMismatch, None)
    );
    // The request's digests win over the status's, even a stale one's.
    w["status"] = json!({"observedGeneration": 1, "imageDigest": format!("{WEB}@{OTHER}")});
    let r = req(json!({"workload": w.clone(), "resolvedDigests": {"web": DIGEST}})).unwrap();
    assert_eq!(
        resolution(&r, 0),
        (DigestResolution::Resolved, Some(format!("{WEB}@{DIGEST}")))
    );
    assert_eq!(
        cloud_run(&r).resolutions()[0].source(),
        Some(DigestSource::Request)
    );
    // `""` names the only container.
    let r = req(json!({"workload": w, "resolvedDigests": {"": DIGEST}})).unwrap();
    assert_eq!(resolution(&r, 0).0, DigestResolution::Resolved);
}

#[test]
fn container_statuses_and_pinned_images() {
    let w = json!({
        "name": "projects/p/locations/l/services/s", "generation": "2", "observedGeneration": "2",
        "template": {"containers": [
            {"name": "web", "image": format!("{WEB}:1")},
            {"name": "pinned", "image": format!("{WEB}@{DIGEST}")},
            {"name": "moved", "image": format!("{WEB}@{DIGEST}")},
            {"name": "none", "image": "busybox"}]},
        "containerStatuses": [
            {"name": "web", "imageDigest": format!("{WEB}@{DIGEST}")},
            {"name": "pinned", "imageDigest": DIGEST},
            {"name": "moved", "imageDigest": OTHER}]
    });
    let r = req(json!({"workload": w})).unwrap();
    assert_eq!(resolution(&r, 0).0, DigestResolution::Resolved);
    assert_eq!(resolution(&r, 1).0, DigestResolution::Pinned);
    assert_eq!(resolution(&r, 2).0, DigestResolution::DigestMismatch);
    assert_eq!(resolution(&r, 3).0, DigestResolution::NotResolved);
}

#[test]
fn one_image_digest_is_ignored_for_several_containers() {
    let mut w = service(
        json!({}),
        json!([{"name": "a", "image": format!("{WEB}:1")}, {"name": "b", "image": format!("{WEB}:2")}]),
    );
    w["status"] = json!({"imageDigest": format!("{WEB}@{DIGEST}")});
    let r = req(json!({"workload": w})).unwrap();
    assert_eq!(resolution(&r, 0).0, DigestResolution::NotResolved);
    assert_eq!(resolution(&r, 1).0, DigestResolution::NotResolved);
}

#[test]
fn resolved_digest_errors() {
    let w = service(
        json!({}),
        json!([{"name": "web", "image": format!("{WEB}:1")}, {"name": "b", "image": "busybox"}]),
    );
    assert_eq!(
        code(json!({"workload": w.clone(), "resolvedDigests": {"nope": DIGEST}})),
        (
            ErrorCode::RequestInvalidValue,
            "/resolvedDigests/nope".into()
        )
    );
    assert_eq!(
        code(json!({"workload": w.clone(), "resolvedDigests": {"": DIGEST}})).0,
        ErrorCode::RequestInvalidValue
    );
    assert_eq!(
        code(json!({"workload": w.clone(), "resolvedDigests": {"web": "latest"}})),
        (
            ErrorCode::RequestInvalidImage,
            "/resolvedDigests/web".into()
        )
    );
    assert_eq!(
        code(json!({"workload": w.clone(), "resolvedDigests": {"web": format!("{WEB}:2")}})),
        (
            ErrorCode::RequestInvalidImage,
            "/resolvedDigests/web".into()
        )
    );
    assert_eq!(
        code(json!({"workload": w, "resolvedDigests": {"web": 3}})),
        (ErrorCode::RequestInvalidType, "/resolvedDigests/web".into())
    );
    assert_eq!(
        code(json!({"images": ["busybox"], "resolvedDigests": {"": DIGEST}})),
        (ErrorCode::RequestInvalidValue, "/resolvedDigests".into())
    );
    let mut bad_status = service(json!({}), json!([{"image": "busybox"}]));
    bad_status["status"] = json!({"imageDigest": "busybox@sha256:12"});
    assert_eq!(
        code(json!({"workload": bad_status})),
        (
            ErrorCode::RequestInvalidImage,
            "/workload/status/imageDigest".into()
        )
    );
}

#[test]
fn is_workload_by_api_version() {
    use crate::request::is_workload;
    assert!(is_workload(&service(json!({}), json!([]))));
    assert!(is_workload(&job(json!({}), json!([]))));
    assert!(is_workload(
        &json!({"name": "projects/p/locations/l/jobs/j"})
    ));
    assert!(is_workload(
        &json!({"apiVersion": "batch/v1", "kind": "Job"})
    ));
    assert!(!is_workload(
        &json!({"apiVersion": "v1", "kind": "Service"})
    ));
    assert!(!is_workload(
        &json!({"name": "projects/p/locations/l/services/s", "kind": "Service"})
    ));
}

#[test]
fn manifests_mix_kubernetes_and_cloud_run() {
    let text = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\n---\n{}---\n{}",
        "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{image: busybox}]}}}\n",
        "apiVersion: run.googleapis.com/v1\nkind: Job\nmetadata: {name: j}\nspec: {}\n",
    );
    let found = crate::request::manifest::workloads(&text, &Limits::DEFAULT).unwrap();
    let labels: Vec<_> = found.iter().map(|w| w.label()).collect();
    assert_eq!(labels, ["Service/web", "Job/j"]);
    // A v2 JSON document: no kind, named by its resource name.
    let found = crate::request::manifest::workloads(
        "{\"name\": \"projects/p/locations/l/services/api\", \"template\": {\"containers\": [{\"image\": \"busybox\"}]}}",
        &Limits::DEFAULT,
    )
    .unwrap();
    assert_eq!(found[0].label(), "Service/api");
    assert_eq!(found[0].kind, "Service");
}
