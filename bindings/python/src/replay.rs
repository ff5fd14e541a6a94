//! Replay (decisions X-1 … X-4): a compiled `Replayer` deciding batches of log lines, and the
//! additive `ReplaySummary`. Marshalling only: records leave as the core's exact JSON lines,
//! the ones `vouch replay` prints.

use std::fs::File;
use std::io::{BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use pyo3::exceptions::{PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use vouch::{Error, ErrorCode, Limits, LogItem, ReplayMemo, ReplayOutcome, SplitError};

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

    /// Replays lines: `lines[i]` (`str` or `bytes`, with or without its newline) is entry
    /// `first_entry + i` of `source`, read by the rule of `vouch replay` (`vouch::line_item`):
    /// a line of ASCII white space is skipped; one longer than 16 MiB, or not UTF-8 (bytes, or a
    /// `str` with a lone surrogate), is malformed. One outcome per other line (a whole document
    /// on one line, such as a compact snapshot, gives one per item), in order.
    fn replay_lines(
        &self,
        py: Python<'_>,
        source: String,
        first_entry: u64,
        lines: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Outcome>> {
        let mut items = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let entry = first_entry.saturating_add(i as u64);
            let bytes = if let Ok(bytes) = line.cast::<PyBytes>() {
                bytes.as_bytes().to_vec()
            } else if let Ok(text) = line.cast::<PyString>() {
                match text.to_cow() {
                    Ok(text) => text.as_bytes().to_vec(),
                    Err(_) => {
                        items.push(LogItem::Broken {
                            entry,
                            error: Error::new(
                                ErrorCode::InputEncoding,
                                "",
                                "the line is not UTF-8 (a lone surrogate)",
                            ),
                        });
                        continue;
                    }
                }
            } else {
                return Err(PyTypeError::new_err(format!(
                    "lines[{i}] is {}: a line is str or bytes",
                    line.get_type().name()?
                )));
            };
            items.extend(vouch::line_item(entry, bytes));
        }
        let run = || -> Result<Vec<Outcome>, String> {
            let mut memo = self
                .memo
                .lock()
                .map_err(|_| "the replayer's memo is poisoned")?;
            Ok(items
                .iter()
                .flat_map(|item| self.inner.replay_item(&source, item, &mut memo))
                .map(outcome)
                .collect())
        };
        py.detach(run).map_err(PyRuntimeError::new_err)
    }

    /// Replays a file as `vouch replay` reads it (`vouch::split_log`: JSON lines, JSON arrays,
    /// or one whole document), streamed: an iterator of outcome batches, read on a thread of
    /// its own a few batches ahead. `source` names the file in the records.
    fn replay_file(
        slf: Py<Self>,
        py: Python<'_>,
        path: String,
        source: String,
    ) -> PyResult<ReplayFile> {
        let file = py.detach(|| File::open(&path))?;
        let (sender, receiver) = sync_channel(2);
        let cancelled = Arc::new(AtomicBool::new(false));
        let reader = Cancellable {
            inner: file,
            cancelled: cancelled.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("vouch-replay-read".to_owned())
            .spawn(move || read_file(reader, &sender))?;
        Ok(ReplayFile {
            replayer: slf,
            source,
            batches: Mutex::new(receiver),
            thread: Mutex::new(Some(thread)),
            cancelled,
        })
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

/// Items a batch of [`ReplayFile`] holds, at most; and bytes of text, at most (whichever
/// comes first).
const FILE_BATCH_ITEMS: usize = 1024;
const FILE_BATCH_BYTES: usize = 16 << 20;

type FileBatch = Result<Vec<LogItem>, String>;

/// A reader that fails once its [`ReplayFile`] is gone, so that the reading thread stops even
/// on an input that never ends (a pipe, a device).
struct Cancellable<R> {
    inner: R,
    cancelled: Arc<AtomicBool>,
}

impl<R: Read> Read for Cancellable<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancelled.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("the replay was abandoned"));
        }
        self.inner.read(buf)
    }
}

/// The reading thread of [`Replayer::replay_file`]: splits the file into batches; stops when
/// the iterator is gone (its receiver dropped, its reader cancelled).
fn read_file(reader: impl Read, sender: &SyncSender<FileBatch>) {
    let mut batch = Vec::with_capacity(FILE_BATCH_ITEMS);
    let mut bytes = 0usize;
    let split = vouch::split_log(BufReader::with_capacity(1 << 20, reader), &mut |item| {
        if let LogItem::Text { text, .. } = &item {
            bytes += text.len();
        }
        batch.push(item);
        if batch.len() >= FILE_BATCH_ITEMS || bytes >= FILE_BATCH_BYTES {
            bytes = 0;
            sender.send(Ok(std::mem::take(&mut batch))).map_err(|_| ())
        } else {
            Ok(())
        }
    });
    let _ = match split {
        Ok(()) if batch.is_empty() => Ok(()),
        Ok(()) => sender.send(Ok(batch)),
        Err(SplitError::Read(e)) => sender.send(Err(e.to_string())),
        Err(SplitError::Stopped(())) => Ok(()),
    };
}

/// How long [`ReplayFile::__next__`] waits for a batch before it looks for signals (Ctrl-C).
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// The outcomes of one file, batch by batch ([`Replayer::replay_file`]).
#[pyclass(module = "vouch._vouch")]
#[derive(Debug)]
pub(crate) struct ReplayFile {
    replayer: Py<Replayer>,
    source: String,
    batches: Mutex<Receiver<FileBatch>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    cancelled: Arc<AtomicBool>,
}

impl Drop for ReplayFile {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

impl ReplayFile {
    /// The next batch of items; `None` at the end; an error when the file cannot be read on, the
    /// reading thread failed, or a signal handler raised (Ctrl-C).
    fn next_batch(&self, py: Python<'_>) -> PyResult<Option<Vec<LogItem>>> {
        loop {
            let received = py.detach(|| {
                self.batches
                    .lock()
                    .map(|batches| batches.recv_timeout(SIGNAL_CHECK))
                    .map_err(|_| PyRuntimeError::new_err("the replay file's reader is poisoned"))
            })?;
            match received {
                Ok(Ok(items)) => return Ok(Some(items)),
                Ok(Err(e)) => {
                    return Err(PyOSError::new_err(format!(
                        "{}: cannot read: {e}",
                        self.source
                    )));
                }
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(RecvTimeoutError::Disconnected) => {
                    // The thread is done: at the end of the file, or because it stopped.
                    let thread = self
                        .thread
                        .lock()
                        .map_err(|_| {
                            PyRuntimeError::new_err("the replay file's reader is poisoned")
                        })?
                        .take();
                    if let Some(thread) = thread
                        && py.detach(|| thread.join()).is_err()
                    {
                        return Err(PyRuntimeError::new_err(format!(
                            "{}: the reading thread stopped; the rest of the file was not read",
                            self.source
                        )));
                    }
                    return Ok(None);
                }
            }
        }
    }
}

#[pymethods]
impl ReplayFile {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next batch's outcomes (possibly none: a batch of blank or skipped entries gives
    /// only skips); `StopIteration` at the end; `OSError` when the file cannot be read on;
    /// `KeyboardInterrupt` (or any signal handler's exception) while waiting.
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Vec<Outcome>>> {
        let Some(items) = self.next_batch(py)? else {
            return Ok(None);
        };
        let replayer = self.replayer.get();
        let source = &self.source;
        let run = || -> PyResult<Vec<Outcome>> {
            let mut memo = replayer
                .memo
                .lock()
                .map_err(|_| PyRuntimeError::new_err("the replayer's memo is poisoned"))?;
            Ok(items
                .iter()
                .flat_map(|item| replayer.inner.replay_item(source, item, &mut memo))
                .map(outcome)
                .collect())
        };
        py.detach(run).map(Some)
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

/// Whether a log whose first entry starts on this line is JSON lines (`vouch::opens_json_lines`).
#[pyfunction]
fn opens_json_lines(first_line: &[u8]) -> bool {
    vouch::opens_json_lines(first_line)
}

/// The duplicate key of an event record's JSON line; `None` without an id.
#[pyfunction]
fn replay_dedupe_key(record_json: &str) -> Option<String> {
    vouch::replay_dedupe_key(record_json)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Replayer>()?;
    m.add_class::<ReplaySummary>()?;
    m.add_class::<ReplayFile>()?;
    m.add_function(wrap_pyfunction!(opens_json_lines, m)?)?;
    m.add("MAX_ENTRY_BYTES", vouch::MAX_ENTRY_BYTES)?;
    m.add_function(wrap_pyfunction!(replay, m)?)?;
    m.add_function(wrap_pyfunction!(replay_dedupe_key, m)?)?;
    Ok(())
}
