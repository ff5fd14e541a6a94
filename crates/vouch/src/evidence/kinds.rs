//! Which kind of evidence one input object is, and its parsed body.
//!
//! Attestation occurrences (`kind: ATTESTATION`, or no kind) stay in `occurrence.rs`, indexed
//! by (note, digest) for evaluation. Every other kind vouch reads is parsed here into a
//! [`Body`] and indexed by digest; unknown kinds are counted and skipped (decision E-1).

use serde_json::{Map, Value};

use super::report::{EvidenceCode, ItemReport, ItemStatus, ReportContext};
use super::{provenance, record, sigstore, vulnerability};
use crate::limits::Limits;
use crate::time::Timestamp;

/// What one input object is.
pub(crate) enum Shape<'a> {
    /// A Grafeas attestation occurrence (the existing reader).
    Attestation,
    /// Another kind vouch reads.
    Other(&'static str),
    /// An occurrence of a kind vouch does not read.
    Unknown(&'a str),
}

/// The kind of an object: its occurrence `kind`, else its shape.
pub(crate) fn shape(obj: &Map<String, Value>) -> Shape<'_> {
    if let Some(kind) = obj.get("kind").and_then(Value::as_str) {
        return match kind {
            "ATTESTATION" => Shape::Attestation,
            "VULNERABILITY" => Shape::Other(VULNERABILITY),
            "DISCOVERY" => Shape::Other(DISCOVERY),
            "BUILD" => Shape::Other(BUILD),
            "DSSE_ATTESTATION" => Shape::Other(DSSE_ATTESTATION),
            other => Shape::Unknown(other),
        };
    }
    if obj
        .get("mediaType")
        .and_then(Value::as_str)
        .is_some_and(|m| m.starts_with("application/vnd.dev.sigstore.bundle"))
    {
        return Shape::Other(SIGSTORE_BUNDLE);
    }
    if obj.contains_key("Base64Signature")
        || obj
            .get("annotations")
            .is_some_and(|a| a.get("dev.cosignproject.cosign/signature").is_some())
    {
        return Shape::Other(COSIGN_SIGNATURE);
    }
    if obj.contains_key("uploadTime")
        || obj.get("manifest").is_some_and(Value::is_object)
        || (obj.get("package").is_some_and(Value::is_string)
            && obj.get("version").is_some_and(Value::is_string))
        || obj
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.contains("/dockerImages/"))
    {
        return Shape::Other(IMAGE_RECORD);
    }
    Shape::Attestation
}

pub(crate) const VULNERABILITY: &str = "VULNERABILITY";
pub(crate) const DISCOVERY: &str = "DISCOVERY";
pub(crate) const BUILD: &str = "BUILD";
pub(crate) const DSSE_ATTESTATION: &str = "DSSE_ATTESTATION";
pub(crate) const IMAGE_RECORD: &str = "IMAGE_RECORD";
pub(crate) const COSIGN_SIGNATURE: &str = "COSIGN_SIGNATURE";
pub(crate) const SIGSTORE_BUNDLE: &str = "SIGSTORE_BUNDLE";

/// A parsed evidence item other than an attestation.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Vulnerability(vulnerability::Finding),
    Discovery(vulnerability::Scan),
    Build(provenance::Build),
    DsseAttestation(provenance::Build),
    ImageRecord(record::ImageRecord),
    Cosign(sigstore::CosignSignature),
    SigstoreBundle(sigstore::Bundle),
    /// Of a kind vouch reads, but not readable; the reason is kept for the report.
    Malformed {
        kind: &'static str,
        reason: String,
    },
}

/// One evidence item other than an attestation.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    /// The occurrence's `name`, else `#N`.
    pub(crate) label: String,
    /// Grafeas `createTime` (or the record's own time), never trusted as signed.
    pub(crate) recorded_time: Option<Timestamp>,
    pub(crate) body: Body,
    /// The digest of the occurrence's `resourceUri`, under which a malformed item is filed
    /// (so that an image's unreadable finding is seen, never silently dropped).
    malformed_digests: Vec<String>,
}

impl Item {
    /// Parses an object of kind `kind` (from [`shape`]).
    pub(crate) fn parse(
        kind: &'static str,
        obj: &Map<String, Value>,
        position: usize,
        limits: &Limits,
    ) -> Item {
        let label = match obj.get("name").and_then(Value::as_str) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => format!("#{position}"),
        };
        let recorded_time = obj
            .get("createTime")
            .and_then(Value::as_str)
            .and_then(|t| Timestamp::parse_rfc3339(t).ok());
        let malformed = |reason: String| Body::Malformed { kind, reason };
        let body = match kind {
            VULNERABILITY => vulnerability::parse_finding(obj, limits)
                .map_or_else(malformed, Body::Vulnerability),
            DISCOVERY => {
                vulnerability::parse_scan(obj, limits).map_or_else(malformed, Body::Discovery)
            }
            BUILD => provenance::parse_build(obj, limits).map_or_else(malformed, Body::Build),
            DSSE_ATTESTATION => provenance::parse_dsse_attestation(obj, limits)
                .map_or_else(malformed, Body::DsseAttestation),
            IMAGE_RECORD => {
                record::parse_record(obj, limits).map_or_else(malformed, Body::ImageRecord)
            }
            COSIGN_SIGNATURE => {
                sigstore::parse_cosign(obj, limits).map_or_else(malformed, Body::Cosign)
            }
            SIGSTORE_BUNDLE => {
                sigstore::parse_bundle(obj, limits).map_or_else(malformed, Body::SigstoreBundle)
            }
            other => malformed(format!("`{other}` is not a kind vouch reads")),
        };
        let malformed_digests = match body {
            Body::Malformed { .. } => obj
                .get("resourceUri")
                .and_then(Value::as_str)
                .and_then(digest_of_uri)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        Item {
            label,
            recorded_time,
            body,
            malformed_digests,
        }
    }

    /// The digests (`sha256:<hex>`) the item is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        match &self.body {
            Body::Vulnerability(b) => b.digests(),
            Body::Discovery(b) => b.digests(),
            Body::Build(b) | Body::DsseAttestation(b) => b.digests(),
            Body::ImageRecord(b) => b.digests(),
            Body::Cosign(b) => b.digests(),
            Body::SigstoreBundle(b) => b.digests(),
            Body::Malformed { .. } => self.malformed_digests.clone(),
        }
    }

    /// The item's report for one digest.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        let mut report = match &self.body {
            Body::Vulnerability(b) => b.report(ctx),
            Body::Discovery(b) => b.report(ctx),
            Body::Build(b) | Body::DsseAttestation(b) => b.report(ctx),
            Body::ImageRecord(b) => b.report(ctx),
            Body::Cosign(b) => b.report(ctx),
            Body::SigstoreBundle(b) => b.report(ctx),
            Body::Malformed { kind, reason } => ItemReport::new(
                kind,
                "",
                ItemStatus::Rejected,
                EvidenceCode::Malformed.as_str(),
                reason.clone(),
            ),
        };
        report.name.clone_from(&self.label);
        if report.recorded_time.is_none() {
            report.recorded_time = self.recorded_time;
        }
        report
    }
}

/// The digest a Grafeas `resourceUri` names (`…@sha256:<hex>`), lower-case hex only.
pub(crate) fn digest_of_uri(uri: &str) -> Option<String> {
    let (_, digest) = uri.rsplit_once('@')?;
    is_sha256_digest(digest).then(|| digest.to_owned())
}

/// Whether `digest` is `sha256:` and 64 lower-case hex digits.
pub(crate) fn is_sha256_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// The report codes of every kind's module, with their meanings (each module lists its own).
pub(crate) fn kind_codes() -> Vec<(&'static str, &'static str)> {
    let mut codes = Vec::new();
    codes.extend(provenance::codes());
    codes.extend(vulnerability::codes());
    codes.extend(record::codes());
    codes.extend(sigstore::codes());
    codes
}
