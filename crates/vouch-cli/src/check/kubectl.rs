//! What `kubectl apply -f PATH` reads, so that `vouch check` sees the same objects.
//!
//! kubectl's resource builder (k8s.io/cli-runtime `pkg/resource`): `Builder.Path` and
//! `ExpandPathsToFileVisitors` choose the files, `StreamVisitor` splits a file into
//! documents (`YAMLOrJSONDecoder`), the unstructured JSON scheme decodes each document and
//! `FlattenListVisitor` expands lists into their items. `docs/check.md` states the rules and
//! the experiments against the real `kubectl` that confirm them.

use std::path::{Path, PathBuf};

use serde_json::Value;
use vouch::{Error, ErrorCode, Limits};

use crate::failure::Failure;

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

/// The files `kubectl apply -f P1 -f P2 … [-R]` reads, in its order, and what it passes over.
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
    for p in paths {
        let path = Path::new(p);
        // `os.Stat` first (follows links): a missing path (or a dangling link) is an error.
        if let Err(e) = std::fs::metadata(path) {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                let glob = if p.contains(['*', '?', '[']) {
                    " (kubectl would expand it as a glob pattern; vouch does not: let the shell \
                     expand it)"
                } else {
                    ""
                };
                format!("the path `{p}` does not exist{glob}")
            } else {
                format!("the path `{p}` cannot be accessed: {e}")
            };
            return Err(Failure::file_error(ErrorCode::InputUnreadable, p, message));
        }
        // Then `filepath.Walk`, which starts with `os.Lstat`: a link to a folder given without
        // a trailing slash is a file to kubectl (and reading it fails).
        let meta = std::fs::symlink_metadata(path).map_err(|e| unreadable(p, &e))?;
        if meta.is_dir() {
            walk(path, recursive, &mut out).map_err(|(at, e)| unreadable(&at, &e))?;
        } else {
            out.push(Entry::File(path.to_path_buf()));
        }
        if !out.iter().any(|e| matches!(e, Entry::File(_))) {
            return Err(Failure::file_error(
                ErrorCode::InputUnreadable,
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

fn unreadable(p: &str, e: &std::io::Error) -> Failure {
    Failure::file_error(
        ErrorCode::InputUnreadable,
        p,
        format!("cannot read `{p}`: {e}"),
    )
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

/// An object of a manifest file, as kubectl sees it.
#[derive(Debug)]
pub enum Object {
    /// An object kubectl would apply: `kind` is a non-empty string.
    Found {
        kind: String,
        label: String,
        value: Value,
    },
    /// A document or list item kubectl refuses to decode.
    Invalid { label: String, error: Error },
}

/// The objects of one manifest file, in order, as kubectl's `StreamVisitor` and
/// `FlattenListVisitor` produce them. A file that cannot be parsed is one error.
pub fn objects(text: &str, limits: &Limits) -> Result<Vec<Object>, Error> {
    let mut out = Vec::new();
    for (n, document) in documents(text, limits)?.into_iter().enumerate() {
        let doc_label = format!("document {}", n + 1);
        expand(document, &doc_label, &mut out);
    }
    Ok(out)
}

/// The documents of a file: a stream of JSON values when it starts with `{` (kubectl's
/// `GuessJSONStream`), else YAML documents separated by `---`. Empty and `null` documents are
/// dropped, as kubectl drops them. After a JSON stream, anything that is not JSON is read as
/// YAML, as kubectl 1.33 does (1.32 stops there with an error): the larger reading.
fn documents(text: &str, limits: &Limits) -> Result<Vec<Value>, Error> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > limits.max_input_bytes || !body.trim_start().starts_with('{') {
        return vouch::parse_documents(text, limits);
    }
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Value>();
    let mut start = 0;
    while let Some(Ok(_)) = stream.next() {
        let end = stream.byte_offset();
        let slice = body.get(start..end).unwrap_or_default();
        // Read again with vouch's strict reader: duplicate keys and depth as everywhere else.
        let value = vouch::parse_document(slice, limits)?;
        if !value.is_null() {
            out.push(value);
        }
        start = end;
    }
    let rest = body.get(start..).unwrap_or_default();
    if !rest.trim().is_empty() {
        out.extend(vouch::parse_documents(rest, limits)?);
    }
    Ok(out)
}

/// One document: an object, or a list (any object with an `items` key, whatever its kind, as
/// the unstructured scheme decides) expanded into its items.
fn expand(document: Value, label: &str, out: &mut Vec<Object>) {
    let Value::Object(mut map) = document else {
        out.push(invalid(
            label,
            ErrorCode::RequestInvalidType,
            "",
            format!(
                "{label} is {}, not a Kubernetes object",
                type_name(&document)
            ),
        ));
        return;
    };
    let Some(kind) = string_field(&map, "kind") else {
        out.push(invalid(
            label,
            ErrorCode::RequestMissingField,
            "/kind",
            "no `kind`: kubectl refuses the document (Object 'Kind' is missing)",
        ));
        return;
    };
    let Some(items) = map.remove("items") else {
        let value = Value::Object(map);
        out.push(found(kind, value));
        return;
    };
    let items = match items {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        other => {
            out.push(invalid(
                label,
                ErrorCode::RequestInvalidType,
                "/items",
                format!(
                    "`items` is {}: kubectl reads an object with `items` as a list and refuses it",
                    type_name(&other)
                ),
            ));
            return;
        }
    };
    // `decodeToList`: an item with neither kind nor apiVersion takes the list's kind without
    // its `List` suffix and the list's apiVersion (a `PodList`'s bare items are Pods).
    let item_kind = kind.strip_suffix("List").unwrap_or(&kind).to_owned();
    let list_api_version = string_field(&map, "apiVersion").unwrap_or_default();
    for (i, item) in items.into_iter().enumerate() {
        let item_label = format!("{label} item {i}");
        let Value::Object(mut item) = item else {
            out.push(invalid(
                &item_label,
                ErrorCode::RequestInvalidType,
                &format!("/items/{i}"),
                format!(
                    "{item_label} is {}, not a Kubernetes object",
                    type_name(&item)
                ),
            ));
            continue;
        };
        if string_field(&item, "kind").is_none() && string_field(&item, "apiVersion").is_none() {
            item.insert("kind".into(), Value::String(item_kind.clone()));
            item.insert("apiVersion".into(), Value::String(list_api_version.clone()));
        }
        let item_kind_here = string_field(&item, "kind");
        let Some(kind_here) = item_kind_here else {
            out.push(invalid(
                &item_label,
                ErrorCode::RequestMissingField,
                &format!("/items/{i}/kind"),
                "a list item without `kind`: kubectl refuses it",
            ));
            continue;
        };
        if string_field(&item, "apiVersion").is_none() {
            out.push(invalid(
                &item_label,
                ErrorCode::RequestMissingField,
                &format!("/items/{i}/apiVersion"),
                "a list item without `apiVersion`: kubectl refuses it",
            ));
            continue;
        }
        if item.get("items").is_some_and(Value::is_array) {
            out.push(invalid(
                &item_label,
                ErrorCode::RequestInvalidValue,
                &format!("/items/{i}/items"),
                "a list inside a list: kubectl refuses it",
            ));
            continue;
        }
        out.push(found(kind_here, Value::Object(item)));
    }
}

fn found(kind: String, value: Value) -> Object {
    let label = match value.pointer("/metadata/name").and_then(Value::as_str) {
        Some(name) => format!("{kind}/{name}"),
        None => kind.clone(),
    };
    Object::Found { kind, label, value }
}

fn invalid(label: &str, code: ErrorCode, path: &str, message: impl Into<String>) -> Object {
    Object::Invalid {
        label: label.to_owned(),
        error: Error::new(code, path, message),
    }
}

/// A field that is a non-empty string (what `GetKind`/`GetAPIVersion` return).
fn string_field(map: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        objects(text, &Limits::DEFAULT)
            .unwrap()
            .into_iter()
            .map(|o| match o {
                Object::Found { label, .. } => label,
                Object::Invalid { label, error } => format!("{label}: {}", error.code()),
            })
            .collect()
    }

    #[test]
    fn go_ext_is_filepath_ext() {
        assert_eq!(go_ext(b"a.yaml"), b".yaml");
        assert_eq!(go_ext(b".yaml"), b".yaml");
        assert_eq!(go_ext(b"a.tar.yml"), b".yml");
        assert_eq!(go_ext(b"yaml"), b"");
        assert_eq!(go_ext(b"a."), b".");
    }

    #[test]
    fn lists_are_objects_with_items_whatever_their_kind() {
        assert_eq!(
            labels(
                "kind: Deployment\nmetadata: {name: d}\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n"
            ),
            ["Pod/p"]
        );
        assert_eq!(
            labels("apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: bare}\n"),
            ["Pod/bare"]
        );
        assert_eq!(labels("kind: Pod\nitems: null\n"), Vec::<String>::new());
        assert_eq!(
            labels("kind: List\nitems: 3\n"),
            ["document 1: REQUEST_INVALID_TYPE"]
        );
        assert_eq!(
            labels(
                "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n- {kind: Pod}\n- {apiVersion: v1, kind: Pod, items: null}\n"
            ),
            [
                "document 1 item 0: REQUEST_INVALID_VALUE",
                "document 1 item 1: REQUEST_MISSING_FIELD",
                "Pod"
            ]
        );
    }

    #[test]
    fn json_streams_and_documents() {
        assert_eq!(
            labels(
                "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n{\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"}}"
            ),
            ["Pod/a", "Pod/b"]
        );
        assert_eq!(
            labels(
                "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n---\nkind: Pod\nmetadata: {name: y}\n"
            ),
            ["Pod/a", "Pod/y"]
        );
        assert_eq!(labels("---\n---\nnull\n"), Vec::<String>::new());
        assert_eq!(
            labels("metadata: {name: x}\n---\n[1]\n"),
            [
                "document 1: REQUEST_MISSING_FIELD",
                "document 2: REQUEST_INVALID_TYPE"
            ]
        );
        assert!(objects("{\"kind\":\"Pod\",\"kind\":\"Pod\"}", &Limits::DEFAULT).is_err());
    }
}
