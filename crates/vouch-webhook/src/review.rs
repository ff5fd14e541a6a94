//! `AdmissionReview` v1 in, `AdmissionReview` v1 out: the pure half of the webhook (no I/O,
//! no clock: `now` is a parameter), unit-tested without a server.
//!
//! The shapes are the Kubernetes API's (`admission.k8s.io/v1`, reference: "Dynamic Admission
//! Control" and `k8s.io/api/admission/v1/types.go`):
//!
//! * request: `uid`, `kind {group, version, kind}`, `resource`, `subResource`, `name`,
//!   `namespace`, `operation` (`CREATE`, `UPDATE`, `DELETE`, `CONNECT`), `object`, `oldObject`,
//!   `dryRun`, `userInfo`, `options`;
//! * response: `uid` (the request's), `allowed`, `status {code, message}` (read only when not
//!   allowed), `auditAnnotations`, `warnings`.
//!
//! What is decided (docs/webhook.md):
//!
//! * Pods on `CREATE` and `UPDATE` (and the `ephemeralcontainers` subresource, which adds
//!   containers to a running Pod) are decided like Binary Authorization decides them: denied
//!   with its message, or admitted; a dry-run violation or break-glass admits with a warning;
//!   the decision's audit annotations become `auditAnnotations`. An `UPDATE` whose Pod names
//!   no image its `oldObject` did not is admitted without a decision (`UNCHANGED`).
//! * Workload controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
//!   ReplicationController) are always admitted; a denial of their pod template becomes a
//!   warning, so that `kubectl apply` shows the problem before the Pods fail.
//! * Anything else (another kind, another subresource, `DELETE`, `CONNECT`) is admitted
//!   untouched: the webhook configuration should not send it.
//! * A Pod vouch cannot read is denied, naming the cause: fail closed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use vouch::{ClusterConfig, Decision, Evaluator, Evidence, Limits, Options, Timestamp, Verdict};

/// The prefix of the audit annotation keys of a decision; the API server prefixes the keys of
/// `auditAnnotations` with the webhook's name, so the response carries the part after it.
const AUDIT_PREFIX: &str = "imagepolicywebhook.image-policy.k8s.io/";

/// Kubernetes shows warnings of up to 120 characters well and may truncate longer ones; a
/// warning is cut at this many characters.
const MAX_WARNING_CHARS: usize = 256;

/// What the webhook decides with: the compiled policy, the evidence, the deployment target and
/// the options. Immutable; shared by every request.
#[derive(Debug, Clone)]
pub struct Decider {
    /// The project policy with its attestors.
    pub evaluator: Evaluator,
    /// The attestations (and other evidence) the decisions read.
    pub evidence: Evidence,
    /// The cluster the webhook guards (`LOCATION.NAME`), for cluster rules.
    pub cluster: Option<String>,
    /// The cluster's Binary Authorization configuration, when given (decision P-12).
    pub cluster_config: Option<ClusterConfig>,
    /// Evaluation options.
    pub options: Options,
}

/// A review that is not an `AdmissionReview` v1 the webhook can answer: HTTP 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReview(pub String);

impl std::fmt::Display for BadReview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the webhook did with a review, for logs and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `ALLOW`, `DENY`, `DRY_RUN_ALLOW`, `BREAK_GLASS_ALLOW`; `WARN` for a workload controller
    /// whose pods would be denied; `SKIPPED` when nothing was evaluated; `UNCHANGED` for a Pod
    /// update that runs no new image; `UNREADABLE` for a Pod that could not be read (denied).
    pub verdict: &'static str,
    /// The rule kind that applied, when a decision was made.
    pub rule: Option<&'static str>,
    /// The object's kind, namespace and name, as the request gives them.
    pub kind: String,
    /// The namespace.
    pub namespace: String,
    /// The object's name (`""` for a Pod created with `generateName`).
    pub name: String,
}

/// The Pod and workload-controller kinds, by API group.
const CONTROLLERS: &[(&str, &str)] = &[
    ("apps", "Deployment"),
    ("apps", "ReplicaSet"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("batch", "Job"),
    ("batch", "CronJob"),
    ("", "ReplicationController"),
];

/// Answers one review (the request body, parsed): the response `AdmissionReview` and what was
/// done. `Err` when the body is not an `AdmissionReview` v1 with a request.
pub fn answer(
    decider: &Decider,
    review: &Value,
    now: Timestamp,
) -> Result<(Value, Outcome), BadReview> {
    answer_with(decider, &decider.evidence, &[], review, now)
}

/// [`answer`] with the evidence of this review (the configuration's, plus what an evidence
/// source fetched) and the causes of the fetches that failed. A failed fetch contributes no
/// evidence, so the decision is the policy's own answer without it (fail closed); each cause is
/// a warning, and a denial's message names them.
pub fn answer_with(
    decider: &Decider,
    evidence: &Evidence,
    unavailable: &[String],
    review: &Value,
    now: Timestamp,
) -> Result<(Value, Outcome), BadReview> {
    let request = read_review(review)?;
    let uid = request
        .get("uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| BadReview("`request.uid` must be a non-empty string".into()))?;
    let gvk = request.get("kind").and_then(Value::as_object);
    let group = gvk
        .and_then(|k| k.get("group"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = gvk
        .and_then(|k| k.get("kind"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let text = |key: &str| {
        request
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let namespace = text("namespace");
    let mut outcome = Outcome {
        verdict: "SKIPPED",
        rule: None,
        kind: kind.to_owned(),
        namespace: namespace.clone(),
        name: text("name"),
    };
    let operation = text("operation");
    let sub_resource = text("subResource");
    let is_pod = group.is_empty() && kind == "Pod";
    let is_controller = CONTROLLERS.contains(&(group, kind));
    let decided_operation = operation == "CREATE" || operation == "UPDATE";
    let decided_sub_resource =
        sub_resource.is_empty() || (is_pod && sub_resource == "ephemeralcontainers");
    if !(decided_operation && decided_sub_resource && (is_pod || is_controller)) {
        return Ok((
            response(uid, true, None, BTreeMap::new(), Vec::new()),
            outcome,
        ));
    }
    let object = request.get("object").cloned().unwrap_or(Value::Null);
    if is_pod && operation == "UPDATE" && images_unchanged(&object, request.get("oldObject")) {
        // Nothing new would run: a label or status-like change of a running Pod is not
        // re-decided (a policy that changed since cannot stop what already runs, and denying
        // the update would only break its controllers).
        outcome.verdict = "UNCHANGED";
        return Ok((
            response(uid, true, None, BTreeMap::new(), Vec::new()),
            outcome,
        ));
    }
    let decision = match decide(decider, evidence, object, kind, &namespace, now) {
        Ok(decision) => decision,
        Err(cause) => {
            let message =
                format!("vouch could not read the {kind}, so it cannot admit it: {cause}");
            if is_pod {
                outcome.verdict = "UNREADABLE";
                return Ok((
                    response(uid, false, Some(&message), BTreeMap::new(), Vec::new()),
                    outcome,
                ));
            }
            outcome.verdict = "WARN";
            return Ok((
                response(uid, true, None, BTreeMap::new(), vec![warning(&message)]),
                outcome,
            ));
        }
    };
    outcome.rule = Some(rule_kind(&decision));
    let audit: BTreeMap<String, String> = decision
        .audit_annotations
        .iter()
        .map(|(k, v)| {
            (
                k.strip_prefix(AUDIT_PREFIX).unwrap_or(k).to_owned(),
                v.clone(),
            )
        })
        .collect();
    let mut unavailable_warnings: Vec<String> = unavailable
        .iter()
        .map(|cause| warning(&format!("evidence unavailable: {cause}")))
        .collect();
    let joined;
    let message = match (decision.allowed, decision.message.as_deref(), unavailable) {
        (false, Some(m), [_, ..]) => {
            joined = format!("{m}; evidence unavailable: {}", unavailable.join("; "));
            Some(joined.as_str())
        }
        (_, m, _) => m,
    };
    if is_controller {
        // A controller's own admission is never blocked: its Pods are.
        let warnings = match (decision.verdict, message) {
            (Verdict::Deny, Some(m)) => {
                outcome.verdict = "WARN";
                vec![warning(&format!(
                    "Binary Authorization will deny the Pods of this {kind}: {m}"
                ))]
            }
            (Verdict::DryRunAllow, Some(m)) => {
                outcome.verdict = "DRY_RUN_ALLOW";
                vec![warning(&format!(
                    "the Pods of this {kind} violate a dry-run rule (admitted, logged): {m}"
                ))]
            }
            _ => {
                outcome.verdict = decision.verdict.as_str();
                Vec::new()
            }
        };
        let mut warnings = warnings;
        warnings.append(&mut unavailable_warnings);
        return Ok((
            response(uid, true, None, BTreeMap::new(), warnings),
            outcome,
        ));
    }
    outcome.verdict = decision.verdict.as_str();
    let warnings = match (decision.verdict, message) {
        (Verdict::DryRunAllow, Some(m)) => vec![warning(&format!(
            "dry run: Binary Authorization would deny this Pod (admitted, logged): {m}"
        ))],
        (Verdict::BreakGlassAllow, Some(m)) => vec![warning(&format!(
            "break-glass: admitted although Binary Authorization denies it: {m}"
        ))],
        (Verdict::BreakGlassAllow, None) => {
            vec![warning("break-glass requested: admitted and recorded")]
        }
        _ => Vec::new(),
    };
    let mut warnings = warnings;
    warnings.append(&mut unavailable_warnings);
    let denial = (!decision.allowed).then_some(message.unwrap_or("denied by Binary Authorization"));
    Ok((
        response(uid, decision.allowed, denial, audit, warnings),
        outcome,
    ))
}

/// The images of the reviewed object pinned by digest (`REPOSITORY@sha256:…`), for evidence
/// sources: a Pod's, or a workload controller's pod template's. Only digests can carry
/// attestations; a tag is denied as written whatever is fetched.
pub fn digest_images(review: &Value) -> Vec<String> {
    let Some(object) = review.pointer("/request/object") else {
        return Vec::new();
    };
    let pod = ["/spec/jobTemplate/spec/template", "/spec/template"]
        .iter()
        .find_map(|p| object.pointer(p))
        .unwrap_or(object);
    pod_images(pod)
        .unwrap_or_default()
        .into_iter()
        .filter(|image| {
            image
                .rsplit_once('@')
                .is_some_and(|(_, d)| is_sha256_digest(d))
        })
        .map(str::to_owned)
        .collect()
}

/// `sha256:` and 64 lowercase hex digits: the only digest put in a query (a Pod's image
/// string is the Pod author's, and the filter must not be theirs to write).
fn is_sha256_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Every image a Pod names: containers, init and ephemeral containers, image volumes.
fn pod_images(pod: &Value) -> Option<std::collections::BTreeSet<&str>> {
    let spec = pod.get("spec")?.as_object()?;
    let mut images = std::collections::BTreeSet::new();
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for container in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            images.insert(container.get("image")?.as_str()?);
        }
    }
    for volume in spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(image) = volume.get("image") {
            images.insert(image.get("reference")?.as_str()?);
        }
    }
    Some(images)
}

/// Whether an update of a Pod runs no image its old version did not: every image of the new
/// Pod is one of the old Pod's. Anything unreadable counts as changed (decided).
fn images_unchanged(new: &Value, old: Option<&Value>) -> bool {
    match (pod_images(new), old.and_then(pod_images)) {
        (Some(new), Some(old)) => !new.is_empty() && new.is_subset(&old),
        _ => false,
    }
}

/// The `request` of an `AdmissionReview` v1.
fn read_review(review: &Value) -> Result<&Map<String, Value>, BadReview> {
    let Some(top) = review.as_object() else {
        return Err(BadReview(
            "the body must be an AdmissionReview object".into(),
        ));
    };
    let api_version = top.get("apiVersion").and_then(Value::as_str);
    if api_version != Some("admission.k8s.io/v1") {
        return Err(BadReview(format!(
            "`apiVersion` must be `admission.k8s.io/v1` (list only v1 in the webhook's `admissionReviewVersions`), found {}",
            api_version.map_or("nothing".to_owned(), |v| format!("`{v}`"))
        )));
    }
    if top.get("kind").and_then(Value::as_str) != Some("AdmissionReview") {
        return Err(BadReview("`kind` must be `AdmissionReview`".into()));
    }
    top.get("request")
        .and_then(Value::as_object)
        .ok_or_else(|| BadReview("the AdmissionReview has no `request` object".into()))
}

/// Decides the object as vouch's request document reads it: the workload, in the request's
/// namespace, on the webhook's cluster.
fn decide(
    decider: &Decider,
    evidence: &Evidence,
    object: Value,
    kind: &str,
    namespace: &str,
    now: Timestamp,
) -> Result<Decision, String> {
    // The object is what the API server will persist; its kind must be the one reviewed.
    let written = object.get("kind").and_then(Value::as_str);
    if written != Some(kind) {
        return Err(format!(
            "`request.object.kind` is {}, but the review is for a {kind}",
            written.map_or("missing".to_owned(), |k| format!("`{k}`"))
        ));
    }
    let mut document = Map::new();
    document.insert("workload".into(), object);
    if !namespace.is_empty() {
        document.insert("namespace".into(), Value::String(namespace.to_owned()));
    }
    if let Some(cluster) = &decider.cluster {
        document.insert("cluster".into(), Value::String(cluster.clone()));
    }
    let request = vouch::Request::from_value(Value::Object(document), &Limits::DEFAULT)
        .map_err(|e| format!("{} at {}: {}", e.code(), e.path(), e.message()))?;
    if request.cloud_run().is_some() {
        return Err("it reads as a Cloud Run resource, which this webhook does not decide".into());
    }
    Ok(match &decider.cluster_config {
        Some(config) => {
            decider
                .evaluator
                .evaluate_in_cluster(config, &request, evidence, now, decider.options)
        }
        None => decider
            .evaluator
            .evaluate(&request, evidence, now, decider.options),
    })
}

fn rule_kind(decision: &Decision) -> &'static str {
    decision.rule.kind.as_str()
}

/// A warning, cut to [`MAX_WARNING_CHARS`].
fn warning(text: &str) -> String {
    if text.chars().count() <= MAX_WARNING_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_WARNING_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The response `AdmissionReview`.
fn response(
    uid: &str,
    allowed: bool,
    denial: Option<&str>,
    audit: BTreeMap<String, String>,
    warnings: Vec<String>,
) -> Value {
    let mut response = Map::new();
    response.insert("uid".into(), Value::String(uid.to_owned()));
    response.insert("allowed".into(), Value::Bool(allowed));
    if let (false, Some(message)) = (allowed, denial) {
        response.insert(
            "status".into(),
            json!({"code": 403, "reason": "Forbidden", "message": message}),
        );
    }
    if !audit.is_empty() {
        response.insert("auditAnnotations".into(), json!(audit));
    }
    if !warnings.is_empty() {
        response.insert("warnings".into(), json!(warnings));
    }
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response})
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
