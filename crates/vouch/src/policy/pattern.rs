//! Allowlist patterns (`admissionWhitelistPatterns[].namePattern`) and their compiled matcher.
//!
//! Grammar (decision A-3): an exact string, or a prefix followed by `*` (the rest of the image
//! has no `/`) or `**` (anything). Patterns match the image string exactly as written, with no
//! normalization. A pattern is invalid if it is empty, has a `*` anywhere but the last one
//! or two characters, has `***`, or puts a wildcard inside the registry part (no `/` before it).
//!
//! [`PatternSet`] compiles any number of patterns into one radix tree over the pattern
//! prefixes: a lookup walks the image once, so its cost depends on the image length, not on
//! how many patterns the policy has.

use std::fmt;

/// How a pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternKind {
    /// The image string must equal the pattern.
    Exact,
    /// The image must start with the prefix, and the rest must not contain `/`.
    Star,
    /// The image must start with the prefix.
    DoubleStar,
}

/// A validated allowlist pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    text: String,
    kind: PatternKind,
}

/// Why a pattern is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The pattern is empty.
    #[error("pattern is empty")]
    Empty,
    /// The pattern contains whitespace or control characters.
    #[error("pattern `{0}` contains whitespace or control characters")]
    Whitespace(String),
    /// `***` appears.
    #[error("`***` is not a wildcard: `{0}`")]
    TripleStar(String),
    /// A `*` appears before the end.
    #[error("wildcard `*` is only allowed at the end of a pattern: `{0}`")]
    InnerWildcard(String),
    /// The wildcard is inside the registry part.
    #[error("wildcard must come after `registry/`: `{0}`")]
    WildcardInRegistry(String),
}

impl Pattern {
    /// Validates and classifies a pattern.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        if text.is_empty() {
            return Err(PatternError::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PatternError::Whitespace(text.to_owned()));
        }
        if text.contains("***") {
            return Err(PatternError::TripleStar(text.to_owned()));
        }
        let (prefix, kind) = if let Some(p) = text.strip_suffix("**") {
            (p, PatternKind::DoubleStar)
        } else if let Some(p) = text.strip_suffix('*') {
            (p, PatternKind::Star)
        } else {
            (text, PatternKind::Exact)
        };
        if prefix.contains('*') {
            return Err(PatternError::InnerWildcard(text.to_owned()));
        }
        if kind != PatternKind::Exact && !prefix.contains('/') {
            return Err(PatternError::WildcardInRegistry(text.to_owned()));
        }
        Ok(Pattern {
            text: text.to_owned(),
            kind,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How the pattern matches.
    pub fn kind(&self) -> PatternKind {
        self.kind
    }

    /// The literal part: the pattern without its trailing wildcard.
    pub fn prefix(&self) -> &str {
        let strip = match self.kind {
            PatternKind::Exact => 0,
            PatternKind::Star => 1,
            PatternKind::DoubleStar => 2,
        };
        self.text.get(..self.text.len() - strip).unwrap_or_default()
    }

    /// Whether the pattern matches an image string (the direct definition, R-ALLOW).
    pub fn matches(&self, image: &str) -> bool {
        match self.kind {
            PatternKind::Exact => image == self.text,
            PatternKind::DoubleStar => image.starts_with(self.prefix()),
            PatternKind::Star => image
                .strip_prefix(self.prefix())
                .is_some_and(|rest| !rest.contains('/')),
        }
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    label: Box<[u8]>,
    children: Vec<(u8, u32)>,
    exact: u32,
    star: u32,
    double_star: u32,
}

impl Node {
    fn new(label: &[u8]) -> Node {
        Node {
            label: label.into(),
            children: Vec::new(),
            exact: NONE,
            star: NONE,
            double_star: NONE,
        }
    }

    fn child(&self, byte: u8) -> Option<u32> {
        self.children
            .binary_search_by_key(&byte, |&(b, _)| b)
            .ok()
            .and_then(|i| self.children.get(i))
            .map(|&(_, c)| c)
    }
}

/// A compiled, immutable set of patterns. Lookups report the first matching pattern in
/// the order the patterns were given.
#[derive(Debug, Clone)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    nodes: Vec<Node>,
}

impl Default for PatternSet {
    fn default() -> Self {
        PatternSet::new(Vec::new())
    }
}

impl PatternSet {
    /// Compiles patterns (kept in the given order).
    pub fn new(patterns: Vec<Pattern>) -> PatternSet {
        let mut set = PatternSet {
            patterns: Vec::new(),
            nodes: vec![Node::new(b"")],
        };
        for (index, pattern) in patterns.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(NONE - 1);
            set.insert(pattern.prefix().as_bytes(), pattern.kind, index);
        }
        set.patterns = patterns;
        set
    }

    /// The patterns, in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    fn insert(&mut self, key: &[u8], kind: PatternKind, index: u32) {
        let mut node = 0usize;
        let mut pos = 0usize;
        loop {
            let Some(rest) = key.get(pos..) else { return };
            let Some(&byte) = rest.first() else {
                if let Some(n) = self.nodes.get_mut(node) {
                    let slot = match kind {
                        PatternKind::Exact => &mut n.exact,
                        PatternKind::Star => &mut n.star,
                        PatternKind::DoubleStar => &mut n.double_star,
                    };
                    *slot = (*slot).min(index);
                }
                return;
            };
            let child = self.nodes.get(node).and_then(|n| n.child(byte));
            let Some(child) = child else {
                let leaf = self.push(Node::new(rest));
                self.link(node, byte, leaf);
                node = leaf as usize;
                pos = key.len();
                continue;
            };
            let (common, label_len) = match self.nodes.get(child as usize) {
                Some(n) => (
                    n.label.iter().zip(rest).take_while(|(a, b)| a == b).count(),
                    n.label.len(),
                ),
                None => return,
            };
            if common == label_len {
                node = child as usize;
                pos += common;
                continue;
            }
            // Split the child: a middle node takes the shared part of the label.
            let (shared, tail): (Box<[u8]>, Box<[u8]>) = match self.nodes.get(child as usize) {
                Some(n) => {
                    let (a, b) = n.label.split_at(common);
                    (a.into(), b.into())
                }
                None => return,
            };
            let middle = self.push(Node::new(&shared));
            if let (Some(&first), Some(m)) = (tail.first(), self.nodes.get_mut(middle as usize)) {
                m.children.push((first, child));
            }
            if let Some(c) = self.nodes.get_mut(child as usize) {
                c.label = tail;
            }
            self.link(node, byte, middle);
            node = middle as usize;
            pos += common;
        }
    }

    fn push(&mut self, node: Node) -> u32 {
        self.nodes.push(node);
        u32::try_from(self.nodes.len() - 1).unwrap_or(NONE)
    }

    /// Points `parent`'s edge for `byte` at `child`, keeping edges sorted.
    fn link(&mut self, parent: usize, byte: u8, child: u32) {
        if let Some(p) = self.nodes.get_mut(parent) {
            match p.children.binary_search_by_key(&byte, |&(b, _)| b) {
                Ok(i) => {
                    if let Some(e) = p.children.get_mut(i) {
                        e.1 = child;
                    }
                }
                Err(i) => p.children.insert(i, (byte, child)),
            }
        }
    }

    /// The first pattern (in policy order) that matches `image`, if any.
    pub fn first_match(&self, image: &str) -> Option<&Pattern> {
        let bytes = image.as_bytes();
        let last_slash = image.rfind('/');
        let mut best = NONE;
        let mut node = self.nodes.first()?;
        let mut depth = 0usize;
        loop {
            best = best.min(node.double_star);
            if last_slash.is_none_or(|s| s < depth) {
                best = best.min(node.star);
            }
            if depth == bytes.len() {
                best = best.min(node.exact);
                break;
            }
            let Some(&byte) = bytes.get(depth) else { break };
            let Some(next) = node.child(byte).and_then(|c| self.nodes.get(c as usize)) else {
                break;
            };
            if !bytes
                .get(depth..)
                .is_some_and(|rest| rest.starts_with(&next.label))
            {
                break;
            }
            depth += next.label.len();
            node = next;
        }
        self.patterns.get(best as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ps: &[&str]) -> PatternSet {
        PatternSet::new(ps.iter().map(|p| Pattern::parse(p).unwrap()).collect())
    }

    #[test]
    fn validation() {
        use PatternError as E;
        assert_eq!(Pattern::parse(""), Err(E::Empty));
        assert!(matches!(
            Pattern::parse("gcr.io/p/n*x"),
            Err(E::InnerWildcard(_))
        ));
        assert!(matches!(
            Pattern::parse("gcr.i*"),
            Err(E::WildcardInRegistry(_))
        ));
        assert!(matches!(Pattern::parse("*"), Err(E::WildcardInRegistry(_))));
        assert!(matches!(
            Pattern::parse("**"),
            Err(E::WildcardInRegistry(_))
        ));
        assert!(matches!(
            Pattern::parse("gcr.io/p/***"),
            Err(E::TripleStar(_))
        ));
        assert!(matches!(
            Pattern::parse("gcr.io/p/a b"),
            Err(E::Whitespace(_))
        ));
        assert_eq!(
            Pattern::parse("gcr.io/p/x@*").unwrap().kind(),
            PatternKind::Star
        );
        assert_eq!(
            Pattern::parse("loc-ref").unwrap().kind(),
            PatternKind::Exact
        );
        assert_eq!(Pattern::parse("gcr.io/p**").unwrap().prefix(), "gcr.io/p");
    }

    /// The Kritis conformance table of semantics §1.3.
    #[test]
    fn kritis_table() {
        let zeros = "0".repeat(64);
        let ones = "1".repeat(64);
        let cases: Vec<(String, String, bool)> = vec![
            (
                "gcr.io/1-my-image*".into(),
                "gcr.io/1-my-image-abc".into(),
                true,
            ),
            (
                "gcr.io/1-my-image*".into(),
                "gcr.io/1-my-image-abc:tag".into(),
                true,
            ),
            (
                "gcr.io/1-my-image*".into(),
                "gcr.io/1-my-image/a:latest".into(),
                false,
            ),
            (
                "gcr.io/2-my-image-any-tag:*".into(),
                "gcr.io/2-my-image-any-tag:any".into(),
                true,
            ),
            (
                "gcr.io/3-my-untagged-image".into(),
                "gcr.io/3-my-untagged-image".into(),
                true,
            ),
            (
                "gcr.io/3-my-untagged-image".into(),
                "gcr.io/3-my-untagged-image:tag".into(),
                false,
            ),
            (
                "gcr.io/4-my-image-tag-prefix:1.*".into(),
                "gcr.io/4-my-image-tag-prefix:1.3".into(),
                true,
            ),
            (
                "gcr.io/4-my-image-tag-prefix:1.*".into(),
                "gcr.io/4-my-image-tag-prefix:2.3".into(),
                false,
            ),
            (
                "gcr.io/5/long/path/my-image*".into(),
                "gcr.io/5/long/path/my-image-1:tag".into(),
                true,
            ),
            (
                "gcr.io/5/long/path/my-image*".into(),
                "gcr.io/5/long/path/my-image/image".into(),
                false,
            ),
            (
                "gcr.io/6-my-image-w-tag:latest".into(),
                "gcr.io/6-my-image-w-tag:latest".into(),
                true,
            ),
            (
                "gcr.io/6-my-image-w-tag:latest".into(),
                "gcr.io/6-my-image-w-tag:some".into(),
                false,
            ),
            (
                format!("gcr.io/7-my-image@sha256:{zeros}"),
                format!("gcr.io/7-my-image@sha256:{zeros}"),
                true,
            ),
            (
                format!("gcr.io/7-my-image@sha256:{zeros}"),
                format!("gcr.io/7-my-image@sha256:{ones}"),
                false,
            ),
            (
                "gcr.io/8-my-image@sha256:*".into(),
                format!("gcr.io/8-my-image@sha256:{ones}"),
                true,
            ),
            (
                "gcr.io/my-project/nginx**".into(),
                "gcr.io/my-project/nginx-1.14.2/image:latest".into(),
                true,
            ),
            (
                "gcr.io/my-project**".into(),
                "gcr.io/my-project-exploit/nginx-exploit".into(),
                true,
            ),
            (
                "gcr.io/my-project/nginx*".into(),
                "gcr.io/my-project/nginx".into(),
                true,
            ),
            ("gcr.io/nginx*".into(), "gcr.io/nginx@latest".into(), true),
            ("gcr.io/nginx*".into(), "gcr.io/nginx/image".into(), false),
        ];
        for (p, image, expected) in &cases {
            let pattern = Pattern::parse(p).unwrap();
            assert_eq!(pattern.matches(image), *expected, "{p} vs {image}");
            assert_eq!(
                set(&[p]).first_match(image).is_some(),
                *expected,
                "set: {p} vs {image}"
            );
        }
    }

    #[test]
    fn first_match_is_in_policy_order() {
        let s = set(&[
            "gcr.io/a/b**",
            "gcr.io/a/b*",
            "gcr.io/a/b:1",
            "gcr.io/a**",
            "gcr.io/a/b:1",
        ]);
        assert_eq!(
            s.first_match("gcr.io/a/b:1").unwrap().as_str(),
            "gcr.io/a/b**"
        );
        let s = set(&["gcr.io/a/b:1", "gcr.io/a**", "gcr.io/a/b*"]);
        assert_eq!(
            s.first_match("gcr.io/a/b:1").unwrap().as_str(),
            "gcr.io/a/b:1"
        );
        assert_eq!(
            s.first_match("gcr.io/a/c/d").unwrap().as_str(),
            "gcr.io/a**"
        );
        assert!(s.first_match("gcr.io/b").is_none());
        assert!(PatternSet::default().first_match("x").is_none());
    }

    #[test]
    fn set_agrees_with_direct_matching() {
        let patterns = [
            "gcr.io/p/app",
            "gcr.io/p/app*",
            "gcr.io/p/app**",
            "gcr.io/p/a*",
            "gcr.io/p/**",
            "gcr.io/p/app:1.*",
            "gcr.io/q/x",
            "gcr.io/p/ap",
            "gcr.io/p/apple*",
            "gcr.io/**",
        ];
        let images = [
            "gcr.io/p/app",
            "gcr.io/p/app:1.2",
            "gcr.io/p/app/x",
            "gcr.io/p/ap",
            "gcr.io/p/apple:3",
            "gcr.io/q/x",
            "gcr.io/q/x:1",
            "gcr.io",
            "gcr.io/",
            "gcr.io/p/",
            "other",
        ];
        // Every subset of the first 10 patterns, in every rotation, against every image.
        for mask in 0u32..(1 << patterns.len()) {
            let chosen: Vec<&str> = patterns
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, p)| *p)
                .collect();
            let s = set(&chosen);
            for image in images {
                let direct = chosen
                    .iter()
                    .find(|p| Pattern::parse(p).unwrap().matches(image));
                assert_eq!(
                    s.first_match(image).map(Pattern::as_str),
                    direct.copied(),
                    "{chosen:?} {image}"
                );
            }
        }
    }
}
