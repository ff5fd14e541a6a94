//! Public keys and signature verification: PEM and SubjectPublicKeyInfo decoding, key checks
//! against the declared algorithm, default key ids, and the verification itself.
//!
//! Keys are decoded and checked against their declared algorithm once, when attestors load.
//! Verification is a pure function of (key, message, signature).

use std::fmt;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use spki::der::{Decode, Reader, SliceReader, asn1::UintRef};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

use super::algorithm::{KeyType, SignatureAlgorithm};

const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ML_DSA_65: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18");

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum KeyError {
    #[error("{0}")]
    Invalid(String),
    #[error(
        "signatureAlgorithm {algorithm} needs a {expected} key, but `publicKeyPem` holds a {found} key"
    )]
    Mismatch {
        algorithm: SignatureAlgorithm,
        expected: KeyType,
        found: KeyType,
    },
}

/// A decoded public key ready to verify.
#[derive(Clone)]
pub(crate) struct VerifyingKey {
    algorithm: SignatureAlgorithm,
    inner: Inner,
    /// SHA-256 of the SubjectPublicKeyInfo: identifies the key in the verification cache.
    fingerprint: [u8; 32],
}

#[derive(Clone)]
enum Inner {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(Box<p521::ecdsa::VerifyingKey>),
    Ed25519(ed25519_dalek::VerifyingKey),
    RsaPss256(Box<rsa::pss::VerifyingKey<sha2::Sha256>>),
    RsaPss512(Box<rsa::pss::VerifyingKey<sha2::Sha512>>),
    RsaPkcs1_256(Box<rsa::pkcs1v15::VerifyingKey<sha2::Sha256>>),
    RsaPkcs1_512(Box<rsa::pkcs1v15::VerifyingKey<sha2::Sha512>>),
    MlDsa65(Box<ml_dsa::VerifyingKey<ml_dsa::MlDsa65>>),
    /// ECDSA through `ring` (feature `native-crypto`): the key was validated by the RustCrypto
    /// decoder, and is kept as an uncompressed SEC1 point.
    #[cfg(all(feature = "native-crypto", not(target_arch = "wasm32")))]
    NativeEcdsa {
        algorithm: &'static ring::signature::EcdsaVerificationAlgorithm,
        point: Box<[u8]>,
    },
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

/// The outcome of one signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verified {
    Valid,
    Invalid,
}

impl VerifyingKey {
    /// Decodes SubjectPublicKeyInfo DER and checks it fits `algorithm`.
    pub(crate) fn from_spki_der(
        der: &[u8],
        algorithm: SignatureAlgorithm,
    ) -> Result<VerifyingKey, KeyError> {
        let spki = SubjectPublicKeyInfoRef::try_from(der)
            .map_err(|e| KeyError::Invalid(format!("not a DER SubjectPublicKeyInfo: {e}")))?;
        let key_bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::Invalid("public key bit string has unused bits".into()))?;
        let found = key_type(&spki, key_bits)?;
        let expected = algorithm.key_type();
        if found != expected {
            return Err(KeyError::Mismatch {
                algorithm,
                expected,
                found,
            });
        }
        let bad_point = |curve: &str| KeyError::Invalid(format!("EC point is not on {curve}"));
        let inner = match found {
            KeyType::P256 => Inner::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|_| bad_point("P-256"))?,
            ),
            KeyType::P384 => Inner::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|_| bad_point("P-384"))?,
            ),
            KeyType::P521 => Inner::P521(Box::new(
                p521::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                    .map_err(|_| bad_point("P-521"))?,
            )),
            KeyType::Ed25519 => {
                let bytes: [u8; 32] = key_bits
                    .try_into()
                    .map_err(|_| KeyError::Invalid("an Ed25519 key is 32 bytes".into()))?;
                Inner::Ed25519(
                    ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| {
                        KeyError::Invalid("Ed25519 key is not a valid point".into())
                    })?,
                )
            }
            KeyType::Rsa { .. } => rsa_inner(&spki, algorithm)?,
            KeyType::MlDsa65 => {
                let encoded = ml_dsa::EncodedVerifyingKey::<ml_dsa::MlDsa65>::try_from(key_bits)
                    .map_err(|_| {
                        KeyError::Invalid("an ML-DSA-65 public key is 1952 bytes".into())
                    })?;
                Inner::MlDsa65(Box::new(ml_dsa::VerifyingKey::decode(&encoded)))
            }
        };
        #[cfg(all(feature = "native-crypto", not(target_arch = "wasm32")))]
        let inner = match inner {
            Inner::P256(key) => Inner::NativeEcdsa {
                algorithm: &ring::signature::ECDSA_P256_SHA256_ASN1,
                point: key.to_sec1_bytes(),
            },
            Inner::P384(key) => Inner::NativeEcdsa {
                algorithm: &ring::signature::ECDSA_P384_SHA384_ASN1,
                point: key.to_sec1_bytes(),
            },
            other => other,
        };
        Ok(VerifyingKey {
            algorithm,
            inner,
            fingerprint: Sha256::digest(der).into(),
        })
    }

    /// Decodes SubjectPublicKeyInfo DER and takes the algorithm from the key itself, for trust
    /// material that names no algorithm (DSSE, in-toto and sigstore keys): EC P-256, P-384 and
    /// P-521 verify ECDSA with SHA-256, SHA-384 and SHA-512; RSA verifies PKCS #1 v1.5 with
    /// SHA-256 (2048, 3072 or 4096 bits); Ed25519 and ML-DSA-65 as themselves.
    pub(crate) fn from_spki_der_inferred(der: &[u8]) -> Result<VerifyingKey, KeyError> {
        use SignatureAlgorithm as A;
        let spki = SubjectPublicKeyInfoRef::try_from(der)
            .map_err(|e| KeyError::Invalid(format!("not a DER SubjectPublicKeyInfo: {e}")))?;
        let key_bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::Invalid("public key bit string has unused bits".into()))?;
        let algorithm = match key_type(&spki, key_bits)? {
            KeyType::P256 => A::EcdsaP256Sha256,
            KeyType::P384 => A::EcdsaP384Sha384,
            KeyType::P521 => A::EcdsaP521Sha512,
            KeyType::Ed25519 => A::Ed25519,
            KeyType::MlDsa65 => A::MlDsa65,
            KeyType::Rsa { bits: 2048 } => A::RsaSignPkcs1_2048Sha256,
            KeyType::Rsa { bits: 3072 } => A::RsaSignPkcs1_3072Sha256,
            KeyType::Rsa { bits: 4096 } => A::RsaSignPkcs1_4096Sha256,
            KeyType::Rsa { bits } => {
                return Err(KeyError::Invalid(format!(
                    "an RSA key of {bits} bits: vouch verifies RSA keys of 2048, 3072 or 4096 bits"
                )));
            }
        };
        VerifyingKey::from_spki_der(der, algorithm)
    }

    /// Verifies like [`VerifyingKey::verify`], except that an ECDSA signature may also be the
    /// fixed-size IEEE P1363 form `r ‖ s` (DSSE, in-toto and sigstore evidence, decision
    /// E-3). A signature that parses as DER is verified as DER only; the fixed form is tried
    /// only when it does not, so no signature is verified twice.
    pub(crate) fn verify_der_or_p1363(&self, message: &[u8], signature: &[u8]) -> Verified {
        use SignatureAlgorithm as A;
        let der: Option<Vec<u8>> = match self.algorithm {
            A::EcdsaP256Sha256 if p256::ecdsa::Signature::from_der(signature).is_err() => {
                p256::ecdsa::Signature::from_slice(signature)
                    .ok()
                    .map(|s| s.to_der().as_bytes().to_vec())
            }
            A::EcdsaP384Sha384 if p384::ecdsa::Signature::from_der(signature).is_err() => {
                p384::ecdsa::Signature::from_slice(signature)
                    .ok()
                    .map(|s| s.to_der().as_bytes().to_vec())
            }
            A::EcdsaP521Sha512 if p521::ecdsa::Signature::from_der(signature).is_err() => {
                p521::ecdsa::Signature::from_slice(signature)
                    .ok()
                    .map(|s| s.to_der().as_bytes().to_vec())
            }
            _ => None,
        };
        match der {
            Some(der) => self.verify(message, &der),
            None => self.verify(message, signature),
        }
    }

    pub(crate) fn fingerprint(&self) -> &[u8; 32] {
        &self.fingerprint
    }

    pub(crate) fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// Whether a signature of `len` bytes could verify with this key at all: a necessary
    /// condition of [`VerifyingKey::verify`], checked without spending a verification (an
    /// implausible signature costs none of a decision's verification budget). The bounds are
    /// generous: ECDSA DER from 8 bytes to the longest encoding for the curve, the exact
    /// length for Ed25519, ML-DSA-65 and RSA (the modulus size).
    pub(crate) fn signature_length_plausible(&self, len: usize) -> bool {
        use SignatureAlgorithm as A;
        match self.algorithm {
            A::EcdsaP256Sha256 => (8..=72).contains(&len),
            A::EcdsaP384Sha384 => (8..=104).contains(&len),
            A::EcdsaP521Sha512 => (8..=141).contains(&len),
            A::Ed25519 => len == 64,
            A::MlDsa65 => len == 3309,
            A::RsaPss2048Sha256 | A::RsaSignPkcs1_2048Sha256 => len == 256,
            A::RsaPss3072Sha256 | A::RsaSignPkcs1_3072Sha256 => len == 384,
            A::RsaPss4096Sha256
            | A::RsaPss4096Sha512
            | A::RsaSignPkcs1_4096Sha256
            | A::RsaSignPkcs1_4096Sha512 => len == 512,
        }
    }

    /// Verifies an ECDSA P-256 signature (DER or P1363) over a message known only by its
    /// SHA-256 `digest`: a sigstore message signature over an artifact vouch does not hold (the
    /// image, known by its digest). Keys of other algorithms cannot verify from a SHA-256
    /// digest and answer `Invalid`.
    pub(crate) fn verify_p256_prehashed(&self, digest: &[u8; 32], signature: &[u8]) -> Verified {
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        let key = match &self.inner {
            Inner::P256(key) => Some(*key),
            #[cfg(all(feature = "native-crypto", not(target_arch = "wasm32")))]
            Inner::NativeEcdsa { point, .. }
                if self.algorithm == SignatureAlgorithm::EcdsaP256Sha256 =>
            {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok()
            }
            _ => None,
        };
        let sig = p256::ecdsa::Signature::from_der(signature)
            .or_else(|_| p256::ecdsa::Signature::from_slice(signature));
        match (key, sig) {
            (Some(key), Ok(sig)) if key.verify_prehash(digest, &sig).is_ok() => Verified::Valid,
            _ => Verified::Invalid,
        }
    }

    /// Verifies `signature` over exactly `message`.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Verified {
        use rsa::signature::Verifier as _;
        let ok = match &self.inner {
            Inner::P256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::P384(key) => p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::P521(key) => p521::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify_strict(message, &sig).is_ok()),
            Inner::RsaPss256(key) => rsa_signature(key.as_ref().as_ref(), signature)
                .and_then(|sig| rsa::pss::Signature::try_from(sig).ok())
                .is_some_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::RsaPss512(key) => rsa_signature(key.as_ref().as_ref(), signature)
                .and_then(|sig| rsa::pss::Signature::try_from(sig).ok())
                .is_some_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::RsaPkcs1_256(key) => rsa_signature(key.as_ref().as_ref(), signature)
                .and_then(|sig| rsa::pkcs1v15::Signature::try_from(sig).ok())
                .is_some_and(|sig| key.verify(message, &sig).is_ok()),
            Inner::RsaPkcs1_512(key) => rsa_signature(key.as_ref().as_ref(), signature)
                .and_then(|sig| rsa::pkcs1v15::Signature::try_from(sig).ok())
                .is_some_and(|sig| key.verify(message, &sig).is_ok()),
            #[cfg(all(feature = "native-crypto", not(target_arch = "wasm32")))]
            Inner::NativeEcdsa { algorithm, point } => {
                ring::signature::UnparsedPublicKey::new(*algorithm, point)
                    .verify(message, signature)
                    .is_ok()
            }
            Inner::MlDsa65(key) => ml_dsa::EncodedSignature::<ml_dsa::MlDsa65>::try_from(signature)
                .ok()
                .and_then(|enc| ml_dsa::Signature::decode(&enc))
                .is_some_and(|sig| key.verify_with_context(message, &[], &sig)),
        };
        if ok {
            Verified::Valid
        } else {
            Verified::Invalid
        }
    }
}

/// An RSA signature must be exactly as long as the modulus (no truncation, no padding).
fn rsa_signature<'a>(key: &rsa::PublicKey, signature: &'a [u8]) -> Option<&'a [u8]> {
    use rsa::traits::PublicKeyParts as _;
    (signature.len() == key.size()).then_some(signature)
}

fn rsa_inner(
    spki: &SubjectPublicKeyInfoRef<'_>,
    algorithm: SignatureAlgorithm,
) -> Result<Inner, KeyError> {
    use SignatureAlgorithm as A;
    let key = rsa::PublicKey::try_from(spki.clone())
        .map_err(|e| KeyError::Invalid(format!("malformed RSA public key: {e}")))?;
    Ok(match algorithm {
        A::RsaPss2048Sha256 | A::RsaPss3072Sha256 | A::RsaPss4096Sha256 => {
            Inner::RsaPss256(Box::new(rsa::pss::VerifyingKey::new(key)))
        }
        A::RsaPss4096Sha512 => Inner::RsaPss512(Box::new(rsa::pss::VerifyingKey::new(key))),
        A::RsaSignPkcs1_2048Sha256 | A::RsaSignPkcs1_3072Sha256 | A::RsaSignPkcs1_4096Sha256 => {
            Inner::RsaPkcs1_256(Box::new(rsa::pkcs1v15::VerifyingKey::new(key)))
        }
        A::RsaSignPkcs1_4096Sha512 => {
            Inner::RsaPkcs1_512(Box::new(rsa::pkcs1v15::VerifyingKey::new(key)))
        }
        other => {
            return Err(KeyError::Invalid(format!(
                "{other} is not an RSA algorithm"
            )));
        }
    })
}

fn key_type(spki: &SubjectPublicKeyInfoRef<'_>, key_bits: &[u8]) -> Result<KeyType, KeyError> {
    let oid = spki.algorithm.oid;
    if oid == OID_EC {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| KeyError::Invalid("EC key without a named curve".into()))?;
        return match curve {
            c if c == OID_P256 => Ok(KeyType::P256),
            c if c == OID_P384 => Ok(KeyType::P384),
            c if c == OID_P521 => Ok(KeyType::P521),
            other => Err(KeyError::Invalid(format!("unsupported EC curve {other}"))),
        };
    }
    if oid == OID_RSA {
        let (modulus, exponent) = rsa_public_key(key_bits)?;
        let bits = bit_length(modulus);
        if exponent != [1, 0, 1] {
            return Err(KeyError::Invalid(
                "RSA public exponent must be 65537".into(),
            ));
        }
        return Ok(KeyType::Rsa { bits });
    }
    if oid == OID_ED25519 {
        return Ok(KeyType::Ed25519);
    }
    if oid == OID_ML_DSA_65 {
        if key_bits.len() != 1952 {
            return Err(KeyError::Invalid(
                "an ML-DSA-65 public key is 1952 bytes".into(),
            ));
        }
        return Ok(KeyType::MlDsa65);
    }
    Err(KeyError::Invalid(format!(
        "unsupported public key algorithm {oid}"
    )))
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_public_key(bytes: &[u8]) -> Result<(&[u8], &[u8]), KeyError> {
    let bad = |_| KeyError::Invalid("malformed RSA public key".into());
    let mut reader = SliceReader::new(bytes).map_err(bad)?;
    let (n, e) = reader
        .sequence(|r: &mut SliceReader<'_>| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok::<_, spki::der::Error>((n.as_bytes(), e.as_bytes()))
        })
        .map_err(bad)?;
    reader.finish().map_err(bad)?;
    Ok((n, e))
}

fn bit_length(big_endian: &[u8]) -> usize {
    let trimmed: &[u8] = {
        let start = big_endian
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(big_endian.len());
        big_endian.get(start..).unwrap_or_default()
    };
    match trimmed.first() {
        Some(&top) => (trimmed.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Verifies one signature with a public key, exactly as attestation verification does:
/// the SubjectPublicKeyInfo is decoded and checked against `algorithm` (key type, curve,
/// modulus size, exponent), then `signature` is verified over exactly `message` (no PAE
/// fallback). Errors are about the key; a bad signature is `Ok(false)`.
pub fn verify_signature(
    spki_der: &[u8],
    algorithm: SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let key = VerifyingKey::from_spki_der(spki_der, algorithm).map_err(|e| e.to_string())?;
    Ok(key.verify(message, signature) == Verified::Valid)
}

/// Decodes a PEM block with label `PUBLIC KEY` (LF or CRLF, any line width).
pub(crate) fn decode_public_key_pem(text: &str) -> Result<Vec<u8>, String> {
    const BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
    const END: &str = "-----END PUBLIC KEY-----";
    let text = text.trim();
    let Some(body) = text.strip_prefix(BEGIN) else {
        if text.contains("PRIVATE KEY") {
            return Err("`publicKeyPem` holds a private key; give the public key only".into());
        }
        return Err(format!("`publicKeyPem` must start with `{BEGIN}`"));
    };
    let Some(body) = body.strip_suffix(END) else {
        return Err(format!("`publicKeyPem` must end with `{END}`"));
    };
    let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("`publicKeyPem` body is not base64: {e}"))
}

/// The default PKIX key id: `ni:///sha-256;` + unpadded base64url of SHA-256(DER SPKI).
pub fn default_key_id(spki_der: &[u8]) -> String {
    let digest = Sha256::digest(spki_der);
    format!(
        "ni:///sha-256;{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// Which code verifies ECDSA P-256 and P-384 in this build: `"ring"` (the `native-crypto`
/// feature, on by default for native targets) or `"rustcrypto"` (the pure-Rust crates, always
/// on wasm32). Everything else is verified by the pure-Rust crates in both.
pub const ECDSA_BACKEND: &str = if cfg!(all(feature = "native-crypto", not(target_arch = "wasm32")))
{
    "ring"
} else {
    "rustcrypto"
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::bytes::decode_base64;
    use crate::verify::dsse::pae;

    const EC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\n-----END PUBLIC KEY-----\n";
    const RSA_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwD1gBxr/nGSplI3gtbKP\nN2XM6F2ht5kX+JSyiI3xPjmDVy7PRd7D4nzK4eg/zFm+YsTOx5KzQja7mgaRaMs5\n0UUxIuZL/H0ZSCtt0qxc4m6nMGv5kl0n5/KVWhhAf8D7M9Hp7/rd9uEckgiN4Wmq\nZBgIUGEQ46dBWugOHGGVBfom3z7q6kbmu4gW7Z+zpkX2gpFqt9itF1LqxyZW7nTp\n95VC71iRmht6QeBVXhzFk+sM/fcnN1LIKNQ49al3jQTlNsD4y+VOmAccBcRjEZaw\npoxppCML55gB1s449PhpEyV5+0sjVmUKoPizdqNRgaDN0ABxrIVIrt8Nlq6Y4D6Q\newIDAQAB\n-----END PUBLIC KEY-----\n";
    const PAYLOAD_A: &str = "ewogICJjcml0aWNhbCI6IHsKICAgICJpZGVudGl0eSI6IHsKICAgICAgImRvY2tlci1yZWZlcmVuY2UiOiAidXMtZG9ja2VyLnBrZy5kZXYvZXhhbXBsZS1wcm9qZWN0L2FwcC93ZWIiCiAgICB9LAogICAgImltYWdlIjogewogICAgICAiZG9ja2VyLW1hbmlmZXN0LWRpZ2VzdCI6ICJzaGEyNTY6NDM0YmUxNjRjNzU4ZmUwNGFkMWE5OWY5MDUzOGUxMWQ4MWI2YjczNjhhZmYzZmMzZmMzZWExZDAxMmYwOTgzYSIKICAgIH0sCiAgICAidHlwZSI6ICJHb29nbGUgY2xvdWQgYmluYXV0aHogY29udGFpbmVyIHNpZ25hdHVyZSIKICB9Cn0K";
    const SIG_A: &str = "MEUCIAbTDRGWgfFrTGbxGtc1UzNjwUTsJdhSrFmxYqI6ZXFeAiEA25GAkwbN6gU0iCcdiLa5wq+adQvbpXtsW24WGeKKgXU=";
    const SIG_A_P1363: &str =
        "BtMNEZaB8WtMZvEa1zVTM2PBROwl2FKsWbFiojplcV7bkYCTBs3qBTSIJx2ItrnCr5p1C9ule2xbbhYZ4oqBdQ==";
    const SIG_A_PAE: &str = "MEQCIB1PvK/2nIIS3MaJ0If+oYudNeT/zqUWtvH3fcTUy1uMAiABldNcnTwv+QyihkAOzu0glrwM/41RzpkRz4Wa3LbVZw==";

    fn ec_key() -> VerifyingKey {
        let der = decode_public_key_pem(EC_PEM).unwrap();
        VerifyingKey::from_spki_der(&der, SignatureAlgorithm::EcdsaP256Sha256).unwrap()
    }

    #[test]
    fn default_key_ids_match_the_spec() {
        assert_eq!(
            default_key_id(&decode_public_key_pem(EC_PEM).unwrap()),
            "ni:///sha-256;9Fe2g4WxhXps796qTUDVJcggWhFbijfu1M9B8224Y8I"
        );
        assert_eq!(
            default_key_id(&decode_public_key_pem(RSA_PEM).unwrap()),
            "ni:///sha-256;rCnpHcENCdlqwAsZS361mnDTnwjwtwEBtheqNbVwx94"
        );
    }

    #[test]
    fn spec_signatures() {
        let key = ec_key();
        let payload = decode_base64(PAYLOAD_A).unwrap();
        assert_eq!(payload.len(), 303);
        assert_eq!(
            key.verify(&payload, &decode_base64(SIG_A).unwrap()),
            Verified::Valid
        );
        assert_eq!(
            key.verify(&payload, &decode_base64(SIG_A_P1363).unwrap()),
            Verified::Invalid
        );
        assert_eq!(
            key.verify(&payload, &decode_base64(SIG_A_PAE).unwrap()),
            Verified::Invalid
        );
        assert_eq!(
            key.verify(&pae(&payload), &decode_base64(SIG_A_PAE).unwrap()),
            Verified::Valid
        );
        assert!(
            pae(&payload)
                .starts_with(b"DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 303 {")
        );
    }

    #[test]
    fn non_canonical_der_is_rejected() {
        let key = ec_key();
        let payload = decode_base64(PAYLOAD_A).unwrap();
        let sig = decode_base64(SIG_A).unwrap();
        let mut trailing = sig.clone();
        trailing.push(0);
        assert_eq!(key.verify(&payload, &trailing), Verified::Invalid);
        // Long-form length for the outer SEQUENCE.
        let mut long_form = vec![0x30, 0x81, sig[1]];
        long_form.extend_from_slice(&sig[2..]);
        assert_eq!(key.verify(&payload, &long_form), Verified::Invalid);
        // An extra leading zero on r.
        let r_len = sig[3] as usize;
        let mut padded = vec![0x30, sig[1] + 1, 0x02, sig[3] + 1, 0x00];
        padded.extend_from_slice(&sig[4..4 + r_len]);
        padded.extend_from_slice(&sig[4 + r_len..]);
        assert_eq!(key.verify(&payload, &padded), Verified::Invalid);
    }

    #[test]
    fn algorithm_must_fit_the_key() {
        let ec = decode_public_key_pem(EC_PEM).unwrap();
        let rsa = decode_public_key_pem(RSA_PEM).unwrap();
        assert!(matches!(
            VerifyingKey::from_spki_der(&ec, SignatureAlgorithm::EcdsaP384Sha384),
            Err(KeyError::Mismatch { .. })
        ));
        assert!(matches!(
            VerifyingKey::from_spki_der(&rsa, SignatureAlgorithm::RsaPss3072Sha256),
            Err(KeyError::Mismatch {
                found: KeyType::Rsa { bits: 2048 },
                ..
            })
        ));
        let rsa_key =
            VerifyingKey::from_spki_der(&rsa, SignatureAlgorithm::RsaPss2048Sha256).unwrap();
        assert_eq!(rsa_key.verify(b"x", b"y"), Verified::Invalid);
        // The reference's RSA-PSS-2048 signature over payload A (semantics §3.6).
        let sig = decode_base64("rK/HhI8aF4NU6pWkK/nkuMh5AWB+bF7/CvOVegJUA+rezlmm0nv/RvVdnaI5kDfZTd9Y0Ie2N71xOEyiTQovz1YvGFBSBJRmnSyfW6e+2SlW0/Xz16x/eTS0CWpMPioQ5nXiv4UK1qa7YGyY4koTGf70ZBC/k/3U1G/rxyJOAWT1ej63/Fbq26KuwEzAGykGJHQP7cxm9qaV03KTtgMYj/Q1+QcNv4LmQze8AB6aEqZRFv654MmVFf/bRaRRFtlQB1YuqKX1bHOAe5l7GyzOKUtpJC/9ur/w06qfd0B8pxraYJed5AbX6r88flImVY/lYfo7GF7dTv7v5vh19yrjJg==").unwrap();
        assert_eq!(
            rsa_key.verify(&decode_base64(PAYLOAD_A).unwrap(), &sig),
            Verified::Valid
        );
    }

    #[test]
    fn algorithm_names_and_aliases() {
        use SignatureAlgorithm as A;
        assert_eq!(A::parse("EC_SIGN_P256_SHA256"), Some(A::EcdsaP256Sha256));
        assert_eq!(A::parse("ecdsa-p256-sha256"), Some(A::EcdsaP256Sha256));
        assert_eq!(
            A::parse("RSA_SIGN_PSS_2048_SHA256"),
            Some(A::RsaPss2048Sha256)
        );
        assert_eq!(A::parse("rsa-pss-4096s-ha256"), Some(A::RsaPss4096Sha256));
        assert_eq!(
            A::parse("rsa-sign-pkcs1-4096-sha512"),
            Some(A::RsaSignPkcs1_4096Sha512)
        );
        assert_eq!(A::parse("ML_DSA_65"), Some(A::MlDsa65));
        assert_eq!(A::parse("SIGNATURE_ALGORITHM_UNSPECIFIED"), None);
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(*a));
        }
    }

    #[test]
    fn base64_forms() {
        assert_eq!(decode_base64("aGk="), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("aGk"), Some(b"hi".to_vec()));
        assert_eq!(decode_base64("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("+/8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("+_8"), None);
        assert_eq!(decode_base64("aG k="), None);
        assert_eq!(bit_length(&[0x00, 0x80, 0]), 16);
    }
}
