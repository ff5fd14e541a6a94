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

pub mod bundle;
pub mod decision;
pub mod error;
pub mod evaluate;
pub mod evidence;
pub mod limits;
pub mod policy;
mod read;
pub mod request;
pub mod time;
pub mod toolkit;
pub mod verify;

pub use bundle::{Bundle, evaluate_bundle, evaluate_bundle_value};
pub use decision::{Decision, DetailCode, Outcome, ReasonCode, Verdict};
pub use error::{Error, ErrorCode};
pub use evaluate::{Evaluator, Options};
pub use evidence::Evidence;
pub use limits::Limits;
pub use policy::pattern::{Pattern, PatternSet};
pub use policy::{Policy, SystemPolicy};
pub use read::document::{parse as parse_document, parse_documents, parse_manifests};
pub use request::image_ref::{ImageRef, ImageRefError};
pub use request::{Request, RequestDocument};
pub use time::Timestamp;
pub use toolkit::lint::{Validation, Warning, WarningCode, lint, validate_policy};
pub use toolkit::signing::{
    KeyAlgorithm, SigningKey, attestor_resource, create_signature_payload, default_note,
    sign_attestation,
};
pub use verify::algorithm::SignatureAlgorithm;
pub use verify::attestor::{Attestor, attestors_from_text, attestors_from_value};
pub use verify::cache::VerificationCache;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme {}

/// The version of this library.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
