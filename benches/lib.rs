//! Shared fixtures for the benchmarks: the bundled example, and generated policies.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark fixtures"
)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file of the repository, as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap()
}

/// A policy YAML with `n` allowlist patterns of every kind, spread over many projects.
pub fn policy_with_patterns(n: usize) -> String {
    let mut s = String::from("globalPolicyEvaluationMode: DISABLE\nadmissionWhitelistPatterns:\n");
    for i in 0..n {
        let p = match i % 4 {
            0 => format!("gcr.io/project-{}/app-{}*", i / 40, i % 40),
            1 => format!("us-docker.pkg.dev/project-{}/repo-{}/**", i / 40, i % 40),
            2 => format!("gcr.io/project-{}/tool-{}:v1.*", i / 40, i % 40),
            _ => format!("gcr.io/project-{}/pinned-{}:1.0", i / 40, i % 40),
        };
        s.push_str(&format!("- namePattern: {p}\n"));
    }
    s.push_str("defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n");
    s
}
