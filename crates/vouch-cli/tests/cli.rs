//! The `vouch` binary, end to end: exit codes, outputs, error mapping, and agreement with the
//! library on every shared vector.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::{root, stderr, stdout, vouch};
use std::path::PathBuf;
use std::process::Output;

const EXAMPLE: &[&str] = &[
    "evaluate",
    "--policy",
    "examples/policy.yaml",
    "--attestors",
    "examples/attestors.json",
    "--attestations",
    "examples/attestations.json",
    "--cluster",
    "us-central1-a.prod-cluster",
    "--now",
    "2026-11-23T10:00:00Z",
];

fn example(workload: &str, extra: &[&str]) -> Output {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--workload", workload]);
    args.extend(extra);
    vouch(&args)
}

#[test]
fn readme_example_is_admitted() {
    let o = example("examples/deployment.yaml", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("ALLOW  cluster rule `us-central1-a.prod-cluster`"),
        "{out}"
    );
    assert!(out.contains("EXEMPT     netshoot"));
}

#[test]
fn unattested_candidate_is_denied_with_exit_1() {
    let o = example("examples/deployment-candidate.yaml", &["--output", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let d: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(d["verdict"], "DENY");
    assert_eq!(d["images"][1]["reasons"][0]["code"], "NO_VALID_ATTESTATION");
    assert_eq!(
        d["images"][1]["reasons"][0]["attestor"],
        "projects/example-project/attestors/qa-approved"
    );
}

#[test]
fn break_glass_flag_admits_and_records() {
    let o = example(
        "examples/deployment-candidate.yaml",
        &["--break-glass", "--output", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let d: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(d["verdict"], "BREAK_GLASS_ALLOW");
    assert_eq!(
        d["auditAnnotations"]["imagepolicywebhook.image-policy.k8s.io/break-glass"],
        "true"
    );
}

#[test]
fn images_and_flags_build_the_request() {
    let o = vouch(&[
        "evaluate",
        "--policy",
        "examples/policy.yaml",
        "--attestors",
        "examples/attestors.json",
        "--image",
        "busybox:1.36",
        "--image",
        "gcr.io/example-project/debug-tools/netshoot:v1",
        "--namespace",
        "sandbox",
        "--label",
        "team=shop",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(d["rule"]["kind"], "NAMESPACE");
    assert_eq!(d["images"][1]["outcome"], "EXEMPT");
}

#[test]
fn configuration_error_points_at_the_file() {
    let mut args = EXAMPLE.to_vec();
    args[2] = "examples/policy-invalid.yaml";
    args.extend(["--workload", "examples/deployment.yaml", "--output", "json"]);
    let o = vouch(&args);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "POLICY_INVALID_PATTERN");
    assert_eq!(
        e["error"]["path"],
        "/admissionWhitelistPatterns/0/namePattern"
    );
    assert_eq!(e["error"]["file"], "examples/policy-invalid.yaml");
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("vouch: POLICY_INVALID_PATTERN at examples/policy-invalid.yaml#/admissionWhitelistPatterns/0/namePattern"));
}

#[test]
fn attestor_file_errors_point_at_that_file() {
    let dir = std::env::temp_dir().join(format!("vouch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad-attestor.json");
    std::fs::write(
        &bad,
        r#"{"name": "projects/p/attestors/x", "userOwnedGrafeasNote": {"noteReference": "oops"}}"#,
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let o = vouch(&[
        "evaluate",
        "--policy",
        "examples/policy.yaml",
        "--attestors",
        "examples/attestors.json",
        "--attestors",
        bad,
        "--image",
        "x",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "ATTESTOR_INVALID_NOTE_REFERENCE");
    assert_eq!(e["error"]["file"], bad);
    assert_eq!(e["error"]["path"], "/userOwnedGrafeasNote/noteReference");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["evaluate"],
        vec!["evaluate", "--bundle", "x.json", "--policy", "p.yaml"],
        vec!["evaluate", "--policy", "examples/policy.yaml"],
        vec![
            "evaluate",
            "--policy",
            "examples/policy.yaml",
            "--image",
            "a",
            "--label",
            "novalue",
        ],
        vec![
            "evaluate",
            "--policy",
            "examples/policy.yaml",
            "--image",
            "a",
            "--output",
            "xml",
        ],
        vec!["frobnicate"],
    ] {
        let o = vouch(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    let o = vouch(&[
        "evaluate",
        "--policy",
        "examples/policy.yaml",
        "--image",
        "a",
        "--label",
        "x",
        "--output",
        "json",
    ]);
    let e: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "INPUT_USAGE");
    let o = vouch(&[
        "evaluate",
        "--policy",
        "missing.yaml",
        "--image",
        "a",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "INPUT_UNREADABLE");
    let o = vouch(&[
        "evaluate",
        "--policy",
        "examples/policy.yaml",
        "--attestors",
        "examples/attestors.json",
        "--image",
        "a",
        "--now",
        "yesterday",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("BUNDLE_INVALID_NOW"));
    assert_eq!(vouch(&["--help"]).status.code(), Some(0));
    assert_eq!(vouch(&["--version"]).status.code(), Some(0));
}

#[test]
fn hostile_files_never_panic() {
    let dir = std::env::temp_dir().join(format!("vouch-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inputs: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00],
        b"[".repeat(100_000),
        b"a: &a [*a]".to_vec(),
        b"{\"policy\": 1}".to_vec(),
        b"---\n---\n".to_vec(),
        b"\x00\x01\x02".to_vec(),
    ];
    for (i, bytes) in inputs.iter().enumerate() {
        let file = dir.join(format!("in{i}"));
        std::fs::write(&file, bytes).unwrap();
        let f = file.to_str().unwrap();
        for args in [
            vec!["evaluate", "--bundle", f],
            vec!["evaluate", "--policy", f, "--image", "a"],
            vec![
                "evaluate",
                "--policy",
                "examples/policy.yaml",
                "--attestations",
                f,
                "--workload",
                f,
            ],
            vec!["platform", "evaluate", "--policy", f, "--image", "a"],
            vec!["cv", "--policy", "p=examples/cv/policy.yaml", "--pods", f],
            vec![
                "cv",
                "--policy",
                &format!("p={f}"),
                "--pods",
                "examples/cv/pods.json",
            ],
            vec![
                "cv",
                "--policy",
                "p=examples/cv/policy.yaml",
                "--pods",
                "examples/cv/pods.json",
                "--cluster-config",
                f,
            ],
        ] {
            let o = vouch(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
        }
    }
}

/// The command line gives the same bytes as the library (and the golden files) on every vector.
#[test]
fn every_vector_through_the_cli() {
    let vectors = root().join("testdata/vectors");
    let mut count = 0;
    let mut groups: Vec<_> = std::fs::read_dir(&vectors)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    groups.sort();
    // The toolkit suites (lint, payload, sign) live beside the bundle groups but are not bundles.
    groups.retain(|g| !g.ends_with("lint") && !g.ends_with("payload") && !g.ends_with("sign"));
    for group in groups {
        let mut files: Vec<_> = std::fs::read_dir(&group)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            // Without `now` the command line uses the clock (contract §4): not comparable.
            let mut vector: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            if vector.get("now").is_none() {
                continue;
            }
            // The vector's test-only keys are the runner's: the bundle is the rest.
            for key in ["expect", "expectError"] {
                vector.as_object_mut().unwrap().remove(key);
            }
            let bundle =
                std::env::temp_dir().join(format!("vouch-vector-{}.json", std::process::id()));
            std::fs::write(&bundle, vector.to_string()).unwrap();
            let o = vouch(&[
                "evaluate",
                "--bundle",
                bundle.to_str().unwrap(),
                "--output",
                "json",
            ]);
            let golden = root()
                .join("testdata/golden")
                .join(file.strip_prefix(&vectors).unwrap());
            let expected = std::fs::read_to_string(&golden).unwrap();
            let out = stdout(&o);
            let body = out.strip_suffix('\n').unwrap();
            if expected.starts_with("{\"error\"") {
                assert_eq!(o.status.code(), Some(2), "{}", file.display());
                let got: serde_json::Value = serde_json::from_str(body).unwrap();
                let want: serde_json::Value = serde_json::from_str(&expected).unwrap();
                for k in ["code", "path", "message"] {
                    assert_eq!(got["error"][k], want["error"][k], "{}", file.display());
                }
            } else {
                assert_eq!(body, expected, "{}", file.display());
                let denied = expected.starts_with("{\"allowed\":false");
                assert_eq!(
                    o.status.code(),
                    Some(if denied { 1 } else { 0 }),
                    "{}",
                    file.display()
                );
            }
            count += 1;
        }
    }
    assert!(count >= 80);
}

#[test]
fn bundle_without_now_uses_the_clock() {
    let text = std::fs::read_to_string(root().join("examples/bundles/prod-released.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().remove("now");
    let file = std::env::temp_dir().join(format!("vouch-nonow-{}.json", std::process::id()));
    std::fs::write(&file, v.to_string()).unwrap();
    let o = vouch(&["evaluate", "--bundle", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `vouch evidence inspect --output json` prints every inspect vector's golden report byte for
/// byte, from the vector's members written to files (each error vector fails with its code).
#[test]
fn evidence_inspect_prints_every_inspect_vector() {
    let dir = root().join("testdata/vectors/inspect");
    let tmp = std::env::temp_dir().join(format!("vouch-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 9);
    let mut checked = 0;
    for path in &files {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let input = case["input"].as_object().unwrap();
        if input
            .keys()
            .any(|k| !["attestations", "attestors", "trust", "image", "now"].contains(&k.as_str()))
        {
            continue; // a member the command line has no flag for (the unknown-member vector)
        }
        // A member given as text is the file's text; anything else its JSON.
        let write = |name: &str, value: &serde_json::Value| {
            let file = tmp.join(name);
            let text = match value {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            std::fs::write(&file, text).unwrap();
            file.to_string_lossy().into_owned()
        };
        // A list of texts is one file per text (as the bundle reads them); anything else one file.
        let evidence: Vec<String> = match input.get("attestations") {
            Some(serde_json::Value::Array(items))
                if !items.is_empty() && items.iter().all(serde_json::Value::is_string) =>
            {
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| write(&format!("evidence-{i}.json"), item))
                    .collect()
            }
            other => vec![write(
                "evidence.json",
                other.unwrap_or(&serde_json::Value::Null),
            )],
        };
        let mut args: Vec<String> = vec!["evidence".into(), "inspect".into()];
        args.extend(evidence);
        args.extend([
            "--now".into(),
            input["now"].as_str().unwrap().into(),
            "--output".into(),
            "json".into(),
        ]);
        if let Some(attestors) = input.get("attestors") {
            args.extend(["--attestors".into(), write("attestors.json", attestors)]);
        }
        if let Some(trust) = input.get("trust") {
            args.extend(["--keys".into(), write("trust.json", trust)]);
        }
        if let Some(image) = input.get("image").and_then(|i| i.as_str()) {
            args.extend(["--image".into(), image.into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = vouch(&args);
        let name = path.file_name().unwrap();
        if let Some(expected) = case.get("expectError") {
            assert_eq!(out.status.code(), Some(2), "{name:?}");
            let error: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
            assert_eq!(error["error"]["code"], expected["code"], "{name:?}");
        } else {
            assert_eq!(out.status.code(), Some(0), "{name:?}: {}", stderr(&out));
            let golden =
                std::fs::read_to_string(root().join("testdata/golden/inspect").join(name)).unwrap();
            assert_eq!(stdout(&out), format!("{golden}\n"), "{name:?}");
        }
        checked += 1;
    }
    assert!(checked >= 8);
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn evidence_inspect_table_is_readable() {
    let out = vouch(&[
        "evidence",
        "inspect",
        "examples/describe-show-all-metadata.json",
        "--attestors",
        "examples/attestors.json",
        "--now",
        "2026-11-23T10:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // One block for the released image's digest, one line per item, a summary line.
    assert!(
        text.starts_with(
            "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a  (6 items)\n"
        ),
        "{text}"
    );
    for row in [
        "ATTESTATION       VERIFIED    EVIDENCE_VERIFIED",
        "DISCOVERY         UNSIGNED    SCAN_FINISHED",
        "VULNERABILITY     UNSIGNED    VULNERABILITY_FINDING",
        "CVE-2024-5535: severity CRITICAL, effective HIGH, fix available",
        "IMAGE_RECORD      UNSIGNED",
    ] {
        assert!(text.contains(row), "missing `{row}` in\n{text}");
    }
    assert!(text.ends_with("6 items read\n"), "{text}");
}

const CV_POLICY: &str = "projects/1234567890/platforms/gke/policies/my-policy";

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("vouch-platform-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn platform_evaluate_exit_codes_and_table() {
    let base = [
        "platform",
        "evaluate",
        "--policy",
        "examples/cv/policy.yaml",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        args.extend(["--now", "2022-11-22T01:44:28Z"]);
        vouch(&args)
    };
    // The default set (as gcloud's --image): the trusted directory only.
    let o = run(&[
        "--image",
        "us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("NON_CONFORMANT\n"), "{out}");
    assert!(
        out.contains("check set 2 \"Default check set\", default"),
        "{out}"
    );
    assert!(
        out.contains("NON_CONFORMANT  #0 TrustedDirectoryCheck \"My trusted directory check\""),
        "{out}"
    );
    let o = run(&[
        "--image",
        "us-central1-docker.pkg.dev/my-project/my-directory/api:1",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(r["verdict"], "CONFORMANT");
    // Exempt by the policy's allowlist.
    let o = run(&["--image", "gke.gcr.io/pause:3.9"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("exempt: policy allowlist `gke.gcr.io/**`"));
    // A workload's namespace selects its set; freshness without an upload time is ERROR.
    let fresh = temp_file(
        "fresh.yaml",
        "gkePolicy:\n  checkSets:\n  - checks:\n    - imageFreshnessCheck:\n        maxUploadAgeDays: 30\n",
    );
    let o = vouch(&[
        "platform",
        "evaluate",
        "--policy",
        &fresh,
        "--image",
        "gcr.io/p/app@sha256:0000000000000000000000000000000000000000000000000000000000000001",
        "--now",
        "2022-11-22T01:44:28Z",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    assert!(stdout(&o).starts_with("ERROR\n"));
}

#[test]
fn platform_evaluate_workload_and_errors() {
    let o = vouch(&[
        "platform",
        "evaluate",
        "--policy",
        "examples/cv/policy.yaml",
        "--workload",
        "examples/deployment.yaml",
        "--now",
        "2022-11-22T01:44:28Z",
        "--output",
        "json",
    ]);
    assert!(matches!(o.status.code(), Some(0 | 1 | 3)), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(r["results"][0]["kubernetesNamespace"].is_string(), "{r}");
    // A policy error points into the policy file.
    let bad = temp_file(
        "bad.yaml",
        "gkePolicy:\n  checkSets:\n  - checks:\n    - alwaysDeny: false\n",
    );
    let o = vouch(&[
        "platform", "evaluate", "--policy", &bad, "--image", "x", "--output", "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(e["error"]["code"], "PLATFORM_ALWAYS_DENY_FALSE");
    assert_eq!(
        e["error"]["path"],
        "/gkePolicy/checkSets/0/checks/0/alwaysDeny"
    );
    assert_eq!(e["error"]["file"], bad.as_str());
    // Usage: no image or workload, a bad tag resolution.
    let o = vouch(&[
        "platform",
        "evaluate",
        "--policy",
        "examples/cv/policy.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = vouch(&[
        "platform",
        "evaluate",
        "--policy",
        "examples/cv/policy.yaml",
        "--image",
        "x",
        "--tag-digest",
        "x",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("IMAGE=sha256"), "{}", stderr(&o));
}

fn cv_example(extra: &[&str]) -> Output {
    let policy = format!("{CV_POLICY}=examples/cv/policy.yaml");
    let mut args = vec![
        "cv",
        "--policy",
        &policy,
        "--pods",
        "examples/cv/pods.json",
        "--evidence",
        "examples/cv/evidence.json",
        "--now",
        "2022-11-22T01:44:28Z",
    ];
    args.extend(extra);
    vouch(&args)
}

#[test]
fn cv_prints_json_lines_errors_and_summary() {
    let o = cv_example(&["--cluster", "my-project/us-central1-a/my-cluster"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["severity"], "WARNING");
    assert_eq!(lines[0]["jsonPayload"]["podEvent"]["pod"], "hello-app");
    let err = stderr(&o);
    let errors: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("vouch: cv: error "))
        .collect();
    assert_eq!(errors.len(), 1, "{err}");
    let summary = err
        .lines()
        .find_map(|l| l.strip_prefix("vouch: cv: summary "))
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(summary).unwrap();
    assert_eq!(summary["pods"], 5);
    assert_eq!(summary["violations"][CV_POLICY], 3);
    // Without the cluster: bare events.
    let o = cv_example(&[]);
    assert!(stdout(&o).starts_with("{\"podEvent\":"), "{}", stdout(&o));
}

#[test]
fn cv_exit_codes_and_cluster_config() {
    let pod = |image: &str| {
        format!(
            r#"{{"kind": "Pod", "metadata": {{"name": "p", "namespace": "dev"}}, "spec": {{"containers": [{{"name": "c", "image": "{image}"}}]}}}}"#
        )
    };
    let policy = format!("{CV_POLICY}=examples/cv/policy.yaml");
    let run = |pods: &str, extra: &[&str]| {
        let mut args = vec![
            "cv",
            "--policy",
            &policy,
            "--pods",
            pods,
            "--now",
            "2022-11-22T01:44:28Z",
        ];
        args.extend(extra);
        vouch(&args)
    };
    let good = temp_file(
        "good.json",
        &pod("us-central1-docker.pkg.dev/my-project/my-directory/api:1"),
    );
    let o = run(&good, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    // Errors only: a Pod that cannot be read.
    let broken = temp_file(
        "broken.json",
        r#"{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "b"}, "spec": {}}]}"#,
    );
    let o = run(&broken, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("POD_SKIPPED"));
    // A cluster that does not run CV monitors nothing.
    let disabled = temp_file(
        "disabled.json",
        r#"{"binaryAuthorization": {"evaluationMode": "DISABLED"}}"#,
    );
    let bad = temp_file("bad-pod.json", &pod("docker.io/library/busybox:1"));
    let o = run(&bad, &["--cluster-config", &disabled]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("\"evaluationMode\":\"DISABLED\""));
    let o = run(&bad, &["--cluster-config", "examples/cv/cluster.json"]);
    assert_eq!(o.status.code(), Some(1));
    // A bound policy not given: a configuration error event.
    let other = temp_file(
        "other.json",
        r#"{"binaryAuthorization": {"evaluationMode": "POLICY_BINDINGS", "policyBindings": [{"name": "projects/1/platforms/gke/policies/gone"}]}}"#,
    );
    let o = run(
        &good,
        &["--cluster-config", &other, "--cluster", "p/us-central1-a/c"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(
        "Cannot monitor cluster 'us-central1-a.c': Resource projects/1/platforms/gke/policies/gone does not exist."
    ));
    // Configuration errors point at their file.
    let mode = temp_file("mode.json", r#"{"evaluationMode": "ON"}"#);
    let o = run(&good, &["--cluster-config", &mode]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("CLUSTER_INVALID_MODE at {mode}#/evaluationMode")),
        "{}",
        stderr(&o)
    );
    let o = vouch(&["cv", "--policy", "no-equals", "--pods", &good]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("NAME=FILE"));
}

#[test]
fn evaluate_with_a_cluster_config() {
    let disabled = temp_file(
        "eval-disabled.json",
        r#"{"binaryAuthorization": {"evaluationMode": "POLICY_BINDINGS", "policyBindings": [{"name": "projects/1/platforms/gke/policies/p"}]}}"#,
    );
    // The candidate is denied by the project policy ...
    let o = example("examples/deployment-candidate.yaml", &[]);
    assert_eq!(o.status.code(), Some(1));
    // ... but a cluster that only monitors admits it, and says so.
    let o = example(
        "examples/deployment-candidate.yaml",
        &["--cluster-config", &disabled],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("cluster: POLICY_BINDINGS, not enforced (CLUSTER_MONITORS_ONLY)"),
        "{out}"
    );
    assert!(out.contains("cluster monitors (vouch cv): projects/1/platforms/gke/policies/p"));
    let o = example(
        "examples/deployment-candidate.yaml",
        &[
            "--cluster-config",
            "examples/cv/cluster.json",
            "--output",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let d: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(d["cluster"]["enforced"], true);
    assert_eq!(
        d["cluster"]["evaluationMode"],
        "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE"
    );
    let bad = temp_file("eval-bad.json", r#"{"evaluationMode": "DRYRUN"}"#);
    let o = example("examples/deployment.yaml", &["--cluster-config", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("at {bad}#/evaluationMode")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cv_reports_progress_for_large_snapshots() {
    let items: Vec<String> = (0..2_001)
        .map(|i| {
            format!(
                r#"{{"kind": "Pod", "metadata": {{"name": "p{i}", "namespace": "dev"}}, "spec": {{"containers": [{{"name": "c", "image": "us-central1-docker.pkg.dev/my-project/my-directory/app-{}:1"}}]}}}}"#,
                i % 7
            )
        })
        .collect();
    let pods = temp_file(
        "large.json",
        &format!(r#"{{"kind": "List", "items": [{}]}}"#, items.join(",")),
    );
    let policy = format!("{CV_POLICY}=examples/cv/policy.yaml");
    let o = vouch(&[
        "cv",
        "--policy",
        &policy,
        "--pods",
        &pods,
        "--now",
        "2022-11-22T01:44:28Z",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("vouch: cv: evaluating 2001 Pods against 1 policy…\n"),
        "{err}"
    );
    // 7 distinct images under the default set.
    assert!(err.contains("\"pods\":2001,"), "{err}");
    assert!(err.contains("\"evaluations\":7,"), "{err}");
}
