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
use sha2::{Digest as _, Sha256};

use super::kinds::{COSIGN_SIGNATURE, SIGSTORE_BUNDLE, digest_of_uri};
use super::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::document;
use crate::read::wire::wire_enum;
use crate::time::Timestamp;
use crate::verify::crypto::Verified;
use crate::verify::sigstore::body::{Content, Expected, hex};
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
        /// The verification budget ran out before every trusted key was tried.
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
                "The verification budget ran out before every trusted key was tried."
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

/// A legacy cosign `Bundle` annotation: `{SignedEntryTimestamp, Payload: {body,
/// integratedTime, logIndex, logID}}`.
fn legacy_tlog(value: &Value) -> Result<TlogEntry, String> {
    let obj = value.as_object().ok_or("`Bundle` must be an object")?;
    let set = b64_field(obj, "SignedEntryTimestamp", "Bundle.SignedEntryTimestamp")?;
    let payload = obj
        .get("Payload")
        .and_then(Value::as_object)
        .ok_or("`Bundle.Payload` must be an object")?;
    let body = b64_field(payload, "body", "Bundle.Payload.body")?;
    let log_id = payload
        .get("logID")
        .and_then(Value::as_str)
        .and_then(log_id_hex)
        .ok_or("`Bundle.Payload.logID` must be 64 hexadecimal digits")?;
    Ok(TlogEntry {
        log_id,
        log_index: int64(payload.get("logIndex"), "Bundle.Payload.logIndex")?,
        integrated_time: int64(
            payload.get("integratedTime"),
            "Bundle.Payload.integratedTime",
        )?,
        body,
        set: Some(set),
    })
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

/// A legacy cosign signature.
#[derive(Debug, Clone)]
pub(crate) struct CosignSignature {
    signature: Vec<u8>,
    payload: Vec<u8>,
    keyless: bool,
    tlog: Option<TlogEntry>,
    /// The digest the item is filed under: the wrapper's `resourceUri`, else the payload's claim.
    digests: Vec<String>,
}

impl CosignSignature {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        let mut out = Outcome::new(COSIGN_SIGNATURE);
        if self.tlog.is_some() {
            out.fact("tlogEntries", Value::from(1));
        }
        if self.keyless {
            return out.finish(
                ItemStatus::Unsupported,
                SigstoreCode::UnsupportedKeyless,
                "the signature carries a certificate (keyless signing): vouch verifies key-based signatures only",
            );
        }
        let key = match try_keys(
            ctx,
            |key| {
                key.verifying_key()
                    .verify_der_or_p1363(&self.payload, &self.signature)
            },
            self.payload.len(),
        ) {
            Ok(key) => key,
            Err((code, message)) => return out.fail(code, message),
        };
        out.key(key);
        let claim = match simple_signing(&self.payload, ctx.limits) {
            Ok(claim) => claim,
            Err(why) => {
                return out.fail(
                    SigstoreCode::PayloadInvalid,
                    format!("the signature verified, but {why}"),
                );
            }
        };
        if let Some(reference) = &claim.reference {
            out.fact("dockerReference", Value::from(reference.clone()));
        }
        if claim.digest != ctx.digest {
            return out.fail(
                SigstoreCode::DigestMismatch,
                format!(
                    "the signed payload names `{}`, not `{}`",
                    claim.digest, ctx.digest
                ),
            );
        }
        let digest: [u8; 32] = Sha256::digest(&self.payload).into();
        let expected = Expected {
            signature: &self.signature,
            verifier_der_sha256: key.verifying_key().fingerprint(),
            content: Content::Digest(&digest),
        };
        if let Err((code, why)) = out.times(ctx, self.tlog.iter(), &expected, claim.timestamp) {
            return out.fail(code, why);
        }
        out.finish(
            ItemStatus::Verified,
            SigstoreCode::CosignVerified,
            "the signature verified with a trusted key and its payload names the image digest",
        )
    }
}

/// Reads one cosign signature (either shape).
pub(crate) fn parse_cosign(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<CosignSignature, String> {
    let (signature, payload, keyless, bundle) = if obj.contains_key("Base64Signature") {
        let signature = b64_field(obj, "Base64Signature", "Base64Signature")?;
        let payload = b64_field(obj, "Payload", "Payload")?;
        let keyless = present(obj.get("Cert")) || present(obj.get("Chain"));
        (
            signature,
            payload,
            keyless,
            obj.get("Bundle").filter(|b| !b.is_null()).cloned(),
        )
    } else {
        // containers/image: {"mimeType", "payload": base64, "annotations": {…}}
        let annotations = obj
            .get("annotations")
            .and_then(Value::as_object)
            .ok_or("`annotations` must be an object")?;
        let signature = b64_field(
            annotations,
            "dev.cosignproject.cosign/signature",
            "annotations.dev.cosignproject.cosign/signature",
        )?;
        let payload = b64_field(obj, "payload", "payload")?;
        let keyless = present(annotations.get("dev.sigstore.cosign/certificate"))
            || present(annotations.get("dev.sigstore.cosign/chain"));
        let bundle = match annotations.get("dev.sigstore.cosign/bundle") {
            Some(Value::String(text)) => Some(document::parse_json(text, limits).map_err(|e| {
                format!("`dev.sigstore.cosign/bundle` is not JSON: {}", e.message())
            })?),
            _ => None,
        };
        (signature, payload, keyless, bundle)
    };
    let tlog = bundle.as_ref().map(legacy_tlog).transpose()?;
    let claimed = simple_signing(&payload, limits).ok().map(|c| c.digest);
    let digests = resource_digest(obj)
        .or(claimed.filter(|d| valid_digest(d)))
        .into_iter()
        .collect();
    Ok(CosignSignature {
        signature,
        payload,
        keyless,
        tlog,
        digests,
    })
}

/// What a bundle signs.
#[derive(Debug, Clone)]
enum Signed {
    /// A signature over the artifact (the image), identified by its SHA-256.
    Message {
        digest: Option<[u8; 32]>,
        signature: Vec<u8>,
    },
    /// A DSSE envelope with its one signature.
    Dsse {
        payload_type: String,
        payload: Vec<u8>,
        signature: Vec<u8>,
        keyid: Option<String>,
    },
}

/// A sigstore bundle.
#[derive(Debug, Clone)]
pub(crate) struct Bundle {
    version: &'static str,
    keyless: bool,
    hint: Option<String>,
    tlog: Vec<TlogEntry>,
    signed: Signed,
    digests: Vec<String>,
}

impl Bundle {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        let mut out = Outcome::new(SIGSTORE_BUNDLE);
        out.fact("bundleVersion", Value::from(self.version));
        if !self.tlog.is_empty() {
            out.fact("tlogEntries", Value::from(self.tlog.len()));
        }
        if self.keyless {
            return out.finish(
                ItemStatus::Unsupported,
                SigstoreCode::UnsupportedKeyless,
                "the bundle's verification material is a certificate (keyless signing): vouch verifies key-based bundles only",
            );
        }
        match &self.signed {
            Signed::Message { digest, signature } => {
                out.fact("content", Value::from("messageSignature"));
                let Some(image) = digest_bytes(ctx.digest) else {
                    return out.fail(
                        SigstoreCode::MessageDigestMismatch,
                        "a message signature is checked against the image digest, and there is none",
                    );
                };
                if digest.is_some_and(|d| d != image) {
                    return out.fail(
                        SigstoreCode::MessageDigestMismatch,
                        format!("the bundle's messageDigest is not `{}`", ctx.digest),
                    );
                }
                let key = match try_keys_p256(ctx, &image, signature) {
                    Ok(key) => key,
                    Err((code, message)) => return out.fail(code, message),
                };
                out.key(key);
                let expected = Expected {
                    signature,
                    verifier_der_sha256: key.verifying_key().fingerprint(),
                    content: Content::Digest(&image),
                };
                if let Err((code, why)) = out.times(ctx, self.tlog.iter(), &expected, None) {
                    return out.fail(code, why);
                }
            }
            Signed::Dsse {
                payload_type,
                payload,
                signature,
                keyid,
            } => {
                out.fact("content", Value::from("dsseEnvelope"));
                out.fact("payloadType", Value::from(payload_type.clone()));
                if let (Some(hint), Some(keyid)) = (&self.hint, keyid)
                    && hint != keyid
                {
                    return out.fail(
                        SigstoreCode::KeyHintMismatch,
                        format!(
                            "`publicKey.hint` `{hint}` differs from the signature's keyid `{keyid}`"
                        ),
                    );
                }
                let message = pae(payload_type, payload);
                let key = match try_keys(
                    ctx,
                    |key| key.verifying_key().verify_der_or_p1363(&message, signature),
                    message.len(),
                ) {
                    Ok(key) => key,
                    Err((code, message)) => return out.fail(code, message),
                };
                out.key(key);
                let statement = match statement_digests(payload_type, payload, ctx.limits) {
                    Err(why) => return out.fail(SigstoreCode::StatementInvalid, why),
                    Ok(statement) => statement,
                };
                if let Some(p) = statement.predicate_type {
                    out.fact("predicateType", Value::from(p));
                }
                if !statement.digests.iter().any(|d| d == ctx.digest) {
                    return out.fail(
                        SigstoreCode::DigestMismatch,
                        format!("the signed statement does not name `{}`", ctx.digest),
                    );
                }
                let signed_time = statement.timestamp;
                let expected = Expected {
                    signature,
                    verifier_der_sha256: key.verifying_key().fingerprint(),
                    content: Content::Dsse { payload },
                };
                if let Err((code, why)) = out.times(ctx, self.tlog.iter(), &expected, signed_time) {
                    return out.fail(code, why);
                }
            }
        }
        out.finish(
            ItemStatus::Verified,
            SigstoreCode::BundleVerified,
            "the bundle verified with a trusted key and names the image digest",
        )
    }
}

/// DSSE's pre-authentication encoding of `payload` with its type.
// TODO(lead): use dsse::pae_typed after merge
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let header = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    );
    let mut out = Vec::with_capacity(header.len() + payload.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// What a DSSE payload in a bundle names.
struct Statement {
    digests: Vec<String>,
    predicate_type: Option<String>,
    timestamp: Option<i64>,
}

/// Reads the DSSE payload strictly: an in-toto statement v0.1 or v1 whose subjects' sha256
/// digests are the digests it names, or a cosign simple-signing payload.
fn statement_digests(
    payload_type: &str,
    payload: &[u8],
    limits: &Limits,
) -> Result<Statement, String> {
    match payload_type {
        SIMPLE_SIGNING_TYPE => {
            let claim = simple_signing(payload, limits)?;
            Ok(Statement {
                digests: vec![claim.digest],
                predicate_type: None,
                timestamp: claim.timestamp,
            })
        }
        IN_TOTO_TYPE => {
            let text = std::str::from_utf8(payload)
                .map_err(|_| "the statement is not UTF-8".to_owned())?;
            let value = document::parse_json(text, limits)
                .map_err(|e| format!("the statement is not JSON: {}", e.message()))?;
            match value.get("_type").and_then(Value::as_str) {
                Some(t) if STATEMENT_TYPES.contains(&t) => {}
                Some(t) => {
                    return Err(format!("statement `_type` `{t}` is not in-toto v0.1 or v1"));
                }
                None => return Err("the statement has no `_type`".into()),
            }
            let subjects = value
                .get("subject")
                .and_then(Value::as_array)
                .filter(|s| !s.is_empty())
                .ok_or("the statement has no `subject` list")?;
            let digests = subject_digests(subjects);
            Ok(Statement {
                digests,
                predicate_type: value
                    .get("predicateType")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                timestamp: None,
            })
        }
        other => Err(format!(
            "payloadType `{other}` is neither `{IN_TOTO_TYPE}` nor `{SIMPLE_SIGNING_TYPE}`"
        )),
    }
}

fn subject_digests(subjects: &[Value]) -> Vec<String> {
    subjects
        .iter()
        .filter_map(|s| s.pointer("/digest/sha256").and_then(Value::as_str))
        .map(|hex| format!("sha256:{}", hex.to_ascii_lowercase()))
        .filter(|d| valid_digest(d))
        .collect()
}

/// Reads one sigstore bundle.
pub(crate) fn parse_bundle(obj: &Map<String, Value>, limits: &Limits) -> Result<Bundle, String> {
    let media_type = obj.get("mediaType").and_then(Value::as_str).unwrap_or("");
    let version = BUNDLE_MEDIA_TYPES
        .iter()
        .find(|(m, _)| *m == media_type)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            format!("`mediaType` `{media_type}` is not a sigstore bundle v0.1, v0.2 or v0.3")
        })?;
    let material = obj
        .get("verificationMaterial")
        .and_then(Value::as_object)
        .ok_or("`verificationMaterial` must be an object")?;
    let keyless =
        present(material.get("certificate")) || present(material.get("x509CertificateChain"));
    let hint = material
        .get("publicKey")
        .and_then(|k| k.get("hint"))
        .and_then(Value::as_str)
        .filter(|h| !h.is_empty())
        .map(str::to_owned);
    if !keyless && !present(material.get("publicKey")) {
        return Err(
            "`verificationMaterial` has no `publicKey`, `certificate` or `x509CertificateChain`"
                .into(),
        );
    }
    let entries = match material.get("tlogEntries") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(list)) => list.as_slice(),
        Some(_) => return Err("`verificationMaterial.tlogEntries` must be a list".into()),
    };
    if entries.len() > limits.max_signatures_per_occurrence {
        return Err(format!(
            "more than {} transparency-log entries",
            limits.max_signatures_per_occurrence
        ));
    }
    let mut tlog = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        if let Some(entry) = bundle_tlog(entry, i)? {
            tlog.push(entry);
        }
    }
    let signed = match (obj.get("messageSignature"), obj.get("dsseEnvelope")) {
        (Some(m), None) => {
            let m = m
                .as_object()
                .ok_or("`messageSignature` must be an object")?;
            let signature = b64_field(m, "signature", "messageSignature.signature")?;
            let digest = match m.get("messageDigest").and_then(Value::as_object) {
                None => None,
                Some(d) if d.get("algorithm").and_then(Value::as_str) == Some("SHA2_256") => {
                    let bytes = b64_field(d, "digest", "messageSignature.messageDigest.digest")?;
                    Some(<[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
                        "`messageSignature.messageDigest.digest` is not 32 bytes".to_owned()
                    })?)
                }
                Some(_) => {
                    return Err(
                        "`messageSignature.messageDigest.algorithm` must be `SHA2_256`".into(),
                    );
                }
            };
            Signed::Message { digest, signature }
        }
        (None, Some(e)) => {
            let e = e.as_object().ok_or("`dsseEnvelope` must be an object")?;
            let payload = b64_field(e, "payload", "dsseEnvelope.payload")?;
            let payload_type = e
                .get("payloadType")
                .and_then(Value::as_str)
                .ok_or("`dsseEnvelope.payloadType` must be a string")?
                .to_owned();
            let sigs = e
                .get("signatures")
                .and_then(Value::as_array)
                .ok_or("`dsseEnvelope.signatures` must be a list")?;
            let [sig] = sigs.as_slice() else {
                return Err(format!(
                    "a bundle's DSSE envelope carries exactly one signature, found {}",
                    sigs.len()
                ));
            };
            let sig = sig
                .as_object()
                .ok_or("`dsseEnvelope.signatures[0]` must be an object")?;
            Signed::Dsse {
                signature: b64_field(sig, "sig", "dsseEnvelope.signatures[0].sig")?,
                keyid: sig
                    .get("keyid")
                    .and_then(Value::as_str)
                    .filter(|k| !k.is_empty())
                    .map(str::to_owned),
                payload_type,
                payload,
            }
        }
        _ => {
            return Err(
                "a bundle holds exactly one of `messageSignature` and `dsseEnvelope`".into(),
            );
        }
    };
    let claimed = match &signed {
        Signed::Message { digest, .. } => digest
            .map(|d| format!("sha256:{}", hex(&d)))
            .into_iter()
            .collect(),
        Signed::Dsse {
            payload_type,
            payload,
            ..
        } => claimed_subjects(payload_type, payload, limits),
    };
    let mut digests: Vec<String> = match resource_digest(obj) {
        Some(d) => vec![d],
        None => claimed,
    };
    if digests.len() > limits.max_signatures_per_occurrence {
        return Err(format!(
            "the statement names more than {} subjects",
            limits.max_signatures_per_occurrence
        ));
    }
    digests.sort();
    digests.dedup();
    Ok(Bundle {
        version,
        keyless,
        hint,
        tlog,
        signed,
        digests,
    })
}

/// The digests a DSSE payload claims, read leniently (for filing only: the report reads it
/// strictly after the signature verifies).
fn claimed_subjects(payload_type: &str, payload: &[u8], limits: &Limits) -> Vec<String> {
    if payload_type == SIMPLE_SIGNING_TYPE {
        return simple_signing(payload, limits)
            .ok()
            .map(|c| c.digest)
            .filter(|d| valid_digest(d))
            .into_iter()
            .collect();
    }
    std::str::from_utf8(payload)
        .ok()
        .and_then(|t| document::parse_json(t, limits).ok())
        .and_then(|v| {
            v.get("subject")
                .and_then(Value::as_array)
                .map(|s| subject_digests(s))
        })
        .unwrap_or_default()
}

/// One of a bundle's `tlogEntries`; `None` for an entry without a body (nothing to bind).
fn bundle_tlog(value: &Value, i: usize) -> Result<Option<TlogEntry>, String> {
    let path = format!("verificationMaterial.tlogEntries[{i}]");
    let obj = value
        .as_object()
        .ok_or_else(|| format!("`{path}` must be an object"))?;
    let log_id = obj
        .get("logId")
        .and_then(|l| l.get("keyId"))
        .and_then(Value::as_str)
        .and_then(b64)
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| format!("`{path}.logId.keyId` must be 32 bytes of base64"))?;
    let set = match obj.get("inclusionPromise").and_then(Value::as_object) {
        Some(p) => Some(b64_field(
            p,
            "signedEntryTimestamp",
            &format!("{path}.inclusionPromise.signedEntryTimestamp"),
        )?),
        None => None,
    };
    let Some(body) = obj.get("canonicalizedBody").and_then(Value::as_str) else {
        return Ok(None);
    };
    Ok(Some(TlogEntry {
        log_id,
        log_index: int64(obj.get("logIndex"), &format!("{path}.logIndex"))?,
        integrated_time: int64(obj.get("integratedTime"), &format!("{path}.integratedTime"))?,
        body: b64(body).ok_or_else(|| format!("`{path}.canonicalizedBody` is not base64"))?,
        set,
    }))
}

// ---------------------------------------------------------------------------------------------
// Verifying

type Failure = (SigstoreCode, String);

/// The caller's keys: Cloud Build's shipped provenance keys (decision P-9) vouch for build
/// provenance, not for cosign signatures or sigstore bundles, so they are never tried here.
fn caller_keys<'t>(ctx: &ReportContext<'t>) -> impl Iterator<Item = &'t TrustedKey> {
    ctx.trust
        .keys()
        .filter(|k| k.source() == crate::verify::trust::KeySource::Caller)
}

/// Tries every trusted key (decision E-2: sigstore keys carry no names), in trust-material
/// order, within the verification budget; the first that verifies wins.
fn try_keys<'t>(
    ctx: &ReportContext<'t>,
    verify: impl Fn(&TrustedKey) -> Verified,
    signed_len: usize,
) -> Result<&'t TrustedKey, Failure> {
    let mut spent = 0usize;
    let mut tried = 0usize;
    for key in caller_keys(ctx) {
        let cost = Limits::verification_cost(Some(key.verifying_key().algorithm()), signed_len);
        if spent.saturating_add(cost) > ctx.limits.max_verification_units_per_attestor_image {
            return Err((
                SigstoreCode::NotTriedBudget,
                format!("the verification budget ran out after {tried} keys"),
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
    try_keys(
        ctx,
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
            match set::witness(entry, ctx.trust.rekor_keys(), expected) {
                Ok(Witness::Verified { integrated_time }) => {
                    witnessed = Some(witnessed.map_or(integrated_time, |w| w.min(integrated_time)));
                    self.fact("logIndex", Value::from(entry.log_index));
                }
                Ok(Witness::NoPromise | Witness::NoKey) => {}
                Err(SetError::Invalid(why)) => {
                    return Err((SigstoreCode::SetInvalid, why));
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
#[path = "sigstore_tests.rs"]
mod tests;
