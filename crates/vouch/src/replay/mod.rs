//! Replay (decisions X-1 … X-4): decide logged deployments again under a candidate policy and
//! compare with what was logged, or with a baseline policy's decision.
//!
//! Pure like the rest of the core: the caller opens files; [`split_log`] splits what it reads
//! into entries (one rule for every front end), a [`Replayer`] turns each entry into a
//! [`ReplayOutcome`], and a [`ReplaySummary`] counts them.
//! The CLI (`vouch replay`), the Python package (`vouch.replay`) and its Beam pipeline all
//! write the same records and the same summary through these types.

mod split;
mod summary;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

pub use split::{
    LogItem, MAX_DOCUMENT_BYTES, MAX_ENTRY_BYTES, SplitError, leading_len, line_item,
    opens_json_lines, split_log,
};
pub use summary::{GroupCounts, ReplaySummary};

use crate::decision::{Decision, Outcome, RuleRef, Verdict};
use crate::error::{Error, ErrorCode, Subject};
use crate::evaluate::{Evaluator, Options};
use crate::evidence::Evidence;
use crate::limits::Limits;
use crate::read::wire::wire_enum;
use crate::request::ContainerType;
use crate::request::audit::{
    self, AuditEvent, AuditFormat, AuditRead, LoggedOutcome, ObjectsDiffer, SkipReason,
};
use crate::time::Timestamp;
use crate::verify::cache::VerificationCache;

wire_enum! {
    /// What a deployment came to, in the terms replay compares.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum Class {
        /// Admitted without a violation.
        Admitted = "ADMITTED",
        /// Admitted by a dry-run rule despite a violation.
        DryRun = "DRY_RUN",
        /// Admitted by break-glass.
        BreakGlass = "BREAK_GLASS",
        /// Admitted because the webhook failed open (logged only).
        FailedOpen = "FAILED_OPEN",
        /// Not admitted.
        Blocked = "BLOCKED",
        /// Denied by another admission controller (logged only): not comparable.
        Other = "OTHER",
    }
}

wire_enum! {
    /// How the candidate's answer compares with the reference (logged or baseline).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum Change {
        /// The same class.
        Same = "SAME",
        /// The candidate blocks what was admitted.
        NewlyBlocked = "NEWLY_BLOCKED",
        /// The candidate admits what was blocked.
        NewlyAdmitted = "NEWLY_ADMITTED",
        /// Both admit, for different reasons (e.g. dry run where nothing was logged).
        Changed = "CHANGED",
        /// Another admission controller denied it: vouch cannot say what would have happened.
        NotComparable = "NOT_COMPARABLE",
    }
}

wire_enum! {
    /// What the candidate is compared with.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
    pub enum ReferenceSource {
        /// The outcome the log recorded.
        Logged = "LOGGED",
        /// The baseline policy's decision.
        Baseline = "BASELINE",
    }
}

impl Class {
    fn of_verdict(verdict: Verdict) -> Class {
        match verdict {
            Verdict::Allow => Class::Admitted,
            Verdict::Deny => Class::Blocked,
            Verdict::DryRunAllow => Class::DryRun,
            Verdict::BreakGlassAllow => Class::BreakGlass,
        }
    }

    fn of_logged(logged: LoggedOutcome) -> Class {
        match logged {
            LoggedOutcome::Allowed | LoggedOutcome::Running => Class::Admitted,
            LoggedOutcome::Denied => Class::Blocked,
            LoggedOutcome::DeniedOther => Class::Other,
            LoggedOutcome::DryRun => Class::DryRun,
            LoggedOutcome::BreakGlass => Class::BreakGlass,
            LoggedOutcome::FailedOpen => Class::FailedOpen,
        }
    }
}

fn compare(candidate: Class, reference: Class) -> Change {
    if reference == Class::Other {
        Change::NotComparable
    } else if candidate == reference {
        Change::Same
    } else if candidate == Class::Blocked {
        Change::NewlyBlocked
    } else if reference == Class::Blocked {
        Change::NewlyAdmitted
    } else {
        Change::Changed
    }
}

/// One violating image of a decision, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The image as written.
    pub image: String,
    /// Its container, when known.
    pub container: Option<String>,
    /// The reason codes, with the attestor for attestation reasons (`CODE` or `CODE ATTESTOR`).
    pub reasons: Vec<String>,
}

/// A decision, in the short form replay writes per event (the full decision is
/// `vouch evaluate`'s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decided {
    /// The verdict.
    pub verdict: Verdict,
    /// Its class.
    pub class: Class,
    /// The rule that applied.
    pub rule: RuleRef,
    /// The denial (or overridden denial) text.
    pub message: Option<String>,
    /// The images that violate, with why.
    pub violations: Vec<Violation>,
}

impl Decided {
    fn of(decision: &Decision) -> Decided {
        let violations = decision
            .images
            .iter()
            .filter(|i| i.outcome == Outcome::Violation)
            .map(|i| Violation {
                image: i.image.clone(),
                container: i.container.clone(),
                reasons: i
                    .reasons
                    .iter()
                    .map(|r| match &r.attestor {
                        Some(a) => format!("{} {a}", r.code.as_str()),
                        None => r.code.as_str().to_owned(),
                    })
                    .collect(),
            })
            .collect();
        Decided {
            verdict: decision.verdict,
            class: Class::of_verdict(decision.verdict),
            rule: decision.rule.clone(),
            message: decision.message.clone(),
            violations,
        }
    }

    /// The distinct reason codes of the violations, in order of first appearance.
    pub fn reason_codes(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for v in &self.violations {
            for r in &v.reasons {
                let code = r.split(' ').next().unwrap_or_default();
                if !out.contains(&code) {
                    out.push(code);
                }
            }
        }
        out
    }
}

/// What the log said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Logged {
    /// The outcome.
    pub outcome: LoggedOutcome,
    /// The denial message or overridden verification result.
    pub message: Option<String>,
}

/// One replayed deployment event: one JSON line of `vouch replay`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplayRecord {
    /// The input (file name) the caller gave.
    pub source: String,
    /// The entry's number in its input (1-based line, or array element, or snapshot item + 1).
    pub entry: u64,
    /// The shape it was read from.
    pub format: AuditFormat,
    /// `auditID`, `insertId` or the object's `uid`.
    pub id: Option<String>,
    /// `logName`, for a Cloud Audit Logs entry or a BigQuery row.
    pub log_name: Option<String>,
    /// The event's time (to the second).
    pub time: Option<Timestamp>,
    /// The time the policy was evaluated at: the event's, or the fixed one.
    pub now: Timestamp,
    /// `LOCATION.NAME`.
    pub cluster: Option<String>,
    /// The project, when the entry names it.
    pub project: Option<String>,
    /// The namespace.
    pub namespace: String,
    /// The Pod's name (absent for a generated name not yet known).
    pub name: Option<String>,
    /// `metadata.generateName`.
    pub generate_name: Option<String>,
    /// The first owner reference, `Kind/name`.
    pub owner: Option<String>,
    /// Who asked.
    pub principal: Option<String>,
    /// `create`, `update` or `patch`.
    pub operation: String,
    /// The images decided, in workload order.
    pub images: Vec<String>,
    /// `RESPONSE` (the persisted object) or `REQUEST`.
    pub decided_from: &'static str,
    /// The request and persisted objects' images, when they differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objects_differ: Option<ObjectsDiffer>,
    /// What the log said.
    pub logged: Logged,
    /// The candidate policy's decision.
    pub candidate: Decided,
    /// The baseline policy's decision, when a baseline was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Decided>,
    /// What the candidate is compared with.
    pub reference: ReferenceSource,
    /// The reference's class.
    pub reference_class: Class,
    /// How the candidate compares.
    pub change: Change,
}

impl ReplayRecord {
    /// The key duplicates share (`format`, `logName`, `id`, `time`): the Cloud Storage export can hold the
    /// same entry twice. `None` for an event without an id, which is never a duplicate.
    pub fn dedupe_key(&self) -> Option<String> {
        let id = self.id.as_deref()?;
        let time = self.time.map(|t| t.to_string());
        Some(join_key(
            self.format.as_str(),
            self.log_name.as_deref(),
            id,
            time.as_deref(),
        ))
    }

    /// The record as one compact JSON line (no newline).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A log entry that could not be read: one JSON line of `vouch replay`, counted as malformed.
#[derive(Debug, Clone)]
pub struct Malformed {
    /// The input (file name).
    pub source: String,
    /// The entry's number in its input.
    pub entry: u64,
    /// Why.
    pub error: Error,
}

impl Malformed {
    /// `{"source":…,"entry":…,"error":{code,path,message}}`.
    pub fn to_value(&self) -> Value {
        serde_json::json!({
            "source": self.source,
            "entry": self.entry,
            "error": {
                "code": self.error.code().as_str(),
                "path": self.error.path(),
                "message": self.error.message(),
            }
        })
    }
}

/// What one log entry came to.
#[derive(Debug, Clone)]
pub enum ReplayOutcome {
    /// A deployment event, decided.
    Event(Box<ReplayRecord>),
    /// Not a deployment event.
    Skipped(SkipReason),
    /// Not readable.
    Malformed(Box<Malformed>),
}

/// Decisions already made, keyed by everything a decision depends on: the request (target,
/// images, labels and annotations) and the second it was evaluated at. One per thread; bounded.
#[derive(Debug, Default)]
pub struct ReplayMemo {
    decided: HashMap<String, (Decided, Option<Decided>)>,
    hits: u64,
    misses: u64,
}

/// Signature verifications a replayer remembers (about 200 bytes each): the evidence is the same
/// for every event.
pub const VERIFICATION_CACHE: usize = 65_536;

/// The most decisions a memo keeps; when full it starts again (the replay stays correct, only
/// slower).
pub const MEMO_CAPACITY: usize = 16_384;

impl ReplayMemo {
    /// An empty memo.
    pub fn new() -> ReplayMemo {
        ReplayMemo::default()
    }

    /// Decisions reused.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// Decisions made.
    pub fn misses(&self) -> u64 {
        self.misses
    }
}

/// Entries already replayed, by `(format, logName, id, time)`: the Cloud Storage export can hold the same
/// entry twice when sinks overlap (cloud-run-replay-webhook.md §2.3). Bounded: two generations of
/// [`SEEN_GENERATION`] fingerprints, so a duplicate further than that from its first copy is
/// not recognized (and is counted twice). An event without an id is never a duplicate.
#[derive(Debug, Default)]
pub struct SeenEntries {
    current: std::collections::HashSet<u64>,
    previous: std::collections::HashSet<u64>,
}

/// Fingerprints in one generation of [`SeenEntries`].
pub const SEEN_GENERATION: usize = 1 << 20;

impl SeenEntries {
    /// Nothing seen yet.
    pub fn new() -> SeenEntries {
        SeenEntries::default()
    }

    /// Whether an event with this record's format, log name, id and time was seen before (and remembers
    /// it).
    pub fn check(&mut self, record: &ReplayRecord) -> bool {
        record.dedupe_key().is_some_and(|key| self.check_key(&key))
    }

    /// [`SeenEntries::check`] for a key from [`ReplayRecord::dedupe_key`] or [`dedupe_key`].
    pub fn check_key(&mut self, key: &str) -> bool {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: the same fingerprints on every run and platform.
        let mut hasher = std::hash::DefaultHasher::new();
        key.hash(&mut hasher);
        let fingerprint = hasher.finish();
        if self.current.contains(&fingerprint) || self.previous.contains(&fingerprint) {
            return true;
        }
        if self.current.len() >= SEEN_GENERATION {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(fingerprint);
        false
    }
}

/// The duplicate key of a record's JSON line (`format`, `id`, `time`), as
/// [`ReplayRecord::dedupe_key`] gives it; `None` without an id or for another line.
pub fn dedupe_key(record_json: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Key {
        format: String,
        #[serde(rename = "logName")]
        log_name: Option<String>,
        id: Option<String>,
        time: Option<String>,
    }
    let key: Key = serde_json::from_str(record_json).ok()?;
    Some(join_key(
        &key.format,
        key.log_name.as_deref(),
        &key.id?,
        key.time.as_deref(),
    ))
}

fn join_key(format: &str, log_name: Option<&str>, id: &str, time: Option<&str>) -> String {
    // Length-prefixed parts: no id or log name can spell another entry's key.
    let part = |p: Option<&str>| match p {
        Some(p) => format!("{}:{p}", p.len()),
        None => "-".to_owned(),
    };
    format!(
        "{format}|{}|{}|{}",
        part(log_name),
        part(Some(id)),
        part(time)
    )
}

/// A candidate policy (and optionally a baseline) compiled once, with the evidence, ready to
/// replay any number of entries from any number of threads (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Replayer {
    candidate: Evaluator,
    baseline: Option<Evaluator>,
    evidence: Evidence,
    options: Options,
    fixed_now: Option<Timestamp>,
    default_cluster: Option<String>,
    limits: Limits,
}

impl Replayer {
    /// A replayer for `candidate`, comparing with the logged outcomes.
    ///
    /// The same evidence is checked again for every event, so unless the evaluator already has
    /// one, the replayer gives it a verification cache of [`VERIFICATION_CACHE`] results, shared
    /// with the baseline: decisions are identical with or without it (`Evaluator::
    /// with_verification_cache`), only faster.
    pub fn new(candidate: Evaluator, evidence: Evidence) -> Replayer {
        let candidate = if candidate.verification_cache().is_some() {
            candidate
        } else {
            candidate.with_shared_verification_cache(Arc::new(VerificationCache::new(
                VERIFICATION_CACHE,
            )))
        };
        Replayer {
            candidate,
            baseline: None,
            evidence,
            options: Options::default(),
            fixed_now: None,
            default_cluster: None,
            limits: Limits::DEFAULT,
        }
    }

    /// Compares with this baseline policy's decisions instead of the logged outcomes.
    #[must_use]
    pub fn with_baseline(mut self, baseline: Evaluator) -> Replayer {
        let baseline = match (baseline.verification_cache(), self.candidate.shared_cache()) {
            (None, Some(cache)) => baseline.with_shared_verification_cache(cache),
            _ => baseline,
        };
        self.baseline = Some(baseline);
        self
    }

    /// Evaluates every event at this time instead of its own.
    #[must_use]
    pub fn with_now(mut self, now: Option<Timestamp>) -> Replayer {
        self.fixed_now = now.and_then(|t| Timestamp::from_unix(t.unix_seconds(), 0));
        self
    }

    /// The cluster (`LOCATION.NAME`) of events that name none (a Kubernetes audit log).
    #[must_use]
    pub fn with_default_cluster(mut self, cluster: Option<String>) -> Replayer {
        self.default_cluster = cluster;
        self
    }

    /// Evaluation options.
    #[must_use]
    pub fn with_options(mut self, options: Options) -> Replayer {
        self.options = options;
        self
    }

    /// Limits for reading entries.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Replayer {
        self.limits = limits;
        self
    }

    /// The limits entries are read under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Replays one log entry given as text (a line of JSON).
    pub fn replay_text(
        &self,
        source: &str,
        entry: u64,
        text: &str,
        memo: &mut ReplayMemo,
    ) -> ReplayOutcome {
        match crate::read::document::parse_json(text, &self.limits) {
            Ok(value) => self.replay_owned(source, entry, value, memo),
            Err(error) => malformed(source, entry, error.about(Subject::Request)),
        }
    }

    /// Replays one line of a log: a log entry, or a whole document written on one line (a
    /// cluster snapshot, an `EventList`, a Cloud Run resource), whose every outcome then carries
    /// the line's number. What the CLI and the bindings call per line.
    pub fn replay_line(
        &self,
        source: &str,
        entry: u64,
        text: &str,
        memo: &mut ReplayMemo,
    ) -> Vec<ReplayOutcome> {
        let value = match crate::read::document::parse_json(text, &self.limits) {
            Ok(value) => value,
            Err(error) => return vec![malformed(source, entry, error.about(Subject::Request))],
        };
        if is_document(&value) {
            let outcomes = self
                .replay_document(source, &value, memo)
                .unwrap_or_default();
            return outcomes
                .into_iter()
                .map(|outcome| with_entry(outcome, entry))
                .collect();
        }
        vec![self.replay_owned(source, entry, value, memo)]
    }

    fn replay_owned(
        &self,
        source: &str,
        entry: u64,
        value: Value,
        memo: &mut ReplayMemo,
    ) -> ReplayOutcome {
        match audit::read_audit_entry_owned(value, self.default_cluster.as_deref(), &self.limits) {
            Ok(AuditRead::Skipped(reason)) => ReplayOutcome::Skipped(reason),
            Ok(AuditRead::Event(event)) => self.replay_event(source, entry, *event, memo),
            Err(error) => malformed(source, entry, error),
        }
    }

    /// Replays one log entry, already parsed.
    pub fn replay_value(
        &self,
        source: &str,
        entry: u64,
        value: &Value,
        memo: &mut ReplayMemo,
    ) -> ReplayOutcome {
        match audit::read_audit_entry(value, self.default_cluster.as_deref(), &self.limits) {
            Ok(AuditRead::Skipped(reason)) => ReplayOutcome::Skipped(reason),
            Ok(AuditRead::Event(event)) => self.replay_event(source, entry, *event, memo),
            Err(error) => malformed(source, entry, error),
        }
    }

    /// Replays a whole document that is not a log: a cluster snapshot (`List`/`PodList`, every
    /// Pod an event) or a Cloud Run service or job. `None` when it is neither (then it may be a
    /// log entry: [`Replayer::replay_value`]).
    pub fn replay_document(
        &self,
        source: &str,
        value: &Value,
        memo: &mut ReplayMemo,
    ) -> Option<Vec<ReplayOutcome>> {
        let kind = value.get("kind").and_then(Value::as_str);
        if matches!(kind, Some("List" | "PodList" | "Pod")) {
            let events = match audit::snapshot_events(
                value,
                self.default_cluster.as_deref(),
                &self.limits,
            ) {
                Ok(events) => events,
                Err(error) => return Some(vec![malformed(source, 1, error)]),
            };
            let outcomes = events
                .into_iter()
                .enumerate()
                .map(|(i, event)| {
                    let entry = i as u64 + 1;
                    match event {
                        Ok(event) => self.replay_event(source, entry, event, memo),
                        // Another kind in a list (`kubectl get all`): not a Pod, not malformed.
                        Err(error)
                            if error.code() == ErrorCode::RequestUnsupportedWorkload
                                && error.path().ends_with("/kind") =>
                        {
                            ReplayOutcome::Skipped(SkipReason::NotAPod)
                        }
                        Err(error) => malformed(source, entry, error),
                    }
                })
                .collect();
            return Some(outcomes);
        }
        if kind == Some("EventList") {
            // A Kubernetes audit `EventList`: each item is an entry.
            let items = value.get("items").and_then(Value::as_array);
            let outcomes = items
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, item)| {
                    let outcome = self.replay_value(source, i as u64 + 1, item, memo);
                    match outcome {
                        ReplayOutcome::Malformed(mut m) => {
                            m.error = m.error.within(&crate::error::join_index("/items", i));
                            ReplayOutcome::Malformed(m)
                        }
                        other => other,
                    }
                })
                .collect();
            return Some(outcomes);
        }
        if crate::request::is_cloud_run_object(value) {
            let outcome = match audit::cloud_run_event(value, &self.limits) {
                Ok(event) => self.replay_event(source, 1, event, memo),
                Err(error) => malformed(source, 1, error),
            };
            return Some(vec![outcome]);
        }
        None
    }

    fn replay_event(
        &self,
        source: &str,
        entry: u64,
        event: AuditEvent,
        memo: &mut ReplayMemo,
    ) -> ReplayOutcome {
        let Some(now) = self.fixed_now.or(event.time) else {
            return malformed(
                source,
                entry,
                Error::new(
                    ErrorCode::RequestInvalidAuditEvent,
                    "",
                    "the event has no time: give the replay a fixed time (`--now`)",
                )
                .about(Subject::Request),
            );
        };
        let (candidate, baseline) = self.decide(&event, now, memo);
        let logged_class = Class::of_logged(event.logged);
        let (reference, reference_class) = match &baseline {
            Some(b) => (ReferenceSource::Baseline, b.class),
            None => (ReferenceSource::Logged, logged_class),
        };
        let change = compare(candidate.class, reference_class);
        ReplayOutcome::Event(Box::new(ReplayRecord {
            source: source.to_owned(),
            entry,
            format: event.format,
            id: event.id,
            log_name: event.log_name,
            time: event.time,
            now,
            cluster: event.cluster,
            project: event.project,
            namespace: event.namespace,
            name: event.name,
            generate_name: event.generate_name,
            owner: event.owner,
            principal: event.principal,
            operation: event.operation,
            images: event
                .request
                .images()
                .iter()
                .map(|i| i.image.as_str().to_owned())
                .collect(),
            decided_from: if event.decided_persisted {
                "RESPONSE"
            } else {
                "REQUEST"
            },
            objects_differ: event.objects_differ,
            logged: Logged {
                outcome: event.logged,
                message: event.logged_message,
            },
            candidate,
            baseline,
            reference,
            reference_class,
            change,
        }))
    }

    fn decide(
        &self,
        event: &AuditEvent,
        now: Timestamp,
        memo: &mut ReplayMemo,
    ) -> (Decided, Option<Decided>) {
        let key = memo_key(event, now);
        if let Some(key) = &key
            && let Some(found) = memo.decided.get(key)
        {
            memo.hits += 1;
            return found.clone();
        }
        memo.misses += 1;
        let request = &event.request;
        let candidate = Decided::of(&self.candidate.evaluate(
            request,
            &self.evidence,
            now,
            self.options,
        ));
        let baseline = self
            .baseline
            .as_ref()
            .map(|b| Decided::of(&b.evaluate(request, &self.evidence, now, self.options)));
        if let Some(key) = key {
            if memo.decided.len() >= MEMO_CAPACITY {
                memo.decided.clear();
            }
            memo.decided
                .insert(key, (candidate.clone(), baseline.clone()));
        }
        (candidate, baseline)
    }
}

/// Whether a value is a whole document rather than one log entry: a snapshot (`List`,
/// `PodList`, a bare `Pod`), an `EventList`, or a Cloud Run resource.
fn is_document(value: &Value) -> bool {
    matches!(
        value.get("kind").and_then(Value::as_str),
        Some("List" | "PodList" | "Pod" | "EventList")
    ) || crate::request::is_cloud_run_object(value)
}

fn with_entry(outcome: ReplayOutcome, entry: u64) -> ReplayOutcome {
    match outcome {
        ReplayOutcome::Event(mut record) => {
            record.entry = entry;
            ReplayOutcome::Event(record)
        }
        ReplayOutcome::Malformed(mut m) => {
            m.entry = entry;
            ReplayOutcome::Malformed(m)
        }
        skipped @ ReplayOutcome::Skipped(_) => skipped,
    }
}

fn malformed(source: &str, entry: u64, error: Error) -> ReplayOutcome {
    ReplayOutcome::Malformed(Box::new(Malformed {
        source: source.to_owned(),
        entry,
        error,
    }))
}

/// Everything a Kubernetes decision depends on, as one string; `None` for a Cloud Run request
/// (decided every time: rare in logs, and its inputs are richer).
fn memo_key(event: &AuditEvent, now: Timestamp) -> Option<String> {
    let request = &event.request;
    if request.cloud_run().is_some() {
        return None;
    }
    // Every part is written as its length and then its bytes, an absent one as `-`, and every
    // list with its length first: no choice of parts (annotation values may hold any
    // character, NUL included) can spell another request's key.
    let mut key = String::with_capacity(256);
    part(&mut key, &now.unix_seconds().to_string());
    optional(&mut key, request.cluster.as_deref());
    part(&mut key, request.namespace());
    part(&mut key, request.service_account());
    optional(&mut key, request.mesh_identity.as_deref());
    key.push_str(&format!("i{}", request.images().len()));
    for image in request.images() {
        part(&mut key, image.image.as_str());
        optional(&mut key, image.container.as_deref());
        key.push(match image.container_type {
            None => '-',
            Some(ContainerType::InitContainer) => 'i',
            Some(ContainerType::Container) => 'c',
            Some(ContainerType::EphemeralContainer) => 'e',
        });
        optional(&mut key, image.volume.as_deref());
    }
    key.push_str(&format!("l{}", request.labels().len()));
    for (k, v) in request.labels() {
        part(&mut key, k);
        part(&mut key, v);
    }
    key.push_str(&format!("a{}", request.annotations().len()));
    for (k, v) in request.annotations() {
        part(&mut key, k);
        part(&mut key, v);
    }
    Some(key)
}

fn part(key: &mut String, value: &str) {
    key.push_str(&value.len().to_string());
    key.push(':');
    key.push_str(value);
}

fn optional(key: &mut String, value: Option<&str>) {
    match value {
        Some(value) => part(key, value),
        None => key.push('-'),
    }
}

#[cfg(test)]
mod tests;
