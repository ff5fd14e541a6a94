//! Attestors: who may vouch for an image, and with which keys.
//!
//! Reads the resource that `gcloud container binauthz attestors describe --format=json`
//! prints (v1 `userOwnedGrafeasNote` or v1beta1 `userOwnedDrydockNote`). Keys are decoded and
//! checked against their declared algorithm once, here; a declared algorithm that does not fit
//! its key is a configuration error.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::key::PublicKey;
use super::key::load_key;
use crate::error::{Doc, Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::read::document::{self, from_value};
use crate::read::fields::null_as_default;
use crate::read::names::is_resource_name;

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

    /// An attestor inlined in a Cloud Run platform policy: named by its id, keys already
    /// loaded (possibly none: it then verifies nothing).
    pub(crate) fn inline(id: &str, note_reference: &str, keys: Vec<PublicKey>) -> Attestor {
        Attestor {
            name: id.to_owned(),
            note_reference: note_reference.to_owned(),
            keys,
        }
    }

    /// Loads one attestor from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<Attestor, Error> {
        Attestor::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads one attestor from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<Attestor, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::Attestors))?;
        Attestor::from_value(value, limits)
    }

    /// Loads one attestor from a JSON value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<Attestor, Error> {
        crate::read::fields::expect_object(&value, Doc::Attestor, "an attestor")?;
        let doc: AttestorDocument = from_value(value, Doc::Attestor, "")?;
        Attestor::from_document(doc, limits)
    }

    /// Validates an attestor document and decodes its keys.
    pub fn from_document(doc: AttestorDocument, limits: &Limits) -> Result<Attestor, Error> {
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

/// Loads attestors from YAML or JSON text: one attestor, a list, or `{"attestors": [...]}`.
pub fn attestors_from_text(text: &str) -> Result<Vec<Attestor>, Error> {
    attestors_from_text_with_limits(text, &Limits::DEFAULT)
}

/// Loads attestors from YAML or JSON text under explicit limits.
pub fn attestors_from_text_with_limits(
    text: &str,
    limits: &Limits,
) -> Result<Vec<Attestor>, Error> {
    let value = document::parse(text, limits).map_err(|e| e.about(Subject::Attestors))?;
    attestors_from_value(value, limits)
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
    use crate::verify::algorithm::SignatureAlgorithm;
    use crate::verify::key::validate_key_id;

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
