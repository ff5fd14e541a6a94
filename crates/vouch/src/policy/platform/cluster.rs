//! A cluster's Binary Authorization configuration (decision P-12): the `binaryAuthorization`
//! block of `gcloud container clusters describe --format=json` (or the whole cluster object
//! holding it): `evaluationMode`, `policyBindings[].name`, legacy `enabled`.

use serde_json::Value;

use crate::error::{Error, ErrorCode, join, join_index};
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

/// GKE's limit on policy bindings per cluster (semantics S16).
pub(crate) const MAX_BINDINGS: usize = 10;

/// The fields of the `binaryAuthorization` block (`cluster_service.proto`).
const BLOCK_FIELDS: &[&str] = &["enabled", "evaluationMode", "policyBindings"];

const MODES: &[ClusterEvaluationMode] = &[
    ClusterEvaluationMode::Disabled,
    ClusterEvaluationMode::ProjectSingletonPolicyEnforce,
    ClusterEvaluationMode::PolicyBindings,
    ClusterEvaluationMode::PolicyBindingsAndProjectSingletonPolicyEnforce,
];

fn parse_mode(s: &str) -> Option<ClusterEvaluationMode> {
    MODES.iter().copied().find(|m| m.as_str() == s)
}

fn invalid(path: &str, message: String) -> Error {
    Error::new(ErrorCode::ClusterInvalidConfig, path, message)
}

/// `policyBindings`: at most 10 `{"name": "projects/P/platforms/gke/policies/ID"}`, no name
/// twice.
fn bindings(value: Option<&Value>, path: &str) -> Result<Vec<String>, Error> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(invalid(
                path,
                format!(
                    "`policyBindings` must be a list of `{{\"name\": …}}`, found {}",
                    crate::read::document::type_name(other)
                ),
            ));
        }
    };
    if items.len() > MAX_BINDINGS {
        return Err(Error::new(
            ErrorCode::ClusterTooManyBindings,
            path,
            format!(
                "{} policy bindings, more than GKE's limit of {MAX_BINDINGS}",
                items.len()
            ),
        ));
    }
    let mut names: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_path = join_index(path, i);
        let Value::Object(binding) = item else {
            return Err(invalid(
                &item_path,
                format!(
                    "a policy binding is `{{\"name\": \"projects/PROJECT/platforms/gke/policies/POLICY\"}}`, found {}",
                    crate::read::document::type_name(item)
                ),
            ));
        };
        if let Some(key) = binding.keys().find(|k| k.as_str() != "name") {
            return Err(invalid(
                &join(&item_path, key),
                format!("`{key}` is not a field of a policy binding (`name`)"),
            ));
        }
        let name = binding
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name_path = join(&item_path, "name");
        if !is_binding_name(name) {
            return Err(Error::new(
                ErrorCode::ClusterInvalidBinding,
                if binding.contains_key("name") {
                    name_path
                } else {
                    item_path
                },
                format!(
                    "policy binding `{}` is not `projects/PROJECT/platforms/gke/policies/POLICY`",
                    name.escape_debug()
                ),
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(Error::new(
                ErrorCode::ClusterInvalidBinding,
                name_path,
                format!("policy `{name}` is bound twice"),
            ));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// `projects/PROJECT/platforms/gke/policies/POLICY`, PROJECT an id or a number.
fn is_binding_name(name: &str) -> bool {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || matches!(b, b'-' | b'_' | b'.' | b':')
            })
    };
    let parts: Vec<&str> = name.split('/').collect();
    matches!(parts.as_slice(),
        ["projects", project, "platforms", "gke", "policies", policy]
            if segment_ok(project) && segment_ok(policy))
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

    /// Loads from a parsed value: the `binaryAuthorization` block itself, or an object
    /// holding it under `binaryAuthorization` (the whole cluster). A cluster without the
    /// block (an object with a `name` and no `binaryAuthorization`) is `DISABLED`.
    ///
    /// `evaluationMode` decides; without one (or with `EVALUATION_MODE_UNSPECIFIED`) the
    /// deprecated `enabled: true` means `PROJECT_SINGLETON_POLICY_ENFORCE` and anything else
    /// `DISABLED`, as GKE reads it (`enabled` is ignored once a mode is set).
    pub fn from_value(value: Value) -> Result<ClusterConfig, Error> {
        let Value::Object(top) = &value else {
            return Err(invalid(
                "",
                format!(
                    "a cluster configuration is the cluster's `binaryAuthorization` object (or the cluster holding it), found {}",
                    crate::read::document::type_name(&value)
                ),
            ));
        };
        let (block, base) = match top.get("binaryAuthorization") {
            Some(Value::Object(block)) => (block, "/binaryAuthorization"),
            Some(Value::Null) => return Ok(ClusterConfig::disabled()),
            Some(other) => {
                return Err(invalid(
                    "/binaryAuthorization",
                    format!(
                        "`binaryAuthorization` must be an object, found {}",
                        crate::read::document::type_name(other)
                    ),
                ));
            }
            None if top.keys().all(|k| BLOCK_FIELDS.contains(&k.as_str())) => (top, ""),
            // A cluster object without the block: Binary Authorization is off.
            None if top.contains_key("name") => return Ok(ClusterConfig::disabled()),
            None => {
                let key = top
                    .keys()
                    .find(|k| !BLOCK_FIELDS.contains(&k.as_str()))
                    .cloned()
                    .unwrap_or_default();
                return Err(invalid(
                    &join("", &key),
                    format!(
                        "`{key}` is not a field of a cluster's `binaryAuthorization` ({}); give that object, or the whole cluster (`gcloud container clusters describe --format=json`)",
                        BLOCK_FIELDS.join(", ")
                    ),
                ));
            }
        };
        if let Some(key) = block.keys().find(|k| !BLOCK_FIELDS.contains(&k.as_str())) {
            return Err(invalid(
                &join(base, key),
                format!(
                    "`{key}` is not a field of `binaryAuthorization` ({})",
                    BLOCK_FIELDS.join(", ")
                ),
            ));
        }
        let enabled = match block.get("enabled") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(invalid(
                    &join(base, "enabled"),
                    format!(
                        "`enabled` must be true or false, found {}",
                        crate::read::document::type_name(other)
                    ),
                ));
            }
        };
        let mode = match block.get("evaluationMode") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s == "EVALUATION_MODE_UNSPECIFIED" => None,
            Some(Value::String(s)) => Some(parse_mode(s).ok_or_else(|| {
                Error::new(
                    ErrorCode::ClusterInvalidMode,
                    join(base, "evaluationMode"),
                    format!(
                        "`evaluationMode` is `{s}`; the cluster modes are {} (dry run is a policy's `enforcementMode`, not a cluster mode)",
                        MODES
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?),
            Some(other) => {
                return Err(Error::new(
                    ErrorCode::ClusterInvalidMode,
                    join(base, "evaluationMode"),
                    format!(
                        "`evaluationMode` must be a mode name, found {}",
                        crate::read::document::type_name(other)
                    ),
                ));
            }
        };
        let mode = mode.unwrap_or(if enabled {
            ClusterEvaluationMode::ProjectSingletonPolicyEnforce
        } else {
            ClusterEvaluationMode::Disabled
        });
        let bindings = bindings(block.get("policyBindings"), &join(base, "policyBindings"))?;
        Ok(ClusterConfig { mode, bindings })
    }

    fn disabled() -> ClusterConfig {
        ClusterConfig {
            mode: ClusterEvaluationMode::Disabled,
            bindings: Vec::new(),
        }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn load(v: Value) -> Result<(ClusterEvaluationMode, Vec<String>), (ErrorCode, String)> {
        ClusterConfig::from_value(v)
            .map(|c| (c.mode(), c.bindings().to_vec()))
            .map_err(|e| {
                assert_eq!(e.subject(), crate::error::Subject::ClusterConfig);
                (e.code(), e.path().to_owned())
            })
    }

    const B: &str = "projects/123/platforms/gke/policies/my-policy";

    #[test]
    fn modes() {
        use ClusterEvaluationMode as M;
        assert_eq!(load(json!({})), Ok((M::Disabled, vec![])));
        assert_eq!(
            load(json!({"enabled": true})),
            Ok((M::ProjectSingletonPolicyEnforce, vec![]))
        );
        assert_eq!(load(json!({"enabled": false})), Ok((M::Disabled, vec![])));
        assert_eq!(
            load(json!({"evaluationMode": "EVALUATION_MODE_UNSPECIFIED"})),
            Ok((M::Disabled, vec![]))
        );
        assert_eq!(
            load(json!({"evaluationMode": "EVALUATION_MODE_UNSPECIFIED", "enabled": true})),
            Ok((M::ProjectSingletonPolicyEnforce, vec![]))
        );
        // A mode wins over the deprecated flag.
        assert_eq!(
            load(json!({"evaluationMode": "DISABLED", "enabled": true})),
            Ok((M::Disabled, vec![]))
        );
        assert_eq!(
            load(json!({"evaluationMode": "POLICY_BINDINGS", "policyBindings": [{"name": B}]})),
            Ok((M::PolicyBindings, vec![B.to_owned()]))
        );
        assert_eq!(
            load(json!({"binaryAuthorization": {
                "evaluationMode": "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE"},
                "name": "c", "location": "us-central1"})),
            Ok((M::PolicyBindingsAndProjectSingletonPolicyEnforce, vec![]))
        );
        assert_eq!(
            load(json!({"name": "c", "nodePools": []})),
            Ok((M::Disabled, vec![]))
        );
        let e = ClusterConfig::from_value(json!({"evaluationMode": "DRYRUN"})).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (ErrorCode::ClusterInvalidMode, "/evaluationMode")
        );
        assert!(
            e.message()
                .contains("POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE")
        );
        assert_eq!(
            load(json!({"binaryAuthorization": {"evaluationMode": 5}, "name": "c"})),
            Err((
                ErrorCode::ClusterInvalidMode,
                "/binaryAuthorization/evaluationMode".into()
            ))
        );
    }

    #[test]
    fn shape_errors() {
        assert_eq!(
            load(json!([])),
            Err((ErrorCode::ClusterInvalidConfig, String::new()))
        );
        assert_eq!(
            load(json!({"evaluationmode": "DISABLED"})),
            Err((ErrorCode::ClusterInvalidConfig, "/evaluationmode".into()))
        );
        assert_eq!(
            load(json!({"binaryAuthorization": {"mode": "DISABLED"}, "name": "c"})),
            Err((
                ErrorCode::ClusterInvalidConfig,
                "/binaryAuthorization/mode".into()
            ))
        );
        assert_eq!(
            load(json!({"binaryAuthorization": "on"})),
            Err((
                ErrorCode::ClusterInvalidConfig,
                "/binaryAuthorization".into()
            ))
        );
        assert_eq!(
            load(json!({"enabled": "true"})),
            Err((ErrorCode::ClusterInvalidConfig, "/enabled".into()))
        );
        assert_eq!(
            load(json!({"policyBindings": {"name": B}})),
            Err((ErrorCode::ClusterInvalidConfig, "/policyBindings".into()))
        );
        assert_eq!(
            load(json!({"policyBindings": [{"name": B, "x": 1}]})),
            Err((
                ErrorCode::ClusterInvalidConfig,
                "/policyBindings/0/x".into()
            ))
        );
    }

    #[test]
    fn bindings() {
        let bad = |name: &str| {
            load(json!({"evaluationMode": "POLICY_BINDINGS", "policyBindings": [{"name": name}]}))
        };
        for name in [
            "",
            "my-policy",
            "projects/p/platforms/cloudRun/policies/x",
            "projects/p/platforms/gke/policies/",
            "projects/p/platforms/gke/policies/x/y",
            "projects/P/platforms/gke/policies/x",
        ] {
            assert_eq!(
                bad(name),
                Err((
                    ErrorCode::ClusterInvalidBinding,
                    "/policyBindings/0/name".into()
                )),
                "{name}"
            );
        }
        assert_eq!(
            load(json!({"policyBindings": [{}]})),
            Err((ErrorCode::ClusterInvalidBinding, "/policyBindings/0".into()))
        );
        assert_eq!(
            load(json!({"policyBindings": [{"name": B}, {"name": B}]})),
            Err((
                ErrorCode::ClusterInvalidBinding,
                "/policyBindings/1/name".into()
            ))
        );
        let eleven: Vec<Value> = (0..11)
            .map(|i| json!({"name": format!("projects/p/platforms/gke/policies/p{i}")}))
            .collect();
        assert_eq!(
            load(json!({"policyBindings": eleven})),
            Err((ErrorCode::ClusterTooManyBindings, "/policyBindings".into()))
        );
        let text = "binaryAuthorization:\n  evaluationMode: POLICY_BINDINGS\n  policyBindings:\n  - name: projects/my-project/platforms/gke/policies/p\nname: c\n";
        let c = ClusterConfig::from_text(text).unwrap();
        assert_eq!(
            c.bindings(),
            ["projects/my-project/platforms/gke/policies/p"]
        );
    }
}
