//! Image records: Artifact Registry `DockerImage`, Container Registry tag lists.
//!
//! (Skeleton: replaced by the module's owner.)

use serde_json::{Map, Value};

use super::kinds::{IMAGE_RECORD, digest_of_uri};
use super::report::{EvidenceCode, ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;

fn resource_digest(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("resourceUri")
        .and_then(Value::as_str)
        .and_then(digest_of_uri)
        .into_iter()
        .collect()
}

/// An image record.
#[derive(Debug, Clone)]
pub(crate) struct ImageRecord {
    digests: Vec<String>,
}

impl ImageRecord {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, _ctx: &ReportContext<'_>) -> ItemReport {
        ItemReport::new(
            IMAGE_RECORD,
            "",
            ItemStatus::Unsupported,
            EvidenceCode::NotRead.as_str(),
            "this kind of evidence is not read yet",
        )
    }
}

/// Reads one item.
pub(crate) fn parse_record(
    obj: &Map<String, Value>,
    _limits: &Limits,
) -> Result<ImageRecord, String> {
    Ok(ImageRecord {
        digests: resource_digest(obj),
    })
}
