//! The attestor's toolkit: payloads, keys, signing, attestor resources, policy validation.
//!
//! Marshalling only, like the rest of the module: every function calls one function of the
//! core (`vouch::sign_attestation`, `vouch::lint`, …) with the GIL released and returns its result as
//! bytes, a string or the core's JSON. Private keys cross into Python only through
//! `SigningKey.private_key_pem()`; the Rust copies of PEM text are zeroized when dropped.

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use vouch::{KeyAlgorithm, SignatureAlgorithm};
use zeroize::Zeroizing;

use crate::{Attestor, Policy, raise};

/// A private key that signs payloads. Its repr, errors and `Debug` never show private
/// material.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct SigningKey {
    inner: vouch::SigningKey,
}

#[pymethods]
impl SigningKey {
    /// The `signatureAlgorithm` the key signs with, e.g. `ECDSA_P256_SHA256`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().as_str()
    }

    /// The public key as PEM (SubjectPublicKeyInfo).
    #[getter]
    fn public_key_pem(&self) -> String {
        self.inner.public_key_pem()
    }

    /// The default key id of the public key (`ni:///sha-256;…`).
    #[getter]
    fn key_id(&self) -> &str {
        self.inner.default_key_id()
    }

    /// The private key as PKCS#8 PEM.
    fn private_key_pem<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        let pem = self.inner.to_pkcs8_pem().map_err(|e| raise(&e))?;
        Ok(PyString::new(py, pem.expose()))
    }
}

/// Generates a key from 32 bytes of operating-system randomness (as `vouch keygen` does).
#[pyfunction]
fn generate_key(py: Python<'_>, algorithm: String) -> PyResult<SigningKey> {
    let algorithm = algorithm
        .parse::<KeyAlgorithm>()
        .map_err(PyValueError::new_err)?;
    py.detach(move || {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice())
            .map_err(|e| PyOSError::new_err(format!("no randomness: {e}")))?;
        vouch::SigningKey::from_seed(algorithm, &seed).map_err(|e| raise(&e))
    })
    .map(|inner| SigningKey { inner })
}

/// Loads a PEM private key (PKCS#8, SEC1 or PKCS#1).
#[pyfunction]
fn load_signing_key(py: Python<'_>, text: String) -> PyResult<SigningKey> {
    let text = Zeroizing::new(text);
    py.detach(move || vouch::SigningKey::from_pem(&text))
        .map(|inner| SigningKey { inner })
        .map_err(|e| raise(&e))
}

/// The simple-signing payload for an image, byte for byte as gcloud writes it.
#[pyfunction]
fn create_signature_payload(py: Python<'_>, image: String) -> PyResult<Bound<'_, PyBytes>> {
    let payload = py
        .detach(|| vouch::create_signature_payload(&image))
        .map_err(|e| raise(&e))?;
    Ok(PyBytes::new(py, &payload))
}

/// The note named like an attestor (`projects/P/attestors/A` → `projects/P/notes/A`).
#[pyfunction]
fn default_note(attestor: String) -> PyResult<String> {
    vouch::default_note(&attestor).map_err(|e| raise(&e))
}

/// Signs an image's payload and returns the attestation occurrence as compact JSON.
#[pyfunction]
#[pyo3(signature = (image, note, key, key_id, pae))]
fn sign(
    py: Python<'_>,
    image: String,
    note: String,
    key: &SigningKey,
    key_id: Option<String>,
    pae: bool,
) -> PyResult<String> {
    let key = &key.inner;
    py.detach(|| vouch::sign_attestation(&image, &note, key, key_id.as_deref(), pae))
        .map(|occurrence| occurrence.to_string())
        .map_err(|e| raise(&e))
}

/// An attestor resource for one public key, as compact JSON (checked by loading it).
#[pyfunction]
#[pyo3(signature = (name, note, public_key_pem, algorithm, key_id, description))]
fn attestor_resource(
    py: Python<'_>,
    name: String,
    note: String,
    public_key_pem: String,
    algorithm: String,
    key_id: Option<String>,
    description: Option<String>,
) -> PyResult<String> {
    let algorithm = SignatureAlgorithm::parse(&algorithm).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown signature algorithm `{algorithm}` (e.g. ECDSA_P256_SHA256, ED25519)"
        ))
    })?;
    py.detach(|| {
        vouch::attestor_resource(
            &name,
            &note,
            &public_key_pem,
            algorithm,
            key_id.as_deref(),
            description.as_deref(),
        )
    })
    .map(|resource| resource.to_string())
    .map_err(|e| raise(&e))
}

/// The lint options for a platform name (`gke`, `cloud-run`); a `ValueError` for another.
fn lint_options(platform: &str) -> PyResult<vouch::LintOptions> {
    vouch::LintPlatform::from_name(platform)
        .map(vouch::LintOptions::for_platform)
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown platform `{platform}` (expected \"gke\" or \"cloud-run\")"
            ))
        })
}

/// Validates and lints policy text with optional attestors text, for a platform: the core's
/// validation JSON.
#[pyfunction]
#[pyo3(signature = (policy, attestors, platform))]
fn validate_policy(
    py: Python<'_>,
    policy: String,
    attestors: Option<String>,
    platform: &str,
) -> PyResult<(String, Vec<&'static str>)> {
    let options = lint_options(platform)?;
    Ok(py.detach(move || {
        let validation = vouch::validate_policy_with(&policy, attestors.as_deref(), &options);
        let subjects = validation.errors.iter().map(|e| e.subject().as_str());
        (validation.to_json(), subjects.collect())
    }))
}

/// Lints a loaded policy against loaded attestors for a platform: the warnings as a JSON list.
#[pyfunction]
fn lint(
    py: Python<'_>,
    policy: &Policy,
    attestors: Vec<PyRef<'_, Attestor>>,
    platform: &str,
) -> PyResult<String> {
    let options = lint_options(platform)?;
    let policy = policy.inner.clone();
    let attestors: Vec<vouch::Attestor> = attestors.iter().map(|a| a.inner.clone()).collect();
    Ok(py.detach(move || {
        serde_json::to_string(&vouch::lint_with(&policy, &attestors, &options)).unwrap_or_default()
    }))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SigningKey>()?;
    m.add_function(wrap_pyfunction!(generate_key, m)?)?;
    m.add_function(wrap_pyfunction!(load_signing_key, m)?)?;
    m.add_function(wrap_pyfunction!(create_signature_payload, m)?)?;
    m.add_function(wrap_pyfunction!(default_note, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(attestor_resource, m)?)?;
    m.add_function(wrap_pyfunction!(validate_policy, m)?)?;
    m.add_function(wrap_pyfunction!(lint, m)?)?;
    Ok(())
}
