//! Pod snapshots (`request/snapshot.rs`) and continuous validation over them
//! (`evaluate/cv.rs`, `bundle/cv.rs`), from any text: never panic; a snapshot that does not load
//! has a documented `INPUT_`/`REQUEST_` code and a JSON pointer; one that loads runs through
//! `continuous_validation_value` with a fixed policy to a report whose summary counts exactly
//! the Pods read and skipped, that makes at most one evaluation per image, and whose entries are
//! one `VIOLATES_POLICY` event per violating Pod listing only `DENY` images with only
//! `NON_CONFORMANT` checks.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use vouch::{Limits, PodSnapshot};

/// Every check kind that needs no signature, and a namespace-scoped set, so that Pods select
/// different sets and images conform, violate and err.
const POLICY: &str = "gkePolicy:
  imageAllowlist:
    allowPattern: gke.gcr.io/**
  checkSets:
  - displayName: prod
    scope:
      kubernetesNamespace: prod
    checks:
    - alwaysDeny: true
  - displayName: default
    checks:
    - trustedDirectoryCheck:
        trustedDirPatterns: us-docker.pkg.dev/example-project/**
    - imageFreshnessCheck:
        maxUploadAgeDays: 30
";

const NAME: &str = "projects/1234567890/platforms/gke/policies/fuzz";

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let limits = Limits::DEFAULT;
    let snapshot = match PodSnapshot::from_text_with_limits(text, &limits) {
        Ok(snapshot) => snapshot,
        Err(e) => {
            common::check_error(&e, &["INPUT_", "REQUEST_"]);
            return;
        }
    };
    for e in snapshot.skipped() {
        common::check_error(e, &["INPUT_", "REQUEST_"]);
    }
    let Ok(pods) = vouch::parse_document(text, &limits) else {
        panic!("a snapshot that loads parses");
    };
    let images: usize = snapshot
        .pods()
        .iter()
        .map(|p| p.request().images().len())
        .sum();
    let document = json!({
        "platformPolicies": {NAME: POLICY},
        "pods": pods,
        "now": "2026-11-23T10:00:00Z",
    });
    let out = vouch::continuous_validation_value(document);
    let report: Value = serde_json::from_str(&out).expect("continuous validation returns JSON");
    assert!(
        report.get("error").is_none(),
        "a snapshot that loads is validated: {out}"
    );
    let summary = &report["summary"];
    assert_eq!(summary["pods"], snapshot.pods().len(), "{out}");
    assert_eq!(summary["podsSkipped"], snapshot.skipped().len(), "{out}");
    assert_eq!(summary["images"], images, "{out}");
    let evaluations = summary["evaluations"].as_u64().expect("evaluations");
    assert!(evaluations <= images as u64, "memoized: {out}");
    let entries = report["entries"].as_array().expect("entries");
    assert!(entries.len() <= snapshot.pods().len(), "{out}");
    assert_eq!(summary["violations"][NAME], entries.len(), "{out}");
    for entry in entries {
        let event = &entry["podEvent"];
        assert_eq!(event["verdict"], "VIOLATES_POLICY", "{entry}");
        assert_eq!(event["policyName"], NAME, "{entry}");
        let failing = event["images"].as_array().expect("images");
        assert!(
            !failing.is_empty(),
            "an event lists its failing images: {entry}"
        );
        for image in failing {
            assert_eq!(image["result"], "DENY", "{entry}");
            let checks = image["checkResults"].as_array().expect("checkResults");
            assert!(!checks.is_empty(), "{entry}");
            assert!(
                checks.iter().all(|c| c["verdict"] == "NON_CONFORMANT"),
                "{entry}"
            );
        }
    }
});
