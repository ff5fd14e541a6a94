//! Simple-signing payloads: the parser never panics, agrees with serde_json on what it reads,
//! round-trips through `create_signature_payload`, and drives verification exactly: a payload
//! signed by the trusted key admits the image iff it parses and names the image's digest (and,
//! under strict identity, its repository).
#![no_main]

mod common;

use std::sync::OnceLock;

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use vouch::internal::parse_simple_signing;
use vouch::{
    Evaluator, Evidence, ImageRef, KeyAlgorithm, Limits, Options, Policy, Request, RequestBuilder,
    SigningKey, Timestamp,
};

const REPOSITORY: &str = "gcr.io/fuzz/app";
const DIGEST: &str = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";
const NOTE: &str = "projects/fuzz/notes/signed";
const ATTESTOR: &str = "projects/fuzz/attestors/signed";

struct Fixture {
    key: SigningKey,
    evaluator: Evaluator,
    request: Request,
    now: Timestamp,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let key = SigningKey::from_seed(KeyAlgorithm::Ed25519, &[7; 32]).expect("key");
        let resource = vouch::attestor_resource(
            ATTESTOR,
            NOTE,
            &key.public_key_pem(),
            key.algorithm(),
            None,
            None,
        )
        .expect("attestor resource");
        let attestor = vouch::Attestor::from_value(resource, &Limits::DEFAULT).expect("attestor");
        let policy = Policy::from_text(&format!(
            "globalPolicyEvaluationMode: DISABLE\ndefaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [{ATTESTOR}]\n"
        ))
        .expect("policy");
        let evaluator = Evaluator::new(policy, vec![attestor], None).expect("evaluator");
        let request = RequestBuilder::for_images([format!("{REPOSITORY}@{DIGEST}")])
            .build()
            .expect("request");
        let now = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").expect("now");
        Fixture {
            key,
            evaluator,
            request,
            now,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let parsed = parse_simple_signing(data);

    if let Ok(statement) = &parsed {
        // What the strict parser read, serde_json reads the same way.
        let value: Value = serde_json::from_slice(data).expect("strict JSON is JSON");
        assert_eq!(
            value["critical"]["image"]["docker-manifest-digest"].as_str(),
            Some(statement.digest.as_str())
        );
        assert_eq!(
            value["critical"]["identity"]["docker-reference"].as_str(),
            statement.reference.as_deref()
        );
        // The signed time is serde_json's reading of `optional.timestamp` as an integer.
        match (&value["optional"]["timestamp"], &statement.timestamp) {
            (Value::Null, None) => {}
            (v, Some(Ok(t))) => assert_eq!(v.as_i64(), Some(*t)),
            (v, Some(Err(_))) => assert!(!v.is_null() && v.as_i64().is_none()),
            (v, None) => panic!("timestamp {v} not read"),
        }
        // The payload vouch would write for the same image names the same digest and the
        // image's repository (the reference itself unless it carries a tag or `https://`).
        if let Some(reference) = &statement.reference {
            let image = format!("{reference}@{}", statement.digest);
            if let Ok(own) = vouch::create_signature_payload(&image) {
                let back = parse_simple_signing(&own).expect("own payload parses");
                let stripped = image.strip_prefix("https://").unwrap_or(&image);
                let repository = ImageRef::parse(stripped)
                    .expect("a signable image parses")
                    .repository()
                    .to_owned();
                assert_eq!(back.digest, statement.digest);
                assert_eq!(back.reference.as_deref(), Some(repository.as_str()));
                if repository == *reference {
                    // vouch's own payload has no `optional`, so no signed time.
                    assert_eq!(back.digest, statement.digest);
                    assert_eq!(back.reference, statement.reference);
                    assert_eq!(back.timestamp, None);
                }
            }
        }
    }

    // Verification: sign the bytes with the trusted key and evaluate.
    let f = fixture();
    let b64 = base64::engine::general_purpose::STANDARD;
    let occurrence = json!({
        "name": "projects/fuzz/occurrences/1",
        "resourceUri": format!("{REPOSITORY}@{DIGEST}"),
        "noteName": NOTE,
        "kind": "ATTESTATION",
        "attestation": {
            "serializedPayload": b64.encode(data),
            "signatures": [{"publicKeyId": f.key.default_key_id(), "signature": b64.encode(f.key.sign(data))}],
        },
    });
    let mut evidence = Evidence::new();
    evidence
        .add_value(&json!([occurrence]), &Limits::DEFAULT)
        .expect("occurrence loads");
    for strict in [false, true] {
        let decision = f.evaluator.evaluate(
            &f.request,
            &evidence,
            f.now,
            Options::strict_identity(strict),
        );
        common::check_decision_json(&decision.to_value());
        let expected = parsed.as_ref().is_ok_and(|s| {
            s.digest == DIGEST && (!strict || s.reference.as_deref() == Some(REPOSITORY))
        });
        assert_eq!(
            decision.allowed,
            expected,
            "strict={strict} statement={parsed:?} decision={}",
            decision.to_json()
        );
    }
});
