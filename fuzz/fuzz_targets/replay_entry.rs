//! Replay (`request/audit.rs`, `replay/`), from any text as one log entry: never panics; the
//! outcome is a skip, a malformed entry with a documented `INPUT_`/`REQUEST_` code and a JSON
//! pointer into the entry, or an event whose record serializes and whose JSON line counts in a
//! summary exactly as the record does; reading the entry borrowed and owned gives the same
//! event, and a memo never changes a decision.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use vouch::{
    Evaluator, Evidence, Limits, Policy, ReplayMemo, ReplayOutcome, ReplaySummary, Replayer,
};

/// Rules of every kind that needs no signature, so entries are admitted, denied, dry run and
/// allowlisted.
const POLICY: &str = "defaultAdmissionRule:
  evaluationMode: ALWAYS_DENY
  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
admissionWhitelistPatterns:
- namePattern: gcr.io/example-project/tools/*
kubernetesNamespaceAdmissionRules:
  sandbox:
    evaluationMode: ALWAYS_ALLOW
    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
  staging:
    evaluationMode: ALWAYS_DENY
    enforcementMode: DRYRUN_AUDIT_LOG_ONLY
";

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let Ok(policy) = Policy::from_text(POLICY) else {
        panic!("the fixed policy loads");
    };
    let Ok(evaluator) = Evaluator::new(policy, Vec::new(), None) else {
        panic!("the fixed policy compiles");
    };
    let replayer = Replayer::new(evaluator, Evidence::new())
        .with_default_cluster(Some("us-central1-a.fuzz".to_owned()));
    let mut memo = ReplayMemo::new();
    let first = replayer.replay_text("fuzz", 1, text, &mut memo);
    // The same entry again, through the memo, and through a fresh one.
    let again = replayer.replay_text("fuzz", 1, text, &mut memo);
    let fresh = replayer.replay_text("fuzz", 1, text, &mut ReplayMemo::new());
    let line = |o: &ReplayOutcome| match o {
        ReplayOutcome::Event(r) => format!("event {}", r.to_json()),
        ReplayOutcome::Malformed(m) => format!("malformed {}", m.to_value()),
        ReplayOutcome::Skipped(s) => format!("skipped {}", s.as_str()),
    };
    assert_eq!(line(&first), line(&again), "the memo changed a decision");
    assert_eq!(line(&first), line(&fresh));
    // The borrowed reader agrees with the owned one the replayer uses.
    // (Replay reads JSON lines only, strictly: compare on text both the strict reader and JSON
    // accept.)
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
        && vouch::parse_document(text, &Limits::DEFAULT).is_ok()
        && value.is_object()
    {
        let borrowed = vouch::read_audit_entry(&value, Some("us-central1-a.fuzz"), &Limits::DEFAULT);
        match (&first, borrowed) {
            (ReplayOutcome::Skipped(a), Ok(vouch::AuditRead::Skipped(b))) => assert_eq!(*a, b),
            (ReplayOutcome::Malformed(m), Err(e)) => assert_eq!(m.error.code(), e.code()),
            (ReplayOutcome::Event(r), Ok(vouch::AuditRead::Event(e))) => {
                let images: Vec<&str> = e.request.images().iter().map(|i| i.image.as_str()).collect();
                assert_eq!(r.images, images);
                assert_eq!(r.namespace, e.namespace);
            }
            // Beyond the reader: the strict parser's refusals (duplicate keys, depth) and the
            // time the replayer needs.
            (ReplayOutcome::Malformed(_), Ok(_)) => {}
            (a, b) => panic!("borrowed and owned readings differ: {} vs {b:?}", line(a)),
        }
    }
    let mut from_record = ReplaySummary::new();
    from_record.add(&first);
    match &first {
        ReplayOutcome::Malformed(m) => common::check_error(&m.error, &["INPUT_", "REQUEST_"]),
        ReplayOutcome::Event(record) => {
            let mut from_json = ReplaySummary::new();
            let Ok(()) = from_json.add_json("event", &record.to_json()) else {
                panic!("a record's JSON line counts");
            };
            assert_eq!(from_json.to_value(), from_record.to_value());
            assert_eq!(from_record.events(), 1);
        }
        ReplayOutcome::Skipped(_) => assert_eq!(from_record.events(), 0),
    }
    assert_eq!(from_record.entries(), 1);
});
