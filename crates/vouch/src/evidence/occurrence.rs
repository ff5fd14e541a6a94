//! One Grafeas attestation occurrence (v1 and v1beta1 forms), read leniently: what cannot be
//! read is kept as the reason the occurrence does not count.

use serde_json::{Map, Value};

use super::simple_signing::{Statement, parse_statement};
use crate::error::{Error, ErrorCode};
use crate::limits::Limits;

/// One Grafeas occurrence, parsed leniently: problems are kept for the decision.
#[derive(Debug, Clone)]
pub struct Occurrence {
    /// The name used in decisions: `name`, or `#N` when the occurrence has none.
    pub(super) label: String,
    pub(super) note_name: Option<String>,
    /// The digests the occurrence is filed under: the one its resource URI names, or both when
    /// `resourceUri` and `resource.uri` disagree (then `body` is `Malformed`, so the occurrence
    /// counts for neither image).
    pub(super) resource_digests: Vec<String>,
    /// Grafeas `createTime`: recorded by the store, not signed. Used only by the freshness
    /// rule, and only when the caller trusts occurrence times.
    pub(super) create_time: Option<crate::time::Timestamp>,
    pub(super) body: Body,
}

#[derive(Debug, Clone)]
pub(super) enum Body {
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
pub(super) struct Signature {
    pub(super) key_id: String,
    pub(super) bytes: Result<Vec<u8>, String>,
}

impl Occurrence {
    pub(super) fn parse(
        value: &Value,
        position: usize,
        limits: &Limits,
    ) -> Result<Option<Occurrence>, Error> {
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
        let create_time = obj
            .get("createTime")
            .and_then(Value::as_str)
            .and_then(|t| crate::time::Timestamp::parse_rfc3339(t).ok());
        Ok(Some(Occurrence {
            label,
            note_name,
            resource_digests,
            create_time,
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
        Some(Value::String(s)) if !s.is_empty() => match crate::read::bytes::decode_base64(s) {
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
                    crate::read::bytes::decode_base64(b64)
                        .ok_or_else(|| "signature is not base64".to_owned())
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
