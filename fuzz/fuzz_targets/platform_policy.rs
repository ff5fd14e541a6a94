//! GKE platform policies (`policy/platform/`: the schema walk, validation, the pattern
//! grammars) and cluster configurations (`policy/platform/cluster.rs`), from any text: never
//! panic; an error has a documented `INPUT_`/`PLATFORM_` (or `INPUT_`/`CLUSTER_`) code and a
//! JSON pointer; a loaded policy's canonical form loads again to itself (wrapping is
//! idempotent), its check sets end with the default set, and it evaluates (through
//! `evaluate_platform_value`) to a response or error JSON; the text and its parsed value load
//! alike; `validate_policy` agrees with loading; a cluster configuration names at most 10
//! well-formed bindings. Cloud Run platform policies (`cloud_run.rs`) from the same text: a
//! loaded one has a normal name, a canonical fixed point, and decides a service bound to it.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use vouch::{
    ClusterConfig, ClusterEvaluationMode, CloudRunPolicy, ErrorCode, Limits, PlatformPolicy,
};

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let limits = Limits::DEFAULT;
    let loaded = PlatformPolicy::from_text(text);
    let value = vouch::parse_document(text, &limits).ok();
    match &loaded {
        Ok(policy) => {
            let canonical = policy.canonical().clone();
            assert!(canonical.get("gkePolicy").is_some_and(Value::is_object));
            let again = PlatformPolicy::from_value(canonical.clone(), &limits)
                .expect("the canonical form loads");
            assert_eq!(
                again.canonical(),
                &canonical,
                "canonical form is a fixed point"
            );
            assert_eq!(again.name(), policy.name());
            let ordered: Value =
                serde_json::from_str(&policy.canonical_json()).expect("canonical JSON parses");
            assert_eq!(
                ordered, canonical,
                "schema-ordered JSON is the canonical form"
            );
            let sets = canonical["gkePolicy"]
                .get("checkSets")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if sets > 0 {
                let last = &canonical["gkePolicy"]["checkSets"][sets - 1];
                let scope = last.get("scope");
                assert!(
                    scope.is_none_or(|s| s
                        .as_object()
                        .is_some_and(|m| m.values().all(|v| v.as_str() == Some("")))),
                    "the last check set is the default set: {last}"
                );
            }
            // The value loads to the same policy (only text has the YAML-reading check).
            let value = value.clone().expect("loaded text parses");
            let from_value =
                PlatformPolicy::from_value(value.clone(), &limits).expect("the value loads too");
            assert_eq!(from_value.canonical(), &canonical);
            // Evaluating never panics and gives the contract's JSON; the images come from the
            // input, so patterns meet strings the fuzzer chose.
            let images: Vec<String> = text
                .split_whitespace()
                .filter(|w| w.contains('/'))
                .take(4)
                .map(|w| {
                    w.trim_matches(|c| c == '"' || c == ',' || c == '-')
                        .to_owned()
                })
                .filter(|w| !w.is_empty())
                .collect();
            let images = if images.is_empty() {
                vec!["gcr.io/p/app:1".to_owned()]
            } else {
                images
            };
            let doc = json!({"platformPolicy": value, "request": {"images": images},
                "now": "2026-11-23T10:00:00Z"});
            let out: Value = serde_json::from_str(&vouch::evaluate_platform_value(doc))
                .expect("the response is JSON");
            if let Some(e) = out.get("error") {
                // Only the request may be refused: the policy loaded.
                let path = e["path"].as_str().unwrap_or_default();
                assert!(!path.starts_with("/platformPolicy"), "{out}");
            } else {
                assert!(out.get("verdict").is_some_and(Value::is_string), "{out}");
            }
        }
        Err(e) => {
            common::check_error(e, &["INPUT_", "PLATFORM_"]);
            if let Some(value) = value.clone()
                && e.code() != ErrorCode::PlatformYamlAmbiguous
            {
                let by_value = PlatformPolicy::from_value(value, &limits)
                    .err()
                    .expect("the value fails like the text");
                assert_eq!((by_value.code(), by_value.path()), (e.code(), e.path()));
            }
        }
    }
    // `vouch policy lint` reads a document with `gkePolicy` as a platform policy.
    if value.as_ref().is_some_and(|v| v.get("gkePolicy").is_some()) {
        let validation = vouch::validate_policy(text, None);
        assert_eq!(validation.ok, loaded.is_ok());
        if let Err(e) = &loaded {
            let first = validation.errors.first().expect("the error is reported");
            assert_eq!((first.code(), first.path()), (e.code(), e.path()));
        }
        for w in &validation.warnings {
            common::check_pointer(&w.path);
            assert!(!w.fix.is_empty());
        }
    }

    // Cloud Run platform policies (decision R-2) go through the same walk: never both kinds
    // from one text; a loaded one is named in normal form, its canonical form loads again to
    // itself, and it compiles into an evaluator that decides a service bound to it.
    match CloudRunPolicy::from_text(text) {
        Ok(policy) => {
            assert!(loaded.is_err(), "a text loads as one kind of platform policy");
            let parts: Vec<&str> = policy.name().split('/').collect();
            assert!(
                matches!(parts.as_slice(), ["projects", p, "platforms", "cloudRun", "policies", n] if !p.is_empty() && !n.is_empty()),
                "name {}",
                policy.name()
            );
            let canonical = policy.canonical().clone();
            let again = CloudRunPolicy::from_value(canonical.clone(), &limits)
                .expect("the canonical form loads");
            assert_eq!(again.canonical(), &canonical);
            let ordered: Value =
                serde_json::from_str(&policy.canonical_json()).expect("canonical JSON parses");
            assert_eq!(ordered, canonical);
            let doc = json!({
                "policy": {"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW",
                    "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}},
                "cloudRunPolicies": [canonical],
                "request": {"workload": {"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                    "metadata": {"name": "s", "annotations": {
                        "run.googleapis.com/binary-authorization": policy.name()}},
                    "spec": {"template": {"spec": {"containers": [{"image": "gcr.io/p/app@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]}}}}},
                "now": "2026-11-23T10:00:00Z"});
            let out: Value = serde_json::from_str(&vouch::evaluate_bundle_value(doc))
                .expect("the decision is JSON");
            assert_eq!(out["cloudRun"]["enforced"], true, "{out}");
            common::check_decision_json(&out);
        }
        Err(e) => common::check_error(&e, &["INPUT_", "PLATFORM_"]),
    }

    match ClusterConfig::from_text(text) {
        Ok(config) => {
            assert!(config.bindings().len() <= 10);
            for b in config.bindings() {
                let parts: Vec<&str> = b.split('/').collect();
                assert!(
                    matches!(parts.as_slice(), ["projects", p, "platforms", "gke", "policies", id] if !p.is_empty() && !id.is_empty()),
                    "binding {b}"
                );
            }
            if value
                .as_ref()
                .is_some_and(|v| v.as_object().is_some_and(|m| m.is_empty()))
            {
                assert_eq!(config.mode(), ClusterEvaluationMode::Disabled);
            }
        }
        Err(e) => common::check_error(&e, &["INPUT_", "CLUSTER_"]),
    }
});
