//! Reading the command line's files into one bundle, and mapping errors back to files.

use std::io::Read as _;

use serde_json::{Map, Value, json};
use vouch::{Bundle, Error, ErrorCode, Limits, Timestamp};

use crate::failure::{CliCode, Failure};

use crate::EvaluateArgs;

pub fn read_file(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map(|_| ())
    };
    if let Err(e) = read {
        return Err(Failure::file_error(
            CliCode::Unreadable,
            path,
            format!("cannot read `{path}`: {e}"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let error = Error::new(
            ErrorCode::InputEncoding,
            "",
            format!("`{path}` is not UTF-8 text: {e}"),
        );
        Failure::in_file(error, path)
    })
}

pub fn key_value(flag: &str, item: &str) -> Result<(String, Value), Failure> {
    match item.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), Value::String(v.to_owned()))),
        _ => Err(Failure::usage(format!(
            "`--{flag} {item}` must be KEY=VALUE"
        ))),
    }
}

pub fn current_time() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
    Timestamp::from_unix(seconds, 0)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}

/// Where each bundle member came from, to map error paths back to files.
#[derive(Debug, Default)]
struct Origins {
    policy: Option<String>,
    attestors: Vec<String>,
    attestations: Vec<String>,
    system_policy: Option<String>,
    workload: Option<String>,
    cluster_config: Option<String>,
    cloud_run_policies: Vec<String>,
}

impl Origins {
    /// Splits a bundle pointer into (file, pointer inside it).
    fn locate(&self, path: &str) -> (Option<String>, String) {
        let strip = |prefix: &str| -> Option<String> {
            path.strip_prefix(prefix)
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .map(str::to_owned)
        };
        let indexed = |member: &str, files: &[String]| -> Option<(Option<String>, String)> {
            let rest = strip(member)?;
            let mut parts = rest.splitn(3, '/');
            let _ = parts.next();
            let index: usize = parts.next()?.parse().ok()?;
            let inner = parts.next().map(|p| format!("/{p}")).unwrap_or_default();
            Some((files.get(index).cloned(), inner))
        };
        if let (Some(file), Some(rest)) = (&self.policy, strip("/policy")) {
            return (Some(file.clone()), rest);
        }
        if let (Some(file), Some(rest)) = (&self.system_policy, strip("/systemPolicy")) {
            return (Some(file.clone()), rest);
        }
        if let (Some(file), Some(rest)) = (&self.workload, strip("/request/workload")) {
            return (Some(file.clone()), rest);
        }
        if let (Some(file), Some(rest)) = (&self.cluster_config, strip("/clusterConfig")) {
            return (Some(file.clone()), rest);
        }
        if let Some(found) = indexed("/attestors", &self.attestors) {
            return found;
        }
        if let Some(found) = indexed("/attestations", &self.attestations) {
            return found;
        }
        if let Some(found) = indexed("/cloudRunPolicies", &self.cloud_run_policies) {
            return found;
        }
        (None, path.to_owned())
    }
}

/// Builds and loads the bundle the arguments describe.
pub fn load_bundle(args: &EvaluateArgs) -> Result<Bundle, Failure> {
    let limits = Limits::DEFAULT;
    if let Some(path) = &args.bundle {
        let text = read_file(path)?;
        let mut value =
            vouch::parse_document(&text, &limits).map_err(|e| Failure::in_file(e, path))?;
        if let Value::Object(map) = &mut value {
            if let Some(now) = &args.now {
                map.insert("now".into(), Value::String(now.clone()));
            } else if !map.contains_key("now") {
                map.insert("now".into(), Value::String(current_time()));
            }
            if let Some(path) = &args.cluster_config {
                map.insert("clusterConfig".into(), Value::String(read_file(path)?));
            }
            let options = map.entry("options").or_insert_with(|| json!({}));
            if let Value::Object(o) = options {
                if args.strict_identity {
                    o.insert("strictIdentity".into(), Value::Bool(true));
                }
                if let Some(age) = &args.max_attestation_age {
                    o.insert("maxAttestationAge".into(), Value::String(age.clone()));
                }
                if args.trust_occurrence_time {
                    o.insert("trustOccurrenceTime".into(), Value::Bool(true));
                }
                if args.use_resolved_digest {
                    o.insert("useResolvedDigest".into(), Value::Bool(true));
                }
            }
        }
        return Bundle::from_value(value, &limits).map_err(|e| {
            match (
                &args.cluster_config,
                e.path().strip_prefix("/clusterConfig"),
            ) {
                (Some(file), Some(rest)) if rest.is_empty() || rest.starts_with('/') => {
                    let rest = rest.to_owned();
                    Failure {
                        error: e.into(),
                        file: Some(file.clone()),
                        path: rest,
                    }
                }
                _ => Failure::in_file(e, path),
            }
        });
    }
    let mut origins = Origins::default();
    let mut bundle = Map::new();
    if let Some(path) = &args.policy {
        bundle.insert("policy".into(), Value::String(read_file(path)?));
        origins.policy = Some(path.clone());
    }
    let mut attestors = Vec::new();
    for path in &args.attestors {
        attestors.push(Value::String(read_file(path)?));
        origins.attestors.push(path.clone());
    }
    bundle.insert("attestors".into(), Value::Array(attestors));
    let mut attestations = Vec::new();
    for path in &args.attestations {
        attestations.push(Value::String(read_file(path)?));
        origins.attestations.push(path.clone());
    }
    bundle.insert("attestations".into(), Value::Array(attestations));
    if let Some(path) = &args.system_policy {
        bundle.insert("systemPolicy".into(), Value::String(read_file(path)?));
        origins.system_policy = Some(path.clone());
    }
    let mut request = Map::new();
    if let Some(path) = &args.workload {
        request.insert("workload".into(), Value::String(read_file(path)?));
        origins.workload = Some(path.clone());
    } else {
        request.insert("images".into(), json!(args.image));
    }
    for (key, value) in [
        ("namespace", &args.namespace),
        ("serviceAccount", &args.service_account),
        ("cluster", &args.cluster),
        ("meshIdentity", &args.mesh_identity),
    ] {
        if let Some(v) = value {
            request.insert(key.into(), Value::String(v.clone()));
        }
    }
    let mut labels = Map::new();
    for item in &args.label {
        let (k, v) = key_value("label", item)?;
        labels.insert(k, v);
    }
    if args.break_glass {
        labels.insert(vouch::BREAK_GLASS_LABEL.into(), json!("true"));
    }
    let mut annotations = Map::new();
    for item in &args.annotation {
        let (k, v) = key_value("annotation", item)?;
        annotations.insert(k, v);
    }
    request.insert("labels".into(), Value::Object(labels));
    request.insert("annotations".into(), Value::Object(annotations));
    if !args.resolved_digest.is_empty() {
        let mut digests = Map::new();
        for item in &args.resolved_digest {
            // `CONTAINER=REF`, or `REF` for the only container (a reference has no `=`).
            let (container, reference) = item.split_once('=').unwrap_or(("", item));
            digests.insert(container.to_owned(), json!(reference));
        }
        request.insert("resolvedDigests".into(), Value::Object(digests));
    }
    bundle.insert("request".into(), Value::Object(request));
    bundle.insert(
        "now".into(),
        Value::String(args.now.clone().unwrap_or_else(current_time)),
    );
    let mut options = Map::new();
    options.insert("strictIdentity".into(), Value::Bool(args.strict_identity));
    if let Some(age) = &args.max_attestation_age {
        options.insert("maxAttestationAge".into(), Value::String(age.clone()));
    }
    if args.trust_occurrence_time {
        options.insert("trustOccurrenceTime".into(), Value::Bool(true));
    }
    if args.use_resolved_digest {
        options.insert("useResolvedDigest".into(), Value::Bool(true));
    }
    bundle.insert("options".into(), Value::Object(options));
    if let Some(path) = &args.cluster_config {
        bundle.insert("clusterConfig".into(), Value::String(read_file(path)?));
        origins.cluster_config = Some(path.clone());
    }
    if !args.cloud_run_policy.is_empty() {
        let mut policies = Vec::new();
        for path in &args.cloud_run_policy {
            policies.push(Value::String(read_file(path)?));
            origins.cloud_run_policies.push(path.clone());
        }
        bundle.insert("cloudRunPolicies".into(), Value::Array(policies));
    }
    Bundle::from_value(Value::Object(bundle), &limits).map_err(|error| {
        let (file, path) = origins.locate(error.path());
        Failure {
            error: error.into(),
            file,
            path,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_maps_paths_to_files() {
        let o = Origins {
            policy: Some("p.yaml".into()),
            attestors: vec!["a.json".into(), "b.json".into()],
            attestations: vec!["o.json".into()],
            system_policy: None,
            workload: Some("w.yaml".into()),
            cluster_config: None,
            cloud_run_policies: vec!["crp.yaml".into()],
        };
        assert_eq!(
            o.locate("/policy/x/0"),
            (Some("p.yaml".into()), "/x/0".into())
        );
        assert_eq!(
            o.locate("/attestors/1/0/name"),
            (Some("b.json".into()), "/0/name".into())
        );
        assert_eq!(
            o.locate("/attestors/1"),
            (Some("b.json".into()), String::new())
        );
        assert_eq!(
            o.locate("/request/workload/spec"),
            (Some("w.yaml".into()), "/spec".into())
        );
        assert_eq!(
            o.locate("/request/namespace"),
            (None, "/request/namespace".into())
        );
        assert_eq!(o.locate("/policyx"), (None, "/policyx".into()));
        assert_eq!(
            o.locate("/cloudRunPolicies/0/cloudRunPolicy/rule"),
            (Some("crp.yaml".into()), "/cloudRunPolicy/rule".into())
        );
    }
}
