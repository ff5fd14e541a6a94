//! Evidence at scale (issue 14, "unrelated evidence stays free"): evaluation time with 0, 100,
//! 1,000 and 10,000 unrelated evidence items of mixed kinds (the ratio 10,000 / 0 must stay
//! under 1.2), and the time to read 1, 5, 10 and 20 MB evidence files (linear in the size), with the
//! JSON parse alone for comparison.
//!
//! Run: `cargo bench -p vouch-benches --bench evidence -- --quick` (figures in
//! docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmarks"
)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use vouch::{Evidence, Limits};
use vouch_benches::{evidence_file, mixed_evidence, scenario_documents};

fn evaluate_with_unrelated(c: &mut Criterion) {
    let mut g = c.benchmark_group("evidence_unrelated_evaluate");
    g.throughput(Throughput::Elements(1));
    for n in [0, 100, 1_000, 10_000] {
        let mut docs = scenario_documents(1, 1, 0, 0, false);
        docs.occurrences.extend(mixed_evidence(n));
        let s = docs.build();
        assert_eq!(s.evidence.items_read(), n + 1);
        assert!(s.evaluate().allowed, "{n}: {}", s.evaluate().to_json());
        g.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| black_box(s).evaluate())
        });
    }
    g.finish();
}

fn read_files(c: &mut Criterion) {
    let mut g = c.benchmark_group("evidence_read");
    g.sample_size(10);
    for (form, json_lines) in [("json_list", false), ("json_lines", true)] {
        for mb in [1, 5, 10, 20] {
            let text = evidence_file(mb * 1_000_000, json_lines);
            let read = Evidence::from_text_with_limits(&text, &Limits::DEFAULT).unwrap();
            assert!(read.items_read() > 1000);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(form, format!("{mb}MB")), &text, |b, t| {
                b.iter(|| Evidence::from_text_with_limits(black_box(t), &Limits::DEFAULT).unwrap())
            });
        }
    }
    g.finish();
    // The JSON parse alone (into a value, no evidence read), to split the reading cost.
    let mut g = c.benchmark_group("evidence_parse_only");
    g.sample_size(10);
    for mb in [1, 10] {
        let text = evidence_file(mb * 1_000_000, false);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("json_list", format!("{mb}MB")),
            &text,
            |b, t| b.iter(|| vouch::parse_document(black_box(t), &Limits::DEFAULT).unwrap()),
        );
    }
    g.finish();
}

criterion_group!(benches, evaluate_with_unrelated, read_files);
criterion_main!(benches);
