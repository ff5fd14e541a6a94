//! cosign signatures and sigstore bundles.
//!
//! (Skeleton: replaced by the module's owner.)

use serde_json::{Map, Value};

use super::kinds::{COSIGN_SIGNATURE, SIGSTORE_BUNDLE, digest_of_uri};
use super::report::{EvidenceCode, ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;

fn resource_digest(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("resourceUri")
        .and_then(Value::as_str)
        .and_then(digest_of_uri)
        .into_iter()
        .collect()
}

/// A legacy cosign signature.
#[derive(Debug, Clone)]
pub(crate) struct CosignSignature {
    digests: Vec<String>,
}

impl CosignSignature {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, _ctx: &ReportContext<'_>) -> ItemReport {
        ItemReport::new(
            COSIGN_SIGNATURE,
            "",
            ItemStatus::Unsupported,
            EvidenceCode::NotRead.as_str(),
            "this kind of evidence is not read yet",
        )
    }
}

/// Reads one item.
pub(crate) fn parse_cosign(
    obj: &Map<String, Value>,
    _limits: &Limits,
) -> Result<CosignSignature, String> {
    Ok(CosignSignature {
        digests: resource_digest(obj),
    })
}

/// A sigstore bundle.
#[derive(Debug, Clone)]
pub(crate) struct Bundle {
    digests: Vec<String>,
}

impl Bundle {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, _ctx: &ReportContext<'_>) -> ItemReport {
        ItemReport::new(
            SIGSTORE_BUNDLE,
            "",
            ItemStatus::Unsupported,
            EvidenceCode::NotRead.as_str(),
            "this kind of evidence is not read yet",
        )
    }
}

/// Reads one item.
pub(crate) fn parse_bundle(obj: &Map<String, Value>, _limits: &Limits) -> Result<Bundle, String> {
    Ok(Bundle {
        digests: resource_digest(obj),
    })
}
