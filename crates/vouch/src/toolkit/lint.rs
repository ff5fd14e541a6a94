//! The policy linter: valid policies that probably do not do what their authors meant.
//!
//! Every warning has a stable code, the JSON pointer of the field in the policy, a message and
//! a one-line fix. Warnings never change a decision.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Subject, join, join_index};
use crate::limits::Limits;
use crate::policy::pattern::{Pattern, PatternKind};
use crate::policy::{
    AdmissionRuleDocument, EnforcementMode, EvaluationMode, GlobalPolicyEvaluationMode, Policy,
    RuleKind,
};
use crate::read::document;
use crate::verify::algorithm::SignatureAlgorithm;
use crate::verify::attestor::Attestor;

macro_rules! warning_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $text:literal, )*) => {
        /// Stable warning codes.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum WarningCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl WarningCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant,)*];

            /// The code as written in output.
            pub const fn as_str(self) -> &'static str {
                match self { $(WarningCode::$variant => $text,)* }
            }

            /// What the warning means (used to generate `docs/lint.md`).
            pub fn description(self) -> &'static str {
                match self { $(WarningCode::$variant => concat!($($doc),*).trim_ascii(),)* }
            }
        }
    };
}

warning_codes! {
    /// A cluster, namespace, service-account or identity rule is `ALWAYS_ALLOW` while the default rule is stricter.
    RuleWeakerThanDefault = "RULE_WEAKER_THAN_DEFAULT",
    /// A `**` pattern whose prefix does not end with `/` also covers lookalike names (`gcr.io/my-project**` matches `gcr.io/my-project-evil/…`).
    PatternCoversLookalikes = "PATTERN_COVERS_LOOKALIKES",
    /// An allowlist entry trusts a tag, which can be moved to other content.
    PatternPinnedByTag = "PATTERN_PINNED_BY_TAG",
    /// A pattern spells out `docker.io/…`, but workloads usually write the short name (`redis`), which it does not match: there is no normalization.
    PatternMissesShortNames = "PATTERN_MISSES_SHORT_NAMES",
    /// A rule is in dry run: violations are logged, not blocked.
    DryRunRule = "DRY_RUN_RULE",
    /// More than one kind of specific rule is populated; their precedence is vouch's decision A-1, not documented by Google.
    SeveralRuleMaps = "SEVERAL_RULE_MAPS",
    /// A required attestor has no public keys, so it can never be satisfied.
    AttestorWithoutKeys = "ATTESTOR_WITHOUT_KEYS",
    /// A required attestor uses a vouch extension (`ED25519`) that Binary Authorization does not accept.
    AttestorNotAcceptedByGcp = "ATTESTOR_NOT_ACCEPTED_BY_GCP",
    /// `globalPolicyEvaluationMode` is not set, which means `DISABLE`: Google's system images are not exempt. Not reported when every rule (default and specific) is `ALWAYS_ALLOW`: the system policy only exempts, so the mode cannot change a decision then. An allowlist never makes it moot: no pattern covers every image, and the real system list is regional.
    GlobalPolicyModeUnspecified = "GLOBAL_POLICY_MODE_UNSPECIFIED",
    /// Platform policy: a list is written where the schema has one message (as several documentation snippets do); loading fails with the error of the same code, and the warning gives the message to write instead. The rest of the policy is linted as if it were fixed.
    PlatformListForMessage = "PLATFORM_LIST_FOR_MESSAGE",
    /// Platform policy: a trusted-directory pattern's wildcard reaches into the first path segment (`gcr.io/**`, `gcr.io/*`, `us-docker.pkg.dev/my-proj*`): on shared registries that segment is the project, so directories of projects anyone can create are trusted.
    PlatformDirectoryCoversOtherProjects = "PLATFORM_DIRECTORY_COVERS_OTHER_PROJECTS",
    /// Platform policy: a check set has no checks, so every image it is selected for conforms.
    PlatformSetWithoutChecks = "PLATFORM_SET_WITHOUT_CHECKS",
    /// Platform policy: an allowlist pattern exempts every image of a registry (`gcr.io/**`), or of every registry whose name starts alike (`gcr.i*`).
    PlatformAllowlistCoversRegistry = "PLATFORM_ALLOWLIST_COVERS_REGISTRY",
    /// Platform policy: a check repeats an earlier check of its set (same kind, settings and allowlist); it decides nothing new.
    PlatformDuplicateCheck = "PLATFORM_DUPLICATE_CHECK",
    /// Platform policy: an allowlist has the same patterns as the one above it (a check's as its set's, a set's as the policy's): the outer one already exempts those images, so the inner one never applies.
    PlatformRedundantAllowlist = "PLATFORM_REDUNDANT_ALLOWLIST",
    /// Platform policy: a check, or a SLSA rule, lists no project to read evidence from, so it can never pass (decision P-5, Q-9): an attestation check without `containerAnalysisAttestationProjects`, a SLSA rule without `attestationSource` projects, a SLSA check without rules.
    PlatformCheckNeverPasses = "PLATFORM_CHECK_NEVER_PASSES",
    /// Platform policy: a check can only be ERROR: a vulnerability check without `containerAnalysisVulnerabilityProjects` finds no scan (decision P-5), and a SLSA rule with `customConstraints` is not evaluated (decision P-9).
    PlatformCheckAlwaysErrors = "PLATFORM_CHECK_ALWAYS_ERRORS",
    /// Platform policy: a CVE is in both `allowedCves` and `blockedCves`; allowed wins (decision P-5), so blocking it has no effect.
    PlatformCveAllowedAndBlocked = "PLATFORM_CVE_ALLOWED_AND_BLOCKED",
}

impl Serialize for WarningCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The stable code.
    pub code: WarningCode,
    /// JSON pointer of the field in the policy.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, in one line.
    pub fix: String,
}

pub(super) fn warn(
    code: WarningCode,
    path: String,
    message: String,
    fix: impl Into<String>,
) -> Warning {
    Warning {
        code,
        path,
        message,
        fix: fix.into(),
    }
}

/// Lints a loaded policy; `attestors` (optional) enables the attestor checks. Warnings are in
/// document order: global mode, allowlist, rules (default, then each map in field order, keys
/// sorted), then attestors.
pub fn lint(policy: &Policy, attestors: &[Attestor]) -> Vec<Warning> {
    let doc = policy.document();
    let mut out = Vec::new();
    let maps: [(RuleKind, &BTreeMap<String, AdmissionRuleDocument>); 4] = [
        (RuleKind::Cluster, &doc.cluster_admission_rules),
        (
            RuleKind::Namespace,
            &doc.kubernetes_namespace_admission_rules,
        ),
        (
            RuleKind::ServiceAccount,
            &doc.kubernetes_service_account_admission_rules,
        ),
        (
            RuleKind::IstioIdentity,
            &doc.istio_service_identity_admission_rules,
        ),
    ];
    // The system policy only exempts images, so the global mode can change a decision only
    // where a rule can find a violation: when every rule is ALWAYS_ALLOW, it cannot. The
    // allowlist never makes it moot: no pattern covers every image (a wildcard needs a `/`
    // in its prefix), and whether it covers every system image depends on the real,
    // region-specific system policy, which lint does not know.
    let some_rule_can_deny = std::iter::once(&doc.default_admission_rule)
        .chain(maps.iter().flat_map(|(_, m)| m.values()))
        .any(|r| r.evaluation_mode != EvaluationMode::AlwaysAllow);
    if some_rule_can_deny
        && matches!(
            doc.global_policy_evaluation_mode,
            None | Some(GlobalPolicyEvaluationMode::Unspecified)
        )
    {
        out.push(warn(
            WarningCode::GlobalPolicyModeUnspecified,
            "/globalPolicyEvaluationMode".into(),
            "`globalPolicyEvaluationMode` is not set, which means DISABLE: GKE system images must be allowlisted by hand".into(),
            "set `globalPolicyEvaluationMode: ENABLE` (or DISABLE, explicitly)",
        ));
    }
    for (i, entry) in doc.admission_whitelist_patterns.iter().enumerate() {
        let path = join(&join_index("/admissionWhitelistPatterns", i), "namePattern");
        if let Ok(pattern) = Pattern::parse(&entry.name_pattern) {
            lint_pattern(&pattern, path, &mut out);
        }
    }
    let default_mode = doc.default_admission_rule.evaluation_mode;
    lint_rule(
        &doc.default_admission_rule,
        "/defaultAdmissionRule".into(),
        None,
        &mut out,
    );
    for (kind, map) in maps {
        for (key, rule) in map {
            let path = join(&join("", kind.field()), key);
            lint_rule(rule, path, Some((kind, key, default_mode)), &mut out);
        }
    }
    let populated: Vec<&str> = maps
        .iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(k, _)| k.field())
        .collect();
    if populated.len() > 1 {
        out.push(warn(
            WarningCode::SeveralRuleMaps,
            join("", populated.first().copied().unwrap_or_default()),
            format!(
                "several rule maps are populated (`{}`); when more than one matches, vouch applies the most specific (identity > service account > namespace > cluster), which Google does not document",
                populated.join("`, `")
            ),
            "keep one kind of specific rule, or check that the precedence gives what you want with `vouch evaluate`",
        ));
    }
    lint_attestors(policy, attestors, &mut out);
    out
}

fn lint_pattern(pattern: &Pattern, path: String, out: &mut Vec<Warning>) {
    let text = pattern.as_str();
    let prefix = pattern.prefix();
    if pattern.kind() == PatternKind::DoubleStar && !prefix.ends_with('/') {
        out.push(warn(
            WarningCode::PatternCoversLookalikes,
            path.clone(),
            format!("`{text}` also matches lookalike names such as `{prefix}-evil/app`, because `**` is plain prefix matching"),
            format!("use `{prefix}/**` to stay inside `{prefix}`"),
        ));
    }
    let last_segment = prefix.rsplit('/').next().unwrap_or_default();
    let tagged = last_segment.contains(':') && !text.contains('@');
    if tagged {
        out.push(warn(
            WarningCode::PatternPinnedByTag,
            path.clone(),
            format!("`{text}` trusts a tag; tags can be moved to other content"),
            "allowlist by digest (`IMAGE@sha256:…`), or require an attestation instead",
        ));
    }
    for hub in ["docker.io/", "index.docker.io/"] {
        if let Some(rest) = text.strip_prefix(hub) {
            let short = rest.strip_prefix("library/").unwrap_or(rest);
            out.push(warn(
                WarningCode::PatternMissesShortNames,
                path.clone(),
                format!("`{text}` never matches workloads that write `{short}`: images are matched as written, not normalized"),
                format!("add a pattern for the short form, e.g. `{short}`"),
            ));
        }
    }
}

fn lint_rule(
    rule: &AdmissionRuleDocument,
    path: String,
    specific: Option<(RuleKind, &str, EvaluationMode)>,
    out: &mut Vec<Warning>,
) {
    if let Some((kind, key, default_mode)) = specific
        && rule.evaluation_mode == EvaluationMode::AlwaysAllow
        && matches!(
            default_mode,
            EvaluationMode::RequireAttestation | EvaluationMode::AlwaysDeny
        )
    {
        out.push(warn(
            WarningCode::RuleWeakerThanDefault,
            join(&path, "evaluationMode"),
            format!(
                "the {} for `{key}` admits every image while the default rule is {}",
                kind.description(),
                default_mode.as_str()
            ),
            "require attestations here too, or document why this target is exempt",
        ));
    }
    if rule.enforcement_mode == EnforcementMode::DryrunAuditLogOnly {
        out.push(warn(
            WarningCode::DryRunRule,
            join(&path, "enforcementMode"),
            "this rule is in dry run: violations are logged, not blocked".into(),
            "switch to ENFORCED_BLOCK_AND_AUDIT_LOG once the audit logs are clean",
        ));
    }
}

fn lint_attestors(policy: &Policy, attestors: &[Attestor], out: &mut Vec<Warning>) {
    if attestors.is_empty() {
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    for rule in policy.rules() {
        let base = match &rule.key {
            Some(key) => join(&join("", rule.kind.field()), key),
            None => "/defaultAdmissionRule".to_owned(),
        };
        for (i, name) in rule.attestors.iter().enumerate() {
            if !seen.insert(name.as_str()) {
                continue;
            }
            let Some(attestor) = attestors.iter().find(|a| a.name() == name) else {
                continue;
            };
            let path = join_index(&join(&base, "requireAttestationsBy"), i);
            if attestor.keys().is_empty() {
                out.push(warn(
                    WarningCode::AttestorWithoutKeys,
                    path.clone(),
                    format!("attestor `{name}` has no public keys, so no image can satisfy it"),
                    "add the attestor's public key (`gcloud container binauthz attestors public-keys add`)",
                ));
            }
            if attestor
                .keys()
                .iter()
                .any(|k| k.algorithm() == Some(SignatureAlgorithm::Ed25519))
            {
                out.push(warn(
                    WarningCode::AttestorNotAcceptedByGcp,
                    path,
                    format!("attestor `{name}` has an ED25519 key: a vouch extension that Binary Authorization does not accept"),
                    "use ECDSA_P256_SHA256 (or another GCP algorithm) for attestors you deploy to GCP",
                ));
            }
        }
    }
}

/// The result of validating a policy: `{ok, errors: [{code, path, message}], warnings}`.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// True when the policy (and attestors) load.
    pub ok: bool,
    /// At most one configuration error (loading stops at the first).
    pub errors: Vec<Error>,
    /// Lint warnings (only when the policy loads).
    pub warnings: Vec<Warning>,
}

impl Validation {
    /// The validation as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Validates and lints policy text, with optional attestors text (one attestor, a list, or
/// `{"attestors": [...]}`). Attestor errors have paths starting with `/attestors`.
///
/// A GKE platform policy (a document with `gkePolicy`) is validated and linted as one
/// (`attestors_text` does not apply to it).
pub fn validate_policy(policy_text: &str, attestors_text: Option<&str>) -> Validation {
    let limits = Limits::DEFAULT;
    if let Ok(value) = document::parse(policy_text, &limits)
        && value.get("gkePolicy").is_some()
    {
        return super::lint_platform::validate_platform(policy_text, value, &limits);
    }
    let result = Policy::from_text_with_limits(policy_text, &limits).and_then(|policy| {
        let attestors = match attestors_text {
            Some(text) => {
                let value: Value = document::parse(text, &limits)
                    .map_err(|e| e.about(Subject::Attestors).within("/attestors"))?;
                crate::verify::attestor::attestors_from_value(value, &limits)
                    .map_err(|e| e.about(Subject::Attestors).within("/attestors"))?
            }
            None => Vec::new(),
        };
        Ok((policy, attestors))
    });
    match result {
        Ok((policy, attestors)) => Validation {
            ok: true,
            errors: Vec::new(),
            warnings: lint(&policy, &attestors),
        },
        Err(e) => Validation {
            ok: false,
            errors: vec![e],
            warnings: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        let v = validate_policy(text, None);
        assert!(v.ok, "{}", v.to_json());
        v.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.path.clone()))
            .collect()
    }

    const DEFAULT_DENY: &str = "globalPolicyEvaluationMode: ENABLE\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";

    #[test]
    fn clean_policy_has_no_warnings() {
        assert!(codes(DEFAULT_DENY).is_empty());
    }

    #[test]
    fn each_mistake_is_found() {
        let p = format!(
            "{DEFAULT_DENY}admissionWhitelistPatterns:\n- namePattern: gcr.io/my-project**\n- namePattern: gcr.io/p/app:1.0\n- namePattern: docker.io/library/redis*\n"
        );
        assert_eq!(
            codes(&p),
            vec![
                (
                    "PATTERN_COVERS_LOOKALIKES",
                    "/admissionWhitelistPatterns/0/namePattern".into()
                ),
                (
                    "PATTERN_PINNED_BY_TAG",
                    "/admissionWhitelistPatterns/1/namePattern".into()
                ),
                (
                    "PATTERN_MISSES_SHORT_NAMES",
                    "/admissionWhitelistPatterns/2/namePattern".into()
                ),
            ]
        );
        let p = format!(
            "{DEFAULT_DENY}kubernetesNamespaceAdmissionRules:\n  dev:\n    evaluationMode: ALWAYS_ALLOW\n    enforcementMode: DRYRUN_AUDIT_LOG_ONLY\nclusterAdmissionRules:\n  us-east1.c:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        );
        assert_eq!(
            codes(&p),
            vec![
                (
                    "RULE_WEAKER_THAN_DEFAULT",
                    "/kubernetesNamespaceAdmissionRules/dev/evaluationMode".into()
                ),
                (
                    "DRY_RUN_RULE",
                    "/kubernetesNamespaceAdmissionRules/dev/enforcementMode".into()
                ),
                ("SEVERAL_RULE_MAPS", "/clusterAdmissionRules".into()),
            ]
        );
        let unspecified = DEFAULT_DENY.replace("globalPolicyEvaluationMode: ENABLE\n", "");
        assert_eq!(
            codes(&unspecified),
            vec![(
                "GLOBAL_POLICY_MODE_UNSPECIFIED",
                "/globalPolicyEvaluationMode".into()
            )]
        );
    }

    #[test]
    fn invalid_policy_is_an_error() {
        let v = validate_policy("defaultAdmissionRule: {}", None);
        assert!(!v.ok);
        assert_eq!(v.errors[0].code(), crate::ErrorCode::PolicyMissingField);
        assert!(
            v.to_json()
                .starts_with(r#"{"ok":false,"errors":[{"code":"POLICY_MISSING_FIELD""#)
        );
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in WarningCode::ALL {
            assert!(seen.insert(c.as_str()));
            assert!(!c.description().is_empty());
        }
    }
}
