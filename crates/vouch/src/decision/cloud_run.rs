//! The Cloud Run part of a decision (decisions R-2 … R-6): what the resource's Binary
//! Authorization setting made of the request. Absent from the JSON of every Kubernetes
//! decision.

use serde::Serialize;

use crate::policy::RuleKind;
use crate::read::wire::wire_enum;
use crate::request::{CloudRunResource, DigestResolution, DigestSource};

wire_enum! {
    /// How the resource opts in to Binary Authorization (decision R-2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum CloudRunBinauthzMode {
        /// No `run.googleapis.com/binary-authorization` annotation (v2: neither `useDefault`
        /// nor `policy`): Binary Authorization is off for the resource.
        NotEnabled = "NOT_ENABLED",
        /// `default` (v2 `useDefault: true`): the project policy's default rule, allowlist and
        /// system policy.
        Default = "DEFAULT",
        /// A named Cloud Run platform policy (`cloudRunPolicy`).
        NamedPolicy = "NAMED_POLICY",
    }
}

wire_enum! {
    /// Why the project policy did not decide a Cloud Run request.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[non_exhaustive]
    pub enum CloudRunReason {
        /// Binary Authorization is not enabled for the resource: Cloud Run deploys it without
        /// any check, and vouch admits it without evaluating an image.
        BinauthzNotEnabled = "BINARY_AUTHORIZATION_NOT_ENABLED",
        /// The resource names a Cloud Run platform policy that vouch was not given (named
        /// policies are not evaluated yet): vouch cannot decide, and denies unless break-glass
        /// is requested.
        NamedPolicyNotSupplied = "NAMED_POLICY_NOT_SUPPLIED",
    }
}

/// A rule of the project policy that has no effect on Cloud Run (decision R-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredRule {
    /// Which map it is in.
    pub kind: RuleKind,
    /// Its key.
    pub key: String,
}

/// One image under the resolved-digest option (decision R-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestEntry {
    /// The container's name, if it has one.
    pub container: Option<String>,
    /// The image as the resource writes it.
    pub written: String,
    /// The resolved digest as given, `null` when none is known.
    pub resolved: Option<String>,
    /// Where it came from, `null` when none is known.
    pub source: Option<DigestSource>,
    /// What became of the image: `RESOLVED` means the decision's `images[].image` is the
    /// written image's repository with the resolved digest.
    pub result: DigestResolution,
}

/// The Cloud Run part of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudRunDecision {
    /// Service or job.
    pub resource: CloudRunResource,
    /// Its name, when it has one.
    pub name: Option<String>,
    /// How it opts in to Binary Authorization.
    pub binary_authorization: CloudRunBinauthzMode,
    /// The named policy (normalized to `projects/P/platforms/cloudRun/policies/N`); absent
    /// unless `binaryAuthorization` is `NAMED_POLICY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Whether the project policy decided (`DEFAULT`). When `false`, `images` is empty and
    /// `reason` says why.
    pub enforced: bool,
    /// Why the project policy did not decide; absent when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<CloudRunReason>,
    /// The break-glass justification (possibly empty); absent without break-glass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_glass_justification: Option<String>,
    /// The project policy's cluster, namespace, service-account and identity rules, which have
    /// no effect on Cloud Run (in policy order; empty unless `binaryAuthorization` is
    /// `DEFAULT`).
    pub ignored_rules: Vec<IgnoredRule>,
    /// Under the resolved-digest option, one entry per image (in image order); absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_digests: Option<Vec<DigestEntry>>,
}
