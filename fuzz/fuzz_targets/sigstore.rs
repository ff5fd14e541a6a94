//! cosign signature lines and sigstore bundles (`Evidence`, then `Evidence::inspect`): never
//! panic; load errors have documented `INPUT_` codes; every report item has a status and a
//! code; fail closed: with no trusted keys no cosign or sigstore item is VERIFIED, a VERIFIED
//! one names its key, and a witnessed time appears only when a Rekor key was trusted.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vouch::{Evidence, Limits, Timestamp, TrustMaterial};

fn trust() -> &'static (TrustMaterial, TrustMaterial, TrustMaterial) {
    static TRUST: OnceLock<(TrustMaterial, TrustMaterial, TrustMaterial)> = OnceLock::new();
    TRUST.get_or_init(|| {
        let key = include_str!("../../testdata/keys/ci-p256.pub.pem");
        let rekor = include_str!("../../testdata/keys/qa-p256.pub.pem");
        let with_rekor = serde_json::json!({
            "keys": [{"publicKeyPem": key}],
            "rekorKeys": [{"publicKeyPem": rekor}],
            "cloudBuildKeys": false,
        });
        let without_rekor =
            serde_json::json!({"keys": [{"publicKeyPem": key}], "cloudBuildKeys": false});
        let none = serde_json::json!({"cloudBuildKeys": false});
        let load = |v| TrustMaterial::from_value(v, &Limits::DEFAULT).expect("trust material");
        (load(with_rekor), load(without_rekor), load(none))
    })
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
    let now = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").expect("now");
    let (with_rekor, without_rekor, none) = trust();
    for (trust, has_keys, has_rekor) in [
        (with_rekor, true, true),
        (without_rekor, true, false),
        (none, false, false),
    ] {
        let report = evidence
            .inspect(trust, &[], None, now, &Limits::DEFAULT)
            .expect("inspect without an image filter");
        let items = report
            .images
            .iter()
            .flat_map(|i| i.items.iter())
            .chain(report.without_digest.iter());
        for item in items {
            assert!(!item.code.is_empty(), "an item without a code: {item:?}");
            if item.kind != "COSIGN_SIGNATURE" && item.kind != "SIGSTORE_BUNDLE" {
                continue;
            }
            let verified = item.status.as_str() == "VERIFIED";
            assert!(
                !verified || has_keys,
                "verified without trusted keys: {item:?}"
            );
            assert!(
                !verified || item.key_id.is_some(),
                "verified without a key: {item:?}"
            );
            assert!(
                item.witnessed_time.is_none() || has_rekor,
                "witnessed without a Rekor key: {item:?}"
            );
        }
    }
});
