//! Shared fixtures for the benchmarks: the bundled example, and generated policies.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark fixtures"
)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A file of the repository, as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).unwrap()
}

/// The `i`-th generated allowlist pattern: the four kinds in turn, spread over many projects.
pub fn generated_pattern(i: usize) -> String {
    match i % 4 {
        0 => format!("gcr.io/project-{}/app-{}*", i / 40, i % 40),
        1 => format!("us-docker.pkg.dev/project-{}/repo-{}/**", i / 40, i % 40),
        2 => format!("gcr.io/project-{}/tool-{}:v1.*", i / 40, i % 40),
        _ => format!("gcr.io/project-{}/pinned-{}:1.0", i / 40, i % 40),
    }
}

/// A policy YAML with `n` allowlist patterns of every kind, spread over many projects.
pub fn policy_with_patterns(n: usize) -> String {
    let mut s = String::from("globalPolicyEvaluationMode: DISABLE\nadmissionWhitelistPatterns:\n");
    for i in 0..n {
        s.push_str(&format!("- namePattern: {}\n", generated_pattern(i)));
    }
    s.push_str("defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n");
    s
}

use serde_json::{Value, json};
use vouch::{
    Evaluator, Evidence, KeyAlgorithm, Limits, Options, Policy, Request, SigningKey, Timestamp,
};

/// A deployment scenario, ready for the typed API and as a bundle.
#[allow(missing_debug_implementations, reason = "benchmark fixture")]
pub struct Scenario {
    /// The compiled policy and attestors.
    pub evaluator: Evaluator,
    /// The request.
    pub request: Request,
    /// The attestations.
    pub evidence: Evidence,
    /// The same inputs as one bundle (JSON text).
    pub bundle: String,
}

impl Scenario {
    /// Evaluates once.
    pub fn evaluate(&self) -> vouch::Decision {
        self.evaluator.evaluate(
            &self.request,
            &self.evidence,
            Timestamp::UNIX_EPOCH,
            Options::default(),
        )
    }
}

const PROJECT: &str = "projects/bench";

fn digest(i: usize) -> String {
    format!("sha256:{:064x}", i + 1)
}

fn attestor_name(i: usize) -> String {
    format!("{PROJECT}/attestors/a{i}")
}

fn note_name(i: usize) -> String {
    format!("{PROJECT}/notes/a{i}")
}

/// Deterministic P-256 signing keys, one per attestor.
pub fn keys(n: usize) -> Vec<SigningKey> {
    (0..n)
        .map(|i| {
            SigningKey::from_seed(KeyAlgorithm::P256, &[u8::try_from(i + 1).unwrap(); 32]).unwrap()
        })
        .collect()
}

/// The documents of a scenario, before compiling: a policy, attestor resources, Grafeas
/// occurrences and a request (the members of a bundle).
#[derive(Debug, Clone)]
pub struct Documents {
    /// The project policy.
    pub policy: Value,
    /// The attestor resources.
    pub attestors: Vec<Value>,
    /// The attestation occurrences.
    pub occurrences: Vec<Value>,
    /// The request (`images` or `workload`, and where it goes).
    pub request: Value,
}

impl Documents {
    /// The documents as one bundle value (`now` is the Unix epoch).
    pub fn bundle_value(&self) -> Value {
        json!({
            "policy": self.policy, "attestors": self.attestors, "attestations": self.occurrences,
            "request": self.request, "now": "1970-01-01T00:00:00Z",
        })
    }

    /// Compiles the documents into a scenario.
    pub fn build(self) -> Scenario {
        let limits = Limits::DEFAULT;
        let bundle = self.bundle_value().to_string();
        let evaluator = Evaluator::new(
            Policy::from_value(self.policy, &limits).unwrap(),
            vouch::attestors_from_value(Value::Array(self.attestors), &limits).unwrap(),
            None,
        )
        .unwrap();
        let mut evidence = Evidence::new();
        evidence
            .add_value(&Value::Array(self.occurrences), &limits)
            .unwrap();
        Scenario {
            evaluator,
            request: Request::from_value(self.request, &limits).unwrap(),
            evidence,
            bundle,
        }
    }
}

/// Builds a scenario: `attestors` required attestors (P-256), `images` images each with a
/// valid attestation from every attestor, `unrelated` occurrences for other digests, and
/// `decoys` candidate occurrences (valid signatures over another digest's payload) placed
/// before each valid one. `allowlisted` exempts every image instead.
pub fn scenario(
    attestors: usize,
    images: usize,
    unrelated: usize,
    decoys: usize,
    allowlisted: bool,
) -> Scenario {
    scenario_documents(attestors, images, unrelated, decoys, allowlisted).build()
}

/// The documents of [`scenario`].
pub fn scenario_documents(
    attestors: usize,
    images: usize,
    unrelated: usize,
    decoys: usize,
    allowlisted: bool,
) -> Documents {
    let keys = keys(attestors.max(1));
    let repo = "us-docker.pkg.dev/bench/app/web";
    let mut policy = json!({
        "globalPolicyEvaluationMode": "DISABLE",
        "defaultAdmissionRule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"},
    });
    if allowlisted {
        policy["admissionWhitelistPatterns"] =
            json!([{"namePattern": "us-docker.pkg.dev/bench/app/**"}]);
    } else {
        policy["defaultAdmissionRule"] = json!({
            "evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
            "requireAttestationsBy": (0..attestors).map(attestor_name).collect::<Vec<_>>(),
        });
    }
    let attestor_docs: Vec<Value> = keys
        .iter()
        .enumerate()
        .take(attestors)
        .map(|(i, k)| {
            vouch::attestor_resource(
                &attestor_name(i),
                &note_name(i),
                &k.public_key_pem(),
                k.algorithm(),
                None,
                None,
            )
            .unwrap()
        })
        .collect();
    let mut occurrences = Vec::new();
    for u in 0..unrelated {
        let image = format!("{repo}@{}", digest(10_000 + u));
        occurrences.push(
            vouch::sign_attestation(
                &image,
                &note_name(u % attestors.max(1)),
                &keys[u % keys.len()],
                None,
                false,
            )
            .unwrap(),
        );
    }
    let image_refs: Vec<String> = (0..images)
        .map(|i| format!("{repo}@{}", digest(i)))
        .collect();
    if !allowlisted {
        for image in &image_refs {
            for (a, key) in keys.iter().enumerate().take(attestors) {
                for d in 0..decoys {
                    // A valid signature over another digest's payload, filed under this digest.
                    let mut decoy = vouch::sign_attestation(
                        &format!("{repo}@{}", digest(20_000 + d)),
                        &note_name(a),
                        key,
                        None,
                        false,
                    )
                    .unwrap();
                    decoy["resourceUri"] = json!(image);
                    occurrences.push(decoy);
                }
                occurrences
                    .push(vouch::sign_attestation(image, &note_name(a), key, None, false).unwrap());
            }
        }
    }
    let request = if images == 1 {
        json!({"images": image_refs})
    } else {
        let containers: Vec<Value> = image_refs
            .iter()
            .enumerate()
            .map(|(i, img)| json!({"name": format!("c{i}"), "image": img}))
            .collect();
        json!({"workload": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "shop"}, "spec": {"containers": containers}}})
    };
    Documents {
        policy,
        attestors: attestor_docs,
        occurrences,
        request,
    }
}

/// Rule selection without signatures: a policy with `per_kind` rules of each specific kind
/// (cluster, namespace, service account, mesh identity; keys `…-i`), ten allowlist patterns
/// that do not match, and an `ALWAYS_DENY` default. The request targets rules of index
/// `per_kind / 2`. With `allow`, its service-account rule (`ALWAYS_ALLOW`) wins over its
/// namespace and cluster rules (`ALWAYS_DENY`); otherwise it uses the `default` service
/// account, which has no rule, and its namespace rule (`ALWAYS_DENY`) wins over its cluster
/// rule (`ALWAYS_ALLOW`).
pub fn rule_selection_documents(per_kind: usize, allow: bool) -> Documents {
    let rule = |mode: &str| json!({"evaluationMode": mode, "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"});
    let pick = |i: usize, even: &str, odd: &str| rule(if i.is_multiple_of(2) { even } else { odd });
    let target = per_kind / 2;
    let mut cluster = serde_json::Map::new();
    let mut namespace = serde_json::Map::new();
    let mut service_account = serde_json::Map::new();
    let mut istio = serde_json::Map::new();
    for i in 0..per_kind {
        cluster.insert(
            format!("us-central1-a.cluster-{i}"),
            pick(i, "ALWAYS_ALLOW", "ALWAYS_DENY"),
        );
        namespace.insert(format!("ns-{i}"), pick(i, "ALWAYS_DENY", "ALWAYS_ALLOW"));
        service_account.insert(
            format!("ns-{i}:sa-{i}"),
            pick(i, "ALWAYS_ALLOW", "ALWAYS_DENY"),
        );
        istio.insert(
            format!("mesh.svc.id.goog/ns/ns-{i}/sa/sa-{i}"),
            pick(i, "ALWAYS_DENY", "ALWAYS_ALLOW"),
        );
    }
    // The target's rules, whatever the parity of `target`.
    cluster.insert(
        format!("us-central1-a.cluster-{target}"),
        rule(if allow { "ALWAYS_DENY" } else { "ALWAYS_ALLOW" }),
    );
    namespace.insert(format!("ns-{target}"), rule("ALWAYS_DENY"));
    service_account.insert(format!("ns-{target}:sa-{target}"), rule("ALWAYS_ALLOW"));
    let patterns: Vec<Value> = (0..10)
        .map(|i| json!({"namePattern": generated_pattern(i)}))
        .collect();
    let policy = json!({
        "globalPolicyEvaluationMode": "DISABLE",
        "admissionWhitelistPatterns": patterns,
        "defaultAdmissionRule": rule("ALWAYS_DENY"),
        "clusterAdmissionRules": cluster,
        "kubernetesNamespaceAdmissionRules": namespace,
        "kubernetesServiceAccountAdmissionRules": service_account,
        "istioServiceIdentityAdmissionRules": istio,
    });
    let service_account = if allow {
        format!("sa-{target}")
    } else {
        "default".to_owned()
    };
    let request = json!({
        "images": ["us-docker.pkg.dev/bench/app/web:1.0"],
        "namespace": format!("ns-{target}"),
        "serviceAccount": service_account,
        "cluster": format!("us-central1-a.cluster-{target}"),
    });
    Documents {
        policy,
        attestors: Vec::new(),
        occurrences: Vec::new(),
        request,
    }
}

/// An allowlist of `patterns` generated patterns ([`generated_pattern`]) and an `ALWAYS_DENY`
/// default; the request's image misses every pattern after sharing the prefix of the first
/// ones (so a radix lookup walks deep), and is denied. No signatures.
pub fn allowlist_miss_documents(patterns: usize) -> Documents {
    let list: Vec<Value> = (0..patterns)
        .map(|i| json!({"namePattern": generated_pattern(i)}))
        .collect();
    let policy = json!({
        "globalPolicyEvaluationMode": "DISABLE",
        "admissionWhitelistPatterns": list,
        "defaultAdmissionRule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"},
    });
    let request = json!({"images": ["gcr.io/project-0/other-image@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"]});
    Documents {
        policy,
        attestors: Vec::new(),
        occurrences: Vec::new(),
        request,
    }
}

/// `n` evidence items of mixed kinds, each about its own digest (none of them the digests
/// [`scenario`] evaluates): vulnerability findings, scans, Artifact Registry images,
/// Container Registry tag lists, attestation occurrences with junk signatures, and
/// occurrences of kinds vouch does not read, in turn.
pub fn mixed_evidence(n: usize) -> Vec<Value> {
    let repo = "us-docker.pkg.dev/bench/app/other";
    (0..n)
        .map(|i| {
            let d = digest(1_000_000 + i);
            let uri = format!("https://{repo}@{d}");
            let name = format!("{PROJECT}/occurrences/u{i}");
            match i % 6 {
                0 => json!({
                    "name": name, "resourceUri": uri, "kind": "VULNERABILITY",
                    "noteName": format!("projects/goog-vulnz/notes/CVE-2024-{i:05}"),
                    "createTime": "2026-11-01T12:00:00Z",
                    "vulnerability": {
                        "severity": "HIGH", "effectiveSeverity": "MEDIUM", "cvssScore": 7.1,
                        "fixAvailable": true, "cvssVersion": "CVSS_VERSION_3",
                        "cvssv3": {"baseScore": 7.1},
                        "packageIssue": [{
                            "affectedPackage": "ncurses",
                            "affectedVersion": {"kind": "NORMAL", "fullName": "6.2+20201114-2"},
                            "fixedVersion": {"kind": "NORMAL", "fullName": "6.2+20201114-2+deb11u1"},
                            "fixAvailable": true, "effectiveSeverity": "MEDIUM", "packageType": "OS",
                        }],
                    },
                }),
                1 => json!({
                    "name": name, "resourceUri": uri, "kind": "DISCOVERY",
                    "noteName": format!("{PROJECT}/notes/PACKAGE_VULNERABILITY"),
                    "discovery": {"analysisStatus": "FINISHED_SUCCESS", "continuousAnalysis": "ACTIVE",
                                  "lastScanTime": "2026-11-20T08:00:00Z"},
                }),
                2 => json!({
                    "name": format!("projects/bench/locations/us/repositories/app/dockerImages/other@{d}"),
                    "uri": format!("{repo}@{d}"), "tags": [format!("v{i}")],
                    "imageSizeBytes": "26782679", "uploadTime": "2026-11-02T09:30:00Z",
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                }),
                3 => json!({
                    "name": "bench/other", "tags": [format!("v{i}")],
                    "manifest": {d.clone(): {"imageSizeBytes": "2000", "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                              "tag": [format!("v{i}")], "timeCreatedMs": "1762070400000",
                                              "timeUploadedMs": "1762075800000"}},
                }),
                4 => json!({
                    "name": name, "resourceUri": uri, "kind": "ATTESTATION",
                    "noteName": note_name(0),
                    "attestation": {"serializedPayload": "e30=", "signatures": [{"publicKeyId": "k", "signature": "AAAA"}]},
                }),
                _ => json!({"name": name, "resourceUri": uri, "kind": "PACKAGE", "package": {"name": "ncurses"}}),
            }
        })
        .collect()
}

/// An evidence file of about `bytes` bytes: a JSON list of [`mixed_evidence`] items (with
/// `json_lines`, one item per line).
pub fn evidence_file(bytes: usize, json_lines: bool) -> String {
    let per_item = mixed_evidence(60)
        .iter()
        .map(|v| v.to_string().len() + 1)
        .sum::<usize>()
        / 60;
    let items = mixed_evidence(bytes / per_item + 1);
    if json_lines {
        items.iter().map(|v| v.to_string() + "\n").collect()
    } else {
        Value::Array(items).to_string()
    }
}
