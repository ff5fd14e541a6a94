//! The validations of platform-policies §1.4 that span several fields (decision P-2): the
//! default check set is last and unique, one set per scope, service-account sets before their
//! namespace's set, scopes and project names, and the size limits.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::load::Ctx;
use super::{CheckSet, Scope};
use crate::error::{Error, ErrorCode, join, join_index};
use crate::limits::Limits;
use crate::read::names::{valid_namespace, valid_service_account};

/// GCP's limit on every `…Projects` list (platform-policies §1.2).
pub(crate) const MAX_PROJECTS: usize = 10;

/// What a policy has spent of the limits that count over the whole policy.
pub(super) struct Budget<'a> {
    pub(super) limits: &'a Limits,
    patterns: usize,
    keys: usize,
}

impl<'a> Budget<'a> {
    pub(super) fn new(limits: &'a Limits) -> Budget<'a> {
        Budget {
            limits,
            patterns: 0,
            keys: 0,
        }
    }

    /// Counts one pattern (at canonical `path`).
    pub(super) fn pattern(&mut self, path: &str, ctx: &Ctx) -> Result<(), Error> {
        self.patterns += 1;
        if self.patterns > self.limits.max_platform_patterns {
            return Err(ctx.err(
                ErrorCode::PlatformTooLarge,
                path,
                format!(
                    "more than {} patterns in one platform policy",
                    self.limits.max_platform_patterns
                ),
            ));
        }
        Ok(())
    }

    /// Counts one public key (at canonical `path`).
    pub(super) fn key(&mut self, path: &str, ctx: &Ctx) -> Result<(), Error> {
        self.keys += 1;
        if self.keys > self.limits.max_platform_keys {
            return Err(ctx.err(
                ErrorCode::PlatformTooLarge,
                path,
                format!(
                    "more than {} public keys in one platform policy",
                    self.limits.max_platform_keys
                ),
            ));
        }
        Ok(())
    }
}

/// A `scope` (at canonical `cpath`): unset or empty strings are the default scope.
pub(super) fn scope(m: &Map<String, Value>, cpath: &str, ctx: &Ctx) -> Result<Scope, Error> {
    let field = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default();
    let namespace = field("kubernetesNamespace");
    let account = field("kubernetesServiceAccount");
    match (namespace.is_empty(), account.is_empty()) {
        (true, true) => Ok(Scope::Default),
        (false, false) => Err(ctx.err(
            ErrorCode::PlatformInvalidScope,
            cpath,
            "a scope is `kubernetesNamespace` or `kubernetesServiceAccount`, not both",
        )),
        (false, true) => {
            if valid_namespace(namespace) {
                Ok(Scope::Namespace(namespace.to_owned()))
            } else {
                Err(ctx.err(
                    ErrorCode::PlatformInvalidScope,
                    &join(cpath, "kubernetesNamespace"),
                    format!(
                        "`{namespace}` is not a Kubernetes namespace name (lowercase letters, digits and `-`, at most 63)"
                    ),
                ))
            }
        }
        (true, false) => match account.split_once(':') {
            Some((ns, name)) if valid_namespace(ns) && valid_service_account(name) => {
                Ok(Scope::ServiceAccount {
                    namespace: ns.to_owned(),
                    name: name.to_owned(),
                })
            }
            _ => Err(ctx.err(
                ErrorCode::PlatformInvalidScope,
                &join(cpath, "kubernetesServiceAccount"),
                format!(
                    "`{account}` is not `NAMESPACE:SERVICE_ACCOUNT` (for example `prod:deployer`)"
                ),
            )),
        },
    }
}

/// The check-set rules of §1.4 item 1 (`paths`: each set's canonical pointer).
pub(super) fn check_set_order(
    sets: &[CheckSet],
    paths: &[String],
    sets_path: &str,
    ctx: &Ctx,
) -> Result<(), Error> {
    let last = sets.len().saturating_sub(1);
    let mut seen: BTreeSet<(u8, &str, &str)> = BTreeSet::new();
    let mut namespaces: BTreeSet<&str> = BTreeSet::new();
    for (i, (set, path)) in sets.iter().zip(paths).enumerate() {
        let scope_path = join(path, "scope");
        let key = match &set.scope {
            Scope::Default => {
                if i != last {
                    return Err(ctx.err(
                        ErrorCode::PlatformDefaultCheckSet,
                        path,
                        "the default (unscoped) check set must be the last one, and there is only one: give this set a `scope` or move it to the end",
                    ));
                }
                (0, "", "")
            }
            Scope::Namespace(ns) => {
                namespaces.insert(ns);
                (1, ns.as_str(), "")
            }
            Scope::ServiceAccount { namespace, name } => {
                if namespaces.contains(namespace.as_str()) {
                    return Err(ctx.err(
                        ErrorCode::PlatformScopeOrder,
                        &scope_path,
                        format!(
                            "the check set for service account `{namespace}:{name}` comes after the check set of namespace `{namespace}`, so it could never be selected: move it before that set"
                        ),
                    ));
                }
                (2, namespace.as_str(), name.as_str())
            }
        };
        if !seen.insert(key) {
            return Err(ctx.err(
                ErrorCode::PlatformDuplicateScope,
                &scope_path,
                "There can be only one check set per scope in a platform policy: an earlier check set has this scope",
            ));
        }
    }
    if sets.last().is_some_and(|s| s.scope != Scope::Default) {
        return Err(ctx.err(
            ErrorCode::PlatformDefaultCheckSet,
            sets_path,
            "the check sets need a default set (one without `scope`), and it must be the last one",
        ));
    }
    Ok(())
}

/// A `…Projects` list: at most 10 entries of `projects/PROJECT_ID`, returned as bare ids.
pub(super) fn projects(
    m: &Map<String, Value>,
    key: &str,
    cpath: &str,
    ctx: &Ctx,
) -> Result<Vec<String>, Error> {
    let base = join(cpath, key);
    let entries = m
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if entries.len() > MAX_PROJECTS {
        return Err(ctx.err(
            ErrorCode::PlatformTooManyProjects,
            &base,
            format!(
                "`{key}` has {} entries, more than the limit of {MAX_PROJECTS}",
                entries.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let text = entry.as_str().unwrap_or_default();
        let id = project_id(text).map_err(|why| {
            ctx.err(
                ErrorCode::PlatformInvalidProject,
                &join_index(&base, i),
                format!("`{text}` {why}"),
            )
        })?;
        out.push(id.to_owned());
    }
    Ok(out)
}

/// The project id of `projects/PROJECT_ID`. A project id is lowercase letters, digits and
/// `-` (a domain-scoped id also `.` and one `:`); a project number is refused, since
/// occurrences are named by project id.
pub(crate) fn project_id(text: &str) -> Result<&str, &'static str> {
    let Some(id) = text.strip_prefix("projects/") else {
        return Err("is not `projects/PROJECT_ID`");
    };
    if id.is_empty() || id.len() > 100 {
        return Err("is not `projects/PROJECT_ID`");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b':'))
    {
        return Err(
            "is not `projects/PROJECT_ID` (a project id has lowercase letters, digits and `-`)",
        );
    }
    if id.bytes().all(|b| b.is_ascii_digit()) {
        return Err("names a project number: give the project ID (`projects/my-project`)");
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids() {
        assert_eq!(project_id("projects/my-project"), Ok("my-project"));
        assert_eq!(project_id("projects/example.com:p"), Ok("example.com:p"));
        assert!(project_id("my-project").is_err());
        assert!(project_id("projects/").is_err());
        assert!(project_id("projects/a/b").is_err());
        assert!(project_id("projects/My-Project").is_err());
        assert!(project_id("projects/123456789").is_err());
    }
}
