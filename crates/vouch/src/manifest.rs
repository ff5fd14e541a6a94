//! Finding workloads in Kubernetes manifest files: several YAML documents per file, `List`
//! objects, and everything that is not a workload skipped quietly.

use serde_json::Value;

use crate::document;
use crate::error::Error;
use crate::limits::Limits;
use crate::request::is_workload_kind;

/// A workload found in a manifest file.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// 0-based index of the YAML document in the file.
    pub document: usize,
    /// 0-based index in the `items` of a `List`, if it came from one.
    pub item: Option<usize>,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`, if any.
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
/// ReplicationController) in a manifest file, in file order. Objects of other kinds are
/// skipped; `List` objects (and `…List` kinds with `items`) are expanded. The file is read as
/// kubectl reads it ([`document::parse_manifests`]).
pub fn workloads(text: &str, limits: &Limits) -> Result<Vec<Workload>, Error> {
    let mut out = Vec::new();
    for (document, value) in document::parse_manifests(text, limits)?
        .into_iter()
        .enumerate()
    {
        match kind_of(&value) {
            Some(kind)
                if kind == "List" || (kind.ends_with("List") && value.get("items").is_some()) =>
            {
                let items = value
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (i, item) in items.into_iter().enumerate() {
                    push(&mut out, document, Some(i), item);
                }
            }
            _ => push(&mut out, document, None, value),
        }
    }
    Ok(out)
}

fn kind_of(value: &Value) -> Option<&str> {
    value.get("kind").and_then(Value::as_str)
}

fn push(out: &mut Vec<Workload>, document: usize, item: Option<usize>, object: Value) {
    let Some(kind) = kind_of(&object)
        .filter(|k| is_workload_kind(k))
        .map(str::to_owned)
    else {
        return;
    };
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    out.push(Workload {
        document,
        item,
        kind,
        name,
        object,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_workloads_across_documents_and_lists() {
        let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n---\nkind: List\nitems:\n- kind: Pod\n  metadata: {name: p}\n- kind: ConfigMap\n- kind: CronJob\n";
        let found = workloads(text, &Limits::DEFAULT).unwrap();
        let labels: Vec<_> = found
            .iter()
            .map(|w| (w.label(), w.document, w.item))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("Deployment/web".into(), 1, None),
                ("Pod/p".into(), 2, Some(0)),
                ("CronJob".into(), 2, Some(2))
            ]
        );
    }
}
