//! `vouch`: evaluate Binary Authorization policies offline, and produce the attestations they
//! ask for.
//!
//! The binary parses arguments, reads and writes files, reads the clock when `--now` is not
//! given and the operating system's randomness for `keygen`, and prints. Every decision, payload
//! and signature is made by the `vouch` library.

mod check;
mod cv_cmd;
mod evidence_cmd;
mod failure;
mod inputs;
mod platform_cmd;
mod policy_cmd;
mod render;
mod replay_cmd;
mod replay_html;
mod toolkit;
mod workload_cmd;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::failure::Failure;

/// Offline, deterministic Binary Authorization policy evaluation.
#[derive(Debug, Parser)]
#[command(name = "vouch", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decide whether images (or a workload) may be deployed under a policy.
    ///
    /// Exit status: 0 admitted (ALLOW, DRY_RUN_ALLOW, BREAK_GLASS_ALLOW), 1 denied,
    /// 2 usage or configuration error.
    Evaluate(EvaluateArgs),
    /// Check every workload in YAML/JSON manifests (files or folders) against a policy.
    ///
    /// Reads the files and objects `kubectl apply -f PATH` reads (`-R` for subfolders) and
    /// lists what it skips, with a reason (docs/check.md).
    ///
    /// Exit status: 0 all admitted, 1 some workload denied, 2 an input could not be checked.
    Check(check::CheckArgs),
    /// Print what vouch reads from each workload of a manifest file (JSON): images with their
    /// container or image-volume names, namespace, service account, labels and annotations.
    ///
    /// Exit status: 0 every workload read, 2 the file or a workload could not be read.
    Workload(workload_cmd::WorkloadArgs),
    /// Print the simple-signing payload for an image, byte for byte as gcloud creates it.
    Payload(toolkit::PayloadArgs),
    /// Sign an image's payload and print the attestation occurrence (JSON).
    Sign(toolkit::SignArgs),
    /// Generate a signing key pair (PKCS#8 private key, public key PEM).
    Keygen(toolkit::KeygenArgs),
    /// Print an attestor resource for a public key.
    Attestor(toolkit::AttestorArgs),
    /// Policy tools.
    #[command(subcommand)]
    Policy(policy_cmd::PolicyCommand),
    /// Evidence tools: `vouch evidence inspect FILE…`.
    #[command(subcommand)]
    Evidence(evidence_cmd::EvidenceCommand),
    /// GKE platform policies (check-based): `vouch platform evaluate`.
    #[command(subcommand)]
    Platform(platform_cmd::PlatformCommand),
    /// Continuous validation of a cluster snapshot: the log entries GKE's CV would write.
    ///
    /// Reads `kubectl get pods -A -o json` and prints one `ContinuousValidationEvent` per
    /// violated platform policy per Pod as JSON lines on stdout (inside its Cloud Logging
    /// entry with --cluster). ERROR results, skipped Pods and a summary go to stderr, one
    /// `vouch: cv: error {…}` / `vouch: cv: summary {…}` line each.
    ///
    /// Exit status: 0 no violation and no error, 1 at least one log entry (a violation or a
    /// configuration error event), 3 no log entry but ERROR results or skipped Pods, 2 usage
    /// or configuration error.
    Cv(cv_cmd::CvArgs),
    /// Replay audit logs under a candidate policy: what would it have blocked?
    ///
    /// Reads Kubernetes audit logs, GKE Cloud Audit Logs entries (`gcloud logging read
    /// --format=json`, the Cloud Storage export), BigQuery export rows, cluster snapshots and
    /// Cloud Run resources; decides every Pod deployment again (each at its own time unless
    /// --now) and compares with what was logged, or with --baseline. One JSON line per event
    /// (and per malformed entry) on stdout, the summary on stderr (docs/guides/replay.md).
    ///
    /// Exit status: 0 nothing newly blocked and nothing malformed, 1 some event newly
    /// blocked, 3 malformed entries (and nothing newly blocked), 2 usage or configuration
    /// error, or a malformed entry under --strict.
    Replay(replay_cmd::ReplayArgs),
}

/// Output format of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// A short human summary.
    Text,
    /// The decision JSON (or error JSON) of the contract.
    Json,
}

#[derive(Debug, Args)]
struct EvaluateArgs {
    /// A bundle holding policy, attestors, attestations, request and now (JSON or YAML).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["policy", "attestors", "attestations", "system_policy", "image", "workload", "namespace", "service_account", "cluster", "mesh_identity", "label", "annotation", "break_glass", "resolved_digest"])]
    bundle: Option<String>,
    /// The project policy (`gcloud container binauthz policy export`).
    #[arg(long, value_name = "FILE", required_unless_present = "bundle")]
    policy: Option<String>,
    /// Attestors: one attestor or a list per file (`attestors describe --format=json`).
    #[arg(long, value_name = "FILE")]
    attestors: Vec<String>,
    /// Attestation occurrences (`attestations list --format=json`).
    #[arg(long, value_name = "FILE")]
    attestations: Vec<String>,
    /// The system policy (`export-system-policy`); default: the built-in documented list.
    #[arg(long, value_name = "FILE")]
    system_policy: Option<String>,
    /// An image to admit, as a Pod would list it (repeatable).
    #[arg(long, value_name = "REF", conflicts_with = "workload", required_unless_present_any = ["bundle", "workload"])]
    image: Vec<String>,
    /// A Kubernetes workload (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
    /// CronJob), or a Cloud Run service or job (`gcloud run services|jobs describe --format
    /// export`, `--format json`, or the v2 REST object).
    #[arg(long, value_name = "FILE")]
    workload: Option<String>,
    /// The namespace (default: the workload's, else `default`).
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,
    /// The service account (default: the workload's, else `default`).
    #[arg(long, value_name = "SA")]
    service_account: Option<String>,
    /// The cluster, `LOCATION.NAME`.
    #[arg(long, value_name = "LOCATION.NAME")]
    cluster: Option<String>,
    /// The mesh identity, `[spiffe://]DOMAIN/ns/NS/sa/SA`.
    #[arg(long, value_name = "ID")]
    mesh_identity: Option<String>,
    /// A pod label, `KEY=VALUE` (repeatable; merged over the workload's).
    #[arg(long, value_name = "K=V")]
    label: Vec<String>,
    /// A pod annotation, `KEY=VALUE` (repeatable; merged over the workload's).
    #[arg(long, value_name = "K=V")]
    annotation: Vec<String>,
    /// Request break-glass (sets the pod label `image-policy.k8s.io/break-glass=true`).
    #[arg(long)]
    break_glass: bool,
    /// The cluster's `binaryAuthorization` block (`gcloud container clusters describe
    /// --format=json`, or the whole output): its evaluation mode decides whether the project
    /// policy gates admission (DISABLED and POLICY_BINDINGS admit without evaluating).
    #[arg(long, value_name = "FILE")]
    cluster_config: Option<String>,
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
    /// Cloud Run: evaluate an image written with a tag as the digest Cloud Run resolved it to
    /// (the object's status, or --resolved-digest) instead of the tag; the decision says so.
    #[arg(long)]
    use_resolved_digest: bool,
    /// Cloud Run: the digest a container's image was resolved to, `[CONTAINER=]REF` with REF
    /// `REPOSITORY@sha256:…` or `sha256:…` (repeatable; without `CONTAINER=`, the only
    /// container); used with --use-resolved-digest.
    #[arg(long, value_name = "[CONTAINER=]REF")]
    resolved_digest: Vec<String>,
    /// Cloud Run: a Cloud Run platform policy (`cloudRunPolicy`, named
    /// `projects/P/platforms/cloudRun/policies/N`; repeatable). A service or job whose
    /// `run.googleapis.com/binary-authorization` names it is decided by it (preview).
    #[arg(long, value_name = "FILE", conflicts_with = "bundle")]
    cloud_run_policy: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Output::Text)]
    output: Output,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        Command::Evaluate(args) => evaluate(&args),
        Command::Check(args) => check::run(&args),
        Command::Workload(args) => workload_cmd::run(&args),
        Command::Payload(args) => finish(toolkit::payload(&args), false),
        Command::Sign(args) => finish(toolkit::sign(&args), false),
        Command::Keygen(args) => {
            let json = args.json;
            finish(toolkit::keygen(&args), json)
        }
        Command::Attestor(args) => finish(toolkit::attestor(&args), false),
        Command::Policy(policy_cmd::PolicyCommand::Lint(args)) => policy_cmd::lint(&args),
        Command::Evidence(command) => evidence_cmd::run(&command),
        Command::Platform(command) => platform_cmd::run(&command),
        Command::Cv(args) => cv_cmd::run(&args),
        Command::Replay(args) => replay_cmd::run(&args),
    }
}

/// Prints a command's output, or its error (exit 2).
fn finish(result: Result<String, Failure>, json_errors: bool) -> ExitCode {
    match result {
        Ok(out) => match std::io::stdout().lock().write_all(out.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        },
        Err(failure) => {
            report(&failure, json_errors);
            ExitCode::from(2)
        }
    }
}

fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = write!(std::io::stdout(), "{e}");
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = write!(std::io::stderr(), "{e}");
        return ExitCode::from(2);
    }
    let args: Vec<String> = std::env::args().collect();
    let json = args
        .windows(2)
        .any(|w| matches!(w, [flag, value] if flag == "--output" && value == "json"))
        || args.iter().any(|a| a == "--output=json");
    let message = e.to_string();
    let first = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_owned();
    let _ = write!(std::io::stderr(), "{e}");
    if json {
        let err = failure::CliError::new(failure::CliCode::Usage, first);
        let _ = writeln!(std::io::stdout(), "{}", err.to_json());
    }
    ExitCode::from(2)
}

fn evaluate(args: &EvaluateArgs) -> ExitCode {
    let json = args.output == Output::Json;
    let decision = inputs::load_bundle(args).map(|bundle| bundle.evaluate());
    let mut stdout = std::io::stdout().lock();
    match decision {
        Ok(decision) => {
            let written = if json {
                writeln!(stdout, "{}", decision.to_json())
            } else {
                write!(stdout, "{}", render::decision_text(&decision))
            };
            if written.is_err() {
                return ExitCode::from(2);
            }
            if decision.allowed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(failure) => {
            report(&failure, json);
            ExitCode::from(2)
        }
    }
}

/// One line on stderr; the error JSON on stdout when JSON output was asked for.
pub(crate) fn report(failure: &Failure, json: bool) {
    let _ = writeln!(std::io::stderr(), "vouch: {}", failure.one_line());
    if json {
        let _ = writeln!(std::io::stdout(), "{}", failure.to_json());
    }
}
