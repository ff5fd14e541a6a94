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
    fn add(&mut self, facts: &Facts<'_>) {
        self.events += 1;
        self.blocked += u64::from(facts.candidate_class == Class::Blocked.as_str());
        self.newly_blocked += u64::from(facts.change == Change::NewlyBlocked.as_str());
        self.newly_admitted += u64::from(facts.change == Change::NewlyAdmitted.as_str());
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

fn group(map: &mut BTreeMap<String, GroupCounts>, key: &str, facts: &Facts<'_>) {
    if let Some(g) = map.get_mut(key) {
        g.add(facts);
    } else {
        let mut g = GroupCounts::default();
        g.add(facts);
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

/// What the summary counts of one event: borrowed from a [`ReplayRecord`], or from its JSON
/// line ([`ReplaySummary::add_json`], for front ends that move records between processes).
struct Facts<'a> {
    cluster: &'a str,
    namespace: &'a str,
    /// The workload: the owner, else the generated-name prefix, else the name.
    workload: &'a str,
    images: Vec<&'a str>,
    /// The event's time (else the evaluation time), as RFC 3339 text.
    time: String,
    reference: &'a str,
    logged: &'a str,
    candidate_class: &'a str,
    reference_class: &'a str,
    change: &'a str,
    objects_differ: bool,
    rule_kind: &'a str,
    rule_key: Option<&'a str>,
    /// `CODE` or `CODE ATTESTOR` per reason, per violating image.
    reasons: Vec<&'a str>,
    violating_images: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    fn of(record: &'a ReplayRecord) -> Facts<'a> {
        Facts {
            cluster: record.cluster.as_deref().unwrap_or(NO_CLUSTER),
            namespace: &record.namespace,
            workload: record
                .owner
                .as_deref()
                .or(record.generate_name.as_deref())
                .or(record.name.as_deref())
                .unwrap_or(UNNAMED),
            images: record.images.iter().map(String::as_str).collect(),
            time: record.time.unwrap_or(record.now).to_string(),
            reference: record.reference.as_str(),
            logged: record.logged.outcome.as_str(),
            candidate_class: record.candidate.class.as_str(),
            reference_class: record.reference_class.as_str(),
            change: record.change.as_str(),
            objects_differ: record.objects_differ.is_some(),
            rule_kind: record.candidate.rule.kind.as_str(),
            rule_key: record.candidate.rule.key.as_deref(),
            reasons: record
                .candidate
                .violations
                .iter()
                .flat_map(|v| v.reasons.iter().map(String::as_str))
                .collect(),
            violating_images: record
                .candidate
                .violations
                .iter()
                .map(|v| v.image.as_str())
                .collect(),
        }
    }

    fn of_json(record: &'a RecordJson) -> Facts<'a> {
        Facts {
            cluster: record.cluster.as_deref().unwrap_or(NO_CLUSTER),
            namespace: &record.namespace,
            workload: record
                .owner
                .as_deref()
                .or(record.generate_name.as_deref())
                .or(record.name.as_deref())
                .unwrap_or(UNNAMED),
            images: record.images.iter().map(String::as_str).collect(),
            time: record.time.clone().unwrap_or_else(|| record.now.clone()),
            reference: &record.reference,
            logged: &record.logged.outcome,
            candidate_class: &record.candidate.class,
            reference_class: &record.reference_class,
            change: &record.change,
            objects_differ: record.objects_differ.is_some(),
            rule_kind: &record.candidate.rule.kind,
            rule_key: record.candidate.rule.key.as_deref(),
            reasons: record
                .candidate
                .violations
                .iter()
                .flat_map(|v| v.reasons.iter().map(String::as_str))
                .collect(),
            violating_images: record
                .candidate
                .violations
                .iter()
                .map(|v| v.image.as_str())
                .collect(),
        }
    }

    /// `2026-11-23T10` for a time in that hour.
    fn hour(&self) -> &str {
        self.time.get(..13).unwrap_or(&self.time)
    }

    /// A workload key: cluster, namespace, workload, images, separated by NUL (never in any of
    /// them).
    fn workload_key(&self) -> String {
        let mut key = String::new();
        key.push_str(self.cluster);
        key.push('\u{0}');
        key.push_str(self.namespace);
        key.push('\u{0}');
        key.push_str(self.workload);
        for image in &self.images {
            key.push('\u{0}');
            key.push_str(image);
        }
        key
    }
}

/// The members of a record's JSON line the summary reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordJson {
    cluster: Option<String>,
    namespace: String,
    name: Option<String>,
    generate_name: Option<String>,
    owner: Option<String>,
    images: Vec<String>,
    time: Option<String>,
    now: String,
    reference: String,
    logged: LoggedJson,
    candidate: DecidedJson,
    reference_class: String,
    change: String,
    #[serde(default)]
    objects_differ: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct LoggedJson {
    outcome: String,
}

#[derive(Deserialize)]
struct DecidedJson {
    class: String,
    rule: RuleJson,
    violations: Vec<ViolationJson>,
}

#[derive(Deserialize)]
struct RuleJson {
    kind: String,
    key: Option<String>,
}

#[derive(Deserialize)]
struct ViolationJson {
    image: String,
    reasons: Vec<String>,
}

#[derive(Deserialize)]
struct MalformedJson {
    error: MalformedError,
}

#[derive(Deserialize)]
struct MalformedError {
    code: String,
}

/// `(unnamed)` for a Pod without owner, generated name or name.
const UNNAMED: &str = "(unnamed)";

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
        self.add_facts(&Facts::of(record));
    }

    /// Counts one outcome given as the front ends carry it: `kind` `event` (the record's JSON
    /// line), `malformed` (the malformed entry's JSON line) or `skipped` (the reason). An event
    /// is not checked for duplicates here ([`super::SeenEntries`] does that).
    pub fn add_json(&mut self, kind: &str, payload: &str) -> Result<(), String> {
        match kind {
            "event" => {
                let record: RecordJson = serde_json::from_str(payload)
                    .map_err(|e| format!("not a replay record: {e}"))?;
                self.entries += 1;
                self.add_facts(&Facts::of_json(&record));
            }
            "malformed" => {
                let m: MalformedJson = serde_json::from_str(payload)
                    .map_err(|e| format!("not a malformed-entry line: {e}"))?;
                self.entries += 1;
                bump(&mut self.malformed, &m.error.code, 1);
            }
            "skipped" => {
                self.entries += 1;
                bump(&mut self.skipped, payload, 1);
            }
            other => {
                return Err(format!(
                    "unknown outcome kind `{other}`: event, malformed or skipped"
                ));
            }
        }
        Ok(())
    }

    fn add_facts(&mut self, facts: &Facts<'_>) {
        self.events += 1;
        bump(&mut self.reference, facts.reference, 1);
        bump(&mut self.logged, facts.logged, 1);
        bump(&mut self.candidate, facts.candidate_class, 1);
        bump(&mut self.reference_classes, facts.reference_class, 1);
        bump(&mut self.changes, facts.change, 1);
        self.objects_differ += u64::from(facts.objects_differ);
        group(&mut self.by_cluster, facts.cluster, facts);
        group(
            &mut self.by_namespace,
            &format!("{}/{}", facts.cluster, facts.namespace),
            facts,
        );
        let mut repositories: Vec<&str> = facts.images.iter().map(|i| repository_of(i)).collect();
        repositories.sort_unstable();
        repositories.dedup();
        for repository in repositories {
            group(&mut self.by_repository, repository, facts);
        }
        let rule_key = match facts.rule_key {
            Some(key) => format!("{} {key}", facts.rule_kind),
            None => facts.rule_kind.to_owned(),
        };
        group(&mut self.by_rule, &rule_key, facts);
        let mut codes: Vec<&str> = Vec::new();
        for reason in &facts.reasons {
            let code = reason.split(' ').next().unwrap_or_default();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        for code in codes {
            group(&mut self.by_reason, code, facts);
        }
        group(&mut self.by_hour, facts.hour(), facts);
        group(&mut self.workloads, &facts.workload_key(), facts);
        if facts.change == Change::NewlyBlocked.as_str() {
            let mut images = facts.violating_images.clone();
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
