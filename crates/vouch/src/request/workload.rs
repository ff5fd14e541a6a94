//! Workload extraction: the pod template of each workload kind vouch evaluates, its
//! containers' and image volumes' images, and the pod's labels and annotations.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::cloud_run::{self, CloudRunRead};
use super::{ContainerType, RequestImage, check_image_count, parse_image};
use crate::error::{Error, ErrorCode, join, join_index};
use crate::limits::Limits;
use crate::read::document::type_name;

/// What a workload contributes to a request.
#[derive(Debug, Default)]
pub(super) struct PodInfo {
    pub(super) images: Vec<RequestImage>,
    pub(super) name: Option<String>,
    pub(super) namespace: Option<String>,
    pub(super) service_account: Option<String>,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) annotations: BTreeMap<String, String>,
    /// What a Cloud Run service or job adds (`None` for a Kubernetes workload).
    pub(super) cloud_run: Option<CloudRunRead>,
}

/// The workload kinds vouch evaluates, with the path to their pod template.
const POD_TEMPLATE_PATHS: &[(&str, &[&str])] = &[
    ("Pod", &[]),
    ("Deployment", &["spec", "template"]),
    ("ReplicaSet", &["spec", "template"]),
    ("StatefulSet", &["spec", "template"]),
    ("DaemonSet", &["spec", "template"]),
    ("Job", &["spec", "template"]),
    ("ReplicationController", &["spec", "template"]),
    ("CronJob", &["spec", "jobTemplate", "spec", "template"]),
];

/// Whether vouch evaluates Kubernetes workloads of this `kind` (Pod, Deployment, ReplicaSet,
/// StatefulSet, DaemonSet, Job, CronJob, ReplicationController). A Cloud Run service is a
/// `Service`, which this does not name: [`is_workload`] looks at the whole object.
pub fn is_workload_kind(kind: &str) -> bool {
    POD_TEMPLATE_PATHS.iter().any(|(k, _)| *k == kind)
}

/// Whether vouch evaluates this object: a Kubernetes workload (by `kind`), or a Cloud Run
/// service or job (`serving.knative.dev/v1` `Service`, `run.googleapis.com/v1` `Job`, or the v2
/// REST shape; docs/semantics.md §9.1). A Cloud Run worker pool counts too, so that it is
/// refused rather than skipped.
pub fn is_workload(object: &Value) -> bool {
    cloud_run::is_cloud_run(object)
        || object
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(is_workload_kind)
}

pub(super) fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RequestInvalidWorkload, path, message)
}

/// A Kubernetes workload's pod, or a Cloud Run service's or job's containers (recognized by
/// `apiVersion` and `kind`, or for the v2 shape by its `name`: [`cloud_run`]).
pub(super) fn pod_from_workload(workload: &Value, limits: &Limits) -> Result<PodInfo, Error> {
    if let Some(object) = workload.as_object()
        && let Some((resource, api)) = cloud_run::recognize(object)?
    {
        let (mut pod, read) = cloud_run::read(object, resource, api, limits)?;
        pod.cloud_run = Some(read);
        return Ok(pod);
    }
    read_workload(workload, None, limits)
}

/// A Pod of a cluster snapshot: as [`pod_from_workload`], except that an item without `kind`
/// is a Pod (the API server's `PodList` leaves its items' `kind` out).
pub(super) fn pod_from_snapshot_item(pod: &Value, limits: &Limits) -> Result<PodInfo, Error> {
    read_workload(pod, Some("Pod"), limits)
}

fn read_workload(
    workload: &Value,
    default_kind: Option<&str>,
    limits: &Limits,
) -> Result<PodInfo, Error> {
    let Some(obj) = workload.as_object() else {
        return Err(invalid(
            "",
            format!(
                "a workload must be a Kubernetes object, found {}",
                type_name(workload)
            ),
        ));
    };
    let kind = match (obj.get("kind"), default_kind) {
        (Some(Value::String(k)), _) => k.as_str(),
        (None | Some(Value::Null), Some(kind)) => kind,
        _ => return Err(invalid("/kind", "the workload has no `kind`")),
    };
    let Some((_, template_path)) = POD_TEMPLATE_PATHS.iter().find(|(k, _)| *k == kind) else {
        return Err(Error::new(
            ErrorCode::RequestUnsupportedWorkload,
            "/kind",
            format!(
                "kind `{kind}` is not a workload vouch evaluates (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob)"
            ),
        ));
    };
    // The object's metadata as kubectl decodes it (`ObjectMeta`): kubectl refuses a non-string
    // name, namespace, label or annotation, so vouch does too, even where it does not use them.
    let (name, namespace) = match obj.get("metadata") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(metadata)) => {
            let name = optional_string(metadata, "name", "/metadata")?.map(str::to_owned);
            string_map(metadata.get("labels"), "/metadata/labels")?;
            string_map(metadata.get("annotations"), "/metadata/annotations")?;
            let namespace = optional_string(metadata, "namespace", "/metadata")?.map(str::to_owned);
            (name, namespace)
        }
        Some(other) => {
            return Err(invalid(
                "/metadata",
                format!("`metadata` must be an object, found {}", type_name(other)),
            ));
        }
    };
    let mut template = workload;
    let mut path = String::new();
    for step in *template_path {
        path = join(&path, step);
        template = template
            .get(*step)
            .filter(|v| v.is_object())
            .ok_or_else(|| invalid(&path, format!("a {kind} needs an object at `{path}`")))?;
    }
    let metadata = template.get("metadata");
    let labels = string_map(
        metadata.and_then(|m| m.get("labels")),
        &join(&join(&path, "metadata"), "labels"),
    )?;
    let annotations = string_map(
        metadata.and_then(|m| m.get("annotations")),
        &join(&join(&path, "metadata"), "annotations"),
    )?;
    let spec_path = join(&path, "spec");
    let spec = template
        .get("spec")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid(&spec_path, "the pod template has no `spec`"))?;
    // The account the Pod runs as: `serviceAccountName`, or when that is absent or empty the
    // deprecated `serviceAccount` (the API server's v1 conversion does exactly this).
    let service_account = optional_string(spec, "serviceAccountName", &spec_path)?
        .filter(|s| !s.is_empty())
        .or(optional_string(spec, "serviceAccount", &spec_path)?.filter(|s| !s.is_empty()))
        .map(str::to_owned);
    let mut images = Vec::new();
    for (field, required, container_type) in [
        ("initContainers", false, ContainerType::InitContainer),
        ("containers", true, ContainerType::Container),
        (
            "ephemeralContainers",
            false,
            ContainerType::EphemeralContainer,
        ),
    ] {
        containers(
            spec,
            field,
            required,
            container_type,
            &spec_path,
            &mut images,
        )?;
    }
    image_volumes(spec, &spec_path, &mut images)?;
    check_image_count(images.len(), &spec_path, limits)?;
    Ok(PodInfo {
        images,
        name,
        namespace,
        service_account,
        labels,
        annotations,
        cloud_run: None,
    })
}

pub(super) fn containers(
    spec: &Map<String, Value>,
    field: &str,
    required: bool,
    container_type: ContainerType,
    spec_path: &str,
    out: &mut Vec<RequestImage>,
) -> Result<(), Error> {
    let path = join(spec_path, field);
    let list = match spec.get(field) {
        Some(Value::Array(list)) => list,
        None | Some(Value::Null) if !required => return Ok(()),
        None | Some(Value::Null) => return Err(invalid(&path, "the pod spec has no `containers`")),
        Some(other) => {
            return Err(invalid(
                &path,
                format!("`{field}` must be a list, found {}", type_name(other)),
            ));
        }
    };
    for (i, c) in list.iter().enumerate() {
        let c_path = join_index(&path, i);
        let image_path = join(&c_path, "image");
        let image = c
            .get("image")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&image_path, "the container has no `image` string"))?;
        let name = match c {
            Value::Object(c) => optional_string(c, "name", &c_path)?.map(str::to_owned),
            _ => None,
        };
        out.push(RequestImage {
            image: parse_image(image, &image_path)?,
            container: name,
            container_type: Some(container_type),
            volume: None,
        });
    }
    Ok(())
}

/// Image volumes (`volumes[].image.reference`): the kubelet pulls these images too, so they are
/// evaluated like containers' images, after them (docs/semantics.md).
fn image_volumes(
    spec: &Map<String, Value>,
    spec_path: &str,
    out: &mut Vec<RequestImage>,
) -> Result<(), Error> {
    let path = join(spec_path, "volumes");
    let list = match spec.get("volumes") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(invalid(
                &path,
                format!("`volumes` must be a list, found {}", type_name(other)),
            ));
        }
    };
    for (i, volume) in list.iter().enumerate() {
        let v_path = join_index(&path, i);
        let Value::Object(volume) = volume else {
            return Err(invalid(
                &v_path,
                format!("a volume must be an object, found {}", type_name(volume)),
            ));
        };
        let image_path = join(&v_path, "image");
        let image = match volume.get("image") {
            None | Some(Value::Null) => continue,
            Some(Value::Object(image)) => image,
            Some(other) => {
                return Err(invalid(
                    &image_path,
                    format!("`image` must be an object, found {}", type_name(other)),
                ));
            }
        };
        let reference_path = join(&image_path, "reference");
        let reference = optional_string(image, "reference", &image_path)?.ok_or_else(|| {
            invalid(
                &reference_path,
                "the image volume has no `reference` string",
            )
        })?;
        let name = optional_string(volume, "name", &v_path)?.map(str::to_owned);
        out.push(RequestImage {
            image: parse_image(reference, &reference_path)?,
            container: None,
            container_type: None,
            volume: name,
        });
    }
    Ok(())
}

/// A field that must be a string when present (`null` counts as absent): kubectl refuses other
/// types, so vouch does not guess.
pub(super) fn optional_string<'v>(
    object: &'v Map<String, Value>,
    field: &str,
    path: &str,
) -> Result<Option<&'v str>, Error> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(
            &join(path, field),
            format!(
                "`{field}` must be a string (quote it in YAML), found {}",
                type_name(other)
            ),
        )),
    }
}

pub(super) fn string_map(
    value: Option<&Value>,
    path: &str,
) -> Result<BTreeMap<String, String>, Error> {
    match value {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(invalid(
                    &join(path, k),
                    format!(
                        "`{k}` must be a string (quote it in YAML), found {}",
                        type_name(other)
                    ),
                )),
            })
            .collect(),
        Some(other) => Err(invalid(
            path,
            format!("must be an object, found {}", type_name(other)),
        )),
    }
}
