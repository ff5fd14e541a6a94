//! What is being admitted: images or a Kubernetes workload, and where it is deployed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::document::{self, AliasBudget, from_value, type_name};
use crate::error::{Doc, Error, ErrorCode, Subject, join, join_index};
use crate::image_ref::{ImageRef, ImageRefError};
use crate::limits::Limits;
use crate::policy::{
    expect_object, valid_cluster, valid_istio_identity, valid_namespace, valid_service_account,
};

/// Pod label that requests break-glass (decision A-10).
pub const BREAK_GLASS_LABEL: &str = "image-policy.k8s.io/break-glass";
/// Legacy pod annotation that requests break-glass.
pub const BREAK_GLASS_ANNOTATION: &str = "alpha.image-policy.k8s.io/break-glass";

/// The request as written in a bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestDocument {
    /// Images to admit, as a Pod would list them (give this or `workload`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
    /// A Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (object, or a
    /// string holding its YAML or JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Value>,
    /// Defaults to the workload's namespace, else `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Defaults to the workload's service account, else `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// `LOCATION.NAME` of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// The Cloud Service Mesh / Istio identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_identity: Option<String>,
    /// Pod labels, merged over the workload's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Pod annotations, merged over the workload's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

impl RequestDocument {
    /// A request for these images, everything else defaulted.
    pub fn for_images<I: IntoIterator<Item = S>, S: Into<String>>(images: I) -> RequestDocument {
        RequestDocument {
            images: Some(images.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }

    /// A request for a workload given as YAML or JSON text (or as a JSON value).
    pub fn for_workload(workload: impl Into<Value>) -> RequestDocument {
        RequestDocument {
            workload: Some(workload.into()),
            ..Default::default()
        }
    }

    /// Sets the cluster (`LOCATION.NAME`).
    #[must_use]
    pub fn cluster(mut self, cluster: impl Into<String>) -> Self {
        self.cluster = Some(cluster.into());
        self
    }

    /// Sets the namespace.
    #[must_use]
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Sets the service account.
    #[must_use]
    pub fn service_account(mut self, service_account: impl Into<String>) -> Self {
        self.service_account = Some(service_account.into());
        self
    }

    /// Sets the mesh identity.
    #[must_use]
    pub fn mesh_identity(mut self, identity: impl Into<String>) -> Self {
        self.mesh_identity = Some(identity.into());
        self
    }

    /// Adds a pod label (e.g. the break-glass label).
    #[must_use]
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Adds a pod annotation.
    #[must_use]
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }

    /// Validates the document into a [`Request`] under default limits.
    pub fn build(self) -> Result<Request, Error> {
        Request::from_document(self, &Limits::DEFAULT)
    }
}

/// Which list of the pod spec a container came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContainerType {
    /// `initContainers`.
    InitContainer,
    /// `containers`.
    Container,
    /// `ephemeralContainers`.
    EphemeralContainer,
}

/// One image to evaluate.
#[derive(Debug, Clone)]
pub struct RequestImage {
    /// The parsed reference (the string as written is kept).
    pub image: ImageRef,
    /// The container name, when the image is a container's in a workload.
    pub container: Option<String>,
    /// The volume name, when the image is an image volume's (`volumes[].image.reference`) in a
    /// workload; `container` is then `None`.
    pub volume: Option<String>,
}

/// A validated request.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) images: Vec<RequestImage>,
    pub(crate) namespace: String,
    pub(crate) service_account: String,
    pub(crate) cluster: Option<String>,
    pub(crate) mesh_identity: Option<String>,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
}

impl Request {
    /// Validates a request document. Errors carry paths relative to the request.
    pub fn from_document(doc: RequestDocument, limits: &Limits) -> Result<Request, Error> {
        Request::from_document_within(doc, limits, &AliasBudget::new(limits))
            .map_err(|e| e.about(Subject::Request))
    }

    /// [`Request::from_document`], parsing a workload given as text within `budget` (a
    /// bundle's shared YAML alias budget).
    fn from_document_within(
        doc: RequestDocument,
        limits: &Limits,
        budget: &AliasBudget,
    ) -> Result<Request, Error> {
        let from_workload = doc.workload.is_some();
        let mut pod = match (doc.images, doc.workload) {
            (Some(images), None) => {
                let mut out = Vec::with_capacity(images.len());
                check_image_count(images.len(), "/images", limits)?;
                for (i, image) in images.into_iter().enumerate() {
                    out.push(RequestImage {
                        image: ImageRef::parse_owned(image).map_err(|(e, image)| {
                            image_error(&image, &join_index("/images", i), &e)
                        })?,
                        container: None,
                        volume: None,
                    });
                }
                PodInfo {
                    images: out,
                    ..PodInfo::default()
                }
            }
            (None, Some(workload)) => {
                let workload = match workload {
                    Value::String(text) => document::parse_manifest_within(&text, limits, budget)
                        .map_err(|e| e.within("/workload"))?,
                    other => other,
                };
                pod_from_workload(&workload, limits).map_err(|e| e.within("/workload"))?
            }
            (Some(_), Some(_)) => {
                return Err(Error::new(
                    ErrorCode::RequestNoImages,
                    "/workload",
                    "give `images` or `workload`, not both",
                ));
            }
            (None, None) => {
                return Err(Error::new(
                    ErrorCode::RequestNoImages,
                    "/images",
                    "the request needs `images` or `workload`",
                ));
            }
        };
        if pod.images.is_empty() {
            let path = if from_workload {
                "/workload"
            } else {
                "/images"
            };
            return Err(Error::new(
                ErrorCode::RequestNoImages,
                path,
                "the request has no images to evaluate",
            ));
        }
        let namespace = doc
            .namespace
            .or(pod.namespace.take())
            .unwrap_or_else(|| "default".to_owned());
        if !valid_namespace(&namespace) {
            return Err(Error::new(
                ErrorCode::RequestInvalidNamespace,
                "/namespace",
                format!("`{namespace}` is not a Kubernetes namespace name"),
            ));
        }
        let service_account = doc
            .service_account
            .or(pod.service_account.take())
            .unwrap_or_else(|| "default".to_owned());
        if !valid_service_account(&service_account) {
            return Err(Error::new(
                ErrorCode::RequestInvalidServiceAccount,
                "/serviceAccount",
                format!("`{service_account}` is not a Kubernetes service account name"),
            ));
        }
        if let Some(cluster) = &doc.cluster
            && !valid_cluster(cluster)
        {
            return Err(Error::new(
                ErrorCode::RequestInvalidCluster,
                "/cluster",
                format!(
                    "cluster `{cluster}` must be `LOCATION.NAME`, e.g. `us-central1-a.prod-cluster`"
                ),
            ));
        }
        if let Some(mesh) = &doc.mesh_identity
            && !valid_istio_identity(mesh)
        {
            return Err(Error::new(
                ErrorCode::RequestInvalidValue,
                "/meshIdentity",
                format!(
                    "mesh identity `{mesh}` must be `[spiffe://]DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`"
                ),
            ));
        }
        pod.labels.extend(doc.labels);
        pod.annotations.extend(doc.annotations);
        Ok(Request {
            images: pod.images,
            namespace,
            service_account,
            cluster: doc.cluster,
            mesh_identity: doc.mesh_identity,
            labels: pod.labels,
            annotations: pod.annotations,
        })
    }

    /// Loads a request from a JSON value (the bundle's `request`).
    pub fn from_value(value: Value, limits: &Limits) -> Result<Request, Error> {
        Request::from_value_within(value, limits, &AliasBudget::new(limits))
    }

    /// [`Request::from_value`] within a bundle's shared YAML alias budget.
    pub(crate) fn from_value_within(
        value: Value,
        limits: &Limits,
        budget: &AliasBudget,
    ) -> Result<Request, Error> {
        let load = move || -> Result<Request, Error> {
            expect_object(&value, Doc::Request, "the request")?;
            let doc: RequestDocument = from_value(value, Doc::Request, "")?;
            Request::from_document_within(doc, limits, budget)
        };
        load().map_err(|e| e.about(Subject::Request))
    }

    /// The images, in evaluation order.
    pub fn images(&self) -> &[RequestImage] {
        &self.images
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The service account.
    pub fn service_account(&self) -> &str {
        &self.service_account
    }

    /// The pod labels (workload's, then request's).
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// The pod annotations (workload's, then request's).
    pub fn annotations(&self) -> &BTreeMap<String, String> {
        &self.annotations
    }

    /// Whether break-glass is requested: the label, or the legacy annotation, set to `true`
    /// (case-insensitive), on the pod (or pod template) metadata.
    pub fn break_glass(&self) -> bool {
        let yes = |v: Option<&String>| v.is_some_and(|v| v.eq_ignore_ascii_case("true"));
        yes(self.labels.get(BREAK_GLASS_LABEL)) || yes(self.annotations.get(BREAK_GLASS_ANNOTATION))
    }
}

fn check_image_count(n: usize, path: &str, limits: &Limits) -> Result<(), Error> {
    if n > limits.max_images {
        return Err(Error::new(
            ErrorCode::RequestTooManyImages,
            path,
            format!("{n} images, more than the limit of {}", limits.max_images),
        ));
    }
    Ok(())
}

fn parse_image(image: &str, path: &str) -> Result<ImageRef, Error> {
    ImageRef::parse(image).map_err(|e| image_error(image, path, &e))
}

fn image_error(image: &str, path: &str, error: &ImageRefError) -> Error {
    Error::new(
        ErrorCode::RequestInvalidImage,
        path,
        format!("image `{image}`: {error}"),
    )
}

/// What a workload contributes to a request.
#[derive(Debug, Default)]
struct PodInfo {
    images: Vec<RequestImage>,
    namespace: Option<String>,
    service_account: Option<String>,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
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

/// Whether vouch evaluates workloads of this `kind`.
pub fn is_workload_kind(kind: &str) -> bool {
    POD_TEMPLATE_PATHS.iter().any(|(k, _)| *k == kind)
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::RequestInvalidWorkload, path, message)
}

fn pod_from_workload(workload: &Value, limits: &Limits) -> Result<PodInfo, Error> {
    let Some(obj) = workload.as_object() else {
        return Err(invalid(
            "",
            format!(
                "a workload must be a Kubernetes object, found {}",
                type_name(workload)
            ),
        ));
    };
    let kind = match obj.get("kind") {
        Some(Value::String(k)) => k.as_str(),
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
    let namespace = match obj.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(metadata)) => {
            optional_string(metadata, "name", "/metadata")?;
            string_map(metadata.get("labels"), "/metadata/labels")?;
            string_map(metadata.get("annotations"), "/metadata/annotations")?;
            optional_string(metadata, "namespace", "/metadata")?.map(str::to_owned)
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
    for (field, required) in [
        ("initContainers", false),
        ("containers", true),
        ("ephemeralContainers", false),
    ] {
        containers(spec, field, required, &spec_path, &mut images)?;
    }
    image_volumes(spec, &spec_path, &mut images)?;
    check_image_count(images.len(), &spec_path, limits)?;
    Ok(PodInfo {
        images,
        namespace,
        service_account,
        labels,
        annotations,
    })
}

fn containers(
    spec: &Map<String, Value>,
    field: &str,
    required: bool,
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
            volume: name,
        });
    }
    Ok(())
}

/// A field that must be a string when present (`null` counts as absent): kubectl refuses other
/// types, so vouch does not guess.
fn optional_string<'v>(
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

fn string_map(value: Option<&Value>, path: &str) -> Result<BTreeMap<String, String>, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(v: Value) -> Result<Request, Error> {
        Request::from_value(v, &Limits::DEFAULT)
    }

    #[test]
    fn images_with_defaults() {
        let r = req(json!({"images": ["busybox:1.36"]})).unwrap();
        assert_eq!((r.namespace(), r.service_account()), ("default", "default"));
        assert!(!r.break_glass());
    }

    #[test]
    fn deployment_template_is_used() {
        let r = req(json!({"workload": {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"namespace": "payments", "labels": {"image-policy.k8s.io/break-glass": "true"}},
            "spec": {"template": {
                "metadata": {"labels": {"app": "web"}, "annotations": {"alpha.image-policy.k8s.io/break-glass": "TRUE"}},
                "spec": {"serviceAccountName": "deployer",
                    "containers": [{"name": "web", "image": "gcr.io/p/web:1"}],
                    "initContainers": [{"name": "init", "image": "gcr.io/p/init:1"}],
                    "ephemeralContainers": [{"name": "dbg", "image": "busybox"}]}}}}}))
        .unwrap();
        assert_eq!(
            (r.namespace(), r.service_account()),
            ("payments", "deployer")
        );
        let names: Vec<_> = r
            .images()
            .iter()
            .map(|i| i.container.clone().unwrap())
            .collect();
        assert_eq!(names, ["init", "web", "dbg"]);
        // Only the template's metadata counts: the annotation triggers, the object label does not.
        assert!(r.break_glass());
        assert_eq!(r.labels().get("image-policy.k8s.io/break-glass"), None);
    }

    #[test]
    fn service_account_is_the_one_the_pod_runs_as() {
        let sa = |spec: Value| {
            let mut spec = spec;
            spec["containers"] = json!([{"name": "c", "image": "busybox"}]);
            req(json!({"workload": {"kind": "Pod", "spec": spec}}))
                .map(|r| r.service_account().to_owned())
        };
        assert_eq!(sa(json!({})).unwrap(), "default");
        assert_eq!(sa(json!({"serviceAccount": "x"})).unwrap(), "x");
        assert_eq!(
            sa(json!({"serviceAccountName": "", "serviceAccount": "x"})).unwrap(),
            "x"
        );
        assert_eq!(
            sa(json!({"serviceAccountName": null, "serviceAccount": "x"})).unwrap(),
            "x"
        );
        assert_eq!(
            sa(json!({"serviceAccountName": "y", "serviceAccount": "x"})).unwrap(),
            "y"
        );
        assert_eq!(sa(json!({"serviceAccount": ""})).unwrap(), "default");
        let e = sa(json!({"serviceAccountName": true})).unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (
                ErrorCode::RequestInvalidWorkload,
                "/workload/spec/serviceAccountName"
            )
        );
    }

    #[test]
    fn image_volumes_are_evaluated_after_containers() {
        let r = req(json!({"workload": {"kind": "Deployment", "spec": {"template": {"spec": {
            "containers": [{"name": "web", "image": "gcr.io/p/web:1"}],
            "ephemeralContainers": [{"name": "dbg", "image": "busybox"}],
            "volumes": [{"name": "cfg", "configMap": {"name": "x"}},
                        {"name": "models", "image": {"reference": "gcr.io/p/models:2", "pullPolicy": "Always"}}]}}}}}))
        .unwrap();
        let got: Vec<_> = r
            .images()
            .iter()
            .map(|i| {
                (
                    i.image.as_str(),
                    i.container.as_deref(),
                    i.volume.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("gcr.io/p/web:1", Some("web"), None),
                ("busybox", Some("dbg"), None),
                ("gcr.io/p/models:2", None, Some("models"))
            ]
        );
        let e = req(json!({"workload": {"kind": "Pod", "spec": {
            "containers": [{"name": "c", "image": "busybox"}],
            "volumes": [{"name": "v", "image": {}}]}}}))
        .unwrap_err();
        assert_eq!(
            (e.code(), e.path()),
            (
                ErrorCode::RequestInvalidWorkload,
                "/workload/spec/volumes/0/image/reference"
            )
        );
    }

    #[test]
    fn cronjob_and_yaml_string() {
        let yaml = "kind: CronJob\nmetadata: {namespace: batch}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - {name: job, image: 'gcr.io/p/job:1'}\n";
        let r = req(json!({"workload": yaml, "namespace": "override"})).unwrap();
        assert_eq!(r.namespace(), "override");
        assert_eq!(r.images().len(), 1);
    }

    #[test]
    fn errors() {
        let code = |v: Value| {
            let e = req(v).unwrap_err();
            (e.code(), e.path().to_owned())
        };
        assert_eq!(
            code(json!({})),
            (ErrorCode::RequestNoImages, "/images".into())
        );
        assert_eq!(code(json!({"images": []})).0, ErrorCode::RequestNoImages);
        assert_eq!(
            code(json!({"images": ["ok", "Bad"]})),
            (ErrorCode::RequestInvalidImage, "/images/1".into())
        );
        assert_eq!(
            code(json!({"images": ["a"], "cluster": "prod"})).0,
            ErrorCode::RequestInvalidCluster
        );
        assert_eq!(
            code(json!({"images": ["a"], "namespace": "A"})).0,
            ErrorCode::RequestInvalidNamespace
        );
        assert_eq!(
            code(json!({"images": ["a"], "bogus": 1})),
            (ErrorCode::RequestUnknownField, "/bogus".into())
        );
        assert_eq!(
            code(json!({"workload": {"kind": "Service", "spec": {}}})),
            (
                ErrorCode::RequestUnsupportedWorkload,
                "/workload/kind".into()
            )
        );
        assert_eq!(
            code(
                json!({"workload": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}}})
            ),
            (
                ErrorCode::RequestInvalidWorkload,
                "/workload/spec/template/spec/containers/0/image".into()
            )
        );
        assert_eq!(
            code(
                json!({"workload": {"kind": "Pod", "metadata": {"labels": {"a": true}}, "spec": {"containers": []}}})
            ),
            (
                ErrorCode::RequestInvalidWorkload,
                "/workload/metadata/labels/a".into()
            )
        );
    }
}
