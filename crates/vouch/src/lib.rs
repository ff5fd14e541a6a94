//! # vouch
//!
//! Offline, deterministic evaluation of Google Binary Authorization policies: should this
//! container image be deployed here?
//!
//! vouch reads Binary Authorization's own formats (the project policy as `gcloud container
//! binauthz policy export` writes it, attestor resources, Grafeas attestation occurrences and
//! simple-signing payloads), verifies the attestations' signatures, and returns the decision
//! with its reasons: which rule applied, which image failed, which attestor was missing, and
//! why each candidate attestation did not count.
//!
//! The library does no I/O and reads no clock: `now` is an input. Loading returns
//! [`Error`] with a stable code and a JSON-pointer path; evaluation never fails and never
//! panics — every problem with evidence becomes a reason in the [`Decision`].
//!
//! ```
//! use vouch::{Evaluator, Evidence, Options, Policy, RequestBuilder, Timestamp};
//!
//! let policy = Policy::from_text(
//!     "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n\
//!      admissionWhitelistPatterns:\n- namePattern: gcr.io/my-project/tools/*\n",
//! )?;
//! let evaluator = Evaluator::new(policy, Vec::new(), None)?;
//! let request = RequestBuilder::for_images(["gcr.io/my-project/tools/kubectl:1.31"]).build()?;
//! let now = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z")?;
//! let decision = evaluator.evaluate(&request, &Evidence::new(), now, Options::default());
//! assert!(decision.allowed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

//! ## Where things are
//!
//! The crate's modules are private; everything below is re-exported at the root, and
//! `docs/architecture.md` maps the modules. Loaders share one convention: `from_text`
//! (YAML or JSON text, default [`Limits`]), `from_text_with_limits` and `from_value`
//! (an already parsed document, explicit limits).

#![warn(missing_docs)]

mod bundle;
mod decision;
mod error;
mod evaluate;
mod evidence;
mod limits;
mod policy;
mod read;
mod replay;
mod request;
mod time;
mod toolkit;
mod verify;

// Loading inputs.
pub use evidence::{
    Evidence, EvidenceCode, EvidenceReport, ImageEvidence, ItemReport, ItemStatus, evidence_codes,
};
pub use limits::{Limits, MAX_PGP_DECOMPRESSED_BYTES};
pub use policy::{
    AdmissionRuleDocument, BUILT_IN_SYSTEM_PATTERNS, CloudRunPolicy, ClusterConfig,
    ClusterEvaluationMode, EnforcementMode, EvaluationMode, GlobalPolicyEvaluationMode, Pattern,
    PatternDocument, PatternError, PatternKind, PatternSet, PlatformPolicy, Policy, PolicyDocument,
    Rule, RuleKind, SystemPolicy, Target,
};
pub use read::document::{parse as parse_document, parse_documents, parse_manifests};
pub use replay::{
    Change, Class, Decided, GroupCounts, LogItem, Logged, MAX_DOCUMENT_BYTES, MAX_ENTRY_BYTES,
    MEMO_CAPACITY, Malformed, ReferenceSource, ReplayMemo, ReplayOutcome, ReplayRecord,
    ReplaySummary, Replayer, SEEN_GENERATION, SeenEntries, SplitError, Violation,
    dedupe_key as replay_dedupe_key, leading_len, line_item, opens_json_lines, split_log,
};
pub use request::audit::{
    AuditEvent, AuditFormat, AuditRead, GDC_LABEL_PREFIX, GKE_LABEL_PREFIX, LoggedOutcome,
    ObjectsDiffer, SkipReason, read_audit_entry,
};
pub use request::image_ref::{ImageRef, ImageRefError};
pub use request::{
    BREAK_GLASS_ANNOTATION, BREAK_GLASS_LABEL, CLOUD_RUN_BINAUTHZ_ANNOTATION,
    CLOUD_RUN_BREAK_GLASS_ANNOTATION, CloudRun, CloudRunApi, CloudRunBinauthz, CloudRunResource,
    ContainerType, DigestResolution, DigestSource, Platform, PodSnapshot, Request, RequestBuilder,
    RequestImage, Resolution, SnapshotPod,
};
pub use time::{Timestamp, TimestampError, format_duration, parse_duration};
pub use verify::algorithm::{KeyType, SignatureAlgorithm};
pub use verify::attestor::{
    Attestor, AttestorDocument, NoteDocument, PkixPublicKeyDocument, PublicKeyDocument,
    attestors_from_text, attestors_from_text_with_limits, attestors_from_value,
};
pub use verify::crypto::ECDSA_BACKEND;
pub use verify::dsse::pae;
pub use verify::key::PublicKey;
pub use verify::trust::{KeySource, RekorKey, SigningMode, TrustMaterial, TrustedKey};

// Evaluating.
pub use bundle::{
    Bundle, continuous_validation, continuous_validation_document, continuous_validation_value,
    continuous_validation_with_limits, evaluate_bundle, evaluate_bundle_value, evaluate_platform,
    evaluate_platform_document, evaluate_platform_value, inspect_evidence,
    inspect_evidence_document, inspect_evidence_value, replay, replay_report, replay_value,
    replayer_from_value,
};
pub use decision::cloud_run::{
    CloudRunBinauthzMode, CloudRunDecision, CloudRunReason, DigestEntry, IgnoredRule,
};
pub use decision::cv::{
    AuditResult, CV_EVENT_TYPE, CV_LOG_ID, ClusterLabels, ConfigErrorEvent,
    ContinuousValidationEvent, CvCheckResult, CvCheckVerdict, CvEntry, CvError, CvErrorKind,
    CvReport, CvSummary, ImageDetails, JsonPayload, LogEntry, MonitoredResource, PodEvent,
    PolicyConformanceVerdict,
};
pub use decision::platform::{
    AllowlistResult, CheckResult, CheckResults, CheckSetResult, EvaluationResult, PlatformDetail,
    PlatformDetailCode, PlatformImageResult, PlatformResponse, PlatformVerdict, PodResult,
    ScopeResult, platform_detail_codes,
};
pub use decision::{
    AttestorResult, ClusterDecision, ClusterReason, Decision, Detail, DetailCode, Exemption,
    ExemptionSource, ImageResult, Outcome, Reason, ReasonCode, RuleRef, SignedForm,
    SystemPolicySource, TimeSource, Verdict,
};
pub use error::{Error, ErrorCode, Subject};
pub use evaluate::cv::CvCluster;
pub use evaluate::platform::PlatformOptions;
pub use evaluate::{Evaluator, Options};
pub use verify::cache::VerificationCache;

// Tools: signing and linting.
pub use toolkit::lint::{
    LintOptions, LintPlatform, Validation, Warning, WarningCode, lint, lint_with, validate_policy,
    validate_policy_with,
};
pub use toolkit::signing::{
    KeyAlgorithm, PAE_PAYLOAD_TYPE, PAYLOAD_TYPE, PrivateKeyPem, SigningKey, attestor_resource,
    create_signature_payload, default_note, sign_attestation,
};

/// Kubernetes manifest files: the objects `kubectl` would read, and the workloads among them.
pub mod manifest {
    pub use crate::request::manifest::{Object, Workload, objects, workloads};
    pub use crate::request::{is_workload, is_workload_kind};
}

/// Hooks for vouch's own tests, fuzz targets and benches. Not part of the API: anything here
/// may change in any release.
#[doc(hidden)]
pub mod internal {
    pub use crate::evidence::{Statement, parse_simple_signing};
    pub use crate::read::bytes::encode_base64;
    pub use crate::request::image_ref::{MAX_PATH_LEN, MAX_TAG_LEN, normalize};
    pub use crate::verify::crypto::{default_key_id, verify_signature};
}

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme {}

/// The version of this library.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
