//! `vouch check PATH…`: every workload in a folder of manifests, evaluated against a policy.
//! The files and objects are the ones `kubectl apply -f PATH…` reads (see [`kubectl`]).

mod kubectl;

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};
use vouch::{Decision, Outcome};
use vouch::{Evaluator, Evidence, Limits, Options, RequestBuilder, Timestamp};

use crate::failure::Failure;
use crate::inputs::{current_time, read_file};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders of Kubernetes manifests, read as `kubectl apply -f PATH` reads them: in a
    /// folder, every `.json`, `.yaml` and `.yml` file (hidden ones too); a file named
    /// explicitly, whatever its extension.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// Walk subfolders too, as `kubectl apply -R` does (default: only the folder's own files).
    #[arg(short = 'R', long)]
    recursive: bool,
    /// The project policy.
    #[arg(long, value_name = "FILE")]
    policy: String,
    /// Attestor files (repeatable).
    #[arg(long, value_name = "FILE")]
    attestors: Vec<String>,
    /// Attestation files (repeatable).
    #[arg(long, value_name = "FILE")]
    attestations: Vec<String>,
    /// The system policy (default: the built-in documented list).
    #[arg(long, value_name = "FILE")]
    system_policy: Option<String>,
    /// The cluster the workloads would be deployed to (`LOCATION.NAME`).
    #[arg(long, value_name = "LOCATION.NAME")]
    cluster: Option<String>,
    /// Override every workload's namespace.
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,
    /// Override every workload's service account.
    #[arg(long, value_name = "SA")]
    service_account: Option<String>,
    /// The mesh identity.
    #[arg(long, value_name = "ID")]
    mesh_identity: Option<String>,
    /// The evaluation time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Kritis' binding: the payload's docker-reference must be the image's repository.
    #[arg(long)]
    strict_identity: bool,
    /// `table` (default) or `json` (one JSON object per line: per container, per error, per
    /// thing skipped).
    #[arg(long, default_value = "table", value_parser = ["table", "json"])]
    output: String,
}

/// One reported row: a container of a workload, or a file or workload that could not be read.
struct Row {
    file: String,
    object: String,
    container: String,
    image: String,
    outcome: String,
    reason: String,
    json: Value,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let json = args.output == "json";
    let setup = (|| -> Result<(Evaluator, Evidence, Timestamp), Failure> {
        let limits = Limits::DEFAULT;
        let policy = vouch::Policy::from_text(&read_file(&args.policy)?)
            .map_err(|e| Failure::in_file(e, &args.policy))?;
        let mut attestors = Vec::new();
        for file in &args.attestors {
            attestors.extend(
                vouch::attestors_from_text(&read_file(file)?)
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
        // The error's subject says which input it is about: the policy (an attestor it
        // requires was not given) or the attestors (all files, in order, as one list).
        let evaluator = Evaluator::new(policy, attestors, system).map_err(|e| {
            let file = match e.subject() {
                vouch::Subject::Policy => args.policy.as_str(),
                _ => "attestors",
            };
            Failure::in_file(e, file)
        })?;
        let mut evidence = Evidence::new();
        for file in &args.attestations {
            evidence
                .add_text(&read_file(file)?)
                .map_err(|e| Failure::in_file(e, file))?;
        }
        let now_text = args.now.clone().unwrap_or_else(current_time);
        let now = Timestamp::parse_rfc3339(&now_text).map_err(|e| {
            Failure::plain(vouch::Error::new(
                vouch::ErrorCode::BundleInvalidNow,
                "/now",
                e.to_string(),
            ))
        })?;
        Ok((evaluator, evidence, now))
    })();
    let (evaluator, evidence, now) = match setup {
        Ok(s) => s,
        Err(failure) => {
            crate::report(&failure, json);
            return ExitCode::from(2);
        }
    };
    let entries = match kubectl::collect(&args.paths, args.recursive) {
        Ok(e) => e,
        Err(failure) => {
            crate::report(&failure, json);
            return ExitCode::from(2);
        }
    };
    let files = entries
        .iter()
        .filter(|e| matches!(e, kubectl::Entry::File(_)))
        .count();
    let progress = std::io::stderr().is_terminal() && files > 10;
    let mut rows = Vec::new();
    let (mut denied, mut errors, mut workloads, mut skipped) = (0usize, 0usize, 0usize, 0usize);
    let options = Options::strict_identity(args.strict_identity);
    let mut n = 0;
    for entry in &entries {
        let file = match entry {
            kubectl::Entry::File(file) => file,
            kubectl::Entry::Skipped { path, code, reason } => {
                skipped += 1;
                rows.push(skipped_row(&path.display().to_string(), "", *code, reason));
                continue;
            }
        };
        n += 1;
        if progress {
            let _ = write!(std::io::stderr(), "\rchecking {n}/{files} files");
        }
        let shown = file.display().to_string();
        let text = match read_manifest(file) {
            Ok(t) => t,
            Err(e) => {
                errors += 1;
                rows.push(error_row(&shown, "", &e));
                continue;
            }
        };
        let found = match kubectl::objects(&text, &Limits::DEFAULT) {
            Ok(found) => found,
            Err(e) => {
                errors += 1;
                rows.push(error_row(&shown, "", &e));
                continue;
            }
        };
        for object in found {
            let (kind, label, value) = match object {
                kubectl::Object::Found {
                    kind, label, value, ..
                } => (kind, label, value),
                kubectl::Object::Invalid { label, error } => {
                    errors += 1;
                    rows.push(error_row(&shown, &label, &error));
                    continue;
                }
            };
            if !vouch::manifest::is_workload_kind(&kind) {
                skipped += 1;
                let reason = format!("a {kind} runs no containers: there is no image to check");
                rows.push(skipped_row(
                    &shown,
                    &label,
                    kubectl::SkipCode::NotAWorkload,
                    &reason,
                ));
                continue;
            }
            workloads += 1;
            let mut doc = RequestBuilder::for_workload(value);
            doc.cluster = args.cluster.clone();
            doc.namespace = args.namespace.clone();
            doc.service_account = args.service_account.clone();
            doc.mesh_identity = args.mesh_identity.clone();
            match doc.build() {
                Ok(request) => {
                    let decision = evaluator.evaluate(&request, &evidence, now, options);
                    if !decision.allowed {
                        denied += 1;
                    }
                    rows.extend(decision_rows(&shown, &label, &decision));
                }
                Err(e) => {
                    errors += 1;
                    rows.push(error_row(&shown, &label, &e));
                }
            }
        }
    }
    if progress {
        let _ = write!(std::io::stderr(), "\r\x1b[K");
    }
    let mut out = String::new();
    if json {
        for row in &rows {
            let _ = writeln!(out, "{}", row.json);
        }
    } else {
        out = table(&rows);
        let _ = writeln!(
            out,
            "\n{files} files, {workloads} workloads, {} containers: {denied} workload{} denied, {errors} error{}, {skipped} skipped",
            rows.iter().filter(|r| !r.container.is_empty()).count(),
            if denied == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
        );
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if errors > 0 {
        ExitCode::from(2)
    } else if denied > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A manifest file's text: UTF-8, or UTF-16 with a byte-order mark, as kubectl's file visitor
/// reads it (`unicode.BOMOverride`). Where kubectl would replace invalid sequences with U+FFFD,
/// vouch refuses the file.
fn read_manifest(path: &Path) -> Result<String, vouch::Error> {
    use std::io::Read as _;
    let shown = path.display();
    // Never more than the input limit (plus one byte, to know it was exceeded) in memory.
    let max = Limits::DEFAULT.max_input_bytes;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| {
        vouch::Error::new(
            vouch::ErrorCode::InputUnreadable,
            "",
            format!("cannot read `{shown}`: {e}"),
        )
    })?;
    if bytes.len() > max {
        return Err(vouch::Error::new(
            vouch::ErrorCode::InputTooLarge,
            "",
            format!("`{shown}` is larger than the limit of {max} bytes"),
        ));
    }
    let utf16 = match bytes.get(..2) {
        Some([0xff, 0xfe]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xfe, 0xff]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let body = bytes.get(2..).unwrap_or_default();
        let units = body.chunks(2).map(|c| match c {
            [a, b] => Ok(unit([*a, *b])),
            _ => Err(()),
        });
        let units: Result<Vec<u16>, ()> = units.collect();
        return units
            .ok()
            .and_then(|u| String::from_utf16(&u).ok())
            .ok_or_else(|| {
                vouch::Error::new(
                    vouch::ErrorCode::InputEncoding,
                    "",
                    format!(
                        "`{shown}` starts with a UTF-16 byte-order mark but is not UTF-16 text"
                    ),
                )
            });
    }
    String::from_utf8(bytes).map_err(|e| {
        vouch::Error::new(
            vouch::ErrorCode::InputEncoding,
            "",
            format!("`{shown}` is not UTF-8 text: {e}"),
        )
    })
}

fn skipped_row(file: &str, object: &str, code: kubectl::SkipCode, reason: &str) -> Row {
    Row {
        file: file.to_owned(),
        object: object.to_owned(),
        container: String::new(),
        image: String::new(),
        outcome: "SKIPPED".into(),
        reason: format!("{}: {reason}", code.as_str()),
        json: json!({"file": file, "object": object, "outcome": "SKIPPED",
                     "skipped": {"code": code.as_str(), "message": reason}}),
    }
}

fn error_row(file: &str, object: &str, e: &vouch::Error) -> Row {
    let reason = if e.path().is_empty() {
        format!("{}: {}", e.code(), e.message())
    } else {
        format!("{} at {}: {}", e.code(), e.path(), e.message())
    };
    Row {
        file: file.to_owned(),
        object: object.to_owned(),
        container: String::new(),
        image: String::new(),
        outcome: "ERROR".into(),
        reason: reason.clone(),
        json: json!({"file": file, "object": object, "outcome": "ERROR", "error": e}),
    }
}

fn decision_rows(file: &str, object: &str, decision: &Decision) -> Vec<Row> {
    decision
        .images
        .iter()
        .map(|image| {
            let outcome = image.outcome.as_str();
            // A violation the pod was admitted with anyway.
            let overridden = match decision.verdict {
                vouch::Verdict::BreakGlassAllow => Some("admitted by break-glass"),
                vouch::Verdict::DryRunAllow => Some("admitted by dry run"),
                _ => None,
            }
            .filter(|_| image.outcome == Outcome::Violation);
            let tag_only = vouch::ImageRef::parse(&image.image).is_ok_and(|r| r.digest().is_none());
            let mut reasons: Vec<String> = image
                .reasons
                .iter()
                .map(|r| match &r.attestor {
                    Some(a) => format!("{} {}", r.code.as_str(), short_attestor(a)),
                    None => r.code.as_str().to_owned(),
                })
                .collect();
            if let Some(ex) = &image.exemption {
                reasons.push(format!("exempt by `{}`", ex.pattern));
            }
            if let Some(how) = overridden {
                reasons.insert(0, how.to_owned());
            }
            if tag_only {
                reasons.push("tag-only image: pin it by digest (IMAGE@sha256:…)".into());
            }
            let container = image.container.clone().unwrap_or_default();
            Row {
                file: file.to_owned(),
                object: object.to_owned(),
                container: container.clone(),
                image: image.image.clone(),
                outcome: outcome.to_owned(),
                reason: reasons.join("; "),
                json: json!({
                    "file": file, "object": object, "container": container, "image": image.image,
                    "outcome": outcome, "verdict": decision.verdict.as_str(),
                    "reasons": image.reasons.iter().map(|r| json!({"code": r.code.as_str(), "attestor": r.attestor})).collect::<Vec<_>>(),
                    "tagOnly": tag_only,
                }),
            }
        })
        .collect()
}

/// `projects/p/attestors/qa` → `qa` for the table.
fn short_attestor(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn table(rows: &[Row]) -> String {
    let headers = ["FILE", "OBJECT", "CONTAINER", "IMAGE", "OUTCOME", "REASON"];
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.file.as_str(),
                &r.object,
                &r.container,
                &r.image,
                &r.outcome,
                &r.reason,
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |row: [&str; 6]| {
        let mut s = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i == 5 {
                s.push_str(cell);
            } else {
                let _ = write!(s, "{cell:<w$}  ");
            }
        }
        let _ = writeln!(out, "{}", s.trim_end());
    };
    line(headers);
    for row in cells {
        line(row);
    }
    out
}
