//! The GCP project policy: wire model, validation and compiled form.
//!
//! One serde model reads both YAML (`gcloud container binauthz policy export`) and JSON
//! (the REST resource). Unknown fields are rejected; output-only fields are accepted and
//! ignored. Loading validates every rule of semantics §1.7 and the pattern grammar of A-3, and
//! compiles the allowlist once.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::document::{self, from_value};
use crate::error::{Doc, Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::pattern::{Pattern, PatternSet};

/// `globalPolicyEvaluationMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GlobalPolicyEvaluationMode {
    /// Absent or unspecified: treated as `DISABLE` (A-23).
    #[serde(rename = "GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED")]
    Unspecified,
    /// Evaluate the system policy first.
    Enable,
    /// Do not evaluate the system policy.
    Disable,
}

/// `evaluationMode` of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EvaluationMode {
    /// Invalid at load.
    #[serde(rename = "EVALUATION_MODE_UNSPECIFIED")]
    Unspecified,
    /// Every image conforms.
    AlwaysAllow,
    /// Every required attestor must have a valid attestation for the image's digest.
    RequireAttestation,
    /// Every (non-exempt) image violates.
    AlwaysDeny,
}

impl EvaluationMode {
    /// The enum name as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            EvaluationMode::Unspecified => "EVALUATION_MODE_UNSPECIFIED",
            EvaluationMode::AlwaysAllow => "ALWAYS_ALLOW",
            EvaluationMode::RequireAttestation => "REQUIRE_ATTESTATION",
            EvaluationMode::AlwaysDeny => "ALWAYS_DENY",
        }
    }
}

/// `enforcementMode` of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnforcementMode {
    /// Invalid at load.
    #[serde(rename = "ENFORCEMENT_MODE_UNSPECIFIED")]
    Unspecified,
    /// Violations block the deployment and are logged.
    EnforcedBlockAndAuditLog,
    /// Violations are logged only (dry run).
    DryrunAuditLogOnly,
}

impl EnforcementMode {
    /// The enum name as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            EnforcementMode::Unspecified => "ENFORCEMENT_MODE_UNSPECIFIED",
            EnforcementMode::EnforcedBlockAndAuditLog => "ENFORCED_BLOCK_AND_AUDIT_LOG",
            EnforcementMode::DryrunAuditLogOnly => "DRYRUN_AUDIT_LOG_ONLY",
        }
    }
}

/// `{namePattern}` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatternDocument {
    /// The pattern text.
    pub name_pattern: String,
}

/// An admission rule as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdmissionRuleDocument {
    /// How images are evaluated.
    pub evaluation_mode: EvaluationMode,
    /// Attestors required under `REQUIRE_ATTESTATION`.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub require_attestations_by: Vec<String>,
    /// What a violation does.
    pub enforcement_mode: EnforcementMode,
}

/// The project policy exactly as exported (the wire model).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyDocument {
    /// Output only: `projects/*/policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the system policy is evaluated first. May be absent, not `null` (gcloud's
    /// `policy import` refuses a `null` enum).
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub global_policy_evaluation_mode: Option<GlobalPolicyEvaluationMode>,
    /// Images exempt from all rules.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub admission_whitelist_patterns: Vec<PatternDocument>,
    /// The rule used when no specific rule applies.
    pub default_admission_rule: AdmissionRuleDocument,
    /// Rules per cluster, keyed `LOCATION.NAME`.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub cluster_admission_rules: BTreeMap<String, AdmissionRuleDocument>,
    /// Rules per Kubernetes namespace.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub kubernetes_namespace_admission_rules: BTreeMap<String, AdmissionRuleDocument>,
    /// Rules per `NAMESPACE:SERVICE_ACCOUNT`.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub kubernetes_service_account_admission_rules: BTreeMap<String, AdmissionRuleDocument>,
    /// Rules per Istio / Cloud Service Mesh identity.
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub istio_service_identity_admission_rules: BTreeMap<String, AdmissionRuleDocument>,
    /// Output only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// Output only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

/// The kind of rule that applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleKind {
    /// `defaultAdmissionRule`.
    Default,
    /// `clusterAdmissionRules`.
    Cluster,
    /// `kubernetesNamespaceAdmissionRules`.
    Namespace,
    /// `kubernetesServiceAccountAdmissionRules`.
    ServiceAccount,
    /// `istioServiceIdentityAdmissionRules`.
    IstioIdentity,
}

impl RuleKind {
    /// The words GCP uses in denial messages ("… denied by Binary Authorization … rule").
    pub fn description(self) -> &'static str {
        match self {
            RuleKind::Default => "default admission rule",
            RuleKind::Cluster => "cluster admission rule",
            RuleKind::Namespace => "kubernetes namespace admission rule",
            RuleKind::ServiceAccount => "kubernetes service account admission rule",
            RuleKind::IstioIdentity => "istio service identity admission rule",
        }
    }

    /// The policy field holding rules of this kind.
    pub fn field(self) -> &'static str {
        match self {
            RuleKind::Default => "defaultAdmissionRule",
            RuleKind::Cluster => "clusterAdmissionRules",
            RuleKind::Namespace => "kubernetesNamespaceAdmissionRules",
            RuleKind::ServiceAccount => "kubernetesServiceAccountAdmissionRules",
            RuleKind::IstioIdentity => "istioServiceIdentityAdmissionRules",
        }
    }
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Which map the rule came from.
    pub kind: RuleKind,
    /// Its key as written (`None` for the default rule).
    pub key: Option<String>,
    /// How images are evaluated.
    pub evaluation_mode: EvaluationMode,
    /// What a violation does.
    pub enforcement_mode: EnforcementMode,
    /// Required attestors, in policy order.
    pub attestors: Vec<String>,
}

/// A validated, compiled project policy. Immutable and cheap to share.
#[derive(Debug, Clone)]
pub struct Policy {
    document: PolicyDocument,
    global_mode: GlobalPolicyEvaluationMode,
    allowlist: PatternSet,
    default_rule: Rule,
    cluster: BTreeMap<String, Rule>,
    namespace: BTreeMap<String, Rule>,
    service_account: BTreeMap<String, Rule>,
    istio: BTreeMap<String, Rule>,
}

impl Policy {
    /// Loads a policy from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<Policy, Error> {
        Policy::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads a policy from YAML or JSON text under explicit limits.
    ///
    /// YAML text whose plain scalars YAML 1.1 readers (gcloud's `policy import`) read
    /// differently from vouch's YAML 1.2 reading is refused (`POLICY_YAML_AMBIGUOUS`).
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<Policy, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::Policy))?;
        // A document that is not an object is refused as such by `from_value`, whatever its
        // YAML reading: the same error as the same document given as a value.
        if value.is_object() {
            check_yaml_readings(text)?;
        }
        Policy::from_value(value, limits)
    }

    /// Loads a policy from a JSON value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<Policy, Error> {
        expect_object(&value, Doc::Policy, "the policy")?;
        let doc: PolicyDocument = from_value(value, Doc::Policy, "")?;
        Policy::from_document(doc, limits)
    }

    /// Validates and compiles a policy document.
    pub fn from_document(document: PolicyDocument, limits: &Limits) -> Result<Policy, Error> {
        let allowlist = compile_patterns(&document.admission_whitelist_patterns, "", limits)?;
        let rule_count = document.cluster_admission_rules.len()
            + document.kubernetes_namespace_admission_rules.len()
            + document.kubernetes_service_account_admission_rules.len()
            + document.istio_service_identity_admission_rules.len();
        if rule_count > limits.max_rules {
            return Err(Error::new(
                ErrorCode::PolicyTooManyRules,
                "",
                format!(
                    "policy has {rule_count} specific rules, more than the limit of {}",
                    limits.max_rules
                ),
            ));
        }
        let default_rule = validate_rule(
            &document.default_admission_rule,
            RuleKind::Default,
            None,
            "/defaultAdmissionRule",
        )?;
        let cluster = compile_map(&document.cluster_admission_rules, RuleKind::Cluster)?;
        let namespace = compile_map(
            &document.kubernetes_namespace_admission_rules,
            RuleKind::Namespace,
        )?;
        let service_account = compile_map(
            &document.kubernetes_service_account_admission_rules,
            RuleKind::ServiceAccount,
        )?;
        let istio = compile_map(
            &document.istio_service_identity_admission_rules,
            RuleKind::IstioIdentity,
        )?;
        let global_mode = match document.global_policy_evaluation_mode {
            Some(GlobalPolicyEvaluationMode::Enable) => GlobalPolicyEvaluationMode::Enable,
            _ => GlobalPolicyEvaluationMode::Disable,
        };
        let policy = Policy {
            document,
            global_mode,
            allowlist,
            default_rule,
            cluster,
            namespace,
            service_account,
            istio,
        };
        let distinct: BTreeSet<&str> = policy
            .rules()
            .flat_map(|r| r.attestors.iter().map(String::as_str))
            .collect();
        if distinct.len() > limits.max_attestor_refs {
            return Err(Error::new(
                ErrorCode::PolicyTooManyAttestorRefs,
                "",
                format!(
                    "policy references {} distinct attestors, more than the limit of {}",
                    distinct.len(),
                    limits.max_attestor_refs
                ),
            ));
        }
        Ok(policy)
    }

    /// The document the policy was loaded from.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The effective global mode: `Enable` or `Disable` (unspecified means disable).
    pub fn global_mode(&self) -> GlobalPolicyEvaluationMode {
        self.global_mode
    }

    /// The compiled allowlist.
    pub fn allowlist(&self) -> &PatternSet {
        &self.allowlist
    }

    /// The default rule.
    pub fn default_rule(&self) -> &Rule {
        &self.default_rule
    }

    /// Every rule: the default first, then each map in field order, keys sorted.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        std::iter::once(&self.default_rule)
            .chain(self.cluster.values())
            .chain(self.namespace.values())
            .chain(self.service_account.values())
            .chain(self.istio.values())
    }

    /// The rule for a deployment target (decision A-1): Istio identity, then service account,
    /// then namespace, then cluster, then the default rule.
    pub fn select_rule(&self, target: &Target<'_>) -> &Rule {
        let istio = target
            .mesh_identity
            .and_then(|m| self.istio.get(istio_key(m)));
        let service_account = || {
            if self.service_account.is_empty() {
                return None;
            }
            let (ns, sa) = (target.namespace, target.service_account);
            let mut key = String::with_capacity(ns.len() + 1 + sa.len());
            key.push_str(ns);
            key.push(':');
            key.push_str(sa);
            self.service_account.get(&key)
        };
        istio
            .or_else(service_account)
            .or_else(|| self.namespace.get(target.namespace))
            .or_else(|| target.cluster.and_then(|c| self.cluster.get(c)))
            .unwrap_or(&self.default_rule)
    }
}

/// Where a deployment goes: what rule selection looks at.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// `LOCATION.NAME`, if known.
    pub cluster: Option<&'a str>,
    /// The namespace.
    pub namespace: &'a str,
    /// The service account name.
    pub service_account: &'a str,
    /// The mesh identity, with or without `spiffe://`.
    pub mesh_identity: Option<&'a str>,
}

/// The system policy: Google-maintained allowlist patterns, consulted first when the project
/// policy's `globalPolicyEvaluationMode` is `ENABLE`.
#[derive(Debug, Clone)]
pub struct SystemPolicy {
    patterns: PatternSet,
}

/// The system policy's wire model: patterns, plus the fields an exported system policy carries
/// (accepted and ignored).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SystemPolicyDocument {
    #[serde(default, rename = "name")]
    _name: Option<String>,
    #[serde(default, rename = "description")]
    _description: Option<String>,
    #[serde(default, rename = "updateTime")]
    _update_time: Option<String>,
    #[serde(default, rename = "etag")]
    _etag: Option<String>,
    #[serde(default, rename = "globalPolicyEvaluationMode")]
    _global_policy_evaluation_mode: Option<GlobalPolicyEvaluationMode>,
    #[serde(default, rename = "defaultAdmissionRule")]
    _default_admission_rule: Option<AdmissionRuleDocument>,
    #[serde(default, deserialize_with = "null_as_default")]
    admission_whitelist_patterns: Vec<PatternDocument>,
}

/// The documented GKE system image patterns (semantics §1.2), used when the policy enables
/// the global policy and the caller supplies no system policy.
pub const BUILT_IN_SYSTEM_PATTERNS: &[&str] = &[
    "gcr.io/google_containers/*",
    "gcr.io/google-containers/*",
    "k8s.gcr.io/**",
    "gke.gcr.io/**",
    "gcr.io/gke-release/asm/*",
    "gcr.io/stackdriver-agents/*",
];

impl SystemPolicy {
    /// Loads a system policy from YAML or JSON text.
    pub fn from_text(text: &str, limits: &Limits) -> Result<SystemPolicy, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::SystemPolicy))?;
        SystemPolicy::from_value(value, limits)
    }

    /// Loads a system policy from a JSON value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<SystemPolicy, Error> {
        let load = move || -> Result<SystemPolicy, Error> {
            expect_object(&value, Doc::Policy, "the system policy")?;
            let doc: SystemPolicyDocument = from_value(value, Doc::Policy, "")?;
            Ok(SystemPolicy {
                patterns: compile_patterns(&doc.admission_whitelist_patterns, "", limits)?,
            })
        };
        load().map_err(|e| e.about(Subject::SystemPolicy))
    }

    /// The built-in list of documented GKE system image patterns.
    pub fn built_in() -> SystemPolicy {
        let patterns = BUILT_IN_SYSTEM_PATTERNS
            .iter()
            .filter_map(|p| Pattern::parse(p).ok())
            .collect();
        SystemPolicy {
            patterns: PatternSet::new(patterns),
        }
    }

    /// The compiled patterns.
    pub fn patterns(&self) -> &PatternSet {
        &self.patterns
    }
}

pub(crate) fn expect_object(value: &Value, doc: Doc, what: &str) -> Result<(), Error> {
    if value.is_object() {
        Ok(())
    } else {
        Err(Error::new(
            doc.invalid_type(),
            "",
            format!(
                "{what} must be an object, found {}",
                document::type_name(value)
            ),
        ))
    }
}

/// An optional field that, when present, must not be `null`.
fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Refuses YAML policy text that YAML 1.1 readers read differently from vouch.
///
/// vouch reads YAML 1.2: `on`, `yes`, `y` are strings and `017` is seventeen. gcloud's
/// `policy import` reads policies as YAML 1.1 (ruamel.yaml), as PyYAML and go-yaml v2 do: there
/// they are booleans and an octal fifteen, `1:30` is ninety, `2026-01-01` a date and `0o17` a
/// string. So `kubernetesNamespaceAdmissionRules: {on: …}` is a rule for namespace `on` to vouch
/// but for namespace `true` once imported, and `description: yes` does not import at all.
/// Rather than evaluate another policy than the one Binary Authorization would hold, every
/// plain (unquoted, untagged) scalar, key or value, that the two readings resolve to different
/// values is refused, and so are tags outside `!!str`, `!!int`, `!!float`, `!!bool`,
/// `!!null`, `!!map`, `!!seq` (gcloud cannot import `!!binary` or `!!timestamp` values).
/// Quoting makes a scalar a string for every reader. JSON text passes unchanged. The text has
/// been read by [`document::parse`] under the input's budgets; this reads its events once more
/// (aliases are not expanded).
pub(crate) fn check_yaml_readings(text: &str) -> Result<(), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        return Ok(());
    }
    let mut parser = granit_parser::Parser::new_from_str(text);
    // Where each open collection is: a mapping waiting for a key (and the last key read), or
    // a sequence at an index.
    let mut frames: Vec<Frame> = Vec::new();
    while let Some(Ok((event, _))) = parser.next_event() {
        use granit_parser::Event;
        let is_key = matches!(frames.last(), Some(Frame::Map { key_next: true, .. }));
        let mut scalar_text = None;
        match event {
            Event::Scalar(value, style, _, tag) => {
                let path = || frame_path(&frames, is_key.then_some(value.as_ref()));
                if let Some(tag) = &tag {
                    let core = ["str", "int", "float", "bool", "null"]
                        .iter()
                        .any(|t| tag.is_yaml_core_schema_tag(t));
                    if !core {
                        return Err(ambiguous(
                            path(),
                            format!(
                                "the YAML tag `{}{}` is not read by gcloud's `policy import`: remove it",
                                tag.original_handle(),
                                tag.suffix()
                            ),
                        ));
                    }
                } else if style == granit_parser::ScalarStyle::Plain
                    && let Some(theirs) = yaml_1_1(&value)
                {
                    let ours = yaml_1_2(&value);
                    if ours.as_deref() != Some(theirs.as_str()) {
                        return Err(ambiguous(
                            path(),
                            format!(
                                "the plain YAML scalar `{value}` is {} to YAML 1.1 readers such as gcloud's `policy import`, but {} to vouch's YAML 1.2: quote it",
                                describe(&theirs),
                                ours.as_deref()
                                    .map_or_else(|| format!("the string `{value}`"), describe)
                            ),
                        ));
                    }
                } else if style == granit_parser::ScalarStyle::Plain
                    && let Some(ours) = yaml_1_2(&value)
                    && ours != value.as_ref()
                {
                    return Err(ambiguous(
                        path(),
                        format!(
                            "the plain YAML scalar `{value}` is the string `{value}` to YAML 1.1 readers such as gcloud's `policy import`, but {} to vouch's YAML 1.2: quote it",
                            describe(&ours)
                        ),
                    ));
                }
                scalar_text = Some(value.into_owned());
            }
            Event::Alias(_) => scalar_text = Some(String::new()),
            Event::MappingStart(..) => {
                frames.push(Frame::Map {
                    key_next: true,
                    key: String::new(),
                });
                continue;
            }
            Event::SequenceStart(..) => {
                frames.push(Frame::Seq { index: 0 });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                frames.pop();
            }
            Event::DocumentStart(..) => frames.clear(),
            _ => continue,
        }
        // A node is complete: advance its parent.
        match frames.last_mut() {
            Some(Frame::Map { key_next, key }) => {
                if *key_next {
                    *key = scalar_text.unwrap_or_default();
                }
                *key_next = !*key_next;
            }
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }
    Ok(())
}

enum Frame {
    Map { key_next: bool, key: String },
    Seq { index: usize },
}

/// The JSON pointer of the node being read (or of `key`, a key being read).
fn frame_path(frames: &[Frame], key: Option<&str>) -> String {
    let depth = frames.len().saturating_sub(usize::from(key.is_some()));
    let mut path = String::new();
    for frame in frames.iter().take(depth) {
        path = match frame {
            Frame::Map { key, .. } => join(&path, key),
            Frame::Seq { index } => join_index(&path, *index),
        };
    }
    match key {
        Some(k) => join(&path, k),
        None => path,
    }
}

fn ambiguous(path: String, message: String) -> Error {
    Error::new(ErrorCode::PolicyYamlAmbiguous, path, message)
}

fn describe(reading: &str) -> String {
    match reading {
        "true" | "false" => format!("the boolean {reading}"),
        "null" => "null".to_owned(),
        "timestamp" => "a timestamp".to_owned(),
        other if other.starts_with("float ") => "a floating-point or sexagesimal number".to_owned(),
        other => format!("the number {other}"),
    }
}

/// How a YAML 1.1 reader (ruamel.yaml, as gcloud runs it) resolves a plain scalar that is not
/// a string, written as Python's `json` writes it as a key: `true`, `null`, `15`, `1000.0`,
/// or `timestamp`. `None`: a string.
fn yaml_1_1(s: &str) -> Option<String> {
    const TRUE: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    ];
    const FALSE: &[&str] = &[
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    ];
    if TRUE.contains(&s) {
        return Some("true".to_owned());
    }
    if FALSE.contains(&s) {
        return Some("false".to_owned());
    }
    if matches!(s, "~" | "null" | "Null" | "NULL") {
        return Some("null".to_owned());
    }
    if is_timestamp(s) {
        return Some("timestamp".to_owned());
    }
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let digits = |t: &str, radix: u32| {
        !t.is_empty()
            && t.chars().all(|c| c == '_' || c.is_digit(radix))
            && t.chars().any(|c| c.is_digit(radix))
    };
    let int = |t: &str, radix: u32| {
        let clean: String = t.chars().filter(|&c| c != '_').collect();
        i128::from_str_radix(&clean, radix).ok()
    };
    let signed = |v: i128| Some(if negative { -v } else { v }.to_string());
    if let Some(bin) = body.strip_prefix("0b") {
        return if digits(bin, 2) {
            int(bin, 2).and_then(signed)
        } else {
            None
        };
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return if digits(hex, 16) {
            int(hex, 16).and_then(signed)
        } else {
            None
        };
    }
    if body.len() > 1 && body.starts_with('0') && digits(body, 8) {
        return int(body, 8).and_then(signed);
    }
    if digits(body, 10) && body.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return int(body, 10).and_then(signed);
    }
    // Sexagesimal `1:30` (ninety) and every float form: whatever their value, vouch never reads
    // them as the same key or value (a string, or a float without `.0`).
    let sexagesimal = body.contains(':')
        && body.split(':').all(|part| digits(part, 10))
        && body
            .as_bytes()
            .first()
            .is_some_and(|b| (b'1'..=b'9').contains(b));
    let float = {
        let mantissa_end = body.find(['e', 'E']).unwrap_or(body.len());
        let (mantissa, exponent) = body.split_at(mantissa_end);
        let exponent_ok = exponent.is_empty()
            || exponent
                .get(1..)
                .map(|e| e.strip_prefix(['-', '+']).unwrap_or(e))
                .is_some_and(|e| digits(e, 10));
        let mantissa_ok = match mantissa.split_once('.') {
            Some((whole, frac)) => {
                (whole.is_empty() || digits(whole, 10))
                    && (frac.is_empty() || frac.chars().all(|c| c == '_' || c.is_ascii_digit()))
                    && (!whole.is_empty() || !frac.is_empty())
            }
            None => !exponent.is_empty() && digits(mantissa, 10),
        };
        exponent_ok && mantissa_ok
    };
    let special = matches!(body, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN");
    (sexagesimal || float || special).then(|| format!("float {s}"))
}

/// `YYYY-MM-DD`, or with a time: YAML 1.1's timestamp.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    b.len() >= 8 && (0..4).all(digit) && b.get(4) == Some(&b'-') && {
        let rest = s.get(5..).unwrap_or_default();
        let mut parts = rest.splitn(3, '-');
        let month = parts.next().unwrap_or_default();
        let day_and_time = parts.next().unwrap_or_default();
        let day_len = day_and_time.bytes().take_while(u8::is_ascii_digit).count();
        parts.next().is_none()
            && (1..=2).contains(&month.len())
            && month.bytes().all(|c| c.is_ascii_digit())
            && (1..=2).contains(&day_len)
            && (day_and_time.len() == day_len
                || day_and_time
                    .get(day_len..)
                    .is_some_and(|t| t.starts_with(['T', 't', ' ', '\t'])))
    }
}

/// How vouch's YAML 1.2 reading (the document's options) resolves a plain scalar that is not a
/// string, written as a key (`true`, `null`, `16`, `1000`). `None`: a string. Only scalars
/// that start like a number or a keyword are read again.
fn yaml_1_2(s: &str) -> Option<String> {
    let first = s.as_bytes().first()?;
    let keyword = matches!(first, b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'.');
    // Numbers, booleans and nulls are made of these characters only (no `/`, no `:`).
    let charset = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-' | b'~'));
    if !charset || !(first.is_ascii_digit() || matches!(first, b'-' | b'+') || keyword) {
        return None;
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Scalar>(s, options) {
        Ok(Scalar(Some(v))) => Some(v),
        _ => None,
    }
}

/// One scalar, as vouch's documents turn a non-string key into a string; `None` for a string.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a scalar")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Some("null".to_owned()))
    }
}

/// Treats an explicit `null` like an absent field (YAML writes `key:` for empty values).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn compile_patterns(
    entries: &[PatternDocument],
    base: &str,
    limits: &Limits,
) -> Result<PatternSet, Error> {
    if entries.len() > limits.max_patterns {
        return Err(Error::new(
            ErrorCode::PolicyTooManyPatterns,
            join(base, "admissionWhitelistPatterns"),
            format!(
                "{} allowlist patterns, more than the limit of {}",
                entries.len(),
                limits.max_patterns
            ),
        ));
    }
    let mut patterns = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let pattern = Pattern::parse(&entry.name_pattern).map_err(|e| {
            let path = join(
                &join_index(&join(base, "admissionWhitelistPatterns"), i),
                "namePattern",
            );
            Error::new(ErrorCode::PolicyInvalidPattern, path, e.to_string())
        })?;
        patterns.push(pattern);
    }
    Ok(PatternSet::new(patterns))
}

fn compile_map(
    rules: &BTreeMap<String, AdmissionRuleDocument>,
    kind: RuleKind,
) -> Result<BTreeMap<String, Rule>, Error> {
    let mut out = BTreeMap::new();
    for (key, rule) in rules {
        let path = join(&join("", kind.field()), key);
        let lookup_key = validate_rule_key(kind, key)
            .map_err(|msg| Error::new(ErrorCode::PolicyInvalidRuleKey, path.clone(), msg))?;
        let compiled = validate_rule(rule, kind, Some(key), &path)?;
        if out.insert(lookup_key.to_owned(), compiled).is_some() {
            return Err(Error::new(
                ErrorCode::PolicyDuplicateRuleKey,
                path,
                format!(
                    "`{key}` names the same target as another key of `{}`",
                    kind.field()
                ),
            ));
        }
    }
    Ok(out)
}

fn validate_rule(
    rule: &AdmissionRuleDocument,
    kind: RuleKind,
    key: Option<&str>,
    path: &str,
) -> Result<Rule, Error> {
    if rule.evaluation_mode == EvaluationMode::Unspecified {
        return Err(Error::new(
            ErrorCode::PolicyModeUnspecified,
            join(path, "evaluationMode"),
            "`evaluationMode` must be ALWAYS_ALLOW, REQUIRE_ATTESTATION or ALWAYS_DENY",
        ));
    }
    if rule.enforcement_mode == EnforcementMode::Unspecified {
        return Err(Error::new(
            ErrorCode::PolicyModeUnspecified,
            join(path, "enforcementMode"),
            "`enforcementMode` must be ENFORCED_BLOCK_AND_AUDIT_LOG or DRYRUN_AUDIT_LOG_ONLY",
        ));
    }
    let list_path = join(path, "requireAttestationsBy");
    let requires = rule.evaluation_mode == EvaluationMode::RequireAttestation;
    if requires && rule.require_attestations_by.is_empty() {
        return Err(Error::new(
            ErrorCode::PolicyAttestorsRequired,
            list_path,
            "a REQUIRE_ATTESTATION rule must list at least one attestor in `requireAttestationsBy`",
        ));
    }
    if !requires && !rule.require_attestations_by.is_empty() {
        return Err(Error::new(
            ErrorCode::PolicyAttestorsNotAllowed,
            list_path,
            format!(
                "`requireAttestationsBy` must be empty unless `evaluationMode` is REQUIRE_ATTESTATION (it is {})",
                rule.evaluation_mode.as_str()
            ),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, name) in rule.require_attestations_by.iter().enumerate() {
        if !is_resource_name(name, "attestors") {
            return Err(Error::new(
                ErrorCode::PolicyInvalidAttestorName,
                join_index(&list_path, i),
                format!(
                    "`{name}` is not an attestor name of the form `projects/PROJECT/attestors/NAME`"
                ),
            ));
        }
        if !seen.insert(name.as_str()) {
            return Err(Error::new(
                ErrorCode::PolicyDuplicateAttestor,
                join_index(&list_path, i),
                format!("attestor `{name}` is listed twice in the same rule"),
            ));
        }
    }
    Ok(Rule {
        kind,
        key: key.map(str::to_owned),
        evaluation_mode: rule.evaluation_mode,
        enforcement_mode: rule.enforcement_mode,
        attestors: rule.require_attestations_by.clone(),
    })
}

/// Checks a rule key and returns the form used for lookups.
fn validate_rule_key(kind: RuleKind, key: &str) -> Result<&str, String> {
    let ok = match kind {
        RuleKind::Default => true,
        RuleKind::Cluster => valid_cluster(key),
        RuleKind::Namespace => valid_namespace(key),
        RuleKind::ServiceAccount => valid_service_account_key(key),
        RuleKind::IstioIdentity => valid_istio_identity(key),
    };
    if ok {
        return Ok(if kind == RuleKind::IstioIdentity {
            istio_key(key)
        } else {
            key
        });
    }
    Err(match kind {
        RuleKind::Cluster => format!(
            "cluster rule key `{key}` must be `LOCATION.CLUSTER_NAME`, e.g. `us-central1-a.prod-cluster`"
        ),
        RuleKind::Namespace => format!(
            "namespace rule key `{key}` must be a Kubernetes namespace name (lowercase letters, digits and `-`, at most 63)"
        ),
        RuleKind::ServiceAccount => {
            format!("service account rule key `{key}` must be `NAMESPACE:SERVICE_ACCOUNT`")
        }
        _ => format!(
            "identity rule key `{key}` must be `[spiffe://]DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`"
        ),
    })
}

/// The lookup form of a mesh identity: without the `spiffe://` scheme.
pub(crate) fn istio_key(identity: &str) -> &str {
    identity.strip_prefix("spiffe://").unwrap_or(identity)
}

/// `projects/P/<collection>/N` with non-empty, slash-free segments.
pub(crate) fn is_resource_name(name: &str, collection: &str) -> bool {
    let mut parts = name.split('/');
    let ok = parts.next() == Some("projects")
        && parts.next().is_some_and(valid_segment)
        && parts.next() == Some(collection)
        && parts.next().is_some_and(valid_segment);
    ok && parts.next().is_none()
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic())
}

/// A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub(crate) fn valid_namespace(s: &str) -> bool {
    let b = s.as_bytes();
    let lower_alnum = |x: &u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(lower_alnum)
        && b.last().is_some_and(lower_alnum)
        && b.iter().all(|x| lower_alnum(x) || *x == b'-')
}

/// A DNS-1123 subdomain (service account names), at most 253 characters.
pub(crate) fn valid_service_account(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(valid_namespace)
}

fn valid_service_account_key(key: &str) -> bool {
    key.split_once(':')
        .is_some_and(|(ns, sa)| valid_namespace(ns) && valid_service_account(sa))
}

/// `LOCATION.NAME`: a location of lowercase letters, digits and `-`, then a cluster or fleet
/// membership name (DNS-1123 label).
pub(crate) fn valid_cluster(s: &str) -> bool {
    s.split_once('.').is_some_and(|(location, name)| {
        !location.is_empty()
            && location
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && valid_namespace(name)
    })
}

/// `[spiffe://]DOMAIN/ns/NS/sa/SA`.
pub(crate) fn valid_istio_identity(s: &str) -> bool {
    let parts: Vec<&str> = istio_key(s).split('/').collect();
    match parts.as_slice() {
        [domain, "ns", ns, "sa", sa] => {
            !domain.is_empty()
                && domain.chars().all(|c| c.is_ascii_graphic())
                && valid_namespace(ns)
                && valid_service_account(sa)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";

    fn load(text: &str) -> Result<Policy, Error> {
        Policy::from_text(text)
    }

    fn code(text: &str) -> (ErrorCode, String) {
        let e = load(text).unwrap_err();
        (e.code(), e.path().to_owned())
    }

    #[test]
    fn yaml_1_1_readings_are_refused_and_quoting_fixes_them() {
        let ns = |key: &str| {
            format!(
                "{BASE}kubernetesNamespaceAdmissionRules:\n  {key}:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
            )
        };
        for key in [
            "on",
            "On",
            "yes",
            "y",
            "N",
            "off",
            "017",
            "0o17",
            "1e3",
            "1:30",
            "2026-01-01",
        ] {
            let (code, path) = code(&ns(key));
            assert_eq!(code, ErrorCode::PolicyYamlAmbiguous, "{key}");
            assert_eq!(
                path,
                format!("/kubernetesNamespaceAdmissionRules/{key}"),
                "{key}"
            );
        }
        // Readings both sides share, quoted scalars and tagged strings load.
        for (key, lookup) in [
            ("prod", "prod"),
            ("123", "123"),
            ("0x10", "16"),
            ("1_000", "1000"),
            ("'on'", "on"),
            ("\"017\"", "017"),
            ("!!str yes", "yes"),
        ] {
            let p = load(&ns(key)).unwrap_or_else(|e| panic!("{key}: {e}"));
            assert!(p.namespace.contains_key(lookup), "{key}");
        }
        // Values too, at their path; JSON text is not YAML 1.1's business.
        let (code, path) = code(&format!(
            "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/p/*\n- namePattern: off\n"
        ));
        assert_eq!(code, ErrorCode::PolicyYamlAmbiguous);
        assert_eq!(path, "/admissionWhitelistPatterns/1/namePattern");
        assert!(load(&format!("{BASE}description: !!binary aGVsbG8=\n")).is_err());
        let json = r#"{"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}, "kubernetesNamespaceAdmissionRules": {"on": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}}"#;
        assert!(load(json).unwrap().namespace.contains_key("on"));
        // An exported policy (quoted timestamps) loads.
        assert!(load(include_str!("../../../examples/policy.yaml")).is_ok());
    }

    #[test]
    fn global_mode_may_be_absent_but_not_null() {
        assert!(load(BASE).is_ok());
        assert_eq!(
            code(&format!("{BASE}globalPolicyEvaluationMode: null\n")),
            (
                ErrorCode::PolicyInvalidType,
                "/globalPolicyEvaluationMode".to_owned()
            )
        );
    }

    #[test]
    fn minimal_policy_loads() {
        let p = load(BASE).unwrap();
        assert_eq!(
            p.default_rule().evaluation_mode,
            EvaluationMode::AlwaysAllow
        );
        assert_eq!(p.global_mode(), GlobalPolicyEvaluationMode::Disable);
    }

    #[test]
    fn output_only_fields_are_accepted() {
        let text = format!(
            "name: projects/p/policy\nupdateTime: '2024-01-01T00:00:00Z'\netag: abc\n{BASE}"
        );
        assert!(load(&text).is_ok());
    }

    #[test]
    fn shape_errors_have_codes_and_paths() {
        assert_eq!(
            code(&format!("{BASE}bogus: 1\n")),
            (ErrorCode::PolicyUnknownField, "/bogus".into())
        );
        assert_eq!(
            code("defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n"),
            (
                ErrorCode::PolicyMissingField,
                "/defaultAdmissionRule/enforcementMode".into()
            )
        );
        assert_eq!(
            code("description: x\n"),
            (
                ErrorCode::PolicyMissingField,
                "/defaultAdmissionRule".into()
            )
        );
        assert_eq!(
            code(
                "defaultAdmissionRule:\n  evaluationMode: SOMETIMES\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
            ),
            (
                ErrorCode::PolicyInvalidValue,
                "/defaultAdmissionRule/evaluationMode".into()
            )
        );
        assert_eq!(
            code(&format!("{BASE}admissionWhitelistPatterns: x\n")),
            (
                ErrorCode::PolicyInvalidType,
                "/admissionWhitelistPatterns".into()
            )
        );
        assert_eq!(code("[]"), (ErrorCode::PolicyInvalidType, "".into()));
        assert_eq!(
            code(&format!(
                "{BASE}admissionWhitelistPatterns:\n- namePattern: a\n- pattern: b\n"
            )),
            (
                ErrorCode::PolicyUnknownField,
                "/admissionWhitelistPatterns/1/pattern".into()
            )
        );
    }

    #[test]
    fn validation_rules() {
        let rule = |eval: &str, enf: &str, by: &str| {
            format!(
                "defaultAdmissionRule:\n  evaluationMode: {eval}\n  enforcementMode: {enf}\n{by}"
            )
        };
        assert_eq!(
            code(&rule(
                "EVALUATION_MODE_UNSPECIFIED",
                "ENFORCED_BLOCK_AND_AUDIT_LOG",
                ""
            ))
            .0,
            ErrorCode::PolicyModeUnspecified
        );
        assert_eq!(
            code(&rule("ALWAYS_DENY", "ENFORCEMENT_MODE_UNSPECIFIED", "")),
            (
                ErrorCode::PolicyModeUnspecified,
                "/defaultAdmissionRule/enforcementMode".into()
            )
        );
        assert_eq!(
            code(&rule("REQUIRE_ATTESTATION", "DRYRUN_AUDIT_LOG_ONLY", "")),
            (
                ErrorCode::PolicyAttestorsRequired,
                "/defaultAdmissionRule/requireAttestationsBy".into()
            )
        );
        assert_eq!(
            code(&rule(
                "ALWAYS_ALLOW",
                "DRYRUN_AUDIT_LOG_ONLY",
                "  requireAttestationsBy: [projects/p/attestors/a]\n"
            ))
            .0,
            ErrorCode::PolicyAttestorsNotAllowed
        );
        assert_eq!(
            code(&rule(
                "REQUIRE_ATTESTATION",
                "DRYRUN_AUDIT_LOG_ONLY",
                "  requireAttestationsBy: [projects/p/notes/a]\n"
            )),
            (
                ErrorCode::PolicyInvalidAttestorName,
                "/defaultAdmissionRule/requireAttestationsBy/0".into()
            )
        );
        assert_eq!(
            code(&rule(
                "REQUIRE_ATTESTATION",
                "DRYRUN_AUDIT_LOG_ONLY",
                "  requireAttestationsBy: [projects/p/attestors/a, projects/p/attestors/a]\n"
            ))
            .0,
            ErrorCode::PolicyDuplicateAttestor
        );
        assert_eq!(
            code(&format!(
                "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/p/n*x\n"
            )),
            (
                ErrorCode::PolicyInvalidPattern,
                "/admissionWhitelistPatterns/0/namePattern".into()
            )
        );
        let cluster = format!(
            "{BASE}clusterAdmissionRules:\n  prod:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        );
        assert_eq!(
            code(&cluster),
            (
                ErrorCode::PolicyInvalidRuleKey,
                "/clusterAdmissionRules/prod".into()
            )
        );
        let istio = format!(
            "{BASE}istioServiceIdentityAdmissionRules:\n  spiffe://d/ns/a/sa/b:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  d/ns/a/sa/b:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        );
        assert_eq!(
            code(&istio),
            (
                ErrorCode::PolicyDuplicateRuleKey,
                "/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a~1sa~1b".into()
            )
        );
    }

    #[test]
    fn rule_precedence_is_most_specific_first() {
        let r = |m: &str| {
            format!("    evaluationMode: {m}\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
        };
        let text = format!(
            "{BASE}clusterAdmissionRules:\n  us-central1-a.prod:\n{}kubernetesNamespaceAdmissionRules:\n  ns:\n{}kubernetesServiceAccountAdmissionRules:\n  ns:sa:\n{}istioServiceIdentityAdmissionRules:\n  d.svc.id.goog/ns/ns/sa/sa:\n{}",
            r("ALWAYS_DENY"),
            r("ALWAYS_DENY"),
            r("ALWAYS_DENY"),
            r("ALWAYS_DENY")
        );
        let p = load(&text).unwrap();
        // Exhaustive truth table over the four specific targets.
        for mask in 0u8..16 {
            let t = Target {
                cluster: Some(if mask & 1 != 0 {
                    "us-central1-a.prod"
                } else {
                    "us-central1-b.prod"
                }),
                namespace: if mask & 2 != 0 { "ns" } else { "other" },
                service_account: if mask & 4 != 0 { "sa" } else { "default" },
                mesh_identity: Some(if mask & 8 != 0 {
                    "spiffe://d.svc.id.goog/ns/ns/sa/sa"
                } else {
                    "x/ns/a/sa/b"
                }),
            };
            let expected = if mask & 8 != 0 {
                RuleKind::IstioIdentity
            } else if mask & 6 == 6 {
                RuleKind::ServiceAccount
            } else if mask & 2 != 0 {
                RuleKind::Namespace
            } else if mask & 1 != 0 {
                RuleKind::Cluster
            } else {
                RuleKind::Default
            };
            assert_eq!(p.select_rule(&t).kind, expected, "mask {mask:04b}");
        }
    }

    #[test]
    fn key_validators() {
        assert!(valid_cluster("us-central1-a.prod-cluster"));
        assert!(valid_cluster("global.test-membership"));
        assert!(!valid_cluster("us-central1-a"));
        assert!(!valid_cluster(".x"));
        assert!(valid_namespace("kube-system"));
        assert!(!valid_namespace("Kube"));
        assert!(!valid_namespace(&"a".repeat(64)));
        assert!(valid_service_account_key("ci:deployer"));
        assert!(!valid_service_account_key("ci"));
        assert!(valid_istio_identity("spiffe://p.svc.id.goog/ns/a/sa/b"));
        assert!(!valid_istio_identity("p.svc.id.goog/ns/a/b"));
        assert!(is_resource_name("projects/p/attestors/a", "attestors"));
        assert!(!is_resource_name("projects/p/attestors/a/b", "attestors"));
        assert!(!is_resource_name("projects//attestors/a", "attestors"));
    }

    #[test]
    fn a_scalar_policy_is_the_same_error_as_text_and_as_value() {
        // Fuzz finding (policy_json): `1.1` as text was POLICY_YAML_AMBIGUOUS, as a value
        // POLICY_INVALID_TYPE. A policy that is not an object is refused as such either way.
        for text in ["1.1", "yes", "017", "1:30"] {
            let from_text = Policy::from_text(text).unwrap_err();
            assert_eq!(from_text.code(), ErrorCode::PolicyInvalidType, "{text}");
        }
        let value = serde_json::from_str::<Value>("1.1").unwrap();
        let from_value = Policy::from_value(value, &Limits::DEFAULT).unwrap_err();
        assert_eq!(from_value.code(), ErrorCode::PolicyInvalidType);
    }

    #[test]
    fn system_policy_accepts_an_export() {
        let text = "name: locations/global/policy\nglobalPolicyEvaluationMode: ENABLE\nadmissionWhitelistPatterns:\n- namePattern: gke.gcr.io/**\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";
        let sp = SystemPolicy::from_text(text, &Limits::DEFAULT).unwrap();
        assert!(sp.patterns().first_match("gke.gcr.io/x:1").is_some());
        assert_eq!(
            SystemPolicy::built_in().patterns().patterns().len(),
            BUILT_IN_SYSTEM_PATTERNS.len()
        );
    }

    #[test]
    fn round_trip_through_serialization() {
        let text = format!(
            "{BASE}admissionWhitelistPatterns:\n- namePattern: gcr.io/a/*\nclusterAdmissionRules:\n  us-east1.c:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: DRYRUN_AUDIT_LOG_ONLY\n    requireAttestationsBy: [projects/p/attestors/a]\n"
        );
        let p = load(&text).unwrap();
        let json = serde_json::to_string(p.document()).unwrap();
        let again = Policy::from_text(&json).unwrap();
        assert_eq!(again.document(), p.document());
    }
}
