//! A cluster's Binary Authorization configuration (decision P-12): the `binaryAuthorization`
//! block of `gcloud container clusters describe --format=json` (or the whole cluster object
//! holding it): `evaluationMode`, `policyBindings[].name`, legacy `enabled`.

use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::limits::Limits;
use crate::read::wire::wire_enum;

wire_enum! {
    /// `binaryAuthorization.evaluationMode`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
    pub enum ClusterEvaluationMode {
        /// Nothing runs.
        Disabled = "DISABLED",
        /// The project policy decides admission.
        ProjectSingletonPolicyEnforce = "PROJECT_SINGLETON_POLICY_ENFORCE",
        /// Admission is not gated; the bound platform policies are monitored (CV).
        PolicyBindings = "POLICY_BINDINGS",
        /// Both.
        PolicyBindingsAndProjectSingletonPolicyEnforce =
            "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE",
    }
}

/// A validated cluster configuration.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub(crate) mode: ClusterEvaluationMode,
    pub(crate) bindings: Vec<String>,
}

impl ClusterConfig {
    /// Loads from YAML or JSON text.
    pub fn from_text(text: &str) -> Result<ClusterConfig, Error> {
        let value = crate::read::document::parse(text, &Limits::DEFAULT)
            .map_err(|e| e.about(crate::error::Subject::ClusterConfig))?;
        ClusterConfig::from_value(value)
    }

    /// Loads from a parsed value.
    pub fn from_value(_value: Value) -> Result<ClusterConfig, Error> {
        Err(Error::new(
            ErrorCode::ClusterInvalidConfig,
            "",
            "cluster configurations are not implemented yet",
        ))
    }

    /// The evaluation mode.
    pub fn mode(&self) -> ClusterEvaluationMode {
        self.mode
    }

    /// The bound platform policies' names, in order.
    pub fn bindings(&self) -> &[String] {
        &self.bindings
    }
}
