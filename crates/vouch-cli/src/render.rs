//! The text summary of a decision: verdict, rule, then per image its outcome and reasons.

use std::fmt::Write as _;

use vouch::Decision;
use vouch::ImageResult;

/// Renders a decision for people.
pub fn decision_text(d: &Decision) -> String {
    let mut out = String::new();
    let named = d
        .cloud_run
        .as_ref()
        .filter(|c| c.enforced)
        .and_then(|c| c.policy.as_deref());
    let rule = match (&d.rule.key, named) {
        (_, Some(policy)) => format!("Cloud Run policy `{}` rule", short_policy(policy)),
        (Some(key), None) => format!("{} rule `{key}`", rule_kind(d)),
        (None, None) => format!("{} rule", rule_kind(d)),
    };
    let _ = writeln!(
        out,
        "{}  {rule} ({}, {})",
        d.verdict.as_str(),
        d.rule.evaluation_mode.as_str(),
        d.rule.enforcement_mode.as_str()
    );
    if let Some(cluster) = &d.cluster {
        let enforced = match cluster.reason {
            Some(reason) => format!("not enforced ({})", reason.as_str()),
            None => "the project policy decides".to_owned(),
        };
        let _ = writeln!(
            out,
            "cluster: {}, {enforced}",
            cluster.evaluation_mode.as_str()
        );
        if !cluster.monitored_policies.is_empty() {
            let _ = writeln!(
                out,
                "cluster monitors (vouch cv): {}",
                cluster.monitored_policies.join(", ")
            );
        }
    }
    if let Some(cloud_run) = &d.cloud_run {
        render_cloud_run(&mut out, cloud_run);
    }
    for image in &d.images {
        render_image(&mut out, image);
    }
    for (key, value) in &d.audit_annotations {
        let first = value.lines().next().unwrap_or_default();
        let more = if value.lines().count() > 1 {
            " …"
        } else {
            ""
        };
        let _ = writeln!(out, "audit: {key} = {first}{more}");
    }
    out
}

fn render_cloud_run(out: &mut String, cloud_run: &vouch::CloudRunDecision) {
    let resource = match cloud_run.resource {
        vouch::CloudRunResource::Service => "service",
        vouch::CloudRunResource::Job => "job",
    };
    let name = cloud_run
        .name
        .as_deref()
        .map(|n| format!(" {n}"))
        .unwrap_or_default();
    let setting = match (&cloud_run.policy, cloud_run.binary_authorization) {
        (Some(policy), _) => format!("named policy {policy}"),
        (None, mode) => mode.as_str().to_owned(),
    };
    let decided = match (cloud_run.reason, &cloud_run.policy) {
        (Some(vouch::CloudRunReason::NamedPolicyNotSupplied), _) => {
            "which was not supplied (--cloud-run-policy): not decided (NAMED_POLICY_NOT_SUPPLIED)"
                .to_owned()
        }
        (Some(reason), _) => format!("not decided ({})", reason.as_str()),
        (None, Some(_)) => "that policy decides".to_owned(),
        (None, None) => "the project policy's default rule decides".to_owned(),
    };
    let _ = writeln!(
        out,
        "cloud run {resource}{name}: binary authorization {setting}, {decided}"
    );
    if let Some(justification) = &cloud_run.break_glass_justification {
        let _ = writeln!(
            out,
            "cloud run break-glass justification: `{justification}`"
        );
    }
    for rule in &cloud_run.ignored_rules {
        let _ = writeln!(
            out,
            "ignored on cloud run: {} `{}`",
            rule.kind.field(),
            rule.key
        );
    }
    for entry in cloud_run.resolved_digests.iter().flatten() {
        let container = entry
            .container
            .as_deref()
            .map(|c| format!("{c}: "))
            .unwrap_or_default();
        let resolved = entry.resolved.as_deref().unwrap_or("no resolved digest");
        let _ = writeln!(
            out,
            "resolved digest: {container}{} -> {resolved} ({})",
            entry.written,
            entry.result.as_str()
        );
    }
}

/// `N` of `projects/P/platforms/cloudRun/policies/N`.
fn short_policy(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn rule_kind(d: &Decision) -> &'static str {
    use vouch::RuleKind;
    match d.rule.kind {
        RuleKind::Default => "default",
        RuleKind::Cluster => "cluster",
        RuleKind::Namespace => "namespace",
        RuleKind::ServiceAccount => "service account",
        RuleKind::IstioIdentity => "istio identity",
    }
}

fn render_image(out: &mut String, image: &ImageResult) {
    let outcome = image.outcome.as_str();
    let container = image
        .container
        .as_deref()
        .map(|c| format!("{c}: "))
        .unwrap_or_default();
    let _ = writeln!(out, "  {outcome:<10} {container}{}", image.image);
    if let Some(ex) = &image.exemption {
        let source = match ex.source {
            vouch::ExemptionSource::SystemPolicy => "system policy",
            vouch::ExemptionSource::Allowlist => "allowlist",
        };
        let _ = writeln!(
            out,
            "             exempt by {source} pattern `{}`",
            ex.pattern
        );
    }
    for a in image.attestors.iter().filter(|a| a.satisfied) {
        let occurrence = a.occurrence.as_deref().unwrap_or("?");
        let key = a.key_id.as_deref().unwrap_or("?");
        let _ = writeln!(
            out,
            "             attested by {} ({occurrence}, key {key})",
            a.attestor
        );
    }
    for reason in &image.reasons {
        let code = reason.code.as_str();
        match &reason.attestor {
            Some(a) => {
                let _ = writeln!(out, "             {code} {a}: {}", reason.message);
            }
            None => {
                let _ = writeln!(out, "             {code}: {}", reason.message);
            }
        }
        for detail in &reason.details {
            let occ = detail.occurrence.as_deref().unwrap_or("attestor");
            let _ = writeln!(
                out,
                "               - {} {occ}: {}",
                detail.code, detail.message
            );
        }
    }
}
