//! Checks shared by the fuzz targets.
#![allow(dead_code)]

use serde_json::Value;
use vouch::{Error, ErrorCode};

/// A configuration error keeps the contract: a documented code from one of `families`, a JSON
/// pointer (empty, or `/`-separated tokens with only `~0`/`~1` escapes), a message, and error
/// JSON that parses back to the same code and path.
pub fn check_error(e: &Error, families: &[&str]) {
    let code = e.code();
    assert!(ErrorCode::ALL.contains(&code), "undocumented code {code}");
    let text = code.as_str();
    assert!(
        families.iter().any(|f| text.starts_with(f)),
        "code {text} is not in {families:?}: {e}"
    );
    // Fuzz inputs are a few KiB, far below `max_input_bytes`: a size error here would be
    // another budget misreported (as serde-saphyr's alias-ratio breach once was).
    assert_ne!(
        code,
        ErrorCode::InputTooLarge,
        "small input reported too large: {e}"
    );
    check_pointer(e.path());
    assert!(!e.message().is_empty(), "empty message for {text}");
    let json: Value = serde_json::from_str(&e.to_json()).expect("error JSON parses");
    check_error_json(&json);
    assert_eq!(json["error"]["code"], text);
    assert_eq!(json["error"]["path"], e.path());
}

/// `path` is a JSON pointer (RFC 6901): empty, or starts with `/`, and `~` only as `~0`/`~1`.
pub fn check_pointer(path: &str) {
    assert!(
        path.is_empty() || path.starts_with('/'),
        "path {path:?} is not a JSON pointer"
    );
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            assert!(
                matches!(chars.next(), Some('0' | '1')),
                "path {path:?} has a bad `~` escape"
            );
        }
    }
}

/// The contract's error JSON: `{"error": {"code", "path", "message"}}` and nothing else.
pub fn check_error_json(json: &Value) {
    let obj = json.as_object().expect("error JSON is an object");
    assert_eq!(obj.len(), 1, "error JSON has only `error`: {json}");
    let body = obj
        .get("error")
        .and_then(Value::as_object)
        .expect("`error` is an object");
    assert_eq!(body.len(), 3, "error body has code, path, message: {json}");
    let code = body.get("code").and_then(Value::as_str).expect("code");
    assert!(
        ErrorCode::ALL.iter().any(|c| c.as_str() == code),
        "unknown code {code}"
    );
    check_pointer(body.get("path").and_then(Value::as_str).expect("path"));
    assert!(body.get("message").is_some_and(Value::is_string));
}

/// The contract's decision JSON: its seven top-level members with their types (plus `cluster`
/// when the bundle gave a `clusterConfig`, `cloudRun` for a Cloud Run service or job), and
/// `allowed` false exactly for `DENY`.
pub fn check_decision_json(json: &Value) {
    let obj = json.as_object().expect("decision JSON is an object");
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    let mut expected = [
        "allowed",
        "verdict",
        "rule",
        "images",
        "message",
        "auditAnnotations",
        "systemPolicySource",
    ];
    expected.sort_unstable();
    let mut sorted: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| *k != "cluster" && *k != "cloudRun")
        .collect();
    sorted.sort_unstable();
    assert_eq!(sorted, expected, "decision members: {json}");
    // A cluster that does not gate admission (P-12) admits without evaluating any image.
    let gated = match obj.get("cluster") {
        None => true,
        Some(cluster) => {
            let enforced = cluster["enforced"]
                .as_bool()
                .expect("cluster.enforced is a bool");
            assert!(cluster["monitoredPolicies"].is_array(), "{json}");
            if !enforced {
                assert_eq!(obj["verdict"], "ALLOW", "an ungated cluster admits: {json}");
            }
            enforced
        }
    };
    // A Cloud Run resource the project policy did not decide: no image is evaluated;
    // admitted unless a named policy fails closed.
    let gated = gated
        && match obj.get("cloudRun") {
            None => true,
            Some(cloud_run) => {
                assert!(
                    obj.get("cluster").is_none(),
                    "Cloud Run has no cluster: {json}"
                );
                let enforced = cloud_run["enforced"]
                    .as_bool()
                    .expect("cloudRun.enforced is a bool");
                assert!(cloud_run["ignoredRules"].is_array(), "{json}");
                assert_eq!(
                    enforced,
                    cloud_run.get("reason").is_none(),
                    "a reason exactly when not enforced: {json}"
                );
                if cloud_run["reason"] == "BINARY_AUTHORIZATION_NOT_ENABLED" {
                    assert_eq!(obj["verdict"], "ALLOW", "not enabled admits: {json}");
                }
                enforced
            }
        };
    let allowed = obj["allowed"].as_bool().expect("allowed is a bool");
    let verdict = obj["verdict"].as_str().expect("verdict is a string");
    assert!(
        ["ALLOW", "DENY", "DRY_RUN_ALLOW", "BREAK_GLASS_ALLOW"].contains(&verdict),
        "verdict {verdict}"
    );
    assert_eq!(allowed, verdict != "DENY", "allowed vs verdict: {json}");
    let rule = obj["rule"].as_object().expect("rule is an object");
    for k in ["kind", "key", "evaluationMode", "enforcementMode"] {
        assert!(rule.contains_key(k), "rule lacks {k}: {json}");
    }
    let images = obj["images"].as_array().expect("images is a list");
    assert!(
        !images.is_empty() || !gated,
        "a decision names its images: {json}"
    );
    for image in images {
        let outcome = image["outcome"].as_str().expect("outcome");
        assert!(["EXEMPT", "CONFORMANT", "VIOLATION"].contains(&outcome));
        let reasons = image["reasons"].as_array().expect("reasons");
        assert_eq!(
            outcome == "VIOLATION",
            !reasons.is_empty(),
            "reasons exactly for violations: {json}"
        );
    }
    if verdict == "ALLOW" {
        assert!(
            images.iter().all(|i| i["outcome"] != "VIOLATION"),
            "ALLOW with a violation: {json}"
        );
    }
    assert!(obj["message"].is_null() || obj["message"].is_string());
    assert!(obj["auditAnnotations"].is_object());
    assert!(obj["systemPolicySource"].is_null() || obj["systemPolicySource"].is_string());
}

/// Fuzz input as text; non-UTF-8 input is skipped (every entry point takes `&str`).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}
