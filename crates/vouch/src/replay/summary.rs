//! The replay summary: counts grouped by cluster, namespace, image repository, rule, reason
//! code and hour, the distinct workloads (X-4: a controller's Pods grouped by namespace, owner
//! and images), and the top newly blocked images, namespaces and workloads.
//!
//! Additive: summaries of parts merge into the summary of the whole ([`ReplaySummary::merge`]),
//! whatever the order, which is what lets threads and Beam workers count separately. Memory
//! grows with the fleet's distinct clusters, namespaces, repositories and workloads, never with
//! the number of events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Change, Class, Malformed, ReplayOutcome, ReplayRecord};

/// How many entries each top list holds.
pub const TOP: usize = 20;

/// Counts for one group (a cluster, a namespace, an hour, …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCounts {
    /// Events.
    pub events: u64,
    /// Events the candidate blocks.
    pub blocked: u64,
    /// Events the candidate blocks and the reference admitted.
    pub newly_blocked: u64,
    /// Events the candidate admits and the reference blocked.
    pub newly_admitted: u64,
}

impl GroupCounts {
    fn add(&mut self, record: &ReplayRecord) {
        self.events += 1;
        self.blocked += u64::from(record.candidate.class == Class::Blocked);
        self.newly_blocked += u64::from(record.change == Change::NewlyBlocked);
        self.newly_admitted += u64::from(record.change == Change::NewlyAdmitted);
    }

    fn merge(&mut self, other: &GroupCounts) {
        self.events += other.events;
        self.blocked += other.blocked;
        self.newly_blocked += other.newly_blocked;
        self.newly_admitted += other.newly_admitted;
    }
}

/// The summary of a replay. Its state serializes ([`ReplaySummary::to_state`]) so that parts
/// can travel between processes and be merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplaySummary {
    entries: u64,
    events: u64,
    duplicates: u64,
    skipped: BTreeMap<String, u64>,
    malformed: BTreeMap<String, u64>,
    reference: BTreeMap<String, u64>,
    logged: BTreeMap<String, u64>,
    candidate: BTreeMap<String, u64>,
    reference_classes: BTreeMap<String, u64>,
    changes: BTreeMap<String, u64>,
    objects_differ: u64,
    by_cluster: BTreeMap<String, GroupCounts>,
    by_namespace: BTreeMap<String, GroupCounts>,
    by_repository: BTreeMap<String, GroupCounts>,
    by_rule: BTreeMap<String, GroupCounts>,
    by_reason: BTreeMap<String, GroupCounts>,
    by_hour: BTreeMap<String, GroupCounts>,
    workloads: BTreeMap<String, GroupCounts>,
    newly_blocked_images: BTreeMap<String, u64>,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str, by: u64) {
    if let Some(n) = map.get_mut(key) {
        *n += by;
    } else {
        map.insert(key.to_owned(), by);
    }
}

fn group(map: &mut BTreeMap<String, GroupCounts>, key: &str, record: &ReplayRecord) {
    if let Some(g) = map.get_mut(key) {
        g.add(record);
    } else {
        let mut g = GroupCounts::default();
        g.add(record);
        map.insert(key.to_owned(), g);
    }
}

fn merge_counts(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (k, v) in from {
        bump(into, k, *v);
    }
}

fn merge_groups(into: &mut BTreeMap<String, GroupCounts>, from: &BTreeMap<String, GroupCounts>) {
    for (k, v) in from {
        into.entry(k.clone()).or_default().merge(v);
    }
}

/// `(none)` for an event without a cluster.
const NO_CLUSTER: &str = "(none)";

/// The workload a Pod belongs to: its owner, else its generated-name prefix, else its
/// name.
fn workload_of(record: &ReplayRecord) -> &str {
    record
        .owner
        .as_deref()
        .or(record.generate_name.as_deref())
        .or(record.name.as_deref())
        .unwrap_or("(unnamed)")
}

/// A workload key: cluster, namespace, workload, images, separated by NUL (never in any of
/// them).
fn workload_key(record: &ReplayRecord) -> String {
    let mut key = String::new();
    key.push_str(record.cluster.as_deref().unwrap_or(NO_CLUSTER));
    key.push('\u{0}');
    key.push_str(&record.namespace);
    key.push('\u{0}');
    key.push_str(workload_of(record));
    for image in &record.images {
        key.push('\u{0}');
        key.push_str(image);
    }
    key
}

/// `2026-11-23T10` for a time in that hour.
fn hour_of(record: &ReplayRecord) -> String {
    let t = record.time.unwrap_or(record.now).to_string();
    t.get(..13).unwrap_or(&t).to_owned()
}

impl ReplaySummary {
    /// An empty summary.
    pub fn new() -> ReplaySummary {
        ReplaySummary::default()
    }

    /// Counts one outcome.
    pub fn add(&mut self, outcome: &ReplayOutcome) {
        self.entries += 1;
        match outcome {
            ReplayOutcome::Skipped(reason) => bump(&mut self.skipped, reason.as_str(), 1),
            ReplayOutcome::Malformed(m) => self.add_malformed(m),
            ReplayOutcome::Event(record) => self.add_record(record),
        }
    }

    /// Counts an entry that was dropped as a duplicate of one already replayed.
    pub fn add_duplicate(&mut self) {
        self.entries += 1;
        self.duplicates += 1;
    }

    fn add_malformed(&mut self, m: &Malformed) {
        bump(&mut self.malformed, m.error.code().as_str(), 1);
    }

    fn add_record(&mut self, record: &ReplayRecord) {
        self.events += 1;
        bump(&mut self.reference, record.reference.as_str(), 1);
        bump(&mut self.logged, record.logged.outcome.as_str(), 1);
        bump(&mut self.candidate, record.candidate.class.as_str(), 1);
        bump(
            &mut self.reference_classes,
            record.reference_class.as_str(),
            1,
        );
        bump(&mut self.changes, record.change.as_str(), 1);
        self.objects_differ += u64::from(record.objects_differ.is_some());
        let cluster = record.cluster.as_deref().unwrap_or(NO_CLUSTER);
        group(&mut self.by_cluster, cluster, record);
        group(
            &mut self.by_namespace,
            &format!("{cluster}/{}", record.namespace),
            record,
        );
        let mut repositories: Vec<&str> = record.images.iter().map(|i| repository_of(i)).collect();
        repositories.sort_unstable();
        repositories.dedup();
        for repository in repositories {
            group(&mut self.by_repository, repository, record);
        }
        let rule = &record.candidate.rule;
        let rule_key = match &rule.key {
            Some(key) => format!("{} {key}", rule.kind.as_str()),
            None => rule.kind.as_str().to_owned(),
        };
        group(&mut self.by_rule, &rule_key, record);
        for code in record.candidate.reason_codes() {
            group(&mut self.by_reason, code, record);
        }
        group(&mut self.by_hour, &hour_of(record), record);
        group(&mut self.workloads, &workload_key(record), record);
        if record.change == Change::NewlyBlocked {
            let mut images: Vec<&str> = record
                .candidate
                .violations
                .iter()
                .map(|v| v.image.as_str())
                .collect();
            images.sort_unstable();
            images.dedup();
            for image in images {
                bump(&mut self.newly_blocked_images, image, 1);
            }
        }
    }

    /// Adds another summary's counts to this one.
    pub fn merge(&mut self, other: &ReplaySummary) {
        self.entries += other.entries;
        self.events += other.events;
        self.duplicates += other.duplicates;
        self.objects_differ += other.objects_differ;
        merge_counts(&mut self.skipped, &other.skipped);
        merge_counts(&mut self.malformed, &other.malformed);
        merge_counts(&mut self.reference, &other.reference);
        merge_counts(&mut self.logged, &other.logged);
        merge_counts(&mut self.candidate, &other.candidate);
        merge_counts(&mut self.reference_classes, &other.reference_classes);
        merge_counts(&mut self.changes, &other.changes);
        merge_counts(&mut self.newly_blocked_images, &other.newly_blocked_images);
        merge_groups(&mut self.by_cluster, &other.by_cluster);
        merge_groups(&mut self.by_namespace, &other.by_namespace);
        merge_groups(&mut self.by_repository, &other.by_repository);
        merge_groups(&mut self.by_rule, &other.by_rule);
        merge_groups(&mut self.by_reason, &other.by_reason);
        merge_groups(&mut self.by_hour, &other.by_hour);
        merge_groups(&mut self.workloads, &other.workloads);
    }

    /// Entries read (events + skipped + malformed + duplicates).
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Deployment events decided.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Entries that could not be read.
    pub fn malformed(&self) -> u64 {
        self.malformed.values().sum()
    }

    /// Events the candidate blocks and the reference admitted.
    pub fn newly_blocked(&self) -> u64 {
        self.changes
            .get(Change::NewlyBlocked.as_str())
            .copied()
            .unwrap_or(0)
    }

    /// The summary's state (every counter), for moving parts between processes.
    pub fn to_state(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A summary from [`ReplaySummary::to_state`]'s text.
    pub fn from_state(text: &str) -> Result<ReplaySummary, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The summary as `vouch replay --summary` writes it.
    pub fn to_value(&self) -> Value {
        let skipped: u64 = self.skipped.values().sum();
        let workloads_newly_blocked = self
            .workloads
            .values()
            .filter(|g| g.newly_blocked > 0)
            .count();
        json!({
            "entries": self.entries,
            "events": self.events,
            "skipped": skipped,
            "malformed": self.malformed(),
            "duplicates": self.duplicates,
            "skippedByReason": self.skipped,
            "malformedByCode": self.malformed,
            "reference": self.reference,
            "logged": self.logged,
            "candidate": self.candidate,
            "referenceClasses": self.reference_classes,
            "changes": self.changes,
            "objectsDiffer": self.objects_differ,
            "workloads": {
                "distinct": self.workloads.len(),
                "newlyBlocked": workloads_newly_blocked,
            },
            "byCluster": self.by_cluster,
            "byNamespace": self.by_namespace,
            "byRepository": self.by_repository,
            "byRule": self.by_rule,
            "byReason": self.by_reason,
            "byHour": self.by_hour,
            "topNewlyBlockedImages": top(self.newly_blocked_images.iter().map(|(k, v)| (k.as_str(), *v)))
                .into_iter()
                .map(|(image, events)| json!({"image": image, "events": events}))
                .collect::<Vec<_>>(),
            "topNewlyBlockedNamespaces": top(self.by_namespace.iter().map(|(k, g)| (k.as_str(), g.newly_blocked)))
                .into_iter()
                .map(|(namespace, events)| json!({"namespace": namespace, "events": events}))
                .collect::<Vec<_>>(),
            "topNewlyBlockedWorkloads": top(self.workloads.iter().map(|(k, g)| (k.as_str(), g.newly_blocked)))
                .into_iter()
                .map(|(key, events)| {
                    let mut parts = key.split('\u{0}');
                    let cluster = parts.next().unwrap_or_default();
                    let namespace = parts.next().unwrap_or_default();
                    let workload = parts.next().unwrap_or_default();
                    let images: Vec<&str> = parts.collect();
                    json!({"cluster": cluster, "namespace": namespace, "workload": workload, "images": images, "events": events})
                })
                .collect::<Vec<_>>(),
        })
    }
}

/// The [`TOP`] entries with the highest non-zero counts, ties by key.
fn top<'a>(items: impl Iterator<Item = (&'a str, u64)>) -> Vec<(&'a str, u64)> {
    let mut all: Vec<(&str, u64)> = items.filter(|(_, n)| *n > 0).collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    all.truncate(TOP);
    all
}

/// The repository of an image as written: everything before its digest or tag.
fn repository_of(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rfind(':') {
        Some(colon) if !without_digest[colon..].contains('/') => &without_digest[..colon],
        _ => without_digest,
    }
}
