//! GKE platform policies: a compiled `PlatformPolicy` evaluated against one request, and the
//! document entry point. Marshalling only; every result leaves as the core's exact JSON.

use pyo3::prelude::*;
use vouch::Limits;

use crate::{Attestations, AttestationsRef, document, raise, read_evidence, timestamp};

/// A validated, compiled GKE platform policy.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct PlatformPolicy {
    inner: vouch::PlatformPolicy,
}

#[pymethods]
impl PlatformPolicy {
    /// The policy in canonical schema form, as JSON text.
    fn canonical_json(&self) -> String {
        self.inner.canonical_json()
    }

    /// The policy's `name`, when the document gave one.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// Evaluates one request (the bundle request document's JSON text) with the evidence
    /// (text, an `Evidence`, or `None`) and the trust material's text: the response JSON.
    /// Error paths are the platform document's (`/request/…`, `/attestations/…`, `/trust/…`).
    #[pyo3(signature = (request, attestations, trust, seconds, nanos, tag_digests))]
    #[allow(
        clippy::too_many_arguments,
        reason = "one argument per input, as `Evaluator.evaluate`"
    )]
    fn evaluate(
        &self,
        py: Python<'_>,
        request: String,
        attestations: Option<Attestations<'_>>,
        trust: Option<String>,
        seconds: i64,
        nanos: u32,
        tag_digests: Vec<(String, String)>,
    ) -> PyResult<String> {
        let now = timestamp(seconds, nanos)?;
        let policy = &self.inner;
        let attestations = attestations.as_ref().map(Attestations::borrow);
        let run = move || -> Result<String, vouch::Error> {
            let request = document(&request)
                .and_then(|value| vouch::Request::from_value(value, &Limits::DEFAULT))
                .map_err(|e| e.about(vouch::Subject::Request).in_bundle())?;
            let read;
            let evidence = match attestations {
                Some(AttestationsRef::Read(evidence)) => evidence,
                Some(AttestationsRef::Text(text)) => {
                    read = read_evidence(text).map_err(vouch::Error::in_bundle)?;
                    &read
                }
                None => {
                    read = vouch::Evidence::new();
                    &read
                }
            };
            let trust = match trust {
                Some(text) => {
                    vouch::TrustMaterial::from_text(&text).map_err(vouch::Error::in_bundle)?
                }
                None => vouch::TrustMaterial::default(),
            };
            let mut options = vouch::PlatformOptions::default();
            for (image, digest) in tag_digests {
                options = options.with_tag_digest(image, digest);
            }
            Ok(policy
                .evaluate(&request, evidence, &trust, now, &options)
                .to_json())
        };
        py.detach(run).map_err(|e| raise(&e))
    }
}

/// A validated, compiled Cloud Run platform policy (`cloudRunPolicy`, decision R-2).
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct CloudRunPolicy {
    pub(crate) inner: vouch::CloudRunPolicy,
}

#[pymethods]
impl CloudRunPolicy {
    /// The policy in canonical schema form, as JSON text.
    fn canonical_json(&self) -> String {
        self.inner.canonical_json()
    }

    /// The policy's name, `projects/P/platforms/cloudRun/policies/N`.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }
}

/// Loads a Cloud Run platform policy from its JSON or YAML text.
#[pyfunction]
fn load_cloud_run_policy(py: Python<'_>, text: String) -> PyResult<CloudRunPolicy> {
    py.detach(move || vouch::CloudRunPolicy::from_text(&text))
        .map(|inner| CloudRunPolicy { inner })
        .map_err(|e| raise(&e))
}

/// Loads a platform policy from its JSON or YAML text.
#[pyfunction]
fn load_platform_policy(py: Python<'_>, text: String) -> PyResult<PlatformPolicy> {
    py.detach(move || vouch::PlatformPolicy::from_text(&text))
        .map(|inner| PlatformPolicy { inner })
        .map_err(|e| raise(&e))
}

/// Evaluates a platform-policy document (`{"platformPolicy", "request", "attestations",
/// "trust", "now", "options"}` as JSON or YAML text): the response JSON.
#[pyfunction]
fn evaluate_platform(py: Python<'_>, text: String) -> PyResult<String> {
    py.detach(move || vouch::evaluate_platform_document(&text).map(|r| r.to_json()))
        .map_err(|e| raise(&e))
}

/// Continuous validation of a Pod snapshot (`{"platformPolicies", "pods", "attestations",
/// "trust", "cluster", "clusterConfig", "now"}` as JSON or YAML text): the report JSON
/// (`{"entries", "errors", "summary"}`).
#[pyfunction]
fn continuous_validation(py: Python<'_>, text: String) -> PyResult<String> {
    py.detach(move || vouch::continuous_validation_document(&text).map(|r| r.to_json()))
        .map_err(|e| raise(&e))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PlatformPolicy>()?;
    m.add_class::<CloudRunPolicy>()?;
    m.add_function(wrap_pyfunction!(load_cloud_run_policy, m)?)?;
    m.add_function(wrap_pyfunction!(load_platform_policy, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_platform, m)?)?;
    m.add_function(wrap_pyfunction!(continuous_validation, m)?)?;
    Ok(())
}
