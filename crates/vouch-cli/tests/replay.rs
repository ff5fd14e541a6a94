//! `vouch replay`: the hand-checked sample in `examples/replay/`, every input shape, the
//! accounting of a generated fleet log, determinism across threads, and the HTML report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use std::process::Command;

use common::{root, stderr, stdout, vouch};
use serde_json::{Value, json};

const CANDIDATE: &[&str] = &[
    "replay",
    "--policy",
    "examples/policy.yaml",
    "--attestors",
    "examples/attestors.json",
    "--evidence",
    "examples/attestations.json",
    "--progress",
    "never",
];

fn tmp(name: &str) -> String {
    std::env::temp_dir()
        .join(format!("vouch-replay-{}-{name}", std::process::id()))
        .display()
        .to_string()
}

fn records(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn summary_file(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The sample, line by line, checked by hand against examples/policy.yaml:
///
/// gke-audit.json (a `gcloud logging read --format=json` array):
///  1 prod, web@434be (CI + QA attested)        logged ALLOWED      → ALLOW        SAME
///  2 prod, web@3de6 (CI only)                  logged DENIED       → DENY         SAME
///  3 prod, a tag with break-glass              logged BREAK_GLASS  → BREAK_GLASS  SAME
///  4 staging (dry run), a tag                  logged DRY_RUN      → DRY_RUN      SAME
///  5 dev, web@434be (default: ALWAYS_DENY)     logged ALLOWED      → DENY         NEWLY_BLOCKED
///  6 dev, namespace sandbox (ALWAYS_ALLOW)     logged ALLOWED      → ALLOW        SAME
///  7 dev, allowlisted debug-tools image        logged ALLOWED      → ALLOW        SAME
///  8 prod, denied by PodSecurity               logged DENIED_OTHER → DENY         NOT_COMPARABLE
///  9 a Deployment creation                     skipped (NOT_A_POD)
/// 10 prod, tag in the request, digest 434be in the persisted Pod (a mutating webhook)
///                                              logged ALLOWED      → ALLOW        SAME, objectsDiffer
/// k8s-audit.jsonl (Kubernetes audit Events, --cluster prod):
///  1 RequestReceived                           skipped (INCOMPLETE_STAGE)
///  2 ResponseComplete, a tag                   logged ALLOWED      → DENY         NEWLY_BLOCKED
///  3 a truncated line                          malformed (INPUT_SYNTAX)
///  4 line 2 again                              duplicate
#[test]
fn the_hand_checked_sample_gives_the_hand_checked_answers() {
    let summary = tmp("sample-summary.json");
    let mut args = CANDIDATE.to_vec();
    args.extend([
        "--cluster",
        "us-central1-a.prod-cluster",
        "examples/replay/gke-audit.json",
        "examples/replay/k8s-audit.jsonl",
        "--summary",
        &summary,
    ]);
    let out = vouch(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Vec<(String, u64, String)> = records(&out)
        .iter()
        .map(|r| {
            let source = r["source"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            let what = r["change"]
                .as_str()
                .or(r["error"]["code"].as_str())
                .unwrap()
                .to_owned();
            (source, r["entry"].as_u64().unwrap(), what)
        })
        .collect();
    let expect: Vec<(String, u64, String)> = [
        ("gke-audit.json", 1, "SAME"),
        ("gke-audit.json", 2, "SAME"),
        ("gke-audit.json", 3, "SAME"),
        ("gke-audit.json", 4, "SAME"),
        ("gke-audit.json", 5, "NEWLY_BLOCKED"),
        ("gke-audit.json", 6, "SAME"),
        ("gke-audit.json", 7, "SAME"),
        ("gke-audit.json", 8, "NOT_COMPARABLE"),
        ("gke-audit.json", 10, "SAME"),
        ("k8s-audit.jsonl", 2, "NEWLY_BLOCKED"),
        ("k8s-audit.jsonl", 3, "INPUT_SYNTAX"),
    ]
    .iter()
    .map(|(s, n, w)| ((*s).to_owned(), *n, (*w).to_owned()))
    .collect();
    assert_eq!(got, expect);
    let all = records(&out);
    assert_eq!(all[1]["decidedFrom"], "REQUEST");
    assert_eq!(all[7]["logged"]["outcome"], "DENIED_OTHER");
    assert_eq!(
        all[8]["objectsDiffer"]["request"],
        json!(["us-docker.pkg.dev/example-project/app/web:v1.5.0"])
    );
    assert_eq!(all[9]["cluster"], "us-central1-a.prod-cluster");

    let s = summary_file(&summary);
    for (key, value) in [
        ("entries", 14),
        ("events", 10),
        ("skipped", 2),
        ("malformed", 1),
        ("duplicates", 1),
        ("objectsDiffer", 1),
    ] {
        assert_eq!(s[key], value, "{key}");
    }
    assert_eq!(
        s["changes"],
        json!({"NEWLY_BLOCKED": 2, "NOT_COMPARABLE": 1, "SAME": 7})
    );
    assert_eq!(
        s["skippedByReason"],
        json!({"INCOMPLETE_STAGE": 1, "NOT_A_POD": 1})
    );
    assert_eq!(
        s["byCluster"]["europe-west1-b.dev-cluster"],
        json!({"events": 3, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0})
    );
    assert_eq!(s["topNewlyBlockedNamespaces"][0]["events"], 1);
    assert!(stderr(&out).contains("vouch: replay: summary {"));
    let _ = std::fs::remove_file(summary);
}

#[test]
fn a_baseline_replaces_the_logged_outcomes() {
    let summary = tmp("baseline-summary.json");
    let mut args = CANDIDATE.to_vec();
    args.extend([
        "--baseline",
        "examples/replay/current-policy.yaml",
        "--cluster",
        "us-central1-a.prod-cluster",
        "examples/replay/gke-audit.json",
        "examples/replay/k8s-audit.jsonl",
        "--summary",
        &summary,
    ]);
    let out = vouch(&args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = summary_file(&summary);
    // Only the dev cluster's default rule changes: the current policy allows by default.
    assert_eq!(s["changes"], json!({"NEWLY_BLOCKED": 1, "SAME": 9}));
    assert_eq!(s["reference"], json!({"BASELINE": 10}));
    let _ = std::fs::remove_file(summary);
}

#[test]
fn json_lines_an_array_and_one_pretty_entry_read_alike() {
    let sample: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/replay/gke-audit.json")).unwrap(),
    )
    .unwrap();
    let lines = tmp("lines.jsonl");
    let text: String = sample.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(&lines, text).unwrap();
    let pretty = tmp("one.json");
    std::fs::write(&pretty, serde_json::to_string_pretty(&sample[4]).unwrap()).unwrap();
    let run = |file: &str| {
        let mut args = CANDIDATE.to_vec();
        args.push(file);
        let out = vouch(&args);
        records(&out)
            .into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("source");
                r
            })
            .collect::<Vec<_>>()
    };
    let from_array = run("examples/replay/gke-audit.json");
    assert_eq!(run(&lines), from_array);
    let one = run(&pretty);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["change"], "NEWLY_BLOCKED");
    assert_eq!(one[0]["id"], from_array[4]["id"]);
    let _ = std::fs::remove_file(lines);
    let _ = std::fs::remove_file(pretty);
}

#[test]
fn a_snapshot_replays_every_running_pod() {
    let mut args = CANDIDATE.to_vec();
    args.extend([
        "--cluster",
        "us-central1-a.prod-cluster",
        "examples/cv/pods.json",
    ]);
    let out = vouch(&args);
    let all = records(&out);
    assert!(!all.is_empty(), "{}", stderr(&out));
    assert!(
        all.iter()
            .all(|r| r["logged"]["outcome"] == "RUNNING" || r["error"].is_object())
    );
    assert!(all.iter().any(|r| r["format"] == "SNAPSHOT"));
}

#[test]
fn strict_stops_at_the_first_malformed_entry() {
    let mut args = CANDIDATE.to_vec();
    args.extend(["--strict", "examples/replay/k8s-audit.jsonl"]);
    let out = vouch(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("INPUT_SYNTAX at examples/replay/k8s-audit.jsonl#(entry 3)"),
        "{}",
        stderr(&out)
    );
    // The records before it are written (entry 1 is skipped: not a deployment), as Python
    // yields them before it raises.
    let entries: Vec<Value> = records(&out).iter().map(|r| r["entry"].clone()).collect();
    assert_eq!(entries, vec![json!(2)]);
}

#[test]
fn configuration_errors_exit_2_with_the_file_and_path() {
    let out = vouch(&[
        "replay",
        "--policy",
        "examples/policy.yaml",
        "examples/replay/k8s-audit.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("POLICY_UNKNOWN_ATTESTOR at examples/policy.yaml#/"));
    let mut args = CANDIDATE.to_vec();
    args.extend(["--cluster", "prod", "examples/replay/k8s-audit.jsonl"]);
    assert_eq!(vouch(&args).status.code(), Some(2));
    let mut args = CANDIDATE.to_vec();
    args.push("examples/replay/missing.jsonl");
    let out = vouch(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("INPUT_UNREADABLE"),
        "{}",
        stderr(&out)
    );
}

/// A generated fleet log (scripts/replay/gen_fleet_log.py: controllers, many namespaces, tags
/// and digests, break-glass, dry run, denials, GKE and Distributed Cloud label keys, Kubernetes
/// audit Events and BigQuery rows, entries that are not deployments, malformed lines and
/// duplicates): every line is accounted for as the generator counted it, and the output is the
/// same on one thread and on four.
#[test]
fn a_generated_fleet_log_is_accounted_for_line_by_line_on_any_number_of_threads() {
    let log = tmp("fleet.jsonl");
    let generated = Command::new("python3")
        .args([
            "scripts/replay/gen_fleet_log.py",
            "--events",
            "3000",
            "--out",
            &log,
        ])
        .current_dir(root())
        .status();
    let Ok(status) = generated else {
        eprintln!("SKIPPED: python3 is not installed");
        return;
    };
    assert!(status.success());
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{log}.expect.json")).unwrap())
            .unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let summary = tmp(&format!("fleet-summary-{threads}.json"));
        let html = tmp(&format!("fleet-{threads}.html"));
        let mut args = CANDIDATE.to_vec();
        args.extend([
            "--threads",
            threads,
            &log,
            "--summary",
            &summary,
            "--html",
            &html,
        ]);
        let out = vouch(&args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let s = summary_file(&summary);
        assert_eq!(s["entries"], expect["lines"]);
        assert_eq!(s["events"], expect["deployments"]);
        assert_eq!(s["skipped"], expect["skipped"]);
        assert_eq!(s["malformed"], expect["malformed"]);
        assert_eq!(s["duplicates"], expect["duplicates"]);
        let lines = stdout(&out).lines().count() as u64;
        assert_eq!(
            lines,
            expect["deployments"].as_u64().unwrap() + expect["malformed"].as_u64().unwrap()
        );
        // Both label families and every input shape were read.
        for outcome in ["ALLOWED", "DENIED", "DRY_RUN", "BREAK_GLASS"] {
            assert!(s["logged"][outcome].as_u64().unwrap() > 0, "{outcome}");
        }
        let text = stdout(&out);
        for format in ["CLOUD_AUDIT_LOG", "KUBERNETES_AUDIT", "BIGQUERY"] {
            assert!(
                text.contains(&format!("\"format\":\"{format}\"")),
                "{format}"
            );
        }
        let report = std::fs::read_to_string(&html).unwrap();
        assert!(report.starts_with("<!doctype html>"));
        assert!(!report.contains("<script"), "the report runs no script");
        assert!(
            !report.contains("http://") && !report.contains("https://"),
            "the report needs no network"
        );
        outputs.push((text, std::fs::read_to_string(&summary).unwrap(), report));
        let _ = std::fs::remove_file(summary);
        let _ = std::fs::remove_file(html);
    }
    assert!(
        outputs[0] == outputs[1],
        "one thread and four give the same bytes"
    );
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(format!("{log}.expect.json"));
}

fn sample_lines() -> Vec<String> {
    let sample: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/replay/gke-audit.json")).unwrap(),
    )
    .unwrap();
    sample.iter().map(Value::to_string).collect()
}

fn replay_summary(paths: &[&str]) -> (std::process::Output, Value) {
    let summary = tmp(&format!("split-{}.json", paths.len()));
    let mut args = CANDIDATE.to_vec();
    args.extend(paths);
    args.extend(["--summary", &summary]);
    let out = vouch(&args);
    let s = summary_file(&summary);
    let _ = std::fs::remove_file(summary);
    (out, s)
}

/// What an adversarial review found in how files are split into entries: every line and every
/// array element is one entry, whatever comes first or after.
#[test]
fn every_line_and_element_is_one_entry_whatever_surrounds_it() {
    let lines = sample_lines();
    // A bad first line, after two blank lines: JSON lines all the same, numbered by line.
    let bad_first = tmp("bad-first.jsonl");
    std::fs::write(
        &bad_first,
        format!("\n\n{{\"truncated\": \n{}\n", lines.join("\n")),
    )
    .unwrap();
    let (out, s) = replay_summary(&[&bad_first]);
    assert_eq!(s["entries"], 11, "{}", stderr(&out));
    assert_eq!(s["malformed"], 1);
    let first = &records(&out)[0];
    assert_eq!(
        (first["entry"].as_u64(), first["error"]["code"].as_str()),
        (Some(3), Some("INPUT_SYNTAX"))
    );
    assert_eq!(records(&out)[1]["entry"], 4);
    // Two arrays appended (`gcloud logging read --format=json >> log.json`), then garbage.
    let appended = tmp("appended.json");
    let array = format!("[{}]", lines.join(",\n"));
    std::fs::write(&appended, format!("{array}\n{array}\n{{\"x\": 1}}")).unwrap();
    let (out, s) = replay_summary(&[&appended]);
    assert_eq!(s["entries"], 21, "{}", stderr(&out));
    assert_eq!(
        s["duplicates"], 9,
        "the second array's events are duplicates of the first's"
    );
    let last = records(&out).last().cloned().unwrap();
    assert_eq!(
        (last["entry"].as_u64(), last["error"]["code"].as_str()),
        (Some(21), Some("INPUT_SYNTAX"))
    );
    // A file that is not UTF-8 (PowerShell's `>`) is one malformed entry; the others are read.
    let dir = tmp("mixed");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/a.jsonl"), lines.join("\n")).unwrap();
    std::fs::write(format!("{dir}/b.json"), [0xFF, 0xFE, b'[', 0, b'{', 0]).unwrap();
    // A link to the folder itself is not followed (it would never end).
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", format!("{dir}/loop")).unwrap();
    let (out, s) = replay_summary(&[&dir]);
    assert_eq!(s["entries"], 11, "{}", stderr(&out));
    assert_eq!(s["malformedByCode"], json!({"INPUT_ENCODING": 1}));
    let _ = std::fs::remove_dir_all(&dir);
    for f in [bad_first, appended] {
        let _ = std::fs::remove_file(f);
    }
}

/// Every `log` vector of the shared suite (testdata/vectors/replay/1NN-log-…), its log written
/// to a file and its configuration to files: `vouch replay` prints the golden records (with the
/// file's name as their source) and the golden summary. The command and the document entry
/// point (what Python and WebAssembly call) read a log through the same splitter.
#[test]
fn the_log_vectors_give_the_same_records_from_a_file() {
    use base64::Engine as _;
    let dir = root().join("testdata/vectors/replay");
    let mut checked = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let input = &case["input"];
        if case.get("expectError").is_some() {
            continue;
        }
        let bytes = match (&input["log"], &input["logBase64"]) {
            (Value::String(text), _) => text.as_bytes().to_vec(),
            (_, Value::String(b64)) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
            _ => continue,
        };
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let log = tmp(&format!("{name}.log"));
        std::fs::write(&log, &bytes).unwrap();
        let mut args = vec!["replay".to_owned(), "--progress".into(), "never".into()];
        for (member, flag) in [
            ("policy", "--policy"),
            ("attestors", "--attestors"),
            ("attestations", "--evidence"),
        ] {
            let file = tmp(&format!("{name}.{member}.json"));
            std::fs::write(&file, input[member].to_string()).unwrap();
            args.extend([flag.to_owned(), file]);
        }
        if let Value::String(cluster) = &input["cluster"] {
            args.extend(["--cluster".to_owned(), cluster.clone()]);
        }
        let summary = tmp(&format!("{name}.summary.json"));
        args.extend(["--summary".to_owned(), summary.clone(), log.clone()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = vouch(&args);
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 3)),
            "{name}: {}",
            stderr(&out)
        );
        let golden: Value = serde_json::from_str(
            &std::fs::read_to_string(
                root()
                    .join("testdata/golden/replay")
                    .join(format!("{name}.json")),
            )
            .unwrap(),
        )
        .unwrap();
        let mut ours = records(&out);
        for record in &mut ours {
            assert_eq!(record["source"], json!(log), "{name}");
            record["source"] = json!("log");
        }
        assert_eq!(json!(ours), golden["records"], "{name}: records");
        assert_eq!(summary_file(&summary), golden["summary"], "{name}: summary");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} log vectors");
}
