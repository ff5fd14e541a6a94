//! The project policy as written: the serde wire model shared by YAML and JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::read::fields::{not_null, null_as_default};
use crate::read::wire::wire_enum;

wire_enum! {
    /// `globalPolicyEvaluationMode`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum GlobalPolicyEvaluationMode {
        /// Absent or unspecified: treated as `DISABLE`.
        Unspecified = "GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED",
        /// Evaluate the system policy first.
        Enable = "ENABLE",
        /// Do not evaluate the system policy.
        Disable = "DISABLE",
    }
}

wire_enum! {
    /// `evaluationMode` of a rule.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum EvaluationMode {
        /// Invalid at load.
        Unspecified = "EVALUATION_MODE_UNSPECIFIED",
        /// Every image conforms.
        AlwaysAllow = "ALWAYS_ALLOW",
        /// Every required attestor must have a valid attestation for the image's digest.
        RequireAttestation = "REQUIRE_ATTESTATION",
        /// Every (non-exempt) image violates.
        AlwaysDeny = "ALWAYS_DENY",
    }
}

wire_enum! {
    /// `enforcementMode` of a rule.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum EnforcementMode {
        /// Invalid at load.
        Unspecified = "ENFORCEMENT_MODE_UNSPECIFIED",
        /// Violations block the deployment and are logged.
        EnforcedBlockAndAuditLog = "ENFORCED_BLOCK_AND_AUDIT_LOG",
        /// Violations are logged only (dry run).
        DryrunAuditLogOnly = "DRYRUN_AUDIT_LOG_ONLY",
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
