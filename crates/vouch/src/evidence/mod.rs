//! Evidence: everything presented in support of images — attestation occurrences, and the
//! other kinds of supply-chain evidence (vulnerability findings, scans, build provenance,
//! cosign signatures and sigstore bundles, image records) — read and indexed once, and how it
//! is checked.
//!
//! Evidence is not configuration: a malformed item never stops an evaluation, it just does
//! not count, and the decision (or the inspection report) says why. Items are parsed once into
//! [`Evidence`], which indexes attestations by (note, digest) and every other item by digest,
//! so that unrelated evidence costs nothing at evaluation time.

mod check;
mod inspect;
pub(crate) mod kinds;
pub(crate) mod occurrence;
mod platform;
pub(crate) mod provenance;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod sigstore;
mod simple_signing;
pub(crate) mod vulnerability;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

pub(crate) use check::{
    AttestorCheck, CheckedImage, Freshness, Signer, Verifications, check_attestor, check_signed,
};
use kinds::{Item, Shape};
use occurrence::Occurrence;
pub(crate) use platform::occurrence_project;
pub use report::{
    EvidenceCode, EvidenceReport, ImageEvidence, ItemReport, ItemStatus, evidence_codes,
};
pub use simple_signing::{Statement, parse_simple_signing};

use crate::error::{Error, ErrorCode, Subject, join, join_index};
use crate::limits::Limits;
use crate::read::document;

/// All evidence of one evaluation, parsed once: attestations indexed by note and digest,
/// every other item by digest.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    occurrences: Vec<Occurrence>,
    index: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Positions in `occurrences` by digest, whatever the note (platform policies' attestation
    /// check has no note, decision P-7).
    attestations_by_digest: HashMap<String, Vec<usize>>,
    /// Evidence items other than attestations, in input order.
    others: Vec<Item>,
    /// Positions in `others` by digest.
    by_digest: HashMap<String, Vec<usize>>,
    /// Positions in `others` of image records by their repository (an `https://` prefix
    /// removed): a tag-only image's record is found without reading every record.
    records_by_repository: HashMap<String, Vec<usize>>,
    /// Occurrence kinds vouch does not read, counted.
    unknown: BTreeMap<String, usize>,
    /// Every item read, of every kind.
    items_read: usize,
}

impl Evidence {
    /// No attestations.
    pub fn new() -> Evidence {
        Evidence::default()
    }

    /// Loads evidence from YAML or JSON text, or JSON lines (one object per line), in any
    /// shape [`Evidence::add_value`] reads (`docs/formats.md`, "Evidence input shapes").
    pub fn from_text(text: &str) -> Result<Evidence, Error> {
        Evidence::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads occurrences from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<Evidence, Error> {
        let value = parse_text(text, limits, &document::AliasBudget::new(limits))
            .map_err(|e| e.about(Subject::Attestations))?;
        let mut e = Evidence::new();
        e.add_value(&value, limits)?;
        Ok(e)
    }

    /// Loads occurrences from a value (see [`Evidence::add_value`]).
    pub fn from_value(value: Value, limits: &Limits) -> Result<Evidence, Error> {
        let mut e = Evidence::new();
        e.add_value(&value, limits)?;
        Ok(e)
    }

    /// Adds evidence from text, as [`Evidence::from_text`] reads it.
    pub fn add_text(&mut self, text: &str) -> Result<(), Error> {
        let limits = &Limits::DEFAULT;
        let value = parse_text(text, limits, &document::AliasBudget::new(limits))
            .map_err(|e| e.about(Subject::Attestations))?;
        self.add_value(&value, limits)
    }

    /// Adds occurrences from a value: a list (as `gcloud … attestations list --format=json`
    /// prints), one occurrence or evidence object, `{"occurrences": [...]}`, Artifact
    /// Registry's `{"dockerImages": [...]}`, the object
    /// `gcloud artifacts docker images describe --show-all-metadata --format=json` prints, or
    /// `null` (none). (JSON lines are text: see [`Evidence::from_text`].)
    pub fn add_value(&mut self, value: &Value, limits: &Limits) -> Result<(), Error> {
        self.add_occurrences(value, limits)
            .map_err(|e| e.about(Subject::Attestations))
    }

    fn add_occurrences(&mut self, value: &Value, limits: &Limits) -> Result<(), Error> {
        // `base` is the pointer of the list holding the occurrences; `None` for a lone one.
        let (items, base): (&[Value], Option<&str>) = match value {
            Value::Null => (&[], None),
            Value::Array(items) => (items, Some("")),
            Value::Object(obj) if obj.contains_key("occurrences") => match obj.get("occurrences") {
                Some(Value::Array(items)) => (items, Some("/occurrences")),
                _ => {
                    return Err(Error::new(
                        ErrorCode::InputInvalidAttestations,
                        "/occurrences",
                        "`occurrences` must be a list",
                    ));
                }
            },
            // Artifact Registry's `dockerImages.list` REST response.
            Value::Object(obj) if obj.contains_key("dockerImages") => match obj.get("dockerImages")
            {
                Some(Value::Array(items)) => (items, Some("/dockerImages")),
                _ => {
                    return Err(Error::new(
                        ErrorCode::InputInvalidAttestations,
                        "/dockerImages",
                        "`dockerImages` must be a list",
                    ));
                }
            },
            Value::Object(obj) if obj.get("image_summary").is_some_and(Value::is_object) => {
                return self.add_describe(obj, limits);
            }
            Value::Object(obj)
                if ["noteName", "resourceUri", "attestation", "kind"]
                    .iter()
                    .any(|k| obj.contains_key(*k))
                    || !matches!(kinds::shape(obj), Shape::Attestation) =>
            {
                (std::slice::from_ref(value), None)
            }
            other => {
                return Err(Error::new(
                    ErrorCode::InputInvalidAttestations,
                    "",
                    format!(
                        "attestations must be a list of occurrences, one occurrence, or {{\"occurrences\": [...]}}, found {}",
                        if other.is_object() {
                            "an object that is not an occurrence"
                        } else {
                            document::type_name(other)
                        }
                    ),
                ));
            }
        };
        if self.items_read + items.len() > limits.max_occurrences {
            return Err(Error::new(
                ErrorCode::InputTooManyOccurrences,
                "",
                format!(
                    "more than {} attestation occurrences",
                    limits.max_occurrences
                ),
            ));
        }
        for (i, item) in items.iter().enumerate() {
            self.read_item(item, limits).map_err(|e| match base {
                Some(base) => e.within(&join_index(base, i)),
                None => e,
            })?;
        }
        Ok(())
    }

    /// Reads the object `gcloud artifacts docker images describe IMAGE --show-all-metadata
    /// --format=json` prints: its `image_summary` (an image record of the described digest),
    /// then every occurrence in its summaries, in [`DESCRIBE_SUMMARIES`] order. gcloud lists a
    /// `BUILD` occurrence in both `provenance_summary` and `build_details_summary`, and a
    /// `DSSE_ATTESTATION` in both `provenance_summary` and `dsse_attestation_summary`: an
    /// occurrence whose `name` was already read from this object is read once. Error paths
    /// point into the object (`/discovery_summary/discovery/0`).
    fn add_describe(&mut self, obj: &Map<String, Value>, limits: &Limits) -> Result<(), Error> {
        let mut items: Vec<(String, &Value)> = Vec::new();
        for (summary, member) in DESCRIBE_SUMMARIES {
            let Some(found) = obj.get(summary).filter(|v| !v.is_null()) else {
                continue;
            };
            let base = join("", summary);
            let list = found
                .as_object()
                .ok_or_else(|| not_a(&base, "an object"))?
                .get(member)
                .filter(|v| !v.is_null());
            let Some(list) = list else {
                continue;
            };
            let base = join(&base, member);
            match list {
                // `package_vulnerability_summary.vulnerabilities` is keyed by severity.
                Value::Object(by_severity) if summary == "package_vulnerability_summary" => {
                    for (severity, occs) in by_severity {
                        let at = join(&base, severity);
                        let occs = occs.as_array().ok_or_else(|| not_a(&at, "a list"))?;
                        items.extend(
                            occs.iter()
                                .enumerate()
                                .map(|(i, o)| (join_index(&at, i), o)),
                        );
                    }
                }
                Value::Array(occs) => {
                    items.extend(
                        occs.iter()
                            .enumerate()
                            .map(|(i, o)| (join_index(&base, i), o)),
                    );
                }
                _ => return Err(not_a(&base, "a list")),
            }
            // Every occurrence, plus the `image_summary` record.
            if self.items_read + items.len() + 1 > limits.max_occurrences {
                return Err(too_many(limits));
            }
        }
        if let Some(summary) = obj.get("image_summary").and_then(Value::as_object) {
            if self.items_read >= limits.max_occurrences {
                return Err(too_many(limits));
            }
            let position = self.items_read;
            self.items_read += 1;
            self.push_other(Item::parse(kinds::IMAGE_RECORD, summary, position, limits));
        }
        let first = self.others.len();
        let mut seen: HashSet<&str> = HashSet::new();
        for (path, item) in items {
            if let Some(name) = item.get("name").and_then(Value::as_str)
                && !name.is_empty()
                && !seen.insert(name)
            {
                continue;
            }
            self.read_item(item, limits).map_err(|e| e.within(&path))?;
        }
        // Provenance read from this object must agree with its unsigned `image_summary`
        // (decision P-9, as slsa-verifier's `VerifySummary`).
        let summary = obj.get("image_summary").and_then(Value::as_object);
        for item in self.others.iter_mut().skip(first) {
            if let kinds::Body::Build(b) | kinds::Body::DsseAttestation(b) = &mut item.body {
                b.described_by(summary);
            }
        }
        Ok(())
    }

    /// Reads one list element: an attestation occurrence, another kind of evidence, or an
    /// occurrence of a kind vouch does not read (counted). Anything that is not an object is
    /// not evidence and is skipped.
    fn read_item(&mut self, item: &Value, limits: &Limits) -> Result<(), Error> {
        let Some(obj) = item.as_object() else {
            return Ok(());
        };
        let position = self.items_read;
        self.items_read += 1;
        match kinds::shape(obj) {
            Shape::Attestation => {
                if let Some(occ) = Occurrence::parse(item, self.occurrences.len(), limits)? {
                    self.push(occ);
                }
            }
            Shape::Other(kind) => self.push_other(Item::parse(kind, obj, position, limits)),
            Shape::Unknown(kind) => {
                *self.unknown.entry(kind.to_owned()).or_default() += 1;
            }
        }
        Ok(())
    }

    /// Indexes an item other than an attestation under each digest it names.
    fn push_other(&mut self, parsed: Item) {
        let index = self.others.len();
        let mut digests = parsed.digests();
        digests.sort();
        digests.dedup();
        for digest in digests {
            self.by_digest.entry(digest).or_default().push(index);
        }
        if let kinds::Body::ImageRecord(record) = &parsed.body
            && let Some(repository) = &record.repository
        {
            let key = repository.strip_prefix("https://").unwrap_or(repository);
            self.records_by_repository
                .entry(key.to_owned())
                .or_default()
                .push(index);
        }
        self.others.push(parsed);
    }

    /// Adds one list element: an occurrence object (anything else is not an occurrence and is
    /// skipped, as inside a list).
    pub(crate) fn add_item(&mut self, item: &Value, limits: &Limits) -> Result<(), Error> {
        if self.items_read >= limits.max_occurrences {
            return Err(Error::new(
                ErrorCode::InputTooManyOccurrences,
                "",
                format!(
                    "more than {} attestation occurrences",
                    limits.max_occurrences
                ),
            ));
        }
        self.read_item(item, limits)
    }

    fn push(&mut self, occ: Occurrence) {
        let position = self.occurrences.len();
        for digest in &occ.resource_digests {
            self.attestations_by_digest
                .entry(digest.clone())
                .or_default()
                .push(position);
        }
        if let Some(note) = &occ.note_name {
            for digest in &occ.resource_digests {
                self.index
                    .entry(note.clone())
                    .or_default()
                    .entry(digest.clone())
                    .or_default()
                    .push(position);
            }
        }
        self.occurrences.push(occ);
    }

    /// How many attestation occurrences were read.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// Whether there are no attestation occurrences.
    pub fn is_empty(&self) -> bool {
        self.occurrences.is_empty()
    }

    /// How many evidence items were read, of every kind (unknown kinds included).
    pub fn items_read(&self) -> usize {
        self.items_read
    }

    /// Occurrences attached to `note` whose `resourceUri` ends with `@digest`, in input order.
    fn candidates<'a>(
        &'a self,
        note: &str,
        digest: &str,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        let positions = self
            .index
            .get(note)
            .and_then(|by_digest| by_digest.get(digest));
        positions
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.occurrences.get(i))
    }
}

/// The summaries of `gcloud artifacts docker images describe --show-all-metadata
/// --format=json` that hold occurrences, with the member holding them, in the order gcloud
/// builds them (`ContainerAnalysisMetadata.ArtifactsDescribeView` in the Cloud SDK's
/// `command_lib/artifacts/containeranalysis_util.py`).
const DESCRIBE_SUMMARIES: [(&str, &str); 12] = [
    ("image_basis_summary", "base_images"),
    ("deployment_summary", "deployments"),
    ("discovery_summary", "discovery"),
    ("build_details_summary", "build_details"),
    ("package_vulnerability_summary", "vulnerabilities"),
    ("provenance_summary", "provenance"),
    ("package_summary", "packages"),
    ("attestation_summary", "attestations"),
    ("upgrade_summary", "upgrades"),
    ("compliance_summary", "compliances"),
    ("dsse_attestation_summary", "dsse_attestations"),
    ("sbom_summary", "sbom_references"),
];

fn not_a(path: &str, what: &str) -> Error {
    Error::new(
        ErrorCode::InputInvalidAttestations,
        path,
        format!("`{path}` must be {what}"),
    )
}

fn too_many(limits: &Limits) -> Error {
    Error::new(
        ErrorCode::InputTooManyOccurrences,
        "",
        format!(
            "more than {} attestation occurrences",
            limits.max_occurrences
        ),
    )
}

/// Parses evidence text: JSON lines (one object per line, as `cosign download signature` and
/// log exports print), else one JSON or YAML document ([`document::parse`]).
///
/// The text is JSON lines when its first non-blank line is, on its own, a JSON object and its
/// second non-blank line starts with `{` (no single JSON or YAML document looks like that).
/// Blank lines are skipped; the objects become a list, so a bad line's error path is `/N`,
/// with `N` the 0-based index of the line among the non-blank lines. The byte, depth and count
/// budgets are those of a list.
pub(crate) fn parse_text(
    text: &str,
    limits: &Limits,
    budget: &document::AliasBudget,
) -> Result<Value, Error> {
    if text.len() <= limits.max_input_bytes {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = body.lines().map(str::trim).filter(|line| !line.is_empty());
        if let (Some(first), Some(second)) = (lines.next(), lines.next())
            && first.starts_with('{')
            && second.starts_with('{')
            && let Ok(first_value) = document::parse_json(first, limits)
            && first_value.is_object()
        {
            let mut values = vec![first_value];
            for (i, line) in std::iter::once(second).chain(lines).enumerate() {
                if values.len() >= limits.max_occurrences {
                    return Err(too_many(limits));
                }
                let value = document::parse_json(line, limits)
                    .map_err(|e| e.within(&join_index("", i + 1)))?;
                values.push(value);
            }
            return Ok(Value::Array(values));
        }
    }
    document::parse_within(text, limits, budget)
}

#[cfg(test)]
mod tests;
