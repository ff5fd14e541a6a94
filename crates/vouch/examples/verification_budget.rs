//! Worst-case evidence for the verification budget (issue 12, item 4; `docs/limits.md`).
//!
//! ```sh
//! # write a bundle of at most SIZE MiB (default 63) of well-formed but wrong signatures
//! cargo run -p vouch --example verification_budget -- gen ALG SHAPE OUT.json [SIZE]
//! # decide it, as every front end does (`Bundle::from_text`, then `evaluate`), and print times
//! /usr/bin/time -v target/debug/examples/verification_budget eval OUT.json
//! ```
//!
//! ALG: `p256`, `p384`, `ed25519` (keys from fixed seeds), `p521`, `rsa4096` (RSA_PSS_4096_SHA256),
//! `mldsa65` (keys and one valid signature from `testdata/vectors/algorithms`). Each wrong
//! signature is the valid one with two low bytes changed (ECDSA `s`, Ed25519 `S`, the RSA
//! integer, ML-DSA's challenge hash): distinct, well-formed, and only a full verification tells
//! it is wrong.
//!
//! SHAPE:
//! - `one`: one attestor, one image; occurrences of 64 wrong signatures under the attestor's
//!   key id and the image's payload, then the valid occurrence last.
//! - `many`: 50 attestors (the same key, each its own note) × 100 images; every (attestor,
//!   image) pair gets the same share of wrong signatures.
//! - `payload`: one occurrence whose payload is padded to fill the bundle, with 64 wrong
//!   signatures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "measurement tool"
)]

use std::path::Path;
use std::time::Instant;

use base64::Engine as _;
use serde_json::{Value, json};
use vouch::{Bundle, DetailCode, KeyAlgorithm, SigningKey};

const NOW: &str = "2026-12-01T00:00:00Z";
const REPO: &str = "us-docker.pkg.dev/example-project/app/web";

struct Base {
    attestor: Value,
    key_id: String,
    /// A valid signature over the payload of `image(0)`.
    valid: Vec<u8>,
    payload: Vec<u8>,
    /// Where the two bytes that make each wrong signature distinct are.
    mutate_at: usize,
}

fn image(i: usize) -> String {
    if i == 0 {
        // The image of the vectors' payload A.
        format!("{REPO}@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a")
    } else {
        format!("{REPO}@sha256:{:064x}", i)
    }
}

fn from_seed(algorithm: KeyAlgorithm) -> Base {
    let key = SigningKey::from_seed(algorithm, &[42; 32]).unwrap();
    let attestor = vouch::attestor_resource(
        "projects/example-project/attestors/a",
        "projects/example-project/notes/a",
        &key.public_key_pem(),
        key.algorithm(),
        None,
        None,
    )
    .unwrap();
    let payload = vouch::create_signature_payload(&image(0)).unwrap();
    let valid = key.sign(&payload);
    let mutate_at = match algorithm {
        KeyAlgorithm::Ed25519 => 32,
        _ => valid.len() - 2,
    };
    Base {
        attestor,
        key_id: key.default_key_id().to_owned(),
        valid,
        payload,
        mutate_at,
    }
}

fn from_vector(suffix: &str, mutate_at: fn(usize) -> usize) -> Base {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/vectors/algorithms");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut attestor = v["attestors"][0].clone();
    attestor["name"] = json!("projects/example-project/attestors/a");
    attestor["userOwnedGrafeasNote"]["noteReference"] = json!("projects/example-project/notes/a");
    let att = &v["attestations"][0]["attestation"];
    let decode = |s: &Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(s.as_str().unwrap())
            .unwrap()
    };
    let valid = decode(&att["signatures"][0]["signature"]);
    Base {
        attestor,
        key_id: att["signatures"][0]["publicKeyId"]
            .as_str()
            .unwrap()
            .to_owned(),
        mutate_at: mutate_at(valid.len()),
        valid,
        payload: decode(&att["serializedPayload"]),
    }
}

fn base(alg: &str) -> Base {
    match alg {
        "p256" => from_seed(KeyAlgorithm::P256),
        "ed25519" => from_seed(KeyAlgorithm::Ed25519),
        "p384" => from_seed(KeyAlgorithm::P384),
        "p521" => from_vector("-ecdsa-p521-sha512-allow.json", |n| n - 2),
        "rsa4096" => from_vector("-rsa-pss-4096-sha256-allow.json", |n| n - 2),
        "mldsa65" => from_vector("-ml-dsa-65-allow.json", |_| 0),
        other => panic!("unknown algorithm {other}"),
    }
}

impl Base {
    fn wrong(&self, n: usize) -> String {
        let mut sig = self.valid.clone();
        let k = n + 1;
        sig[self.mutate_at] = sig[self.mutate_at].wrapping_add((k & 0xff) as u8);
        sig[self.mutate_at + 1] = sig[self.mutate_at + 1].wrapping_add(((k >> 8) & 0xff) as u8);
        if self.mutate_at > 0 && k > 0xffff {
            sig[self.mutate_at - 1] =
                sig[self.mutate_at - 1].wrapping_add(((k >> 16) & 0xff) as u8);
        }
        encode_base64(&sig)
    }

    fn attestor(&self, j: usize) -> Value {
        let mut a = self.attestor.clone();
        a["name"] = json!(format!("projects/example-project/attestors/a{j}"));
        a["userOwnedGrafeasNote"]["noteReference"] =
            json!(format!("projects/example-project/notes/n{j}"));
        a
    }
}

fn occurrence(name: String, note: &str, image: &str, payload: &[u8], sigs: Vec<Value>) -> Value {
    json!({"name": name, "noteName": note, "resourceUri": image, "kind": "ATTESTATION",
           "attestation": {"serializedPayload": encode_base64(payload), "signatures": sigs}})
}

fn policy(attestors: &[Value]) -> Value {
    let names: Vec<&Value> = attestors.iter().map(|a| &a["name"]).collect();
    json!({"globalPolicyEvaluationMode": "DISABLE", "defaultAdmissionRule": {
        "evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
        "requireAttestationsBy": names}})
}

fn generate(alg: &str, shape: &str, size: usize) -> (Value, usize) {
    let b = base(alg);
    let sig = |n: usize| json!({"publicKeyId": b.key_id, "signature": b.wrong(n)});
    let entry = sig(0).to_string().len() + 1;
    let mut n = 0;
    match shape {
        "one" => {
            let a = b.attestor(0);
            let note = a["userOwnedGrafeasNote"]["noteReference"]
                .as_str()
                .unwrap()
                .to_owned();
            let per_occurrence = 64 * entry + 2 * b.payload.len() + 300;
            let count = size / per_occurrence;
            let mut occurrences: Vec<Value> = (0..count)
                .map(|o| {
                    let sigs = (0..64)
                        .map(|_| {
                            n += 1;
                            sig(n)
                        })
                        .collect();
                    occurrence(format!("junk-{o}"), &note, &image(0), &b.payload, sigs)
                })
                .collect();
            occurrences.push(occurrence(
                "valid".into(),
                &note,
                &image(0),
                &b.payload,
                vec![json!({"publicKeyId": b.key_id, "signature": encode_base64(&b.valid)})],
            ));
            let bundle = json!({"policy": policy(std::slice::from_ref(&a)), "attestors": [a],
                "attestations": occurrences, "request": {"images": [image(0)]}, "now": NOW});
            (bundle, n)
        }
        "many" => {
            let attestors: Vec<Value> = (0..50).map(|j| b.attestor(j)).collect();
            let images: Vec<String> = (1..=100).map(image).collect();
            let pairs = attestors.len() * images.len();
            let per_pair = (size / pairs).saturating_sub(3 * b.payload.len() + 300) / entry;
            let per_pair = per_pair.max(1);
            let mut occurrences = Vec::new();
            for img in &images {
                let payload = vouch::create_signature_payload(img).unwrap();
                for a in &attestors {
                    let note = a["userOwnedGrafeasNote"]["noteReference"].as_str().unwrap();
                    let mut left = per_pair;
                    while left > 0 {
                        let take = left.min(64);
                        left -= take;
                        let sigs = (0..take)
                            .map(|_| {
                                n += 1;
                                sig(n)
                            })
                            .collect();
                        occurrences.push(occurrence(
                            format!("junk-{}", occurrences.len()),
                            note,
                            img,
                            &payload,
                            sigs,
                        ));
                    }
                }
            }
            let bundle = json!({"policy": policy(&attestors), "attestors": attestors,
                "attestations": occurrences, "request": {"images": images}, "now": NOW});
            (bundle, n)
        }
        "payload" => {
            let a = b.attestor(0);
            let note = a["userOwnedGrafeasNote"]["noteReference"]
                .as_str()
                .unwrap()
                .to_owned();
            let mut payload: Value = serde_json::from_slice(&b.payload).unwrap();
            // Base64 grows the payload by 4/3; leave room for the rest.
            let pad = (size - 64 * entry - 4096) / 4 * 3 - b.payload.len() - 64;
            payload["optional"] = json!({"pad": "x".repeat(pad)});
            let payload = serde_json::to_vec(&payload).unwrap();
            let sigs = (0..64)
                .map(|_| {
                    n += 1;
                    sig(n)
                })
                .collect();
            let occurrences = vec![occurrence("big".into(), &note, &image(0), &payload, sigs)];
            let bundle = json!({"policy": policy(std::slice::from_ref(&a)), "attestors": [a],
                "attestations": occurrences, "request": {"images": [image(0)]}, "now": NOW});
            (bundle, n)
        }
        other => panic!("unknown shape {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let size = args.get(5).map_or(63, |s| s.parse::<usize>().unwrap()) * 1024 * 1024;
            let (bundle, wrong) = generate(&args[2], &args[3], size);
            let text = bundle.to_string();
            std::fs::write(&args[4], &text).unwrap();
            println!(
                "{{\"bytes\": {}, \"wrongSignatures\": {wrong}}}",
                text.len()
            );
        }
        Some("eval") => {
            let text = std::fs::read_to_string(&args[2]).unwrap();
            let started = Instant::now();
            let bundle = match Bundle::from_text(&text) {
                Ok(b) => b,
                Err(e) => panic!("{}", e.to_json()),
            };
            let loaded = started.elapsed();
            let decision = bundle.evaluate();
            let evaluated = started.elapsed() - loaded;
            let json = decision.to_json();
            let details: Vec<DetailCode> = decision
                .images
                .iter()
                .flat_map(|i| {
                    i.reasons
                        .iter()
                        .flat_map(|r| r.details.iter().map(|d| d.code))
                })
                .collect();
            let count = |c: DetailCode| details.iter().filter(|d| **d == c).count();
            println!(
                "{{\"bytes\": {}, \"loadSeconds\": {:.3}, \"evaluateSeconds\": {:.3}, \"verdict\": \"{}\", \"badSignature\": {}, \"notTried\": {}, \"decisionBytes\": {}}}",
                text.len(),
                loaded.as_secs_f64(),
                evaluated.as_secs_f64(),
                decision.verdict.as_str(),
                count(DetailCode::BadSignature),
                details
                    .iter()
                    .filter(|d| d.as_str() == "NOT_TRIED_BUDGET")
                    .count(),
                json.len()
            );
        }
        _ => panic!("usage: verification_budget gen ALG SHAPE OUT [MiB] | eval FILE"),
    }
}

/// Standard base64, as occurrences carry payloads and signatures.
fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
