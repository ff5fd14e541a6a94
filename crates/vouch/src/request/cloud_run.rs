//! Cloud Run services and jobs (decision R-1): their images, how they opt in to Binary
//! Authorization, their break-glass justification and the digests Cloud Run resolved.
//!
//! Three shapes are read (docs/semantics.md §9.1):
//! - a v1 Service (`apiVersion: serving.knative.dev/v1`, `kind: Service`) as `gcloud run
//!   services describe --format export` (or `--format json`) prints it: images at
//!   `spec.template.spec.containers[*].image`, sidecars included;
//! - a v1 Job (`apiVersion: run.googleapis.com/v1`, `kind: Job`): images at
//!   `spec.template.spec.template.spec.containers[*].image`;
//! - the v2 REST shape of either, recognized by having neither `apiVersion` nor `kind` and a
//!   `name` of the form `projects/P/locations/L/services/S` (or `…/jobs/J`): images at
//!   `template.containers[*].image` (`template.template.containers[*].image` for a job), Binary
//!   Authorization in `binaryAuthorization {useDefault, policy, breakglassJustification}`.
//!
//! The v1 annotations `run.googleapis.com/binary-authorization` and
//! `run.googleapis.com/binary-authorization-breakglass` count only on the object's own
//! (top-level) `metadata.annotations`: Cloud Run reads them there, and copies on the revision or
//! execution template are ignored.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::image_ref::ImageRef;
use super::workload::{PodInfo, containers, invalid, optional_string, string_map};
use super::{ContainerType, check_image_count};
use crate::error::{Error, ErrorCode, join, join_index};
use crate::limits::Limits;
use crate::read::document::type_name;
use crate::read::wire::wire_enum;

/// The v1 annotation that turns Binary Authorization on for a Cloud Run service or job: `default`
/// (the project policy) or a Cloud Run platform policy's name.
pub const CLOUD_RUN_BINAUTHZ_ANNOTATION: &str = "run.googleapis.com/binary-authorization";
/// The v1 annotation that requests break-glass on Cloud Run; its value is the justification
/// (any text, the empty string included).
pub const CLOUD_RUN_BREAK_GLASS_ANNOTATION: &str =
    "run.googleapis.com/binary-authorization-breakglass";

const V1_SERVICE_API: &str = "serving.knative.dev/v1";
const V1_JOB_API: &str = "run.googleapis.com/v1";

wire_enum! {
    /// Where a request is deployed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum Platform {
        /// A Kubernetes cluster (GKE): images, or a Kubernetes workload.
        Gke = "GKE",
        /// Cloud Run: a service or a job.
        CloudRun = "CLOUD_RUN",
    }
}

wire_enum! {
    /// Which Cloud Run resource a request is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum CloudRunResource {
        /// A service (`serving.knative.dev/v1` `Service`, or v2 `projects/…/services/…`).
        Service = "SERVICE",
        /// A job (`run.googleapis.com/v1` `Job`, or v2 `projects/…/jobs/…`).
        Job = "JOB",
    }
}

wire_enum! {
    /// Which Cloud Run API shape the resource was read in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum CloudRunApi {
        /// The v1 (Knative-style) object `gcloud run … describe` prints.
        V1 = "V1",
        /// The v2 REST object.
        V2 = "V2",
    }
}

wire_enum! {
    /// Where a resolved digest came from (decision R-4).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum DigestSource {
        /// The object's status: v1 `status.imageDigest` or `status.containerStatuses[]`, v2
        /// `containerStatuses[]`.
        Status = "STATUS",
        /// The request's `resolvedDigests`.
        Request = "REQUEST",
    }
}

wire_enum! {
    /// What became of an image under the resolved-digest option (decision R-4).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    pub enum DigestResolution {
        /// The image was written with a tag and a resolved digest is known: the image's
        /// repository with that digest is evaluated.
        Resolved = "RESOLVED",
        /// No resolved digest is known for this container: the image is evaluated as written.
        NotResolved = "NOT_RESOLVED",
        /// The image is written with a digest (Cloud Run deploys it as written); the resolved
        /// digest, if any, is the same.
        Pinned = "PINNED",
        /// The image is written with a digest and the resolved digest differs: the written
        /// digest is what Cloud Run deploys, and is evaluated.
        DigestMismatch = "DIGEST_MISMATCH",
        /// The resolved digest names another repository than the image: not used, the image is
        /// evaluated as written.
        RepositoryMismatch = "REPOSITORY_MISMATCH",
        /// The status may describe another revision than the spec (`observedGeneration` is
        /// not `generation`, or either is missing): its digests are not used.
        StaleStatus = "STALE_STATUS",
    }
}

/// How a Cloud Run resource opts in to Binary Authorization (decision R-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloudRunBinauthz {
    /// `default` (v2 `useDefault: true`): the project policy.
    Default,
    /// A Cloud Run platform policy, its name normalized to
    /// `projects/PROJECT/platforms/cloudRun/policies/POLICY`.
    Policy(String),
}

/// One image's resolved digest (decision R-4), worked out when the request is read; the
/// evaluation option decides whether it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The resolved digest as given (`REPOSITORY@sha256:…` or `sha256:…`), if any.
    pub(crate) given: Option<String>,
    /// Where it came from.
    pub(crate) source: Option<DigestSource>,
    /// What becomes of the image under the option.
    pub(crate) result: DigestResolution,
    /// The reference evaluated under the option when `result` is `RESOLVED`.
    pub(crate) evaluated: Option<ImageRef>,
}

impl Resolution {
    /// The resolved digest as given, if any.
    pub fn given(&self) -> Option<&str> {
        self.given.as_deref()
    }

    /// Where the resolved digest came from, if there is one.
    pub fn source(&self) -> Option<DigestSource> {
        self.source
    }

    /// What becomes of the image under the resolved-digest option.
    pub fn result(&self) -> DigestResolution {
        self.result
    }

    /// The reference evaluated under the option, when it differs from the image as written.
    pub fn evaluated(&self) -> Option<&ImageRef> {
        self.evaluated.as_ref()
    }
}

/// What a Cloud Run request adds to a request: the resource, its Binary Authorization setting,
/// break-glass and resolved digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudRun {
    pub(crate) resource: CloudRunResource,
    pub(crate) api: CloudRunApi,
    pub(crate) name: Option<String>,
    pub(crate) binauthz: Option<CloudRunBinauthz>,
    pub(crate) break_glass: Option<String>,
    /// One per request image, in image order.
    pub(crate) resolutions: Vec<Resolution>,
}

impl CloudRun {
    /// Service or job.
    pub fn resource(&self) -> CloudRunResource {
        self.resource
    }

    /// The API shape it was read in.
    pub fn api(&self) -> CloudRunApi {
        self.api
    }

    /// The service's or job's name (`metadata.name`, or the last segment of a v2 `name`).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// How it opts in to Binary Authorization; `None`: it does not (Binary Authorization is
    /// off for this resource).
    pub fn binary_authorization(&self) -> Option<&CloudRunBinauthz> {
        self.binauthz.as_ref()
    }

    /// The break-glass justification, when break-glass is requested (possibly empty).
    pub fn break_glass_justification(&self) -> Option<&str> {
        self.break_glass.as_deref()
    }

    /// Each image's resolved digest, in image order.
    pub fn resolutions(&self) -> &[Resolution] {
        &self.resolutions
    }
}

/// What reading a Cloud Run object gives besides the pod information.
#[derive(Debug)]
pub(super) struct CloudRunRead {
    pub(super) resource: CloudRunResource,
    pub(super) api: CloudRunApi,
    pub(super) name: Option<String>,
    pub(super) binauthz: Option<CloudRunBinauthz>,
    pub(super) break_glass: Option<String>,
    /// Per image: a digest from the object's status, with its path.
    pub(super) status_digests: Vec<Option<(String, String)>>,
    /// The status is older than the spec.
    pub(super) stale: bool,
}

/// Which Cloud Run resource an object is, if it is one; `Err` for a Cloud Run object vouch
/// does not evaluate (a worker pool).
pub(super) fn recognize(
    object: &Map<String, Value>,
) -> Result<Option<(CloudRunResource, CloudRunApi)>, Error> {
    let api_version = object.get("apiVersion").and_then(Value::as_str);
    let kind = object.get("kind").and_then(Value::as_str);
    match (api_version, kind) {
        (Some(V1_SERVICE_API), Some("Service")) => {
            Ok(Some((CloudRunResource::Service, CloudRunApi::V1)))
        }
        (Some(V1_JOB_API), Some("Job")) => Ok(Some((CloudRunResource::Job, CloudRunApi::V1))),
        (Some(api), Some("WorkerPool")) if api.starts_with("run.googleapis.com/") => {
            Err(unsupported_worker_pool("/kind"))
        }
        _ if is_absent(object.get("apiVersion")) && is_absent(object.get("kind")) => {
            match object
                .get("name")
                .and_then(Value::as_str)
                .and_then(v2_collection)
            {
                Some("services") => Ok(Some((CloudRunResource::Service, CloudRunApi::V2))),
                Some("jobs") => Ok(Some((CloudRunResource::Job, CloudRunApi::V2))),
                Some(_) => Err(unsupported_worker_pool("/name")),
                None => Ok(None),
            }
        }
        _ => Ok(None),
    }
}

/// Whether a value is a Cloud Run object vouch evaluates (or refuses as a worker pool).
pub(super) fn is_cloud_run(object: &Value) -> bool {
    object
        .as_object()
        .is_some_and(|o| !matches!(recognize(o), Ok(None)))
}

/// The kind a v2 Cloud Run object stands for (`Service`, `Job`, `WorkerPool`), for an object
/// with neither `apiVersion` nor `kind`; `None` for anything else.
pub(crate) fn v2_kind(object: &Map<String, Value>) -> Option<&'static str> {
    if !(is_absent(object.get("apiVersion")) && is_absent(object.get("kind"))) {
        return None;
    }
    match object
        .get("name")
        .and_then(Value::as_str)
        .and_then(v2_collection)
    {
        Some("services") => Some("Service"),
        Some("jobs") => Some("Job"),
        Some(_) => Some("WorkerPool"),
        None => None,
    }
}

/// The short name of a v2 object (the last segment of its `name`).
pub(crate) fn v2_short_name(object: &Map<String, Value>) -> Option<&str> {
    object
        .get("name")
        .and_then(Value::as_str)
        .and_then(|n| n.rsplit('/').next())
}

fn unsupported_worker_pool(path: &str) -> Error {
    Error::new(
        ErrorCode::RequestUnsupportedWorkload,
        path,
        "Cloud Run worker pools are not evaluated (services and jobs are)",
    )
}

fn is_absent(value: Option<&Value>) -> bool {
    matches!(value, None | Some(Value::Null))
}

/// The collection of a v2 resource name `projects/P/locations/L/COLLECTION/ID`, for the
/// collections that carry Binary Authorization.
fn v2_collection(name: &str) -> Option<&'static str> {
    let segment = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic());
    let parts: Vec<&str> = name.split('/').collect();
    match parts.as_slice() {
        ["projects", p, "locations", l, collection, id]
            if segment(p) && segment(l) && segment(id) =>
        {
            ["services", "jobs", "workerPools"]
                .into_iter()
                .find(|c| c == collection)
        }
        _ => None,
    }
}

/// Reads a Cloud Run object recognized by [`recognize`].
pub(super) fn read(
    object: &Map<String, Value>,
    resource: CloudRunResource,
    api: CloudRunApi,
    limits: &Limits,
) -> Result<(PodInfo, CloudRunRead), Error> {
    let (pod, read) = match api {
        CloudRunApi::V1 => read_v1(object, resource)?,
        CloudRunApi::V2 => read_v2(object, resource)?,
    };
    check_image_count(pod.images.len(), containers_path(resource, api), limits)?;
    Ok((pod, read))
}

fn containers_path(resource: CloudRunResource, api: CloudRunApi) -> &'static str {
    match (api, resource) {
        (CloudRunApi::V1, CloudRunResource::Service) => "/spec/template/spec/containers",
        (CloudRunApi::V1, CloudRunResource::Job) => "/spec/template/spec/template/spec/containers",
        (CloudRunApi::V2, CloudRunResource::Service) => "/template/containers",
        (CloudRunApi::V2, CloudRunResource::Job) => "/template/template/containers",
    }
}

/// The object at `steps` below `root`, required.
fn descend<'v>(
    root: &'v Map<String, Value>,
    steps: &[&str],
    what: &str,
) -> Result<(&'v Map<String, Value>, String), Error> {
    let mut here = root;
    let mut path = String::new();
    for step in steps {
        path = join(&path, step);
        here = match here.get(*step) {
            Some(Value::Object(next)) => next,
            None | Some(Value::Null) => {
                return Err(invalid(&path, format!("a Cloud Run {what} needs `{path}`")));
            }
            Some(other) => {
                return Err(invalid(
                    &path,
                    format!("`{path}` must be an object, found {}", type_name(other)),
                ));
            }
        };
    }
    Ok((here, path))
}

/// The containers of a revision, task or v2 template (`containers`, required); Cloud Run has
/// no init or ephemeral containers, so such lists are refused rather than skipped.
fn read_containers(
    spec: &Map<String, Value>,
    spec_path: &str,
) -> Result<Vec<super::RequestImage>, Error> {
    for field in ["initContainers", "ephemeralContainers"] {
        if !is_absent(spec.get(field)) {
            return Err(invalid(
                &join(spec_path, field),
                format!("Cloud Run has no `{field}`: vouch would not know whether they run"),
            ));
        }
    }
    let mut images = Vec::new();
    containers(
        spec,
        "containers",
        true,
        ContainerType::Container,
        spec_path,
        &mut images,
    )?;
    containers_by_name(&images, &join(spec_path, "containers"))?;
    Ok(images)
}

fn read_v1(
    object: &Map<String, Value>,
    resource: CloudRunResource,
) -> Result<(PodInfo, CloudRunRead), Error> {
    let what = match resource {
        CloudRunResource::Service => "service",
        CloudRunResource::Job => "job",
    };
    let empty = Map::new();
    let metadata = match object.get("metadata") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(invalid(
                "/metadata",
                format!("`metadata` must be an object, found {}", type_name(other)),
            ));
        }
    };
    let name = optional_string(metadata, "name", "/metadata")?.map(str::to_owned);
    optional_string(metadata, "namespace", "/metadata")?;
    let labels = string_map(metadata.get("labels"), "/metadata/labels")?;
    let annotations = string_map(metadata.get("annotations"), "/metadata/annotations")?;
    let binauthz = match annotations.get(CLOUD_RUN_BINAUTHZ_ANNOTATION) {
        Some(value) => Some(parse_binauthz(
            value,
            &join("/metadata/annotations", CLOUD_RUN_BINAUTHZ_ANNOTATION),
        )?),
        None => None,
    };
    let break_glass = annotations.get(CLOUD_RUN_BREAK_GLASS_ANNOTATION).cloned();
    let steps: &[&str] = match resource {
        CloudRunResource::Service => &["spec", "template", "spec"],
        CloudRunResource::Job => &["spec", "template", "spec", "template", "spec"],
    };
    let (spec, spec_path) = descend(object, steps, what)?;
    let images = read_containers(spec, &spec_path)?;
    // The status: `imageDigest` (one container) and `containerStatuses[]` (by name).
    let (status_digests, stale) = match object.get("status") {
        None | Some(Value::Null) => (vec![None; images.len()], false),
        Some(Value::Object(status)) => {
            let mut digests = vec![None; images.len()];
            if let Some(digest) = optional_string(status, "imageDigest", "/status")?
                && let [only] = digests.as_mut_slice()
            {
                *only = Some((digest.to_owned(), "/status/imageDigest".to_owned()));
            }
            container_statuses(
                status.get("containerStatuses"),
                "/status/containerStatuses",
                &images,
                &mut digests,
            )?;
            let stale = status_is_stale(
                metadata.get("generation"),
                "/metadata/generation",
                status.get("observedGeneration"),
                "/status/observedGeneration",
            )?;
            (digests, stale)
        }
        Some(other) => {
            return Err(invalid(
                "/status",
                format!("`status` must be an object, found {}", type_name(other)),
            ));
        }
    };
    Ok((
        PodInfo {
            images,
            name: name.clone(),
            namespace: None,
            service_account: None,
            labels,
            annotations,
            cloud_run: None,
        },
        CloudRunRead {
            resource,
            api: CloudRunApi::V1,
            name,
            binauthz,
            break_glass,
            status_digests,
            stale,
        },
    ))
}

fn read_v2(
    object: &Map<String, Value>,
    resource: CloudRunResource,
) -> Result<(PodInfo, CloudRunRead), Error> {
    let what = match resource {
        CloudRunResource::Service => "v2 service",
        CloudRunResource::Job => "v2 job",
    };
    let name = optional_string(object, "name", "")?
        .and_then(|n| n.rsplit('/').next())
        .map(str::to_owned);
    let labels = string_map(object.get("labels"), "/labels")?;
    let annotations = string_map(object.get("annotations"), "/annotations")?;
    // The v2 API refuses `run.googleapis.com/*` annotations: a v2 object carrying the v1
    // Binary Authorization annotations is not one Cloud Run returned, and is refused rather
    // than read one way or the other.
    for key in [
        CLOUD_RUN_BINAUTHZ_ANNOTATION,
        CLOUD_RUN_BREAK_GLASS_ANNOTATION,
    ] {
        if annotations.contains_key(key) {
            return Err(Error::new(
                ErrorCode::RequestInvalidValue,
                join("/annotations", key),
                format!(
                    "a v2 Cloud Run object sets Binary Authorization in `binaryAuthorization`, not with the v1 annotation `{key}` (the v2 API refuses `run.googleapis.com/*` annotations)"
                ),
            ));
        }
    }
    let (binauthz, break_glass) = v2_binary_authorization(object.get("binaryAuthorization"))?;
    let steps: &[&str] = match resource {
        CloudRunResource::Service => &["template"],
        CloudRunResource::Job => &["template", "template"],
    };
    let (spec, spec_path) = descend(object, steps, what)?;
    let images = read_containers(spec, &spec_path)?;
    let mut status_digests = vec![None; images.len()];
    container_statuses(
        object.get("containerStatuses"),
        "/containerStatuses",
        &images,
        &mut status_digests,
    )?;
    let stale = status_is_stale(
        object.get("generation"),
        "/generation",
        object.get("observedGeneration"),
        "/observedGeneration",
    )?;
    Ok((
        PodInfo {
            images,
            name: name.clone(),
            namespace: None,
            service_account: None,
            labels,
            annotations,
            cloud_run: None,
        },
        CloudRunRead {
            resource,
            api: CloudRunApi::V2,
            name,
            binauthz,
            break_glass,
            status_digests,
            stale,
        },
    ))
}

/// v2 `binaryAuthorization {useDefault, policy, breakglassJustification}` (proto3 JSON: an
/// empty string is an unset field, so an empty justification is no break-glass).
fn v2_binary_authorization(
    value: Option<&Value>,
) -> Result<(Option<CloudRunBinauthz>, Option<String>), Error> {
    const PATH: &str = "/binaryAuthorization";
    let ba = match value {
        None | Some(Value::Null) => return Ok((None, None)),
        Some(Value::Object(ba)) => ba,
        Some(other) => {
            return Err(invalid(
                PATH,
                format!(
                    "`binaryAuthorization` must be an object, found {}",
                    type_name(other)
                ),
            ));
        }
    };
    for key in ba.keys() {
        if !matches!(
            key.as_str(),
            "useDefault" | "policy" | "breakglassJustification"
        ) {
            return Err(invalid(
                &join(PATH, key),
                format!(
                    "unknown field `{key}`: `binaryAuthorization` has `useDefault`, `policy` and `breakglassJustification`"
                ),
            ));
        }
    }
    let use_default = match ba.get("useDefault") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(invalid(
                &join(PATH, "useDefault"),
                format!("`useDefault` must be a boolean, found {}", type_name(other)),
            ));
        }
    };
    let policy = optional_string(ba, "policy", PATH)?.filter(|p| !p.is_empty());
    let binauthz = match (use_default, policy) {
        (true, Some(_)) => {
            return Err(Error::new(
                ErrorCode::RequestInvalidValue,
                join(PATH, "policy"),
                "`binaryAuthorization` sets both `useDefault` and `policy`: Cloud Run takes one or the other",
            ));
        }
        (true, None) => Some(CloudRunBinauthz::Default),
        (false, Some(policy)) => Some(CloudRunBinauthz::Policy(
            named_policy(policy)
                .ok_or_else(|| bad_policy_name(policy, &join(PATH, "policy"), "`policy`"))?,
        )),
        (false, None) => None,
    };
    let break_glass = optional_string(ba, "breakglassJustification", PATH)?
        .filter(|j| !j.is_empty())
        .map(str::to_owned);
    Ok((binauthz, break_glass))
}

/// The v1 annotation's value: `default` or a Cloud Run platform policy name.
pub(super) fn parse_binauthz(value: &str, path: &str) -> Result<CloudRunBinauthz, Error> {
    if value == "default" {
        return Ok(CloudRunBinauthz::Default);
    }
    named_policy(value)
        .map(CloudRunBinauthz::Policy)
        .ok_or_else(|| bad_policy_name(value, path, &format!("`{CLOUD_RUN_BINAUTHZ_ANNOTATION}`")))
}

fn bad_policy_name(value: &str, path: &str, what: &str) -> Error {
    Error::new(
        ErrorCode::RequestInvalidValue,
        path,
        format!(
            "{what} is `default` or a Cloud Run platform policy `projects/PROJECT/platforms/cloudRun/policies/POLICY`, found `{value}`"
        ),
    )
}

/// A Cloud Run platform policy name, normalized to `projects/P/platforms/cloudRun/policies/N`;
/// the form without `policies/` (the proto's comment) is accepted too.
pub(crate) fn named_policy(name: &str) -> Option<String> {
    let project_ok = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b':')
            })
    };
    let policy_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let parts: Vec<&str> = name.split('/').collect();
    let (project, policy) = match parts.as_slice() {
        [
            "projects",
            project,
            "platforms",
            "cloudRun",
            "policies",
            policy,
        ]
        | ["projects", project, "platforms", "cloudRun", policy] => (*project, *policy),
        _ => return None,
    };
    // `.` and `..` would be path segments, not names, wherever the name is used as a path.
    let segment = |s: &str| s != "." && s != "..";
    (project_ok(project)
        && policy_ok(policy)
        && segment(project)
        && segment(policy)
        && policy != "policies")
        .then(|| format!("projects/{project}/platforms/cloudRun/policies/{policy}"))
}

/// `containerStatuses[]`: `{name, imageDigest}` by container name.
fn container_statuses(
    value: Option<&Value>,
    path: &str,
    images: &[super::RequestImage],
    out: &mut [Option<(String, String)>],
) -> Result<(), Error> {
    let list = match value {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(invalid(
                path,
                format!(
                    "`containerStatuses` must be a list, found {}",
                    type_name(other)
                ),
            ));
        }
    };
    let by_name = containers_by_name(images, "")?;
    for (i, entry) in list.iter().enumerate() {
        let entry_path = join_index(path, i);
        let Value::Object(entry) = entry else {
            return Err(invalid(
                &entry_path,
                format!(
                    "a container status must be an object, found {}",
                    type_name(entry)
                ),
            ));
        };
        let name = optional_string(entry, "name", &entry_path)?;
        let Some(digest) = optional_string(entry, "imageDigest", &entry_path)? else {
            continue;
        };
        let Some(name) = name else { continue };
        // Container names are unique (checked when the containers were read): one lookup.
        if let Some(slot) = by_name.get(name).and_then(|&i| out.get_mut(i)) {
            *slot = Some((digest.to_owned(), join(&entry_path, "imageDigest")));
        }
    }
    Ok(())
}

/// Each named container's index, refusing a name used twice: Cloud Run refuses such a
/// revision, and a status or `resolvedDigests` entry would not say which container it means.
fn containers_by_name<'i>(
    images: &'i [super::RequestImage],
    containers_path: &str,
) -> Result<BTreeMap<&'i str, usize>, Error> {
    let mut by_name = BTreeMap::new();
    for (i, image) in images.iter().enumerate() {
        let Some(name) = image.container.as_deref() else {
            continue;
        };
        if by_name.insert(name, i).is_some() {
            return Err(Error::new(
                ErrorCode::RequestInvalidWorkload,
                join(&join_index(containers_path, i), "name"),
                format!(
                    "two containers are named `{name}`: Cloud Run refuses this, and a digest by name would be ambiguous"
                ),
            ));
        }
    }
    Ok(by_name)
}

/// Whether a status may describe another spec than the one read: unless both generations are
/// given and equal, nothing shows the status is this spec's, so its digests are not used. A
/// generation is an integer, or (v2, int64 in proto3 JSON) a string of digits.
fn status_is_stale(
    generation: Option<&Value>,
    generation_path: &str,
    observed: Option<&Value>,
    observed_path: &str,
) -> Result<bool, Error> {
    let number = |v: Option<&Value>, path: &str| -> Result<Option<u64>, Error> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
                invalid(path, format!("a generation is a whole number, found `{n}`"))
            }),
            Some(Value::String(s)) => s
                .parse::<u64>()
                .map(Some)
                .map_err(|_| invalid(path, format!("a generation is a whole number, found `{s}`"))),
            Some(other) => Err(invalid(
                path,
                format!("a generation is a whole number, found {}", type_name(other)),
            )),
        }
    };
    let generation = number(generation, generation_path)?;
    let observed = number(observed, observed_path)?;
    Ok(!matches!((generation, observed), (Some(g), Some(o)) if g == o))
}

/// Works out each image's resolution from the request's `resolvedDigests` (by container name,
/// `""` for the only container) over the status's digests.
pub(super) fn resolutions(
    images: &[super::RequestImage],
    read: &CloudRunRead,
    requested: &BTreeMap<String, String>,
) -> Result<Vec<Resolution>, Error> {
    let mut candidates: Vec<Option<(String, String, DigestSource)>> = read
        .status_digests
        .iter()
        .map(|d| {
            // Status paths are inside the workload; the request's are not.
            d.as_ref().map(|(digest, path)| {
                (
                    digest.clone(),
                    format!("/workload{path}"),
                    DigestSource::Status,
                )
            })
        })
        .collect();
    let by_name = containers_by_name(images, "")?;
    for (key, digest) in requested {
        let path = join("/resolvedDigests", key);
        let index = if key.is_empty() {
            (images.len() == 1).then_some(0)
        } else {
            by_name.get(key.as_str()).copied()
        };
        if let Some(slot) = index.and_then(|i| candidates.get_mut(i)) {
            *slot = Some((digest.clone(), path, DigestSource::Request));
        } else {
            let message = if key.is_empty() {
                format!(
                    "the key `\"\"` names the only container, and the {} has {} containers",
                    match read.resource {
                        CloudRunResource::Service => "service",
                        CloudRunResource::Job => "job",
                    },
                    images.len()
                )
            } else {
                format!("no container is named `{key}`")
            };
            return Err(Error::new(ErrorCode::RequestInvalidValue, path, message));
        }
    }
    images
        .iter()
        .zip(candidates)
        .map(|(image, candidate)| resolve(&image.image, candidate, read.stale))
        .collect()
}

/// One image's resolution.
fn resolve(
    written: &ImageRef,
    candidate: Option<(String, String, DigestSource)>,
    stale: bool,
) -> Result<Resolution, Error> {
    let Some((given, path, source)) = candidate else {
        let result = if written.digest().is_some() {
            DigestResolution::Pinned
        } else {
            DigestResolution::NotResolved
        };
        return Ok(Resolution {
            given: None,
            source: None,
            result,
            evaluated: None,
        });
    };
    let digest = resolved_digest(&given, &path)?;
    let same_repository = match &digest.repository {
        None => true,
        Some(repository) => same_repository(repository, written),
    };
    let (result, evaluated) = if source == DigestSource::Status && stale {
        (DigestResolution::StaleStatus, None)
    } else if !same_repository {
        (DigestResolution::RepositoryMismatch, None)
    } else if let Some(written_digest) = written.digest() {
        if written_digest == digest.digest {
            (DigestResolution::Pinned, None)
        } else {
            (DigestResolution::DigestMismatch, None)
        }
    } else {
        let text = format!("{}@{}", written.repository(), digest.digest);
        let evaluated = ImageRef::parse(&text).map_err(|e| {
            Error::new(
                ErrorCode::RequestInvalidImage,
                path.clone(),
                format!("resolved image `{text}`: {e}"),
            )
        })?;
        (DigestResolution::Resolved, Some(evaluated))
    };
    Ok(Resolution {
        given: Some(given),
        source: Some(source),
        result,
        evaluated,
    })
}

struct ResolvedDigest {
    repository: Option<ImageRef>,
    digest: String,
}

/// `REPOSITORY@DIGEST` (as `status.imageDigest` holds it) or a bare `sha256:…` digest.
fn resolved_digest(given: &str, path: &str) -> Result<ResolvedDigest, Error> {
    let bad = |why: String| {
        Error::new(
            ErrorCode::RequestInvalidImage,
            path,
            format!("resolved digest `{given}` is not `REPOSITORY@sha256:…` or `sha256:…`: {why}"),
        )
    };
    if !given.contains(['/', '@']) {
        // A bare digest: checked by the reference grammar on a placeholder repository.
        let parsed =
            ImageRef::parse(&format!("placeholder@{given}")).map_err(|e| bad(e.to_string()))?;
        let digest = parsed.digest().unwrap_or_default().to_owned();
        return Ok(ResolvedDigest {
            repository: None,
            digest,
        });
    }
    let parsed = ImageRef::parse(given).map_err(|e| bad(e.to_string()))?;
    let Some(digest) = parsed.digest().map(str::to_owned) else {
        return Err(bad("it has no digest".to_owned()));
    };
    Ok(ResolvedDigest {
        repository: Some(parsed),
        digest,
    })
}

/// Whether two references name the same repository, after Docker's familiar-name rules
/// (`nginx` and `docker.io/library/nginx` are one repository).
fn same_repository(a: &ImageRef, b: &ImageRef) -> bool {
    match (a.normalized(), b.normalized()) {
        (Ok(a), Ok(b)) => a.repository() == b.repository(),
        _ => a.repository() == b.repository(),
    }
}

#[cfg(test)]
mod tests;
