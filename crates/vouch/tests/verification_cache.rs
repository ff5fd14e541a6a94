//! The verification cache can never change a decision (issue 12, item 5).
//!
//! Every bundle of `testdata/vectors/` is split into its configuration (compiled once into an
//! evaluator without a cache) and its per-request members. A random sequence of (evaluator,
//! request) pairs — a vector's own request, or another vector's request against this vector's
//! policy and attestors — is evaluated by evaluators that all share one small verification
//! cache (so entries are reused across policies, attestors and requests, and evicted), and each
//! decision must be byte-identical to the decision of the evaluator without a cache.
//!
//! With the algorithm left out of the cache key (today's main before this test), a sequence
//! that evaluates `algorithms/*-rsa-pss-2048-sha256-allow` and then
//! `algorithms/*-pss-signature-for-pkcs1-key`, or any of `algorithms/*-same-rsa-key-*`, admits
//! a PSS signature for an `RSA_SIGN_PKCS1_2048_SHA256` attestor.
//!
//! Case counts: `PROPTEST_CASES` (default 256).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use proptest::prelude::*;
use serde_json::{Map, Value};
use vouch::{Bundle, Evaluator, Limits, VerificationCache};

const CONFIG: &[&str] = &["policy", "attestors", "systemPolicy", "cloudRunPolicies"];
const REQUEST: &[&str] = &["request", "attestations", "now", "options"];

struct Vector {
    name: String,
    evaluator: Evaluator,
    request: Value,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn members(bundle: &Map<String, Value>, keys: &[&str]) -> Value {
    Value::Object(
        bundle
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// Every vector whose configuration compiles and whose request loads.
static VECTORS: LazyLock<Vec<Vector>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vectors");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    // The toolkit suites (lint, payload, sign) live beside the bundle groups but are not bundles.
    paths.retain(|path| {
        let suite = path.strip_prefix(&root).unwrap().iter().next();
        !suite.is_some_and(|s| s == "lint" || s == "payload" || s == "sign" || s == "inspect")
    });
    let limits = Limits::DEFAULT;
    let vectors: Vec<Vector> = paths
        .iter()
        .filter_map(|path| {
            let bundle: Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let bundle = bundle.as_object()?;
            let evaluator = Bundle::evaluator_from_value(members(bundle, CONFIG), &limits).ok()?;
            let request = members(bundle, REQUEST);
            Bundle::with_evaluator(&evaluator, request.clone(), &limits).ok()?;
            Some(Vector {
                name: path.strip_prefix(&root).unwrap().display().to_string(),
                evaluator,
                request,
            })
        })
        .collect();
    assert!(vectors.len() > 250, "only {} vectors loaded", vectors.len());
    vectors
});

fn decide(evaluator: &Evaluator, request: &Value) -> Option<String> {
    Bundle::with_evaluator(evaluator, request.clone(), &Limits::DEFAULT)
        .ok()
        .map(|b| b.evaluate().to_json())
}

fn cases() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256),
        ..ProptestConfig::default()
    }
}

/// (evaluator, request): a vector's own request, or another vector's request.
fn step() -> impl Strategy<Value = (usize, usize)> {
    let n = VECTORS.len();
    prop_oneof![(0..n).prop_map(|i| (i, i)), (0..n, 0..n),]
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn the_cache_never_changes_a_decision(
        capacity in prop_oneof![Just(1usize), 2usize..16, Just(4096)],
        steps in proptest::collection::vec(step(), 1..24),
    ) {
        let cache = Arc::new(VerificationCache::new(capacity));
        for (e, r) in steps {
            let vector = &VECTORS[e];
            let request = &VECTORS[r].request;
            let cached = vector.evaluator.clone().with_shared_verification_cache(Arc::clone(&cache));
            let with_cache = decide(&cached, request);
            let without = decide(&vector.evaluator, request);
            prop_assert_eq!(with_cache, without, "policy and attestors of {}, request of {}", vector.name, VECTORS[r].name);
        }
        prop_assert!(cache.len() <= capacity);
    }
}

/// The exact confusion of issue 12: a PSS signature verified for an `RSA_PSS_2048_SHA256`
/// attestor, then presented for an `RSA_SIGN_PKCS1_2048_SHA256` attestor of the same key.
#[test]
fn pss_result_is_not_reused_for_pkcs1() {
    let find = |suffix: &str| {
        VECTORS
            .iter()
            .find(|v| v.name.ends_with(suffix))
            .unwrap_or_else(|| panic!("no vector {suffix}"))
    };
    let pss = find("-rsa-pss-2048-sha256-allow.json");
    let pkcs1 = find("-pss-signature-for-pkcs1-key.json");
    let cache = Arc::new(VerificationCache::new(64));
    for v in [pss, pkcs1, pss] {
        let cached = v
            .evaluator
            .clone()
            .with_shared_verification_cache(Arc::clone(&cache));
        assert_eq!(
            decide(&cached, &v.request),
            decide(&v.evaluator, &v.request),
            "{}",
            v.name
        );
    }
}
