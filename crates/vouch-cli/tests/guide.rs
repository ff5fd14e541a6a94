//! Every command of `docs/guides/pipeline.md` runs, in order, and gives the verdicts the guide
//! describes.

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

#[test]
fn pipeline_guide_runs() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/guides/pipeline.md");
    let blocks = sh_blocks(&std::fs::read_to_string(guide).unwrap());
    assert!(blocks.len() >= 10, "the guide lost its commands");
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let dir = std::env::temp_dir().join(format!("vouch-guide-{}", std::process::id()));
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
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the guide's commands failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
