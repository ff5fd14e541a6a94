//! The attestor's side: simple-signing payloads, private keys, signatures and the occurrences
//! and attestor resources that carry them.
//!
//! Everything here is deterministic: ECDSA uses RFC 6979 nonces, Ed25519 is deterministic by
//! design, and key generation takes its 32 random bytes from the caller (the command line reads
//! them from the operating system). Private keys never appear in output, errors or `Debug`.

use serde_json::{Value, json};

pub use super::signing_key::{KeyAlgorithm, PrivateKeyPem, SigningKey};
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::read::names::is_resource_name;
use crate::request::image_ref::ImageRef;
use crate::verify::algorithm::SignatureAlgorithm;
use crate::verify::attestor::Attestor;
pub use crate::verify::dsse::PAE_PAYLOAD_TYPE;
use crate::verify::key::validate_key_id;

/// The `critical.type` gcloud writes.
pub const PAYLOAD_TYPE: &str = "Google cloud binauthz container signature";

/// The simple-signing payload for an image, byte for byte as
/// `gcloud container binauthz create-signature-payload --artifact-url=IMAGE` writes it: sorted
/// keys, two-space indentation, `": "` after keys, a trailing newline.
///
/// The image must be a valid reference with a sha256 digest; a leading `https://` is ignored.
/// `docker-reference` is the repository (registry and path) without tag or digest.
pub fn create_signature_payload(image: &str) -> Result<Vec<u8>, Error> {
    let (reference, digest) = pinned(image)?;
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let text = format!(
        "{{\n  \"critical\": {{\n    \"identity\": {{\n      \"docker-reference\": {}\n    }},\n    \"image\": {{\n      \"docker-manifest-digest\": {}\n    }},\n    \"type\": {}\n  }}\n}}\n",
        quote(&reference),
        quote(&digest),
        quote(PAYLOAD_TYPE)
    );
    Ok(text.into_bytes())
}

/// (repository, sha256 digest) of an image that must be pinned.
fn pinned(image: &str) -> Result<(String, String), Error> {
    let stripped = image.strip_prefix("https://").unwrap_or(image);
    let parsed = ImageRef::parse(stripped).map_err(|e| {
        Error::new(
            ErrorCode::RequestInvalidImage,
            "/image",
            format!("image `{image}`: {e}"),
        )
    })?;
    let Some(digest) = parsed.sha256_digest() else {
        return Err(Error::new(
            ErrorCode::RequestNotDigestPinned,
            "/image",
            format!(
                "image `{image}` has no sha256 digest: attestations bind digests, so sign `IMAGE@sha256:…`"
            ),
        ));
    };
    Ok((parsed.repository().to_owned(), digest.to_owned()))
}

/// The note named like an attestor, `projects/P/attestors/A` → `projects/P/notes/A`: the note
/// `vouch sign --attestor` signs for when no note is given. (An attestor's note may be named
/// otherwise; its resource's `userOwnedGrafeasNote.noteReference` says which.)
pub fn default_note(attestor: &str) -> Result<String, Error> {
    match attestor.split('/').collect::<Vec<_>>().as_slice() {
        ["projects", project, "attestors", name] if is_resource_name(attestor, "attestors") => {
            Ok(format!("projects/{project}/notes/{name}"))
        }
        _ => Err(Error::new(
            ErrorCode::AttestorInvalidName,
            "/attestor",
            format!(
                "`{attestor}` is not an attestor name of the form `projects/PROJECT/attestors/NAME`"
            ),
        )),
    }
}

/// Builds a signed attestation occurrence for an image: the gcloud payload, signed raw or in
/// PAE form, wrapped as a Grafeas occurrence (`noteName`, `resourceUri`, `kind`,
/// `attestation.serializedPayload`, `attestation.signatures[{publicKeyId, signature}]`).
///
/// `key_id` defaults to the key's `ni:///sha-256;…` id.
pub fn sign_attestation(
    image: &str,
    note: &str,
    key: &SigningKey,
    key_id: Option<&str>,
    pae: bool,
) -> Result<Value, Error> {
    if !is_resource_name(note, "notes") {
        return Err(Error::new(
            ErrorCode::AttestorInvalidNoteReference,
            "/noteName",
            format!("`{note}` is not a note name of the form `projects/PROJECT/notes/NOTE`"),
        ));
    }
    let key_id = key_id.unwrap_or(key.default_key_id());
    validate_key_id(key_id)
        .map_err(|msg| Error::new(ErrorCode::AttestorInvalidKeyId, "/publicKeyId", msg))?;
    let payload = create_signature_payload(image)?;
    let (repository, digest) = pinned(image)?;
    let signature = if pae {
        key.sign(&crate::verify::dsse::pae(&payload))
    } else {
        key.sign(&payload)
    };
    Ok(json!({
        "resourceUri": format!("{repository}@{digest}"),
        "noteName": note,
        "kind": "ATTESTATION",
        "attestation": {
            "serializedPayload": crate::read::bytes::encode_base64(&payload),
            "signatures": [{"publicKeyId": key_id, "signature": crate::read::bytes::encode_base64(&signature)}],
        },
    }))
}

/// Builds an attestor resource (as `gcloud container binauthz attestors describe` prints it)
/// for one PKIX public key, and checks that vouch loads it (the algorithm must fit the key).
pub fn attestor_resource(
    name: &str,
    note: &str,
    public_key_pem: &str,
    algorithm: SignatureAlgorithm,
    key_id: Option<&str>,
    description: Option<&str>,
) -> Result<Value, Error> {
    let mut key = json!({
        "pkixPublicKey": {"publicKeyPem": public_key_pem, "signatureAlgorithm": algorithm.as_str()}
    });
    if let (Some(id), Some(obj)) = (key_id, key.as_object_mut()) {
        obj.insert("id".into(), json!(id));
    }
    let mut resource = json!({"name": name});
    if let (Some(d), Some(obj)) = (description, resource.as_object_mut()) {
        obj.insert("description".into(), json!(d));
    }
    if let Some(obj) = resource.as_object_mut() {
        obj.insert(
            "userOwnedGrafeasNote".into(),
            json!({"noteReference": note, "publicKeys": [key]}),
        );
    }
    let attestor = Attestor::from_value(resource.clone(), &Limits::DEFAULT)?;
    // Show the id vouch (and GCP) will use, so signers can copy it.
    if key_id.is_none()
        && let (Some(k), Some(keys)) = (
            attestor.keys().first(),
            resource.pointer_mut("/userOwnedGrafeasNote/publicKeys/0"),
        )
        && let Some(obj) = keys.as_object_mut()
    {
        obj.insert("id".into(), json!(k.id()));
    }
    Ok(resource)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest as _;

    const IMAGE: &str = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

    #[test]
    fn rsa_keys_need_exponent_65537() {
        // Found by fuzzing: a private key with e = 3 loaded and signed, but vouch (like
        // Binary Authorization) refuses its public key, so no such signature can verify.
        let e3 = include_str!("../../../../testdata/keys/rsa2048-e3.key");
        let err = SigningKey::from_pem(e3).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputInvalidPrivateKey);
        assert!(err.message().contains("65537"), "{err}");
        let ok = include_str!("../../../../testdata/keys/rsa2048.key");
        let key = SigningKey::from_pem(ok).unwrap();
        assert!(
            attestor_resource(
                "projects/p/attestors/a",
                "projects/p/notes/a",
                &key.public_key_pem(),
                key.algorithm(),
                None,
                None
            )
            .is_ok()
        );
    }

    #[test]
    fn payload_matches_gcloud_bytes() {
        let payload = create_signature_payload(IMAGE).unwrap();
        assert_eq!(payload.len(), 303);
        assert_eq!(
            hex(&sha2::Sha256::digest(&payload)),
            "c14a3b20e8720a06ca29e91b9b1fa725ee1cbbf478a860f60d176bab648f72c1"
        );
        let tagged = IMAGE.replace("/web@", "/web:1.0@");
        assert_eq!(create_signature_payload(&tagged).unwrap(), payload);
        assert_eq!(
            create_signature_payload(&format!("https://{IMAGE}")).unwrap(),
            payload
        );
    }

    #[test]
    fn payload_needs_a_sha256_digest() {
        let e = create_signature_payload("us-docker.pkg.dev/p/app/web:1.0").unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestNotDigestPinned);
        let e = create_signature_payload("gcr.io/Bad/ref@sha256:00").unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestInvalidImage);
    }

    #[test]
    fn keys_round_trip_and_never_print() {
        for algorithm in [
            KeyAlgorithm::P256,
            KeyAlgorithm::P384,
            KeyAlgorithm::Ed25519,
            KeyAlgorithm::RsaPss { bits: 2048 },
        ] {
            let key = SigningKey::from_seed(algorithm, &[7; 32]).unwrap();
            assert_eq!(key.algorithm(), algorithm.signature_algorithm());
            let pem = key.to_pkcs8_pem().unwrap();
            let again = SigningKey::from_pem(pem.expose()).unwrap();
            assert_eq!(again.default_key_id(), key.default_key_id());
            assert_eq!(again.public_key_pem(), key.public_key_pem());
            let debug = format!("{key:?} {pem:?}");
            assert!(!debug.contains("PRIVATE"), "{debug}");
            assert!(debug.contains("ni:///sha-256;"));
            // Deterministic signatures.
            assert_eq!(key.sign(b"x"), again.sign(b"x"));
        }
        let e =
            SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputInvalidPrivateKey);
        assert!(!e.message().contains("AAAA"));
    }

    #[test]
    fn signed_occurrences_verify() {
        use crate::{Evaluator, Evidence, Options, Policy, RequestBuilder, Timestamp};
        for (algorithm, pae) in [
            (KeyAlgorithm::P256, false),
            (KeyAlgorithm::P256, true),
            (KeyAlgorithm::Ed25519, false),
        ] {
            let key = SigningKey::from_seed(algorithm, &[9; 32]).unwrap();
            let attestor = attestor_resource(
                "projects/p/attestors/a",
                "projects/p/notes/a",
                &key.public_key_pem(),
                key.algorithm(),
                None,
                None,
            )
            .unwrap();
            let occurrence =
                sign_attestation(IMAGE, "projects/p/notes/a", &key, None, pae).unwrap();
            let policy = Policy::from_text(
                "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [projects/p/attestors/a]\n",
            )
            .unwrap();
            let attestors = crate::attestors_from_value(attestor, &Limits::DEFAULT).unwrap();
            let evaluator = Evaluator::new(policy, attestors, None).unwrap();
            let mut evidence = Evidence::new();
            evidence.add_value(&occurrence, &Limits::DEFAULT).unwrap();
            let now = Timestamp::UNIX_EPOCH;
            let ok = RequestBuilder::for_images([IMAGE]).build().unwrap();
            let d = evaluator.evaluate(&ok, &evidence, now, Options::default());
            assert!(d.allowed, "{}", d.to_json());
            let other = IMAGE.replace("434be164", "534be164");
            let denied = RequestBuilder::for_images([other]).build().unwrap();
            assert!(
                !evaluator
                    .evaluate(&denied, &evidence, now, Options::default())
                    .allowed
            );
        }
    }

    #[test]
    fn rsa_keys_sign_with_any_rsa_algorithm_of_their_size() {
        let key = SigningKey::from_seed(KeyAlgorithm::RsaPss { bits: 2048 }, &[5; 32]).unwrap();
        let pkcs1 = key
            .clone()
            .with_algorithm(SignatureAlgorithm::RsaSignPkcs1_2048Sha256)
            .unwrap();
        assert_eq!(
            pkcs1.sign(b"m"),
            pkcs1.sign(b"m"),
            "PKCS#1 v1.5 is deterministic"
        );
        assert_eq!(
            key.sign(b"m"),
            key.sign(b"m"),
            "PSS salts are derived, not drawn"
        );
        assert_ne!(key.sign(b"m"), key.sign(b"n"));
        assert!(
            key.clone()
                .with_algorithm(SignatureAlgorithm::RsaPss4096Sha512)
                .is_err()
        );
        assert!(
            key.with_algorithm(SignatureAlgorithm::EcdsaP256Sha256)
                .is_err()
        );
    }

    #[test]
    fn default_note_is_named_like_the_attestor() {
        assert_eq!(
            default_note("projects/p/attestors/qa").unwrap(),
            "projects/p/notes/qa"
        );
        for bad in [
            "qa",
            "projects/p/notes/qa",
            "projects//attestors/qa",
            "projects/p/attestors/q a",
            "projects/p/attestors/qa/x",
        ] {
            let e = default_note(bad).unwrap_err();
            assert_eq!(
                (e.code(), e.path()),
                (ErrorCode::AttestorInvalidName, "/attestor")
            );
        }
    }

    #[test]
    fn attestor_resource_checks_the_algorithm() {
        let key = SigningKey::from_seed(KeyAlgorithm::P256, &[3; 32]).unwrap();
        let e = attestor_resource(
            "projects/p/attestors/a",
            "projects/p/notes/a",
            &key.public_key_pem(),
            SignatureAlgorithm::Ed25519,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::AttestorAlgorithmMismatch);
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
