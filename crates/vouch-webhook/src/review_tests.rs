#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use serde_json::json;

use super::*;

const DENY_ALL: &str = "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";
const DRY_DENY: &str =
    "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\n";
const ALLOW_ALL: &str = "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

fn decider(policy: &str) -> Decider {
    Decider {
        evaluator: Evaluator::new(vouch::Policy::from_text(policy).unwrap(), Vec::new(), None)
            .unwrap(),
        evidence: Evidence::new(),
        cluster: None,
        cluster_config: None,
        options: Options::default(),
    }
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
}

fn pod(labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"generateName": "web-", "namespace": "prod", "labels": labels},
           "spec": {"containers": [{"name": "web", "image": "gcr.io/p/web:1"}]}})
}

/// A review as the API server sends it (Kubernetes API reference, AdmissionReview v1).
fn review(group: &str, kind: &str, operation: &str, object: Value) -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
            "kind": {"group": group, "version": "v1", "kind": kind},
            "resource": {"group": group, "version": "v1", "resource": format!("{}s", kind.to_lowercase())},
            "requestKind": {"group": group, "version": "v1", "kind": kind},
            "requestResource": {"group": group, "version": "v1", "resource": format!("{}s", kind.to_lowercase())},
            "name": "",
            "namespace": "prod",
            "operation": operation,
            "userInfo": {"username": "admin", "uid": "014fbff9a07c", "groups": ["system:authenticated"]},
            "object": object,
            "oldObject": null,
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
        }
    })
}

fn response(decider: &Decider, review: &Value) -> (Value, Outcome) {
    let (out, outcome) = answer(decider, review, now()).unwrap();
    assert_eq!(out["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(out["kind"], "AdmissionReview");
    assert_eq!(
        out["response"]["uid"],
        "705ab4f5-6393-11e8-b7cc-42010a800002"
    );
    (out["response"].clone(), outcome)
}

#[test]
fn a_denied_pod_is_refused_with_binary_authorizations_message() {
    let (r, outcome) = response(
        &decider(DENY_ALL),
        &review("", "Pod", "CREATE", pod(json!({}))),
    );
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 403);
    let message = r["status"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "Image gcr.io/p/web:1 denied by Binary Authorization default admission rule"
        ),
        "{message}"
    );
    assert_eq!(outcome.verdict, "DENY");
    assert_eq!(outcome.rule, Some("DEFAULT"));
}

#[test]
fn an_allowed_pod_has_no_status() {
    let (r, _) = response(
        &decider(ALLOW_ALL),
        &review("", "Pod", "UPDATE", pod(json!({}))),
    );
    assert_eq!(r["allowed"], true);
    assert!(r.get("status").is_none() && r.get("warnings").is_none());
}

#[test]
fn dry_run_and_break_glass_admit_with_warnings_and_audit_annotations() {
    let (r, outcome) = response(
        &decider(DRY_DENY),
        &review("", "Pod", "CREATE", pod(json!({}))),
    );
    assert_eq!(r["allowed"], true);
    assert_eq!(outcome.verdict, "DRY_RUN_ALLOW");
    assert!(r["warnings"][0].as_str().unwrap().starts_with("dry run: "));
    assert_eq!(r["auditAnnotations"]["dry-run"], "true");
    assert!(r["auditAnnotations"]["overridden-verification-result"].is_string());
    let glass = pod(json!({"image-policy.k8s.io/break-glass": "true"}));
    let (r, outcome) = response(&decider(DENY_ALL), &review("", "Pod", "CREATE", glass));
    assert_eq!(r["allowed"], true);
    assert_eq!(outcome.verdict, "BREAK_GLASS_ALLOW");
    assert_eq!(r["auditAnnotations"]["break-glass"], "true");
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("break-glass: ")
    );
}

#[test]
fn controllers_are_admitted_with_a_warning() {
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "prod"},
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "gcr.io/p/web:1"}]}}}});
    let (r, outcome) = response(
        &decider(DENY_ALL),
        &review("apps", "Deployment", "CREATE", deployment),
    );
    assert_eq!(r["allowed"], true);
    assert_eq!(outcome.verdict, "WARN");
    let warning = r["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("Binary Authorization will deny the Pods of this Deployment"));
    assert!(warning.chars().count() <= MAX_WARNING_CHARS);
    assert!(r.get("auditAnnotations").is_none());
}

#[test]
fn other_kinds_operations_and_subresources_are_not_decided() {
    let d = decider(DENY_ALL);
    for (group, kind, operation) in [
        ("", "Pod", "DELETE"),
        ("", "Pod", "CONNECT"),
        ("", "ConfigMap", "CREATE"),
        // A Knative Service on a cluster: its Pods are reviewed, not the Service.
        ("serving.knative.dev", "Service", "CREATE"),
    ] {
        let (r, outcome) = response(&d, &review(group, kind, operation, pod(json!({}))));
        assert_eq!(r["allowed"], true, "{kind} {operation}");
        assert_eq!(outcome.verdict, "SKIPPED");
    }
    let mut status = review("", "Pod", "UPDATE", pod(json!({})));
    status["request"]["subResource"] = json!("status");
    assert_eq!(response(&d, &status).1.verdict, "SKIPPED");
    // Ephemeral containers add images to a running Pod: decided.
    let mut ephemeral = review("", "Pod", "UPDATE", pod(json!({})));
    ephemeral["request"]["subResource"] = json!("ephemeralcontainers");
    assert_eq!(response(&d, &ephemeral).0["allowed"], false);
}

#[test]
fn an_unreadable_pod_is_denied_naming_the_cause() {
    let d = decider(ALLOW_ALL);
    let no_containers =
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}, "spec": {}});
    let (r, outcome) = response(&d, &review("", "Pod", "CREATE", no_containers));
    assert_eq!(r["allowed"], false);
    assert_eq!(outcome.verdict, "UNREADABLE");
    assert!(
        r["status"]["message"]
            .as_str()
            .unwrap()
            .starts_with("vouch could not read the Pod"),
        "{r}"
    );
    // The object must be of the kind reviewed: a Deployment sent as a Pod review is refused.
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {}});
    let (r, _) = response(&d, &review("", "Pod", "CREATE", deployment));
    assert_eq!(r["allowed"], false);
    // No object at all.
    let (r, _) = response(&d, &review("", "Pod", "CREATE", Value::Null));
    assert_eq!(r["allowed"], false);
}

#[test]
fn what_is_not_a_review_is_refused() {
    let d = decider(ALLOW_ALL);
    for (bad, why) in [
        (json!([]), "object"),
        (
            json!({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "u"}}),
            "admission.k8s.io/v1",
        ),
        (
            json!({"apiVersion": "admission.k8s.io/v1", "kind": "Pod", "request": {"uid": "u"}}),
            "AdmissionReview",
        ),
        (
            json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}),
            "request",
        ),
        (
            json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": ""}}),
            "uid",
        ),
    ] {
        let e = answer(&d, &bad, now()).unwrap_err();
        assert!(e.0.contains(why), "{e} should mention {why}");
    }
}

#[test]
fn long_warnings_are_cut() {
    let long = "x".repeat(1000);
    let cut = warning(&long);
    assert_eq!(cut.chars().count(), MAX_WARNING_CHARS);
    assert!(cut.ends_with('…'));
    assert_eq!(warning("short"), "short");
}

#[test]
fn an_ephemeral_container_added_to_a_running_pod_is_decided() {
    let d = decider(
        "admissionWhitelistPatterns: [{namePattern: 'gcr.io/p/web:*'}]\ndefaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n",
    );
    let mut running = pod(json!({}));
    assert_eq!(
        response(&d, &review("", "Pod", "CREATE", running.clone())).0["allowed"],
        true
    );
    running["spec"]["ephemeralContainers"] =
        json!([{"name": "debugger", "image": "docker.io/nicolaka/netshoot:latest"}]);
    let mut update = review("", "Pod", "UPDATE", running);
    update["request"]["subResource"] = json!("ephemeralcontainers");
    let (r, _) = response(&d, &update);
    assert_eq!(r["allowed"], false);
    assert!(
        r["status"]["message"]
            .as_str()
            .unwrap()
            .contains("docker.io/nicolaka/netshoot:latest"),
        "{r}"
    );
}

#[test]
fn an_update_that_runs_no_new_image_is_not_re_decided() {
    let d = decider(DENY_ALL);
    let old = pod(json!({}));
    let mut relabelled = old.clone();
    relabelled["metadata"]["labels"] = json!({"tier": "web"});
    let mut update = review("", "Pod", "UPDATE", relabelled);
    update["request"]["oldObject"] = old.clone();
    let (r, outcome) = response(&d, &update);
    assert_eq!(
        (r["allowed"].clone(), outcome.verdict),
        (json!(true), "UNCHANGED")
    );
    // A new image is decided.
    let mut changed = old.clone();
    changed["spec"]["containers"][0]["image"] = json!("gcr.io/p/web:2");
    let mut update = review("", "Pod", "UPDATE", changed);
    update["request"]["oldObject"] = old.clone();
    assert_eq!(response(&d, &update).0["allowed"], false);
    // An image moved from a container to an added ephemeral container is still an old image;
    // a new ephemeral image is not.
    let mut ephemeral = old.clone();
    ephemeral["spec"]["ephemeralContainers"] = json!([{"name": "dbg", "image": "busybox"}]);
    let mut update = review("", "Pod", "UPDATE", ephemeral);
    update["request"]["subResource"] = json!("ephemeralcontainers");
    update["request"]["oldObject"] = old;
    assert_eq!(response(&d, &update).0["allowed"], false);
    // No oldObject: decided.
    assert_eq!(
        response(&d, &review("", "Pod", "UPDATE", pod(json!({})))).0["allowed"],
        false
    );
}

#[test]
fn only_well_formed_digests_are_fetched() {
    let good = format!("gcr.io/p/app@sha256:{}", "a".repeat(64));
    let review = json!({"request": {"object": {"kind": "Pod", "spec": {"containers": [
        {"name": "a", "image": good},
        {"name": "b", "image": "gcr.io/p/app:1"},
        {"name": "c", "image": "gcr.io/p/app@sha256:abc\") OR kind=(\"x"},
        {"name": "d", "image": format!("gcr.io/p/app@sha256:{}", "A".repeat(64))},
    ]}}}});
    assert_eq!(digest_images(&review), vec![good.clone()]);
    // A controller: its pod template's images.
    let review = json!({"request": {"object": {"kind": "Deployment", "spec": {"template": {
        "spec": {"containers": [{"name": "a", "image": good}]}}}}}});
    assert_eq!(digest_images(&review), vec![good]);
}
