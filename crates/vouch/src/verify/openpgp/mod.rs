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
use std::io::Read as _;

use pgp::composed::{Deserializable as _, DetachedSignature, Message, SignedPublicKey};
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::packet::{Decompressor, Signature, SignatureType, SubpacketData};
use pgp::types::{CompressionAlgorithm, KeyDetails as _, Tag};

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

impl Component {
    /// The newest binding made no later than `now` (plus the skew).
    fn binding_at(&self, now: i64) -> Option<Binding> {
        self.bindings
            .iter()
            .filter(|b| b.created <= now.saturating_add(CLOCK_SKEW_SECONDS))
            .max_by_key(|b| b.created)
            .copied()
    }

    /// When the key expired, if it has at `now` (expiry at exactly `now` counts as expired).
    fn expired(&self, binding: Binding, now: i64) -> Option<i64> {
        let at = self
            .created
            .saturating_add(i64::from(binding.expires_after));
        (binding.expires_after != 0 && at <= now).then_some(at)
    }
}

/// Collects the refusals of signatures by this key when none counts.
#[derive(Default)]
struct Verdict {
    refusal: Option<(DetailCode, String)>,
    malformed: Option<String>,
}

impl Verdict {
    fn refused(&mut self, code: DetailCode, why: String) {
        if self.refusal.is_none() {
            self.refusal = Some((code, why));
        }
    }

    fn malformed(&mut self, why: String) {
        if self.malformed.is_none() {
            self.malformed = Some(why);
        }
    }

    fn outcome(self) -> PgpOutcome {
        match (self.refusal, self.malformed) {
            (Some((code, why)), _) => PgpOutcome::Refused(code, why),
            (None, Some(why)) => PgpOutcome::Malformed(why),
            (None, None) => PgpOutcome::Invalid,
        }
    }
}

fn algorithm_signs(algorithm: PublicKeyAlgorithm) -> bool {
    matches!(
        algorithm,
        PublicKeyAlgorithm::RSA
            | PublicKeyAlgorithm::RSASign
            | PublicKeyAlgorithm::DSA
            | PublicKeyAlgorithm::ECDSA
            | PublicKeyAlgorithm::EdDSALegacy
            | PublicKeyAlgorithm::Ed25519
            | PublicKeyAlgorithm::Ed448
    )
}

fn binding_of(sig: &Signature) -> Option<Binding> {
    if unknown_critical(sig).is_some() {
        return None;
    }
    let config = sig.config()?;
    let signs = config.hashed_subpackets().find_map(|p| match &p.data {
        SubpacketData::KeyFlags(flags) => Some(flags.sign()),
        _ => None,
    });
    Some(Binding {
        created: i64::from(sig.created()?.as_secs()),
        expires_after: sig.key_expiration_time().map_or(0, |d| d.as_secs()),
        signs,
    })
}

fn primary_component(key: &SignedPublicKey) -> Component {
    let primary = &key.primary_key;
    let revoked = key.details.revocation_signatures.iter().any(|sig| {
        sig.typ() == Some(SignatureType::KeyRevocation) && sig.verify_key(primary).is_ok()
    });
    let mut bindings: Vec<Binding> = key
        .details
        .direct_signatures
        .iter()
        .filter(|sig| sig.typ() == Some(SignatureType::Key) && sig.verify_key(primary).is_ok())
        .filter_map(binding_of)
        .collect();
    for user in &key.details.users {
        bindings.extend(
            user.signatures
                .iter()
                .filter(|sig| {
                    sig.is_certification()
                        && sig
                            .verify_certification(primary, Tag::UserId, &user.id)
                            .is_ok()
                })
                .filter_map(binding_of),
        );
    }
    Component {
        created: i64::from(primary.created_at().as_secs()),
        revoked,
        algorithm_signs: algorithm_signs(primary.algorithm()),
        bindings,
    }
}

fn subkey_component(key: &SignedPublicKey, sub: &pgp::composed::SignedPublicSubKey) -> Component {
    let primary = &key.primary_key;
    let revoked = sub.signatures.iter().any(|sig| {
        sig.typ() == Some(SignatureType::SubkeyRevocation)
            && sig.verify_subkey_binding(primary, &sub.key).is_ok()
    });
    let bindings = sub
        .signatures
        .iter()
        .filter(|sig| {
            sig.typ() == Some(SignatureType::SubkeyBinding)
                && sig.verify_subkey_binding(primary, &sub.key).is_ok()
        })
        .filter_map(|sig| {
            let binding = binding_of(sig)?;
            // A signing subkey must cross-certify the primary key (RFC 9580 §5.2.1).
            if binding.signs != Some(false) && algorithm_signs(sub.key.algorithm()) {
                let backed = sig
                    .embedded_signature()
                    .is_some_and(|back| back.verify_primary_key_binding(&sub.key, primary).is_ok());
                if !backed {
                    return Some(Binding {
                        signs: Some(false),
                        ..binding
                    });
                }
            }
            Some(binding)
        })
        .collect();
    Component {
        created: i64::from(sub.key.created_at().as_secs()),
        revoked,
        algorithm_signs: algorithm_signs(sub.key.algorithm()),
        bindings,
    }
}

/// The first hashed critical subpacket vouch does not understand: notations (vouch knows
/// none), experimental and unknown types (RFC 9580 §5.2.3.7).
fn unknown_critical(sig: &Signature) -> Option<String> {
    let config = sig.config()?;
    config.hashed_subpackets().find_map(|p| {
        if !p.is_critical {
            return None;
        }
        match &p.data {
            SubpacketData::Notation(n) => Some(format!(
                "notation `{}`",
                String::from_utf8_lossy(&n.name)
                    .chars()
                    .take(64)
                    .collect::<String>()
            )),
            SubpacketData::Experimental(t, _) | SubpacketData::Other(t, _) => {
                Some(format!("type {t}"))
            }
            _ => None,
        }
    })
}

/// The binary packets of an armored (any label) or binary signature.
fn dearmor(signature: &[u8]) -> Result<Vec<u8>, String> {
    let Some(text) = std::str::from_utf8(signature)
        .ok()
        .map(str::trim_start)
        .filter(|t| t.starts_with("-----BEGIN PGP"))
    else {
        return Ok(signature.to_vec());
    };
    if text.starts_with("-----BEGIN PGP SIGNED MESSAGE-----") {
        return Err("cleartext-signed messages are not supported; sign with `gpg --sign`".into());
    }
    let normalized = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    pgp::armor::Dearmor::new(normalized.as_bytes())
        .read_to_end(&mut out)
        .map_err(|e| format!("not an OpenPGP signature: {}", brief(&e)))?;
    Ok(out)
}

/// One packet, its body de-chunked.
struct RawPacket {
    tag: u8,
    body: Vec<u8>,
}

impl RawPacket {
    /// Writes the packet with a new-format header and a definite length.
    fn write(&self, out: &mut Vec<u8>) {
        out.push(0xc0 | (self.tag & 0x3f));
        let len = self.body.len();
        if len < 192 {
            out.push(len as u8);
        } else if len < 8384 {
            let rest = len - 192;
            out.push(((rest >> 8) as u8).wrapping_add(192));
            out.push((rest & 0xff) as u8);
        } else {
            out.push(0xff);
            out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
        }
        out.extend_from_slice(&self.body);
    }
}

#[derive(Debug)]
enum Unpack {
    Malformed(String),
    TooLarge,
}

/// Splits `input` into packets, replacing each compressed data packet by the packets it
/// inflates to. All inflation shares `budget` bytes: a decompressor never yields more than
/// what is left plus one byte, so a "zip bomb" costs at most the budget in memory and time.
fn flatten(
    input: &[u8],
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<RawPacket>,
) -> Result<(), Unpack> {
    let mut rest = input;
    while !rest.is_empty() {
        let (tag, body, after) = next_packet(rest).map_err(Unpack::Malformed)?;
        rest = after;
        if tag != 8 {
            out.push(RawPacket { tag, body });
            continue;
        }
        if depth >= MAX_COMPRESSION_DEPTH {
            return Err(Unpack::Malformed(format!(
                "compressed data nested deeper than {MAX_COMPRESSION_DEPTH} levels"
            )));
        }
        let Some((&algorithm, compressed)) = body.split_first() else {
            return Err(Unpack::Malformed("empty compressed data packet".into()));
        };
        let algorithm = CompressionAlgorithm::from(algorithm);
        let decompressor = Decompressor::from_algorithm(algorithm, compressed).map_err(|e| {
            Unpack::Malformed(format!("cannot decompress the OpenPGP data: {}", brief(&e)))
        })?;
        let allowance = u64::try_from(*budget).unwrap_or(u64::MAX).saturating_add(1);
        let mut inflated = Vec::new();
        decompressor
            .take(allowance)
            .read_to_end(&mut inflated)
            .map_err(|e| {
                Unpack::Malformed(format!("cannot decompress the OpenPGP data: {}", brief(&e)))
            })?;
        if inflated.len() > *budget {
            return Err(Unpack::TooLarge);
        }
        *budget -= inflated.len();
        flatten(&inflated, depth + 1, budget, out)?;
    }
    Ok(())
}

type Split<'a> = (u8, Vec<u8>, &'a [u8]);

/// Reads one packet (RFC 9580 §4.2, old and new formats, partial lengths).
fn next_packet(input: &[u8]) -> Result<Split<'_>, String> {
    let truncated = || "truncated OpenPGP packet".to_owned();
    let (&first, mut rest) = input.split_first().ok_or_else(truncated)?;
    if first & 0x80 == 0 {
        return Err("not an OpenPGP packet (bad header)".into());
    }
    let take = |rest: &mut &[u8], n: usize| -> Result<Vec<u8>, String> {
        if rest.len() < n {
            return Err(truncated());
        }
        let (head, tail) = rest.split_at(n);
        *rest = tail;
        Ok(head.to_vec())
    };
    let be = |bytes: &[u8]| {
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    if first & 0x40 == 0 {
        let tag = (first >> 2) & 0x0f;
        let body = match first & 0x03 {
            0 => {
                let n = be(&take(&mut rest, 1)?);
                take(&mut rest, n)?
            }
            1 => {
                let n = be(&take(&mut rest, 2)?);
                take(&mut rest, n)?
            }
            2 => {
                let n = be(&take(&mut rest, 4)?);
                take(&mut rest, n)?
            }
            _ => {
                let all = rest.to_vec();
                rest = &[];
                all
            }
        };
        return Ok((tag, body, rest));
    }
    let tag = first & 0x3f;
    let mut body = Vec::new();
    loop {
        let l1 = usize::from(*take(&mut rest, 1)?.first().ok_or_else(truncated)?);
        match l1 {
            0..=191 => {
                body.extend(take(&mut rest, l1)?);
                break;
            }
            192..=223 => {
                let l2 = usize::from(*take(&mut rest, 1)?.first().ok_or_else(truncated)?);
                body.extend(take(&mut rest, ((l1 - 192) << 8) + l2 + 192)?);
                break;
            }
            255 => {
                let n = be(&take(&mut rest, 4)?);
                body.extend(take(&mut rest, n)?);
                break;
            }
            _ => {
                // A partial body length: 1 << (l1 & 0x1f) bytes, more chunks follow.
                body.extend(take(&mut rest, 1usize << (l1 & 0x1f))?);
            }
        }
    }
    Ok((tag, body, rest))
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
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The first attestor key and the first signature of a pgp vector.
    fn from_vector(name: &str) -> (PgpKey, Vec<u8>, Vec<u8>, Timestamp) {
        let path = root().join("testdata/vectors/pgp").join(name);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let key = doc["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"][0]["asciiArmoredPgpPublicKey"]
            .as_str()
            .unwrap();
        let key = PgpKey::from_armored(key).unwrap();
        let att = &doc["attestations"][0]["attestation"];
        let (sig, payload) = if let Some(pgp) = att["attestation"].get("pgpSignedAttestation") {
            (
                pgp["signature"].as_str().unwrap().as_bytes().to_vec(),
                Vec::new(),
            )
        } else {
            let sig =
                crate::crypto::decode_base64(att["signatures"][0]["signature"].as_str().unwrap())
                    .unwrap();
            let payload = att
                .get("serializedPayload")
                .and_then(|p| p.as_str())
                .map(|p| crate::crypto::decode_base64(p).unwrap())
                .unwrap_or_default();
            (sig, payload)
        };
        let now = Timestamp::parse_rfc3339(doc["now"].as_str().unwrap()).unwrap();
        (key, sig, payload, now)
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_unix(seconds, 0).unwrap()
    }

    fn code(outcome: &PgpOutcome) -> Option<DetailCode> {
        match outcome {
            PgpOutcome::Refused(code, _) => Some(*code),
            _ => None,
        }
    }

    #[test]
    fn existing_signature_still_verifies() {
        let (key, sig, payload, now) = from_vector("001-legacy-attached-armored-rsa.json");
        assert!(matches!(
            key.verify(&sig, &payload, now),
            PgpOutcome::Valid(_)
        ));
    }

    #[test]
    fn clock_skew_boundary() {
        // Made at 2026-12-01T00:04:00Z.
        let (key, sig, payload, _) = from_vector("029-signature-within-clock-skew.json");
        let made = 1_796_083_440;
        let ok = key.verify(&sig, &payload, at(made - CLOCK_SKEW_SECONDS));
        assert!(matches!(ok, PgpOutcome::Valid(_)), "{ok:?}");
        let late = key.verify(&sig, &payload, at(made - CLOCK_SKEW_SECONDS - 1));
        assert_eq!(code(&late), Some(DetailCode::PgpSignatureInFuture));
    }

    #[test]
    fn signature_expiry_exactly_at_now() {
        // Made at 2026-11-24T00:00:00Z, valid for one day.
        let (key, sig, payload, _) = from_vector("026-signature-expired.json");
        let expiry = 1_795_478_400 + 86_400;
        assert!(matches!(
            key.verify(&sig, &payload, at(expiry - 1)),
            PgpOutcome::Valid(_)
        ));
        let expired = key.verify(&sig, &payload, at(expiry));
        assert_eq!(code(&expired), Some(DetailCode::PgpSignatureExpired));
    }

    #[test]
    fn key_expiry_exactly_at_now() {
        // The key was created 2026-11-20 and expires 2026-11-22; the signature is of 2026-11-21.
        for vector in ["021-expired-key.json", "023-expired-subkey.json"] {
            let (key, sig, payload, _) = from_vector(vector);
            let expiry = 1_795_305_600;
            assert!(matches!(
                key.verify(&sig, &payload, at(expiry - 1)),
                PgpOutcome::Valid(_)
            ));
            let expired = key.verify(&sig, &payload, at(expiry));
            assert_eq!(code(&expired), Some(DetailCode::PgpKeyExpired), "{vector}");
        }
    }

    #[test]
    fn revocation_applies_at_any_time() {
        for vector in ["019-revoked-primary-key.json", "020-revoked-subkey.json"] {
            let (key, sig, payload, _) = from_vector(vector);
            // Even at the moment the signature was made, before the revocation was issued.
            let outcome = key.verify(&sig, &payload, at(1_795_478_400));
            assert_eq!(code(&outcome), Some(DetailCode::PgpKeyRevoked), "{vector}");
        }
    }

    #[test]
    fn a_signature_before_its_key_is_refused_whatever_now() {
        let (key, sig, payload, now) = from_vector("030-signature-before-key.json");
        for t in [now.unix_seconds(), 1_795_455_294, 1_795_455_294 - 86_400] {
            let outcome = key.verify(&sig, &payload, at(t));
            assert_eq!(code(&outcome), Some(DetailCode::PgpSignatureBeforeKey));
        }
    }

    #[test]
    fn signature_packets_are_capped() {
        let (key, sig, payload, now) = from_vector("038-two-detached-signatures-other-first.json");
        let binary = dearmor(&sig).unwrap();
        let mut packets = Vec::new();
        flatten(
            &binary,
            0,
            &mut MAX_PGP_DECOMPRESSED_BYTES.clone(),
            &mut packets,
        )
        .unwrap();
        assert_eq!(packets.len(), 2);
        let mut many = Vec::new();
        for _ in 0..MAX_PGP_SIGNATURES / 2 {
            many.extend_from_slice(&binary);
        }
        assert!(matches!(
            key.verify(&many, &payload, now),
            PgpOutcome::Valid(_)
        ));
        many.extend_from_slice(&binary);
        assert!(matches!(
            key.verify(&many, &payload, now),
            PgpOutcome::Malformed(_)
        ));
    }

    #[test]
    fn usage_without_key_flags_follows_the_algorithm() {
        for signs in [
            PublicKeyAlgorithm::RSA,
            PublicKeyAlgorithm::RSASign,
            PublicKeyAlgorithm::DSA,
            PublicKeyAlgorithm::ECDSA,
            PublicKeyAlgorithm::EdDSALegacy,
            PublicKeyAlgorithm::Ed25519,
        ] {
            assert!(algorithm_signs(signs), "{signs:?}");
        }
        for encrypts in [
            PublicKeyAlgorithm::RSAEncrypt,
            PublicKeyAlgorithm::ECDH,
            PublicKeyAlgorithm::Elgamal,
            PublicKeyAlgorithm::X25519,
        ] {
            assert!(!algorithm_signs(encrypts), "{encrypts:?}");
        }
    }

    /// A compressed data packet (algorithm 0, stored) around `inner`.
    fn stored(inner: &[u8]) -> Vec<u8> {
        let mut body = vec![0u8];
        body.extend_from_slice(inner);
        let mut out = Vec::new();
        RawPacket { tag: 8, body }.write(&mut out);
        out
    }

    fn literal(size: usize) -> Vec<u8> {
        let mut body = b"b\0\0\0\0\0".to_vec();
        body.resize(6 + size, b'x');
        let mut out = Vec::new();
        RawPacket { tag: 11, body }.write(&mut out);
        out
    }

    #[test]
    fn decompression_budget_is_shared_by_all_layers() {
        let mut packets = Vec::new();
        // 600 KiB stored twice: each layer's output counts, 1.2 MiB > 1 MiB.
        let twice = stored(&stored(&literal(600 * 1024)));
        let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
        assert!(matches!(
            flatten(&twice, 0, &mut budget, &mut packets),
            Err(Unpack::TooLarge)
        ));
        // One layer fits, and yields the literal packet.
        let once = stored(&literal(600 * 1024));
        let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
        packets.clear();
        assert!(flatten(&once, 0, &mut budget, &mut packets).is_ok());
        assert_eq!(packets.len(), 1);
        assert_eq!(packets[0].tag, 11);
        // Exactly the budget is accepted, one byte more is not.
        let exact = literal(0).len();
        let mut budget = exact;
        packets.clear();
        assert!(flatten(&stored(&literal(0)), 0, &mut budget, &mut packets).is_ok());
        let mut budget = exact - 1;
        assert!(matches!(
            flatten(&stored(&literal(0)), 0, &mut budget, &mut packets),
            Err(Unpack::TooLarge)
        ));
    }

    #[test]
    fn compression_nesting_is_bounded() {
        let mut data = literal(1);
        for _ in 0..MAX_COMPRESSION_DEPTH {
            data = stored(&data);
        }
        let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
        assert!(flatten(&data, 0, &mut budget, &mut Vec::new()).is_ok());
        let deeper = stored(&data);
        let mut budget = MAX_PGP_DECOMPRESSED_BYTES;
        assert!(matches!(
            flatten(&deeper, 0, &mut budget, &mut Vec::new()),
            Err(Unpack::Malformed(_))
        ));
    }

    #[test]
    fn packet_headers() {
        // New format, partial body lengths: 2 bytes, then a final 1-byte chunk.
        let (tag, body, rest) = next_packet(&[0xcb, 0xe1, b'a', b'b', 0x01, b'c', 0xff]).unwrap();
        assert_eq!((tag, body.as_slice(), rest), (11, &b"abc"[..], &[0xff][..]));
        // Old format, indeterminate length: to the end.
        let (tag, body, rest) = next_packet(&[0xaf, 1, 2, 3]).unwrap();
        assert_eq!(
            (tag, body.as_slice(), rest.len()),
            (11, &[1u8, 2, 3][..], 0)
        );
        // Old format, two-byte length; and truncation.
        let (tag, body, _) = next_packet(&[0x89, 0, 2, 7, 8]).unwrap();
        assert_eq!((tag, body.as_slice()), (2, &[7u8, 8][..]));
        assert!(next_packet(&[0x89, 0, 3, 7]).is_err());
        assert!(next_packet(&[0x40]).is_err());
        // Round trip through the writer for each length form.
        for size in [0, 191, 192, 8383, 8384, 70_000] {
            let mut out = Vec::new();
            RawPacket {
                tag: 11,
                body: vec![1; size],
            }
            .write(&mut out);
            let (tag, body, rest) = next_packet(&out).unwrap();
            assert_eq!((tag, body.len(), rest.len()), (11, size, 0));
        }
    }

    /// Worst-case cost of a decompression bomb: `VOUCH_PGP_BOMB=FILE cargo test -p vouch --lib
    /// -- --ignored bomb_cost` under `/usr/bin/time -v` (docs/limits.md).
    #[test]
    #[ignore = "measurement, run by hand"]
    fn bomb_cost() {
        let path = std::env::var("VOUCH_PGP_BOMB").unwrap();
        let bomb = std::fs::read(path).unwrap();
        let (key, _, _, now) = from_vector("001-legacy-attached-armored-rsa.json");
        let start = std::time::Instant::now();
        let outcome = key.verify(&bomb, b"", now);
        eprintln!(
            "{} bytes: {:?} in {:?}",
            bomb.len(),
            code(&outcome),
            start.elapsed()
        );
    }
}
