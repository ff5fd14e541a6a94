//! WebAssembly bindings for vouch.
//!
//! Thin over the core's bundle entry point: every function marshals JavaScript values to the
//! core's JSON text and back, and decides nothing. Objects go in through `JSON.stringify`
//! (strings are passed as they are, so YAML works too) and come out through `JSON.parse` of
//! the core's exact output, so `evaluate(bundle)` and `JSON.parse(evaluateJson(text))` agree.
//! Nothing here throws except the `Evaluator` constructor, which has no other way to refuse a
//! configuration.
//!
//! The JavaScript API and its TypeScript types are documented in `docs/wasm.md` and
//! `bindings/wasm/types/vouch.d.ts`.

mod text;

use js_sys::{JSON, Reflect};
use wasm_bindgen::prelude::*;

/// Evaluates a bundle (an object, or its JSON or YAML text) and returns the decision object,
/// or the contract's error object `{error: {code, path, message}}`. Never throws.
#[wasm_bindgen]
pub fn evaluate(bundle: JsValue) -> JsValue {
    parsed(&match input_text(&bundle, "bundle") {
        Ok(text) => vouch::evaluate_bundle(&text),
        Err(error) => error.to_json(),
    })
}

/// The core's exact output bytes for a bundle given as JSON or YAML text.
#[wasm_bindgen(js_name = evaluateJson)]
pub fn evaluate_json(bundle: &str) -> String {
    vouch::evaluate_bundle(bundle)
}

/// Inspects evidence: `{attestations, attestors, trust, image, now}` (an object, or its JSON
/// or YAML text) → the evidence report object (per image digest, every item, whether it
/// verified and with which key, why not, its times), or `{error: {code, path, message}}`.
/// Never throws.
#[wasm_bindgen(js_name = inspectEvidence)]
pub fn inspect_evidence(input: JsValue) -> JsValue {
    parsed(&match input_text(&input, "input") {
        Ok(text) => vouch::inspect_evidence(&text),
        Err(error) => error.to_json(),
    })
}

/// The core's exact output bytes of [`inspect_evidence`] for input given as text.
#[wasm_bindgen(js_name = inspectEvidenceJson)]
pub fn inspect_evidence_json(input: &str) -> String {
    vouch::inspect_evidence(input)
}

/// Evaluates a GKE platform policy: `{platformPolicy, request, attestations, trust, now,
/// options}` (an object, or its JSON or YAML text) → Binary Authorization's
/// `EvaluateGkePolicyResponse` object (with vouch's `details`), or `{error: {code, path,
/// message}}`. Never throws.
#[wasm_bindgen(js_name = evaluatePlatform)]
pub fn evaluate_platform(input: JsValue) -> JsValue {
    parsed(&match input_text(&input, "input") {
        Ok(text) => vouch::evaluate_platform(&text),
        Err(error) => error.to_json(),
    })
}

/// The core's exact output bytes of [`evaluate_platform`] for input given as text.
#[wasm_bindgen(js_name = evaluatePlatformJson)]
pub fn evaluate_platform_json(input: &str) -> String {
    vouch::evaluate_platform(input)
}

/// Continuous validation of a Pod snapshot: `{platformPolicies, pods, attestations, trust,
/// cluster, clusterConfig, now}` (an object, or its JSON or YAML text) → `{entries, errors,
/// summary}` (the log entries `vouch cv` prints as JSON lines), or `{error: {code, path,
/// message}}`. Never throws.
#[wasm_bindgen(js_name = continuousValidation)]
pub fn continuous_validation(input: JsValue) -> JsValue {
    parsed(&match input_text(&input, "input") {
        Ok(text) => vouch::continuous_validation(&text),
        Err(error) => error.to_json(),
    })
}

/// The core's exact output bytes of [`continuous_validation`] for input given as text.
#[wasm_bindgen(js_name = continuousValidationJson)]
pub fn continuous_validation_json(input: &str) -> String {
    vouch::continuous_validation(input)
}

/// Replays audit log entries under a candidate policy (decisions X-1 … X-4): `{policy,
/// baseline, attestors, attestations, systemPolicy, cluster, now, options, entries}` (an
/// object, or its JSON or YAML text) → `{records, summary}` (one record per event or malformed
/// entry, as `vouch replay` prints them, and the summary), or `{error: {code, path,
/// message}}`. Never throws.
#[wasm_bindgen(js_name = replay)]
pub fn replay(input: JsValue) -> JsValue {
    parsed(&match input_text(&input, "input") {
        Ok(text) => vouch::replay(&text),
        Err(error) => error.to_json(),
    })
}

/// The core's exact output bytes of [`replay`] for input given as text.
#[wasm_bindgen(js_name = replayJson)]
pub fn replay_json(input: &str) -> String {
    vouch::replay(input)
}

/// Validates and lints a policy (an object, or its YAML or JSON text), optionally with its
/// attestors (one attestor, a list, or `{attestors: [...]}`) and options (`{platform}`:
/// `'gke'`, the default, or `'cloud-run'`): `{ok, errors, warnings}`, the same result as
/// `vouch policy lint --json [--platform P]` and Python's `validate_policy`. Invalid options
/// are an error of code `BUNDLE_INVALID_OPTIONS` under `/options`.
#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(policy: JsValue, attestors: JsValue, options: JsValue) -> JsValue {
    let attestors = if attestors.is_undefined() || attestors.is_null() {
        Ok(None)
    } else {
        input_text(&attestors, "attestors").map(Some)
    };
    let options = if options.is_undefined() || options.is_null() {
        Ok(vouch::LintOptions::default())
    } else {
        input_text(&options, "options")
            .map_err(|e| e.within("/options"))
            .and_then(|text| text::lint_options(&text))
    };
    parsed(&match (input_text(&policy, "policy"), attestors, options) {
        (Ok(policy), Ok(attestors), Ok(options)) => {
            text::validate_policy(&policy, attestors.as_deref(), &options)
        }
        (Err(error), _, _) => text::not_validated(&error),
        (_, Err(error), _) => text::not_validated(&error.within("/attestors")),
        (_, _, Err(error)) => text::not_validated(&error),
    })
}

/// Parses an image reference: `{ok: true, registry, path, …}` or `{ok: false, error}`.
#[wasm_bindgen(js_name = parseImageRef)]
pub fn parse_image_ref(reference: JsValue) -> JsValue {
    parsed(&match reference.as_string() {
        Some(text) => text::parse_image_ref(&text),
        None => text::not_an_image_ref(&type_name(&reference)),
    })
}

/// The version of the vouch library inside this module.
#[wasm_bindgen]
pub fn version() -> String {
    vouch::VERSION.to_owned()
}

/// A policy with its attestors and optional system policy, compiled once for many
/// evaluations.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Evaluator {
    inner: vouch::Evaluator,
}

#[wasm_bindgen]
impl Evaluator {
    /// Compiles `{policy, attestors, systemPolicy}` (an object or its text). Throws a
    /// `VouchError` (an `Error` with `code` and `path`) for a configuration error.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Evaluator, JsValue> {
        input_text(&config, "evaluator configuration")
            .and_then(|text| text::compile(&text))
            .map(|inner| Evaluator { inner })
            .map_err(|error| thrown(&error))
    }

    /// Evaluates `{request, attestations, now, options}` (an object or its text): the decision
    /// object, or the contract's error object. Never throws.
    pub fn evaluate(&self, input: JsValue) -> JsValue {
        parsed(&match input_text(&input, "evaluation input") {
            Ok(text) => text::evaluate_with(&self.inner, &text),
            Err(error) => error.to_json(),
        })
    }

    /// [`Evaluator::evaluate`] on JSON or YAML text, returning the core's exact output bytes.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, input: &str) -> String {
        text::evaluate_with(&self.inner, input)
    }
}

/// A string as it is; anything else through `JSON.stringify`.
fn input_text(value: &JsValue, what: &str) -> Result<String, vouch::Error> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match JSON::stringify(value).map(|s| s.as_string()) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(text::not_json(what, &type_name(value))),
        Err(e) => Err(text::not_json(
            what,
            &e.as_string()
                .or_else(|| js_sys::Error::from(e).message().as_string())
                .unwrap_or_default(),
        )),
    }
}

/// `JSON.parse` of the core's output (always valid JSON; `null` if it ever were not).
fn parsed(json: &str) -> JsValue {
    JSON::parse(json).unwrap_or(JsValue::NULL)
}

fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else if value.is_array() {
        "array".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// A `VouchError`: an `Error` whose `code` and `path` are the contract's.
fn thrown(error: &vouch::Error) -> JsValue {
    let e = js_sys::Error::new(error.message());
    e.set_name("VouchError");
    // Setting a property on a fresh Error object cannot fail; if it ever did, the error is
    // still thrown with its message.
    let _ = Reflect::set(&e, &"code".into(), &error.code().as_str().into());
    let _ = Reflect::set(&e, &"path".into(), &error.path().into());
    e.into()
}
