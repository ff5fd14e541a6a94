use serde_json::{Value, json};

use super::*;
use crate::policy::Policy;

const TAGGED: &str = "gcr.io/p/app:v1";
const DIGEST: &str =
    "gcr.io/p/app@sha256:0000000000000000000000000000000000000000000000000000000000000001";

fn evaluator(policy: &str) -> Evaluator {
    Evaluator::new(Policy::from_text(policy).unwrap(), Vec::new(), None).unwrap()
}

/// Denies everything except the `sandbox` namespace and images of `gcr.io/p/tools/`.
const STRICT: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n\
kubernetesNamespaceAdmissionRules:\n  sandbox:\n    evaluationMode: ALWAYS_ALLOW\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n\
admissionWhitelistPatterns:\n- namePattern: gcr.io/p/tools/*\n";
const OPEN: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n";
const DRY: &str = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: DRYRUN_AUDIT_LOG_ONLY\n";

fn entry(namespace: &str, image: &str, time: &str, labels: Value) -> Value {
    let pod = json!({"@type": "core.k8s.io/v1.Pod", "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": image}]}});
    json!({
        "protoPayload": {"serviceName": "k8s.io", "methodName": "io.k8s.core.v1.pods.create",
            "resourceName": format!("core/v1/namespaces/{namespace}/pods/web"),
            "request": pod, "response": pod, "status": {"code": 0}},
        "insertId": format!("{namespace}-{time}"),
        "resource": {"type": "k8s_cluster", "labels": {"location": "us-central1-a", "cluster_name": "prod", "project_id": "p"}},
        "timestamp": time,
        "labels": labels
    })
}

fn record(outcome: ReplayOutcome) -> ReplayRecord {
    match outcome {
        ReplayOutcome::Event(r) => *r,
        other => panic!("expected an event, got {other:?}"),
    }
}

#[test]
fn the_candidate_is_compared_with_what_was_logged() {
    let replayer = Replayer::new(evaluator(STRICT), Evidence::new());
    let mut memo = ReplayMemo::new();
    let t = "2026-11-23T10:00:00.5Z";
    let cases = [
        (
            entry("team-a", TAGGED, t, json!({})),
            Class::Blocked,
            Class::Admitted,
            Change::NewlyBlocked,
        ),
        (
            entry("sandbox", TAGGED, t, json!({})),
            Class::Admitted,
            Class::Admitted,
            Change::Same,
        ),
        (
            entry("team-a", "gcr.io/p/tools/kubectl:1", t, json!({})),
            Class::Admitted,
            Class::Admitted,
            Change::Same,
        ),
        (
            entry(
                "team-a",
                DIGEST,
                t,
                json!({"imagepolicywebhook.image-policy.k8s.io/dry-run": "true"}),
            ),
            Class::Blocked,
            Class::DryRun,
            Change::NewlyBlocked,
        ),
    ];
    for (value, candidate, reference, change) in cases {
        let r = record(replayer.replay_value("log", 1, &value, &mut memo));
        assert_eq!(
            (r.candidate.class, r.reference_class, r.change),
            (candidate, reference, change),
            "{value}"
        );
        assert_eq!(r.reference, ReferenceSource::Logged);
        // evaluated at the event's own second.
        assert_eq!(r.now.to_string(), "2026-11-23T10:00:00Z");
    }
}

#[test]
fn a_baseline_replaces_the_logged_outcome_and_a_fixed_now_replaces_the_event_time() {
    let now = Timestamp::parse_rfc3339("2027-01-01T00:00:00Z").ok();
    let replayer = Replayer::new(evaluator(OPEN), Evidence::new())
        .with_baseline(evaluator(DRY))
        .with_now(now);
    let mut memo = ReplayMemo::new();
    let r = record(replayer.replay_value(
        "log",
        7,
        &entry("x", TAGGED, "2026-11-23T10:00:00Z", json!({})),
        &mut memo,
    ));
    assert_eq!(r.reference, ReferenceSource::Baseline);
    assert_eq!(r.baseline.as_ref().map(|b| b.class), Some(Class::DryRun));
    assert_eq!(
        (r.candidate.class, r.change),
        (Class::Admitted, Change::Changed)
    );
    assert_eq!(r.now.to_string(), "2027-01-01T00:00:00Z");
    assert_eq!((r.source.as_str(), r.entry), ("log", 7));
}

#[test]
fn the_memo_reuses_a_decision_only_for_the_same_request_and_second() {
    let replayer = Replayer::new(evaluator(STRICT), Evidence::new());
    let mut memo = ReplayMemo::new();
    let a = entry("team-a", TAGGED, "2026-11-23T10:00:00.1Z", json!({}));
    let same_second = entry("team-a", TAGGED, "2026-11-23T10:00:00.9Z", json!({}));
    let other_ns = entry("sandbox", TAGGED, "2026-11-23T10:00:00.1Z", json!({}));
    let other_second = entry("team-a", TAGGED, "2026-11-23T10:00:01Z", json!({}));
    let first = record(replayer.replay_value("log", 1, &a, &mut memo));
    let second = record(replayer.replay_value("log", 2, &same_second, &mut memo));
    assert_eq!((memo.hits(), memo.misses()), (1, 1));
    assert_eq!(first.candidate, second.candidate);
    let sandbox = record(replayer.replay_value("log", 3, &other_ns, &mut memo));
    assert_eq!(sandbox.candidate.class, Class::Admitted);
    record(replayer.replay_value("log", 4, &other_second, &mut memo));
    assert_eq!((memo.hits(), memo.misses()), (1, 3));

    // Break-glass is an annotation: a different request, never a memo hit.
    let mut glass = a.clone();
    glass["protoPayload"]["response"]["metadata"]["annotations"] =
        json!({"alpha.image-policy.k8s.io/break-glass": "true"});
    let r = record(replayer.replay_value("log", 5, &glass, &mut memo));
    assert_eq!(r.candidate.class, Class::BreakGlass);
    assert_eq!(memo.misses(), 4);

    // Decisions with and without the memo are the same.
    let mut fresh = ReplayMemo::new();
    for (i, value) in [&a, &same_second, &other_ns, &other_second, &glass]
        .into_iter()
        .enumerate()
    {
        let with = record(replayer.replay_value("log", 1, value, &mut memo));
        let without = record(replayer.replay_value("log", 1, value, &mut fresh));
        assert_eq!(with.to_json(), without.to_json(), "case {i}");
        fresh = ReplayMemo::new();
    }
}

#[test]
fn malformed_and_skipped_entries_are_outcomes_not_failures() {
    let replayer = Replayer::new(evaluator(STRICT), Evidence::new());
    let mut memo = ReplayMemo::new();
    assert!(matches!(
        replayer.replay_text("log", 3, "{not json", &mut memo),
        ReplayOutcome::Malformed(m) if m.entry == 3 && m.error.code() == ErrorCode::InputSyntax
    ));
    let mut no_time = entry("a", TAGGED, "2026-11-23T10:00:00Z", json!({}));
    if let Some(map) = no_time.as_object_mut() {
        map.remove("timestamp");
    }
    assert!(matches!(
        replayer.replay_value("log", 4, &no_time, &mut memo),
        ReplayOutcome::Malformed(m) if m.error.code() == ErrorCode::RequestInvalidAuditEvent
    ));
    let mut delete = entry("a", TAGGED, "2026-11-23T10:00:00Z", json!({}));
    delete["protoPayload"]["methodName"] = json!("io.k8s.core.v1.pods.delete");
    assert!(matches!(
        replayer.replay_value("log", 5, &delete, &mut memo),
        ReplayOutcome::Skipped(SkipReason::NotADeployment)
    ));
}

#[test]
fn summaries_of_parts_merge_into_the_summary_of_the_whole() {
    let replayer = Replayer::new(evaluator(STRICT), Evidence::new());
    let mut memo = ReplayMemo::new();
    let outcomes: Vec<ReplayOutcome> = [
        entry("team-a", TAGGED, "2026-11-23T10:00:00Z", json!({})),
        entry("sandbox", TAGGED, "2026-11-23T11:00:00Z", json!({})),
        entry("team-b", DIGEST, "2026-11-23T11:30:00Z", json!({})),
        json!([1]),
    ]
    .iter()
    .enumerate()
    .map(|(i, v)| replayer.replay_value("log", i as u64 + 1, v, &mut memo))
    .collect();
    let mut whole = ReplaySummary::new();
    outcomes.iter().for_each(|o| whole.add(o));
    whole.add_duplicate();
    let (left, right) = outcomes.split_at(2);
    let mut a = ReplaySummary::new();
    left.iter().for_each(|o| a.add(o));
    let mut b = ReplaySummary::new();
    right.iter().for_each(|o| b.add(o));
    b.add_duplicate();
    let mut merged = ReplaySummary::from_state(&b.to_state()).unwrap();
    merged.merge(&a);
    assert_eq!(merged, whole);
    let v = whole.to_value();
    assert_eq!(
        (
            v["entries"].as_u64(),
            v["events"].as_u64(),
            v["malformed"].as_u64(),
            v["duplicates"].as_u64()
        ),
        (Some(5), Some(3), Some(1), Some(1))
    );
    assert_eq!(v["changes"]["NEWLY_BLOCKED"], 2);
    assert_eq!(v["byHour"]["2026-11-23T11"]["events"], 2);
    assert_eq!(
        v["byNamespace"]["us-central1-a.prod/team-b"]["newlyBlocked"],
        1
    );
    assert_eq!(v["byRepository"]["gcr.io/p/app"]["events"], 3);
    // Ties are in name order (`:` sorts before `@`).
    assert_eq!(
        v["topNewlyBlockedImages"],
        json!([{"image": TAGGED, "events": 1}, {"image": DIGEST, "events": 1}])
    );
    assert_eq!(v["byReason"]["ALWAYS_DENY"]["events"], 2);
}

#[test]
fn a_snapshot_document_replays_every_pod() {
    let replayer = Replayer::new(evaluator(STRICT), Evidence::new())
        .with_default_cluster(Some("us-east1.c".into()));
    let mut memo = ReplayMemo::new();
    let snapshot = json!({"kind": "List", "items": [
        {"metadata": {"name": "a", "namespace": "sandbox", "creationTimestamp": "2026-11-01T10:00:00Z"}, "spec": {"containers": [{"name": "c", "image": TAGGED}]}},
        {"metadata": {"name": "b", "namespace": "n", "creationTimestamp": "2026-11-01T10:00:00Z"}, "spec": {"containers": [{"name": "c", "image": TAGGED}]}}
    ]});
    let outcomes = replayer
        .replay_document("pods.json", &snapshot, &mut memo)
        .unwrap_or_default();
    let changes: Vec<(u64, Change)> = outcomes
        .into_iter()
        .map(record)
        .map(|r| (r.entry, r.change))
        .collect();
    assert_eq!(changes, vec![(1, Change::Same), (2, Change::NewlyBlocked)]);
    assert!(
        replayer
            .replay_document("x", &json!({"kind": "Event"}), &mut memo)
            .is_none()
    );
}
