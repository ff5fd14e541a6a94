//! Continuous validation at cluster scale (issue 15): a snapshot of 10,000 Pods over 50
//! distinct images in 20 namespaces, one platform policy with a service-account set, a
//! namespace set and the default set (trusted directory, image freshness from image records,
//! always-deny), evaluated to its log entries. Each distinct (policy, check set, image) is
//! evaluated once, so the run costs at most 153 image evaluations (73 in this snapshot: not
//! every image reaches every set) plus reading the Pods and writing the entries.
//!
//! Run: `cargo bench -p vouch-benches --bench platform -- --warm-up-time 1 --measurement-time 5`
//! (figures in docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "benchmarks"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use vouch::Limits;

const PODS: usize = 10_000;
const IMAGES: usize = 50;
const NAMESPACES: usize = 20;
const TRUSTED: &str = "us-central1-docker.pkg.dev/bench-project/trusted";
const OTHER: &str = "us-central1-docker.pkg.dev/bench-project/other";

fn digest(i: usize) -> String {
    format!("sha256:{:064x}", i + 1)
}

/// Image `i`: most in the trusted directory, every fifth elsewhere; all by digest.
fn image(i: usize) -> String {
    let dir = if i % 5 == 4 { OTHER } else { TRUSTED };
    format!("{dir}/app-{i}@{}", digest(i))
}

fn policy() -> Value {
    json!({"gkePolicy": {
        "imageAllowlist": {"allowPattern": ["gke.gcr.io/**"]},
        "checkSets": [
            {"displayName": "Deployers", "scope": {"kubernetesServiceAccount": "ns-0:deployer"},
             "checks": [{"displayName": "Trusted only",
                         "trustedDirectoryCheck": {"trustedDirPatterns": [TRUSTED]}}]},
            {"displayName": "Sandbox", "scope": {"kubernetesNamespace": "ns-1"},
             "checks": [{"displayName": "Nothing runs here", "alwaysDeny": true}]},
            {"displayName": "Default check set",
             "checks": [
                 {"displayName": "My trusted directory check",
                  "trustedDirectoryCheck": {"trustedDirPatterns": [TRUSTED]}},
                 {"displayName": "My image freshness check",
                  "imageFreshnessCheck": {"maxUploadAgeDays": 30}}]}]}})
}

fn snapshot() -> Value {
    let items: Vec<Value> = (0..PODS)
        .map(|p| {
            let ns = p % NAMESPACES;
            let sa = if p % 7 == 0 { "deployer" } else { "default" };
            let a = p % IMAGES;
            let b = (p * 7 + 3) % IMAGES;
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("pod-{p}"), "namespace": format!("ns-{ns}"),
                             "creationTimestamp": "2026-11-20T08:00:00Z",
                             "labels": {"app": format!("app-{a}")}},
                "spec": {"serviceAccountName": sa,
                         "initContainers": [{"name": "init", "image": image(b)}],
                         "containers": [{"name": "app", "image": image(a)},
                                        {"name": "dns", "image": "gke.gcr.io/k8s-dns:1.22"}]},
                "status": {"phase": "Running", "startTime": "2026-11-20T08:00:01Z"}})
        })
        .collect();
    json!({"apiVersion": "v1", "kind": "List", "items": items})
}

/// Upload times: even images fresh, odd ones stale, every tenth without a record (ERROR).
fn records() -> Value {
    let items: Vec<Value> = (0..IMAGES)
        .filter(|i| i % 10 != 9)
        .map(|i| {
            let upload = if i % 2 == 0 {
                "2026-11-20T00:00:00Z"
            } else {
                "2026-08-01T00:00:00Z"
            };
            let uri = image(i);
            json!({"uri": uri, "uploadTime": upload})
        })
        .collect();
    Value::Array(items)
}

fn document() -> Value {
    json!({
        "platformPolicies": {"projects/1234567890/platforms/gke/policies/bench": policy()},
        "pods": snapshot(),
        "attestations": records(),
        "cluster": "bench-project/us-central1-a/bench-cluster",
        "now": "2026-11-23T10:00:00Z",
    })
}

fn continuous_validation(c: &mut Criterion) {
    let doc = document();
    let text = doc.to_string();
    let limits = Limits::DEFAULT;
    let report = vouch::continuous_validation_with_limits(doc.clone(), &limits).unwrap();
    assert_eq!(report.summary.pods, PODS);
    // At most the 50 images and the exempt GKE image under each of the 3 sets.
    assert!(report.summary.evaluations <= 3 * (IMAGES + 1));
    assert!(!report.entries.is_empty());
    eprintln!(
        "snapshot: {} bytes of JSON, {} entries, {} errors, {} evaluations",
        text.len(),
        report.entries.len(),
        report.errors.len(),
        report.summary.evaluations
    );
    let mut g = c.benchmark_group("cv_10000_pods_50_images");
    g.sample_size(10);
    g.throughput(Throughput::Elements(PODS as u64));
    g.bench_function("from_value", |b| {
        b.iter_batched(
            || doc.clone(),
            |d| vouch::continuous_validation_with_limits(black_box(d), &limits).unwrap(),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("from_text_to_json_lines", |b| {
        b.iter(|| {
            let report = vouch::continuous_validation_document(black_box(&text)).unwrap();
            report
                .entries
                .iter()
                .map(|e| e.to_json().len())
                .sum::<usize>()
        })
    });
    // The share of reading the snapshot into requests (no evaluation).
    let pods = doc["pods"].clone();
    g.bench_function("read_snapshot_only", |b| {
        b.iter(|| vouch::PodSnapshot::from_value(black_box(&pods), &limits).unwrap())
    });
    g.finish();
}

criterion_group!(benches, continuous_validation);
criterion_main!(benches);
