//! What every request shares: the current configuration (replaced whole on reload, never
//! edited), the last refused configuration, and the metrics.
//!
//! Reload: the configuration files are watched by polling their size and modification time
//! (ConfigMap and Secret volumes change by an atomic symlink swap, which every watcher sees as a
//! change of those). A changed configuration is loaded in full; when the core refuses it, the
//! last good one keeps serving, and the refusal is logged, counted and shown by `/readyz`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::config::{self, Args, Settings};
use crate::log;
use crate::review::Decider;
use crate::source::EvidenceSource;

/// Upper bounds of the review latency histogram, in seconds.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    5.0, 10.0,
];

/// The shared state.
#[derive(Debug)]
pub struct State {
    current: RwLock<Arc<Decider>>,
    generation: AtomicU64,
    refusal: Mutex<Option<Value>>,
    /// Deadline, body limit, fixed time.
    pub settings: Settings,
    metrics: Metrics,
    /// The evidence source fetched at review time, if any.
    source: Option<Arc<dyn EvidenceSource>>,
}

#[derive(Debug, Default)]
struct Metrics {
    /// Reviews answered, by (verdict, rule kind).
    reviews: Mutex<BTreeMap<(String, String), u64>>,
    /// Latency histogram: counts per bucket (the last is +Inf), sum in microseconds.
    latency: Mutex<(Vec<u64>, u64)>,
    /// Requests refused before a decision, by HTTP status.
    refused: Mutex<BTreeMap<u16, u64>>,
    /// Configurations refused on reload.
    config_refusals: AtomicU64,
    /// TLS handshakes that failed or timed out.
    tls_failures: AtomicU64,
    /// Reviews answered with a fail-closed denial (deadline, internal error).
    fail_closed: AtomicU64,
}

impl State {
    /// The state for a first configuration (generation 1).
    pub fn new(decider: Decider, settings: Settings) -> State {
        State {
            current: RwLock::new(Arc::new(decider)),
            generation: AtomicU64::new(1),
            refusal: Mutex::new(None),
            settings,
            metrics: Metrics::default(),
            source: None,
        }
    }

    /// The state with an evidence source fetched at review time.
    #[must_use]
    pub fn with_source(mut self, source: Arc<dyn EvidenceSource>) -> State {
        self.source = Some(source);
        self
    }

    /// The evidence source, if any.
    pub fn source(&self) -> Option<Arc<dyn EvidenceSource>> {
        self.source.clone()
    }

    /// The configuration in force.
    pub fn decider(&self) -> Arc<Decider> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// How many configurations have been in force (1 at start).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// Puts a newly loaded configuration in force.
    pub fn replace(&self, decider: Decider) {
        let fresh = Arc::new(decider);
        match self.current.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        self.generation.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut refusal) = self.refusal.lock() {
            *refusal = None;
        }
    }

    /// Records a refused configuration (the last good one keeps serving).
    pub fn refuse(&self, detail: Value) {
        self.metrics.config_refusals.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut refusal) = self.refusal.lock() {
            *refusal = Some(detail);
        }
    }

    /// `/readyz`'s body.
    pub fn readiness(&self) -> Value {
        let decider = self.decider();
        let refusal = self.refusal.lock().ok().and_then(|r| r.clone());
        json!({
            "ready": true,
            "configGeneration": self.generation(),
            "evidenceItems": decider.evidence.len(),
            "lastRefusedConfiguration": refusal,
        })
    }

    /// Counts one answered review.
    pub fn count_review(&self, verdict: &str, rule: Option<&str>, elapsed: Duration) {
        if let Ok(mut reviews) = self.metrics.reviews.lock() {
            *reviews
                .entry((verdict.to_owned(), rule.unwrap_or("").to_owned()))
                .or_default() += 1;
        }
        if let Ok(mut latency) = self.metrics.latency.lock() {
            let (counts, sum) = &mut *latency;
            if counts.len() != BUCKETS.len() + 1 {
                *counts = vec![0; BUCKETS.len() + 1];
            }
            let seconds = elapsed.as_secs_f64();
            let bucket = BUCKETS
                .iter()
                .position(|b| seconds <= *b)
                .unwrap_or(BUCKETS.len());
            if let Some(count) = counts.get_mut(bucket) {
                *count += 1;
            }
            *sum += u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        }
    }

    /// Counts a request refused before a decision.
    pub fn count_refused(&self, status: u16) {
        if let Ok(mut refused) = self.metrics.refused.lock() {
            *refused.entry(status).or_default() += 1;
        }
    }

    /// Counts a failed TLS handshake.
    pub fn count_tls_failure(&self) {
        self.metrics.tls_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a fail-closed denial.
    pub fn count_fail_closed(&self) {
        self.metrics.fail_closed.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus' text format.
    pub fn metrics_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP vouch_webhook_reviews_total Reviews answered, by verdict and rule kind."
        );
        let _ = writeln!(out, "# TYPE vouch_webhook_reviews_total counter");
        if let Ok(reviews) = self.metrics.reviews.lock() {
            for ((verdict, rule), n) in reviews.iter() {
                let _ = writeln!(
                    out,
                    "vouch_webhook_reviews_total{{verdict=\"{verdict}\",rule=\"{rule}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP vouch_webhook_review_seconds Time from the body read to the answer."
        );
        let _ = writeln!(out, "# TYPE vouch_webhook_review_seconds histogram");
        if let Ok(latency) = self.metrics.latency.lock() {
            let (counts, sum) = &*latency;
            let mut cumulative = 0;
            for (i, bound) in BUCKETS.iter().enumerate() {
                cumulative += counts.get(i).copied().unwrap_or(0);
                let _ = writeln!(
                    out,
                    "vouch_webhook_review_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
                );
            }
            cumulative += counts.get(BUCKETS.len()).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "vouch_webhook_review_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
            );
            #[allow(
                clippy::cast_precision_loss,
                reason = "a sum of microseconds in seconds"
            )]
            let seconds = *sum as f64 / 1e6;
            let _ = writeln!(out, "vouch_webhook_review_seconds_sum {seconds}");
            let _ = writeln!(out, "vouch_webhook_review_seconds_count {cumulative}");
        }
        let _ = writeln!(
            out,
            "# HELP vouch_webhook_refused_total Requests refused before a decision, by HTTP status."
        );
        let _ = writeln!(out, "# TYPE vouch_webhook_refused_total counter");
        if let Ok(refused) = self.metrics.refused.lock() {
            for (status, n) in refused.iter() {
                let _ = writeln!(
                    out,
                    "vouch_webhook_refused_total{{status=\"{status}\"}} {n}"
                );
            }
        }
        for (name, help, kind, value) in [
            (
                "vouch_webhook_fail_closed_total",
                "Reviews denied because no decision was made in time (or at all).",
                "counter",
                self.metrics.fail_closed.load(Ordering::Relaxed),
            ),
            (
                "vouch_webhook_tls_handshake_failures_total",
                "TLS handshakes that failed or timed out (plain HTTP, scanners, slow clients).",
                "counter",
                self.metrics.tls_failures.load(Ordering::Relaxed),
            ),
            (
                "vouch_webhook_config_generation",
                "How many configurations have been in force (1 at start).",
                "gauge",
                self.generation(),
            ),
            (
                "vouch_webhook_config_refusals_total",
                "Configurations refused on reload (the last good one keeps serving).",
                "counter",
                self.metrics.config_refusals.load(Ordering::Relaxed),
            ),
            (
                "vouch_webhook_evidence_items",
                "Evidence items of the configuration in force.",
                "gauge",
                u64::try_from(self.decider().evidence.len()).unwrap_or(u64::MAX),
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {value}");
        }
        if let Some(source) = &self.source {
            out.push_str(&source.metrics_text());
        }
        out
    }
}

/// The files a configuration is read from, with what is known of each (size and modification
/// time, or nothing when it cannot be read): a change of any is a reason to reload.
fn fingerprint(args: &Args) -> Vec<(PathBuf, Option<(u64, SystemTime)>)> {
    let mut files: Vec<PathBuf> = vec![args.policy.clone()];
    files.extend(args.attestors.iter().cloned());
    files.extend(args.system_policy.iter().cloned());
    files.extend(args.cluster_config.iter().cloned());
    files.extend(args.evidence.iter().cloned());
    if let Some(dir) = &args.evidence_dir {
        files.push(dir.clone());
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut inside: Vec<PathBuf> =
                entries.filter_map(Result::ok).map(|e| e.path()).collect();
            inside.sort();
            files.extend(inside);
        }
    }
    files
        .into_iter()
        .map(|f| {
            let meta = std::fs::metadata(&f)
                .ok()
                .and_then(|m| Some((m.len(), m.modified().ok()?)));
            (f, meta)
        })
        .collect()
}

/// Polls the configuration every `interval` and reloads it when a file changed; runs until the
/// process ends.
pub async fn watch(args: Args, state: Arc<State>, interval: Duration) {
    let mut seen = fingerprint(&args);
    loop {
        tokio::time::sleep(interval).await;
        let now = fingerprint(&args);
        if now == seen {
            continue;
        }
        seen = now;
        let loading = args.clone();
        let loaded = tokio::task::spawn_blocking(move || config::load_decider(&loading)).await;
        match loaded {
            Ok(Ok(decider)) => {
                state.replace(decider);
                log::info(
                    "configuration reloaded",
                    &[("configGeneration", json!(state.generation()))],
                );
            }
            Ok(Err(e)) => {
                let mut fields = e.fields();
                fields.push(("keptGeneration", json!(state.generation())));
                log::error("configuration refused", &fields);
                state.refuse(Value::Object(
                    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                ));
            }
            Err(e) => log::error(
                "configuration reload failed",
                &[("error", json!(e.to_string()))],
            ),
        }
    }
}
