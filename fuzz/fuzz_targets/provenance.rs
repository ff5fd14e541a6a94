//! Build provenance and DSSE attestations (`Evidence`, then `Evidence::inspect`): never panic;
//! load errors have documented `INPUT_` codes; every report item has a status and a code; fail
//! closed: with no trusted keys (Cloud Build's shipped keys off) no BUILD or DSSE_ATTESTATION
//! item is VERIFIED, and a VERIFIED one names its key.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vouch::{Evidence, Limits, Timestamp, TrustMaterial};

fn trust() -> &'static (TrustMaterial, TrustMaterial, TrustMaterial, TrustMaterial) {
    static TRUST: OnceLock<(TrustMaterial, TrustMaterial, TrustMaterial, TrustMaterial)> =
        OnceLock::new();
    TRUST.get_or_init(|| {
        let key = include_str!("../../testdata/keys/ci-p256.pub.pem");
        let named = serde_json::json!({"keys": [{"keyId": "ci", "publicKeyPem": key}], "cloudBuildKeys": false});
        let unnamed = serde_json::json!({"keys": [{"publicKeyPem": key}], "cloudBuildKeys": false});
        let none = serde_json::json!({"cloudBuildKeys": false});
        let load = |v| TrustMaterial::from_value(v, &Limits::DEFAULT).expect("trust material");
        (TrustMaterial::new(), load(named), load(unnamed), load(none))
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
    let (cloud_build, named, unnamed, none) = trust();
    for (trust, has_keys) in [
        (cloud_build, true),
        (named, true),
        (unnamed, true),
        (none, false),
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
            if item.kind != "BUILD" && item.kind != "DSSE_ATTESTATION" {
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
        }
    }
});
