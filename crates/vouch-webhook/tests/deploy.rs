//! `deploy/vouch-webhook.yaml` says what docs/webhook.md promises: the Pod webhook fails
//! closed (`failurePolicy: Fail`) within the API server's limits, has no side effects, never
//! reviews its own namespace (no deadlock when its own Pods restart), reviews ephemeral
//! containers, and the Deployment runs the flags this binary takes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use std::path::Path;

use clap::Parser as _;
use serde_json::{Value, json};

fn manifests() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/vouch-webhook.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    vouch::parse_manifests(&text, &vouch::Limits::DEFAULT).unwrap()
}

fn of_kind<'a>(all: &'a [Value], kind: &str) -> Vec<&'a Value> {
    all.iter().filter(|m| m["kind"] == kind).collect()
}

#[test]
fn the_pod_webhook_fails_closed_and_skips_its_own_namespace() {
    let all = manifests();
    let config = of_kind(&all, "ValidatingWebhookConfiguration");
    assert_eq!(config.len(), 1);
    let webhooks = config[0]["webhooks"].as_array().unwrap();
    let pods = webhooks
        .iter()
        .find(|w| {
            w["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["resources"].as_array().unwrap().contains(&json!("pods")))
        })
        .unwrap();
    assert_eq!(pods["failurePolicy"], "Fail");
    assert_eq!(pods["sideEffects"], "None");
    assert_eq!(pods["admissionReviewVersions"], json!(["v1"]));
    let timeout = pods["timeoutSeconds"].as_u64().unwrap();
    assert!((1..=30).contains(&timeout));
    let rules = pods["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| {
        r["resources"]
            .as_array()
            .unwrap()
            .contains(&json!("pods/ephemeralcontainers"))
    }));
    for webhook in webhooks {
        let excluded = webhook["namespaceSelector"]["matchExpressions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| {
                e["key"] == "kubernetes.io/metadata.name"
                    && e["operator"] == "NotIn"
                    && e["values"]
                        .as_array()
                        .unwrap()
                        .contains(&json!("vouch-system"))
            });
        assert!(excluded, "{} reviews its own namespace", webhook["name"]);
        assert_eq!(webhook["clientConfig"]["service"]["path"], "/validate");
    }
    // The decision deadline is under the API server's timeout.
    let deployment = of_kind(&all, "Deployment");
    let args: Vec<String> = deployment[0]["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let parsed = vouch_webhook::config::Args::try_parse_from(
        std::iter::once("vouch-webhook".to_owned()).chain(args),
    )
    .unwrap();
    assert!(parsed.deadline_ms < timeout * 1000);
}

#[test]
fn the_example_policy_loads() {
    let all = manifests();
    let config = of_kind(&all, "ConfigMap");
    let data = &config
        .iter()
        .find(|c| c["metadata"]["name"] == "vouch-webhook-config")
        .unwrap()["data"];
    vouch::Policy::from_text(data["policy.yaml"].as_str().unwrap()).unwrap();
    vouch::attestors_from_text(data["attestors.json"].as_str().unwrap()).unwrap();
}
