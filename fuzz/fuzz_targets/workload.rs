//! Requests and Kubernetes manifests (`request.rs`, `manifest.rs`): never panic; errors have
//! documented `INPUT_`/`REQUEST_` codes and JSON pointers; every workload found in a manifest
//! is of a workload kind, and a request built from it (or from the text as a request
//! document) names at least one image, each a valid reference, with valid namespace and
//! service account.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::manifest::is_workload_kind;
use vouch::{ImageRef, Limits, Request, RequestBuilder};

fn check_request(request: &Request) {
    assert!(!request.images().is_empty(), "a request has images");
    assert!(request.images().len() <= Limits::DEFAULT.max_images);
    for image in request.images() {
        assert_eq!(
            ImageRef::parse(image.image.as_str()).as_ref(),
            Ok(&image.image)
        );
    }
    assert!(!request.namespace().is_empty());
    assert!(!request.service_account().is_empty());
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let limits = Limits::DEFAULT;

    match vouch::manifest::workloads(text, &limits) {
        Ok(found) => {
            for w in found.iter().take(16) {
                assert!(is_workload_kind(&w.kind), "kind {}", w.kind);
                assert_eq!(w.object["kind"].as_str(), Some(w.kind.as_str()));
                match RequestBuilder::for_workload(w.object.clone()).build() {
                    Ok(request) => check_request(&request),
                    Err(e) => common::check_error(&e, &["INPUT_", "REQUEST_"]),
                }
            }
        }
        // A document or list item kubectl refuses is a `REQUEST_` error (fail closed).
        Err(e) => common::check_error(&e, &["INPUT_", "REQUEST_"]),
    }

    // The same text as a bundle's `request` member.
    if let Ok(value) = vouch::parse_document(text, &limits) {
        match Request::from_value(value, &limits) {
            Ok(request) => check_request(&request),
            Err(e) => common::check_error(&e, &["INPUT_", "REQUEST_"]),
        }
    }
});
