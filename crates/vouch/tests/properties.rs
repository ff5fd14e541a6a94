//! Properties that must hold for any input (proptest): determinism, digest binding, key
//! binding, no evidence → no admission, monotonicity, and two reference models (the allowlist
//! matcher against a regex translation, the image-reference parser against a regex built from
//! the distribution grammar).
//!
//! Case counts: `PROPTEST_CASES` (default 256 per property) — see docs/robustness.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::{Value, json};
use vouch::{
    Evaluator, Evidence, KeyAlgorithm, Limits, Options, Policy, Request, SigningKey, Timestamp,
    Verdict,
};

const ATTESTOR: &str = "projects/p/attestors/a";
const NOTE: &str = "projects/p/notes/a";
const REPO: &str = "gcr.io/p/app";

static TRUSTED: LazyLock<SigningKey> =
    LazyLock::new(|| SigningKey::from_seed(KeyAlgorithm::Ed25519, &[1; 32]).unwrap());
static UNTRUSTED: LazyLock<SigningKey> =
    LazyLock::new(|| SigningKey::from_seed(KeyAlgorithm::Ed25519, &[2; 32]).unwrap());

fn attestor() -> Value {
    vouch::attestor_resource(
        ATTESTOR,
        NOTE,
        &TRUSTED.public_key_pem(),
        TRUSTED.algorithm(),
        None,
        None,
    )
    .unwrap()
}

fn digest(byte: u8) -> String {
    format!("sha256:{}", format!("{byte:02x}").repeat(32))
}

/// A policy: the default rule (mode, enforcement) plus allowlist patterns.
fn policy(mode: &str, dry_run: bool, patterns: &[String]) -> Value {
    let mut rule = json!({"evaluationMode": mode, "enforcementMode": if dry_run { "DRYRUN_AUDIT_LOG_ONLY" } else { "ENFORCED_BLOCK_AND_AUDIT_LOG" }});
    if mode == "REQUIRE_ATTESTATION" {
        rule["requireAttestationsBy"] = json!([ATTESTOR]);
    }
    json!({
        "globalPolicyEvaluationMode": "DISABLE",
        "admissionWhitelistPatterns": patterns.iter().map(|p| json!({"namePattern": p})).collect::<Vec<_>>(),
        "defaultAdmissionRule": rule,
    })
}

/// One piece of evidence, described so that proptest can shrink it.
#[derive(Debug, Clone)]
enum Evidence1 {
    /// A valid attestation by the trusted key for this digest byte.
    Valid(u8),
    /// Signed by the untrusted key, under the trusted key's id.
    WrongKey(u8),
    /// The trusted key's signature over a payload for digest `.1`, filed under digest `.0`.
    Mislabelled(u8, u8),
    /// Garbage signature bytes.
    Garbage(u8, Vec<u8>),
}

fn occurrence(e: &Evidence1) -> Value {
    let (filed, signed_for, key, id, junk) = match e {
        Evidence1::Valid(d) => (*d, *d, &*TRUSTED, TRUSTED.default_key_id().to_owned(), None),
        Evidence1::WrongKey(d) => (
            *d,
            *d,
            &*UNTRUSTED,
            TRUSTED.default_key_id().to_owned(),
            None,
        ),
        Evidence1::Mislabelled(filed, signed) => (
            *filed,
            *signed,
            &*TRUSTED,
            TRUSTED.default_key_id().to_owned(),
            None,
        ),
        Evidence1::Garbage(d, bytes) => (
            *d,
            *d,
            &*TRUSTED,
            TRUSTED.default_key_id().to_owned(),
            Some(bytes.clone()),
        ),
    };
    let mut occ = vouch::sign_attestation(
        &format!("{REPO}@{}", digest(signed_for)),
        NOTE,
        key,
        Some(&id),
        false,
    )
    .unwrap();
    occ["resourceUri"] = json!(format!("{REPO}@{}", digest(filed)));
    if let Some(bytes) = junk {
        occ["attestation"]["signatures"][0]["signature"] =
            json!(vouch::internal::encode_base64(&bytes));
    }
    occ
}

fn evidence_strategy() -> impl Strategy<Value = Evidence1> {
    prop_oneof![
        (0u8..4).prop_map(Evidence1::Valid),
        (0u8..4).prop_map(Evidence1::WrongKey),
        (0u8..4, 1u8..4).prop_map(|(a, k)| Evidence1::Mislabelled(a, (a + k) % 4)),
        (0u8..4, proptest::collection::vec(any::<u8>(), 0..80))
            .prop_map(|(d, b)| Evidence1::Garbage(d, b)),
    ]
}

/// An image of the test repository: pinned to a digest byte, or tag-only, or in another
/// repository that the allowlist may cover.
fn image_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..4).prop_map(|d| format!("{REPO}@{}", digest(d))),
        (0u8..4).prop_map(|d| format!("{REPO}:v1@{}", digest(d))),
        Just(format!("{REPO}:latest")),
        (0u8..3).prop_map(|n| format!("gcr.io/tools/t{n}:1")),
        (0u8..3).prop_map(|n| format!("gcr.io/tools/nested/t{n}@{}", digest(n))),
    ]
}

fn pattern_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("gcr.io/tools/*".to_owned()),
        Just("gcr.io/tools/**".to_owned()),
        Just("gcr.io/tools/t1:1".to_owned()),
        Just(format!("{REPO}:latest")),
        Just("gcr.io/other/**".to_owned()),
    ]
}

fn decide(
    policy: &Value,
    images: &[String],
    evidence: &[Value],
    break_glass: bool,
) -> vouch::Decision {
    let limits = Limits::DEFAULT;
    let p = Policy::from_value(policy.clone(), &limits).unwrap();
    let attestors = vouch::attestors_from_value(attestor(), &limits).unwrap();
    let evaluator = Evaluator::new(p, attestors, None).unwrap();
    let mut request = json!({"images": images});
    if break_glass {
        request["labels"] = json!({"image-policy.k8s.io/break-glass": "true"});
    }
    let request = Request::from_value(request, &limits).unwrap();
    let mut ev = Evidence::new();
    ev.add_value(&Value::Array(evidence.to_vec()), &limits)
        .unwrap();
    evaluator.evaluate(&request, &ev, Timestamp::UNIX_EPOCH, Options::default())
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    /// Same input, same bytes: twice through the typed API, and through the bundle entry point.
    #[test]
    fn determinism(
        mode in prop_oneof![Just("ALWAYS_ALLOW"), Just("ALWAYS_DENY"), Just("REQUIRE_ATTESTATION")],
        dry in any::<bool>(), bg in any::<bool>(),
        patterns in proptest::collection::vec(pattern_strategy(), 0..3),
        images in proptest::collection::vec(image_strategy(), 1..4),
        evidence in proptest::collection::vec(evidence_strategy(), 0..5),
    ) {
        let p = policy(mode, dry, &patterns);
        let ev: Vec<Value> = evidence.iter().map(occurrence).collect();
        let a = decide(&p, &images, &ev, bg).to_json();
        let b = decide(&p, &images, &ev, bg).to_json();
        prop_assert_eq!(&a, &b);
        let mut request = json!({"images": images});
        if bg {
            request["labels"] = json!({"image-policy.k8s.io/break-glass": "true"});
        }
        let bundle = json!({"policy": p, "attestors": [attestor()], "attestations": ev, "request": request, "now": "1970-01-01T00:00:00Z"});
        prop_assert_eq!(vouch::evaluate_bundle(&bundle.to_string()), a);
    }

    /// Evidence for digest X never makes an image with digest Y conformant.
    #[test]
    fn digest_binding(target in 0u8..4, evidence in proptest::collection::vec(evidence_strategy(), 0..6)) {
        let ev: Vec<Value> = evidence.iter().filter(|e| !matches!(e, Evidence1::Valid(d) if *d == target)).map(occurrence).collect();
        let d = decide(&policy("REQUIRE_ATTESTATION", false, &[]), &[format!("{REPO}@{}", digest(target))], &ev, false);
        prop_assert_eq!(d.verdict, Verdict::Deny, "{}", d.to_json());
        prop_assert!(!d.images[0].attestors[0].satisfied);
    }

    /// A signature by a key the attestor does not list never satisfies it, whatever id it carries.
    #[test]
    fn key_binding(target in 0u8..4, id in prop_oneof![Just(None), "[a-z:/]{1,20}".prop_map(Some)]) {
        let image = format!("{REPO}@{}", digest(target));
        let mut occ = vouch::sign_attestation(&image, NOTE, &UNTRUSTED, None, false).unwrap();
        // Claim the trusted key's id (impersonation), or any other id.
        let claimed = id.unwrap_or_else(|| TRUSTED.default_key_id().to_owned());
        occ["attestation"]["signatures"][0]["publicKeyId"] = json!(claimed);
        let d = decide(&policy("REQUIRE_ATTESTATION", false, &[]), &[image], &[occ], false);
        prop_assert_eq!(d.verdict, Verdict::Deny, "{}", d.to_json());
    }

    /// Under an enforced REQUIRE_ATTESTATION rule without break-glass, no valid evidence means no
    /// admission, unless every image is allowlisted.
    #[test]
    fn no_evidence_no_admission(
        patterns in proptest::collection::vec(pattern_strategy(), 0..3),
        images in proptest::collection::vec(image_strategy(), 1..4),
        evidence in proptest::collection::vec(evidence_strategy(), 0..5),
    ) {
        let ev: Vec<Value> = evidence.iter().filter(|e| !matches!(e, Evidence1::Valid(_))).map(occurrence).collect();
        let d = decide(&policy("REQUIRE_ATTESTATION", false, &patterns), &images, &ev, false);
        let all_exempt = d.images.iter().all(|i| i.outcome == vouch::Outcome::Exempt);
        prop_assert_eq!(d.allowed, all_exempt, "{}", d.to_json());
    }

    /// Adding a valid attestation never turns ALLOW into DENY.
    #[test]
    fn more_evidence_never_denies(
        mode in prop_oneof![Just("ALWAYS_ALLOW"), Just("ALWAYS_DENY"), Just("REQUIRE_ATTESTATION")],
        dry in any::<bool>(),
        patterns in proptest::collection::vec(pattern_strategy(), 0..3),
        images in proptest::collection::vec(image_strategy(), 1..4),
        evidence in proptest::collection::vec(evidence_strategy(), 0..5),
        extra in 0u8..4,
    ) {
        let p = policy(mode, dry, &patterns);
        let mut ev: Vec<Value> = evidence.iter().map(occurrence).collect();
        let before = decide(&p, &images, &ev, false);
        ev.push(occurrence(&Evidence1::Valid(extra)));
        let after = decide(&p, &images, &ev, false);
        prop_assert!(!before.allowed || after.allowed, "before {} after {}", before.to_json(), after.to_json());
    }

    /// Removing allowlist patterns never turns DENY into ALLOW.
    #[test]
    fn fewer_patterns_never_admit(
        mode in prop_oneof![Just("ALWAYS_ALLOW"), Just("ALWAYS_DENY"), Just("REQUIRE_ATTESTATION")],
        patterns in proptest::collection::vec(pattern_strategy(), 1..4),
        drop in any::<prop::sample::Index>(),
        images in proptest::collection::vec(image_strategy(), 1..4),
        evidence in proptest::collection::vec(evidence_strategy(), 0..5),
    ) {
        let ev: Vec<Value> = evidence.iter().map(occurrence).collect();
        let before = decide(&policy(mode, false, &patterns), &images, &ev, false);
        let mut fewer = patterns.clone();
        fewer.remove(drop.index(fewer.len()));
        let after = decide(&policy(mode, false, &fewer), &images, &ev, false);
        prop_assert!(before.allowed || !after.allowed, "before {} after {}", before.to_json(), after.to_json());
    }

    /// The compiled allowlist agrees with a regex translation of each pattern, and reports the
    /// first matching pattern in list order.
    #[test]
    fn allowlist_matches_regex_model(
        patterns in proptest::collection::vec("gcr\\.io/[ab/:.-]{0,6}\\*{0,2}", 0..12),
        images in proptest::collection::vec("gcr\\.io/[ab/:.-]{0,8}", 1..12),
    ) {
        let parsed: Vec<vouch::Pattern> = patterns.iter().filter_map(|p| vouch::Pattern::parse(p).ok()).collect();
        let set = vouch::PatternSet::new(parsed.clone());
        let regexes: Vec<regex::Regex> = parsed.iter().map(|p| {
            let prefix = regex::escape(p.prefix());
            let body = match p.kind() {
                vouch::PatternKind::Exact => prefix,
                vouch::PatternKind::Star => format!("{prefix}[^/]*"),
                vouch::PatternKind::DoubleStar => format!("{prefix}.*"),
            };
            regex::Regex::new(&format!("^{body}$")).unwrap()
        }).collect();
        for image in &images {
            let model = regexes.iter().position(|r| r.is_match(image));
            prop_assert_eq!(set.first_match(image).map(|p| p.as_str()), model.map(|i| parsed[i].as_str()), "{}", image);
        }
    }

    /// The image-reference parser accepts exactly the distribution grammar (plus its length and
    /// digest rules), and splits references as the grammar's regex does.
    #[test]
    fn image_ref_matches_grammar(s in image_ref_strategy()) {
        let model = REFERENCE.captures(&s).and_then(|c| {
            let path = c.name("path")?.as_str();
            let digest_ok = c.name("digest").is_none_or(|d| {
                let (alg, hex) = d.as_str().split_once(':').unwrap();
                let len = match alg { "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => return false };
                hex.len() == len && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
            (path.len() <= 255 && digest_ok).then(|| (c.name("domain").map(|m| m.as_str().to_owned()), path.to_owned(),
                c.name("tag").map(|m| m.as_str().to_owned()), c.name("digest").map(|m| m.as_str().to_owned())))
        });
        let parsed = vouch::ImageRef::parse(&s).ok().map(|r| (r.registry().map(str::to_owned), r.path().to_owned(),
            r.tag().map(str::to_owned), r.digest().map(str::to_owned)));
        prop_assert_eq!(parsed, model, "{:?}", s);
    }
}

/// The distribution/reference grammar as one regex (leftmost-first, like Go's).
static REFERENCE: LazyLock<regex::Regex> = LazyLock::new(|| {
    let alnum = "[a-z0-9]+";
    let separator = "(?:[._]|__|[-]+)";
    let component = format!("{alnum}(?:{separator}{alnum})*");
    let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let host = format!("(?:{domain_component}(?:\\.{domain_component})*|\\[[a-fA-F0-9:]+\\])");
    let domain = format!("{host}(?::[0-9]+)?");
    let path = format!("{component}(?:/{component})*");
    let tag = "[\\w][\\w.-]{0,127}";
    let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    regex::Regex::new(&format!(
        "^(?:(?P<domain>{domain})/)?(?P<path>{path})(?::(?P<tag>{tag}))?(?:@(?P<digest>{digest}))?$"
    ))
    .unwrap()
});

fn image_ref_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-z0-9]{1,4}",
        1 => prop::sample::select(vec![".", "_", "__", "-", "--", "/", ":", "@", "[", "]", "::1", "A", "localhost", "5000", "sha256:", "sha512:", "md5:"]).prop_map(str::to_owned),
        1 => prop::sample::select(vec![64usize, 63, 96, 128, 32]).prop_map(|n| "ab".repeat(n / 2) + if n % 2 == 1 { "c" } else { "" }),
        1 => Just("a".repeat(130)),
    ];
    proptest::collection::vec(piece, 1..10).prop_map(|v| v.concat())
}
