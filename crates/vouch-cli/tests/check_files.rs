//! `vouch check DIR` reads the files and objects `kubectl apply -f DIR` reads: hidden files and
//! folders, `.json`/`.yaml`/`.yml` only in a folder, subfolders only with `-R`, links judged by
//! their own name and never followed into folders, lists expanded by their `items`, JSON
//! streams; and it lists what it skipped and why. `differential/test_kubectl_dir.py` checks
//! the same against the real kubectl.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const POLICY: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nglobalPolicyEvaluationMode: DISABLE\n";
const IMAGE: &str =
    "gcr.io/p/app@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pod(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - {{name: c, image: '{IMAGE}'}}\n"
    )
}

fn json_pod(name: &str) -> String {
    format!(
        r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"{name}"}},"spec":{{"containers":[{{"name":"c","image":"{IMAGE}"}}]}}}}"#
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The tree of the tests (and of the differential test's first case).
fn tree(name: &str) -> PathBuf {
    let root = tempdir(name);
    let d = root.join("d");
    write(
        &d.join("a.yaml"),
        &format!(
            "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm}}\n",
            pod("a")
        ),
    );
    write(&d.join(".hidden.yaml"), &pod("hidden"));
    // UTF-16 with a byte-order mark, as kubectl's file visitor decodes it.
    let utf16: Vec<u8> = [0xfeff_u16]
        .into_iter()
        .chain(pod("utf16").encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(d.join("utf16.yaml"), utf16).unwrap();
    write(&d.join(".yaml"), &pod("dotyaml"));
    write(&d.join(".dir/p.yaml"), &pod("in-hidden-dir"));
    write(&d.join("b.yml"), &pod("yml"));
    write(
        &d.join("c.json"),
        &format!("{}\n{}\n", json_pod("j1"), json_pod("j2")),
    );
    write(&d.join("notes.txt"), &pod("txt"));
    write(&d.join("upper.YAML"), &pod("upper"));
    write(&d.join("sub/deep.yaml"), &pod("deep"));
    write(
        &d.join("list.yaml"),
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: li}\n  spec: {containers: [{name: c, image: x}]}\n",
    );
    // Any object with `items` is a list to kubectl, whatever its kind.
    write(
        &d.join("smuggle.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: innocent}\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: smuggled}\n  spec: {containers: [{name: c, image: x}]}\n",
    );
    // Bare items of a `PodList` are Pods.
    write(
        &d.join("podlist.yaml"),
        "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: bare}\n  spec: {containers: [{name: c, image: x}]}\n",
    );
    write(&root.join("outside/target.yaml"), &pod("linked"));
    std::os::unix::fs::symlink("../outside/target.yaml", d.join("link.yaml")).unwrap();
    std::os::unix::fs::symlink("../outside", d.join("linkdir")).unwrap();
    root
}

fn check(dir: &Path, args: &[&str]) -> Output {
    let policy = dir.join("policy.yaml");
    std::fs::write(&policy, POLICY).unwrap();
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .arg("check")
        .args(args)
        .args(["--policy", policy.to_str().unwrap()])
        .args(["--now", "2026-11-23T10:00:00Z"])
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `(file, object, outcome or skip code)` of every JSON row, in order.
fn rows(o: &Output) -> Vec<(String, String, String)> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let what = match v["outcome"].as_str().unwrap() {
                "SKIPPED" => v["skipped"]["code"].as_str().unwrap().to_owned(),
                "ERROR" => format!("ERROR {}", v["error"]["code"].as_str().unwrap()),
                other => other.to_owned(),
            };
            (
                v["file"].as_str().unwrap().to_owned(),
                v["object"].as_str().unwrap().to_owned(),
                what,
            )
        })
        .collect()
}

fn row(file: &str, object: &str, what: &str) -> (String, String, String) {
    (file.into(), object.into(), what.into())
}

#[test]
fn a_folder_is_read_as_kubectl_apply_reads_it() {
    let root = tree("check-kubectl");
    let o = check(&root, &["d", "--output", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        rows(&o),
        [
            row("d/.dir", "", "FOLDER_NOT_RECURSIVE"),
            row("d/.hidden.yaml", "Pod/hidden", "CONFORMANT"),
            row("d/.yaml", "Pod/dotyaml", "CONFORMANT"),
            row("d/a.yaml", "Pod/a", "CONFORMANT"),
            row("d/a.yaml", "ConfigMap/cm", "NOT_A_WORKLOAD"),
            row("d/b.yml", "Pod/yml", "CONFORMANT"),
            row("d/c.json", "Pod/j1", "CONFORMANT"),
            row("d/c.json", "Pod/j2", "CONFORMANT"),
            row("d/link.yaml", "Pod/linked", "CONFORMANT"),
            row("d/linkdir", "", "SYMLINK_NOT_FOLLOWED"),
            row("d/list.yaml", "Pod/li", "CONFORMANT"),
            row("d/notes.txt", "", "NOT_A_MANIFEST_EXTENSION"),
            row("d/podlist.yaml", "Pod/bare", "CONFORMANT"),
            row("d/smuggle.yaml", "Pod/smuggled", "CONFORMANT"),
            row("d/sub", "", "FOLDER_NOT_RECURSIVE"),
            row("d/upper.YAML", "", "NOT_A_MANIFEST_EXTENSION"),
            row("d/utf16.yaml", "Pod/utf16", "CONFORMANT"),
        ]
    );
}

#[test]
fn recursive_walks_every_subfolder_but_never_a_linked_one() {
    let root = tree("check-kubectl-r");
    for flag in ["-R", "--recursive"] {
        let o = check(&root, &["d", flag, "--output", "json"]);
        assert_eq!(o.status.code(), Some(0));
        let rows = rows(&o);
        let objects: Vec<&str> = rows
            .iter()
            .filter(|r| r.2 == "CONFORMANT")
            .map(|r| r.1.as_str())
            .collect();
        assert_eq!(
            objects,
            [
                "Pod/in-hidden-dir",
                "Pod/hidden",
                "Pod/dotyaml",
                "Pod/a",
                "Pod/yml",
                "Pod/j1",
                "Pod/j2",
                "Pod/linked",
                "Pod/li",
                "Pod/bare",
                "Pod/smuggled",
                "Pod/deep",
                "Pod/utf16"
            ]
        );
        assert!(rows.contains(&row("d/linkdir", "", "SYMLINK_NOT_FOLLOWED")));
        assert!(!rows.iter().any(|r| r.2 == "FOLDER_NOT_RECURSIVE"));
    }
}

#[test]
fn the_table_lists_what_was_skipped_and_why() {
    let root = tree("check-kubectl-table");
    let o = check(&root, &["d"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    for needle in [
        "d/sub",
        "FOLDER_NOT_RECURSIVE: a subfolder: kubectl reads subfolders only with -R/--recursive",
        "d/notes.txt",
        "NOT_A_MANIFEST_EXTENSION",
        "ConfigMap/cm",
        "NOT_A_WORKLOAD",
        "SYMLINK_NOT_FOLLOWED",
        "10 files, 11 workloads, 11 containers: 0 workloads denied, 0 errors, 6 skipped",
    ] {
        assert!(out.contains(needle), "{needle} in\n{out}");
    }
}

#[test]
fn a_file_named_explicitly_is_read_whatever_its_extension() {
    let root = tree("check-kubectl-explicit");
    let o = check(&root, &["d/notes.txt", "d/sub", "--output", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        rows(&o),
        [
            row("d/notes.txt", "Pod/txt", "CONFORMANT"),
            row("d/sub/deep.yaml", "Pod/deep", "CONFORMANT")
        ]
    );
}

#[test]
fn what_kubectl_refuses_is_an_error_never_skipped_quietly() {
    let root = tempdir("check-kubectl-refused");
    write(&root.join("d/nokind.yaml"), "metadata: {name: x}\n");
    write(
        &root.join("d/nested.yaml"),
        "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n",
    );
    write(&root.join("d/scalar.json"), "[1, 2]\n");
    write(&root.join("d/linkdir.yaml/x.yaml"), &pod("x"));
    write(&root.join("d/broken.yml"), &pod("y"));
    std::fs::remove_file(root.join("d/broken.yml")).unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", root.join("d/broken.yml")).unwrap();
    let o = check(&root, &["d", "--output", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        rows(&o),
        [
            row("d/broken.yml", "", "ERROR INPUT_UNREADABLE"),
            row("d/linkdir.yaml", "", "FOLDER_NOT_RECURSIVE"),
            row(
                "d/nested.yaml",
                "document 1 item 0",
                "ERROR REQUEST_INVALID_VALUE"
            ),
            row("d/nokind.yaml", "document 1", "ERROR REQUEST_MISSING_FIELD"),
            row("d/scalar.json", "document 1", "ERROR REQUEST_INVALID_TYPE"),
        ]
    );
    // A folder with no manifest at all is refused, as kubectl refuses it.
    std::fs::create_dir_all(root.join("empty")).unwrap();
    write(&root.join("empty/README.md"), "nothing\n");
    let o = check(&root, &["empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("INPUT_UNREADABLE"));
}

#[test]
fn a_path_that_does_not_exist_is_a_glob_pattern_as_in_kubectl() {
    let root = tree("check-kubectl-glob");
    let o = check(&root, &["d/*.y*ml", "d/s?b", "d/[.]d*", "--output", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let objects: Vec<String> = rows(&o)
        .into_iter()
        .filter(|r| r.2 == "CONFORMANT")
        .map(|r| r.1)
        .collect();
    assert_eq!(
        objects,
        [
            "Pod/hidden",
            "Pod/dotyaml",
            "Pod/a",
            "Pod/yml",
            "Pod/linked",
            "Pod/li",
            "Pod/bare",
            "Pod/smuggled",
            "Pod/utf16",
            "Pod/deep",
            "Pod/in-hidden-dir"
        ]
    );
    let o = check(&root, &["d/*.nothing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    let o = check(&root, &["d/[a"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("INPUT_USAGE"));
}

#[test]
fn a_dash_is_standard_input_once() {
    let root = tempdir("check-kubectl-stdin");
    std::fs::write(root.join("policy.yaml"), POLICY).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["check", "-", "--policy", "policy.yaml", "--output", "json"])
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(pod("from-stdin").as_bytes()).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(rows(&o), [row("-", "Pod/from-stdin", "CONFORMANT")]);
    let o = check(&root, &["-", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("standard input"));
}

/// A configuration error names the file its subject is about, with the path inside that file:
/// the policy (also for an attestor it requires that no file gives), the attestor, system
/// policy or attestation file being read, and `attestors` for the set read from all files.
#[test]
fn configuration_errors_name_the_file_of_their_subject() {
    let root = tempdir("check-config-errors");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let ex = |name: &str| examples.join(name).to_str().unwrap().to_owned();
    write(&root.join("pod.yaml"), &pod("p"));
    write(&root.join("bad.json"), "{\"name\": ");
    write(&root.join("sys.yaml"), "admissionWhitelistPatterns: 3\n");
    let error = |args: &[&str]| -> Value {
        let o = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(["check", "pod.yaml", "--now", "2026-11-23T10:00:00Z"])
            .args(["--output", "json"])
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        serde_json::from_slice::<Value>(&o.stdout).unwrap()["error"].clone()
    };
    let (policy, attestors) = (ex("policy.yaml"), ex("attestors.json"));
    let at = |e: &Value| {
        (
            e["code"].as_str().unwrap().to_owned(),
            e["file"].as_str().unwrap().to_owned(),
            e["path"].as_str().unwrap().to_owned(),
        )
    };
    let s = |c: &str, f: &str, p: &str| (c.to_owned(), f.to_owned(), p.to_owned());
    let invalid = ex("policy-invalid.yaml");
    assert_eq!(
        at(&error(&["--policy", &invalid])),
        s(
            "POLICY_INVALID_PATTERN",
            &invalid,
            "/admissionWhitelistPatterns/0/namePattern"
        )
    );
    assert_eq!(
        at(&error(&["--policy", &policy])),
        s(
            "POLICY_UNKNOWN_ATTESTOR",
            &policy,
            "/clusterAdmissionRules/us-central1-a.prod-cluster/requireAttestationsBy/0"
        )
    );
    let base = ["--policy", &policy, "--attestors", &attestors];
    let with = |more: &[&str]| error(&[&base[..], more].concat());
    assert_eq!(
        at(&with(&["--attestors", "bad.json"])),
        s("INPUT_SYNTAX", "bad.json", "")
    );
    assert_eq!(
        at(&with(&["--attestors", &attestors])),
        s("ATTESTOR_DUPLICATE", "attestors", "/2/name")
    );
    assert_eq!(
        at(&with(&["--system-policy", "sys.yaml"])),
        s(
            "POLICY_INVALID_TYPE",
            "sys.yaml",
            "/admissionWhitelistPatterns"
        )
    );
    assert_eq!(
        at(&with(&["--attestations", "bad.json"])),
        s("INPUT_SYNTAX", "bad.json", "")
    );
    assert_eq!(
        at(&with(&["--attestations", "missing.json"])),
        s("INPUT_UNREADABLE", "missing.json", "")
    );
}
