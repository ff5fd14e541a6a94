//! Attestors: who may vouch for an image, and with which keys.
//!
//! Reads the resource that `gcloud container binauthz attestors describe --format=json`
//! prints (v1 `userOwnedGrafeasNote` or v1beta1 `userOwnedDrydockNote`). Keys are decoded and
//! checked against their declared algorithm once, here; a declared algorithm that does not fit
//! its key is a configuration error.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crypto::{self, SignatureAlgorithm, VerifyingKey};
use crate::document::{self, from_value};
use crate::error::{Doc, Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::openpgp::PgpKey;
use crate::policy::{is_resource_name, null_as_default};

/// `pkixPublicKey` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PkixPublicKeyDocument {
    /// PEM of the SubjectPublicKeyInfo.
    pub public_key_pem: String,
    /// The algorithm name (aliases and lower-case spellings accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<String>,
    /// Optional id (platform-policy form); the wrapping key's `id` wins when both are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// An attestor public key as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PublicKeyDocument {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The id signatures must carry in `publicKeyId` (ignored for OpenPGP keys, whose id is
    /// their fingerprint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Kritis' spelling of `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Kritis' `PGP` or `PKIX`; when given it must match the key material.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// An ASCII-armored OpenPGP public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ascii_armored_pgp_public_key: Option<String>,
    /// A PKIX public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkix_public_key: Option<PkixPublicKeyDocument>,
}

/// `userOwnedGrafeasNote` / `userOwnedDrydockNote` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteDocument {
    /// `projects/P/notes/N`: the note attestations of this attestor are attached to.
    pub note_reference: String,
    /// The trusted keys.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub public_keys: Vec<PublicKeyDocument>,
    /// Output only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation_service_account_email: Option<String>,
}

/// The attestor resource as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttestorDocument {
    /// `projects/P/attestors/A`.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// v1 note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_owned_grafeas_note: Option<NoteDocument>,
    /// v1beta1 note (same shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_owned_drydock_note: Option<NoteDocument>,
    /// Output only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Output only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

/// A trusted key of an attestor, decoded at load.
#[derive(Debug, Clone)]
pub struct PublicKey {
    id: String,
    material: KeyMaterial,
}

#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "PKIX keys are the common case and are read on every verification"
)]
pub(crate) enum KeyMaterial {
    Pkix(VerifyingKey),
    Pgp(Box<PgpKey>),
}

impl PublicKey {
    /// The id signatures must carry.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The PKIX algorithm, or `None` for an OpenPGP key.
    pub fn algorithm(&self) -> Option<SignatureAlgorithm> {
        match &self.material {
            KeyMaterial::Pkix(k) => Some(k.algorithm()),
            KeyMaterial::Pgp(_) => None,
        }
    }

    pub(crate) fn material(&self) -> &KeyMaterial {
        &self.material
    }
}

/// A validated attestor with decoded keys. Immutable.
#[derive(Debug, Clone)]
pub struct Attestor {
    name: String,
    note_reference: String,
    keys: Vec<PublicKey>,
}

impl Attestor {
    /// The attestor's resource name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The note its attestations are attached to.
    pub fn note_reference(&self) -> &str {
        &self.note_reference
    }

    /// Its keys, in document order.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The key with exactly this id, if any.
    pub fn key(&self, id: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// Loads one attestor from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<Attestor, Error> {
        let value =
            document::parse(text, &Limits::DEFAULT).map_err(|e| e.about(Subject::Attestors))?;
        Attestor::from_value(value, &Limits::DEFAULT)
    }

    /// Loads one attestor from a JSON value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<Attestor, Error> {
        crate::policy::expect_object(&value, Doc::Attestor, "an attestor")?;
        let doc: AttestorDocument = from_value(value, Doc::Attestor, "")?;
        Attestor::from_document(&doc, limits)
    }

    /// Validates an attestor document and decodes its keys.
    pub fn from_document(doc: &AttestorDocument, limits: &Limits) -> Result<Attestor, Error> {
        if !is_resource_name(&doc.name, "attestors") {
            return Err(Error::new(
                ErrorCode::AttestorInvalidName,
                "/name",
                format!(
                    "`{}` is not an attestor name of the form `projects/PROJECT/attestors/NAME`",
                    doc.name
                ),
            ));
        }
        let (note, note_field) = match (&doc.user_owned_grafeas_note, &doc.user_owned_drydock_note)
        {
            (Some(n), None) => (n, "userOwnedGrafeasNote"),
            (None, Some(n)) => (n, "userOwnedDrydockNote"),
            (None, None) => {
                return Err(Error::new(
                    ErrorCode::AttestorMissingField,
                    "/userOwnedGrafeasNote",
                    "an attestor needs `userOwnedGrafeasNote` with its note and keys",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorCode::AttestorInvalidValue,
                    "/userOwnedDrydockNote",
                    "give either `userOwnedGrafeasNote` or `userOwnedDrydockNote`, not both",
                ));
            }
        };
        let note_path = join("", note_field);
        if !is_resource_name(&note.note_reference, "notes") {
            return Err(Error::new(
                ErrorCode::AttestorInvalidNoteReference,
                join(&note_path, "noteReference"),
                format!(
                    "`{}` is not a note name of the form `projects/PROJECT/notes/NOTE`",
                    note.note_reference
                ),
            ));
        }
        let keys_path = join(&note_path, "publicKeys");
        if note.public_keys.len() > limits.max_keys_per_attestor {
            return Err(Error::new(
                ErrorCode::AttestorTooManyKeys,
                keys_path,
                format!(
                    "attestor has {} keys, more than the limit of {}",
                    note.public_keys.len(),
                    limits.max_keys_per_attestor
                ),
            ));
        }
        let mut keys = Vec::with_capacity(note.public_keys.len());
        let mut ids = BTreeSet::new();
        for (i, key_doc) in note.public_keys.iter().enumerate() {
            let path = join_index(&keys_path, i);
            let key = load_key(key_doc, &path)?;
            if !ids.insert(key.id.clone()) {
                return Err(Error::new(
                    ErrorCode::AttestorDuplicateKeyId,
                    join(&path, "id"),
                    format!("key id `{}` is used by two keys of this attestor", key.id),
                ));
            }
            keys.push(key);
        }
        Ok(Attestor {
            name: doc.name.clone(),
            note_reference: note.note_reference.clone(),
            keys,
        })
    }
}

fn load_key(doc: &PublicKeyDocument, path: &str) -> Result<PublicKey, Error> {
    let material = match (&doc.pkix_public_key, &doc.ascii_armored_pgp_public_key) {
        (Some(_), None) => "PKIX",
        (None, Some(_)) => "PGP",
        (None, None) => {
            return Err(Error::new(
                ErrorCode::AttestorMissingField,
                join(path, "pkixPublicKey"),
                "a public key needs `pkixPublicKey` or `asciiArmoredPgpPublicKey`",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorCode::AttestorInvalidValue,
                join(path, "asciiArmoredPgpPublicKey"),
                "give either `pkixPublicKey` or `asciiArmoredPgpPublicKey`, not both",
            ));
        }
    };
    if let Some(key_type) = &doc.key_type
        && !key_type.eq_ignore_ascii_case(material)
    {
        return Err(Error::new(
            ErrorCode::AttestorInvalidValue,
            join(path, "keyType"),
            format!("`keyType` is `{key_type}`, but the key is {material}"),
        ));
    }
    match (&doc.pkix_public_key, &doc.ascii_armored_pgp_public_key) {
        (Some(pkix), _) => load_pkix(doc, pkix, path),
        (_, Some(armored)) => load_pgp(armored, path),
        (None, None) => Err(Error::new(
            ErrorCode::AttestorMissingField,
            join(path, "pkixPublicKey"),
            "no key",
        )),
    }
}

/// An armored OpenPGP key, the base64 of one (as Kritis stores it), or the armor's body
/// without its BEGIN/END lines (as Terraform's documentation shows it). Its id is its V4
/// fingerprint, whatever id the document gives (semantics §2.2).
fn load_pgp(text: &str, path: &str) -> Result<PublicKey, Error> {
    const BEGIN: &str = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    let key_path = join(path, "asciiArmoredPgpPublicKey");
    let armored = if text.contains(BEGIN) {
        text.to_owned()
    } else {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        match crypto::decode_base64(&compact)
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|t| t.contains(BEGIN))
        {
            Some(armored) => armored,
            // The bare armor body (base64 lines, perhaps the `=CRC` line): armor it again.
            None => {
                let body: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                if body.is_empty() || text.contains("-----") {
                    return Err(Error::new(
                        ErrorCode::AttestorInvalidKey,
                        key_path,
                        "`asciiArmoredPgpPublicKey` must be an ASCII-armored OpenPGP public key block (or its base64, or its body)",
                    ));
                }
                format!(
                    "{BEGIN}\n\n{}\n-----END PGP PUBLIC KEY BLOCK-----\n",
                    body.join("\n")
                )
            }
        }
    };
    let key = PgpKey::from_armored(&armored)
        .map_err(|msg| Error::new(ErrorCode::AttestorInvalidKey, key_path, msg))?;
    Ok(PublicKey {
        id: key.fingerprint().to_owned(),
        material: KeyMaterial::Pgp(Box::new(key)),
    })
}

fn load_pkix(
    doc: &PublicKeyDocument,
    pkix: &PkixPublicKeyDocument,
    path: &str,
) -> Result<PublicKey, Error> {
    let pkix_path = join(path, "pkixPublicKey");
    let algorithm_path = join(&pkix_path, "signatureAlgorithm");
    let Some(name) = pkix.signature_algorithm.as_deref() else {
        return Err(Error::new(
            ErrorCode::AttestorMissingField,
            algorithm_path,
            "`signatureAlgorithm` is required: it names how signatures by this key are verified",
        ));
    };
    let algorithm = SignatureAlgorithm::parse(name).ok_or_else(|| {
        Error::new(
            ErrorCode::AttestorInvalidValue,
            algorithm_path.clone(),
            format!("unknown signatureAlgorithm `{name}`"),
        )
    })?;
    let pem_path = join(&pkix_path, "publicKeyPem");
    let der = crypto::decode_public_key_pem(&pkix.public_key_pem)
        .map_err(|msg| Error::new(ErrorCode::AttestorInvalidKey, pem_path.clone(), msg))?;
    let key = VerifyingKey::from_spki_der(&der, algorithm).map_err(|e| match e {
        crypto::KeyError::Mismatch { .. } => Error::new(
            ErrorCode::AttestorAlgorithmMismatch,
            algorithm_path.clone(),
            e.to_string(),
        ),
        crypto::KeyError::Invalid(msg) => {
            Error::new(ErrorCode::AttestorInvalidKey, pem_path.clone(), msg)
        }
    })?;
    let (explicit, explicit_field) = match (
        non_empty(doc.id.as_deref()),
        non_empty(doc.key_id.as_deref()),
    ) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::new(
                ErrorCode::AttestorInvalidKeyId,
                join(path, "keyId"),
                format!("`id` (`{a}`) and `keyId` (`{b}`) disagree"),
            ));
        }
        (Some(id), _) => (Some(id), "id"),
        (None, Some(id)) => (Some(id), "keyId"),
        (None, None) => (None, "id"),
    };
    let inner = non_empty(pkix.key_id.as_deref());
    let id = match (explicit, inner) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::new(
                ErrorCode::AttestorInvalidKeyId,
                join(&pkix_path, "keyId"),
                format!("`id` (`{a}`) and `pkixPublicKey.keyId` (`{b}`) disagree"),
            ));
        }
        (Some(id), _) => (id.to_owned(), join(path, explicit_field)),
        (None, Some(id)) => (id.to_owned(), join(&pkix_path, "keyId")),
        (None, None) => (crypto::default_key_id(&der), String::new()),
    };
    let (id, id_path) = id;
    if !id_path.is_empty() {
        validate_key_id(&id)
            .map_err(|msg| Error::new(ErrorCode::AttestorInvalidKeyId, id_path, msg))?;
    }
    Ok(PublicKey {
        id,
        material: KeyMaterial::Pkix(key),
    })
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// Decision A-6: any non-empty string without ASCII control characters or spaces; one that
/// contains `:` must be an RFC 3986 URI-reference.
pub(crate) fn validate_key_id(id: &str) -> Result<(), String> {
    if id.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return Err(format!(
            "key id `{}` contains spaces or control characters",
            id.escape_debug()
        ));
    }
    if id.contains(':') && !is_uri_reference(id) {
        return Err(format!(
            "key id `{id}` contains `:` but is not an RFC 3986 URI"
        ));
    }
    Ok(())
}

/// RFC 3986 URI-reference: allowed characters only, well-formed percent escapes, at most one
/// `#`, and a colon before the first `/`, `?` or `#` only after a valid scheme.
fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let ok = c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c);
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !ok {
            return false;
        }
        i += 1;
    }
    if s.matches('#').count() > 1 {
        return false;
    }
    let first_delim = s.find(['/', '?', '#']).unwrap_or(s.len());
    match s.get(..first_delim).and_then(|head| head.find(':')) {
        None => true,
        Some(colon) => {
            let scheme = s.get(..colon).unwrap_or_default();
            scheme
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_alphabetic)
                && scheme
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        }
    }
}

/// Loads attestors from YAML or JSON text: one attestor, a list, or `{"attestors": [...]}`.
pub fn attestors_from_text(text: &str) -> Result<Vec<Attestor>, Error> {
    let value = document::parse(text, &Limits::DEFAULT).map_err(|e| e.about(Subject::Attestors))?;
    attestors_from_value(value, &Limits::DEFAULT)
}

/// Loads attestors from a value: one attestor, a list, or `{"attestors": [...]}`.
pub fn attestors_from_value(value: Value, limits: &Limits) -> Result<Vec<Attestor>, Error> {
    Ok(attestors_with_paths(value, limits)?
        .into_iter()
        .map(|(a, _)| a)
        .collect())
}

/// Like [`attestors_from_value`], also giving each attestor's JSON pointer in the value.
pub(crate) fn attestors_with_paths(
    value: Value,
    limits: &Limits,
) -> Result<Vec<(Attestor, String)>, Error> {
    let (items, base) = match value {
        single @ Value::Object(_) if !is_attestor_list_wrapper(&single) => {
            return Ok(vec![(Attestor::from_value(single, limits)?, String::new())]);
        }
        Value::Object(mut map) => match map.remove("attestors") {
            Some(Value::Array(items)) => (items, "/attestors"),
            other => {
                let found = other.as_ref().map_or("nothing", document::type_name);
                return Err(Error::new(
                    ErrorCode::AttestorInvalidType,
                    "/attestors",
                    format!("`attestors` must be a list, found {found}"),
                ));
            }
        },
        Value::Array(items) => (items, ""),
        other => {
            return Err(Error::new(
                ErrorCode::AttestorInvalidType,
                "",
                format!(
                    "attestors must be an attestor object or a list of them, found {}",
                    document::type_name(&other)
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let path = join_index(base, i);
        let attestor = Attestor::from_value(item, limits).map_err(|e| e.within(&path))?;
        out.push((attestor, path));
    }
    Ok(out)
}

/// `{"attestors": [...]}`, the REST list response (possibly with `nextPageToken`).
fn is_attestor_list_wrapper(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.contains_key("attestors") && m.keys().all(|k| k == "attestors" || k == "nextPageToken")
    })
}

/// Checks a whole set of attestors: the count limit and unique names. `paths` gives the
/// pointer of each attestor for error messages.
pub(crate) fn check_attestor_set(
    attestors: &[Attestor],
    paths: &[String],
    limits: &Limits,
) -> Result<(), Error> {
    if attestors.len() > limits.max_attestors {
        return Err(Error::new(
            ErrorCode::AttestorTooMany,
            "",
            format!(
                "{} attestors, more than the limit of {}",
                attestors.len(),
                limits.max_attestors
            ),
        ));
    }
    let mut names = BTreeSet::new();
    for (i, a) in attestors.iter().enumerate() {
        if !names.insert(a.name()) {
            let path = paths.get(i).cloned().unwrap_or_default();
            return Err(Error::new(
                ErrorCode::AttestorDuplicate,
                join(&path, "name"),
                format!("attestor `{}` is given twice", a.name()),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\n-----END PUBLIC KEY-----\n";

    fn attestor(key: Value) -> Value {
        serde_json::json!({
            "name": "projects/p/attestors/a",
            "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/a", "publicKeys": [key]}
        })
    }

    fn err(v: Value) -> (ErrorCode, String) {
        let e = Attestor::from_value(v, &Limits::DEFAULT).unwrap_err();
        (e.code(), e.path().to_owned())
    }

    #[test]
    fn default_id_is_derived() {
        let a = Attestor::from_value(
            attestor(serde_json::json!({"pkixPublicKey": {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}})),
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(
            a.keys()[0].id(),
            "ni:///sha-256;9Fe2g4WxhXps796qTUDVJcggWhFbijfu1M9B8224Y8I"
        );
        assert_eq!(
            a.keys()[0].algorithm(),
            Some(SignatureAlgorithm::EcdsaP256Sha256)
        );
    }

    #[test]
    fn key_errors() {
        let pkix = |alg: &str| serde_json::json!({"pkixPublicKey": {"publicKeyPem": EC_PEM, "signatureAlgorithm": alg}});
        assert_eq!(
            err(attestor(pkix("ECDSA_P384_SHA384"))),
            (
                ErrorCode::AttestorAlgorithmMismatch,
                "/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey/signatureAlgorithm".into()
            )
        );
        assert_eq!(
            err(attestor(pkix("NOPE"))).0,
            ErrorCode::AttestorInvalidValue
        );
        assert_eq!(
            err(attestor(serde_json::json!({"pkixPublicKey": {"publicKeyPem": "junk", "signatureAlgorithm": "ED25519"}}))).0,
            ErrorCode::AttestorInvalidKey
        );
        assert_eq!(
            err(attestor(
                serde_json::json!({"id": "a b", "pkixPublicKey": {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}})
            )),
            (
                ErrorCode::AttestorInvalidKeyId,
                "/userOwnedGrafeasNote/publicKeys/0/id".into()
            )
        );
        assert_eq!(
            err(attestor(serde_json::json!({"comment": "x"}))).0,
            ErrorCode::AttestorMissingField
        );
        let mut two = attestor(pkix("ECDSA_P256_SHA256"));
        two["userOwnedGrafeasNote"]["publicKeys"] =
            serde_json::json!([pkix("ECDSA_P256_SHA256"), pkix("EC_SIGN_P256_SHA256")]);
        assert_eq!(
            err(two),
            (
                ErrorCode::AttestorDuplicateKeyId,
                "/userOwnedGrafeasNote/publicKeys/1/id".into()
            )
        );
        let mut bad_note = attestor(pkix("ECDSA_P256_SHA256"));
        bad_note["userOwnedGrafeasNote"]["noteReference"] = "notes/x".into();
        assert_eq!(err(bad_note).0, ErrorCode::AttestorInvalidNoteReference);
        assert_eq!(
            err(serde_json::json!({"name": "projects/p/attestors/a"})).0,
            ErrorCode::AttestorMissingField
        );
        assert_eq!(
            err(serde_json::json!({"name": "a"})).0,
            ErrorCode::AttestorInvalidName
        );
    }

    #[test]
    fn uri_key_ids() {
        assert!(validate_key_id("//cloudkms.googleapis.com/v1/projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1").is_ok());
        assert!(
            validate_key_id("ni:///sha-256;9Fe2g4WxhXps796qTUDVJcggWhFbijfu1M9B8224Y8I").is_ok()
        );
        assert!(validate_key_id("plain-id").is_ok());
        assert!(validate_key_id("openpgp4fpr:ABCDEF").is_ok());
        assert!(validate_key_id("1x:abc").is_err());
        assert!(validate_key_id("a:b c").is_err());
        assert!(validate_key_id("a:%zz").is_err());
        assert!(validate_key_id("a:<b>").is_err());
        assert!(validate_key_id("tab\there").is_err());
    }

    #[test]
    fn file_shapes() {
        let one = attestor(
            serde_json::json!({"pkixPublicKey": {"publicKeyPem": EC_PEM, "signatureAlgorithm": "ECDSA_P256_SHA256"}}),
        );
        assert_eq!(
            attestors_from_value(one.clone(), &Limits::DEFAULT)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            attestors_from_value(
                Value::Array(vec![one.clone(), one.clone()]),
                &Limits::DEFAULT
            )
            .unwrap()
            .len(),
            2
        );
        let wrapped = serde_json::json!({"attestors": [one]});
        assert_eq!(
            attestors_from_value(wrapped, &Limits::DEFAULT)
                .unwrap()
                .len(),
            1
        );
        let e =
            attestors_from_value(serde_json::json!([{"name": "x"}]), &Limits::DEFAULT).unwrap_err();
        assert_eq!(e.path(), "/0/name");
    }
}
