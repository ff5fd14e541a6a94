//! Build provenance: `BUILD` and `DSSE_ATTESTATION` occurrences, their DSSE envelopes, in-toto
//! statements (v0.1, v1) and SLSA provenance predicates (v0.1, v0.2, v1), decisions E-2…E-4
//! and P-9.
//!
//! - `BUILD` (Grafeas / Artifact Analysis, as `gcloud artifacts docker images describe
//!   --show-provenance` prints each `provenance_summary.provenance[]`): the signed `envelope`
//!   at top level, an unsigned copy of its statement beside it in `build.intotoStatement`
//!   (SLSA v0.1, predicate under `slsaProvenance`) or `build.inTotoSlsaProvenanceV1`.
//! - `DSSE_ATTESTATION`: `dsseAttestation.envelope` (or a top-level `envelope`).
//!
//! The envelope is verified first, with the trust material's keys (`verify::dsse`); only then
//! is its payload read, once. The signed statement is the only truth: an unsigned copy that
//! disagrees with it makes the item not count (as slsa-verifier). The statement must name
//! `ctx.digest` as a subject (sha256). The formats are documented in `docs/formats.md`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::kinds::{BUILD, DSSE_ATTESTATION, digest_of_uri};
use super::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::document;
use crate::read::wire::wire_enum;
use crate::time::Timestamp;
use crate::verify::dsse::{self, Envelope, Failure, IN_TOTO_PAYLOAD_TYPE};
use crate::verify::trust::TrustedKey;

/// Clock skew allowed between a signer's own time and `now`.
const SKEW_SECONDS: i64 = 300;

/// The in-toto statement types read (decision E-4).
const STATEMENT_V01: &str = "https://in-toto.io/Statement/v0.1";
const STATEMENT_V1: &str = "https://in-toto.io/Statement/v1";

/// The SLSA provenance predicate types read (decision E-4).
const SLSA_V01: &str = "https://slsa.dev/provenance/v0.1";
const SLSA_V02: &str = "https://slsa.dev/provenance/v0.2";
const SLSA_V1: &str = "https://slsa.dev/provenance/v1";

wire_enum! {
    /// Report codes of build provenance and DSSE attestations.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum ProvenanceCode {
        /// A `BUILD` occurrence's envelope verified, its SLSA provenance names the image.
        Verified = "PROVENANCE_VERIFIED",
        /// A `DSSE_ATTESTATION`'s envelope verified, its statement names the image.
        DsseVerified = "DSSE_VERIFIED",
        /// The occurrence carries no DSSE envelope (only unsigned data).
        NoEnvelope = "PROVENANCE_NO_ENVELOPE",
        /// The envelope cannot be read.
        EnvelopeMalformed = "DSSE_ENVELOPE_MALFORMED",
        /// The envelope has no signatures.
        NoSignature = "DSSE_NO_SIGNATURE",
        /// A signature has no `keyid` and no unnamed key exists to try.
        NoKeyid = "DSSE_NO_KEYID",
        /// A signature's `keyid` names no trusted key.
        UnknownKeyid = "DSSE_UNKNOWN_KEYID",
        /// The key selected for a signature does not verify it.
        BadSignature = "DSSE_BAD_SIGNATURE",
        /// The trust material holds no keys.
        NoTrustedKey = "DSSE_NO_TRUSTED_KEY",
        /// The verification budget ran out first.
        NotTriedBudget = "DSSE_NOT_TRIED_BUDGET",
        /// The signed payload is not an in-toto statement.
        PayloadTypeUnsupported = "DSSE_PAYLOAD_TYPE_UNSUPPORTED",
        /// The signed payload is not a valid in-toto statement v0.1 or v1.
        StatementInvalid = "PROVENANCE_STATEMENT_INVALID",
        /// The signed statement does not name the image digest.
        SubjectMismatch = "PROVENANCE_SUBJECT_MISMATCH",
        /// A `BUILD` statement's predicate is not SLSA provenance v0.1, v0.2 or v1.
        PredicateUnsupported = "PROVENANCE_PREDICATE_UNSUPPORTED",
        /// The SLSA predicate has a field of the wrong type.
        PredicateInvalid = "PROVENANCE_PREDICATE_INVALID",
        /// The unsigned copy beside the envelope disagrees with the signed statement.
        UnsignedCopyMismatch = "PROVENANCE_UNSIGNED_COPY_MISMATCH",
        /// The gcloud describe object's unsigned `image_summary` names another digest.
        SummaryMismatch = "PROVENANCE_SUMMARY_MISMATCH",
        /// The signed finish time is more than 5 minutes after now.
        SignedTimeInFuture = "PROVENANCE_SIGNED_TIME_IN_FUTURE",
    }
}

impl ProvenanceCode {
    /// Every code.
    pub const ALL: &'static [ProvenanceCode] = &[
        ProvenanceCode::Verified,
        ProvenanceCode::DsseVerified,
        ProvenanceCode::NoEnvelope,
        ProvenanceCode::EnvelopeMalformed,
        ProvenanceCode::NoSignature,
        ProvenanceCode::NoKeyid,
        ProvenanceCode::UnknownKeyid,
        ProvenanceCode::BadSignature,
        ProvenanceCode::NoTrustedKey,
        ProvenanceCode::NotTriedBudget,
        ProvenanceCode::PayloadTypeUnsupported,
        ProvenanceCode::StatementInvalid,
        ProvenanceCode::SubjectMismatch,
        ProvenanceCode::PredicateUnsupported,
        ProvenanceCode::PredicateInvalid,
        ProvenanceCode::UnsignedCopyMismatch,
        ProvenanceCode::SummaryMismatch,
        ProvenanceCode::SignedTimeInFuture,
    ];

    /// What the code means (the list in `docs/errors.md`).
    pub fn description(self) -> &'static str {
        use ProvenanceCode as C;
        match self {
            C::Verified => {
                "A BUILD occurrence's DSSE envelope verified with a trusted key and its SLSA provenance names the image digest."
            }
            C::DsseVerified => {
                "A DSSE attestation verified with a trusted key and its in-toto statement names the image digest."
            }
            C::NoEnvelope => "The occurrence carries no DSSE envelope, only unsigned data.",
            C::EnvelopeMalformed => "The DSSE envelope cannot be read; the message says why.",
            C::NoSignature => "The DSSE envelope has no signatures.",
            C::NoKeyid => {
                "A DSSE signature has an empty or missing keyid, and the trust material has no unnamed key to try."
            }
            C::UnknownKeyid => {
                "A DSSE signature's keyid names no trusted key, and the trust material has no unnamed key to try."
            }
            C::BadSignature => "The trusted key selected for a DSSE signature does not verify it.",
            C::NoTrustedKey => "The trust material holds no key to check the envelope with.",
            C::NotTriedBudget => {
                "The verification budget (the item's or the inspection's) ran out before every candidate key was tried."
            }
            C::PayloadTypeUnsupported => {
                "The DSSE payloadType is not application/vnd.in-toto+json."
            }
            C::StatementInvalid => {
                "The signed payload is not a valid in-toto statement v0.1 or v1."
            }
            C::SubjectMismatch => {
                "The signed statement has no subject whose sha256 digest is the image digest."
            }
            C::PredicateUnsupported => {
                "A BUILD occurrence's signed predicate is not SLSA provenance v0.1, v0.2 or v1."
            }
            C::PredicateInvalid => "A field of the signed SLSA predicate has the wrong type.",
            C::UnsignedCopyMismatch => {
                "The unsigned statement beside the envelope disagrees with the signed one, so the occurrence does not count."
            }
            C::SummaryMismatch => {
                "The gcloud describe object's unsigned image_summary names another digest than the provenance's image, so it does not count."
            }
            C::SignedTimeInFuture => {
                "The signed build finish time is more than 5 minutes after now."
            }
        }
    }
}

/// The codes with their meanings, for `docs/errors.md`.
pub(crate) fn codes() -> Vec<(&'static str, &'static str)> {
    ProvenanceCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.description()))
        .collect()
}

/// A provenance or DSSE attestation occurrence.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    kind: &'static str,
    digests: Vec<String>,
    /// The envelope: `None` when absent, `Err` (why) when unreadable.
    envelope: Option<Result<Envelope, String>>,
    /// The unsigned statement beside the envelope, if any.
    copy: Option<Value>,
    /// When read from a gcloud `describe` object: its `image_summary`'s `digest` and
    /// `fully_qualified_digest` (unsigned; must agree with the digest reported for).
    summary: Option<(Option<String>, Option<String>)>,
}

impl Build {
    /// Records the `image_summary` of the gcloud `describe` object it was read from.
    pub(crate) fn described_by(&mut self, summary: Option<&Map<String, Value>>) {
        let text = |name: &str| {
            summary
                .and_then(|s| s.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        self.summary = Some((text("digest"), text("fully_qualified_digest")));
    }

    /// The digests (`sha256:<hex>`) it is about: its `resourceUri`'s.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        self.checked(ctx).0
    }

    /// Its report for `ctx.digest`, with the signed statement when the report is `VERIFIED`
    /// (the platform policies' SLSA check reads its predicate, decision P-9).
    pub(crate) fn checked(&self, ctx: &ReportContext<'_>) -> (ItemReport, Option<Statement>) {
        let kind = self.kind;
        let fail = |status, code: ProvenanceCode, message: String| {
            ItemReport::new(kind, "", status, code.as_str(), message)
        };
        let envelope = match &self.envelope {
            None => {
                return (
                    fail(
                        ItemStatus::Rejected,
                        ProvenanceCode::NoEnvelope,
                        "the occurrence carries no DSSE envelope".into(),
                    ),
                    None,
                );
            }
            Some(Err(why)) => {
                return (
                    fail(
                        ItemStatus::Rejected,
                        ProvenanceCode::EnvelopeMalformed,
                        why.clone(),
                    ),
                    None,
                );
            }
            Some(Ok(envelope)) => envelope,
        };
        let keys: Vec<&TrustedKey> = ctx.trust.keys().collect();
        let mut charge = |units| ctx.charge(units);
        let verification = match dsse::verify(envelope, &keys, ctx.limits, &mut charge) {
            Ok(v) => v,
            Err(f) => return (failure(kind, f, envelope), None),
        };
        let mut report = ItemReport::new(
            kind,
            "",
            ItemStatus::Verified,
            ProvenanceCode::DsseVerified.as_str(),
            "",
        );
        report.key_id = Some(verification.key.display_id());
        report
            .facts
            .insert("verifiedKeys", Value::from(verification.unique_keys));
        let reject = |mut report: ItemReport, code: ProvenanceCode, message: String| {
            report.status = ItemStatus::Rejected;
            report.code = code.as_str();
            report.message = message;
            report
        };
        if envelope.payload_type != IN_TOTO_PAYLOAD_TYPE {
            let message = format!(
                "the payloadType `{}` is not `{IN_TOTO_PAYLOAD_TYPE}`",
                envelope.payload_type
            );
            return (
                reject(report, ProvenanceCode::PayloadTypeUnsupported, message),
                None,
            );
        }
        // The payload verified: read it, once.
        let statement = match parse_statement(&envelope.payload, ctx.limits) {
            Ok(s) => s,
            Err(why) => return (reject(report, ProvenanceCode::StatementInvalid, why), None),
        };
        report.facts.insert(
            "predicateType",
            Value::from(statement.predicate_type.clone()),
        );
        let summary = match summarize(&statement) {
            Ok(s) => s,
            Err(why) => return (reject(report, ProvenanceCode::PredicateInvalid, why), None),
        };
        if let Some(summary) = &summary {
            for (name, value) in [
                ("builderId", &summary.builder_id),
                ("buildType", &summary.build_type),
                ("sourceRepo", &summary.source),
                ("invocationId", &summary.invocation_id),
            ] {
                if let Some(v) = value {
                    report.facts.insert(name, Value::from(v.clone()));
                }
            }
            report.signed_time = summary.finished;
        }
        let hex = ctx.digest.strip_prefix("sha256:").unwrap_or(ctx.digest);
        let matched = statement.subjects.iter().any(|s| s.as_deref() == Some(hex));
        report.facts.insert("subjectMatch", Value::from(matched));
        if !matched {
            let message = format!("the signed statement has no subject with sha256 digest `{hex}`");
            return (
                reject(report, ProvenanceCode::SubjectMismatch, message),
                None,
            );
        }
        if kind == BUILD && summary.is_none() {
            let message = format!(
                "the signed predicate type `{}` is not SLSA provenance v0.1, v0.2 or v1",
                statement.predicate_type
            );
            return (
                reject(report, ProvenanceCode::PredicateUnsupported, message),
                None,
            );
        }
        if let Some((digest, qualified)) = &self.summary {
            let digest_ok = digest.as_deref().is_none_or(|d| d == ctx.digest);
            let qualified_ok = qualified
                .as_deref()
                .is_none_or(|q| q.ends_with(&format!("@{}", ctx.digest)));
            if !digest_ok || !qualified_ok {
                let message = format!(
                    "the describe object's unsigned image_summary names another digest than `{}`",
                    ctx.digest
                );
                return (
                    reject(report, ProvenanceCode::SummaryMismatch, message),
                    None,
                );
            }
        }
        if let Some(copy) = &self.copy
            && let Err(why) = agrees(copy, &statement)
        {
            return (
                reject(report, ProvenanceCode::UnsignedCopyMismatch, why),
                None,
            );
        }
        if let Some(t) = report.signed_time
            && t.unix_seconds() > ctx.now.unix_seconds().saturating_add(SKEW_SECONDS)
        {
            return (
                reject(
                    report,
                    ProvenanceCode::SignedTimeInFuture,
                    "the signed build finish time is more than 5 minutes after now".into(),
                ),
                None,
            );
        }
        if kind == BUILD {
            report.code = ProvenanceCode::Verified.as_str();
            report.message =
                "the provenance verified with a trusted key and names the image digest".into();
        } else {
            report.message =
                "the DSSE attestation verified with a trusted key and names the image digest"
                    .into();
        }
        (report, Some(statement))
    }
}

/// The report of an envelope no signature of verified.
fn failure(kind: &'static str, f: Failure, envelope: &Envelope) -> ItemReport {
    let n = envelope.signatures.len();
    let (status, code, message) = match f {
        Failure::Budget => (
            ItemStatus::Rejected,
            ProvenanceCode::NotTriedBudget,
            "the verification budget ran out before every candidate key was tried".to_owned(),
        ),
        Failure::BadSignature => (
            ItemStatus::Rejected,
            ProvenanceCode::BadSignature,
            format!("none of the {n} signatures verifies with the key its keyid selects"),
        ),
        Failure::NoKeyid => (
            ItemStatus::Rejected,
            ProvenanceCode::NoKeyid,
            "a signature has no keyid, and no unnamed trusted key exists to try".to_owned(),
        ),
        Failure::UnknownKeyid => (
            ItemStatus::Unverified,
            ProvenanceCode::UnknownKeyid,
            format!(
                "no trusted key has the keyid of any of the {n} signatures ({})",
                keyids(envelope)
            ),
        ),
        Failure::NoTrustedKey => (
            ItemStatus::Unverified,
            ProvenanceCode::NoTrustedKey,
            "the trust material holds no key to check the envelope with".to_owned(),
        ),
        Failure::NoSignature => (
            ItemStatus::Rejected,
            ProvenanceCode::NoSignature,
            "the envelope has no signatures".to_owned(),
        ),
    };
    ItemReport::new(kind, "", status, code.as_str(), message)
}

fn keyids(envelope: &Envelope) -> String {
    let ids: Vec<&str> = envelope
        .signatures
        .iter()
        .filter_map(|s| s.keyid.as_deref())
        .take(4)
        .collect();
    ids.join(", ")
}

/// What a signed in-toto statement says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub(crate) statement_type: String,
    /// Each subject's `digest.sha256` (`None` when it has none).
    pub(crate) subjects: Vec<Option<String>>,
    pub(crate) predicate_type: String,
    /// `predicate`, else GCB's `slsaProvenance`; `{}` when absent (decision E-4).
    pub(crate) predicate: Value,
    /// The parsed statement, kept for comparing with an unsigned copy.
    raw: Value,
}

/// Reads an in-toto statement v0.1 or v1 (in-toto/attestation `spec/v1/statement.md`): `_type`
/// one of the two, a non-empty `subject` list whose items each have a non-empty `digest`
/// object of strings, a non-empty `predicateType`, an object `predicate` when present.
pub(crate) fn parse_statement(payload: &[u8], limits: &Limits) -> Result<Statement, String> {
    let text = std::str::from_utf8(payload).map_err(|_| "the payload is not UTF-8".to_owned())?;
    let raw = document::parse_json(text, limits)
        .map_err(|e| format!("the payload is not JSON: {}", e.message()))?;
    let obj = raw.as_object().ok_or("the statement is not an object")?;
    let statement_type = obj
        .get("_type")
        .and_then(Value::as_str)
        .ok_or("the statement has no `_type` string")?;
    if statement_type != STATEMENT_V01 && statement_type != STATEMENT_V1 {
        return Err(format!(
            "the statement `_type` `{statement_type}` is not in-toto Statement v0.1 or v1"
        ));
    }
    let list = obj
        .get("subject")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or("the statement has no `subject` list, or it is empty")?;
    let mut subjects = Vec::with_capacity(list.len());
    for (i, subject) in list.iter().enumerate() {
        let digest = subject
            .get("digest")
            .and_then(Value::as_object)
            .filter(|d| !d.is_empty())
            .ok_or_else(|| format!("`subject[{i}]` has no non-empty `digest` object"))?;
        if digest.values().any(|v| !v.is_string()) {
            return Err(format!("`subject[{i}].digest` values must be strings"));
        }
        subjects.push(
            digest
                .get("sha256")
                .and_then(Value::as_str)
                .map(str::to_owned),
        );
    }
    let predicate_type = obj
        .get("predicateType")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .ok_or("the statement has no `predicateType`")?
        .to_owned();
    let predicate = match obj.get("predicate").or_else(|| obj.get("slsaProvenance")) {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(p @ Value::Object(_)) => p.clone(),
        Some(_) => return Err("the statement's `predicate` must be an object".into()),
    };
    Ok(Statement {
        statement_type: statement_type.to_owned(),
        subjects,
        predicate_type,
        predicate,
        raw,
    })
}

/// The few facts a SLSA provenance predicate gives.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Summary {
    pub(crate) builder_id: Option<String>,
    pub(crate) build_type: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) invocation_id: Option<String>,
    pub(crate) finished: Option<Timestamp>,
}

/// Summarizes a SLSA provenance predicate (`None` for other predicate types); `Err` when a
/// field it reads has the wrong type.
pub(crate) fn summarize(statement: &Statement) -> Result<Option<Summary>, String> {
    let p = &statement.predicate;
    let (builder, build_type, source, invocation, finished) =
        match statement.predicate_type.as_str() {
            // SLSA v0.1 (GCB's `slsaProvenance`): recipe.type, materials[0].uri.
            SLSA_V01 => (
                "/builder/id",
                "/recipe/type",
                "/materials/0/uri",
                "/metadata/buildInvocationId",
                "/metadata/buildFinishedOn",
            ),
            SLSA_V02 => (
                "/builder/id",
                "/buildType",
                "/invocation/configSource/uri",
                "/metadata/buildInvocationId",
                "/metadata/buildFinishedOn",
            ),
            SLSA_V1 => (
                "/runDetails/builder/id",
                "/buildDefinition/buildType",
                "/buildDefinition/resolvedDependencies/0/uri",
                "/runDetails/metadata/invocationId",
                "/runDetails/metadata/finishedOn",
            ),
            _ => return Ok(None),
        };
    let text = |pointer: &str| -> Result<Option<String>, String> {
        match p.pointer(pointer) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("the predicate's `{pointer}` must be a string")),
        }
    };
    let finished =
        match text(finished)? {
            None => None,
            Some(t) => Some(Timestamp::parse_rfc3339(&t).map_err(|_| {
                format!("the predicate's `{finished}` `{t}` is not an RFC 3339 time")
            })?),
        };
    Ok(Some(Summary {
        builder_id: text(builder)?,
        build_type: text(build_type)?,
        source: text(source)?,
        invocation_id: text(invocation)?,
        finished,
    }))
}

/// Whether an unsigned copy of the statement agrees with the signed one: the same `_type`,
/// `subject`, `predicateType` and predicate (the copy's `slsaProvenance`, else `predicate`,
/// absent = `{}`), compared as JSON values.
fn agrees(copy: &Value, signed: &Statement) -> Result<(), String> {
    let differ = |what: &str| {
        Err(format!(
            "the unsigned copy's {what} differs from the signed statement's"
        ))
    };
    if copy.get("_type") != signed.raw.get("_type") {
        return differ("`_type`");
    }
    if copy.get("subject") != signed.raw.get("subject") {
        return differ("`subject`");
    }
    if copy.get("predicateType") != signed.raw.get("predicateType") {
        return differ("`predicateType`");
    }
    let empty = Value::Object(Map::new());
    let predicate = match copy.get("slsaProvenance").or_else(|| copy.get("predicate")) {
        None | Some(Value::Null) => &empty,
        Some(p) => p,
    };
    if predicate != &signed.predicate {
        return differ("predicate");
    }
    Ok(())
}

fn resource_digest(obj: &Map<String, Value>) -> Vec<String> {
    obj.get("resourceUri")
        .and_then(Value::as_str)
        .and_then(digest_of_uri)
        .into_iter()
        .collect()
}

fn envelope_of(value: Option<&Value>, limits: &Limits) -> Option<Result<Envelope, String>> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::Object(e)) => Some(Envelope::from_json(e, limits)),
        Some(_) => Some(Err("the `envelope` must be an object".into())),
    }
}

/// Reads one `BUILD` occurrence.
pub(crate) fn parse_build(obj: &Map<String, Value>, limits: &Limits) -> Result<Build, String> {
    let build = match obj.get("build") {
        None | Some(Value::Null) => None,
        Some(Value::Object(b)) => Some(b),
        Some(_) => return Err("`build` must be an object".into()),
    };
    let copy = build.and_then(|b| {
        b.get("intotoStatement")
            .or_else(|| b.get("inTotoSlsaProvenanceV1"))
            .filter(|v| !v.is_null())
            .cloned()
    });
    Ok(Build {
        kind: BUILD,
        digests: resource_digest(obj),
        envelope: envelope_of(obj.get("envelope"), limits),
        copy,
        summary: None,
    })
}

/// Reads one `DSSE_ATTESTATION` occurrence.
pub(crate) fn parse_dsse_attestation(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<Build, String> {
    let inner = match obj.get("dsseAttestation") {
        None | Some(Value::Null) => None,
        Some(Value::Object(d)) => d.get("envelope"),
        Some(_) => return Err("`dsseAttestation` must be an object".into()),
    };
    Ok(Build {
        kind: DSSE_ATTESTATION,
        digests: resource_digest(obj),
        envelope: envelope_of(inner.or_else(|| obj.get("envelope")), limits),
        copy: None,
        summary: None,
    })
}

#[cfg(test)]
mod tests;
