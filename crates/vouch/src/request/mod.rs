//! What is being admitted: images, a Kubernetes workload or a Cloud Run service or job, and
//! where it is deployed.

pub(crate) mod audit;
pub(crate) mod cloud_run;
pub mod image_ref;
pub mod manifest;
mod snapshot;
mod workload;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use cloud_run::{
    CLOUD_RUN_BINAUTHZ_ANNOTATION, CLOUD_RUN_BREAK_GLASS_ANNOTATION, CloudRun, CloudRunApi,
    CloudRunBinauthz, CloudRunResource, DigestResolution, DigestSource, Platform, Resolution,
};
pub use snapshot::{PodSnapshot, SnapshotPod};
pub use workload::{is_workload, is_workload_kind};

/// Whether an object is a Cloud Run service or job (or worker pool), by its shape.
pub(crate) fn is_cloud_run_object(object: &Value) -> bool {
    cloud_run::is_cloud_run(object)
}

use self::image_ref::{ImageRef, ImageRefError};
use self::workload::{PodInfo, pod_from_workload};
use crate::error::{Doc, Error, ErrorCode, Subject, join_index};
use crate::limits::Limits;
use crate::read::document::{self, AliasBudget, from_value};
use crate::read::fields::expect_object;
use crate::read::names::{
    valid_cluster, valid_istio_identity, valid_namespace, valid_service_account,
};

/// Pod label that requests break-glass (decision A-10).
pub const BREAK_GLASS_LABEL: &str = "image-policy.k8s.io/break-glass";
/// Legacy pod annotation that requests break-glass.
pub const BREAK_GLASS_ANNOTATION: &str = "alpha.image-policy.k8s.io/break-glass";

/// The request as written in a bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestBuilder {
    /// Images to admit, as a Pod would list them (give this or `workload`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<Vec<String>>,
    /// A Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob, or a Cloud Run
    /// service or job (object, or a string holding its YAML or JSON).
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
    /// Pod annotations, merged over the workload's (for a Cloud Run service or job, over its
    /// own `metadata.annotations`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Cloud Run only: the digest Cloud Run resolved each container's image to, by container
    /// name (`""`: the only container), as `REPOSITORY@sha256:…` or `sha256:…`; used under
    /// [`Options::use_resolved_digest`](crate::Options::use_resolved_digest) (decision R-4), over
    /// the digests of the object's status.
    ///
    /// Read by [`Request::from_value`] outside serde's derive (`skip_deserializing`), so that
    /// the message listing the request's fields for an unknown one stays as it was.
    #[serde(skip_deserializing, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolved_digests: BTreeMap<String, String>,
}

impl RequestBuilder {
    /// A request for these images, everything else defaulted.
    pub fn for_images<I: IntoIterator<Item = S>, S: Into<String>>(images: I) -> RequestBuilder {
        RequestBuilder {
            images: Some(images.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }

    /// A request for a workload given as YAML or JSON text (or as a JSON value).
    pub fn for_workload(workload: impl Into<Value>) -> RequestBuilder {
        RequestBuilder {
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

    /// Validates the request under default limits.
    pub fn build(self) -> Result<Request, Error> {
        self.build_with_limits(&Limits::DEFAULT)
    }

    /// Validates the request under explicit limits. Errors carry paths relative to the
    /// request.
    pub fn build_with_limits(self, limits: &Limits) -> Result<Request, Error> {
        Request::from_builder_within(self, limits, &AliasBudget::new(limits))
            .map_err(|e| e.about(Subject::Request))
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
    /// Which list of the pod spec the container is in; `None` for an image volume or an image
    /// given without a workload.
    pub container_type: Option<ContainerType>,
    /// The volume name, when the image is an image volume's (`volumes[].image.reference`) in a
    /// workload; `container` is then `None`.
    pub volume: Option<String>,
}

/// A validated request.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) images: Vec<RequestImage>,
    /// The workload's `metadata.name`; `None` for an image list.
    pub(crate) name: Option<String>,
    /// Whether the images came from a workload (`false`: an image list, which platform
    /// policies evaluate against their default check set, as `gcloud … policy evaluate
    /// --image` does).
    pub(crate) from_workload: bool,
    pub(crate) namespace: String,
    pub(crate) service_account: String,
    pub(crate) cluster: Option<String>,
    pub(crate) mesh_identity: Option<String>,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    /// A Cloud Run service or job (`None`: a Kubernetes request).
    pub(crate) cloud_run: Option<CloudRun>,
}

impl Request {
    /// [`RequestBuilder::build_with_limits`], parsing a workload given as text within `budget` (a
    /// bundle's shared YAML alias budget).
    fn from_builder_within(
        doc: RequestBuilder,
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
                        container_type: None,
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
        let cloud_run = match pod.cloud_run.take() {
            Some(read) => Some(cloud_run_request(
                read,
                &pod.images,
                &doc.annotations,
                &doc.resolved_digests,
            )?),
            None if !doc.resolved_digests.is_empty() => {
                return Err(Error::new(
                    ErrorCode::RequestInvalidValue,
                    "/resolvedDigests",
                    "`resolvedDigests` is for Cloud Run services and jobs: a Kubernetes Pod runs its images as written",
                ));
            }
            None => None,
        };
        pod.labels.extend(doc.labels);
        pod.annotations.extend(doc.annotations);
        Ok(Request {
            images: pod.images,
            name: pod.name,
            from_workload,
            namespace,
            service_account,
            cluster: doc.cluster,
            mesh_identity: doc.mesh_identity,
            labels: pod.labels,
            annotations: pod.annotations,
            cloud_run,
        })
    }

    /// The workload's `metadata.name`, when the request came from a workload that has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether the images came from a workload rather than an image list.
    pub fn from_workload(&self) -> bool {
        self.from_workload
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
            let mut value = value;
            expect_object(&value, Doc::Request, "the request")?;
            let resolved_digests = take_resolved_digests(&mut value)?;
            let mut doc: RequestBuilder = from_value(value, Doc::Request, "")?;
            doc.resolved_digests = resolved_digests;
            Request::from_builder_within(doc, limits, budget)
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

    /// Where the request is deployed: a Kubernetes cluster, or Cloud Run.
    pub fn platform(&self) -> Platform {
        match self.cloud_run {
            Some(_) => Platform::CloudRun,
            None => Platform::Gke,
        }
    }

    /// The Cloud Run service or job, for a Cloud Run request.
    pub fn cloud_run(&self) -> Option<&CloudRun> {
        self.cloud_run.as_ref()
    }

    /// Whether break-glass is requested. On GKE: the label, or the legacy annotation, set to
    /// `true` (case-insensitive), on the pod (or pod template) metadata. On Cloud Run:
    /// the break-glass annotation (v2 `breakglassJustification`), whatever its justification
    /// the GKE label does not count there.
    pub fn break_glass(&self) -> bool {
        if let Some(cloud_run) = &self.cloud_run {
            return cloud_run.break_glass.is_some();
        }
        let yes = |v: Option<&String>| v.is_some_and(|v| v.eq_ignore_ascii_case("true"));
        yes(self.labels.get(BREAK_GLASS_LABEL)) || yes(self.annotations.get(BREAK_GLASS_ANNOTATION))
    }
}

/// The request's `resolvedDigests` (an object of strings), taken out of it.
fn take_resolved_digests(value: &mut Value) -> Result<BTreeMap<String, String>, Error> {
    const PATH: &str = "/resolvedDigests";
    let taken = value
        .as_object_mut()
        .and_then(|map| map.remove("resolvedDigests"));
    match taken {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .into_iter()
            .map(|(key, digest)| match digest {
                Value::String(digest) => Ok((key, digest)),
                other => Err(Error::new(
                    ErrorCode::RequestInvalidType,
                    crate::error::join(PATH, &key),
                    format!(
                        "a resolved digest must be a string, found {}",
                        crate::read::document::type_name(&other)
                    ),
                )),
            })
            .collect(),
        Some(other) => Err(Error::new(
            ErrorCode::RequestInvalidType,
            PATH,
            format!(
                "`resolvedDigests` must be an object (container name → digest), found {}",
                crate::read::document::type_name(&other)
            ),
        )),
    }
}

/// A Cloud Run request: the object's setting, with the request's annotations over its own
/// (`/annotations/…` paths) and the resolved digests worked out.
fn cloud_run_request(
    read: cloud_run::CloudRunRead,
    images: &[RequestImage],
    annotations: &BTreeMap<String, String>,
    resolved_digests: &BTreeMap<String, String>,
) -> Result<CloudRun, Error> {
    let resolutions = cloud_run::resolutions(images, &read, resolved_digests)?;
    let mut binauthz = read.binauthz;
    if let Some(value) = annotations.get(CLOUD_RUN_BINAUTHZ_ANNOTATION) {
        binauthz = Some(cloud_run::parse_binauthz(
            value,
            &crate::error::join("/annotations", CLOUD_RUN_BINAUTHZ_ANNOTATION),
        )?);
    }
    let break_glass = annotations
        .get(CLOUD_RUN_BREAK_GLASS_ANNOTATION)
        .cloned()
        .or(read.break_glass);
    Ok(CloudRun {
        resource: read.resource,
        api: read.api,
        name: read.name,
        binauthz,
        break_glass,
        resolutions,
    })
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

#[cfg(test)]
mod tests;
