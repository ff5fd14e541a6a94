//! `vouch cv`: continuous validation of a cluster snapshot, offline — the log entries GKE's CV
//! would write for `kubectl get pods -A -o json`, one per violated platform policy per Pod.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Map, Value, json};
use vouch::{CvReport, Limits};

use crate::failure::Failure;
use crate::inputs::{current_time, read_file};

/// Snapshots with more Pods than this get a progress line on stderr.
const PROGRESS_PODS: usize = 2_000;

/// A snapshot file may be larger than other inputs: `kubectl get pods -A -o json` of a large
/// cluster easily exceeds the library's default 64 MiB.
const MAX_SNAPSHOT_BYTES: usize = 1024 * 1024 * 1024;

#[derive(Debug, Args)]
pub struct CvArgs {
    /// A platform policy to monitor, `NAME=FILE` (repeatable, at most 10). NAME is what the
    /// log entries call it (`projects/PROJECT_NUMBER/platforms/gke/policies/ID`, as CV logs
    /// it; with --cluster-config a binding is served by the policy whose NAME is the bound
    /// name or its last segment).
    #[arg(long, value_name = "NAME=FILE", required = true)]
    policy: Vec<String>,
    /// The Pods: `kubectl get pods -A -o json` (a List), a PodList, or one Pod; `-` reads
    /// standard input (`kubectl get pods -A -o json | vouch cv --pods - …`).
    #[arg(long, value_name = "FILE")]
    pods: String,
    /// Evidence files (repeatable), as for `vouch platform evaluate`.
    #[arg(long, value_name = "FILE")]
    evidence: Vec<String>,
    /// Trust material for DSSE, in-toto and sigstore evidence.
    #[arg(long, value_name = "FILE")]
    trust: Option<String>,
    /// The cluster, `PROJECT/LOCATION/NAME`: each event is then written inside its Cloud
    /// Logging entry (`logName`, `resource`, `severity`, `timestamp`).
    #[arg(long, value_name = "PROJECT/LOCATION/NAME")]
    cluster: Option<String>,
    /// The cluster's `binaryAuthorization` block (`gcloud container clusters describe
    /// --format=json`, or the whole output): only its bound policies are monitored, and only
    /// in a POLICY_BINDINGS mode.
    #[arg(long, value_name = "FILE")]
    cluster_config: Option<String>,
    /// The evaluation time, RFC 3339 (default: now); also each entry's `timestamp`.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
}

/// Exit status: 0 no violation and no error, 1 at least one log entry (a violation or a
/// configuration error event), 3 no entry but ERROR results or skipped Pods, 2 usage or
/// configuration error.
pub fn run(args: &CvArgs) -> ExitCode {
    let report = match cv(args) {
        Ok(report) => report,
        Err(failure) => {
            crate::report(&failure, false);
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for entry in &report.entries {
        if writeln!(stdout, "{}", entry.to_json()).is_err() {
            return ExitCode::from(2);
        }
    }
    if stdout.flush().is_err() {
        return ExitCode::from(2);
    }
    let mut stderr = std::io::stderr().lock();
    for error in &report.errors {
        let line = serde_json::to_string(error).unwrap_or_default();
        let _ = writeln!(stderr, "vouch: cv: error {line}");
    }
    let summary = serde_json::to_string(&report.summary).unwrap_or_default();
    let _ = writeln!(stderr, "vouch: cv: summary {summary}");
    if !report.entries.is_empty() {
        ExitCode::from(1)
    } else if !report.errors.is_empty() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn cv(args: &CvArgs) -> Result<CvReport, Failure> {
    let mut limits = Limits::DEFAULT;
    let mut policies = Map::new();
    let mut files = Vec::new();
    for item in &args.policy {
        let Some((name, file)) = item
            .split_once('=')
            .filter(|(n, f)| !n.is_empty() && !f.is_empty())
        else {
            return Err(Failure::usage(format!(
                "`--policy {item}` must be NAME=FILE"
            )));
        };
        if policies.contains_key(name) {
            return Err(Failure::usage(format!("policy `{name}` is given twice")));
        }
        policies.insert(name.to_owned(), Value::String(read_file(file)?));
        files.push((name.to_owned(), file.to_owned()));
    }
    let mut doc = Map::new();
    doc.insert("platformPolicies".into(), Value::Object(policies));
    let pods_text = read_file(&args.pods)?;
    limits.max_input_bytes = MAX_SNAPSHOT_BYTES;
    let pods =
        vouch::parse_document(&pods_text, &limits).map_err(|e| Failure::in_file(e, &args.pods))?;
    drop(pods_text);
    limits.max_input_bytes = Limits::DEFAULT.max_input_bytes;
    let count = pods
        .get("items")
        .and_then(Value::as_array)
        .map_or(1, Vec::len);
    if count > PROGRESS_PODS {
        let policies = match files.len() {
            1 => "1 policy".to_owned(),
            n => format!("{n} policies"),
        };
        let _ = writeln!(
            std::io::stderr(),
            "vouch: cv: evaluating {count} Pods against {policies}…"
        );
    }
    doc.insert("pods".into(), pods);
    let mut evidence = Vec::with_capacity(args.evidence.len());
    for path in &args.evidence {
        evidence.push(Value::String(read_file(path)?));
    }
    doc.insert("attestations".into(), Value::Array(evidence));
    if let Some(path) = &args.trust {
        doc.insert("trust".into(), Value::String(read_file(path)?));
    }
    if let Some(cluster) = &args.cluster {
        doc.insert("cluster".into(), Value::String(cluster.clone()));
    }
    if let Some(path) = &args.cluster_config {
        doc.insert("clusterConfig".into(), Value::String(read_file(path)?));
    }
    doc.insert(
        "now".into(),
        json!(args.now.clone().unwrap_or_else(current_time)),
    );
    vouch::continuous_validation_with_limits(Value::Object(doc), &limits).map_err(|error| {
        let (file, path) = locate(args, &files, error.path());
        Failure {
            error: error.into(),
            file,
            path,
        }
    })
}

/// Maps a document pointer back to the file it came from.
fn locate(args: &CvArgs, policies: &[(String, String)], path: &str) -> (Option<String>, String) {
    let strip = |prefix: &str| -> Option<String> {
        path.strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(str::to_owned)
    };
    for (name, file) in policies {
        let mut prefix = String::from("/platformPolicies/");
        prefix.push_str(&name.replace('~', "~0").replace('/', "~1"));
        if let Some(rest) = strip(&prefix) {
            return (Some(file.clone()), rest);
        }
    }
    if let Some(rest) = strip("/pods") {
        return (Some(args.pods.clone()), rest);
    }
    if let (Some(file), Some(rest)) = (&args.trust, strip("/trust")) {
        return (Some(file.clone()), rest);
    }
    if let (Some(file), Some(rest)) = (&args.cluster_config, strip("/clusterConfig")) {
        return (Some(file.clone()), rest);
    }
    if let Some(rest) = strip("/attestations") {
        let mut parts = rest.splitn(3, '/');
        let _ = parts.next();
        if let Some(index) = parts.next().and_then(|i| i.parse::<usize>().ok()) {
            let inner = parts.next().map(|p| format!("/{p}")).unwrap_or_default();
            return (args.evidence.get(index).cloned(), inner);
        }
    }
    (None, path.to_owned())
}
