//! `vouch check PATH…`: every workload in a folder of manifests, evaluated against a policy.
//! The files and objects are the ones `kubectl apply -f PATH…` reads (see [`kubectl`]).

mod kubectl;

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};
use vouch::{Decision, Evaluator, Evidence, Limits, Options, Outcome, RequestBuilder};
use vouch::{Subject, Timestamp};

use crate::failure::{CliCode, CliError, Failure};
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
    /// Only attestations signed at most this long before `now` count, by their signed time
    /// (`optional.timestamp`): `30d`, `12h`, `1d12h`, `90m`, `3600s`.
    #[arg(long, value_name = "DURATION")]
    max_attestation_age: Option<String>,
    /// With --max-attestation-age, measure an attestation without a signed time from its
    /// occurrence's `createTime` (unsigned; the decision says when it was used).
    #[arg(long)]
    trust_occurrence_time: bool,
    /// Cloud Run: evaluate an image written with a tag as the digest in the object's status
    /// (`status.imageDigest`, `containerStatuses[].imageDigest`) instead of the tag.
    #[arg(long)]
    use_resolved_digest: bool,
    /// Cloud Run: a Cloud Run platform policy (`cloudRunPolicy`; repeatable) for the services
    /// and jobs that name it (preview).
    #[arg(long, value_name = "FILE")]
    cloud_run_policy: Vec<String>,
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

/// What every workload is evaluated under, loaded once.
struct Config {
    limits: Limits,
    evaluator: Evaluator,
    evidence: Evidence,
    now: Timestamp,
    options: Options,
}

/// The rows of a check and its counts.
#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    files: usize,
    workloads: usize,
    denied: usize,
    errors: usize,
    skipped: usize,
}

impl Report {
    fn error(&mut self, file: &str, object: &str, e: &CliError) {
        self.errors += 1;
        self.rows.push(error_row(file, object, e));
    }

    fn skip(&mut self, file: &str, object: &str, code: kubectl::SkipCode, reason: &str) {
        self.skipped += 1;
        self.rows.push(skipped_row(file, object, code, reason));
    }
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let json = args.output == "json";
    let loaded = load_config(args)
        .and_then(|config| Ok((config, kubectl::collect(&args.paths, args.recursive)?)));
    let (config, entries) = match loaded {
        Ok(loaded) => loaded,
        Err(failure) => {
            crate::report(&failure, json);
            return ExitCode::from(2);
        }
    };
    let report = check_entries(args, &config, &entries);
    let out = if json {
        report
            .rows
            .iter()
            .map(|row| format!("{}\n", row.json))
            .collect()
    } else {
        render_table(&report)
    };
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if report.errors > 0 {
        ExitCode::from(2)
    } else if report.denied > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The policy, attestors, system policy, attestations and time, through the library's
/// loaders under one set of limits, compiled into one evaluator.
fn load_config(args: &CheckArgs) -> Result<Config, Failure> {
    let limits = Limits::DEFAULT;
    let policy = vouch::Policy::from_text_with_limits(&read_file(&args.policy)?, &limits)
        .map_err(in_config(args, None))?;
    let mut attestors = Vec::new();
    for file in &args.attestors {
        attestors.extend(
            vouch::attestors_from_text_with_limits(&read_file(file)?, &limits)
                .map_err(in_config(args, Some(file)))?,
        );
    }
    let system = match &args.system_policy {
        Some(file) => Some(
            vouch::SystemPolicy::from_text_with_limits(&read_file(file)?, &limits)
                .map_err(in_config(args, None))?,
        ),
        None => None,
    };
    let mut cloud_run = Vec::new();
    for file in &args.cloud_run_policy {
        cloud_run.push(
            vouch::CloudRunPolicy::from_text_with_limits(&read_file(file)?, &limits)
                .map_err(in_config(args, Some(file)))?,
        );
    }
    let evaluator = Evaluator::with_limits(policy, attestors, system, &limits)
        .map_err(in_config(args, None))?
        .with_cloud_run_policies_and_limits(cloud_run, &limits)
        .map_err(|e| {
            // `/INDEX/name`: the file of that policy.
            let index = e
                .path()
                .split('/')
                .nth(1)
                .and_then(|i| i.parse::<usize>().ok());
            let file = index.and_then(|i| args.cloud_run_policy.get(i));
            let rest = e.path().splitn(3, '/').nth(2).map(|r| format!("/{r}"));
            match (file, rest) {
                (Some(file), Some(rest)) => Failure {
                    error: e.into(),
                    file: Some(file.clone()),
                    path: rest,
                },
                _ => Failure::plain(e),
            }
        })?;
    let mut evidence = Evidence::new();
    for file in &args.attestations {
        vouch::parse_document(&read_file(file)?, &limits)
            .map_err(|e| e.about(Subject::Attestations))
            .and_then(|value| evidence.add_value(&value, &limits))
            .map_err(in_config(args, Some(file)))?;
    }
    let now_text = args.now.clone().unwrap_or_else(current_time);
    let now = Timestamp::parse_rfc3339(&now_text).map_err(|e| {
        Failure::plain(vouch::Error::new(
            vouch::ErrorCode::BundleInvalidNow,
            "/now",
            e.to_string(),
        ))
    })?;
    let max_age = match &args.max_attestation_age {
        Some(text) => Some(vouch::parse_duration(text).ok_or_else(|| {
            Failure::usage(format!(
                "--max-attestation-age `{text}` is not a duration: whole days, hours, minutes or seconds, largest first (e.g. `30d`, `12h`, `1d12h`)"
            ))
        })?),
        None => None,
    };
    Ok(Config {
        limits,
        evaluator,
        evidence,
        now,
        options: Options::strict_identity(args.strict_identity)
            .with_max_attestation_age(max_age)
            .with_trust_occurrence_time(args.trust_occurrence_time)
            .with_resolved_digest(args.use_resolved_digest),
    })
}

/// A configuration error, in the file its subject names: the policy or system policy file,
/// else the attestor or attestation file being read (`reading`). An error about the set of
/// attestors, read from all files in order as one list, is about `attestors`.
fn in_config<'a>(
    args: &'a CheckArgs,
    reading: Option<&'a str>,
) -> impl Fn(vouch::Error) -> Failure + 'a {
    move |e| {
        let file = match (e.subject(), &args.system_policy, reading) {
            (Subject::Policy, ..) => args.policy.as_str(),
            (Subject::SystemPolicy, Some(file), _) => file,
            (_, _, Some(file)) => file,
            _ => "attestors",
        };
        Failure::in_file(e, file)
    }
}

/// Every file of the walk, in order (with a progress line on a terminal for many files).
fn check_entries(args: &CheckArgs, config: &Config, entries: &[kubectl::Entry]) -> Report {
    let mut report = Report {
        files: entries
            .iter()
            .filter(|e| matches!(e, kubectl::Entry::File(_)))
            .count(),
        ..Report::default()
    };
    let progress = std::io::stderr().is_terminal() && report.files > 10;
    let mut n = 0;
    for entry in entries {
        match entry {
            kubectl::Entry::File(file) => {
                n += 1;
                if progress {
                    let _ = write!(std::io::stderr(), "\rchecking {n}/{} files", report.files);
                }
                check_file(args, config, file, &mut report);
            }
            kubectl::Entry::Skipped { path, code, reason } => {
                report.skip(&path.display().to_string(), "", *code, reason);
            }
        }
    }
    if progress {
        let _ = write!(std::io::stderr(), "\r\x1b[K");
    }
    report
}

/// The objects of one manifest file: each workload evaluated, the rest skipped.
fn check_file(args: &CheckArgs, config: &Config, file: &Path, report: &mut Report) {
    let shown = file.display().to_string();
    let found = read_manifest(file, &config.limits)
        .and_then(|text| Ok(kubectl::objects(&text, &config.limits)?));
    let found = match found {
        Ok(found) => found,
        Err(e) => return report.error(&shown, "", &e),
    };
    for object in found {
        let (kind, label, value) = match object {
            kubectl::Object::Found {
                kind, label, value, ..
            } => (kind, label, value),
            kubectl::Object::Invalid { label, error } => {
                report.error(&shown, &label, &error.into());
                continue;
            }
        };
        if !vouch::manifest::is_workload(&value) {
            let reason = format!("a {kind} runs no containers: there is no image to check");
            report.skip(&shown, &label, kubectl::SkipCode::NotAWorkload, &reason);
            continue;
        }
        report.workloads += 1;
        match evaluate_workload(args, config, value) {
            Ok(decision) => {
                if !decision.allowed {
                    report.denied += 1;
                }
                report.rows.extend(decision_rows(&shown, &label, &decision));
            }
            Err(e) => report.error(&shown, &label, &e.into()),
        }
    }
}

/// One workload's request (with the command line's target overrides), decided.
fn evaluate_workload(
    args: &CheckArgs,
    config: &Config,
    workload: Value,
) -> Result<Decision, vouch::Error> {
    let mut request = RequestBuilder::for_workload(workload);
    request.cluster = args.cluster.clone();
    request.namespace = args.namespace.clone();
    request.service_account = args.service_account.clone();
    request.mesh_identity = args.mesh_identity.clone();
    let request = request.build_with_limits(&config.limits)?;
    Ok(config
        .evaluator
        .evaluate(&request, &config.evidence, config.now, config.options))
}

/// The table and its summary line.
fn render_table(report: &Report) -> String {
    let mut out = table(&report.rows);
    let (files, workloads, denied, errors, skipped) = (
        report.files,
        report.workloads,
        report.denied,
        report.errors,
        report.skipped,
    );
    let _ = writeln!(
        out,
        "\n{files} files, {workloads} workloads, {} containers: {denied} workload{} denied, {errors} error{}, {skipped} skipped",
        report
            .rows
            .iter()
            .filter(|r| !r.container.is_empty())
            .count(),
        if denied == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
    );
    out
}

/// A manifest file's text: UTF-8, or UTF-16 with a byte-order mark, as kubectl's file visitor
/// reads it (`unicode.BOMOverride`). Where kubectl would replace invalid sequences with U+FFFD,
/// vouch refuses the file.
fn read_manifest(path: &Path, limits: &Limits) -> Result<String, CliError> {
    use std::io::Read as _;
    let shown = path.display();
    // Never more than the input limit (plus one byte, to know it was exceeded) in memory.
    let max = limits.max_input_bytes;
    let mut bytes = Vec::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(max as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| CliError::new(CliCode::Unreadable, format!("cannot read `{shown}`: {e}")))?;
    if bytes.len() > max {
        return Err(vouch::Error::new(
            vouch::ErrorCode::InputTooLarge,
            "",
            format!("`{shown}` is larger than the limit of {max} bytes"),
        )
        .into());
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
                .into()
            });
    }
    String::from_utf8(bytes).map_err(|e| {
        vouch::Error::new(
            vouch::ErrorCode::InputEncoding,
            "",
            format!("`{shown}` is not UTF-8 text: {e}"),
        )
        .into()
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

fn error_row(file: &str, object: &str, e: &CliError) -> Row {
    let reason = e.to_string();
    Row {
        file: file.to_owned(),
        object: object.to_owned(),
        container: String::new(),
        image: String::new(),
        outcome: "ERROR".into(),
        reason: reason.clone(),
        json: json!({"file": file, "object": object, "outcome": "ERROR", "error": e.to_value()}),
    }
}

fn decision_rows(file: &str, object: &str, decision: &Decision) -> Vec<Row> {
    // A Cloud Run service or job decided without evaluating an image: one row says why.
    if let (Some(cloud_run), true) = (&decision.cloud_run, decision.images.is_empty()) {
        let verdict = decision.verdict.as_str();
        let reason = cloud_run.reason.map(|r| r.as_str()).unwrap_or_default();
        let mut text = reason.to_owned();
        if let Some(policy) = &cloud_run.policy {
            let _ = write!(text, " `{policy}`");
        }
        if let Some(justification) = &cloud_run.break_glass_justification {
            let _ = write!(text, "; break-glass: `{justification}`");
        }
        return vec![Row {
            file: file.to_owned(),
            object: object.to_owned(),
            container: String::new(),
            image: String::new(),
            outcome: verdict.to_owned(),
            reason: text,
            json: json!({
                "file": file, "object": object, "outcome": verdict, "verdict": verdict,
                "cloudRun": cloud_run,
            }),
        }];
    }
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
