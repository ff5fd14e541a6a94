//! Explicit resource budgets for every input. Each limit has its own error code.

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
    /// Most signatures in one occurrence (`INPUT_TOO_MANY_SIGNATURES`).
    pub max_signatures_per_occurrence: usize,
    /// Most images in one request (`REQUEST_TOO_MANY_IMAGES`).
    pub max_images: usize,
    /// Most signature verifications spent on one required attestor for one image (detail
    /// `NOT_TRIED_BUDGET` for the candidates left). Only signatures that need a verification
    /// count: one naming a key the attestor does not list, a malformed one, a payload for
    /// another digest, or a check already made in the same decision cost nothing. A
    /// verification over a payload larger than [`Limits::VERIFICATION_UNIT_BYTES`] counts
    /// once per started unit. See `docs/limits.md`.
    pub max_verifications_per_attestor_image: usize,
    /// Most signature verifications in one decision, over all images and attestors (detail
    /// `NOT_TRIED_BUDGET`), counted as for `max_verifications_per_attestor_image`.
    pub max_verifications_per_decision: usize,
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
        max_signatures_per_occurrence: 64,
        max_images: 1_000,
        max_verifications_per_attestor_image: 256,
        max_verifications_per_decision: 4_096,
    };

    /// A verification over a payload of more than this many bytes counts as one verification
    /// per started unit against the verification budgets (raw and PAE forms are checked
    /// together and count once): hashing a large payload costs more than the signature.
    pub const VERIFICATION_UNIT_BYTES: usize = 64 * 1024;

    /// How many verifications one check over a payload of `payload_len` bytes costs.
    pub(crate) fn verification_cost(payload_len: usize) -> usize {
        payload_len.div_ceil(Self::VERIFICATION_UNIT_BYTES).max(1)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
