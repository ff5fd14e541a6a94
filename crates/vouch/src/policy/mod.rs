//! The GCP project policy: wire model, validation and compiled form.
//!
//! One serde model reads both YAML (`gcloud container binauthz policy export`) and JSON
//! (the REST resource). Unknown fields are rejected; output-only fields are accepted and
//! ignored. Loading validates every rule of semantics §1.7 and the pattern grammar of A-3, and
//! compiles the allowlist once.

mod model;
pub(crate) mod pattern;
pub(crate) mod platform;
mod rules;
mod system;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use self::pattern::{Pattern, PatternError, PatternKind, PatternSet};
pub use model::{
    AdmissionRuleDocument, EnforcementMode, EvaluationMode, GlobalPolicyEvaluationMode,
    PatternDocument, PolicyDocument,
};
pub use platform::{CloudRunPolicy, ClusterConfig, ClusterEvaluationMode, PlatformPolicy};
pub use rules::{Rule, RuleKind};
pub use system::{BUILT_IN_SYSTEM_PATTERNS, SystemPolicy};

use self::rules::{compile_map, compile_patterns, validate_rule};
use crate::error::{Doc, Error, ErrorCode, Subject};
use crate::limits::Limits;
use crate::read::document::{self, from_value};
use crate::read::fields::expect_object;
use crate::read::names::istio_key;
use crate::read::yaml_readings::check_yaml_readings;

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

    /// A policy of one rule and an allowlist, the system policy off: what a Cloud Run
    /// platform policy compiles to (`platform/cloud_run.rs`, which validated both).
    pub(crate) fn single_rule(
        document: PolicyDocument,
        allowlist: PatternSet,
        default_rule: Rule,
    ) -> Policy {
        Policy {
            document,
            global_mode: GlobalPolicyEvaluationMode::Disable,
            allowlist,
            default_rule,
            cluster: BTreeMap::new(),
            namespace: BTreeMap::new(),
            service_account: BTreeMap::new(),
            istio: BTreeMap::new(),
        }
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

    /// The rules Cloud Run ignores (decision R-3): every cluster, namespace, service-account
    /// and identity rule, in [`Policy::rules`] order. Cloud Run applies only the default rule,
    /// the allowlist and the system policy; a Cloud Run decision lists these as
    /// `cloudRun.ignoredRules`, and a lint can warn about them.
    pub fn rules_ignored_on_cloud_run(&self) -> impl Iterator<Item = &Rule> {
        self.rules().filter(|r| r.kind != RuleKind::Default)
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

#[cfg(test)]
mod tests;
