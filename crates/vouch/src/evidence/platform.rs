//! The evidence lookups GKE platform-policy checks make (`evaluate/platform/`): attestation
//! occurrences by digest whatever their note (decision P-7), the other items filed under a
//! digest, every image record (a tag-only image's freshness, decision P-4), and the project an
//! occurrence lies in (decisions P-5, P-7, P-9: only listed projects count).

use super::Evidence;
use super::kinds::{Body, Item};
use super::occurrence::Occurrence;
use super::record::ImageRecord;

/// The project `P` of an occurrence named `projects/P/occurrences/ID`; `None` for any other
/// name (an occurrence without a name lies in no project, so no listed project holds it).
pub(crate) fn occurrence_project(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("projects/")?;
    let (project, rest) = rest.split_once('/')?;
    let id = rest.strip_prefix("occurrences/")?;
    (!project.is_empty() && !id.is_empty() && !id.contains('/')).then_some(project)
}

impl Evidence {
    /// Attestation occurrences whose resource names `digest`, whatever their note, in input
    /// order.
    pub(crate) fn attestations_for_digest<'a>(
        &'a self,
        digest: &str,
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.attestations_by_digest
            .get(digest)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.occurrences.get(i))
    }

    /// Evidence items other than attestations filed under `digest`, in input order.
    pub(crate) fn items_for_digest<'a>(
        &'a self,
        digest: &str,
    ) -> impl Iterator<Item = &'a Item> + 'a {
        self.by_digest
            .get(digest)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.others.get(i))
    }

    /// The image records whose repository (an `https://` prefix removed) is one of
    /// `repositories`, in input order (looked through for a tag, decision P-4).
    pub(crate) fn image_records_of(&self, repositories: &[&str]) -> Vec<(&Item, &ImageRecord)> {
        let mut positions: Vec<usize> = repositories
            .iter()
            .filter_map(|r| self.records_by_repository.get(*r))
            .flatten()
            .copied()
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
            .into_iter()
            .filter_map(|i| self.others.get(i))
            .filter_map(|item| match &item.body {
                Body::ImageRecord(record) => Some((item, record)),
                _ => None,
            })
            .collect()
    }
}

impl Occurrence {
    /// The occurrence's `name`, or `#N` when it has none.
    pub(crate) fn label(&self) -> &str {
        &self.label
    }
}

#[cfg(test)]
mod tests {
    use super::occurrence_project;

    #[test]
    fn projects_of_occurrence_names() {
        assert_eq!(
            occurrence_project("projects/p1/occurrences/abc"),
            Some("p1")
        );
        assert_eq!(occurrence_project("projects/p1/notes/abc"), None);
        assert_eq!(occurrence_project("projects//occurrences/abc"), None);
        assert_eq!(occurrence_project("projects/p1/occurrences/"), None);
        assert_eq!(occurrence_project("projects/p1/occurrences/a/b"), None);
        assert_eq!(occurrence_project("#3"), None);
        assert_eq!(occurrence_project("p1/occurrences/abc"), None);
    }
}
