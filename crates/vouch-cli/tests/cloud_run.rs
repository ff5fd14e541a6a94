//! Cloud Run services and jobs through the `vouch` binary: `evaluate --workload`, the
//! resolved-digest flags, `check` on a folder mixing Kubernetes and Cloud Run manifests, and
//! `workload` (docs/semantics.md §9).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::{root, stdout, vouch};

use serde_json::Value;

const CONFIG: &[&str] = &[
    "--policy",
    "examples/cloud-run/policy.yaml",
    "--attestors",
    "examples/attestors.json",
    "--attestations",
    "examples/attestations.json",
    "--now",
    "2026-11-23T10:00:00Z",
];

const DIGEST: &str = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

fn evaluate(workload: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["evaluate"];
    args.extend(CONFIG);
    args.extend(["--workload", workload, "--output", "json"]);
    args.extend(extra);
    let o = vouch(&args);
    let d = serde_json::from_str(stdout(&o).trim()).unwrap();
    (o.status.code(), d)
}

#[test]
fn the_examples_digest_admits_and_the_tag_denies() {
    let (code, d) = evaluate("examples/cloud-run/service.yaml", &[]);
    assert_eq!(code, Some(0), "{d}");
    assert_eq!(d["cloudRun"]["binaryAuthorization"], "DEFAULT");
    assert_eq!(d["cloudRun"]["ignoredRules"][0]["kind"], "CLUSTER");
    assert_eq!(d["images"][1]["outcome"], "EXEMPT");

    let (code, d) = evaluate("examples/cloud-run/service-tag.yaml", &[]);
    assert_eq!(code, Some(1), "{d}");
    assert_eq!(d["images"][0]["reasons"][0]["code"], "NOT_DIGEST_PINNED");

    let (code, d) = evaluate("examples/cloud-run/job.yaml", &[]);
    assert_eq!(code, Some(0), "{d}");
    assert_eq!(d["cloudRun"]["resource"], "JOB");
}

#[test]
fn resolved_digest_flags() {
    let resolved = format!("web={DIGEST}");
    let (code, d) = evaluate(
        "examples/cloud-run/service-tag.yaml",
        &["--use-resolved-digest", "--resolved-digest", &resolved],
    );
    assert_eq!(code, Some(0), "{d}");
    assert_eq!(d["cloudRun"]["resolvedDigests"][0]["result"], "RESOLVED");
    assert_eq!(d["cloudRun"]["resolvedDigests"][0]["source"], "REQUEST");
    assert_eq!(
        d["images"][0]["image"],
        format!("us-docker.pkg.dev/example-project/app/web@{DIGEST}")
    );
    // Without the option, the digest given is not used.
    let (code, d) = evaluate(
        "examples/cloud-run/service-tag.yaml",
        &["--resolved-digest", &resolved],
    );
    assert_eq!(code, Some(1), "{d}");
    assert!(d["cloudRun"].get("resolvedDigests").is_none());
    // A container the service does not have is an input error.
    let (code, d) = evaluate(
        "examples/cloud-run/service-tag.yaml",
        &["--resolved-digest", &format!("api={DIGEST}")],
    );
    assert_eq!(code, Some(2), "{d}");
    assert_eq!(d["error"]["code"], "REQUEST_INVALID_VALUE");
}

#[test]
fn text_output_says_what_cloud_run_did() {
    let mut args = vec!["evaluate"];
    args.extend(CONFIG);
    args.extend([
        "--workload",
        "examples/cloud-run/service-tag.yaml",
        "--annotation",
        "run.googleapis.com/binary-authorization-breakglass=",
    ]);
    let o = vouch(&args);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("BREAK_GLASS_ALLOW  default rule"), "{out}");
    assert!(
        out.contains("cloud run service web: binary authorization DEFAULT"),
        "{out}"
    );
    assert!(
        out.contains("cloud run break-glass justification: ``"),
        "{out}"
    );
    assert!(
        out.contains("ignored on cloud run: clusterAdmissionRules `us-central1-a.prod-cluster`"),
        "{out}"
    );
}

#[test]
fn check_mixes_kubernetes_and_cloud_run() {
    let dir = std::env::temp_dir().join(format!("vouch-cloud-run-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["service.yaml", "service-tag.yaml", "job.yaml"] {
        std::fs::copy(root().join("examples/cloud-run").join(name), dir.join(name)).unwrap();
    }
    std::fs::copy(
        root().join("examples/deployment.yaml"),
        dir.join("deployment.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("k8s-service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("off.json"),
        r#"{"name": "projects/p/locations/l/services/off", "template": {"containers": [{"image": "busybox"}]}}"#,
    )
    .unwrap();
    let mut args = vec!["check", dir.to_str().unwrap(), "--output", "json"];
    args.extend(CONFIG);
    let o = vouch(&args);
    // service-tag.yaml is denied.
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let rows: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcome = |object: &str, file: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["object"] == object && r["file"].as_str().unwrap().ends_with(file))
            .map(|r| r["outcome"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        outcome("Service/web", "/service.yaml"),
        ["CONFORMANT", "EXEMPT"]
    );
    assert_eq!(
        outcome("Service/web", "/service-tag.yaml"),
        ["VIOLATION", "EXEMPT"]
    );
    assert_eq!(outcome("Job/migrate", "/job.yaml"), ["CONFORMANT"]);
    assert_eq!(outcome("Service/web", "/k8s-service.yaml"), ["SKIPPED"]);
    // A v2 object without Binary Authorization: one row saying so.
    assert_eq!(outcome("Service/off", "/off.json"), ["ALLOW"]);
    let off = rows.iter().find(|r| r["object"] == "Service/off").unwrap();
    assert_eq!(
        off["cloudRun"]["reason"],
        "BINARY_AUTHORIZATION_NOT_ENABLED"
    );
    // The Deployment is decided by the default rule (no --cluster).
    assert_eq!(outcome("Deployment/web", "/deployment.yaml").len(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn workload_describes_cloud_run() {
    let o = vouch(&["workload", "examples/cloud-run/service-tag.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    let out: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let w = &out["workloads"][0];
    assert_eq!(w["kind"], "Service");
    assert_eq!(w["cloudRun"]["resource"], "SERVICE");
    assert_eq!(w["cloudRun"]["binaryAuthorization"], "default");
    assert_eq!(w["breakGlass"], false);
    assert_eq!(w["images"][1]["container"], "netshoot");
}

const NAMED_POLICY: &str = "examples/cloud-run/cloud-run-policy.yaml";

#[test]
fn a_supplied_cloud_run_policy_decides_the_services_bound_to_it() {
    let named = "examples/cloud-run/service-named.yaml";
    let (code, d) = evaluate(named, &["--cloud-run-policy", NAMED_POLICY]);
    assert_eq!(code, Some(0), "{d}");
    assert_eq!(d["cloudRun"]["binaryAuthorization"], "NAMED_POLICY");
    assert_eq!(d["cloudRun"]["enforced"], true);
    assert_eq!(
        d["cloudRun"]["policy"],
        "projects/example-project/platforms/cloudRun/policies/ci-only"
    );
    // Only the inline attestor is required (the project policy also requires QA).
    assert_eq!(d["images"][0]["attestors"][0]["attestor"], "built-by-ci");
    assert_eq!(d["images"][0]["attestors"].as_array().unwrap().len(), 1);
    // Not supplied: fails closed.
    let (code, d) = evaluate(named, &[]);
    assert_eq!(code, Some(1), "{d}");
    assert_eq!(d["cloudRun"]["reason"], "NAMED_POLICY_NOT_SUPPLIED");
    // A service bound to `default` is still decided by the project policy.
    let (code, d) = evaluate(
        "examples/cloud-run/service.yaml",
        &["--cloud-run-policy", NAMED_POLICY],
    );
    assert_eq!(code, Some(0), "{d}");
    assert_eq!(d["cloudRun"]["binaryAuthorization"], "DEFAULT");
    assert_eq!(d["images"][0]["attestors"].as_array().unwrap().len(), 2);
}

#[test]
fn a_bad_cloud_run_policy_is_reported_in_its_file() {
    let dir = std::env::temp_dir().join(format!("vouch-crp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    let text = std::fs::read_to_string(root().join(NAMED_POLICY))
        .unwrap()
        .replace("REQUIRE_ATTESTATION", "EVALUATION_MODE_UNSPECIFIED");
    std::fs::write(&bad, text).unwrap();
    let bad = bad.to_str().unwrap();
    let mut args = vec!["evaluate"];
    args.extend(CONFIG);
    args.extend([
        "--workload",
        "examples/cloud-run/service-named.yaml",
        "--cloud-run-policy",
        NAMED_POLICY,
        "--cloud-run-policy",
        bad,
        "--output",
        "json",
    ]);
    let o = vouch(&args);
    assert_eq!(o.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["error"]["code"], "PLATFORM_INVALID_VALUE", "{e}");
    assert_eq!(
        e["error"]["path"], "/cloudRunPolicy/rule/evaluationMode",
        "{e}"
    );
    assert_eq!(e["error"]["file"], bad, "{e}");
    // The same policy twice: the second file's name is the problem.
    let mut args = vec!["evaluate"];
    args.extend(CONFIG);
    args.extend([
        "--workload",
        "examples/cloud-run/service-named.yaml",
        "--cloud-run-policy",
        NAMED_POLICY,
        "--cloud-run-policy",
        NAMED_POLICY,
        "--output",
        "json",
    ]);
    let o = vouch(&args);
    assert_eq!(o.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(e["error"]["path"], "/name", "{e}");
    assert_eq!(e["error"]["file"], NAMED_POLICY, "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
