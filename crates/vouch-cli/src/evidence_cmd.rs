//! `vouch evidence inspect FILE…`: what the evidence says, per image digest — every item,
//! whether it verified and with which key, why not, and how old its signed statement is.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{Map, Value};
use vouch::{EvidenceReport, ItemReport, Timestamp};

use crate::failure::Failure;
use crate::inputs::{current_time, read_file};

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Report, per image digest, what the evidence files hold: attestations, vulnerability
    /// findings, scans, build provenance, cosign/sigstore signatures and image records —
    /// what verified with which key, what did not and why, and how old each signed
    /// statement is.
    ///
    /// Exit status: 0 the report was printed, 2 usage or configuration error.
    Inspect(InspectArgs),
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Evidence files: occurrence lists (`gcloud … --format=json`, `{"occurrences": […]}`),
    /// JSON lines, `gcloud artifacts docker images describe --show-all-metadata --format=json`
    /// output, `cosign download signature` output, sigstore bundles, image listings.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Only this image (a reference with a digest, or `sha256:<hex>`).
    #[arg(long, value_name = "REF")]
    image: Option<String>,
    /// Attestors to verify `ATTESTATION` occurrences with (repeatable).
    #[arg(long, value_name = "FILE")]
    attestors: Vec<String>,
    /// Trust material for DSSE, in-toto and sigstore evidence: `{"keys": […], "rekorKeys": […],
    /// "cloudBuildKeys": true}` (docs/formats.md). Cloud Build's provenance keys are trusted
    /// by default.
    #[arg(long, value_name = "FILE")]
    keys: Option<String>,
    /// The time ages are measured at, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// `table` (default) or `json` (the evidence report, as every front end prints it).
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    output: String,
}

pub fn run(command: &EvidenceCommand) -> ExitCode {
    let EvidenceCommand::Inspect(args) = command;
    let json = args.output == "json";
    let mut stdout = std::io::stdout().lock();
    match inspect(args) {
        Ok((report, now)) => {
            let written = if json {
                writeln!(stdout, "{}", report.to_json())
            } else {
                write!(stdout, "{}", table(&report, now))
            };
            if written.is_err() {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            crate::report(&failure, json);
            ExitCode::from(2)
        }
    }
}

fn inspect(args: &InspectArgs) -> Result<(EvidenceReport, Timestamp), Failure> {
    let mut doc = Map::new();
    let mut evidence = Vec::with_capacity(args.files.len());
    for file in &args.files {
        evidence.push(Value::String(read_file(file)?));
    }
    doc.insert("attestations".into(), Value::Array(evidence));
    let mut attestors = Vec::with_capacity(args.attestors.len());
    for file in &args.attestors {
        attestors.push(Value::String(read_file(file)?));
    }
    doc.insert("attestors".into(), Value::Array(attestors));
    if let Some(file) = &args.keys {
        doc.insert("trust".into(), Value::String(read_file(file)?));
    }
    if let Some(image) = &args.image {
        doc.insert("image".into(), Value::String(image.clone()));
    }
    let now_text = args.now.clone().unwrap_or_else(current_time);
    let now =
        Timestamp::parse_rfc3339(&now_text).map_err(|e| Failure::usage(format!("--now: {e}")))?;
    doc.insert("now".into(), Value::String(now_text));
    let text = Value::Object(doc).to_string();
    let report = vouch::inspect_evidence_document(&text).map_err(|e| locate(e, args))?;
    Ok((report, now))
}

/// An error in the inspection document, in the file it came from.
fn locate(error: vouch::Error, args: &InspectArgs) -> Failure {
    let path = error.path().to_owned();
    let in_list = |member: &str, files: &[String]| -> Option<(String, String)> {
        let rest = path.strip_prefix(member)?.strip_prefix('/')?;
        let (index, inner) = rest.split_once('/').map_or((rest, ""), |(i, r)| (i, r));
        let file = files.get(index.parse::<usize>().ok()?)?;
        let inner = if inner.is_empty() {
            String::new()
        } else {
            format!("/{inner}")
        };
        Some((file.clone(), inner))
    };
    let located = in_list("/attestations", &args.files)
        .or_else(|| in_list("/attestors", &args.attestors))
        .or_else(|| {
            let file = args.keys.as_ref()?;
            let inner = path.strip_prefix("/trust")?;
            Some((file.clone(), inner.to_owned()))
        });
    match located {
        Some((file, inner)) => Failure::in_file(
            vouch::Error::new(error.code(), inner, error.message()),
            &file,
        ),
        None => Failure::plain(error),
    }
}

/// The human table: one block per digest, one line per item.
fn table(report: &EvidenceReport, now: Timestamp) -> String {
    let mut out = String::new();
    if report.images.is_empty() && report.without_digest.is_empty() {
        out.push_str("no evidence for any image digest\n");
    }
    for image in &report.images {
        out.push_str(&format!(
            "{}  ({} items)\n",
            image.digest,
            image.items.len()
        ));
        rows(&mut out, &image.items, now);
    }
    if !report.without_digest.is_empty() {
        out.push_str(&format!(
            "naming no image digest  ({} items, counted for none)\n",
            report.without_digest.len()
        ));
        rows(&mut out, &report.without_digest, now);
    }
    let unknown: Vec<String> = report
        .unknown_kinds
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    out.push_str(&format!("{} items read", report.items_read));
    if !unknown.is_empty() {
        out.push_str(&format!("; kinds not read: {}", unknown.join(", ")));
    }
    out.push('\n');
    out
}

fn rows(out: &mut String, items: &[ItemReport], now: Timestamp) {
    for item in items {
        let time = match (item.signed_time, item.witnessed_time, item.recorded_time) {
            (Some(t), _, _) => format!("signed {} ago", age(now, t)),
            (None, Some(t), _) => format!("witnessed {} ago", age(now, t)),
            (None, None, Some(t)) => format!("recorded {} ago (unsigned)", age(now, t)),
            (None, None, None) => "no time".to_owned(),
        };
        let who = item
            .key_id
            .as_deref()
            .map_or_else(|| item.message.clone(), |k| format!("key {k}"));
        out.push_str(&format!(
            "  {:<17} {:<11} {:<32} {:<32} {}\n",
            item.kind,
            item.status.as_str(),
            item.code,
            time,
            who
        ));
        if !item.name.is_empty() {
            out.push_str(&format!("  {:<17} {}\n", "", item.name));
        }
    }
}

/// `now - t`, as days/hours/minutes; `in the future` when `t` is after `now`.
fn age(now: Timestamp, t: Timestamp) -> String {
    let seconds = now.unix_seconds().saturating_sub(t.unix_seconds());
    if seconds < 0 {
        return format!(
            "-{} (in the future)",
            vouch::format_duration(seconds.unsigned_abs())
        );
    }
    let seconds = seconds.unsigned_abs();
    // Minutes are enough for people.
    vouch::format_duration(if seconds >= 60 {
        seconds - seconds % 60
    } else {
        seconds
    })
}
