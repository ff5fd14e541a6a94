//! Every command of each guide in `docs/guides/` runs, in order, and gives the results the
//! guide describes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use std::path::Path;
use std::process::Command;

/// The `sh` blocks of a Markdown file, in order.
fn sh_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// Runs the `sh` blocks of `docs/guides/NAME` in a fresh directory with `vouch` on the `PATH`;
/// its standard output (the test fails when a command fails).
fn run_guide(name: &str) -> String {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/guides")
        .join(name);
    let blocks = sh_blocks(&std::fs::read_to_string(guide).unwrap());
    assert!(blocks.len() >= 5, "{name} lost its commands");
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let stem = name.trim_end_matches(".md");
    let dir = std::env::temp_dir().join(format!("vouch-guide-{stem}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_vouch")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(&dir)
        .env("PATH", path)
        .env(
            "EXAMPLES",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples"),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the commands of {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    stdout
}

#[test]
fn pipeline_guide_runs() {
    let stdout = run_guide("pipeline.md");
    let verdicts: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(v, _)| v))
        .filter(|v| matches!(*v, "ALLOW" | "DENY" | "DRY_RUN_ALLOW" | "BREAK_GLASS_ALLOW"))
        .collect();
    assert_eq!(
        verdicts,
        [
            "ALLOW",             // QA cluster, build signed
            "DRY_RUN_ALLOW",     // prod in dry run, QA and canary missing
            "DENY",              // canary without QA
            "ALLOW",             // canary after QA
            "ALLOW",             // prod (dry run) with all three
            "ALLOW",             // prod enforced, released digest
            "DENY",              // prod enforced, another digest
            "DENY",              // prod enforced, a tag
            "BREAK_GLASS_ALLOW", // emergency
        ],
        "{stdout}"
    );
    assert!(stdout.contains("warning: DRY_RUN_RULE"));
    assert!(
        stdout.contains("1 files, 1 workloads, 1 containers: 0 workloads denied, 0 errors"),
        "{stdout}"
    );
}

#[test]
fn platform_policies_guide_runs() {
    let stdout = run_guide("platform-policies.md");
    assert!(
        stdout.contains(
            "warning: PLATFORM_SET_WITHOUT_CHECKS at platform.yaml#/gkePolicy/checkSets/1"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("platform.yaml: valid, 1 warning"),
        "{stdout}"
    );
    // One workload: the project policy admits it, the platform policy finds it conformant.
    assert!(
        stdout.contains("ALLOW  namespace rule `payments`"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("CONFORMANT") && l.contains("pod web, namespace payments")),
        "{stdout}"
    );
    // CV: two entries (worker, debug), before and after binding.
    let counts: Vec<&str> = stdout.lines().filter(|l| l.trim() == "2").collect();
    assert_eq!(counts.len(), 2, "{stdout}");
    assert!(stdout.contains("\"pod\": \"worker-9c2kq\""), "{stdout}");
    assert!(
        stdout.contains("cluster: POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE"),
        "{stdout}"
    );
}

#[test]
fn replay_guide_runs() {
    let stdout = run_guide("replay.md");
    let lines: Vec<&str> = stdout.lines().collect();
    let changed: Vec<String> = lines
        .iter()
        .filter(|l| {
            l.starts_with("NEWLY_") || l.starts_with("NOT_COMPARABLE") || l.starts_with("MALFORMED")
        })
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            format!("{} {}", words[0], words[2])
        })
        .collect();
    assert_eq!(
        changed,
        [
            "NEWLY_BLOCKED team-a",
            "NOT_COMPARABLE team-a",
            "NEWLY_BLOCKED team-d",
            "MALFORMED 3",
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("{'NEWLY_BLOCKED': 2, 'NOT_COMPARABLE': 1, 'SAME': 7} {'blocked': 1, 'events': 3, 'newlyAdmitted': 0, 'newlyBlocked': 1}"),
        "{stdout}"
    );
    assert!(lines.contains(&"5"), "{stdout}");
    assert!(
        stdout.contains("{'NEWLY_BLOCKED': 1, 'SAME': 9}"),
        "{stdout}"
    );
}
