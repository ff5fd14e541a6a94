//! `vouch replay`: decide logged deployments again under a candidate policy (decisions X-1 …
//! X-4) and say what it would have changed.
//!
//! The binary's part is I/O and scheduling: finding the inputs (files, folders, standard
//! input), splitting each into entries (JSON lines, a JSON array as `gcloud logging read
//! --format=json` prints it, or one document: a cluster snapshot, a Cloud Run resource),
//! deciding batches of entries on every core, and writing the records in input order. Every
//! decision, record and count is the library's (`vouch::Replayer`, `vouch::ReplaySummary`).
//!
//! Memory stays flat: entries are read in batches of [`BATCH_ENTRIES`], each thread keeps a
//! bounded memo, and the duplicate filter is bounded (`vouch::SeenEntries`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal as _, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::Value;
use vouch::{
    Evaluator, Evidence, Limits, Options, ReplayMemo, ReplayOutcome, ReplaySummary, Replayer,
    SeenEntries, Subject, Timestamp,
};

use crate::failure::{CliCode, Failure};
use crate::inputs::read_file;

/// Entries decided together (per batch, split across the threads).
pub const BATCH_ENTRIES: usize = 8_192;

/// The largest single entry (one line, one array element) read; a longer one is malformed.
const MAX_ENTRY_BYTES: usize = 16 * 1024 * 1024;

/// The largest whole document (a snapshot) read at once; its parsed form takes about nine
/// times as much memory.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

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
    /// Threads deciding entries (default: the machine's cores).
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

/// One entry to decide.
enum Item {
    /// A line or array element, as text.
    Text {
        source: usize,
        entry: u64,
        text: String,
    },
    /// A whole document (a snapshot, a Cloud Run resource, one pretty-printed entry).
    Document { source: usize, value: Value },
    /// An entry that could not be split out of its input.
    Broken {
        source: usize,
        entry: u64,
        error: vouch::Error,
    },
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
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH_ENTRIES);
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
    for (source, path) in files.iter().enumerate() {
        let reader: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(File::open(path).map_err(|e| {
                Failure::file_error(CliCode::Unreadable, name_of(&names, source), e.to_string())
            })?)
        };
        let reader = BufReader::with_capacity(
            1 << 20,
            Counting {
                inner: reader,
                count: bytes_read.clone(),
            },
        );
        split(reader, source, name_of(&names, source), &mut |item| {
            batch.push(item);
            if batch.len() >= BATCH_ENTRIES {
                state.decide(&mut batch)?;
                progress.update(
                    bytes_read.load(std::sync::atomic::Ordering::Relaxed),
                    state.entries,
                    false,
                );
            }
            Ok(())
        })?;
    }
    state.decide(&mut batch)?;
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
        // 2. In input order: duplicates (the first copy counts), and --strict.
        let mut results = results;
        for done in results.iter_mut().flatten() {
            done.duplicate = done
                .key
                .as_deref()
                .is_some_and(|key| self.seen.check_key(key));
            if self.strict
                && !done.duplicate
                && let ReplayOutcome::Malformed(m) = &done.outcome
            {
                return Err(Failure {
                    error: m.error.clone().into(),
                    file: Some(m.source.clone()),
                    path: format!("(entry {}){}", m.entry, m.error.path()),
                });
            }
        }
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
        Ok(())
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
    match item {
        Item::Text {
            source,
            entry,
            text,
        } => replayer.replay_line(name_of(names, *source), *entry, text, memo),
        Item::Document { source, value } => {
            let name = name_of(names, *source);
            replayer
                .replay_document(name, value, memo)
                .unwrap_or_else(|| vec![replayer.replay_value(name, 1, value, memo)])
        }
        Item::Broken {
            source,
            entry,
            error,
        } => vec![ReplayOutcome::Malformed(Box::new(vouch::Malformed {
            source: name_of(names, *source).to_owned(),
            entry: *entry,
            error: error.clone(),
        }))],
    }
}

fn name_of(names: &[String], source: usize) -> &str {
    names.get(source).map_or("-", String::as_str)
}

type Sink<'a> = dyn FnMut(Item) -> Result<(), Failure> + 'a;

/// Splits one input into entries: JSON arrays element by element (`gcloud logging read
/// --format=json`, also several appended one after the other), JSON lines line by line (a file
/// whose first entry starts with `{` on its first line), anything else (a pretty-printed
/// document, YAML) as one document. Nothing is dropped: a line that is too long or not UTF-8,
/// data after an array, a document too large or not UTF-8, each is one malformed entry.
fn split(
    mut reader: impl BufRead,
    source: usize,
    name: &str,
    sink: &mut Sink<'_>,
) -> Result<(), Failure> {
    let unreadable =
        |e: std::io::Error| Failure::file_error(CliCode::Unreadable, name, e.to_string());
    // The first significant byte says which; the lines skipped before it still count.
    let mut skipped_lines = 0u64;
    let first = loop {
        let buf = reader.fill_buf().map_err(unreadable)?;
        if buf.is_empty() {
            return Ok(());
        }
        let skip = buf
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || matches!(b, 0xEF | 0xBB | 0xBF))
            .count();
        skipped_lines += buf
            .get(..skip)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        if let Some(&first) = buf.get(skip) {
            reader.consume(skip);
            break first;
        }
        let n = buf.len();
        reader.consume(n);
    };
    if first == b'[' {
        return split_arrays(reader, source, name, sink);
    }
    let mut first_line = Vec::new();
    read_line_bounded(&mut reader, &mut first_line).map_err(unreadable)?;
    // A pretty-printed document opens with `{` alone on its line; JSON lines never do.
    let pretty = first_line
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .eq(b"{".iter());
    if first == b'{' && !pretty {
        let mut entry = skipped_lines + 1;
        line_entry(first_line, source, entry, sink)?;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = read_line_bounded(&mut reader, &mut line).map_err(unreadable)?;
            if n == 0 {
                return Ok(());
            }
            entry += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            line_entry(std::mem::take(&mut line), source, entry, sink)?;
        }
    }
    let mut rest = first_line;
    let read = (&mut reader)
        .take(MAX_DOCUMENT_BYTES as u64 + 1)
        .read_to_end(&mut rest)
        .map_err(unreadable)?;
    let broken = |error: vouch::Error| Item::Broken {
        source,
        entry: 1,
        error,
    };
    if read > MAX_DOCUMENT_BYTES {
        return sink(broken(vouch::Error::new(
            vouch::ErrorCode::InputTooLarge,
            "",
            format!(
                "a whole document (not JSON lines) larger than {} MiB: split a snapshot by namespace (`kubectl get pods -n NS -o json`)",
                MAX_DOCUMENT_BYTES >> 20
            ),
        )));
    }
    let Ok(text) = String::from_utf8(rest) else {
        return sink(broken(vouch::Error::new(
            vouch::ErrorCode::InputEncoding,
            "",
            "the file is not UTF-8",
        )));
    };
    let mut limits = Limits::DEFAULT;
    limits.max_input_bytes = MAX_DOCUMENT_BYTES;
    match vouch::parse_document(&text, &limits) {
        Ok(value) => sink(Item::Document { source, value }),
        Err(error) => sink(broken(error)),
    }
}

/// One line of a JSON-lines file as an entry (too long or not UTF-8: malformed).
fn line_entry(
    line: Vec<u8>,
    source: usize,
    entry: u64,
    sink: &mut Sink<'_>,
) -> Result<(), Failure> {
    if line.len() > MAX_ENTRY_BYTES {
        return sink(Item::Broken {
            source,
            entry,
            error: too_large(),
        });
    }
    match String::from_utf8(line) {
        Ok(text) => sink(Item::Text {
            source,
            entry,
            text,
        }),
        Err(_) => sink(Item::Broken {
            source,
            entry,
            error: vouch::Error::new(vouch::ErrorCode::InputEncoding, "", "the line is not UTF-8"),
        }),
    }
}

/// Top-level JSON arrays one after the other (each `[` already found): their elements are
/// numbered on across them. Anything else after an array is one malformed entry.
fn split_arrays(
    mut reader: impl BufRead,
    source: usize,
    name: &str,
    sink: &mut Sink<'_>,
) -> Result<(), Failure> {
    let unreadable =
        |e: std::io::Error| Failure::file_error(CliCode::Unreadable, name, e.to_string());
    let mut entry = 0u64;
    loop {
        reader.consume(1); // the `[`
        if !split_array(&mut reader, source, name, &mut entry, sink)? {
            return Ok(()); // truncated: its last element was reported
        }
        // After the `]`: only whitespace, or another array.
        let next = loop {
            let buf = reader.fill_buf().map_err(unreadable)?;
            if buf.is_empty() {
                return Ok(());
            }
            let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if let Some(&b) = buf.get(skip) {
                reader.consume(skip);
                break b;
            }
            let n = buf.len();
            reader.consume(n);
        };
        if next != b'[' {
            entry += 1;
            // Read on to the end without keeping it: one malformed entry says what was there.
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(unreadable)?;
            return sink(Item::Broken {
                source,
                entry,
                error: vouch::Error::new(
                    vouch::ErrorCode::InputSyntax,
                    "",
                    "data after the JSON array that is not another array",
                ),
            });
        }
    }
}

fn too_large() -> vouch::Error {
    vouch::Error::new(
        vouch::ErrorCode::InputTooLarge,
        "",
        format!("the entry is larger than {MAX_ENTRY_BYTES} bytes"),
    )
}

/// Reads a line (with its newline) but keeps at most [`MAX_ENTRY_BYTES`] + 1 bytes of it, so a
/// file without newlines cannot exhaust memory. Returns the bytes consumed.
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut consumed = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_ENTRY_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(buf.get(..take.min(room)).unwrap_or_default());
        reader.consume(take);
        consumed += take;
        if done {
            return Ok(consumed);
        }
    }
}

/// One top-level JSON array, element by element (the `[` already consumed); `false` when the
/// input ended before its `]`: each element's text
/// is found by tracking strings and nesting, then parsed on its own, so one bad element does
/// not stop the others.
fn split_array(
    reader: &mut impl BufRead,
    source: usize,
    name: &str,
    entry: &mut u64,
    sink: &mut Sink<'_>,
) -> Result<bool, Failure> {
    let unreadable =
        |e: std::io::Error| Failure::file_error(CliCode::Unreadable, name, e.to_string());
    let mut element: Vec<u8> = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut oversized = false;
    let mut emit =
        |element: &mut Vec<u8>, oversized: &mut bool, entry: &mut u64| -> Result<(), Failure> {
            if element.iter().all(u8::is_ascii_whitespace) && !*oversized {
                element.clear();
                return Ok(());
            }
            *entry += 1;
            let item = if *oversized {
                Item::Broken {
                    source,
                    entry: *entry,
                    error: too_large(),
                }
            } else {
                match String::from_utf8(std::mem::take(element)) {
                    Ok(text) => Item::Text {
                        source,
                        entry: *entry,
                        text,
                    },
                    Err(_) => Item::Broken {
                        source,
                        entry: *entry,
                        error: vouch::Error::new(
                            vouch::ErrorCode::InputEncoding,
                            "",
                            "the element is not UTF-8",
                        ),
                    },
                }
            };
            element.clear();
            *oversized = false;
            sink(item)
        };
    loop {
        let buf = reader.fill_buf().map_err(unreadable)?;
        if buf.is_empty() {
            // A truncated array: what was read of the last element is malformed.
            emit(&mut element, &mut oversized, entry)?;
            return Ok(false);
        }
        let n = buf.len();
        let mut start = 0;
        let mut closed = None;
        for (i, &b) in buf.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => depth -= 1,
                b',' | b']' if depth == 0 => {
                    let part = buf.get(start..i).unwrap_or_default();
                    if element.len() + part.len() <= MAX_ENTRY_BYTES {
                        element.extend_from_slice(part);
                    } else {
                        oversized = true;
                    }
                    emit(&mut element, &mut oversized, entry)?;
                    start = i + 1;
                    if b == b']' {
                        closed = Some(i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some(end) = closed {
            reader.consume(end);
            return Ok(true);
        }
        let part = buf.get(start..).unwrap_or_default();
        if element.len() + part.len() <= MAX_ENTRY_BYTES {
            element.extend_from_slice(part);
        } else {
            oversized = true;
            element.clear();
        }
        reader.consume(n);
    }
}
