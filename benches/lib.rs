//! Shared fixtures for the benchmarks: the bundled example, and generated policies.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark fixtures"
)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file of the repository, as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap()
}

/// A policy YAML with `n` allowlist patterns of every kind, spread over many projects.
pub fn policy_with_patterns(n: usize) -> String {
    let mut s = String::from("globalPolicyEvaluationMode: DISABLE\nadmissionWhitelistPatterns:\n");
    for i in 0..n {
        let p = match i % 4 {
            0 => format!("gcr.io/project-{}/app-{}*", i / 40, i % 40),
            1 => format!("us-docker.pkg.dev/project-{}/repo-{}/**", i / 40, i % 40),
            2 => format!("gcr.io/project-{}/tool-{}:v1.*", i / 40, i % 40),
            _ => format!("gcr.io/project-{}/pinned-{}:1.0", i / 40, i % 40),
        };
        s.push_str(&format!("- namePattern: {p}\n"));
    }
    s.push_str("defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n");
    s
}

use serde_json::{Value, json};
use vouch::{
    Evaluator, Evidence, KeyAlgorithm, Limits, Options, Policy, Request, SigningKey, Timestamp,
};

/// A deployment scenario, ready for the typed API and as a bundle.
#[allow(missing_debug_implementations, reason = "benchmark fixture")]
pub struct Scenario {
    /// The compiled policy and attestors.
    pub evaluator: Evaluator,
    /// The request.
    pub request: Request,
    /// The attestations.
    pub evidence: Evidence,
    /// The same inputs as one bundle (JSON text).
    pub bundle: String,
}

impl Scenario {
    /// Evaluates once.
    pub fn evaluate(&self) -> vouch::Decision {
        self.evaluator.evaluate(
            &self.request,
            &self.evidence,
            Timestamp::UNIX_EPOCH,
            Options::default(),
        )
    }
}

const PROJECT: &str = "projects/bench";

fn digest(i: usize) -> String {
    format!("sha256:{:064x}", i + 1)
}

fn attestor_name(i: usize) -> String {
    format!("{PROJECT}/attestors/a{i}")
}

fn note_name(i: usize) -> String {
    format!("{PROJECT}/notes/a{i}")
}

/// Deterministic P-256 signing keys, one per attestor.
pub fn keys(n: usize) -> Vec<SigningKey> {
    (0..n)
        .map(|i| {
            SigningKey::from_seed(KeyAlgorithm::P256, &[u8::try_from(i + 1).unwrap(); 32]).unwrap()
        })
        .collect()
}

/// Builds a scenario: `attestors` required attestors (P-256), `images` images each with a
/// valid attestation from every attestor, `unrelated` occurrences for other digests, and
/// `decoys` candidate occurrences (valid signatures over another digest's payload) placed
/// before each valid one. `allowlisted` exempts every image instead.
pub fn scenario(
    attestors: usize,
    images: usize,
    unrelated: usize,
    decoys: usize,
    allowlisted: bool,
) -> Scenario {
    let keys = keys(attestors.max(1));
    let repo = "us-docker.pkg.dev/bench/app/web";
    let mut policy = json!({
        "globalPolicyEvaluationMode": "DISABLE",
        "defaultAdmissionRule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"},
    });
    if allowlisted {
        policy["admissionWhitelistPatterns"] =
            json!([{"namePattern": "us-docker.pkg.dev/bench/app/**"}]);
    } else {
        policy["defaultAdmissionRule"] = json!({
            "evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
            "requireAttestationsBy": (0..attestors).map(attestor_name).collect::<Vec<_>>(),
        });
    }
    let attestor_docs: Vec<Value> = keys
        .iter()
        .enumerate()
        .take(attestors)
        .map(|(i, k)| {
            vouch::attestor_resource(
                &attestor_name(i),
                &note_name(i),
                &k.public_key_pem(),
                k.algorithm(),
                None,
                None,
            )
            .unwrap()
        })
        .collect();
    let mut occurrences = Vec::new();
    for u in 0..unrelated {
        let image = format!("{repo}@{}", digest(10_000 + u));
        occurrences.push(
            vouch::sign_attestation(
                &image,
                &note_name(u % attestors.max(1)),
                &keys[u % keys.len()],
                None,
                false,
            )
            .unwrap(),
        );
    }
    let image_refs: Vec<String> = (0..images)
        .map(|i| format!("{repo}@{}", digest(i)))
        .collect();
    if !allowlisted {
        for (i, image) in image_refs.iter().enumerate() {
            for (a, key) in keys.iter().enumerate().take(attestors) {
                for d in 0..decoys {
                    // A valid signature over another digest's payload, filed under this digest.
                    let mut decoy = vouch::sign_attestation(
                        &format!("{repo}@{}", digest(20_000 + d)),
                        &note_name(a),
                        key,
                        None,
                        false,
                    )
                    .unwrap();
                    decoy["resourceUri"] = json!(image);
                    occurrences.push(decoy);
                }
                let _ = i;
                occurrences
                    .push(vouch::sign_attestation(image, &note_name(a), key, None, false).unwrap());
            }
        }
    }
    let request = if images == 1 {
        json!({"images": image_refs})
    } else {
        let containers: Vec<Value> = image_refs
            .iter()
            .enumerate()
            .map(|(i, img)| json!({"name": format!("c{i}"), "image": img}))
            .collect();
        json!({"workload": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop"}, "spec": {"containers": containers}}})
    };
    let limits = Limits::DEFAULT;
    let attestor_list = Value::Array(attestor_docs.clone());
    let evaluator = Evaluator::new(
        Policy::from_value(policy.clone(), &limits).unwrap(),
        vouch::attestors_from_value(attestor_list, &limits).unwrap(),
        None,
    )
    .unwrap();
    let mut evidence = Evidence::new();
    evidence
        .add_value(&Value::Array(occurrences.clone()), &limits)
        .unwrap();
    let bundle = json!({
        "policy": policy, "attestors": attestor_docs, "attestations": occurrences,
        "request": request, "now": "1970-01-01T00:00:00Z",
    })
    .to_string();
    Scenario {
        evaluator,
        request: Request::from_value(request, &limits).unwrap(),
        evidence,
        bundle,
    }
}
