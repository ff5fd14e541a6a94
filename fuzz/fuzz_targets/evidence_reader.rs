//! Evidence input shapes and the unsigned kinds (`Evidence::from_text`, then
//! `Evidence::inspect`): JSON lists, `{"occurrences": […]}`, JSON lines, single objects and the
//! `gcloud artifacts docker images describe --show-all-metadata` object, with vulnerability
//! findings, scans and image records. Never panic; load errors have documented `INPUT_` codes
//! and JSON pointers; every report item has a code; findings, scans and records are never
//! `VERIFIED` (they carry no signature); every item is filed under a well-formed digest; the
//! report counts no more items than were read.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::{Evidence, Limits, Timestamp, TrustMaterial};

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
    let report = evidence
        .inspect(&TrustMaterial::default(), &[], None, now, &Limits::DEFAULT)
        .expect("inspect without an image filter");
    for image in &report.images {
        let hex = image.digest.strip_prefix("sha256:").expect("sha256 digest");
        assert!(
            hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
            "bad digest {}",
            image.digest
        );
    }
    let unknown: usize = report.unknown_kinds.values().sum();
    assert!(unknown <= report.items_read);
    assert_eq!(report.items_read, evidence.items_read());
    let items = report
        .images
        .iter()
        .flat_map(|i| i.items.iter())
        .chain(report.without_digest.iter());
    for item in items {
        assert!(!item.code.is_empty(), "an item without a code: {item:?}");
        if matches!(item.kind, "VULNERABILITY" | "DISCOVERY" | "IMAGE_RECORD") {
            assert!(
                !matches!(
                    item.status,
                    vouch::ItemStatus::Verified | vouch::ItemStatus::Unverified
                ),
                "unsigned evidence reported as signed: {item:?}"
            );
            assert!(
                item.key_id.is_none()
                    && item.signed_time.is_none()
                    && item.witnessed_time.is_none()
            );
        }
    }
});
