//! The three pattern grammars of platform policies: `allowPattern` (semantics §6.3),
//! `trustedDirPatterns` (§6.4) and `trustedSourceRepoPatterns` (platform-policies §1.4).
//!
//! Each parses once at load (an error string for the loader to wrap with its code and path)
//! and matches without allocating.

/// An `imageAllowlist.allowPattern` entry.
#[derive(Debug, Clone)]
pub(crate) struct AllowPattern {
    text: String,
}

impl AllowPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<AllowPattern, String> {
        Err(format!("allow pattern `{text}`: not implemented yet"))
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the image string (as written in the workload) matches.
    pub(crate) fn matches(&self, _image: &str) -> bool {
        false
    }
}

/// A `trustedDirectoryCheck.trustedDirPatterns` entry.
#[derive(Debug, Clone)]
pub(crate) struct DirectoryPattern {
    text: String,
}

impl DirectoryPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<DirectoryPattern, String> {
        Err(format!("directory pattern `{text}`: not implemented yet"))
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the image's directory (its name without tag, digest and last path segment)
    /// matches.
    pub(crate) fn matches_image(&self, _image: &str) -> bool {
        false
    }
}

/// A `slsaCheck.rules[].trustedSourceRepoPatterns` entry.
#[derive(Debug, Clone)]
pub(crate) struct RepoPattern {
    text: String,
}

impl RepoPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<RepoPattern, String> {
        Err(format!("repository pattern `{text}`: not implemented yet"))
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a source repository URL matches (its scheme is ignored, decision P-9/Q-11).
    pub(crate) fn matches_url(&self, _url: &str) -> bool {
        false
    }
}
