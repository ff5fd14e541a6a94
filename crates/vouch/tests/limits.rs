//! Every budget of `vouch::Limits` is enforced with its own error code, and hostile inputs are
//! rejected without the memory they ask for (peak resident memory is checked on Linux).
//! Speed is measured by `benches/`, not asserted here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests; the rejection times are printed for docs/robustness.md"
)]

use serde_json::json;
use vouch::{Bundle, ErrorCode, Limits};

/// Peak resident set size of this process, in KiB (Linux), to bound what a call allocated.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `f`, checks that peak memory grew by at most `budget_mib`, and prints (does not assert)
/// how long it took, for docs/robustness.md (`-- --nocapture`).
fn assert_bounded<T>(what: &str, budget_mib: u64, f: impl FnOnce() -> T) -> T {
    let before = peak_rss_kib();
    let started = std::time::Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        let grown = a.saturating_sub(b) / 1024;
        eprintln!("limits: {what} rejected in {elapsed:.1?}, peak memory +{grown} MiB");
        assert!(
            grown <= budget_mib,
            "{what}: peak memory grew by {grown} MiB (budget {budget_mib} MiB)"
        );
    }
    out
}

fn code(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["error"]["code"]
        .as_str()
        .unwrap_or("(a decision)")
        .to_owned()
}

#[test]
fn hundred_megabyte_input_is_refused_before_parsing() {
    let mut text = String::with_capacity(100 * 1024 * 1024 + 16);
    text.push_str("{\"policy\": \"");
    text.extend(std::iter::repeat_n('a', 100 * 1024 * 1024));
    text.push_str("\"}");
    let out = assert_bounded("100 MB input", 4, || vouch::evaluate_bundle(&text));
    assert_eq!(code(&out), "INPUT_TOO_LARGE");
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let json_deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let yaml_deep = "- ".repeat(10_000) + "x\n";
    let flow_deep = format!("policy: {}{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    for (name, text) in [
        ("json", json_deep),
        ("yaml", yaml_deep),
        ("yaml flow", flow_deep),
    ] {
        let out = assert_bounded(name, 16, || vouch::evaluate_bundle(&text));
        assert_eq!(code(&out), "INPUT_TOO_DEEP", "{name}");
    }
}

#[test]
fn alias_bomb_is_refused() {
    // Eleven levels of ten-fold aliases: 10^11 nodes if expanded.
    let mut bomb = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb +=
            &format!("a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n");
    }
    let out = assert_bounded("alias bomb", 64, || vouch::evaluate_bundle(&bomb));
    assert_eq!(code(&out), "INPUT_ALIAS_LIMIT");
    // The same bomb inside a bundle member.
    let bundle =
        json!({"policy": bomb, "request": {"images": ["a"]}, "now": "2026-01-01T00:00:00Z"})
            .to_string();
    let out = vouch::evaluate_bundle(&bundle);
    assert_eq!(code(&out), "INPUT_ALIAS_LIMIT");
}

fn base_bundle() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles/prod-released.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn with_limits(bundle: &serde_json::Value, limits: &Limits) -> Result<Bundle, vouch::Error> {
    Bundle::from_value(bundle.clone(), limits)
}

/// Each configurable budget has its own code.
#[test]
fn every_budget_has_its_code() {
    let base = base_bundle();
    assert!(with_limits(&base, &Limits::DEFAULT).is_ok());
    let check = |change: &dyn Fn(&mut Limits), bundle: &serde_json::Value, expected: ErrorCode| {
        let mut limits = Limits::DEFAULT;
        change(&mut limits);
        let err = with_limits(bundle, &limits).expect_err("the budget must be enforced");
        assert_eq!(err.code(), expected, "{err}");
    };
    check(
        &|l| l.max_input_bytes = 100,
        &base,
        ErrorCode::InputTooLarge,
    );
    check(&|l| l.max_depth = 3, &base, ErrorCode::InputTooDeep);
    check(&|l| l.max_attestors = 1, &base, ErrorCode::AttestorTooMany);
    check(
        &|l| l.max_attestor_refs = 1,
        &base,
        ErrorCode::PolicyTooManyAttestorRefs,
    );
    check(
        &|l| l.max_patterns = 0,
        &base,
        ErrorCode::PolicyTooManyPatterns,
    );
    check(&|l| l.max_rules = 1, &base, ErrorCode::PolicyTooManyRules);
    check(
        &|l| l.max_occurrences = 2,
        &base,
        ErrorCode::InputTooManyOccurrences,
    );
    check(
        &|l| l.max_images = 2,
        &base,
        ErrorCode::RequestTooManyImages,
    );
    let mut many_keys = base.clone();
    let key = many_keys["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"][0].clone();
    let mut second = key.clone();
    second["id"] = json!("another-id");
    many_keys["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"] = json!([key, second]);
    check(
        &|l| l.max_keys_per_attestor = 1,
        &many_keys,
        ErrorCode::AttestorTooManyKeys,
    );
    let mut many_sigs = base.clone();
    let sig = many_sigs["attestations"][0]["attestation"]["signatures"][0].clone();
    many_sigs["attestations"][0]["attestation"]["signatures"] = json!([sig.clone(), sig]);
    check(
        &|l| l.max_signatures_per_occurrence = 1,
        &many_sigs,
        ErrorCode::InputTooManySignatures,
    );
    let mut aliases = base.clone();
    aliases["policy"] = json!(format!(
        "{}\nx: &x [1]\ny: [*x, *x, *x]\n",
        base["policy"].as_str().unwrap()
    ));
    check(
        &|l| l.max_yaml_aliases = 2,
        &aliases,
        ErrorCode::InputAliasLimit,
    );
}

/// The verification budgets (issue 12, item 4), with small limits: the per-decision budget is
/// shared by every image and attestor in request order, a payload above
/// `VERIFICATION_UNIT_BYTES` costs one verification per started unit, and a cache changes
/// nothing (a hit costs the same budget).
mod verification_budget {
    use super::*;
    use vouch::{
        DetailCode, Evaluator, Evidence, KeyAlgorithm, Options, Policy, Request, SigningKey,
        Timestamp, Verdict,
    };

    const ATTESTOR: &str = "projects/p/attestors/a";
    const NOTE: &str = "projects/p/notes/a";

    fn image(i: usize) -> String {
        format!("gcr.io/p/app@sha256:{}", format!("{i:02x}").repeat(32))
    }

    fn key() -> SigningKey {
        SigningKey::from_seed(KeyAlgorithm::Ed25519, &[7; 32]).unwrap()
    }

    /// An occurrence for `image` whose payload is gcloud's plus `pad` bytes of `optional`,
    /// signed by `key` over that payload (`valid`) or over other bytes (`n`).
    fn occurrence(image: &str, pad: usize, valid: bool, n: usize) -> serde_json::Value {
        let key = key();
        let mut payload: serde_json::Value =
            serde_json::from_slice(&vouch::create_signature_payload(image).unwrap()).unwrap();
        if pad > 0 {
            payload["optional"] = json!({"pad": "x".repeat(pad)});
        }
        let payload = serde_json::to_vec(&payload).unwrap();
        let signature = if valid {
            key.sign(&payload)
        } else {
            key.sign(format!("wrong {n}").as_bytes())
        };
        json!({
            "name": format!("o-{n}"),
            "resourceUri": image,
            "noteName": NOTE,
            "attestation": {
                "serializedPayload": vouch::internal::encode_base64(&payload),
                "signatures": [{"publicKeyId": key.default_key_id(), "signature": vouch::internal::encode_base64(&signature)}],
            },
        })
    }

    fn decide(
        per_image: usize,
        per_decision: usize,
        images: &[String],
        occurrences: Vec<serde_json::Value>,
        cache: bool,
    ) -> vouch::Decision {
        let mut limits = Limits::DEFAULT;
        limits.max_verification_units_per_attestor_image = per_image;
        limits.max_verification_units_per_decision = per_decision;
        let policy = Policy::from_value(
            json!({"defaultAdmissionRule": {"evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG", "requireAttestationsBy": [ATTESTOR]}}),
            &limits,
        )
        .unwrap();
        let k = key();
        let attestor = vouch::attestor_resource(
            ATTESTOR,
            NOTE,
            &k.public_key_pem(),
            k.algorithm(),
            None,
            None,
        )
        .unwrap();
        let attestors = vouch::attestors_from_value(attestor, &limits).unwrap();
        let mut evaluator = Evaluator::with_limits(policy, attestors, None, &limits).unwrap();
        if cache {
            evaluator = evaluator.with_verification_cache(1024);
        }
        let request = Request::from_value(json!({ "images": images }), &limits).unwrap();
        let mut evidence = Evidence::new();
        evidence
            .add_value(&serde_json::Value::Array(occurrences), &limits)
            .unwrap();
        let first = evaluator.evaluate(
            &request,
            &evidence,
            Timestamp::UNIX_EPOCH,
            Options::default(),
        );
        if cache {
            // The second evaluation reads every result from the cache, and still spends the
            // same budget.
            let again = evaluator.evaluate(
                &request,
                &evidence,
                Timestamp::UNIX_EPOCH,
                Options::default(),
            );
            assert_eq!(first.to_json(), again.to_json());
        }
        first
    }

    fn codes(d: &vouch::Decision, image: usize) -> Vec<DetailCode> {
        d.images[image]
            .reasons
            .iter()
            .flat_map(|r| r.details.iter().map(|d| d.code))
            .collect()
    }

    /// An evidence inspection spends one budget over all items: with room for 3 checks (the
    /// raw and PAE forms of a wrong signature cost 2), three valid attestations verify, the
    /// rest are reported `NOT_TRIED_BUDGET`, and nothing is verified past it.
    #[test]
    fn an_inspection_spends_one_budget() {
        let k = key();
        let attestor = vouch::attestor_resource(
            ATTESTOR,
            NOTE,
            &k.public_key_pem(),
            k.algorithm(),
            None,
            None,
        )
        .unwrap();
        let images: Vec<String> = (0..6).map(image).collect();
        let occurrences: Vec<serde_json::Value> = images
            .iter()
            .enumerate()
            .map(|(i, img)| occurrence(img, 0, true, i))
            .collect();
        let mut limits = Limits::DEFAULT;
        limits.max_verification_units_per_inspection = 3;
        let attestors = vouch::attestors_from_value(attestor, &limits).unwrap();
        let mut evidence = Evidence::new();
        evidence
            .add_value(&serde_json::Value::Array(occurrences), &limits)
            .unwrap();
        let report = evidence
            .inspect(
                &vouch::TrustMaterial::default(),
                &attestors,
                None,
                Timestamp::UNIX_EPOCH,
                &limits,
            )
            .unwrap();
        let codes: Vec<&str> = report
            .images
            .iter()
            .flat_map(|i| i.items.iter().map(|it| it.code))
            .collect();
        assert_eq!(codes.len(), 6);
        assert_eq!(
            codes.iter().filter(|c| **c == "EVIDENCE_VERIFIED").count(),
            3,
            "{codes:?}"
        );
        assert_eq!(
            codes.iter().filter(|c| **c == "NOT_TRIED_BUDGET").count(),
            3,
            "{codes:?}"
        );
    }

    /// Four images, each with 8 wrong signatures before its valid one (9 verifications each),
    /// under 10 per image and 25 per decision: the first two images are admitted, the third
    /// runs out after 7 of its wrong signatures, the fourth gets no verification at all.
    #[test]
    fn the_decision_budget_is_shared_in_request_order() {
        let images: Vec<String> = (0..4).map(image).collect();
        let mut occurrences = Vec::new();
        for (i, img) in images.iter().enumerate() {
            for n in 0..8 {
                occurrences.push(occurrence(img, 0, false, i * 100 + n));
            }
            occurrences.push(occurrence(img, 0, true, i * 100 + 99));
        }
        for cache in [false, true] {
            let d = decide(10, 25, &images, occurrences.clone(), cache);
            assert_eq!(d.verdict, Verdict::Deny);
            let satisfied: Vec<bool> = d.images.iter().map(|i| i.attestors[0].satisfied).collect();
            assert_eq!(satisfied, [true, true, false, false]);
            let third = codes(&d, 2);
            assert_eq!(third.len(), 8);
            assert!(third[..7].iter().all(|c| *c == DetailCode::BadSignature));
            assert_eq!(third[7], DetailCode::NotTriedBudget);
            assert_eq!(codes(&d, 3), [DetailCode::NotTriedBudget]);
            let message = &d.images[3].reasons[0].details[0].message;
            assert!(message.contains("the decision's budget of 25"), "{message}");
            // With a larger decision budget, the per-image budget (10) is what binds.
            let d = decide(10, 4096, &images, occurrences.clone(), cache);
            assert_eq!(d.verdict, Verdict::Allow, "{}", d.to_json());
            let d = decide(8, 4096, &images, occurrences.clone(), cache);
            assert!(d.images.iter().all(|i| !i.attestors[0].satisfied));
            assert!(
                d.images[0].reasons[0].details[8]
                    .message
                    .contains("the budget of 8 verification units for attestor")
            );
        }
    }

    #[test]
    fn weights() {
        use vouch::SignatureAlgorithm as A;
        assert_eq!(Limits::verification_cost(Some(A::Ed25519), 300), 1);
        assert_eq!(
            Limits::verification_cost(Some(A::EcdsaP521Sha512), 300),
            100
        );
        assert_eq!(Limits::verification_cost(Some(A::RsaPss4096Sha512), 300), 5);
        assert_eq!(Limits::verification_cost(Some(A::EcdsaP384Sha384), 300), 12);
        assert_eq!(
            Limits::verification_cost(Some(A::MlDsa65), 64 * 1024 + 1),
            32
        );
        assert_eq!(Limits::verification_cost(None, 0), 16);
    }

    /// A payload of 200 KiB costs 4 verifications (64 KiB units): two wrong signatures and the
    /// valid one need 12, more than 10.
    #[test]
    fn large_payloads_cost_one_verification_per_unit() {
        let img = image(1);
        let pad = 200 * 1024;
        let occurrences = vec![
            occurrence(&img, pad, false, 1),
            occurrence(&img, pad, false, 2),
            occurrence(&img, pad, true, 3),
        ];
        let d = decide(
            10,
            4096,
            std::slice::from_ref(&img),
            occurrences.clone(),
            false,
        );
        assert_eq!(
            codes(&d, 0),
            [
                DetailCode::BadSignature,
                DetailCode::BadSignature,
                DetailCode::NotTriedBudget
            ]
        );
        let d = decide(12, 4096, &[img], occurrences, false);
        assert_eq!(d.verdict, Verdict::Allow);
    }
}
