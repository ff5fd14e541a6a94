//! Policy round trip through its wire model: load (YAML or JSON) → serialize the
//! `PolicyDocument` (serde `Serialize`, JSON) → load gives an equal policy document, and
//! serializing again gives the same bytes.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::{Limits, Policy};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let Ok(policy) = Policy::from_text(text) else {
        return;
    };
    let json = serde_json::to_string(policy.document()).expect("a policy serializes");
    let reloaded = Policy::from_text(&json)
        .unwrap_or_else(|e| panic!("serialized policy does not load: {e}\n{json}"));
    assert_eq!(reloaded.document(), policy.document(), "{json}");
    let json2 = serde_json::to_string(reloaded.document()).expect("serializes again");
    assert_eq!(json, json2, "serialization is stable");
    let value = serde_json::to_value(policy.document()).expect("to a value");
    let from_value = Policy::from_value(value, &Limits::DEFAULT).expect("value loads");
    assert_eq!(from_value.document(), policy.document());
    assert_eq!(from_value.global_mode(), policy.global_mode());
    assert_eq!(from_value.default_rule(), policy.default_rule());
    assert!(from_value.rules().eq(policy.rules()));
});
