//! `vouch replay`: decide logged deployments again under a candidate policy (decisions X-1 …
//! X-4) and say what it would have changed.
//!
//! The binary's part is I/O and scheduling: finding the inputs (files, folders, standard
//! input), reading each through the library's splitter (`vouch::split_log`: JSON lines, JSON
//! arrays as `gcloud logging read --format=json` prints them, or one document: a cluster
//! snapshot, a Cloud Run resource), deciding batches of entries on every core, and writing the
//! records in input order. Every entry, decision, record and count is the library's
//! (`vouch::Replayer`, `vouch::ReplaySummary`).
//!
//! Memory stays flat: entries are read in batches of [`BATCH_ENTRIES`] (and at most
//! [`BATCH_BYTES`] of text; the reading thread is one batch ahead), each thread keeps a
//! bounded memo, and the duplicate filter is bounded (`vouch::SeenEntries`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal as _, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::Value;
use vouch::{
    Evaluator, Evidence, Limits, LogItem, Options, ReplayMemo, ReplayOutcome, ReplaySummary,
    Replayer, SeenEntries, SplitError, Subject, Timestamp,
};

use crate::failure::{CliCode, Failure};
use crate::inputs::read_file;

/// Entries decided together (per batch, split across the threads).
pub const BATCH_ENTRIES: usize = 8_192;

/// Bytes of entry text a batch holds at most (whichever limit comes first): entries of up to
/// 16 MiB each would otherwise make a batch of gigabytes.
const BATCH_BYTES: usize = 64 << 20;

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Logs to replay: files or folders (read recursively, in name order, not following links
    /// to folders); `-` reads standard input. Kubernetes audit logs (JSON lines), Cloud Audit Logs entries (`gcloud logging
    /// read --format=json`, or the Cloud Storage export's JSON lines), BigQuery export rows
    /// (JSON lines), cluster snapshots (`kubectl get pods -A -o json`) and Cloud Run services
    /// or jobs.
    #[arg(value_name = "LOGS", required = true)]
    logs: Vec<String>,
    /// The candidate project policy.
    #[arg(long, value_name = "FILE")]
    policy: String,
    /// A baseline policy to compare with, instead of the outcomes the logs recorded.
    #[arg(long, value_name = "FILE")]
    baseline: Option<String>,
    /// Attestors (repeatable), as for `vouch evaluate`.
    #[arg(long, value_name = "FILE")]
    attestors: Vec<String>,
    /// Evidence: attestation occurrences (repeatable).
    #[arg(long, visible_alias = "attestations", value_name = "FILE")]
    evidence: Vec<String>,
    /// The system policy; default: the built-in documented list.
    #[arg(long, value_name = "FILE")]
    system_policy: Option<String>,
    /// The cluster (`LOCATION.NAME`) of entries that name none (Kubernetes audit logs,
    /// snapshots).
    #[arg(long, value_name = "LOCATION.NAME")]
    cluster: Option<String>,
    /// Evaluate every event at this time (RFC 3339) instead of its own (decision X-3).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Stop at the first malformed entry (exit 2) instead of counting it and going on.
    #[arg(long)]
    strict: bool,
    /// Threads deciding entries (default: the machine's cores); the files are read and split
    /// on one more, a batch ahead.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Write the per-event JSON lines here instead of standard output (`-`: standard output;
    /// `none`: do not write them).
    #[arg(long, value_name = "FILE", default_value = "-")]
    output: String,
    /// Write the summary (JSON) here; it always goes to standard error as one line too.
    #[arg(long, value_name = "FILE")]
    summary: Option<String>,
    /// Write a self-contained HTML report here.
    #[arg(long, value_name = "FILE")]
    html: Option<String>,
    /// Show progress on standard error even when it is not a terminal (`never` to hide it).
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"])]
    progress: String,
    /// Kritis' binding: the payload's docker-reference must be the image's repository.
    #[arg(long)]
    strict_identity: bool,
}

/// Exit status: 0 nothing newly blocked and nothing malformed, 1 some event newly blocked,
/// 3 nothing newly blocked but malformed entries, 2 usage or configuration error (or a
/// malformed entry under `--strict`).
pub fn run(args: &ReplayArgs) -> ExitCode {
    match replay(args) {
        Ok(summary) => {
            if summary.newly_blocked() > 0 {
                ExitCode::from(1)
            } else if summary.malformed() > 0 {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(failure) => {
            crate::report(&failure, false);
            ExitCode::from(2)
        }
    }
}

fn load(args: &ReplayArgs) -> Result<Replayer, Failure> {
    let limits = Limits::DEFAULT;
    let mut attestors = Vec::new();
    for file in &args.attestors {
        attestors.extend(
            vouch::attestors_from_text_with_limits(&read_file(file)?, &limits)
                .map_err(|e| Failure::in_file(e, file))?,
        );
    }
    let system = match &args.system_policy {
        Some(file) => Some(
            vouch::SystemPolicy::from_text_with_limits(&read_file(file)?, &limits)
                .map_err(|e| Failure::in_file(e, file))?,
        ),
        None => None,
    };
    let compile = |file: &str| -> Result<Evaluator, Failure> {
        let policy = vouch::Policy::from_text_with_limits(&read_file(file)?, &limits)
            .map_err(|e| Failure::in_file(e, file))?;
        Evaluator::with_limits(policy, attestors.clone(), system.clone(), &limits)
            .map_err(|e| Failure::in_file(e, file))
    };
    let candidate = compile(&args.policy)?;
    let baseline = match &args.baseline {
        Some(file) => Some(compile(file)?),
        None => None,
    };
    let mut evidence = Evidence::new();
    for file in &args.evidence {
        vouch::parse_document(&read_file(file)?, &limits)
            .map_err(|e| e.about(Subject::Attestations))
            .and_then(|value| evidence.add_value(&value, &limits))
            .map_err(|e| Failure::in_file(e, file))?;
    }
    let now = match &args.now {
        Some(text) => Some(Timestamp::parse_rfc3339(text).map_err(|e| {
            Failure::plain(vouch::Error::new(
                vouch::ErrorCode::BundleInvalidNow,
                "/now",
                e.to_string(),
            ))
        })?),
        None => None,
    };
    if let Some(cluster) = &args.cluster
        && vouch::RequestBuilder::for_images(["gcr.io/p/i"])
            .cluster(cluster.clone())
            .build()
            .is_err()
    {
        return Err(Failure::usage(format!(
            "--cluster `{cluster}` must be `LOCATION.NAME`, e.g. `us-central1-a.prod-cluster`"
        )));
    }
    let mut replayer = Replayer::new(candidate, evidence)
        .with_now(now)
        .with_default_cluster(args.cluster.clone())
        .with_options(Options::strict_identity(args.strict_identity));
    if let Some(baseline) = baseline {
        replayer = replayer.with_baseline(baseline);
    }
    Ok(replayer)
}

/// Every file to read, in order: each argument as given, a folder's files recursively in name
/// order.
fn inputs(args: &ReplayArgs) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for arg in &args.logs {
        let path = PathBuf::from(arg);
        if arg != "-" && path.is_dir() {
            walk(&path, &mut out)?;
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let unreadable = |e: std::io::Error| {
        Failure::file_error(
            CliCode::Unreadable,
            &dir.display().to_string(),
            e.to_string(),
        )
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    entries.sort();
    for path in entries {
        // Symbolic links to folders are not followed (a link to `.` would never end); links to
        // files are read.
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !is_link {
                walk(&path, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// One entry to decide: an item of input `source`.
struct Item {
    source: usize,
    item: LogItem,
}

/// Progress on standard error: bytes read of the total, entries, rate.
struct Progress {
    enabled: bool,
    total_bytes: u64,
    started: Instant,
    last: Instant,
}

impl Progress {
    fn new(mode: &str, total_bytes: u64) -> Progress {
        let enabled = match mode {
            "always" => true,
            "never" => false,
            _ => std::io::stderr().is_terminal(),
        };
        let now = Instant::now();
        Progress {
            enabled,
            total_bytes,
            started: now,
            last: now,
        }
    }

    fn update(&mut self, bytes: u64, entries: u64, done: bool) {
        if !self.enabled || (!done && self.last.elapsed() < Duration::from_millis(500)) {
            return;
        }
        self.last = Instant::now();
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = entries as f64 / seconds;
        let percent = if self.total_bytes > 0 {
            (bytes as f64 * 100.0 / self.total_bytes as f64).min(100.0)
        } else {
            0.0
        };
        let width = 30usize;
        let filled = ((percent / 100.0) * width as f64) as usize;
        let bar: String = "#".repeat(filled) + &"-".repeat(width - filled.min(width));
        let _ = write!(
            std::io::stderr(),
            "\rvouch: replay: [{bar}] {percent:5.1}% {entries} entries, {rate:.0}/s{}",
            if done { "\n" } else { "" }
        );
    }
}

/// Counts the bytes read through it, for progress.
struct Counting<R> {
    inner: R,
    count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

fn replay(args: &ReplayArgs) -> Result<ReplaySummary, Failure> {
    let replayer = load(args)?;
    let files = inputs(args)?;
    let total_bytes: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 256);
    let mut out: Option<Box<dyn Write>> = match args.output.as_str() {
        "none" => None,
        "-" => Some(Box::new(BufWriter::with_capacity(
            1 << 16,
            std::io::stdout().lock(),
        ))),
        path => Some(Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(path).map_err(|e| {
                Failure::file_error(CliCode::Unreadable, path, format!("cannot write: {e}"))
            })?,
        ))),
    };
    let mut memos: Vec<ReplayMemo> = (0..threads).map(|_| ReplayMemo::new()).collect();
    let mut seen = SeenEntries::new();
    let bytes_read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut progress = Progress::new(&args.progress, total_bytes);
    let mut state = Run {
        replayer: &replayer,
        names: &names,
        memos: &mut memos,
        summaries: (0..threads).map(|_| ReplaySummary::new()).collect(),
        entries: 0,
        seen: &mut seen,
        out: &mut out,
        strict: args.strict,
    };
    // The files are read and split on a thread of their own, one batch ahead, while this one
    // has the batches decided, counted and written.
    std::thread::scope(|scope| -> Result<(), Failure> {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Read_>(1);
        let (files, names, counted) = (&files, &names, bytes_read.clone());
        let reader = scope.spawn(move || read_batches(files, names, &counted, &sender));
        let result = loop {
            match batches.recv() {
                Ok(Read_::Batch(mut batch)) => {
                    if let Err(failure) = state.decide(&mut batch) {
                        break Err(failure);
                    }
                    progress.update(
                        bytes_read.load(std::sync::atomic::Ordering::Relaxed),
                        state.entries,
                        false,
                    );
                }
                Ok(Read_::Done) => break Ok(()),
                Ok(Read_::Failed(failure)) => break Err(failure),
                Err(_) => break Ok(()), // the reader is gone: its join says why
            }
        };
        // A reader blocked on the full channel stops once the receiver is gone.
        drop(batches);
        let joined = reader.join();
        match (result, joined) {
            (Err(failure), _) => Err(failure),
            (Ok(()), Ok(true)) => Ok(()),
            (Ok(()), _) => Err(Failure::usage(
                "internal error: the reading thread stopped; the rest of the input was not read",
            )),
        }
    })?;
    let mut summary = ReplaySummary::new();
    for part in &state.summaries {
        summary.merge(part);
    }
    if let Some(out) = state.out.as_mut() {
        out.flush()
            .map_err(|e| Failure::usage(format!("cannot write the records: {e}")))?;
    }
    progress.update(
        bytes_read.load(std::sync::atomic::Ordering::Relaxed),
        summary.entries(),
        true,
    );
    let value = summary.to_value();
    let _ = writeln!(
        std::io::stderr(),
        "vouch: replay: summary {}",
        short_summary(&value)
    );
    if let Some(path) = &args.summary {
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        std::fs::write(path, pretty).map_err(|e| {
            Failure::file_error(CliCode::Unreadable, path, format!("cannot write: {e}"))
        })?;
    }
    if let Some(path) = &args.html {
        let title_inputs: Vec<&str> = names.iter().map(String::as_str).collect();
        let html = crate::replay_html::report(
            &value,
            &args.policy,
            args.baseline.as_deref(),
            &title_inputs,
        );
        std::fs::write(path, html).map_err(|e| {
            Failure::file_error(CliCode::Unreadable, path, format!("cannot write: {e}"))
        })?;
    }
    Ok(summary)
}

/// What the reading thread hands over.
enum Read_ {
    /// A batch of entries, in input order.
    Batch(Vec<Item>),
    /// Every input was read.
    Done,
    /// An input could not be opened or read.
    Failed(Failure),
}

/// The reading thread: every input split into batches of [`BATCH_ENTRIES`] (or
/// [`BATCH_BYTES`] of text), sent in order; stops when the receiver is gone. `false` when it
/// could not say it was done (the receiver went first).
fn read_batches(
    files: &[PathBuf],
    names: &[String],
    bytes_read: &std::sync::Arc<std::sync::atomic::AtomicU64>,
    sender: &std::sync::mpsc::SyncSender<Read_>,
) -> bool {
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH_ENTRIES);
    let mut batch_bytes = 0usize;
    let mut read = || -> Result<(), Failure> {
        for (source, path) in files.iter().enumerate() {
            let reader: Box<dyn Read + Send> = if path.as_os_str() == "-" {
                Box::new(std::io::stdin())
            } else {
                Box::new(File::open(path).map_err(|e| {
                    Failure::file_error(CliCode::Unreadable, name_of(names, source), e.to_string())
                })?)
            };
            let reader = BufReader::with_capacity(
                1 << 20,
                Counting {
                    inner: reader,
                    count: bytes_read.clone(),
                },
            );
            split(reader, source, name_of(names, source), &mut |item| {
                if let LogItem::Text { text, .. } = &item.item {
                    batch_bytes += text.len();
                }
                batch.push(item);
                if batch.len() >= BATCH_ENTRIES || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ENTRIES));
                    sender
                        .send(Read_::Batch(full))
                        .map_err(|_| Failure::usage("the replay stopped"))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    };
    let result = read();
    match result {
        Ok(()) => sender
            .send(Read_::Batch(batch))
            .and_then(|()| sender.send(Read_::Done))
            .is_ok(),
        Err(failure) => {
            let _ = sender.send(Read_::Failed(failure));
            true
        }
    }
}

/// The totals of a summary, for the one line on standard error (the whole summary: --summary).
fn short_summary(value: &Value) -> String {
    let mut short = serde_json::Map::new();
    for key in [
        "entries",
        "events",
        "skipped",
        "malformed",
        "duplicates",
        "changes",
        "malformedByCode",
    ] {
        if let Some(v) = value.get(key) {
            short.insert(key.to_owned(), v.clone());
        }
    }
    Value::Object(short).to_string()
}

struct Run<'a> {
    replayer: &'a Replayer,
    names: &'a [String],
    memos: &'a mut Vec<ReplayMemo>,
    /// One summary per thread, merged when the run ends.
    summaries: Vec<ReplaySummary>,
    /// Outcomes counted so far (for progress).
    entries: u64,
    seen: &'a mut SeenEntries,
    out: &'a mut Option<Box<dyn Write>>,
    strict: bool,
}

impl Run<'_> {
    /// Decides a batch on every thread, then counts and writes it in input order.
    fn decide(&mut self, batch: &mut Vec<Item>) -> Result<(), Failure> {
        if batch.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(batch);
        let threads = self.memos.len().min(items.len()).max(1);
        let chunk = items.len().div_ceil(threads);
        let replayer = self.replayer;
        let names = self.names;
        let write = self.out.is_some();
        // 1. Decide, on every thread: each outcome with its JSON line and its duplicate key.
        let results: Vec<Vec<Done>> = std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .zip(self.memos.iter_mut())
                .map(|(part, memo)| {
                    scope.spawn(move || {
                        let mut done = Vec::with_capacity(part.len());
                        for item in part {
                            for outcome in decide_item(replayer, names, item, memo) {
                                let line = if write { line_of(&outcome) } else { None };
                                let key = match &outcome {
                                    ReplayOutcome::Event(record) => record.dedupe_key(),
                                    _ => None,
                                };
                                done.push(Done {
                                    outcome,
                                    line,
                                    key,
                                    duplicate: false,
                                });
                            }
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| ()))
                .collect::<Result<Vec<_>, ()>>()
        })
        .map_err(|()| {
            Failure::usage(
                "internal error: a replay thread stopped; nothing was written for its entries",
            )
        })?;
        drop(items);
        // 2. In input order: duplicates (the first copy counts), and --strict (the records
        //    before the first malformed entry are still written, as Python yields them).
        let mut results = results;
        let mut stop = None;
        'order: for (p, part) in results.iter_mut().enumerate() {
            for (i, done) in part.iter_mut().enumerate() {
                done.duplicate = done
                    .key
                    .as_deref()
                    .is_some_and(|key| self.seen.check_key(key));
                if self.strict
                    && !done.duplicate
                    && let ReplayOutcome::Malformed(m) = &done.outcome
                {
                    stop = Some((
                        p,
                        i,
                        Failure {
                            error: m.error.clone().into(),
                            file: Some(m.source.clone()),
                            path: format!("(entry {}){}", m.entry, m.error.path()),
                        },
                    ));
                    break 'order;
                }
            }
        }
        let stop = stop.map(|(p, i, failure)| {
            results.truncate(p + 1);
            if let Some(part) = results.get_mut(p) {
                part.truncate(i);
            }
            failure
        });
        // 3. Count on every thread (each its own summary, merged at the end) while this one
        //    writes the lines in order.
        let results = &results;
        std::thread::scope(|scope| -> Result<(), Failure> {
            for (part, summary) in results.iter().zip(self.summaries.iter_mut()) {
                scope.spawn(move || {
                    for done in part {
                        if done.duplicate {
                            summary.add_duplicate();
                        } else {
                            summary.add(&done.outcome);
                        }
                    }
                });
            }
            if let Some(out) = self.out.as_mut() {
                for done in results.iter().flatten() {
                    if let (false, Some(line)) = (done.duplicate, &done.line) {
                        out.write_all(line.as_bytes())
                            .and_then(|()| out.write_all(b"\n"))
                            .map_err(|e| {
                                Failure::usage(format!("cannot write the records: {e}"))
                            })?;
                    }
                }
            }
            Ok(())
        })?;
        self.entries += results.iter().map(|part| part.len() as u64).sum::<u64>();
        match stop {
            Some(failure) => {
                if let Some(out) = self.out.as_mut() {
                    out.flush()
                        .map_err(|e| Failure::usage(format!("cannot write the records: {e}")))?;
                }
                Err(failure)
            }
            None => Ok(()),
        }
    }
}

/// One outcome of a batch, as the threads hand it back.
struct Done {
    outcome: ReplayOutcome,
    line: Option<String>,
    key: Option<String>,
    duplicate: bool,
}

fn line_of(outcome: &ReplayOutcome) -> Option<String> {
    match outcome {
        ReplayOutcome::Event(record) => Some(record.to_json()),
        ReplayOutcome::Malformed(m) => Some(m.to_value().to_string()),
        ReplayOutcome::Skipped(_) => None,
    }
}

fn decide_item(
    replayer: &Replayer,
    names: &[String],
    item: &Item,
    memo: &mut ReplayMemo,
) -> Vec<ReplayOutcome> {
    replayer.replay_item(name_of(names, item.source), &item.item, memo)
}

fn name_of(names: &[String], source: usize) -> &str {
    names.get(source).map_or("-", String::as_str)
}

/// Splits one input into entries (`vouch::split_log`: the rule every front end shares).
fn split(
    reader: impl BufRead,
    source: usize,
    name: &str,
    sink: &mut dyn FnMut(Item) -> Result<(), Failure>,
) -> Result<(), Failure> {
    vouch::split_log(reader, &mut |item| sink(Item { source, item })).map_err(|e| match e {
        SplitError::Read(e) => Failure::file_error(CliCode::Unreadable, name, e.to_string()),
        SplitError::Stopped(failure) => failure,
    })
}
