//! Image records: what a registry says about an image digest — its tags, size and upload time.
//!
//! Four shapes (documented in `docs/formats.md`):
//! - Artifact Registry `DockerImage` (REST `projects.locations.repositories.dockerImages`):
//!   `name` (`…/dockerImages/IMAGE@sha256:…`), `uri` (`HOST/PROJECT/REPO/IMAGE@sha256:…`),
//!   `tags`, `imageSizeBytes`, `uploadTime`, `mediaType`, `buildTime`, `updateTime`;
//! - an item of `gcloud artifacts docker images list --format=json`: `package`, `version`
//!   (the digest), `tags`, `createTime`, `updateTime`, `metadata` {`buildTime`, `mediaType`,
//!   `imageSizeBytes`, `name`};
//! - a Container Registry `tags/list` response: `name`, `tags`, and `manifest` keyed by digest
//!   with `imageSizeBytes`, `layerId`, `mediaType`, `tag`, `timeCreatedMs`, `timeUploadedMs`;
//! - the `image_summary` of `gcloud artifacts docker images describe --format=json`
//!   (`digest`, `fully_qualified_digest`, `registry`, `repository`, `slsa_build_level`).
//!
//! The upload time (decision P-6) is Artifact Registry's `uploadTime` or Container Registry's
//! `timeUploadedMs` only — never a build or create time (gcloud's listing prints a `createTime`,
//! which is shown but not taken as the upload time). None of it is signed: a record is
//! `UNSIGNED`, trusted as far as its source is.

use serde_json::{Map, Value};

use super::kinds::{IMAGE_RECORD, digest_of_uri};
use super::report::{ItemReport, ItemStatus, ReportContext};
use crate::limits::Limits;
use crate::read::wire::wire_enum;
use crate::time::Timestamp;

wire_enum! {
    /// Report codes of image records.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
    pub enum ImageRecordCode {
        /// A record of the image with its upload time.
        Uploaded = "IMAGE_RECORD_UPLOADED",
        /// A record of the image without an upload time.
        NoUploadTime = "IMAGE_RECORD_NO_UPLOAD_TIME",
        /// A record that names no image digest.
        NoDigest = "IMAGE_RECORD_NO_DIGEST",
    }
}

impl ImageRecordCode {
    /// Every code.
    pub const ALL: &'static [ImageRecordCode] = &[
        ImageRecordCode::Uploaded,
        ImageRecordCode::NoUploadTime,
        ImageRecordCode::NoDigest,
    ];

    /// What the code means (the list in `docs/errors.md`).
    pub fn description(self) -> &'static str {
        match self {
            ImageRecordCode::Uploaded => {
                "A registry's record of the image with its upload time (Artifact Registry `uploadTime`, Container Registry `timeUploadedMs`); unsigned."
            }
            ImageRecordCode::NoUploadTime => {
                "A registry's record of the image without an upload time (build and create times are not upload times)."
            }
            ImageRecordCode::NoDigest => {
                "An image record that names no `sha256` image digest, so it counts for no image."
            }
        }
    }
}

/// The codes with their meanings, for `docs/errors.md`.
pub(crate) fn codes() -> Vec<(&'static str, &'static str)> {
    ImageRecordCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.description()))
        .collect()
}

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Artifact Registry `DockerImage`.
    DockerImage,
    /// `gcloud artifacts docker images list --format=json`.
    GcloudList,
    /// Container Registry `tags/list`.
    ContainerRegistry,
    /// The `image_summary` of `gcloud artifacts docker images describe`.
    Describe,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::DockerImage => "artifactRegistryDockerImage",
            Source::GcloudList => "gcloudImagesList",
            Source::ContainerRegistry => "containerRegistryTagsList",
            Source::Describe => "gcloudImagesDescribe",
        }
    }
}

/// What a record says about one digest.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Entry {
    /// `sha256:<hex>`, lower case; empty when the record names none.
    pub(crate) digest: String,
    pub(crate) tags: Vec<String>,
    /// Upload time (P-6): `uploadTime` or `timeUploadedMs`, nothing else.
    pub(crate) upload_time: Option<Timestamp>,
    pub(crate) build_time: Option<Timestamp>,
    /// gcloud's `createTime`, Container Registry's `timeCreatedMs`: shown, never upload time.
    pub(crate) create_time: Option<Timestamp>,
    pub(crate) update_time: Option<Timestamp>,
    pub(crate) size_bytes: Option<u64>,
    pub(crate) media_type: Option<String>,
}

/// An image record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageRecord {
    pub(crate) source: Source,
    /// The repository (`HOST/PROJECT/REPO/IMAGE`, GCR `PROJECT/IMAGE`) when the record says.
    pub(crate) repository: Option<String>,
    /// Per digest, sorted by digest, each digest once (Container Registry lists several).
    pub(crate) entries: Vec<Entry>,
    /// Other facts (the describe summary's `fully_qualified_digest`, `slsa_build_level`).
    extra: Vec<(&'static str, Value)>,
}

impl ImageRecord {
    /// The digests (`sha256:<hex>`) it is about.
    pub(crate) fn digests(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| !e.digest.is_empty())
            .map(|e| e.digest.clone())
            .collect()
    }

    /// What it says about `digest` (a binary search: entries are sorted by digest, so a
    /// Container Registry record with many manifests is not scanned once per digest).
    pub(crate) fn entry(&self, digest: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.digest.as_str().cmp(digest))
            .ok()
            .and_then(|i| self.entries.get(i))
    }

    /// The upload time it gives `digest` (decision P-6).
    pub(crate) fn upload_time(&self, digest: &str) -> Option<Timestamp> {
        self.entry(digest).and_then(|e| e.upload_time)
    }

    /// Its report for `ctx.digest`.
    pub(crate) fn report(&self, ctx: &ReportContext<'_>) -> ItemReport {
        let entry = if ctx.digest.is_empty() {
            self.entries.first()
        } else {
            self.entry(ctx.digest)
        };
        let mut r = match entry {
            _ if ctx.digest.is_empty() => ItemReport::new(
                IMAGE_RECORD,
                "",
                ItemStatus::Rejected,
                ImageRecordCode::NoDigest.as_str(),
                "the image record names no image digest",
            ),
            Some(Entry {
                upload_time: Some(t),
                ..
            }) => ItemReport::new(
                IMAGE_RECORD,
                "",
                ItemStatus::Unsigned,
                ImageRecordCode::Uploaded.as_str(),
                format!("uploaded at {t} (registry record, unsigned)"),
            ),
            _ => ItemReport::new(
                IMAGE_RECORD,
                "",
                ItemStatus::Unsigned,
                ImageRecordCode::NoUploadTime.as_str(),
                "the record gives no upload time",
            ),
        };
        let facts = &mut r.facts;
        facts.insert("source", self.source.as_str().into());
        if let Some(repo) = &self.repository {
            facts.insert("repository", repo.as_str().into());
        }
        for (key, value) in &self.extra {
            facts.insert(key, value.clone());
        }
        if let Some(e) = entry {
            if !e.tags.is_empty() || self.source != Source::Describe {
                facts.insert(
                    "tags",
                    Value::Array(e.tags.iter().map(|t| t.as_str().into()).collect()),
                );
            }
            for (key, time) in [
                ("uploadTime", e.upload_time),
                ("buildTime", e.build_time),
                ("createTime", e.create_time),
                ("updateTime", e.update_time),
            ] {
                if let Some(t) = time {
                    facts.insert(key, t.to_string().into());
                }
            }
            if let Some(size) = e.size_bytes {
                facts.insert("imageSizeBytes", size.into());
            }
            if let Some(m) = &e.media_type {
                facts.insert("mediaType", m.as_str().into());
            }
            r.recorded_time = e.upload_time;
        }
        r
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<&'a str>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{at}{key}` must be a string")),
    }
}

fn opt_time(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<Timestamp>, String> {
    opt_str(obj, key, at)?
        .filter(|t| !t.is_empty())
        .map(|t| {
            Timestamp::parse_rfc3339(t)
                .map_err(|_| format!("`{at}{key}` is not an RFC 3339 time: `{t}`"))
        })
        .transpose()
}

/// An int64 as proto3 JSON writes it (a decimal string) or as a number.
fn opt_u64(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<u64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) if s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse()
            .map(Some)
            .map_err(|_| format!("`{at}{key}` is out of range")),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{at}{key}` must be a non-negative integer")),
        Some(_) => Err(format!("`{at}{key}` must be a non-negative integer")),
    }
}

/// Milliseconds since the epoch (Container Registry's `time…Ms`), string or number.
fn opt_millis(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<Timestamp>, String> {
    opt_u64(obj, key, at)?
        .map(|ms| {
            i64::try_from(ms / 1000)
                .ok()
                .and_then(|s| {
                    Timestamp::from_unix(s, u32::try_from(ms % 1000).unwrap_or(0) * 1_000_000)
                })
                .ok_or_else(|| format!("`{at}{key}` is out of range"))
        })
        .transpose()
}

/// Tags: a list of strings; gcloud prints `""` when tags were not asked for.
fn tags(
    obj: &Map<String, Value>,
    key: &str,
    at: &str,
    limits: &Limits,
) -> Result<Vec<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            if items.len() > limits.max_occurrences {
                return Err(format!(
                    "`{at}{key}` has more than {} tags",
                    limits.max_occurrences
                ));
            }
            items
                .iter()
                .map(|t| {
                    t.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| format!("`{at}{key}` must be a list of strings"))
                })
                .collect()
        }
        Some(_) => Err(format!("`{at}{key}` must be a list of strings")),
    }
}

/// A `sha256:<hex>` digest, lower-case hex only.
fn sha256_digest(text: &str) -> Option<String> {
    let hex = text.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| text.to_owned())
}

/// The one digest several fields name; they must agree.
fn agree(named: &[(&str, Option<String>)]) -> Result<String, String> {
    let mut found: Option<(&str, &String)> = None;
    for (field, digest) in named {
        if let Some(d) = digest {
            match found {
                Some((first, seen)) if seen != d => {
                    return Err(format!(
                        "`{first}` and `{field}` name different digests ({seen}, {d})"
                    ));
                }
                Some(_) => {}
                None => found = Some((field, d)),
            }
        }
    }
    Ok(found.map(|(_, d)| d.clone()).unwrap_or_default())
}

/// Reads one image record.
pub(crate) fn parse_record(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<ImageRecord, String> {
    if obj.contains_key("manifest") {
        parse_tags_list(obj, limits)
    } else if obj.contains_key("fully_qualified_digest") {
        parse_describe_summary(obj)
    } else if obj.contains_key("package") && obj.contains_key("version") {
        parse_gcloud_item(obj, limits)
    } else {
        parse_docker_image(obj, limits)
    }
}

fn parse_docker_image(obj: &Map<String, Value>, limits: &Limits) -> Result<ImageRecord, String> {
    let uri = opt_str(obj, "uri", "")?;
    let name = opt_str(obj, "name", "")?;
    let digest = agree(&[
        ("uri", uri.and_then(digest_of_uri)),
        ("name", name.and_then(digest_of_uri)),
    ])?;
    let repository = uri
        .and_then(|u| u.rsplit_once('@'))
        .map(|(r, _)| r.to_owned());
    Ok(ImageRecord {
        source: Source::DockerImage,
        repository,
        entries: vec![Entry {
            digest,
            tags: tags(obj, "tags", "", limits)?,
            upload_time: opt_time(obj, "uploadTime", "")?,
            build_time: opt_time(obj, "buildTime", "")?,
            create_time: None,
            update_time: opt_time(obj, "updateTime", "")?,
            size_bytes: opt_u64(obj, "imageSizeBytes", "")?,
            media_type: opt_str(obj, "mediaType", "")?.map(str::to_owned),
        }],
        extra: Vec::new(),
    })
}

fn parse_gcloud_item(obj: &Map<String, Value>, limits: &Limits) -> Result<ImageRecord, String> {
    let package = opt_str(obj, "package", "")?;
    let version = opt_str(obj, "version", "")?;
    let empty = Map::new();
    let metadata = match obj.get("metadata") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return Err("`metadata` must be an object".into()),
    };
    const AT: &str = "metadata.";
    let digest = agree(&[
        ("version", version.and_then(sha256_digest)),
        (
            "metadata.name",
            opt_str(metadata, "name", AT)?.and_then(digest_of_uri),
        ),
    ])?;
    Ok(ImageRecord {
        source: Source::GcloudList,
        repository: package.map(str::to_owned),
        entries: vec![Entry {
            digest,
            tags: tags(obj, "tags", "", limits)?,
            // gcloud prints no `uploadTime`: its `createTime` is not taken as one (P-6).
            upload_time: None,
            build_time: opt_time(metadata, "buildTime", AT)?,
            create_time: opt_time(obj, "createTime", "")?,
            update_time: opt_time(obj, "updateTime", "")?,
            size_bytes: opt_u64(metadata, "imageSizeBytes", AT)?,
            media_type: opt_str(metadata, "mediaType", AT)?.map(str::to_owned),
        }],
        extra: Vec::new(),
    })
}

fn parse_tags_list(obj: &Map<String, Value>, limits: &Limits) -> Result<ImageRecord, String> {
    let manifest = obj
        .get("manifest")
        .and_then(Value::as_object)
        .ok_or("`manifest` must be an object keyed by digest")?;
    if manifest.len() > limits.max_occurrences {
        return Err(format!(
            "`manifest` has more than {} digests",
            limits.max_occurrences
        ));
    }
    let mut entries = Vec::with_capacity(manifest.len());
    for (key, entry) in manifest {
        let at = format!("manifest.{key}.");
        let digest = sha256_digest(key)
            .ok_or_else(|| format!("`manifest` key `{key}` is not a sha256 digest"))?;
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("`manifest.{key}` must be an object"))?;
        entries.push(Entry {
            digest,
            tags: tags(entry, "tag", &at, limits)?,
            upload_time: opt_millis(entry, "timeUploadedMs", &at)?,
            build_time: None,
            create_time: opt_millis(entry, "timeCreatedMs", &at)?,
            update_time: None,
            size_bytes: opt_u64(entry, "imageSizeBytes", &at)?,
            media_type: opt_str(entry, "mediaType", &at)?.map(str::to_owned),
        });
    }
    // Map keys are unique; sorted here whatever order the map keeps.
    entries.sort_by(|a, b| a.digest.cmp(&b.digest));
    Ok(ImageRecord {
        source: Source::ContainerRegistry,
        repository: opt_str(obj, "name", "")?.map(str::to_owned),
        entries,
        extra: Vec::new(),
    })
}

fn parse_describe_summary(obj: &Map<String, Value>) -> Result<ImageRecord, String> {
    const AT: &str = "image_summary.";
    let fqd = opt_str(obj, "fully_qualified_digest", AT)?;
    let digest = agree(&[
        (
            "image_summary.digest",
            opt_str(obj, "digest", AT)?.and_then(sha256_digest),
        ),
        (
            "image_summary.fully_qualified_digest",
            fqd.and_then(digest_of_uri),
        ),
    ])?;
    let mut extra = Vec::new();
    if let Some(f) = fqd {
        extra.push(("fullyQualifiedDigest", f.into()));
    }
    if let Some(level) = obj
        .get("slsa_build_level")
        .filter(|v| v.is_string() || v.is_number())
    {
        extra.push(("slsaBuildLevel", level.clone()));
    }
    Ok(ImageRecord {
        source: Source::Describe,
        repository: fqd
            .and_then(|f| f.rsplit_once('@'))
            .map(|(r, _)| r.to_owned()),
        entries: vec![Entry {
            digest,
            ..Entry::default()
        }],
        extra,
    })
}
