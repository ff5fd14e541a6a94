//! Runs one scenario in a loop, for `valgrind --tool=callgrind` (instruction counts).
//! `cargo run --release -p vouch-benches --example profile_evaluate -- evaluate|bare|bare-ring N`
//! (`bare`: the two verifications with `p256`, the backend of `--no-default-features`;
//! `bare-ring`: with `ring`, the default backend's).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "profiling tool"
)]
use std::hint::black_box;

use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::pkcs8::DecodePublicKey as _;
use vouch::{Evaluator, Evidence, Limits, Options, Policy, Request, Timestamp};
use vouch_benches::read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("evaluate", String::as_str);
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let limits = Limits::DEFAULT;
    let policy = Policy::from_text(&read("examples/policy.yaml")).unwrap();
    let attestors = vouch::attestors_from_text(&read("examples/attestors.json")).unwrap();
    let evaluator = Evaluator::new(policy, attestors, None).unwrap();
    let image = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";
    let request = Request::from_value(
        serde_json::json!({"images": [image], "cluster": "us-central1-a.prod-cluster"}),
        &limits,
    )
    .unwrap();
    let evidence = Evidence::from_text(&read("examples/attestations.json")).unwrap();
    let now = Timestamp::UNIX_EPOCH;
    let atts: serde_json::Value = serde_json::from_str(&read("examples/attestors.json")).unwrap();
    let occs: serde_json::Value =
        serde_json::from_str(&read("examples/attestations.json")).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let bare: Vec<_> = (0..2)
        .map(|i| {
            let pem =
                atts[i]["userOwnedGrafeasNote"]["publicKeys"][0]["pkixPublicKey"]["publicKeyPem"]
                    .as_str()
                    .unwrap();
            let key = p256::ecdsa::VerifyingKey::from_public_key_pem(pem).unwrap();
            let payload = b64
                .decode(
                    occs[i]["attestation"]["serializedPayload"]
                        .as_str()
                        .unwrap(),
                )
                .unwrap();
            let sig = b64
                .decode(
                    occs[i]["attestation"]["signatures"][0]["signature"]
                        .as_str()
                        .unwrap(),
                )
                .unwrap();
            (
                key,
                payload,
                p256::ecdsa::Signature::from_der(&sig).unwrap(),
            )
        })
        .collect();
    #[cfg(feature = "native-crypto")]
    let bare_ring: Vec<_> = bare
        .iter()
        .map(|(k, p, s)| {
            let point = k.to_sec1_bytes();
            (point, p.clone(), s.to_der().as_bytes().to_vec())
        })
        .collect();
    for _ in 0..n {
        match what {
            #[cfg(feature = "native-crypto")]
            "bare-ring" => {
                for (point, p, s) in &bare_ring {
                    ring::signature::UnparsedPublicKey::new(
                        &ring::signature::ECDSA_P256_SHA256_ASN1,
                        point,
                    )
                    .verify(black_box(p), black_box(s))
                    .unwrap();
                }
            }
            "bare" => {
                for (k, p, s) in &bare {
                    black_box(k.verify(black_box(p), black_box(s))).unwrap();
                }
            }
            _ => {
                black_box(evaluator.evaluate(
                    black_box(&request),
                    black_box(&evidence),
                    now,
                    Options::default(),
                ));
            }
        }
    }
}
