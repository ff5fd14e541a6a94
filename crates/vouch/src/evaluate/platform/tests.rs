//! Unit tests of platform-policy evaluation, on compiled policies built directly (the loader
//! is tested in `policy/platform/`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::PlatformOptions;
use super::vulnerability::exceeds;
use crate::decision::platform::{
    PlatformDetailCode as Code, PlatformResponse, PlatformVerdict as V,
};
use crate::evidence::Evidence;
use crate::evidence::vulnerability::Severity;
use crate::limits::Limits;
use crate::policy::platform::{
    Allowlist, Authenticator, Check, CheckKind, CheckSet, PlatformPolicy, Scope, Threshold,
    VulnerabilityCheck,
};
use crate::request::{Request, RequestBuilder};
use crate::time::Timestamp;
use crate::verify::attestor::Attestor;
use crate::verify::trust::TrustMaterial;
use crate::{KeyAlgorithm, SigningKey};

const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const OTHER: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const REPO: &str = "us-docker.pkg.dev/prod/app/web";

fn image() -> String {
    format!("{REPO}@{DIGEST}")
}

fn check(name: &str, kind: CheckKind) -> Check {
    Check {
        display_name: name.to_owned(),
        allowlist: None,
        kind,
    }
}

fn set(name: &str, scope: Scope, checks: Vec<Check>) -> CheckSet {
    CheckSet {
        display_name: name.to_owned(),
        scope,
        allowlist: None,
        checks,
    }
}

fn policy(check_sets: Vec<CheckSet>) -> PlatformPolicy {
    PlatformPolicy {
        canonical: Value::Null,
        name: None,
        allowlist: Allowlist::default(),
        check_sets,
    }
}

fn now(t: &str) -> Timestamp {
    Timestamp::parse_rfc3339(t).unwrap()
}

fn images(list: &[&str]) -> Request {
    RequestBuilder::for_images(list.iter().copied())
        .build()
        .unwrap()
}

fn pod(namespace: &str, service_account: Option<&str>, images: &[&str]) -> Request {
    let containers: Vec<Value> = images
        .iter()
        .enumerate()
        .map(|(i, image)| json!({"name": format!("c{i}"), "image": image}))
        .collect();
    let mut spec = json!({"containers": containers});
    if let Some(sa) = service_account {
        spec["serviceAccountName"] = json!(sa);
    }
    RequestBuilder::for_workload(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": namespace},
        "spec": spec,
    }))
    .build()
    .unwrap()
}

fn evidence(items: Value) -> Evidence {
    Evidence::from_value(items, &Limits::DEFAULT).unwrap()
}

fn run(p: &PlatformPolicy, request: &Request, e: &Evidence, at: &str) -> PlatformResponse {
    p.evaluate(
        request,
        e,
        &TrustMaterial::default(),
        now(at),
        &PlatformOptions::default(),
    )
}

/// (verdict, codes) of each check of the first image.
fn checks(r: &PlatformResponse) -> Vec<(V, Vec<Code>)> {
    r.results[0].image_results[0]
        .check_set_result
        .as_ref()
        .and_then(|s| s.check_results.as_ref())
        .map(|c| {
            c.results
                .iter()
                .map(|c| {
                    (
                        c.evaluation_result.as_ref().unwrap().verdict,
                        c.details.iter().map(|d| d.code).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

const T0: &str = "2026-01-01T00:00:00Z";

#[test]
fn no_check_sets_and_empty_sets_conform_with_an_explanation() {
    let r = run(&policy(vec![]), &images(&[&image()]), &Evidence::new(), T0);
    assert_eq!(r.verdict, V::Conformant);
    let img = &r.results[0].image_results[0];
    assert!(img.explanation.is_some() && img.check_set_result.is_none());
    let r = run(
        &policy(vec![set("empty", Scope::Default, vec![])]),
        &images(&[&image()]),
        &Evidence::new(),
        T0,
    );
    assert_eq!(r.verdict, V::Conformant);
    let s = r.results[0].image_results[0]
        .check_set_result
        .as_ref()
        .unwrap();
    assert!(s.explanation.is_some() && s.check_results.is_none());
    let json = r.to_json();
    assert!(json.contains(r#""index":"0""#), "{json}");
}

#[test]
fn always_deny_follows_gcps_explanation_template() {
    let p = policy(vec![set(
        "Default check set",
        Scope::Default,
        vec![check("deny", CheckKind::AlwaysDeny)],
    )]);
    let r = run(&p, &images(&[&image()]), &Evidence::new(), T0);
    assert_eq!(r.verdict, V::NonConformant);
    let c = &r.results[0].image_results[0]
        .check_set_result
        .as_ref()
        .unwrap()
        .check_results
        .as_ref()
        .unwrap()
        .results[0];
    assert_eq!(
        c.explanation,
        "AlwaysDeny at index 0 with display name \"deny\" has verdict NOT_CONFORMANT. The check always denies"
    );
    assert_eq!(c.details[0].code, Code::AlwaysDeny);
    // Image lists: no pod name, default namespace and service account.
    let pod = &r.results[0];
    assert_eq!(
        (pod.pod_name.as_str(), pod.kubernetes_namespace.as_str()),
        ("", "default")
    );
}

#[test]
fn every_check_runs_and_non_conformance_beats_errors() {
    let fresh = || {
        check(
            "fresh",
            CheckKind::ImageFreshness {
                max_upload_age_days: 30,
            },
        )
    };
    // freshness without a record is ERROR; always deny after it still runs.
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![fresh(), check("deny", CheckKind::AlwaysDeny), fresh()],
    )]);
    let r = run(&p, &images(&[&image()]), &Evidence::new(), T0);
    let verdicts: Vec<V> = checks(&r).into_iter().map(|(v, _)| v).collect();
    assert_eq!(verdicts, [V::Error, V::NonConformant, V::Error]);
    assert_eq!(r.verdict, V::NonConformant);
    let p = policy(vec![set("s", Scope::Default, vec![fresh()])]);
    assert_eq!(
        run(&p, &images(&[&image()]), &Evidence::new(), T0).verdict,
        V::Error
    );
    // Pod fold over images: one ERROR image and one CONFORMANT one → ERROR.
    let record = json!({"name": "projects/p/locations/l/repositories/r/dockerImages/web@sha256:1",
        "uri": format!("{REPO}@{OTHER}"), "uploadTime": "2025-12-31T00:00:00Z"});
    let other = format!("{REPO}@{OTHER}");
    let r = run(
        &p,
        &images(&[&image(), &other]),
        &evidence(json!([record])),
        T0,
    );
    let each: Vec<V> = r.results[0]
        .image_results
        .iter()
        .map(|i| i.verdict)
        .collect();
    assert_eq!(each, [V::Error, V::Conformant]);
    assert_eq!((r.results[0].verdict, r.verdict), (V::Error, V::Error));
}

#[test]
fn scope_selection_first_match_service_account_then_namespace_then_default() {
    let deny = |n: &str| check(n, CheckKind::AlwaysDeny);
    let p = policy(vec![
        set(
            "sa",
            Scope::ServiceAccount {
                namespace: "prod".into(),
                name: "builder".into(),
            },
            vec![deny("a")],
        ),
        set("ns", Scope::Namespace("prod".into()), vec![]),
        set("default", Scope::Default, vec![deny("b")]),
    ]);
    assert_eq!(p.select_check_set("prod", "builder"), Some(0));
    assert_eq!(p.select_check_set("prod", "default"), Some(1));
    assert_eq!(p.select_check_set("dev", "builder"), Some(2));
    assert_eq!(p.default_check_set(), Some(2));
    assert_eq!(policy(vec![]).select_check_set("prod", "x"), None);
    let e = Evidence::new();
    let index = |r: &PlatformResponse| {
        r.results[0].image_results[0]
            .check_set_result
            .as_ref()
            .unwrap()
            .index
    };
    let r = run(&p, &pod("prod", Some("builder"), &[&image()]), &e, T0);
    assert_eq!((index(&r), r.verdict), (0, V::NonConformant));
    assert_eq!(r.results[0].kubernetes_service_account, "builder");
    // No serviceAccountName: `default`.
    let r = run(&p, &pod("prod", None, &[&image()]), &e, T0);
    assert_eq!((index(&r), r.verdict), (1, V::Conformant));
    assert_eq!(r.results[0].pod_name, "web-1");
    assert_eq!(r.results[0].kubernetes_service_account, "default");
    let r = run(&p, &pod("dev", Some("builder"), &[&image()]), &e, T0);
    assert_eq!(index(&r), 2);
    // An image list always uses the default set, even with a namespace.
    let list = RequestBuilder::for_images([image()])
        .namespace("prod")
        .service_account("builder")
        .build()
        .unwrap();
    assert_eq!(index(&run(&p, &list, &e, T0)), 2);
    // The scope is written for scoped sets only.
    let r = run(&p, &pod("prod", Some("builder"), &[&image()]), &e, T0);
    let json = r.to_json();
    assert!(
        json.contains(r#""scope":{"kubernetesServiceAccount":"prod:builder"}"#),
        "{json}"
    );
}

fn record(digest: &str, uploaded: &str, tags: &[&str]) -> Value {
    json!({"name": format!("projects/p/locations/l/repositories/r/dockerImages/web@{digest}"),
        "uri": format!("{REPO}@{digest}"), "uploadTime": uploaded, "tags": tags})
}

#[test]
fn freshness_boundary_is_strict() {
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "fresh",
            CheckKind::ImageFreshness {
                max_upload_age_days: 30,
            },
        )],
    )]);
    let e = evidence(json!([record(DIGEST, "2026-01-01T00:00:00Z", &[])]));
    let req = images(&[&image()]);
    let at = |t| checks(&run(&p, &req, &e, t))[0].clone();
    assert_eq!(
        at("2026-01-31T00:00:00Z"),
        (V::Conformant, vec![Code::ImageFresh])
    );
    assert_eq!(
        at("2026-01-31T00:00:01Z"),
        (V::NonConformant, vec![Code::ImageTooOld])
    );
    // Sub-second: 30 days and a tenth of a second is too old.
    assert_eq!(at("2026-01-31T00:00:00.1Z").0, V::NonConformant);
    // Uploaded after now (clock skew): conformant.
    assert_eq!(at("2025-12-31T00:00:00Z").0, V::Conformant);
    // Another digest's record does not count: ERROR.
    let e = evidence(json!([record(OTHER, "2026-01-01T00:00:00Z", &[])]));
    assert_eq!(
        checks(&run(&p, &req, &e, T0))[0],
        (V::Error, vec![Code::NoUploadTime])
    );
    // The earliest of two records counts (fail closed).
    let e = evidence(json!([
        record(DIGEST, "2026-01-20T00:00:00Z", &[]),
        record(DIGEST, "2025-01-01T00:00:00Z", &[])
    ]));
    assert_eq!(
        checks(&run(&p, &req, &e, "2026-01-25T00:00:00Z"))[0].0,
        V::NonConformant
    );
}

#[test]
fn tag_only_images_per_p4() {
    let fresh = check(
        "fresh",
        CheckKind::ImageFreshness {
            max_upload_age_days: 30,
        },
    );
    let vuln = check("vuln", CheckKind::Vulnerability(vuln_check(&[], &[])));
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check("deny", CheckKind::AlwaysDeny), fresh, vuln],
    )]);
    let tagged = format!("{REPO}:1.0");
    let req = images(&[&tagged]);
    // A record of the repository holding the exact tag gives the upload time.
    let e = evidence(json!([
        record(DIGEST, "2026-01-01T00:00:00Z", &["1.0"]),
        scan("p", DIGEST)
    ]));
    let r = run(&p, &req, &e, T0);
    assert_eq!(
        checks(&r),
        [
            (V::NonConformant, vec![Code::AlwaysDeny]),
            (V::Conformant, vec![Code::ImageFresh]),
            (V::NonConformant, vec![Code::NoDigest]),
        ]
    );
    // Another tag, or another repository, does not.
    for other in [
        format!("{REPO}:2.0"),
        "us-docker.pkg.dev/prod/app/api:1.0".to_owned(),
    ] {
        let r = run(&p, &images(&[&other]), &e, T0);
        assert_eq!(
            checks(&r)[1],
            (V::Error, vec![Code::NoUploadTime]),
            "{other}"
        );
    }
    // With a tag resolution, digest-bound checks use it and say so.
    let options = PlatformOptions::default().with_tag_digest(tagged.clone(), DIGEST);
    let r = p.evaluate(&req, &e, &TrustMaterial::default(), now(T0), &options);
    assert_eq!(
        checks(&r),
        [
            (V::NonConformant, vec![Code::AlwaysDeny]),
            (V::Conformant, vec![Code::DigestResolved, Code::ImageFresh]),
            (
                V::Conformant,
                vec![Code::DigestResolved, Code::NoVulnerabilityViolation]
            ),
        ]
    );
}

fn vuln_check(allowed: &[&str], blocked: &[&str]) -> VulnerabilityCheck {
    VulnerabilityCheck {
        maximum_fixable: Threshold::Medium,
        maximum_unfixable: Threshold::High,
        allowed_cves: allowed.iter().map(|s| (*s).to_owned()).collect(),
        blocked_cves: blocked.iter().map(|s| (*s).to_owned()).collect(),
        projects: vec!["p".into()],
    }
}

fn scan(project: &str, digest: &str) -> Value {
    json!({"name": format!("projects/{project}/occurrences/scan-{digest}"), "kind": "DISCOVERY",
        "resourceUri": format!("https://{REPO}@{digest}"),
        "discovery": {"analysisStatus": "FINISHED_SUCCESS"}})
}

fn finding(project: &str, cve: &str, severity: &str, fixable: bool) -> Value {
    json!({"name": format!("projects/{project}/occurrences/{cve}"), "kind": "VULNERABILITY",
        "resourceUri": format!("https://{REPO}@{DIGEST}"),
        "noteName": format!("projects/goog-vulnz/notes/{cve}"),
        "vulnerability": {"effectiveSeverity": severity, "fixAvailable": fixable}})
}

#[test]
fn thresholds() {
    use Severity as S;
    use Threshold as T;
    assert!(exceeds(S::Unspecified, T::Critical));
    assert!(!exceeds(S::Unspecified, T::AllowAll));
    assert!(exceeds(S::Minimal, T::BlockAll));
    assert!(!exceeds(S::Critical, T::Critical));
    assert!(exceeds(S::High, T::Medium));
    assert!(!exceeds(S::Medium, T::Medium));
    assert!(!exceeds(S::Critical, T::AllowAll));
}

#[test]
fn vulnerability_check_per_p5() {
    let run_v = |v: VulnerabilityCheck, items: Value| {
        let p = policy(vec![set(
            "s",
            Scope::Default,
            vec![check("v", CheckKind::Vulnerability(v))],
        )]);
        checks(&run(&p, &images(&[&image()]), &evidence(items), T0)).remove(0)
    };
    // No scan: ERROR, even without findings.
    assert_eq!(
        run_v(vuln_check(&[], &[]), json!([])),
        (V::Error, vec![Code::NoValidScan])
    );
    // A scan in another project does not count.
    let (v, codes) = run_v(vuln_check(&[], &[]), json!([scan("q", DIGEST)]));
    assert_eq!(
        (v, codes),
        (V::Error, vec![Code::NoValidScan, Code::OutsideProjects])
    );
    // A clean scan passes.
    assert_eq!(
        run_v(vuln_check(&[], &[]), json!([scan("p", DIGEST)])),
        (V::Conformant, vec![Code::NoVulnerabilityViolation])
    );
    // Fixable HIGH over MEDIUM violates; unfixable HIGH under HIGH does not.
    let (v, codes) = run_v(
        vuln_check(&[], &[]),
        json!([
            scan("p", DIGEST),
            finding("p", "CVE-1", "HIGH", true),
            finding("p", "CVE-2", "HIGH", false)
        ]),
    );
    assert_eq!(
        (v, codes),
        (V::NonConformant, vec![Code::VulnerabilityOverThreshold])
    );
    // Blocked CVE at LOW violates; allowed beats blocked and the threshold.
    let (v, _) = run_v(
        vuln_check(&[], &["CVE-3"]),
        json!([scan("p", DIGEST), finding("p", "CVE-3", "LOW", true)]),
    );
    assert_eq!(v, V::NonConformant);
    let (v, codes) = run_v(
        vuln_check(&["CVE-3"], &["CVE-3"]),
        json!([scan("p", DIGEST), finding("p", "CVE-3", "CRITICAL", true)]),
    );
    assert_eq!(
        (v, codes),
        (
            V::Conformant,
            vec![
                Code::NoVulnerabilityViolation,
                Code::VulnerabilityAllowedCve
            ]
        )
    );
    // SEVERITY_UNSPECIFIED: refused by CRITICAL, passed by ALLOW_ALL.
    let mut critical = vuln_check(&[], &[]);
    critical.maximum_unfixable = Threshold::Critical;
    let items = json!([
        scan("p", DIGEST),
        finding("p", "CVE-4", "SEVERITY_UNSPECIFIED", false)
    ]);
    assert_eq!(run_v(critical.clone(), items.clone()).0, V::NonConformant);
    critical.maximum_unfixable = Threshold::AllowAll;
    assert_eq!(run_v(critical, items).0, V::Conformant);
    // A finding in an unlisted project does not count.
    let (v, codes) = run_v(
        vuln_check(&[], &[]),
        json!([scan("p", DIGEST), finding("q", "CVE-5", "CRITICAL", true)]),
    );
    assert_eq!(
        (v, codes),
        (
            V::Conformant,
            vec![Code::NoVulnerabilityViolation, Code::OutsideProjects]
        )
    );
    // No scan but a violation: ERROR, the violation listed.
    let (v, codes) = run_v(
        vuln_check(&[], &[]),
        json!([finding("p", "CVE-6", "CRITICAL", true)]),
    );
    assert_eq!(
        (v, codes),
        (
            V::Error,
            vec![Code::NoValidScan, Code::VulnerabilityOverThreshold]
        )
    );
}

/// An authenticator with one P-256 key (its default id) and that key's signer.
fn authenticator() -> (Authenticator, SigningKey) {
    let key = SigningKey::from_seed(KeyAlgorithm::P256, &[7; 32]).unwrap();
    let attestor = Attestor::from_value(
        json!({"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {
            "noteReference": "projects/p/notes/n",
            "publicKeys": [{"id": key.default_key_id(), "pkixPublicKey": {
                "publicKeyPem": key.public_key_pem(), "signatureAlgorithm": "ECDSA_P256_SHA256"}}]}}),
        &Limits::DEFAULT,
    )
    .unwrap();
    (
        Authenticator {
            display_name: "ci".into(),
            keys: attestor.keys().to_vec(),
        },
        key,
    )
}

fn attestation(project: &str, key: &SigningKey, digest_in_payload: &str, pae: bool) -> Value {
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{REPO}"}},"image":{{"docker-manifest-digest":"{digest_in_payload}"}},"type":"Google cloud binauthz container signature"}}}}"#
    );
    let signed = if pae {
        crate::verify::dsse::pae(payload.as_bytes())
    } else {
        payload.clone().into_bytes()
    };
    json!({"name": format!("projects/{project}/occurrences/att"), "kind": "ATTESTATION",
        "noteName": "projects/anything/notes/any",
        "resourceUri": format!("https://{REPO}@{DIGEST}"),
        "attestation": {"serializedPayload": STANDARD.encode(&payload), "signatures": [
            {"publicKeyId": key.default_key_id(), "signature": STANDARD.encode(key.sign(&signed))}]}})
}

#[test]
fn simple_signing_attestation_check_per_p7() {
    let (auth, key) = authenticator();
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "att",
            CheckKind::SimpleSigningAttestation {
                authenticators: vec![auth],
                projects: vec!["attest".into()],
            },
        )],
    )]);
    let req = images(&[&image()]);
    let one = |items: Value| checks(&run(&p, &req, &evidence(items), T0)).remove(0);
    // Raw and PAE both verify, whatever the note.
    for pae in [false, true] {
        assert_eq!(
            one(json!([attestation("attest", &key, DIGEST, pae)])),
            (V::Conformant, vec![Code::AttestationVerified]),
            "pae={pae}"
        );
    }
    // Another project: not counted.
    assert_eq!(
        one(json!([attestation("other", &key, DIGEST, false)])),
        (
            V::NonConformant,
            vec![Code::NoVerifiedAttestation, Code::OutsideProjects]
        )
    );
    // A signed payload for another digest: not counted.
    assert_eq!(
        one(json!([attestation("attest", &key, OTHER, false)])),
        (
            V::NonConformant,
            vec![Code::NoVerifiedAttestation, Code::AttestationRejected]
        )
    );
    // Signed by another key with the same id: bad signature.
    let stranger = SigningKey::from_seed(KeyAlgorithm::P256, &[8; 32]).unwrap();
    let mut forged = attestation("attest", &stranger, DIGEST, false);
    forged["attestation"]["signatures"][0]["publicKeyId"] = json!(key.default_key_id());
    let (v, _) = one(json!([forged]));
    assert_eq!(v, V::NonConformant);
    // A tag-only image: no digest.
    let tagged = images(&[&format!("{REPO}:1.0")]);
    let r = run(
        &p,
        &tagged,
        &evidence(json!([attestation("attest", &key, DIGEST, false)])),
        T0,
    );
    assert_eq!(checks(&r)[0], (V::NonConformant, vec![Code::NoDigest]));
}

#[test]
fn custom_constraints_are_an_error_unless_another_rule_is_met() {
    let rule = crate::policy::platform::SlsaRule {
        projects: vec!["p".into()],
        config_based_build_required: false,
        repo_patterns: vec![],
        custom_constraints: Some("true".into()),
    };
    let plain = crate::policy::platform::SlsaRule {
        custom_constraints: None,
        ..rule.clone()
    };
    let p = |rules| {
        policy(vec![set(
            "s",
            Scope::Default,
            vec![check("slsa", CheckKind::Slsa { rules })],
        )])
    };
    let req = images(&[&image()]);
    let r = run(&p(vec![rule.clone()]), &req, &Evidence::new(), T0);
    assert_eq!(
        checks(&r)[0],
        (V::Error, vec![Code::CustomConstraintsUnsupported])
    );
    let r = run(&p(vec![plain, rule]), &req, &Evidence::new(), T0);
    assert_eq!(checks(&r)[0].0, V::Error);
}

#[test]
fn sigstore_check_uses_the_policys_keys_only() {
    use crate::policy::platform::SigstoreAuthority;
    use crate::verify::trust::{KeySource, SigningMode, TrustedKey};
    let signer = SigningKey::from_seed(KeyAlgorithm::P256, &[9; 32]).unwrap();
    let stranger = SigningKey::from_seed(KeyAlgorithm::P256, &[10; 32]).unwrap();
    let key = |k: &SigningKey| {
        TrustedKey::from_pem(
            None,
            &k.public_key_pem(),
            SigningMode::Pae,
            KeySource::Caller,
        )
        .unwrap()
    };
    let payload = format!(
        r#"{{"critical":{{"identity":{{"docker-reference":"{REPO}"}},"image":{{"docker-manifest-digest":"{DIGEST}"}},"type":"cosign container image signature"}},"optional":null}}"#
    );
    let line = json!({"Base64Signature": STANDARD.encode(signer.sign(payload.as_bytes())),
        "Payload": STANDARD.encode(&payload)});
    let p = |k: &SigningKey| {
        policy(vec![set(
            "s",
            Scope::Default,
            vec![check(
                "sigstore",
                CheckKind::SigstoreSignature {
                    authorities: vec![SigstoreAuthority {
                        display_name: "cosign".into(),
                        keys: vec![key(k)],
                    }],
                },
            )],
        )])
    };
    let e = evidence(json!([line]));
    let req = images(&[&image()]);
    assert_eq!(
        checks(&run(&p(&signer), &req, &e, T0))[0],
        (V::Conformant, vec![Code::SigstoreSignatureVerified])
    );
    // The caller trusting the signer's key does not make the policy trust it.
    let trust = TrustMaterial {
        keys: vec![key(&signer)],
        ..TrustMaterial::default()
    };
    let r = p(&stranger).evaluate(&req, &e, &trust, now(T0), &PlatformOptions::default());
    assert_eq!(
        checks(&r)[0],
        (
            V::NonConformant,
            vec![
                Code::NoVerifiedSigstoreSignature,
                Code::SigstoreSignatureRejected
            ]
        )
    );
}

#[test]
fn slsa_check_on_real_cloud_build_provenance() {
    use crate::policy::platform::SlsaRule;
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../../../testdata/fixtures/slsa-verifier/gcb_container/v0.2/gcloud-container-github.json"
    ))
    .unwrap();
    let image = "us-west2-docker.pkg.dev/gosst-scare-sandbox/quickstart-docker-repo/quickstart-image@sha256:1a033b002f89ed2b8ea733162497fb70f1a4049a7f8602d6a33682b4ad9921fd";
    let e = evidence(fixture["provenance_summary"]["provenance"].clone());
    let rule = |project: &str, config: bool| SlsaRule {
        projects: vec![project.into()],
        config_based_build_required: config,
        repo_patterns: vec![],
        custom_constraints: None,
    };
    let p = |rules| {
        policy(vec![set(
            "s",
            Scope::Default,
            vec![check("slsa", CheckKind::Slsa { rules })],
        )])
    };
    let req = images(&[image]);
    let at = "2026-01-01T00:00:00Z";
    let one = |rules, trust: &TrustMaterial| {
        checks(&p(rules).evaluate(&req, &e, trust, now(at), &PlatformOptions::default())).remove(0)
    };
    let shipped = TrustMaterial::default();
    assert_eq!(
        one(vec![rule("gosst-scare-sandbox", false)], &shipped),
        (V::Conformant, vec![Code::SlsaRuleSatisfied])
    );
    // A v0.2 build ran inline steps, not a configuration file.
    assert_eq!(
        one(vec![rule("gosst-scare-sandbox", true)], &shipped),
        (
            V::NonConformant,
            vec![Code::NoVerifiedProvenance, Code::NotConfigBasedBuild]
        )
    );
    // Rules are ORed.
    assert_eq!(
        one(
            vec![
                rule("gosst-scare-sandbox", true),
                rule("gosst-scare-sandbox", false)
            ],
            &shipped
        )
        .0,
        V::Conformant
    );
    assert_eq!(
        one(vec![rule("elsewhere", false)], &shipped),
        (
            V::NonConformant,
            vec![Code::NoVerifiedProvenance, Code::OutsideProjects]
        )
    );
    let no_keys = TrustMaterial {
        cloud_build_keys: false,
        ..TrustMaterial::default()
    };
    assert_eq!(
        one(vec![rule("gosst-scare-sandbox", false)], &no_keys),
        (
            V::NonConformant,
            vec![Code::NoVerifiedProvenance, Code::ProvenanceRejected]
        )
    );
}

#[test]
fn unreadable_findings_make_the_vulnerability_check_an_error() {
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check("v", CheckKind::Vulnerability(vuln_check(&[], &[])))],
    )]);
    let req = images(&[&image()]);
    let bad = finding("p", "CVE-7", "SEVERE", true);
    let r = run(
        &p,
        &req,
        &evidence(json!([scan("p", DIGEST), bad.clone()])),
        T0,
    );
    assert_eq!(
        checks(&r)[0],
        (V::Error, vec![Code::VulnerabilityUnreadable])
    );
    let worse = finding("p", "CVE-8", "CRITICAL", true);
    let r = run(
        &p,
        &req,
        &evidence(json!([scan("p", DIGEST), bad, worse])),
        T0,
    );
    assert_eq!(
        checks(&r)[0],
        (
            V::NonConformant,
            vec![
                Code::VulnerabilityUnreadable,
                Code::VulnerabilityOverThreshold
            ]
        )
    );
}

#[test]
fn details_are_capped() {
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check("v", CheckKind::Vulnerability(vuln_check(&[], &[])))],
    )]);
    let mut items = vec![scan("p", DIGEST)];
    items.extend((0..40).map(|i| finding("p", &format!("CVE-{i}"), "CRITICAL", true)));
    let r = run(&p, &images(&[&image()]), &evidence(Value::Array(items)), T0);
    let (v, codes) = checks(&r).remove(0);
    assert_eq!(v, V::NonConformant);
    assert_eq!(codes.len(), 17);
    assert_eq!(codes.last(), Some(&Code::DetailsTruncated));
}

#[test]
fn evaluate_image_fails_closed_without_a_set() {
    use super::ImageContext;
    let p = policy(vec![set("s", Scope::Default, vec![])]);
    let req = images(&[&image()]);
    let e = Evidence::new();
    let trust = TrustMaterial::default();
    let options = PlatformOptions::default();
    let ctx = ImageContext {
        evidence: &e,
        trust: &trust,
        now: now(T0),
        options: &options,
        limits: &Limits::DEFAULT,
        memo: &super::CheckMemo::default(),
    };
    let image = &req.images()[0];
    assert_eq!(p.evaluate_image(None, image, &ctx).verdict, V::Error);
    assert_eq!(p.evaluate_image(Some(7), image, &ctx).verdict, V::Error);
    assert_eq!(
        p.evaluate_image(Some(0), image, &ctx).verdict,
        V::Conformant
    );
    assert_eq!(
        policy(vec![]).evaluate_image(None, image, &ctx).verdict,
        V::Conformant
    );
}

#[test]
fn image_strings_sharing_a_digest_verify_its_evidence_once() {
    use super::{CheckMemo, ImageContext};
    // 64 occurrences whose signatures cost a verification each and fail, under 16 checks:
    // each image may spend ~2,000 units. 10 image strings naming the digest must not spend
    // it 10 times (1,000 strings in a request, or 100,000 Pods in CV, would take hours).
    let (auth, key) = authenticator();
    let c = check(
        "att",
        CheckKind::SimpleSigningAttestation {
            authenticators: vec![auth],
            projects: vec!["attest".into()],
        },
    );
    let p = policy(vec![set("s", Scope::Default, vec![c; 16])]);
    let names: Vec<String> = (0..10).map(|i| format!("{REPO}{i}@{DIGEST}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let req = images(&refs);
    let items: Vec<Value> = (0..64)
        .map(|i| {
            let mut a = attestation("attest", &key, DIGEST, false);
            a["name"] = json!(format!("projects/attest/occurrences/a{i}"));
            a["attestation"]["signatures"][0]["signature"] =
                json!(STANDARD.encode(key.sign(format!("other{i}").as_bytes())));
            a
        })
        .collect();
    let e = evidence(Value::Array(items));
    let trust = TrustMaterial::default();
    let options = PlatformOptions::default();
    let memo = CheckMemo::default();
    let ctx = ImageContext {
        evidence: &e,
        trust: &trust,
        now: now(T0),
        options: &options,
        limits: &Limits::DEFAULT,
        memo: &memo,
    };
    let results: Vec<_> = req
        .images()
        .iter()
        .map(|image| p.evaluate_image(Some(0), image, &ctx))
        .collect();
    // One outcome per check (and budget), not per image string.
    assert_eq!(memo.len(), 16);
    // Shared outcomes are the outcomes: every image gets what the first got.
    let other_memo = CheckMemo::default();
    let fresh = p.evaluate_image(
        Some(0),
        &req.images()[9],
        &ImageContext {
            memo: &other_memo,
            ..ctx
        },
    );
    for r in &results {
        assert_eq!(r.verdict, V::NonConformant);
        assert_eq!(r.check_set_result, fresh.check_set_result);
    }
    // And the whole request stays fast (it took seconds before, most of it re-verifying).
    let t = std::time::Instant::now();
    let many: Vec<String> = (0..200).map(|i| format!("{REPO}{i}@{DIGEST}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let r = run(&p, &images(&refs), &e, T0);
    assert_eq!(r.verdict, V::NonConformant);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn tag_only_freshness_finds_records_by_repository_only() {
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "fresh",
            CheckKind::ImageFreshness {
                max_upload_age_days: 30,
            },
        )],
    )]);
    let gcr_list = |name: &str| {
        json!({"name": name, "tags": ["1.0"], "manifest": {DIGEST: {
            "tag": ["1.0"], "timeUploadedMs": "1767225600000"}}})
    };
    let verdict = |image: &str, items: Value| {
        checks(&run(&p, &images(&[image]), &evidence(items), T0))
            .remove(0)
            .0
    };
    // A Container Registry `tags/list` (hostless `PROJECT/IMAGE`) on any gcr.io host.
    for image in ["gcr.io/proj/web:1.0", "eu.gcr.io/proj/web:1.0"] {
        assert_eq!(
            verdict(image, json!([gcr_list("proj/web")])),
            V::Conformant,
            "{image}"
        );
    }
    // Not for another registry, another project or another image.
    for image in [
        "evil.io/proj/web:1.0",
        "gcr.io/proj/web2:1.0",
        "gcr.io/proj2/web:1.0",
        "gcr.io.evil.com/proj/web:1.0",
    ] {
        assert_eq!(
            verdict(image, json!([gcr_list("proj/web")])),
            V::Error,
            "{image}"
        );
    }
    // A record named with its host, with or without `https://`.
    let tagged = format!("{REPO}:1.0");
    for record_uri in [REPO.to_owned(), format!("https://{REPO}")] {
        let mut r = record(DIGEST, "2026-01-01T00:00:00Z", &["1.0"]);
        r["uri"] = json!(format!("{record_uri}@{DIGEST}"));
        assert_eq!(verdict(&tagged, json!([r])), V::Conformant, "{record_uri}");
    }
}

#[test]
fn only_occurrences_named_in_a_listed_project_count() {
    use super::listed;
    let projects = vec!["a".to_owned(), "p-1".to_owned()];
    assert!(listed(&projects, "projects/a/occurrences/x"));
    assert!(listed(&projects, "projects/p-1/occurrences/x"));
    for name in [
        "projects/ab/occurrences/x",
        "projects/p/occurrences/x",
        "projects/p-10/occurrences/x",
        "projects/a/b/occurrences/x",
        "projects/x/occurrences/projects/a/occurrences/x",
        "projects/../occurrences/x",
        "projects/a/../b/occurrences/x",
        "projects/a/occurrences/x/../../../b/occurrences/y",
        "projects/a/occurrences/",
        "projects/a/notes/x",
        "projects/A/occurrences/x",
        "/projects/a/occurrences/x",
        " projects/a/occurrences/x",
        "a/occurrences/x",
        "#0",
        "",
    ] {
        assert!(!listed(&projects, name), "{name:?}");
    }
}

#[test]
fn attestations_count_only_for_the_digest_the_pod_runs() {
    let (auth, key) = authenticator();
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "att",
            CheckKind::SimpleSigningAttestation {
                authenticators: vec![auth],
                projects: vec!["attest".into()],
            },
        )],
    )]);
    let good = json!([attestation("attest", &key, DIGEST, false)]);
    let verdict = |image: &str, options: &PlatformOptions, items: &Value| {
        let req = images(&[image]);
        let trust = TrustMaterial::default();
        p.evaluate(&req, &evidence(items.clone()), &trust, now(T0), options)
            .verdict
    };
    let none = PlatformOptions::default();
    assert_eq!(verdict(&image(), &none, &good), V::Conformant);
    // Tag and digest: the digest is what runs, and what counts.
    assert_eq!(
        verdict(&format!("{REPO}:1.0@{DIGEST}"), &none, &good),
        V::Conformant
    );
    assert_eq!(
        verdict(&format!("{REPO}:1.0@{OTHER}"), &none, &good),
        V::NonConformant
    );
    // A tag resolution for another image string does not apply.
    let elsewhere = PlatformOptions::default().with_tag_digest(format!("{REPO}:2.0"), DIGEST);
    assert_eq!(
        verdict(&format!("{REPO}:1.0"), &elsewhere, &good),
        V::NonConformant
    );
    // Nor does one for the same string once the image names a digest of its own.
    let pinned = format!("{REPO}@{OTHER}");
    let over = PlatformOptions::default().with_tag_digest(pinned.clone(), DIGEST);
    assert_eq!(verdict(&pinned, &over, &good), V::NonConformant);
    // An occurrence filed under another digest whose payload names this one: not found.
    let mut moved = attestation("attest", &key, DIGEST, false);
    moved["resourceUri"] = json!(format!("https://{REPO}@{OTHER}"));
    assert_eq!(verdict(&image(), &none, &json!([moved])), V::NonConformant);
    // Upper-case hex is not the digest (the request refuses it, or the check finds none).
    let letters = format!("sha256:{}", "ab".repeat(32));
    let mut lower = attestation("attest", &key, &letters, false);
    lower["resourceUri"] = json!(format!("https://{REPO}@{letters}"));
    let lower = json!([lower]);
    assert_eq!(
        verdict(&format!("{REPO}@{letters}"), &none, &lower),
        V::Conformant
    );
    let upper = format!("{REPO}@sha256:{}", "AB".repeat(32));
    if let Ok(req) = RequestBuilder::for_images([upper.as_str()]).build() {
        let trust = TrustMaterial::default();
        let r = p.evaluate(&req, &evidence(lower.clone()), &trust, now(T0), &none);
        assert_ne!(r.verdict, V::Conformant);
    }
}

#[test]
fn freshness_at_the_edges_of_time() {
    let p = |days: u32| {
        policy(vec![set(
            "s",
            Scope::Default,
            vec![check(
                "fresh",
                CheckKind::ImageFreshness {
                    max_upload_age_days: days,
                },
            )],
        )])
    };
    let req = images(&[&image()]);
    let verdict = |days: u32, items: Value, at: &str| {
        checks(&run(&p(days), &req, &evidence(items), at))
            .remove(0)
            .0
    };
    // An upload time after `now` is a negative age: conformant, as P-6's formula says.
    assert_eq!(
        verdict(1, json!([record(DIGEST, "2027-01-01T00:00:00Z", &[])]), T0),
        V::Conformant
    );
    // The largest window (i32::MAX days) neither overflows nor wraps.
    assert_eq!(
        verdict(
            i32::MAX as u32,
            json!([record(DIGEST, "0001-01-01T00:00:00Z", &[])]),
            "9999-12-31T23:59:59Z"
        ),
        V::Conformant
    );
    assert_eq!(
        verdict(
            1,
            json!([record(DIGEST, "0001-01-01T00:00:00Z", &[])]),
            "9999-12-31T23:59:59Z"
        ),
        V::NonConformant
    );
    // Container Registry milliseconds out of any range: no upload time, ERROR (never fresh).
    for ms in ["99999999999999999999", "-1", "1e30", "", "abc"] {
        let list =
            json!([{"name": "proj/web", "manifest": {DIGEST: {"tag": [], "timeUploadedMs": ms}}}]);
        let r = run(
            &p(30),
            &images(&[&format!("gcr.io/proj/web@{DIGEST}")]),
            &evidence(list),
            T0,
        );
        assert_ne!(checks(&r).remove(0).0, V::Conformant, "{ms}");
    }
}

#[test]
fn image_strings_that_would_leave_a_trusted_directory_are_refused_or_untrusted() {
    use crate::policy::platform::pattern::DirectoryPattern;
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "dir",
            CheckKind::TrustedDirectory {
                patterns: vec![DirectoryPattern::parse("us-docker.pkg.dev/prod/**").unwrap()],
            },
        )],
    )]);
    for image in [
        "us-docker.pkg.dev/prod/../evil/img:1",
        "us-docker.pkg.dev/prod/./img:1",
        "us-docker.pkg.dev/prod//img:1",
        "us-docker.pkg.dev/prod%2f..%2fevil/img:1",
        "us-docker.pkg.dev/prod-evil/img:1",
        "us-docker.pkg.dev.evil.com/prod/img:1",
        "evil.com/us-docker.pkg.dev/prod/img:1",
        "us-docker.pkg.dev:443/prod/img:1",
        "us-docker.pkg.dev/prod/img:1@sha256:abc",
        "us-docker.pkg.dev/prodimg:1",
        "us-docker.pkg.dev/prod:1",
    ] {
        if let Ok(req) = RequestBuilder::for_images([image]).build() {
            let r = run(&p, &req, &Evidence::new(), T0);
            assert_ne!(r.verdict, V::Conformant, "{image}");
        }
    }
    let ok = run(
        &p,
        &images(&["us-docker.pkg.dev/prod/a/img:1"]),
        &Evidence::new(),
        T0,
    );
    assert_eq!(ok.verdict, V::Conformant);
}

#[test]
fn many_unreadable_build_occurrences_cost_linear_time() {
    // Rejection lines were deduplicated by a linear scan: 20,000 unreadable occurrences took
    // 4 s, 200,000 (within `max_occurrences`) would take minutes.
    use crate::policy::platform::SlsaRule;
    let rule = SlsaRule {
        projects: vec!["p".into()],
        config_based_build_required: false,
        repo_patterns: vec![],
        custom_constraints: None,
    };
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check(
            "slsa",
            CheckKind::Slsa {
                rules: vec![rule.clone(), rule.clone(), rule],
            },
        )],
    )]);
    let items: Vec<Value> = (0..40_000)
        .map(|i| {
            json!({"name": format!("projects/p/occurrences/build-occurrence-number-{i}"),
                "kind": "BUILD", "resourceUri": format!("https://{REPO}@{DIGEST}"),
                "build": "not an object"})
        })
        .collect();
    let e = evidence(Value::Array(items));
    let started = std::time::Instant::now();
    let r = run(&p, &images(&[&image()]), &e, T0);
    assert_eq!(r.verdict, V::NonConformant);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn attestation_keys_come_from_the_check_only() {
    use crate::verify::trust::{KeySource, SigningMode, TrustedKey};
    let k1 = SigningKey::from_seed(KeyAlgorithm::P256, &[21; 32]).unwrap();
    let k2 = SigningKey::from_seed(KeyAlgorithm::P256, &[22; 32]).unwrap();
    let auth = |name: &str, id: &str, key: &SigningKey| {
        let attestor = Attestor::from_value(
            json!({"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {
                "noteReference": "projects/p/notes/n",
                "publicKeys": [{"id": id, "pkixPublicKey": {
                    "publicKeyPem": key.public_key_pem(), "signatureAlgorithm": "ECDSA_P256_SHA256"}}]}}),
            &Limits::DEFAULT,
        )
        .unwrap();
        Authenticator {
            display_name: name.into(),
            keys: attestor.keys().to_vec(),
        }
    };
    let p = |authenticators| {
        policy(vec![set(
            "s",
            Scope::Default,
            vec![check(
                "att",
                CheckKind::SimpleSigningAttestation {
                    authenticators,
                    projects: vec!["attest".into()],
                },
            )],
        )])
    };
    // Signed by k2, naming the key id `a`.
    let signed_by = |key: &SigningKey, id: &str| {
        let mut a = attestation("attest", key, DIGEST, false);
        a["attestation"]["signatures"][0]["publicKeyId"] = json!(id);
        evidence(json!([a]))
    };
    let req = images(&[&image()]);
    let verdict = |policy: &PlatformPolicy, e: &Evidence, trust: &TrustMaterial| {
        policy
            .evaluate(&req, e, trust, now(T0), &PlatformOptions::default())
            .verdict
    };
    let none = TrustMaterial::default();
    // The id selects the key, per authenticator: `a` names k1 in A; B's k2 (id `b`) is not
    // tried for a signature naming `a`, and A's k1 does not verify k2's signature.
    let both = p(vec![auth("A", "a", &k1), auth("B", "b", &k2)]);
    assert_eq!(
        verdict(&both, &signed_by(&k2, "a"), &none),
        V::NonConformant
    );
    assert_eq!(verdict(&both, &signed_by(&k2, "b"), &none), V::Conformant);
    // The caller's trusted keys (and Cloud Build's) never count for the attestation check.
    let only_a = p(vec![auth("A", "a", &k1)]);
    let caller = TrustMaterial {
        keys: vec![
            TrustedKey::from_pem(
                Some("b"),
                &k2.public_key_pem(),
                SigningMode::Raw,
                KeySource::Caller,
            )
            .unwrap(),
        ],
        ..TrustMaterial::default()
    };
    assert_eq!(
        verdict(&only_a, &signed_by(&k2, "b"), &caller),
        V::NonConformant
    );
    assert_eq!(
        verdict(&only_a, &signed_by(&k1, "a"), &caller),
        V::Conformant
    );
}

#[test]
fn shared_outcomes_keep_their_truncation_count() {
    let p = policy(vec![set(
        "s",
        Scope::Default,
        vec![check("v", CheckKind::Vulnerability(vuln_check(&[], &[])))],
    )]);
    let mut items = vec![scan("p", DIGEST)];
    items.extend((0..40).map(|i| finding("p", &format!("CVE-{i}"), "CRITICAL", true)));
    let e = evidence(Value::Array(items));
    let tagged = format!("{REPO}:1.0");
    let options = PlatformOptions::default().with_tag_digest(tagged.clone(), DIGEST);
    // The same digest three times: pinned, resolved from a tag, pinned again (memo hits).
    let req = images(&[&image(), &tagged, &format!("{REPO}2@{DIGEST}")]);
    let r = p.evaluate(&req, &e, &TrustMaterial::default(), now(T0), &options);
    let details: Vec<Vec<(Code, String)>> = r.results[0]
        .image_results
        .iter()
        .map(|i| {
            i.check_set_result
                .as_ref()
                .unwrap()
                .check_results
                .as_ref()
                .unwrap()
                .results[0]
                .details
                .iter()
                .map(|d| (d.code, d.message.clone()))
                .collect()
        })
        .collect();
    for (i, want) in [(0, "24 more"), (1, "25 more"), (2, "24 more")] {
        let d = &details[i];
        assert_eq!(d.len(), 17, "image {i}");
        assert_eq!(d.last().unwrap().0, Code::DetailsTruncated);
        assert!(
            d.last().unwrap().1.starts_with(want),
            "image {i}: {:?}",
            d.last()
        );
    }
    assert_eq!(details[1][0].0, Code::DigestResolved);
    assert_eq!(details[0], details[2]);
}
