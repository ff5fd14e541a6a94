//! Deployment events from audit logs, for replay (decisions ): one log entry →
//! one Pod that was (or was not) admitted, where, when, and what was logged about it.
//!
//! Three shapes of one entry are read, recognized by their members:
//!
//! * a Kubernetes audit `Event` (`audit.k8s.io/v1`, the API server's log backend, one JSON
//!   object per line): `kind: Event`;
//! * a Cloud Audit Logs `LogEntry` of a GKE cluster, as `gcloud logging read --format=json` and
//!   the Cloud Storage export write it: `protoPayload` with `serviceName: k8s.io`;
//! * a row of the BigQuery export: `protopayload_auditlog` with `requestJson` and
//!   `responseJson` as JSON strings, and label keys whose punctuation BigQuery turned into `_`
//!   (mapped back for the four keys Binary Authorization writes, Q-12).
//!
//! Only Pod creations and updates (including `pods/ephemeralcontainers`) are deployment
//! events: Binary Authorization reviews Pods, and a controller's Pods appear as Pod creations
//! by the controller. Every other entry is [`AuditRead::Skipped`] with the reason, so that a
//! replay accounts for every line.
//!
//! What was decided: the persisted object (`response`, `responseObject`) when the request
//! was allowed, the request object when it was denied (a denial has no persisted Pod). When
//! both are present and their images differ (a mutating webhook rewrote them), the difference is
//! kept in [`AuditEvent::objects_differ`].
//!
//! What was logged: denied (the response is a `Status` with `Failure`, or the HTTP code is 400
//! or more), then split into a Binary Authorization denial and another admission controller's;
//! else the labels (or audit annotations) of GKE (`imagepolicywebhook.image-policy.k8s.io/…`)
//! and Distributed Cloud (`binaryauthorization.googleapis.com/…`, Q-6): break-glass, dry run,
//! failed open; else allowed.
//!
//! Time: the entry's own time, truncated to the second (the replay evaluates at the
//! event's second, so identical deployments in the same second are decided once, X-4).

use serde_json::{Map, Value};

use super::{ContainerType, Request, RequestBuilder};
use crate::error::{Error, ErrorCode, Subject};
use crate::limits::Limits;
use crate::read::document::{self, type_name};
use crate::read::wire::wire_enum;
use crate::time::Timestamp;

/// The label (annotation) prefix GKE's Binary Authorization writes.
pub const GKE_LABEL_PREFIX: &str = "imagepolicywebhook.image-policy.k8s.io/";
/// The label prefix Google Distributed Cloud's Binary Authorization writes.
pub const GDC_LABEL_PREFIX: &str = "binaryauthorization.googleapis.com/";

wire_enum! {
    /// The shape an event was read from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
    pub enum AuditFormat {
        /// A Kubernetes audit `Event` (`audit.k8s.io/v1`).
        KubernetesAudit = "KUBERNETES_AUDIT",
        /// A Cloud Audit Logs `LogEntry` (gcloud, the Cloud Storage export).
        CloudAuditLog = "CLOUD_AUDIT_LOG",
        /// A BigQuery export row.
        BigQuery = "BIGQUERY",
        /// A Pod of a cluster snapshot (`kubectl get pods -A -o json`).
        Snapshot = "SNAPSHOT",
        /// A Cloud Run service or job.
        CloudRun = "CLOUD_RUN",
    }
}

wire_enum! {
    /// What the log says happened to the deployment.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
    pub enum LoggedOutcome {
        /// Admitted, with no Binary Authorization label.
        Allowed = "ALLOWED",
        /// Denied by Binary Authorization.
        Denied = "DENIED",
        /// Denied by another admission controller (or the API server itself).
        DeniedOther = "DENIED_OTHER",
        /// Admitted by a dry-run rule despite a violation (`…/dry-run: "true"`).
        DryRun = "DRY_RUN",
        /// Admitted by break-glass (`…/break-glass: "true"`).
        BreakGlass = "BREAK_GLASS",
        /// Admitted because the webhook failed open (`…/failed-open`).
        FailedOpen = "FAILED_OPEN",
        /// Running in a snapshot, or a deployed Cloud Run resource: admitted, nothing logged.
        Running = "RUNNING",
    }
}

wire_enum! {
    /// Why a log entry is not a deployment event.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
    pub enum SkipReason {
        /// Not about Pods (another resource, a controller, another service's audit log).
        NotAPod = "NOT_A_POD",
        /// A Pod operation that deploys nothing (`get`, `delete`, `pods/log`, …).
        NotADeployment = "NOT_A_DEPLOYMENT",
        /// A Kubernetes audit stage other than `ResponseComplete` (the same request is logged
        /// again when complete).
        IncompleteStage = "INCOMPLETE_STAGE",
        /// Logged at `Metadata` level, or a patch without its response: no object to decide.
        NoObject = "NO_OBJECT",
    }
}

/// The images of the request object and of the persisted object, when they differ.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectsDiffer {
    /// The images the request asked for.
    pub request: Vec<String>,
    /// The images the API server stored (after mutating admission).
    pub response: Vec<String>,
}

/// One deployment event read from a log.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// The shape it was read from.
    pub format: AuditFormat,
    /// `auditID` or `insertId` (a snapshot Pod: its `metadata.uid`, when present).
    pub id: Option<String>,
    /// `logName`, for a Cloud Audit Logs entry.
    pub log_name: Option<String>,
    /// The event's time, truncated to the second; `None` when the entry has none.
    pub time: Option<Timestamp>,
    /// `LOCATION.NAME` from the entry's resource labels, when it has them.
    pub cluster: Option<String>,
    /// The project, from the entry's resource labels.
    pub project: Option<String>,
    /// `create`, `update` or `patch`.
    pub operation: String,
    /// The Pod's namespace (from the request path, else the object).
    pub namespace: String,
    /// The Pod's name; `None` for a controller's Pod whose name the server generated.
    pub name: Option<String>,
    /// `metadata.generateName`, when set.
    pub generate_name: Option<String>,
    /// The first owner reference, as `Kind/name`.
    pub owner: Option<String>,
    /// Who asked (`user.username`, `principalEmail`).
    pub principal: Option<String>,
    /// What the log says happened.
    pub logged: LoggedOutcome,
    /// The logged denial message or `overridden-verification-result`.
    pub logged_message: Option<String>,
    /// Whether the decided object is the persisted one (`true`) or the request's (`false`).
    pub decided_persisted: bool,
    /// The request and persisted objects' images, when they differ.
    pub objects_differ: Option<ObjectsDiffer>,
    /// The Pod as a request (the cluster is set when the entry names one).
    pub request: Request,
}

/// A log entry, read.
#[derive(Debug, Clone)]
pub enum AuditRead {
    /// A deployment event.
    Event(Box<AuditEvent>),
    /// Not a deployment event, and why.
    Skipped(SkipReason),
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RequestInvalidAuditEvent, path, message).about(Subject::Request)
}

/// Reads one log entry (already parsed). `default_cluster` is used when the entry names no
/// cluster (a Kubernetes audit log carries none).
pub fn read_audit_entry(
    entry: &Value,
    default_cluster: Option<&str>,
    limits: &Limits,
) -> Result<AuditRead, Error> {
    let plan = match raw_of(entry)? {
        Raw::Skipped(reason) => return Ok(AuditRead::Skipped(reason)),
        Raw::Event(raw) => raw.plan(),
    };
    let object = match &plan.object {
        Detached::Path(path) => entry.pointer(path).cloned().unwrap_or(Value::Null),
        Detached::Owned(_) => Value::Null,
    };
    finished(plan.finish(object, default_cluster, limits))
}

/// A plan's event, or the skip of an entry that admits no image (an `ephemeralcontainers`
/// update that adds none).
fn finished(event: Result<Option<Box<AuditEvent>>, Error>) -> Result<AuditRead, Error> {
    Ok(match event? {
        Some(event) => AuditRead::Event(event),
        None => AuditRead::Skipped(SkipReason::NotADeployment),
    })
}

/// [`read_audit_entry`] for an entry the caller gives up: the decided object is moved out of
/// it rather than copied (what replay does for every line).
pub fn read_audit_entry_owned(
    mut entry: Value,
    default_cluster: Option<&str>,
    limits: &Limits,
) -> Result<AuditRead, Error> {
    let plan = match raw_of(&entry)? {
        Raw::Skipped(reason) => return Ok(AuditRead::Skipped(reason)),
        Raw::Event(raw) => raw.plan(),
    };
    let object = match &plan.object {
        Detached::Path(path) => entry
            .pointer_mut(path)
            .map(Value::take)
            .unwrap_or(Value::Null),
        Detached::Owned(_) => Value::Null,
    };
    finished(plan.finish(object, default_cluster, limits))
}

fn raw_of(entry: &Value) -> Result<Raw<'_>, Error> {
    let Value::Object(object) = entry else {
        return Err(invalid(
            "",
            format!("a log entry must be an object, found {}", type_name(entry)),
        ));
    };
    if object.get("kind").and_then(Value::as_str) == Some("Event") {
        kubernetes_event(object)
    } else if let Some(payload) = object.get("protoPayload") {
        log_entry(object, payload, Shape::LogEntry)
    } else if let Some(payload) = object.get("protopayload_auditlog") {
        log_entry(object, payload, Shape::BigQuery)
    } else {
        Err(invalid(
            "",
            "not an audit entry vouch reads: expected a Kubernetes audit `Event` (`kind: Event`), a Cloud Audit Logs entry (`protoPayload`) or a BigQuery export row (`protopayload_auditlog`)",
        ))
    }
}

/// Where the decided object is: at a JSON pointer into the entry, or already parsed out of it
/// (a BigQuery JSON string).
enum Detached {
    Path(&'static str),
    Owned(Value),
}

/// What an entry says, with every borrowed part copied, before its object is read.
struct Plan {
    format: AuditFormat,
    id: Option<String>,
    log_name: Option<String>,
    time: Option<Timestamp>,
    cluster: Option<String>,
    project: Option<String>,
    operation: String,
    namespace: String,
    name: Option<String>,
    generate_name: Option<String>,
    owner: Option<String>,
    principal: Option<String>,
    logged: LoggedOutcome,
    logged_message: Option<String>,
    decided_persisted: bool,
    objects_differ: Option<ObjectsDiffer>,
    ephemeral: bool,
    object: Detached,
    object_path: &'static str,
}

/// What an entry says, before the object is read as a request.
struct RawEvent<'a> {
    format: AuditFormat,
    id: Option<String>,
    log_name: Option<String>,
    time: Option<Timestamp>,
    cluster: Option<String>,
    project: Option<String>,
    operation: String,
    namespace: Option<String>,
    name: Option<String>,
    principal: Option<String>,
    logged: LoggedOutcome,
    logged_message: Option<String>,
    /// The object decided and its path in the entry.
    object: ObjectRef<'a>,
    object_path: &'static str,
    decided_persisted: bool,
    /// The `ephemeralcontainers` subresource: only the ephemeral containers are admitted.
    ephemeral: bool,
    /// The other object (request when the persisted one is decided), for X-2's comparison.
    other: Option<ObjectRef<'a>>,
}

/// An object given in the entry, or parsed out of a BigQuery JSON string.
enum ObjectRef<'a> {
    Borrowed(&'a Value),
    Owned(Value),
}

impl ObjectRef<'_> {
    fn value(&self) -> &Value {
        match self {
            ObjectRef::Borrowed(v) => v,
            ObjectRef::Owned(v) => v,
        }
    }
}

enum Raw<'a> {
    Event(Box<RawEvent<'a>>),
    Skipped(SkipReason),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    LogEntry,
    BigQuery,
}

fn str_at<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn object_at<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Map<String, Value>> {
    object.get(key).and_then(Value::as_object)
}

fn some_object(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| v.is_object())
}

/// The event time: RFC 3339, or BigQuery's `2024-05-12 05:37:32.702702 UTC`, truncated to the
/// second.
fn read_time(text: &str, path: &str) -> Result<Timestamp, Error> {
    let parsed = Timestamp::parse_rfc3339(text).or_else(|e| {
        let trimmed = text.trim_end_matches(" UTC");
        if trimmed.len() >= 19 && trimmed.as_bytes().get(10) == Some(&b' ') {
            let mut rfc = trimmed.replacen(' ', "T", 1);
            rfc.push('Z');
            Timestamp::parse_rfc3339(&rfc)
        } else {
            Err(e)
        }
    });
    match parsed {
        Ok(t) => Timestamp::from_unix(t.unix_seconds(), 0)
            .ok_or_else(|| invalid(path, format!("`{text}` is out of range"))),
        Err(e) => Err(invalid(path, format!("`{text}` is not a timestamp: {e}"))),
    }
}

fn optional_time(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<Timestamp>, Error> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => read_time(text, path).map(Some),
        Some(other) => Err(invalid(
            path,
            format!("a timestamp must be a string, found {}", type_name(other)),
        )),
    }
}

/// The Binary Authorization labels (or audit annotations) of an entry: what was logged when
/// the request was admitted. BigQuery's sanitized keys (`…_dry_run`) are mapped back.
fn labelled_outcome(labels: Option<&Map<String, Value>>) -> (LoggedOutcome, Option<String>) {
    let Some(labels) = labels else {
        return (LoggedOutcome::Allowed, None);
    };
    let mut break_glass = false;
    let mut dry_run = false;
    let mut failed_open = false;
    let mut message = None;
    for (key, value) in labels {
        // The API server's own mark of a validating webhook that failed open; its value names
        // the webhook, and only Binary Authorization's (`…image-policy.k8s.io`) counts here.
        if (key.starts_with(FAILED_OPEN_PREFIX) || key.starts_with(&sanitize(FAILED_OPEN_PREFIX)))
            && value
                .as_str()
                .is_some_and(|w| w.contains("image-policy.k8s.io"))
        {
            failed_open = true;
            continue;
        }
        let Some(suffix) = binauthz_label_suffix(key) else {
            continue;
        };
        let text = value.as_str().unwrap_or_default();
        match suffix {
            "break-glass" => break_glass |= text == "true",
            "dry-run" => dry_run |= text == "true",
            "failed-open" => failed_open = true,
            "overridden-verification-result" => message = Some(text.to_owned()),
            _ => {}
        }
    }
    let outcome = if break_glass {
        LoggedOutcome::BreakGlass
    } else if dry_run {
        LoggedOutcome::DryRun
    } else if failed_open {
        LoggedOutcome::FailedOpen
    } else {
        LoggedOutcome::Allowed
    };
    (outcome, message)
}

/// The audit annotation the API server adds when a validating webhook fails open.
const FAILED_OPEN_PREFIX: &str = "failed-open.validating.webhook.admission.k8s.io/";

/// The Pod annotation the image policy plugin sets when it admitted a Pod failing open.
const FAILED_OPEN_ANNOTATION: &str = "alpha.image-policy.k8s.io/failed-open";

const LABEL_SUFFIXES: [&str; 4] = [
    "break-glass",
    "dry-run",
    "failed-open",
    "overridden-verification-result",
];

/// `break-glass`, `dry-run`, … for a Binary Authorization label key of GKE or Distributed Cloud,
/// as written or as BigQuery sanitizes it (every character other than a letter, a digit or `_`
/// becomes `_`).
fn binauthz_label_suffix(key: &str) -> Option<&'static str> {
    for prefix in [GKE_LABEL_PREFIX, GDC_LABEL_PREFIX] {
        if let Some(rest) = key.strip_prefix(prefix) {
            return LABEL_SUFFIXES.iter().copied().find(|s| *s == rest);
        }
        let sanitized_prefix = sanitize(prefix);
        if let Some(rest) = key.strip_prefix(sanitized_prefix.as_str()) {
            return LABEL_SUFFIXES.iter().copied().find(|s| sanitize(s) == rest);
        }
    }
    None
}

fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Whether a denial message is Binary Authorization's (GKE's image policy webhook, or
/// Distributed Cloud's), rather than another admission controller's.
fn binauthz_denial(message: &str, reason: Option<&str>) -> bool {
    reason == Some("VIOLATES_POLICY")
        || message.contains("image policy webhook")
        || message.contains("Binary Authorization")
        || message.contains("denied by attestor")
        || message.contains("Denied by default admission rule")
        || message.contains("Denied by cluster admission rule")
        || message.contains("Denied by Kubernetes namespace admission rule")
        || message.contains("Denied by Kubernetes service account admission rule")
        || message.contains("Denied by Istio service identity admission rule")
}

fn kubernetes_event(object: &Map<String, Value>) -> Result<Raw<'_>, Error> {
    let stage = str_at(object, "stage").unwrap_or_default();
    let Some(object_ref) = object_at(object, "objectRef") else {
        return Ok(Raw::Skipped(SkipReason::NotAPod));
    };
    if str_at(object_ref, "resource") != Some("pods") {
        return Ok(Raw::Skipped(SkipReason::NotAPod));
    }
    match str_at(object_ref, "subresource") {
        None | Some("" | "ephemeralcontainers") => {}
        Some(_) => return Ok(Raw::Skipped(SkipReason::NotADeployment)),
    }
    let verb = str_at(object, "verb").unwrap_or_default();
    if !matches!(verb, "create" | "update" | "patch") {
        return Ok(Raw::Skipped(SkipReason::NotADeployment));
    }
    if stage != "ResponseComplete" {
        return Ok(Raw::Skipped(SkipReason::IncompleteStage));
    }
    let status = object_at(object, "responseStatus");
    let code = status
        .and_then(|s| s.get("code"))
        .and_then(Value::as_u64)
        .unwrap_or(200);
    let request = some_object(object.get("requestObject"));
    let response = some_object(object.get("responseObject"));
    let (logged, logged_message) = if code >= 400 {
        let message = status
            .and_then(|s| str_at(s, "message"))
            .unwrap_or_default();
        let reason = status.and_then(|s| str_at(s, "reason"));
        let outcome = if binauthz_denial(message, reason) {
            LoggedOutcome::Denied
        } else {
            LoggedOutcome::DeniedOther
        };
        (outcome, Some(message.to_owned()))
    } else {
        labelled_outcome(object_at(object, "annotations"))
    };
    let denied = code >= 400;
    // A patch's request object is the patch, never a Pod: only the persisted Pod can be decided.
    let choice = if verb == "patch" {
        response
            .filter(|_| !denied)
            .map(|r| (r, "/responseObject", true, None))
    } else if denied {
        request.map(|r| (r, "/requestObject", false, None))
    } else {
        match (response, request) {
            (Some(r), other) => Some((r, "/responseObject", true, other)),
            (None, Some(r)) => Some((r, "/requestObject", false, None)),
            (None, None) => None,
        }
    };
    let Some((decided, object_path, decided_persisted, other)) = choice else {
        return Ok(Raw::Skipped(SkipReason::NoObject));
    };
    let time_key = if object.contains_key("requestReceivedTimestamp") {
        "requestReceivedTimestamp"
    } else {
        "stageTimestamp"
    };
    Ok(Raw::Event(Box::new(RawEvent {
        format: AuditFormat::KubernetesAudit,
        id: str_at(object, "auditID").map(str::to_owned),
        log_name: None,
        time: optional_time(object, time_key, &format!("/{time_key}"))?,
        cluster: None,
        project: None,
        operation: verb.to_owned(),
        namespace: str_at(object_ref, "namespace").map(str::to_owned),
        name: str_at(object_ref, "name").map(str::to_owned),
        principal: object_at(object, "user")
            .and_then(|u| str_at(u, "username"))
            .map(str::to_owned),
        logged,
        logged_message,
        object: ObjectRef::Borrowed(decided),
        object_path,
        decided_persisted,
        ephemeral: str_at(object_ref, "subresource") == Some("ephemeralcontainers"),
        other: other.map(ObjectRef::Borrowed),
    })))
}

/// `io.k8s.core.v1.pods.create` → `create`; `…pods.ephemeralcontainers.update` → `update`.
fn pod_operation(method: &str) -> Result<&str, SkipReason> {
    let Some(rest) = method.strip_prefix("io.k8s.core.v1.pods.") else {
        return Err(SkipReason::NotAPod);
    };
    let rest = rest.strip_prefix("ephemeralcontainers.").unwrap_or(rest);
    match rest {
        "create" | "update" | "patch" => Ok(rest),
        _ => Err(SkipReason::NotADeployment),
    }
}

/// `core/v1/namespaces/NS/pods/NAME` (or `…/pods` for a generated name).
fn resource_name_parts(resource: &str) -> (Option<&str>, Option<&str>) {
    let mut parts = resource.split('/');
    let (Some("core"), Some("v1"), Some("namespaces"), Some(ns), Some("pods")) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return (None, None);
    };
    (Some(ns), parts.next().filter(|n| !n.is_empty()))
}

fn log_entry<'a>(
    entry: &'a Map<String, Value>,
    payload: &'a Value,
    shape: Shape,
) -> Result<Raw<'a>, Error> {
    let (payload_path, request_key, response_key) = match shape {
        Shape::LogEntry => ("/protoPayload", "request", "response"),
        Shape::BigQuery => ("/protopayload_auditlog", "requestJson", "responseJson"),
    };
    let Value::Object(payload) = payload else {
        return Err(invalid(
            payload_path,
            format!("must be an object, found {}", type_name(payload)),
        ));
    };
    if str_at(payload, "serviceName") != Some("k8s.io") {
        return Ok(Raw::Skipped(SkipReason::NotAPod));
    }
    let method = str_at(payload, "methodName").unwrap_or_default();
    let operation = match pod_operation(method) {
        Ok(op) => op,
        Err(reason) => return Ok(Raw::Skipped(reason)),
    };
    let object = |key: &str| -> Result<Option<ObjectRef<'a>>, Error> {
        match (shape, payload.get(key)) {
            (_, None | Some(Value::Null)) => Ok(None),
            (Shape::LogEntry, Some(v @ Value::Object(_))) => Ok(Some(ObjectRef::Borrowed(v))),
            (Shape::BigQuery, Some(Value::String(text))) => {
                let value = document::parse_json(text, &Limits::DEFAULT)
                    .map_err(|e| invalid(&format!("{payload_path}/{key}"), e.message()))?;
                Ok(Some(ObjectRef::Owned(value)))
            }
            (_, Some(other)) => Err(invalid(
                &format!("{payload_path}/{key}"),
                format!(
                    "must be {}, found {}",
                    if shape == Shape::BigQuery {
                        "a JSON string"
                    } else {
                        "an object"
                    },
                    type_name(other)
                ),
            )),
        }
    };
    let request = object(request_key)?;
    let response = object(response_key)?;
    let response_status = response
        .as_ref()
        .and_then(|r| r.value().as_object())
        .filter(|r| {
            r.get("kind").and_then(Value::as_str) == Some("Status")
                || r.get("@type").and_then(Value::as_str) == Some("core.k8s.io/v1.Status")
        });
    let status_code = object_at(payload, "status")
        .and_then(|s| s.get("code"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let denied =
        status_code != 0 || response_status.is_some_and(|s| str_at(s, "status") == Some("Failure"));
    let response_is_status = response_status.is_some();
    let labels = object_at(entry, "labels");
    let (logged, logged_message) = if denied {
        let message = response_status
            .and_then(|s| str_at(s, "message"))
            .or_else(|| object_at(payload, "status").and_then(|s| str_at(s, "message")))
            .unwrap_or_default();
        let reason = response_status.and_then(|s| str_at(s, "reason"));
        let outcome = if binauthz_denial(message, reason) {
            LoggedOutcome::Denied
        } else {
            LoggedOutcome::DeniedOther
        };
        (outcome, Some(message.to_owned()))
    } else {
        labelled_outcome(labels)
    };
    let request_path = match shape {
        Shape::LogEntry => "/protoPayload/request",
        Shape::BigQuery => "/protopayload_auditlog/requestJson",
    };
    let response_path = match shape {
        Shape::LogEntry => "/protoPayload/response",
        Shape::BigQuery => "/protopayload_auditlog/responseJson",
    };
    let persisted = response.filter(|_| !response_is_status && !denied);
    let choice = if operation == "patch" {
        persisted.map(|r| (r, response_path, true, None))
    } else if denied {
        request.map(|r| (r, request_path, false, None))
    } else {
        match (persisted, request) {
            (Some(r), other) => Some((r, response_path, true, other)),
            (None, Some(r)) => Some((r, request_path, false, None)),
            (None, None) => None,
        }
    };
    let Some((decided, object_path, decided_persisted, other)) = choice else {
        return Ok(Raw::Skipped(SkipReason::NoObject));
    };
    let (namespace, name) =
        resource_name_parts(str_at(payload, "resourceName").unwrap_or_default());
    let resource_labels = object_at(entry, "resource").and_then(|r| object_at(r, "labels"));
    let cluster =
        resource_labels.and_then(
            |l| match (str_at(l, "location"), str_at(l, "cluster_name")) {
                (Some(location), Some(name)) => Some(format!("{location}.{name}")),
                _ => None,
            },
        );
    let time = match entry.get("timestamp") {
        // The BigQuery export can give a TIMESTAMP as seconds since the epoch.
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|s| s.is_finite())
            .and_then(|s| Timestamp::from_unix(s.floor() as i64, 0))
            .map(Some)
            .ok_or_else(|| invalid("/timestamp", "the timestamp is out of range"))?,
        _ => optional_time(entry, "timestamp", "/timestamp")?,
    };
    Ok(Raw::Event(Box::new(RawEvent {
        format: match shape {
            Shape::LogEntry => AuditFormat::CloudAuditLog,
            Shape::BigQuery => AuditFormat::BigQuery,
        },
        id: str_at(entry, "insertId").map(str::to_owned),
        log_name: str_at(entry, "logName").map(str::to_owned),
        time,
        cluster,
        project: resource_labels
            .and_then(|l| str_at(l, "project_id"))
            .map(str::to_owned),
        operation: operation.to_owned(),
        namespace: namespace.map(str::to_owned),
        name: name.map(str::to_owned),
        principal: object_at(payload, "authenticationInfo")
            .and_then(|a| str_at(a, "principalEmail"))
            .map(str::to_owned),
        logged,
        logged_message,
        object: decided,
        object_path,
        decided_persisted,
        ephemeral: method.contains(".ephemeralcontainers."),
        other,
    })))
}

/// The image strings of a Pod object, in workload order (init, regular, ephemeral), for X-2's
/// comparison only.
fn pod_images(pod: &Value) -> Vec<String> {
    let spec = pod.get("spec");
    let mut out = Vec::new();
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        if let Some(Value::Array(containers)) = spec.and_then(|s| s.get(list)) {
            for c in containers {
                if let Some(image) = c.get("image").and_then(Value::as_str) {
                    out.push(image.to_owned());
                }
            }
        }
    }
    out
}

impl RawEvent<'_> {
    /// Everything but the object's reading, copied out of the entry.
    fn plan(self) -> Plan {
        let object = self.object.value();
        let metadata = object.get("metadata").and_then(Value::as_object);
        let generate_name = metadata
            .and_then(|m| str_at(m, "generateName"))
            .map(str::to_owned);
        let owner = first_owner(metadata);
        let name = self
            .name
            .or_else(|| metadata.and_then(|m| str_at(m, "name")).map(str::to_owned));
        let namespace = self
            .namespace
            .or_else(|| {
                metadata
                    .and_then(|m| str_at(m, "namespace"))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| "default".to_owned());
        let objects_differ = self.other.as_ref().and_then(|other| {
            let request = pod_images(other.value());
            let response = pod_images(object);
            (request != response).then_some(ObjectsDiffer { request, response })
        });
        // The image policy plugin marks a Pod it admitted failing open.
        let failed_open = self.logged == LoggedOutcome::Allowed
            && metadata
                .and_then(|m| object_at(m, "annotations"))
                .and_then(|a| str_at(a, FAILED_OPEN_ANNOTATION))
                == Some("true");
        let logged = if failed_open {
            LoggedOutcome::FailedOpen
        } else {
            self.logged
        };
        let detached = match self.object {
            ObjectRef::Owned(value) => Detached::Owned(value),
            ObjectRef::Borrowed(_) => Detached::Path(self.object_path),
        };
        Plan {
            format: self.format,
            id: self.id,
            log_name: self.log_name,
            time: self.time,
            cluster: self.cluster,
            project: self.project,
            operation: self.operation,
            namespace,
            name,
            generate_name,
            owner,
            principal: self.principal,
            logged,
            logged_message: self.logged_message,
            decided_persisted: self.decided_persisted,
            objects_differ,
            ephemeral: self.ephemeral,
            object: detached,
            object_path: self.object_path,
        }
    }
}

/// The first owner reference, as `Kind/name`.
fn first_owner(metadata: Option<&Map<String, Value>>) -> Option<String> {
    metadata
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Value::as_array)
        .and_then(|refs| refs.first())
        .and_then(|r| match (r.get("kind"), r.get("name")) {
            (Some(Value::String(k)), Some(Value::String(n))) => Some(format!("{k}/{n}")),
            _ => None,
        })
}

impl Plan {
    /// The event, with `object` (the one at `Detached::Path`; ignored when the plan owns it)
    /// read as the request.
    fn finish(
        self,
        object: Value,
        default_cluster: Option<&str>,
        limits: &Limits,
    ) -> Result<Option<Box<AuditEvent>>, Error> {
        let mut workload = match self.object {
            Detached::Owned(value) => value,
            Detached::Path(_) => object,
        };
        if let Some(map) = workload.as_object_mut() {
            // The Cloud Audit Logs wrapping (`@type`) is not part of the Pod; a Kubernetes
            // audit object always says `kind`, a wrapped one may not.
            map.remove("@type");
            map.entry("kind")
                .or_insert_with(|| Value::String("Pod".to_owned()));
        }
        let cluster = self.cluster.or_else(|| default_cluster.map(str::to_owned));
        let mut builder = RequestBuilder::for_workload(workload).namespace(self.namespace.clone());
        if let Some(cluster) = &cluster {
            builder = builder.cluster(cluster.clone());
        }
        let object_path = self.object_path;
        let mut request = builder.build_with_limits(limits).map_err(|e| {
            // The builder's paths start at its `/workload`: here the object is at `object_path`.
            let inner = e.path().strip_prefix("/workload").unwrap_or(e.path());
            Error::new(e.code(), format!("{object_path}{inner}"), e.message())
                .about(Subject::Request)
        })?;
        // What admission reviews: on the `ephemeralcontainers` subresource only the ephemeral
        // containers (the others already run), otherwise only the others (ephemeral containers
        // are added through the subresource alone).
        let ephemeral = self.ephemeral;
        request
            .images
            .retain(|i| (i.container_type == Some(ContainerType::EphemeralContainer)) == ephemeral);
        if request.images.is_empty() {
            return Ok(None);
        }
        Ok(Some(Box::new(AuditEvent {
            format: self.format,
            id: self.id,
            log_name: self.log_name,
            time: self.time,
            cluster,
            project: self.project,
            operation: self.operation,
            namespace: self.namespace,
            name: self.name,
            generate_name: self.generate_name,
            owner: self.owner,
            principal: self.principal,
            logged: self.logged,
            logged_message: self.logged_message,
            decided_persisted: self.decided_persisted,
            objects_differ: self.objects_differ,
            request,
        })))
    }
}

/// The Pods of a cluster snapshot as deployment events (outcome [`LoggedOutcome::Running`],
/// time: the Pod's deploy time). Pods that cannot be read come back as errors, in order.
pub fn snapshot_events(
    value: &Value,
    default_cluster: Option<&str>,
    limits: &Limits,
) -> Result<Vec<Result<AuditEvent, Error>>, Error> {
    let snapshot = super::PodSnapshot::from_value(value, limits)?;
    let items = value.get("items").and_then(Value::as_array);
    let mut out: Vec<(usize, Result<AuditEvent, Error>)> = Vec::new();
    for pod in snapshot.pods() {
        let item = items.and_then(|i| i.get(pod.index())).unwrap_or(value);
        let metadata = item.get("metadata").and_then(Value::as_object);
        let mut request = pod.request().clone();
        if request.cluster.is_none() {
            request.cluster = default_cluster.map(str::to_owned);
        }
        out.push((
            pod.index(),
            Ok(AuditEvent {
                format: AuditFormat::Snapshot,
                id: metadata.and_then(|m| str_at(m, "uid")).map(str::to_owned),
                log_name: None,
                time: pod
                    .deploy_time()
                    .and_then(|t| Timestamp::from_unix(t.unix_seconds(), 0)),
                cluster: request.cluster.clone(),
                project: None,
                operation: "create".to_owned(),
                namespace: request.namespace().to_owned(),
                name: request.name().map(str::to_owned),
                generate_name: metadata
                    .and_then(|m| str_at(m, "generateName"))
                    .map(str::to_owned),
                owner: first_owner(metadata),
                principal: None,
                logged: LoggedOutcome::Running,
                logged_message: None,
                decided_persisted: true,
                objects_differ: None,
                request,
            }),
        ));
    }
    for error in snapshot.skipped() {
        // The path is `/items/N/...`: order the error among the Pods by N.
        let index = error
            .path()
            .strip_prefix("/items/")
            .and_then(|p| p.split('/').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(usize::MAX);
        out.push((index, Err(error.clone())));
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

/// A Cloud Run service or job (as `gcloud run … describe` prints it) as a deployment event:
/// outcome [`LoggedOutcome::Running`], time `metadata.creationTimestamp` (v2: `createTime`).
pub fn cloud_run_event(value: &Value, limits: &Limits) -> Result<AuditEvent, Error> {
    let request = RequestBuilder::for_workload(value.clone())
        .build_with_limits(limits)
        .map_err(|e| {
            let path = e.path().strip_prefix("/workload").unwrap_or(e.path());
            Error::new(e.code(), path, e.message()).about(Subject::Request)
        })?;
    let object = value.as_object();
    let metadata = object.and_then(|o| object_at(o, "metadata"));
    let time_text = metadata
        .and_then(|m| str_at(m, "creationTimestamp"))
        .or_else(|| object.and_then(|o| str_at(o, "createTime")));
    let time = match time_text {
        Some(text) => Some(read_time(text, "/metadata/creationTimestamp")?),
        None => None,
    };
    Ok(AuditEvent {
        format: AuditFormat::CloudRun,
        id: metadata
            .and_then(|m| str_at(m, "uid"))
            .or_else(|| object.and_then(|o| str_at(o, "uid")))
            .map(str::to_owned),
        log_name: None,
        time,
        cluster: None,
        project: None,
        operation: "create".to_owned(),
        namespace: request.namespace().to_owned(),
        name: request.name().map(str::to_owned),
        generate_name: None,
        owner: None,
        principal: None,
        logged: LoggedOutcome::Running,
        logged_message: None,
        decided_persisted: true,
        objects_differ: None,
        request,
    })
}

#[cfg(test)]
mod tests;
