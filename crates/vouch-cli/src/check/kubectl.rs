//! What `kubectl apply -f PATH` reads, so that `vouch check` sees the same objects.
//!
//! kubectl's resource builder (k8s.io/cli-runtime `pkg/resource`): `Builder.Path` and
//! `ExpandPathsToFileVisitors` choose the files, `StreamVisitor` splits a file into
//! documents (`YAMLOrJSONDecoder`), the unstructured JSON scheme decodes each document and
//! `FlattenListVisitor` expands lists into their items. Choosing the files is here; splitting
//! a file into objects is the core's [`vouch::manifest::objects`], shared with
//! `vouch workload`. `docs/check.md` states the rules and the experiments against the real
//! `kubectl` that confirm them.

use std::path::{Path, PathBuf};

pub use vouch::manifest::{Object, objects};

use crate::failure::{CliCode, Failure};

/// kubectl's `FileExtensions`: the only files read when walking a folder.
const EXTENSIONS: [&str; 3] = [".json", ".yaml", ".yml"];

/// Why something was not evaluated. Stable codes (`docs/check.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipCode {
    /// A file in a walked folder whose extension is not `.json`, `.yaml` or `.yml`.
    NotAManifestExtension,
    /// A symbolic link to a folder inside a walked folder: kubectl does not follow it.
    SymlinkNotFollowed,
    /// A subfolder of a folder given without `-R`/`--recursive`.
    FolderNotRecursive,
    /// An object whose kind has no pod template (a ConfigMap, a Service…).
    NotAWorkload,
}

impl SkipCode {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipCode::NotAManifestExtension => "NOT_A_MANIFEST_EXTENSION",
            SkipCode::SymlinkNotFollowed => "SYMLINK_NOT_FOLLOWED",
            SkipCode::FolderNotRecursive => "FOLDER_NOT_RECURSIVE",
            SkipCode::NotAWorkload => "NOT_A_WORKLOAD",
        }
    }
}

/// One step of the walk, in kubectl's order.
#[derive(Debug)]
pub enum Entry {
    /// A file kubectl reads.
    File(PathBuf),
    /// A file or folder kubectl does not read.
    Skipped {
        path: PathBuf,
        code: SkipCode,
        reason: String,
    },
}

/// The files `kubectl apply -f P1 -f P2 … [-R]` reads, in its order, and what it passes over
/// (`-` is standard input).
///
/// A path that is a folder is walked as `filepath.Walk` does: entries in byte order of their
/// names, hidden files and folders included, symbolic links not followed (a link is judged by
/// its own name, and read through when that name has a manifest extension); subfolders only
/// with `recursive`. Any other path is read whatever its extension. Errors stop everything,
/// as they stop kubectl before it applies anything: a path that does not exist, a folder that
/// cannot be listed, and a first argument that yields no file at all ("recognized file
/// extensions are [.json .yaml .yml]").
pub fn collect(paths: &[String], recursive: bool) -> Result<Vec<Entry>, Failure> {
    let mut out = Vec::new();
    let mut stdin = false;
    for p in paths {
        // `-f -`: standard input, once.
        if p == "-" {
            if stdin {
                return Err(Failure::usage(
                    "standard input cannot be used for multiple arguments",
                ));
            }
            stdin = true;
            out.push(Entry::File(PathBuf::from("-")));
            continue;
        }
        for path in expand_if_pattern(p)? {
            let shown = path.display().to_string();
            // `Builder.Path`: `os.Stat` first (follows links): a missing path (or a dangling
            // link) is an error.
            if let Err(e) = std::fs::metadata(&path) {
                let message = if e.kind() == std::io::ErrorKind::NotFound {
                    format!("the path `{shown}` does not exist")
                } else {
                    format!("the path `{shown}` cannot be accessed: {e}")
                };
                return Err(Failure::file_error(CliCode::Unreadable, &shown, message));
            }
            // Then `filepath.Walk`, which starts with `os.Lstat`: a link to a folder given
            // without a trailing slash is a file to kubectl (and reading it fails).
            let meta = std::fs::symlink_metadata(&path).map_err(|e| unreadable(&shown, &e))?;
            if meta.is_dir() {
                walk(&path, recursive, &mut out).map_err(|(at, e)| unreadable(&at, &e))?;
            } else {
                out.push(Entry::File(path));
            }
        }
        if !out.iter().any(|e| matches!(e, Entry::File(_))) {
            return Err(Failure::file_error(
                CliCode::Unreadable,
                p,
                format!(
                    "no manifest in `{p}`: kubectl reads only .json, .yaml and .yml files in a folder{}",
                    if recursive {
                        ""
                    } else {
                        " (subfolders only with -R)"
                    }
                ),
            ));
        }
    }
    Ok(out)
}

/// kubectl's `expandIfFilePattern`: a path that does not exist is a glob pattern (Go's
/// `filepath.Glob`), and a pattern that matches nothing is an error.
fn expand_if_pattern(p: &str) -> Result<Vec<PathBuf>, Failure> {
    match std::fs::metadata(p) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        _ => return Ok(vec![PathBuf::from(p)]),
    }
    let bad = |why: &str| {
        Failure::file_error(
            CliCode::Usage,
            p,
            format!("the pattern `{p}` is not valid: {why}"),
        )
    };
    let matches = glob(p, 0).map_err(|()| bad("syntax error in pattern"))?;
    if matches.is_empty() {
        return Err(Failure::file_error(
            CliCode::Unreadable,
            p,
            format!("the path `{p}` does not exist"),
        ));
    }
    Ok(matches.into_iter().map(PathBuf::from).collect())
}

/// Go's `filepath.Glob` on Unix: the directory part is globbed first when it has wildcards;
/// each directory's names are read sorted and matched with [`go_match`]. I/O errors are
/// ignored (no match), a malformed pattern is an error.
fn glob(pattern: &str, depth: usize) -> Result<Vec<String>, ()> {
    go_match(pattern, "")?;
    if !has_meta(pattern) {
        return Ok(if std::fs::symlink_metadata(pattern).is_ok() {
            vec![pattern.to_owned()]
        } else {
            Vec::new()
        });
    }
    let (dir, file) = match pattern.rfind('/') {
        Some(i) => (
            pattern.get(..=i).unwrap_or_default(),
            pattern.get(i + 1..).unwrap_or_default(),
        ),
        None => ("", pattern),
    };
    let dir = match dir {
        "" => ".",
        "/" => "/",
        d => d.strip_suffix('/').unwrap_or(d),
    };
    if !has_meta(dir) {
        return glob_in(dir, file, Vec::new());
    }
    // Go bounds the recursion by the pattern's own length.
    if dir == pattern || depth > 10_000 {
        return Err(());
    }
    let mut out = Vec::new();
    for d in glob(dir, depth + 1)? {
        out = glob_in(&d, file, out)?;
    }
    Ok(out)
}

fn glob_in(dir: &str, pattern: &str, mut out: Vec<String>) -> Result<Vec<String>, ()> {
    if !std::fs::metadata(dir).is_ok_and(|m| m.is_dir()) {
        return Ok(out);
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in names {
        if go_match(pattern, &name)? {
            // `filepath.Join` cleans `./x` to `x`.
            out.push(match dir {
                "." => name,
                "/" => format!("/{name}"),
                d => format!("{d}/{name}"),
            });
        }
    }
    Ok(out)
}

fn has_meta(path: &str) -> bool {
    path.contains(['*', '?', '[', '\\'])
}

/// Go's `filepath.Match` on Unix: `*` any run of characters but `/`, `?` one character but
/// `/`, `[...]` a class (`^` negates; ranges `a-z`; `\\` escapes), `\\c` the character `c`.
/// Err for a malformed pattern (Go's `ErrBadPattern`), checked over the whole pattern.
fn go_match(pattern: &str, name: &str) -> Result<bool, ()> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    validate(&p)?;
    Ok(match_from(&p, &n))
}

/// Rejects what `filepath.Match` rejects: a trailing `\\`, an unclosed or empty class, a
/// class range with a missing end.
fn validate(p: &[char]) -> Result<(), ()> {
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        match c {
            '\\' => {
                p.get(i + 1).ok_or(())?;
                i += 2;
            }
            '[' => i = class(p, i, None)?.1,
            _ => i += 1,
        }
    }
    Ok(())
}

/// Reads the class starting at `p[start] == '['`: whether `c` is in it (when given) and the
/// index after its `]`.
fn class(p: &[char], start: usize, c: Option<char>) -> Result<(bool, usize), ()> {
    let mut i = start + 1;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        match p.get(i) {
            None => return Err(()),
            Some(']') if !first => return Ok((matched != negated, i + 1)),
            _ => {}
        }
        first = false;
        let (lo, next) = class_char(p, i)?;
        i = next;
        let mut hi = lo;
        if p.get(i) == Some(&'-') {
            let (h, next) = class_char(p, i + 1)?;
            hi = h;
            i = next;
        }
        if c.is_some_and(|c| lo <= c && c <= hi) {
            matched = true;
        }
    }
}

fn class_char(p: &[char], i: usize) -> Result<(char, usize), ()> {
    match p.get(i) {
        None | Some('-' | ']') => Err(()),
        Some('\\') => p.get(i + 1).map(|&c| (c, i + 2)).ok_or(()),
        Some(&c) => Ok((c, i + 1)),
    }
}

/// Backtracking match of a validated pattern.
fn match_from(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => {
            let rest = p.get(1..).unwrap_or_default();
            let mut k = 0;
            loop {
                if match_from(rest, n.get(k..).unwrap_or_default()) {
                    return true;
                }
                match n.get(k) {
                    Some(&c) if c != '/' => k += 1,
                    _ => return false,
                }
            }
        }
        Some(&pc) => {
            let Some(&c) = n.first() else {
                return false;
            };
            let (ok, used) = match pc {
                '?' => (c != '/', 1),
                '\\' => (p.get(1) == Some(&c), 2),
                '[' => match class(p, 0, Some(c)) {
                    Ok((m, end)) => (m, end),
                    Err(()) => (false, 1),
                },
                _ => (pc == c, 1),
            };
            ok && match_from(
                p.get(used..).unwrap_or_default(),
                n.get(1..).unwrap_or_default(),
            )
        }
    }
}

fn unreadable(p: &str, e: &std::io::Error) -> Failure {
    Failure::file_error(CliCode::Unreadable, p, format!("cannot read `{p}`: {e}"))
}

type WalkError = (String, std::io::Error);

fn walk(dir: &Path, recursive: bool, out: &mut Vec<Entry>) -> Result<(), WalkError> {
    let failed = |e| (dir.display().to_string(), e);
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(failed)? {
        entries.push(entry.map_err(failed)?);
    }
    // Go sorts names as byte strings.
    entries.sort_by(|a, b| {
        a.file_name()
            .as_encoded_bytes()
            .cmp(b.file_name().as_encoded_bytes())
    });
    for entry in entries {
        let path = entry.path();
        let at = |e| (path.display().to_string(), e);
        // `DirEntry::file_type` does not follow links, as `os.Lstat` does not.
        let kind = entry.file_type().map_err(at)?;
        if kind.is_dir() {
            if recursive {
                walk(&path, recursive, out)?;
            } else {
                // filepath.Walk lists a folder before asking whether to skip it: an unreadable
                // subfolder fails kubectl even without -R.
                std::fs::read_dir(&path).map_err(at)?;
                out.push(Entry::Skipped {
                    reason: "a subfolder: kubectl reads subfolders only with -R/--recursive".into(),
                    path,
                    code: SkipCode::FolderNotRecursive,
                });
            }
            continue;
        }
        let name = entry.file_name();
        let ext = go_ext(name.as_encoded_bytes());
        if EXTENSIONS.iter().any(|e| e.as_bytes() == ext) {
            out.push(Entry::File(path));
        } else if kind.is_symlink() && path.is_dir() {
            out.push(Entry::Skipped {
                reason: "a symbolic link to a folder: kubectl does not follow it".into(),
                path,
                code: SkipCode::SymlinkNotFollowed,
            });
        } else {
            out.push(Entry::Skipped {
                reason: "not .json, .yaml or .yml: kubectl skips it in a folder".into(),
                path,
                code: SkipCode::NotAManifestExtension,
            });
        }
    }
    Ok(())
}

/// Go's `filepath.Ext` of a file name: from its last dot on (`.yaml` for `.yaml`), or nothing.
fn go_ext(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|b| *b == b'.') {
        Some(i) => name.get(i..).unwrap_or_default(),
        None => &[],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    #[test]
    fn go_ext_is_filepath_ext() {
        assert_eq!(go_ext(b"a.yaml"), b".yaml");
        assert_eq!(go_ext(b".yaml"), b".yaml");
        assert_eq!(go_ext(b"a.tar.yml"), b".yml");
        assert_eq!(go_ext(b"yaml"), b"");
        assert_eq!(go_ext(b"a."), b".");
    }

    #[test]
    fn go_match_is_filepath_match() {
        let m = |p: &str, n: &str| go_match(p, n);
        assert_eq!(m("*.yaml", ".hidden.yaml"), Ok(true));
        assert_eq!(m("*.yaml", "a/b.yaml"), Ok(false));
        assert_eq!(m("a?c", "abc"), Ok(true));
        assert_eq!(m("a?c", "a/c"), Ok(false));
        assert_eq!(m("[a-c]x", "bx"), Ok(true));
        assert_eq!(m("[^a-c]x", "bx"), Ok(false));
        assert_eq!(m("[^a-c]x", "dx"), Ok(true));
        assert_eq!(m("[]a]", "]"), Err(()));
        assert_eq!(m("\\*", "*"), Ok(true));
        assert_eq!(m("\\*", "a"), Ok(false));
        assert_eq!(m("[", "a"), Err(()));
        assert_eq!(m("a\\", "a"), Err(()));
        assert_eq!(m("[a-]", "a"), Err(()));
        assert_eq!(m("x*y*z", "xaaybbz"), Ok(true));
        assert_eq!(m("", ""), Ok(true));
    }
}
