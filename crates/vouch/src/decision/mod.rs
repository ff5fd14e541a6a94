//! The decision: what was decided, under which rule, and why, image by image.
//!
//! Serializes to the contract's decision JSON. Field order is fixed, maps are sorted, and the
//! same input gives the same bytes on every front end.

pub(crate) mod cloud_run;
pub(crate) mod cv;
pub(crate) mod platform;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::policy::{EnforcementMode, EvaluationMode, RuleKind};
use crate::read::wire::wire_enum;

wire_enum! {
    /// The overall outcome.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum Verdict {
        /// Every image is exempt or conforms.
        Allow = "ALLOW",
        /// At least one image violates an enforced rule.
        Deny = "DENY",
        /// Violations under a `DRYRUN_AUDIT_LOG_ONLY` rule: admitted, logged.
        DryRunAllow = "DRY_RUN_ALLOW",
        /// Break-glass: admitted whatever the result, always logged.
        BreakGlassAllow = "BREAK_GLASS_ALLOW",
    }
}

wire_enum! {
    /// What happened to one image.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum Outcome {
        /// Exempt by the system policy or the allowlist; no rule evaluated.
        Exempt = "EXEMPT",
        /// The rule's requirements hold.
        Conformant = "CONFORMANT",
        /// The rule's requirements do not hold.
        Violation = "VIOLATION",
    }
}

wire_enum! {
    /// Which allowlist exempted an image.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum ExemptionSource {
        /// The system policy (global policy evaluation).
        SystemPolicy = "SYSTEM_POLICY",
        /// The project policy's `admissionWhitelistPatterns`.
        Allowlist = "ALLOWLIST",
    }
}

wire_enum! {
    /// Where the system policy came from, when it was consulted.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum SystemPolicySource {
        /// Supplied by the caller.
        Caller = "CALLER",
        /// vouch's built-in list of documented GKE system images.
        BuiltIn = "BUILT_IN",
    }
}

wire_enum! {
    /// Why an image violates.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[non_exhaustive]
    pub enum ReasonCode {
        /// The rule is `ALWAYS_DENY`.
        AlwaysDeny = "ALWAYS_DENY",
        /// The rule needs attestations and the image has no sha256 digest.
        NotDigestPinned = "NOT_DIGEST_PINNED",
        /// A required attestor has no valid attestation for the image's digest.
        NoValidAttestation = "NO_VALID_ATTESTATION",
    }
}

wire_enum! {
    /// Why one candidate attestation (or the attestor itself) did not count.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[non_exhaustive]
    pub enum DetailCode {
        /// The signature names a key id the attestor does not list.
        UnknownKeyId = "UNKNOWN_KEY_ID",
        /// The signature does not verify with the key it names.
        BadSignature = "BAD_SIGNATURE",
        /// The payload's `docker-manifest-digest` is not the image's digest.
        DigestMismatch = "DIGEST_MISMATCH",
        /// Strict identity: the payload's `docker-reference` is not the image's repository.
        IdentityMismatch = "IDENTITY_MISMATCH",
        /// The payload is not a simple-signing document.
        MalformedPayload = "MALFORMED_PAYLOAD",
        /// The occurrence or a signature is malformed (missing payload, bad base64, …).
        MalformedAttestation = "MALFORMED_ATTESTATION",
        /// The key's algorithm is not verified by this build.
        UnsupportedAlgorithm = "UNSUPPORTED_ALGORITHM",
        /// The occurrence uses a form vouch does not verify (JWT-only, unknown content type).
        UnsupportedAttestationFormat = "UNSUPPORTED_ATTESTATION_FORMAT",
        /// The attestor has no keys, so nothing can verify.
        NoKeys = "NO_KEYS",
        /// The verification budget (per attestor and image, or per decision) was spent before
        /// this candidate: it and the candidates after it were not tried, and do not count.
        NotTriedBudget = "NOT_TRIED_BUDGET",
        /// OpenPGP: the signing key or subkey (or its primary key) is revoked.
        PgpKeyRevoked = "PGP_KEY_REVOKED",
        /// OpenPGP: the signing key or subkey (or its primary key) has expired at `now`.
        PgpKeyExpired = "PGP_KEY_EXPIRED",
        /// OpenPGP: the signing key or subkey is not marked for signing.
        PgpKeyNotForSigning = "PGP_KEY_NOT_FOR_SIGNING",
        /// OpenPGP: the signing key or subkey has no valid self- or binding signature at `now`.
        PgpKeyUnbound = "PGP_KEY_UNBOUND",
        /// OpenPGP: the signature has expired at `now`.
        PgpSignatureExpired = "PGP_SIGNATURE_EXPIRED",
        /// OpenPGP: the signature is dated after `now` (beyond the allowed clock skew).
        PgpSignatureInFuture = "PGP_SIGNATURE_IN_FUTURE",
        /// OpenPGP: the signature is dated before its key was created.
        PgpSignatureBeforeKey = "PGP_SIGNATURE_BEFORE_KEY",
        /// OpenPGP: the signature has a critical subpacket vouch does not understand.
        PgpUnknownCriticalSubpacket = "PGP_UNKNOWN_CRITICAL_SUBPACKET",
        /// OpenPGP: compressed data inflates beyond the decompression limit.
        PgpDecompressedTooLarge = "PGP_DECOMPRESSED_TOO_LARGE",
        /// `maxAttestationAge`: the attestation was signed longer ago than the limit (by its
        /// signed time, or by the occurrence's `createTime` when the caller trusts it).
        AttestationTooOld = "ATTESTATION_TOO_OLD",
        /// `maxAttestationAge`: the payload has no signed time (`optional.timestamp`), and the
        /// caller does not trust occurrence times (or the occurrence has no `createTime`).
        NoSignedTime = "NO_SIGNED_TIME",
        /// `maxAttestationAge`: the signed time is more than 5 minutes after `now`.
        SignedTimeInFuture = "SIGNED_TIME_IN_FUTURE",
    }
}

wire_enum! {
    /// Which time the freshness rule (`maxAttestationAge`) measured an attestation's age from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum TimeSource {
        /// The payload's `optional.timestamp`, covered by the signature.
        SignedPayload = "SIGNED_PAYLOAD",
        /// The occurrence's `createTime`: recorded by the store, not signed; used only because
        /// the caller opted in (`trustOccurrenceTime`).
        OccurrenceCreateTime = "OCCURRENCE_CREATE_TIME",
    }
}

impl fmt::Display for DetailCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

wire_enum! {
    /// Which bytes a signature covered.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum SignedForm {
        /// The raw `serializedPayload`.
        Raw = "RAW",
        /// `PAE("application/vnd.dev.cosign.simplesigning.v1+json", payload)`.
        Pae = "PAE",
    }
}

/// The rule that applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleRef {
    /// Which map it came from.
    pub kind: RuleKind,
    /// Its key (`null` for the default rule).
    pub key: Option<String>,
    /// Its evaluation mode.
    #[serde(serialize_with = "ser_eval")]
    pub evaluation_mode: EvaluationMode,
    /// Its enforcement mode.
    #[serde(serialize_with = "ser_enf")]
    pub enforcement_mode: EnforcementMode,
}

fn ser_eval<S: Serializer>(m: &EvaluationMode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.as_str())
}

fn ser_enf<S: Serializer>(m: &EnforcementMode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.as_str())
}

/// The allowlist entry that exempted an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exemption {
    /// System policy or project allowlist.
    pub source: ExemptionSource,
    /// The pattern that matched (the first in list order).
    pub pattern: String,
}

/// Why a candidate attestation did not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detail {
    /// The occurrence's `name`, or `#N` (its 0-based position in the attestations) when it has
    /// none; `null` for details about the attestor itself (`NO_KEYS`).
    pub occurrence: Option<String>,
    /// The stable code.
    pub code: DetailCode,
    /// Human explanation (informative).
    pub message: String,
}

/// Why an image violates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The stable code.
    pub code: ReasonCode,
    /// The attestor concerned, for attestation reasons.
    pub attestor: Option<String>,
    /// GCP's wording where known (informative).
    pub message: String,
    /// Why each candidate attestation did not count, in attestation order.
    pub details: Vec<Detail>,
}

/// One required attestor's result for an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestorResult {
    /// The attestor's name.
    pub attestor: String,
    /// Whether a valid attestation was found.
    pub satisfied: bool,
    /// The occurrence that satisfied it.
    pub occurrence: Option<String>,
    /// The key that verified it.
    pub key_id: Option<String>,
    /// Which bytes that key signed.
    pub signed_form: Option<SignedForm>,
    /// Under `maxAttestationAge`: when the satisfying attestation was signed (absent from the
    /// JSON otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_time: Option<crate::time::Timestamp>,
    /// Under `maxAttestationAge`: where `signedTime` came from (absent from the JSON
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_source: Option<TimeSource>,
}

/// The result for one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageResult {
    /// The image as written.
    pub image: String,
    /// The container's name, when a workload was given.
    pub container: Option<String>,
    /// The image volume's name, when the image is a workload's image volume
    /// (`volumes[].image.reference`); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Exempt, conformant or violation.
    pub outcome: Outcome,
    /// What exempted it.
    pub exemption: Option<Exemption>,
    /// Why it violates (empty otherwise).
    pub reasons: Vec<Reason>,
    /// Each required attestor's result, in policy order (empty unless the rule requires
    /// attestations and the image is not exempt).
    pub attestors: Vec<AttestorResult>,
}

/// The decision for one deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// False only for `DENY`.
    pub allowed: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// The rule that applied.
    pub rule: RuleRef,
    /// One entry per image, in workload order (init containers, containers, ephemeral
    /// containers) or request order.
    pub images: Vec<ImageResult>,
    /// The denial (or overridden denial) text, `null` when nothing violated.
    pub message: Option<String>,
    /// Audit labels GKE would attach, sorted by key.
    pub audit_annotations: BTreeMap<String, String>,
    /// Where the system policy came from, `null` when it was not consulted.
    pub system_policy_source: Option<SystemPolicySource>,
    /// What the cluster's Binary Authorization configuration made of the request (decision
    /// P-12); absent from the JSON when the caller gave no cluster configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterDecision>,
    /// What a Cloud Run service's or job's Binary Authorization setting made of the request
    /// (decisions R-2 … R-6); absent from the JSON for a Kubernetes request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_run: Option<cloud_run::CloudRunDecision>,
}

wire_enum! {
    /// Why a cluster admitted a request without the project policy deciding (decision P-12).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum ClusterReason {
        /// `evaluationMode: DISABLED`: Binary Authorization is off for the cluster.
        ClusterDisabled = "CLUSTER_DISABLED",
        /// `evaluationMode: POLICY_BINDINGS`: the cluster only monitors its bound platform
        /// policies (continuous validation); admission is not gated.
        ClusterMonitorsOnly = "CLUSTER_MONITORS_ONLY",
    }
}

/// The cluster's part in a decision (decision P-12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterDecision {
    /// The cluster's `evaluationMode`.
    pub evaluation_mode: crate::policy::platform::ClusterEvaluationMode,
    /// Whether the project policy decided admission (`PROJECT_SINGLETON_POLICY_ENFORCE` and
    /// `POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE`). When `false` the request is
    /// admitted, `images` is empty and `rule` only names the rule that would have applied.
    pub enforced: bool,
    /// Why the request was admitted without the project policy, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ClusterReason>,
    /// The platform policies the cluster monitors (its bindings; empty unless the mode is one
    /// of the `POLICY_BINDINGS` modes). Monitoring never gates admission: `vouch cv`.
    pub monitored_policies: Vec<String>,
}

impl Decision {
    /// The contract's decision JSON (compact, fixed field order).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The decision as a JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Audit annotation: break-glass was used.
pub const ANNOTATION_BREAK_GLASS: &str = "imagepolicywebhook.image-policy.k8s.io/break-glass";
/// Audit annotation: a dry-run rule admitted a violation.
pub const ANNOTATION_DRY_RUN: &str = "imagepolicywebhook.image-policy.k8s.io/dry-run";
/// Audit annotation: the violations that break-glass or dry run overrode.
pub const ANNOTATION_OVERRIDDEN: &str =
    "imagepolicywebhook.image-policy.k8s.io/overridden-verification-result";

/// GCP's reason text for `ALWAYS_DENY`.
pub const MSG_ALWAYS_DENY: &str = "Denied by always_deny admission rule";
/// GCP's reason text for images without a sha256 digest under an attestation rule.
pub const MSG_NOT_DIGEST_PINNED: &str =
    "Expected digest with sha256 scheme, but got tag or malformed digest";
/// GCP's reason text when an attestor has no valid attestation.
pub const MSG_NO_VALID_ATTESTATION: &str =
    "No attestations found that were valid and signed by a key trusted by the attestor";
