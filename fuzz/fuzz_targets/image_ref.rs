//! Image references: a parsed reference re-assembles to its input from its parts, Display
//! round-trips, normalization is idempotent, and the simple-signing payload built from a
//! reference is valid JSON naming a prefix of the input and its digest.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vouch::ImageRef;

fuzz_target!(|data: &[u8]| {
    let Some(s) = common::text(data) else { return };

    if let Ok(r) = ImageRef::parse(s) {
        assert_eq!(r.as_str(), s);
        assert_eq!(r.to_string(), s, "Display round-trips");
        let mut rebuilt = String::new();
        if let Some(registry) = r.registry() {
            rebuilt.push_str(registry);
            rebuilt.push('/');
        }
        rebuilt.push_str(r.path());
        assert_eq!(r.repository(), rebuilt, "repository = registry/path");
        if let Some(tag) = r.tag() {
            rebuilt.push(':');
            rebuilt.push_str(tag);
        }
        if let Some(digest) = r.digest() {
            rebuilt.push('@');
            rebuilt.push_str(digest);
        }
        assert_eq!(rebuilt, s, "parts re-assemble to the input: {r:?}");
        assert!(!r.path().is_empty());
        assert!(r.path().len() <= vouch::internal::MAX_PATH_LEN);
        if let Some(d) = r.sha256_digest() {
            assert_eq!(Some(d), r.digest());
        }
        let again = ImageRef::parse(&r.to_string()).expect("Display output parses");
        assert_eq!(again, r);

        if let Ok(n) = r.normalized() {
            assert!(n.registry().is_some(), "normalized names a registry: {n:?}");
            assert!(
                n.tag().is_some() || n.digest().is_some(),
                "normalized has a tag or digest: {n:?}"
            );
            assert_eq!(n.digest(), r.digest(), "normalization keeps the digest");
            let twice = n.normalized().expect("a normalized reference normalizes");
            assert_eq!(twice, n, "normalization is idempotent");
        }
    }

    if let Ok(payload) = vouch::create_signature_payload(s) {
        let json: Value = serde_json::from_slice(&payload).expect("payload is JSON");
        let reference = json["critical"]["identity"]["docker-reference"]
            .as_str()
            .expect("docker-reference is a string");
        let digest = json["critical"]["image"]["docker-manifest-digest"]
            .as_str()
            .expect("docker-manifest-digest is a string");
        let stripped = s.strip_prefix("https://").unwrap_or(s);
        assert!(
            stripped.starts_with(reference),
            "docker-reference {reference:?} is a prefix of {s:?}"
        );
        assert!(digest.starts_with("sha256:") && stripped.ends_with(digest));
        let statement =
            vouch::internal::parse_simple_signing(&payload).expect("own payload parses");
        assert_eq!(statement.digest, digest);
        assert_eq!(statement.reference.as_deref(), Some(reference));
    }
});
