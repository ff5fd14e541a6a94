//! The continuous-validation entry point every front end calls (decisions P-11, P-12):
//!
//! ```text
//! {"platformPolicies": {NAME: policy (object or YAML/JSON text)},
//!  "pods": <kubectl get pods -A -o json> (object or text),
//!  "attestations", "trust", "now",
//!  "cluster": "PROJECT/LOCATION/NAME"   (optional: wraps each event in its LogEntry),
//!  "clusterConfig": <binaryAuthorization block> (optional: only bound policies are monitored),
//!  "options": {"tagDigests": {IMAGE: DIGEST}}}
//! ```
//!
//! → `{"entries": [...], "errors": [...], "summary": {...}}` ([`CvReport`]), or the contract's
//! error JSON. Without `clusterConfig` every given policy is monitored under its `NAME`. With
//! it, the cluster's mode decides: `DISABLED` and `PROJECT_SINGLETON_POLICY_ENFORCE` monitor
//! nothing (the summary's `note` says why); `POLICY_BINDINGS` and
//! `POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE` monitor each bound policy, in binding
//! order, under its bound name. A given policy serves a binding when its `NAME` is the
//! binding's name, or is the binding's policy id (its last segment). A bound policy that was
//! not given is a `configErrorEvent`, as CV logs it; given policies that are not bound are not
//! monitored (the note lists them).
//!
//! A skipped Pod's error path points into the `pods` document (`/items/N/...`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::platform::{load_platform_policy, load_trust, platform_options};
use super::{bundle_object, embedded, load_cluster_config, load_evidence, parse_now, required};
use crate::decision::cv::CvReport;
use crate::error::{Error, ErrorCode, Subject, join};
use crate::evaluate::cv::{self as core, CvCluster, CvContext, Monitored};
use crate::limits::Limits;
use crate::policy::platform::{ClusterConfig, ClusterEvaluationMode, PlatformPolicy};
use crate::read::document::{self, AliasBudget, type_name};
use crate::request::PodSnapshot;

/// Top-level keys of a CV document.
const CV_KEYS: &[&str] = &[
    "platformPolicies",
    "pods",
    "attestations",
    "trust",
    "cluster",
    "clusterConfig",
    "now",
    "options",
];

/// Most platform policies one CV run monitors: a cluster binds at most 10 (platform-policies
/// §1.4).
pub(crate) const MAX_MONITORED_POLICIES: usize = 10;

/// Runs continuous validation over a document given as JSON or YAML text and returns the
/// report JSON, or the contract's error JSON for a configuration error. Never panics.
pub fn continuous_validation(text: &str) -> String {
    report_json(continuous_validation_document(text))
}

/// [`continuous_validation`], returning the report (or the error) itself.
pub fn continuous_validation_document(text: &str) -> Result<CvReport, Error> {
    let limits = Limits::DEFAULT;
    let budget = AliasBudget::new(&limits);
    document::parse_within(text, &limits, &budget).and_then(|value| cv(value, &limits, &budget))
}

/// [`continuous_validation`] for a document already parsed into a JSON value.
pub fn continuous_validation_value(value: Value) -> String {
    let limits = Limits::DEFAULT;
    report_json(cv(value, &limits, &AliasBudget::new(&limits)))
}

/// [`continuous_validation`] under explicit limits, for a parsed document.
pub fn continuous_validation_with_limits(value: Value, limits: &Limits) -> Result<CvReport, Error> {
    cv(value, limits, &AliasBudget::new(limits))
}

fn report_json(report: Result<CvReport, Error>) -> String {
    match report {
        Ok(report) => report.to_json(),
        Err(e) => e.to_json(),
    }
}

fn cv(value: Value, limits: &Limits, budget: &AliasBudget) -> Result<CvReport, Error> {
    let mut map = bundle_object(value, CV_KEYS)?;
    let policies = load_policies(required(&mut map, "platformPolicies")?, limits, budget)?;
    let pods = embedded(
        required(&mut map, "pods")?,
        Subject::Request,
        limits,
        budget,
    )
    .and_then(|v| PodSnapshot::from_value(&v, limits))
    .map_err(|e| e.within("/pods"))?;
    let evidence =
        load_evidence(map.remove("attestations"), limits, budget).map_err(Error::in_bundle)?;
    let trust = load_trust(map.remove("trust"), limits, budget)?;
    let cluster = match map.remove("cluster") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            Some(CvCluster::parse(&text).map_err(|e| e.within("/cluster"))?)
        }
        Some(other) => {
            return Err(Error::new(
                ErrorCode::RequestInvalidCluster,
                "/cluster",
                format!(
                    "`cluster` must be a `PROJECT/LOCATION/NAME` string, found {}",
                    type_name(&other)
                ),
            ));
        }
    };
    let config = load_cluster_config(map.remove("clusterConfig"), limits, budget)?;
    let now = parse_now(required(&mut map, "now")?)?;
    let options = platform_options(map.remove("options"))?;
    let plan = plan(&policies, config.as_ref());
    let cx = CvContext {
        evidence: &evidence,
        trust: &trust,
        now,
        options: &options,
        cluster: cluster.as_ref(),
        limits,
    };
    let mut report = core::continuous_validation(&plan.monitored, &plan.missing, &pods, &cx);
    report.summary.evaluation_mode = config.as_ref().map(ClusterConfig::mode);
    report.summary.note = plan.note;
    Ok(report)
}

/// `platformPolicies`: NAME → policy, at most [`MAX_MONITORED_POLICIES`].
fn load_policies(
    value: Value,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<BTreeMap<String, PlatformPolicy>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::new(
            ErrorCode::PlatformInvalidType,
            "/platformPolicies",
            format!(
                "`platformPolicies` must be an object of policy name → policy, found {}",
                type_name(&value)
            ),
        ));
    };
    if map.len() > MAX_MONITORED_POLICIES {
        return Err(Error::new(
            ErrorCode::ClusterTooManyBindings,
            "/platformPolicies",
            format!(
                "{} platform policies: a cluster monitors at most {MAX_MONITORED_POLICIES}",
                map.len()
            ),
        ));
    }
    let mut out = BTreeMap::new();
    for (name, policy) in map {
        let path = join("/platformPolicies", &name);
        if name.is_empty() {
            return Err(Error::new(
                ErrorCode::PlatformInvalidValue,
                path,
                "a platform policy needs a name (`projects/PROJECT/platforms/gke/policies/ID`, or the id)",
            ));
        }
        let policy = load_platform_policy(policy, limits, budget).map_err(|e| e.within(&path))?;
        out.insert(name, policy);
    }
    Ok(out)
}

/// What one CV run monitors.
struct Plan<'p> {
    monitored: Vec<Monitored<'p>>,
    missing: Vec<String>,
    note: Option<String>,
}

/// The policies monitored under a cluster configuration (decision P-12).
fn plan<'p>(
    policies: &'p BTreeMap<String, PlatformPolicy>,
    config: Option<&ClusterConfig>,
) -> Plan<'p> {
    let Some(config) = config else {
        return Plan {
            monitored: policies.iter().map(|(n, p)| (n.clone(), p)).collect(),
            missing: Vec::new(),
            note: None,
        };
    };
    match config.mode() {
        mode @ (ClusterEvaluationMode::Disabled
        | ClusterEvaluationMode::ProjectSingletonPolicyEnforce) => Plan {
            monitored: Vec::new(),
            missing: Vec::new(),
            note: Some(format!(
                "the cluster's evaluationMode is {}: it runs no continuous validation, so no platform policy is monitored",
                mode.as_str()
            )),
        },
        ClusterEvaluationMode::PolicyBindings
        | ClusterEvaluationMode::PolicyBindingsAndProjectSingletonPolicyEnforce => {
            let mut monitored = Vec::new();
            let mut missing = Vec::new();
            let mut used = Vec::new();
            for binding in config.bindings() {
                let id = binding.rsplit('/').next().unwrap_or_default();
                let given = policies.get_key_value(binding.as_str()).or_else(|| {
                    policies
                        .iter()
                        .find(|(name, _)| !name.contains('/') && name.as_str() == id)
                });
                match given {
                    Some((name, policy)) => {
                        used.push(name.as_str());
                        monitored.push((binding.clone(), policy));
                    }
                    None => missing.push(binding.clone()),
                }
            }
            let unbound: Vec<&str> = policies
                .keys()
                .map(String::as_str)
                .filter(|n| !used.contains(n))
                .collect();
            let note = (!unbound.is_empty()).then(|| {
                format!(
                    "not bound to the cluster, so not monitored: {}",
                    unbound.join(", ")
                )
            });
            Plan {
                monitored,
                missing,
                note,
            }
        }
    }
}
