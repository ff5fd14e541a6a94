//! Cloud Run platform policies (`projects/P/platforms/cloudRun/policies/N`, `cloudRunPolicy`;
//! decision R-2, docs/semantics.md §9.5). A preview feature: Google documents the resource's
//! schema but no how-to.
//!
//! The document is read as gcloud reads any platform policy (decision P-1, the walk of
//! `load.rs`), then compiled into what the project-policy evaluator already runs: a policy
//! whose only rule is the Cloud Run rule and whose allowlist is `allowlistPatterns`, plus one
//! attestor per inline attestor (named by its `id`, with its note and keys). The system policy
//! never applies: it is a setting of the project policy.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::load::{self, Ctx, at, list, obj, objects, text};
use crate::error::{Error, ErrorCode, Subject, join};
use crate::limits::Limits;
use crate::policy::{
    AdmissionRuleDocument, EnforcementMode, EvaluationMode, Pattern, PatternDocument, PatternSet,
    Policy, PolicyDocument, Rule, RuleKind,
};
use crate::read::document;
use crate::read::names::is_resource_name;
use crate::read::yaml_readings::check_yaml_readings;
use crate::request::cloud_run::named_policy;
use crate::verify::attestor::{Attestor, PublicKeyDocument};
use crate::verify::key::load_key;

const RULE: &str = "/cloudRunPolicy/rule";

/// A validated, compiled Cloud Run platform policy. Immutable; give it to
/// [`Evaluator::with_cloud_run_policies`](crate::Evaluator::with_cloud_run_policies), and Cloud
/// Run services and jobs bound to its name are decided by it.
#[derive(Debug, Clone)]
pub struct CloudRunPolicy {
    canonical: Value,
    name: String,
    policy: Policy,
    attestors: Vec<Attestor>,
}

/// Refuses a policy text that YAML 1.1 (gcloud's reader) would read differently from YAML 1.2
/// (`PLATFORM_YAML_AMBIGUOUS`): the same check for a file and for a bundle member's text.
pub(crate) fn refuse_ambiguous_yaml(text: &str) -> Result<(), Error> {
    check_yaml_readings(text).map_err(|e| {
        Error::new(
            ErrorCode::PlatformYamlAmbiguous,
            e.path(),
            e.message()
                .replace("gcloud's `policy import`", "gcloud's `policy create`"),
        )
        .about(Subject::CloudRunPolicies)
    })
}

impl CloudRunPolicy {
    /// Loads a Cloud Run platform policy from YAML or JSON text (the REST resource, or
    /// `gcloud … binauthz policy create --platform=cloudRun --policy-file` input).
    pub fn from_text(text: &str) -> Result<CloudRunPolicy, Error> {
        CloudRunPolicy::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads a Cloud Run platform policy from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<CloudRunPolicy, Error> {
        let value =
            document::parse(text, limits).map_err(|e| e.about(Subject::CloudRunPolicies))?;
        if value.is_object() {
            refuse_ambiguous_yaml(text)?;
        }
        CloudRunPolicy::from_value(value, limits)
    }

    /// Loads a Cloud Run platform policy from a parsed value.
    pub fn from_value(value: Value, limits: &Limits) -> Result<CloudRunPolicy, Error> {
        compile(&value, limits).map_err(|e| e.about(Subject::CloudRunPolicies))
    }

    /// The policy's name, normalized to `projects/P/platforms/cloudRun/policies/N`: what a
    /// service's `run.googleapis.com/binary-authorization` annotation (v2
    /// `binaryAuthorization.policy`) names.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy in canonical schema form (lists as lists, no `null`s).
    pub fn canonical(&self) -> &Value {
        &self.canonical
    }

    /// The canonical form as compact JSON text, keys in the schema's order.
    pub fn canonical_json(&self) -> String {
        load::schema_ordered_json(&self.canonical)
    }

    /// The compiled rule and allowlist, as a project policy with only a default rule.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The inline attestors, named by their `id`, in policy order.
    pub(crate) fn attestors(&self) -> &[Attestor] {
        &self.attestors
    }
}

fn compile(value: &Value, limits: &Limits) -> Result<CloudRunPolicy, Error> {
    let (canonical, ctx) = load::canonicalize_cloud_run(value)?;
    let name = policy_name(&canonical)?;
    let empty = Map::new();
    let inline = obj(&canonical, "cloudRunPolicy").unwrap_or(&empty);
    let patterns = allowlist(inline, &ctx, limits)?;
    let Some(rule) = obj(inline, "rule") else {
        return Err(ctx.err(
            ErrorCode::PlatformMissingField,
            "/cloudRunPolicy",
            "a Cloud Run policy needs its `rule` (`evaluationMode`, `enforcementMode`, and `requiredAttestors` under REQUIRE_ATTESTATION)",
        ));
    };
    let evaluation_mode = match mode(rule, "evaluationMode", &ctx)? {
        "ALWAYS_ALLOW" => EvaluationMode::AlwaysAllow,
        "REQUIRE_ATTESTATION" => EvaluationMode::RequireAttestation,
        _ => EvaluationMode::AlwaysDeny,
    };
    let enforcement_mode = match mode(rule, "enforcementMode", &ctx)? {
        "DRYRUN_AUDIT_LOG_ONLY" => EnforcementMode::DryrunAuditLogOnly,
        _ => EnforcementMode::EnforcedBlockAndAuditLog,
    };
    let attestors = required_attestors(rule, evaluation_mode, &ctx, limits)?;
    let ids: Vec<String> = attestors.iter().map(|a| a.name().to_owned()).collect();
    let rule = Rule {
        kind: RuleKind::Default,
        key: None,
        evaluation_mode,
        enforcement_mode,
        attestors: ids.clone(),
    };
    let document = PolicyDocument {
        name: Some(name.clone()),
        description: None,
        global_policy_evaluation_mode: None,
        admission_whitelist_patterns: patterns
            .patterns()
            .iter()
            .map(|p| PatternDocument {
                name_pattern: p.as_str().to_owned(),
            })
            .collect(),
        default_admission_rule: AdmissionRuleDocument {
            evaluation_mode,
            require_attestations_by: ids,
            enforcement_mode,
        },
        cluster_admission_rules: Default::default(),
        kubernetes_namespace_admission_rules: Default::default(),
        kubernetes_service_account_admission_rules: Default::default(),
        istio_service_identity_admission_rules: Default::default(),
        update_time: None,
        etag: None,
    };
    Ok(CloudRunPolicy {
        canonical: Value::Object(canonical),
        name,
        policy: Policy::single_rule(document, patterns, rule),
        attestors,
    })
}

/// `name` is required: it is what services bind to.
fn policy_name(canonical: &Map<String, Value>) -> Result<String, Error> {
    let written = text(canonical, "name");
    if written.is_empty() {
        return Err(Error::new(
            ErrorCode::PlatformMissingField,
            "/name",
            "a Cloud Run policy needs its `name`, `projects/PROJECT/platforms/cloudRun/policies/POLICY`: services and jobs name the policy they require",
        ));
    }
    named_policy(written).ok_or_else(|| {
        Error::new(
            ErrorCode::PlatformInvalidValue,
            "/name",
            format!(
                "`name` is `{written}`; a Cloud Run policy's name is `projects/PROJECT/platforms/cloudRun/policies/POLICY`"
            ),
        )
    })
}

fn allowlist(inline: &Map<String, Value>, ctx: &Ctx, limits: &Limits) -> Result<PatternSet, Error> {
    let base = "/cloudRunPolicy/allowlistPatterns";
    let count = list(inline, "allowlistPatterns").len();
    if count > limits.max_patterns {
        return Err(ctx.err(
            ErrorCode::PlatformTooLarge,
            base,
            format!(
                "{count} allowlist patterns, more than the limit of {}",
                limits.max_patterns
            ),
        ));
    }
    let mut patterns = Vec::with_capacity(count);
    for (path, entry) in objects(inline, "allowlistPatterns", "/cloudRunPolicy") {
        let written = text(entry, "namePattern");
        if written.is_empty() {
            return Err(ctx.err(
                ErrorCode::PlatformMissingField,
                &at(entry, "namePattern", &path),
                "an allowlist pattern needs its `namePattern`",
            ));
        }
        let pattern = Pattern::parse(written).map_err(|e| {
            ctx.err(
                ErrorCode::PlatformInvalidAllowPattern,
                &join(&path, "namePattern"),
                e.to_string(),
            )
        })?;
        patterns.push(pattern);
    }
    Ok(PatternSet::new(patterns))
}

/// An enum member of the rule, which must be set to something other than `…_UNSPECIFIED`.
fn mode<'a>(rule: &'a Map<String, Value>, field: &str, ctx: &Ctx) -> Result<&'a str, Error> {
    let value = text(rule, field);
    if value.is_empty() {
        return Err(ctx.err(
            ErrorCode::PlatformMissingField,
            RULE,
            format!("the rule needs `{field}`"),
        ));
    }
    // The walk admitted only the enum's names; all but `…_UNSPECIFIED` are modes.
    if value.ends_with("_UNSPECIFIED") {
        return Err(ctx.err(
            ErrorCode::PlatformInvalidValue,
            &join(RULE, field),
            format!("`{field}` is `{value}` (\"Do not use\"): name the mode"),
        ));
    }
    Ok(value)
}

fn required_attestors(
    rule: &Map<String, Value>,
    evaluation_mode: EvaluationMode,
    ctx: &Ctx,
    limits: &Limits,
) -> Result<Vec<Attestor>, Error> {
    let base = join(RULE, "requiredAttestors");
    let count = list(rule, "requiredAttestors").len();
    let requires = evaluation_mode == EvaluationMode::RequireAttestation;
    if requires && count == 0 {
        return Err(ctx.err(
            ErrorCode::PlatformMissingField,
            &at(rule, "requiredAttestors", RULE),
            "a REQUIRE_ATTESTATION rule needs at least one attestor in `requiredAttestors`",
        ));
    }
    if !requires && count > 0 {
        return Err(ctx.err(
            ErrorCode::PlatformInvalidValue,
            &base,
            format!(
                "`requiredAttestors` is only read under REQUIRE_ATTESTATION, and the rule is {}: remove them, or require attestations",
                evaluation_mode.as_str()
            ),
        ));
    }
    if count > limits.max_attestor_refs {
        return Err(ctx.err(
            ErrorCode::PlatformTooLarge,
            &base,
            format!(
                "{count} attestors, more than the limit of {}",
                limits.max_attestor_refs
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    let mut attestors = Vec::with_capacity(count);
    for (path, attestor) in objects(rule, "requiredAttestors", RULE) {
        let id = text(attestor, "id");
        if id.is_empty() {
            return Err(ctx.err(
                ErrorCode::PlatformMissingField,
                &at(attestor, "id", &path),
                "an inline attestor needs its `id`",
            ));
        }
        if !id.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ctx.err(
                ErrorCode::PlatformInvalidValue,
                &join(&path, "id"),
                format!(
                    "attestor id `{}` must be printable ASCII without spaces",
                    id.escape_debug()
                ),
            ));
        }
        if !ids.insert(id) {
            return Err(ctx.err(
                ErrorCode::PlatformInvalidValue,
                &join(&path, "id"),
                format!("attestor id `{id}` is used twice: ids are unique within a policy"),
            ));
        }
        let note = text(attestor, "attestationNote");
        if note.is_empty() {
            return Err(ctx.err(
                ErrorCode::PlatformMissingField,
                &at(attestor, "attestationNote", &path),
                "an inline attestor needs its `attestationNote`, `projects/PROJECT/notes/NOTE`",
            ));
        }
        if !is_resource_name(note, "notes") {
            return Err(ctx.err(
                ErrorCode::PlatformInvalidValue,
                &join(&path, "attestationNote"),
                format!("`{note}` is not a note name of the form `projects/PROJECT/notes/NOTE`"),
            ));
        }
        attestors.push(Attestor::inline(
            id,
            note,
            public_keys(attestor, &path, ctx, limits)?,
        ));
    }
    Ok(attestors)
}

/// The attestor's keys, read as an attestor's `publicKeys` are (ids, PGP fingerprints,
/// algorithm checks), with the platform policy's error codes. None: the attestor never
/// verifies ("always returns that no valid attestations exist").
fn public_keys(
    attestor: &Map<String, Value>,
    path: &str,
    ctx: &Ctx,
    limits: &Limits,
) -> Result<Vec<crate::verify::key::PublicKey>, Error> {
    let count = list(attestor, "publicKeys").len();
    if count > limits.max_keys_per_attestor {
        return Err(ctx.err(
            ErrorCode::PlatformTooLarge,
            &join(path, "publicKeys"),
            format!(
                "{count} keys, more than the limit of {}",
                limits.max_keys_per_attestor
            ),
        ));
    }
    let mut keys: Vec<crate::verify::key::PublicKey> = Vec::with_capacity(count);
    for (kpath, key) in objects(attestor, "publicKeys", path) {
        if let Some(pkix) = obj(key, "pkixPublicKey")
            && text(pkix, "publicKeyPem").is_empty()
        {
            return Err(ctx.err(
                ErrorCode::PlatformMissingField,
                &at(pkix, "publicKeyPem", &join(&kpath, "pkixPublicKey")),
                "a key needs `publicKeyPem`",
            ));
        }
        let doc: PublicKeyDocument = serde_json::from_value(Value::Object(key.clone()))
            .map_err(|e| ctx.err(ErrorCode::PlatformInvalidValue, &kpath, e.to_string()))?;
        let loaded = load_key(&doc, &kpath)
            .map_err(|e| ctx.err(platform_code(e.code()), e.path(), e.message()))?;
        if keys.iter().any(|k| k.id() == loaded.id()) {
            return Err(ctx.err(
                ErrorCode::PlatformInvalidKeyId,
                &kpath,
                format!(
                    "key id `{}` is used by two keys of this attestor",
                    loaded.id()
                ),
            ));
        }
        keys.push(loaded);
    }
    Ok(keys)
}

/// The platform policy's code for an attestor key's error.
fn platform_code(code: ErrorCode) -> ErrorCode {
    match code {
        ErrorCode::AttestorMissingField => ErrorCode::PlatformMissingField,
        ErrorCode::AttestorInvalidKey => ErrorCode::PlatformInvalidKey,
        ErrorCode::AttestorAlgorithmMismatch => ErrorCode::PlatformAlgorithmMismatch,
        ErrorCode::AttestorInvalidKeyId => ErrorCode::PlatformInvalidKeyId,
        _ => ErrorCode::PlatformInvalidValue,
    }
}

#[cfg(test)]
#[path = "cloud_run_tests.rs"]
mod tests;
