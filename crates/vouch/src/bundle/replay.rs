//! The replay entry point every front end calls (decisions X-1 … X-4), for a batch of entries
//! held in memory (the CLI streams files through the same [`Replayer`]):
//!
//! ```text
//! {"policy", "baseline" (optional), "attestors", "attestations", "systemPolicy",
//!  "cluster": "LOCATION.NAME" (optional: for entries that name none),
//!  "now" (optional: every event at this time instead of its own),
//!  "options": {"strictIdentity"},
//!  "entries": [a log entry (object), a snapshot or Cloud Run resource (object), or a line of
//!              JSON text, …]
//!  or "log": "a log file's text", or "logBase64": "a log file's bytes"}
//! ```
//!
//! → `{"records": [one per event or malformed entry, in order], "summary": {...}}`, or the
//! contract's error JSON for a configuration error. With `entries`, records name their source
//! `entries` and their entry by position (1-based); a snapshot's Pods are numbered within their
//! entry. With `log` (or `logBase64`), the text is split as `vouch replay` splits a file
//! ([`crate::split_log`]: JSON lines, JSON arrays or one document) and records name their source
//! `log`: the same records the command prints for a file of those bytes.

use serde_json::{Map, Value, json};

use super::{bundle_object, load_evaluator, parse_now};
use crate::error::{Error, ErrorCode, join_index};
use crate::limits::Limits;
use crate::read::bytes::decode_base64;
use crate::read::document::{self, AliasBudget, type_name};
use crate::read::names::valid_cluster;
use crate::replay::{
    ReplayMemo, ReplayOutcome, ReplaySummary, Replayer, SeenEntries, SplitError, split_log,
};

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
    "log",
    "logBase64",
];

/// The source name records carry.
const SOURCE: &str = "entries";

/// The source name of the records of a `log`.
const LOG_SOURCE: &str = "log";

/// The members that hold what to replay.
const INPUT_KEYS: [&str; 3] = ["entries", "log", "logBase64"];

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
    if let Some(key) = INPUT_KEYS.iter().find(|k| map.contains_key(**k)) {
        return Err(Error::new(
            ErrorCode::BundleUnknownField,
            format!("/{key}"),
            format!("a replayer's configuration has no `{key}`: give the entries to the replayer"),
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

/// What a replay document gives to replay.
enum Input {
    Entries(Vec<Value>),
    Log(Vec<u8>),
}

fn input(map: &mut Map<String, Value>) -> Result<Input, Error> {
    let given: Vec<&str> = INPUT_KEYS
        .iter()
        .copied()
        .filter(|k| map.contains_key(*k))
        .collect();
    let key = match given.as_slice() {
        [key] => *key,
        [] => {
            return Err(Error::new(
                ErrorCode::BundleMissingField,
                "/entries",
                "the replay document needs `entries` (a list of log entries), `log` (a log file's text) or `logBase64` (its bytes)",
            ));
        }
        [_, second, ..] => {
            return Err(Error::new(
                ErrorCode::BundleUnknownField,
                format!("/{second}"),
                format!(
                    "give one of `entries`, `log` and `logBase64`, not {}",
                    given.join(" and ")
                ),
            ));
        }
    };
    let value = map.remove(key).unwrap_or_default();
    let wrong = |expected: &str| {
        Error::new(
            ErrorCode::RequestInvalidType,
            format!("/{key}"),
            format!("`{key}` must be {expected}, found {}", type_name(&value)),
        )
    };
    match (key, &value) {
        ("entries", Value::Array(_)) => match value {
            Value::Array(entries) => Ok(Input::Entries(entries)),
            _ => Err(wrong("a list of log entries")),
        },
        ("entries", _) => Err(wrong("a list of log entries")),
        ("log", Value::String(text)) => Ok(Input::Log(text.as_bytes().to_vec())),
        ("log", _) => Err(wrong("a log file's text (a string)")),
        (_, Value::String(text)) => decode_base64(text).map(Input::Log).ok_or_else(|| {
            Error::new(
                ErrorCode::InputEncoding,
                "/logBase64",
                "`logBase64` is not base64 (standard or URL-safe alphabet)",
            )
        }),
        _ => Err(wrong("a log file's bytes in base64 (a string)")),
    }
}

fn run(value: Value, limits: &Limits, budget: &AliasBudget) -> Result<Value, Error> {
    let mut map = bundle_object(value, REPLAY_KEYS)?;
    let entries = match input(&mut map)? {
        Input::Entries(entries) => entries,
        Input::Log(bytes) => {
            let replayer = load(&mut map, limits, budget)?;
            return Ok(replay_log(&replayer, &bytes));
        }
    };
    let replayer = load(&mut map, limits, budget)?;
    let mut memo = ReplayMemo::new();
    let mut collected = Collected::default();
    for (i, entry) in entries.iter().enumerate() {
        let number = i as u64 + 1;
        let outcomes = match entry {
            Value::String(text) => replayer.replay_line(SOURCE, number, text, &mut memo),
            value => replayer
                .replay_document(SOURCE, value, &mut memo)
                .unwrap_or_else(|| vec![replayer.replay_value(SOURCE, number, value, &mut memo)]),
        };
        for outcome in outcomes {
            collected.add(renumber(outcome, number, i));
        }
    }
    Ok(collected.into_value())
}

/// Records and summary as `vouch replay` keeps them: duplicates dropped and counted, skips
/// counted only.
#[derive(Default)]
struct Collected {
    seen: SeenEntries,
    summary: ReplaySummary,
    records: Vec<Value>,
}

impl Collected {
    fn add(&mut self, outcome: ReplayOutcome) {
        if let ReplayOutcome::Event(record) = &outcome
            && self.seen.check(record)
        {
            self.summary.add_duplicate();
            return;
        }
        self.summary.add(&outcome);
        match &outcome {
            ReplayOutcome::Event(record) => self
                .records
                .push(serde_json::to_value(record).unwrap_or_default()),
            ReplayOutcome::Malformed(m) => self.records.push(m.to_value()),
            ReplayOutcome::Skipped(_) => {}
        }
    }

    fn into_value(self) -> Value {
        json!({"records": self.records, "summary": self.summary.to_value()})
    }
}

/// A log's bytes split as `vouch replay` splits a file, decided, deduplicated and counted as
/// the command does.
fn replay_log(replayer: &Replayer, bytes: &[u8]) -> Value {
    let mut memo = ReplayMemo::new();
    let mut collected = Collected::default();
    let split: Result<(), SplitError<std::convert::Infallible>> = split_log(bytes, &mut |item| {
        for outcome in replayer.replay_item(LOG_SOURCE, &item, &mut memo) {
            collected.add(outcome);
        }
        Ok(())
    });
    // Reading bytes in memory cannot fail, and the sink never stops it.
    debug_assert!(split.is_ok());
    collected.into_value()
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
