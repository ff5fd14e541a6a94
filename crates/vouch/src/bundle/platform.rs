//! The platform-policy entry point every front end calls: `{"platformPolicy", "request",
//! "attestations", "trust", "now", "options"}` in, Binary Authorization's
//! `EvaluateGkePolicyResponse` (with vouch's `details`) or the contract's error JSON out.
//!
//! `request` is the bundle's request (`images`, or `workload`); an image list is evaluated
//! against the default check set, as `gcloud … policy evaluate --image` does. `options` holds
//! `tagDigests` (`{"IMAGE": "sha256:…"}`, decision P-4).

use serde_json::{Map, Value};

use super::{bundle_object, embedded, load_evidence, parse_now, required};
use crate::decision::platform::PlatformResponse;
use crate::error::{Error, ErrorCode, Subject, join};
use crate::evaluate::platform::PlatformOptions;
use crate::limits::Limits;
use crate::policy::platform::PlatformPolicy;
use crate::read::document::{self, AliasBudget, type_name};
use crate::request::Request;
use crate::verify::trust::TrustMaterial;

/// Top-level keys of a platform-evaluation document.
const PLATFORM_KEYS: &[&str] = &[
    "platformPolicy",
    "request",
    "attestations",
    "trust",
    "now",
    "options",
];

/// Evaluates a platform-policy document given as JSON or YAML text and returns the response
/// JSON, or the contract's error JSON for a configuration error. Never panics.
pub fn evaluate_platform(text: &str) -> String {
    response_json(evaluate_platform_document(text))
}

/// [`evaluate_platform`], returning the response (or the error) itself.
pub fn evaluate_platform_document(text: &str) -> Result<PlatformResponse, Error> {
    let limits = Limits::DEFAULT;
    let budget = AliasBudget::new(&limits);
    document::parse_within(text, &limits, &budget)
        .and_then(|value| platform_evaluation(value, &limits, &budget))
}

/// [`evaluate_platform`] for a document already parsed into a JSON value.
pub fn evaluate_platform_value(value: Value) -> String {
    let limits = Limits::DEFAULT;
    response_json(platform_evaluation(
        value,
        &limits,
        &AliasBudget::new(&limits),
    ))
}

fn response_json(response: Result<PlatformResponse, Error>) -> String {
    match response {
        Ok(response) => response.to_json(),
        Err(e) => e.to_json(),
    }
}

fn platform_evaluation(
    value: Value,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<PlatformResponse, Error> {
    let mut map = bundle_object(value, PLATFORM_KEYS)?;
    let policy = load_platform_policy(required(&mut map, "platformPolicy")?, limits, budget)
        .map_err(Error::in_bundle)?;
    let request = Request::from_value_within(required(&mut map, "request")?, limits, budget)
        .map_err(Error::in_bundle)?;
    let evidence =
        load_evidence(map.remove("attestations"), limits, budget).map_err(Error::in_bundle)?;
    let trust = load_trust(map.remove("trust"), limits, budget)?;
    let now = parse_now(required(&mut map, "now")?)?;
    let options = platform_options(map.remove("options"))?;
    Ok(policy.evaluate(&request, &evidence, &trust, now, &options))
}

/// The `platformPolicy` member: an object, or a string holding its YAML or JSON text.
pub(super) fn load_platform_policy(
    value: Value,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<PlatformPolicy, Error> {
    match value {
        Value::String(text) => {
            // The text loader adds what only text has (the YAML 1.1 reading check).
            let _ = budget;
            PlatformPolicy::from_text_with_limits(&text, limits)
        }
        other => PlatformPolicy::from_value(other, limits),
    }
    .map_err(|e| e.about(Subject::PlatformPolicy))
}

/// The `trust` member (absent: Cloud Build's shipped keys only).
pub(super) fn load_trust(
    value: Option<Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<TrustMaterial, Error> {
    match value {
        None | Some(Value::Null) => Ok(TrustMaterial::default()),
        Some(v) => embedded(v, Subject::Trust, limits, budget)
            .and_then(|v| TrustMaterial::from_value(v, limits))
            .map_err(Error::in_bundle),
    }
}

/// `options`: `tagDigests` only.
pub(super) fn platform_options(value: Option<Value>) -> Result<PlatformOptions, Error> {
    let mut options = PlatformOptions::default();
    let map: Map<String, Value> = match value {
        None | Some(Value::Null) => return Ok(options),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(Error::new(
                ErrorCode::BundleInvalidOptions,
                "/options",
                format!("`options` must be an object, found {}", type_name(&other)),
            ));
        }
    };
    for (key, value) in map {
        let path = join("/options", &key);
        match (key.as_str(), value) {
            ("tagDigests", Value::Object(digests)) => {
                for (image, digest) in digests {
                    let Value::String(digest) = digest else {
                        return Err(Error::new(
                            ErrorCode::BundleInvalidOptions,
                            join(&path, &image),
                            "a tag resolution must be a `sha256:<64 hex>` string",
                        ));
                    };
                    if !crate::evidence::kinds::is_sha256_digest(&digest) {
                        return Err(Error::new(
                            ErrorCode::BundleInvalidOptions,
                            join(&path, &image),
                            format!("`{digest}` is not a `sha256:<64 lowercase hex>` digest"),
                        ));
                    }
                    options = options.with_tag_digest(image, digest);
                }
            }
            ("tagDigests", other) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    path,
                    format!(
                        "`tagDigests` must be an object of image → digest, found {}",
                        type_name(&other)
                    ),
                ));
            }
            (other, _) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    path,
                    format!("unknown option `{other}` (platform evaluation knows `tagDigests`)"),
                ));
            }
        }
    }
    Ok(options)
}
