//! cosign signatures and sigstore bundles (decision P-8), with Rekor signed entry timestamps
//! as witnessed time (decision E-5).
//!
//! Two shapes, both verified with the trust material's keys (no key names: every key is tried,
//! within the verification budget, decision E-2; ECDSA DER or P1363, decision E-3):
//! - a legacy cosign signature, as `cosign download signature IMAGE` prints it (one JSON object
//!   per line: `Base64Signature`, `Payload` = base64 of the simple-signing payload, `Cert`,
//!   `Chain`, `Bundle` = `{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex,
//!   logID}}`, `RFC3161Timestamp`), or as containers/image stores it (`payload` and the
//!   `dev.cosignproject.cosign/signature` annotations). The signature covers the payload bytes;
//!   the payload's `critical.image.docker-manifest-digest` must be the image digest
//!   (`critical.type` is not required, as cosign);
//! - a sigstore bundle v0.1, v0.2 or v0.3 with a public-key `verificationMaterial` and either a
//!   `messageSignature` (over the artifact, here the image, known by its digest) or a
//!   `dsseEnvelope` with exactly one signature over PAE whose in-toto statement (v0.1 or v1)
//!   names the image digest as a subject.
//!
//! Keyless material (a certificate or chain) is `UNSUPPORTED`: vouch does not verify Fulcio
//! certificates. The formats are documented in `docs/formats.md`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde::Serialize;
use serde_json::{Map, Value};

use super::kinds::digest_of_uri;
use super::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::document;
use crate::read::wire::wire_enum;
use crate::time::Timestamp;
use crate::verify::crypto::Verified;
use crate::verify::sigstore::body::Expected;
use crate::verify::sigstore::set::{self, SetError, TlogEntry, Witness};
use crate::verify::trust::TrustedKey;

/// Clock skew allowed between a signer's own time, a witness and `now` (decision E-5).
const SKEW_SECONDS: i64 = 300;

/// The DSSE type of a cosign simple-signing payload.
const SIMPLE_SIGNING_TYPE: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// The DSSE type of an in-toto statement.
const IN_TOTO_TYPE: &str = "application/vnd.in-toto+json";
/// The in-toto statement types read (decision E-4).
const STATEMENT_TYPES: [&str; 2] = [
    "https://in-toto.io/Statement/v0.1",
    "https://in-toto.io/Statement/v1",
];
/// The bundle media types read.
const BUNDLE_MEDIA_TYPES: [(&str, &str); 4] = [
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.1",
        "0.1",
    ),
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.2",
        "0.2",
    ),
    (
        "application/vnd.dev.sigstore.bundle+json;version=0.3",
        "0.3",
    ),
    ("application/vnd.dev.sigstore.bundle.v0.3+json", "0.3"),
];

wire_enum! {
    /// Report codes of cosign signatures and sigstore bundles.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum SigstoreCode {
        /// A cosign signature verified with a trusted key, and its payload names the image digest.
        CosignVerified = "COSIGN_VERIFIED",
        /// A sigstore bundle verified with a trusted key, and it names the image digest.
        BundleVerified = "SIGSTORE_VERIFIED",
        /// The trust material has no key that could check the signature.
        NoTrustedKey = "SIGSTORE_NO_TRUSTED_KEY",
        /// No trusted key verifies the signature.
        BadSignature = "SIGSTORE_BAD_SIGNATURE",
        /// The verification budget (the item's or the inspection's) ran out before every
        /// trusted key, or a signed entry timestamp, was checked.
        NotTriedBudget = "SIGSTORE_NOT_TRIED_BUDGET",
        /// Keyless (certificate) signing material: not verified by vouch.
        UnsupportedKeyless = "SIGSTORE_UNSUPPORTED_KEYLESS",
        /// The signed cosign payload is not a simple-signing payload.
        PayloadInvalid = "COSIGN_PAYLOAD_INVALID",
        /// The signed payload or statement names other digests than the image's.
        DigestMismatch = "SIGSTORE_DIGEST_MISMATCH",
        /// The DSSE payload is not an in-toto statement v0.1 or v1 (or a simple-signing payload).
        StatementInvalid = "SIGSTORE_STATEMENT_INVALID",
        /// The bundle's `publicKey.hint` differs from the DSSE signature's `keyid`.
        KeyHintMismatch = "SIGSTORE_KEY_HINT_MISMATCH",
        /// The message signature's `messageDigest` is not the image digest.
        MessageDigestMismatch = "SIGSTORE_MESSAGE_DIGEST_MISMATCH",
        /// A transparency-log entry of a trusted log carries a SET that does not verify.
        SetInvalid = "SIGSTORE_SET_INVALID",
        /// A verified SET promises an entry that records another signature, key or content.
        TlogBodyMismatch = "SIGSTORE_TLOG_BODY_MISMATCH",
        /// The witnessed (SET) time is more than 5 minutes after `now`.
        WitnessedTimeInFuture = "SIGSTORE_WITNESSED_TIME_IN_FUTURE",
        /// The signer's own time is more than 5 minutes after `now`.
        SignedTimeInFuture = "SIGSTORE_SIGNED_TIME_IN_FUTURE",
        /// The signer's own time is more than 5 minutes after the witnessed time.
        SignedAfterWitness = "SIGSTORE_SIGNED_AFTER_WITNESS",
    }
}

impl SigstoreCode {
    /// Every code.
    pub const ALL: &'static [SigstoreCode] = &[
        SigstoreCode::CosignVerified,
        SigstoreCode::BundleVerified,
        SigstoreCode::NoTrustedKey,
        SigstoreCode::BadSignature,
        SigstoreCode::NotTriedBudget,
        SigstoreCode::UnsupportedKeyless,
        SigstoreCode::PayloadInvalid,
        SigstoreCode::DigestMismatch,
        SigstoreCode::StatementInvalid,
        SigstoreCode::KeyHintMismatch,
        SigstoreCode::MessageDigestMismatch,
        SigstoreCode::SetInvalid,
        SigstoreCode::TlogBodyMismatch,
        SigstoreCode::WitnessedTimeInFuture,
        SigstoreCode::SignedTimeInFuture,
        SigstoreCode::SignedAfterWitness,
    ];

    /// What the code means (the list in `docs/errors.md`).
    pub fn description(self) -> &'static str {
        use SigstoreCode as C;
        match self {
            C::CosignVerified => {
                "A cosign signature verified with a trusted key and its simple-signing payload names the image digest."
            }
            C::BundleVerified => {
                "A sigstore bundle verified with a trusted key and its statement subject or message digest is the image digest."
            }
            C::NoTrustedKey => {
                "The trust material holds no key that could check this signature, so it was not checked."
            }
            C::BadSignature => "No trusted key verifies the signature.",
            C::NotTriedBudget => {
                "The verification budget (the item's or the inspection's) ran out before every trusted key, or a signed entry timestamp, was checked."
            }
            C::UnsupportedKeyless => {
                "Keyless (Fulcio certificate) signing material: vouch verifies key-based signatures only."
            }
            C::PayloadInvalid => {
                "The signature verified, but the signed cosign payload is not a simple-signing payload."
            }
            C::DigestMismatch => {
                "The signed payload or statement names other digests than the image's."
            }
            C::StatementInvalid => {
                "The DSSE payload is not an in-toto statement v0.1 or v1 (nor a simple-signing payload)."
            }
            C::KeyHintMismatch => {
                "The bundle's public-key hint differs from the DSSE signature's keyid."
            }
            C::MessageDigestMismatch => {
                "The message signature's messageDigest is not the image digest."
            }
            C::SetInvalid => {
                "A transparency-log entry of a trusted Rekor log carries a signed entry timestamp that does not verify."
            }
            C::TlogBodyMismatch => {
                "A verified signed entry timestamp promises an entry that records another signature, key or content."
            }
            C::WitnessedTimeInFuture => {
                "The witnessed (Rekor) time is more than 5 minutes after now."
            }
            C::SignedTimeInFuture => "The signer's own time is more than 5 minutes after now.",
            C::SignedAfterWitness => {
                "The signer's own time is more than 5 minutes after the witnessed time."
            }
        }
    }
}

/// The codes with their meanings, for `docs/errors.md`.
pub(crate) fn codes() -> Vec<(&'static str, &'static str)> {
    SigstoreCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.description()))
        .collect()
}

mod bundle;
mod cosign;

pub(crate) use bundle::{Bundle, parse_bundle};
pub(crate) use cosign::{CosignSignature, parse_cosign};

// ---------------------------------------------------------------------------------------------
// Reading

/// Base64 as proto3 JSON and Go write it: standard or URL-safe, padded or not.
fn b64(text: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(text)
        .or_else(|_| STANDARD_NO_PAD.decode(text))
        .or_else(|_| URL_SAFE.decode(text))
        .or_else(|_| URL_SAFE_NO_PAD.decode(text))
        .ok()
}

fn b64_field(obj: &Map<String, Value>, name: &str, path: &str) -> Result<Vec<u8>, String> {
    let text = obj
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`{path}` must be a base64 string"))?;
    b64(text).ok_or_else(|| format!("`{path}` is not base64"))
}

/// An int64 as proto3 JSON writes it (a decimal string) or as a JSON number.
fn int64(value: Option<&Value>, path: &str) -> Result<i64, String> {
    match value {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse::<i64>().ok(),
        _ => None,
    }
    .ok_or_else(|| format!("`{path}` must be an integer"))
}

fn present(value: Option<&Value>) -> bool {
    value.is_some_and(|v| !v.is_null())
}

fn digest_bytes(digest: &str) -> Option<[u8; 32]> {
    let hex = digest.strip_prefix("sha256:")?;
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn valid_digest(d: &str) -> bool {
    d.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

fn log_id_hex(text: &str) -> Option<[u8; 32]> {
    digest_bytes(&format!("sha256:{}", text.to_ascii_lowercase()))
}

/// What a simple-signing payload says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SimpleSigning {
    digest: String,
    reference: Option<String>,
    timestamp: Option<i64>,
}

/// Reads a simple-signing payload: strict JSON (no duplicate keys), a string
/// `critical.image.docker-manifest-digest`, `optional.timestamp` an integer when present.
fn simple_signing(payload: &[u8], limits: &Limits) -> Result<SimpleSigning, String> {
    let text = std::str::from_utf8(payload).map_err(|_| "the payload is not UTF-8".to_owned())?;
    let value = document::parse_json(text, limits)
        .map_err(|e| format!("the payload is not JSON: {}", e.message()))?;
    let critical = value
        .get("critical")
        .filter(|c| c.is_object())
        .ok_or("the payload has no `critical` object")?;
    let digest = critical
        .pointer("/image/docker-manifest-digest")
        .and_then(Value::as_str)
        .ok_or("the payload has no `critical.image.docker-manifest-digest` string")?;
    let reference = critical
        .pointer("/identity/docker-reference")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let timestamp = match value.pointer("/optional/timestamp") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_i64()
                .ok_or("`optional.timestamp` must be an integer (Unix seconds)")?,
        ),
        Some(_) => return Err("`optional.timestamp` must be an integer (Unix seconds)".into()),
    };
    Ok(SimpleSigning {
        digest: digest.to_owned(),
        reference,
        timestamp,
    })
}

/// The digest a wrapper's `resourceUri` names, if any.
fn resource_digest(obj: &Map<String, Value>) -> Option<String> {
    obj.get("resourceUri")
        .and_then(Value::as_str)
        .and_then(digest_of_uri)
}

// ---------------------------------------------------------------------------------------------
// Verifying

type Failure = (SigstoreCode, String);

/// The caller's unnamed keys. Cloud Build's shipped provenance keys (decision P-9) vouch for
/// build provenance, not for cosign signatures or sigstore bundles, so they are never tried
/// here; nor is a caller key with a `keyId`: a named key is selected only by a signature's
/// `keyid` (decision E-2), so a key given for a builder's DSSE provenance never verifies a
/// sigstore bundle that merely wraps that builder's envelope.
fn caller_keys<'t>(ctx: &ReportContext<'t>) -> impl Iterator<Item = &'t TrustedKey> {
    ctx.trust
        .keys()
        .filter(|k| k.source() == crate::verify::trust::KeySource::Caller && k.id().is_none())
}

/// Tries every trusted key (decision E-2: sigstore keys carry no names), in trust-material
/// order, within the verification budget; the first that verifies wins.
fn try_keys<'t>(
    ctx: &ReportContext<'t>,
    verify: impl Fn(&TrustedKey) -> Verified,
    signed_len: usize,
) -> Result<&'t TrustedKey, Failure> {
    try_some_keys(ctx, |_| true, verify, signed_len)
}

/// [`try_keys`] over the caller's keys that `usable` accepts (the others cost nothing).
fn try_some_keys<'t>(
    ctx: &ReportContext<'t>,
    usable: impl Fn(&TrustedKey) -> bool,
    verify: impl Fn(&TrustedKey) -> Verified,
    signed_len: usize,
) -> Result<&'t TrustedKey, Failure> {
    let mut spent = 0usize;
    let mut tried = 0usize;
    for key in caller_keys(ctx).filter(|k| usable(k)) {
        let cost = Limits::verification_cost(Some(key.verifying_key().algorithm()), signed_len);
        if spent.saturating_add(cost) > ctx.limits.max_verification_units_per_attestor_image {
            return Err((
                SigstoreCode::NotTriedBudget,
                format!("the verification budget ran out after {tried} keys"),
            ));
        }
        if !ctx.charge(cost) {
            return Err((
                SigstoreCode::NotTriedBudget,
                format!("the inspection's verification budget ran out after {tried} keys"),
            ));
        }
        spent += cost;
        tried += 1;
        if verify(key) == Verified::Valid {
            return Ok(key);
        }
    }
    if tried == 0 {
        Err((
            SigstoreCode::NoTrustedKey,
            "the trust material holds no key to check this signature with".into(),
        ))
    } else {
        Err((
            SigstoreCode::BadSignature,
            format!("none of the {tried} trusted keys verifies the signature"),
        ))
    }
}

/// [`try_keys`] for a message signature: only ECDSA P-256 keys can verify from the image's
/// SHA-256 digest.
fn try_keys_p256<'t>(
    ctx: &ReportContext<'t>,
    digest: &[u8; 32],
    signature: &[u8],
) -> Result<&'t TrustedKey, Failure> {
    use crate::verify::algorithm::SignatureAlgorithm as A;
    let any_p256 = caller_keys(ctx).any(|k| k.verifying_key().algorithm() == A::EcdsaP256Sha256);
    if !any_p256 {
        return Err((
            SigstoreCode::NoTrustedKey,
            "a message signature is checked from the image digest, which needs an ECDSA P-256 key, and the trust material has none".into(),
        ));
    }
    try_some_keys(
        ctx,
        |k| k.verifying_key().algorithm() == A::EcdsaP256Sha256,
        |key| key.verifying_key().verify_p256_prehashed(digest, signature),
        0,
    )
}

/// A report under construction.
struct Outcome {
    report: ItemReport,
}

impl Outcome {
    fn new(kind: &'static str) -> Outcome {
        Outcome {
            report: ItemReport::new(kind, "", ItemStatus::Rejected, "", ""),
        }
    }

    fn fact(&mut self, name: &'static str, value: Value) {
        self.report.facts.insert(name, value);
    }

    fn key(&mut self, key: &TrustedKey) {
        self.report.key_id = Some(key.display_id());
    }

    fn finish(
        mut self,
        status: ItemStatus,
        code: SigstoreCode,
        message: impl Into<String>,
    ) -> ItemReport {
        self.report.status = status;
        self.report.code = code.as_str();
        self.report.message = message.into();
        self.report
    }

    fn fail(self, code: SigstoreCode, message: impl Into<String>) -> ItemReport {
        let status = if code == SigstoreCode::NoTrustedKey {
            ItemStatus::Unverified
        } else {
            ItemStatus::Rejected
        };
        self.finish(status, code, message)
    }

    /// Checks the transparency-log entries and the times (decision E-5): a SET of a trusted log
    /// must verify over a body that records this signature; the earliest verified entry's
    /// `integratedTime` is the witnessed time. The signer's own time, the witnessed time and
    /// `now` must agree within [`SKEW_SECONDS`].
    fn times<'e>(
        &mut self,
        ctx: &ReportContext<'_>,
        entries: impl Iterator<Item = &'e TlogEntry>,
        expected: &Expected<'_>,
        signed: Option<i64>,
    ) -> Result<(), Failure> {
        let mut witnessed: Option<i64> = None;
        for entry in entries {
            match set::witness(entry, ctx.trust.rekor_keys(), expected, &|units| {
                ctx.charge(units)
            }) {
                Ok(Witness::Verified { integrated_time }) => {
                    witnessed = Some(witnessed.map_or(integrated_time, |w| w.min(integrated_time)));
                    self.fact("logIndex", Value::from(entry.log_index));
                }
                Ok(Witness::NoPromise | Witness::NoKey | Witness::Unbound) => {}
                Err(SetError::Invalid(why)) => {
                    return Err((SigstoreCode::SetInvalid, why));
                }
                Err(SetError::Budget) => {
                    return Err((
                        SigstoreCode::NotTriedBudget,
                        "the verification budget ran out before the signed entry timestamp was checked".into(),
                    ));
                }
                Err(SetError::BodyMismatch(why)) => {
                    return Err((
                        SigstoreCode::TlogBodyMismatch,
                        format!("the transparency-log entry does not record this signature: {why}"),
                    ));
                }
            }
        }
        let now = ctx.now.unix_seconds();
        if let Some(t) = signed {
            self.report.signed_time = Timestamp::from_unix(t, 0);
            if t > now.saturating_add(SKEW_SECONDS) {
                return Err((
                    SigstoreCode::SignedTimeInFuture,
                    format!("the signer's time {t} is more than 5 minutes after now"),
                ));
            }
        }
        if let Some(w) = witnessed {
            self.report.witnessed_time = Timestamp::from_unix(w, 0);
            if w > now.saturating_add(SKEW_SECONDS) {
                return Err((
                    SigstoreCode::WitnessedTimeInFuture,
                    format!("the witnessed time {w} is more than 5 minutes after now"),
                ));
            }
            if let Some(t) = signed
                && t > w.saturating_add(SKEW_SECONDS)
            {
                return Err((
                    SigstoreCode::SignedAfterWitness,
                    format!(
                        "the signer's time {t} is more than 5 minutes after the witnessed time {w}"
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
