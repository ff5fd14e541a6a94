#![allow(clippy::unwrap_used, reason = "tests")]

use serde_json::{Value, json};

use super::*;

const EC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\n-----END PUBLIC KEY-----\n";
const NAME: &str = "projects/p/platforms/cloudRun/policies/strict";

fn load(value: Value) -> Result<CloudRunPolicy, Error> {
    CloudRunPolicy::from_value(value, &Limits::DEFAULT)
}

fn err(value: Value) -> (ErrorCode, String) {
    let e = load(value).unwrap_err();
    assert_eq!(e.subject(), Subject::CloudRunPolicies);
    (e.code(), e.path().to_owned())
}

fn attestor(id: &str) -> Value {
    json!({"id": id, "attestationNote": "projects/p/notes/built",
           "publicKeys": [{"pkixPublicKey": {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}}]})
}

fn requiring(attestors: Value) -> Value {
    json!({"name": NAME, "cloudRunPolicy": {"rule": {
        "evaluationMode": "REQUIRE_ATTESTATION",
        "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
        "requiredAttestors": attestors}}})
}

#[test]
fn compiles_to_one_rule_with_inline_attestors() {
    let p = load(json!({
        "name": NAME,
        "cloudRunPolicy": {
            "allowlistPatterns": [{"namePattern": "gcr.io/p/debug/*"}],
            "rule": {"evaluationMode": "REQUIRE_ATTESTATION",
                     "enforcementMode": "DRYRUN_AUDIT_LOG_ONLY",
                     "requiredAttestors": [attestor("built"), {"id": "qa", "attestationNote": "projects/p/notes/qa"}]}
        }
    }))
    .unwrap();
    assert_eq!(p.name(), NAME);
    let rule = p.policy().default_rule();
    assert_eq!(rule.evaluation_mode, EvaluationMode::RequireAttestation);
    assert_eq!(rule.enforcement_mode, EnforcementMode::DryrunAuditLogOnly);
    assert_eq!(rule.attestors, ["built", "qa"]);
    assert_eq!(p.policy().rules().count(), 1);
    assert_eq!(
        p.policy().global_mode(),
        crate::policy::GlobalPolicyEvaluationMode::Disable
    );
    assert!(
        p.policy()
            .allowlist()
            .first_match("gcr.io/p/debug/x:1")
            .is_some()
    );
    assert_eq!(p.attestors().len(), 2);
    assert_eq!(p.attestors()[0].note_reference(), "projects/p/notes/built");
    assert_eq!(p.attestors()[0].keys().len(), 1);
    // No keys: an attestor that verifies nothing, not an error.
    assert!(p.attestors()[1].keys().is_empty());
}

#[test]
fn the_name_is_required_and_normalized() {
    let short = load(json!({"name": "projects/p/platforms/cloudRun/strict",
        "cloudRunPolicy": {"rule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}}))
    .unwrap();
    assert_eq!(short.name(), NAME);
    let rule = json!({"rule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}});
    assert_eq!(
        err(json!({"cloudRunPolicy": rule})),
        (ErrorCode::PlatformMissingField, "/name".into())
    );
    assert_eq!(
        err(json!({"name": "projects/p/platforms/gke/policies/x", "cloudRunPolicy": rule})),
        (ErrorCode::PlatformInvalidValue, "/name".into())
    );
}

#[test]
fn other_documents_are_refused_with_what_they_are() {
    assert_eq!(
        err(json!({"name": NAME, "gkePolicy": {}})),
        (ErrorCode::PlatformUnsupported, "/gkePolicy".into())
    );
    assert_eq!(
        err(json!({"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW"}})),
        (ErrorCode::PlatformMissingField, "/cloudRunPolicy".into())
    );
    assert_eq!(
        err(json!(["x"])),
        (ErrorCode::PlatformInvalidType, String::new())
    );
    assert_eq!(
        err(
            json!({"name": NAME, "cloudRunPolicy": {"rule": {"evaluationMode": "ALWAYS_ALLOW",
            "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG", "requireAttestationsBy": []}}})
        ),
        (
            ErrorCode::PlatformUnknownField,
            "/cloudRunPolicy/rule/requireAttestationsBy".into()
        )
    );
}

#[test]
fn the_rule_is_validated() {
    let with_rule = |rule: Value| json!({"name": NAME, "cloudRunPolicy": {"rule": rule}});
    assert_eq!(
        err(json!({"name": NAME, "cloudRunPolicy": {}})),
        (ErrorCode::PlatformMissingField, "/cloudRunPolicy".into())
    );
    assert_eq!(
        err(with_rule(
            json!({"enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"})
        )),
        (
            ErrorCode::PlatformMissingField,
            "/cloudRunPolicy/rule".into()
        )
    );
    assert_eq!(
        err(with_rule(
            json!({"evaluationMode": "EVALUATION_MODE_UNSPECIFIED", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"})
        )),
        (
            ErrorCode::PlatformInvalidValue,
            "/cloudRunPolicy/rule/evaluationMode".into()
        )
    );
    assert_eq!(
        err(with_rule(
            json!({"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCEMENT_MODE_UNSPECIFIED"})
        )),
        (
            ErrorCode::PlatformInvalidValue,
            "/cloudRunPolicy/rule/enforcementMode".into()
        )
    );
    assert_eq!(
        err(with_rule(
            json!({"evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"})
        )),
        (
            ErrorCode::PlatformMissingField,
            "/cloudRunPolicy/rule".into()
        )
    );
    assert_eq!(
        err(with_rule(
            json!({"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
                   "requiredAttestors": [attestor("a")]})
        )),
        (
            ErrorCode::PlatformInvalidValue,
            "/cloudRunPolicy/rule/requiredAttestors".into()
        )
    );
}

#[test]
fn inline_attestors_are_validated_with_the_paths_written() {
    let at = "/cloudRunPolicy/rule/requiredAttestors";
    assert_eq!(
        err(requiring(json!([attestor("a"), attestor("a")]))),
        (ErrorCode::PlatformInvalidValue, format!("{at}/1/id"))
    );
    assert_eq!(
        err(requiring(
            json!([{"attestationNote": "projects/p/notes/n"}])
        )),
        (ErrorCode::PlatformMissingField, format!("{at}/0"))
    );
    assert_eq!(
        err(requiring(
            json!([{"id": "a", "attestationNote": "projects/p/attestors/n"}])
        )),
        (
            ErrorCode::PlatformInvalidValue,
            format!("{at}/0/attestationNote")
        )
    );
    // A single attestor where gcloud takes a list: read as a list of one, and errors inside it
    // have no `/0`.
    let mut bad = attestor("a");
    bad["publicKeys"][0]["pkixPublicKey"]["publicKeyPem"] = json!("not a key");
    assert_eq!(
        err(requiring(bad.clone())),
        (
            ErrorCode::PlatformInvalidKey,
            format!("{at}/publicKeys/0/pkixPublicKey/publicKeyPem")
        )
    );
    let mut mismatch = attestor("a");
    mismatch["publicKeys"][0]["pkixPublicKey"]["signatureAlgorithm"] = json!("RSA_PSS_2048_SHA256");
    assert_eq!(
        err(requiring(json!([mismatch]))),
        (
            ErrorCode::PlatformAlgorithmMismatch,
            format!("{at}/0/publicKeys/0/pkixPublicKey/signatureAlgorithm")
        )
    );
    let mut twice = attestor("a");
    let key = twice["publicKeys"][0].clone();
    twice["publicKeys"] = json!([key.clone(), key]);
    assert_eq!(
        err(requiring(json!([twice]))),
        (
            ErrorCode::PlatformInvalidKeyId,
            format!("{at}/0/publicKeys/1")
        )
    );
    assert_eq!(
        err(requiring(
            json!([{"id": "a", "attestationNote": "projects/p/notes/n", "publicKeys": [{}]}])
        )),
        (
            ErrorCode::PlatformMissingField,
            format!("{at}/0/publicKeys/0/pkixPublicKey")
        )
    );
}

#[test]
fn allowlist_patterns_use_the_project_policy_grammar() {
    let with_patterns = |patterns: Value| {
        json!({"name": NAME, "cloudRunPolicy": {"allowlistPatterns": patterns,
            "rule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}})
    };
    let p = load(with_patterns(json!({"namePattern": "gcr.io/p/nginx:2.*"}))).unwrap();
    assert!(
        p.policy()
            .allowlist()
            .first_match("gcr.io/p/nginx:2.1")
            .is_some()
    );
    assert!(
        p.policy()
            .allowlist()
            .first_match("gcr.io/p/nginx:3.1")
            .is_none()
    );
    assert_eq!(
        err(with_patterns(json!([{"namePattern": "gcr.io/p/*/x"}]))),
        (
            ErrorCode::PlatformInvalidAllowPattern,
            "/cloudRunPolicy/allowlistPatterns/0/namePattern".into()
        )
    );
    assert_eq!(
        err(with_patterns(json!([{}]))),
        (
            ErrorCode::PlatformMissingField,
            "/cloudRunPolicy/allowlistPatterns/0".into()
        )
    );
}

#[test]
fn text_is_read_as_gcloud_reads_it() {
    let yaml = format!(
        "name: {NAME}\ncloudRunPolicy:\n  rule:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    );
    let p = CloudRunPolicy::from_text(&yaml).unwrap();
    assert_eq!(
        p.canonical_json(),
        format!(
            r#"{{"name":"{NAME}","cloudRunPolicy":{{"rule":{{"evaluationMode":"ALWAYS_DENY","enforcementMode":"ENFORCED_BLOCK_AND_AUDIT_LOG"}}}}}}"#
        )
    );
    let e = CloudRunPolicy::from_text("name: [").unwrap_err();
    assert_eq!(e.subject(), Subject::CloudRunPolicies);
}

#[test]
fn a_gke_loader_still_refuses_a_cloud_run_policy() {
    let e = crate::policy::PlatformPolicy::from_value(
        requiring(json!([attestor("a")])),
        &Limits::DEFAULT,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        (ErrorCode::PlatformUnsupported, "/cloudRunPolicy")
    );
}
