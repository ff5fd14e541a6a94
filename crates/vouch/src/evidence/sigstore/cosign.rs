//! Legacy cosign signatures: `cosign download signature` lines and the containers/image form.

use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use super::{
    Outcome, SigstoreCode, b64_field, int64, log_id_hex, present, resource_digest, simple_signing,
    try_keys, valid_digest,
};
use crate::evidence::kinds::COSIGN_SIGNATURE;
use crate::evidence::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::document;
use crate::verify::sigstore::body::{Content, Expected};
use crate::verify::sigstore::set::TlogEntry;

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
