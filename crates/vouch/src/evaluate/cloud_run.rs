//! Cloud Run services and jobs (decisions R-2 … R-6; docs/semantics.md §9).
//!
//! - No Binary Authorization setting: Cloud Run deploys without a check, so vouch admits
//!   without evaluating an image, and the decision says Binary Authorization is not enabled.
//! - `default`: the project policy's default rule, allowlist and system policy, exactly as for a
//!   Kubernetes request whose target selects the default rule; the other rule maps have no
//!   effect on Cloud Run and are listed as ignored.
//! - A named Cloud Run platform policy: decided by that policy when the caller gave it
//!   ([`Evaluator::with_cloud_run_policies`]): its allowlist, then its rule with its inline
//!   attestors, no system policy. Not given: vouch cannot decide, and fails closed (`DENY`)
//!   unless break-glass is requested.
//! - Break-glass (any justification, even empty) admits and is recorded as on GKE (A-10,
//!   A-24), with the justification in `cloudRun`; dry run is as on GKE.
//! - Under [`Options::use_resolved_digest`] an image written with a tag is evaluated as the
//!   digest Cloud Run resolved it to, and `cloudRun.resolvedDigests` says so.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::{Evaluator, Options, rule_ref};
use crate::decision::cloud_run::{
    CloudRunBinauthzMode, CloudRunDecision, CloudRunReason, DigestEntry, IgnoredRule,
};
use crate::decision::{ANNOTATION_BREAK_GLASS, Decision, Verdict};
use crate::evidence::Evidence;
use crate::policy::Policy;
use crate::request::{CloudRun, CloudRunBinauthz, DigestResolution, Request, RequestImage};
use crate::time::Timestamp;

impl Evaluator {
    /// Decides a Cloud Run request (called by [`Evaluator::evaluate`]).
    pub(super) fn evaluate_cloud_run(
        &self,
        cloud_run: &CloudRun,
        request: &Request,
        evidence: &Evidence,
        now: Timestamp,
        options: Options,
    ) -> Decision {
        let policy = &self.inner.policy;
        let rule = policy.default_rule();
        let mut part = CloudRunDecision {
            resource: cloud_run.resource,
            name: cloud_run.name.clone(),
            binary_authorization: CloudRunBinauthzMode::NotEnabled,
            policy: None,
            enforced: false,
            reason: None,
            break_glass_justification: cloud_run.break_glass.clone(),
            ignored_rules: Vec::new(),
            resolved_digests: None,
        };
        // A decision in which no image was evaluated.
        let unevaluated = |verdict: Verdict,
                           message: Option<String>,
                           audit: BTreeMap<String, String>,
                           part: CloudRunDecision| Decision {
            allowed: verdict != Verdict::Deny,
            verdict,
            rule: rule_ref(rule),
            images: Vec::new(),
            message,
            audit_annotations: audit,
            system_policy_source: None,
            cluster: None,
            cloud_run: Some(part),
        };
        match &cloud_run.binauthz {
            None => {
                part.reason = Some(CloudRunReason::BinauthzNotEnabled);
                unevaluated(Verdict::Allow, None, BTreeMap::new(), part)
            }
            Some(CloudRunBinauthz::Policy(name)) => {
                part.binary_authorization = CloudRunBinauthzMode::NamedPolicy;
                part.policy = Some(name.clone());
                if let Some(named) = self.cloud_run_policy(name) {
                    part.enforced = true;
                    let images = evaluated_images(request, cloud_run, options, &mut part);
                    // The caller's verification cache serves the named policy too.
                    let mut named = named.clone();
                    named.cache.clone_from(&self.cache);
                    let rule = named.inner.policy.default_rule();
                    let mut decision = named.decide(
                        images.iter(),
                        rule,
                        request.break_glass(),
                        evidence,
                        now,
                        options,
                    );
                    decision.cloud_run = Some(part);
                    return decision;
                }
                part.reason = Some(CloudRunReason::NamedPolicyNotSupplied);
                if request.break_glass() {
                    let audit =
                        BTreeMap::from([(ANNOTATION_BREAK_GLASS.to_owned(), "true".to_owned())]);
                    unevaluated(Verdict::BreakGlassAllow, None, audit, part)
                } else {
                    let message = format!(
                        "Cloud Run {} {}requires Binary Authorization platform policy {name}, which was not supplied: vouch cannot evaluate it, so it cannot admit it (give the policy with `--cloud-run-policy`, a bundle's `cloudRunPolicies`)",
                        resource_word(cloud_run),
                        cloud_run
                            .name
                            .as_deref()
                            .map(|n| format!("{n} "))
                            .unwrap_or_default(),
                    );
                    unevaluated(Verdict::Deny, Some(message), BTreeMap::new(), part)
                }
            }
            Some(CloudRunBinauthz::Default) => {
                part.binary_authorization = CloudRunBinauthzMode::Default;
                part.enforced = true;
                part.ignored_rules = ignored_rules(policy);
                let images = evaluated_images(request, cloud_run, options, &mut part);
                let mut decision = self.decide(
                    images.iter(),
                    rule,
                    request.break_glass(),
                    evidence,
                    now,
                    options,
                );
                decision.cloud_run = Some(part);
                decision
            }
        }
    }
}

/// The images to evaluate: as written, or under the resolved-digest option with the
/// digests Cloud Run resolved, recorded in `part.resolvedDigests`.
fn evaluated_images<'r>(
    request: &'r Request,
    cloud_run: &CloudRun,
    options: Options,
    part: &mut CloudRunDecision,
) -> Cow<'r, [RequestImage]> {
    if options.use_resolved_digest {
        let (images, entries) = resolved_images(request, cloud_run);
        part.resolved_digests = Some(entries);
        Cow::Owned(images)
    } else {
        Cow::Borrowed(&request.images)
    }
}

fn resource_word(cloud_run: &CloudRun) -> &'static str {
    match cloud_run.resource {
        crate::request::CloudRunResource::Service => "service",
        crate::request::CloudRunResource::Job => "job",
    }
}

/// The rules of the project policy that have no effect on Cloud Run (decision R-3), in policy
/// order: every rule but the default rule ([`Policy::rules_ignored_on_cloud_run`]).
fn ignored_rules(policy: &Policy) -> Vec<IgnoredRule> {
    policy
        .rules_ignored_on_cloud_run()
        .map(|r| IgnoredRule {
            kind: r.kind,
            key: r.key.clone().unwrap_or_default(),
        })
        .collect()
}

/// The images to evaluate under the resolved-digest option, and what became of each.
fn resolved_images(
    request: &Request,
    cloud_run: &CloudRun,
) -> (Vec<RequestImage>, Vec<DigestEntry>) {
    let mut images = Vec::with_capacity(request.images.len());
    let mut entries = Vec::with_capacity(request.images.len());
    for (i, image) in request.images.iter().enumerate() {
        let resolution = cloud_run.resolutions.get(i);
        let mut evaluated = image.clone();
        let mut result = resolution.map_or(DigestResolution::NotResolved, |r| r.result);
        if result == DigestResolution::Resolved {
            match resolution.and_then(|r| r.evaluated.as_ref()) {
                Some(reference) => evaluated.image = reference.clone(),
                None => result = DigestResolution::NotResolved,
            }
        }
        entries.push(DigestEntry {
            container: image.container.clone(),
            written: image.image.as_str().to_owned(),
            resolved: resolution.and_then(|r| r.given.clone()),
            source: resolution.and_then(|r| r.source),
            result,
        });
        images.push(evaluated);
    }
    (images, entries)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::*;
    use crate::policy::platform::ClusterConfig;
    use crate::request::RequestBuilder;

    fn evaluator(policy: &str) -> Evaluator {
        Evaluator::new(Policy::from_text(policy).unwrap(), Vec::new(), None).unwrap()
    }

    const DENY: &str = "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\nkubernetesNamespaceAdmissionRules:\n  prod: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n";

    fn service(annotations: serde_json::Value) -> Request {
        RequestBuilder::for_workload(json!({
            "apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "web", "annotations": annotations},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "gcr.io/p/web:1"}]}}}
        }))
        .namespace("prod")
        .build()
        .unwrap()
    }

    fn now() -> Timestamp {
        Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
    }

    #[test]
    fn the_default_rule_decides_whatever_the_target() {
        let e = evaluator(DENY);
        let d = e.evaluate(
            &service(json!({"run.googleapis.com/binary-authorization": "default"})),
            &Evidence::new(),
            now(),
            Options::default(),
        );
        // On GKE the `prod` namespace rule would admit.
        assert_eq!(d.verdict, Verdict::Deny);
        let part = d.cloud_run.unwrap();
        assert_eq!(part.ignored_rules.len(), 1);
        assert_eq!(part.ignored_rules[0].key, "prod");
    }

    #[test]
    fn a_cluster_configuration_does_not_apply() {
        let e = evaluator(DENY);
        let request = service(json!({"run.googleapis.com/binary-authorization": "default"}));
        let config = ClusterConfig::from_text("evaluationMode: DISABLED").unwrap();
        let in_cluster = e.evaluate_in_cluster(
            &config,
            &request,
            &Evidence::new(),
            now(),
            Options::default(),
        );
        let plain = e.evaluate(&request, &Evidence::new(), now(), Options::default());
        assert_eq!(in_cluster, plain);
        assert!(in_cluster.cluster.is_none());
    }

    #[test]
    fn bundle_refuses_a_cluster_configuration() {
        let bundle = json!({
            "policy": DENY,
            "request": {"workload": {"name": "projects/p/locations/l/services/s",
                                     "template": {"containers": [{"image": "busybox"}]}}},
            "now": "2026-11-23T10:00:00Z",
            "clusterConfig": {"evaluationMode": "DISABLED"}
        });
        let e =
            crate::bundle::Bundle::from_value(bundle, &crate::limits::Limits::DEFAULT).unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::ClusterInvalidConfig);
        assert_eq!(e.path(), "/clusterConfig");
    }

    #[test]
    fn named_policy_fails_closed_and_break_glass_admits() {
        let e = evaluator(
            "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n",
        );
        let named = json!({"run.googleapis.com/binary-authorization": "projects/p/platforms/cloudRun/policies/n"});
        let d = e.evaluate(&service(named), &Evidence::new(), now(), Options::default());
        assert!(!d.allowed);
        assert!(d.images.is_empty());
        assert!(
            d.message
                .unwrap()
                .contains("projects/p/platforms/cloudRun/policies/n")
        );
        let bg = json!({"run.googleapis.com/binary-authorization": "projects/p/platforms/cloudRun/policies/n",
                        "run.googleapis.com/binary-authorization-breakglass": ""});
        let d = e.evaluate(&service(bg), &Evidence::new(), now(), Options::default());
        assert_eq!(d.verdict, Verdict::BreakGlassAllow);
        assert_eq!(
            d.cloud_run.unwrap().break_glass_justification.as_deref(),
            Some("")
        );
    }

    #[test]
    fn inline_attestors_count_against_max_attestors() {
        let policy = |n: &str| {
            crate::CloudRunPolicy::from_value(
                json!({"name": format!("projects/p/platforms/cloudRun/policies/{n}"),
                       "cloudRunPolicy": {"rule": {"evaluationMode": "REQUIRE_ATTESTATION",
                           "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
                           "requiredAttestors": [{"id": "a", "attestationNote": "projects/p/notes/a"}]}}}),
                &crate::Limits::DEFAULT,
            )
            .unwrap()
        };
        let limits = crate::Limits {
            max_attestors: 1,
            ..crate::Limits::DEFAULT
        };
        let e = evaluator(DENY)
            .with_cloud_run_policies_and_limits(vec![policy("a"), policy("b")], &limits)
            .unwrap_err();
        assert_eq!(e.code(), crate::error::ErrorCode::PlatformTooLarge);
        let ok = evaluator(DENY)
            .with_cloud_run_policies_and_limits(vec![policy("a")], &limits)
            .unwrap();
        assert_eq!(
            ok.cloud_run_policy_names().collect::<Vec<_>>(),
            ["projects/p/platforms/cloudRun/policies/a"]
        );
    }
}
