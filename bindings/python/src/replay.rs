//! Replay (decisions X-1 … X-4): a compiled `Replayer` deciding batches of log lines, and the
//! additive `ReplaySummary`. Marshalling only: records leave as the core's exact JSON lines,
//! the ones `vouch replay` prints.

use std::sync::Mutex;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use vouch::{Limits, ReplayMemo, ReplayOutcome};

use crate::{document, raise};

/// One outcome as Python carries it: `("event", record JSON)`, `("malformed", line JSON)` or
/// `("skipped", reason)`.
type Outcome = (&'static str, String);

fn outcome(o: ReplayOutcome) -> Outcome {
    match o {
        ReplayOutcome::Event(record) => ("event", record.to_json()),
        ReplayOutcome::Malformed(m) => ("malformed", m.to_value().to_string()),
        ReplayOutcome::Skipped(reason) => ("skipped", reason.as_str().to_owned()),
    }
}

/// A candidate policy (and optional baseline) compiled once with its attestors and evidence.
#[pyclass(frozen, module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct Replayer {
    inner: vouch::Replayer,
    memo: Mutex<ReplayMemo>,
}

#[pymethods]
impl Replayer {
    /// Compiles a replay document without `entries` (JSON or YAML text): `policy`,
    /// `baseline`, `attestors`, `attestations`, `systemPolicy`, `cluster`, `now`, `options`.
    #[new]
    fn new(py: Python<'_>, config: String) -> PyResult<Self> {
        let inner = py
            .detach(move || {
                document(&config).and_then(|v| vouch::replayer_from_value(v, &Limits::DEFAULT))
            })
            .map_err(|e| raise(&e))?;
        Ok(Replayer {
            inner,
            memo: Mutex::new(ReplayMemo::new()),
        })
    }

    /// Replays lines: `lines[i]` is entry `first_entry + i` of `source`. One outcome per
    /// non-blank line (a whole document on one line, such as a compact snapshot, gives one per
    /// item), in order.
    fn replay_lines(
        &self,
        py: Python<'_>,
        source: String,
        first_entry: u64,
        lines: Vec<String>,
    ) -> PyResult<Vec<Outcome>> {
        let run = || -> Result<Vec<Outcome>, String> {
            let mut memo = self
                .memo
                .lock()
                .map_err(|_| "the replayer's memo is poisoned")?;
            let mut out = Vec::with_capacity(lines.len());
            for (i, line) in lines.iter().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let entry = first_entry.saturating_add(i as u64);
                out.extend(
                    self.inner
                        .replay_line(&source, entry, line, &mut memo)
                        .into_iter()
                        .map(outcome),
                );
            }
            Ok(out)
        };
        py.detach(run).map_err(PyRuntimeError::new_err)
    }

    /// Replays a whole document (JSON or YAML text): a cluster snapshot (every Pod), a Cloud
    /// Run service or job, or one log entry.
    fn replay_document(
        &self,
        py: Python<'_>,
        source: String,
        text: String,
    ) -> PyResult<Vec<Outcome>> {
        let run = || -> Result<Vec<Outcome>, String> {
            let mut memo = self
                .memo
                .lock()
                .map_err(|_| "the replayer's memo is poisoned")?;
            let limits = self.inner.limits();
            let outcomes = match vouch::parse_document(&text, limits) {
                Ok(value) => self
                    .inner
                    .replay_document(&source, &value, &mut memo)
                    .unwrap_or_else(|| {
                        vec![self.inner.replay_value(&source, 1, &value, &mut memo)]
                    }),
                Err(error) => vec![ReplayOutcome::Malformed(Box::new(vouch::Malformed {
                    source: source.clone(),
                    entry: 1,
                    error,
                }))],
            };
            Ok(outcomes.into_iter().map(outcome).collect())
        };
        py.detach(run).map_err(PyRuntimeError::new_err)
    }
}

/// A replay's summary: additive, mergeable, picklable (its state is JSON).
#[pyclass(module = "vouch._vouch")]
#[derive(Debug, Default)]
pub(crate) struct ReplaySummary {
    inner: vouch::ReplaySummary,
    seen: vouch::SeenEntries,
}

#[pymethods]
impl ReplaySummary {
    #[new]
    fn new() -> Self {
        ReplaySummary::default()
    }

    /// Counts one outcome; an event already seen (same format, id and time) counts as a
    /// duplicate when `check_duplicates`, and the result is then `False`.
    #[pyo3(signature = (kind, payload, check_duplicates = true))]
    fn add(&mut self, kind: &str, payload: &str, check_duplicates: bool) -> PyResult<bool> {
        if kind == "event"
            && check_duplicates
            && vouch::replay_dedupe_key(payload).is_some_and(|key| self.seen.check_key(&key))
        {
            self.inner.add_duplicate();
            return Ok(false);
        }
        self.inner
            .add_json(kind, payload)
            .map_err(PyValueError::new_err)?;
        Ok(true)
    }

    /// Counts an entry dropped as a duplicate.
    fn add_duplicate(&mut self) {
        self.inner.add_duplicate();
    }

    /// Adds another summary's counts.
    fn merge(&mut self, other: PyRef<'_, ReplaySummary>) {
        self.inner.merge(&other.inner);
    }

    /// The summary JSON (`vouch replay --summary`'s content, compact).
    fn to_json(&self) -> String {
        self.inner.to_value().to_string()
    }

    /// Every counter, as JSON (for pickling; the duplicate memory is not kept).
    fn state(&self) -> String {
        self.inner.to_state()
    }

    /// A summary from [`ReplaySummary::state`].
    #[staticmethod]
    fn from_state(state: &str) -> PyResult<Self> {
        let inner = vouch::ReplaySummary::from_state(state)
            .map_err(|e| PyValueError::new_err(format!("not a replay summary state: {e}")))?;
        Ok(ReplaySummary {
            inner,
            seen: vouch::SeenEntries::new(),
        })
    }
}

/// Replays a whole document with `entries` (JSON or YAML text): `{"records", "summary"}`.
#[pyfunction]
fn replay(py: Python<'_>, text: String) -> PyResult<String> {
    py.detach(move || vouch::replay_report(&text).map(|v| v.to_string()))
        .map_err(|e| raise(&e))
}

/// The duplicate key of an event record's JSON line; `None` without an id.
#[pyfunction]
fn replay_dedupe_key(record_json: &str) -> Option<String> {
    vouch::replay_dedupe_key(record_json)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Replayer>()?;
    m.add_class::<ReplaySummary>()?;
    m.add_function(wrap_pyfunction!(replay, m)?)?;
    m.add_function(wrap_pyfunction!(replay_dedupe_key, m)?)?;
    Ok(())
}
