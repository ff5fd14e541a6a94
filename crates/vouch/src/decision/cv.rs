//! Continuous validation's log output (decision P-11, platform-policies §2): one
//! `ContinuousValidationEvent` per violated policy per Pod, listing only failing images and
//! only NON_CONFORMANT checks, wrapped in Cloud Logging's `LogEntry` when the cluster is known.
//!
//! Serialized as proto3 JSON in the field order of the proto's declarations
//! (`continuous_validation_logging.proto`, which is also the order of platform-policies §2.2):
//! Cloud Logging's viewer reorders fields (the §2.3 sample), so vouch fixes one order and keeps
//! it. Empty strings, absent messages and zero enum values are omitted; indexes are decimal
//! strings. The `LogEntry` wrapper writes `logName`, `resource`, `jsonPayload` (with `@type`
//! first, as proto3 JSON writes an `Any`), `timestamp`, `severity` — the order of LogEntry's
//! declarations; `insertId` and `receiveTimestamp` are Cloud Logging's and never written.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::decision::platform::{PlatformDetail, ScopeResult};
use crate::error::Error;
use crate::policy::platform::ClusterEvaluationMode;
use crate::read::wire::wire_enum;
use crate::request::ContainerType;
use crate::time::Timestamp;

/// `jsonPayload["@type"]` of a CV log entry.
pub const CV_EVENT_TYPE: &str =
    "type.googleapis.com/google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent";
/// The log id of CV entries (`logName` is `projects/<project>/logs/` + this).
pub const CV_LOG_ID: &str = "binaryauthorization.googleapis.com%2Fcontinuous_validation";

/// What continuous validation reports for one snapshot: the log entries CV would write, the
/// results it could not evaluate, and a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CvReport {
    /// One configuration error event per bound policy that was not given (binding order), then
    /// one entry per violated policy per Pod: Pods in snapshot order, policies in monitoring
    /// order.
    pub entries: Vec<CvEntry>,
    /// Pods skipped and checks that ended in ERROR: CV logs neither, vouch never drops them.
    pub errors: Vec<CvError>,
    /// Counts.
    pub summary: CvSummary,
}

impl CvReport {
    /// The report JSON (compact, fixed field order).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as a JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// One log line: Cloud Logging's `LogEntry` when the cluster is known, else the bare event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CvEntry {
    /// The event inside its `LogEntry`.
    Logged(Box<LogEntry>),
    /// The bare `ContinuousValidationEvent`.
    Event(ContinuousValidationEvent),
}

impl CvEntry {
    /// The line as CV would log it (compact JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The event, wrapped or not.
    pub fn event(&self) -> &ContinuousValidationEvent {
        match self {
            CvEntry::Logged(entry) => &entry.json_payload.event,
            CvEntry::Event(event) => event,
        }
    }
}

/// Cloud Logging's `LogEntry` for a CV event (platform-policies §2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// `projects/<project>/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation`.
    pub log_name: String,
    /// The cluster.
    pub resource: MonitoredResource,
    /// The event, with its `@type`.
    pub json_payload: JsonPayload,
    /// When the event was produced (`now`).
    pub timestamp: Timestamp,
    /// Always `WARNING`.
    pub severity: &'static str,
}

/// `resource` of a CV log entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonitoredResource {
    /// Always `k8s_cluster`.
    #[serde(rename = "type")]
    pub resource_type: &'static str,
    /// The cluster's labels.
    pub labels: ClusterLabels,
}

/// `resource.labels` of a `k8s_cluster`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterLabels {
    /// The cluster's project id.
    pub project_id: String,
    /// The cluster's location (zone or region).
    pub location: String,
    /// The cluster's name.
    pub cluster_name: String,
}

/// `jsonPayload`: the event with its `@type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonPayload {
    /// [`CV_EVENT_TYPE`].
    #[serde(rename = "@type")]
    pub type_url: &'static str,
    /// The event's fields.
    #[serde(flatten)]
    pub event: ContinuousValidationEvent,
}

/// `ContinuousValidationEvent`: a Pod event or a configuration error event (a oneof).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContinuousValidationEvent {
    /// `podEvent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_event: Option<PodEvent>,
    /// `configErrorEvent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_error_event: Option<ConfigErrorEvent>,
}

wire_enum! {
    /// `PolicyConformanceVerdict` (its zero value is never produced).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum PolicyConformanceVerdict {
        /// The Pod violates the policy.
        ViolatesPolicy = "VIOLATES_POLICY",
    }
}

wire_enum! {
    /// `AuditResult` of an image (CV logs only `DENY`; `ALLOW` exists in the proto).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum AuditResult {
        /// The image is allowed.
        Allow = "ALLOW",
        /// The image is denied.
        Deny = "DENY",
    }
}

wire_enum! {
    /// `CheckVerdict` of a logged check (only `NON_CONFORMANT` exists besides the zero value).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum CvCheckVerdict {
        /// The check was evaluated and the image does not satisfy it.
        NonConformant = "NON_CONFORMANT",
    }
}

/// `ContinuousValidationPodEvent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodEvent {
    /// The Pod's namespace.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_namespace: String,
    /// The Pod's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod: String,
    /// The policy's name as bound (or as the caller named it).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub policy_name: String,
    /// `metadata.creationTimestamp`, else `status.startTime`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deploy_time: Option<Timestamp>,
    /// For a terminated Pod, its containers' latest `finishedAt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
    /// Always `VIOLATES_POLICY`.
    pub verdict: PolicyConformanceVerdict,
    /// Only the images that violate the policy, in Pod order.
    pub images: Vec<ImageDetails>,
}

/// `ImageDetails`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageDetails {
    /// The image string exactly as the Pod gives it.
    pub image: String,
    /// The container's name (omitted for an image volume).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The container's type (omitted for an image volume: the proto has no value for it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_type: Option<ContainerType>,
    /// Always `DENY`.
    pub result: AuditResult,
    /// Why (vouch's wording; informative).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Only the NON_CONFORMANT checks, in check order.
    pub check_results: Vec<CvCheckResult>,
}

/// `ImageDetails.CheckResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CvCheckResult {
    /// The check set's index (decimal string).
    pub check_set_index: String,
    /// The check set's `displayName`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub check_set_name: String,
    /// The check set's scope; omitted for the default set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_set_scope: Option<ScopeResult>,
    /// The check's index in its set (decimal string).
    pub check_index: String,
    /// The check's `displayName`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub check_name: String,
    /// `TrustedDirectoryCheck`, …, `AlwaysDeny`.
    pub check_type: String,
    /// Always `NON_CONFORMANT`.
    pub verdict: CvCheckVerdict,
    /// GCP's explanation template.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub explanation: String,
}

/// `ConfigErrorEvent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigErrorEvent {
    /// `Cannot monitor cluster '<location>.<cluster>': Resource <policy> does not exist.`
    pub description: String,
}

wire_enum! {
    /// What an entry of [`CvReport::errors`] is about.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum CvErrorKind {
        /// A Pod of the snapshot could not be read and was not evaluated.
        PodSkipped = "POD_SKIPPED",
        /// A check ended in ERROR (whatever the image's folded verdict).
        CheckError = "CHECK_ERROR",
        /// An image ended in ERROR without a check saying why.
        ImageError = "IMAGE_ERROR",
    }
}

/// A result CV does not log: a skipped Pod, or an ERROR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CvError {
    /// What it is about.
    pub kind: CvErrorKind,
    /// The policy (omitted for a skipped Pod).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// The Pod's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_namespace: Option<String>,
    /// The Pod's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// The image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The container's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    /// The container's type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_type: Option<ContainerType>,
    /// The image volume's name, for an image of `volumes[].image.reference`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// The check set's index (decimal string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_set_index: Option<String>,
    /// The check's index (decimal string).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_index: Option<String>,
    /// The check's `displayName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_name: Option<String>,
    /// The check's type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_type: Option<String>,
    /// The explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// vouch's stable codes for the check's verdict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<PlatformDetail>,
    /// For a skipped Pod: why (`{"code", "path", "message"}`, path into the snapshot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
}

/// What was monitored and counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CvSummary {
    /// The cluster's evaluation mode, when a cluster configuration was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_mode: Option<ClusterEvaluationMode>,
    /// The policies monitored, in order (bound names with a cluster configuration).
    pub monitored_policies: Vec<String>,
    /// Why nothing (or not everything given) is monitored, when that is so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Pods read from the snapshot.
    pub pods: usize,
    /// Pods skipped (each listed in `errors`).
    pub pods_skipped: usize,
    /// Images in the Pods read (each Pod's images, counted once).
    pub images: usize,
    /// Distinct (policy, check set, image) evaluations made: the work done.
    pub evaluations: usize,
    /// Pods violating each monitored policy (one log entry each).
    pub violations: BTreeMap<String, usize>,
    /// Results that ended in ERROR (each listed in `errors`).
    pub errors: usize,
    /// Configuration error events (bound policies not given).
    pub config_errors: usize,
}
