//! What every test of the `vouch` binary needs: the repository root, and running the binary
//! there.

#![allow(dead_code, reason = "each test file uses its own subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (examples and testdata are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root exists")
}

/// Runs `vouch ARGS` in `dir`.
pub fn vouch_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the vouch binary runs")
}

/// Runs `vouch ARGS` at the repository root.
pub fn vouch(args: &[&str]) -> Output {
    vouch_in(&root(), args)
}

/// The output's stdout, as UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// The output's stderr, as UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}
