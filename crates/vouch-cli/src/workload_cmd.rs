//! `vouch workload FILE`: what vouch reads from each workload of a manifest file, as JSON.
//!
//! The images (with their container or image-volume names), namespace, service account, labels
//! and annotations that `evaluate` and `check` decide about, so a user (or a differential test
//! against kubectl) can see exactly which Pod vouch evaluates.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Map, Value, json};
use vouch::{Limits, Request, RequestBuilder};

use crate::failure::Failure;
use crate::inputs::read_file;

#[derive(Debug, Args)]
pub struct WorkloadArgs {
    /// A manifest file (several YAML documents, `List`s; `-` for standard input), read as
    /// kubectl reads it.
    #[arg(value_name = "FILE")]
    file: String,
}

/// Prints `{"file", "workloads": [...]}`; exit 2 when the file, or any workload in it, cannot
/// be read (that workload's entry then carries `error`).
pub fn run(args: &WorkloadArgs) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let found = read_file(&args.file).and_then(|text| {
        vouch::manifest::workloads(&text, &Limits::DEFAULT)
            .map_err(|e| Failure::in_file(e, &args.file))
    });
    let found = match found {
        Ok(found) => found,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "vouch: {}", failure.one_line());
            let _ = writeln!(stdout, "{}", failure.to_json());
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    let mut workloads = Vec::with_capacity(found.len());
    for workload in found {
        let mut entry = Map::new();
        entry.insert("document".into(), json!(workload.document));
        entry.insert("item".into(), json!(workload.item));
        entry.insert("kind".into(), json!(workload.kind));
        entry.insert("name".into(), json!(workload.name));
        match RequestBuilder::for_workload(workload.object).build_with_limits(&Limits::DEFAULT) {
            Ok(request) => {
                entry.extend(describe(&request));
            }
            Err(e) => {
                failed = true;
                // The path inside the document (under `items/N` for a List's item).
                let inner = e.path().strip_prefix("/workload").unwrap_or(e.path());
                let path = match workload.item {
                    Some(i) => format!("/items/{i}{inner}"),
                    None => inner.to_owned(),
                };
                let _ = writeln!(
                    std::io::stderr(),
                    "vouch: {} at {}#{path} (document {}): {}",
                    e.code(),
                    args.file,
                    workload.document,
                    e.message()
                );
                let error = vouch::Error::new(e.code(), path, e.message());
                entry.insert("error".into(), json!(error));
            }
        }
        workloads.push(Value::Object(entry));
    }
    let out = json!({"file": args.file, "workloads": workloads});
    if writeln!(stdout, "{out}").is_err() || failed {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn describe(request: &Request) -> Map<String, Value> {
    let images: Vec<Value> = request
        .images()
        .iter()
        .map(|i| {
            let mut image = Map::new();
            image.insert("image".into(), json!(i.image.as_str()));
            match (&i.container, &i.volume) {
                (_, Some(volume)) => image.insert("volume".into(), json!(volume)),
                (container, None) => image.insert("container".into(), json!(container)),
            };
            Value::Object(image)
        })
        .collect();
    let mut out = Map::new();
    out.insert("namespace".into(), json!(request.namespace()));
    out.insert("serviceAccount".into(), json!(request.service_account()));
    out.insert("labels".into(), json!(request.labels()));
    out.insert("annotations".into(), json!(request.annotations()));
    out.insert("breakGlass".into(), json!(request.break_glass()));
    out.insert("images".into(), Value::Array(images));
    if let Some(cloud_run) = request.cloud_run() {
        let binauthz = match cloud_run.binary_authorization() {
            None => Value::Null,
            Some(vouch::CloudRunBinauthz::Default) => json!("default"),
            Some(vouch::CloudRunBinauthz::Policy(name)) => json!(name),
        };
        let resolved: Vec<Value> = cloud_run
            .resolutions()
            .iter()
            .map(|r| json!({"resolved": r.given(), "source": r.source(), "result": r.result()}))
            .collect();
        out.insert(
            "cloudRun".into(),
            json!({
                "resource": cloud_run.resource(),
                "api": cloud_run.api(),
                "binaryAuthorization": binauthz,
                "breakGlassJustification": cloud_run.break_glass_justification(),
                "resolvedDigests": resolved,
            }),
        );
    }
    out
}
