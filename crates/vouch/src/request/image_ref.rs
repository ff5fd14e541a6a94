//! Container image references, parsed exactly by the distribution grammar.
//!
//! ```text
//! reference        := name [":" tag] ["@" digest]
//! name             := [domain "/"] remote-name
//! domain           := host [":" port]
//! host             := domain-name | "[" IPv6 "]"
//! remote-name      := path-component ("/" path-component)*      (at most 255 characters)
//! path-component   := [a-z0-9]+ (separator [a-z0-9]+)*
//! separator        := "." | "_" | "__" | "-"+
//! tag              := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest           := sha256:<64 hex> | sha384:<96 hex> | sha512:<128 hex>   (lowercase hex)
//! ```
//!
//! A reference keeps the string exactly as written (Binary Authorization matches allowlist
//! patterns against it). [`ImageRef::normalized`] applies Docker's familiar-name rules
//! (`docker.io`, `library/`, `:latest`) separately, for the places that want them.

use std::fmt;
use std::ops::Range;

/// Longest accepted repository path (the name without its domain).
pub const MAX_PATH_LEN: usize = 255;
/// Longest accepted tag.
pub const MAX_TAG_LEN: usize = 128;

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImageRefError {
    /// The string is empty.
    #[error("image reference is empty")]
    Empty,
    /// The repository name has upper-case letters.
    #[error("repository name must be lowercase: `{0}`")]
    Uppercase(String),
    /// The repository path is longer than 255 characters.
    #[error("repository path is {0} characters, more than the limit of 255")]
    NameTooLong(usize),
    /// The domain (registry) part is malformed.
    #[error("invalid registry `{0}`: expected a host name, `[IPv6]`, and an optional `:port`")]
    InvalidDomain(String),
    /// A path component is malformed.
    #[error(
        "invalid repository path component `{0}`: use lowercase letters and digits, separated by `.`, `_`, `__` or dashes"
    )]
    InvalidPathComponent(String),
    /// The tag is malformed or too long.
    #[error(
        "invalid tag `{0}`: a tag is 1 to 128 of `A-Z a-z 0-9 _ . -`, not starting with `.` or `-`"
    )]
    InvalidTag(String),
    /// The digest is malformed.
    #[error("invalid digest `{0}`: expected `algorithm:hex`")]
    InvalidDigest(String),
    /// The digest's algorithm is not sha256, sha384 or sha512.
    #[error("unsupported digest algorithm `{0}`: expected sha256, sha384 or sha512")]
    UnsupportedDigest(String),
    /// The digest's hex part has the wrong length or case for its algorithm.
    #[error("invalid {algorithm} digest `{digest}`: expected {expected} lowercase hex characters")]
    InvalidDigestHex {
        /// The algorithm named in the digest.
        algorithm: String,
        /// The digest as written.
        digest: String,
        /// How many hex characters the algorithm needs.
        expected: usize,
    },
    /// A character that no part of a reference may contain, or a misplaced `@` / `:`.
    #[error("invalid reference format: `{0}`")]
    InvalidFormat(String),
    /// A 64-hex string alone is an image id, not a name (normalization only).
    #[error("`{0}` is a 64-character hex id, not a repository name")]
    HexIdentifier(String),
}

/// A parsed image reference; the original string is kept verbatim.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    raw: String,
    domain: Option<Range<usize>>,
    path: Range<usize>,
    tag: Option<Range<usize>>,
    digest: Option<Range<usize>>,
}

impl fmt::Debug for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImageRef")
            .field("raw", &self.raw)
            .field("registry", &self.registry())
            .field("path", &self.path())
            .field("tag", &self.tag())
            .field("digest", &self.digest())
            .finish()
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl serde::Serialize for ImageRef {
    /// The reference's JSON form, shared by the front ends: `{"reference", "registry",
    /// "path", "repository", "tag", "digest", "normalized"}` (`registry`, `tag`, `digest` and
    /// `normalized` are `null` when absent).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = s.serialize_struct("ImageRef", 7)?;
        out.serialize_field("reference", self.as_str())?;
        out.serialize_field("registry", &self.registry())?;
        out.serialize_field("path", self.path())?;
        out.serialize_field("repository", self.repository())?;
        out.serialize_field("tag", &self.tag())?;
        out.serialize_field("digest", &self.digest())?;
        let normalized = self.normalized().ok();
        out.serialize_field("normalized", &normalized.as_ref().map(ImageRef::as_str))?;
        out.end()
    }
}

impl std::str::FromStr for ImageRef {
    type Err = ImageRefError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImageRef::parse(s)
    }
}

impl ImageRef {
    /// Parses a reference by the distribution grammar, without normalization: in `foo/bar`,
    /// `foo` is the registry, as in `distribution/reference.Parse`.
    pub fn parse(s: &str) -> Result<Self, ImageRefError> {
        parse_parts(s, false)
    }

    /// [`ImageRef::parse`] keeping `s` as the reference's text (no copy); gives `s` back
    /// with the error.
    pub(crate) fn parse_owned(s: String) -> Result<Self, (ImageRefError, String)> {
        match locate(&s, false) {
            Ok(parts) => Ok(parts.with_raw(s)),
            Err(e) => Err((e, s)),
        }
    }

    /// The reference exactly as written.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The registry (domain with optional port), if the reference names one.
    pub fn registry(&self) -> Option<&str> {
        self.domain.clone().and_then(|r| self.raw.get(r))
    }

    /// The repository path, without registry, tag or digest.
    pub fn path(&self) -> &str {
        self.raw.get(self.path.clone()).unwrap_or_default()
    }

    /// Registry and path as written, without tag or digest (the simple-signing
    /// `docker-reference`).
    pub fn repository(&self) -> &str {
        let start = self.domain.as_ref().map_or(self.path.start, |d| d.start);
        self.raw.get(start..self.path.end).unwrap_or_default()
    }

    /// The tag, if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.clone().and_then(|r| self.raw.get(r))
    }

    /// The digest (`algorithm:hex`), if any.
    pub fn digest(&self) -> Option<&str> {
        self.digest.clone().and_then(|r| self.raw.get(r))
    }

    /// The digest if it is a sha256 digest: the only kind Binary Authorization attests.
    pub fn sha256_digest(&self) -> Option<&str> {
        self.digest().filter(|d| d.starts_with("sha256:"))
    }

    /// Docker's familiar-name normalization: a first path component without `.` or `:`,
    /// other than `localhost` and without upper case, is not a registry, so `docker.io` is
    /// added; `index.docker.io` becomes `docker.io`; single-component names on `docker.io`
    /// get `library/`; a reference with neither tag nor digest gets `:latest`.
    ///
    /// `busybox` → `docker.io/library/busybox:latest`.
    pub fn normalized(&self) -> Result<ImageRef, ImageRefError> {
        normalize(&self.raw)
    }
}

/// Normalizes a reference string as Docker does (see [`ImageRef::normalized`]).
pub fn normalize(s: &str) -> Result<ImageRef, ImageRefError> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(ImageRefError::HexIdentifier(s.to_owned()));
    }
    let (domain, remainder) = match s.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (first, rest)
        }
        _ => ("docker.io", s),
    };
    let domain = if domain == "index.docker.io" {
        "docker.io"
    } else {
        domain
    };
    let remote_end = remainder.find([':', '@']).unwrap_or(remainder.len());
    let remote = remainder.get(..remote_end).unwrap_or_default();
    if remote.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ImageRefError::Uppercase(remote.to_owned()));
    }
    let library = if domain == "docker.io" && !remote.contains('/') {
        "library/"
    } else {
        ""
    };
    let mut full = format!("{domain}/{library}{remainder}");
    let parsed = parse_parts(&full, true)?;
    if parsed.tag.is_none() && parsed.digest.is_none() {
        full.push_str(":latest");
        return parse_parts(&full, true);
    }
    Ok(parsed)
}

fn parse_parts(s: &str, domain_required: bool) -> Result<ImageRef, ImageRefError> {
    locate(s, domain_required).map(|parts| parts.with_raw(s.to_owned()))
}

/// Where the parts of a valid reference are in its text.
struct Parts {
    domain: Option<Range<usize>>,
    path: Range<usize>,
    tag: Option<Range<usize>>,
    digest: Option<Range<usize>>,
}

impl Parts {
    fn with_raw(self, raw: String) -> ImageRef {
        ImageRef {
            raw,
            domain: self.domain,
            path: self.path,
            tag: self.tag,
            digest: self.digest,
        }
    }
}

/// Validates a reference and finds its parts.
fn locate(s: &str, domain_required: bool) -> Result<Parts, ImageRefError> {
    if s.is_empty() {
        return Err(ImageRefError::Empty);
    }
    // Byte-wise: every byte of a non-ASCII character is >= 0x80, so not ASCII graphic either.
    // Past this check the string is ASCII, and byte positions are character positions.
    if !s.bytes().fold(true, |ok, b| ok & b.is_ascii_graphic()) {
        return Err(ImageRefError::InvalidFormat(s.to_owned()));
    }
    // `@` separates the digest; neither name nor tag may contain one.
    let (left, digest) = match s.bytes().position(|b| b == b'@') {
        Some(at) => {
            if s.bytes().skip(at + 1).any(|b| b == b'@') {
                return Err(ImageRefError::InvalidFormat(s.to_owned()));
            }
            (s.get(..at).unwrap_or_default(), Some(at + 1..s.len()))
        }
        None => (s, None),
    };
    if let Some(range) = digest.clone() {
        validate_digest(s.get(range).unwrap_or_default())?;
    }
    // A `:` after the last `/` starts the tag; one before it belongs to a port.
    let last_slash = left.bytes().rposition(|b| b == b'/');
    let tag_colon = left
        .bytes()
        .rposition(|b| b == b':')
        .filter(|&c| last_slash.is_none_or(|sl| c > sl));
    let (name_end, tag) = match tag_colon {
        Some(c) => (c, Some(c + 1..left.len())),
        None => (left.len(), None),
    };
    if let Some(range) = tag.clone() {
        let t = s.get(range).unwrap_or_default();
        if !valid_tag(t) {
            return Err(ImageRefError::InvalidTag(t.to_owned()));
        }
    }
    let name = left.get(..name_end).unwrap_or_default();
    if name.is_empty() {
        return Err(ImageRefError::InvalidFormat(s.to_owned()));
    }
    let first_component = name
        .bytes()
        .position(|b| b == b'/')
        .and_then(|i| name.get(..i));
    let (domain, path) = match first_component {
        Some(first) if valid_domain(first) => (Some(0..first.len()), first.len() + 1..name_end),
        Some(first) if domain_required => {
            return Err(ImageRefError::InvalidDomain(first.to_owned()));
        }
        _ => (None, 0..name_end),
    };
    let path_str = s.get(path.clone()).unwrap_or_default();
    if let Err(component) = validate_path(path_str) {
        let lower = path_str.to_ascii_lowercase();
        if lower != path_str && validate_path(&lower).is_ok() {
            return Err(ImageRefError::Uppercase(path_str.to_owned()));
        }
        if domain.is_none() && name.contains('/') {
            // The first component was neither a registry nor a path component.
            let first = name.split('/').next().unwrap_or_default();
            if !valid_path_component(first.as_bytes()) && first.contains([':', '[']) {
                return Err(ImageRefError::InvalidDomain(first.to_owned()));
            }
        }
        return Err(ImageRefError::InvalidPathComponent(component));
    }
    if path_str.len() > MAX_PATH_LEN {
        return Err(ImageRefError::NameTooLong(path_str.len()));
    }
    Ok(Parts {
        domain,
        path,
        tag,
        digest,
    })
}

fn validate_path(path: &str) -> Result<(), String> {
    // Byte-wise splits here and below: the reference is ASCII by now, and searching short
    // strings byte by byte is cheaper than setting up a `str` pattern search.
    for component in path.as_bytes().split(|&b| b == b'/') {
        if !valid_path_component(component) {
            return Err(String::from_utf8_lossy(component).into_owned());
        }
    }
    Ok(())
}

/// `[a-z0-9]+ (separator [a-z0-9]+)*` with separators `.`, `_`, `__`, `-+`.
fn valid_path_component(b: &[u8]) -> bool {
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty()
        || !b.first().copied().is_some_and(alnum)
        || !b.last().copied().is_some_and(alnum)
    {
        return false;
    }
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        if alnum(x) {
            i += 1;
            continue;
        }
        let run_start = i;
        while b.get(i).is_some_and(|&y| !alnum(y)) {
            i += 1;
        }
        let sep = b.get(run_start..i).unwrap_or_default();
        let ok = sep == b"." || sep == b"_" || sep == b"__" || sep.iter().all(|&y| y == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `host [":" port]`, host a DNS-style name or a bracketed IPv6 address.
fn valid_domain(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some(close) = rest.find(']') else {
            return false;
        };
        let (v6, after) = rest.split_at(close);
        let after = after.get(1..).unwrap_or_default();
        if v6.is_empty() || !v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after.strip_prefix(':') {
            Some(port) => ("[v6]", Some(port)),
            None if after.is_empty() => ("[v6]", None),
            None => return false,
        }
    } else {
        match d.bytes().position(|b| b == b':') {
            Some(i) => (d.get(..i).unwrap_or_default(), d.get(i + 1..)),
            None => (d, None),
        }
    };
    if let Some(port) = port
        && (port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    host == "[v6]"
        || (!host.is_empty()
            && host
                .as_bytes()
                .split(|&b| b == b'.')
                .all(valid_domain_component))
}

fn valid_domain_component(b: &[u8]) -> bool {
    !b.is_empty()
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
}

fn valid_tag(t: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    t.len() <= MAX_TAG_LEN
        && t.as_bytes().first().copied().is_some_and(word)
        && t.bytes().all(|b| word(b) || b == b'.' || b == b'-')
}

fn validate_digest(d: &str) -> Result<(), ImageRefError> {
    let Some((algorithm, hex)) = d.split_once(':') else {
        return Err(ImageRefError::InvalidDigest(d.to_owned()));
    };
    let component_ok = |c: &str| {
        c.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && c.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(component_ok);
    // One pass over the hex, without early exit (it vectorizes): not hex, upper case.
    let (not_hex, upper) = hex.bytes().fold((false, false), |(not_hex, upper), b| {
        (
            not_hex | !b.is_ascii_hexdigit(),
            upper | b.is_ascii_uppercase(),
        )
    });
    if !algorithm_ok || hex.len() < 32 || not_hex {
        return Err(ImageRefError::InvalidDigest(d.to_owned()));
    }
    let expected = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        other => return Err(ImageRefError::UnsupportedDigest(other.to_owned())),
    };
    if hex.len() != expected || upper {
        return Err(ImageRefError::InvalidDigestHex {
            algorithm: algorithm.to_owned(),
            digest: d.to_owned(),
            expected,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

    fn parts(s: &str) -> (Option<String>, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(r.as_str(), s);
        (
            r.registry().map(str::to_owned),
            r.path().to_owned(),
            r.tag().map(str::to_owned),
            r.digest().map(str::to_owned),
        )
    }

    #[test]
    fn valid_forms() {
        assert_eq!(parts("busybox"), (None, "busybox".into(), None, None));
        assert_eq!(
            parts("busybox:1.36"),
            (None, "busybox".into(), Some("1.36".into()), None)
        );
        assert_eq!(parts("library/busybox").0, Some("library".into()));
        assert_eq!(
            parts("localhost:5000/a/b:v1"),
            (
                Some("localhost:5000".into()),
                "a/b".into(),
                Some("v1".into()),
                None
            )
        );
        assert_eq!(parts("[::1]:5000/app").0, Some("[::1]:5000".into()));
        assert_eq!(parts("[2001:db8::1]/app").0, Some("[2001:db8::1]".into()));
        let full = format!("us-docker.pkg.dev/p/app/web:1.0@{D}");
        assert_eq!(
            parts(&full),
            (
                Some("us-docker.pkg.dev".into()),
                "p/app/web".into(),
                Some("1.0".into()),
                Some(D.into())
            )
        );
        assert_eq!(parts("a__b/c-----d/e.f_g").1, "a__b/c-----d/e.f_g");
        assert_eq!(
            parts("Registry.Example.COM/app").0,
            Some("Registry.Example.COM".into())
        );
        let r = ImageRef::parse(&full).unwrap();
        assert_eq!(r.repository(), "us-docker.pkg.dev/p/app/web");
        assert_eq!(r.sha256_digest(), Some(D));
    }

    #[test]
    fn invalid_forms() {
        use ImageRefError as E;
        let err = |s: &str| ImageRef::parse(s).unwrap_err();
        assert_eq!(err(""), E::Empty);
        assert!(matches!(err("Busybox"), E::Uppercase(_)));
        assert!(matches!(err("gcr.io/Proj/app"), E::Uppercase(_)));
        assert!(matches!(err("a/b:"), E::InvalidTag(_)));
        assert!(matches!(err("a:-x"), E::InvalidTag(_)));
        assert!(matches!(
            err(&format!("a:{}", "x".repeat(129))),
            E::InvalidTag(_)
        ));
        assert!(ImageRef::parse(&format!("a:{}", "x".repeat(128))).is_ok());
        assert!(matches!(err("a@sha256:abc"), E::InvalidDigest(_)));
        assert!(matches!(
            err(&format!("a@md5:{}", "0".repeat(32))),
            E::UnsupportedDigest(_)
        ));
        assert!(matches!(
            err(&format!("a@sha256:{}", "A".repeat(64))),
            E::InvalidDigestHex { .. }
        ));
        assert!(matches!(
            err(&format!("a@sha256:{}", "a".repeat(63))),
            E::InvalidDigestHex { .. }
        ));
        assert!(ImageRef::parse(&format!("a@sha512:{}", "a".repeat(128))).is_ok());
        assert!(matches!(err("a..b"), E::InvalidPathComponent(_)));
        assert!(matches!(err("a___b"), E::InvalidPathComponent(_)));
        assert!(matches!(err("a/b/"), E::InvalidPathComponent(_)));
        assert!(matches!(err("a b"), E::InvalidFormat(_)));
        assert!(matches!(err("a@b@c"), E::InvalidFormat(_)));
        assert!(matches!(
            err(&format!("gcr.io/{}", "a".repeat(256))),
            E::NameTooLong(256)
        ));
        assert!(ImageRef::parse(&format!("gcr.io/{}", "a".repeat(255))).is_ok());
        assert!(ImageRef::parse("[::1]:5000").is_err());
        assert!(ImageRef::parse("-a.io/x").is_err());
    }

    #[test]
    fn normalization() {
        let n = |s: &str| normalize(s).unwrap().as_str().to_owned();
        assert_eq!(n("busybox"), "docker.io/library/busybox:latest");
        assert_eq!(n("busybox:1.36"), "docker.io/library/busybox:1.36");
        assert_eq!(n("user/app"), "docker.io/user/app:latest");
        assert_eq!(
            n("index.docker.io/ubuntu"),
            "docker.io/library/ubuntu:latest"
        );
        assert_eq!(n("localhost/app"), "localhost/app:latest");
        assert_eq!(n(&format!("gcr.io/p/a@{D}")), format!("gcr.io/p/a@{D}"));
        assert!(matches!(
            normalize(&"a".repeat(64)),
            Err(ImageRefError::HexIdentifier(_))
        ));
        assert!(matches!(
            normalize("Busybox"),
            Err(ImageRefError::Uppercase(_))
        ));
    }
}
