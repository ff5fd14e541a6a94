//! Every budget of `vouch::Limits` is enforced with its own error code, and hostile inputs are
//! rejected without the memory they ask for (peak resident memory is checked on Linux).
//! Speed is measured by `benches/`, not asserted here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests; the rejection times are printed for docs/robustness.md"
)]

use serde_json::json;
use vouch::{Bundle, ErrorCode, Limits};

/// Peak resident set size of this process, in KiB (Linux), to bound what a call allocated.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `f`, checks that peak memory grew by at most `budget_mib`, and prints (does not assert)
/// how long it took, for docs/robustness.md (`-- --nocapture`).
fn assert_bounded<T>(what: &str, budget_mib: u64, f: impl FnOnce() -> T) -> T {
    let before = peak_rss_kib();
    let started = std::time::Instant::now();
    let out = f();
    let elapsed = started.elapsed();
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        let grown = a.saturating_sub(b) / 1024;
        eprintln!("limits: {what} rejected in {elapsed:.1?}, peak memory +{grown} MiB");
        assert!(
            grown <= budget_mib,
            "{what}: peak memory grew by {grown} MiB (budget {budget_mib} MiB)"
        );
    }
    out
}

fn code(json: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["error"]["code"]
        .as_str()
        .unwrap_or("(a decision)")
        .to_owned()
}

#[test]
fn hundred_megabyte_input_is_refused_before_parsing() {
    let mut text = String::with_capacity(100 * 1024 * 1024 + 16);
    text.push_str("{\"policy\": \"");
    text.extend(std::iter::repeat_n('a', 100 * 1024 * 1024));
    text.push_str("\"}");
    let out = assert_bounded("100 MB input", 4, || vouch::evaluate_bundle(&text));
    assert_eq!(code(&out), "INPUT_TOO_LARGE");
}

#[test]
fn ten_thousand_deep_nesting_is_refused() {
    let json_deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let yaml_deep = "- ".repeat(10_000) + "x\n";
    let flow_deep = format!("policy: {}{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    for (name, text) in [
        ("json", json_deep),
        ("yaml", yaml_deep),
        ("yaml flow", flow_deep),
    ] {
        let out = assert_bounded(name, 16, || vouch::evaluate_bundle(&text));
        assert_eq!(code(&out), "INPUT_TOO_DEEP", "{name}");
    }
}

#[test]
fn alias_bomb_is_refused() {
    // Eleven levels of ten-fold aliases: 10^11 nodes if expanded.
    let mut bomb = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb +=
            &format!("a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n");
    }
    let out = assert_bounded("alias bomb", 64, || vouch::evaluate_bundle(&bomb));
    assert_eq!(code(&out), "INPUT_ALIAS_LIMIT");
    // The same bomb inside a bundle member.
    let bundle =
        json!({"policy": bomb, "request": {"images": ["a"]}, "now": "2026-01-01T00:00:00Z"})
            .to_string();
    let out = vouch::evaluate_bundle(&bundle);
    assert_eq!(code(&out), "INPUT_ALIAS_LIMIT");
}

fn base_bundle() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bundles/prod-released.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn with_limits(bundle: &serde_json::Value, limits: &Limits) -> Result<Bundle, vouch::Error> {
    Bundle::from_value(bundle.clone(), limits)
}

/// Each configurable budget has its own code.
#[test]
fn every_budget_has_its_code() {
    let base = base_bundle();
    assert!(with_limits(&base, &Limits::DEFAULT).is_ok());
    let check = |change: &dyn Fn(&mut Limits), bundle: &serde_json::Value, expected: ErrorCode| {
        let mut limits = Limits::DEFAULT;
        change(&mut limits);
        let err = with_limits(bundle, &limits).expect_err("the budget must be enforced");
        assert_eq!(err.code(), expected, "{err}");
    };
    check(
        &|l| l.max_input_bytes = 100,
        &base,
        ErrorCode::InputTooLarge,
    );
    check(&|l| l.max_depth = 3, &base, ErrorCode::InputTooDeep);
    check(&|l| l.max_attestors = 1, &base, ErrorCode::AttestorTooMany);
    check(
        &|l| l.max_attestor_refs = 1,
        &base,
        ErrorCode::PolicyTooManyAttestorRefs,
    );
    check(
        &|l| l.max_patterns = 0,
        &base,
        ErrorCode::PolicyTooManyPatterns,
    );
    check(&|l| l.max_rules = 1, &base, ErrorCode::PolicyTooManyRules);
    check(
        &|l| l.max_occurrences = 2,
        &base,
        ErrorCode::InputTooManyOccurrences,
    );
    check(
        &|l| l.max_images = 2,
        &base,
        ErrorCode::RequestTooManyImages,
    );
    let mut many_keys = base.clone();
    let key = many_keys["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"][0].clone();
    let mut second = key.clone();
    second["id"] = json!("another-id");
    many_keys["attestors"][0]["userOwnedGrafeasNote"]["publicKeys"] = json!([key, second]);
    check(
        &|l| l.max_keys_per_attestor = 1,
        &many_keys,
        ErrorCode::AttestorTooManyKeys,
    );
    let mut many_sigs = base.clone();
    let sig = many_sigs["attestations"][0]["attestation"]["signatures"][0].clone();
    many_sigs["attestations"][0]["attestation"]["signatures"] = json!([sig.clone(), sig]);
    check(
        &|l| l.max_signatures_per_occurrence = 1,
        &many_sigs,
        ErrorCode::InputTooManySignatures,
    );
    let mut aliases = base.clone();
    aliases["policy"] = json!(format!(
        "{}\nx: &x [1]\ny: [*x, *x, *x]\n",
        base["policy"].as_str().unwrap()
    ));
    check(
        &|l| l.max_yaml_aliases = 2,
        &aliases,
        ErrorCode::InputAliasLimit,
    );
}
