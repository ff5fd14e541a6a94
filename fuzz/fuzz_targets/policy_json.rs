//! Policy loading from JSON: the strict text loader (duplicate keys and depth refused) and the
//! value loader agree: whatever the strict loader accepts, serde_json's value loads to the
//! same policy; errors have documented `INPUT_`/`POLICY_` codes and JSON pointers.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vouch::{Limits, Policy};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let strict = Policy::from_text(text);
    if let Err(e) = &strict {
        common::check_error(e, &["INPUT_", "POLICY_"]);
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let from_value = Policy::from_value(value, &Limits::DEFAULT);
    match (&strict, &from_value) {
        (Ok(a), Ok(b)) => assert_eq!(a.document(), b.document(), "text and value loaders"),
        (Ok(a), Err(e)) => panic!("text loads ({:?}) but its value fails: {e}", a.document()),
        (Err(_), Ok(_)) => {
            // The strict reader refuses what serde_json accepts (duplicate keys, depth);
            // then it must say so with an input code.
            let e = strict.as_ref().err().expect("strict failed");
            assert!(
                e.code().as_str().starts_with("INPUT_"),
                "value loads but text fails with {e}"
            );
        }
        (Err(a), Err(b)) => {
            common::check_error(b, &["INPUT_", "POLICY_"]);
            if !a.code().as_str().starts_with("INPUT_") {
                assert_eq!(a.code(), b.code(), "same document, same error: {a} / {b}");
                assert_eq!(a.path(), b.path(), "same document, same path: {a} / {b}");
            }
        }
    }
});
