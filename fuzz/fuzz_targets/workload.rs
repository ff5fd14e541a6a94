//! Requests and Kubernetes manifests (`request.rs`, `manifest.rs`, `cloud_run.rs`): never
//! panic; errors have documented `INPUT_`/`REQUEST_` codes and JSON pointers; every workload
//! found in a manifest is a workload (a Kubernetes workload kind, or a Cloud Run service or
//! job), and a request built from it (or from the text as a request document) names at least
//! one image, each a valid reference, with valid namespace and service account; a Cloud Run
//! request has one digest resolution per image.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::manifest::{is_workload, is_workload_kind};
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
    if let Some(cloud_run) = request.cloud_run() {
        assert_eq!(cloud_run.resolutions().len(), request.images().len());
        assert_eq!(
            request.break_glass(),
            cloud_run.break_glass_justification().is_some()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let limits = Limits::DEFAULT;

    match vouch::manifest::workloads(text, &limits) {
        Ok(found) => {
            for w in found.iter().take(16) {
                assert!(is_workload(&w.object), "kind {}", w.kind);
                match w.object["kind"].as_str() {
                    Some(kind) => {
                        assert_eq!(kind, w.kind.as_str());
                        assert!(
                            is_workload_kind(kind) || kind == "Service" || kind == "WorkerPool",
                            "kind {kind}"
                        );
                    }
                    // A v2 Cloud Run object: no kind, named by its resource name.
                    None => assert!(["Service", "Job", "WorkerPool"].contains(&w.kind.as_str())),
                }
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
