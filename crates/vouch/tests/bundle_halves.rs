//! Every shared vector, split into its configuration members (compiled once by
//! `Bundle::evaluator_from_value`) and its per-request members (`Bundle::with_evaluator`), must
//! give the golden bytes of the whole bundle: the bindings' compile-once classes rest on this.
//! (One difference is allowed: the message of `BUNDLE_UNKNOWN_FIELD` lists the keys of the half.)

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use vouch::{Bundle, Limits};

const CONFIG_KEYS: &[&str] = &["policy", "attestors", "systemPolicy", "cloudRunPolicies"];
const IGNORED_KEYS: &[&str] = &["description", "expect", "expectError"];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn by_halves(vector: Map<String, Value>) -> String {
    let limits = Limits::DEFAULT;
    let (config, request): (Map<String, Value>, Map<String, Value>) = vector
        .into_iter()
        .filter(|(k, _)| !IGNORED_KEYS.contains(&k.as_str()))
        .partition(|(k, _)| CONFIG_KEYS.contains(&k.as_str()));
    let evaluator = match Bundle::evaluator_from_value(Value::Object(config), &limits) {
        Ok(e) => e,
        Err(e) => return e.to_json(),
    };
    match Bundle::with_evaluator(&evaluator, Value::Object(request), &limits) {
        Ok(b) => b.evaluate().to_json(),
        Err(e) => e.to_json(),
    }
}

/// An unknown top-level key is reported with the same code and path; the message lists the
/// keys of the half that was given, not those of a whole bundle.
fn same_unknown_key(output: &str, golden: &str) -> bool {
    let (a, b): (Value, Value) = (
        serde_json::from_str(output).unwrap(),
        serde_json::from_str(golden).unwrap(),
    );
    a["error"]["code"] == "BUNDLE_UNKNOWN_FIELD"
        && a["error"]["code"] == b["error"]["code"]
        && a["error"]["path"] == b["error"]["path"]
}

#[test]
fn halves_match_the_golden_output_of_every_vector() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut vectors = Vec::new();
    files(&root.join("vectors"), &mut vectors);
    // The toolkit suites (lint, payload, sign) and the document suites (inspect, platform, cv,
    // replay)
    // live beside the bundle groups but are not bundles.
    vectors.retain(|path| {
        let suite = path
            .strip_prefix(root.join("vectors"))
            .unwrap()
            .iter()
            .next();
        !suite.is_some_and(|s| {
            [
                "lint", "payload", "sign", "inspect", "platform", "cv", "replay",
            ]
            .iter()
            .any(|t| s == *t)
        })
    });
    assert!(vectors.len() >= 80);
    let mut failures = Vec::new();
    for path in &vectors {
        let text = std::fs::read_to_string(path).unwrap();
        let golden_path = root
            .join("golden")
            .join(path.strip_prefix(root.join("vectors")).unwrap());
        let golden = std::fs::read_to_string(&golden_path).unwrap();
        // Vectors are read as plain JSON here: a vector that tests the reader itself (duplicate
        // keys, YAML) is checked by the whole-bundle runner.
        let Ok(Value::Object(vector)) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let output = by_halves(vector);
        if output != golden && !same_unknown_key(&output, &golden) {
            failures.push(format!(
                "{}\n  halves {output}\n  golden {golden}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
