//! Runs every shared vector in `testdata/vectors/` through the bundle entry point.
//!
//! For each vector:
//! 1. the output of `evaluate_bundle` must satisfy `expect` (a subset of the decision JSON;
//!    `"*"` matches any string; `auditAnnotations` must have exactly the expected keys) or
//!    `expectError` (code and path);
//! 2. the output must equal, byte for byte, the golden file in `testdata/golden/` that the
//!    Python and WebAssembly runners also compare against (`VOUCH_BLESS=1` rewrites them);
//! 3. the typed API (Policy, attestors, Evidence, Request, Evaluator) must give the same
//!    decision JSON, or an error with the same code.
//!
//! A custom harness (no libtest) so the summary line is the last thing printed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "test runner"
)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use vouch::{
    Evaluator, Evidence, Limits, Options, Policy, Request, Subject, SystemPolicy, Timestamp,
};

/// The test-only keys of a vector, which the runner strips: the core's bundle loader refuses
/// them like any unknown key.
const TEST_KEYS: &[&str] = &["expect", "expectError"];

/// The vector's bundle: its JSON text without the test-only keys.
fn bundle_text(vector: &Value) -> String {
    let mut bundle = vector.clone();
    if let Some(map) = bundle.as_object_mut() {
        for key in TEST_KEYS {
            map.remove(*key);
        }
    }
    serde_json::to_string(&bundle).unwrap()
}

/// The folders of `testdata/vectors/` that hold toolkit suites, not bundles.
const TOOLKIT_SUITES: [&str; 7] = [
    "lint", "payload", "sign", "inspect", "platform", "cv", "replay",
];

/// The document suites: `input` (a document) → one JSON output, by text and by value.
type DocumentSuite = (&'static str, fn(&str) -> String, fn(Value) -> String);
const DOCUMENT_SUITES: [DocumentSuite; 4] = [
    (
        "inspect",
        vouch::inspect_evidence,
        vouch::inspect_evidence_value,
    ),
    (
        "platform",
        vouch::evaluate_platform,
        vouch::evaluate_platform_value,
    ),
    (
        "cv",
        vouch::continuous_validation,
        vouch::continuous_validation_value,
    ),
    ("replay", vouch::replay, vouch::replay_value),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vector_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if !dir.exists() {
        return out;
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(vector_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}

/// Whether `actual` satisfies `expected` (see the module docs).
fn subset(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::String(e), Value::String(_)) if e == "*" => {}
        (Value::Object(e), Value::Object(a)) => {
            if path == "/auditAnnotations" {
                let ek: Vec<_> = e.keys().collect();
                let ak: Vec<_> = a.keys().collect();
                if ek != ak {
                    errors.push(format!("{path}: keys {ak:?}, expected {ek:?}"));
                }
            }
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset(ev, av, &format!("{path}/{k}"), errors),
                    None => errors.push(format!("{path}/{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!("{path}: {} items, expected {}", a.len(), e.len()));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}/{i}"), errors);
            }
        }
        (e, a) if e == a => {}
        (e, a) => errors.push(format!("{path}: {a}, expected {e}")),
    }
}

/// Loads the same inputs through the typed API and evaluates.
fn typed(bundle: &Value) -> Result<String, vouch::Error> {
    let limits = Limits::DEFAULT;
    let doc = |v: &Value| -> Result<Value, vouch::Error> {
        match v {
            Value::String(s) => vouch::parse_document(s, &limits),
            other => Ok(other.clone()),
        }
    };
    let policy = match &bundle["policy"] {
        Value::String(s) => Policy::from_text_with_limits(s, &limits)?,
        other => {
            Policy::from_value(other.clone(), &limits).map_err(|e| e.about(Subject::Policy))?
        }
    };
    let mut attestors = Vec::new();
    match &bundle["attestors"] {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                // Each item as its own document: its paths continue at `/i`.
                let loaded = doc(item)
                    .and_then(|d| vouch::attestors_from_value(d, &limits))
                    .map_err(|e| e.about(Subject::Attestors).within(&format!("/{i}")))?;
                attestors.extend(loaded);
            }
        }
        other => attestors.extend(vouch::attestors_from_value(doc(other)?, &limits)?),
    }
    let system = match &bundle["systemPolicy"] {
        Value::Null => None,
        other => Some(
            doc(other)
                .and_then(|d| SystemPolicy::from_value(d, &limits))
                .map_err(|e| e.about(Subject::SystemPolicy))?,
        ),
    };
    // Cloud Run platform policies (decision R-2): one document per entry, or one for all; their
    // errors continue at the entry's index in the list (the subject's member).
    let in_list = |e: vouch::Error, at: &str| e.within(at).about(Subject::CloudRunPolicies);
    // Text goes through the text loader (with its YAML 1.1/1.2 check), as a file would.
    let load_cloud_run = |item: &Value| match item {
        Value::String(text) => vouch::CloudRunPolicy::from_text_with_limits(text, &limits),
        other => doc(other).and_then(|d| vouch::CloudRunPolicy::from_value(d, &limits)),
    };
    let mut cloud_run = Vec::new();
    match &bundle["cloudRunPolicies"] {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("/{i}");
                cloud_run.push(load_cloud_run(item).map_err(|e| in_list(e, &at))?);
            }
        }
        other => cloud_run.push(load_cloud_run(other).map_err(|e| in_list(e, ""))?),
    }
    // With a verification cache: evaluated twice, the second time from the cache.
    let evaluator = Evaluator::new(policy, attestors, system)?
        .with_cloud_run_policies(cloud_run)?
        .with_verification_cache(64);
    let request = Request::from_value(bundle["request"].clone(), &limits)?;
    let mut evidence = Evidence::new();
    match &bundle["attestations"] {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(_) => doc(item).and_then(|d| evidence.add_value(&d, &limits)),
                    // One element of a list: wrapped in a list of its own, so that what is
                    // not an occurrence is skipped; its paths then start with `/0`.
                    other => evidence
                        .add_value(&Value::Array(vec![other.clone()]), &limits)
                        .map_err(|e| {
                            let path = e.path().strip_prefix("/0").unwrap_or(e.path());
                            vouch::Error::new(e.code(), path, e.message()).about(e.subject())
                        }),
                }
                .map_err(|e| e.about(Subject::Attestations).within(&format!("/{i}")))?;
            }
        }
        other => doc(other)
            .and_then(|d| evidence.add_value(&d, &limits))
            .map_err(|e| e.about(Subject::Attestations))?,
    }
    let now =
        Timestamp::parse_rfc3339(bundle["now"].as_str().unwrap_or_default()).map_err(|e| {
            vouch::Error::new(vouch::ErrorCode::BundleInvalidNow, "/now", e.to_string())
        })?;
    let strict = bundle["options"]["strictIdentity"]
        .as_bool()
        .unwrap_or(false);
    let max_age = match &bundle["options"]["maxAttestationAge"] {
        Value::String(text) => Some(vouch::parse_duration(text).ok_or_else(|| {
            vouch::Error::new(
                vouch::ErrorCode::BundleInvalidOptions,
                "/options/maxAttestationAge",
                "not a duration",
            )
        })?),
        _ => None,
    };
    let options = Options::strict_identity(strict)
        .with_max_attestation_age(max_age)
        .with_trust_occurrence_time(
            bundle["options"]["trustOccurrenceTime"]
                .as_bool()
                .unwrap_or(false),
        )
        .with_resolved_digest(
            bundle["options"]["useResolvedDigest"]
                .as_bool()
                .unwrap_or(false),
        );
    // A cluster configuration (decision P-12) decides whether the project policy runs.
    let cluster = match &bundle["clusterConfig"] {
        Value::Null => None,
        other => Some(
            doc(other)
                .and_then(vouch::ClusterConfig::from_value)
                .map_err(|e| e.about(Subject::ClusterConfig))?,
        ),
    };
    let decide = || match &cluster {
        None => evaluator.evaluate(&request, &evidence, now, options),
        Some(config) => evaluator.evaluate_in_cluster(config, &request, &evidence, now, options),
    };
    let first = decide().to_json();
    let again = decide().to_json();
    if first != again {
        return Ok(format!("cached re-evaluation differs: {again}"));
    }
    Ok(first)
}

fn run(path: &Path, vectors_dir: &Path, golden_dir: &Path, bless: bool) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let text = std::fs::read_to_string(path).unwrap();
    let vector: Value = serde_json::from_str(&text).unwrap();
    let output = vouch::evaluate_bundle(&bundle_text(&vector));
    let actual: Value = serde_json::from_str(&output).unwrap();
    if let Some(expected) = vector.get("expectError") {
        match actual.get("error") {
            Some(e) => {
                if e["code"] != expected["code"] {
                    errors.push(format!(
                        "error code {}, expected {}: {}",
                        e["code"], expected["code"], e["message"]
                    ));
                }
                if let Some(p) = expected.get("path")
                    && &e["path"] != p
                {
                    errors.push(format!("error path {}, expected {p}", e["path"]));
                }
            }
            None => errors.push(format!(
                "expected error {}, got a decision: {output}",
                expected["code"]
            )),
        }
    } else if let Some(expected) = vector.get("expect") {
        if actual.get("error").is_some() {
            errors.push(format!("unexpected error: {output}"));
        } else {
            subset(expected, &actual, "", &mut errors);
        }
    } else {
        errors.push("vector has neither expect nor expectError".into());
    }

    // Golden output, shared with the Python and WebAssembly runners.
    let relative = path.strip_prefix(vectors_dir).unwrap();
    let golden = golden_dir.join(relative);
    if bless {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &output).unwrap();
    } else {
        match std::fs::read_to_string(&golden) {
            Ok(g) if g == output => {}
            Ok(_) => errors.push(format!(
                "output differs from {} (rerun with VOUCH_BLESS=1 after review)",
                golden.display()
            )),
            Err(_) => errors.push(format!("no golden file {}", golden.display())),
        }
    }

    // The typed API agrees with the bundle entry point (bundle-structure errors have no
    // typed counterpart, nor has the YAML alias budget a bundle's members share: loaded one
    // by one, each member has a budget of its own).
    let bundle_only = actual["error"]["code"]
        .as_str()
        .is_some_and(|c| c.starts_with("BUNDLE_"));
    let shared_budget = actual["error"]["code"] == "INPUT_ALIAS_LIMIT";
    match (typed(&vector), actual.get("error")) {
        _ if bundle_only => {}
        (Ok(json), None) if json == output => {}
        (Ok(json), None) => errors.push(format!(
            "typed API differs:\n  bundle {output}\n  typed  {json}"
        )),
        // The same code, and the path the rule predicts: the bundle's path is the subject's
        // member followed by the path into the document the typed loader was given.
        (Err(e), Some(be)) if be["code"] == e.code().as_str() => {
            let predicted = e.clone().in_bundle();
            if be["path"] != predicted.path() {
                errors.push(format!(
                    "typed API error path {:?} (subject {}) predicts {:?}, bundle says {}",
                    e.path(),
                    e.subject(),
                    predicted.path(),
                    be["path"]
                ));
            }
        }
        (Err(e), be) => errors.push(format!(
            "typed API error {} vs bundle {:?}",
            e.code(),
            be.map(|b| &b["code"])
        )),
        (Ok(_), Some(_)) if shared_budget => {}
        (Ok(_), Some(be)) => errors.push(format!(
            "typed API succeeded where the bundle failed with {}",
            be["code"]
        )),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A lint vector: `expectWarnings` (exact list of code and path) or `expectError`.
fn run_lint(path: &Path) -> Result<(), Vec<String>> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let attestors = case.get("attestors").map(text);
    // `platform` (optional): the platform the policy is linted for, `gke` when absent.
    let platform = match case.get("platform").map(|p| p.as_str()) {
        None => vouch::LintPlatform::Gke,
        Some(Some(name)) => vouch::LintPlatform::from_name(name)
            .unwrap_or_else(|| panic!("{}: unknown platform {name}", path.display())),
        Some(None) => panic!("{}: platform is not a string", path.display()),
    };
    let validation = vouch::validate_policy_with(
        &text(&case["policy"]),
        attestors.as_deref(),
        &vouch::LintOptions::for_platform(platform),
    );
    let actual: Value = serde_json::from_str(&validation.to_json()).unwrap();
    let mut errors = Vec::new();
    let got: Vec<Value> = actual["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| serde_json::json!({"code": w["code"], "path": w["path"]}))
        .collect();
    // Every case states its warnings, an error case too (empty, except a platform policy's
    // list-for-message fix).
    if Value::Array(got.clone()) != case["expectWarnings"] {
        errors.push(format!(
            "warnings {got:?}, expected {}",
            case["expectWarnings"]
        ));
    }
    if let Some(expected) = case.get("expectError") {
        let first = &actual["errors"][0];
        if actual["ok"] != false
            || first["code"] != expected["code"]
            || first["path"] != expected["path"]
        {
            errors.push(format!("expected error {expected}, got {actual}"));
        }
    } else {
        if actual["ok"] != true {
            errors.push(format!("expected a valid policy, got {actual}"));
        }
        if actual["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["fix"].as_str().unwrap_or("").is_empty())
        {
            errors.push("a warning has no fix".into());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A payload vector: the exact bytes (and their sha256) gcloud writes, or an error code.
fn run_payload(path: &Path) -> Result<(), Vec<String>> {
    use base64::Engine as _;
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let result = vouch::create_signature_payload(case["image"].as_str().unwrap());
    let mut errors = Vec::new();
    match (result, case.get("expectError")) {
        (Ok(bytes), None) => {
            let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
            if b64 != case["expectPayloadBase64"] {
                errors.push(format!(
                    "payload bytes differ: {}",
                    String::from_utf8_lossy(&bytes)
                ));
            }
            use sha2::Digest as _;
            let sha: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if sha != case["expectSha256"] {
                errors.push(format!("sha256 {sha}, expected {}", case["expectSha256"]));
            }
        }
        (Err(e), Some(expected)) if expected["code"] == e.code().as_str() => {}
        (Err(e), _) => errors.push(format!("unexpected error {e}")),
        (Ok(_), Some(expected)) => errors.push(format!("expected error {expected}")),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A signing vector: `vouch sign`'s occurrence for a key of `testdata/keys/` (signatures are
/// deterministic), or an error code and path. The command line's test prints the same object.
fn run_sign(path: &Path) -> Result<(), Vec<String>> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let key_file = root()
        .join("testdata/keys")
        .join(case["key"].as_str().unwrap());
    let key = vouch::SigningKey::from_pem(&std::fs::read_to_string(key_file).unwrap()).unwrap();
    let note = match case.get("note") {
        Some(note) => Ok(note.as_str().unwrap().to_owned()),
        None => vouch::default_note(case["attestor"].as_str().unwrap()),
    };
    let result = note.and_then(|note| {
        vouch::sign_attestation(
            case["image"].as_str().unwrap(),
            &note,
            &key,
            case.get("keyId").and_then(Value::as_str),
            case.get("pae").and_then(Value::as_bool).unwrap_or(false),
        )
    });
    match (result, case.get("expectError")) {
        (Ok(occurrence), None) if occurrence == case["expectOccurrence"] => Ok(()),
        (Ok(occurrence), None) => Err(vec![format!("occurrence differs: {occurrence}")]),
        (Err(e), Some(expected))
            if expected["code"] == e.code().as_str() && expected["path"] == e.path() =>
        {
            Ok(())
        }
        (Err(e), _) => Err(vec![format!("unexpected error {e}")]),
        (Ok(_), Some(expected)) => Err(vec![format!("expected error {expected}")]),
    }
}

/// A document vector (inspection: attestations, attestors, trust, image, now → the evidence
/// report; platform: platformPolicy, request, attestations, trust, now → the
/// `EvaluateGkePolicyResponse`), checked against `expect` (a subset, as bundle vectors) or
/// `expectError`, and byte-for-byte against its golden file, which the Python and WebAssembly
/// runners share.
fn run_document(
    path: &Path,
    suite: &DocumentSuite,
    vectors_dir: &Path,
    golden_dir: &Path,
    bless: bool,
) -> Result<(), Vec<String>> {
    let (name, by_text, by_value) = suite;
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let output = by_text(&case["input"].to_string());
    let actual: Value = serde_json::from_str(&output).unwrap();
    let mut errors = Vec::new();
    match (case.get("expectError"), actual.get("error")) {
        (Some(expected), Some(e)) => {
            if e["code"] != expected["code"]
                || expected.get("path").is_some_and(|p| &e["path"] != p)
            {
                errors.push(format!(
                    "error {} at {}, expected {expected}: {}",
                    e["code"], e["path"], e["message"]
                ));
            }
        }
        (Some(expected), None) => errors.push(format!("expected error {expected}, got {output}")),
        (None, Some(_)) => errors.push(format!("unexpected error: {output}")),
        (None, None) => match case.get("expect") {
            Some(expected) => subset(expected, &actual, "", &mut errors),
            None => errors.push("vector has neither expect nor expectError".into()),
        },
    }
    // The same input as a value gives the same bytes.
    let value_output = by_value(case["input"].clone());
    if value_output != output {
        errors.push(format!(
            "{name}: the value entry point differs: {value_output}"
        ));
    }
    let golden = golden_dir.join(path.strip_prefix(vectors_dir).unwrap());
    if bless {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &output).unwrap();
    } else {
        match std::fs::read_to_string(&golden) {
            Ok(g) if g == output => {}
            Ok(_) => errors.push(format!(
                "output differs from {} (rerun with VOUCH_BLESS=1 after review)",
                golden.display()
            )),
            Err(_) => errors.push(format!("no golden file {}", golden.display())),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn main() {
    let root = root();
    let vectors_dir = root.join("testdata/vectors");
    let golden_dir = root.join("testdata/golden");
    let bless = std::env::var_os("VOUCH_BLESS").is_some();
    if bless && golden_dir.exists() {
        std::fs::remove_dir_all(&golden_dir).unwrap();
    }
    // The toolkit suites live beside the bundle groups but are not bundles.
    let files: Vec<PathBuf> = vector_files(&vectors_dir)
        .into_iter()
        .filter(|path| {
            let suite = path
                .strip_prefix(&vectors_dir)
                .ok()
                .and_then(|p| p.iter().next());
            !suite.is_some_and(|s| TOOLKIT_SUITES.iter().any(|t| s == *t))
        })
        .collect();
    let mut failed = 0;
    let mut groups = std::collections::BTreeMap::<String, usize>::new();
    for path in &files {
        let group = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        *groups.entry(group).or_default() += 1;
        if let Err(errors) = run(path, &vectors_dir, &golden_dir, bless) {
            failed += 1;
            println!(
                "FAIL {}",
                path.strip_prefix(&root).unwrap_or(path).display()
            );
            for e in errors {
                println!("     {e}");
            }
        }
    }
    let mut total = files.len();
    for (suite, runner) in [
        ("lint", run_lint as fn(&Path) -> Result<(), Vec<String>>),
        ("payload", run_payload),
        ("sign", run_sign),
    ] {
        let suite_files = vector_files(&vectors_dir.join(suite));
        groups.insert(suite.to_owned(), suite_files.len());
        total += suite_files.len();
        for path in &suite_files {
            if let Err(errors) = runner(path) {
                failed += 1;
                println!(
                    "FAIL {}",
                    path.strip_prefix(&root).unwrap_or(path).display()
                );
                for e in errors {
                    println!("     {e}");
                }
            }
        }
    }
    for suite in &DOCUMENT_SUITES {
        let suite_files = vector_files(&vectors_dir.join(suite.0));
        groups.insert(suite.0.to_owned(), suite_files.len());
        total += suite_files.len();
        for path in &suite_files {
            if let Err(errors) = run_document(path, suite, &vectors_dir, &golden_dir, bless) {
                failed += 1;
                println!(
                    "FAIL {}",
                    path.strip_prefix(&root).unwrap_or(path).display()
                );
                for e in errors {
                    println!("     {e}");
                }
            }
        }
    }
    let summary: Vec<String> = groups.iter().map(|(g, n)| format!("{g} {n}")).collect();
    // The default build verifies ECDSA with ring; `--no-default-features` with the pure-Rust
    // crates that WebAssembly uses. Both must pass every vector.
    let label = if vouch::ECDSA_BACKEND == "ring" {
        "rust"
    } else {
        "rust, pure-Rust crypto"
    };
    println!(
        "vectors ({label}): {} passed, {failed} failed, {total} total [{}]",
        total - failed,
        summary.join(", ")
    );
    if failed > 0 || files.len() < 80 {
        std::process::exit(1);
    }
}
