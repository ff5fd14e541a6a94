//! The replay entry point every front end calls (decisions X-1 … X-4), for a batch of entries
//! held in memory (the CLI streams files through the same [`Replayer`]):
//!
//! ```text
//! {"policy", "baseline" (optional), "attestors", "attestations", "systemPolicy",
//!  "cluster": "LOCATION.NAME" (optional: for entries that name none),
//!  "now" (optional: every event at this time instead of its own),
//!  "options": {"strictIdentity"},
//!  "entries": [a log entry (object), a snapshot or Cloud Run resource (object), or a line of
//!              JSON text, …]}
//! ```
//!
//! → `{"records": [one per event or malformed entry, in order], "summary": {...}}`, or the
//! contract's error JSON for a configuration error. Records name their source `entries` and
//! their entry by position (1-based); a snapshot's Pods are numbered within their entry.

use serde_json::{Map, Value, json};

use super::{bundle_object, load_evaluator, parse_now, required};
use crate::error::{Error, ErrorCode, join_index};
use crate::limits::Limits;
use crate::read::document::{self, AliasBudget, type_name};
use crate::read::names::valid_cluster;
use crate::replay::{ReplayMemo, ReplayOutcome, ReplaySummary, Replayer, SeenEntries};

/// Top-level keys of a replay document.
const REPLAY_KEYS: &[&str] = &[
    "policy",
    "baseline",
    "attestors",
    "attestations",
    "systemPolicy",
    "cluster",
    "now",
    "options",
    "entries",
];

/// The source name records carry.
const SOURCE: &str = "entries";

/// Replays a document given as JSON or YAML text; the result JSON, or the contract's error
/// JSON. Never panics.
pub fn replay(text: &str) -> String {
    result_json(replay_report(text))
}

/// [`replay`], returning the result (or the configuration error) itself.
pub fn replay_report(text: &str) -> Result<Value, Error> {
    let limits = Limits::DEFAULT;
    let budget = AliasBudget::new(&limits);
    document::parse_within(text, &limits, &budget).and_then(|v| run(v, &limits, &budget))
}

/// [`replay`] for a document already parsed.
pub fn replay_value(value: Value) -> String {
    let limits = Limits::DEFAULT;
    result_json(run(value, &limits, &AliasBudget::new(&limits)))
}

/// Loads a replay document's configuration members (everything but `entries`) into a
/// [`Replayer`]: what the Python package and its Beam pipeline compile once per worker.
pub fn replayer_from_value(value: Value, limits: &Limits) -> Result<Replayer, Error> {
    let mut map = bundle_object(value, REPLAY_KEYS)?;
    if map.contains_key("entries") {
        return Err(Error::new(
            ErrorCode::BundleUnknownField,
            "/entries",
            "a replayer's configuration has no `entries`: give them to the replayer",
        ));
    }
    load(&mut map, limits, &AliasBudget::new(limits))
}

fn result_json(result: Result<Value, Error>) -> String {
    match result {
        Ok(value) => value.to_string(),
        Err(e) => e.to_json(),
    }
}

fn load(
    map: &mut Map<String, Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Replayer, Error> {
    let baseline = map.remove("baseline");
    let mut baseline_map = Map::new();
    if let Some(b) = baseline.filter(|b| !b.is_null()) {
        baseline_map.insert("policy".into(), b);
        for key in ["attestors", "systemPolicy"] {
            if let Some(v) = map.get(key) {
                baseline_map.insert(key.into(), v.clone());
            }
        }
    }
    let candidate = load_evaluator(map, limits, budget)?;
    let baseline = if baseline_map.is_empty() {
        None
    } else {
        Some(
            load_evaluator(&mut baseline_map, limits, budget).map_err(|e| {
                match e.path().strip_prefix("/policy") {
                    Some(rest) => Error::new(e.code(), format!("/baseline{rest}"), e.message())
                        .about(e.subject()),
                    None => e,
                }
            })?,
        )
    };
    let evidence = super::load_evidence(map.remove("attestations"), limits, budget)
        .map_err(Error::in_bundle)?;
    let cluster = match map.remove("cluster") {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) if valid_cluster(&c) => Some(c),
        Some(other) => {
            return Err(Error::new(
                ErrorCode::RequestInvalidCluster,
                "/cluster",
                format!(
                    "`cluster` must be `LOCATION.NAME`, e.g. `us-central1-a.prod-cluster`, found {}",
                    match &other {
                        Value::String(s) => format!("`{s}`"),
                        v => type_name(v).to_owned(),
                    }
                ),
            ));
        }
    };
    let now = match map.remove("now") {
        None | Some(Value::Null) => None,
        Some(v) => Some(parse_now(v)?),
    };
    let options = super::parse_options(map.remove("options"))?;
    let mut replayer = Replayer::new(candidate, evidence)
        .with_now(now)
        .with_default_cluster(cluster)
        .with_options(options)
        .with_limits(*limits);
    if let Some(b) = baseline {
        replayer = replayer.with_baseline(b);
    }
    Ok(replayer)
}

fn run(value: Value, limits: &Limits, budget: &AliasBudget) -> Result<Value, Error> {
    let mut map = bundle_object(value, REPLAY_KEYS)?;
    let entries = match required(&mut map, "entries")? {
        Value::Array(entries) => entries,
        other => {
            return Err(Error::new(
                ErrorCode::RequestInvalidType,
                "/entries",
                format!(
                    "`entries` must be a list of log entries, found {}",
                    type_name(&other)
                ),
            ));
        }
    };
    let replayer = load(&mut map, limits, budget)?;
    let mut memo = ReplayMemo::new();
    let mut seen = SeenEntries::new();
    let mut summary = ReplaySummary::new();
    let mut records = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let number = i as u64 + 1;
        let outcomes = match entry {
            Value::String(text) => replayer.replay_line(SOURCE, number, text, &mut memo),
            value => replayer
                .replay_document(SOURCE, value, &mut memo)
                .unwrap_or_else(|| vec![replayer.replay_value(SOURCE, number, value, &mut memo)]),
        };
        for outcome in outcomes {
            let outcome = renumber(outcome, number, i);
            if let ReplayOutcome::Event(record) = &outcome
                && seen.check(record)
            {
                summary.add_duplicate();
                continue;
            }
            summary.add(&outcome);
            match &outcome {
                ReplayOutcome::Event(record) => {
                    records.push(serde_json::to_value(record).unwrap_or_default())
                }
                ReplayOutcome::Malformed(m) => records.push(m.to_value()),
                ReplayOutcome::Skipped(_) => {}
            }
        }
    }
    Ok(json!({"records": records, "summary": summary.to_value()}))
}

/// Every outcome of an entry carries the entry's position (a snapshot's Pods too: their records
/// name them), and a malformed entry's path points into it (`/entries/N/...`).
fn renumber(outcome: ReplayOutcome, number: u64, index: usize) -> ReplayOutcome {
    match outcome {
        ReplayOutcome::Malformed(mut m) => {
            m.entry = number;
            m.error = m.error.within(&join_index("/entries", index));
            ReplayOutcome::Malformed(m)
        }
        ReplayOutcome::Event(mut record) => {
            record.entry = number;
            ReplayOutcome::Event(record)
        }
        skipped @ ReplayOutcome::Skipped(_) => skipped,
    }
}
