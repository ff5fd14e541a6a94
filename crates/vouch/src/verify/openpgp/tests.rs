use super::components::algorithm_signs;
use super::packets::next_packet;
use super::*;
use pgp::crypto::public_key::PublicKeyAlgorithm;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first attestor key and the first signature of a pgp vector.
fn from_vector(name: &str) -> (PgpKey, Vec<u8>, Vec<u8>, Timestamp) {
    let path = root().join("testdata/vectors/pgp").join(name);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let key =
        doc["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"][0]["asciiArmoredPgpPublicKey"]
            .as_str()
            .unwrap();
    let key = PgpKey::from_armored(key).unwrap();
    let att = &doc["attestations"][0]["attestation"];
    let (sig, payload) = if let Some(pgp) = att["attestation"].get("pgpSignedAttestation") {
        (
            pgp["signature"].as_str().unwrap().as_bytes().to_vec(),
            Vec::new(),
        )
    } else {
        let sig =
            crate::read::bytes::decode_base64(att["signatures"][0]["signature"].as_str().unwrap())
                .unwrap();
        let payload = att
            .get("serializedPayload")
            .and_then(|p| p.as_str())
            .map(|p| crate::read::bytes::decode_base64(p).unwrap())
            .unwrap_or_default();
        (sig, payload)
    };
    let now = Timestamp::parse_rfc3339(doc["now"].as_str().unwrap()).unwrap();
    (key, sig, payload, now)
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_unix(seconds, 0).unwrap()
}

fn code(outcome: &PgpOutcome) -> Option<DetailCode> {
    match outcome {
        PgpOutcome::Refused(code, _) => Some(*code),
        _ => None,
    }
}

#[test]
fn existing_signature_still_verifies() {
    let (key, sig, payload, now) = from_vector("001-legacy-attached-armored-rsa.json");
    assert!(matches!(
        key.verify(&sig, &payload, now),
        PgpOutcome::Valid(_)
    ));
}

#[test]
fn clock_skew_boundary() {
    // Made at 2026-12-01T00:04:00Z.
    let (key, sig, payload, _) = from_vector("029-signature-within-clock-skew.json");
    let made = 1_796_083_440;
    let ok = key.verify(&sig, &payload, at(made - CLOCK_SKEW_SECONDS));
    assert!(matches!(ok, PgpOutcome::Valid(_)), "{ok:?}");
    let late = key.verify(&sig, &payload, at(made - CLOCK_SKEW_SECONDS - 1));
    assert_eq!(code(&late), Some(DetailCode::PgpSignatureInFuture));
}

#[test]
fn signature_expiry_exactly_at_now() {
    // Made at 2026-11-24T00:00:00Z, valid for one day.
    let (key, sig, payload, _) = from_vector("026-signature-expired.json");
    let expiry = 1_795_478_400 + 86_400;
    assert!(matches!(
        key.verify(&sig, &payload, at(expiry - 1)),
        PgpOutcome::Valid(_)
    ));
    let expired = key.verify(&sig, &payload, at(expiry));
    assert_eq!(code(&expired), Some(DetailCode::PgpSignatureExpired));
}

#[test]
fn key_expiry_exactly_at_now() {
    // The key was created 2026-11-20 and expires 2026-11-22; the signature is of 2026-11-21.
    for vector in ["021-expired-key.json", "023-expired-subkey.json"] {
        let (key, sig, payload, _) = from_vector(vector);
        let expiry = 1_795_305_600;
        assert!(matches!(
            key.verify(&sig, &payload, at(expiry - 1)),
            PgpOutcome::Valid(_)
        ));
        let expired = key.verify(&sig, &payload, at(expiry));
        assert_eq!(code(&expired), Some(DetailCode::PgpKeyExpired), "{vector}");
    }
}

#[test]
fn revocation_applies_at_any_time() {
    for vector in ["019-revoked-primary-key.json", "020-revoked-subkey.json"] {
        let (key, sig, payload, _) = from_vector(vector);
        // Even at the moment the signature was made, before the revocation was issued.
        let outcome = key.verify(&sig, &payload, at(1_795_478_400));
        assert_eq!(code(&outcome), Some(DetailCode::PgpKeyRevoked), "{vector}");
    }
}

#[test]
fn a_signature_before_its_key_is_refused_whatever_now() {
    let (key, sig, payload, now) = from_vector("030-signature-before-key.json");
    for t in [now.unix_seconds(), 1_795_455_294, 1_795_455_294 - 86_400] {
        let outcome = key.verify(&sig, &payload, at(t));
        assert_eq!(code(&outcome), Some(DetailCode::PgpSignatureBeforeKey));
    }
}

#[test]
fn signature_packets_are_capped() {
    let (key, sig, payload, now) = from_vector("038-two-detached-signatures-other-first.json");
    let binary = dearmor(&sig).unwrap();
    let mut packets = Vec::new();
    flatten(
        &binary,
        0,
        &mut MAX_PGP_DECOMPRESSED_BYTES.clone(),
        &mut packets,
    )
    .unwrap();
    assert_eq!(packets.len(), 2);
    let mut many = Vec::new();
    for _ in 0..MAX_PGP_SIGNATURES / 2 {
        many.extend_from_slice(&binary);
    }
    assert!(matches!(
        key.verify(&many, &payload, now),
        PgpOutcome::Valid(_)
    ));
    many.extend_from_slice(&binary);
    assert!(matches!(
        key.verify(&many, &payload, now),
        PgpOutcome::Malformed(_)
    ));
}

#[test]
fn usage_without_key_flags_follows_the_algorithm() {
    for signs in [
        PublicKeyAlgorithm::RSA,
        PublicKeyAlgorithm::RSASign,
        PublicKeyAlgorithm::DSA,
        PublicKeyAlgorithm::ECDSA,
        PublicKeyAlgorithm::EdDSALegacy,
        PublicKeyAlgorithm::Ed25519,
    ] {
        assert!(algorithm_signs(signs), "{signs:?}");
    }
    for encrypts in [
        PublicKeyAlgorithm::RSAEncrypt,
        PublicKeyAlgorithm::ECDH,
        PublicKeyAlgorithm::Elgamal,
        PublicKeyAlgorithm::X25519,
    ] {
        assert!(!algorithm_signs(encrypts), "{encrypts:?}");
    }
}

/// A compressed data packet (algorithm 0, stored) around `inner`.
fn stored(inner: &[u8]) -> Vec<u8> {
    let mut body = vec![0u8];
    body.extend_from_slice(inner);
    let mut out = Vec::new();
    RawPacket { tag: 8, body }.write(&mut out);
    out
}

fn literal(size: usize) -> Vec<u8> {
    let mut body = b"b\0\0\0\0\0".to_vec();
    body.resize(6 + size, b'x');
    let mut out = Vec::new();
    RawPacket { tag: 11, body }.write(&mut out);
    out
}

#[test]
fn decompression_budget_is_shared_by_all_layers() {
    let mut packets = Vec::new();
    // 600 KiB stored twice: each layer's output counts, 1.2 MiB > 1 MiB.
    let twice = stored(&stored(&literal(600 * 1024)));
    let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
    assert!(matches!(
        flatten(&twice, 0, &mut budget, &mut packets),
        Err(Unpack::TooLarge)
    ));
    // One layer fits, and yields the literal packet.
    let once = stored(&literal(600 * 1024));
    let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
    packets.clear();
    assert!(flatten(&once, 0, &mut budget, &mut packets).is_ok());
    assert_eq!(packets.len(), 1);
    assert_eq!(packets[0].tag, 11);
    // Exactly the budget is accepted, one byte more is not.
    let exact = literal(0).len();
    let mut budget = exact;
    packets.clear();
    assert!(flatten(&stored(&literal(0)), 0, &mut budget, &mut packets).is_ok());
    let mut budget = exact - 1;
    assert!(matches!(
        flatten(&stored(&literal(0)), 0, &mut budget, &mut packets),
        Err(Unpack::TooLarge)
    ));
}

#[test]
fn compression_nesting_is_bounded() {
    let mut data = literal(1);
    for _ in 0..MAX_COMPRESSION_DEPTH {
        data = stored(&data);
    }
    let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
    assert!(flatten(&data, 0, &mut budget, &mut Vec::new()).is_ok());
    let deeper = stored(&data);
    let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
    assert!(matches!(
        flatten(&deeper, 0, &mut budget, &mut Vec::new()),
        Err(Unpack::Malformed(_))
    ));
}

#[test]
fn packet_headers() {
    // New format, partial body lengths: 2 bytes, then a final 1-byte chunk.
    let (tag, body, rest) = next_packet(&[0xcb, 0xe1, b'a', b'b', 0x01, b'c', 0xff]).unwrap();
    assert_eq!((tag, body.as_slice(), rest), (11, &b"abc"[..], &[0xff][..]));
    // Old format, indeterminate length: to the end.
    let (tag, body, rest) = next_packet(&[0xaf, 1, 2, 3]).unwrap();
    assert_eq!(
        (tag, body.as_slice(), rest.len()),
        (11, &[1u8, 2, 3][..], 0)
    );
    // Old format, two-byte length; and truncation.
    let (tag, body, _) = next_packet(&[0x89, 0, 2, 7, 8]).unwrap();
    assert_eq!((tag, body.as_slice()), (2, &[7u8, 8][..]));
    assert!(next_packet(&[0x89, 0, 3, 7]).is_err());
    assert!(next_packet(&[0x40]).is_err());
    // Round trip through the writer for each length form.
    for size in [0, 191, 192, 8383, 8384, 70_000] {
        let mut out = Vec::new();
        RawPacket {
            tag: 11,
            body: vec![1; size],
        }
        .write(&mut out);
        let (tag, body, rest) = next_packet(&out).unwrap();
        assert_eq!((tag, body.len(), rest.len()), (11, size, 0));
    }
}

/// Worst-case cost of a decompression bomb: `VOUCH_PGP_BOMB=FILE cargo test -p vouch --lib
/// -- --ignored bomb_cost` under `/usr/bin/time -v` (docs/limits.md).
#[test]
#[ignore = "measurement, run by hand"]
fn bomb_cost() {
    let path = std::env::var("VOUCH_PGP_BOMB").unwrap();
    let bomb = std::fs::read(path).unwrap();
    let (key, _, _, now) = from_vector("001-legacy-attached-armored-rsa.json");
    let start = std::time::Instant::now();
    let outcome = key.verify(&bomb, b"", now);
    eprintln!(
        "{} bytes: {:?} in {:?}",
        bomb.len(),
        code(&outcome),
        start.elapsed()
    );
}
