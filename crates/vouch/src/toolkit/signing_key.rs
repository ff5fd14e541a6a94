//! Signing keys: generation from a seed, PKCS#8 PEM import and export, and signing, with
//! deterministic randomness (the library never reads randomness itself).

use std::fmt;

use p256::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use sha2::{Digest as _, Sha256, Sha512};

use crate::error::{Error, ErrorCode};
use crate::verify::algorithm::SignatureAlgorithm;

/// Which kind of key to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// ECDSA P-256 with SHA-256 (`ECDSA_P256_SHA256`).
    P256,
    /// ECDSA P-384 with SHA-384 (`ECDSA_P384_SHA384`).
    P384,
    /// RSASSA-PSS with SHA-256 and a modulus of 2048, 3072 or 4096 bits (`RSA_PSS_*_SHA256`).
    RsaPss {
        /// Modulus size: 2048, 3072 or 4096.
        bits: usize,
    },
    /// Ed25519 (vouch's `ED25519` extension).
    Ed25519,
}

impl KeyAlgorithm {
    /// Every key kind `vouch keygen --algorithm` and the bindings' `generate_key` accept.
    pub const ALL: &'static [KeyAlgorithm] = &[
        KeyAlgorithm::P256,
        KeyAlgorithm::P384,
        KeyAlgorithm::RsaPss { bits: 2048 },
        KeyAlgorithm::RsaPss { bits: 3072 },
        KeyAlgorithm::RsaPss { bits: 4096 },
        KeyAlgorithm::Ed25519,
    ];

    /// The kind's name as front ends spell it: `p256`, `p384`, `rsa-pss-2048`,
    /// `rsa-pss-3072`, `rsa-pss-4096`, `ed25519` (`rsa-pss` for another modulus size).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlgorithm::P256 => "p256",
            KeyAlgorithm::P384 => "p384",
            KeyAlgorithm::RsaPss { bits: 2048 } => "rsa-pss-2048",
            KeyAlgorithm::RsaPss { bits: 3072 } => "rsa-pss-3072",
            KeyAlgorithm::RsaPss { bits: 4096 } => "rsa-pss-4096",
            KeyAlgorithm::RsaPss { .. } => "rsa-pss",
            KeyAlgorithm::Ed25519 => "ed25519",
        }
    }

    /// The `signatureAlgorithm` keys of this kind sign with by default.
    pub fn signature_algorithm(self) -> SignatureAlgorithm {
        match self {
            KeyAlgorithm::P256 => SignatureAlgorithm::EcdsaP256Sha256,
            KeyAlgorithm::P384 => SignatureAlgorithm::EcdsaP384Sha384,
            KeyAlgorithm::RsaPss { bits: 3072 } => SignatureAlgorithm::RsaPss3072Sha256,
            KeyAlgorithm::RsaPss { bits: 4096 } => SignatureAlgorithm::RsaPss4096Sha256,
            KeyAlgorithm::RsaPss { .. } => SignatureAlgorithm::RsaPss2048Sha256,
            KeyAlgorithm::Ed25519 => SignatureAlgorithm::Ed25519,
        }
    }
}

impl std::str::FromStr for KeyAlgorithm {
    type Err = String;

    /// Reads a name of [`KeyAlgorithm::as_str`]; the error lists the names.
    fn from_str(name: &str) -> Result<KeyAlgorithm, String> {
        KeyAlgorithm::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                format!(
                    "unknown key algorithm `{name}`: expected p256, p384, rsa-pss-2048, rsa-pss-3072, rsa-pss-4096 or ed25519"
                )
            })
    }
}

/// A private key that can sign payloads. `Debug` shows only the algorithm and key id.
#[derive(Clone)]
pub struct SigningKey {
    inner: Inner,
    algorithm: SignatureAlgorithm,
    public_der: Vec<u8>,
    key_id: String,
}

#[derive(Clone)]
enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
    /// RSA, with a secret from which PSS salts are derived (one per message).
    Rsa {
        key: Box<rsa::PrivateKey>,
        salt_secret: zeroize::Zeroizing<[u8; 32]>,
    },
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// A private key in PEM, kept out of `Debug` and `Display`. Write it to a file with
/// restrictive permissions; do not log it.
pub struct PrivateKeyPem(zeroize::Zeroizing<String>);

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

/// A deterministic random-bit stream: SHA-256 of a 32-byte secret and a counter. Key
/// generation and PSS salts draw from it, so the library itself never reads randomness.
struct Drbg {
    secret: zeroize::Zeroizing<[u8; 32]>,
    counter: u64,
    block: zeroize::Zeroizing<[u8; 32]>,
    used: usize,
}

impl Drbg {
    fn new(secret: [u8; 32]) -> Drbg {
        Drbg {
            secret: zeroize::Zeroizing::new(secret),
            counter: 0,
            block: zeroize::Zeroizing::new([0; 32]),
            used: 32,
        }
    }

    fn fill(&mut self, dst: &mut [u8]) {
        for byte in dst {
            if self.used == 32 {
                let mut h = Sha256::new();
                h.update(b"vouch drbg");
                h.update(*self.secret);
                h.update(self.counter.to_be_bytes());
                self.block.copy_from_slice(&h.finalize());
                self.counter += 1;
                self.used = 0;
            }
            *byte = self.block.get(self.used).copied().unwrap_or_default();
            self.used += 1;
        }
    }
}

impl rand_core::TryRng for Drbg {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Drbg {}

/// An RSA key with its PSS salt secret: a hash of the private key, so that the same key (from
/// a seed or a PEM file) always derives the same salt for the same message.
fn rsa_inner(key: rsa::PrivateKey) -> Result<Inner, Error> {
    let der = key
        .to_pkcs8_der()
        .map_err(|_| key_error("the RSA key could not be encoded"))?;
    let salt_secret = zeroize::Zeroizing::new(sha256_of(&[b"vouch pss salt", der.as_bytes()]));
    Ok(Inner::Rsa {
        key: Box::new(key),
        salt_secret,
    })
}

fn sha256_of(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

impl SigningKey {
    /// Derives a key from 32 bytes of caller-supplied randomness: an Ed25519 seed, an ECDSA
    /// scalar (drawn again, deterministically, in the rare case it is out of range), or the seed
    /// of the prime search for RSA.
    pub fn from_seed(algorithm: KeyAlgorithm, seed: &[u8; 32]) -> Result<SigningKey, Error> {
        let mut drbg = Drbg::new(*seed);
        let inner = match algorithm {
            KeyAlgorithm::P256 => {
                let mut bytes = zeroize::Zeroizing::new(*seed);
                let mut found = None;
                for _ in 0..64 {
                    if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&*bytes) {
                        found = Some(k);
                        break;
                    }
                    drbg.fill(&mut *bytes);
                }
                Inner::P256(
                    found.ok_or_else(|| key_error("could not derive a P-256 key from the seed"))?,
                )
            }
            KeyAlgorithm::P384 => {
                let mut bytes = zeroize::Zeroizing::new([0u8; 48]);
                let mut found = None;
                for _ in 0..64 {
                    drbg.fill(&mut *bytes);
                    if let Ok(k) = p384::ecdsa::SigningKey::from_slice(&*bytes) {
                        found = Some(k);
                        break;
                    }
                }
                Inner::P384(
                    found.ok_or_else(|| key_error("could not derive a P-384 key from the seed"))?,
                )
            }
            KeyAlgorithm::RsaPss { bits } => {
                if !matches!(bits, 2048 | 3072 | 4096) {
                    return Err(key_error(format!(
                        "RSA keys are 2048, 3072 or 4096 bits, not {bits}"
                    )));
                }
                let key = rsa::PrivateKey::new(&mut drbg, bits)
                    .map_err(|e| key_error(format!("RSA key generation failed: {e}")))?;
                rsa_inner(key)?
            }
            KeyAlgorithm::Ed25519 => Inner::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed)),
        };
        SigningKey::from_inner(inner, algorithm.signature_algorithm())
    }

    /// Loads a PEM private key: PKCS#8 (`PRIVATE KEY`) for P-256, P-384, Ed25519 or RSA; SEC1
    /// (`EC PRIVATE KEY`, what `openssl ecparam -genkey` writes) for P-256 or P-384; PKCS#1
    /// (`RSA PRIVATE KEY`). RSA keys sign with RSA-PSS and SHA-256 unless
    /// [`SigningKey::with_algorithm`] picks another RSA algorithm.
    pub fn from_pem(text: &str) -> Result<SigningKey, Error> {
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(key_error(
                "encrypted private keys are not supported; decrypt with `openssl pkcs8 -in KEY -out PLAIN`",
            ));
        }
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_pem(text) {
            return SigningKey::from_inner(Inner::P256(k), SignatureAlgorithm::EcdsaP256Sha256);
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_pem(text) {
            return SigningKey::from_inner(Inner::P384(k), SignatureAlgorithm::EcdsaP384Sha384);
        }
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(text) {
            return SigningKey::from_inner(Inner::Ed25519(k), SignatureAlgorithm::Ed25519);
        }
        if let Ok(k) = p256::SecretKey::from_sec1_pem(text) {
            return SigningKey::from_inner(
                Inner::P256(k.into()),
                SignatureAlgorithm::EcdsaP256Sha256,
            );
        }
        if let Ok(k) = p384::SecretKey::from_sec1_pem(text) {
            return SigningKey::from_inner(
                Inner::P384(k.into()),
                SignatureAlgorithm::EcdsaP384Sha384,
            );
        }
        let rsa = rsa::PrivateKey::from_pkcs8_pem(text)
            .or_else(|_| rsa::PrivateKey::from_pkcs1_pem(text));
        if let Ok(key) = rsa {
            use rsa::traits::PublicKeyParts as _;
            let algorithm = match key.size() * 8 {
                2048 => SignatureAlgorithm::RsaPss2048Sha256,
                3072 => SignatureAlgorithm::RsaPss3072Sha256,
                4096 => SignatureAlgorithm::RsaPss4096Sha256,
                bits => {
                    return Err(key_error(format!(
                        "RSA keys must be 2048, 3072 or 4096 bits, not {bits}"
                    )));
                }
            };
            // Binary Authorization (and vouch) verify only RSA keys with e = 65537: a key with
            // another exponent would sign attestations that can never verify.
            if key.e_bytes().as_ref() != [1, 0, 1] {
                return Err(key_error("RSA public exponent must be 65537"));
            }
            return SigningKey::from_inner(rsa_inner(key)?, algorithm);
        }
        Err(key_error(
            "not a PEM private key for P-256, P-384, Ed25519 or RSA (PKCS#8, SEC1 or PKCS#1)",
        ))
    }

    /// Chooses the algorithm to sign with: for RSA keys any `RSA_PSS_*` or `RSA_SIGN_PKCS1_*`
    /// of the key's size; other keys accept only their own algorithm.
    pub fn with_algorithm(mut self, algorithm: SignatureAlgorithm) -> Result<SigningKey, Error> {
        let fits = match (&self.inner, algorithm.key_type()) {
            (Inner::Rsa { key, .. }, crate::verify::algorithm::KeyType::Rsa { bits }) => {
                use rsa::traits::PublicKeyParts as _;
                key.size() * 8 == bits
            }
            _ => algorithm == self.algorithm,
        };
        if !fits {
            return Err(Error::new(
                ErrorCode::AttestorAlgorithmMismatch,
                "",
                format!(
                    "this {} key cannot sign with {algorithm}",
                    self.algorithm.key_type()
                ),
            ));
        }
        self.algorithm = algorithm;
        Ok(self)
    }

    fn from_inner(inner: Inner, algorithm: SignatureAlgorithm) -> Result<SigningKey, Error> {
        let public_der = match &inner {
            Inner::P256(k) => k.verifying_key().to_public_key_der().map(|d| d.into_vec()),
            Inner::P384(k) => k.verifying_key().to_public_key_der().map(|d| d.into_vec()),
            Inner::Ed25519(k) => k.verifying_key().to_public_key_der().map(|d| d.into_vec()),
            Inner::Rsa { key, .. } => key
                .to_public_key()
                .to_public_key_der()
                .map(|d| d.into_vec()),
        }
        .map_err(|_| key_error("the public key could not be encoded"))?;
        let key_id = crate::verify::crypto::default_key_id(&public_der);
        Ok(SigningKey {
            inner,
            algorithm,
            public_der,
            key_id,
        })
    }

    /// The `signatureAlgorithm` this key signs with.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
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
        let encoded = match &self.inner {
            Inner::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            Inner::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
            Inner::Rsa { key, .. } => key.to_pkcs8_pem(LineEnding::LF),
            Inner::Ed25519(k) => {
                const PREFIX: [u8; 16] = [
                    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04,
                    0x22, 0x04, 0x20,
                ];
                let mut der = zeroize::Zeroizing::new(Vec::with_capacity(48));
                der.extend_from_slice(&PREFIX);
                der.extend_from_slice(&k.to_bytes());
                return Ok(PrivateKeyPem(zeroize::Zeroizing::new(pem_block(
                    "PRIVATE KEY",
                    &der,
                ))));
            }
        };
        encoded
            .map(|pem| PrivateKeyPem(zeroize::Zeroizing::new(pem.to_string())))
            .map_err(|_| key_error("the private key could not be encoded"))
    }

    /// Signs exactly `message` with [`SigningKey::algorithm`]: DER ECDSA (RFC 6979 nonces),
    /// Ed25519, RSA PKCS#1 v1.5, or RSA-PSS with salt length = hash length and a salt derived
    /// from the key and the message.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use SignatureAlgorithm as A;
        use p256::ecdsa::signature::Signer as _;
        use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
        match &self.inner {
            Inner::P256(k) => {
                let sig: p256::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::P384(k) => {
                let sig: p384::ecdsa::Signature = k.sign(message);
                sig.to_der().as_bytes().to_vec()
            }
            Inner::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            Inner::Rsa { key, salt_secret } => {
                let key = key.as_ref().clone();
                let mut salts = Drbg::new(sha256_of(&[salt_secret.as_slice(), message]));
                match self.algorithm {
                    A::RsaPss4096Sha512 => rsa::pss::SigningKey::<Sha512>::new(key)
                        .sign_with_rng(&mut salts, message)
                        .to_vec(),
                    A::RsaSignPkcs1_2048Sha256
                    | A::RsaSignPkcs1_3072Sha256
                    | A::RsaSignPkcs1_4096Sha256 => rsa::pkcs1v15::SigningKey::<Sha256>::new(key)
                        .sign(message)
                        .to_vec(),
                    A::RsaSignPkcs1_4096Sha512 => rsa::pkcs1v15::SigningKey::<Sha512>::new(key)
                        .sign(message)
                        .to_vec(),
                    _ => rsa::pss::SigningKey::<Sha256>::new(key)
                        .sign_with_rng(&mut salts, message)
                        .to_vec(),
                }
            }
        }
    }
}

/// PEM with 64-character lines, as OpenSSL writes it.
fn pem_block(label: &str, der: &[u8]) -> String {
    let body = crate::read::bytes::encode_base64(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}
