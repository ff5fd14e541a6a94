//! An attestor's public keys: PKIX (PEM SubjectPublicKeyInfo) or OpenPGP, decoded once and
//! checked against the declared algorithm; key ids.

use super::algorithm::SignatureAlgorithm;
use super::attestor::{PkixPublicKeyDocument, PublicKeyDocument};
use super::crypto::{self, VerifyingKey};
use super::openpgp::PgpKey;
use crate::error::{Error, ErrorCode, join};

/// A trusted key of an attestor, decoded at load.
#[derive(Debug, Clone)]
pub struct PublicKey {
    pub(super) id: String,
    pub(super) material: KeyMaterial,
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

pub(crate) fn load_key(doc: &PublicKeyDocument, path: &str) -> Result<PublicKey, Error> {
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
        match crate::read::bytes::decode_base64(&compact)
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

/// Why a platform policy's PKIX key does not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PkixKeyError {
    /// The PEM does not decode to a key of a supported type.
    Invalid(String),
    /// The key does not fit the declared algorithm.
    Mismatch(String),
    /// The key id is not valid (decision A-6).
    KeyId(String),
}

/// A PKIX key as platform policies write it (`publicKeyPem`, `signatureAlgorithm`, `keyId`),
/// decoded exactly as an attestor's: a blank `keyId` is the default id derived from the DER
/// key (semantics §2.2).
pub(crate) fn pkix_key(
    pem: &str,
    algorithm: SignatureAlgorithm,
    key_id: Option<&str>,
) -> Result<PublicKey, PkixKeyError> {
    let der = crypto::decode_public_key_pem(pem).map_err(PkixKeyError::Invalid)?;
    let key = VerifyingKey::from_spki_der(&der, algorithm).map_err(|e| match e {
        crypto::KeyError::Mismatch { .. } => PkixKeyError::Mismatch(e.to_string()),
        crypto::KeyError::Invalid(msg) => PkixKeyError::Invalid(msg),
    })?;
    let id = match non_empty(key_id) {
        Some(id) => {
            validate_key_id(id).map_err(PkixKeyError::KeyId)?;
            id.to_owned()
        }
        None => crypto::default_key_id(&der),
    };
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
