//! Attestor loading (`attestors_from_text`): never panics; errors have documented `INPUT_` or
//! `ATTESTOR_` codes and JSON pointers; loaded attestors have well-formed names, note
//! references and non-empty, distinct key ids, and load again identically.
#![no_main]

mod common;

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;

fn resource(name: &str, collection: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() == 4
        && parts[0] == "projects"
        && parts[2] == collection
        && !parts[1].is_empty()
        && !parts[3].is_empty()
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    match vouch::attestors_from_text(text) {
        Ok(attestors) => {
            for a in &attestors {
                assert!(resource(a.name(), "attestors"), "name {:?}", a.name());
                assert!(
                    resource(a.note_reference(), "notes"),
                    "note {:?}",
                    a.note_reference()
                );
                let mut ids = BTreeSet::new();
                for k in a.keys() {
                    assert!(!k.id().is_empty(), "empty key id in {}", a.name());
                    assert!(
                        !k.id().chars().any(|c| c.is_whitespace() || c.is_control()),
                        "key id {:?}",
                        k.id()
                    );
                    assert!(ids.insert(k.id()), "duplicate key id {:?}", k.id());
                    assert_eq!(a.key(k.id()).map(vouch::PublicKey::id), Some(k.id()));
                }
            }
            let again = vouch::attestors_from_text(text).expect("loading is deterministic");
            assert_eq!(again.len(), attestors.len());
            for (x, y) in again.iter().zip(&attestors) {
                assert_eq!(x.name(), y.name());
                let xs: Vec<_> = x.keys().iter().map(|k| (k.id(), k.algorithm())).collect();
                let ys: Vec<_> = y.keys().iter().map(|k| (k.id(), k.algorithm())).collect();
                assert_eq!(xs, ys);
            }
        }
        Err(e) => common::check_error(&e, &["INPUT_", "ATTESTOR_"]),
    }
});
