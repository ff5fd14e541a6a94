//! Explicit resource budgets for every input. Each limit has its own error code.

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
    /// Most signatures in one occurrence (`INPUT_TOO_MANY_SIGNATURES`).
    pub max_signatures_per_occurrence: usize,
    /// Most images in one request (`REQUEST_TOO_MANY_IMAGES`).
    pub max_images: usize,
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
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
