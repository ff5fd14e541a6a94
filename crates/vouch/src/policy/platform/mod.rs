//! GKE check-based platform policies (`projects/*/platforms/gke/policies/*`): the wire reader,
//! validation and the compiled form that `evaluate/platform.rs` runs.
//!
//! Loading follows decision P-1 (read as gcloud reads it: proto3-JSON names, a scalar where a
//! list is expected becomes a one-element list, integers may be decimal strings, enums by name,
//! unknown keys refused with their path, a list where one message is expected refused with the
//! way to write it) and P-2 (every validation of platform-policies §1.4, each with its own
//! code). The result is immutable and compiled once: patterns parsed, keys decoded.
//!
//! * `load` — text or value → the canonical document (schema form) and the compiled policy.
//! * `validate` — the §1.4 rules that span fields (check-set order and scopes, limits).
//! * `pattern` — the three pattern grammars: `allowPattern` (semantics §6.3),
//!   `trustedDirPatterns` (§6.4), `trustedSourceRepoPatterns`.
//! * `cloud_run` — Cloud Run platform policies (`cloudRunPolicy`, decision R-2), read by the
//!   same walk and compiled into a one-rule policy with inline attestors.
//! * `cluster` — a cluster's `binaryAuthorization` block (decision P-12).

pub(crate) mod cloud_run;
pub(crate) mod cluster;
pub(crate) mod load;
pub(crate) mod pattern;
mod validate;

use std::collections::BTreeSet;

use serde_json::Value;

pub use self::cloud_run::CloudRunPolicy;
pub use self::cluster::{ClusterConfig, ClusterEvaluationMode};
use self::pattern::{AllowPattern, DirectoryPattern, RepoPattern};
use crate::error::Error;
use crate::limits::Limits;
use crate::verify::key::PublicKey;
use crate::verify::trust::TrustedKey;

/// A validated, compiled GKE platform policy. Immutable and cheap to share; evaluate it with
/// [`PlatformPolicy::evaluate`].
#[derive(Debug, Clone)]
pub struct PlatformPolicy {
    /// The policy in canonical schema form (scalars wrapped into lists, integers as numbers),
    /// as `vouch policy lint` prints it.
    pub(crate) canonical: Value,
    /// `name`, when the document has one (output-only in the API; kept for CV's `policyName`).
    pub(crate) name: Option<String>,
    /// `gkePolicy.imageAllowlist`.
    pub(crate) allowlist: Allowlist,
    /// `gkePolicy.checkSets`, in order; when non-empty, the last one is the default set.
    pub(crate) check_sets: Vec<CheckSet>,
}

impl PlatformPolicy {
    /// Loads a platform policy from YAML or JSON text (`gcloud … binauthz policy create
    /// --policy-file` input, or the REST resource).
    pub fn from_text(text: &str) -> Result<PlatformPolicy, Error> {
        PlatformPolicy::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads a platform policy from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<PlatformPolicy, Error> {
        load::from_text(text, limits)
    }

    /// Loads a platform policy from a JSON value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<PlatformPolicy, Error> {
        load::from_value(value, limits)
    }

    /// The policy in canonical schema form: every list a list, every integer a number, no
    /// `null`s (its keys sorted, as `serde_json` keeps them; [`PlatformPolicy::canonical_json`]
    /// writes the schema's order).
    pub fn canonical(&self) -> &Value {
        &self.canonical
    }

    /// The canonical form as compact JSON text, every object's keys in the schema's order
    /// (`name`, `description`, `gkePolicy`, …; `imageAllowlist` before `checkSets`).
    pub fn canonical_json(&self) -> String {
        load::schema_ordered_json(&self.canonical)
    }

    /// The policy's `name`, when the document gave one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// An `imageAllowlist`: the image is exempt if any pattern matches (OR).
#[derive(Debug, Clone, Default)]
pub(crate) struct Allowlist {
    pub(crate) patterns: Vec<AllowPattern>,
}

impl Allowlist {
    /// The first pattern (as written) that matches the image string, if any.
    pub(crate) fn first_match(&self, image: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|p| p.matches(image))
            .map(AllowPattern::as_str)
    }
}

/// Which Pods a check set applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// No scope (or an empty one): the default set, which must be last.
    Default,
    /// `kubernetesNamespace`.
    Namespace(String),
    /// `kubernetesServiceAccount` as written (`NAMESPACE:NAME`), split.
    ServiceAccount {
        /// The namespace part.
        namespace: String,
        /// The service account name.
        name: String,
    },
}

impl Scope {
    /// Whether a Pod in `namespace` running as `service_account` is in scope.
    pub(crate) fn matches(&self, namespace: &str, service_account: &str) -> bool {
        match self {
            Scope::Default => true,
            Scope::Namespace(ns) => ns == namespace,
            Scope::ServiceAccount {
                namespace: ns,
                name,
            } => ns == namespace && name == service_account,
        }
    }
}

/// One `checkSets[]` entry.
#[derive(Debug, Clone)]
pub(crate) struct CheckSet {
    pub(crate) display_name: String,
    pub(crate) scope: Scope,
    pub(crate) allowlist: Option<Allowlist>,
    pub(crate) checks: Vec<Check>,
}

/// One `checks[]` entry: exactly one kind.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub(crate) display_name: String,
    pub(crate) allowlist: Option<Allowlist>,
    pub(crate) kind: CheckKind,
}

/// The seven check kinds of the v1 schema.
#[derive(Debug, Clone)]
pub(crate) enum CheckKind {
    /// `alwaysDeny: true`.
    AlwaysDeny,
    /// `imageFreshnessCheck`.
    ImageFreshness {
        /// `maxUploadAgeDays` (> 0).
        max_upload_age_days: u32,
    },
    /// `simpleSigningAttestationCheck`.
    SimpleSigningAttestation {
        /// `attestationAuthenticators[]` (≥ 1, each with ≥ 1 key).
        authenticators: Vec<Authenticator>,
        /// `containerAnalysisAttestationProjects`: project ids (`projects/` stripped), ≤ 10.
        projects: Vec<String>,
    },
    /// `sigstoreSignatureCheck`.
    SigstoreSignature {
        /// `sigstoreAuthorities[]` (≥ 1, each with ≥ 1 key).
        authorities: Vec<SigstoreAuthority>,
    },
    /// `slsaCheck`: OR of rules.
    Slsa {
        /// `rules[]`.
        rules: Vec<SlsaRule>,
    },
    /// `trustedDirectoryCheck`.
    TrustedDirectory {
        /// `trustedDirPatterns[]` (≥ 1).
        patterns: Vec<DirectoryPattern>,
    },
    /// `vulnerabilityCheck`.
    Vulnerability(VulnerabilityCheck),
}

impl CheckKind {
    /// The check's type as CV logs it (`checkType`) and the evaluate API reports it
    /// (`CheckResult.type`); `AlwaysDeny` is vouch's choice (decision P-11, Q-5).
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            CheckKind::AlwaysDeny => "AlwaysDeny",
            CheckKind::ImageFreshness { .. } => "ImageFreshnessCheck",
            CheckKind::SimpleSigningAttestation { .. } => "SimpleSigningAttestationCheck",
            CheckKind::SigstoreSignature { .. } => "SigstoreSignatureCheck",
            CheckKind::Slsa { .. } => "SlsaCheck",
            CheckKind::TrustedDirectory { .. } => "TrustedDirectoryCheck",
            CheckKind::Vulnerability(_) => "VulnerabilityCheck",
        }
    }
}

/// An `attestationAuthenticators[]` entry: a display name and its PKIX keys.
#[derive(Debug, Clone)]
pub(crate) struct Authenticator {
    pub(crate) display_name: String,
    /// The keys, decoded and checked against their `signatureAlgorithm`; each key's id is its
    /// `keyId`, or the default id derived from the DER key when blank.
    pub(crate) keys: Vec<PublicKey>,
}

/// A `sigstoreAuthorities[]` entry: a display name and its public keys (no key names: every
/// key is tried, decision E-2).
#[derive(Debug, Clone)]
pub(crate) struct SigstoreAuthority {
    pub(crate) display_name: String,
    pub(crate) keys: Vec<TrustedKey>,
}

/// A `slsaCheck.rules[]` entry (`trustedBuilder` is always `GOOGLE_CLOUD_BUILD`: the loader
/// refuses any other).
#[derive(Debug, Clone)]
pub(crate) struct SlsaRule {
    /// `attestationSource.containerAnalysisAttestationProjects`: project ids, ≤ 10.
    pub(crate) projects: Vec<String>,
    pub(crate) config_based_build_required: bool,
    pub(crate) repo_patterns: Vec<RepoPattern>,
    /// `customConstraints` (CEL): never evaluated; a rule with one is ERROR (decision P-9).
    pub(crate) custom_constraints: Option<String>,
}

/// A `vulnerabilityCheck`.
#[derive(Debug, Clone)]
pub(crate) struct VulnerabilityCheck {
    pub(crate) maximum_fixable: Threshold,
    pub(crate) maximum_unfixable: Threshold,
    pub(crate) allowed_cves: BTreeSet<String>,
    pub(crate) blocked_cves: BTreeSet<String>,
    /// `containerAnalysisVulnerabilityProjects`: project ids, ≤ 10.
    pub(crate) projects: Vec<String>,
}

/// `MaximumAllowedSeverity` without its unspecified value (refused at load).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Threshold {
    /// `BLOCK_ALL`: every finding violates.
    BlockAll,
    /// `MINIMAL`.
    Minimal,
    /// `LOW`.
    Low,
    /// `MEDIUM`.
    Medium,
    /// `HIGH`.
    High,
    /// `CRITICAL` (still refuses `SEVERITY_UNSPECIFIED`).
    Critical,
    /// `ALLOW_ALL`: nothing violates by severity, not even `SEVERITY_UNSPECIFIED`.
    AllowAll,
}
