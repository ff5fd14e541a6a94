//! `vouch policy lint`: validation errors and warnings for a policy file.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::inputs::read_file;

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy and warn about likely mistakes.
    ///
    /// Exit status: 0 valid (warnings allowed unless --deny-warnings), 1 warnings with
    /// --deny-warnings, 2 invalid.
    Lint(LintArgs),
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The policy file (YAML or JSON).
    #[arg(value_name = "FILE")]
    policy: String,
    /// Attestor files, to check the attestors the policy requires (repeatable).
    #[arg(long, value_name = "FILE")]
    attestors: Vec<String>,
    /// The platform to lint for: `gke`, or `cloud-run` (only the default rule, the allowlist
    /// and the system policy apply there: each other rule is reported as ignored, and a
    /// default rule requiring attestations must exempt
    /// `REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/**`; docs/lint.md).
    #[arg(long, value_name = "PLATFORM", default_value = "gke", value_parser = ["gke", "cloud-run"])]
    platform: String,
    /// Exit 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// Output format: `text` or `json` (`{ok, errors, warnings}`).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    output: String,
    /// Print a valid policy in canonical form instead of the warnings: a platform policy (GKE
    /// or Cloud Run) as gcloud reads it (lists as lists, integers as numbers, schema field
    /// order), a project policy as its JSON document. An invalid policy prints its error as usual (exit 2).
    #[arg(long)]
    canonical: bool,
}

pub fn lint(args: &LintArgs) -> ExitCode {
    let json = args.output == "json";
    let texts = std::iter::once(&args.policy)
        .chain(&args.attestors)
        .map(|f| read_file(f))
        .collect::<Result<Vec<_>, _>>();
    let texts = match texts {
        Ok(t) => t,
        Err(failure) => {
            crate::report(&failure, json);
            return ExitCode::from(2);
        }
    };
    let (policy_text, attestor_texts) = texts
        .split_first()
        .map_or((String::new(), &[][..]), |(p, a)| (p.clone(), a));
    // Several attestor files become one list for the library.
    let attestors = if attestor_texts.is_empty() {
        None
    } else {
        let mut all = Vec::new();
        for (i, text) in attestor_texts.iter().enumerate() {
            match vouch::parse_document(text, &vouch::Limits::DEFAULT) {
                Ok(serde_json::Value::Array(items)) => all.extend(items),
                Ok(serde_json::Value::Object(mut m)) if m.contains_key("attestors") => {
                    if let Some(serde_json::Value::Array(items)) = m.remove("attestors") {
                        all.extend(items);
                    }
                }
                Ok(other) => all.push(other),
                Err(e) => {
                    let failure = crate::failure::Failure::in_file(
                        e,
                        args.attestors.get(i).map_or("", String::as_str),
                    );
                    crate::report(&failure, json);
                    return ExitCode::from(2);
                }
            }
        }
        Some(serde_json::Value::Array(all).to_string())
    };
    // clap only accepts the platforms' names.
    let platform = vouch::LintPlatform::from_name(&args.platform).unwrap_or_default();
    let validation = vouch::validate_policy_with(
        &policy_text,
        attestors.as_deref(),
        &vouch::LintOptions::for_platform(platform),
    );
    if args.canonical
        && validation.ok
        && let Some(canonical) = canonical_form(&policy_text)
    {
        let _ = std::io::stdout()
            .lock()
            .write_all(format!("{canonical}\n").as_bytes());
        return ExitCode::SUCCESS;
    }
    let mut out = String::new();
    if json {
        out = validation.to_json();
        out.push('\n');
    } else {
        for e in &validation.errors {
            // Attestor errors point into the attestors (all files, in order, as one list).
            let location = if e.subject() == vouch::Subject::Attestors {
                e.path().to_owned()
            } else {
                format!("{}#{}", args.policy, e.path())
            };
            let _ = writeln!(out, "error: {} at {location}: {}", e.code(), e.message());
        }
        for w in &validation.warnings {
            let _ = writeln!(
                out,
                "warning: {} at {}#{}: {}\n  fix: {}",
                w.code.as_str(),
                args.policy,
                w.path,
                w.message,
                w.fix
            );
        }
        if validation.ok {
            let n = validation.warnings.len();
            let _ = writeln!(
                out,
                "{}: valid, {n} warning{}",
                args.policy,
                if n == 1 { "" } else { "s" }
            );
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    if !validation.ok {
        ExitCode::from(2)
    } else if args.deny_warnings && !validation.warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The canonical form of a policy that loads: a platform policy's schema-ordered JSON, or a
/// project policy's document as JSON.
fn canonical_form(text: &str) -> Option<String> {
    let limits = vouch::Limits::DEFAULT;
    let value = vouch::parse_document(text, &limits).ok()?;
    if value.get("gkePolicy").is_some() {
        vouch::PlatformPolicy::from_text(text)
            .ok()
            .map(|p| p.canonical_json())
    } else if value.get("cloudRunPolicy").is_some() {
        vouch::CloudRunPolicy::from_text(text)
            .ok()
            .map(|p| p.canonical_json())
    } else {
        vouch::Policy::from_text(text)
            .ok()
            .and_then(|p| serde_json::to_string(p.document()).ok())
    }
}
