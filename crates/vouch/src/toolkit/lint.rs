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
    /// `--platform cloud-run` only. A cluster, namespace, service-account or Istio-identity rule (one warning each, at the rule) has no effect on Cloud Run, which applies only the default rule, the allowlist and the system policy (decision R-3, semantics §9.2): a service is decided by the default rule whatever the rule says. Fix: require what the service needs in the default rule; keep the rule only for the GKE clusters the policy also serves. Under Cloud Run the GKE-only warnings about these rules (`RULE_WEAKER_THAN_DEFAULT`, `DRY_RUN_RULE`, `SEVERAL_RULE_MAPS`, the attestor checks of their attestors) are not given, and `GLOBAL_POLICY_MODE_UNSPECIFIED` counts the default rule only.
    CloudRunRuleIgnored = "CLOUD_RUN_RULE_IGNORED",
    /// `--platform cloud-run` only. The default rule is `REQUIRE_ATTESTATION` (enforced or dry run) and the allowlist does not exempt the images `gcloud run deploy --source` (and Cloud Run functions) build, `REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/…`, which nothing attests: every source deploy is denied (semantics §9.4). Exempt means: for some region, the allowlist (any of its patterns, by the allowlist matcher) matches every image of that repository — a service's image as built, tagged, by digest, and a deeper path, for two services — of the policy's project (from `name: projects/PROJECT/policy`; any project when the name is absent or a project number). So `…/cloud-run-source-deploy/**` exempts, `…/cloud-run-source-deploy/*` (one level only), another project's repository or a literal `REGION-…` do not. Path: `/defaultAdmissionRule/evaluationMode`; the message gives the pattern to add. `ALWAYS_DENY` is not reported: it denies source deploys like every other image not allowlisted, on purpose.
    CloudRunSourceDeployNotExempt = "CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT",
    /// `--platform cloud-run` only. The document is a GKE platform policy (`gkePolicy`): Cloud Run never applies it (a service uses the project policy with `--binary-authorization=default`, or a Cloud Run platform policy). Fix: lint the project policy (or the Cloud Run platform policy) for Cloud Run. The platform policy's own warnings follow.
    CloudRunGkePolicyNotApplied = "CLOUD_RUN_GKE_POLICY_NOT_APPLIED",
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

/// The platform a project policy is linted for (`vouch policy lint --platform`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LintPlatform {
    /// GKE (and Distributed Cloud): every rule of the policy can apply. The default.
    #[default]
    Gke,
    /// Cloud Run with `--binary-authorization=default`: only the default rule, the allowlist
    /// and the system policy apply (decision R-3). Adds the `CLOUD_RUN_*` warnings and leaves
    /// out the GKE-only warnings about the rules Cloud Run ignores (docs/lint.md).
    CloudRun,
}

impl LintPlatform {
    /// Every platform, in documentation order.
    pub const ALL: &'static [LintPlatform] = &[LintPlatform::Gke, LintPlatform::CloudRun];

    /// The name as written on the command line and in the bindings: `gke`, `cloud-run`.
    pub const fn as_str(self) -> &'static str {
        match self {
            LintPlatform::Gke => "gke",
            LintPlatform::CloudRun => "cloud-run",
        }
    }

    /// The platform named `gke` or `cloud-run` (exactly), if any.
    pub fn from_name(name: &str) -> Option<LintPlatform> {
        LintPlatform::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == name)
    }
}

impl std::fmt::Display for LintPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to lint: the default is what [`lint`] and [`validate_policy`] do (GKE).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LintOptions {
    /// The platform the policy is linted for.
    pub platform: LintPlatform,
}

impl LintOptions {
    /// Options linting for `platform`.
    pub const fn for_platform(platform: LintPlatform) -> LintOptions {
        LintOptions { platform }
    }
}

/// Lints a loaded policy for GKE; `attestors` (optional) enables the attestor checks. Warnings
/// are in document order: global mode, allowlist, rules (default, then each map in field order,
/// keys sorted), then attestors. The same as [`lint_with`] and the default [`LintOptions`].
pub fn lint(policy: &Policy, attestors: &[Attestor]) -> Vec<Warning> {
    lint_with(policy, attestors, &LintOptions::default())
}

/// Lints a loaded policy for a platform; `attestors` (optional) enables the attestor checks.
///
/// For Cloud Run the policy is linted as Cloud Run applies it (decision R-3): the cluster,
/// namespace, service-account and identity rules get one `CLOUD_RUN_RULE_IGNORED` each and
/// none of the GKE warnings about them; a default rule requiring attestations without the
/// source-deploy exemption gets `CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT`. Order: global mode,
/// allowlist, default rule, source-deploy exemption, ignored rules (in [`Policy::rules`]
/// order), attestors.
pub fn lint_with(policy: &Policy, attestors: &[Attestor], options: &LintOptions) -> Vec<Warning> {
    let cloud_run = options.platform == LintPlatform::CloudRun;
    let doc = policy.document();
    let mut out = Vec::new();
    let all_maps: [(RuleKind, &BTreeMap<String, AdmissionRuleDocument>); 4] = [
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
    // The rule maps the platform applies: none on Cloud Run (R-3).
    let maps: &[(RuleKind, &BTreeMap<String, AdmissionRuleDocument>)] =
        if cloud_run { &[] } else { &all_maps };
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
        let message = if cloud_run {
            "`globalPolicyEvaluationMode` is not set, which means DISABLE: the Google-maintained images of the system policy are not exempt and must be allowlisted by hand"
        } else {
            "`globalPolicyEvaluationMode` is not set, which means DISABLE: GKE system images must be allowlisted by hand"
        };
        out.push(warn(
            WarningCode::GlobalPolicyModeUnspecified,
            "/globalPolicyEvaluationMode".into(),
            message.into(),
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
        for (key, rule) in *map {
            let path = join(&join("", kind.field()), key);
            lint_rule(rule, path, Some((*kind, key, default_mode)), &mut out);
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
    if cloud_run {
        lint_cloud_run(policy, &mut out);
    }
    lint_attestors(policy, attestors, cloud_run, &mut out);
    out
}

/// The Artifact Registry repository `gcloud run deploy --source` builds into (semantics §9.4).
const SOURCE_DEPLOY_REPOSITORY: &str = "cloud-run-source-deploy";

/// The Cloud Run warnings: the source-deploy exemption, then each rule Cloud Run ignores.
fn lint_cloud_run(policy: &Policy, out: &mut Vec<Warning>) {
    let default_rule = policy.default_rule();
    if default_rule.evaluation_mode == EvaluationMode::RequireAttestation {
        let project = policy_project(policy);
        if !source_deploys_exempt(policy, project) {
            let pattern = format!(
                "REGION-docker.pkg.dev/{}/{SOURCE_DEPLOY_REPOSITORY}/**",
                project.unwrap_or("PROJECT")
            );
            let other = if project.is_some() && source_deploys_exempt(policy, None) {
                " (the allowlist exempts another project's source deploys only)"
            } else {
                ""
            };
            out.push(warn(
                WarningCode::CloudRunSourceDeployNotExempt,
                "/defaultAdmissionRule/evaluationMode".into(),
                format!(
                    "the default rule requires attestations and no allowlist pattern exempts the images Cloud Run source deploys build{other}: every `gcloud run deploy --source` is denied; add `{pattern}` to `admissionWhitelistPatterns`"
                ),
                format!(
                    "add `- namePattern: {pattern}` to `admissionWhitelistPatterns`, with REGION each region you deploy from source to (e.g. `us-central1`)"
                ),
            ));
        }
    }
    for rule in policy.rules_ignored_on_cloud_run() {
        let key = rule.key.as_deref().unwrap_or_default();
        out.push(warn(
            WarningCode::CloudRunRuleIgnored,
            join(&join("", rule.kind.field()), key),
            format!(
                "the {} for `{key}` has no effect on Cloud Run, which applies only the default rule, the allowlist and the system policy",
                rule.kind.description()
            ),
            "require what Cloud Run services need in the default rule; keep this rule only for the GKE clusters the policy also serves",
        ));
    }
}

/// The project of `name: projects/PROJECT/policy`; `None` when absent, not of that form, or
/// a project number (image paths name the project ID, which a number does not give).
fn policy_project(policy: &Policy) -> Option<&str> {
    let rest = policy
        .document()
        .name
        .as_deref()?
        .strip_prefix("projects/")?;
    // `projects/P/policy`, or a Cloud Run platform policy's `projects/P/platforms/cloudRun/…`.
    let project = rest
        .strip_suffix("/policy")
        .or_else(|| rest.split_once("/platforms/cloudRun/").map(|(p, _)| p))?;
    let valid = !project.is_empty()
        && !project.contains('/')
        && !project.bytes().all(|b| b.is_ascii_digit());
    valid.then_some(project)
}

/// Whether the allowlist exempts the source-deploy repository of `project` (`None`: of any
/// project an allowlist pattern names) in at least one region. Candidate regions and projects
/// come from the patterns themselves (`REGION-docker.pkg.dev/PROJECT/…`); the judgement is the
/// allowlist matcher's on [`source_deploy_images`].
fn source_deploys_exempt(policy: &Policy, project: Option<&str>) -> bool {
    let allowlist = policy.allowlist();
    allowlist.patterns().iter().any(|pattern| {
        let Some((region, named)) = source_deploy_candidate(pattern) else {
            return false;
        };
        source_deploy_images(region, project.unwrap_or(named))
            .iter()
            .all(|image| allowlist.first_match(image).is_some())
    })
}

/// The region and project a pattern's literal part names, when its registry is a regional
/// Artifact Registry host (`REGION-docker.pkg.dev`, REGION lowercase letters, digits and
/// hyphens, starting with a letter). The project is the literal text of the second segment
/// (`project` when the pattern stops before it).
fn source_deploy_candidate(pattern: &Pattern) -> Option<(&str, &str)> {
    let mut segments = pattern.prefix().splitn(3, '/');
    let region = segments.next()?.strip_suffix("-docker.pkg.dev")?;
    let valid = region
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        return None;
    }
    let project = segments
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or("project");
    Some((region, project))
}

/// Images a source deploy of `project` in `region` can have: for two services (names with no
/// common prefix), the image as built, tagged, by digest, and a deeper path (Google's
/// instruction is to exempt the whole repository, `…/**`).
fn source_deploy_images(region: &str, project: &str) -> Vec<String> {
    const DIGEST: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    let repository = format!("{region}-docker.pkg.dev/{project}/{SOURCE_DEPLOY_REPOSITORY}");
    ["a", "z"]
        .iter()
        .flat_map(|service| {
            [
                format!("{repository}/{service}"),
                format!("{repository}/{service}:latest"),
                format!("{repository}/{service}@{DIGEST}"),
                format!("{repository}/{service}/image@{DIGEST}"),
            ]
        })
        .collect()
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

/// The attestor checks, for the attestors of the rules the platform applies (on Cloud Run,
/// the default rule's).
fn lint_attestors(
    policy: &Policy,
    attestors: &[Attestor],
    cloud_run: bool,
    out: &mut Vec<Warning>,
) {
    if attestors.is_empty() {
        return;
    }
    let mut seen = std::collections::BTreeSet::new();
    let applied = policy
        .rules()
        .filter(|r| !cloud_run || r.kind == RuleKind::Default);
    for rule in applied {
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

/// Validates and lints policy text for GKE, with optional attestors text (one attestor, a list,
/// or `{"attestors": [...]}`). Attestor errors have paths starting with `/attestors`.
///
/// A GKE platform policy (a document with `gkePolicy`) is validated and linted as one
/// (`attestors_text` does not apply to it). The same as [`validate_policy_with`] and the
/// default [`LintOptions`].
pub fn validate_policy(policy_text: &str, attestors_text: Option<&str>) -> Validation {
    validate_policy_with(policy_text, attestors_text, &LintOptions::default())
}

/// [`validate_policy`] linting for the platform of `options` ([`lint_with`]). For Cloud Run, a
/// GKE platform policy that loads gets `CLOUD_RUN_GKE_POLICY_NOT_APPLIED` first, then its own
/// warnings.
pub fn validate_policy_with(
    policy_text: &str,
    attestors_text: Option<&str>,
    options: &LintOptions,
) -> Validation {
    let limits = Limits::DEFAULT;
    if let Ok(value) = document::parse(policy_text, &limits)
        && value.get("gkePolicy").is_some()
    {
        let mut validation = super::lint_platform::validate_platform(policy_text, value, &limits);
        if options.platform == LintPlatform::CloudRun && validation.ok {
            validation.warnings.insert(
                0,
                warn(
                    WarningCode::CloudRunGkePolicyNotApplied,
                    "/gkePolicy".into(),
                    "this is a GKE platform policy: Cloud Run never applies it (a service uses the project policy with `--binary-authorization=default`, or a Cloud Run platform policy)".into(),
                    "lint the project policy (or the Cloud Run platform policy) for Cloud Run, and this one for GKE",
                ),
            );
        }
        return validation;
    }
    if let Ok(value) = document::parse(policy_text, &limits)
        && value.get("cloudRunPolicy").is_some()
    {
        // A Cloud Run platform policy: linted as Cloud Run applies it, whatever the platform
        // asked for (it applies nowhere else).
        return match crate::policy::CloudRunPolicy::from_text_with_limits(policy_text, &limits) {
            Ok(policy) => Validation {
                ok: true,
                errors: Vec::new(),
                warnings: super::lint_cloud_run::lint_cloud_run_policy(&policy),
            },
            Err(e) => Validation {
                ok: false,
                errors: vec![e],
                warnings: Vec::new(),
            },
        };
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
            warnings: lint_with(&policy, &attestors, options),
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

    fn cloud_run_codes(text: &str) -> Vec<(&'static str, String)> {
        let v = validate_policy_with(
            text,
            None,
            &LintOptions::for_platform(LintPlatform::CloudRun),
        );
        assert!(v.ok, "{}", v.to_json());
        v.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.path.clone()))
            .collect()
    }

    const REQUIRE: &str = "name: projects/my-proj/policy\nglobalPolicyEvaluationMode: ENABLE\ndefaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [projects/my-proj/attestors/ci]\n";

    fn with_patterns(base: &str, patterns: &[&str]) -> String {
        let mut p = format!("{base}admissionWhitelistPatterns:\n");
        for pattern in patterns {
            p.push_str(&format!("- namePattern: {pattern}\n"));
        }
        p
    }

    const NOT_EXEMPT: (&str, &str) = (
        "CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT",
        "/defaultAdmissionRule/evaluationMode",
    );

    #[test]
    fn platform_names() {
        for p in LintPlatform::ALL {
            assert_eq!(LintPlatform::from_name(p.as_str()), Some(*p));
        }
        assert_eq!(LintPlatform::default(), LintPlatform::Gke);
        assert_eq!(LintPlatform::from_name("cloudRun"), None);
        assert_eq!(LintPlatform::from_name("Cloud-Run"), None);
    }

    #[test]
    fn cloud_run_exemption_present_is_clean() {
        let ok = with_patterns(
            REQUIRE,
            &["us-central1-docker.pkg.dev/my-proj/cloud-run-source-deploy/**"],
        );
        assert!(cloud_run_codes(&ok).is_empty());
        // Several patterns that together cover the repository count too.
        let split = with_patterns(
            REQUIRE,
            &[
                "europe-west1-docker.pkg.dev/my-proj/cloud-run-source-deploy/*",
                "europe-west1-docker.pkg.dev/my-proj/cloud-run-source-deploy/a/**",
                "europe-west1-docker.pkg.dev/my-proj/cloud-run-source-deploy/z/**",
            ],
        );
        assert!(cloud_run_codes(&split).is_empty());
        // A broader pattern exempts the repository as well (and is linted on its own).
        let broad = with_patterns(REQUIRE, &["us-docker.pkg.dev/my-proj/**"]);
        assert!(cloud_run_codes(&broad).is_empty());
    }

    #[test]
    fn cloud_run_exemption_missing_or_lookalike() {
        assert_eq!(
            cloud_run_codes(REQUIRE),
            vec![(NOT_EXEMPT.0, NOT_EXEMPT.1.into())]
        );
        for lookalike in [
            // one level only
            "us-central1-docker.pkg.dev/my-proj/cloud-run-source-deploy/*",
            // the repository itself, no image
            "us-central1-docker.pkg.dev/my-proj/cloud-run-source-deploy",
            // the placeholder written as is
            "REGION-docker.pkg.dev/my-proj/cloud-run-source-deploy/**",
            // no region
            "docker.pkg.dev/my-proj/cloud-run-source-deploy/**",
            // another repository
            "us-central1-docker.pkg.dev/my-proj/cloud-run-source-deploy-x/**",
            // one service only
            "us-central1-docker.pkg.dev/my-proj/cloud-run-source-deploy/a**",
            // not a regional Artifact Registry host
            "evil.us-central1-docker.pkg.dev.example/my-proj/cloud-run-source-deploy/**",
        ] {
            let codes = cloud_run_codes(&with_patterns(REQUIRE, &[lookalike]));
            assert!(
                codes.contains(&(NOT_EXEMPT.0, NOT_EXEMPT.1.into())),
                "{lookalike}: {codes:?}"
            );
        }
    }

    #[test]
    fn cloud_run_exemption_of_another_project() {
        let other = with_patterns(
            REQUIRE,
            &["us-central1-docker.pkg.dev/other-proj/cloud-run-source-deploy/**"],
        );
        let v = validate_policy_with(
            &other,
            None,
            &LintOptions::for_platform(LintPlatform::CloudRun),
        );
        assert_eq!(v.warnings.len(), 1);
        let w = &v.warnings[0];
        assert_eq!(w.code, WarningCode::CloudRunSourceDeployNotExempt);
        assert!(w.message.contains("another project"), "{}", w.message);
        assert!(
            w.message
                .contains("`REGION-docker.pkg.dev/my-proj/cloud-run-source-deploy/**`"),
            "{}",
            w.message
        );
        // Without a name (or with a project number) any project's exemption counts.
        for name in ["", "name: projects/123456789/policy\n"] {
            let unnamed = other.replace("name: projects/my-proj/policy\n", name);
            assert!(cloud_run_codes(&unnamed).is_empty(), "{name}");
            let bare = REQUIRE.replace("name: projects/my-proj/policy\n", name);
            let v = validate_policy_with(
                &bare,
                None,
                &LintOptions::for_platform(LintPlatform::CloudRun),
            );
            assert!(
                v.warnings[0]
                    .message
                    .contains("`REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/**`")
            );
        }
    }

    #[test]
    fn cloud_run_source_deploy_only_under_require_attestation() {
        let bare = REQUIRE.replace(
            "  requireAttestationsBy: [projects/my-proj/attestors/ci]\n",
            "",
        );
        let deny = bare.replace("REQUIRE_ATTESTATION", "ALWAYS_DENY");
        assert!(cloud_run_codes(&deny).is_empty());
        let allow = bare.replace("REQUIRE_ATTESTATION", "ALWAYS_ALLOW");
        assert!(cloud_run_codes(&allow).is_empty());
        let dry = REQUIRE.replace("ENFORCED_BLOCK_AND_AUDIT_LOG", "DRYRUN_AUDIT_LOG_ONLY");
        assert_eq!(
            cloud_run_codes(&dry),
            vec![
                (
                    "DRY_RUN_RULE",
                    "/defaultAdmissionRule/enforcementMode".into()
                ),
                (NOT_EXEMPT.0, NOT_EXEMPT.1.into()),
            ]
        );
    }

    #[test]
    fn cloud_run_ignores_specific_rules() {
        let p = format!(
            "{DEFAULT_DENY}kubernetesNamespaceAdmissionRules:\n  dev:\n    evaluationMode: ALWAYS_ALLOW\n    enforcementMode: DRYRUN_AUDIT_LOG_ONLY\nclusterAdmissionRules:\n  us-east1.c:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nistioServiceIdentityAdmissionRules:\n  spiffe://p.svc.id.goog/ns/a/sa/b:\n    evaluationMode: ALWAYS_ALLOW\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        );
        assert_eq!(
            cloud_run_codes(&p),
            vec![
                (
                    "CLOUD_RUN_RULE_IGNORED",
                    "/clusterAdmissionRules/us-east1.c".into()
                ),
                (
                    "CLOUD_RUN_RULE_IGNORED",
                    "/kubernetesNamespaceAdmissionRules/dev".into()
                ),
                (
                    "CLOUD_RUN_RULE_IGNORED",
                    "/istioServiceIdentityAdmissionRules/spiffe:~1~1p.svc.id.goog~1ns~1a~1sa~1b"
                        .into()
                ),
            ]
        );
        // The same policy for GKE: the GKE warnings, no Cloud Run one.
        assert!(codes(&p).iter().all(|(c, _)| !c.starts_with("CLOUD_RUN_")));
        assert_eq!(codes(&p).len(), 4);
        // The global mode counts the default rule only on Cloud Run.
        let allow_default = p
            .replace("globalPolicyEvaluationMode: ENABLE\n", "")
            .replacen(
                "evaluationMode: ALWAYS_DENY",
                "evaluationMode: ALWAYS_ALLOW",
                1,
            );
        assert_eq!(codes(&allow_default)[0].0, "GLOBAL_POLICY_MODE_UNSPECIFIED");
        assert!(
            cloud_run_codes(&allow_default)
                .iter()
                .all(|(c, _)| *c == "CLOUD_RUN_RULE_IGNORED")
        );
    }

    #[test]
    fn cloud_run_example_policy() {
        let text = include_str!("../../../../examples/cloud-run/policy.yaml");
        // Clean but for the cluster rule the example keeps on purpose (it shows ignoredRules).
        assert_eq!(
            cloud_run_codes(text),
            vec![(
                "CLOUD_RUN_RULE_IGNORED",
                "/clusterAdmissionRules/us-central1-a.prod-cluster".into()
            )]
        );
    }

    #[test]
    fn cloud_run_attestor_checks_follow_the_default_rule() {
        let attestor = r#"{"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/a"}}"#;
        let p = format!(
            "{DEFAULT_DENY}clusterAdmissionRules:\n  us-east1.c:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n    requireAttestationsBy: [projects/p/attestors/a]\n"
        );
        let gke = validate_policy(&p, Some(attestor));
        assert!(
            gke.warnings
                .iter()
                .any(|w| w.code == WarningCode::AttestorWithoutKeys),
            "{}",
            gke.to_json()
        );
        let run = validate_policy_with(
            &p,
            Some(attestor),
            &LintOptions::for_platform(LintPlatform::CloudRun),
        );
        let got: Vec<_> = run.warnings.iter().map(|w| w.code).collect();
        assert_eq!(got, vec![WarningCode::CloudRunRuleIgnored]);
    }

    #[test]
    fn cloud_run_gke_platform_policy() {
        let text = "gkePolicy:\n  checkSets:\n  - checks:\n    - alwaysDeny: true\n";
        let gke = validate_policy(text, None);
        assert!(gke.ok, "{}", gke.to_json());
        let run = validate_policy_with(
            text,
            None,
            &LintOptions::for_platform(LintPlatform::CloudRun),
        );
        assert_eq!(
            run.warnings[0].code,
            WarningCode::CloudRunGkePolicyNotApplied
        );
        assert_eq!(run.warnings[0].path, "/gkePolicy");
        assert_eq!(&run.warnings[1..], &gke.warnings[..]);
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
