use serde_json::{Value, json};

use super::super::{CheckKind, PlatformPolicy, Scope, Threshold};
use crate::error::{ErrorCode, Subject};
use crate::limits::Limits;

const EC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\n-----END PUBLIC KEY-----\n";

fn load(v: Value) -> Result<PlatformPolicy, (ErrorCode, String)> {
    PlatformPolicy::from_value(v, &Limits::DEFAULT).map_err(|e| {
        assert_eq!(e.subject(), Subject::PlatformPolicy);
        (e.code(), e.path().to_owned())
    })
}

fn text(t: &str) -> Result<PlatformPolicy, (ErrorCode, String)> {
    PlatformPolicy::from_text(t).map_err(|e| (e.code(), e.path().to_owned()))
}

fn err(v: Value) -> (ErrorCode, String) {
    match load(v) {
        Ok(_) => panic!("loaded"),
        Err(e) => e,
    }
}

/// A policy with one default set holding `check`.
fn with_check(check: Value) -> Value {
    json!({"gkePolicy": {"checkSets": [{"checks": [check]}]}})
}

const CHECK0: &str = "/gkePolicy/checkSets/0/checks/0";

const EXAMPLE_A: &str = "gkePolicy:
  checkSets:
  - checks:
    - trustedDirectoryCheck:
        trustedDirPatterns:
        - us-central1-docker.pkg.dev/my-project/my-directory
      displayName: My trusted directory check
    - imageFreshnessCheck:
        maxUploadAgeDays: 30
      displayName: My image freshness check
    displayName: My trusted directory and image freshness check set
";

const EXAMPLE_B: &str = "gkePolicy:
  checkSets:
  - displayName: \"Prod check set\"
    scope:
      kubernetesNamespace: \"prod-namespace\"
    checks:
    - trustedDirectoryCheck:
        trustedDirPatterns: \"gcr.io/my-project/prod-images\"
    - imageFreshnessCheck:
        maxUploadAgeDays: 30
  - displayName: \"Dev check set\"
    scope:
      kubernetesNamespace: \"dev-namespace\"
    checks:
    - trustedDirectoryCheck:
        trustedDirPatterns: \"gcr.io/my-project/dev-images\"
  - displayName: \"Default check set\"
    checks:
    - alwaysDeny: true
";

#[test]
fn example_a_loads() {
    let p = text(EXAMPLE_A).unwrap();
    assert_eq!(p.check_sets.len(), 1);
    let set = &p.check_sets[0];
    assert_eq!(set.scope, Scope::Default);
    assert_eq!(set.checks.len(), 2);
    assert!(matches!(
        set.checks[1].kind,
        CheckKind::ImageFreshness {
            max_upload_age_days: 30
        }
    ));
    assert_eq!(set.checks[0].display_name, "My trusted directory check");
}

#[test]
fn example_b_wraps_scalars() {
    let p = text(EXAMPLE_B).unwrap();
    assert_eq!(
        p.canonical["gkePolicy"]["checkSets"][0]["checks"][0]["trustedDirectoryCheck"]["trustedDirPatterns"],
        json!(["gcr.io/my-project/prod-images"])
    );
    assert_eq!(
        p.check_sets[1].scope,
        Scope::Namespace("dev-namespace".into())
    );
    assert!(matches!(
        p.check_sets[2].checks[0].kind,
        CheckKind::AlwaysDeny
    ));
}

#[test]
fn maps_for_lists_and_errors_keep_the_written_path() {
    // Example D's shape: maps where the schema has lists.
    let doc = json!({"gkePolicy": {"checkSets": {"checks": {"simpleSigningAttestationCheck": {
        "containerAnalysisAttestationProjects": ["projects/p1", "projects/p2"],
        "attestationAuthenticators": {"pkixPublicKeySet": {"pkixPublicKeys": {
            "publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}}}}}}}});
    let p = load(doc.clone()).unwrap();
    let CheckKind::SimpleSigningAttestation {
        authenticators,
        projects,
    } = &p.check_sets[0].checks[0].kind
    else {
        panic!("kind")
    };
    assert_eq!(projects, &["p1", "p2"]);
    assert!(authenticators[0].keys[0].id().starts_with("ni:///sha-256;"));
    assert!(
        p.canonical["gkePolicy"]["checkSets"][0]["checks"][0]["simpleSigningAttestationCheck"]
            ["attestationAuthenticators"][0]["pkixPublicKeySet"]["pkixPublicKeys"][0]
            .is_object()
    );
    let mut bad = doc;
    bad["gkePolicy"]["checkSets"]["checks"]["simpleSigningAttestationCheck"]["attestationAuthenticators"]
        ["pkixPublicKeySet"]["pkixPublicKeys"]["publicKeyPem"] = json!("junk");
    assert_eq!(
        err(bad),
        (
            ErrorCode::PlatformInvalidKey,
            "/gkePolicy/checkSets/checks/simpleSigningAttestationCheck/attestationAuthenticators/pkixPublicKeySet/pkixPublicKeys/publicKeyPem".into()
        )
    );
}

#[test]
fn integers_nulls_and_empty_lists() {
    let p = load(with_check(
        json!({"imageFreshnessCheck": {"maxUploadAgeDays": "7"}, "displayName": null, "imageAllowlist": []}),
    ))
    .unwrap();
    assert!(matches!(
        p.check_sets[0].checks[0].kind,
        CheckKind::ImageFreshness {
            max_upload_age_days: 7
        }
    ));
    assert!(p.check_sets[0].checks[0].allowlist.is_none());
    assert_eq!(
        p.canonical["gkePolicy"]["checkSets"][0]["checks"][0],
        json!({"imageFreshnessCheck": {"maxUploadAgeDays": 7}})
    );
    let days = |v: Value| {
        err(with_check(
            json!({"imageFreshnessCheck": {"maxUploadAgeDays": v}}),
        ))
    };
    let at = format!("{CHECK0}/imageFreshnessCheck/maxUploadAgeDays");
    assert_eq!(
        days(json!("7d")),
        (ErrorCode::PlatformInvalidType, at.clone())
    );
    assert_eq!(
        days(json!(7.5)),
        (ErrorCode::PlatformInvalidType, at.clone())
    );
    assert_eq!(
        days(json!(true)),
        (ErrorCode::PlatformInvalidType, at.clone())
    );
    assert_eq!(
        days(json!("4294967296")),
        (ErrorCode::PlatformInvalidValue, at.clone())
    );
    assert_eq!(
        days(json!(0)),
        (ErrorCode::PlatformInvalidMaxAge, at.clone())
    );
    assert_eq!(days(json!("-1")), (ErrorCode::PlatformInvalidMaxAge, at));
    assert_eq!(
        err(with_check(json!({"imageFreshnessCheck": {}}))),
        (
            ErrorCode::PlatformInvalidMaxAge,
            format!("{CHECK0}/imageFreshnessCheck")
        )
    );
}

#[test]
fn shape_errors() {
    assert_eq!(
        err(json!({"gkePolicy": {"checksets": []}})),
        (
            ErrorCode::PlatformUnknownField,
            "/gkePolicy/checksets".into()
        )
    );
    assert_eq!(
        err(json!({"gkePolicy": {"check_sets": null}})),
        (
            ErrorCode::PlatformUnknownField,
            "/gkePolicy/check_sets".into()
        )
    );
    assert_eq!(
        err(json!({"gkePolicy": {"imageAllowlist": [{"allowPattern": "gcr.io/p/x"}]}})),
        (
            ErrorCode::PlatformListForMessage,
            "/gkePolicy/imageAllowlist".into()
        )
    );
    let e = PlatformPolicy::from_value(
        json!({"gkePolicy": {"imageAllowlist": [{"allowPattern": "a/b"}, {"allowPattern": "c/d"}]}}),
        &Limits::DEFAULT,
    )
    .unwrap_err();
    assert!(
        e.message()
            .contains(r#"write `imageAllowlist: {"allowPattern":["a/b","c/d"]}`"#),
        "{}",
        e.message()
    );
    assert_eq!(
        err(json!({"gkePolicy": {"checkSets": "x"}})),
        (
            ErrorCode::PlatformInvalidType,
            "/gkePolicy/checkSets".into()
        )
    );
    assert_eq!(
        err(json!({"gkePolicy": {"checkSets": [null]}})),
        (
            ErrorCode::PlatformInvalidType,
            "/gkePolicy/checkSets/0".into()
        )
    );
    assert_eq!(
        err(json!({"gkePolicy": {"checkSets": [{"displayName": ["a"]}]}})),
        (
            ErrorCode::PlatformInvalidType,
            "/gkePolicy/checkSets/0/displayName".into()
        )
    );
    assert_eq!(
        err(with_check(
            json!({"vulnerabilityCheck": {"maximumFixableSeverity": "SEVERE"}})
        )),
        (
            ErrorCode::PlatformInvalidValue,
            format!("{CHECK0}/vulnerabilityCheck/maximumFixableSeverity")
        )
    );
    assert_eq!(
        err(json!([])),
        (ErrorCode::PlatformInvalidType, String::new())
    );
}

#[test]
fn unsupported_documents() {
    assert_eq!(
        err(json!({"cloudRunPolicy": {}})),
        (ErrorCode::PlatformUnsupported, "/cloudRunPolicy".into())
    );
    assert_eq!(
        err(json!({"description": "x"})),
        (ErrorCode::PlatformUnsupported, String::new())
    );
    assert_eq!(
        err(json!({"name": "projects/p/platforms/cloudRun/policies/x", "gkePolicy": {}})),
        (ErrorCode::PlatformUnsupported, "/name".into())
    );
    assert_eq!(
        err(json!({"name": "my-policy", "gkePolicy": {}})),
        (ErrorCode::PlatformInvalidValue, "/name".into())
    );
    let p = load(
        json!({"name": "projects/123/platforms/gke/policies/x", "description": "d",
        "updateTime": "2024-01-01T00:00:00Z", "etag": "e", "gkePolicy": {}}),
    )
    .unwrap();
    assert_eq!(p.name(), Some("projects/123/platforms/gke/policies/x"));
    assert!(p.check_sets.is_empty());
}

#[test]
fn check_set_rules() {
    let sets = |sets: Value| err(json!({"gkePolicy": {"checkSets": sets}}));
    let deny = json!([{"alwaysDeny": true}]);
    let ns = |n: &str| json!({"scope": {"kubernetesNamespace": n}, "checks": deny});
    let sa = |n: &str| json!({"scope": {"kubernetesServiceAccount": n}, "checks": deny});
    let default = json!({"checks": deny});
    assert_eq!(
        sets(json!([ns("a")])),
        (
            ErrorCode::PlatformDefaultCheckSet,
            "/gkePolicy/checkSets".into()
        )
    );
    assert_eq!(
        sets(json!([default, ns("a")])),
        (
            ErrorCode::PlatformDefaultCheckSet,
            "/gkePolicy/checkSets/0".into()
        )
    );
    assert_eq!(
        sets(json!([default, default])),
        (
            ErrorCode::PlatformDefaultCheckSet,
            "/gkePolicy/checkSets/0".into()
        )
    );
    assert_eq!(
        sets(json!([ns("a"), ns("a"), default])),
        (
            ErrorCode::PlatformDuplicateScope,
            "/gkePolicy/checkSets/1/scope".into()
        )
    );
    assert_eq!(
        sets(json!([sa("a:x"), sa("a:x"), default])),
        (
            ErrorCode::PlatformDuplicateScope,
            "/gkePolicy/checkSets/1/scope".into()
        )
    );
    assert_eq!(
        sets(json!([ns("a"), sa("a:x"), default])),
        (
            ErrorCode::PlatformScopeOrder,
            "/gkePolicy/checkSets/1/scope".into()
        )
    );
    assert_eq!(
        sets(
            json!([{"scope": {"kubernetesNamespace": "a", "kubernetesServiceAccount": "a:b"}}, default])
        ),
        (
            ErrorCode::PlatformInvalidScope,
            "/gkePolicy/checkSets/0/scope".into()
        )
    );
    assert_eq!(
        sets(json!([ns("Bad"), default])),
        (
            ErrorCode::PlatformInvalidScope,
            "/gkePolicy/checkSets/0/scope/kubernetesNamespace".into()
        )
    );
    assert_eq!(
        sets(json!([sa("nocolon"), default])),
        (
            ErrorCode::PlatformInvalidScope,
            "/gkePolicy/checkSets/0/scope/kubernetesServiceAccount".into()
        )
    );
    // An SA set before its namespace's set, other namespaces in any order; empty scope is the
    // default.
    let p = load(
        json!({"gkePolicy": {"checkSets": [sa("a:x"), ns("b"), ns("a"), sa("c:y"),
        {"scope": {"kubernetesNamespace": ""}, "checks": deny}]}}),
    )
    .unwrap();
    assert_eq!(p.check_sets.len(), 5);
    assert_eq!(p.check_sets[4].scope, Scope::Default);
}

#[test]
fn check_rules() {
    assert_eq!(
        err(with_check(json!({"alwaysDeny": false}))),
        (
            ErrorCode::PlatformAlwaysDenyFalse,
            format!("{CHECK0}/alwaysDeny")
        )
    );
    assert_eq!(
        err(with_check(json!({"displayName": "x"}))),
        (ErrorCode::PlatformCheckKind, CHECK0.into())
    );
    assert_eq!(
        err(with_check(
            json!({"alwaysDeny": true, "trustedDirectoryCheck": {"trustedDirPatterns": "gcr.io/p"}})
        )),
        (ErrorCode::PlatformCheckKind, CHECK0.into())
    );
    assert_eq!(
        err(with_check(
            json!({"vulnerabilityCheck": {"maximumFixableSeverity": "LOW",
            "maximumUnfixableSeverity": "MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED"}})
        )),
        (
            ErrorCode::PlatformSeverityUnspecified,
            format!("{CHECK0}/vulnerabilityCheck/maximumUnfixableSeverity")
        )
    );
    assert_eq!(
        err(with_check(
            json!({"vulnerabilityCheck": {"maximumFixableSeverity": "LOW"}})
        )),
        (
            ErrorCode::PlatformSeverityUnspecified,
            format!("{CHECK0}/vulnerabilityCheck")
        )
    );
    assert_eq!(
        err(with_check(
            json!({"slsaCheck": {"rules": {"trustedBuilder": "BUILDER_UNSPECIFIED"}}})
        )),
        (
            ErrorCode::PlatformUnsupportedBuilder,
            format!("{CHECK0}/slsaCheck/rules/trustedBuilder")
        )
    );
    assert_eq!(
        err(with_check(json!({"trustedDirectoryCheck": {}}))),
        (
            ErrorCode::PlatformMissingField,
            format!("{CHECK0}/trustedDirectoryCheck")
        )
    );
    assert_eq!(
        err(with_check(
            json!({"trustedDirectoryCheck": {"trustedDirPatterns": ["gcr.io/p", "gcr.i*"]}})
        )),
        (
            ErrorCode::PlatformInvalidDirectoryPattern,
            format!("{CHECK0}/trustedDirectoryCheck/trustedDirPatterns/1")
        )
    );
    assert_eq!(
        err(json!({"gkePolicy": {"imageAllowlist": {"allowPattern": "*"}}})),
        (
            ErrorCode::PlatformInvalidAllowPattern,
            "/gkePolicy/imageAllowlist/allowPattern".into()
        )
    );
    let vuln = load(with_check(json!({"vulnerabilityCheck": {"maximumFixableSeverity": "BLOCK_ALL",
        "maximumUnfixableSeverity": "ALLOW_ALL", "allowedCves": "CVE-1", "blockedCves": ["CVE-2", "CVE-2"],
        "containerAnalysisVulnerabilityProjects": "projects/my-project"}})))
    .unwrap();
    let CheckKind::Vulnerability(v) = &vuln.check_sets[0].checks[0].kind else {
        panic!("kind")
    };
    assert_eq!(v.maximum_fixable, Threshold::BlockAll);
    assert_eq!(v.maximum_unfixable, Threshold::AllowAll);
    assert_eq!(v.blocked_cves.len(), 1);
    assert_eq!(v.projects, ["my-project"]);
}

#[test]
fn slsa_rules_load() {
    let p = load(with_check(json!({"slsaCheck": {"rules": [{"trustedBuilder": "GOOGLE_CLOUD_BUILD",
        "attestationSource": {"containerAnalysisAttestationProjects": "projects/attestation-project1"},
        "configBasedBuildRequired": true,
        "trustedSourceRepoPatterns": ["source.cloud.google.com/my-project/my-source-repo", "github.com/my-github-user/*"]}]}})))
    .unwrap();
    let CheckKind::Slsa { rules } = &p.check_sets[0].checks[0].kind else {
        panic!("kind")
    };
    assert_eq!(rules[0].projects, ["attestation-project1"]);
    assert!(rules[0].config_based_build_required);
    assert!(rules[0].repo_patterns[1].matches_url("https://github.com/my-github-user/repo"));
    assert!(rules[0].custom_constraints.is_none());
    // The documentation's list-for-message form.
    assert_eq!(
        err(with_check(
            json!({"slsaCheck": {"rules": [{"trustedBuilder": "GOOGLE_CLOUD_BUILD",
            "attestationSource": [{"containerAnalysisAttestationProjects": "projects/attestation-project1"}]}]}})
        )),
        (
            ErrorCode::PlatformListForMessage,
            format!("{CHECK0}/slsaCheck/rules/0/attestationSource")
        )
    );
    assert_eq!(
        err(with_check(
            json!({"slsaCheck": {"rules": [{"trustedBuilder": "GOOGLE_CLOUD_BUILD",
            "trustedSourceRepoPatterns": "https://github.com/o/r"}]}})
        )),
        (
            ErrorCode::PlatformInvalidRepoPattern,
            format!("{CHECK0}/slsaCheck/rules/0/trustedSourceRepoPatterns")
        )
    );
}

#[test]
fn keys_and_projects() {
    let ssa = |auth: Value, projects: Value| {
        with_check(
            json!({"simpleSigningAttestationCheck": {"attestationAuthenticators": auth,
            "containerAnalysisAttestationProjects": projects}}),
        )
    };
    let key = |alg: &str, id: &str| json!({"pkixPublicKeySet": {"pkixPublicKeys": [{"publicKeyPem": EC_PEM, "signatureAlgorithm": alg, "keyId": id}]}});
    let base = format!("{CHECK0}/simpleSigningAttestationCheck");
    let k0 = format!("{base}/attestationAuthenticators/0/pkixPublicKeySet/pkixPublicKeys/0");
    assert!(load(ssa(json!([key("EC_SIGN_P256_SHA256", "")]), json!([]))).is_ok());
    assert_eq!(
        err(ssa(json!([key("RSA_PSS_2048_SHA256", "")]), json!([]))),
        (
            ErrorCode::PlatformAlgorithmMismatch,
            format!("{k0}/signatureAlgorithm")
        )
    );
    assert_eq!(
        err(ssa(json!([key("ED25519", "")]), json!([]))),
        (
            ErrorCode::PlatformInvalidValue,
            format!("{k0}/signatureAlgorithm")
        )
    );
    assert_eq!(
        err(ssa(
            json!([key("SIGNATURE_ALGORITHM_UNSPECIFIED", "")]),
            json!([])
        )),
        (
            ErrorCode::PlatformInvalidValue,
            format!("{k0}/signatureAlgorithm")
        )
    );
    assert_eq!(
        err(ssa(json!([key("ECDSA_P256_SHA256", "a b")]), json!([]))),
        (ErrorCode::PlatformInvalidKeyId, format!("{k0}/keyId"))
    );
    let two = json!([{"pkixPublicKeySet": {"pkixPublicKeys": [
        {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"},
        {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}]}}]);
    assert_eq!(err(ssa(two, json!([]))).0, ErrorCode::PlatformInvalidKeyId);
    assert_eq!(
        err(ssa(json!([]), json!([]))),
        (
            ErrorCode::PlatformKeysRequired,
            format!("{base}/attestationAuthenticators")
        )
    );
    assert_eq!(
        err(ssa(json!([{"displayName": "x"}]), json!([]))),
        (
            ErrorCode::PlatformKeysRequired,
            format!("{base}/attestationAuthenticators/0")
        )
    );
    assert_eq!(
        err(ssa(
            json!([key("ECDSA_P256_SHA256", "")]),
            json!("my-project")
        )),
        (
            ErrorCode::PlatformInvalidProject,
            format!("{base}/containerAnalysisAttestationProjects")
        )
    );
    let eleven: Vec<String> = (0..11).map(|i| format!("projects/p{i}")).collect();
    assert_eq!(
        err(ssa(json!([key("ECDSA_P256_SHA256", "")]), json!(eleven))),
        (
            ErrorCode::PlatformTooManyProjects,
            format!("{base}/containerAnalysisAttestationProjects")
        )
    );
    // Sigstore keys: no algorithm, no id.
    let p = load(with_check(json!({"sigstoreSignatureCheck": {"sigstoreAuthorities": {
        "displayName": "sigstore-authority", "publicKeySet": {"publicKeys": {"publicKeyPem": EC_PEM}}}}})))
    .unwrap();
    let CheckKind::SigstoreSignature { authorities } = &p.check_sets[0].checks[0].kind else {
        panic!("kind")
    };
    assert!(authorities[0].keys[0].id().is_none());
    assert_eq!(
        err(with_check(
            json!({"sigstoreSignatureCheck": {"sigstoreAuthorities": [{"publicKeySet": {}}]}})
        )),
        (
            ErrorCode::PlatformKeysRequired,
            format!("{CHECK0}/sigstoreSignatureCheck/sigstoreAuthorities/0/publicKeySet")
        )
    );
}

#[test]
fn limits_apply() {
    let mut limits = Limits::DEFAULT;
    limits.max_platform_check_sets = 1;
    let two = json!({"gkePolicy": {"checkSets": [
        {"scope": {"kubernetesNamespace": "a"}}, {}]}});
    let e = PlatformPolicy::from_value(two.clone(), &limits).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PlatformTooLarge);
    assert!(PlatformPolicy::from_value(two, &Limits::DEFAULT).is_ok());
    let mut limits = Limits::DEFAULT;
    limits.max_platform_patterns = 1;
    let e = PlatformPolicy::from_value(
        json!({"gkePolicy": {"imageAllowlist": {"allowPattern": ["a/b", "c/d"]}}}),
        &limits,
    )
    .unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        (
            ErrorCode::PlatformTooLarge,
            "/gkePolicy/imageAllowlist/allowPattern/1"
        )
    );
    let mut limits = Limits::DEFAULT;
    limits.max_platform_checks_per_set = 1;
    let e = PlatformPolicy::from_value(
        json!({"gkePolicy": {"checkSets": [{"checks": [{"alwaysDeny": true}, {"alwaysDeny": true}]}]}}),
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::PlatformTooLarge);
    let mut limits = Limits::DEFAULT;
    limits.max_platform_keys = 0;
    let e = PlatformPolicy::from_value(
        with_check(json!({"sigstoreSignatureCheck": {"sigstoreAuthorities": {
            "publicKeySet": {"publicKeys": {"publicKeyPem": EC_PEM}}}}})),
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::PlatformTooLarge);
}

#[test]
fn yaml_readings_are_checked() {
    let e = text("gkePolicy:\n  checkSets:\n  - scope:\n      kubernetesNamespace: on\n    checks:\n    - alwaysDeny: true\n")
        .unwrap_err();
    assert_eq!(
        e,
        (
            ErrorCode::PlatformYamlAmbiguous,
            "/gkePolicy/checkSets/0/scope/kubernetesNamespace".into()
        )
    );
    let e = PlatformPolicy::from_text("gkePolicy: [").unwrap_err();
    assert_eq!(e.subject(), Subject::PlatformPolicy);
}

#[test]
fn canonical_json_keeps_schema_order() {
    let p = text(EXAMPLE_A).unwrap();
    let json = p.canonical_json();
    assert!(
        json.starts_with(
            r#"{"gkePolicy":{"checkSets":[{"displayName":"My trusted directory and image freshness check set","checks":[{"displayName":"My trusted directory check","trustedDirectoryCheck":{"trustedDirPatterns":["#
        ),
        "{json}"
    );
    let back: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, p.canonical());
    let q = load(
        json!({"etag": "e", "name": "projects/p/platforms/gke/policies/x",
        "gkePolicy": {"checkSets": [], "imageAllowlist": {"allowPattern": "a/b"}}}),
    )
    .unwrap();
    assert_eq!(
        q.canonical_json(),
        r#"{"name":"projects/p/platforms/gke/policies/x","gkePolicy":{"imageAllowlist":{"allowPattern":["a/b"]},"checkSets":[]},"etag":"e"}"#
    );
}

#[test]
fn adversarial_yaml_fails_closed() {
    // Duplicate keys: the later one must not silently replace a stricter earlier one.
    let dup = "gkePolicy:\n  checkSets:\n  - checks:\n    - alwaysDeny: true\n    checks: []\n";
    assert!(text(dup).is_err(), "duplicate key accepted");
    let dup_json =
        r#"{"gkePolicy": {"checkSets": [{"checks": [{"alwaysDeny": true}], "checks": []}]}}"#;
    assert!(text(dup_json).is_err(), "duplicate JSON key accepted");
    // Merge keys are not part of the schema: `<<` is an unknown field, never a merge.
    let merge = "gkePolicy:\n  checkSets:\n  - checks:\n    - &c {alwaysDeny: true, displayName: a}\n    - <<: *c\n";
    assert!(text(merge).is_err(), "merge key accepted");
    // Aliases expand within the budget (a plain alias is fine)…
    let alias =
        "gkePolicy:\n  checkSets:\n  - checks:\n    - &c\n      alwaysDeny: true\n    - *c\n";
    if let Ok(p) = text(alias) {
        assert_eq!(p.check_sets[0].checks.len(), 2);
    }
    // …and a billion-laughs bomb is refused.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    bomb.push_str("gkePolicy: {}\n");
    assert!(text(&bomb).is_err(), "alias bomb accepted");
    // Numbers: huge, negative, fractional, exotic strings.
    for days in [
        json!(0),
        json!(-1),
        json!(1.5),
        json!("1.5"),
        json!("-1"),
        json!(2_147_483_648_i64),
        json!("99999999999999999999999"),
        json!(u64::MAX),
        json!("0x10"),
        json!("1e3"),
        json!(true),
        json!(null),
    ] {
        let r = load(with_check(
            json!({"imageFreshnessCheck": {"maxUploadAgeDays": days.clone()}}),
        ));
        assert!(r.is_err(), "maxUploadAgeDays {days} accepted");
    }
    // Deeply nested wrapped scalars: a list where a scalar belongs is refused, not unwrapped.
    let r = load(with_check(
        json!({"imageFreshnessCheck": {"maxUploadAgeDays": [[[[30]]]]}}),
    ));
    assert!(r.is_err(), "nested list accepted");
    let r = load(with_check(
        json!({"trustedDirectoryCheck": {"trustedDirPatterns": [["gcr.io/p/**"]]}}),
    ));
    assert!(r.is_err(), "nested pattern list accepted");
}
