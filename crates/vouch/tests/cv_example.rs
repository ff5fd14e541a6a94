//! The continuous-validation output of `examples/cv/` against Google's sample log entry
//! (quickstart-cv, `testdata/cv/quickstart-cv-log-entry.json`, platform-policies §2.3): the same
//! fields at every level, with the same JSON types, and the same values where the example
//! reproduces the quickstart (the `hello-app` Pod). vouch adds only what the proto gained after
//! the sample was taken (`containerName`, `containerType`) and `description`; Cloud Logging's
//! own `insertId` and `receiveTimestamp` are never written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::Path;

use serde_json::{Value, json};

const POLICY: &str = "projects/1234567890/platforms/gke/policies/my-policy";

fn read(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
    .unwrap()
}

fn example_report(cluster: Option<&str>) -> Value {
    let mut doc = json!({
        "platformPolicies": {POLICY: read("examples/cv/policy.yaml")},
        "pods": read("examples/cv/pods.json"),
        "attestations": read("examples/cv/evidence.json"),
        "now": "2022-11-22T01:44:28Z",
    });
    if let Some(cluster) = cluster {
        doc["cluster"] = json!(cluster);
    }
    let out: Value = serde_json::from_str(&vouch::continuous_validation_value(doc)).unwrap();
    assert!(out.get("error").is_none(), "{out}");
    out
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Same keys (ours may add `extra`), same types, recursively (lists: element by element).
fn same_structure(ours: &Value, sample: &Value, path: &str, extra: &[&str]) {
    assert_eq!(type_of(ours), type_of(sample), "type at {path}");
    match (ours, sample) {
        (Value::Object(o), Value::Object(s)) => {
            for key in s.keys() {
                assert!(
                    o.contains_key(key),
                    "{path}/{key} missing from vouch's entry"
                );
            }
            for key in o.keys() {
                assert!(
                    s.contains_key(key) || extra.contains(&key.as_str()),
                    "{path}/{key} is not in Google's sample"
                );
            }
            for (key, value) in s {
                same_structure(&o[key], value, &format!("{path}/{key}"), extra);
            }
        }
        (Value::Array(o), Value::Array(s)) => {
            assert_eq!(o.len(), s.len(), "length at {path}");
            for (i, (a, b)) in o.iter().zip(s).enumerate() {
                same_structure(a, b, &format!("{path}/{i}"), extra);
            }
        }
        _ => {}
    }
}

#[test]
fn example_entry_matches_googles_sample_field_for_field() {
    let mut sample: Value =
        serde_json::from_str(&read("testdata/cv/quickstart-cv-log-entry.json")).unwrap();
    let map = sample.as_object_mut().unwrap();
    map.remove("insertId");
    map.remove("receiveTimestamp");
    let report = example_report(Some("my-project/us-central1-a/my-cluster"));
    let entry = &report["entries"][0];
    same_structure(
        entry,
        &sample,
        "",
        &["containerName", "containerType", "description"],
    );
    // The values the example reproduces.
    let event = &entry["jsonPayload"]["podEvent"];
    let expected = &sample["jsonPayload"]["podEvent"];
    for key in ["policyName", "verdict", "podNamespace", "deployTime", "pod"] {
        assert_eq!(event[key], expected[key], "{key}");
    }
    let (image, expected_image) = (&event["images"][0], &expected["images"][0]);
    for key in ["result", "image"] {
        assert_eq!(image[key], expected_image[key], "{key}");
    }
    let (check, expected_check) = (
        &image["checkResults"][0],
        &expected_image["checkResults"][0],
    );
    for key in [
        "explanation",
        "checkSetName",
        "checkName",
        "verdict",
        "checkType",
        "checkIndex",
    ] {
        assert_eq!(check[key], expected_check[key], "{key}");
    }
    for key in ["resource", "severity", "logName", "jsonPayload/@type"] {
        let pointer = format!("/{key}");
        assert_eq!(entry.pointer(&pointer), sample.pointer(&pointer), "{key}");
    }
    assert_eq!(image["containerName"], "hello-app");
    assert_eq!(image["containerType"], "CONTAINER");
    assert_eq!(event["endTime"], "2022-11-22T01:14:30Z");
    assert_eq!(entry["timestamp"], "2022-11-22T01:44:28Z");
}

#[test]
fn example_entries_are_in_the_protos_field_order() {
    let report = example_report(Some("my-project/us-central1-a/my-cluster"));
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    // serde_json's map sorts keys; the order is checked on the printed line instead.
    let line = vouch::continuous_validation_document(
        &json!({
            "platformPolicies": {POLICY: read("examples/cv/policy.yaml")},
            "pods": read("examples/cv/pods.json"),
            "cluster": "my-project/us-central1-a/my-cluster",
            "now": "2022-11-22T01:44:28Z",
        })
        .to_string(),
    )
    .unwrap()
    .entries[0]
        .to_json();
    let order = [
        "\"logName\"",
        "\"resource\"",
        "\"jsonPayload\"",
        "\"@type\"",
        "\"podEvent\"",
        "\"podNamespace\"",
        "\"pod\"",
        "\"policyName\"",
        "\"deployTime\"",
        "\"endTime\"",
        "\"verdict\"",
        "\"images\"",
        "\"image\"",
        "\"containerName\"",
        "\"containerType\"",
        "\"result\"",
        "\"description\"",
        "\"checkResults\"",
        "\"checkSetIndex\"",
        "\"checkSetName\"",
        "\"checkIndex\"",
        "\"checkName\"",
        "\"checkType\"",
        "\"verdict\"",
        "\"explanation\"",
        "\"timestamp\"",
        "\"severity\"",
    ];
    let mut from = 0;
    for key in order {
        let at = line[from..]
            .find(key)
            .unwrap_or_else(|| panic!("{key} not after byte {from} in {line}"));
        from += at + key.len();
    }
    assert_eq!(keys(&report["summary"]).len(), 8);
}

#[test]
fn example_logs_every_violation_once_and_lists_the_error() {
    let report = example_report(None);
    let pods: Vec<&str> = report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["podEvent"]["pod"].as_str().unwrap())
        .collect();
    assert_eq!(
        pods,
        ["hello-app", "web-7d9f8b6c5-x2x4z", "deploy-job-8x7c2"]
    );
    // web: the stale sidecar (freshness) and the debug container (trusted directory) fail;
    // the init container and the fresh app conform.
    let web = &report["entries"][1]["podEvent"];
    let images: Vec<(&str, &str)> = web["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["containerName"].as_str().unwrap(),
                i["containerType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        images,
        [
            ("metrics", "CONTAINER"),
            ("debugger-7k2p", "EPHEMERAL_CONTAINER")
        ]
    );
    assert_eq!(
        web["images"][0]["checkResults"][0]["checkSetScope"],
        json!({"kubernetesNamespace": "prod"})
    );
    assert_eq!(
        web["images"][0]["checkResults"][0]["checkType"],
        "ImageFreshnessCheck"
    );
    // The debug container's freshness could not be evaluated (a tag, no record): listed as an
    // error, not logged; its trusted-directory failure is logged.
    let debug_checks = web["images"][1]["checkResults"].as_array().unwrap();
    assert_eq!(debug_checks.len(), 1);
    assert_eq!(debug_checks[0]["checkType"], "TrustedDirectoryCheck");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["kind"], "CHECK_ERROR");
    assert_eq!(errors[0]["containerName"], "debugger-7k2p");
    assert_eq!(errors[0]["checkType"], "ImageFreshnessCheck");
    let deployer = &report["entries"][2]["podEvent"];
    assert_eq!(
        deployer["images"][0]["checkResults"][0]["checkSetScope"],
        json!({"kubernetesServiceAccount": "prod:deployer"})
    );
    assert_eq!(report["summary"]["violations"], json!({POLICY: 3}));
    assert_eq!(report["summary"]["pods"], 5);
}
