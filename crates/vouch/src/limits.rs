//! Explicit resource budgets for every input. Each loading limit has its own error code; the
//! verification budgets apply while deciding and leave a `NOT_TRIED_BUDGET` detail.

use crate::verify::algorithm::SignatureAlgorithm;

/// Most bytes OpenPGP compressed data may inflate to, over all compressed packets of one
/// signature (detail `PGP_DECOMPRESSED_TOO_LARGE` beyond it). A signed payload is a small
/// simple-signing document (about 300 bytes from gcloud); 1 MiB leaves ample room and bounds a
/// "zip bomb" occurrence to 1 MiB of memory and the time to inflate it (`docs/limits.md`).
pub const MAX_PGP_DECOMPRESSED_BYTES: usize = 1024 * 1024;

/// Resource budgets applied while loading inputs.
///
/// The defaults are generous for real Binary Authorization setups (GCP itself allows 200
/// attestors per project and 1,000 keys per attestor) and small enough that hostile input is
/// rejected quickly with bounded memory. See `docs/limits.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted document, in bytes (`INPUT_TOO_LARGE`).
    pub max_input_bytes: usize,
    /// Deepest accepted nesting of objects and lists (`INPUT_TOO_DEEP`).
    pub max_depth: usize,
    /// Most YAML alias uses (`*ref`) in one input (`INPUT_ALIAS_LIMIT`); a bundle and the
    /// members embedded in it as YAML text share one budget.
    pub max_yaml_aliases: usize,
    /// Most YAML events replayed through aliases in one input (`INPUT_ALIAS_LIMIT`): bounds
    /// the work of alias expansion ("billion laughs"). A bundle and its members share it.
    pub max_yaml_alias_events: usize,
    /// Most allowlist patterns in one policy or system policy (`POLICY_TOO_MANY_PATTERNS`).
    pub max_patterns: usize,
    /// Most specific rules across all rule maps of a policy (`POLICY_TOO_MANY_RULES`).
    pub max_rules: usize,
    /// Most distinct attestors a policy may reference (`POLICY_TOO_MANY_ATTESTOR_REFS`).
    pub max_attestor_refs: usize,
    /// Most attestors supplied (`ATTESTOR_TOO_MANY`).
    pub max_attestors: usize,
    /// Most public keys per attestor (`ATTESTOR_TOO_MANY_KEYS`).
    pub max_keys_per_attestor: usize,
    /// Most attestation occurrences supplied (`INPUT_TOO_MANY_OCCURRENCES`).
    pub max_occurrences: usize,
    /// Most keys, and most Rekor keys, in one trust material input (`INPUT_TOO_MANY_TRUSTED_KEYS`).
    pub max_trusted_keys: usize,
    /// Most signatures in one occurrence (`INPUT_TOO_MANY_SIGNATURES`).
    pub max_signatures_per_occurrence: usize,
    /// Most images in one request (`REQUEST_TOO_MANY_IMAGES`).
    pub max_images: usize,
    /// Most check sets in one platform policy (`PLATFORM_TOO_LARGE`).
    pub max_platform_check_sets: usize,
    /// Most checks in one check set of a platform policy (`PLATFORM_TOO_LARGE`).
    pub max_platform_checks_per_set: usize,
    /// Most patterns (allowlist, trusted-directory and source-repository patterns) in one
    /// platform policy (`PLATFORM_TOO_LARGE`).
    pub max_platform_patterns: usize,
    /// Most public keys (attestation authenticators' and sigstore authorities') in one
    /// platform policy (`PLATFORM_TOO_LARGE`).
    pub max_platform_keys: usize,
    /// Most Pods in one cluster snapshot read for continuous validation
    /// (`REQUEST_TOO_MANY_PODS`).
    pub max_pods: usize,
    /// Most verification units spent on one required attestor for one image (detail
    /// `NOT_TRIED_BUDGET` for the candidates left). Only a signature that needs a verification
    /// costs: one naming a key the attestor does not list, a malformed one or one of a length
    /// its key never produces, a payload for another digest, or a check already made in the
    /// same decision cost nothing. A check costs [`Limits::verification_cost`] units (one for
    /// a P-256 or Ed25519 signature over a payload of up to 64 KiB). See `docs/limits.md`.
    pub max_verification_units_per_attestor_image: usize,
    /// Most verification units spent in one decision, over all images and attestors in
    /// request and policy order (detail `NOT_TRIED_BUDGET`).
    pub max_verification_units_per_decision: usize,
    /// Most verification units one evidence inspection (`vouch evidence inspect`) spends in all;
    /// items past it are reported as not verified.
    pub max_verification_units_per_inspection: usize,
}

impl Limits {
    /// The default budgets (see `docs/limits.md`).
    pub const DEFAULT: Limits = Limits {
        max_input_bytes: 64 * 1024 * 1024,
        max_depth: 64,
        max_yaml_aliases: 10_000,
        max_yaml_alias_events: 100_000,
        max_patterns: 100_000,
        max_rules: 100_000,
        max_attestor_refs: 200,
        max_attestors: 1_000,
        max_keys_per_attestor: 1_000,
        max_occurrences: 200_000,
        max_trusted_keys: 1_000,
        max_signatures_per_occurrence: 64,
        max_images: 1_000,
        max_platform_check_sets: 1_000,
        max_platform_checks_per_set: 1_000,
        max_platform_patterns: 100_000,
        max_platform_keys: 1_000,
        max_pods: 100_000,
        max_verification_units_per_attestor_image: 512,
        max_verification_units_per_decision: 8_192,
        max_verification_units_per_inspection: 65_536,
    };

    /// A check over a payload of more than this many bytes costs its algorithm's units once
    /// per started 64 KiB: hashing a large payload costs more than the signature.
    pub const VERIFICATION_UNIT_BYTES: usize = 64 * 1024;

    /// The units one signature check costs against the verification budgets: the raw payload
    /// and its PAE form are checked together and cost once. `algorithm` is `None` for an
    /// OpenPGP signature, which costs 16 units (its key may be RSA up to 4096 bits or more);
    /// `signed_len` is the payload's length (for OpenPGP, the larger of the payload and the
    /// signature, which may carry it).
    ///
    /// | algorithm | units |
    /// |---|---|
    /// | `ECDSA_P256_SHA256`, `ED25519`, `RSA_*_2048_*` | 1 |
    /// | `RSA_*_3072_*` | 3 |
    /// | `RSA_*_4096_*` | 5 |
    /// | `ECDSA_P384_SHA384` | 12 |
    /// | `ML_DSA_65`, OpenPGP | 16 |
    /// | `ECDSA_P521_SHA512` | 100 |
    ///
    /// The weights follow the measured CPU time of a failing check (raw and PAE) in the native
    /// build (`docs/limits.md`), so that a budget bounds time whatever the algorithm.
    pub fn verification_cost(algorithm: Option<SignatureAlgorithm>, signed_len: usize) -> usize {
        use SignatureAlgorithm as A;
        let weight: usize = match algorithm {
            Some(A::EcdsaP256Sha256 | A::Ed25519)
            | Some(A::RsaPss2048Sha256 | A::RsaSignPkcs1_2048Sha256) => 1,
            Some(A::RsaPss3072Sha256 | A::RsaSignPkcs1_3072Sha256) => 3,
            Some(
                A::RsaPss4096Sha256
                | A::RsaPss4096Sha512
                | A::RsaSignPkcs1_4096Sha256
                | A::RsaSignPkcs1_4096Sha512,
            ) => 5,
            Some(A::EcdsaP384Sha384) => 12,
            Some(A::MlDsa65) | None => 16,
            Some(A::EcdsaP521Sha512) => 100,
        };
        weight.saturating_mul(signed_len.div_ceil(Self::VERIFICATION_UNIT_BYTES).max(1))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
