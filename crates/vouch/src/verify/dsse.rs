//! DSSE: the pre-authentication encoding (PAE) and envelopes (decision E-2).
//!
//! An envelope is `{"payload": b64, "payloadType": "…", "signatures": [{"keyid": "…", "sig":
//! b64}]}` (secure-systems-lab/dsse `envelope.md`); base64 may be standard or URL-safe, padded
//! or not. A signature covers `PAE(payloadType, payload)` (the protocol), or the raw payload
//! for keys whose signing mode is [`SigningMode::Raw`] (Cloud Build's `builtByGCB` keys).
//! Which key checks a signature: where the trust material names keys, the signature's `keyid`
//! selects the key (and so the mode); an empty or missing `keyid`, or one no named key has,
//! is checked only with the keys that have no name (every such key is tried, bounded by the
//! verification budget). ECDSA signatures may be DER or fixed-size `r ‖ s` (decision E-3).
//! The payload is verified as bytes before anything reads it.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use super::crypto::Verified;
use super::trust::{SigningMode, TrustedKey};
use crate::limits::Limits;

/// The DSSE type used for PAE-encoded simple-signing payloads.
pub const PAE_PAYLOAD_TYPE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";

/// The DSSE type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// The DSSE pre-authentication encoding of a simple-signing payload, the bytes cosign signs:
/// [`pae_typed`] with `type` = [`PAE_PAYLOAD_TYPE`].
pub fn pae(payload: &[u8]) -> Vec<u8> {
    pae_typed(PAE_PAYLOAD_TYPE, payload)
}

/// The DSSE pre-authentication encoding (protocol v1):
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as ASCII decimal byte counts
/// without leading zeros, `type` as its UTF-8 bytes.
pub fn pae_typed(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let header = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    );
    let mut out = Vec::with_capacity(header.len() + body.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    out
}

/// Base64 as DSSE producers write it: standard or URL-safe alphabet, padded or not.
pub(crate) fn b64(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .or_else(|_| URL_SAFE.decode(text))
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .ok()
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvelopeSignature {
    /// The `keyid`, `None` when missing or empty.
    pub(crate) keyid: Option<String>,
    /// The decoded `sig`; `None` when it is missing, empty or not base64 (it then never
    /// verifies, like a wrong signature).
    pub(crate) sig: Option<Vec<u8>>,
}

/// A DSSE envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub(crate) payload_type: String,
    /// The decoded payload: the signed bytes, read only after a signature verified.
    pub(crate) payload: Vec<u8>,
    pub(crate) signatures: Vec<EnvelopeSignature>,
}

impl Envelope {
    /// Reads an envelope object. Fails (with why) when `payload` or `payloadType` is missing
    /// or not a string, the payload is not base64, `signatures` is not a list of objects or
    /// holds more than `limits.max_signatures_per_occurrence`.
    pub(crate) fn from_json(obj: &Map<String, Value>, limits: &Limits) -> Result<Envelope, String> {
        let payload = obj
            .get("payload")
            .and_then(Value::as_str)
            .ok_or("the envelope has no `payload` string")?;
        let payload = b64(payload).ok_or("the envelope's `payload` is not base64")?;
        let payload_type = obj
            .get("payloadType")
            .and_then(Value::as_str)
            .ok_or("the envelope has no `payloadType` string")?
            .to_owned();
        let list: &[Value] = match obj.get("signatures") {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(_) => return Err("the envelope's `signatures` must be a list".into()),
        };
        if list.len() > limits.max_signatures_per_occurrence {
            return Err(format!(
                "the envelope has {} signatures, more than the limit of {}",
                list.len(),
                limits.max_signatures_per_occurrence
            ));
        }
        let mut signatures = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let sig = item
                .as_object()
                .ok_or_else(|| format!("the envelope's `signatures[{i}]` must be an object"))?;
            let text = |name: &str| -> Result<Option<&str>, String> {
                match sig.get(name) {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(s)) if s.is_empty() => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s)),
                    Some(_) => Err(format!("`signatures[{i}].{name}` must be a string")),
                }
            };
            signatures.push(EnvelopeSignature {
                keyid: text("keyid")?.map(str::to_owned),
                sig: text("sig")?.and_then(b64).filter(|s| !s.is_empty()),
            });
        }
        Ok(Envelope {
            payload_type,
            payload,
            signatures,
        })
    }

    /// The bytes a key of `mode` signs.
    fn message(&self, mode: SigningMode) -> Vec<u8> {
        match mode {
            SigningMode::Pae => pae_typed(&self.payload_type, &self.payload),
            SigningMode::Raw => self.payload.clone(),
        }
    }
}

/// Why no signature of an envelope verified, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Failure {
    /// The verification budget ran out before every candidate key was tried.
    Budget,
    /// A key was found for a signature (by `keyid`, or unnamed), and it does not verify.
    BadSignature,
    /// A signature has an empty or missing `keyid` and no unnamed key exists to try.
    NoKeyid,
    /// A signature's `keyid` names no trusted key and no unnamed key exists to try.
    UnknownKeyid,
    /// The trust material holds no keys at all.
    NoTrustedKey,
    /// The envelope has no signatures.
    NoSignature,
}

/// What verified an envelope.
#[derive(Debug, Clone)]
pub(crate) struct Verification<'t> {
    /// The first key that verified a signature.
    pub(crate) key: &'t TrustedKey,
    /// How many distinct keys verified a signature.
    pub(crate) unique_keys: usize,
}

/// Verifies an envelope's signatures with `keys` (decision E-2). `charge(units)` is asked
/// before each signature check and must say whether the budget allows it; at most
/// `limits.max_verification_units_per_attestor_image` units are spent on this envelope.
/// Every signature is checked (bounded) so distinct verifying keys can be counted.
pub(crate) fn verify<'t>(
    envelope: &Envelope,
    keys: &[&'t TrustedKey],
    limits: &Limits,
    charge: &mut dyn FnMut(usize) -> bool,
) -> Result<Verification<'t>, Failure> {
    if envelope.signatures.is_empty() {
        return Err(Failure::NoSignature);
    }
    if keys.is_empty() {
        return Err(Failure::NoTrustedKey);
    }
    let mut worst: Option<Failure> = None;
    let note = |f: Failure, worst: &mut Option<Failure>| {
        *worst = Some(match *worst {
            Some(w) if w < f => w,
            _ => f,
        });
    };
    let mut spent = 0usize;
    let mut verified: Vec<&'t TrustedKey> = Vec::new();
    let mut messages: [Option<Vec<u8>>; 2] = [None, None];
    'signatures: for signature in &envelope.signatures {
        let named: Vec<&'t TrustedKey> = match &signature.keyid {
            Some(id) => keys
                .iter()
                .copied()
                .filter(|k| k.id.as_deref() == Some(id.as_str()))
                .collect(),
            None => Vec::new(),
        };
        let candidates: Vec<&'t TrustedKey> = if named.is_empty() {
            keys.iter().copied().filter(|k| k.id.is_none()).collect()
        } else {
            named
        };
        if candidates.is_empty() {
            let f = if signature.keyid.is_some() {
                Failure::UnknownKeyid
            } else {
                Failure::NoKeyid
            };
            note(f, &mut worst);
            continue;
        }
        let Some(sig) = &signature.sig else {
            note(Failure::BadSignature, &mut worst);
            continue;
        };
        for key in candidates {
            if verified
                .iter()
                .any(|v| v.key.fingerprint() == key.key.fingerprint())
            {
                // Already verified another signature: this one adds no key.
                continue 'signatures;
            }
            let slot = match key.mode {
                SigningMode::Pae => 0,
                SigningMode::Raw => 1,
            };
            let message: &[u8] = match messages.get_mut(slot) {
                Some(entry) => entry.get_or_insert_with(|| envelope.message(key.mode)),
                None => continue,
            };
            let cost = Limits::verification_cost(Some(key.key.algorithm()), message.len());
            if spent.saturating_add(cost) > limits.max_verification_units_per_attestor_image
                || !charge(cost)
            {
                note(Failure::Budget, &mut worst);
                break 'signatures;
            }
            spent += cost;
            if key.key.verify_der_or_p1363(message, sig) == Verified::Valid {
                verified.push(key);
                continue 'signatures;
            }
        }
        note(Failure::BadSignature, &mut worst);
    }
    match verified.first() {
        Some(first) => Ok(Verification {
            key: first,
            unique_keys: verified.len(),
        }),
        None => Err(worst.unwrap_or(Failure::BadSignature)),
    }
}
