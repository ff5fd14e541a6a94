//! Trust material for supply-chain evidence: the public keys DSSE envelopes, in-toto
//! statements and cosign/sigstore signatures are checked against, and the transparency-log
//! (Rekor) keys whose signed entry timestamps make a time witnessed. Always an input or data
//! shipped in the crate, never fetched (decision E-6).
//!
//! ```json
//! {"keys": [{"keyId": "projects/p/…/cryptoKeyVersions/1", "publicKeyPem": "-----BEGIN PUBLIC KEY-----…",
//!            "signingMode": "PAE"}],
//!  "rekorKeys": [{"publicKeyPem": "-----BEGIN PUBLIC KEY-----…"}],
//!  "cloudBuildKeys": true}
//! ```

use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use super::crypto::{self, VerifyingKey};
use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::read::document;
use crate::read::wire::wire_enum;

wire_enum! {
    /// What a key's signature covers in a DSSE envelope (decision E-2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
    pub enum SigningMode {
        /// The DSSE pre-authentication encoding of type and payload (the protocol).
        Pae = "PAE",
        /// The raw payload bytes, as Cloud Build's `builtByGCB` keys sign.
        Raw = "RAW",
    }
}

/// Where a trusted key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// Given by the caller.
    Caller,
    /// Google Cloud Build's published provenance keys, shipped with vouch.
    CloudBuild,
}

/// One public key trusted to sign evidence.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    /// The key's name, matched against a signature's `keyid`; `None` for keys that are tried
    /// whatever the signature says (decision E-2).
    pub(crate) id: Option<String>,
    pub(crate) key: VerifyingKey,
    pub(crate) mode: SigningMode,
    pub(crate) source: KeySource,
}

impl TrustedKey {
    /// A key from its SubjectPublicKeyInfo PEM (the algorithm is read from the key).
    pub(crate) fn from_pem(
        id: Option<&str>,
        pem: &str,
        mode: SigningMode,
        source: KeySource,
    ) -> Result<TrustedKey, String> {
        let der = crypto::decode_public_key_pem(pem)?;
        let key = VerifyingKey::from_spki_der_inferred(&der).map_err(|e| e.to_string())?;
        Ok(TrustedKey {
            id: id.map(str::to_owned),
            key,
            mode,
            source,
        })
    }

    /// The key's name, if it has one.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// What its signatures cover.
    pub fn mode(&self) -> SigningMode {
        self.mode
    }

    /// Where it comes from.
    pub fn source(&self) -> KeySource {
        self.source
    }

    /// The name shown in reports: the id, else `sha256:<hex of the DER key>`.
    pub fn display_id(&self) -> String {
        match &self.id {
            Some(id) => id.clone(),
            None => format!("sha256:{}", hex(self.key.fingerprint())),
        }
    }

    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }
}

/// A transparency log's public key.
#[derive(Debug, Clone)]
pub struct RekorKey {
    /// SHA-256 of the key's DER SubjectPublicKeyInfo: the log id entries name.
    pub(crate) log_id: [u8; 32],
    pub(crate) key: VerifyingKey,
}

impl RekorKey {
    /// The log id, as lower-case hex.
    pub fn log_id_hex(&self) -> String {
        hex(&self.log_id)
    }

    pub(crate) fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }
}

/// Everything trusted to sign supply-chain evidence.
#[derive(Debug, Clone)]
pub struct TrustMaterial {
    pub(crate) keys: Vec<TrustedKey>,
    pub(crate) rekor_keys: Vec<RekorKey>,
    /// Whether Google Cloud Build's shipped provenance keys are trusted too.
    pub(crate) cloud_build_keys: bool,
}

impl Default for TrustMaterial {
    /// No caller keys, no Rekor keys, Cloud Build's shipped keys trusted.
    fn default() -> TrustMaterial {
        TrustMaterial {
            keys: Vec::new(),
            rekor_keys: Vec::new(),
            cloud_build_keys: true,
        }
    }
}

impl TrustMaterial {
    /// Cloud Build's keys only.
    pub fn new() -> TrustMaterial {
        TrustMaterial::default()
    }

    /// Loads trust material from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<TrustMaterial, Error> {
        TrustMaterial::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads trust material from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<TrustMaterial, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::Trust))?;
        TrustMaterial::from_value(value, limits)
    }

    /// Loads trust material from a parsed value (`null` is the default).
    pub fn from_value(value: Value, limits: &Limits) -> Result<TrustMaterial, Error> {
        read(&value, limits).map_err(|e| e.about(Subject::Trust))
    }

    /// The caller's keys, then (when trusted) Cloud Build's shipped keys.
    pub fn keys(&self) -> impl Iterator<Item = &TrustedKey> {
        let shipped: &[TrustedKey] = if self.cloud_build_keys {
            cloud_build_keys()
        } else {
            &[]
        };
        self.keys.iter().chain(shipped.iter())
    }

    /// The transparency-log keys.
    pub fn rekor_keys(&self) -> &[RekorKey] {
        &self.rekor_keys
    }

    /// Whether Cloud Build's shipped keys are trusted.
    pub fn trusts_cloud_build(&self) -> bool {
        self.cloud_build_keys
    }
}

/// Google Cloud Build's published provenance verification keys: (KMS location, crypto key,
/// signing mode, SubjectPublicKeyInfo PEM). The PEM files are byte-exact copies of
/// slsa-framework/slsa-verifier `verifiers/internal/gcb/keys/materials/*.key` (Apache-2.0);
/// each key's name is `projects/verified-builder/locations/<location>/keyRings/attestor/
/// cryptoKeys/<key>/cryptoKeyVersions/1`. The `builtByGCB` keys (regional and global) sign the
/// raw payload; `provenanceSigner` (SLSA v0.1) and `google-hosted-worker` (SLSA v1) sign PAE
/// (spec evidence-and-kritis §3.4, platform-policies §4.4, decision P-9).
const CLOUD_BUILD_KEYS: &[(&str, &str, SigningMode, &str)] = &[
    (
        "asia-east1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/asia-east1.key"),
    ),
    (
        "asia-northeast1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/asia-northeast1.key"),
    ),
    (
        "asia-southeast1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/asia-southeast1.key"),
    ),
    (
        "australia-southeast1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/australia-southeast1.key"),
    ),
    (
        "europe-north1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/europe-north1.key"),
    ),
    (
        "europe-west1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/europe-west1.key"),
    ),
    (
        "europe-west2",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/europe-west2.key"),
    ),
    (
        "europe-west3",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/europe-west3.key"),
    ),
    (
        "europe-west4",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/europe-west4.key"),
    ),
    (
        "global",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/global.key"),
    ),
    (
        "southamerica-west1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/southamerica-west1.key"),
    ),
    (
        "us-central1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-central1.key"),
    ),
    (
        "us-central2",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-central2.key"),
    ),
    (
        "us-east1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-east1.key"),
    ),
    (
        "us-east4",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-east4.key"),
    ),
    (
        "us-west1",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-west1.key"),
    ),
    (
        "us-west2",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-west2.key"),
    ),
    (
        "us-west3",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-west3.key"),
    ),
    (
        "us-west4",
        "builtByGCB",
        SigningMode::Raw,
        include_str!("cloud_build_keys/us-west4.key"),
    ),
    (
        "global",
        "provenanceSigner",
        SigningMode::Pae,
        include_str!("cloud_build_keys/global-pae-provenanceSigner_1.key"),
    ),
    (
        "global",
        "google-hosted-worker",
        SigningMode::Pae,
        include_str!("cloud_build_keys/global-pae-google-hosted-worker_1.key"),
    ),
];

/// The KMS key name of a Cloud Build provenance key.
fn cloud_build_key_name(location: &str, key: &str) -> String {
    format!(
        "projects/verified-builder/locations/{location}/keyRings/attestor/cryptoKeys/{key}/cryptoKeyVersions/1"
    )
}

static CLOUD_BUILD: std::sync::LazyLock<Vec<TrustedKey>> = std::sync::LazyLock::new(|| {
    CLOUD_BUILD_KEYS
        .iter()
        .filter_map(|(location, key, mode, pem)| {
            TrustedKey::from_pem(
                Some(&cloud_build_key_name(location, key)),
                pem,
                *mode,
                KeySource::CloudBuild,
            )
            .ok()
        })
        .collect()
});

/// Google Cloud Build's published provenance verification keys, shipped as data (decision
/// P-9): each named by its KMS key name, with its signing mode.
pub fn cloud_build_keys() -> &'static [TrustedKey] {
    &CLOUD_BUILD
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InputInvalidTrust, path, message)
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, Error> {
    value.as_object().ok_or_else(|| {
        invalid(
            path,
            format!("must be an object, found {}", document::type_name(value)),
        )
    })
}

fn only(obj: &Map<String, Value>, path: &str, known: &[&str]) -> Result<(), Error> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(invalid(
            &join(path, k),
            format!("unknown field `{k}` (known: {})", known.join(", ")),
        )),
        None => Ok(()),
    }
}

fn string<'a>(
    obj: &'a Map<String, Value>,
    path: &str,
    name: &str,
) -> Result<Option<&'a str>, Error> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(
            &join(path, name),
            format!("must be a string, found {}", document::type_name(other)),
        )),
    }
}

fn list<'a>(
    obj: &'a Map<String, Value>,
    path: &str,
    name: &str,
    limits: &Limits,
) -> Result<&'a [Value], Error> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) if items.len() > limits.max_trusted_keys => Err(Error::new(
            ErrorCode::InputTooManyTrustedKeys,
            join(path, name),
            format!(
                "{} keys, more than the limit of {}",
                items.len(),
                limits.max_trusted_keys
            ),
        )),
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(invalid(
            &join(path, name),
            format!("must be a list, found {}", document::type_name(other)),
        )),
    }
}

fn read(value: &Value, limits: &Limits) -> Result<TrustMaterial, Error> {
    if value.is_null() {
        return Ok(TrustMaterial::default());
    }
    let obj = object(value, "")?;
    only(obj, "", &["keys", "rekorKeys", "cloudBuildKeys"])?;
    let cloud_build_keys = match obj.get("cloudBuildKeys") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(invalid(
                "/cloudBuildKeys",
                format!(
                    "must be true or false, found {}",
                    document::type_name(other)
                ),
            ));
        }
    };
    let mut keys = Vec::new();
    for (i, item) in list(obj, "", "keys", limits)?.iter().enumerate() {
        let path = join_index("/keys", i);
        let key = object(item, &path)?;
        only(key, &path, &["keyId", "publicKeyPem", "signingMode"])?;
        let id = string(key, &path, "keyId")?;
        if id == Some("") {
            return Err(invalid(&join(&path, "keyId"), "must not be empty"));
        }
        let pem = string(key, &path, "publicKeyPem")?
            .ok_or_else(|| invalid(&join(&path, "publicKeyPem"), "a key needs `publicKeyPem`"))?;
        let mode = match string(key, &path, "signingMode")? {
            None | Some("PAE") => SigningMode::Pae,
            Some("RAW") => SigningMode::Raw,
            Some(other) => {
                return Err(invalid(
                    &join(&path, "signingMode"),
                    format!("`{other}` is not a signing mode (PAE, RAW)"),
                ));
            }
        };
        let trusted = TrustedKey::from_pem(id, pem, mode, KeySource::Caller)
            .map_err(|m| invalid(&join(&path, "publicKeyPem"), m))?;
        keys.push(trusted);
    }
    let mut rekor_keys = Vec::new();
    for (i, item) in list(obj, "", "rekorKeys", limits)?.iter().enumerate() {
        let path = join_index("/rekorKeys", i);
        let key = object(item, &path)?;
        only(key, &path, &["publicKeyPem"])?;
        let pem = string(key, &path, "publicKeyPem")?
            .ok_or_else(|| invalid(&join(&path, "publicKeyPem"), "a key needs `publicKeyPem`"))?;
        let der = crypto::decode_public_key_pem(pem)
            .map_err(|m| invalid(&join(&path, "publicKeyPem"), m))?;
        let key = VerifyingKey::from_spki_der_inferred(&der)
            .map_err(|e| invalid(&join(&path, "publicKeyPem"), e.to_string()))?;
        rekor_keys.push(RekorKey {
            log_id: Sha256::digest(&der).into(),
            key,
        });
    }
    Ok(TrustMaterial {
        keys,
        rekor_keys,
        cloud_build_keys,
    })
}

/// Lower-case hex.
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

    const P256: &str = include_str!("../../../../testdata/keys/ci-p256.pub.pem");

    #[test]
    fn reads_keys_and_defaults() {
        let t = TrustMaterial::from_text("null").unwrap();
        assert!(t.trusts_cloud_build());
        assert!(t.keys.is_empty());
        let text = format!(
            r#"{{"keys":[{{"keyId":"k1","publicKeyPem":{pem},"signingMode":"RAW"}},{{"publicKeyPem":{pem}}}],"rekorKeys":[{{"publicKeyPem":{pem}}}],"cloudBuildKeys":false}}"#,
            pem = serde_json::to_string(P256).unwrap()
        );
        let t = TrustMaterial::from_text(&text).unwrap();
        assert!(!t.trusts_cloud_build());
        assert_eq!(t.keys.len(), 2);
        assert_eq!(t.keys[0].id(), Some("k1"));
        assert_eq!(t.keys[0].mode(), SigningMode::Raw);
        assert_eq!(t.keys[1].mode(), SigningMode::Pae);
        assert!(t.keys[1].display_id().starts_with("sha256:"));
        assert_eq!(t.rekor_keys.len(), 1);
        assert_eq!(t.rekor_keys[0].log_id_hex().len(), 64);
    }

    #[test]
    fn refuses_with_paths() {
        let cases = [
            (r#"{"key":[]}"#, "/key"),
            (r#"{"keys":[{"publicKeyPem":"x"}]}"#, "/keys/0/publicKeyPem"),
            (r#"{"keys":[{"keyId":""}]}"#, "/keys/0/keyId"),
            (r#"{"keys":[{}]}"#, "/keys/0/publicKeyPem"),
            (r#"{"keys":{}}"#, "/keys"),
            (r#"{"cloudBuildKeys":"yes"}"#, "/cloudBuildKeys"),
            (
                r#"{"rekorKeys":[{"publicKeyPem":"x","hint":1}]}"#,
                "/rekorKeys/0/hint",
            ),
            ("[]", ""),
        ];
        for (text, path) in cases {
            let e = TrustMaterial::from_text(text).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InputInvalidTrust, "{text}");
            assert_eq!(e.path(), path, "{text}");
            assert_eq!(e.subject(), Subject::Trust);
        }
        let mode = format!(
            r#"{{"keys":[{{"publicKeyPem":{},"signingMode":"pae"}}]}}"#,
            serde_json::to_string(P256).unwrap()
        );
        assert_eq!(
            TrustMaterial::from_text(&mode).unwrap_err().path(),
            "/keys/0/signingMode"
        );
    }

    #[test]
    fn key_count_is_bounded() {
        let limits = Limits {
            max_trusted_keys: 1,
            ..Limits::DEFAULT
        };
        let e = TrustMaterial::from_text_with_limits(r#"{"keys":[{},{}]}"#, &limits).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputTooManyTrustedKeys);
        assert_eq!(e.path(), "/keys");
    }
}
