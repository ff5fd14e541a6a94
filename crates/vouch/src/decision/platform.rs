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
    /// Stable codes for why a check allowed, did not allow, or could not be evaluated
    /// (`docs/errors.md` lists them with their meanings).
    #[non_exhaustive]
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum PlatformDetailCode {
        /// `alwaysDeny` was reached: the check never allows.
        AlwaysDeny = "ALWAYS_DENY",
        /// The image has no sha256 digest, the check needs one, and no tag resolution was given (decision P-4).
        NoDigest = "NO_DIGEST",
        /// The image names a tag only; the check used the digest the caller's tag resolution gives (decision P-4).
        DigestResolved = "DIGEST_RESOLVED",
        /// The image lies in a directory a `trustedDirPatterns` entry matches (the message names it).
        InTrustedDirectory = "IN_TRUSTED_DIRECTORY",
        /// No `trustedDirPatterns` entry matches the image's directory.
        NotInTrustedDirectory = "NOT_IN_TRUSTED_DIRECTORY",
        /// The image was uploaded at most `maxUploadAgeDays` days before now (the message gives the upload time and its record).
        ImageFresh = "IMAGE_FRESH",
        /// The image was uploaded more than `maxUploadAgeDays` × 86,400 seconds before now (decision P-6).
        ImageTooOld = "IMAGE_TOO_OLD",
        /// No image record gives an upload time for the image's digest (or, for a tag-only image, its repository and tag), so freshness cannot be judged (decision P-6).
        NoUploadTime = "NO_UPLOAD_TIME",
        /// An `ATTESTATION` occurrence in a listed project verified with an authenticator's key and names the image digest (the message names occurrence, authenticator, key and signed form).
        AttestationVerified = "ATTESTATION_VERIFIED",
        /// An `ATTESTATION` occurrence for the image in a listed project does not count; the message names it and gives the attestation detail code (`BAD_SIGNATURE`, `DIGEST_MISMATCH`, `UNKNOWN_KEY_ID`, …).
        AttestationRejected = "ATTESTATION_REJECTED",
        /// No `ATTESTATION` occurrence for the image in a listed project verified with any authenticator's key.
        NoVerifiedAttestation = "NO_VERIFIED_ATTESTATION",
        /// Evidence for the image lies outside the check's listed projects (or names no project) and was not counted; the message says how many items.
        OutsideProjects = "OUTSIDE_PROJECTS",
        /// The verification budget for the check or the image ran out before every candidate was checked; what was not checked does not count.
        NotTriedBudget = "NOT_TRIED_BUDGET",
        /// A cosign signature or sigstore bundle for the image verified with a key of a sigstore authority (the message names the item and key).
        SigstoreSignatureVerified = "SIGSTORE_SIGNATURE_VERIFIED",
        /// A cosign signature or sigstore bundle for the image does not count; the message names it and gives the evidence report code (`SIGSTORE_BAD_SIGNATURE`, …).
        SigstoreSignatureRejected = "SIGSTORE_SIGNATURE_REJECTED",
        /// No cosign signature or sigstore bundle for the image verified with any sigstore authority's key.
        NoVerifiedSigstoreSignature = "NO_VERIFIED_SIGSTORE_SIGNATURE",
        /// A `BUILD` occurrence in the rule's projects verified with a Cloud Build (or caller) key, names the image digest, and meets the rule's builder, source and configuration requirements (the message names rule and occurrence).
        SlsaRuleSatisfied = "SLSA_RULE_SATISFIED",
        /// A `BUILD` occurrence for the image in a rule's projects does not verify or does not name the image; the message names it and gives the evidence report code (`DSSE_BAD_SIGNATURE`, …).
        ProvenanceRejected = "PROVENANCE_REJECTED",
        /// Verified provenance names a builder that is not a Google Cloud Build hosted worker.
        BuilderNotTrusted = "BUILDER_NOT_TRUSTED",
        /// Verified provenance names a source repository no `trustedSourceRepoPatterns` entry matches (or none).
        SourceRepoNotTrusted = "SOURCE_REPO_NOT_TRUSTED",
        /// The rule sets `configBasedBuildRequired` and verified provenance shows a build from inline steps, not a build configuration file.
        NotConfigBasedBuild = "NOT_CONFIG_BASED_BUILD",
        /// No rule of the SLSA check is met by verified provenance for the image.
        NoVerifiedProvenance = "NO_VERIFIED_PROVENANCE",
        /// A rule sets `customConstraints` (CEL), which vouch does not evaluate: the rule is an error, never silently passed (decision P-9).
        CustomConstraintsUnsupported = "CUSTOM_CONSTRAINTS_UNSUPPORTED",
        /// A valid scan exists and no finding in a listed project violates the thresholds or the blocked CVEs.
        NoVulnerabilityViolation = "NO_VULNERABILITY_VIOLATION",
        /// No `DISCOVERY` occurrence for the image in a listed project has `analysisStatus` `FINISHED_SUCCESS` (or `COMPLETE`) (decision P-5).
        NoValidScan = "NO_VALID_SCAN",
        /// A finding's CVE (the last segment of its `noteName`) is in `blockedCves` and not in `allowedCves`.
        VulnerabilityBlockedCve = "VULNERABILITY_BLOCKED_CVE",
        /// A finding's severity exceeds the threshold for its fixability (`SEVERITY_UNSPECIFIED` passes only `ALLOW_ALL`).
        VulnerabilityOverThreshold = "VULNERABILITY_OVER_THRESHOLD",
        /// A finding's CVE is in `allowedCves`, so it was not counted (even if blocked or over the threshold).
        VulnerabilityAllowedCve = "VULNERABILITY_ALLOWED_CVE",
        /// A vulnerability finding or scan for the image in a listed project could not be read, so the check cannot be evaluated.
        VulnerabilityUnreadable = "VULNERABILITY_UNREADABLE",
        /// The check had more details than it lists; the message says how many were left out.
        DetailsTruncated = "DETAILS_TRUNCATED",
    }
}

impl PlatformDetailCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [PlatformDetailCode] = &[
        PlatformDetailCode::AlwaysDeny,
        PlatformDetailCode::NoDigest,
        PlatformDetailCode::DigestResolved,
        PlatformDetailCode::InTrustedDirectory,
        PlatformDetailCode::NotInTrustedDirectory,
        PlatformDetailCode::ImageFresh,
        PlatformDetailCode::ImageTooOld,
        PlatformDetailCode::NoUploadTime,
        PlatformDetailCode::AttestationVerified,
        PlatformDetailCode::AttestationRejected,
        PlatformDetailCode::NoVerifiedAttestation,
        PlatformDetailCode::OutsideProjects,
        PlatformDetailCode::NotTriedBudget,
        PlatformDetailCode::SigstoreSignatureVerified,
        PlatformDetailCode::SigstoreSignatureRejected,
        PlatformDetailCode::NoVerifiedSigstoreSignature,
        PlatformDetailCode::SlsaRuleSatisfied,
        PlatformDetailCode::ProvenanceRejected,
        PlatformDetailCode::BuilderNotTrusted,
        PlatformDetailCode::SourceRepoNotTrusted,
        PlatformDetailCode::NotConfigBasedBuild,
        PlatformDetailCode::NoVerifiedProvenance,
        PlatformDetailCode::CustomConstraintsUnsupported,
        PlatformDetailCode::NoVulnerabilityViolation,
        PlatformDetailCode::NoValidScan,
        PlatformDetailCode::VulnerabilityBlockedCve,
        PlatformDetailCode::VulnerabilityOverThreshold,
        PlatformDetailCode::VulnerabilityAllowedCve,
        PlatformDetailCode::VulnerabilityUnreadable,
        PlatformDetailCode::DetailsTruncated,
    ];

    /// What the code means (the list in `docs/errors.md`).
    pub fn description(self) -> &'static str {
        use PlatformDetailCode as C;
        match self {
            C::AlwaysDeny => "`alwaysDeny` was reached: the check never allows.",
            C::NoDigest => {
                "The image has no sha256 digest, the check needs one, and no tag resolution was given (decision P-4)."
            }
            C::DigestResolved => {
                "The image names a tag only; the check used the digest the caller's tag resolution gives (decision P-4)."
            }
            C::InTrustedDirectory => {
                "The image lies in a directory a `trustedDirPatterns` entry matches (the message names it)."
            }
            C::NotInTrustedDirectory => {
                "No `trustedDirPatterns` entry matches the image's directory."
            }
            C::ImageFresh => {
                "The image was uploaded at most `maxUploadAgeDays` days before now (the message gives the upload time and its record)."
            }
            C::ImageTooOld => {
                "The image was uploaded more than `maxUploadAgeDays` × 86,400 seconds before now (decision P-6)."
            }
            C::NoUploadTime => {
                "No image record gives an upload time for the image's digest (or, for a tag-only image, its repository and tag), so freshness cannot be judged (decision P-6)."
            }
            C::AttestationVerified => {
                "An `ATTESTATION` occurrence in a listed project verified with an authenticator's key and names the image digest (the message names occurrence, authenticator, key and signed form)."
            }
            C::AttestationRejected => {
                "An `ATTESTATION` occurrence for the image in a listed project does not count; the message names it and gives the attestation detail code (`BAD_SIGNATURE`, `DIGEST_MISMATCH`, `UNKNOWN_KEY_ID`, …)."
            }
            C::NoVerifiedAttestation => {
                "No `ATTESTATION` occurrence for the image in a listed project verified with any authenticator's key."
            }
            C::OutsideProjects => {
                "Evidence for the image lies outside the check's listed projects (or names no project) and was not counted; the message says how many items."
            }
            C::NotTriedBudget => {
                "The verification budget for the check or the image ran out before every candidate was checked; what was not checked does not count."
            }
            C::SigstoreSignatureVerified => {
                "A cosign signature or sigstore bundle for the image verified with a key of a sigstore authority (the message names the item and key)."
            }
            C::SigstoreSignatureRejected => {
                "A cosign signature or sigstore bundle for the image does not count; the message names it and gives the evidence report code (`SIGSTORE_BAD_SIGNATURE`, …)."
            }
            C::NoVerifiedSigstoreSignature => {
                "No cosign signature or sigstore bundle for the image verified with any sigstore authority's key."
            }
            C::SlsaRuleSatisfied => {
                "A `BUILD` occurrence in the rule's projects verified with a Cloud Build (or caller) key, names the image digest, and meets the rule's builder, source and configuration requirements (the message names rule and occurrence)."
            }
            C::ProvenanceRejected => {
                "A `BUILD` occurrence for the image in a rule's projects does not verify or does not name the image; the message names it and gives the evidence report code (`DSSE_BAD_SIGNATURE`, …)."
            }
            C::BuilderNotTrusted => {
                "Verified provenance names a builder that is not a Google Cloud Build hosted worker."
            }
            C::SourceRepoNotTrusted => {
                "Verified provenance names a source repository no `trustedSourceRepoPatterns` entry matches (or none)."
            }
            C::NotConfigBasedBuild => {
                "The rule sets `configBasedBuildRequired` and verified provenance shows a build from inline steps, not a build configuration file."
            }
            C::NoVerifiedProvenance => {
                "No rule of the SLSA check is met by verified provenance for the image."
            }
            C::CustomConstraintsUnsupported => {
                "A rule sets `customConstraints` (CEL), which vouch does not evaluate: the rule is an error, never silently passed (decision P-9)."
            }
            C::NoVulnerabilityViolation => {
                "A valid scan exists and no finding in a listed project violates the thresholds or the blocked CVEs."
            }
            C::NoValidScan => {
                "No `DISCOVERY` occurrence for the image in a listed project has `analysisStatus` `FINISHED_SUCCESS` (or `COMPLETE`) (decision P-5)."
            }
            C::VulnerabilityBlockedCve => {
                "A finding's CVE (the last segment of its `noteName`) is in `blockedCves` and not in `allowedCves`."
            }
            C::VulnerabilityOverThreshold => {
                "A finding's severity exceeds the threshold for its fixability (`SEVERITY_UNSPECIFIED` passes only `ALLOW_ALL`)."
            }
            C::VulnerabilityAllowedCve => {
                "A finding's CVE is in `allowedCves`, so it was not counted (even if blocked or over the threshold)."
            }
            C::VulnerabilityUnreadable => {
                "A vulnerability finding or scan for the image in a listed project could not be read, so the check cannot be evaluated."
            }
            C::DetailsTruncated => {
                "The check had more details than it lists; the message says how many were left out."
            }
        }
    }
}

/// Every platform-policy detail code with its meaning, in documentation order
/// (`docs/errors.md`).
pub fn platform_detail_codes() -> Vec<(&'static str, &'static str)> {
    PlatformDetailCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.description()))
        .collect()
}

fn as_decimal_string<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}
