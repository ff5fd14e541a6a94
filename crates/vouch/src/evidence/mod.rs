//! Evidence: the attestation occurrences of one evaluation, read and indexed by note and
//! digest, and how they are checked for an attestor.
//!
//! Occurrences are evidence, not configuration: a malformed one never stops an evaluation, it
//! just does not count, and the decision says why. They are parsed once into [`Evidence`],
//! which indexes them by (note, digest) so that unrelated occurrences cost nothing at
//! evaluation time.

mod check;
mod occurrence;
mod simple_signing;

use std::collections::HashMap;

use serde_json::Value;

pub(crate) use check::{AttestorCheck, CheckedImage, Verifications, check_attestor};
use occurrence::Occurrence;
pub use simple_signing::{Statement, parse_simple_signing};

use crate::error::{Error, ErrorCode, Subject, join_index};
use crate::limits::Limits;
use crate::read::document;

/// All attestations of one evaluation, parsed once and indexed by note and digest.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    occurrences: Vec<Occurrence>,
    index: HashMap<String, HashMap<String, Vec<usize>>>,
}

impl Evidence {
    /// No attestations.
    pub fn new() -> Evidence {
        Evidence::default()
    }

    /// Loads occurrences from YAML or JSON text (see [`Evidence::add_value`]).
    pub fn from_text(text: &str) -> Result<Evidence, Error> {
        Evidence::from_text_with_limits(text, &Limits::DEFAULT)
    }

    /// Loads occurrences from YAML or JSON text under explicit limits.
    pub fn from_text_with_limits(text: &str, limits: &Limits) -> Result<Evidence, Error> {
        let value = document::parse(text, limits).map_err(|e| e.about(Subject::Attestations))?;
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

    /// Adds occurrences from YAML or JSON text (see [`Evidence::add_value`]).
    pub fn add_text(&mut self, text: &str) -> Result<(), Error> {
        let value =
            document::parse(text, &Limits::DEFAULT).map_err(|e| e.about(Subject::Attestations))?;
        self.add_value(&value, &Limits::DEFAULT)
    }

    /// Adds occurrences from a value: a list (as `gcloud … attestations list --format=json`
    /// prints), one occurrence, `{"occurrences": [...]}`, or `null` (none).
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
            Value::Object(obj)
                if ["noteName", "resourceUri", "attestation", "kind"]
                    .iter()
                    .any(|k| obj.contains_key(*k)) =>
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
        if self.occurrences.len() + items.len() > limits.max_occurrences {
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
            let position = self.occurrences.len();
            let parsed = Occurrence::parse(item, position, limits).map_err(|e| match base {
                Some(base) => e.within(&join_index(base, i)),
                None => e,
            })?;
            if let Some(occ) = parsed {
                self.push(occ);
            }
        }
        Ok(())
    }

    /// Adds one list element: an occurrence object (anything else is not an occurrence and is
    /// skipped, as inside a list).
    pub(crate) fn add_item(&mut self, item: &Value, limits: &Limits) -> Result<(), Error> {
        if self.occurrences.len() >= limits.max_occurrences {
            return Err(Error::new(
                ErrorCode::InputTooManyOccurrences,
                "",
                format!(
                    "more than {} attestation occurrences",
                    limits.max_occurrences
                ),
            ));
        }
        if let Some(occ) = Occurrence::parse(item, self.occurrences.len(), limits)? {
            self.push(occ);
        }
        Ok(())
    }

    fn push(&mut self, occ: Occurrence) {
        let position = self.occurrences.len();
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

    /// How many occurrences were read.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.occurrences.is_empty()
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

#[cfg(test)]
mod tests;
