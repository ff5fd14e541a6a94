//! Policy loading from YAML (or any text): never panics; an error has a documented `INPUT_` or
//! `POLICY_` code and a JSON pointer; a loaded policy lints and loads again identically; and
//! `validate_policy` (the front ends' entry point) agrees with loading.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::Policy;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let loaded = Policy::from_text(text);
    // A document with `gkePolicy` or `cloudRunPolicy` is linted as a platform policy (the
    // `platform_policy` target checks that); as a project policy it is refused.
    if vouch::parse_document(text, &vouch::Limits::DEFAULT)
        .is_ok_and(|v| v.get("gkePolicy").is_some() || v.get("cloudRunPolicy").is_some())
    {
        if let Err(e) = &loaded {
            common::check_error(e, &["INPUT_", "POLICY_"]);
        }
        assert!(
            loaded.is_err(),
            "`gkePolicy` and `cloudRunPolicy` are not project-policy fields"
        );
        return;
    }
    let validation = vouch::validate_policy(text, None);
    match &loaded {
        Ok(policy) => {
            let warnings = vouch::lint(policy, &[]);
            let again = Policy::from_text(text).expect("loading is deterministic");
            assert_eq!(again.document(), policy.document());
            assert!(validation.ok && validation.errors.is_empty());
            assert_eq!(validation.warnings.len(), warnings.len());
        }
        Err(e) => {
            common::check_error(e, &["INPUT_", "POLICY_"]);
            assert!(!validation.ok);
            let first = validation
                .errors
                .first()
                .expect("validation reports the error");
            assert_eq!(first.code(), e.code());
            assert_eq!(first.path(), e.path());
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&validation.to_json()).expect("validation JSON parses");
    assert_eq!(json["ok"], loaded.is_ok());
});
