//! The result of evaluating a GKE platform policy: Binary Authorization's
//! `EvaluateGkePolicyResponse` (platform-policies §1.7, decision P-10), plus vouch's stable
//! `details` codes beside each check's `explanation` (an extension, omitted when empty).
//!
//! Serialized as proto3 JSON: lowerCamel names, enum names, int64 `index` fields as decimal
//! strings (always written, as CV's log sample writes `"0"`), unset messages and empty strings
//! and lists omitted. Field order is fixed; the same input gives the same bytes everywhere.

use serde::Serialize;

use crate::read::wire::wire_enum;

wire_enum! {
    /// A verdict at any level (response, Pod, image, check). The zero values
    /// (`VERDICT_UNSPECIFIED`, `POD_VERDICT_UNSPECIFIED`, …) are never produced.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum PlatformVerdict {
        /// Exempt, or every check allows.
        Conformant = "CONFORMANT",
        /// At least one check does not allow. Takes precedence over `ERROR`.
        NonConformant = "NON_CONFORMANT",
        /// At least one check could not be evaluated, and none is non-conformant.
        Error = "ERROR",
    }
}

impl PlatformVerdict {
    /// Folds verdicts: any `NON_CONFORMANT` wins, then any `ERROR`, else `CONFORMANT`
    /// (decision P-3).
    pub fn fold<I: IntoIterator<Item = PlatformVerdict>>(verdicts: I) -> PlatformVerdict {
        let mut out = PlatformVerdict::Conformant;
        for v in verdicts {
            match v {
                PlatformVerdict::NonConformant => return PlatformVerdict::NonConformant,
                PlatformVerdict::Error => out = PlatformVerdict::Error,
                PlatformVerdict::Conformant => {}
            }
        }
        out
    }
}

/// `EvaluateGkePolicyResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformResponse {
    /// The fold of every Pod's verdict.
    pub verdict: PlatformVerdict,
    /// One result per Pod (one for a workload or an image list).
    pub results: Vec<PodResult>,
}

impl PlatformResponse {
    /// The response JSON (compact, fixed field order).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The response as a JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `PodResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodResult {
    /// The workload's `metadata.name` (omitted when empty, as `--image` evaluation gives).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pod_name: String,
    /// The Pod's namespace.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kubernetes_namespace: String,
    /// The Pod's service account (`default` when the spec names none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kubernetes_service_account: String,
    /// The fold of the image verdicts.
    pub verdict: PlatformVerdict,
    /// One result per image, in workload order.
    pub image_results: Vec<PlatformImageResult>,
}

/// `ImageResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformImageResult {
    /// The image string exactly as the workload gives it.
    pub image_uri: String,
    /// The image's verdict.
    pub verdict: PlatformVerdict,
    /// Set when `gkePolicy.imageAllowlist` exempted the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowlist_result: Option<AllowlistResult>,
    /// The check set that was evaluated; absent when the image was exempt at policy level or
    /// the policy has no check sets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_set_result: Option<CheckSetResult>,
    /// Why no check set was evaluated, when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// The container's name (a vouch extension used by continuous validation's log entries;
    /// omitted for `--image` evaluation).
    #[serde(skip)]
    pub container_name: Option<String>,
    /// Which list of the pod spec the image came from (used by continuous validation).
    #[serde(skip)]
    pub container_type: Option<crate::request::ContainerType>,
}

/// `AllowlistResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllowlistResult {
    /// The pattern, as written, that matched.
    pub matched_pattern: String,
}

/// A check set's scope as the response writes it (absent for the default set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopeResult {
    /// `kubernetesServiceAccount` (`NAMESPACE:NAME`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_service_account: Option<String>,
    /// `kubernetesNamespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_namespace: Option<String>,
}

/// `CheckSetResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckSetResult {
    /// The set's position in `checkSets` (int64: a decimal string).
    #[serde(serialize_with = "as_decimal_string")]
    pub index: u64,
    /// The set's `displayName`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// The set's scope; absent for the default set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeResult>,
    /// Set when the set's `imageAllowlist` exempted the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowlist_result: Option<AllowlistResult>,
    /// The checks' results, when checks were evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_results: Option<CheckResults>,
    /// Why no check was evaluated, when none was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// `CheckResults`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResults {
    /// One result per check of the set, in order (every check runs).
    pub results: Vec<CheckResult>,
}

/// `CheckResult`, with vouch's `details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The check's position in its set (int64: a decimal string).
    #[serde(serialize_with = "as_decimal_string")]
    pub index: u64,
    /// The check's `displayName`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// The check's type (`TrustedDirectoryCheck`, …, `AlwaysDeny`).
    #[serde(rename = "type")]
    pub check_type: String,
    /// Set when the check's `imageAllowlist` exempted the image (the check then allows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowlist_result: Option<AllowlistResult>,
    /// The check's verdict, when it was evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_result: Option<EvaluationResult>,
    /// GCP's explanation template: `<type> at index <j> with display name "<name>" has
    /// verdict NOT_CONFORMANT. <reason>` for non-conformant checks; informative only.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// vouch's extension: stable codes saying why (omitted when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<PlatformDetail>,
}

/// `EvaluationResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvaluationResult {
    /// The check's verdict.
    pub verdict: PlatformVerdict,
}

/// One stable reason behind a check's verdict (vouch's extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformDetail {
    /// The stable code.
    pub code: PlatformDetailCode,
    /// Human explanation (informative).
    pub message: String,
}

wire_enum! {
    /// Stable codes for why a check allowed, did not allow, or could not be evaluated.
    #[non_exhaustive]
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum PlatformDetailCode {
        /// `alwaysDeny` was reached.
        AlwaysDeny = "ALWAYS_DENY",
        /// The image has no digest and the check needs one (decision P-4).
        NoDigest = "NO_DIGEST",
        /// The image's digest came from the caller's tag resolution (decision P-4).
        DigestResolved = "DIGEST_RESOLVED",
    }
}

fn as_decimal_string<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}
