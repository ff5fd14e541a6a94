//! Signature algorithms: the `signatureAlgorithm` names of GCP's enum (plus `ED25519`) and
//! the key type each needs.

use std::fmt;

/// `PkixPublicKey.signatureAlgorithm`: every value of the GCP enum plus vouch's `ED25519`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PSS, 2048-bit modulus, SHA-256, MGF1-SHA-256, 32-byte salt.
    RsaPss2048Sha256,
    /// RSASSA-PSS, 3072-bit modulus, SHA-256.
    RsaPss3072Sha256,
    /// RSASSA-PSS, 4096-bit modulus, SHA-256.
    RsaPss4096Sha256,
    /// RSASSA-PSS, 4096-bit modulus, SHA-512, 64-byte salt.
    RsaPss4096Sha512,
    /// RSASSA-PKCS1-v1_5, 2048-bit modulus, SHA-256.
    RsaSignPkcs1_2048Sha256,
    /// RSASSA-PKCS1-v1_5, 3072-bit modulus, SHA-256.
    RsaSignPkcs1_3072Sha256,
    /// RSASSA-PKCS1-v1_5, 4096-bit modulus, SHA-256.
    RsaSignPkcs1_4096Sha256,
    /// RSASSA-PKCS1-v1_5, 4096-bit modulus, SHA-512.
    RsaSignPkcs1_4096Sha512,
    /// ECDSA on P-256 with SHA-256, DER signatures.
    EcdsaP256Sha256,
    /// ECDSA on P-384 with SHA-384, DER signatures.
    EcdsaP384Sha384,
    /// ECDSA on P-521 with SHA-512, DER signatures.
    EcdsaP521Sha512,
    /// ML-DSA-65 (FIPS 204), pure.
    MlDsa65,
    /// Ed25519 (RFC 8032), pure. A vouch extension: GCP has no such value.
    Ed25519,
}

impl SignatureAlgorithm {
    /// Every algorithm.
    pub const ALL: &'static [SignatureAlgorithm] = &[
        Self::RsaPss2048Sha256,
        Self::RsaPss3072Sha256,
        Self::RsaPss4096Sha256,
        Self::RsaPss4096Sha512,
        Self::RsaSignPkcs1_2048Sha256,
        Self::RsaSignPkcs1_3072Sha256,
        Self::RsaSignPkcs1_4096Sha256,
        Self::RsaSignPkcs1_4096Sha512,
        Self::EcdsaP256Sha256,
        Self::EcdsaP384Sha384,
        Self::EcdsaP521Sha512,
        Self::MlDsa65,
        Self::Ed25519,
    ];

    /// The canonical enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RsaPss2048Sha256 => "RSA_PSS_2048_SHA256",
            Self::RsaPss3072Sha256 => "RSA_PSS_3072_SHA256",
            Self::RsaPss4096Sha256 => "RSA_PSS_4096_SHA256",
            Self::RsaPss4096Sha512 => "RSA_PSS_4096_SHA512",
            Self::RsaSignPkcs1_2048Sha256 => "RSA_SIGN_PKCS1_2048_SHA256",
            Self::RsaSignPkcs1_3072Sha256 => "RSA_SIGN_PKCS1_3072_SHA256",
            Self::RsaSignPkcs1_4096Sha256 => "RSA_SIGN_PKCS1_4096_SHA256",
            Self::RsaSignPkcs1_4096Sha512 => "RSA_SIGN_PKCS1_4096_SHA512",
            Self::EcdsaP256Sha256 => "ECDSA_P256_SHA256",
            Self::EcdsaP384Sha384 => "ECDSA_P384_SHA384",
            Self::EcdsaP521Sha512 => "ECDSA_P521_SHA512",
            Self::MlDsa65 => "ML_DSA_65",
            Self::Ed25519 => "ED25519",
        }
    }

    /// Parses a name: the canonical names, GCP's aliases (`RSA_SIGN_PSS_*`, `EC_SIGN_*`), and
    /// the lower-case dashed spellings of gcloud and Kritis (`ecdsa-p256-sha256`).
    pub fn parse(name: &str) -> Option<SignatureAlgorithm> {
        let upper = name.trim().to_ascii_uppercase().replace('-', "_");
        let canonical = match upper.as_str() {
            "RSA_SIGN_PSS_2048_SHA256" => "RSA_PSS_2048_SHA256",
            "RSA_SIGN_PSS_3072_SHA256" => "RSA_PSS_3072_SHA256",
            // Kritis' own table spells this one `rsa-pss-4096s-ha256`.
            "RSA_SIGN_PSS_4096_SHA256" | "RSA_PSS_4096S_HA256" => "RSA_PSS_4096_SHA256",
            "RSA_SIGN_PSS_4096_SHA512" => "RSA_PSS_4096_SHA512",
            "EC_SIGN_P256_SHA256" => "ECDSA_P256_SHA256",
            "EC_SIGN_P384_SHA384" => "ECDSA_P384_SHA384",
            "EC_SIGN_P521_SHA512" => "ECDSA_P521_SHA512",
            other => other,
        };
        Self::ALL.iter().copied().find(|a| a.as_str() == canonical)
    }

    /// The key type this algorithm needs.
    pub fn key_type(self) -> KeyType {
        match self {
            Self::RsaPss2048Sha256 | Self::RsaSignPkcs1_2048Sha256 => KeyType::Rsa { bits: 2048 },
            Self::RsaPss3072Sha256 | Self::RsaSignPkcs1_3072Sha256 => KeyType::Rsa { bits: 3072 },
            Self::RsaPss4096Sha256
            | Self::RsaPss4096Sha512
            | Self::RsaSignPkcs1_4096Sha256
            | Self::RsaSignPkcs1_4096Sha512 => KeyType::Rsa { bits: 4096 },
            Self::EcdsaP256Sha256 => KeyType::P256,
            Self::EcdsaP384Sha384 => KeyType::P384,
            Self::EcdsaP521Sha512 => KeyType::P521,
            Self::MlDsa65 => KeyType::MlDsa65,
            Self::Ed25519 => KeyType::Ed25519,
        }
    }

    /// Whether this build verifies signatures of this algorithm (all of them).
    pub fn is_supported(self) -> bool {
        true
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a public key, read from its SubjectPublicKeyInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA with the given modulus size.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// EC P-256.
    P256,
    /// EC P-384.
    P384,
    /// EC P-521.
    P521,
    /// Ed25519.
    Ed25519,
    /// ML-DSA-65.
    MlDsa65,
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyType::Rsa { bits } => write!(f, "RSA-{bits}"),
            KeyType::P256 => f.write_str("EC P-256"),
            KeyType::P384 => f.write_str("EC P-384"),
            KeyType::P521 => f.write_str("EC P-521"),
            KeyType::Ed25519 => f.write_str("Ed25519"),
            KeyType::MlDsa65 => f.write_str("ML-DSA-65"),
        }
    }
}
