//! Continuous validation over a cluster snapshot (decision P-11): every monitored platform
//! policy against every Pod, on its own, with one log event per violated policy per Pod.
//!
//! The work is memoized: an image's result under a policy depends only on the image string
//! and the check set the Pod's namespace and service account select (the policy-level
//! allowlist, the set's allowlist and every check read nothing else of the Pod), so each
//! distinct (policy, check set, image) is evaluated once. A snapshot of 10,000 Pods running
//! 50 distinct images under one policy with one check set costs 50 evaluations
//! (`docs/performance.md`).

use std::collections::HashMap;

use crate::decision::cv::{
    AuditResult, CV_EVENT_TYPE, CV_LOG_ID, ClusterLabels, ConfigErrorEvent,
    ContinuousValidationEvent, CvCheckResult, CvEntry, CvError, CvErrorKind, CvReport, CvSummary,
    ImageDetails, JsonPayload, LogEntry, MonitoredResource, PodEvent, PolicyConformanceVerdict,
};
use crate::decision::platform::{PlatformImageResult, PlatformVerdict};
use crate::error::{Error, ErrorCode};
use crate::evaluate::platform::{CheckMemo, ImageContext, PlatformOptions};
use crate::evidence::Evidence;
use crate::limits::Limits;
use crate::policy::platform::PlatformPolicy;
use crate::request::{PodSnapshot, RequestImage};
use crate::time::Timestamp;
use crate::verify::trust::TrustMaterial;

/// The cluster CV runs in, `PROJECT/LOCATION/NAME`: it names the log and the resource of
/// each entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvCluster {
    pub(crate) project: String,
    pub(crate) location: String,
    pub(crate) name: String,
}

impl CvCluster {
    /// Reads `PROJECT/LOCATION/NAME` (three non-empty parts without spaces).
    pub fn parse(text: &str) -> Result<CvCluster, Error> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [project, location, name]
                if [project, location, name].iter().all(|p| {
                    !p.is_empty()
                        && p.bytes().all(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':')
                        })
                }) =>
            {
                Ok(CvCluster {
                    project: (*project).to_owned(),
                    location: (*location).to_owned(),
                    name: (*name).to_owned(),
                })
            }
            _ => Err(Error::new(
                ErrorCode::RequestInvalidCluster,
                "",
                format!(
                    "cluster `{text}` must be `PROJECT/LOCATION/NAME`, e.g. `my-project/us-central1-a/prod-cluster`"
                ),
            )),
        }
    }

    /// `LOCATION.NAME`, as CV's configuration errors name the cluster.
    pub fn location_name(&self) -> String {
        format!("{}.{}", self.location, self.name)
    }
}

/// One monitored policy: the name CV logs (`policyName`) and the compiled policy.
pub(crate) type Monitored<'p> = (String, &'p PlatformPolicy);

/// Everything one CV run reads besides the policies and the snapshot.
pub(crate) struct CvContext<'a> {
    pub(crate) evidence: &'a Evidence,
    pub(crate) trust: &'a TrustMaterial,
    pub(crate) now: Timestamp,
    pub(crate) options: &'a PlatformOptions,
    pub(crate) cluster: Option<&'a CvCluster>,
    /// The verification budgets of each image's checks.
    pub(crate) limits: &'a Limits,
}

/// Runs CV: config error events for `missing` bound policies, then for each Pod in snapshot
/// order each monitored policy in order.
pub(crate) fn continuous_validation(
    monitored: &[Monitored<'_>],
    missing: &[String],
    snapshot: &PodSnapshot,
    cx: &CvContext<'_>,
) -> CvReport {
    // One memo for the whole run: Pods whose image strings differ but name one digest share
    // the evidence-reading checks' outcomes.
    let memo = CheckMemo::default();
    let ctx = ImageContext {
        evidence: cx.evidence,
        trust: cx.trust,
        now: cx.now,
        options: cx.options,
        limits: cx.limits,
        memo: &memo,
    };
    run(
        monitored,
        missing,
        snapshot,
        cx.cluster,
        cx.now,
        |policy, set, image| policy.evaluate_image(set, image, &ctx),
    )
}

/// The memoized core; `evaluate` gives one image's result under one policy and the check set
/// the Pod selected (`PlatformPolicy::evaluate_image`, which reads nothing else of the Pod).
pub(crate) fn run<F>(
    monitored: &[Monitored<'_>],
    missing: &[String],
    snapshot: &PodSnapshot,
    cluster: Option<&CvCluster>,
    now: Timestamp,
    mut evaluate: F,
) -> CvReport
where
    F: FnMut(&PlatformPolicy, Option<usize>, &RequestImage) -> PlatformImageResult,
{
    let mut entries = Vec::new();
    let mut errors: Vec<CvError> = Vec::new();
    let mut summary = CvSummary {
        evaluation_mode: None,
        monitored_policies: monitored.iter().map(|(name, _)| name.clone()).collect(),
        note: None,
        pods: snapshot.pods.len(),
        pods_skipped: snapshot.skipped.len(),
        images: snapshot.pods.iter().map(|p| p.request.images.len()).sum(),
        evaluations: 0,
        violations: monitored
            .iter()
            .map(|(name, _)| (name.clone(), 0))
            .collect(),
        errors: 0,
        config_errors: missing.len(),
    };
    for name in missing {
        let description = match cluster {
            Some(c) => format!(
                "Cannot monitor cluster '{}': Resource {name} does not exist.",
                c.location_name()
            ),
            None => format!("Cannot monitor cluster: Resource {name} does not exist."),
        };
        entries.push(entry(
            ContinuousValidationEvent {
                pod_event: None,
                config_error_event: Some(ConfigErrorEvent { description }),
            },
            cluster,
            now,
        ));
    }
    for error in &snapshot.skipped {
        errors.push(CvError {
            error: Some(error.clone()),
            ..blank_error(CvErrorKind::PodSkipped)
        });
    }
    // Per policy: (check set index) → image string → index into `results`.
    let mut memo: Vec<HashMap<Option<usize>, HashMap<String, usize>>> =
        monitored.iter().map(|_| HashMap::new()).collect();
    let mut results: Vec<PlatformImageResult> = Vec::new();
    for pod in &snapshot.pods {
        let request = &pod.request;
        for ((name, policy), memo) in monitored.iter().zip(memo.iter_mut()) {
            let set = policy.select_check_set(&request.namespace, &request.service_account);
            let by_image = memo.entry(set).or_default();
            let mut images = Vec::new();
            for image in &request.images {
                let key = image.image.as_str();
                let index = match by_image.get(key) {
                    Some(&index) => index,
                    None => {
                        let index = results.len();
                        results.push(evaluate(policy, set, image));
                        by_image.insert(key.to_owned(), index);
                        index
                    }
                };
                let Some(result) = results.get(index) else {
                    continue;
                };
                let pod_error = |kind| CvError {
                    policy_name: Some(name.clone()),
                    pod_namespace: Some(request.namespace.clone()),
                    pod: request.name.clone(),
                    image: Some(key.to_owned()),
                    container_name: image.container.clone(),
                    container_type: image.container_type,
                    volume: image.volume.clone(),
                    ..blank_error(kind)
                };
                let before = errors.len();
                for check in checks(result) {
                    if check.verdict == PlatformVerdict::Error {
                        errors.push(CvError {
                            check_set_index: Some(check.set_index.clone()),
                            check_index: Some(check.index.clone()),
                            check_name: Some(check.name.to_owned()).filter(|n| !n.is_empty()),
                            check_type: Some(check.check_type.to_owned()),
                            explanation: Some(check.explanation.to_owned())
                                .filter(|e| !e.is_empty()),
                            details: check.details.to_vec(),
                            ..pod_error(CvErrorKind::CheckError)
                        });
                    }
                }
                if result.verdict == PlatformVerdict::Error && errors.len() == before {
                    errors.push(CvError {
                        explanation: image_explanation(result),
                        ..pod_error(CvErrorKind::ImageError)
                    });
                }
                if result.verdict == PlatformVerdict::NonConformant {
                    images.push(image_details(result, image));
                }
            }
            if !images.is_empty() {
                if let Some(count) = summary.violations.get_mut(name) {
                    *count += 1;
                }
                entries.push(entry(
                    ContinuousValidationEvent {
                        pod_event: Some(PodEvent {
                            pod_namespace: request.namespace.clone(),
                            pod: request.name.clone().unwrap_or_default(),
                            policy_name: name.clone(),
                            deploy_time: pod.deploy_time,
                            end_time: pod.end_time,
                            verdict: PolicyConformanceVerdict::ViolatesPolicy,
                            images,
                        }),
                        config_error_event: None,
                    },
                    cluster,
                    now,
                ));
            }
        }
    }
    summary.evaluations = results.len();
    summary.errors = errors
        .iter()
        .filter(|e| e.kind != CvErrorKind::PodSkipped)
        .count();
    CvReport {
        entries,
        errors,
        summary,
    }
}

fn blank_error(kind: CvErrorKind) -> CvError {
    CvError {
        kind,
        policy_name: None,
        pod_namespace: None,
        pod: None,
        image: None,
        container_name: None,
        container_type: None,
        volume: None,
        check_set_index: None,
        check_index: None,
        check_name: None,
        check_type: None,
        explanation: None,
        details: Vec::new(),
        error: None,
    }
}

/// The bare event, or the event in its `LogEntry` when the cluster is known.
fn entry(event: ContinuousValidationEvent, cluster: Option<&CvCluster>, now: Timestamp) -> CvEntry {
    match cluster {
        None => CvEntry::Event(event),
        Some(c) => CvEntry::Logged(Box::new(LogEntry {
            log_name: format!("projects/{}/logs/{CV_LOG_ID}", c.project),
            resource: MonitoredResource {
                resource_type: "k8s_cluster",
                labels: ClusterLabels {
                    project_id: c.project.clone(),
                    location: c.location.clone(),
                    cluster_name: c.name.clone(),
                },
            },
            json_payload: JsonPayload {
                type_url: CV_EVENT_TYPE,
                event,
            },
            timestamp: now,
            severity: "WARNING",
        })),
    }
}

/// One evaluated check of an image result, flattened.
struct CheckView<'r> {
    set_index: String,
    set_name: &'r str,
    scope: Option<&'r crate::decision::platform::ScopeResult>,
    index: String,
    name: &'r str,
    check_type: &'r str,
    verdict: PlatformVerdict,
    explanation: &'r str,
    details: &'r [crate::decision::platform::PlatformDetail],
}

/// The evaluated checks of an image (none when it was exempt or no set applied).
fn checks(result: &PlatformImageResult) -> impl Iterator<Item = CheckView<'_>> {
    result
        .check_set_result
        .iter()
        .flat_map(|set| {
            set.check_results
                .iter()
                .flat_map(|c| c.results.iter())
                .map(move |check| (set, check))
        })
        .filter_map(|(set, check)| {
            let verdict = check.evaluation_result.as_ref()?.verdict;
            Some(CheckView {
                set_index: set.index.to_string(),
                set_name: &set.display_name,
                scope: set.scope.as_ref(),
                index: check.index.to_string(),
                name: &check.display_name,
                check_type: &check.check_type,
                verdict,
                explanation: &check.explanation,
                details: &check.details,
            })
        })
}

fn image_explanation(result: &PlatformImageResult) -> Option<String> {
    result.explanation.clone().or_else(|| {
        result
            .check_set_result
            .as_ref()
            .and_then(|s| s.explanation.clone())
    })
}

/// A NON_CONFORMANT image as CV logs it: only its NON_CONFORMANT checks.
fn image_details(result: &PlatformImageResult, image: &RequestImage) -> ImageDetails {
    let check_results: Vec<CvCheckResult> = checks(result)
        .filter(|c| c.verdict == PlatformVerdict::NonConformant)
        .map(|c| CvCheckResult {
            check_set_index: c.set_index,
            check_set_name: c.set_name.to_owned(),
            check_set_scope: c.scope.cloned(),
            check_index: c.index,
            check_name: c.name.to_owned(),
            check_type: c.check_type.to_owned(),
            verdict: crate::decision::cv::CvCheckVerdict::NonConformant,
            explanation: c.explanation.to_owned(),
        })
        .collect();
    let description = match &result.check_set_result {
        Some(set) => {
            let total = set.check_results.as_ref().map_or(0, |c| c.results.len());
            let errors = checks(result)
                .filter(|c| c.verdict == PlatformVerdict::Error)
                .count();
            let errors = if errors > 0 {
                format!("; {errors} ended in ERROR")
            } else {
                String::new()
            };
            format!(
                "{} of {total} checks of check set {} (\"{}\") are NON_CONFORMANT{errors}",
                check_results.len(),
                set.index,
                set.display_name
            )
        }
        None => image_explanation(result).unwrap_or_default(),
    };
    ImageDetails {
        image: image.image.as_str().to_owned(),
        container_name: image.container.clone(),
        container_type: image.container_type,
        result: AuditResult::Deny,
        description,
        check_results,
    }
}

#[cfg(test)]
mod tests;
