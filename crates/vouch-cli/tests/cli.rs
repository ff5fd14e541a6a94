//! The `vouch` binary, end to end: exit codes, outputs, error mapping, and agreement with the
//! library on every shared vector.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn vouch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

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
