//! The decision: what was decided, under which rule, and why, image by image.
//!
//! Serializes to the contract's decision JSON. Field order is fixed, maps are sorted, and the
//! same input gives the same bytes on every front end.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::policy::{EnforcementMode, EvaluationMode, RuleKind};

/// The overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Every image is exempt or conforms.
    Allow,
    /// At least one image violates an enforced rule.
    Deny,
    /// Violations under a `DRYRUN_AUDIT_LOG_ONLY` rule: admitted, logged.
    DryRunAllow,
    /// Break-glass: admitted whatever the result, always logged.
    BreakGlassAllow,
}

impl Verdict {
    /// The verdict as written in decision JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "ALLOW",
            Verdict::Deny => "DENY",
            Verdict::DryRunAllow => "DRY_RUN_ALLOW",
            Verdict::BreakGlassAllow => "BREAK_GLASS_ALLOW",
        }
    }
}

/// What happened to one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    /// Exempt by the system policy or the allowlist; no rule evaluated.
    Exempt,
    /// The rule's requirements hold.
    Conformant,
    /// The rule's requirements do not hold.
    Violation,
}

impl Outcome {
    /// The outcome as written in decision JSON (`EXEMPT`, `CONFORMANT`, `VIOLATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Exempt => "EXEMPT",
            Outcome::Conformant => "CONFORMANT",
            Outcome::Violation => "VIOLATION",
        }
    }
}

/// Which allowlist exempted an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExemptionSource {
    /// The system policy (global policy evaluation).
    SystemPolicy,
    /// The project policy's `admissionWhitelistPatterns`.
    Allowlist,
}

/// Where the system policy came from, when it was consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SystemPolicySource {
    /// Supplied by the caller.
    Caller,
    /// vouch's built-in list of documented GKE system images.
    BuiltIn,
}

/// Why an image violates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ReasonCode {
    /// The rule is `ALWAYS_DENY`.
    AlwaysDeny,
    /// The rule needs attestations and the image has no sha256 digest.
    NotDigestPinned,
    /// A required attestor has no valid attestation for the image's digest.
    NoValidAttestation,
}

impl ReasonCode {
    /// The code as written in decision JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::AlwaysDeny => "ALWAYS_DENY",
            ReasonCode::NotDigestPinned => "NOT_DIGEST_PINNED",
            ReasonCode::NoValidAttestation => "NO_VALID_ATTESTATION",
        }
    }
}

/// Why one candidate attestation (or the attestor itself) did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum DetailCode {
    /// The signature names a key id the attestor does not list.
    UnknownKeyId,
    /// The signature does not verify with the key it names.
    BadSignature,
    /// The payload's `docker-manifest-digest` is not the image's digest.
    DigestMismatch,
    /// Strict identity: the payload's `docker-reference` is not the image's repository.
    IdentityMismatch,
    /// The payload is not a simple-signing document.
    MalformedPayload,
    /// The occurrence or a signature is malformed (missing payload, bad base64, …).
    MalformedAttestation,
    /// The key's algorithm is not verified by this build.
    UnsupportedAlgorithm,
    /// The occurrence uses a form vouch does not verify (JWT-only, unknown content type).
    UnsupportedAttestationFormat,
    /// The attestor has no keys, so nothing can verify.
    NoKeys,
    /// The verification budget (per attestor and image, or per decision) was spent before
    /// this candidate: it and the candidates after it were not tried, and do not count.
    NotTriedBudget,
    /// OpenPGP: the signing key or subkey (or its primary key) is revoked.
    PgpKeyRevoked,
    /// OpenPGP: the signing key or subkey (or its primary key) has expired at `now`.
    PgpKeyExpired,
    /// OpenPGP: the signing key or subkey is not marked for signing.
    PgpKeyNotForSigning,
    /// OpenPGP: the signing key or subkey has no valid self- or binding signature at `now`.
    PgpKeyUnbound,
    /// OpenPGP: the signature has expired at `now`.
    PgpSignatureExpired,
    /// OpenPGP: the signature is dated after `now` (beyond the allowed clock skew).
    PgpSignatureInFuture,
    /// OpenPGP: the signature is dated before its key was created.
    PgpSignatureBeforeKey,
    /// OpenPGP: the signature has a critical subpacket vouch does not understand.
    PgpUnknownCriticalSubpacket,
    /// OpenPGP: compressed data inflates beyond the decompression limit.
    PgpDecompressedTooLarge,
}

impl DetailCode {
    /// The code as written in decision JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DetailCode::UnknownKeyId => "UNKNOWN_KEY_ID",
            DetailCode::BadSignature => "BAD_SIGNATURE",
            DetailCode::DigestMismatch => "DIGEST_MISMATCH",
            DetailCode::IdentityMismatch => "IDENTITY_MISMATCH",
            DetailCode::MalformedPayload => "MALFORMED_PAYLOAD",
            DetailCode::MalformedAttestation => "MALFORMED_ATTESTATION",
            DetailCode::UnsupportedAlgorithm => "UNSUPPORTED_ALGORITHM",
            DetailCode::UnsupportedAttestationFormat => "UNSUPPORTED_ATTESTATION_FORMAT",
            DetailCode::NoKeys => "NO_KEYS",
            DetailCode::NotTriedBudget => "NOT_TRIED_BUDGET",
            DetailCode::PgpKeyRevoked => "PGP_KEY_REVOKED",
            DetailCode::PgpKeyExpired => "PGP_KEY_EXPIRED",
            DetailCode::PgpKeyNotForSigning => "PGP_KEY_NOT_FOR_SIGNING",
            DetailCode::PgpKeyUnbound => "PGP_KEY_UNBOUND",
            DetailCode::PgpSignatureExpired => "PGP_SIGNATURE_EXPIRED",
            DetailCode::PgpSignatureInFuture => "PGP_SIGNATURE_IN_FUTURE",
            DetailCode::PgpSignatureBeforeKey => "PGP_SIGNATURE_BEFORE_KEY",
            DetailCode::PgpUnknownCriticalSubpacket => "PGP_UNKNOWN_CRITICAL_SUBPACKET",
            DetailCode::PgpDecompressedTooLarge => "PGP_DECOMPRESSED_TOO_LARGE",
        }
    }
}

impl fmt::Display for DetailCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which bytes a signature covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignedForm {
    /// The raw `serializedPayload`.
    Raw,
    /// `PAE("application/vnd.dev.cosign.simplesigning.v1+json", payload)`.
    Pae,
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
