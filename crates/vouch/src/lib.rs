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
//! use vouch::{Evaluator, Evidence, Options, Policy, RequestDocument, Timestamp};
//!
//! let policy = Policy::from_text(
//!     "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n\
//!      admissionWhitelistPatterns:\n- namePattern: gcr.io/my-project/tools/*\n",
//! )?;
//! let evaluator = Evaluator::new(policy, Vec::new(), None)?;
//! let request = RequestDocument::for_images(["gcr.io/my-project/tools/kubectl:1.31"]).build()?;
//! let now = Timestamp::parse_rfc3339("2026-11-23T10:00:00Z")?;
//! let decision = evaluator.evaluate(&request, &Evidence::new(), now, Options::default());
//! assert!(decision.allowed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod attestation;
pub mod attestor;
pub mod bundle;
pub mod cache;
pub mod crypto;
pub mod decision;
mod document;
pub mod error;
pub mod evaluate;
pub mod image_ref;
mod kube_yaml;
pub mod limits;
pub mod lint;
pub mod manifest;
mod openpgp;
pub mod pattern;
pub mod policy;
pub mod request;
pub mod signing;
pub mod time;

pub use attestation::Evidence;
pub use attestor::{Attestor, attestors_from_text, attestors_from_value};
pub use bundle::{Bundle, evaluate_bundle, evaluate_bundle_value};
pub use cache::VerificationCache;
pub use crypto::SignatureAlgorithm;
pub use decision::{Decision, DetailCode, Outcome, ReasonCode, Verdict};
pub use document::{parse as parse_document, parse_documents, parse_manifests};
pub use error::{Error, ErrorCode, Subject};
pub use evaluate::{Evaluator, Options};
pub use image_ref::{ImageRef, ImageRefError};
pub use limits::Limits;
pub use lint::{Validation, Warning, WarningCode, lint, validate_policy};
pub use pattern::{Pattern, PatternSet};
pub use policy::{Policy, SystemPolicy};
pub use request::{Request, RequestDocument};
pub use signing::{
    KeyAlgorithm, SigningKey, attestor_resource, create_signature_payload, default_note,
    sign_attestation,
};
pub use time::Timestamp;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme {}

/// The version of this library.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
