//! Build provenance: `BUILD` and `DSSE_ATTESTATION` occurrences, in-toto statements, SLSA predicates.
//!
//! (Skeleton: replaced by the module's owner.)

use serde_json::{Map, Value};

use super::kinds::{BUILD, digest_of_uri};
use super::report::{EvidenceCode, ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;

fn resource_digest(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("resourceUri")
        .and_then(Value::as_str)
        .and_then(digest_of_uri)
        .into_iter()
        .collect()
}

/// A provenance or DSSE attestation occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    digests: Vec<String>,
}

impl Build {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, _ctx: &ReportContext<'_>) -> ItemReport {
        ItemReport::new(
            BUILD,
            "",
            ItemStatus::Unsupported,
            EvidenceCode::NotRead.as_str(),
            "this kind of evidence is not read yet",
        )
    }
}

/// Reads one item.
pub(crate) fn parse_build(obj: &Map<String, Value>, _limits: &Limits) -> Result<Build, String> {
    Ok(Build {
        digests: resource_digest(obj),
    })
}

/// Reads one `DSSE_ATTESTATION` occurrence.
pub(crate) fn parse_dsse_attestation(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<Build, String> {
    parse_build(obj, limits)
}
