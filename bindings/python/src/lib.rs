//! `vouch._vouch`: the native half of the Python package `vouch`.
//!
//! Marshalling only. Every input arrives as JSON or YAML text (the pure-Python layer
//! serializes dicts and lists with `json.dumps`) and goes through the core's one document reader
//! (size, depth, alias and duplicate-key guards) and the core's loaders; the one exception is
//! `Evaluator.evaluate`'s request, which reaches the core's request loader as a value when it
//! is plain data (`plain_value`, bounded depth) and as the package's JSON otherwise. Every decision
//! leaves as the exact JSON the core produced. Nothing is evaluated, validated or matched
//! here. Loading and evaluation run with the GIL released (`Python::detach`), so threads that
//! share one `Evaluator` evaluate in parallel. The attestor's toolkit (payloads, keys, signing,
//! attestor resources, validation) is in `toolkit.rs`, on the same terms.
//!
//! Errors are raised as `NativeError(code, path, message, json, subject)`; the Python layer
//! picks the exception class from the subject (one table, `_errors.py`).

use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use vouch::{Decision, Limits};

mod platform;
mod replay;
mod toolkit;

pyo3::create_exception!(
    _vouch,
    NativeError,
    PyException,
    "A vouch configuration error: args are (code, path, message, error JSON, subject)."
);

/// What a decision crosses the boundary as: the exact decision JSON, `allowed`, `verdict`.
type DecisionParts = (String, bool, &'static str);

/// A decision whose JSON is written only when asked for: a caller that reads only `allowed`
/// does not pay for the serialization.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
struct Decided {
    inner: Decision,
}

#[pymethods]
impl Decided {
    /// The decision JSON, byte for byte the core's.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// False only for a `DENY` verdict.
    #[getter]
    fn allowed(&self) -> bool {
        self.inner.allowed
    }

    /// The verdict as written in the decision JSON.
    #[getter]
    fn verdict(&self) -> &'static str {
        self.inner.verdict.as_str()
    }
}

fn parts(decision: &Decision) -> DecisionParts {
    (
        decision.to_json(),
        decision.allowed,
        decision.verdict.as_str(),
    )
}

pub(crate) fn raise(error: &vouch::Error) -> PyErr {
    NativeError::new_err((
        error.code().as_str(),
        error.path().to_owned(),
        error.message().to_owned(),
        error.to_json(),
        error.subject().as_str(),
    ))
}

pub(crate) fn document(text: &str) -> Result<serde_json::Value, vouch::Error> {
    vouch::parse_document(text, &Limits::DEFAULT)
}

/// A validated, compiled project policy.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct Policy {
    pub(crate) inner: vouch::Policy,
}

/// A validated attestor with decoded keys.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct Attestor {
    pub(crate) inner: vouch::Attestor,
}

#[pymethods]
impl Attestor {
    /// The attestor's resource name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The note its attestations are attached to.
    #[getter]
    fn note_reference(&self) -> &str {
        self.inner.note_reference()
    }

    /// The ids of its keys, in document order.
    #[getter]
    fn key_ids(&self) -> Vec<String> {
        self.inner
            .keys()
            .iter()
            .map(|k| k.id().to_owned())
            .collect()
    }
}

/// A validated system policy.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
struct SystemPolicy {
    inner: vouch::SystemPolicy,
}

/// A compiled policy with its attestors: immutable, shared freely between threads.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
struct Evaluator {
    inner: vouch::Evaluator,
}

#[pymethods]
impl Evaluator {
    #[new]
    #[pyo3(signature = (policy, attestors, system_policy=None, cloud_run_policies=Vec::new()))]
    fn new(
        py: Python<'_>,
        policy: &Policy,
        attestors: Vec<PyRef<'_, Attestor>>,
        system_policy: Option<&SystemPolicy>,
        cloud_run_policies: Vec<PyRef<'_, platform::CloudRunPolicy>>,
    ) -> PyResult<Evaluator> {
        let policy = policy.inner.clone();
        let attestors: Vec<vouch::Attestor> = attestors.iter().map(|a| a.inner.clone()).collect();
        let system_policy = system_policy.map(|s| s.inner.clone());
        let cloud_run: Vec<vouch::CloudRunPolicy> =
            cloud_run_policies.iter().map(|p| p.inner.clone()).collect();
        py.detach(move || {
            vouch::Evaluator::new(policy, attestors, system_policy)?
                .with_cloud_run_policies(cloud_run)
        })
        .map(|inner| Evaluator { inner })
        .map_err(|e| raise(&e))
    }

    /// Decides one request: the per-request half of a bundle. `request` is the request
    /// document's JSON text, `attestations` the attestations (text, an `Evidence`, or
    /// `None`). The core's loaders read them as a bundle's `request` and `attestations`
    /// members, so error paths are the bundle's (`/request/images/0`, `/attestations/3/…`),
    /// as in every front end.
    #[pyo3(signature = (request, encode, attestations, seconds, nanos, strict_identity, max_attestation_age=None, trust_occurrence_time=false, cluster_config=None, use_resolved_digest=false))]
    ///
    /// `request` is the request document as a dict; `encode` is the package's JSON encoder,
    /// called only when the dict is not plain data (see [`plain_value`]), so that every request
    /// reaches the core's one request loader as the same document, without a JSON round trip
    /// in the common case.
    #[allow(clippy::too_many_arguments)]
    fn evaluate(
        &self,
        py: Python<'_>,
        request: &Bound<'_, PyAny>,
        encode: &Bound<'_, PyAny>,
        attestations: Option<Attestations<'_>>,
        seconds: i64,
        nanos: u32,
        strict_identity: bool,
        max_attestation_age: Option<String>,
        trust_occurrence_time: bool,
        cluster_config: Option<String>,
        use_resolved_digest: bool,
    ) -> PyResult<Decided> {
        let now = timestamp(seconds, nanos)?;
        let evaluator = &self.inner;
        let attestations = attestations.as_ref().map(Attestations::borrow);
        let max_age = match max_attestation_age {
            Some(text) => Some(vouch::parse_duration(&text).ok_or_else(|| {
                raise(&vouch::Error::new(
                    vouch::ErrorCode::BundleInvalidOptions,
                    "/options/maxAttestationAge",
                    format!(
                        "`{text}` is not a duration: whole days, hours, minutes or seconds, largest first, more than zero (e.g. `30d`, `12h`, `1d12h`)"
                    ),
                ))
            })?),
            None => None,
        };
        let options = vouch::Options::strict_identity(strict_identity)
            .with_max_attestation_age(max_age)
            .with_trust_occurrence_time(trust_occurrence_time)
            .with_resolved_digest(use_resolved_digest);
        let request = match plain_value(request, PLAIN_DEPTH) {
            Some(value) => RequestInput::Value(value),
            None => RequestInput::Text(encode.call1((request,))?.extract::<String>()?),
        };
        let heavy = matches!(request, RequestInput::Text(_))
            || cluster_config.is_some()
            || match &attestations {
                None => false,
                Some(AttestationsRef::Read(evidence)) => !evidence.is_empty(),
                Some(AttestationsRef::Text(_)) => true,
            };
        let run = move || {
            let value = match request {
                RequestInput::Value(value) => Ok(value),
                RequestInput::Text(text) => document(&text),
            };
            let request = value
                .and_then(|value| vouch::Request::from_value(value, &Limits::DEFAULT))
                .map_err(|e| e.about(vouch::Subject::Request).in_bundle())?;
            let cluster = match &cluster_config {
                Some(text) => {
                    Some(vouch::ClusterConfig::from_text(text).map_err(vouch::Error::in_bundle)?)
                }
                None => None,
            };
            decide(
                evaluator,
                &request,
                attestations,
                now,
                options,
                cluster.as_ref(),
            )
        };
        // Releasing the GIL costs more than a decision without signatures or text to read.
        let decided = if heavy { py.detach(run) } else { run() };
        decided.map_err(|e: vouch::Error| raise(&e))
    }
}

/// The request of `Evaluator.evaluate`: the document as a value, or as the text the package's
/// encoder wrote.
enum RequestInput {
    Value(serde_json::Value),
    Text(String),
}

/// How deep [`plain_value`] walks; deeper documents go through the encoder and the core's
/// document reader, whose depth limit (64) then decides.
const PLAIN_DEPTH: usize = 16;

/// A Python value as the JSON document the package's encoder would write for it, when it is
/// plain data: `None`, `bool`, an `int` within 64 bits, a finite `float`, a `str`, a `list` or
/// `tuple`, a `dict` with `str` keys, nested at most `depth` deep. `None` for anything else
/// (the caller then encodes it, and the encoder's own rules and errors apply unchanged).
fn plain_value(obj: &Bound<'_, PyAny>, depth: usize) -> Option<serde_json::Value> {
    use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
    use serde_json::Value;
    if obj.is_none() {
        return Some(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Some(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_cow().ok().map(|s| Value::String(s.into_owned()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Some(Value::from(i));
        }
        return obj.extract::<u64>().ok().map(Value::from);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return serde_json::Number::from_f64(f.value()).map(Value::Number);
    }
    let depth = depth.checked_sub(1)?;
    if let Ok(list) = obj.cast::<PyList>() {
        return list.iter().map(|item| plain_value(&item, depth)).collect();
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple.iter().map(|item| plain_value(&item, depth)).collect();
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (key, value) in dict.iter() {
            let key = key.cast::<PyString>().ok()?.to_cow().ok()?.into_owned();
            map.insert(key, plain_value(&value, depth)?);
        }
        return Some(Value::Object(map));
    }
    None
}

pub(crate) fn timestamp(seconds: i64, nanos: u32) -> PyResult<vouch::Timestamp> {
    vouch::Timestamp::from_unix(seconds, nanos)
        .ok_or_else(|| PyValueError::new_err("`now` is out of range"))
}

/// Attestation occurrences read once, to be evaluated against many times.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
struct Evidence {
    inner: vouch::Evidence,
}

#[pymethods]
impl Evidence {
    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// The attestations argument of `evaluate`: text, or occurrences already read.
#[derive(FromPyObject)]
pub(crate) enum Attestations<'py> {
    Read(Bound<'py, Evidence>),
    Text(String),
}

/// What `evaluate` uses with the GIL released.
pub(crate) enum AttestationsRef<'a> {
    Read(&'a vouch::Evidence),
    Text(&'a str),
}

impl<'py> Attestations<'py> {
    pub(crate) fn borrow(&self) -> AttestationsRef<'_> {
        match self {
            Attestations::Read(evidence) => AttestationsRef::Read(&evidence.get().inner),
            Attestations::Text(text) => AttestationsRef::Text(text),
        }
    }
}

/// Evaluates `request` against the evidence: the one given, or read from the text (errors
/// under `/attestations`, as in a bundle), or none.
fn decide(
    evaluator: &vouch::Evaluator,
    request: &vouch::Request,
    attestations: Option<AttestationsRef<'_>>,
    now: vouch::Timestamp,
    options: vouch::Options,
    cluster: Option<&vouch::ClusterConfig>,
) -> Result<Decided, vouch::Error> {
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
    let inner = match cluster {
        Some(cluster) => evaluator.evaluate_in_cluster(cluster, request, evidence, now, options),
        None => evaluator.evaluate(request, evidence, now, options),
    };
    Ok(Decided { inner })
}

/// The core's evidence loader; error paths relative to the text's document.
pub(crate) fn read_evidence(text: &str) -> Result<vouch::Evidence, vouch::Error> {
    vouch::Evidence::from_text(text)
}

/// Reads attestation occurrences from JSON or YAML text (a list, one occurrence, or
/// `{"occurrences": [...]}`); error paths point into that document.
#[pyfunction]
fn load_evidence(py: Python<'_>, text: String) -> PyResult<Evidence> {
    py.detach(move || read_evidence(&text))
        .map(|inner| Evidence { inner })
        .map_err(|e| raise(&e))
}

/// Loads a policy from its JSON or YAML text.
#[pyfunction]
fn load_policy(py: Python<'_>, text: String) -> PyResult<Policy> {
    py.detach(move || vouch::Policy::from_text(&text))
        .map(|inner| Policy { inner })
        .map_err(|e| raise(&e))
}

/// Loads one attestor from its JSON or YAML text.
#[pyfunction]
fn load_attestor(py: Python<'_>, text: String) -> PyResult<Attestor> {
    py.detach(move || vouch::Attestor::from_text(&text))
        .map(|inner| Attestor { inner })
        .map_err(|e| raise(&e))
}

/// Loads attestors from JSON or YAML text: one attestor, a list, or `{"attestors": [...]}`.
#[pyfunction]
fn load_attestors(py: Python<'_>, text: String) -> PyResult<Vec<Attestor>> {
    py.detach(move || vouch::attestors_from_text(&text))
        .map(|list| list.into_iter().map(|inner| Attestor { inner }).collect())
        .map_err(|e| raise(&e))
}

/// Loads a system policy from its JSON or YAML text.
#[pyfunction]
fn load_system_policy(py: Python<'_>, text: String) -> PyResult<SystemPolicy> {
    py.detach(move || vouch::SystemPolicy::from_text_with_limits(&text, &Limits::DEFAULT))
        .map(|inner| SystemPolicy { inner })
        .map_err(|e| raise(&e))
}

/// Evaluates a bundle given as JSON or YAML text (the core's one entry point).
#[pyfunction]
fn evaluate_bundle(py: Python<'_>, text: String) -> PyResult<DecisionParts> {
    py.detach(move || vouch::Bundle::from_text(&text).map(|b| parts(&b.evaluate())))
        .map_err(|e| raise(&e))
}

/// Inspects evidence (`{"attestations", "attestors", "trust", "image", "now"}` as JSON or
/// YAML text): the evidence report's JSON.
#[pyfunction]
fn inspect_evidence(py: Python<'_>, text: String) -> PyResult<String> {
    py.detach(move || vouch::inspect_evidence_document(&text).map(|r| r.to_json()))
        .map_err(|e| raise(&e))
}

#[pymodule]
fn _vouch(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add("ECDSA_BACKEND", vouch::ECDSA_BACKEND)?;
    m.add_class::<Policy>()?;
    m.add_class::<Attestor>()?;
    m.add_class::<SystemPolicy>()?;
    m.add_class::<Evaluator>()?;
    m.add_class::<Evidence>()?;
    m.add_class::<Decided>()?;
    m.add_function(wrap_pyfunction!(load_policy, m)?)?;
    m.add_function(wrap_pyfunction!(load_attestor, m)?)?;
    m.add_function(wrap_pyfunction!(load_attestors, m)?)?;
    m.add_function(wrap_pyfunction!(load_system_policy, m)?)?;
    m.add_function(wrap_pyfunction!(load_evidence, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(inspect_evidence, m)?)?;
    toolkit::register(m)?;
    platform::register(m)?;
    replay::register(m)?;
    Ok(())
}
