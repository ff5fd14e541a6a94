//! OpenPGP attestor keys and signatures, verification only (semantics §2.4, decision A-8).
//!
//! A key is an ASCII-armored public key block holding exactly one primary key (LF or CRLF).
//! Its id is the upper-case hex V4 fingerprint of the primary key, whatever id was supplied.
//! Signatures are attached (a signed message carrying the payload as literal data, as
//! `gpg --armor --sign` writes) or detached (over `serializedPayload`), armored or binary; which
//! one is decided by the packets, not by the armor label.
//!
//! Keys and signatures are judged as RFC 9580 and GnuPG judge them, with the evaluation's
//! `now` as the clock (semantics §5 check 7): a signature counts only if it verifies with the
//! primary key or a bound subkey, and that (sub)key is neither revoked nor expired at `now`
//! and may sign, and the signature is a document signature, not expired at `now`, not dated
//! after `now` (plus [`CLOCK_SKEW_SECONDS`]) nor before its key's creation, and has no
//! critical subpacket vouch does not understand. Compressed data is inflated with a budget
//! ([`crate::limits::MAX_PGP_DECOMPRESSED_BYTES`]).

use std::fmt;

use pgp::composed::{Deserializable as _, DetachedSignature, Message, SignedPublicKey};
use pgp::packet::{Signature, SignatureType};
use pgp::types::KeyDetails as _;

mod components;
mod packets;

use self::components::{Verdict, primary_component, subkey_component, unknown_critical};
use self::packets::{RawPacket, Unpack, dearmor, flatten};
use crate::decision::DetailCode;
use crate::limits::MAX_PGP_DECOMPRESSED_BYTES;
use crate::time::Timestamp;

/// How far in the future (after `now`) a signature's creation time may be: tolerates clocks
/// that disagree by a few minutes between the signer and the evaluator.
pub(crate) const CLOCK_SKEW_SECONDS: i64 = 300;

/// Deepest nesting of compressed data packets (GnuPG signs with one level).
const MAX_COMPRESSION_DEPTH: usize = 8;

/// Most signature packets in one OpenPGP signature or message (one per `gpg -u`), as
/// `Limits::max_signatures_per_occurrence` bounds the signatures of an occurrence.
const MAX_PGP_SIGNATURES: usize = 64;

/// A decoded OpenPGP public key.
#[derive(Clone)]
pub(crate) struct PgpKey {
    fingerprint: String,
    key: SignedPublicKey,
    primary: Component,
    /// One per `key.public_subkeys`, in the same order.
    subkeys: Vec<Component>,
}

impl fmt::Debug for PgpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgpKey")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// What the self-signatures say about the primary key or one subkey (checked once, at load).
#[derive(Debug, Clone, Default)]
struct Component {
    /// Creation time (Unix seconds).
    created: i64,
    /// A revocation signature by the primary key verifies.
    revoked: bool,
    /// The algorithm can sign (the usage when a self-signature has no key flags, as GnuPG).
    algorithm_signs: bool,
    /// Self-signatures (primary) or binding signatures (subkey) that verify.
    bindings: Vec<Binding>,
}

/// One verified self-signature or subkey binding signature.
#[derive(Debug, Clone, Copy)]
struct Binding {
    created: i64,
    /// Key expiration time, seconds after the key's creation (0: never).
    expires_after: u32,
    /// The signing flag when a key-flags subpacket is present.
    signs: Option<bool>,
}

/// Which part of the key made a signature.
#[derive(Debug, Clone, Copy)]
enum Part {
    Primary,
    Subkey(usize),
}

/// What checking one OpenPGP signature gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PgpOutcome {
    /// The signature verifies; these are the signed bytes (the payload).
    Valid(Vec<u8>),
    /// Well-formed, but not a valid signature by this key over these bytes.
    Invalid,
    /// A signature by this key verifies cryptographically but does not count (revoked or
    /// expired key, expired or future signature, …), or names this key with a critical
    /// subpacket vouch does not understand, or the data inflates past the decompression
    /// budget: the detail code says why.
    Refused(DetailCode, String),
    /// Not an OpenPGP signature vouch can check.
    Malformed(String),
}

impl PgpKey {
    /// Decodes an armored public key block with exactly one V4 primary key and at least one
    /// valid self-signature.
    pub(crate) fn from_armored(text: &str) -> Result<PgpKey, String> {
        contained(|| PgpKey::decode(text))
            .unwrap_or_else(|| Err("the OpenPGP parser failed on this key".into()))
    }

    fn decode(text: &str) -> Result<PgpKey, String> {
        let normalized = text.replace("\r\n", "\n");
        if normalized
            .matches("-----BEGIN PGP PUBLIC KEY BLOCK-----")
            .count()
            != 1
        {
            return Err("give exactly one ASCII-armored public key block".into());
        }
        let keys: Vec<SignedPublicKey> = SignedPublicKey::from_string_many(&normalized)
            .map_err(|e| format!("not an ASCII-armored OpenPGP public key: {}", brief(&e)))?
            .0
            .collect::<Result<_, _>>()
            .map_err(|e| format!("not an ASCII-armored OpenPGP public key: {}", brief(&e)))?;
        let key = match <[SignedPublicKey; 1]>::try_from(keys) {
            Ok([key]) => key,
            Err(keys) => {
                return Err(format!(
                    "the armored block holds {} keys; give exactly one",
                    keys.len()
                ));
            }
        };
        let fingerprint = key.fingerprint();
        if fingerprint.as_bytes().len() != 20 {
            return Err(
                "only OpenPGP V4 keys are supported (their fingerprint is the key id)".into(),
            );
        }
        let primary = primary_component(&key);
        if primary.bindings.is_empty() && !primary.revoked {
            return Err(
                "the key has no valid self-signature (a user ID certification or direct key signature by the primary key)"
                    .into(),
            );
        }
        let subkeys = key
            .public_subkeys
            .iter()
            .map(|sub| subkey_component(&key, sub))
            .collect();
        Ok(PgpKey {
            fingerprint: format!("{fingerprint:X}"),
            key,
            primary,
            subkeys,
        })
    }

    /// The upper-case V4 fingerprint: the key's id.
    pub(crate) fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Checks a signature at `now`. `payload` is `serializedPayload` (empty when absent): a
    /// detached signature must cover it; an attached one must carry it (when it is non-empty).
    pub(crate) fn verify(&self, signature: &[u8], payload: &[u8], now: Timestamp) -> PgpOutcome {
        contained(|| self.check(signature, payload, now.unix_seconds())).unwrap_or_else(|| {
            PgpOutcome::Malformed("the OpenPGP parser failed on this signature".into())
        })
    }

    fn check(&self, signature: &[u8], payload: &[u8], now: i64) -> PgpOutcome {
        let binary = match dearmor(signature) {
            Ok(b) => b,
            Err(why) => return PgpOutcome::Malformed(why),
        };
        let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
        let mut packets = Vec::new();
        match flatten(&binary, 0, &mut budget, &mut packets) {
            Ok(()) => {}
            Err(Unpack::Malformed(why)) => return PgpOutcome::Malformed(why),
            Err(Unpack::TooLarge) => {
                return PgpOutcome::Refused(
                    DetailCode::PgpDecompressedTooLarge,
                    format!(
                        "the compressed OpenPGP data inflates to more than {MAX_PGP_DECOMPRESSED_BYTES} bytes"
                    ),
                );
            }
        }
        if packets.is_empty() {
            return PgpOutcome::Malformed("no OpenPGP packets".into());
        }
        if packets.iter().all(|p| p.tag == 2) {
            self.verify_detached(&packets, payload, now)
        } else {
            let mut bytes = Vec::new();
            for p in &packets {
                p.write(&mut bytes);
            }
            match Message::from_bytes(&bytes[..]) {
                Ok(message) => self.verify_message(message, payload, now),
                Err(e) => PgpOutcome::Malformed(format!("not an OpenPGP message: {}", brief(&e))),
            }
        }
    }

    fn verify_detached(&self, packets: &[RawPacket], payload: &[u8], now: i64) -> PgpOutcome {
        if payload.is_empty() {
            return PgpOutcome::Malformed(
                "a detached OpenPGP signature needs `serializedPayload`".into(),
            );
        }
        if packets.len() > MAX_PGP_SIGNATURES {
            return PgpOutcome::Malformed(format!(
                "more than {MAX_PGP_SIGNATURES} OpenPGP signature packets"
            ));
        }
        let mut verdict = Verdict::default();
        for packet in packets {
            let mut bytes = Vec::new();
            packet.write(&mut bytes);
            let detached = match DetachedSignature::from_bytes(&bytes[..]) {
                Ok(d) => d,
                Err(e) => {
                    verdict.malformed(format!("not an OpenPGP signature: {}", brief(&e)));
                    continue;
                }
            };
            let sig = &detached.signature;
            let part = self
                .parts()
                .filter(|&part| self.may_have_made(part, sig))
                .find(|&part| self.verifies(part, sig, payload));
            if let Some(part) = part {
                match self.judge(sig, part, now) {
                    Ok(()) => return PgpOutcome::Valid(payload.to_vec()),
                    Err((code, why)) => verdict.refused(code, why),
                }
            } else {
                self.unverifiable(sig, &mut verdict);
            }
        }
        verdict.outcome()
    }

    fn verify_message(&self, mut message: Message<'_>, payload: &[u8], now: i64) -> PgpOutcome {
        if !message.is_signed() {
            return PgpOutcome::Malformed("the OpenPGP message is not signed".into());
        }
        // The packets were flattened, so the literal data is no larger than the input plus the
        // decompression budget.
        let data = match message.as_data_vec() {
            Ok(d) => d,
            Err(e) => {
                return PgpOutcome::Malformed(format!(
                    "cannot read the signed data: {}",
                    brief(&e)
                ));
            }
        };
        let count = match &message {
            Message::Signed { reader, .. } => reader.num_signatures(),
            _ => 0,
        };
        let mut verdict = Verdict::default();
        if count > MAX_PGP_SIGNATURES {
            return PgpOutcome::Malformed(format!(
                "more than {MAX_PGP_SIGNATURES} OpenPGP signatures in the message"
            ));
        }
        for index in 0..count {
            let claimed = match &message {
                Message::Signed { reader, .. } => reader.signature(index),
                _ => None,
            };
            let found = self
                .parts()
                .filter(|&part| claimed.is_some_and(|sig| self.may_have_made(part, sig)))
                .find_map(|part| {
                    self.message_signature(&message, index, part)
                        .map(|sig| (part, sig))
                });
            if let Some((part, sig)) = found {
                match self.judge(sig, part, now) {
                    Ok(()) => {
                        if !payload.is_empty() && data != payload {
                            return PgpOutcome::Malformed(
                                "the signed literal data differs from `serializedPayload`".into(),
                            );
                        }
                        return PgpOutcome::Valid(data);
                    }
                    Err((code, why)) => verdict.refused(code, why),
                }
            } else if let Message::Signed { reader, .. } = &message
                && let Some(sig) = reader.signature(index)
            {
                self.unverifiable(sig, &mut verdict);
            }
        }
        verdict.outcome()
    }

    /// A signature that names this key as its issuer but does not verify: rPGP refuses to
    /// verify one with an unknown critical subpacket, so say that rather than `BAD_SIGNATURE`.
    fn unverifiable(&self, sig: &Signature, verdict: &mut Verdict) {
        let named = !sig.issuer_key_id().is_empty() || !sig.issuer_fingerprint().is_empty();
        if named
            && self.parts().any(|part| self.may_have_made(part, sig))
            && let Some(kind) = unknown_critical(sig)
        {
            verdict.refused(
                DetailCode::PgpUnknownCriticalSubpacket,
                format!(
                    "the signature has a critical subpacket vouch does not understand ({kind})"
                ),
            );
        }
    }

    /// Whether `sig` names this part of the key as its issuer (key id or fingerprint), or names
    /// no issuer at all: as GnuPG, only the key a signature names is tried, so a block of many
    /// signatures by other keys costs no verification.
    fn may_have_made(&self, part: Part, sig: &Signature) -> bool {
        let ids = sig.issuer_key_id();
        let fingerprints = sig.issuer_fingerprint();
        if ids.is_empty() && fingerprints.is_empty() {
            return true;
        }
        let (id, fingerprint) = match part {
            Part::Primary => (
                self.key.primary_key.legacy_key_id(),
                self.key.primary_key.fingerprint(),
            ),
            Part::Subkey(i) => match self.key.public_subkeys.get(i) {
                Some(sub) => (sub.key.legacy_key_id(), sub.key.fingerprint()),
                None => return false,
            },
        };
        ids.contains(&&id) || fingerprints.contains(&&fingerprint)
    }

    fn parts(&self) -> impl Iterator<Item = Part> + '_ {
        std::iter::once(Part::Primary).chain((0..self.subkeys.len()).map(Part::Subkey))
    }

    /// Whether `sig` verifies over `data` with this part of the key.
    fn verifies(&self, part: Part, sig: &Signature, data: &[u8]) -> bool {
        match part {
            Part::Primary => sig.verify(&self.key.primary_key, data).is_ok(),
            Part::Subkey(i) => self
                .key
                .public_subkeys
                .get(i)
                .is_some_and(|sub| sig.verify(&sub.key, data).is_ok()),
        }
    }

    /// The message's signature `index`, if it verifies with this part of the key.
    fn message_signature<'m>(
        &self,
        message: &'m Message<'_>,
        index: usize,
        part: Part,
    ) -> Option<&'m Signature> {
        match part {
            Part::Primary => message
                .verify_nested_explicit(index, &self.key.primary_key)
                .ok(),
            Part::Subkey(i) => self
                .key
                .public_subkeys
                .get(i)
                .and_then(|sub| message.verify_nested_explicit(index, &sub.key).ok()),
        }
    }

    fn component(&self, part: Part) -> Option<&Component> {
        match part {
            Part::Primary => Some(&self.primary),
            Part::Subkey(i) => self.subkeys.get(i),
        }
    }

    /// The rules a signature that verifies cryptographically must also meet (semantics §5 check 7).
    fn judge(&self, sig: &Signature, part: Part, now: i64) -> Result<(), (DetailCode, String)> {
        let which = match part {
            Part::Primary => "the primary key".to_owned(),
            Part::Subkey(i) => format!("subkey {i}"),
        };
        if !matches!(sig.typ(), Some(SignatureType::Binary | SignatureType::Text)) {
            return Err((
                DetailCode::BadSignature,
                format!("the signature by {which} is not a document signature (type 0x00 or 0x01)"),
            ));
        }
        if let Some(kind) = unknown_critical(sig) {
            return Err((
                DetailCode::PgpUnknownCriticalSubpacket,
                format!(
                    "the signature has a critical subpacket vouch does not understand ({kind})"
                ),
            ));
        }
        let Some(created) = sig.created().map(|t| i64::from(t.as_secs())) else {
            return Err((
                DetailCode::MalformedAttestation,
                "the signature has no creation time".into(),
            ));
        };
        if created > now.saturating_add(CLOCK_SKEW_SECONDS) {
            return Err((
                DetailCode::PgpSignatureInFuture,
                format!(
                    "the signature was made at {created}, more than {CLOCK_SKEW_SECONDS} s after now ({now})"
                ),
            ));
        }
        if let Some(expires) = sig.signature_expiration_time().map(|d| d.as_secs())
            && expires != 0
            && created.saturating_add(i64::from(expires)) <= now
        {
            return Err((
                DetailCode::PgpSignatureExpired,
                format!(
                    "the signature expired at {} (now is {now})",
                    created.saturating_add(i64::from(expires))
                ),
            ));
        }
        let (Some(component), Some(primary)) =
            (self.component(part), self.component(Part::Primary))
        else {
            return Err((DetailCode::BadSignature, "no such key".into()));
        };
        if created < component.created {
            return Err((
                DetailCode::PgpSignatureBeforeKey,
                format!(
                    "the signature was made at {created}, before {which} was created ({})",
                    component.created
                ),
            ));
        }
        if primary.revoked {
            return Err((
                DetailCode::PgpKeyRevoked,
                "the primary key is revoked".into(),
            ));
        }
        if component.revoked {
            return Err((DetailCode::PgpKeyRevoked, format!("{which} is revoked")));
        }
        let Some(primary_binding) = primary.binding_at(now) else {
            return Err((
                DetailCode::PgpKeyUnbound,
                "the primary key has no valid self-signature made before now".into(),
            ));
        };
        if let Some(at) = primary.expired(primary_binding, now) {
            return Err((
                DetailCode::PgpKeyExpired,
                format!("the primary key expired at {at} (now is {now})"),
            ));
        }
        let binding = match part {
            Part::Primary => primary_binding,
            Part::Subkey(_) => {
                let Some(binding) = component.binding_at(now) else {
                    return Err((
                        DetailCode::PgpKeyUnbound,
                        format!("{which} has no valid binding signature made before now"),
                    ));
                };
                if let Some(at) = component.expired(binding, now) {
                    return Err((
                        DetailCode::PgpKeyExpired,
                        format!("{which} expired at {at} (now is {now})"),
                    ));
                }
                binding
            }
        };
        if !binding.signs.unwrap_or(component.algorithm_signs) {
            return Err((
                DetailCode::PgpKeyNotForSigning,
                format!("{which} is not marked for signing (its key flags lack the signing flag)"),
            ));
        }
        Ok(())
    }
}

/// The parser's error, without the input bytes some of its messages embed.
fn brief(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string();
    let cut = text
        .find(" Error(")
        .or_else(|| text.find(" input: "))
        .unwrap_or(text.len());
    let mut short: String = text.chars().take(cut.min(160)).collect();
    if short.ends_with(':') {
        short.pop();
    }
    short
}

/// Runs third-party OpenPGP parsing so that a bug there (a panic on hostile input, as
/// RUSTSEC-2024-0447 was) becomes "cannot verify" instead of taking the process down. Where
/// panics abort (wasm32), this is a plain call.
fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]
mod tests;
