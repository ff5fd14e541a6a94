//! The comparison harness's Rust side (issue 8; `benches/compare/run` drives it).
//!
//! ```text
//! compare generate DIR                     write the scenarios' bundles and vouch's decisions
//! compare bench DIR [--budget S] [--label L] [--only NAME,...] [--impl I,...]
//!                                          time vouch (typed, parse+evaluate, bundle) and the
//!                                          Rego baseline (regorus); JSON lines on stdout
//! compare loop IMPL DIR SCENARIO N         N decisions in a loop, for callgrind
//! ```
//!
//! Every implementation is checked against vouch's decision before it is timed; a mismatch
//! exits non-zero.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "benchmark tool"
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use vouch::{
    Evaluator, Evidence, Limits, Options, Policy, Request, Timestamp, attestors_from_value,
};
use vouch_benches::{
    Documents, allowlist_miss_documents, root, rule_selection_documents, scenario_documents,
};

/// The Rego policy (allowlist and rule selection), committed next to this file.
const REGO_PATH: &str = "benches/compare/policy.rego";
/// The rule the Rego policy exposes.
const REGO_RULE: &str = "data.vouch.decision";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") if args.len() == 2 => generate(Path::new(&args[1])),
        Some("bench") if args.len() >= 2 => bench(&args[1..]),
        Some("loop") if args.len() == 5 => run_loop(
            &args[1],
            Path::new(&args[2]),
            &args[3],
            args[4].parse().expect("N"),
        ),
        _ => {
            eprintln!(
                "usage: compare generate DIR | compare bench DIR [--budget S] [--label L] [--only NAMES] [--impl IMPLS] | compare loop IMPL DIR SCENARIO N"
            );
            std::process::exit(2);
        }
    }
}

// ------------------------------------------------------------------------------------------
// Scenarios

struct ScenarioSpec {
    name: &'static str,
    title: &'static str,
    signatures: bool,
    documents: Documents,
}

fn specs() -> Vec<ScenarioSpec> {
    let mut bad = scenario_documents(3, 1, 0, 0, false);
    // The third attestor's occurrence carries the first attestor's signature (a valid
    // signature by another key): it does not verify, raw or PAE.
    let other = bad.occurrences[0]["attestation"]["signatures"][0]["signature"].clone();
    bad.occurrences[2]["attestation"]["signatures"][0]["signature"] = other;
    vec![
        ScenarioSpec {
            name: "allowlisted",
            title: "allowlisted image (1 pattern)",
            signatures: false,
            documents: scenario_documents(0, 1, 0, 0, true),
        },
        ScenarioSpec {
            name: "rule_selection_allow",
            title: "service-account rule ALWAYS_ALLOW among 1,000 rules",
            signatures: false,
            documents: rule_selection_documents(250, true),
        },
        ScenarioSpec {
            name: "rule_selection_deny",
            title: "namespace rule ALWAYS_DENY among 1,000 rules",
            signatures: false,
            documents: rule_selection_documents(250, false),
        },
        ScenarioSpec {
            name: "allowlist_10k_miss",
            title: "10,000-pattern allowlist, miss",
            signatures: false,
            documents: allowlist_miss_documents(10_000),
        },
        ScenarioSpec {
            name: "one_attestor",
            title: "1 P-256 attestor",
            signatures: true,
            documents: scenario_documents(1, 1, 0, 0, false),
        },
        ScenarioSpec {
            name: "three_attestors",
            title: "3 P-256 attestors",
            signatures: true,
            documents: scenario_documents(3, 1, 0, 0, false),
        },
        ScenarioSpec {
            name: "three_attestors_one_bad",
            title: "3 attestors, 1 bad signature",
            signatures: true,
            documents: bad,
        },
        ScenarioSpec {
            name: "workload_20x3",
            title: "Pod, 20 containers × 3 attestors",
            signatures: true,
            documents: scenario_documents(3, 20, 0, 0, false),
        },
        ScenarioSpec {
            name: "candidates_100",
            title: "100 candidates, only the last verifies",
            signatures: true,
            documents: scenario_documents(1, 1, 0, 99, false),
        },
        ScenarioSpec {
            name: "unrelated_1000",
            title: "1 attestor, 1,000 unrelated occurrences",
            signatures: true,
            documents: scenario_documents(1, 1, 1000, 0, false),
        },
    ]
}

/// Writes `DIR/NAME.json` (the bundle), `DIR/NAME.decision.json` (vouch's decision) and
/// `DIR/scenarios.json` (the list).
fn generate(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut list = Vec::new();
    for spec in specs() {
        let bundle = spec.documents.bundle_value().to_string();
        let decision = spec.documents.clone().build().evaluate().to_json();
        assert_eq!(
            vouch::evaluate_bundle(&bundle),
            decision,
            "{}: the bundle entry point and the typed API disagree",
            spec.name
        );
        std::fs::write(dir.join(format!("{}.json", spec.name)), &bundle).unwrap();
        std::fs::write(dir.join(format!("{}.decision.json", spec.name)), &decision).unwrap();
        let parsed: Value = serde_json::from_str(&decision).unwrap();
        eprintln!(
            "generated {:<26} {:>9} bytes  {}",
            spec.name,
            bundle.len(),
            parsed["verdict"].as_str().unwrap_or("?")
        );
        list.push(json!({
            "name": spec.name, "title": spec.title, "signatures": spec.signatures,
            "allowed": parsed["allowed"], "verdict": parsed["verdict"],
        }));
    }
    std::fs::write(
        dir.join("scenarios.json"),
        serde_json::to_string_pretty(&list).unwrap(),
    )
    .unwrap();
}

/// A generated scenario, read back from its files.
struct Loaded {
    name: String,
    signatures: bool,
    bundle_text: String,
    bundle: Value,
    decision: Value,
}

fn load(dir: &Path) -> Vec<Loaded> {
    let list: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scenarios.json")).unwrap())
            .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let name = s["name"].as_str().unwrap().to_owned();
            let bundle_text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
            let decision_text =
                std::fs::read_to_string(dir.join(format!("{name}.decision.json"))).unwrap();
            Loaded {
                signatures: s["signatures"].as_bool().unwrap(),
                bundle: serde_json::from_str(&bundle_text).unwrap(),
                decision: serde_json::from_str(&decision_text).unwrap(),
                bundle_text,
                name,
            }
        })
        .collect()
}

// ------------------------------------------------------------------------------------------
// Timing

/// Per-decision wall-clock figures of one implementation on one scenario.
struct Sample {
    median_ns: f64,
    p10_ns: f64,
    p90_ns: f64,
    calls: u64,
    batches: usize,
}

const MIN_BATCHES: usize = 10;
const MAX_BATCHES: usize = 2000;
const BATCH_TARGET: Duration = Duration::from_millis(2);

/// Warms up for a quarter of the budget, then times batches of calls (each batch about 2 ms)
/// until the budget is spent and at least 10 batches ran; the per-call time of each batch is
/// one sample. The same procedure as `bench.py` and `bench.mjs`.
fn measure<R>(budget: Duration, mut f: impl FnMut() -> R) -> Sample {
    let warm_until = Instant::now() + budget / 4;
    let mut fastest = Duration::MAX;
    let mut warm = 0;
    while warm < 2 || Instant::now() < warm_until {
        let t = Instant::now();
        black_box(f());
        fastest = fastest.min(t.elapsed());
        warm += 1;
    }
    let per_batch = (BATCH_TARGET.as_nanos() / fastest.as_nanos().max(1)).max(1) as u64;
    let start = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < MIN_BATCHES || (start.elapsed() < budget && samples.len() < MAX_BATCHES) {
        let t = Instant::now();
        for _ in 0..per_batch {
            black_box(f());
        }
        samples.push(t.elapsed().as_nanos() as f64 / per_batch as f64);
    }
    samples.sort_by(f64::total_cmp);
    let q = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    Sample {
        median_ns: q(0.5),
        p10_ns: q(0.1),
        p90_ns: q(0.9),
        calls: per_batch * samples.len() as u64,
        batches: samples.len(),
    }
}

/// The median time of `runs` calls (for one-time costs such as load + compile).
fn median_once<R>(runs: usize, mut f: impl FnMut() -> R) -> f64 {
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_nanos() as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn emit(implementation: &str, scenario: &str, s: &Sample, load_ns: Option<f64>, check: &str) {
    println!(
        "{}",
        json!({
            "impl": implementation, "scenario": scenario, "median_ns": s.median_ns,
            "p10_ns": s.p10_ns, "p90_ns": s.p90_ns, "calls": s.calls, "batches": s.batches,
            "load_ns": load_ns, "check": check, "clock": "wall",
        })
    );
}

// ------------------------------------------------------------------------------------------
// vouch

/// The policy and attestors of a bundle as text (what a user loads from files).
fn config_texts(bundle: &Value) -> (String, String) {
    (
        bundle["policy"].to_string(),
        bundle["attestors"].to_string(),
    )
}

fn compile(policy_text: &str, attestors_text: &str) -> Evaluator {
    Evaluator::new(
        Policy::from_text(policy_text).unwrap(),
        vouch::attestors_from_text(attestors_text).unwrap(),
        None,
    )
    .unwrap()
}

struct Typed {
    evaluator: Evaluator,
    request: Request,
    evidence: Evidence,
}

fn typed(bundle: &Value) -> Typed {
    let limits = Limits::DEFAULT;
    let evaluator = Evaluator::new(
        Policy::from_value(bundle["policy"].clone(), &limits).unwrap(),
        attestors_from_value(bundle["attestors"].clone(), &limits).unwrap(),
        None,
    )
    .unwrap();
    let mut evidence = Evidence::new();
    evidence
        .add_value(&bundle["attestations"], &limits)
        .unwrap();
    Typed {
        evaluator,
        request: Request::from_value(bundle["request"].clone(), &limits).unwrap(),
        evidence,
    }
}

impl Typed {
    fn evaluate(&self) -> vouch::Decision {
        self.evaluator.evaluate(
            &self.request,
            &self.evidence,
            Timestamp::UNIX_EPOCH,
            Options::default(),
        )
    }
}

/// The request and attestations as text, read and evaluated on every call (what the Python
/// and WebAssembly bindings do inside `Evaluator.evaluate`).
fn parse_and_evaluate(evaluator: &Evaluator, request: &str, attestations: &str) -> vouch::Decision {
    let limits = Limits::DEFAULT;
    let request = Request::from_value(serde_json::from_str(request).unwrap(), &limits).unwrap();
    let evidence = Evidence::from_text(attestations).unwrap();
    evaluator.evaluate(
        &request,
        &evidence,
        Timestamp::UNIX_EPOCH,
        Options::default(),
    )
}

// ------------------------------------------------------------------------------------------
// Rego (regorus)

fn rego_source() -> String {
    std::fs::read_to_string(root().join(REGO_PATH)).unwrap()
}

/// An engine with the Rego policy and the project policy as `data.policy`.
fn rego_engine(rego: &str, policy_text: &str) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy(REGO_PATH.to_owned(), rego.to_owned())
        .unwrap();
    engine
        .add_data_json(&format!("{{\"policy\": {policy_text}}}"))
        .unwrap();
    engine
}

fn rego_eval(engine: &mut regorus::Engine, input: &regorus::Value) -> regorus::Value {
    engine.set_input(input.clone());
    engine.eval_rule(REGO_RULE.to_owned()).unwrap()
}

/// What the Rego decision must agree on with vouch's: `allowed`, the rule (kind and key) and
/// each image's outcome, in order.
fn rego_check(name: &str, rego: &regorus::Value, vouch: &Value) {
    let rego: Value = serde_json::from_str(&rego.to_json_str().unwrap()).unwrap();
    let summary = |d: &Value| {
        json!({
            "allowed": d["allowed"],
            "rule": {"kind": d["rule"]["kind"], "key": d["rule"]["key"]},
            "images": d["images"].as_array().unwrap().iter()
                .map(|i| json!({"image": i["image"], "outcome": i["outcome"]}))
                .collect::<Vec<_>>(),
        })
    };
    if summary(&rego) != summary(vouch) {
        eprintln!(
            "compare: {name}: the Rego decision differs from vouch's\n  rego:  {}\n  vouch: {}",
            summary(&rego),
            summary(vouch)
        );
        std::process::exit(1);
    }
}

// ------------------------------------------------------------------------------------------
// Commands

fn bench(args: &[String]) {
    let dir = PathBuf::from(&args[0]);
    let mut budget = Duration::from_millis(1500);
    let mut label = "vouch-rust".to_owned();
    let mut only: Option<Vec<String>> = None;
    let mut impls = vec![
        "typed".to_owned(),
        "parse".to_owned(),
        "bundle".to_owned(),
        "rego".to_owned(),
    ];
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().expect("a value after each flag");
        match flag.as_str() {
            "--budget" => budget = Duration::from_secs_f64(value.parse().expect("seconds")),
            "--label" => label.clone_from(value),
            "--only" => only = Some(value.split(',').map(str::to_owned).collect()),
            "--impl" => impls = value.split(',').map(str::to_owned).collect(),
            other => panic!("unknown flag {other}"),
        }
    }
    let rego = rego_source();
    for s in load(&dir) {
        if only.as_ref().is_some_and(|o| !o.contains(&s.name)) {
            continue;
        }
        let (policy_text, attestors_text) = config_texts(&s.bundle);
        let expected = &s.decision;
        let typed = typed(&s.bundle);
        let decision: Value = serde_json::from_str(&typed.evaluate().to_json()).unwrap();
        assert_eq!(&decision, expected, "{}: typed decision", s.name);
        let load_ns = median_once(5, || compile(&policy_text, &attestors_text));
        if impls.iter().any(|i| i == "typed") {
            let sample = measure(budget, || typed.evaluate());
            emit(
                &label,
                &s.name,
                &sample,
                Some(load_ns),
                "decision JSON identical",
            );
        }
        if impls.iter().any(|i| i == "parse") {
            let request = s.bundle["request"].to_string();
            let attestations = s.bundle["attestations"].to_string();
            let d = parse_and_evaluate(&typed.evaluator, &request, &attestations);
            assert_eq!(
                &serde_json::from_str::<Value>(&d.to_json()).unwrap(),
                expected,
                "{}: parse+evaluate decision",
                s.name
            );
            let sample = measure(budget, || {
                parse_and_evaluate(&typed.evaluator, &request, &attestations)
            });
            emit(
                &format!("{label}-parse"),
                &s.name,
                &sample,
                None,
                "decision JSON identical",
            );
        }
        if impls.iter().any(|i| i == "bundle") {
            let out: Value = serde_json::from_str(&vouch::evaluate_bundle(&s.bundle_text)).unwrap();
            assert_eq!(&out, expected, "{}: bundle decision", s.name);
            let sample = measure(budget, || vouch::evaluate_bundle(&s.bundle_text));
            emit(
                &format!("{label}-bundle"),
                &s.name,
                &sample,
                None,
                "decision JSON identical",
            );
        }
        if impls.iter().any(|i| i == "rego") && !s.signatures {
            let rego_load_ns = median_once(5, || rego_engine(&rego, &policy_text));
            let mut engine = rego_engine(&rego, &policy_text);
            let input = regorus::Value::from_json_str(&s.bundle["request"].to_string()).unwrap();
            let out = rego_eval(&mut engine, &input);
            rego_check(&s.name, &out, expected);
            let sample = measure(budget, || rego_eval(&mut engine, &input));
            emit(
                "rego",
                &s.name,
                &sample,
                Some(rego_load_ns),
                "allowed, rule and image outcomes equal",
            );
        }
    }
}

/// `N` decisions of one scenario by one implementation (`typed`, `parse`, `bundle` or `rego`),
/// after the setup. With `N = 0` only the setup runs, so two runs under callgrind give the
/// per-decision count.
fn run_loop(implementation: &str, dir: &Path, scenario: &str, n: usize) {
    let s = load(dir)
        .into_iter()
        .find(|s| s.name == scenario)
        .expect("a generated scenario");
    match implementation {
        "typed" => {
            let typed = typed(&s.bundle);
            for _ in 0..n {
                black_box(typed.evaluate());
            }
        }
        "parse" => {
            let typed = typed(&s.bundle);
            let request = s.bundle["request"].to_string();
            let attestations = s.bundle["attestations"].to_string();
            for _ in 0..n {
                black_box(parse_and_evaluate(
                    &typed.evaluator,
                    &request,
                    &attestations,
                ));
            }
        }
        "bundle" => {
            for _ in 0..n {
                black_box(vouch::evaluate_bundle(&s.bundle_text));
            }
        }
        "rego" => {
            let (policy_text, _) = config_texts(&s.bundle);
            let mut engine = rego_engine(&rego_source(), &policy_text);
            let input = regorus::Value::from_json_str(&s.bundle["request"].to_string()).unwrap();
            for _ in 0..n {
                black_box(rego_eval(&mut engine, &input));
            }
        }
        other => panic!("unknown implementation {other}"),
    }
}
