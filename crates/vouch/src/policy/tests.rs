use super::*;

const BASE: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";

fn load(text: &str) -> Result<Policy, Error> {
    Policy::from_text(text)
}

fn code(text: &str) -> (ErrorCode, String) {
    let e = load(text).unwrap_err();
    (e.code(), e.path().to_owned())
}

#[test]
fn yaml_1_1_readings_are_refused_and_quoting_fixes_them() {
    let ns = |key: &str| {
        format!(
            "{BASE}kubernetesNamespaceAdmissionRules:\n  {key}:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        )
    };
    for key in [
        "on",
        "On",
        "yes",
        "y",
        "N",
        "off",
        "017",
        "0o17",
        "1e3",
        "1:30",
        "2026-01-01",
    ] {
        let (code, path) = code(&ns(key));
        assert_eq!(code, ErrorCode::PolicyYamlAmbiguous, "{key}");
        assert_eq!(
            path,
            format!("/kubernetesNamespaceAdmissionRules/{key}"),
            "{key}"
        );
    }
    // Readings both sides share, quoted scalars and tagged strings load.
    for (key, lookup) in [
        ("prod", "prod"),
        ("123", "123"),
        ("0x10", "16"),
        ("1_000", "1000"),
        ("'on'", "on"),
        ("\"017\"", "017"),
        ("!!str yes", "yes"),
    ] {
        let p = load(&ns(key)).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert!(p.namespace.contains_key(lookup), "{key}");
    }
    // Values too, at their path; JSON text is not YAML 1.1's business.
    let (code, path) = code(&format!(
        "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/p/*\n- namePattern: off\n"
    ));
    assert_eq!(code, ErrorCode::PolicyYamlAmbiguous);
    assert_eq!(path, "/admissionWhitelistPatterns/1/namePattern");
    assert!(load(&format!("{BASE}description: !!binary aGVsbG8=\n")).is_err());
    let json = r#"{"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}, "kubernetesNamespaceAdmissionRules": {"on": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}}"#;
    assert!(load(json).unwrap().namespace.contains_key("on"));
    // An exported policy (quoted timestamps) loads.
    assert!(load(include_str!("../../../../examples/policy.yaml")).is_ok());
}

#[test]
fn global_mode_may_be_absent_but_not_null() {
    assert!(load(BASE).is_ok());
    assert_eq!(
        code(&format!("{BASE}globalPolicyEvaluationMode: null\n")),
        (
            ErrorCode::PolicyInvalidType,
            "/globalPolicyEvaluationMode".to_owned()
        )
    );
}

#[test]
fn minimal_policy_loads() {
    let p = load(BASE).unwrap();
    assert_eq!(
        p.default_rule().evaluation_mode,
        EvaluationMode::AlwaysAllow
    );
    assert_eq!(p.global_mode(), GlobalPolicyEvaluationMode::Disable);
}

#[test]
fn output_only_fields_are_accepted() {
    let text =
        format!("name: projects/p/policy\nupdateTime: '2024-01-01T00:00:00Z'\netag: abc\n{BASE}");
    assert!(load(&text).is_ok());
}

#[test]
fn shape_errors_have_codes_and_paths() {
    assert_eq!(
        code(&format!("{BASE}bogus: 1\n")),
        (ErrorCode::PolicyUnknownField, "/bogus".into())
    );
    assert_eq!(
        code("defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n"),
        (
            ErrorCode::PolicyMissingField,
            "/defaultAdmissionRule/enforcementMode".into()
        )
    );
    assert_eq!(
        code("description: x\n"),
        (
            ErrorCode::PolicyMissingField,
            "/defaultAdmissionRule".into()
        )
    );
    assert_eq!(
        code(
            "defaultAdmissionRule:\n  evaluationMode: SOMETIMES\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        ),
        (
            ErrorCode::PolicyInvalidValue,
            "/defaultAdmissionRule/evaluationMode".into()
        )
    );
    assert_eq!(
        code(&format!("{BASE}admissionWhitelistPatterns: x\n")),
        (
            ErrorCode::PolicyInvalidType,
            "/admissionWhitelistPatterns".into()
        )
    );
    assert_eq!(code("[]"), (ErrorCode::PolicyInvalidType, "".into()));
    assert_eq!(
        code(&format!(
            "{BASE}admissionWhitelistPatterns:\n- namePattern: a\n- pattern: b\n"
        )),
        (
            ErrorCode::PolicyUnknownField,
            "/admissionWhitelistPatterns/1/pattern".into()
        )
    );
}

#[test]
fn validation_rules() {
    let rule = |eval: &str, enf: &str, by: &str| {
        format!("defaultAdmissionRule:\n  evaluationMode: {eval}\n  enforcementMode: {enf}\n{by}")
    };
    assert_eq!(
        code(&rule(
            "EVALUATION_MODE_UNSPECIFIED",
            "ENFORCED_BLOCK_AND_AUDIT_LOG",
            ""
        ))
        .0,
        ErrorCode::PolicyModeUnspecified
    );
    assert_eq!(
        code(&rule("ALWAYS_DENY", "ENFORCEMENT_MODE_UNSPECIFIED", "")),
        (
            ErrorCode::PolicyModeUnspecified,
            "/defaultAdmissionRule/enforcementMode".into()
        )
    );
    assert_eq!(
        code(&rule("REQUIRE_ATTESTATION", "DRYRUN_AUDIT_LOG_ONLY", "")),
        (
            ErrorCode::PolicyAttestorsRequired,
            "/defaultAdmissionRule/requireAttestationsBy".into()
        )
    );
    assert_eq!(
        code(&rule(
            "ALWAYS_ALLOW",
            "DRYRUN_AUDIT_LOG_ONLY",
            "  requireAttestationsBy: [projects/p/attestors/a]\n"
        ))
        .0,
        ErrorCode::PolicyAttestorsNotAllowed
    );
    assert_eq!(
        code(&rule(
            "REQUIRE_ATTESTATION",
            "DRYRUN_AUDIT_LOG_ONLY",
            "  requireAttestationsBy: [projects/p/notes/a]\n"
        )),
        (
            ErrorCode::PolicyInvalidAttestorName,
            "/defaultAdmissionRule/requireAttestationsBy/0".into()
        )
    );
    assert_eq!(
        code(&rule(
            "REQUIRE_ATTESTATION",
            "DRYRUN_AUDIT_LOG_ONLY",
            "  requireAttestationsBy: [projects/p/attestors/a, projects/p/attestors/a]\n"
        ))
        .0,
        ErrorCode::PolicyDuplicateAttestor
    );
    assert_eq!(
        code(&format!(
            "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/p/n*x\n"
        )),
        (
            ErrorCode::PolicyInvalidPattern,
            "/admissionWhitelistPatterns/0/namePattern".into()
        )
    );
    let cluster = format!(
        "{BASE}clusterAdmissionRules:\n  prod:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    );
    assert_eq!(
        code(&cluster),
        (
            ErrorCode::PolicyInvalidRuleKey,
            "/clusterAdmissionRules/prod".into()
        )
    );
    let istio = format!(
        "{BASE}istioServiceIdentityAdmissionRules:\n  spiffe://d/ns/a/sa/b:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  d/ns/a/sa/b:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    );
    assert_eq!(
        code(&istio),
        (
            ErrorCode::PolicyDuplicateRuleKey,
            "/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a~1sa~1b".into()
        )
    );
}

#[test]
fn rule_precedence_is_most_specific_first() {
    let r = |m: &str| {
        format!("    evaluationMode: {m}\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
    };
    let text = format!(
        "{BASE}clusterAdmissionRules:\n  us-central1-a.prod:\n{}kubernetesNamespaceAdmissionRules:\n  ns:\n{}kubernetesServiceAccountAdmissionRules:\n  ns:sa:\n{}istioServiceIdentityAdmissionRules:\n  d.svc.id.goog/ns/ns/sa/sa:\n{}",
        r("ALWAYS_DENY"),
        r("ALWAYS_DENY"),
        r("ALWAYS_DENY"),
        r("ALWAYS_DENY")
    );
    let p = load(&text).unwrap();
    // Exhaustive truth table over the four specific targets.
    for mask in 0u8..16 {
        let t = Target {
            cluster: Some(if mask & 1 != 0 {
                "us-central1-a.prod"
            } else {
                "us-central1-b.prod"
            }),
            namespace: if mask & 2 != 0 { "ns" } else { "other" },
            service_account: if mask & 4 != 0 { "sa" } else { "default" },
            mesh_identity: Some(if mask & 8 != 0 {
                "spiffe://d.svc.id.goog/ns/ns/sa/sa"
            } else {
                "x/ns/a/sa/b"
            }),
        };
        let expected = if mask & 8 != 0 {
            RuleKind::IstioIdentity
        } else if mask & 6 == 6 {
            RuleKind::ServiceAccount
        } else if mask & 2 != 0 {
            RuleKind::Namespace
        } else if mask & 1 != 0 {
            RuleKind::Cluster
        } else {
            RuleKind::Default
        };
        assert_eq!(p.select_rule(&t).kind, expected, "mask {mask:04b}");
    }
}

#[test]
fn a_scalar_policy_is_the_same_error_as_text_and_as_value() {
    // Fuzz finding (policy_json): `1.1` as text was POLICY_YAML_AMBIGUOUS, as a value
    // POLICY_INVALID_TYPE. A policy that is not an object is refused as such either way.
    for text in ["1.1", "yes", "017", "1:30"] {
        let from_text = Policy::from_text(text).unwrap_err();
        assert_eq!(from_text.code(), ErrorCode::PolicyInvalidType, "{text}");
    }
    let value = serde_json::from_str::<Value>("1.1").unwrap();
    let from_value = Policy::from_value(value, &Limits::DEFAULT).unwrap_err();
    assert_eq!(from_value.code(), ErrorCode::PolicyInvalidType);
}

#[test]
fn system_policy_accepts_an_export() {
    let text = "name: locations/global/policy\nglobalPolicyEvaluationMode: ENABLE\nadmissionWhitelistPatterns:\n- namePattern: gke.gcr.io/**\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";
    let sp = SystemPolicy::from_text_with_limits(text, &Limits::DEFAULT).unwrap();
    assert!(sp.patterns().first_match("gke.gcr.io/x:1").is_some());
    assert_eq!(
        SystemPolicy::built_in().patterns().patterns().len(),
        BUILT_IN_SYSTEM_PATTERNS.len()
    );
}

#[test]
fn round_trip_through_serialization() {
    let text = format!(
        "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/a/*\nclusterAdmissionRules:\n  us-east1.c:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: DRYRUN_AUDIT_LOG_ONLY\n    requireAttestationsBy: [projects/p/attestors/a]\n"
    );
    let p = load(&text).unwrap();
    let json = serde_json::to_string(p.document()).unwrap();
    let again = Policy::from_text(&json).unwrap();
    assert_eq!(again.document(), p.document());
}
