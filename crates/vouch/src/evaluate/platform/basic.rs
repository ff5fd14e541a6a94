//! The checks that read no signature: `alwaysDeny`, `trustedDirectoryCheck` (the image string,
//! decision P-4) and `imageFreshnessCheck` (image records' upload times, decision P-6).

use super::{ImageContext, Outcome, Subject};
use crate::decision::platform::{PlatformDetailCode as Code, PlatformVerdict as V};
use crate::evidence::kinds::Body;
use crate::policy::platform::pattern::DirectoryPattern;
use crate::request::image_ref::ImageRef;
use crate::time::Timestamp;

const DAY_SECONDS: i64 = 86_400;

/// `alwaysDeny: true`: never conformant once reached.
pub(super) fn always_deny() -> Outcome {
    Outcome::new(V::NonConformant, "The check always denies").with(
        Code::AlwaysDeny,
        "`alwaysDeny` is reached: no image outside an allowlist conforms",
    )
}

/// `trustedDirectoryCheck`: the image string's directory against the patterns (no digest
/// needed, decision P-4).
pub(super) fn trusted_directory(patterns: &[DirectoryPattern], subject: &Subject<'_>) -> Outcome {
    let text = subject.image.image.as_str();
    match patterns.iter().find(|p| p.matches_image(text)) {
        Some(p) => Outcome::new(V::Conformant, "Image is in a trusted directory").with(
            Code::InTrustedDirectory,
            format!("trusted directory pattern `{}` matches", p.as_str()),
        ),
        None => Outcome::new(V::NonConformant, "Image is not in a trusted directory").with(
            Code::NotInTrustedDirectory,
            format!(
                "none of the {} trusted directory patterns matches `{text}`",
                patterns.len()
            ),
        ),
    }
}

/// `imageFreshnessCheck` (decision P-6): NON_CONFORMANT iff `now − upload > days × 86,400 s`;
/// no upload time is ERROR.
pub(super) fn freshness(days: u32, subject: &Subject<'_>, ctx: &ImageContext<'_>) -> Outcome {
    let window = i64::from(days).saturating_mul(DAY_SECONDS);
    let Some((uploaded, from)) = upload_time(subject, ctx) else {
        let message = match (subject.digest, subject.image.image.tag()) {
            (Some(d), _) => format!("no image record gives an upload time for `{d}`"),
            (None, Some(tag)) => format!(
                "no image record of repository `{}` gives an upload time for tag `{tag}`",
                subject.image.image.repository()
            ),
            (None, None) => "the image names neither digest nor tag".to_owned(),
        };
        return Outcome::new(V::Error, "Image upload time is unknown")
            .with(Code::NoUploadTime, message);
    };
    let nanos =
        |t: Timestamp| i128::from(t.unix_seconds()) * 1_000_000_000 + i128::from(t.subsec_nanos());
    let age_nanos = nanos(ctx.now) - nanos(uploaded);
    let age = ctx
        .now
        .unix_seconds()
        .saturating_sub(uploaded.unix_seconds());
    // Exact to the nanosecond: exactly `days` days old still conforms.
    if age_nanos > i128::from(window) * 1_000_000_000 {
        Outcome::new(
            V::NonConformant,
            format!("Image was uploaded more than {days} days ago"),
        )
        .with(
            Code::ImageTooOld,
            format!(
                "uploaded at {uploaded} ({from}), {} old, more than maxUploadAgeDays {days}",
                crate::time::format_duration(age.unsigned_abs())
            ),
        )
    } else {
        Outcome::new(
            V::Conformant,
            format!("Image was uploaded at most {days} days ago"),
        )
        .with(Code::ImageFresh, format!("uploaded at {uploaded} ({from})"))
    }
}

/// The image's upload time (the earliest any record gives: fail closed) and the record that
/// gives it. By digest; for an image without a digest of its own, also a record of its
/// repository whose tag list holds its exact tag (decision P-4), which must agree with a tag
/// resolution if there is one.
fn upload_time(subject: &Subject<'_>, ctx: &ImageContext<'_>) -> Option<(Timestamp, String)> {
    let mut best: Option<(Timestamp, String)> = None;
    let consider = |best: &mut Option<(Timestamp, String)>, t: Timestamp, label: &str| {
        if best.as_ref().is_none_or(|(b, _)| t < *b) {
            *best = Some((t, format!("image record {label}")));
        }
    };
    if let Some(digest) = subject.digest {
        for item in ctx.evidence.items_for_digest(digest) {
            if let Body::ImageRecord(record) = &item.body
                && let Some(t) = record.upload_time(digest)
            {
                consider(&mut best, t, &item.label);
            }
        }
    }
    let image = &subject.image.image;
    if best.is_none()
        && image.digest().is_none()
        && let Some(tag) = image.tag()
    {
        // Only records that can be of this repository (`same_repository` decides): reading
        // every record for every tag-only image string would cost images × records.
        let mut keys = vec![image.repository()];
        if is_gcr(image) {
            keys.push(image.path());
        }
        for (item, record) in ctx.evidence.image_records_of(&keys) {
            let Some(repository) = &record.repository else {
                continue;
            };
            if !same_repository(repository, image) {
                continue;
            }
            for entry in &record.entries {
                let digest_agrees = subject
                    .digest
                    .is_none_or(|d| entry.digest.is_empty() || entry.digest == d);
                if digest_agrees
                    && entry.tags.iter().any(|t| t == tag)
                    && let Some(t) = entry.upload_time
                {
                    consider(&mut best, t, &item.label);
                }
            }
        }
    }
    best
}

/// Whether a record's repository is the image's: equal (an `https://` prefix aside), or a
/// Container Registry `tags/list` name (`PROJECT/IMAGE`, no host) for an image on a `gcr.io`
/// host with that path.
fn same_repository(record: &str, image: &ImageRef) -> bool {
    let record = record.strip_prefix("https://").unwrap_or(record);
    if record == image.repository() {
        return true;
    }
    let gcr = is_gcr(image);
    let first = record.split('/').next().unwrap_or_default();
    let hostless = !first.contains('.') && !first.contains(':') && first != "localhost";
    gcr && hostless && record == image.path()
}

/// Whether the image is on a Container Registry host (`gcr.io`, `*.gcr.io`).
fn is_gcr(image: &ImageRef) -> bool {
    image
        .registry()
        .is_some_and(|r| r == "gcr.io" || r.ends_with(".gcr.io"))
}
