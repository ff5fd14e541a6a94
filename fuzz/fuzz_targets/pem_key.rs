//! PKIX public keys in PEM (`publicKeyPem` of an attestor) under every `signatureAlgorithm`:
//! never panics; a refusal is `ATTESTOR_INVALID_KEY` at `publicKeyPem` or
//! `ATTESTOR_ALGORITHM_MISMATCH` at `signatureAlgorithm`; an accepted key has the declared
//! algorithm and the default `ni:///sha-256;` id, whatever the line endings. The same bytes
//! as a private key PEM (`SigningKey::from_pem`): an accepted private key's public half loads
//! as an attestor key with the same id, and its signatures verify.
#![no_main]

mod common;

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use vouch::{Attestor, ErrorCode, Limits, SignatureAlgorithm, SigningKey};

const KEY_PATH: &str = "/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey";

fn attestor(pem: &str, algorithm: SignatureAlgorithm) -> Result<Attestor, vouch::Error> {
    let doc = json!({
        "name": "projects/fuzz/attestors/a",
        "userOwnedGrafeasNote": {
            "noteReference": "projects/fuzz/notes/a",
            "publicKeys": [{"pkixPublicKey": {"publicKeyPem": pem, "signatureAlgorithm": algorithm.as_str()}}],
        },
    });
    Attestor::from_value(doc, &Limits::DEFAULT)
}

fn spki_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .expect("own PEM is base64")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some(pem) = common::text(rest) else {
        return;
    };
    let all = SignatureAlgorithm::ALL;
    let algorithm = all[usize::from(selector) % all.len()];

    match attestor(pem, algorithm) {
        Ok(a) => {
            let key = a.keys().first().expect("one key");
            assert_eq!(key.algorithm(), Some(algorithm));
            assert!(key.id().starts_with("ni:///sha-256;"), "id {}", key.id());
            let crlf = pem.replace("\r\n", "\n").replace('\n', "\r\n");
            let b = attestor(&crlf, algorithm).expect("CRLF line endings load too");
            assert_eq!(b.keys().first().map(|k| k.id()), Some(key.id()));
        }
        Err(e) => {
            common::check_error(&e, &["ATTESTOR_"]);
            match e.code() {
                ErrorCode::AttestorInvalidKey => {
                    assert_eq!(e.path(), format!("{KEY_PATH}/publicKeyPem"));
                }
                ErrorCode::AttestorAlgorithmMismatch => {
                    assert_eq!(e.path(), format!("{KEY_PATH}/signatureAlgorithm"));
                }
                other => panic!("unexpected code {other} for a key: {e}"),
            }
        }
    }

    if let Ok(private) = SigningKey::from_pem(pem) {
        let public = private.public_key_pem();
        let a = attestor(&public, private.algorithm()).expect("own public key loads");
        let key = a.keys().first().expect("one key");
        assert_eq!(key.id(), private.default_key_id());
        let message = rest;
        let signature = private.sign(message);
        let ok = vouch::internal::verify_signature(
            &spki_der(&public),
            private.algorithm(),
            message,
            &signature,
        );
        assert_eq!(ok, Ok(true), "own signature verifies");
    }
});
