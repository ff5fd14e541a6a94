//! Finding objects and workloads in Kubernetes manifest files, as `kubectl apply -f` reads
//! them: the single implementation behind `vouch check`, `vouch workload` and
//! [`workloads`].
//!
//! kubectl's resource builder (k8s.io/cli-runtime `pkg/resource`): `StreamVisitor` splits a
//! file into documents (`YAMLOrJSONDecoder`), the unstructured JSON scheme decodes each
//! document and `FlattenListVisitor` expands lists into their items. `docs/check.md` states
//! the rules and the experiments against the real `kubectl` that confirm them. Choosing the
//! files (folders, globs, extensions) is file access and stays in the CLI.

use serde_json::{Map, Value};

use super::cloud_run;
use super::is_workload;
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::read::document::{self, type_name};

/// An object of a manifest file, as kubectl sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// An object kubectl would apply: `kind` is a non-empty string.
    Found {
        /// 0-based index of the document in the file (empty and `null` documents not
        /// counted, as kubectl drops them).
        document: usize,
        /// 0-based index in the `items` of a list, if it came from one.
        item: Option<usize>,
        /// `kind` (for a bare item of a `…List`, the list's kind without `List`).
        kind: String,
        /// `Kind/name` (or `Kind` when unnamed), for reports.
        label: String,
        /// The object itself (a bare list item with `kind` and `apiVersion` inserted).
        value: Value,
    },
    /// A document or list item kubectl refuses to decode.
    Invalid {
        /// `document N` or `document N item I` (documents counted from 1, items from 0).
        label: String,
        /// Why; its path is relative to the document.
        error: Error,
    },
}

/// The objects of one manifest file, in order, as kubectl's `StreamVisitor` and
/// `FlattenListVisitor` produce them. A file that cannot be parsed is one error; a document
/// or list item kubectl refuses is an [`Object::Invalid`] among the others.
///
/// - Text starting with `{` is a stream of JSON values (kubectl's `GuessJSONStream`); anything
///   after it that is not JSON is refused (`INPUT_SYNTAX`: kubectl 1.32 and older refuse it,
///   1.33 reads it as YAML, so vouch picks neither reading). Other text is YAML
///   documents separated by `---`, read with go-yaml v2's YAML 1.1 rules
///   ([`document::parse_manifests`]). Empty and `null` documents are dropped.
/// - A document that is not an object, or has no string `kind`, is refused, except a Cloud Run
///   object in the v2 REST shape (no `apiVersion`, no `kind`, a `name` such as
///   `projects/P/locations/L/services/S`: docs/semantics.md §9.1), whose `kind` is then
///   `Service` or `Job` (`WorkerPool`, which evaluation refuses).
/// - Any object with an `items` key is a list, whatever its kind (a `Deployment` carrying
///   `items: [Pod]` makes kubectl create the Pod): its items are the objects, the list itself
///   is not. An item with neither `kind` nor `apiVersion` takes the list's kind without its
///   `List` suffix and the list's `apiVersion`; items that are not objects, lack `kind` or
///   `apiVersion`, or are lists themselves are refused.
pub fn objects(text: &str, limits: &Limits) -> Result<Vec<Object>, Error> {
    let mut out = Vec::new();
    for (n, value) in documents(text, limits)?.into_iter().enumerate() {
        expand(n, value, &mut out);
    }
    Ok(out)
}

/// The documents of a file (see [`objects`]).
fn documents(text: &str, limits: &Limits) -> Result<Vec<Value>, Error> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > limits.max_input_bytes || !body.trim_start().starts_with('{') {
        return document::parse_manifests(text, limits);
    }
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Value>();
    let mut start = 0;
    while let Some(Ok(_)) = stream.next() {
        let end = stream.byte_offset();
        let slice = body.get(start..end).unwrap_or_default();
        // Read again with the strict reader: duplicate keys and depth as everywhere else.
        let value = document::parse(slice, limits)?;
        if !value.is_null() {
            out.push(value);
        }
        start = end;
    }
    let rest = body.get(start..).unwrap_or_default();
    if !rest.trim().is_empty() {
        // kubectl up to 1.32 refuses what follows a JSON stream (1.33 reads it as YAML): refuse
        // rather than pick one reading, as for a request's workload text.
        return Err(Error::new(
            ErrorCode::InputSyntax,
            "",
            format!(
                "text starting with `{{` is read as a stream of JSON values, and what follows byte {start} is not JSON (kubectl 1.32 and older refuse it; quote it as JSON or drop the leading `{{`)"
            ),
        ));
    }
    Ok(out)
}

/// One document: an object, or a list (any object with an `items` key, whatever its kind, as
/// the unstructured scheme decides) expanded into its items.
fn expand(n: usize, document: Value, out: &mut Vec<Object>) {
    let label = format!("document {}", n + 1);
    let Value::Object(mut map) = document else {
        out.push(invalid(
            &label,
            ErrorCode::RequestInvalidType,
            "",
            format!(
                "{label} is {}, not a Kubernetes object",
                type_name(&document)
            ),
        ));
        return;
    };
    if let Some(kind) = cloud_run::v2_kind(&map) {
        out.push(found(n, None, kind.to_owned(), Value::Object(map)));
        return;
    }
    let Some(kind) = string_field(&map, "kind") else {
        out.push(invalid(
            &label,
            ErrorCode::RequestMissingField,
            "/kind",
            "no `kind`: kubectl refuses the document (Object 'Kind' is missing)",
        ));
        return;
    };
    let Some(items) = map.remove("items") else {
        out.push(found(n, None, kind, Value::Object(map)));
        return;
    };
    let items = match items {
        Value::Null => Vec::new(),
        Value::Array(items) => items,
        other => {
            out.push(invalid(
                &label,
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
        let Some(kind_here) = string_field(&item, "kind") else {
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
        out.push(found(n, Some(i), kind_here, Value::Object(item)));
    }
}

fn found(document: usize, item: Option<usize>, kind: String, value: Value) -> Object {
    let label = match workload_name(&value) {
        Some(name) => format!("{kind}/{name}"),
        None => kind.clone(),
    };
    Object::Found {
        document,
        item,
        kind,
        label,
        value,
    }
}

fn invalid(label: &str, code: ErrorCode, path: &str, message: impl Into<String>) -> Object {
    Object::Invalid {
        label: label.to_owned(),
        error: Error::new(code, path, message),
    }
}

/// A field that is a non-empty string (what `GetKind`/`GetAPIVersion` return).
fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `metadata.name`, or for a v2 Cloud Run object the last segment of its `name`.
fn workload_name(value: &Value) -> Option<&str> {
    match value.pointer("/metadata/name").and_then(Value::as_str) {
        Some(name) => Some(name),
        None => value.as_object().and_then(|o| {
            cloud_run::v2_kind(o)
                .is_some()
                .then(|| cloud_run::v2_short_name(o))
                .flatten()
        }),
    }
}

/// A workload found in a manifest file.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// 0-based index of the document in the file (empty and `null` documents not counted).
    pub document: usize,
    /// 0-based index in the `items` of a list, if it came from one.
    pub item: Option<usize>,
    /// `kind`.
    pub kind: String,
    /// `metadata.name` (for a v2 Cloud Run object, the last segment of its `name`), if any.
    pub name: Option<String>,
    /// The object itself.
    pub object: Value,
}

impl Workload {
    /// `Kind/name` (or `Kind` when unnamed), for reports.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{}/{name}", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// Every workload (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
/// ReplicationController, and Cloud Run services and jobs: [`is_workload`]) among a manifest
/// file's [`objects`], in file order; other objects are skipped. Fails closed: an object kubectl refuses ([`Object::Invalid`]) is
/// an error (the first one, its message naming the document), as the file is when kubectl
/// reads it.
pub fn workloads(text: &str, limits: &Limits) -> Result<Vec<Workload>, Error> {
    let mut out = Vec::new();
    for object in objects(text, limits)? {
        match object {
            Object::Found {
                document,
                item,
                kind,
                value,
                ..
            } => {
                if !is_workload(&value) {
                    continue;
                }
                let name = workload_name(&value).map(str::to_owned);
                out.push(Workload {
                    document,
                    item,
                    kind,
                    name,
                    object: value,
                });
            }
            Object::Invalid { label, error } => {
                return Err(if error.message().starts_with(&label) {
                    error
                } else {
                    Error::new(
                        error.code(),
                        error.path(),
                        format!("{label}: {}", error.message()),
                    )
                });
            }
        }
    }
    Ok(out)
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

    fn workload_labels(text: &str) -> Vec<(String, usize, Option<usize>)> {
        workloads(text, &Limits::DEFAULT)
            .unwrap()
            .iter()
            .map(|w| (w.label(), w.document, w.item))
            .collect()
    }

    #[test]
    fn finds_workloads_across_documents_and_lists() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n- {apiVersion: v1, kind: ConfigMap}\n- {apiVersion: batch/v1, kind: CronJob}\n";
        assert_eq!(
            workload_labels(text),
            vec![
                ("Deployment/web".into(), 1, None),
                ("Pod/p".into(), 2, Some(0)),
                ("CronJob".into(), 2, Some(2))
            ]
        );
    }

    #[test]
    fn workloads_expand_any_object_with_items_as_kubectl_does() {
        // A Deployment carrying `items` is a list to kubectl: it creates the Pod.
        assert_eq!(
            workload_labels(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}}\n"
            ),
            vec![("Pod/p".into(), 0, Some(0))]
        );
        // A PodList's bare items are Pods, with the list's apiVersion.
        let found = workloads(
            "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: bare}\n",
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label(), "Pod/bare");
        assert_eq!(found[0].object["kind"], "Pod");
        assert_eq!(found[0].object["apiVersion"], "v1");
    }

    #[test]
    fn workloads_fail_closed_on_what_kubectl_refuses() {
        let code = |text: &str| workloads(text, &Limits::DEFAULT).unwrap_err().code();
        // A document without `kind` is refused by kubectl, not skipped.
        assert_eq!(
            code("kind: Pod\nmetadata: {name: a}\n---\nmetadata: {name: x}\n"),
            ErrorCode::RequestMissingField
        );
        assert_eq!(code("[1]\n"), ErrorCode::RequestInvalidType);
        assert_eq!(
            code("kind: List\nitems: 3\n"),
            ErrorCode::RequestInvalidType
        );
        let e = workloads(
            "kind: Pod\n---\napiVersion: v1\nkind: List\nitems:\n- {kind: Pod}\n",
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert_eq!(e.path(), "/items/0/apiVersion");
        assert!(e.message().starts_with("document 2 item 0: "), "{e}");
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
        // YAML after a JSON stream: kubectl 1.32 refuses it, 1.33 reads it; vouch refuses.
        let mixed = "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n---\nkind: Pod\nmetadata: {name: yy}\n";
        assert_eq!(
            objects(mixed, &Limits::DEFAULT).unwrap_err().code(),
            ErrorCode::InputSyntax
        );
        // Flow YAML that looks like JSON is refused the same way.
        assert_eq!(
            objects("{kind: Pod, metadata: {name: p}}\n", &Limits::DEFAULT)
                .unwrap_err()
                .code(),
            ErrorCode::InputSyntax
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

    #[test]
    fn yaml_is_read_as_go_yaml_v2_reads_it() {
        let found = objects(
            "kind: Pod\nmetadata: {labels: {on: yes}}\n",
            &Limits::DEFAULT,
        )
        .unwrap();
        let Some(Object::Found { value, .. }) = found.first() else {
            panic!("{found:?}");
        };
        assert_eq!(value["metadata"]["labels"]["true"], true);
    }
}
