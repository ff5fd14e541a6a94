use serde_json::{Value, json};

use super::*;

fn pod(images: &[&str]) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"generateName": "web-7f9c-", "namespace": "team-a",
                     "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7f9c"}]},
        "spec": {"containers": images.iter().enumerate()
            .map(|(i, image)| json!({"name": format!("c{i}"), "image": image}))
            .collect::<Vec<_>>()}
    })
}

fn with_type(mut value: Value, t: &str) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.insert("@type".into(), Value::String(t.into()));
    }
    value
}

fn log_entry(request: Value, response: Value, labels: Value) -> Value {
    json!({
        "protoPayload": {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "authenticationInfo": {"principalEmail": "system:serviceaccount:kube-system:replicaset-controller"},
            "methodName": "io.k8s.core.v1.pods.create",
            "resourceName": "core/v1/namespaces/team-a/pods",
            "serviceName": "k8s.io",
            "request": with_type(request, "core.k8s.io/v1.Pod"),
            "response": response,
            "status": {"code": 0}
        },
        "insertId": "0e496604-1743-4232-80f8-34c2456bad07",
        "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "prod", "location": "us-central1-a", "project_id": "p"}},
        "timestamp": "2024-05-12T05:37:32.702702Z",
        "labels": labels,
        "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity"
    })
}

fn event(value: &Value) -> AuditEvent {
    match read_audit_entry(value, None, &Limits::DEFAULT) {
        Ok(AuditRead::Event(event)) => *event,
        other => panic!("expected an event, got {other:?}"),
    }
}

fn images(event: &AuditEvent) -> Vec<&str> {
    event
        .request
        .images()
        .iter()
        .map(|i| i.image.as_str())
        .collect()
}

const A: &str = "gcr.io/p/app:v1";
const A_DIGEST: &str =
    "gcr.io/p/app@sha256:0000000000000000000000000000000000000000000000000000000000000001";

#[test]
fn an_allowed_entry_decides_the_persisted_pod_and_reports_a_rewrite() {
    // A mutating webhook resolved the tag: the persisted Pod is what ran.
    let entry = log_entry(
        pod(&[A]),
        with_type(pod(&[A_DIGEST]), "core.k8s.io/v1.Pod"),
        json!({}),
    );
    let e = event(&entry);
    assert_eq!(e.format, AuditFormat::CloudAuditLog);
    assert_eq!(e.logged, LoggedOutcome::Allowed);
    assert!(e.decided_persisted);
    assert_eq!(images(&e), vec![A_DIGEST]);
    let differ = e
        .objects_differ
        .as_ref()
        .map(|d| (d.request.clone(), d.response.clone()));
    assert_eq!(
        differ,
        Some((vec![A.to_owned()], vec![A_DIGEST.to_owned()]))
    );
    assert_eq!(e.cluster.as_deref(), Some("us-central1-a.prod"));
    assert_eq!(e.namespace, "team-a");
    assert_eq!(e.name, None);
    assert_eq!(e.generate_name.as_deref(), Some("web-7f9c-"));
    assert_eq!(e.owner.as_deref(), Some("ReplicaSet/web-7f9c"));
    assert_eq!(
        e.time.map(|t| t.to_string()).as_deref(),
        Some("2024-05-12T05:37:32Z")
    );
}

#[test]
fn a_denied_entry_decides_the_request_and_tells_binauthz_from_other_controllers() {
    let status = |message: &str, reason: &str| {
        json!({"@type": "core.k8s.io/v1.Status", "kind": "Status", "status": "Failure",
               "code": 403, "reason": reason, "message": message})
    };
    let mut entry = log_entry(
        pod(&[A]),
        status(
            "pods \"x\" is forbidden: image policy webhook backend denied one or more images: Denied by default admission rule",
            "Forbidden",
        ),
        json!({}),
    );
    entry["protoPayload"]["status"] = json!({"code": 7, "message": "Forbidden"});
    let e = event(&entry);
    assert_eq!(e.logged, LoggedOutcome::Denied);
    assert!(!e.decided_persisted);
    assert_eq!(images(&e), vec![A]);

    entry["protoPayload"]["response"] = status("", "VIOLATES_POLICY");
    assert_eq!(event(&entry).logged, LoggedOutcome::Denied);

    entry["protoPayload"]["response"] = status(
        "pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\"",
        "Forbidden",
    );
    assert_eq!(event(&entry).logged, LoggedOutcome::DeniedOther);
}

#[test]
fn labels_of_gke_distributed_cloud_and_bigquery_all_read() {
    let persisted = with_type(pod(&[A]), "core.k8s.io/v1.Pod");
    for (labels, expect) in [
        (
            json!({"imagepolicywebhook.image-policy.k8s.io/break-glass": "true"}),
            LoggedOutcome::BreakGlass,
        ),
        (
            json!({"binaryauthorization.googleapis.com/break-glass": "true"}),
            LoggedOutcome::BreakGlass,
        ),
        (
            json!({"imagepolicywebhook.image-policy.k8s.io/dry-run": "true"}),
            LoggedOutcome::DryRun,
        ),
        (
            json!({"binaryauthorization.googleapis.com/dry-run": "true"}),
            LoggedOutcome::DryRun,
        ),
        (
            json!({"imagepolicywebhook_image_policy_k8s_io_dry_run": "true"}),
            LoggedOutcome::DryRun,
        ),
        (
            json!({"binaryauthorization_googleapis_com_break_glass": "true"}),
            LoggedOutcome::BreakGlass,
        ),
        (
            json!({"imagepolicywebhook.image-policy.k8s.io/failed-open": "x"}),
            LoggedOutcome::FailedOpen,
        ),
        (
            json!({"imagepolicywebhook.image-policy.k8s.io/dry-run": "false"}),
            LoggedOutcome::Allowed,
        ),
        (
            json!({"example.com/dry-run": "true"}),
            LoggedOutcome::Allowed,
        ),
        (
            json!({"imagepolicywebhook.image-policy.k8s.io/dry-runs": "true"}),
            LoggedOutcome::Allowed,
        ),
    ] {
        let e = event(&log_entry(pod(&[A]), persisted.clone(), labels.clone()));
        assert_eq!(e.logged, expect, "{labels}");
    }
}

#[test]
fn a_bigquery_row_reads_its_json_strings_and_its_timestamp() {
    let request = pod(&[A]).to_string();
    let response = pod(&[A_DIGEST]).to_string();
    let row = json!({
        "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
        "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "prod", "location": "us-central1-a", "project_id": "p"}},
        "timestamp": "2024-05-12 05:37:32.702702 UTC",
        "insertId": "abc",
        "labels": {"imagepolicywebhook_image_policy_k8s_io_overridden_verification_result": "'gcr.io/p/app:v1' : denied",
                   "imagepolicywebhook_image_policy_k8s_io_break_glass": "true"},
        "protopayload_auditlog": {"serviceName": "k8s.io", "methodName": "io.k8s.core.v1.pods.create",
            "resourceName": "core/v1/namespaces/team-a/pods", "requestJson": request, "responseJson": response,
            "status": {"code": 0}}
    });
    let e = event(&row);
    assert_eq!(e.format, AuditFormat::BigQuery);
    assert_eq!(e.logged, LoggedOutcome::BreakGlass);
    assert_eq!(
        e.logged_message.as_deref(),
        Some("'gcr.io/p/app:v1' : denied")
    );
    assert_eq!(images(&e), vec![A_DIGEST]);
    assert_eq!(
        e.time.map(|t| t.to_string()).as_deref(),
        Some("2024-05-12T05:37:32Z")
    );

    let mut bad = row.clone();
    bad["protopayload_auditlog"]["requestJson"] = json!({"kind": "Pod"});
    let err = read_audit_entry(&bad, None, &Limits::DEFAULT)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequestInvalidAuditEvent);
    assert_eq!(err.path(), "/protopayload_auditlog/requestJson");
}

#[test]
fn a_kubernetes_audit_event_reads_only_when_complete_and_with_its_object() {
    let mut e = json!({
        "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
        "auditID": "787427f5", "stage": "ResponseComplete", "verb": "create",
        "user": {"username": "kubernetes-admin"},
        "objectRef": {"resource": "pods", "namespace": "team-b", "name": "web", "apiVersion": "v1"},
        "responseStatus": {"metadata": {}, "code": 201},
        "requestObject": pod(&[A]),
        "responseObject": pod(&[A]),
        "requestReceivedTimestamp": "2025-10-09T01:22:42.048897Z",
        "stageTimestamp": "2025-10-09T01:22:42.068920Z",
        "annotations": {"imagepolicywebhook.image-policy.k8s.io/dry-run": "true"}
    });
    let read = event(&e);
    assert_eq!(read.format, AuditFormat::KubernetesAudit);
    assert_eq!(read.logged, LoggedOutcome::DryRun);
    // The path's namespace wins over the object's (the server stores it there).
    assert_eq!(read.namespace, "team-b");
    assert_eq!(read.name.as_deref(), Some("web"));
    assert_eq!(read.cluster, None);
    let with_cluster = read_audit_entry(&e, Some("us-east1.c"), &Limits::DEFAULT);
    assert!(
        matches!(with_cluster, Ok(AuditRead::Event(ev)) if ev.cluster.as_deref() == Some("us-east1.c"))
    );

    for (field, value, reason) in [
        (
            "stage",
            json!("RequestReceived"),
            SkipReason::IncompleteStage,
        ),
        ("verb", json!("get"), SkipReason::NotADeployment),
        ("level", json!("Metadata"), SkipReason::NoObject),
    ] {
        let mut changed = e.clone();
        changed[field] = value;
        if field == "level"
            && let Some(map) = changed.as_object_mut()
        {
            map.remove("requestObject");
            map.remove("responseObject");
        }
        let read = read_audit_entry(&changed, None, &Limits::DEFAULT);
        assert!(
            matches!(read, Ok(AuditRead::Skipped(r)) if r == reason),
            "{field}"
        );
    }

    e["objectRef"]["resource"] = json!("deployments");
    assert!(matches!(
        read_audit_entry(&e, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NotAPod))
    ));
}

#[test]
fn a_patch_is_decided_by_its_persisted_pod_only() {
    let mut entry = log_entry(
        json!({"spec": {"containers": [{"name": "c0", "image": A}]}}),
        with_type(pod(&[A_DIGEST]), "core.k8s.io/v1.Pod"),
        json!({}),
    );
    entry["protoPayload"]["methodName"] = json!("io.k8s.core.v1.pods.patch");
    let e = event(&entry);
    assert_eq!(images(&e), vec![A_DIGEST]);
    assert!(e.objects_differ.is_none());
    entry["protoPayload"]["response"] = Value::Null;
    assert!(matches!(
        read_audit_entry(&entry, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NoObject))
    ));
}

#[test]
fn other_services_methods_and_shapes_are_skipped_or_refused() {
    let persisted = with_type(pod(&[A]), "core.k8s.io/v1.Pod");
    let mut entry = log_entry(pod(&[A]), persisted, json!({}));
    entry["protoPayload"]["methodName"] = json!("io.k8s.apps.v1.deployments.create");
    assert!(matches!(
        read_audit_entry(&entry, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NotAPod))
    ));
    entry["protoPayload"]["methodName"] = json!("io.k8s.core.v1.pods.delete");
    assert!(matches!(
        read_audit_entry(&entry, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NotADeployment))
    ));
    // The ephemeralcontainers subresource admits only ephemeral containers: this Pod has none.
    entry["protoPayload"]["methodName"] = json!("io.k8s.core.v1.pods.ephemeralcontainers.update");
    assert!(matches!(
        read_audit_entry(&entry, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NotADeployment))
    ));
    entry["protoPayload"]["serviceName"] = json!("run.googleapis.com");
    assert!(matches!(
        read_audit_entry(&entry, None, &Limits::DEFAULT),
        Ok(AuditRead::Skipped(SkipReason::NotAPod))
    ));
    for (value, path) in [
        (json!([1]), ""),
        (json!({"hello": 1}), ""),
        (json!({"protoPayload": 3}), "/protoPayload"),
    ] {
        let err = read_audit_entry(&value, None, &Limits::DEFAULT)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (ErrorCode::RequestInvalidAuditEvent, path)
        );
    }
    // A Pod that cannot be read is an error at its path in the entry.
    let broken = log_entry(
        pod(&["UPPER/Case:bad"]),
        with_type(pod(&["UPPER/Case:bad"]), "core.k8s.io/v1.Pod"),
        json!({}),
    );
    let err = read_audit_entry(&broken, None, &Limits::DEFAULT)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequestInvalidImage);
    assert!(
        err.path()
            .starts_with("/protoPayload/response/spec/containers/0"),
        "{}",
        err.path()
    );
}

#[test]
fn snapshot_pods_become_running_events_in_item_order() {
    let snapshot = json!({"kind": "List", "items": [
        {"metadata": {"name": "a", "namespace": "n", "uid": "u1", "creationTimestamp": "2026-11-01T10:00:00Z"},
         "spec": {"containers": [{"name": "c", "image": A}]}},
        {"metadata": {"name": "b"}, "spec": {}},
        {"metadata": {"name": "c", "namespace": "n"}, "spec": {"containers": [{"name": "c", "image": A_DIGEST}]}}
    ]});
    let events =
        snapshot_events(&snapshot, Some("us-east1.c"), &Limits::DEFAULT).unwrap_or_default();
    assert_eq!(events.len(), 3);
    let first = events.first().and_then(|e| e.as_ref().ok());
    assert_eq!(
        first.map(|e| (e.logged, e.id.as_deref(), e.cluster.as_deref())),
        Some((LoggedOutcome::Running, Some("u1"), Some("us-east1.c")))
    );
    assert!(matches!(events.get(1), Some(Err(e)) if e.path().starts_with("/items/1")));
    assert!(matches!(events.get(2), Some(Ok(e)) if e.time.is_none()));
}
