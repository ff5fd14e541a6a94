//! The one JSON/YAML entry point every front end calls: a bundle in, a decision (or the
//! contract's error JSON) out.
//!
//! A bundle holds `policy`, `attestors`, `attestations`, `systemPolicy`, `request`, `now` and
//! `options`, and optionally `clusterConfig` and `cloudRunPolicies`. `policy`, `systemPolicy`, each attestor and `request.workload` may be the object
//! itself or a string holding its YAML or JSON; `attestors` and `attestations` may be a string
//! holding a whole file, or a list mixing objects and such strings. Error paths point into the
//! bundle; inside an embedded string they continue into the parsed document.
//!
//! A bundle also loads in two halves, to compile once and evaluate many requests:
//! [`Bundle::evaluator_from_value`] takes the configuration members and
//! [`Bundle::with_evaluator`] the per-request members, with the same checks and paths.

mod cv;
mod platform;
mod replay;

use serde_json::{Map, Value};

pub use self::cv::{
    continuous_validation, continuous_validation_document, continuous_validation_value,
    continuous_validation_with_limits,
};
pub use self::platform::{evaluate_platform, evaluate_platform_document, evaluate_platform_value};
pub use self::replay::{replay, replay_report, replay_value, replayer_from_value};

use crate::decision::Decision;
use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::evaluate::{Evaluator, Options};
use crate::evidence::{Evidence, EvidenceReport};
use crate::limits::Limits;
use crate::policy::platform::ClusterConfig;
use crate::policy::{CloudRunPolicy, Policy, SystemPolicy};
use crate::read::document::{self, AliasBudget, type_name};
use crate::request::Request;
use crate::time::Timestamp;
use crate::verify::attestor::{Attestor, attestors_with_paths, check_attestor_set};
use crate::verify::trust::TrustMaterial;

/// Top-level keys of a bundle.
const KEYS: &[&str] = &[
    "policy",
    "attestors",
    "attestations",
    "systemPolicy",
    "request",
    "now",
    "options",
    "clusterConfig",
    "cloudRunPolicies",
];
/// The configuration members, compiled once by [`Bundle::evaluator_from_value`].
const CONFIG_KEYS: &[&str] = &["policy", "attestors", "systemPolicy", "cloudRunPolicies"];
/// The per-request members, loaded by [`Bundle::with_evaluator`]; `clusterConfig` says what
/// the cluster the request is deployed to does (decision P-12).
const REQUEST_KEYS: &[&str] = &["request", "attestations", "now", "options", "clusterConfig"];
/// Keys that bundles ignore: a human description. (The vectors' `expect` and `expectError`
/// are the runners' to strip; a bundle holding them is `BUNDLE_UNKNOWN_FIELD`.)
const IGNORED_KEYS: &[&str] = &["description"];

/// A loaded bundle: a compiled evaluator plus one request's evidence.
#[derive(Debug, Clone)]
pub struct Bundle {
    evaluator: Evaluator,
    request: Request,
    evidence: Evidence,
    now: Timestamp,
    options: Options,
    cluster: Option<ClusterConfig>,
}

impl Bundle {
    /// Loads a bundle from JSON or YAML text, under default limits.
    pub fn from_text(text: &str) -> Result<Bundle, Error> {
        Bundle::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads a bundle from JSON or YAML text under explicit limits.
    ///
    /// The bundle and the members embedded in it as YAML text share one YAML alias budget
    /// (`max_yaml_aliases`, `max_yaml_alias_events`).
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<Bundle, Error> {
        let budget = AliasBudget::new(limits);
        let value = document::parse_within(text, limits, &budget)?;
        Bundle::load(value, limits, &budget)
    }

    /// Loads a bundle from a JSON value. Its members given as YAML text share one YAML alias
    /// budget.
    pub fn from_value(value: Value, limits: &Limits) -> Result<Bundle, Error> {
        Bundle::load(value, limits, &AliasBudget::new(limits))
    }

    fn load(value: Value, limits: &Limits, budget: &AliasBudget) -> Result<Bundle, Error> {
        let mut map = bundle_object(value, KEYS)?;
        let evaluator = load_evaluator(&mut map, limits, budget)?;
        load_request(evaluator, &mut map, limits, budget)
    }

    /// Compiles the configuration members of a bundle (`policy`, `attestors`, `systemPolicy`,
    /// `cloudRunPolicies`) into an [`Evaluator`], for evaluating many requests with
    /// [`Bundle::with_evaluator`].
    ///
    /// Validation and error paths are those of the same members inside a bundle, so the two
    /// halves together give exactly what [`Bundle::from_value`] gives for the whole.
    pub fn evaluator_from_value(value: Value, limits: &Limits) -> Result<Evaluator, Error> {
        let mut map = bundle_object(value, CONFIG_KEYS)?;
        load_evaluator(&mut map, limits, &AliasBudget::new(limits))
    }

    /// Loads the per-request members of a bundle (`request`, `attestations`, `now`, `options`)
    /// for an evaluator compiled by [`Bundle::evaluator_from_value`] (cloning it is cheap).
    pub fn with_evaluator(
        evaluator: &Evaluator,
        value: Value,
        limits: &Limits,
    ) -> Result<Bundle, Error> {
        let mut map = bundle_object(value, REQUEST_KEYS)?;
        load_request(
            evaluator.clone(),
            &mut map,
            limits,
            &AliasBudget::new(limits),
        )
    }

    /// Decides the bundle's request. With a cluster configuration (decision P-12) the
    /// cluster's evaluation mode decides whether the project policy runs: `DISABLED` and
    /// `POLICY_BINDINGS` admit without evaluating (the decision's `cluster` says why),
    /// `PROJECT_SINGLETON_POLICY_ENFORCE` and `POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE`
    /// let the project policy decide.
    pub fn evaluate(&self) -> Decision {
        match &self.cluster {
            None => self
                .evaluator
                .evaluate(&self.request, &self.evidence, self.now, self.options),
            Some(config) => self.evaluator.evaluate_in_cluster(
                config,
                &self.request,
                &self.evidence,
                self.now,
                self.options,
            ),
        }
    }

    /// The cluster configuration, when the bundle has one.
    pub fn cluster_config(&self) -> Option<&ClusterConfig> {
        self.cluster.as_ref()
    }

    /// The compiled evaluator.
    pub fn evaluator(&self) -> &Evaluator {
        &self.evaluator
    }

    /// The request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The attestations.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// The evaluation time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The options.
    pub fn options(&self) -> Options {
        self.options
    }
}

/// Evaluates a bundle given as JSON or YAML text and returns the decision JSON, or the
/// contract's error JSON for a configuration error. Never panics.
pub fn evaluate_bundle(text: &str) -> String {
    match Bundle::from_text(text) {
        Ok(bundle) => bundle.evaluate().to_json(),
        Err(e) => e.to_json(),
    }
}

/// [`evaluate_bundle`] for a bundle already parsed into a JSON value.
pub fn evaluate_bundle_value(value: Value) -> String {
    match Bundle::from_value(value, &Limits::DEFAULT) {
        Ok(bundle) => bundle.evaluate().to_json(),
        Err(e) => e.to_json(),
    }
}

/// Top-level keys of an inspection document: a bundle's evidence members, the trust material
/// for supply-chain evidence, and optionally the one image to report on.
const INSPECT_KEYS: &[&str] = &["attestors", "attestations", "trust", "image", "now"];

/// Inspects evidence given as JSON or YAML text — `{"attestations", "attestors", "trust",
/// "image", "now"}` — and returns the [`EvidenceReport`] JSON, or the contract's error JSON.
/// Never panics.
pub fn inspect_evidence(text: &str) -> String {
    report_json(inspect_evidence_document(text))
}

/// [`inspect_evidence`], returning the report (or the error) itself.
pub fn inspect_evidence_document(text: &str) -> Result<EvidenceReport, Error> {
    let limits = Limits::DEFAULT;
    let budget = AliasBudget::new(&limits);
    document::parse_within(text, &limits, &budget)
        .and_then(|value| inspection(value, &limits, &budget))
}

/// [`inspect_evidence`] for a document already parsed into a JSON value.
pub fn inspect_evidence_value(value: Value) -> String {
    let limits = Limits::DEFAULT;
    report_json(inspection(value, &limits, &AliasBudget::new(&limits)))
}

fn report_json(report: Result<EvidenceReport, Error>) -> String {
    match report {
        Ok(report) => report.to_json(),
        Err(e) => e.to_json(),
    }
}

fn inspection(
    value: Value,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<EvidenceReport, Error> {
    let mut map = bundle_object(value, INSPECT_KEYS)?;
    let attestors =
        load_attestors(map.remove("attestors"), limits, budget).map_err(Error::in_bundle)?;
    let evidence =
        load_evidence(map.remove("attestations"), limits, budget).map_err(Error::in_bundle)?;
    let trust = match map.remove("trust") {
        None | Some(Value::Null) => TrustMaterial::default(),
        Some(v) => embedded(v, Subject::Trust, limits, budget)
            .and_then(|v| TrustMaterial::from_value(v, limits))
            .map_err(Error::in_bundle)?,
    };
    let image = match map.remove("image") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(Error::new(
                ErrorCode::RequestInvalidImage,
                "/image",
                format!("`image` must be a string, found {}", type_name(&other)),
            ));
        }
    };
    let now = parse_now(required(&mut map, "now")?)?;
    evidence
        .inspect(&trust, &attestors, image.as_deref(), now, limits)
        .map_err(|e| e.within("/image"))
}

fn parse_now(value: Value) -> Result<Timestamp, Error> {
    match value {
        Value::String(s) => Timestamp::parse_rfc3339(&s)
            .map_err(|e| Error::new(ErrorCode::BundleInvalidNow, "/now", e.to_string())),
        other => Err(Error::new(
            ErrorCode::BundleInvalidNow,
            "/now",
            format!(
                "`now` must be an RFC 3339 string, found {}",
                type_name(&other)
            ),
        )),
    }
}

fn required(map: &mut Map<String, Value>, key: &str) -> Result<Value, Error> {
    map.remove(key).ok_or_else(|| {
        Error::new(
            ErrorCode::BundleMissingField,
            join("", key),
            format!("the bundle needs `{key}`"),
        )
    })
}

/// The bundle's object, with every key one of `keys` or an ignored key.
fn bundle_object(value: Value, keys: &[&str]) -> Result<Map<String, Value>, Error> {
    let Value::Object(map) = value else {
        return Err(Error::new(
            ErrorCode::BundleNotObject,
            "",
            format!("a bundle must be an object, found {}", type_name(&value)),
        ));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !keys.contains(&k.as_str()) && !IGNORED_KEYS.contains(&k.as_str()))
    {
        return Err(Error::new(
            ErrorCode::BundleUnknownField,
            join("", key),
            format!(
                "unknown bundle key `{key}`, expected one of `{}`",
                keys.join("`, `")
            ),
        ));
    }
    Ok(map)
}

/// The configuration members: policy, attestors and system policy, compiled.
///
/// Each member's loader reports errors about its subject with paths into the member's
/// document; [`Error::in_bundle`] then prefixes the member's pointer.
fn load_evaluator(
    map: &mut Map<String, Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Evaluator, Error> {
    let policy_value = required(map, "policy")?;
    let policy = load_policy(policy_value, limits, budget).map_err(Error::in_bundle)?;
    let attestors =
        load_attestors(map.remove("attestors"), limits, budget).map_err(Error::in_bundle)?;
    let system_policy = match map.remove("systemPolicy") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            embedded(v, Subject::SystemPolicy, limits, budget)
                .and_then(|v| SystemPolicy::from_value(v, limits))
                .map_err(Error::in_bundle)?,
        ),
    };
    let cloud_run = load_cloud_run_policies(map.remove("cloudRunPolicies"), limits, budget)?;
    let evaluator = Evaluator::with_limits(policy, attestors, system_policy, limits)
        .map_err(Error::in_bundle)?;
    if cloud_run.is_empty() {
        return Ok(evaluator);
    }
    evaluator
        .with_cloud_run_policies_and_limits(cloud_run, limits)
        .map_err(Error::in_bundle)
}

/// The `cloudRunPolicies` member (decision R-2): a list of Cloud Run platform policies, each
/// an object or its YAML/JSON text; a single policy may stand for a list of one.
fn load_cloud_run_policies(
    value: Option<Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Vec<CloudRunPolicy>, Error> {
    let load = |item: Value, index: &str| {
        let text = item.as_str().map(str::to_owned);
        embedded(item, Subject::CloudRunPolicies, limits, budget)
            .and_then(|v| {
                // Text is held to the same YAML 1.1/1.2 check as a policy file.
                if let (Some(text), true) = (&text, v.is_object()) {
                    crate::policy::platform::cloud_run::refuse_ambiguous_yaml(text)?;
                }
                CloudRunPolicy::from_value(v, limits)
            })
            .map_err(|e| e.within(index).about(Subject::CloudRunPolicies).in_bundle())
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| load(item, &join_index("", i)))
            .collect(),
        Some(single) => Ok(vec![load(single, "")?]),
    }
}

/// The policy member: an object, or its text (refused if YAML 1.1 reads it differently).
fn load_policy(value: Value, limits: &Limits, budget: &AliasBudget) -> Result<Policy, Error> {
    let text = value.as_str().map(str::to_owned);
    let value = embedded(value, Subject::Policy, limits, budget)?;
    // A policy that is not an object is refused as such below, whatever its YAML reading.
    if let (Some(text), true) = (&text, value.is_object()) {
        crate::read::yaml_readings::check_yaml_readings(text)?;
    }
    Policy::from_value(value, limits).map_err(|e| e.about(Subject::Policy))
}

/// The per-request members: request, attestations, now and options.
fn load_request(
    evaluator: Evaluator,
    map: &mut Map<String, Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Bundle, Error> {
    let request_value = required(map, "request")?;
    let request =
        Request::from_value_within(request_value, limits, budget).map_err(Error::in_bundle)?;
    let evidence =
        load_evidence(map.remove("attestations"), limits, budget).map_err(Error::in_bundle)?;
    let now = parse_now(required(map, "now")?)?;
    let options = parse_options(map.remove("options"))?;
    let cluster = load_cluster_config(map.remove("clusterConfig"), limits, budget)?;
    if cluster.is_some() && request.cloud_run().is_some() {
        return Err(Error::new(
            ErrorCode::ClusterInvalidConfig,
            "/clusterConfig",
            "the request is a Cloud Run service or job, which no cluster configuration applies to: remove `clusterConfig`",
        )
        .about(Subject::ClusterConfig));
    }
    Ok(Bundle {
        evaluator,
        request,
        evidence,
        now,
        options,
        cluster,
    })
}

/// The `clusterConfig` member (object or text): the `binaryAuthorization` block of
/// `gcloud container clusters describe --format=json`, or the whole cluster object.
pub(super) fn load_cluster_config(
    value: Option<Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Option<ClusterConfig>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => embedded(v, Subject::ClusterConfig, limits, budget)
            .and_then(ClusterConfig::from_value)
            .map(Some)
            .map_err(|e| e.about(Subject::ClusterConfig).in_bundle()),
    }
}

/// A member given as an object, or as a string holding its YAML or JSON text (whose errors
/// are about `subject`).
fn embedded(
    value: Value,
    subject: Subject,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Value, Error> {
    match value {
        Value::String(text) => {
            document::parse_within(&text, limits, budget).map_err(|e| e.about(subject))
        }
        other => Ok(other),
    }
}

/// The attestors member; error paths relative to it.
fn load_attestors(
    value: Option<Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Vec<Attestor>, Error> {
    let mut loaded: Vec<(Attestor, String)> = Vec::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.into_iter().enumerate() {
                let path = join_index("", i);
                match item {
                    Value::String(text) => {
                        let parsed = document::parse_within(&text, limits, budget)
                            .and_then(|parsed| attestors_with_paths(parsed, limits))
                            .map_err(|e| e.about(Subject::Attestors).within(&path))?;
                        for (a, inner) in parsed {
                            loaded.push((a, format!("{path}{inner}")));
                        }
                    }
                    other => {
                        let a = Attestor::from_value(other, limits)
                            .map_err(|e| e.about(Subject::Attestors).within(&path))?;
                        loaded.push((a, path));
                    }
                }
            }
        }
        Some(other) => {
            let parsed = embedded(other, Subject::Attestors, limits, budget)?;
            loaded =
                attestors_with_paths(parsed, limits).map_err(|e| e.about(Subject::Attestors))?;
        }
    }
    let (attestors, paths): (Vec<Attestor>, Vec<String>) = loaded.into_iter().unzip();
    check_attestor_set(&attestors, &paths, limits).map_err(|e| e.about(Subject::Attestors))?;
    Ok(attestors)
}

/// The attestations member; error paths relative to it.
fn load_evidence(
    value: Option<Value>,
    limits: &Limits,
    budget: &AliasBudget,
) -> Result<Evidence, Error> {
    let mut evidence = Evidence::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let path = join_index("", i);
                match item {
                    Value::String(text) => crate::evidence::parse_text(text, limits, budget)
                        .and_then(|parsed| evidence.add_value(&parsed, limits)),
                    other => evidence.add_item(other, limits),
                }
                .map_err(|e| e.about(Subject::Attestations).within(&path))?;
            }
        }
        Some(Value::String(text)) => {
            let parsed = crate::evidence::parse_text(&text, limits, budget)
                .map_err(|e| e.about(Subject::Attestations))?;
            evidence.add_value(&parsed, limits)?;
        }
        Some(other) => evidence.add_value(&other, limits)?,
    }
    Ok(evidence)
}

fn parse_options(value: Option<Value>) -> Result<Options, Error> {
    let mut options = Options::default();
    let map = match value {
        None | Some(Value::Null) => return Ok(options),
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(Error::new(
                ErrorCode::BundleInvalidOptions,
                "/options",
                format!("`options` must be an object, found {}", type_name(&other)),
            ));
        }
    };
    for (key, v) in map {
        match (key.as_str(), v) {
            ("strictIdentity", Value::Bool(b)) => options.strict_identity = b,
            ("useResolvedDigest", Value::Bool(b)) => options.use_resolved_digest = b,
            ("useResolvedDigest", other) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    "/options/useResolvedDigest",
                    format!(
                        "`useResolvedDigest` must be a boolean, found {}",
                        type_name(&other)
                    ),
                ));
            }
            ("trustOccurrenceTime", Value::Bool(b)) => options.trust_occurrence_time = b,
            ("maxAttestationAge", Value::Null) => options.max_attestation_age = None,
            ("maxAttestationAge", Value::String(text)) => {
                options.max_attestation_age = Some(
                    crate::time::parse_duration(&text).ok_or_else(|| {
                        Error::new(
                            ErrorCode::BundleInvalidOptions,
                            "/options/maxAttestationAge",
                            format!(
                                "`{text}` is not a duration: whole days, hours, minutes or seconds, largest first, more than zero (e.g. `30d`, `12h`, `1d12h`)"
                            ),
                        )
                    })?,
                );
            }
            ("maxAttestationAge", other) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    "/options/maxAttestationAge",
                    format!(
                        "`maxAttestationAge` must be a duration string such as `30d`, found {}",
                        type_name(&other)
                    ),
                ));
            }
            ("trustOccurrenceTime", other) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    "/options/trustOccurrenceTime",
                    format!(
                        "`trustOccurrenceTime` must be a boolean, found {}",
                        type_name(&other)
                    ),
                ));
            }
            ("strictIdentity", other) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    "/options/strictIdentity",
                    format!(
                        "`strictIdentity` must be a boolean, found {}",
                        type_name(&other)
                    ),
                ));
            }
            (other, _) => {
                return Err(Error::new(
                    ErrorCode::BundleInvalidOptions,
                    join("/options", other),
                    format!(
                        "unknown option `{other}`, expected `strictIdentity`, `maxAttestationAge` or `trustOccurrenceTime`"
                    ),
                ));
            }
        }
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESETS: &[&str] = &[
        include_str!("../../../../examples/bundles/prod-released.json"),
        include_str!("../../../../examples/bundles/prod-candidate.json"),
        include_str!("../../../../examples/bundles/prod-break-glass.json"),
        include_str!("../../../../examples/bundles/staging-candidate-dry-run.json"),
        include_str!("../../../../examples/bundles/invalid-policy.json"),
    ];

    /// Splits a bundle into its configuration and per-request members.
    fn halves(text: &str) -> (Value, Value) {
        let Value::Object(map) = document::parse(text, &Limits::DEFAULT).unwrap() else {
            panic!("not an object")
        };
        let (config, request): (Map<String, Value>, Map<String, Value>) = map
            .into_iter()
            .filter(|(k, _)| !IGNORED_KEYS.contains(&k.as_str()))
            .partition(|(k, _)| CONFIG_KEYS.contains(&k.as_str()));
        (Value::Object(config), Value::Object(request))
    }

    #[test]
    fn test_only_keys_are_unknown_and_subjects_name_the_member() {
        let base = r#""policy": {"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}, "request": {"images": ["gcr.io/p/a:1"]}, "now": "2026-11-23T10:00:00Z""#;
        for key in ["expect", "expectError"] {
            let e = Bundle::from_text(&format!(r#"{{{base}, "{key}": {{}}}}"#)).unwrap_err();
            assert_eq!(
                (e.code(), e.path()),
                (ErrorCode::BundleUnknownField, format!("/{key}").as_str())
            );
            assert_eq!(e.subject(), Subject::Bundle);
        }
        assert!(Bundle::from_text(&format!(r#"{{{base}, "description": "x"}}"#)).is_ok());
        let e = Bundle::from_text(&format!(r#"{{{base}, "attestors": ["{{"]}}"#)).unwrap_err();
        assert_eq!(
            (e.code(), e.path(), e.subject()),
            (ErrorCode::InputSyntax, "/attestors/0", Subject::Attestors)
        );
        let e = Bundle::from_text(&format!(r#"{{{base}, "systemPolicy": "a: ["}}"#)).unwrap_err();
        assert_eq!(
            (e.code(), e.path(), e.subject()),
            (
                ErrorCode::InputSyntax,
                "/systemPolicy",
                Subject::SystemPolicy
            )
        );
        let e = Bundle::from_text(&format!(r#"{{{base}, "attestations": 1}}"#)).unwrap_err();
        assert_eq!(e.subject(), Subject::Attestations);
        assert_eq!(e.path(), "/attestations");
    }

    fn by_halves(text: &str) -> String {
        let limits = Limits::DEFAULT;
        let (config, request) = halves(text);
        let evaluator = match Bundle::evaluator_from_value(config, &limits) {
            Ok(e) => e,
            Err(e) => return e.to_json(),
        };
        match Bundle::with_evaluator(&evaluator, request, &limits) {
            Ok(b) => b.evaluate().to_json(),
            Err(e) => e.to_json(),
        }
    }

    #[test]
    fn halves_give_the_whole_bundles_output() {
        for text in PRESETS {
            assert_eq!(by_halves(text), evaluate_bundle(text));
        }
        assert!(
            by_halves(PRESETS[4])
                .contains(r#""path":"/policy/admissionWhitelistPatterns/0/namePattern""#)
        );
    }

    #[test]
    fn one_evaluator_serves_many_requests() {
        let limits = Limits::DEFAULT;
        let (config, _) = halves(PRESETS[0]);
        let evaluator = Bundle::evaluator_from_value(config, &limits).unwrap();
        for text in &PRESETS[..4] {
            let (_, request) = halves(text);
            let bundle = Bundle::with_evaluator(&evaluator, request, &limits).unwrap();
            assert_eq!(bundle.evaluate().to_json(), evaluate_bundle(text));
        }
    }

    #[test]
    fn members_share_one_yaml_alias_budget() {
        // Found by fuzzing: every member given as YAML text had a budget of its own, so a
        // bundle could multiply `max_yaml_alias_events` by embedding many documents.
        let mut limits = Limits::DEFAULT;
        limits.max_yaml_alias_events = 80;
        let member = "- &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n- [*x, *x, *x]\n";
        let bundle = |attestations: Vec<&str>, policy: Value| {
            serde_json::json!({
                "policy": policy,
                "attestations": attestations,
                "request": {"images": ["gcr.io/p/a:1"]},
                "now": "2026-11-23T10:00:00Z",
            })
        };
        let allow = serde_json::json!({"defaultAdmissionRule": {
            "evaluationMode": "ALWAYS_ALLOW",
            "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}});
        assert!(Bundle::from_value(bundle(vec![member], allow.clone()), &limits).is_ok());
        let err = Bundle::from_value(bundle(vec![member, member], allow), &limits).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (ErrorCode::InputAliasLimit, "/attestations/1")
        );
        // Across members too: the policy's aliases leave less for the attestations.
        let policy = "defaultAdmissionRule: &r\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nkubernetesNamespaceAdmissionRules: {a: *r, b: *r, c: *r, d: *r, e: *r, f: *r}\n";
        assert!(Bundle::from_value(bundle(vec![], Value::from(policy)), &limits).is_ok());
        let err =
            Bundle::from_value(bundle(vec![member], Value::from(policy)), &limits).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (ErrorCode::InputAliasLimit, "/attestations/0")
        );
        // And with the bundle's own YAML text.
        let text = format!(
            "policy: {}\nrequest: {{images: [gcr.io/p/a:1]}}\nnow: '2026-11-23T10:00:00Z'\nattestations:\n- &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n- [*x, *x, *x]\n- {}\n",
            serde_json::to_string(&allow_text()).unwrap(),
            serde_json::to_string(member).unwrap()
        );
        let err = Bundle::from_text_with_limits(&text, &limits).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (ErrorCode::InputAliasLimit, "/attestations/2")
        );
    }

    fn allow_text() -> String {
        "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n".into()
    }

    #[test]
    fn each_half_accepts_only_its_own_members() {
        let limits = Limits::DEFAULT;
        let (config, request) = halves(PRESETS[0]);
        let err = Bundle::evaluator_from_value(request.clone(), &limits).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleUnknownField);
        let evaluator = Bundle::evaluator_from_value(config.clone(), &limits).unwrap();
        let err = Bundle::with_evaluator(&evaluator, config, &limits).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleUnknownField);
        assert!(["/policy", "/attestors"].contains(&err.path()), "{err}");
        let err = Bundle::evaluator_from_value(Value::Null, &limits).unwrap_err();
        assert_eq!(err.code(), ErrorCode::BundleNotObject);
        let err = Bundle::with_evaluator(&evaluator, serde_json::json!({}), &limits).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            (ErrorCode::BundleMissingField, "/request")
        );
    }
}
