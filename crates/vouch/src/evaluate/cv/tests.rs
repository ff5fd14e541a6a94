//! The CV core with a scripted per-image evaluation: which events, which checks, which errors,
//! how much work. (Vectors in `testdata/vectors/cv/` run the real evaluation.)

use serde_json::{Value, json};

use super::*;
use crate::decision::platform::{
    CheckResult, CheckResults, CheckSetResult, EvaluationResult, PlatformDetail,
    PlatformDetailCode, ScopeResult,
};
use crate::limits::Limits;
use crate::policy::platform::{Allowlist, Check, CheckKind, CheckSet, Scope};

fn set(name: &str, scope: Scope) -> CheckSet {
    CheckSet {
        display_name: name.to_owned(),
        scope,
        allowlist: None,
        checks: vec![
            Check {
                display_name: "first".to_owned(),
                allowlist: None,
                kind: CheckKind::AlwaysDeny,
            },
            Check {
                display_name: "second".to_owned(),
                allowlist: None,
                kind: CheckKind::AlwaysDeny,
            },
        ],
    }
}

fn policy() -> PlatformPolicy {
    PlatformPolicy {
        canonical: Value::Null,
        name: None,
        allowlist: Allowlist::default(),
        check_sets: vec![
            set(
                "sa set",
                Scope::ServiceAccount {
                    namespace: "prod".into(),
                    name: "deployer".into(),
                },
            ),
            set("prod set", Scope::Namespace("prod".into())),
            set("Default check set", Scope::Default),
        ],
    }
}

/// Scripted evaluation: an image whose string contains `bad` fails check 0, `err` errs on
/// check 1 (`bad-err` does both); the set is the one the Pod selects.
fn scripted(
    policy: &PlatformPolicy,
    set: Option<usize>,
    image: &RequestImage,
) -> PlatformImageResult {
    let s = image.image.as_str();
    let Some(index) = set else {
        return PlatformImageResult {
            image_uri: s.to_owned(),
            verdict: PlatformVerdict::Conformant,
            allowlist_result: None,
            check_set_result: None,
            explanation: Some("always allow".into()),
            container_name: None,
            container_type: None,
        };
    };
    let set = &policy.check_sets[index];
    if set.display_name == "lenient" {
        return PlatformImageResult {
            image_uri: s.to_owned(),
            verdict: PlatformVerdict::Conformant,
            allowlist_result: None,
            check_set_result: None,
            explanation: None,
            container_name: None,
            container_type: None,
        };
    }
    let verdicts = [
        if s.contains("bad") {
            PlatformVerdict::NonConformant
        } else {
            PlatformVerdict::Conformant
        },
        if s.contains("err") {
            PlatformVerdict::Error
        } else {
            PlatformVerdict::Conformant
        },
    ];
    let results = verdicts
        .iter()
        .enumerate()
        .map(|(j, v)| CheckResult {
            index: j as u64,
            display_name: set.checks[j].display_name.clone(),
            check_type: "AlwaysDeny".into(),
            allowlist_result: None,
            evaluation_result: Some(EvaluationResult { verdict: *v }),
            explanation: if *v == PlatformVerdict::Conformant {
                String::new()
            } else {
                format!(
                    "AlwaysDeny at index {j} with display name \"x\" has verdict NOT_CONFORMANT."
                )
            },
            details: if *v == PlatformVerdict::Error {
                vec![PlatformDetail {
                    code: PlatformDetailCode::NoDigest,
                    message: "m".into(),
                }]
            } else {
                Vec::new()
            },
        })
        .collect();
    let scope = match &set.scope {
        Scope::Default => None,
        Scope::Namespace(ns) => Some(ScopeResult {
            kubernetes_service_account: None,
            kubernetes_namespace: Some(ns.clone()),
        }),
        Scope::ServiceAccount { namespace, name } => Some(ScopeResult {
            kubernetes_service_account: Some(format!("{namespace}:{name}")),
            kubernetes_namespace: None,
        }),
    };
    PlatformImageResult {
        image_uri: s.to_owned(),
        verdict: PlatformVerdict::fold(verdicts),
        allowlist_result: None,
        check_set_result: Some(CheckSetResult {
            index: index as u64,
            display_name: set.display_name.clone(),
            scope,
            allowlist_result: None,
            check_results: Some(CheckResults { results }),
            explanation: None,
        }),
        explanation: None,
        container_name: None,
        container_type: None,
    }
}

fn pod(name: &str, ns: &str, sa: &str, images: &[(&str, &str)]) -> Value {
    let containers: Vec<Value> = images
        .iter()
        .map(|(n, i)| json!({"name": n, "image": i}))
        .collect();
    json!({"kind": "Pod", "metadata": {"name": name, "namespace": ns,
        "creationTimestamp": "2026-11-01T10:00:00Z"},
        "spec": {"serviceAccountName": sa, "containers": containers,
                 "initContainers": [{"name": "init", "image": "gcr.io/p/init-ok:1"}]}})
}

fn snapshot(pods: Vec<Value>) -> PodSnapshot {
    PodSnapshot::from_value(&json!({"kind": "List", "items": pods}), &Limits::DEFAULT).unwrap()
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-12-01T00:00:00Z").unwrap()
}

fn cv(
    policies: &[Monitored<'_>],
    missing: &[String],
    snap: &PodSnapshot,
    cluster: Option<&CvCluster>,
) -> Value {
    run(policies, missing, snap, cluster, now(), scripted).to_value()
}

#[test]
fn one_event_per_violating_pod_with_only_failing_images_and_checks() {
    let p = policy();
    let snap = snapshot(vec![
        pod(
            "web",
            "dev",
            "default",
            &[("app", "gcr.io/p/bad:1"), ("side", "gcr.io/p/ok:1")],
        ),
        pod("fine", "dev", "default", &[("app", "gcr.io/p/ok:1")]),
    ]);
    let out = cv(
        &[("projects/1/platforms/gke/policies/p".into(), &p)],
        &[],
        &snap,
        None,
    );
    assert_eq!(out["entries"].as_array().unwrap().len(), 1);
    assert_eq!(
        out["entries"][0],
        json!({"podEvent": {
            "podNamespace": "dev", "pod": "web",
            "policyName": "projects/1/platforms/gke/policies/p",
            "deployTime": "2026-11-01T10:00:00Z",
            "verdict": "VIOLATES_POLICY",
            "images": [{
                "image": "gcr.io/p/bad:1", "containerName": "app", "containerType": "CONTAINER",
                "result": "DENY",
                "description": "1 of 2 checks of check set 2 (\"Default check set\") are NON_CONFORMANT",
                "checkResults": [{
                    "checkSetIndex": "2", "checkSetName": "Default check set",
                    "checkIndex": "0", "checkName": "first", "checkType": "AlwaysDeny",
                    "verdict": "NON_CONFORMANT",
                    "explanation": "AlwaysDeny at index 0 with display name \"x\" has verdict NOT_CONFORMANT."}]}]}})
    );
    assert_eq!(out["errors"], json!([]));
    assert_eq!(
        out["summary"]["violations"],
        json!({"projects/1/platforms/gke/policies/p": 1})
    );
}

#[test]
fn scopes_are_written_for_scoped_sets_and_field_order_is_the_protos() {
    let p = policy();
    let snap = snapshot(vec![
        pod("a", "prod", "deployer", &[("app", "gcr.io/p/bad:1")]),
        pod("b", "prod", "other", &[("app", "gcr.io/p/bad:1")]),
    ]);
    let report = run(&[("p".into(), &p)], &[], &snap, None, now(), scripted);
    let out = report.to_value();
    assert_eq!(
        out["entries"][0]["podEvent"]["images"][0]["checkResults"][0]["checkSetScope"],
        json!({"kubernetesServiceAccount": "prod:deployer"})
    );
    assert_eq!(
        out["entries"][1]["podEvent"]["images"][0]["checkResults"][0]["checkSetScope"],
        json!({"kubernetesNamespace": "prod"})
    );
    let line = report.entries[0].to_json();
    let order = [
        "podNamespace",
        "pod\"",
        "policyName",
        "deployTime",
        "verdict",
        "images",
        "\"image\"",
        "containerName",
        "containerType",
        "result",
        "description",
        "checkResults",
        "checkSetIndex",
        "checkSetName",
        "checkSetScope",
        "checkIndex",
        "checkName",
        "checkType",
        "explanation",
    ];
    let positions: Vec<usize> = order.iter().map(|k| line.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
}

#[test]
fn errors_are_listed_never_logged_even_beside_a_violation() {
    let p = policy();
    let snap = snapshot(vec![
        pod("e", "dev", "default", &[("app", "gcr.io/p/err:1")]),
        pod("both", "dev", "default", &[("app", "gcr.io/p/bad-err:1")]),
    ]);
    let out = cv(&[("p".into(), &p)], &[], &snap, None);
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["podEvent"]["pod"], "both");
    // Only the NON_CONFORMANT check is logged for `both`.
    assert_eq!(
        entries[0]["podEvent"]["images"][0]["checkResults"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let errors = out["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0],
        json!({"kind": "CHECK_ERROR", "policyName": "p", "podNamespace": "dev", "pod": "e",
               "image": "gcr.io/p/err:1", "containerName": "app", "containerType": "CONTAINER",
               "checkSetIndex": "2", "checkIndex": "1", "checkName": "second",
               "checkType": "AlwaysDeny",
               "explanation": "AlwaysDeny at index 1 with display name \"x\" has verdict NOT_CONFORMANT.",
               "details": [{"code": "NO_DIGEST", "message": "m"}]})
    );
    assert_eq!(out["summary"]["errors"], 2);
}

#[test]
fn policies_are_independent_and_missing_bindings_are_config_errors() {
    let p = policy();
    let mut allow_all = policy();
    allow_all.check_sets.clear();
    let snap = snapshot(vec![pod(
        "web",
        "dev",
        "default",
        &[("app", "gcr.io/p/bad:1")],
    )]);
    let cluster = CvCluster::parse("my-project/us-central1-a/my-cluster").unwrap();
    let report = run(
        &[("a".into(), &p), ("b".into(), &p), ("c".into(), &allow_all)],
        &["projects/1/platforms/gke/policies/gone".into()],
        &snap,
        Some(&cluster),
        now(),
        scripted,
    );
    let out = report.to_value();
    let entries = out["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries[0],
        json!({"logName": "projects/my-project/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation",
               "resource": {"type": "k8s_cluster", "labels": {"project_id": "my-project",
                   "location": "us-central1-a", "cluster_name": "my-cluster"}},
               "jsonPayload": {
                   "@type": "type.googleapis.com/google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent",
                   "configErrorEvent": {"description": "Cannot monitor cluster 'us-central1-a.my-cluster': Resource projects/1/platforms/gke/policies/gone does not exist."}},
               "timestamp": "2026-12-01T00:00:00Z", "severity": "WARNING"})
    );
    assert_eq!(entries[1]["jsonPayload"]["podEvent"]["policyName"], "a");
    assert_eq!(entries[2]["jsonPayload"]["podEvent"]["policyName"], "b");
    assert!(report.entries[1].to_json().starts_with(r#"{"logName":"#));
    assert!(
        report.entries[1]
            .to_json()
            .contains(r#""jsonPayload":{"@type":"#)
    );
    assert_eq!(
        out["summary"]["violations"],
        json!({"a": 1, "b": 1, "c": 0})
    );
    assert_eq!(out["summary"]["configErrors"], 1);
}

#[test]
fn each_distinct_policy_set_image_is_evaluated_once() {
    let p = policy();
    let mut pods = Vec::new();
    for i in 0..1000 {
        let ns = ["dev", "prod"][i % 2];
        let image = format!("gcr.io/p/img{}:1", i % 5);
        pods.push(pod(&format!("p{i}"), ns, "default", &[("app", &image)]));
    }
    let snap = snapshot(pods);
    let mut calls = 0;
    let report = run(&[("p".into(), &p)], &[], &snap, None, now(), |a, b, c| {
        calls += 1;
        scripted(a, b, c)
    });
    // 5 images + the init image, under 2 sets (prod's and the default).
    assert_eq!(calls, 12);
    assert_eq!(report.summary.evaluations, 12);
    assert_eq!(report.summary.pods, 1000);
    assert_eq!(report.summary.images, 2000);
}

#[test]
fn init_and_ephemeral_containers_carry_their_types_and_skipped_pods_are_listed() {
    let p = policy();
    let snap = PodSnapshot::from_value(
        &json!({"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"name": "dbg", "namespace": "dev"},
             "spec": {"initContainers": [{"name": "i", "image": "gcr.io/p/bad-init:1"}],
                      "containers": [{"name": "c", "image": "gcr.io/p/ok:1"}],
                      "ephemeralContainers": [{"name": "e", "image": "gcr.io/p/bad-dbg:1"}]}},
            {"kind": "Pod", "metadata": {"name": "broken"}, "spec": {}}]}),
        &Limits::DEFAULT,
    )
    .unwrap();
    let out = cv(&[("p".into(), &p)], &[], &snap, None);
    let images = &out["entries"][0]["podEvent"]["images"];
    assert_eq!(images[0]["containerType"], "INIT_CONTAINER");
    assert_eq!(images[1]["containerType"], "EPHEMERAL_CONTAINER");
    assert_eq!(images.as_array().unwrap().len(), 2);
    assert!(out["entries"][0]["podEvent"].get("deployTime").is_none());
    assert_eq!(out["errors"][0]["kind"], "POD_SKIPPED");
    assert_eq!(
        out["errors"][0]["error"]["path"],
        "/items/1/spec/containers"
    );
    assert_eq!(out["summary"]["podsSkipped"], 1);
    assert_eq!(out["summary"]["errors"], 0);
}

#[test]
fn clusters_are_project_location_name() {
    assert!(CvCluster::parse("p/l/n").is_ok());
    for bad in ["p/l", "p/l/n/x", "p//n", "p/l/n m", ""] {
        assert_eq!(
            CvCluster::parse(bad).unwrap_err().code(),
            ErrorCode::RequestInvalidCluster
        );
    }
}

#[test]
fn the_memo_is_per_policy() {
    // Same image, same set index, two policies that disagree: neither result leaks into the
    // other, whichever is evaluated first.
    let strict = policy();
    let mut lenient = policy();
    for set in &mut lenient.check_sets {
        set.display_name = "lenient".into();
    }
    let snap = snapshot(vec![
        pod("a", "dev", "default", &[("app", "gcr.io/p/bad:1")]),
        pod("b", "dev", "default", &[("app", "gcr.io/p/bad:1")]),
    ]);
    for order in [
        [("s", &strict), ("l", &lenient)],
        [("l", &lenient), ("s", &strict)],
    ] {
        let monitored: Vec<Monitored<'_>> =
            order.iter().map(|(n, p)| ((*n).to_owned(), *p)).collect();
        let out = run(&monitored, &[], &snap, None, now(), scripted).to_value();
        assert_eq!(out["summary"]["violations"], json!({"s": 2, "l": 0}));
        assert_eq!(out["summary"]["evaluations"], 4);
    }
}

/// Real evaluation: Pods running many image strings that name one digest, whose evidence
/// costs many verifications, verify it once per run (not once per string).
#[test]
fn many_image_strings_for_one_digest_verify_once_per_run() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    use crate::evidence::Evidence;
    use crate::policy::platform::Authenticator;
    use crate::verify::attestor::Attestor;
    use crate::verify::trust::TrustMaterial;
    use crate::{KeyAlgorithm, SigningKey};

    const D: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    let key = SigningKey::from_seed(KeyAlgorithm::P256, &[7; 32]).unwrap();
    let attestor = Attestor::from_value(
        json!({"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {
            "noteReference": "projects/p/notes/n",
            "publicKeys": [{"id": key.default_key_id(), "pkixPublicKey": {
                "publicKeyPem": key.public_key_pem(), "signatureAlgorithm": "ECDSA_P256_SHA256"}}]}}),
        &Limits::DEFAULT,
    )
    .unwrap();
    let check = Check {
        display_name: "att".into(),
        allowlist: None,
        kind: CheckKind::SimpleSigningAttestation {
            authenticators: vec![Authenticator {
                display_name: "ci".into(),
                keys: attestor.keys().to_vec(),
            }],
            projects: vec!["attest".into()],
        },
    };
    let policy = PlatformPolicy {
        canonical: Value::Null,
        name: None,
        allowlist: Allowlist::default(),
        check_sets: vec![CheckSet {
            display_name: "default".into(),
            scope: Scope::Default,
            allowlist: None,
            checks: vec![check; 16],
        }],
    };
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"gcr.io/p/x"}},"image":{{"docker-manifest-digest":"{D}"}},"type":"Google cloud binauthz container signature"}}}}"#
    );
    let items: Vec<Value> = (0..64)
        .map(|i| {
            json!({"name": format!("projects/attest/occurrences/a{i}"), "kind": "ATTESTATION",
                "resourceUri": format!("https://gcr.io/p/x@{D}"),
                "attestation": {"serializedPayload": STANDARD.encode(&payload), "signatures": [
                    {"publicKeyId": key.default_key_id(),
                     "signature": STANDARD.encode(key.sign(format!("not it {i}").as_bytes()))}]}})
        })
        .collect();
    let evidence = Evidence::from_value(Value::Array(items), &Limits::DEFAULT).unwrap();
    let pods: Vec<Value> = (0..300)
        .map(|i| {
            json!({"kind": "Pod", "metadata": {"name": format!("p{i}"), "namespace": "prod"},
                "spec": {"containers": [{"name": "c", "image": format!("gcr.io/p/x{i}@{D}")}]}})
        })
        .collect();
    let snap = snapshot(pods);
    let trust = TrustMaterial::default();
    let options = PlatformOptions::default();
    let cx = CvContext {
        evidence: &evidence,
        trust: &trust,
        now: now(),
        options: &options,
        cluster: None,
        limits: &Limits::DEFAULT,
    };
    let started = std::time::Instant::now();
    let report = continuous_validation(&[("p".into(), &policy)], &[], &snap, &cx);
    let v = report.to_value();
    // Every Pod violates (no signature verifies)…
    assert_eq!(v["summary"]["violations"]["p"], json!(300), "{v:#}");
    // …and 300 strings cost about one string's verifications (each ~2,000 units before:
    // ~30 s here, hours for a real snapshot).
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
