//! Attestations: Grafeas occurrences, simple-signing payloads, and their verification.
//!
//! Occurrences are evidence, not configuration: a malformed one never stops an evaluation, it
//! just does not count, and the decision says why. They are parsed once into [`Evidence`],
//! which indexes them by (note, digest) so that unrelated occurrences cost nothing at
//! evaluation time.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::attestor::{Attestor, KeyMaterial};
use crate::cache::{VerificationCache, VerificationKey};
use crate::crypto::{self, Verified};
use crate::decision::{Detail, DetailCode, SignedForm};
use crate::document;
use crate::error::{self, Error, ErrorCode, join_index};
use crate::limits::Limits;
use crate::openpgp::PgpOutcome;
use crate::time::Timestamp;
use sha2::{Digest as _, Sha256};

/// One Grafeas occurrence, parsed leniently: problems are kept for the decision.
#[derive(Debug, Clone)]
pub struct Occurrence {
    label: String,
    note_name: Option<String>,
    /// The digests the occurrence is filed under: the one its resource URI names, or both when
    /// `resourceUri` and `resource.uri` disagree (then `body` is `Malformed`, so the occurrence
    /// counts for neither image).
    resource_digests: Vec<String>,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    /// v1 `attestation`, v1beta1 `genericSignedAttestation`, or v1beta1
    /// `pgpSignedAttestation` (whose payload is inside the signature: `payload` is empty and
    /// `statement` is `None` until an OpenPGP signature yields the signed bytes).
    Signed {
        payload: Vec<u8>,
        statement: Option<Result<Statement, String>>,
        signatures: Vec<Signature>,
        /// SHA-256 of `payload`, computed once, when a signature first needs verifying.
        payload_hash: std::sync::OnceLock<[u8; 32]>,
    },
    /// Only JWTs, or a content type vouch does not verify.
    Unsupported(String),
    /// Not an attestation vouch can read.
    Malformed(String),
}

#[derive(Debug, Clone)]
struct Signature {
    key_id: String,
    bytes: Result<Vec<u8>, String>,
}

/// What a simple-signing payload claims: `critical.image.docker-manifest-digest` and
/// `critical.identity.docker-reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The manifest digest the payload names.
    pub digest: String,
    /// The repository the payload names, if any.
    pub reference: Option<String>,
}

/// Reads a simple-signing payload the way verification does: strict JSON (no duplicate keys),
/// a `critical` object with a string `image.docker-manifest-digest`. `critical.type` and
/// `optional` are not checked. This does not verify anything.
pub fn parse_simple_signing(payload: &[u8]) -> Result<Statement, String> {
    parse_statement(payload)
}

impl Occurrence {
    /// The name used in decisions: `name`, or `#N` when the occurrence has none.
    pub fn label(&self) -> &str {
        &self.label
    }

    fn parse(value: &Value, position: usize, limits: &Limits) -> Result<Option<Occurrence>, Error> {
        let Some(obj) = value.as_object() else {
            return Ok(None);
        };
        let label = match obj.get("name").and_then(Value::as_str) {
            Some(name) if !name.is_empty() => name.to_owned(),
            _ => format!("#{position}"),
        };
        if obj
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k != "ATTESTATION")
        {
            return Ok(None);
        }
        let note_name = obj
            .get("noteName")
            .and_then(Value::as_str)
            .map(str::to_owned);
        // v1 names the image in `resourceUri`, v1beta1 in `resource.uri`.
        // Both present must agree (up to the `https://` scheme), else the occurrence names two
        // images and is malformed for both.
        let v1 = obj.get("resourceUri");
        let v1beta1 = value.pointer("/resource/uri");
        let digest_of = |uri: Option<&Value>| {
            uri.and_then(Value::as_str)
                .and_then(|uri| uri.rsplit_once('@'))
                .map(|(_, d)| d.to_owned())
        };
        let mut conflict = None;
        let resource_digests: Vec<String> = match (v1, v1beta1) {
            (Some(a), Some(b)) => {
                let same = match (a.as_str(), b.as_str()) {
                    (Some(a), Some(b)) => strip_https(a) == strip_https(b),
                    _ => false,
                };
                if !same {
                    conflict = Some(format!(
                        "`resourceUri` ({a}) and `resource.uri` ({b}) do not name the same image"
                    ));
                }
                let mut digests: Vec<String> = [a, b]
                    .into_iter()
                    .filter_map(|uri| digest_of(Some(uri)))
                    .collect();
                digests.dedup();
                digests
            }
            (uri, None) | (None, uri) => digest_of(uri).into_iter().collect(),
        };
        let body = match obj.get("attestation") {
            None => Body::Malformed("occurrence has no `attestation`".into()),
            Some(Value::Object(att)) => match att.get("attestation") {
                Some(Value::Object(legacy)) => parse_legacy(legacy, limits)?,
                Some(_) => Body::Malformed("`attestation.attestation` is not an object".into()),
                None => parse_signed(att, limits, true)?,
            },
            Some(_) => Body::Malformed("`attestation` is not an object".into()),
        };
        // Fail closed: an occurrence that names two images counts for neither.
        let body = conflict.map_or(body, Body::Malformed);
        Ok(Some(Occurrence {
            label,
            note_name,
            resource_digests,
            body,
        }))
    }
}

/// A resource URI without its optional `https://` scheme (both forms name the same image).
fn strip_https(uri: &str) -> &str {
    uri.strip_prefix("https://").unwrap_or(uri)
}

fn parse_legacy(legacy: &Map<String, Value>, limits: &Limits) -> Result<Body, Error> {
    if let Some(Value::Object(generic)) = legacy.get("genericSignedAttestation") {
        return match generic.get("contentType").and_then(Value::as_str) {
            Some("SIMPLE_SIGNING_JSON") => parse_signed(generic, limits, false),
            other => Ok(Body::Unsupported(format!(
                "content type `{}` is not SIMPLE_SIGNING_JSON",
                other.unwrap_or("CONTENT_TYPE_UNSPECIFIED")
            ))),
        };
    }
    if let Some(Value::Object(pgp)) = legacy.get("pgpSignedAttestation") {
        if pgp.get("contentType").and_then(Value::as_str) != Some("SIMPLE_SIGNING_JSON") {
            return Ok(Body::Unsupported(
                "PGP attestation content type is not SIMPLE_SIGNING_JSON".into(),
            ));
        }
        let key_id = pgp
            .get("pgpKeyId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let bytes = match pgp.get("signature") {
            Some(Value::String(armored)) if !armored.is_empty() => Ok(armored.as_bytes().to_vec()),
            _ => Err("`pgpSignedAttestation` has no `signature`".to_owned()),
        };
        return Ok(Body::Signed {
            payload: Vec::new(),
            statement: None,
            signatures: vec![Signature { key_id, bytes }],
            payload_hash: std::sync::OnceLock::new(),
        });
    }
    Ok(Body::Malformed(
        "legacy attestation has neither `genericSignedAttestation` nor `pgpSignedAttestation`"
            .into(),
    ))
}

fn parse_signed(
    att: &Map<String, Value>,
    limits: &Limits,
    jwts_allowed: bool,
) -> Result<Body, Error> {
    let signatures = match att.get("signatures") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.clone(),
        Some(_) => return Ok(Body::Malformed("`signatures` is not a list".into())),
    };
    if signatures.len() > limits.max_signatures_per_occurrence {
        return Err(Error::new(
            ErrorCode::InputTooManySignatures,
            "",
            format!(
                "an occurrence has {} signatures, more than the limit of {}",
                signatures.len(),
                limits.max_signatures_per_occurrence
            ),
        ));
    }
    if signatures.is_empty() {
        let has_jwts = jwts_allowed
            && att
                .get("jwts")
                .and_then(Value::as_array)
                .is_some_and(|j| !j.is_empty());
        return Ok(if has_jwts {
            Body::Unsupported("JWT attestations are not verified (decision A-11)".into())
        } else {
            Body::Malformed("occurrence has no signatures".into())
        });
    }
    let payload = match att.get("serializedPayload") {
        Some(Value::String(s)) if !s.is_empty() => match crypto::decode_base64(s) {
            Some(bytes) => bytes,
            None => return Ok(Body::Malformed("`serializedPayload` is not base64".into())),
        },
        // Only an attached OpenPGP signature can do without `serializedPayload`.
        Some(Value::String(_)) | None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Ok(Body::Malformed(
                "`serializedPayload` is not a string".into(),
            ));
        }
    };
    let signatures = signatures
        .iter()
        .map(|s| {
            let key_id = s
                .get("publicKeyId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let bytes = match s.get("signature") {
                Some(Value::String(b64)) if !b64.is_empty() => {
                    crypto::decode_base64(b64).ok_or_else(|| "signature is not base64".to_owned())
                }
                _ => Err("signature entry has no `signature`".to_owned()),
            };
            Signature { key_id, bytes }
        })
        .collect();
    let statement = (!payload.is_empty()).then(|| parse_statement(&payload));
    Ok(Body::Signed {
        payload,
        statement,
        signatures,
        payload_hash: std::sync::OnceLock::new(),
    })
}

/// Reads what a simple-signing payload claims. Duplicate keys are rejected: a payload must
/// not mean one thing to vouch and another to a different JSON parser.
fn parse_statement(payload: &[u8]) -> Result<Statement, String> {
    let text = std::str::from_utf8(payload).map_err(|_| "payload is not UTF-8".to_owned())?;
    let value = document::parse_json(text, &Limits::DEFAULT).map_err(|e| e.message().to_owned())?;
    let critical = value
        .get("critical")
        .ok_or("payload has no `critical` object")?;
    let digest = critical
        .get("image")
        .and_then(|i| i.get("docker-manifest-digest"))
        .and_then(Value::as_str)
        .ok_or("payload has no `critical.image.docker-manifest-digest` string")?;
    let reference = critical
        .get("identity")
        .and_then(|i| i.get("docker-reference"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(Statement {
        digest: digest.to_owned(),
        reference,
    })
}

/// All attestations of one evaluation, parsed once and indexed by note and digest.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    occurrences: Vec<Occurrence>,
    index: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl Evidence {
    /// No attestations.
    pub fn new() -> Evidence {
        Evidence::default()
    }

    /// Loads occurrences from YAML or JSON text (see [`Evidence::add_value`]).
    pub fn from_text(text: &str) -> Result<Evidence, Error> {
        let mut e = Evidence::new();
        e.add_text(text)?;
        Ok(e)
    }

    /// Adds occurrences from YAML or JSON text (see [`Evidence::add_value`]).
    pub fn add_text(&mut self, text: &str) -> Result<(), Error> {
        let value = document::parse(text, &Limits::DEFAULT)
            .map_err(|e| e.about(error::Subject::Attestations))?;
        self.add_value(&value, &Limits::DEFAULT)
    }

    /// Adds occurrences from a value: a list (as `gcloud … attestations list --format=json`
    /// prints), one occurrence, `{"occurrences": [...]}`, or `null` (none).
    pub fn add_value(&mut self, value: &Value, limits: &Limits) -> Result<(), Error> {
        self.add_occurrences(value, limits)
            .map_err(|e| e.about(error::Subject::Attestations))
    }

    fn add_occurrences(&mut self, value: &Value, limits: &Limits) -> Result<(), Error> {
        // `base` is the pointer of the list holding the occurrences; `None` for a lone one.
        let (items, base): (&[Value], Option<&str>) = match value {
            Value::Null => (&[], None),
            Value::Array(items) => (items, Some("")),
            Value::Object(obj) if obj.contains_key("occurrences") => match obj.get("occurrences") {
                Some(Value::Array(items)) => (items, Some("/occurrences")),
                _ => {
                    return Err(Error::new(
                        ErrorCode::InputInvalidAttestations,
                        "/occurrences",
                        "`occurrences` must be a list",
                    ));
                }
            },
            Value::Object(obj)
                if ["noteName", "resourceUri", "attestation", "kind"]
                    .iter()
                    .any(|k| obj.contains_key(*k)) =>
            {
                (std::slice::from_ref(value), None)
            }
            other => {
                return Err(Error::new(
                    ErrorCode::InputInvalidAttestations,
                    "",
                    format!(
                        "attestations must be a list of occurrences, one occurrence, or {{\"occurrences\": [...]}}, found {}",
                        if other.is_object() {
                            "an object that is not an occurrence"
                        } else {
                            document::type_name(other)
                        }
                    ),
                ));
            }
        };
        if self.occurrences.len() + items.len() > limits.max_occurrences {
            return Err(Error::new(
                ErrorCode::InputTooManyOccurrences,
                "",
                format!(
                    "more than {} attestation occurrences",
                    limits.max_occurrences
                ),
            ));
        }
        for (i, item) in items.iter().enumerate() {
            let position = self.occurrences.len();
            let parsed = Occurrence::parse(item, position, limits).map_err(|e| match base {
                Some(base) => e.within(&join_index(base, i)),
                None => e,
            })?;
            if let Some(occ) = parsed {
                self.push(occ);
            }
        }
        Ok(())
    }

    /// Adds one list element: an occurrence object (anything else is not an occurrence and is
    /// skipped, as inside a list).
    pub(crate) fn add_item(&mut self, item: &Value, limits: &Limits) -> Result<(), Error> {
        if self.occurrences.len() >= limits.max_occurrences {
            return Err(Error::new(
                ErrorCode::InputTooManyOccurrences,
                "",
                format!(
                    "more than {} attestation occurrences",
                    limits.max_occurrences
                ),
            ));
        }
        if let Some(occ) = Occurrence::parse(item, self.occurrences.len(), limits)? {
            self.push(occ);
        }
        Ok(())
    }

    fn push(&mut self, occ: Occurrence) {
        let position = self.occurrences.len();
        if let Some(note) = &occ.note_name {
            for digest in &occ.resource_digests {
                self.index
                    .entry(note.clone())
                    .or_default()
                    .entry(digest.clone())
                    .or_default()
                    .push(position);
            }
        }
        self.occurrences.push(occ);
    }

    /// How many occurrences were read.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.occurrences.is_empty()
    }

    /// Occurrences attached to `note` whose `resourceUri` ends with `@digest`, in input order.
    fn candidates<'a>(
        &'a self,
        note: &str,
        digest: &str,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        let positions = self
            .index
            .get(note)
            .and_then(|by_digest| by_digest.get(digest));
        positions
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.occurrences.get(i))
    }
}

/// The result of looking for a valid attestation for one attestor and one image digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttestorCheck {
    Satisfied {
        occurrence: String,
        key_id: String,
        form: SignedForm,
    },
    Unsatisfied(Vec<Detail>),
}

/// What the image contributes to a check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub digest: &'a str,
    pub repository: &'a str,
    pub strict_identity: bool,
    /// The evaluation's clock (OpenPGP key and signature validity).
    pub now: Timestamp,
}

/// What one decision spends on signature verifications: its budgets (`Limits`), its memo of
/// checks already made, and the evaluator's optional cache.
///
/// The budget is charged for every check that is not in the decision's own memo, whether the
/// cache knows the result or not, so the cache can never change what is tried.
#[derive(Debug)]
pub(crate) struct Verifications<'a> {
    cache: Option<&'a VerificationCache>,
    memo: HashMap<VerificationKey, Option<SignedForm>>,
    per_attestor_image: usize,
    remaining: usize,
    per_decision: usize,
}

impl<'a> Verifications<'a> {
    pub(crate) fn new(
        cache: Option<&'a VerificationCache>,
        per_attestor_image: usize,
        per_decision: usize,
    ) -> Verifications<'a> {
        Verifications {
            cache,
            memo: HashMap::new(),
            per_attestor_image,
            remaining: per_decision,
            per_decision,
        }
    }
}

/// Looks for the first candidate occurrence (in input order) that satisfies the attestor:
/// payload for this digest (and repository, under strict identity), signed by one of the
/// attestor's keys over the raw payload or its PAE form (decisions A-4, A-12, A-13).
///
/// Signature verifications are budgeted (see [`Verifications`]): when the next one would
/// exceed the budget, it and every later candidate are reported as one `NOT_TRIED_BUDGET`
/// detail and do not count.
pub(crate) fn check_attestor(
    attestor: &Attestor,
    evidence: &Evidence,
    subject: Subject<'_>,
    verifications: &mut Verifications<'_>,
) -> AttestorCheck {
    let mut details = Vec::new();
    if attestor.keys().is_empty() {
        details.push(Detail {
            occurrence: None,
            code: DetailCode::NoKeys,
            message: format!(
                "attestor {} has no public keys, so no attestation can verify",
                attestor.name()
            ),
        });
        return AttestorCheck::Unsatisfied(details);
    }
    let mut spent = 0;
    let mut candidates = evidence.candidates(attestor.note_reference(), subject.digest);
    while let Some(occ) = candidates.next() {
        match check_occurrence(
            attestor,
            occ,
            subject,
            verifications,
            &mut spent,
            &mut details,
        ) {
            Checked::Satisfied(key_id, form) => {
                return AttestorCheck::Satisfied {
                    occurrence: occ.label.clone(),
                    key_id,
                    form,
                };
            }
            Checked::NotSatisfied => continue,
            Checked::OutOfBudget {
                signature,
                decision,
            } => {
                let later = candidates.count();
                let budget = if decision {
                    format!(
                        "the decision's budget of {} verification units",
                        verifications.per_decision
                    )
                } else {
                    format!(
                        "the budget of {} verification units for attestor {} and this image",
                        verifications.per_attestor_image,
                        attestor.name()
                    )
                };
                details.push(Detail {
                    occurrence: Some(occ.label.clone()),
                    code: DetailCode::NotTriedBudget,
                    message: format!(
                        "signature {signature} of this occurrence and every candidate after it ({later} more occurrences) were not tried: {budget} is spent"
                    ),
                });
                break;
            }
        }
    }
    AttestorCheck::Unsatisfied(details)
}

/// The outcome of one candidate occurrence.
enum Checked {
    Satisfied(String, SignedForm),
    NotSatisfied,
    /// Signature `signature` would have exceeded a budget (`decision`: the per-decision one).
    OutOfBudget {
        signature: usize,
        decision: bool,
    },
}

fn check_occurrence(
    attestor: &Attestor,
    occ: &Occurrence,
    subject: Subject<'_>,
    verifications: &mut Verifications<'_>,
    spent: &mut usize,
    details: &mut Vec<Detail>,
) -> Checked {
    let mut fail = |code: DetailCode, message: String| {
        details.push(Detail {
            occurrence: Some(occ.label.clone()),
            code,
            message,
        });
    };
    let (payload, statement, signatures, payload_hash) = match &occ.body {
        Body::Signed {
            payload,
            statement,
            signatures,
            payload_hash,
        } => (payload, statement, signatures, payload_hash),
        Body::Malformed(why) => {
            fail(DetailCode::MalformedAttestation, why.clone());
            return Checked::NotSatisfied;
        }
        Body::Unsupported(why) => {
            fail(DetailCode::UnsupportedAttestationFormat, why.clone());
            return Checked::NotSatisfied;
        }
    };
    // Cheap, decisive checks first: a payload that cannot bind to this image never needs a
    // signature verification.
    if let Some(statement) = statement
        && let Err((code, message)) = check_statement(statement.as_ref(), subject)
    {
        fail(code, message);
        return Checked::NotSatisfied;
    }
    for (i, sig) in signatures.iter().enumerate() {
        let Some(key) = attestor.key(&sig.key_id) else {
            fail(
                DetailCode::UnknownKeyId,
                format!(
                    "signature {i} names key `{}`, which attestor {} does not list",
                    sig.key_id,
                    attestor.name()
                ),
            );
            continue;
        };
        let bytes = match &sig.bytes {
            Ok(b) => b,
            Err(why) => {
                fail(
                    DetailCode::MalformedAttestation,
                    format!("signature {i}: {why}"),
                );
                continue;
            }
        };
        let bad_signature = |i: usize| {
            format!(
                "signature {i} by key `{}` does not verify over the payload (raw or PAE)",
                sig.key_id
            )
        };
        match key.material() {
            KeyMaterial::Pkix(verifying_key) => {
                if payload.is_empty() {
                    fail(
                        DetailCode::MalformedAttestation,
                        "occurrence has no `serializedPayload`".into(),
                    );
                    return Checked::NotSatisfied;
                }
                // A signature of a length this key never produces costs no verification.
                if !verifying_key.signature_length_plausible(bytes.len()) {
                    fail(DetailCode::BadSignature, bad_signature(i));
                    continue;
                }
                let id = VerificationKey {
                    algorithm: verifying_key.algorithm(),
                    key: *verifying_key.fingerprint(),
                    payload: *payload_hash.get_or_init(|| Sha256::digest(payload).into()),
                    signature: Sha256::digest(bytes).into(),
                };
                let outcome = match verifications.memo.get(&id) {
                    Some(outcome) => *outcome,
                    None => {
                        if let Err(out) = charge(
                            verifications,
                            spent,
                            Limits::verification_cost(
                                Some(verifying_key.algorithm()),
                                payload.len(),
                            ),
                            i,
                        ) {
                            return out;
                        }
                        let outcome = match verifications.cache {
                            Some(cache) => match cache.get(&id) {
                                Some(outcome) => outcome,
                                None => {
                                    let outcome = verify_raw_or_pae(verifying_key, payload, bytes);
                                    cache.insert(id, outcome);
                                    outcome
                                }
                            },
                            None => verify_raw_or_pae(verifying_key, payload, bytes),
                        };
                        verifications.memo.insert(id, outcome);
                        outcome
                    }
                };
                if let Some(form) = outcome {
                    return Checked::Satisfied(sig.key_id.clone(), form);
                }
                fail(DetailCode::BadSignature, bad_signature(i));
            }
            KeyMaterial::Pgp(pgp_key) => {
                // OpenPGP checks are not memoized (their outcome carries the signed bytes).
                let cost = Limits::verification_cost(None, payload.len().max(bytes.len()));
                if let Err(out) = charge(verifications, spent, cost, i) {
                    return out;
                }
                match pgp_key.verify(bytes, payload, subject.now) {
                    PgpOutcome::Valid(signed) => {
                        if statement.is_none() {
                            // The payload came out of the signature: bind it now.
                            if let Err((code, message)) =
                                check_statement(parse_statement(&signed).as_ref(), subject)
                            {
                                fail(code, message);
                                continue;
                            }
                        }
                        return Checked::Satisfied(sig.key_id.clone(), SignedForm::Raw);
                    }
                    PgpOutcome::Invalid => fail(
                        DetailCode::BadSignature,
                        format!(
                            "OpenPGP signature {i} does not verify with key `{}`",
                            sig.key_id
                        ),
                    ),
                    PgpOutcome::Refused(code, why) => fail(code, format!("signature {i}: {why}")),
                    PgpOutcome::Malformed(why) => fail(
                        DetailCode::MalformedAttestation,
                        format!("signature {i}: {why}"),
                    ),
                }
            }
        }
    }
    Checked::NotSatisfied
}

/// Charges `cost` verifications to both budgets, or says which one it would exceed (then
/// nothing is charged).
fn charge(
    verifications: &mut Verifications<'_>,
    spent: &mut usize,
    cost: usize,
    signature: usize,
) -> Result<(), Checked> {
    if spent.saturating_add(cost) > verifications.per_attestor_image {
        return Err(Checked::OutOfBudget {
            signature,
            decision: false,
        });
    }
    if cost > verifications.remaining {
        return Err(Checked::OutOfBudget {
            signature,
            decision: true,
        });
    }
    *spent += cost;
    verifications.remaining -= cost;
    Ok(())
}

/// Decisions A-4 and A-13: the raw payload first, then its PAE form.
fn verify_raw_or_pae(
    key: &crypto::VerifyingKey,
    payload: &[u8],
    signature: &[u8],
) -> Option<SignedForm> {
    if key.verify(payload, signature) == Verified::Valid {
        Some(SignedForm::Raw)
    } else if key.verify(&crypto::pae(payload), signature) == Verified::Valid {
        Some(SignedForm::Pae)
    } else {
        None
    }
}

/// Binds a simple-signing statement to the image: digest, and repository under strict identity.
fn check_statement(
    statement: Result<&Statement, &String>,
    subject: Subject<'_>,
) -> Result<(), (DetailCode, String)> {
    let statement = statement.map_err(|why| {
        (
            DetailCode::MalformedPayload,
            format!("payload is not a simple-signing document: {why}"),
        )
    })?;
    if statement.digest != subject.digest {
        return Err((
            DetailCode::DigestMismatch,
            format!(
                "payload is for digest `{}`, not the image's `{}`",
                statement.digest, subject.digest
            ),
        ));
    }
    if subject.strict_identity && statement.reference.as_deref() != Some(subject.repository) {
        return Err((
            DetailCode::IdentityMismatch,
            format!(
                "payload names `{}`, not the image's repository `{}` (strict identity)",
                statement.reference.as_deref().unwrap_or("nothing"),
                subject.repository
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_parsing() {
        let ok = br#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:x"},"type":"t"}}"#;
        assert_eq!(
            parse_statement(ok),
            Ok(Statement {
                digest: "sha256:x".into(),
                reference: Some("r".into())
            })
        );
        assert!(parse_statement(b"not json").is_err());
        assert!(parse_statement(br#"{"critical":{"image":{}}}"#).is_err());
        let dup = br#"{"critical":{"image":{"docker-manifest-digest":"sha256:a","docker-manifest-digest":"sha256:b"}}}"#;
        assert!(parse_statement(dup).unwrap_err().contains("more than once"));
    }

    #[test]
    fn evidence_shapes() {
        let occ = serde_json::json!({"name": "o", "noteName": "projects/p/notes/n", "resourceUri": "x@sha256:a",
            "attestation": {"serializedPayload": "e30=", "signatures": [{"publicKeyId": "k", "signature": "AA=="}]}});
        let mut e = Evidence::new();
        e.add_value(
            &serde_json::json!([occ.clone(), "junk", {"kind": "VULNERABILITY"}]),
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(e.len(), 1);
        e.add_value(&occ, &Limits::DEFAULT).unwrap();
        e.add_value(&serde_json::json!({"occurrences": [occ]}), &Limits::DEFAULT)
            .unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e.candidates("projects/p/notes/n", "sha256:a").count(), 3);
        assert_eq!(e.candidates("projects/p/notes/n", "sha256:b").count(), 0);
        let err = Evidence::new()
            .add_value(&serde_json::json!({"policy": 1}), &Limits::DEFAULT)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputInvalidAttestations);
        let err = Evidence::new()
            .add_value(&serde_json::json!("x"), &Limits::DEFAULT)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InputInvalidAttestations);
    }

    #[test]
    fn nameless_occurrences_get_positions() {
        let mut e = Evidence::new();
        e.add_value(
            &serde_json::json!([{"noteName": "n"}, {"noteName": "n", "name": "x"}]),
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(e.occurrences[0].label(), "#0");
        assert_eq!(e.occurrences[1].label(), "x");
    }
}
