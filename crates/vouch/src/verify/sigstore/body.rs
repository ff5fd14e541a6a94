//! The Rekor entry body binding: a signed entry timestamp speaks for the entry body it signs,
//! so it witnesses a signature only when that body records exactly this signature, this key and
//! this signed content (cosign `VerifyBundle`, sigstore-go `tlog.ValidateEntry`).
//!
//! Kinds read (the `canonicalizedBody` JSON):
//! - `hashedrekord` 0.0.1: `spec.data.hash` = `{"algorithm":"sha256","value":hex(SHA-256(signed
//!   bytes))}`, `spec.signature.content` = base64 signature, `spec.signature.publicKey.content` =
//!   base64 of the PEM key (or certificate).
//! - `dsse` 0.0.1: `spec.payloadHash` = SHA-256 of the DSSE payload, one of `spec.signatures[]`
//!   with `signature` = base64 signature and `verifier` = base64 PEM.
//! - `intoto` 0.0.2: `spec.content.payloadHash` = SHA-256 of the DSSE payload, one of
//!   `spec.content.envelope.signatures[]` with `sig` = base64 of the base64 signature and
//!   `publicKey` = base64 PEM.
//!
//! - `rekord` 0.0.1 (older cosign): read as `hashedrekord` 0.0.1 (same members).
//!
//! Any other kind or version (or a kind for the other content: a `hashedrekord` for a DSSE
//! envelope) is [`Binding::Unknown`]: not bound, so its SET witnesses nothing, and not a
//! mismatch either.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// What the body must record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected<'a> {
    /// The signature bytes, as verified.
    pub(crate) signature: &'a [u8],
    /// SHA-256 of the DER inside the verifier PEM (for a key: of its SubjectPublicKeyInfo).
    pub(crate) verifier_der_sha256: &'a [u8; 32],
    /// What was signed.
    pub(crate) content: Content<'a>,
}

/// The signed content the body must name.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Content<'a> {
    /// A plain signature over bytes whose SHA-256 is this (`hashedrekord`).
    Digest(&'a [u8; 32]),
    /// A DSSE envelope with this payload (`dsse`, `intoto`).
    Dsse { payload: &'a [u8] },
}

/// Whether a body of a kind vouch reads records the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Binding {
    /// It records exactly this signature, key and content.
    Bound,
    /// A kind or version vouch does not bind (named in the message).
    Unknown(String),
}

/// Checks that `body` (the decoded canonicalized body) records `expected`. The error says which
/// part differs.
pub(crate) fn check(body: &[u8], expected: &Expected<'_>) -> Result<Binding, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| "the entry body is not JSON".to_owned())?;
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    let version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let spec = value.get("spec").ok_or("the entry body has no `spec`")?;
    match (kind, version, expected.content) {
        ("hashedrekord" | "rekord", "0.0.1", Content::Digest(digest)) => {
            let hash = spec.pointer("/data/hash");
            check_hash(hash, digest, "spec.data.hash")?;
            let sig = spec.pointer("/signature/content").and_then(Value::as_str);
            check_b64(sig, expected.signature, "spec.signature.content")?;
            let key = spec
                .pointer("/signature/publicKey/content")
                .and_then(Value::as_str);
            check_verifier(
                key,
                expected.verifier_der_sha256,
                "spec.signature.publicKey",
            )
            .map(|()| Binding::Bound)
        }
        ("dsse", "0.0.1", Content::Dsse { payload }) => {
            check_hash(
                spec.get("payloadHash"),
                &sha256(payload),
                "spec.payloadHash",
            )?;
            let sigs = spec.get("signatures").and_then(Value::as_array);
            any_signature(sigs, "signatures", |s| {
                check_b64(
                    s.get("signature").and_then(Value::as_str),
                    expected.signature,
                    "",
                )
                .is_ok()
                    && check_verifier(
                        s.get("verifier").and_then(Value::as_str),
                        expected.verifier_der_sha256,
                        "",
                    )
                    .is_ok()
            })
            .map(|()| Binding::Bound)
        }
        ("intoto", "0.0.2", Content::Dsse { payload }) => {
            let content = spec
                .get("content")
                .ok_or("the entry body has no `spec.content`")?;
            let hash = content.get("payloadHash");
            check_hash(hash, &sha256(payload), "spec.content.payloadHash")?;
            let sigs = content
                .pointer("/envelope/signatures")
                .and_then(Value::as_array);
            any_signature(sigs, "content.envelope.signatures", |s| {
                let sig_text = s
                    .get("sig")
                    .and_then(Value::as_str)
                    .and_then(|t| STANDARD.decode(t).ok())
                    .and_then(|b| String::from_utf8(b).ok());
                check_b64(sig_text.as_deref(), expected.signature, "").is_ok()
                    && check_verifier(
                        s.get("publicKey").and_then(Value::as_str),
                        expected.verifier_der_sha256,
                        "",
                    )
                    .is_ok()
            })
            .map(|()| Binding::Bound)
        }
        (kind, version, _) => Ok(Binding::Unknown(format!(
            "a `{kind}` {version} entry body is not bound to this signature"
        ))),
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn any_signature(
    sigs: Option<&Vec<Value>>,
    what: &str,
    matches: impl Fn(&Value) -> bool,
) -> Result<(), String> {
    // The list is bounded by the entry body, which is bounded by the evidence size limit.
    if sigs.is_some_and(|list| list.iter().any(matches)) {
        Ok(())
    } else {
        Err(format!(
            "no `spec.{what}` entry records this signature and key"
        ))
    }
}

fn check_hash(hash: Option<&Value>, want: &[u8; 32], what: &str) -> Result<(), String> {
    let algorithm = hash
        .and_then(|h| h.get("algorithm"))
        .and_then(Value::as_str);
    let value = hash.and_then(|h| h.get("value")).and_then(Value::as_str);
    if algorithm == Some("sha256") && value.is_some_and(|v| v == hex(want)) {
        Ok(())
    } else {
        Err(format!("`{what}` is not the SHA-256 of the signed content"))
    }
}

fn check_b64(text: Option<&str>, want: &[u8], what: &str) -> Result<(), String> {
    match text.and_then(|t| STANDARD.decode(t).ok()) {
        Some(bytes) if bytes == want => Ok(()),
        _ => Err(format!("`{what}` is not this signature")),
    }
}

fn check_verifier(text: Option<&str>, want: &[u8; 32], what: &str) -> Result<(), String> {
    let der = text
        .and_then(|t| STANDARD.decode(t).ok())
        .and_then(|pem| pem_der(&pem));
    match der {
        Some(der) if sha256(&der) == *want => Ok(()),
        _ => Err(format!("`{what}` is not the verifying key")),
    }
}

/// The DER of the first PEM block in `pem`, whatever its label.
pub(crate) fn pem_der(pem: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(pem).ok()?;
    let start = text.find("-----BEGIN ")?;
    let rest = text.get(start..)?;
    let header_end = rest.find("-----\n").or_else(|| rest.find("-----\r\n"))?;
    let body_start = rest.get(header_end + 5..)?;
    let end = body_start.find("-----END ")?;
    let b64: String = body_start
        .get(..end)?
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD.decode(b64).ok()
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLE: &str = include_str!(
        "../../../../../testdata/fixtures/sigstore-conformance/bundle-verify/intoto-canonical-log-entry/bundle.sigstore.json"
    );
    const KEY: &[u8] = include_bytes!(
        "../../../../../testdata/fixtures/sigstore-conformance/bundle-verify/intoto-canonical-log-entry/key.pub"
    );

    #[test]
    fn conformance_intoto_entry_records_its_envelope() {
        // sigstore-conformance intoto-canonical-log-entry: a real `intoto` 0.0.2 body whose
        // signature is base64 of base64 and whose key is base64 PEM.
        let v: Value = serde_json::from_str(BUNDLE).unwrap();
        let body = STANDARD
            .decode(
                v["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"]
                    .as_str()
                    .unwrap(),
            )
            .unwrap();
        let payload = STANDARD
            .decode(v["dsseEnvelope"]["payload"].as_str().unwrap())
            .unwrap();
        let sig = STANDARD
            .decode(v["dsseEnvelope"]["signatures"][0]["sig"].as_str().unwrap())
            .unwrap();
        let key = sha256(&pem_der(KEY).unwrap());
        let expected = |signature: &'_ [u8], key: &'_ [u8; 32], payload: &'_ [u8]| {
            check(
                &body,
                &Expected {
                    signature,
                    verifier_der_sha256: key,
                    content: Content::Dsse { payload },
                },
            )
        };
        assert_eq!(expected(&sig, &key, &payload), Ok(Binding::Bound));
        assert!(expected(&sig, &key, b"{}").is_err());
        assert!(expected(&sig[1..], &key, &payload).is_err());
        assert!(expected(&sig, &[0; 32], &payload).is_err());
        // a plain-signature expectation is not bound by an intoto body (nor a mismatch)
        assert!(matches!(
            check(
                &body,
                &Expected {
                    signature: &sig,
                    verifier_der_sha256: &key,
                    content: Content::Digest(&sha256(&payload)),
                }
            ),
            Ok(Binding::Unknown(_))
        ));
    }
}
