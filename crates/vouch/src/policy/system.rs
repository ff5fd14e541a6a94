//! The system policy: Google-maintained image patterns allowed before the project policy.

use serde::Deserialize;
use serde_json::Value;

use super::model::{AdmissionRuleDocument, GlobalPolicyEvaluationMode, PatternDocument};
use super::pattern::{Pattern, PatternSet};
use super::rules::compile_patterns;
use crate::error::{Doc, Error, Subject};
use crate::limits::Limits;
use crate::read::document;
use crate::read::document::from_value;
use crate::read::fields::{expect_object, null_as_default};

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
    pub fn from_text(text: &str) -> Result<SystemPolicy, Error> {
        SystemPolicy::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads a system policy from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<SystemPolicy, Error> {
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
