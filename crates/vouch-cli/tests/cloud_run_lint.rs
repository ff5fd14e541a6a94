//! `vouch policy lint --platform cloud-run` (docs/lint.md, Platforms): the rules Cloud Run
//! ignores, the source-deploy exemption, exit codes and both outputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::{stdout, vouch};
use std::path::Path;

use serde_json::Value;

/// Writes `text` to a file of this test run and returns its path.
fn policy_file(name: &str, text: &str) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cloud-run-lint-{name}.yaml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

const EXAMPLE: &str = "examples/cloud-run/policy.yaml";

const REQUIRE: &str = "name: projects/my-proj/policy
globalPolicyEvaluationMode: ENABLE
defaultAdmissionRule:
  evaluationMode: REQUIRE_ATTESTATION
  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
  requireAttestationsBy: [projects/my-proj/attestors/ci]
kubernetesNamespaceAdmissionRules:
  dev:
    evaluationMode: ALWAYS_ALLOW
    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
";

#[test]
fn example_policy_for_both_platforms() {
    // GKE (the default, and explicitly): nothing to warn about.
    for extra in [&[][..], &["--platform", "gke"][..]] {
        let mut args = vec!["policy", "lint", EXAMPLE, "--deny-warnings"];
        args.extend_from_slice(extra);
        let o = vouch(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
        assert!(stdout(&o).contains("valid, 0 warnings"), "{}", stdout(&o));
    }
    // Cloud Run: the source deploys are exempt; the cluster rule has no effect there.
    let o = vouch(&["policy", "lint", EXAMPLE, "--platform", "cloud-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!(
            "warning: CLOUD_RUN_RULE_IGNORED at {EXAMPLE}#/clusterAdmissionRules/us-central1-a.prod-cluster: the cluster admission rule for `us-central1-a.prod-cluster` has no effect on Cloud Run"
        )),
        "{text}"
    );
    assert!(text.contains("\n  fix: "), "{text}");
    assert!(text.ends_with("valid, 1 warning\n"), "{text}");
    let o = vouch(&[
        "policy",
        "lint",
        EXAMPLE,
        "--platform",
        "cloud-run",
        "--deny-warnings",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn missing_source_deploy_exemption_as_json() {
    let file = policy_file("missing", REQUIRE);
    let o = vouch(&[
        "policy",
        "lint",
        &file,
        "--platform",
        "cloud-run",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ok"], true);
    let warnings = v["warnings"].as_array().unwrap();
    let got: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT",
                "/defaultAdmissionRule/evaluationMode"
            ),
            (
                "CLOUD_RUN_RULE_IGNORED",
                "/kubernetesNamespaceAdmissionRules/dev"
            ),
        ]
    );
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`REGION-docker.pkg.dev/my-proj/cloud-run-source-deploy/**`"),
        "{message}"
    );
    // The same policy for GKE: its own warning, no Cloud Run one.
    let o = vouch(&["policy", "lint", &file, "--output", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["RULE_WEAKER_THAN_DEFAULT"]);
    // With the exemption (and without the namespace rule) the policy is clean for Cloud Run.
    let fixed = REQUIRE
        .split("kubernetesNamespaceAdmissionRules")
        .next()
        .unwrap()
        .to_owned()
        + "admissionWhitelistPatterns:\n- namePattern: europe-west1-docker.pkg.dev/my-proj/cloud-run-source-deploy/**\n";
    let file = policy_file("fixed", &fixed);
    let o = vouch(&[
        "policy",
        "lint",
        &file,
        "--platform",
        "cloud-run",
        "--deny-warnings",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("valid, 0 warnings"), "{}", stdout(&o));
}

#[test]
fn platform_flag_errors_and_help() {
    let o = vouch(&["policy", "lint", EXAMPLE, "--platform", "cloudRun"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cloud-run"));
    // An invalid policy is exit 2 on Cloud Run too, without warnings.
    let file = policy_file("invalid", "defaultAdmissionRule: {}\n");
    let o = vouch(&[
        "policy",
        "lint",
        &file,
        "--platform",
        "cloud-run",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["warnings"], Value::Array(Vec::new()));
    let o = vouch(&["policy", "lint", "--help"]);
    let help = stdout(&o);
    assert!(help.contains("--platform <PLATFORM>"), "{help}");
    assert!(help.contains("cloud-run-source-deploy/**"), "{help}");
}
