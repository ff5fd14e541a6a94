//! OpenPGP attestor keys and signatures, verification only (semantics §2.4, decision A-8).
//!
//! A key is an ASCII-armored public key block holding exactly one primary key (LF or CRLF).
//! Its id is the upper-case hex V4 fingerprint of the primary key, whatever id was supplied.
//! Signatures are attached (a signed message carrying the payload as literal data, as
//! `gpg --armor --sign` writes) or detached (over `serializedPayload`), armored or binary.
//! The primary key and its bound subkeys may sign.

use std::fmt;

use pgp::composed::{Any, Deserializable as _, DetachedSignature, Message, SignedPublicKey};
use pgp::types::KeyDetails as _;

/// A decoded OpenPGP public key.
#[derive(Clone)]
pub(crate) struct PgpKey {
    fingerprint: String,
    key: SignedPublicKey,
}

impl fmt::Debug for PgpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgpKey")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// What checking one OpenPGP signature gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PgpOutcome {
    /// The signature verifies; these are the signed bytes (the payload).
    Valid(Vec<u8>),
    /// Well-formed, but not a valid signature by this key over these bytes.
    Invalid,
    /// Not an OpenPGP signature vouch can check.
    Malformed(String),
}

impl PgpKey {
    /// Decodes an armored public key block with exactly one V4 primary key and valid
    /// self-signatures.
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
        key.verify_bindings()
            .map_err(|e| format!("the key's self-signatures do not verify: {}", brief(&e)))?;
        let fingerprint = key.fingerprint();
        if fingerprint.as_bytes().len() != 20 {
            return Err(
                "only OpenPGP V4 keys are supported (their fingerprint is the key id)".into(),
            );
        }
        Ok(PgpKey {
            fingerprint: format!("{fingerprint:X}"),
            key,
        })
    }

    /// The upper-case V4 fingerprint: the key's id.
    pub(crate) fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Checks a signature. `payload` is `serializedPayload` (empty when absent): a detached
    /// signature must cover it; an attached one must carry it (when it is non-empty).
    pub(crate) fn verify(&self, signature: &[u8], payload: &[u8]) -> PgpOutcome {
        contained(|| self.check(signature, payload)).unwrap_or_else(|| {
            PgpOutcome::Malformed("the OpenPGP parser failed on this signature".into())
        })
    }

    fn check(&self, signature: &[u8], payload: &[u8]) -> PgpOutcome {
        let armored = std::str::from_utf8(signature)
            .ok()
            .map(str::trim_start)
            .filter(|t| t.starts_with("-----BEGIN PGP"));
        match armored {
            Some(text) => {
                let normalized = text.replace("\r\n", "\n");
                match Any::from_string(&normalized) {
                    Ok((Any::Message(message), _)) => self.verify_message(message, payload),
                    Ok((Any::Signature(detached), _)) => self.verify_detached(&detached, payload),
                    Ok((Any::Cleartext(_), _)) => PgpOutcome::Malformed(
                        "cleartext-signed messages are not supported; sign with `gpg --sign`"
                            .into(),
                    ),
                    Ok(_) => PgpOutcome::Malformed(
                        "the armored block is not a signature or signed message".into(),
                    ),
                    Err(e) => {
                        PgpOutcome::Malformed(format!("not an OpenPGP signature: {}", brief(&e)))
                    }
                }
            }
            None => {
                // Binary: a leading Signature packet (tag 2) is a detached signature.
                let tag = signature.first().map(|b| {
                    if b & 0x40 != 0 {
                        b & 0x3f
                    } else {
                        (b >> 2) & 0x0f
                    }
                });
                if tag == Some(2) {
                    match DetachedSignature::from_bytes(signature) {
                        Ok(detached) => self.verify_detached(&detached, payload),
                        Err(e) => PgpOutcome::Malformed(format!(
                            "not an OpenPGP signature: {}",
                            brief(&e)
                        )),
                    }
                } else {
                    match Message::from_bytes(signature) {
                        Ok(message) => self.verify_message(message, payload),
                        Err(e) => {
                            PgpOutcome::Malformed(format!("not an OpenPGP message: {}", brief(&e)))
                        }
                    }
                }
            }
        }
    }

    fn verify_detached(&self, detached: &DetachedSignature, payload: &[u8]) -> PgpOutcome {
        if payload.is_empty() {
            return PgpOutcome::Malformed(
                "a detached OpenPGP signature needs `serializedPayload`".into(),
            );
        }
        let primary = detached.verify(&self.key, payload).is_ok();
        if primary
            || self
                .key
                .public_subkeys
                .iter()
                .any(|sub| detached.verify(sub, payload).is_ok())
        {
            PgpOutcome::Valid(payload.to_vec())
        } else {
            PgpOutcome::Invalid
        }
    }

    fn verify_message(&self, message: Message<'_>, payload: &[u8]) -> PgpOutcome {
        let mut message = match message.decompress() {
            Ok(m) => m,
            Err(e) => {
                return PgpOutcome::Malformed(format!(
                    "cannot decompress the OpenPGP message: {}",
                    brief(&e)
                ));
            }
        };
        if !message.is_signed() {
            return PgpOutcome::Malformed("the OpenPGP message is not signed".into());
        }
        let data = match message.as_data_vec() {
            Ok(d) => d,
            Err(e) => {
                return PgpOutcome::Malformed(format!(
                    "cannot read the signed data: {}",
                    brief(&e)
                ));
            }
        };
        let primary = message.verify(&self.key).is_ok();
        if !(primary
            || self
                .key
                .public_subkeys
                .iter()
                .any(|sub| message.verify(sub).is_ok()))
        {
            return PgpOutcome::Invalid;
        }
        if !payload.is_empty() && data != payload {
            return PgpOutcome::Malformed(
                "the signed literal data differs from `serializedPayload`".into(),
            );
        }
        PgpOutcome::Valid(data)
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
