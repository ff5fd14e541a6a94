//! `slsaCheck` (decision P-9): Cloud Build `BUILD` provenance verified as the evidence report
//! verifies it (Cloud Build's shipped keys and the caller's), then the rules' builder, source
//! repository and configuration requirements (Q-11) read from the signed statement.

use std::cell::Cell;
use std::collections::HashSet;

use serde_json::Value;

use super::{ImageContext, Outcome, Subject, check_budget, listed, rejection, require_digest};
use crate::decision::platform::{PlatformDetailCode as Code, PlatformVerdict as V};
use crate::evidence::kinds::{BUILD, Body};
use crate::evidence::provenance::{ProvenanceCode, Statement};
use crate::evidence::report::{ItemReport, ItemStatus, ReportContext};
use crate::policy::platform::SlsaRule;

/// `slsaCheck` (decision P-9): passes iff a rule is met: a `BUILD` occurrence from the rule's
/// projects whose envelope verifies with the trust material's keys (Cloud Build's shipped
/// keys, plus the caller's), whose signed statement names the digest, whose builder is a
/// Cloud Build hosted worker, whose source repository a `trustedSourceRepoPatterns` entry
/// matches (any, when the rule lists none), and, under `configBasedBuildRequired`, whose
/// build ran from a configuration file. A rule with `customConstraints` is ERROR (unsupported),
/// so the check is ERROR unless another rule is met.
pub(super) fn check(
    rules: &[SlsaRule],
    subject: &Subject<'_>,
    ctx: &ImageContext<'_>,
    image_left: &mut usize,
) -> Outcome {
    let digest = match require_digest(subject) {
        Ok(d) => d,
        Err(outcome) => return outcome,
    };
    let allowed = check_budget(ctx, *image_left);
    let budget = Cell::new(allowed);
    let report_ctx = ReportContext {
        digest,
        trust: ctx.trust,
        now: ctx.now,
        limits: ctx.limits,
        budget: &budget,
    };
    // Each candidate verified once, whichever rules read it.
    let candidates: Vec<_> = ctx
        .evidence
        .items_for_digest(digest)
        .filter(|item| match &item.body {
            Body::Build(_) => true,
            Body::Malformed { kind, .. } => *kind == BUILD,
            _ => false,
        })
        .collect();
    let mut checked: Vec<Option<(ItemReport, Option<Statement>)>> = vec![None; candidates.len()];
    let mut lines: Vec<(Code, String)> = Vec::new();
    let mut rejected: HashSet<String> = HashSet::new();
    let mut unsupported = 0usize;
    // Candidates no rule's projects hold.
    let outside = candidates
        .iter()
        .filter(|item| !rules.iter().any(|r| listed(&r.projects, &item.label)))
        .count();
    let mut satisfied = None;
    'rules: for (r, rule) in rules.iter().enumerate() {
        if rule.custom_constraints.is_some() {
            unsupported += 1;
            lines.push((
                Code::CustomConstraintsUnsupported,
                format!("rule {r} sets customConstraints (CEL), which vouch does not evaluate"),
            ));
            continue;
        }
        for (i, item) in candidates.iter().enumerate() {
            if !listed(&rule.projects, &item.label) {
                continue;
            }
            let Some(slot) = checked.get_mut(i) else {
                continue;
            };
            let (report, statement) = slot.get_or_insert_with(|| match &item.body {
                Body::Build(build) => build.checked(&report_ctx),
                _ => (item.report(&report_ctx), None),
            });
            let statement = match statement {
                Some(s) if report.status == ItemStatus::Verified => s,
                _ if report.code == ProvenanceCode::NotTriedBudget.as_str() => {
                    // The budget is spent: nothing later is checked.
                    lines.push((
                        Code::NotTriedBudget,
                        format!(
                            "BUILD occurrence {} and every later candidate were not checked: the check's verification budget is spent",
                            item.label
                        ),
                    ));
                    break 'rules;
                }
                _ => {
                    // Each rejection once, whichever rules read it (a set, not a scan of
                    // `lines`: that was quadratic in the candidates).
                    let line = rejection(&item.label, report);
                    if rejected.insert(line.clone()) {
                        lines.push((Code::ProvenanceRejected, line));
                    }
                    continue;
                }
            };
            match rule_met(rule, statement) {
                Ok(()) => {
                    satisfied = Some(format!(
                        "rule {r}: BUILD occurrence {} verified with key `{}` and meets the rule",
                        item.label,
                        report.key_id.as_deref().unwrap_or_default()
                    ));
                    break 'rules;
                }
                Err((code, why)) => {
                    lines.push((
                        code,
                        format!("rule {r}: BUILD occurrence {}: {why}", item.label),
                    ));
                }
            }
        }
    }
    *image_left = image_left.saturating_sub(allowed.saturating_sub(budget.get()));
    if let Some(message) = satisfied {
        return Outcome::new(
            V::Conformant,
            "Image has verified provenance that meets a rule",
        )
        .with(Code::SlsaRuleSatisfied, message);
    }
    let mut outcome = if unsupported > 0 {
        Outcome::new(
            V::Error,
            "A rule sets customConstraints, which vouch does not evaluate, and no other rule is met",
        )
    } else {
        Outcome::new(
            V::NonConformant,
            "Image has no verified provenance that meets a rule of the check",
        )
        .with(
            Code::NoVerifiedProvenance,
            format!("no BUILD occurrence for `{digest}` in the rules' projects meets a rule"),
        )
    };
    for (code, line) in lines {
        outcome.detail(code, line);
    }
    if outside > 0 {
        outcome.detail(
            Code::OutsideProjects,
            format!("{outside} BUILD occurrences for the image lie outside every rule's projects and were not counted"),
        );
    }
    outcome
}

/// Whether verified provenance meets a rule (without `customConstraints`).
fn rule_met(rule: &SlsaRule, statement: &Statement) -> Result<(), (Code, String)> {
    let facts = ProvenanceFacts::of(statement);
    let builder = facts.builder.as_deref().unwrap_or_default();
    if !cloud_build_worker(builder) {
        return Err((
            Code::BuilderNotTrusted,
            format!("builder `{builder}` is not a Google Cloud Build hosted worker"),
        ));
    }
    if !rule.repo_patterns.is_empty() {
        let Some(source) = facts.source.as_deref() else {
            return Err((
                Code::SourceRepoNotTrusted,
                "the provenance names no source repository".to_owned(),
            ));
        };
        // `matches_url` strips the scheme itself: once. Stripping here too would turn
        // `https://evil.com://github.com/o/r` (host evil.com) into `github.com/o/r`.
        let url = strip_scheme(source);
        if !rule.repo_patterns.iter().any(|p| p.matches_url(source)) {
            return Err((
                Code::SourceRepoNotTrusted,
                format!("source repository `{url}` matches no trustedSourceRepoPatterns entry"),
            ));
        }
    }
    if rule.config_based_build_required && !facts.config_based {
        return Err((
            Code::NotConfigBasedBuild,
            "the build did not run from a build configuration file (configBasedBuildRequired)"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Google Cloud Build's hosted worker: `https://cloudbuild.googleapis.com/GoogleHostedWorker`,
/// optionally with a version (`@v0.2`, `@v0.3`).
fn cloud_build_worker(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("https://cloudbuild.googleapis.com/GoogleHostedWorker") else {
        return false;
    };
    rest.is_empty()
        || rest
            .strip_prefix("@v")
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// A URL without its scheme (`^[a-z0-9+.-]+://`, so `git+https://` too), decision P-9/Q-11.
fn strip_scheme(url: &str) -> &str {
    match url.split_once("://") {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'.' | b'-')
                }) =>
        {
            rest
        }
        _ => url,
    }
}

/// What the SLSA check reads from a verified statement (decision P-9, Q-11).
#[derive(Debug, Default, PartialEq)]
struct ProvenanceFacts {
    builder: Option<String>,
    /// The source repository URL, scheme kept.
    source: Option<String>,
    config_based: bool,
}

const CLOUD_BUILD_YAML: &str = "https://cloudbuild.googleapis.com/CloudBuildYaml@";

impl ProvenanceFacts {
    fn of(statement: &Statement) -> ProvenanceFacts {
        let p = &statement.predicate;
        let text = |pointer: &str| {
            p.pointer(pointer)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match statement.predicate_type.as_str() {
            // Cloud Build's SLSA v0.1 form (`slsaProvenance`): builder `…@v0.2` sources are
            // `https://github.com/O/R/commit/SHA`, `…@v0.3` ones `git+https://github.com/O/R`.
            "https://slsa.dev/provenance/v0.1" => ProvenanceFacts {
                builder: text("/builder/id"),
                source: text("/materials/0/uri").map(|u| without_commit(&u).to_owned()),
                config_based: text("/recipe/type").is_some_and(|t| t.starts_with(CLOUD_BUILD_YAML)),
            },
            "https://slsa.dev/provenance/v0.2" => ProvenanceFacts {
                builder: text("/builder/id"),
                source: text("/invocation/configSource/uri"),
                config_based: text("/invocation/configSource/entryPoint").is_some()
                    || text("/buildType").is_some_and(|t| t.starts_with(CLOUD_BUILD_YAML)),
            },
            "https://slsa.dev/provenance/v1" => ProvenanceFacts {
                builder: text("/runDetails/builder/id"),
                source: text("/buildDefinition/externalParameters/buildConfigSource/repository"),
                config_based: text("/buildDefinition/externalParameters/buildConfigSource/path")
                    .is_some(),
            },
            _ => ProvenanceFacts::default(),
        }
    }
}

/// `https://github.com/O/R/commit/SHA` → `https://github.com/O/R` (a hex SHA only).
fn without_commit(url: &str) -> &str {
    match url.rsplit_once("/commit/") {
        Some((repo, sha)) if !sha.is_empty() && sha.bytes().all(|b| b.is_ascii_hexdigit()) => repo,
        _ => url,
    }
}

#[cfg(test)]
mod tests {
    use super::{cloud_build_worker, rule_met, strip_scheme, without_commit};
    use crate::evidence::provenance::parse_statement;
    use crate::limits::Limits;
    use crate::policy::platform::SlsaRule;
    use crate::policy::platform::pattern::RepoPattern;

    fn v1_from(repository: &str) -> super::Statement {
        let statement = serde_json::json!({
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": "x", "digest": {"sha256": "00"}}],
            "predicateType": "https://slsa.dev/provenance/v1",
            "predicate": {
                "buildDefinition": {"externalParameters": {"buildConfigSource": {
                    "repository": repository, "path": "cloudbuild.yaml"}}},
                "runDetails": {"builder": {"id": "https://cloudbuild.googleapis.com/GoogleHostedWorker"}}
            }
        });
        match parse_statement(statement.to_string().as_bytes(), &Limits::DEFAULT) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn rule(pattern: &str) -> SlsaRule {
        SlsaRule {
            projects: vec!["p".into()],
            config_based_build_required: true,
            repo_patterns: vec![RepoPattern::parse(pattern).unwrap_or_else(|e| panic!("{e}"))],
            custom_constraints: None,
        }
    }

    #[test]
    fn source_scheme_is_stripped_once() {
        let rule = rule("github.com/o/r");
        assert!(rule_met(&rule, &v1_from("git+https://github.com/o/r")).is_ok());
        // Host evil.com with an empty port: stripping twice would read `github.com/o/r`.
        for evil in [
            "https://evil.com://github.com/o/r",
            "git+https://evil.com://github.com/o/r",
            "github.com@evil.com://github.com/o/r",
        ] {
            assert!(rule_met(&rule, &v1_from(evil)).is_err(), "{evil}");
        }
    }

    #[test]
    fn cloud_build_workers() {
        for ok in [
            "https://cloudbuild.googleapis.com/GoogleHostedWorker",
            "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2",
            "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3",
        ] {
            assert!(cloud_build_worker(ok), "{ok}");
        }
        for bad in [
            "",
            "https://cloudbuild.googleapis.com/GoogleHostedWorkerX",
            "https://cloudbuild.googleapis.com/GoogleHostedWorker@",
            "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3/x",
            "http://cloudbuild.googleapis.com/GoogleHostedWorker",
            "https://github.com/slsa-framework/slsa-github-generator",
        ] {
            assert!(!cloud_build_worker(bad), "{bad}");
        }
    }

    #[test]
    fn source_urls() {
        assert_eq!(strip_scheme("git+https://github.com/o/r"), "github.com/o/r");
        assert_eq!(strip_scheme("https://github.com/o/r"), "github.com/o/r");
        assert_eq!(strip_scheme("github.com/o/r"), "github.com/o/r");
        assert_eq!(strip_scheme("Git://x"), "Git://x");
        assert_eq!(
            without_commit("https://github.com/o/r/commit/fbbb98765e85ad46"),
            "https://github.com/o/r"
        );
        assert_eq!(
            without_commit("https://github.com/o/r/commit/main"),
            "https://github.com/o/r/commit/main"
        );
    }
}
