//! `Evidence::inspect`: the per-digest evidence report (`vouch evidence inspect`), with every
//! attestation checked against its note's attestors and every other item against the trust
//! material, under one verification budget.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};

use super::Evidence;
use super::check::{self, CheckedImage, Verifications};
use super::kinds;
use super::occurrence::{self, Occurrence};
use super::report::{
    EvidenceCode, EvidenceReport, ImageEvidence, ItemReport, ItemStatus, ReportContext,
};
use crate::decision::SignedForm;
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::time::Timestamp;
use crate::verify::attestor::Attestor;
use crate::verify::trust::TrustMaterial;

impl Evidence {
    /// What the evidence says, per image digest: every item, whether it verified and with
    /// which key (attestations against `attestors`, other signed evidence against `trust`),
    /// why not, and the times it carries. With `image` (a reference with a digest, or a bare
    /// `sha256:<hex>` digest), only that digest is reported.
    pub fn inspect(
        &self,
        trust: &TrustMaterial,
        attestors: &[Attestor],
        image: Option<&str>,
        now: Timestamp,
        limits: &Limits,
    ) -> Result<EvidenceReport, Error> {
        let only = image.map(image_digest).transpose()?;
        // One verification budget for the whole inspection, shared by every item.
        let budget = Cell::new(limits.max_verification_units_per_inspection);
        let context = |digest| ReportContext {
            digest,
            trust,
            now,
            limits,
            budget: &budget,
        };
        // Attestations by digest, built once (an attestation naming no digest is listed apart).
        let mut attestations: HashMap<&str, Vec<&Occurrence>> = HashMap::new();
        let mut without_digest = Vec::new();
        for occ in &self.occurrences {
            // The report files attestations under well-formed sha256 digests only (what a
            // request can name); one naming none is listed apart.
            let mut named = occ
                .resource_digests
                .iter()
                .filter(|d| kinds::is_sha256_digest(d))
                .peekable();
            if named.peek().is_none() {
                if only.is_none() {
                    without_digest.push(attestation_report(occ, attestors, &context("")));
                }
                continue;
            }
            for digest in named {
                attestations.entry(digest.as_str()).or_default().push(occ);
            }
        }
        if only.is_none() {
            for item in &self.others {
                if item.digests().is_empty() {
                    without_digest.push(item.report(&context("")));
                }
            }
        }
        let mut digests: BTreeSet<&str> = attestations.keys().copied().collect();
        digests.extend(self.by_digest.keys().map(String::as_str));
        if let Some(only) = &only {
            digests.retain(|d| d == only);
        }
        let images = digests
            .into_iter()
            .map(|digest| {
                let ctx = context(digest);
                let mut items: Vec<ItemReport> = attestations
                    .get(digest)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|occ| attestation_report(occ, attestors, &ctx))
                    .collect();
                items.extend(
                    self.by_digest
                        .get(digest)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&i| self.others.get(i))
                        .map(|item| item.report(&ctx)),
                );
                ImageEvidence {
                    digest: digest.to_owned(),
                    items,
                }
            })
            .collect();
        Ok(EvidenceReport {
            images,
            without_digest,
            unknown_kinds: self.unknown.clone(),
            items_read: self.items_read,
        })
    }
}

/// The digest an inspection is restricted to: a bare `sha256:<hex>`, or an image reference's.
fn image_digest(image: &str) -> Result<String, Error> {
    if let Some(hex) = image.strip_prefix("sha256:")
        && hex.len() == 64
        && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Ok(image.to_owned());
    }
    let parsed = crate::request::image_ref::ImageRef::parse(image).map_err(|e| {
        Error::new(
            ErrorCode::RequestInvalidImage,
            "",
            format!("`{image}` is not an image reference: {e}"),
        )
    })?;
    parsed.sha256_digest().map(str::to_owned).ok_or_else(|| {
        Error::new(
            ErrorCode::RequestInvalidImage,
            "",
            format!("`{image}` has no sha256 digest: evidence is filed by digest"),
        )
    })
}

/// An attestation occurrence's report: verified by the first attestor for its note whose key
/// verifies it, else why not.
fn attestation_report(
    occ: &Occurrence,
    attestors: &[Attestor],
    ctx: &ReportContext<'_>,
) -> ItemReport {
    let digest = ctx.digest;
    const KIND: &str = "ATTESTATION";
    let mut report = match &occ.body {
        occurrence::Body::Malformed(why) => ItemReport::new(
            KIND,
            &occ.label,
            ItemStatus::Rejected,
            crate::decision::DetailCode::MalformedAttestation.as_str(),
            why.clone(),
        ),
        occurrence::Body::Unsupported(why) => ItemReport::new(
            KIND,
            &occ.label,
            ItemStatus::Unsupported,
            crate::decision::DetailCode::UnsupportedAttestationFormat.as_str(),
            why.clone(),
        ),
        occurrence::Body::Signed { .. } if digest.is_empty() => ItemReport::new(
            KIND,
            &occ.label,
            ItemStatus::Rejected,
            crate::decision::DetailCode::MalformedAttestation.as_str(),
            "occurrence names no sha256 image digest in `resourceUri`",
        ),
        occurrence::Body::Signed { .. } => {
            let note = occ.note_name.as_deref().unwrap_or_default();
            let mut matching = attestors.iter().filter(|a| a.note_reference() == note);
            match matching.next() {
                None => ItemReport::new(
                    KIND,
                    &occ.label,
                    ItemStatus::Unverified,
                    EvidenceCode::NoAttestor.as_str(),
                    format!("no attestor given for note `{note}`"),
                ),
                Some(first) => {
                    let subject = CheckedImage {
                        digest,
                        repository: "",
                        strict_identity: false,
                        now: ctx.now,
                        freshness: None,
                    };
                    let mut outcome = None;
                    for attestor in std::iter::once(first).chain(matching) {
                        let mut verifications = Verifications::new(
                            None,
                            ctx.limits.max_verification_units_per_attestor_image,
                            ctx.budget.get(),
                        );
                        let checked = check::check_one(attestor, occ, subject, &mut verifications);
                        ctx.budget.set(verifications.remaining());
                        match checked {
                            Ok((key_id, form, _)) => {
                                outcome = Some(Ok((attestor.name(), key_id, form)));
                                break;
                            }
                            Err(details) => {
                                if outcome.is_none() {
                                    outcome = Some(Err((attestor.name(), details)));
                                }
                            }
                        }
                    }
                    attestation_outcome(occ, outcome)
                }
            }
        }
    };
    report.name.clone_from(&occ.label);
    report.recorded_time = occ.create_time;
    // The signer's own time, once the signature verified (E-5): `optional.timestamp`.
    if report.status == ItemStatus::Verified
        && let occurrence::Body::Signed {
            statement: Some(Ok(statement)),
            ..
        } = &occ.body
        && let Some(Ok(seconds)) = statement.timestamp
    {
        report.signed_time = Timestamp::from_unix(seconds, 0);
    }
    report
}

type Outcome<'a> =
    Option<Result<(&'a str, String, SignedForm), (&'a str, Vec<crate::decision::Detail>)>>;

fn attestation_outcome(occ: &Occurrence, outcome: Outcome<'_>) -> ItemReport {
    const KIND: &str = "ATTESTATION";
    match outcome {
        Some(Ok((attestor, key_id, form))) => {
            let mut r = ItemReport::new(
                KIND,
                &occ.label,
                ItemStatus::Verified,
                EvidenceCode::Verified.as_str(),
                format!("signed by attestor {attestor}'s key `{key_id}`"),
            );
            r.key_id = Some(key_id);
            r.facts.insert("attestor", attestor.into());
            r.facts.insert("signedForm", form.as_str().into());
            r
        }
        Some(Err((attestor, details))) => {
            let (code, message) = details.first().map_or(
                (
                    crate::decision::DetailCode::BadSignature.as_str(),
                    "no signature verifies".to_owned(),
                ),
                |d| (d.code.as_str(), d.message.clone()),
            );
            let mut r = ItemReport::new(KIND, &occ.label, ItemStatus::Rejected, code, message);
            r.facts.insert("attestor", attestor.into());
            r
        }
        None => ItemReport::new(
            KIND,
            &occ.label,
            ItemStatus::Unverified,
            EvidenceCode::NoAttestor.as_str(),
            "no attestor given for its note",
        ),
    }
}
