//! The one JSON/YAML entry point (`evaluate_bundle`) on arbitrary text: never panics, and
//! always returns either the contract's decision JSON or its error JSON (with the same code and
//! path as the typed `Bundle` loader reports), identical to `evaluate_bundle_value` on the
//! parsed document.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vouch::{Bundle, Limits};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let out = vouch::evaluate_bundle(text);
    let json: Value = serde_json::from_str(&out).expect("evaluate_bundle returns JSON");
    match Bundle::from_text(text) {
        Ok(bundle) => {
            common::check_decision_json(&json);
            assert_eq!(
                json,
                bundle.evaluate().to_value(),
                "entry point = typed API"
            );
        }
        Err(e) => {
            common::check_error_json(&json);
            common::check_error(
                &e,
                &[
                    "INPUT_",
                    "POLICY_",
                    "ATTESTOR_",
                    "REQUEST_",
                    "BUNDLE_",
                    "CLUSTER_",
                    // `cloudRunPolicies` members are platform policies.
                    "PLATFORM_",
                ],
            );
            assert_eq!(json["error"]["code"], e.code().as_str());
            assert_eq!(json["error"]["path"], e.path());
        }
    }
    if let Ok(value) = vouch::parse_document(text, &Limits::DEFAULT) {
        assert_eq!(
            vouch::evaluate_bundle_value(value),
            out,
            "text and value entry points agree"
        );
    }
});
