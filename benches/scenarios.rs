//! The performance scenarios of docs/performance.md: evaluation cost by shape of request and
//! evidence, the cached re-evaluation, image-reference parsing, the bundle entry point's
//! overhead, and the verification backends.
//!
//! Run: `cargo bench -p vouch-benches --bench scenarios` (the default backend, ring for ECDSA;
//! add `--no-default-features` to measure the pure-Rust crates).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmarks"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use vouch_benches::scenario;

fn evaluate(c: &mut Criterion) {
    let mut g = c.benchmark_group("evaluate");
    g.throughput(Throughput::Elements(1));
    for (name, s) in [
        ("allowlisted_image", scenario(0, 1, 0, 0, true)),
        ("one_attestor", scenario(1, 1, 0, 0, false)),
        ("three_attestors", scenario(3, 1, 0, 0, false)),
        (
            "workload_20_containers_3_attestors",
            scenario(3, 20, 0, 0, false),
        ),
        ("1000_unrelated_occurrences", scenario(1, 1, 1000, 0, false)),
        ("100_candidates_last_verifies", scenario(1, 1, 0, 99, false)),
    ] {
        assert!(s.evaluate().allowed, "{name}: {}", s.evaluate().to_json());
        g.bench_function(name, |b| b.iter(|| black_box(&s).evaluate()));
    }
    let cached = scenario(2, 1, 0, 0, false);
    let evaluator = cached.evaluator.clone().with_verification_cache(1024);
    let warm = || {
        evaluator.evaluate(
            &cached.request,
            &cached.evidence,
            vouch::Timestamp::UNIX_EPOCH,
            vouch::Options::default(),
        )
    };
    assert_eq!(warm().to_json(), cached.evaluate().to_json());
    g.bench_function("two_attestors_cached_reevaluation", |b| {
        b.iter(|| black_box(warm()))
    });
    g.finish();
}

fn bundle_overhead(c: &mut Criterion) {
    let mut g = c.benchmark_group("bundle_vs_typed");
    for (name, s) in [
        ("allowlisted_image", scenario(0, 1, 0, 0, true)),
        ("one_attestor", scenario(1, 1, 0, 0, false)),
    ] {
        assert_eq!(vouch::evaluate_bundle(&s.bundle), s.evaluate().to_json());
        g.bench_function(format!("{name}/typed"), |b| {
            b.iter(|| black_box(&s).evaluate().to_json())
        });
        g.bench_function(format!("{name}/bundle"), |b| {
            b.iter(|| vouch::evaluate_bundle(black_box(&s.bundle)))
        });
    }
    g.finish();
}

fn image_ref(c: &mut Criterion) {
    let mut g = c.benchmark_group("image_ref_parse");
    for (name, r) in [
        ("short", "nginx:1.25"),
        (
            "digest",
            "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a",
        ),
        (
            "tag_and_digest",
            "registry.example.com:5000/team/app:v1.2.3@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a",
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| vouch::ImageRef::parse(black_box(r)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, evaluate, bundle_overhead, image_ref);
criterion_main!(benches);
