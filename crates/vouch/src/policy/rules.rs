//! Admission rules: validation of each rule and its key, and the compiled form.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{AdmissionRuleDocument, EnforcementMode, EvaluationMode, PatternDocument};
use super::pattern::{Pattern, PatternSet};
use crate::error::{Error, ErrorCode, join, join_index};
use crate::limits::Limits;
use crate::read::names::{
    is_resource_name, istio_key, valid_cluster, valid_istio_identity, valid_namespace,
    valid_service_account_key,
};
use crate::read::wire::wire_enum;

wire_enum! {
    /// The kind of rule that applied.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum RuleKind {
        /// `defaultAdmissionRule`.
        Default = "DEFAULT",
        /// `clusterAdmissionRules`.
        Cluster = "CLUSTER",
        /// `kubernetesNamespaceAdmissionRules`.
        Namespace = "NAMESPACE",
        /// `kubernetesServiceAccountAdmissionRules`.
        ServiceAccount = "SERVICE_ACCOUNT",
        /// `istioServiceIdentityAdmissionRules`.
        IstioIdentity = "ISTIO_IDENTITY",
    }
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

pub(super) fn compile_patterns(
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

pub(super) fn compile_map(
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

pub(super) fn validate_rule(
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
