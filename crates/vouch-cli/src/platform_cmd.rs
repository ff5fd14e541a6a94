//! `vouch platform evaluate`: a GKE platform policy against images or a workload, offline,
//! as `gcloud container binauthz policy evaluate` asks Binary Authorization.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};
use vouch::{PlatformImageResult, PlatformResponse, PlatformVerdict};

use crate::failure::Failure;
use crate::inputs::{current_time, read_file};

#[derive(Debug, Subcommand)]
pub enum PlatformCommand {
    /// Evaluate images or a workload against a GKE platform policy (check-based policy:
    /// trusted directory, freshness, attestation, sigstore, SLSA, vulnerability, always-deny
    /// checks), as `gcloud container binauthz policy evaluate` does, offline.
    ///
    /// With --image the default (unscoped) check set is used, as gcloud does; a --workload's
    /// namespace and service account select the check set. JSON output is Binary
    /// Authorization's `EvaluateGkePolicyResponse` plus vouch's `details` codes.
    ///
    /// Exit status: 0 CONFORMANT, 1 NON_CONFORMANT, 3 ERROR (a check could not be evaluated
    /// and none is non-conformant), 2 usage or configuration error.
    Evaluate(PlatformEvaluateArgs),
}

/// Output format of `platform evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlatformOutput {
    /// A per-image, per-check table.
    Text,
    /// The `EvaluateGkePolicyResponse` JSON (or the error JSON).
    Json,
}

#[derive(Debug, Args)]
pub struct PlatformEvaluateArgs {
    /// The platform policy (YAML or JSON, `gcloud … binauthz policy create --policy-file`).
    #[arg(long, value_name = "FILE")]
    policy: String,
    /// An image to evaluate, as a Pod would list it (repeatable; the default check set).
    #[arg(
        long,
        value_name = "REF",
        conflicts_with = "workload",
        required_unless_present = "workload"
    )]
    image: Vec<String>,
    /// A Kubernetes workload: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.
    #[arg(long, value_name = "FILE")]
    workload: Option<String>,
    /// Evidence files: occurrences (attestations, vulnerabilities, scans, build provenance),
    /// cosign signatures, sigstore bundles, image records (repeatable; docs/formats.md).
    #[arg(long, value_name = "FILE")]
    evidence: Vec<String>,
    /// Trust material for DSSE, in-toto and sigstore evidence (Cloud Build's provenance keys
    /// are trusted by default).
    #[arg(long, value_name = "FILE")]
    trust: Option<String>,
    /// A tag-to-digest resolution you vouch for, `IMAGE=sha256:<hex>` (repeatable): digest-bound
    /// checks of a tag-only image then use it, and the result says so.
    #[arg(long, value_name = "IMAGE=DIGEST")]
    tag_digest: Vec<String>,
    /// The evaluation time, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlatformOutput::Text)]
    output: PlatformOutput,
}

pub fn run(command: &PlatformCommand) -> ExitCode {
    let PlatformCommand::Evaluate(args) = command;
    let json = args.output == PlatformOutput::Json;
    let response = evaluate(args);
    let mut stdout = std::io::stdout().lock();
    match response {
        Ok(response) => {
            let written = if json {
                writeln!(stdout, "{}", response.to_json())
            } else {
                write!(stdout, "{}", response_text(&response))
            };
            if written.is_err() {
                return ExitCode::from(2);
            }
            match response.verdict {
                PlatformVerdict::Conformant => ExitCode::SUCCESS,
                PlatformVerdict::NonConformant => ExitCode::from(1),
                PlatformVerdict::Error => ExitCode::from(3),
            }
        }
        Err(failure) => {
            crate::report(&failure, json);
            ExitCode::from(2)
        }
    }
}

fn evaluate(args: &PlatformEvaluateArgs) -> Result<PlatformResponse, Failure> {
    let mut doc = Map::new();
    doc.insert(
        "platformPolicy".into(),
        Value::String(read_file(&args.policy)?),
    );
    let request = match &args.workload {
        Some(path) => json!({"workload": read_file(path)?}),
        None => json!({"images": args.image}),
    };
    doc.insert("request".into(), request);
    let mut evidence = Vec::with_capacity(args.evidence.len());
    for path in &args.evidence {
        evidence.push(Value::String(read_file(path)?));
    }
    doc.insert("attestations".into(), Value::Array(evidence));
    if let Some(path) = &args.trust {
        doc.insert("trust".into(), Value::String(read_file(path)?));
    }
    doc.insert(
        "now".into(),
        Value::String(args.now.clone().unwrap_or_else(current_time)),
    );
    let mut digests = Map::new();
    for item in &args.tag_digest {
        match item.rsplit_once('=') {
            Some((image, digest)) if !image.is_empty() => {
                digests.insert(image.to_owned(), Value::String(digest.to_owned()));
            }
            _ => {
                return Err(Failure::usage(format!(
                    "`--tag-digest {item}` must be IMAGE=sha256:<hex>"
                )));
            }
        }
    }
    doc.insert("options".into(), json!({ "tagDigests": digests }));
    let text = Value::Object(doc).to_string();
    vouch::evaluate_platform_document(&text).map_err(|error| {
        let (file, path) = locate(args, error.path());
        Failure {
            error: error.into(),
            file,
            path,
        }
    })
}

/// Maps a document pointer back to the file it came from.
fn locate(args: &PlatformEvaluateArgs, path: &str) -> (Option<String>, String) {
    let strip = |prefix: &str| -> Option<String> {
        path.strip_prefix(prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(str::to_owned)
    };
    if let Some(rest) = strip("/platformPolicy") {
        return (Some(args.policy.clone()), rest);
    }
    if let (Some(file), Some(rest)) = (&args.workload, strip("/request/workload")) {
        return (Some(file.clone()), rest);
    }
    if let (Some(file), Some(rest)) = (&args.trust, strip("/trust")) {
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

/// The per-Pod, per-image, per-check table.
pub fn response_text(response: &PlatformResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", response.verdict.as_str());
    for pod in &response.results {
        let mut who = Vec::new();
        if !pod.pod_name.is_empty() {
            who.push(format!("pod {}", pod.pod_name));
        }
        if !pod.kubernetes_namespace.is_empty() {
            who.push(format!("namespace {}", pod.kubernetes_namespace));
        }
        if !pod.kubernetes_service_account.is_empty() {
            who.push(format!(
                "service account {}",
                pod.kubernetes_service_account
            ));
        }
        let who = if who.is_empty() {
            "images".to_owned()
        } else {
            who.join(", ")
        };
        let _ = writeln!(out, "{:<15} {who}", pod.verdict.as_str());
        for image in &pod.image_results {
            image_text(&mut out, image);
        }
    }
    out
}

fn image_text(out: &mut String, image: &PlatformImageResult) {
    let container = image
        .container_name
        .as_deref()
        .map(|c| format!("  [{c}]"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<15} {}{container}",
        image.verdict.as_str(),
        image.image_uri
    );
    if let Some(allow) = &image.allowlist_result {
        let _ = writeln!(
            out,
            "      exempt: policy allowlist `{}`",
            allow.matched_pattern
        );
    }
    if let Some(explanation) = &image.explanation {
        let _ = writeln!(out, "      {explanation}");
    }
    let Some(set) = &image.check_set_result else {
        return;
    };
    let scope = match &set.scope {
        Some(s) => match (&s.kubernetes_service_account, &s.kubernetes_namespace) {
            (Some(sa), _) => format!(", service account {sa}"),
            (None, Some(ns)) => format!(", namespace {ns}"),
            (None, None) => String::new(),
        },
        None => ", default".to_owned(),
    };
    let name = if set.display_name.is_empty() {
        String::new()
    } else {
        format!(" \"{}\"", set.display_name)
    };
    let _ = writeln!(out, "      check set {}{name}{scope}", set.index);
    if let Some(allow) = &set.allowlist_result {
        let _ = writeln!(
            out,
            "        exempt: check set allowlist `{}`",
            allow.matched_pattern
        );
    }
    if let Some(explanation) = &set.explanation {
        let _ = writeln!(out, "        {explanation}");
    }
    for check in set.check_results.iter().flat_map(|c| &c.results) {
        let verdict = match (&check.evaluation_result, &check.allowlist_result) {
            (Some(r), _) => r.verdict.as_str(),
            (None, Some(_)) => "EXEMPT",
            (None, None) => "-",
        };
        let name = if check.display_name.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", check.display_name)
        };
        let _ = writeln!(
            out,
            "        {:<15} #{} {}{name}",
            verdict, check.index, check.check_type
        );
        if let Some(allow) = &check.allowlist_result {
            let _ = writeln!(
                out,
                "            exempt: check allowlist `{}`",
                allow.matched_pattern
            );
        }
        for detail in &check.details {
            let _ = writeln!(
                out,
                "            {}: {}",
                detail.code.as_str(),
                detail.message
            );
        }
        if check.details.is_empty() && !check.explanation.is_empty() {
            let _ = writeln!(out, "            {}", check.explanation);
        }
    }
}
