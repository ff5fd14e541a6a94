//! The README's `vouch` command lines run, and give the verdict their comment states
//! (`# ALLOW …`, `# DENY …`): the examples a reader copies are the examples that work.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::root;
use std::process::Command;

/// Every line of a ```sh block that runs `vouch` and states a verdict in its comment.
fn commands(readme: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let Some(rest) = line.strip_prefix("vouch ") else {
            continue;
        };
        let (command, comment) = rest.split_once('#').unwrap_or((rest, ""));
        let verdict = comment.split_whitespace().next().unwrap_or_default();
        let verdict = verdict.trim_end_matches(':').to_owned();
        if ["ALLOW", "DENY", "DRY_RUN_ALLOW", "BREAK_GLASS_ALLOW"].contains(&verdict.as_str()) {
            let args = command.split_whitespace().map(str::to_owned).collect();
            out.push((args, verdict));
        }
    }
    out
}

#[test]
fn readme_commands_give_the_verdicts_they_state() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let found = commands(&readme);
    assert!(
        found.len() >= 3,
        "expected the README's Cloud Run commands, found {found:?}"
    );
    for (args, verdict) in found {
        let o = Command::new(env!("CARGO_BIN_EXE_vouch"))
            .args(&args)
            .current_dir(root())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&o.stdout);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let code = if verdict == "DENY" { 1 } else { 0 };
        assert_eq!(
            o.status.code(),
            Some(code),
            "`vouch {}`: {stdout}{stderr}",
            args.join(" ")
        );
        assert_eq!(
            stdout.split_whitespace().next(),
            Some(verdict.as_str()),
            "`vouch {}`: {stdout}",
            args.join(" ")
        );
    }
}

#[test]
fn commands_are_found_only_in_sh_blocks() {
    let text = "vouch evaluate --x # ALLOW\n```sh\nvouch evaluate --a b  # DENY: why\necho no # ALLOW\nvouch lint # nothing\n```\n```text\nvouch evaluate # ALLOW\n```\n";
    assert_eq!(
        commands(text),
        vec![(
            vec!["evaluate".to_owned(), "--a".to_owned(), "b".to_owned()],
            "DENY".to_owned()
        )]
    );
}
