//! Sigstore bundles v0.1, v0.2 and v0.3 with public-key verification material.

use serde_json::{Map, Value};

use super::{
    BUNDLE_MEDIA_TYPES, IN_TOTO_TYPE, Outcome, SIMPLE_SIGNING_TYPE, STATEMENT_TYPES, SigstoreCode,
    b64, b64_field, digest_bytes, int64, present, resource_digest, simple_signing, try_keys_p256,
    try_some_keys, valid_digest,
};
use crate::evidence::kinds::SIGSTORE_BUNDLE;
use crate::evidence::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::document;
use crate::verify::sigstore::body::{Content, Expected, hex};
use crate::verify::sigstore::set::TlogEntry;
use crate::verify::trust::SigningMode;

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
    /// The entries with a body (the others cannot be bound, so they witness nothing).
    tlog: Vec<TlogEntry>,
    /// How many entries the bundle lists.
    tlog_count: usize,
    signed: Signed,
    digests: Vec<String>,
}

impl Bundle {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.digests.clone()
    }

    /// Its transparency-log entries that carry a body.
    #[cfg(test)]
    pub(crate) fn tlog_entries(&self) -> &[TlogEntry] {
        &self.tlog
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        let mut out = Outcome::new(SIGSTORE_BUNDLE);
        out.fact("bundleVersion", Value::from(self.version));
        if self.tlog_count > 0 {
            out.fact("tlogEntries", Value::from(self.tlog_count));
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
                // A DSSE signature covers PAE: a key declared to sign raw payloads is not tried.
                let key = match try_some_keys(
                    ctx,
                    |key| key.mode() == SigningMode::Pae,
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
fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    crate::verify::dsse::pae_typed(payload_type, payload)
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
        tlog_count: entries.len(),
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
