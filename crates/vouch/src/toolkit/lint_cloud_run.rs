//! Linting a Cloud Run platform policy (`cloudRunPolicy`, decision R-2): the project policy's
//! checks that apply to its one rule and allowlist (patterns, dry run, the source-deploy
//! exemption, inline attestors), with the paths and wording of the Cloud Run document.
//!
//! The policy compiles into a one-rule project policy (`policy/platform/cloud_run.rs`), so the
//! project policy's lint runs on that, for Cloud Run; its paths are then mapped back into the
//! document (canonical form: a value written where a list belongs has its `/0`). The system
//! policy warning is dropped: a Cloud Run policy has no system policy.

use super::lint::{LintOptions, LintPlatform, Warning, WarningCode, lint_with};
use crate::policy::CloudRunPolicy;

const RULE: &str = "/cloudRunPolicy/rule";

/// Lints a loaded Cloud Run platform policy.
pub(super) fn lint_cloud_run_policy(policy: &CloudRunPolicy) -> Vec<Warning> {
    let options = LintOptions::for_platform(LintPlatform::CloudRun);
    lint_with(policy.policy(), policy.attestors(), &options)
        .into_iter()
        .filter(|w| w.code != WarningCode::GlobalPolicyModeUnspecified)
        .map(|mut w| {
            w.path = document_path(&w.path);
            w.message = wording(&w.message);
            w.fix = match w.code {
                WarningCode::AttestorWithoutKeys => {
                    "add the attestor's public key under its `publicKeys` (without one it \"always returns that no valid attestations exist\")".to_owned()
                }
                _ => wording(&w.fix),
            };
            w
        })
        .collect()
}

/// A project-policy pointer of the compiled policy → the Cloud Run document's pointer.
fn document_path(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/admissionWhitelistPatterns") {
        return format!("/cloudRunPolicy/allowlistPatterns{rest}");
    }
    if let Some(rest) = path.strip_prefix("/defaultAdmissionRule/requireAttestationsBy") {
        return format!("{RULE}/requiredAttestors{rest}");
    }
    if let Some(rest) = path.strip_prefix("/defaultAdmissionRule") {
        return format!("{RULE}{rest}");
    }
    path.to_owned()
}

/// The project policy's field names in a message → the Cloud Run document's.
fn wording(text: &str) -> String {
    text.replace(
        "`admissionWhitelistPatterns`",
        "`cloudRunPolicy.allowlistPatterns`",
    )
    .replace("the default rule", "the rule")
    .replace("The default rule", "The rule")
    .replace("`requireAttestationsBy`", "`requiredAttestors`")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn warnings(yaml: &str) -> Vec<(&'static str, String)> {
        let v = super::super::lint::validate_policy(yaml, None);
        assert!(v.ok, "{}", v.to_json());
        v.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.path.clone()))
            .collect()
    }

    const HEAD: &str =
        "name: projects/example-project/platforms/cloudRun/policies/p\ncloudRunPolicy:\n";

    #[test]
    fn a_clean_policy_has_no_warnings() {
        let yaml = format!(
            "{HEAD}  allowlistPatterns:\n  - namePattern: us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy/**\n  rule:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n    requiredAttestors:\n    - id: a\n      attestationNote: projects/p/notes/a\n      publicKeys:\n      - pkixPublicKey:\n          publicKeyPem: \"-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\\n-----END PUBLIC KEY-----\\n\"\n          signatureAlgorithm: ECDSA_P256_SHA256\n"
        );
        assert_eq!(warnings(&yaml), vec![]);
    }

    #[test]
    fn mistakes_are_reported_at_the_document_paths() {
        let yaml = format!(
            "{HEAD}  allowlistPatterns:\n  - namePattern: gcr.io/p/app:1.0\n  rule:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: DRYRUN_AUDIT_LOG_ONLY\n    requiredAttestors:\n    - id: a\n      attestationNote: projects/p/notes/a\n"
        );
        let found = warnings(&yaml);
        let codes: Vec<&str> = found.iter().map(|(c, _)| *c).collect();
        assert!(codes.contains(&"PATTERN_PINNED_BY_TAG"), "{found:?}");
        assert!(
            found.contains(&(
                "DRY_RUN_RULE",
                "/cloudRunPolicy/rule/enforcementMode".into()
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT",
                "/cloudRunPolicy/rule/evaluationMode".into()
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "ATTESTOR_WITHOUT_KEYS",
                "/cloudRunPolicy/rule/requiredAttestors/0".into()
            )),
            "{found:?}"
        );
        assert!(
            found.iter().all(|(_, p)| p.starts_with("/cloudRunPolicy/")),
            "{found:?}"
        );
        assert!(!codes.contains(&"GLOBAL_POLICY_MODE_UNSPECIFIED"));
        let v = super::super::lint::validate_policy(&yaml, None);
        let source = v
            .warnings
            .iter()
            .find(|w| w.code == WarningCode::CloudRunSourceDeployNotExempt)
            .unwrap();
        // The policy's project, in the document's own words.
        assert!(
            source
                .fix
                .contains("REGION-docker.pkg.dev/example-project/cloud-run-source-deploy/**"),
            "{}",
            source.fix
        );
        assert!(
            source
                .message
                .contains("`cloudRunPolicy.allowlistPatterns`")
        );
    }

    #[test]
    fn an_invalid_policy_is_an_error() {
        let v = super::super::lint::validate_policy(&format!("{HEAD}  rule: {{}}\n"), None);
        assert!(!v.ok);
        assert_eq!(v.errors[0].path(), "/cloudRunPolicy/rule");
    }
}
