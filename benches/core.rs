//! Core benchmarks: policy load + compile, allowlist matching at 10 vs 10,000 patterns, and an
//! evaluation with two required P-256 attestors against two bare P-256 verifications.
//!
//! Run: `cargo bench -p vouch-benches --bench core` (see docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmarks"
)]

use std::hint::black_box;

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use p256::ecdsa::signature::Verifier as _;
use p256::pkcs8::DecodePublicKey as _;
use serde_json::Value;
use vouch::{
    Evaluator, Evidence, Limits, Options, Policy, Request, Timestamp, attestors_from_value,
};
use vouch_benches::{policy_with_patterns, read};

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("policy_load_compile");
    for n in [10usize, 10_000] {
        let text = policy_with_patterns(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{n}_patterns"), |b| {
            b.iter(|| Policy::from_text(black_box(&text)).unwrap())
        });
    }
    g.finish();
}

fn allowlist(c: &mut Criterion) {
    let mut g = c.benchmark_group("allowlist_match");
    // Both images share the prefix of the first patterns, so the lookup walks deep in both sets.
    let images = [
        ("hit", "gcr.io/project-0/app-8:1.0"),
        (
            "miss",
            "gcr.io/project-0/other-image@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a",
        ),
    ];
    for n in [10usize, 10_000] {
        let policy = Policy::from_text(&policy_with_patterns(n)).unwrap();
        let set = policy.allowlist();
        for (name, image) in images {
            assert_eq!(set.first_match(image).is_some(), name == "hit");
            g.bench_function(format!("{n}_patterns_{name}"), |b| {
                b.iter(|| set.first_match(black_box(image)))
            });
        }
    }
    g.finish();
}

struct Example {
    evaluator: Evaluator,
    request: Request,
    evidence: Evidence,
    now: Timestamp,
}

fn example() -> Example {
    let limits = Limits::DEFAULT;
    let policy = Policy::from_text(&read("examples/policy.yaml")).unwrap();
    let attestors = attestors_from_value(
        serde_json::from_str(&read("examples/attestors.json")).unwrap(),
        &limits,
    )
    .unwrap();
    let evaluator = Evaluator::new(policy, attestors, None).unwrap();
    let image = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";
    let request = Request::from_value(
        serde_json::json!({"images": [image], "cluster": "us-central1-a.prod-cluster"}),
        &limits,
    )
    .unwrap();
    let mut evidence = Evidence::new();
    evidence
        .add_value(
            &serde_json::from_str(&read("examples/attestations.json")).unwrap(),
            &limits,
        )
        .unwrap();
    Example {
        evaluator,
        request,
        evidence,
        now: Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap(),
    }
}

/// The two (key, payload, signature) triples the example evaluation verifies.
fn bare_inputs() -> Vec<(p256::ecdsa::VerifyingKey, Vec<u8>, p256::ecdsa::Signature)> {
    let attestors: Value = serde_json::from_str(&read("examples/attestors.json")).unwrap();
    let occurrences: Value = serde_json::from_str(&read("examples/attestations.json")).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    (0..2)
        .map(|i| {
            let pem = attestors[i]["userOwnedGrafeasNote"]["publicKeys"][0]["pkixPublicKey"]["publicKeyPem"].as_str().unwrap();
            let key = p256::ecdsa::VerifyingKey::from_public_key_pem(pem).unwrap();
            let att = &occurrences[i]["attestation"];
            let payload = b64.decode(att["serializedPayload"].as_str().unwrap()).unwrap();
            let sig = b64.decode(att["signatures"][0]["signature"].as_str().unwrap()).unwrap();
            (key, payload, p256::ecdsa::Signature::from_der(&sig).unwrap())
        })
        .collect()
}

fn evaluate(c: &mut Criterion) {
    let ex = example();
    let decision = ex
        .evaluator
        .evaluate(&ex.request, &ex.evidence, ex.now, Options::default());
    assert!(decision.allowed, "{}", decision.to_json());
    let bare = bare_inputs();
    for (key, payload, sig) in &bare {
        key.verify(payload, sig).unwrap();
    }
    let mut g = c.benchmark_group("evaluate_two_p256_attestors");
    g.bench_function("vouch_evaluate", |b| {
        b.iter(|| {
            ex.evaluator.evaluate(
                black_box(&ex.request),
                black_box(&ex.evidence),
                ex.now,
                Options::default(),
            )
        })
    });
    g.bench_function("two_bare_p256_verifications", |b| {
        b.iter(|| {
            for (key, payload, sig) in &bare {
                black_box(key.verify(black_box(payload), black_box(sig))).unwrap();
            }
        })
    });
    // The default backend verifies P-256 with ring: the same two checks, with ring directly.
    #[cfg(feature = "native-crypto")]
    {
        let bare_ring: Vec<_> = bare
            .iter()
            .map(|(key, payload, sig)| {
                (
                    key.to_sec1_bytes(),
                    payload.clone(),
                    sig.to_der().as_bytes().to_vec(),
                )
            })
            .collect();
        g.bench_function("two_bare_ring_verifications", |b| {
            b.iter(|| {
                for (point, payload, sig) in &bare_ring {
                    let key = ring::signature::UnparsedPublicKey::new(
                        &ring::signature::ECDSA_P256_SHA256_ASN1,
                        point,
                    );
                    black_box(key.verify(black_box(payload), black_box(sig))).unwrap();
                }
            })
        });
    }
    let bundle = read("examples/bundles/prod-released.json");
    g.bench_function("bundle_entry_point_workload", |b| {
        b.iter(|| vouch::evaluate_bundle(black_box(&bundle)))
    });
    g.finish();
}

/// One required attestor, one valid signature: the evaluation's cost is essentially one
/// verification of that algorithm. Uses the `*-allow` vectors of each algorithm.
fn per_algorithm(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify_per_algorithm");
    let mut cases: Vec<(String, String)> = Vec::new();
    for (dir, suffix) in [
        ("algorithms", "-allow.json"),
        ("attestation", "openssl-p256-raw.json"),
        ("attestation", "ed25519-raw.json"),
        ("pgp", "legacy-attached-armored-rsa.json"),
        ("pgp", "legacy-attached-armored-ed25519.json"),
    ] {
        let mut files: Vec<_> =
            std::fs::read_dir(vouch_benches::root().join("testdata/vectors").join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().ends_with(suffix))
                .collect();
        files.sort();
        for f in files {
            let name = f
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .split_once('-')
                .unwrap()
                .1
                .trim_end_matches("-allow")
                .to_owned();
            cases.push((
                format!("{dir}/{name}"),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    }
    for (name, text) in cases {
        // The vector's test-only keys are the runner's: the bundle is the rest.
        let mut vector: serde_json::Value = serde_json::from_str(&text).unwrap();
        for key in ["expect", "expectError"] {
            vector.as_object_mut().unwrap().remove(key);
        }
        let bundle = vouch::Bundle::from_value(vector, &vouch::Limits::DEFAULT).unwrap();
        assert!(bundle.evaluate().allowed, "{name}");
        g.bench_function(name, |b| b.iter(|| black_box(&bundle).evaluate()));
    }
    g.finish();
}

criterion_group!(benches, load, allowlist, evaluate, per_algorithm);
criterion_main!(benches);
