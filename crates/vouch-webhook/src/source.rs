//! Evidence sources: where the webhook fetches attestations at review time.
//!
//! The configuration's evidence files are compiled with the configuration (and reloaded with
//! it). A source adds, per review, what it fetches for the review's images and the attestors'
//! notes. Every source fails closed: what it could not fetch is reported as a cause and
//! contributes no evidence, so the decision is the policy's own answer without it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

pub mod container_analysis;
mod http;

/// What a review needs: its images pinned by digest, and the attestors' notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Want {
    /// `REPOSITORY@sha256:…`, sorted, each once.
    pub images: Vec<String>,
    /// `projects/P/notes/N`, sorted, each once.
    pub notes: Vec<String>,
}

impl Want {
    /// Whether there is nothing to fetch.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty() || self.notes.is_empty()
    }
}

/// What a source fetched: occurrences, and the causes of what it could not fetch.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// Occurrences as the API returns them (checked locally: kind, note, digest).
    pub occurrences: Vec<Value>,
    /// One line per failed (note, image), naming the cause.
    pub failures: Vec<String>,
}

/// A boxed future, `Send`.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A source of evidence fetched at review time.
pub trait EvidenceSource: Send + Sync + std::fmt::Debug {
    /// Fetches what `want` names, giving up at `until`. Never fails as a whole: a failure is a
    /// cause in [`Fetched::failures`].
    fn fetch(self: Arc<Self>, want: Want, until: tokio::time::Instant) -> BoxFuture<Fetched>;

    /// The source's metrics, in Prometheus' text format.
    fn metrics_text(&self) -> String;
}
