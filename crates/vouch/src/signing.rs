//! The attestor's side: simple-signing payloads, private keys, signatures and the occurrences
//! and attestor resources that carry them.
//!
//! Everything here is deterministic: ECDSA uses RFC 6979 nonces, Ed25519 is deterministic by
//! design, and key generation takes its 32 random bytes from the caller (the command line reads
//! them from the operating system). Private keys never appear in output, errors or `Debug`.

use std::fmt;

use p256::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use serde_json::{Value, json};

use crate::attestor::{Attestor, validate_key_id};
use crate::crypto::{self, PAE_TYPE, SignatureAlgorithm};
use crate::error::{Error, ErrorCode};
use crate::image_ref::ImageRef;
use crate::limits::Limits;
use crate::policy::is_resource_name;

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

/// Which kind of key to generate or load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// ECDSA P-256 with SHA-256 (`ECDSA_P256_SHA256`).
    P256,
    /// Ed25519 (vouch's `ED25519` extension).
    Ed25519,
}

impl KeyAlgorithm {
    /// The `signatureAlgorithm` name of keys of this kind.
    pub fn signature_algorithm(self) -> SignatureAlgorithm {
        match self {
            KeyAlgorithm::P256 => SignatureAlgorithm::EcdsaP256Sha256,
            KeyAlgorithm::Ed25519 => SignatureAlgorithm::Ed25519,
        }
    }
}

/// A private key that can sign payloads. `Debug` shows only the algorithm and key id.
#[derive(Clone)]
pub struct SigningKey {
    inner: Inner,
    public_der: Vec<u8>,
    key_id: String,
}

#[derive(Clone)]
enum Inner {
    P256(p256::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// A private key in PEM, kept out of `Debug` and `Display`. Write it to a file with
/// restrictive permissions; do not log it.
pub struct PrivateKeyPem(String);

impl PrivateKeyPem {
    /// The PEM text. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyPem(…)")
    }
}

fn key_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InputInvalidPrivateKey, "", message)
}

impl SigningKey {
    /// Derives a key from 32 bytes of caller-supplied randomness (an Ed25519 seed, or a P-256
    /// scalar). Fails only for the rare P-256 bytes that are not a valid scalar; draw again.
    pub fn from_seed(algorithm: KeyAlgorithm, seed: &[u8; 32]) -> Result<SigningKey, Error> {
        let inner = match algorithm {
            KeyAlgorithm::P256 => {
                Inner::P256(p256::ecdsa::SigningKey::from_slice(seed).map_err(|_| {
                    key_error("the 32 bytes are not a valid P-256 scalar; draw new random bytes")
                })?)
            }
            KeyAlgorithm::Ed25519 => Inner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed)),
        };
        SigningKey::from_inner(inner)
    }

    /// Loads a PEM private key: PKCS#8 (`PRIVATE KEY`) for P-256 or Ed25519, or SEC1
    /// (`EC PRIVATE KEY`, what `openssl ecparam -genkey` writes) for P-256.
    pub fn from_pem(text: &str) -> Result<SigningKey, Error> {
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(key_error(
                "encrypted private keys are not supported; decrypt with `openssl pkcs8 -in KEY -out PLAIN`",
            ));
        }
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(text) {
            return SigningKey::from_inner(Inner::P256(k));
        }
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(text) {
            return SigningKey::from_inner(Inner::Ed25519(k));
        }
        if let Ok(k) = p256::SecretKey::from_sec1_pem(text) {
            return SigningKey::from_inner(Inner::P256(k.into()));
        }
        Err(key_error(
            "not a PEM private key for P-256 (PKCS#8 or SEC1) or Ed25519 (PKCS#8)",
        ))
    }

    fn from_inner(inner: Inner) -> Result<SigningKey, Error> {
        let public_der = match &inner {
            Inner::P256(k) => k.verifying_key().to_public_key_der().map(|d| d.into_vec()),
            Inner::Ed25519(k) => k.verifying_key().to_public_key_der().map(|d| d.into_vec()),
        }
        .map_err(|_| key_error("the public key could not be encoded"))?;
        let key_id = crypto::default_key_id(&public_der);
        Ok(SigningKey {
            inner,
            public_der,
            key_id,
        })
    }

    /// The `signatureAlgorithm` of this key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self.inner {
            Inner::P256(_) => SignatureAlgorithm::EcdsaP256Sha256,
            Inner::Ed25519(_) => SignatureAlgorithm::Ed25519,
        }
    }

    /// The public key as PEM (SubjectPublicKeyInfo), as attestors hold it.
    pub fn public_key_pem(&self) -> String {
        pem_block("PUBLIC KEY", &self.public_der)
    }

    /// The default key id Binary Authorization derives for the public key
    /// (`ni:///sha-256;…`).
    pub fn default_key_id(&self) -> &str {
        &self.key_id
    }

    /// The private key as PKCS#8 PEM. Ed25519 keys use the RFC 8410 v1 form (no embedded
    /// public key), the form OpenSSL writes and reads.
    pub fn to_pkcs8_pem(&self) -> Result<PrivateKeyPem, Error> {
        match &self.inner {
            Inner::P256(k) => k
                .to_pkcs8_pem(LineEnding::LF)
                .map(|pem| PrivateKeyPem(pem.to_string()))
                .map_err(|_| key_error("the private key could not be encoded")),
            Inner::Ed25519(k) => {
                const PREFIX: [u8; 16] = [
                    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04,
                    0x22, 0x04, 0x20,
                ];
                let mut der = zeroize::Zeroizing::new(Vec::with_capacity(48));
                der.extend_from_slice(&PREFIX);
                der.extend_from_slice(&k.to_bytes());
                Ok(PrivateKeyPem(pem_block("PRIVATE KEY", &der)))
            }
        }
    }

    /// Signs exactly `message`: DER ECDSA over SHA-256 (RFC 6979 nonces) for P-256, a 64-byte
    /// signature for Ed25519.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use p256::ecdsa::signature::Signer as _;
        match &self.inner {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
        }
    }
}

/// PEM with 64-character lines, as OpenSSL writes it.
fn pem_block(label: &str, der: &[u8]) -> String {
    let body = crypto::encode_base64(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
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
        key.sign(&crypto::pae(&payload))
    } else {
        key.sign(&payload)
    };
    Ok(json!({
        "resourceUri": format!("{repository}@{digest}"),
        "noteName": note,
        "kind": "ATTESTATION",
        "attestation": {
            "serializedPayload": crypto::encode_base64(&payload),
            "signatures": [{"publicKeyId": key_id, "signature": crypto::encode_base64(&signature)}],
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

/// The DSSE payload type used by `--pae` signatures.
pub const PAE_PAYLOAD_TYPE: &str = PAE_TYPE;

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest as _;

    const IMAGE: &str = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

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
        for algorithm in [KeyAlgorithm::P256, KeyAlgorithm::Ed25519] {
            let key = SigningKey::from_seed(algorithm, &[7; 32]).unwrap();
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
        use crate::{Evaluator, Evidence, Options, Policy, RequestDocument, Timestamp};
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
            let ok = RequestDocument::for_images([IMAGE]).build().unwrap();
            let d = evaluator.evaluate(&ok, &evidence, now, Options::default());
            assert!(d.allowed, "{}", d.to_json());
            let other = IMAGE.replace("434be164", "534be164");
            let denied = RequestDocument::for_images([other]).build().unwrap();
            assert!(
                !evaluator
                    .evaluate(&denied, &evidence, now, Options::default())
                    .allowed
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
