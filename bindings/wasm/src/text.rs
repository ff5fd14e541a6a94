//! The text side of the bindings: JSON or YAML text in, JSON text out. Plain Rust, so it is
//! tested natively; `lib.rs` only moves JavaScript values to and from these strings.

use serde::Serialize;
use vouch::{Bundle, Error, ErrorCode, ImageRef, Limits};

/// Compiles the configuration members of a bundle (`policy`, `attestors`, `systemPolicy`).
pub fn compile(text: &str) -> Result<vouch::Evaluator, Error> {
    let limits = Limits::DEFAULT;
    Bundle::evaluator_from_value(vouch::parse_document(text, &limits)?, &limits)
}

/// Evaluates the per-request members of a bundle (`request`, `attestations`, `now`,
/// `options`): the decision JSON or the error JSON.
pub fn evaluate_with(evaluator: &vouch::Evaluator, text: &str) -> String {
    let limits = Limits::DEFAULT;
    match vouch::parse_document(text, &limits)
        .and_then(|value| Bundle::with_evaluator(evaluator, value, &limits))
    {
        Ok(bundle) => bundle.evaluate().to_json(),
        Err(e) => e.to_json(),
    }
}

/// `{"ok", "errors", "warnings"}` for a policy's text (and optionally its attestors' text),
/// linted for the platform of `options`: the core's validation and lint, so every front end
/// reports the same warnings.
pub fn validate_policy(
    text: &str,
    attestors: Option<&str>,
    options: &vouch::LintOptions,
) -> String {
    vouch::validate_policy_with(text, attestors, options).to_json()
}

/// `validatePolicy`'s options, as JSON text: `{platform?}`, `platform` `"gke"` (the default)
/// or `"cloud-run"`. Anything else is `BUNDLE_INVALID_OPTIONS` at `/options` (an unknown
/// member, not an object) or `/options/platform`.
pub fn lint_options(text: &str) -> Result<vouch::LintOptions, Error> {
    let invalid =
        |path: &str, message: String| Error::new(ErrorCode::BundleInvalidOptions, path, message);
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| invalid("/options", format!("the options are not JSON: {e}")))?;
    let serde_json::Value::Object(members) = value else {
        return Err(invalid(
            "/options",
            format!("the options must be an object `{{platform}}`, found {value}"),
        ));
    };
    let mut options = vouch::LintOptions::default();
    for (key, member) in &members {
        if key != "platform" {
            return Err(invalid(
                "/options",
                format!("unknown option `{key}` (expected `platform`)"),
            ));
        }
        let platform = member
            .as_str()
            .and_then(vouch::LintPlatform::from_name)
            .ok_or_else(|| {
                invalid(
                    "/options/platform",
                    format!("`platform` must be \"gke\" or \"cloud-run\", found {member}"),
                )
            })?;
        options = vouch::LintOptions::for_platform(platform);
    }
    Ok(options)
}

/// The validation result for an argument that could not be read as text.
pub fn not_validated(error: &Error) -> String {
    #[derive(Serialize)]
    struct Validation<'a> {
        ok: bool,
        errors: [&'a Error; 1],
        warnings: [(); 0],
    }
    to_json(&Validation {
        ok: false,
        errors: [error],
        warnings: [],
    })
}

/// `{"ok": true, "reference", "registry", "path", "repository", "tag", "digest",
/// "normalized"}`, or `{"ok": false, "error": {...}}` with code `REQUEST_INVALID_IMAGE`.
pub fn parse_image_ref(text: &str) -> String {
    /// `ok` and the core's JSON form of the reference.
    #[derive(Serialize)]
    struct Parsed<'a> {
        ok: bool,
        #[serde(flatten)]
        reference: &'a ImageRef,
    }
    match ImageRef::parse(text) {
        Ok(r) => to_json(&Parsed {
            ok: true,
            reference: &r,
        }),
        Err(e) => image_ref_error(&format!("image `{text}`: {e}")),
    }
}

/// The `parseImageRef` result for an argument that is not a string.
pub fn not_an_image_ref(type_name: &str) -> String {
    image_ref_error(&format!(
        "an image reference must be a string, found {type_name}"
    ))
}

fn image_ref_error(message: &str) -> String {
    #[derive(Serialize)]
    struct Failed<'a> {
        ok: bool,
        error: &'a Error,
    }
    let error = Error::new(ErrorCode::RequestInvalidImage, "", message);
    to_json(&Failed {
        ok: false,
        error: &error,
    })
}

/// The error for a JavaScript value that `JSON.stringify` cannot turn into a document.
pub fn not_json(what: &str, detail: &str) -> Error {
    Error::new(
        ErrorCode::InputSyntax,
        "",
        format!("the {what} cannot be converted to JSON: {detail}"),
    )
}

/// Serializing these plain structs cannot fail; `null` if it ever did.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const RELEASED: &str = include_str!("../../../examples/bundles/prod-released.json");
    const INVALID: &str = include_str!("../../../examples/bundles/invalid-policy.json");

    fn value(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    /// The preset split into its configuration and per-request members, as JSON text.
    fn halves(text: &str) -> (String, String) {
        let mut config = value(text);
        let mut request = serde_json::Map::new();
        for key in ["request", "attestations", "now"] {
            request.insert(
                key.to_owned(),
                config.as_object_mut().unwrap().remove(key).unwrap(),
            );
        }
        config.as_object_mut().unwrap().remove("description");
        (config.to_string(), Value::Object(request).to_string())
    }

    #[test]
    fn evaluator_gives_the_bundle_entry_points_bytes() {
        let (config, request) = halves(RELEASED);
        let evaluator = compile(&config).unwrap();
        assert_eq!(
            evaluate_with(&evaluator, &request),
            vouch::evaluate_bundle(RELEASED)
        );
        let bad = evaluate_with(
            &evaluator,
            r#"{"request": {}, "now": "2026-11-23T10:00:00Z"}"#,
        );
        assert_eq!(value(&bad)["error"]["code"], "REQUEST_NO_IMAGES");
        let bad = evaluate_with(&evaluator, "[");
        assert_eq!(value(&bad)["error"]["code"], "INPUT_SYNTAX");
    }

    #[test]
    fn compile_reports_the_bundle_path() {
        let (config, _) = halves(INVALID);
        let e = compile(&config).unwrap_err();
        assert_eq!(e.code(), ErrorCode::PolicyInvalidPattern);
        assert_eq!(e.path(), "/policy/admissionWhitelistPatterns/0/namePattern");
    }

    #[test]
    fn validate_policy_shape() {
        let policy = value(INVALID)["policy"].as_str().unwrap().to_owned();
        let result = value(&validate_policy(
            &policy,
            None,
            &vouch::LintOptions::default(),
        ));
        assert_eq!(result["ok"], false);
        assert_eq!(result["errors"][0]["code"], "POLICY_INVALID_PATTERN");
        assert_eq!(
            result["errors"][0]["path"],
            "/admissionWhitelistPatterns/0/namePattern"
        );
        assert_eq!(result["warnings"], json!([]));
        let ok = value(&validate_policy(
            "globalPolicyEvaluationMode: ENABLE\ndefaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}",
            None,
            &vouch::LintOptions::default(),
        ));
        assert_eq!(ok, json!({"ok": true, "errors": [], "warnings": []}));
    }

    #[test]
    fn lint_options_platform() {
        let run = lint_options(r#"{"platform": "cloud-run"}"#).unwrap();
        assert_eq!(run.platform, vouch::LintPlatform::CloudRun);
        assert_eq!(lint_options("{}").unwrap(), vouch::LintOptions::default());
        for (bad, path) in [
            (r#"{"platform": "cloudRun"}"#, "/options/platform"),
            (r#"{"platform": 1}"#, "/options/platform"),
            (r#"{"platfrom": "gke"}"#, "/options"),
            (r#""cloud-run""#, "/options"),
            ("[", "/options"),
        ] {
            let e = lint_options(bad).unwrap_err();
            assert_eq!(
                (e.code(), e.path()),
                (ErrorCode::BundleInvalidOptions, path),
                "{bad}"
            );
        }
        let policy = include_str!("../../../examples/cloud-run/policy.yaml");
        let result = value(&validate_policy(policy, None, &run));
        assert_eq!(result["warnings"][0]["code"], "CLOUD_RUN_RULE_IGNORED");
        assert_eq!(
            value(&validate_policy(
                policy,
                None,
                &vouch::LintOptions::default()
            ))["warnings"],
            json!([])
        );
    }

    #[test]
    fn validate_policy_is_the_core_lint() {
        let policy = "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [projects/p/attestors/missing]\n";
        let ours = validate_policy(policy, Some("[]"), &vouch::LintOptions::default());
        assert_eq!(ours, vouch::validate_policy(policy, Some("[]")).to_json());
        let result = value(&ours);
        assert_eq!(result["ok"], true);
        assert!(
            result["warnings"].as_array().is_some_and(|w| !w.is_empty()),
            "{result}"
        );
        let bad = value(&validate_policy(
            policy,
            Some("{"),
            &vouch::LintOptions::default(),
        ));
        assert_eq!(bad["ok"], false);
        assert!(
            bad["errors"][0]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/attestors")),
            "{bad}"
        );
    }

    #[test]
    fn not_validated_has_one_error() {
        let error = not_json("policy", "undefined").within("/attestors");
        let result = value(&not_validated(&error));
        assert_eq!(result["ok"], false);
        assert_eq!(result["errors"][0]["code"], "INPUT_SYNTAX");
        assert_eq!(result["errors"][0]["path"], "/attestors");
        assert_eq!(result["warnings"], json!([]));
    }

    #[test]
    fn parse_image_ref_shape() {
        let r = value(&parse_image_ref(
            "gcr.io/p/app:v1@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a",
        ));
        assert_eq!(r["ok"], true);
        assert_eq!(r["registry"], "gcr.io");
        assert_eq!(r["path"], "p/app");
        assert_eq!(r["repository"], "gcr.io/p/app");
        assert_eq!(r["tag"], "v1");
        assert!(r["digest"].as_str().unwrap().starts_with("sha256:434b"));
        let r = value(&parse_image_ref("busybox"));
        assert_eq!(r["registry"], Value::Null);
        assert_eq!(r["normalized"], "docker.io/library/busybox:latest");
        let r = value(&parse_image_ref("gcr.io/P/app"));
        assert_eq!(r["ok"], false);
        assert_eq!(r["error"]["code"], "REQUEST_INVALID_IMAGE");
        assert_eq!(r["error"]["path"], "");
        let r = value(&not_an_image_ref("number"));
        assert_eq!(r["error"]["code"], "REQUEST_INVALID_IMAGE");
    }

    #[test]
    fn not_json_is_an_input_syntax_error() {
        let e = not_json("bundle", "BigInt value can't be serialized in JSON");
        assert_eq!(e.code(), ErrorCode::InputSyntax);
        assert_eq!(e.path(), "");
    }
}
