//! The three pattern grammars of platform policies: `allowPattern` (semantics §6.3),
//! `trustedDirPatterns` (§6.4) and `trustedSourceRepoPatterns` (platform-policies §1.4).
//!
//! Each parses once at load (an error string for the loader to wrap with its code and path)
//! and matches without allocating. No pattern normalizes the image: it is matched as written
//! in the workload (decision A-2).

use crate::request::image_ref::ImageRef;

/// An image string split as written: `name[:tag][@digest]`, the tag being a `:` after the
/// last `/` of the part before `@`. No validation, no normalization, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parts<'a> {
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

fn split_image(image: &str) -> Parts<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest.rfind(':').filter(|&colon| colon >= slash) {
        Some(colon) => Parts {
            name: rest.get(..colon).unwrap_or_default(),
            tag: rest.get(colon + 1..),
            digest,
        },
        None => Parts {
            name: rest,
            tag: None,
            digest,
        },
    }
}

/// Whether `s` starts with `prefix` and the rest has no `/`.
fn prefix_in_segment(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| !rest.contains('/'))
}

/// Whether `s` is `prefix` or lies under it (`prefix/…`).
fn at_or_under(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn has_bad_char(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"'))
}

/// An `imageAllowlist.allowPattern` entry.
#[derive(Debug, Clone)]
pub(crate) struct AllowPattern {
    text: String,
    kind: AllowKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AllowKind {
    /// `NAME*`: the image name starts with `NAME` and the rest has no `/` (any tag, digest).
    NamePrefix,
    /// `NAME/**`: the image name lies under `NAME/` (any tag, digest).
    NameTree,
    /// `NAME`, `NAME:TAG`, `NAME:TAGPREFIX*`, `NAME@DIGEST`, `NAME:TAG@DIGEST`.
    Exact { tag: TagMatch, digest: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagMatch {
    Any,
    Exact,
    Prefix,
}

impl AllowPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<AllowPattern, String> {
        let kind = allow_kind(text).map_err(|why| format!("allow pattern `{text}`: {why}"))?;
        Ok(AllowPattern {
            text: text.to_owned(),
            kind,
        })
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern exempts every image of a registry (`gcr.io/**`) or of several
    /// (`gcr.i*`, a wildcard inside the registry name); no pattern matches every image, since
    /// `*` and `**` alone are invalid. Used by the linter.
    pub(crate) fn is_registry_wide(&self) -> bool {
        let stem = self.stem();
        match self.kind {
            AllowKind::NamePrefix => !stem.contains('/'),
            AllowKind::NameTree => stem.matches('/').count() == 1,
            AllowKind::Exact { .. } => false,
        }
    }

    /// Whether the pattern trusts a tag (`NAME:TAG`, `NAME:TAGPREFIX*`) without a digest:
    /// tags can be moved to other content.
    pub(crate) fn pins_tag(&self) -> bool {
        matches!(
            self.kind,
            AllowKind::Exact {
                tag: TagMatch::Exact | TagMatch::Prefix,
                digest: false
            }
        )
    }

    /// The pattern without its trailing wildcard (`*`, `/**`).
    fn stem(&self) -> &str {
        match self.kind {
            AllowKind::NamePrefix => self.text.strip_suffix('*').unwrap_or(&self.text),
            AllowKind::NameTree => self.text.strip_suffix("**").unwrap_or(&self.text),
            AllowKind::Exact { .. } => &self.text,
        }
    }

    /// Whether the image string (as written in the workload) matches.
    pub(crate) fn matches(&self, image: &str) -> bool {
        let img = split_image(image);
        match self.kind {
            AllowKind::NamePrefix => prefix_in_segment(img.name, self.stem()),
            AllowKind::NameTree => img.name.starts_with(self.stem()),
            AllowKind::Exact { tag, digest } => {
                let pat = split_image(&self.text);
                if img.name != pat.name {
                    return false;
                }
                let tag_ok = match (tag, img.tag, pat.tag) {
                    (TagMatch::Any, _, _) => true,
                    (TagMatch::Exact, Some(i), Some(p)) => i == p,
                    (TagMatch::Prefix, Some(i), Some(p)) => {
                        i.starts_with(p.strip_suffix('*').unwrap_or(p))
                    }
                    _ => false,
                };
                tag_ok && (!digest || img.digest.is_some() && img.digest == pat.digest)
            }
        }
    }
}

fn allow_kind(text: &str) -> Result<AllowKind, String> {
    if text.is_empty() {
        return Err("a pattern must not be empty".into());
    }
    if let Some(c) = has_bad_char(text) {
        return Err(format!(
            "`{}` is not allowed in a pattern",
            c.escape_debug()
        ));
    }
    let stars = text.matches('*').count();
    if let Some(stem) = text.strip_suffix("**") {
        if stars != 2 {
            return Err("`**` may only end the pattern, and no other `*` may appear".into());
        }
        let Some(name) = stem.strip_suffix('/') else {
            return Err("`**` may only follow `/` (write `NAME/**`)".into());
        };
        if text.contains('@') || split_image(stem).tag.is_some() {
            return Err("`**` cannot be combined with a tag or a digest".into());
        }
        check_name(name)?;
        return Ok(AllowKind::NameTree);
    }
    let img = split_image(text);
    if stars > 1 {
        return Err("at most one `*`, at the end of the name or of the tag".into());
    }
    if stars == 1 {
        if img.digest.is_some() {
            return Err("a wildcard cannot be combined with a digest".into());
        }
        if let Some(tag) = img.tag {
            let Some(prefix) = tag.strip_suffix('*') else {
                return Err("`*` may only end the pattern".into());
            };
            if prefix.is_empty() {
                return Err(
                    "a tag wildcard needs a non-empty tag prefix (`NAME:v1*`); to allow every tag write the bare name `NAME`".into(),
                );
            }
            let stem = text.strip_suffix('*').unwrap_or(text);
            ImageRef::parse(stem).map_err(|e| e.to_string())?;
            return Ok(AllowKind::Exact {
                tag: TagMatch::Prefix,
                digest: false,
            });
        }
        let Some(name) = text.strip_suffix('*') else {
            return Err("`*` may only end the pattern".into());
        };
        if name.ends_with('/') {
            // `NAME/*`: images directly under NAME.
            check_name(name.trim_end_matches('/'))?;
        } else {
            check_name(name)?;
        }
        return Ok(AllowKind::NamePrefix);
    }
    ImageRef::parse(text).map_err(|e| e.to_string())?;
    Ok(AllowKind::Exact {
        tag: if img.tag.is_some() {
            TagMatch::Exact
        } else {
            TagMatch::Any
        },
        digest: img.digest.is_some(),
    })
}

/// The name part before a wildcard: non-empty, no tag, digest or empty path segment.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name before a wildcard must not be empty (`*` and `**` alone match every image: list the registries or repositories instead)".into());
    }
    if name.contains('@')
        || name.contains("//")
        || name.starts_with('/')
        || name.split('/').skip(1).any(|segment| segment.contains(':'))
    {
        return Err(format!("`{name}` is not an image name prefix"));
    }
    Ok(())
}

/// A `trustedDirectoryCheck.trustedDirPatterns` entry.
#[derive(Debug, Clone)]
pub(crate) struct DirectoryPattern {
    text: String,
    /// The pattern starts with `*` standing for a non-empty run of characters without `.`
    /// and `/` in the registry (`*.gcr.io`, `*-docker.pkg.dev`).
    leading_wildcard: bool,
    tail: DirTail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DirTail {
    /// The directory is the pattern.
    Exact,
    /// `P*`: the directory starts with `P` and the rest has no `/`.
    Prefix,
    /// `P/**`: the directory is `P` or lies under it.
    Tree,
}

impl DirectoryPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<DirectoryPattern, String> {
        directory_pattern(text).map_err(|why| format!("trusted directory pattern `{text}`: {why}"))
    }

    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The pattern without its wildcards: what the directory is compared with (after the
    /// leading wildcard's run).
    fn body(&self) -> &str {
        let t = if self.leading_wildcard {
            self.text.get(1..).unwrap_or_default()
        } else {
            &self.text
        };
        match self.tail {
            DirTail::Exact => t,
            DirTail::Prefix => t.strip_suffix('*').unwrap_or(t),
            DirTail::Tree => t.strip_suffix("/**").unwrap_or(t),
        }
    }

    /// Whether the pattern's wildcard reaches into the first path segment, the project (or
    /// owner) on shared registries: `gcr.io/**`, `gcr.io/*`, `us-docker.pkg.dev/my-proj*`
    /// trust directories of projects anyone can create. Used by the linter.
    pub(crate) fn covers_other_projects(&self) -> bool {
        let body = self.body();
        let path = body
            .find('/')
            .map_or("", |i| body.get(i + 1..).unwrap_or_default());
        match self.tail {
            DirTail::Exact => false,
            DirTail::Tree => path.is_empty(),
            DirTail::Prefix => !path.contains('/'),
        }
    }

    /// Whether the image's directory (its name without tag, digest and last path segment)
    /// matches.
    pub(crate) fn matches_image(&self, image: &str) -> bool {
        let name = split_image(image).name;
        let Some(slash) = name.rfind('/') else {
            return false;
        };
        self.matches_directory(name.get(..slash).unwrap_or_default())
    }

    /// Whether a directory matches.
    pub(crate) fn matches_directory(&self, directory: &str) -> bool {
        let body = self.body();
        let subject = if self.leading_wildcard {
            let registry_end = directory.find('/').unwrap_or(directory.len());
            let registry = directory.get(..registry_end).unwrap_or_default();
            let pattern_registry = body.split('/').next().unwrap_or_default();
            let Some(run) = registry.strip_suffix(pattern_registry) else {
                return false;
            };
            if run.is_empty() || run.contains('.') {
                return false;
            }
            directory.get(run.len()..).unwrap_or_default()
        } else {
            directory
        };
        match self.tail {
            DirTail::Exact => subject == body,
            DirTail::Prefix => prefix_in_segment(subject, body),
            DirTail::Tree => at_or_under(subject, body),
        }
    }
}

fn directory_pattern(text: &str) -> Result<DirectoryPattern, String> {
    if text.is_empty() {
        return Err("a pattern must not be empty".into());
    }
    if let Some(c) = has_bad_char(text) {
        return Err(format!(
            "`{}` is not allowed in a pattern",
            c.escape_debug()
        ));
    }
    if text.contains(['@', ':']) {
        return Err("a directory has no tag, digest or port: give `REGISTRY/PATH`".into());
    }
    let (leading_wildcard, rest) = match text.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (tail, body) = if let Some(body) = rest.strip_suffix("/**") {
        (DirTail::Tree, body)
    } else if rest.ends_with("**") {
        return Err("`**` may only follow `/` (write `REGISTRY/PATH/**`)".into());
    } else if let Some(body) = rest.strip_suffix('*') {
        if !body.contains('/') {
            return Err(
                "a trailing `*` may not stand inside the registry: it must come after `REGISTRY/`"
                    .into(),
            );
        }
        (DirTail::Prefix, body)
    } else {
        (DirTail::Exact, rest)
    };
    if body.contains('*') {
        return Err(
            "`*` is allowed only at the start of the registry (`*.gcr.io`, `*-docker.pkg.dev`) and at the end (`DIR*`, `DIR/**`)"
                .into(),
        );
    }
    let registry = body.split('/').next().unwrap_or_default();
    if leading_wildcard && !(registry.starts_with('.') || registry.starts_with('-')) {
        return Err(
            "a leading `*` must be followed by `.` or `-` (`*.gcr.io`, `*-docker.pkg.dev`)".into(),
        );
    }
    let concrete = registry.strip_prefix('.').unwrap_or(registry);
    let labels: Vec<&str> = concrete.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err(format!(
            "the registry `{registry}` must have at least two dot-separated labels (`gcr.io`, `us-docker.pkg.dev`)"
        ));
    }
    let registry_ok = concrete
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
    if !registry_ok {
        return Err(format!(
            "the registry `{registry}` may hold only lowercase letters, digits, `.` and `-`"
        ));
    }
    let path = body.get(registry.len()..).unwrap_or_default();
    // `REGISTRY/DIR/*` keeps its `/` in the body: every directory directly under DIR.
    let checked = match tail {
        DirTail::Prefix => path.strip_suffix('/').unwrap_or(path),
        DirTail::Exact | DirTail::Tree => path,
    };
    if checked.ends_with('/') || path.contains("//") {
        return Err("a directory has no empty path segment and does not end with `/`".into());
    }
    Ok(DirectoryPattern {
        text: text.to_owned(),
        leading_wildcard,
        tail,
    })
}

/// A `slsaCheck.rules[].trustedSourceRepoPatterns` entry.
#[derive(Debug, Clone)]
pub(crate) struct RepoPattern {
    text: String,
    tail: RepoTail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RepoTail {
    /// The repository URL without its scheme is the pattern.
    Exact,
    /// `P/*`: one more non-empty segment.
    Segment,
    /// `P/**`: one or more non-empty segments.
    Tree,
}

impl RepoPattern {
    /// Parses a pattern; the error says what is wrong.
    pub(crate) fn parse(text: &str) -> Result<RepoPattern, String> {
        repo_pattern(text)
            .map_err(|why| format!("trusted source repository pattern `{text}`: {why}"))
    }

    /// Whether a source repository URL matches (its scheme is ignored, decision P-9/Q-11).
    pub(crate) fn matches_url(&self, url: &str) -> bool {
        let url = strip_scheme(url);
        match self.tail {
            RepoTail::Exact => url == self.text,
            RepoTail::Segment => {
                let prefix = self.text.strip_suffix('*').unwrap_or(&self.text);
                url.strip_prefix(prefix)
                    .is_some_and(|rest| !rest.contains('/') && plain_segment(rest))
            }
            RepoTail::Tree => {
                let prefix = self.text.strip_suffix("**").unwrap_or(&self.text);
                url.strip_prefix(prefix)
                    .is_some_and(|rest| rest.split('/').all(plain_segment))
            }
        }
    }
}

/// A path segment a wildcard may stand for: not empty, not `.` or `..` (a URL that climbs
/// out of the pattern's directory matches nothing), and without `%` or `\\` (URL parsers
/// read `%2e%2e` as `..` and `\\` as `/`, so such a segment could climb out too).
fn plain_segment(segment: &str) -> bool {
    !matches!(segment, "" | "." | "..") && !segment.contains(['%', '\\'])
}

/// The URL without a leading `^[a-z0-9+.-]+://`.
pub(crate) fn strip_scheme(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'.' | b'-')
                }) =>
        {
            rest
        }
        _ => url,
    }
}

fn repo_pattern(text: &str) -> Result<RepoPattern, String> {
    if text.is_empty() {
        return Err("a pattern must not be empty".into());
    }
    if let Some(c) = has_bad_char(text) {
        return Err(format!(
            "`{}` is not allowed in a pattern",
            c.escape_debug()
        ));
    }
    if text.contains("://") {
        return Err(
            "a pattern has no scheme: write `github.com/OWNER/REPO`, which matches `https://…`, `git+https://…` and `git+ssh://…` alike"
                .into(),
        );
    }
    let (tail, body) = if let Some(body) = text.strip_suffix("/**") {
        (RepoTail::Tree, body)
    } else if let Some(body) = text.strip_suffix("/*") {
        (RepoTail::Segment, body)
    } else {
        (RepoTail::Exact, text)
    };
    if body.contains('*') {
        return Err("`*` and `**` are allowed only as the final segment, after `/`".into());
    }
    if body.is_empty() || body.starts_with('/') || body.ends_with('/') || body.contains("//") {
        return Err("a pattern is `HOST/PATH` without empty segments".into());
    }
    Ok(RepoPattern {
        text: text.to_owned(),
        tail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const D0: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    fn allow(p: &str, image: &str) -> bool {
        match AllowPattern::parse(p) {
            Ok(pattern) => pattern.matches(image),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn split_keeps_ports_and_digests() {
        assert_eq!(
            split_image("host:5000/a/b:v1@sha256:x"),
            Parts {
                name: "host:5000/a/b",
                tag: Some("v1"),
                digest: Some("sha256:x")
            }
        );
        assert_eq!(split_image("host:5000/a").tag, None);
        assert_eq!(split_image("a").name, "a");
    }

    #[test]
    fn allow_pattern_grammar() {
        for bad in [
            "",
            "*",
            "**",
            "/**",
            "gcr.io/p**",
            "gcr.io/*/img",
            "gcr.io/p/img:*",
            "gcr.io/p/img*:v1",
            "gcr.io/p/img@sha256:*",
            &format!("gcr.io/p/img*@{D0}"),
            "gcr.io/p/img:v1/**",
            "gcr.io/p/img:v1*x",
            "gcr.io/p/img:v**",
            "gcr.io/p/ img",
            "gcr.io/p/img:bad tag",
            "gcr.io/p/img@sha256:abc",
            "gcr.io//img",
        ] {
            assert!(
                AllowPattern::parse(bad).is_err(),
                "{bad:?} should be invalid"
            );
        }
        for good in [
            "gcr.io/p/img",
            "gcr.io/p/img*",
            "gcr.io/p/*",
            "gcr.io/p/**",
            "gcr.io/**",
            "gcr.i*",
            "gcr.io/p/img:v1",
            "gcr.io/p/img:v1*",
            &format!("gcr.io/p/img@{D0}"),
            &format!("gcr.io/p/img:v1@{D0}"),
            "localhost:5000/img",
            "nginx",
        ] {
            assert!(
                AllowPattern::parse(good).is_ok(),
                "{good:?} should be valid"
            );
        }
    }

    #[test]
    fn allow_pattern_matching() {
        // Name prefixes: `*` stays in one segment, `/**` crosses them; any tag or digest.
        assert!(allow("gcr.io/p/img*", "gcr.io/p/img"));
        assert!(allow("gcr.io/p/img*", "gcr.io/p/img-2:v1"));
        assert!(allow("gcr.io/p/img*", &format!("gcr.io/p/img@{D0}")));
        assert!(!allow("gcr.io/p/img*", "gcr.io/p/img/sub:v1"));
        assert!(allow("gcr.io/p/**", "gcr.io/p/a/b/c:v1"));
        assert!(!allow("gcr.io/p/**", "gcr.io/p"));
        assert!(!allow("gcr.io/p/**", "gcr.io/p-evil/a"));
        // A tag in the image never extends the name: `img*` does not match `img:tag/x`.
        assert!(!allow("gcr.io/p/img*", "gcr.io/p/other:img"));
        // Bare names: any tag, any digest, or none.
        assert!(allow("gcr.io/p/img", "gcr.io/p/img"));
        assert!(allow("gcr.io/p/img", "gcr.io/p/img:v1"));
        assert!(allow("gcr.io/p/img", &format!("gcr.io/p/img:v1@{D0}")));
        assert!(!allow("gcr.io/p/img", "gcr.io/p/img2"));
        assert!(!allow("gcr.io/p/img", "gcr.io/p/img/x"));
        // Tags: a tag-less image never matches a tag pattern (A-17).
        assert!(allow("gcr.io/p/img:v1", "gcr.io/p/img:v1"));
        assert!(allow("gcr.io/p/img:v1", &format!("gcr.io/p/img:v1@{D0}")));
        assert!(!allow("gcr.io/p/img:v1", "gcr.io/p/img"));
        assert!(!allow("gcr.io/p/img:v1", &format!("gcr.io/p/img@{D0}")));
        assert!(!allow("gcr.io/p/img:v1", "gcr.io/p/img:v10"));
        assert!(allow("gcr.io/p/img:v1*", "gcr.io/p/img:v10"));
        assert!(allow("gcr.io/p/img:v1*", "gcr.io/p/img:v1"));
        assert!(!allow("gcr.io/p/img:v1*", "gcr.io/p/img:v2"));
        assert!(!allow("gcr.io/p/img:v1*", "gcr.io/p/img"));
        // Digests.
        assert!(allow(
            &format!("gcr.io/p/img@{D0}"),
            &format!("gcr.io/p/img@{D0}")
        ));
        assert!(allow(
            &format!("gcr.io/p/img@{D0}"),
            &format!("gcr.io/p/img:any@{D0}")
        ));
        assert!(!allow(
            &format!("gcr.io/p/img@{D0}"),
            &format!("gcr.io/p/img@{D1}")
        ));
        assert!(!allow(&format!("gcr.io/p/img@{D0}"), "gcr.io/p/img:v1"));
        assert!(allow(
            &format!("gcr.io/p/img:v1@{D0}"),
            &format!("gcr.io/p/img:v1@{D0}")
        ));
        assert!(!allow(
            &format!("gcr.io/p/img:v1@{D0}"),
            &format!("gcr.io/p/img:v2@{D0}")
        ));
        assert!(!allow(
            &format!("gcr.io/p/img:v1@{D0}"),
            &format!("gcr.io/p/img@{D0}")
        ));
        // Ports are part of the name.
        assert!(allow("localhost:5000/img", "localhost:5000/img:v1"));
        assert!(!allow("localhost:5000/img", "localhost:5001/img:v1"));
        // No normalization.
        assert!(!allow("docker.io/library/nginx", "nginx"));
    }

    #[test]
    fn registry_wide_allow_patterns() {
        let wide = |p: &str| AllowPattern::parse(p).map(|p| p.is_registry_wide());
        assert_eq!(wide("gcr.io/**"), Ok(true));
        assert_eq!(wide("gcr.i*"), Ok(true));
        assert_eq!(wide("gcr.io/*"), Ok(false));
        assert_eq!(wide("gcr.io/p/**"), Ok(false));
        assert_eq!(wide("gcr.io/p"), Ok(false));
    }

    fn dir(p: &str, image: &str) -> bool {
        match DirectoryPattern::parse(p) {
            Ok(pattern) => pattern.matches_image(image),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn directory_pattern_grammar() {
        for bad in [
            "",
            "*",
            "**",
            "gcr.i*",
            "gcr*",
            "io/p",
            "localhost/p",
            "*pkg.dev/p",
            "**-docker.pkg.dev/p",
            "*.io/p",
            "sub*domain.gcr.io/x",
            "gcr.io/p*/x",
            "gcr.io/*/x",
            "gcr.io/p**",
            "gcr.io/p/",
            "gcr.io//p",
            "gcr.io/p:tag",
            "gcr.io:443/p",
            "GCR.io/p",
            "gcr.io/p/ x",
        ] {
            assert!(
                DirectoryPattern::parse(bad).is_err(),
                "{bad:?} should be invalid"
            );
        }
        for good in [
            "gcr.io",
            "gcr.io/p",
            "gcr.io/p*",
            "gcr.io/*",
            "gcr.io/p/*",
            "gcr.io/p/**",
            "gcr.io/**",
            "*.gcr.io/p",
            "*-docker.pkg.dev/p/**",
            "us-central1-docker.pkg.dev/my-project/my-directory",
        ] {
            assert!(
                DirectoryPattern::parse(good).is_ok(),
                "{good:?} should be valid"
            );
        }
    }

    #[test]
    fn directory_pattern_matching() {
        let quickstart = "us-central1-docker.pkg.dev/my-project/my-directory";
        assert!(dir(quickstart, &format!("{quickstart}/hello-app:1.0")));
        assert!(dir(quickstart, &format!("{quickstart}/hello-app@{D0}")));
        assert!(!dir(quickstart, &format!("{quickstart}/sub/hello-app:1.0")));
        assert!(!dir(quickstart, &format!("{quickstart}:1.0")));
        // The directory excludes the last segment, whatever the tag holds.
        assert!(!dir("gcr.io/p", "gcr.io/p:tag/x"));
        assert!(!dir("gcr.io/p", "gcr.io/img"));
        assert!(dir("gcr.io", "gcr.io/img"));
        assert!(!dir("gcr.io", "img"));
        // Prefix in one segment.
        assert!(dir("gcr.io/p*", "gcr.io/p/img"));
        assert!(dir("gcr.io/p*", "gcr.io/prod/img"));
        assert!(!dir("gcr.io/p*", "gcr.io/p/x/img"));
        assert!(dir("gcr.io/p/*", "gcr.io/p/x/img"));
        assert!(!dir("gcr.io/p/*", "gcr.io/p/img"));
        // Tree.
        assert!(dir("gcr.io/p/**", "gcr.io/p/img"));
        assert!(dir("gcr.io/p/**", "gcr.io/p/a/b/img"));
        assert!(!dir("gcr.io/p/**", "gcr.io/p-evil/img"));
        assert!(!dir("gcr.io/p/**", "gcr.io/img"));
        // Leading wildcard: one label part, no dots.
        assert!(dir("*.gcr.io/p", "eu.gcr.io/p/img"));
        assert!(!dir("*.gcr.io/p", "gcr.io/p/img"));
        assert!(!dir("*.gcr.io/p", "a.b.gcr.io/p/img"));
        assert!(!dir("*.gcr.io/p", "evil.io/x.gcr.io/p/img"));
        assert!(dir(
            "*-docker.pkg.dev/p/**",
            "us-central1-docker.pkg.dev/p/a/img"
        ));
        assert!(!dir("*-docker.pkg.dev/p/**", "-docker.pkg.dev/p/img"));
        assert!(!dir("*-docker.pkg.dev/p/**", "docker.pkg.dev/p/img"));
        assert!(!dir("*-docker.pkg.dev/p", "us-docker.pkg.dev/q/img"));
    }

    #[test]
    fn directory_patterns_covering_other_projects() {
        let covers = |p: &str| DirectoryPattern::parse(p).map(|p| p.covers_other_projects());
        assert_eq!(covers("gcr.io/**"), Ok(true));
        assert_eq!(covers("gcr.io/*"), Ok(true));
        assert_eq!(covers("us-docker.pkg.dev/my-proj*"), Ok(true));
        assert_eq!(covers("*-docker.pkg.dev/**"), Ok(true));
        assert_eq!(covers("gcr.io/my-project/**"), Ok(false));
        assert_eq!(covers("gcr.io/my-project/*"), Ok(false));
        assert_eq!(covers("gcr.io/my-project"), Ok(false));
        assert_eq!(covers("gcr.io"), Ok(false));
        assert_eq!(covers("*.gcr.io/my-project/**"), Ok(false));
    }

    fn repo(p: &str, url: &str) -> bool {
        match RepoPattern::parse(p) {
            Ok(pattern) => pattern.matches_url(url),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn repo_pattern_grammar() {
        for bad in [
            "",
            "*",
            "/*",
            "https://github.com/o/r",
            "github.com/o*",
            "github.com/*/r",
            "github.com/o/r**",
            "github.com//r",
            "github.com/o/",
            "github.com/o/ r",
        ] {
            assert!(
                RepoPattern::parse(bad).is_err(),
                "{bad:?} should be invalid"
            );
        }
        for good in [
            "github.com/o/r",
            "github.com/o/*",
            "github.com/o/**",
            "source.cloud.google.com/my-project/my-source-repo",
        ] {
            assert!(RepoPattern::parse(good).is_ok(), "{good:?} should be valid");
        }
    }

    #[test]
    fn repo_pattern_matching() {
        let csr = "source.cloud.google.com/p/r";
        assert!(repo(csr, "https://source.cloud.google.com/p/r"));
        assert!(repo(csr, "git+ssh://source.cloud.google.com/p/r"));
        assert!(repo(csr, "source.cloud.google.com/p/r"));
        assert!(!repo(csr, "https://source.cloud.google.com/p/r2"));
        assert!(!repo(csr, "HTTPS://source.cloud.google.com/p/r"));
        assert!(!repo(csr, "https://evil.com/source.cloud.google.com/p/r"));
        assert!(repo("github.com/o/*", "git+https://github.com/o/r"));
        assert!(!repo("github.com/o/*", "git+https://github.com/o/r/x"));
        assert!(!repo("github.com/o/*", "https://github.com/o/"));
        assert!(!repo("github.com/o/*", "https://github.com/other/r"));
        assert!(repo("github.com/o/**", "https://github.com/o/r/x"));
        assert!(!repo("github.com/o/**", "https://github.com/o"));
        assert!(!repo("github.com/o/**", "https://github.com/o//x"));
        assert!(!repo("github.com/o/**", "https://github.com/o/../evil/r"));
        assert!(!repo("github.com/o/*", "https://github.com/o/.."));
        assert_eq!(strip_scheme("git+https://a/b"), "a/b");
        assert_eq!(strip_scheme("://a"), "://a");
    }

    #[test]
    fn repo_patterns_resist_url_tricks() {
        // The scheme is stripped once: `evil.com://…` is a host (with an empty port), not a
        // second scheme.
        assert!(!repo("github.com/o/r", "https://evil.com://github.com/o/r"));
        assert!(!repo(
            "github.com/o/**",
            "https://evil.com://github.com/o/r"
        ));
        // Userinfo: the host is evil.com.
        assert!(!repo("github.com/o/r", "https://github.com@evil.com/o/r"));
        assert!(!repo("github.com/o/*", "https://github.com@evil.com/o/r"));
        // Percent-encoded dots and backslashes climb out of the directory for URL parsers.
        assert!(!repo(
            "github.com/o/**",
            "https://github.com/o/%2e%2e/evil/r"
        ));
        assert!(!repo(
            "github.com/o/**",
            "https://github.com/o/%2E%2E/evil/r"
        ));
        assert!(!repo(
            "github.com/o/*",
            "https://github.com/o/r\\..\\..\\evil\\r"
        ));
        // A trailing `/` or `.git` is another string: exact patterns do not match it.
        assert!(!repo("github.com/o/r", "https://github.com/o/r/"));
        assert!(!repo("github.com/o/r", "https://github.com/o/r.git"));
        // Another owner sharing a prefix.
        assert!(!repo("github.com/o/*", "https://github.com/o-evil/r"));
        assert!(!repo("github.com/o/**", "https://github.com/o-evil/r"));
    }
}
