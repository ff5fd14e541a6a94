//! Checking evidence for one attestor and one image: which occurrence, signed by which of the
//! attestor's keys, counts (verification itself is in `verify`).

use std::collections::HashMap;

use sha2::{Digest as _, Sha256};

use super::Evidence;
use super::occurrence::{Body, Occurrence};
use super::simple_signing::{Statement, parse_statement};
use crate::decision::{Detail, DetailCode, SignedForm, TimeSource};
use crate::limits::Limits;
use crate::time::Timestamp;
use crate::verify::attestor::Attestor;
use crate::verify::cache::{VerificationCache, VerificationKey};
use crate::verify::crypto::{self, Verified};
use crate::verify::key::{KeyMaterial, PublicKey};
use crate::verify::openpgp::PgpOutcome;

/// The result of looking for a valid attestation for one attestor and one image digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttestorCheck {
    Satisfied {
        occurrence: String,
        key_id: String,
        form: SignedForm,
        /// Under the freshness rule: the time the age was measured from, and its source.
        time: SignedAt,
    },
    Unsatisfied(Vec<Detail>),
}

/// What the image contributes to a check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckedImage<'a> {
    pub digest: &'a str,
    pub repository: &'a str,
    pub strict_identity: bool,
    /// The evaluation's clock (OpenPGP key and signature validity).
    pub now: Timestamp,
    /// The freshness rule (`maxAttestationAge`), when the caller set one.
    pub freshness: Option<Freshness>,
}

/// The freshness rule: attestations signed at most `max_age` seconds before `now` count
/// (decision E-5; the signed time is the payload's `optional.timestamp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Freshness {
    pub max_age: u64,
    /// Measure an attestation without a signed time from the occurrence's `createTime`.
    pub trust_occurrence_time: bool,
}

/// When a satisfying attestation was signed, and by which account (freshness rule only).
pub(crate) type SignedAt = Option<(Timestamp, TimeSource)>;

/// Whose keys a signature is checked with: an attestor's, or a platform policy's
/// authenticator's (decision P-7). A signature's `publicKeyId` selects the key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signer<'a> {
    /// What the signer is, for details (`attestor`, `authenticator`).
    pub kind: &'static str,
    /// The name details use (the attestor's resource name, the authenticator's display name).
    pub name: &'a str,
    pub keys: &'a [PublicKey],
}

impl<'a> Signer<'a> {
    /// An attestor's keys.
    pub(crate) fn of(attestor: &'a Attestor) -> Signer<'a> {
        Signer {
            kind: "attestor",
            name: attestor.name(),
            keys: attestor.keys(),
        }
    }

    fn key(&self, id: &str) -> Option<&'a PublicKey> {
        self.keys.iter().find(|k| k.id() == id)
    }
}

/// How far after `now` a signed time may lie (clock skew), as decision E-5 allows.
const FUTURE_SKEW_SECONDS: i64 = 300;

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
    /// The units left of the per-decision (or per-inspection) budget.
    pub(crate) fn remaining(&self) -> usize {
        self.remaining
    }

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
/// attestor's keys over the raw payload or its PAE form (decisions ).
///
/// Signature verifications are budgeted (see [`Verifications`]): when the next one would
/// exceed the budget, it and every later candidate are reported as one `NOT_TRIED_BUDGET`
/// detail and do not count.
pub(crate) fn check_attestor(
    attestor: &Attestor,
    evidence: &Evidence,
    subject: CheckedImage<'_>,
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
            Signer::of(attestor),
            occ,
            subject,
            verifications,
            &mut spent,
            &mut details,
        ) {
            Checked::Satisfied(key_id, form, time) => {
                return AttestorCheck::Satisfied {
                    occurrence: occ.label.clone(),
                    key_id,
                    form,
                    time,
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

/// Checks one occurrence for one attestor (as [`check_attestor`] checks each candidate):
/// the key and signed form that verified it, or every reason it does not count.
pub(crate) fn check_one(
    attestor: &Attestor,
    occ: &Occurrence,
    subject: CheckedImage<'_>,
    verifications: &mut Verifications<'_>,
) -> Result<(String, SignedForm, SignedAt), Vec<Detail>> {
    check_signed(Signer::of(attestor), occ, subject, verifications)
}

/// Checks one occurrence with a signer's keys: the key and signed form that verified it, or
/// every reason it does not count. The signer's name is in the details; the occurrence's note
/// is not looked at (the caller chose the candidates).
pub(crate) fn check_signed(
    signer: Signer<'_>,
    occ: &Occurrence,
    subject: CheckedImage<'_>,
    verifications: &mut Verifications<'_>,
) -> Result<(String, SignedForm, SignedAt), Vec<Detail>> {
    let mut details = Vec::new();
    let mut spent = 0;
    match check_occurrence(
        signer,
        occ,
        subject,
        verifications,
        &mut spent,
        &mut details,
    ) {
        Checked::Satisfied(key_id, form, time) => Ok((key_id, form, time)),
        Checked::NotSatisfied => Err(details),
        Checked::OutOfBudget { signature, .. } => {
            details.push(Detail {
                occurrence: Some(occ.label.clone()),
                code: DetailCode::NotTriedBudget,
                message: format!(
                    "signature {signature} was not tried: the verification budget is spent"
                ),
            });
            Err(details)
        }
    }
}

/// The outcome of one candidate occurrence.
enum Checked {
    Satisfied(String, SignedForm, SignedAt),
    NotSatisfied,
    /// Signature `signature` would have exceeded a budget (`decision`: the per-decision one).
    OutOfBudget {
        signature: usize,
        decision: bool,
    },
}

fn check_occurrence(
    signer: Signer<'_>,
    occ: &Occurrence,
    subject: CheckedImage<'_>,
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
    let mut signed_at = None;
    if let Some(statement) = statement {
        match check_statement(statement.as_ref(), subject)
            .and_then(|()| check_freshness(statement.as_ref(), occ, subject))
        {
            Ok(time) => signed_at = time,
            Err((code, message)) => {
                fail(code, message);
                return Checked::NotSatisfied;
            }
        }
    }
    for (i, sig) in signatures.iter().enumerate() {
        let Some(key) = signer.key(&sig.key_id) else {
            fail(
                DetailCode::UnknownKeyId,
                format!(
                    "signature {i} names key `{}`, which {} {} does not list",
                    sig.key_id, signer.kind, signer.name
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
                    return Checked::Satisfied(sig.key_id.clone(), form, signed_at);
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
                            let parsed = parse_statement(&signed);
                            match check_statement(parsed.as_ref(), subject)
                                .and_then(|()| check_freshness(parsed.as_ref(), occ, subject))
                            {
                                Ok(time) => signed_at = time,
                                Err((code, message)) => {
                                    fail(code, message);
                                    continue;
                                }
                            }
                        }
                        return Checked::Satisfied(sig.key_id.clone(), SignedForm::Raw, signed_at);
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

/// Decisions: the raw payload first, then its PAE form.
fn verify_raw_or_pae(
    key: &crypto::VerifyingKey,
    payload: &[u8],
    signature: &[u8],
) -> Option<SignedForm> {
    if key.verify(payload, signature) == Verified::Valid {
        Some(SignedForm::Raw)
    } else if key.verify(&crate::verify::dsse::pae(payload), signature) == Verified::Valid {
        Some(SignedForm::Pae)
    } else {
        None
    }
}

/// The freshness rule (decision E-5), when the caller set one: the attestation's age is
/// measured from the payload's signed `optional.timestamp`, or — only if the caller trusts
/// occurrence times and the payload has none — from the occurrence's unsigned `createTime`.
/// A signed time more than five minutes after `now` does not count.
fn check_freshness(
    statement: Result<&Statement, &String>,
    occ: &Occurrence,
    subject: CheckedImage<'_>,
) -> Result<SignedAt, (DetailCode, String)> {
    let Some(rule) = subject.freshness else {
        return Ok(None);
    };
    // A payload that is not simple-signing was refused by `check_statement` already.
    let Ok(statement) = statement else {
        return Ok(None);
    };
    let (time, source) = match &statement.timestamp {
        Some(Ok(seconds)) => match Timestamp::from_unix(*seconds, 0) {
            Some(t) => (t, TimeSource::SignedPayload),
            None => {
                return Err((
                    DetailCode::MalformedPayload,
                    format!("`optional.timestamp` {seconds} is not a time"),
                ));
            }
        },
        Some(Err(why)) => return Err((DetailCode::MalformedPayload, why.clone())),
        None => match (rule.trust_occurrence_time, occ.create_time) {
            (true, Some(t)) => (t, TimeSource::OccurrenceCreateTime),
            (true, None) => {
                return Err((
                    DetailCode::NoSignedTime,
                    "the payload has no signed `optional.timestamp` and the occurrence no `createTime`"
                        .into(),
                ));
            }
            (false, _) => {
                return Err((
                    DetailCode::NoSignedTime,
                    "the payload has no signed `optional.timestamp` (occurrence times are not trusted)"
                        .into(),
                ));
            }
        },
    };
    let now = subject.now.unix_seconds();
    let at = time.unix_seconds();
    if at > now.saturating_add(FUTURE_SKEW_SECONDS) {
        return Err((
            DetailCode::SignedTimeInFuture,
            format!(
                "signed at {time}, more than 5 minutes after now ({})",
                subject.now
            ),
        ));
    }
    let age = now.saturating_sub(at);
    if age > 0 && age.unsigned_abs() > rule.max_age {
        let by = match source {
            TimeSource::SignedPayload => "its signed time",
            TimeSource::OccurrenceCreateTime => "the occurrence's createTime (trusted by option)",
        };
        return Err((
            DetailCode::AttestationTooOld,
            format!(
                "signed at {time} ({by}), {} old, more than maxAttestationAge {}",
                crate::time::format_duration(age.unsigned_abs()),
                crate::time::format_duration(rule.max_age)
            ),
        ));
    }
    Ok(Some((time, source)))
}

/// Binds a simple-signing statement to the image: digest, and repository under strict identity.
fn check_statement(
    statement: Result<&Statement, &String>,
    subject: CheckedImage<'_>,
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
