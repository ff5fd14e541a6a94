//! Grafeas occurrence lists (`Evidence`): never panic; errors have documented `INPUT_` codes
//! and JSON pointers; loaded evidence evaluates against the example attestors to a well-formed
//! decision, and no image is conformant without an occurrence naming its digest (fail closed).
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vouch::{Evaluator, Evidence, ImageRef, Limits, Options, Policy, RequestBuilder, Timestamp};

const FALLBACK_IMAGE: &str = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

fn evaluator() -> &'static Evaluator {
    static EVALUATOR: OnceLock<Evaluator> = OnceLock::new();
    EVALUATOR.get_or_init(|| {
        let attestors = vouch::attestors_from_text(include_str!("../../examples/attestors.json"))
            .expect("example attestors");
        let policy = Policy::from_text(
            "globalPolicyEvaluationMode: DISABLE\ndefaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy:\n  - projects/example-project/attestors/built-by-ci\n  - projects/example-project/attestors/qa-approved\n",
        )
        .expect("policy");
        Evaluator::new(policy, attestors, None).expect("evaluator")
    })
}

/// Every `resourceUri` string anywhere in the value.
fn resource_uris<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "resourceUri" => out.push(s),
                    _ => resource_uris(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| resource_uris(v, out)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let evidence = match Evidence::from_text(text) {
        Ok(e) => e,
        Err(e) => {
            common::check_error(&e, &["INPUT_"]);
            return;
        }
    };
    let value = vouch::parse_document(text, &Limits::DEFAULT).expect("parsed once already");
    let mut uris = Vec::new();
    resource_uris(&value, &mut uris);
    assert!(evidence.len() <= uris.len().max(count_objects(&value)));

    let mut images: Vec<String> = uris
        .iter()
        .filter(|u| ImageRef::parse(u).is_ok_and(|r| r.sha256_digest().is_some()))
        .take(8)
        .map(|u| (*u).to_owned())
        .collect();
    if images.is_empty() {
        images.push(FALLBACK_IMAGE.to_owned());
    }
    let request = RequestBuilder::for_images(images.clone())
        .build()
        .expect("images with digests make a request");
    let now = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").expect("now");
    for strict in [false, true] {
        let decision =
            evaluator().evaluate(&request, &evidence, now, Options::strict_identity(strict));
        let json = decision.to_value();
        common::check_decision_json(&json);
        for image in json["images"].as_array().into_iter().flatten() {
            if image["outcome"] == "CONFORMANT" {
                let name = image["image"].as_str().unwrap_or_default();
                let digest = ImageRef::parse(name)
                    .ok()
                    .and_then(|r| r.sha256_digest().map(str::to_owned))
                    .expect("a conformant image has a digest");
                assert!(
                    uris.iter().any(|u| u.ends_with(&digest)),
                    "{name} conformant without an occurrence for its digest"
                );
            }
        }
    }
});

fn count_objects(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(count_objects).sum::<usize>(),
        Value::Array(items) => items.iter().map(count_objects).sum(),
        _ => 0,
    }
}
