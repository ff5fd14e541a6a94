//! The linter for GKE platform policies: valid policies that probably do not do what their
//! authors meant, and the fix for documents that write a list where one message belongs.
//!
//! What validation already refuses is not repeated here: a check set that could never be
//! selected because an earlier one covers its scope is an error (one set per scope, the
//! default set last, service-account sets before their namespace's set), so every set of a
//! valid policy is reachable. Paths point into the document as written.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::lint::{Validation, Warning, WarningCode, warn};
use crate::error::{ErrorCode, join, join_index};
use crate::limits::Limits;
use crate::policy::platform::load::{Ctx, canonicalize};
use crate::policy::platform::{Allowlist, CheckKind, PlatformPolicy};

/// Most list-for-message repairs tried on one document.
const MAX_REPAIRS: usize = 64;

/// Validates and lints a platform policy (`value` is `text` parsed).
pub(super) fn validate_platform(text: &str, value: Value, limits: &Limits) -> Validation {
    match PlatformPolicy::from_text_with_limits(text, limits) {
        Ok(policy) => Validation {
            ok: true,
            errors: Vec::new(),
            warnings: lint_loaded(&policy, &value),
        },
        Err(error) if error.code() == ErrorCode::PlatformListForMessage => {
            // Write each list as the message it should be, and lint the result.
            let mut fixed = value;
            let mut warnings = Vec::new();
            for _ in 0..MAX_REPAIRS {
                let Err(e) = canonicalize(&fixed) else {
                    break;
                };
                if e.code() != ErrorCode::PlatformListForMessage {
                    break;
                }
                let Some(slot) = fixed.pointer_mut(e.path()) else {
                    break;
                };
                let Some(merged) = merge_items(slot) else {
                    break;
                };
                let key = e.path().rsplit('/').next().unwrap_or_default().to_owned();
                let shown = serde_json::to_string(&merged).unwrap_or_default();
                *slot = merged;
                warnings.push(warn(
                    WarningCode::PlatformListForMessage,
                    e.path().to_owned(),
                    format!("`{key}` is written as a list, but it is one message: gcloud and vouch refuse the document"),
                    format!("write `{key}: {shown}`"),
                ));
            }
            if let Ok(policy) = PlatformPolicy::from_value(fixed.clone(), limits) {
                warnings.extend(lint_loaded(&policy, &fixed));
            }
            Validation {
                ok: false,
                errors: vec![error],
                warnings,
            }
        }
        Err(error) => Validation {
            ok: false,
            errors: vec![error],
            warnings: Vec::new(),
        },
    }
}

/// One map from a list of maps: a key given twice becomes a list of both values.
fn merge_items(list: &Value) -> Option<Value> {
    let Value::Array(items) = list else {
        return None;
    };
    let mut merged = Map::new();
    for item in items {
        let Value::Object(fields) = item else {
            return None;
        };
        for (k, v) in fields {
            match merged.remove(k) {
                None => {
                    merged.insert(k.clone(), v.clone());
                }
                Some(Value::Array(mut existing)) => {
                    match v {
                        Value::Array(more) => existing.extend(more.iter().cloned()),
                        other => existing.push(other.clone()),
                    }
                    merged.insert(k.clone(), Value::Array(existing));
                }
                Some(first) => {
                    let mut both = vec![first];
                    match v {
                        Value::Array(more) => both.extend(more.iter().cloned()),
                        other => both.push(other.clone()),
                    }
                    merged.insert(k.clone(), Value::Array(both));
                }
            }
        }
    }
    Some(Value::Object(merged))
}

/// The warnings of a loaded policy (`value`: the document it was loaded from).
fn lint_loaded(policy: &PlatformPolicy, value: &Value) -> Vec<Warning> {
    let Ok((_, ctx)) = canonicalize(value) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let canonical = policy.canonical();
    let empty = Map::new();
    let gke = canonical
        .get("gkePolicy")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let policy_patterns = allow_patterns(gke);
    lint_allowlist(
        &policy.allowlist,
        "/gkePolicy/imageAllowlist",
        "the policy",
        &ctx,
        &mut out,
    );
    let sets = gke
        .get("checkSets")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, (set, set_doc)) in policy.check_sets.iter().zip(sets).enumerate() {
        let set_path = join_index("/gkePolicy/checkSets", i);
        let set_doc = set_doc.as_object().unwrap_or(&empty);
        let set_patterns = allow_patterns(set_doc);
        if let Some(allowlist) = &set.allowlist {
            let path = join(&set_path, "imageAllowlist");
            lint_allowlist(allowlist, &path, "the check set", &ctx, &mut out);
            if set_patterns.is_some() && set_patterns == policy_patterns {
                out.push(warn(
                    WarningCode::PlatformRedundantAllowlist,
                    ctx.orig(&path),
                    "this check set's allowlist is the policy's: the policy already exempts those images from every check set".into(),
                    "remove it, or list the images only this check set exempts",
                ));
            }
        }
        if set.checks.is_empty() {
            out.push(warn(
                WarningCode::PlatformSetWithoutChecks,
                ctx.orig(&set_path),
                "this check set has no checks: every image it is selected for conforms".into(),
                "add checks, or `alwaysDeny: true` if nothing should run there",
            ));
        }
        let check_docs = set_doc
            .get("checks")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        // Each check once as canonical JSON text (sorted keys): linear in the policy's size.
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (j, (check, check_doc)) in set.checks.iter().zip(check_docs).enumerate() {
            let path = join_index(&join(&set_path, "checks"), j);
            let check_map = check_doc.as_object().unwrap_or(&empty);
            let mut key = check_map.clone();
            key.remove("displayName");
            let key = Value::Object(key).to_string();
            if !seen.insert(key) {
                out.push(warn(
                    WarningCode::PlatformDuplicateCheck,
                    ctx.orig(&path),
                    "this check repeats an earlier check of its set (same kind, settings and allowlist)".into(),
                    "remove it",
                ));
            }
            if let Some(allowlist) = &check.allowlist {
                let al_path = join(&path, "imageAllowlist");
                lint_allowlist(allowlist, &al_path, "the check", &ctx, &mut out);
                let patterns = allow_patterns(check_map);
                if patterns.is_some() && (patterns == set_patterns || patterns == policy_patterns) {
                    let outer = if patterns == set_patterns {
                        "its check set's"
                    } else {
                        "the policy's"
                    };
                    out.push(warn(
                        WarningCode::PlatformRedundantAllowlist,
                        ctx.orig(&al_path),
                        format!(
                            "this check's allowlist is {outer}: those images never reach the check"
                        ),
                        "remove it, or list the images only this check exempts",
                    ));
                }
            }
            lint_check(&check.kind, check_map, &path, &ctx, &mut out);
        }
    }
    out
}

/// The allowlist patterns of a message holding `imageAllowlist`, as a set.
fn allow_patterns(m: &Map<String, Value>) -> Option<BTreeSet<&str>> {
    let allowlist = m.get("imageAllowlist")?.as_object()?;
    Some(
        allowlist
            .get("allowPattern")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(Value::as_str)
            .collect(),
    )
}

fn lint_allowlist(
    allowlist: &Allowlist,
    cpath: &str,
    level: &str,
    ctx: &Ctx,
    out: &mut Vec<Warning>,
) {
    let base = join(cpath, "allowPattern");
    for (i, pattern) in allowlist.patterns.iter().enumerate() {
        let path = ctx.orig(&join_index(&base, i));
        let text = pattern.as_str();
        if pattern.is_registry_wide() {
            out.push(warn(
                WarningCode::PlatformAllowlistCoversRegistry,
                path.clone(),
                format!("`{text}` exempts every image of a whole registry from {level}'s checks"),
                "list the repositories to exempt (`REGISTRY/PROJECT/REPO/**`) instead",
            ));
        }
        if pattern.pins_tag() {
            out.push(warn(
                WarningCode::PatternPinnedByTag,
                path.clone(),
                format!("`{text}` trusts a tag; tags can be moved to other content"),
                "allowlist by digest (`IMAGE@sha256:…`), or check the image instead",
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
}

fn lint_check(
    kind: &CheckKind,
    check: &Map<String, Value>,
    cpath: &str,
    ctx: &Ctx,
    out: &mut Vec<Warning>,
) {
    let empty = Map::new();
    match kind {
        CheckKind::SimpleSigningAttestation { projects, .. } if projects.is_empty() => {
            out.push(warn(
                WarningCode::PlatformCheckNeverPasses,
                ctx.orig(&join(cpath, "simpleSigningAttestationCheck")),
                "this attestation check lists no `containerAnalysisAttestationProjects`: it reads no attestation, so it never passes".into(),
                "list the projects that store the attestations (`projects/PROJECT_ID`)",
            ));
        }
        CheckKind::TrustedDirectory { patterns } => {
            let base = join(&join(cpath, "trustedDirectoryCheck"), "trustedDirPatterns");
            for (i, pattern) in patterns.iter().enumerate() {
                if pattern.covers_other_projects() {
                    out.push(warn(
                        WarningCode::PlatformDirectoryCoversOtherProjects,
                        ctx.orig(&join_index(&base, i)),
                        format!(
                            "`{}` trusts the directories of every project (or owner) whose name matches: on a shared registry anyone can create one",
                            pattern.as_str()
                        ),
                        "name the project: `REGISTRY/PROJECT/…` (a wildcard only after it)",
                    ));
                }
            }
        }
        CheckKind::Slsa { rules } => {
            let slsa_path = join(cpath, "slsaCheck");
            if rules.is_empty() {
                out.push(warn(
                    WarningCode::PlatformCheckNeverPasses,
                    ctx.orig(&slsa_path),
                    "this SLSA check has no rules: it never passes".into(),
                    "add a rule (`trustedBuilder: GOOGLE_CLOUD_BUILD`, `attestationSource`)",
                ));
            }
            for (i, rule) in rules.iter().enumerate() {
                let rule_path = join_index(&join(&slsa_path, "rules"), i);
                if rule.projects.is_empty() {
                    out.push(warn(
                        WarningCode::PlatformCheckNeverPasses,
                        ctx.orig(&rule_path),
                        "this SLSA rule lists no `attestationSource` projects: it reads no provenance, so it is never satisfied".into(),
                        "set `attestationSource: {containerAnalysisAttestationProjects: [projects/PROJECT_ID]}`",
                    ));
                }
                if rule.custom_constraints.is_some() {
                    out.push(warn(
                        WarningCode::PlatformCheckAlwaysErrors,
                        ctx.orig(&join(&rule_path, "customConstraints")),
                        "`customConstraints` (CEL) has no documented variables, so vouch does not evaluate it: this rule is ERROR, never satisfied".into(),
                        "remove `customConstraints`, or expect ERROR from vouch for this rule",
                    ));
                }
            }
        }
        CheckKind::Vulnerability(v) => {
            let vpath = join(cpath, "vulnerabilityCheck");
            if v.projects.is_empty() {
                out.push(warn(
                    WarningCode::PlatformCheckAlwaysErrors,
                    ctx.orig(&vpath),
                    "this vulnerability check lists no `containerAnalysisVulnerabilityProjects`: it finds no scan, so it is always ERROR".into(),
                    "list the projects that hold the scans (`projects/PROJECT_ID`)",
                ));
            }
            let body = check
                .get("vulnerabilityCheck")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            let blocked = body
                .get("blockedCves")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            for (i, cve) in blocked.iter().enumerate() {
                if cve.as_str().is_some_and(|c| v.allowed_cves.contains(c)) {
                    out.push(warn(
                        WarningCode::PlatformCveAllowedAndBlocked,
                        ctx.orig(&join_index(&join(&vpath, "blockedCves"), i)),
                        format!(
                            "{} is in both `allowedCves` and `blockedCves`: allowed wins, so it is not blocked",
                            cve.as_str().unwrap_or_default()
                        ),
                        "remove it from one of the lists",
                    ));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::lint::validate_policy;

    fn codes(text: &str) -> (bool, Vec<(&'static str, String)>) {
        let v = validate_policy(text, None);
        (
            v.ok,
            v.warnings
                .iter()
                .map(|w| (w.code.as_str(), w.path.clone()))
                .collect(),
        )
    }

    #[test]
    fn clean_platform_policy() {
        let (ok, warnings) = codes(
            "gkePolicy:\n  checkSets:\n  - checks:\n    - trustedDirectoryCheck:\n        trustedDirPatterns: gcr.io/my-project/images\n",
        );
        assert!(ok);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn each_platform_mistake_is_found() {
        let text = r#"{"gkePolicy": {
          "imageAllowlist": {"allowPattern": ["gcr.io/**", "docker.io/library/redis", "gcr.io/p/tool:v1"]},
          "checkSets": [
            {"scope": {"kubernetesNamespace": "dev"}},
            {"imageAllowlist": {"allowPattern": "gcr.io/p/base/**"}, "checks": [
              {"alwaysDeny": true, "displayName": "a"},
              {"alwaysDeny": true, "displayName": "b"},
              {"imageAllowlist": {"allowPattern": ["gcr.io/p/base/**"]},
               "simpleSigningAttestationCheck": {"attestationAuthenticators": {"pkixPublicKeySet": {"pkixPublicKeys": {
                 "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5KhHAibIDCyKiNVO1Zuk3ySKfGv5\nJqhqLkvr/JXzEnOBMviZoHuuoD3ZkUafGz2zbNjOLrmZs6TSayH7EJLJjA==\n-----END PUBLIC KEY-----\n",
                 "signatureAlgorithm": "ECDSA_P256_SHA256"}}}}},
              {"slsaCheck": {"rules": [{"trustedBuilder": "GOOGLE_CLOUD_BUILD", "customConstraints": "true"}]}},
              {"vulnerabilityCheck": {"maximumFixableSeverity": "LOW", "maximumUnfixableSeverity": "LOW",
                "allowedCves": "CVE-1", "blockedCves": ["CVE-2", "CVE-1"]}}
            ]}
          ]}}"#;
        let (ok, warnings) = codes(text);
        assert!(ok);
        let s = "/gkePolicy/checkSets/1";
        assert_eq!(
            warnings,
            vec![
                (
                    "PLATFORM_ALLOWLIST_COVERS_REGISTRY",
                    "/gkePolicy/imageAllowlist/allowPattern/0".into()
                ),
                (
                    "PATTERN_MISSES_SHORT_NAMES",
                    "/gkePolicy/imageAllowlist/allowPattern/1".into()
                ),
                (
                    "PATTERN_PINNED_BY_TAG",
                    "/gkePolicy/imageAllowlist/allowPattern/2".into()
                ),
                (
                    "PLATFORM_SET_WITHOUT_CHECKS",
                    "/gkePolicy/checkSets/0".into()
                ),
                ("PLATFORM_DUPLICATE_CHECK", format!("{s}/checks/1")),
                (
                    "PLATFORM_REDUNDANT_ALLOWLIST",
                    format!("{s}/checks/2/imageAllowlist")
                ),
                (
                    "PLATFORM_CHECK_NEVER_PASSES",
                    format!("{s}/checks/2/simpleSigningAttestationCheck")
                ),
                (
                    "PLATFORM_CHECK_NEVER_PASSES",
                    format!("{s}/checks/3/slsaCheck/rules/0")
                ),
                (
                    "PLATFORM_CHECK_ALWAYS_ERRORS",
                    format!("{s}/checks/3/slsaCheck/rules/0/customConstraints")
                ),
                (
                    "PLATFORM_CHECK_ALWAYS_ERRORS",
                    format!("{s}/checks/4/vulnerabilityCheck")
                ),
                (
                    "PLATFORM_CVE_ALLOWED_AND_BLOCKED",
                    format!("{s}/checks/4/vulnerabilityCheck/blockedCves/1")
                ),
            ]
        );
    }

    #[test]
    fn list_for_message_gets_its_fix() {
        let v = validate_policy(
            "gkePolicy:\n  imageAllowlist:\n  - allowPattern: gcr.io/**\n  checkSets:\n  - checks:\n    - slsaCheck:\n        rules:\n        - trustedBuilder: GOOGLE_CLOUD_BUILD\n          attestationSource:\n          - containerAnalysisAttestationProjects: projects/p\n",
            None,
        );
        assert!(!v.ok);
        assert_eq!(v.errors[0].code(), crate::ErrorCode::PlatformListForMessage);
        let got: Vec<(&str, &str, &str)> = v
            .warnings
            .iter()
            .map(|w| (w.code.as_str(), w.path.as_str(), w.fix.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "PLATFORM_LIST_FOR_MESSAGE",
                    "/gkePolicy/checkSets/0/checks/0/slsaCheck/rules/0/attestationSource",
                    r#"write `attestationSource: {"containerAnalysisAttestationProjects":"projects/p"}`"#
                ),
                (
                    "PLATFORM_LIST_FOR_MESSAGE",
                    "/gkePolicy/imageAllowlist",
                    r#"write `imageAllowlist: {"allowPattern":"gcr.io/**"}`"#
                ),
                (
                    "PLATFORM_ALLOWLIST_COVERS_REGISTRY",
                    "/gkePolicy/imageAllowlist/allowPattern",
                    ""
                ),
            ]
            .into_iter()
            .map(|(c, p, f)| (c, p, if f.is_empty() { "list the repositories to exempt (`REGISTRY/PROJECT/REPO/**`) instead" } else { f }))
            .collect::<Vec<_>>()
        );
    }
}
