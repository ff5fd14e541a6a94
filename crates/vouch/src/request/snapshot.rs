//! A cluster snapshot for continuous validation (decision P-11): the Pods that
//! `kubectl get pods -A -o json` prints (a v1 `List`), also a `PodList` as the API server
//! returns it, or a single Pod.
//!
//! Each Pod becomes one [`Request`] through the same reader as a workload (`workload.rs`):
//! its images with their container names and types (init, regular, ephemeral containers, then
//! image volumes), its namespace and service account (`default` when the spec names none).
//! Beside it the snapshot keeps what a CV log entry says about the Pod's life:
//!
//! * deploy time: `metadata.creationTimestamp` (when the API server stored the Pod, always
//!   set by it), else `status.startTime` (when the kubelet accepted it); neither: absent.
//! * end time: only for a Pod whose `status.phase` is `Succeeded` or `Failed`, the latest
//!   `state.terminated.finishedAt` of its container, init container and ephemeral container
//!   statuses; absent while the Pod runs (or when no status says when it finished).
//!
//! A Pod that cannot be read (no containers, a container without an image string, an invalid
//! image reference, a bad timestamp, another kind in a `List`) does not stop the others: it
//! is skipped and reported with its error, whose path points into the snapshot
//! (`/items/N/...`), and counted. Only a snapshot that is not a Pod list at all, or holds more
//! Pods than [`Limits::max_pods`], is a configuration error.

use serde_json::{Map, Value};

use super::workload::pod_from_snapshot_item;
use super::{Request, check_image_count};
use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::read::document::{self, type_name};
use crate::read::names::{valid_namespace, valid_service_account};
use crate::time::Timestamp;

/// The Pods of a cluster snapshot, read for continuous validation.
#[derive(Debug, Clone, Default)]
pub struct PodSnapshot {
    pub(crate) pods: Vec<SnapshotPod>,
    pub(crate) skipped: Vec<Error>,
}

/// One Pod of a snapshot.
#[derive(Debug, Clone)]
pub struct SnapshotPod {
    /// The Pod's position among the snapshot's items.
    pub(crate) index: usize,
    /// The Pod as a request: name, namespace, service account, images.
    pub(crate) request: Request,
    pub(crate) deploy_time: Option<Timestamp>,
    pub(crate) end_time: Option<Timestamp>,
}

impl SnapshotPod {
    /// The Pod's position among the snapshot's items (`/items/N`).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The Pod as a request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// `metadata.creationTimestamp`, else `status.startTime`.
    pub fn deploy_time(&self) -> Option<Timestamp> {
        self.deploy_time
    }

    /// For a terminated Pod (`Succeeded`, `Failed`), its containers' latest `finishedAt`.
    pub fn end_time(&self) -> Option<Timestamp> {
        self.end_time
    }
}

impl PodSnapshot {
    /// Reads a snapshot from JSON or YAML text under default limits.
    pub fn from_text(text: &str) -> Result<PodSnapshot, Error> {
        PodSnapshot::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Reads a snapshot from JSON or YAML text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<PodSnapshot, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::Request))?;
        PodSnapshot::from_value(&value, limits)
    }

    /// Reads a snapshot from a parsed document: a `List` or `PodList` (`items`), or one Pod.
    /// Pods that cannot be read are skipped and listed by [`PodSnapshot::skipped`].
    pub fn from_value(value: &Value, limits: &Limits) -> Result<PodSnapshot, Error> {
        read(value, limits).map_err(|e| e.about(Subject::Request))
    }

    /// The Pods read, in snapshot order.
    pub fn pods(&self) -> &[SnapshotPod] {
        &self.pods
    }

    /// The Pods skipped, each with its error (path into the snapshot), in snapshot order.
    pub fn skipped(&self) -> &[Error] {
        &self.skipped
    }
}

fn not_a_snapshot(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RequestInvalidValue, path, message)
}

fn read(value: &Value, limits: &Limits) -> Result<PodSnapshot, Error> {
    let Value::Object(object) = value else {
        return Err(not_a_snapshot(
            "",
            format!(
                "a Pod snapshot must be the object `kubectl get pods -A -o json` prints, found {}",
                type_name(value)
            ),
        ));
    };
    let kind = match object.get("kind") {
        Some(Value::String(kind)) => kind.as_str(),
        None | Some(Value::Null) => "",
        Some(other) => {
            return Err(not_a_snapshot(
                "/kind",
                format!("`kind` must be a string, found {}", type_name(other)),
            ));
        }
    };
    let mut snapshot = PodSnapshot::default();
    match kind {
        "Pod" => {
            snapshot.push(0, value, "", limits);
            return Ok(snapshot);
        }
        "List" | "PodList" => {}
        "" if object.contains_key("items") => {}
        other => {
            return Err(not_a_snapshot(
                "/kind",
                format!(
                    "a Pod snapshot is a `List` or `PodList` (`kubectl get pods -A -o json`) or one `Pod`, found kind `{other}`"
                ),
            ));
        }
    }
    let items = match object.get("items") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => return Ok(snapshot),
        Some(other) => {
            return Err(not_a_snapshot(
                "/items",
                format!("`items` must be a list of Pods, found {}", type_name(other)),
            ));
        }
    };
    if items.len() > limits.max_pods {
        return Err(Error::new(
            ErrorCode::RequestTooManyPods,
            "/items",
            format!(
                "{} Pods, more than the limit of {} (split the snapshot by namespace: `kubectl get pods -n NS -o json`)",
                items.len(),
                limits.max_pods
            ),
        ));
    }
    for (i, item) in items.iter().enumerate() {
        snapshot.push(i, item, &join_index("/items", i), limits);
    }
    Ok(snapshot)
}

impl PodSnapshot {
    fn push(&mut self, index: usize, item: &Value, path: &str, limits: &Limits) {
        match read_pod(index, item, limits) {
            Ok(pod) => self.pods.push(pod),
            Err(e) => self.skipped.push(e.within(path).about(Subject::Request)),
        }
    }
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RequestInvalidWorkload, path, message)
}

/// One Pod; error paths relative to it.
fn read_pod(index: usize, item: &Value, limits: &Limits) -> Result<SnapshotPod, Error> {
    let Value::Object(object) = item else {
        return Err(invalid(
            "",
            format!("a snapshot item must be a Pod, found {}", type_name(item)),
        ));
    };
    match object.get("kind") {
        None | Some(Value::Null) => {}
        Some(Value::String(kind)) if kind == "Pod" => {}
        Some(Value::String(kind)) => {
            return Err(Error::new(
                ErrorCode::RequestUnsupportedWorkload,
                "/kind",
                format!("a snapshot item of kind `{kind}` is not a Pod (only Pods run images)"),
            ));
        }
        Some(other) => {
            return Err(invalid(
                "/kind",
                format!("`kind` must be a string, found {}", type_name(other)),
            ));
        }
    }
    let mut pod = pod_from_snapshot_item(item, limits)?;
    let name = pod
        .name
        .take()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| invalid("/metadata/name", "a Pod in a snapshot must have a name"))?;
    if pod.images.is_empty() {
        return Err(Error::new(
            ErrorCode::RequestNoImages,
            "/spec/containers",
            "the Pod has no containers",
        ));
    }
    let namespace = pod.namespace.take().unwrap_or_else(|| "default".to_owned());
    if !valid_namespace(&namespace) {
        return Err(Error::new(
            ErrorCode::RequestInvalidNamespace,
            "/metadata/namespace",
            format!("`{namespace}` is not a Kubernetes namespace name"),
        ));
    }
    let service_account = pod
        .service_account
        .take()
        .unwrap_or_else(|| "default".to_owned());
    if !valid_service_account(&service_account) {
        return Err(Error::new(
            ErrorCode::RequestInvalidServiceAccount,
            "/spec/serviceAccountName",
            format!("`{service_account}` is not a Kubernetes service account name"),
        ));
    }
    let metadata = object.get("metadata").and_then(Value::as_object);
    let status = match object.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::Object(status)) => Some(status),
        Some(other) => {
            return Err(invalid(
                "/status",
                format!("`status` must be an object, found {}", type_name(other)),
            ));
        }
    };
    let deploy_time = match metadata.and_then(|m| m.get("creationTimestamp")) {
        None | Some(Value::Null) => match status {
            Some(status) => time_field(status, "startTime", "/status")?,
            None => None,
        },
        Some(v) => Some(timestamp(v, "/metadata/creationTimestamp")?),
    };
    let end_time = match status {
        Some(status) => end_time(status, limits)?,
        None => None,
    };
    Ok(SnapshotPod {
        index,
        request: Request {
            images: pod.images,
            name: Some(name),
            from_workload: true,
            namespace,
            service_account,
            cluster: None,
            mesh_identity: None,
            labels: pod.labels,
            annotations: pod.annotations,
            cloud_run: None,
        },
        deploy_time,
        end_time,
    })
}

fn timestamp(value: &Value, path: &str) -> Result<Timestamp, Error> {
    match value {
        Value::String(text) => Timestamp::parse_rfc3339(text)
            .map_err(|e| invalid(path, format!("`{text}` is not an RFC 3339 timestamp: {e}"))),
        other => Err(invalid(
            path,
            format!("a timestamp must be a string, found {}", type_name(other)),
        )),
    }
}

fn time_field(
    object: &Map<String, Value>,
    field: &str,
    path: &str,
) -> Result<Option<Timestamp>, Error> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => timestamp(v, &join(path, field)).map(Some),
    }
}

/// The latest `state.terminated.finishedAt` of a terminated Pod's container statuses.
fn end_time(status: &Map<String, Value>, limits: &Limits) -> Result<Option<Timestamp>, Error> {
    let terminated = matches!(
        status.get("phase").and_then(Value::as_str),
        Some("Succeeded" | "Failed")
    );
    if !terminated {
        return Ok(None);
    }
    let mut latest: Option<Timestamp> = None;
    for field in [
        "initContainerStatuses",
        "containerStatuses",
        "ephemeralContainerStatuses",
    ] {
        let path = join("/status", field);
        let list = match status.get(field) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(list)) => list,
            Some(other) => {
                return Err(invalid(
                    &path,
                    format!("`{field}` must be a list, found {}", type_name(other)),
                ));
            }
        };
        // As many statuses as containers: the same budget.
        check_image_count(list.len(), &path, limits)?;
        for (i, entry) in list.iter().enumerate() {
            let Some(terminated) = entry
                .get("state")
                .and_then(|s| s.get("terminated"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let t_path = join(&join(&join_index(&path, i), "state"), "terminated");
            if let Some(t) = time_field(terminated, "finishedAt", &t_path)? {
                latest = Some(latest.map_or(t, |l| l.max(t)));
            }
        }
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::request::ContainerType;

    fn pod(name: &str, ns: &str, spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": ns,
                            "creationTimestamp": "2026-11-01T10:00:00Z"},
               "spec": spec})
    }

    #[test]
    fn reads_a_list_with_every_container_type() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            pod("web", "prod", json!({
                "serviceAccountName": "builder",
                "initContainers": [{"name": "init", "image": "gcr.io/p/init:1"}],
                "containers": [{"name": "app", "image": "gcr.io/p/app:1"}],
                "ephemeralContainers": [{"name": "debug", "image": "busybox"}]})),
            pod("job", "default", json!({"containers": [{"name": "c", "image": "gcr.io/p/job:1"}]})),
        ]});
        let s = PodSnapshot::from_value(&list, &Limits::DEFAULT).unwrap();
        assert!(s.skipped().is_empty());
        let web = &s.pods()[0];
        assert_eq!(web.request().name(), Some("web"));
        assert_eq!(web.request().namespace(), "prod");
        assert_eq!(web.request().service_account(), "builder");
        let kinds: Vec<_> = web
            .request()
            .images()
            .iter()
            .map(|i| (i.container.as_deref(), i.container_type))
            .collect();
        assert_eq!(
            kinds,
            [
                (Some("init"), Some(ContainerType::InitContainer)),
                (Some("app"), Some(ContainerType::Container)),
                (Some("debug"), Some(ContainerType::EphemeralContainer)),
            ]
        );
        assert_eq!(s.pods()[1].request().service_account(), "default");
        assert_eq!(
            web.deploy_time().map(|t| t.to_string()).as_deref(),
            Some("2026-11-01T10:00:00Z")
        );
        assert_eq!(web.end_time(), None);
    }

    #[test]
    fn pod_list_items_need_no_kind_and_one_pod_is_a_snapshot() {
        let list = json!({"kind": "PodList", "items": [
            {"metadata": {"name": "a"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}]});
        let s = PodSnapshot::from_value(&list, &Limits::DEFAULT).unwrap();
        assert_eq!(s.pods().len(), 1);
        assert_eq!(s.pods()[0].request().namespace(), "default");
        let one = pod(
            "solo",
            "ns",
            json!({"containers": [{"name": "c", "image": "x"}]}),
        );
        let s = PodSnapshot::from_value(&one, &Limits::DEFAULT).unwrap();
        assert_eq!(s.pods()[0].request().name(), Some("solo"));
        let e =
            PodSnapshot::from_value(&json!({"kind": "Deployment"}), &Limits::DEFAULT).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::RequestInvalidValue, "/kind")
        );
        let e = PodSnapshot::from_value(&json!([]), &Limits::DEFAULT).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestInvalidValue);
    }

    #[test]
    fn bad_pods_are_skipped_with_their_path_and_the_rest_read() {
        let list = json!({"kind": "List", "items": [
            pod("ok", "a", json!({"containers": [{"name": "c", "image": "x"}]})),
            pod("noimage", "a", json!({"containers": [{"name": "c"}]})),
            {"kind": "Deployment", "metadata": {"name": "d"}},
            pod("bad", "a", json!({"containers": [{"name": "c", "image": "gcr.io/p/UPPER:1"}]})),
            {"kind": "Pod", "metadata": {"name": "t", "creationTimestamp": "yesterday"},
             "spec": {"containers": [{"name": "c", "image": "x"}]}},
            pod("ok2", "a", json!({"containers": [{"name": "c", "image": "y"}]})),
        ]});
        let s = PodSnapshot::from_value(&list, &Limits::DEFAULT).unwrap();
        let read: Vec<_> = s.pods().iter().map(SnapshotPod::index).collect();
        assert_eq!(read, [0, 5]);
        let skipped: Vec<_> = s.skipped().iter().map(|e| (e.code(), e.path())).collect();
        assert_eq!(
            skipped,
            [
                (
                    ErrorCode::RequestInvalidWorkload,
                    "/items/1/spec/containers/0/image"
                ),
                (ErrorCode::RequestUnsupportedWorkload, "/items/2/kind"),
                (
                    ErrorCode::RequestInvalidImage,
                    "/items/3/spec/containers/0/image"
                ),
                (
                    ErrorCode::RequestInvalidWorkload,
                    "/items/4/metadata/creationTimestamp"
                ),
            ]
        );
    }

    #[test]
    fn deploy_and_end_times() {
        let mut p = pod(
            "done",
            "a",
            json!({"containers": [{"name": "c", "image": "x"}]}),
        );
        p["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("creationTimestamp");
        p["status"] = json!({"phase": "Succeeded", "startTime": "2026-11-01T10:00:05Z",
            "initContainerStatuses": [{"state": {"terminated": {"finishedAt": "2026-11-01T10:00:09Z"}}}],
            "containerStatuses": [
                {"state": {"terminated": {"finishedAt": "2026-11-01T10:05:00Z"}}},
                {"state": {"terminated": {"finishedAt": "2026-11-01T10:04:00Z"}}}]});
        let s = PodSnapshot::from_value(&p, &Limits::DEFAULT).unwrap();
        let pod = &s.pods()[0];
        assert_eq!(
            pod.deploy_time().unwrap().to_string(),
            "2026-11-01T10:00:05Z"
        );
        assert_eq!(pod.end_time().unwrap().to_string(), "2026-11-01T10:05:00Z");
        // Running: no end time, whatever a restarted container's last state says.
        p["status"]["phase"] = json!("Running");
        let s = PodSnapshot::from_value(&p, &Limits::DEFAULT).unwrap();
        assert_eq!(s.pods()[0].end_time(), None);
    }

    #[test]
    fn container_statuses_are_bounded_and_names_checked() {
        let mut limits = Limits::DEFAULT;
        limits.max_images = 2;
        let mut p = pod(
            "done",
            "a",
            json!({"containers": [{"name": "c", "image": "x"}]}),
        );
        p["status"] = json!({"phase": "Failed", "containerStatuses": [{}, {}, {}]});
        let bad_ns = pod(
            "n",
            "Not_A_Namespace",
            json!({"containers": [{"name": "c", "image": "x"}]}),
        );
        let list = json!({"kind": "List", "items": [p, bad_ns, null,
            {"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "x"}]}}]});
        let s = PodSnapshot::from_value(&list, &limits).unwrap();
        assert!(s.pods().is_empty());
        let skipped: Vec<_> = s.skipped().iter().map(|e| (e.code(), e.path())).collect();
        assert_eq!(
            skipped,
            [
                (
                    ErrorCode::RequestTooManyImages,
                    "/items/0/status/containerStatuses"
                ),
                (
                    ErrorCode::RequestInvalidNamespace,
                    "/items/1/metadata/namespace"
                ),
                (ErrorCode::RequestInvalidWorkload, "/items/2"),
                (ErrorCode::RequestInvalidWorkload, "/items/3/metadata/name"),
            ]
        );
    }

    #[test]
    fn too_many_pods_is_a_configuration_error() {
        let mut limits = Limits::DEFAULT;
        limits.max_pods = 1;
        let one = pod(
            "a",
            "a",
            json!({"containers": [{"name": "c", "image": "x"}]}),
        );
        let list = json!({"kind": "List", "items": [one.clone(), one]});
        let e = PodSnapshot::from_value(&list, &limits).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::RequestTooManyPods, "/items")
        );
    }
}
