//! What `Evidence::inspect` says about each evidence item: its kind, whether it verified and
//! with which key, why not, and the times it carries (signed, witnessed, merely recorded).

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::limits::Limits;
use crate::read::wire::wire_enum;
use crate::time::Timestamp;
use crate::verify::trust::TrustMaterial;

wire_enum! {
    /// Where an evidence item stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum ItemStatus {
        /// Signed, and the signature verified with a trusted key; bound to the image.
        Verified = "VERIFIED",
        /// Signed, but no trusted key was given that could check it (no attestor for its note,
        /// no key in the trust material).
        Unverified = "UNVERIFIED",
        /// Does not count: malformed, a bad signature, another image's digest, too old.
        Rejected = "REJECTED",
        /// Information that carries no signature of its own (a vulnerability finding, a scan
        /// status, an image record): shown, and trusted only as far as its source is.
        Unsigned = "UNSIGNED",
        /// A form vouch does not verify (e.g. keyless sigstore signatures).
        Unsupported = "UNSUPPORTED",
    }
}

/// What the report says about one evidence item, for one image digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemReport {
    /// `ATTESTATION`, `VULNERABILITY`, `DISCOVERY`, `BUILD`, `DSSE_ATTESTATION`,
    /// `IMAGE_RECORD`, `COSIGN_SIGNATURE`, `SIGSTORE_BUNDLE`.
    pub kind: &'static str,
    /// The occurrence's `name`, else `#N` (its position in the input).
    pub name: String,
    /// Where it stands.
    pub status: ItemStatus,
    /// A stable code for why (documented in `docs/errors.md`).
    pub code: &'static str,
    /// Why, for people.
    pub message: String,
    /// The key that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// When its own signer says it signed (inside the signed payload).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_time: Option<Timestamp>,
    /// A verified third-party time the signature existed by (a Rekor SET, RFC 3161).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witnessed_time: Option<Timestamp>,
    /// A time the store recorded (Grafeas `createTime`, an upload time): shown, never trusted
    /// as signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_time: Option<Timestamp>,
    /// What the item says, by kind (severity, builder id, tags …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<&'static str, Value>,
}

impl ItemReport {
    /// A report with no key, times or facts.
    pub(crate) fn new(
        kind: &'static str,
        name: &str,
        status: ItemStatus,
        code: &'static str,
        message: impl Into<String>,
    ) -> ItemReport {
        ItemReport {
            kind,
            name: name.to_owned(),
            status,
            code,
            message: message.into(),
            key_id: None,
            signed_time: None,
            witnessed_time: None,
            recorded_time: None,
            facts: BTreeMap::new(),
        }
    }
}

/// What an item's report needs to know.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportContext<'a> {
    /// The digest (`sha256:<hex>`) the item is being reported for.
    pub digest: &'a str,
    pub trust: &'a TrustMaterial,
    pub now: Timestamp,
    pub limits: &'a Limits,
    /// The inspection's verification units left (`Limits::max_verification_units_per_inspection`),
    /// shared by every item: charge with [`ReportContext::charge`] before each verification.
    pub budget: &'a Cell<usize>,
}

impl ReportContext<'_> {
    /// Charges `units` verification units; `false` (and nothing charged) when that would
    /// exceed what is left: the verification must then not be made, and the item says so.
    pub(crate) fn charge(&self, units: usize) -> bool {
        match self.budget.get().checked_sub(units) {
            Some(left) => {
                self.budget.set(left);
                true
            }
            None => false,
        }
    }
}

/// Everything known about one image digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageEvidence {
    /// `sha256:<hex>`.
    pub digest: String,
    /// Its evidence items, attestations first, then the others in input order.
    pub items: Vec<ItemReport>,
}

/// The report of [`Evidence::inspect`](super::Evidence::inspect).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceReport {
    /// Per digest, in digest order.
    pub images: Vec<ImageEvidence>,
    /// Items that name no image digest (and so count for none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub without_digest: Vec<ItemReport>,
    /// Occurrence kinds vouch does not read, with how many of each were skipped.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_kinds: BTreeMap<String, usize>,
    /// How many items were read (every kind, unknown ones included).
    pub items_read: usize,
}

impl EvidenceReport {
    /// The report's JSON (compact, fixed field order): what every front end prints.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

wire_enum! {
    /// Report codes shared by every kind.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum EvidenceCode {
        /// The item could not be read (its message says what is wrong).
        Malformed = "EVIDENCE_MALFORMED",
        /// The item names several digests that disagree, so it counts for none.
        Ambiguous = "EVIDENCE_AMBIGUOUS_RESOURCE",
        /// Not read yet by this build.
        NotRead = "EVIDENCE_NOT_READ",
        /// An attestation verified with an attestor's key and names the image's digest.
        Verified = "EVIDENCE_VERIFIED",
        /// No attestor was given for the attestation's note, so it was not checked.
        NoAttestor = "EVIDENCE_NO_ATTESTOR",
    }
}

impl EvidenceCode {
    /// What the code means (the list in `docs/errors.md`).
    pub fn description(self) -> &'static str {
        match self {
            EvidenceCode::Malformed => {
                "The item could not be read; its message says what is wrong."
            }
            EvidenceCode::Ambiguous => {
                "The item names several digests that disagree, so it counts for none."
            }
            EvidenceCode::NotRead => {
                "This kind of evidence is recognized but not read by this build."
            }
            EvidenceCode::Verified => {
                "An attestation verified with one of its attestor's keys and names the image's digest."
            }
            EvidenceCode::NoAttestor => {
                "No attestor was given for the attestation's note, so it was not checked."
            }
        }
    }

    /// Every code.
    pub const ALL: &'static [EvidenceCode] = &[
        EvidenceCode::Malformed,
        EvidenceCode::Ambiguous,
        EvidenceCode::NotRead,
        EvidenceCode::Verified,
        EvidenceCode::NoAttestor,
    ];
}

/// Every evidence report code with its meaning, in documentation order (`docs/errors.md`).
pub fn evidence_codes() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = EvidenceCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.description()))
        .collect();
    out.extend(super::kinds::kind_codes());
    out
}
