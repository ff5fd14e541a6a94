//! The Container Analysis v1 REST API (also the open-source Grafeas server's v1 shape) as an
//! evidence source.
//!
//! One call per (attestor note, image): `GET /v1/projects/P/notes/N/occurrences` with
//! `filter=has_suffix(resourceUrl, "sha256:…")` and `pageSize=100`, following `nextPageToken`
//! (opaque) up to [`MAX_PAGES`]. The note's project is where attestation occurrences are listed
//! with `containeranalysis.notes.listOccurrences`, as gcloud's `attestations list` does.
//! Server-side filtering is not trusted: each occurrence is kept only if its `kind` is
//! `ATTESTATION`, its `noteName` the note asked and its `resourceUri` ends with the digest.
//!
//! Results are cached per (note, digest): occurrences for the positive TTL, an empty answer for
//! the shorter negative TTL (a new attestation must show up soon), failures never. Calls run
//! at most `concurrency` at a time. Tokens come from a file or the metadata server.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::http::{self, Endpoint};
use super::{BoxFuture, EvidenceSource, Fetched, Want};
use crate::log;

/// The most pages read for one (note, image).
pub const MAX_PAGES: usize = 20;
/// The most (note, image) lookups for one review: a Pod naming more images than this gets
/// none fetched (fail closed) rather than thousands of calls.
pub const MAX_LOOKUPS: usize = 256;
/// The page size asked for.
const PAGE_SIZE: u32 = 100;
/// The largest answer read, in bytes.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;
/// The most cached (note, digest) entries.
const MAX_CACHE_ENTRIES: usize = 10_000;
/// A metadata-server token is renewed this long before it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// A cache key: (note, digest).
type CacheKey = (String, String);
/// A cache entry: valid until, and the occurrences found.
type CacheEntry = (Instant, Arc<Vec<Value>>);

/// Where bearer tokens come from.
#[derive(Debug)]
pub enum Tokens {
    /// A file holding the token (re-read on every call: a mounted Secret changes in place).
    File(PathBuf),
    /// The GKE metadata server at this host (`metadata.google.internal`).
    Metadata(String),
    /// No `Authorization` header (a Grafeas server without authentication).
    None,
}

/// The source's settings.
#[derive(Debug)]
pub struct Settings {
    /// The API's address (`https://containeranalysis.googleapis.com`).
    pub endpoint: String,
    /// Where tokens come from.
    pub tokens: Tokens,
    /// Calls in flight at most.
    pub concurrency: usize,
    /// How long occurrences found are reused.
    pub ttl: Duration,
    /// How long an empty answer is reused.
    pub negative_ttl: Duration,
}

/// The Container Analysis source.
#[derive(Debug)]
pub struct ContainerAnalysis {
    endpoint: Endpoint,
    tls: Arc<rustls::ClientConfig>,
    tokens: Tokens,
    token_cache: tokio::sync::Mutex<Option<(String, Instant)>>,
    permits: Arc<Semaphore>,
    ttl: Duration,
    negative_ttl: Duration,
    cache: Mutex<HashMap<CacheKey, CacheEntry>>,
    counters: Counters,
}

#[derive(Debug, Default)]
struct Counters {
    outcomes: Mutex<std::collections::BTreeMap<&'static str, u64>>,
    hits: AtomicU64,
    misses: AtomicU64,
    dropped: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl Counters {
    fn outcome(&self, outcome: &'static str) {
        if let Ok(mut map) = self.outcomes.lock() {
            *map.entry(outcome).or_default() += 1;
        }
    }
    fn dropped(&self, reason: &'static str) {
        if let Ok(mut map) = self.dropped.lock() {
            *map.entry(reason).or_default() += 1;
        }
    }
}

/// A failed fetch: its metrics label and its cause.
#[derive(Debug)]
struct Failure {
    outcome: &'static str,
    cause: String,
}

fn fail(outcome: &'static str, cause: impl Into<String>) -> Failure {
    Failure {
        outcome,
        cause: cause.into(),
    }
}

impl ContainerAnalysis {
    /// The source for `settings`; `Err` names a bad endpoint.
    pub fn new(settings: Settings) -> Result<ContainerAnalysis, String> {
        Ok(ContainerAnalysis {
            endpoint: Endpoint::parse(&settings.endpoint)?,
            tls: http::tls_config()?,
            tokens: settings.tokens,
            token_cache: tokio::sync::Mutex::new(None),
            permits: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            ttl: settings.ttl,
            negative_ttl: settings.negative_ttl,
            cache: Mutex::new(HashMap::new()),
            counters: Counters::default(),
        })
    }

    /// The bearer token, if any.
    async fn token(&self) -> Result<Option<String>, Failure> {
        match &self.tokens {
            Tokens::None => Ok(None),
            Tokens::File(path) => {
                // A small file: read in place (a mounted Secret's token).
                let text = std::fs::read_to_string(path).map_err(|e| {
                    fail(
                        "token",
                        format!("reading the token file {}: {e}", path.display()),
                    )
                })?;
                let token = text.trim();
                if token.is_empty() {
                    return Err(fail(
                        "token",
                        format!("the token file {} is empty", path.display()),
                    ));
                }
                Ok(Some(token.to_owned()))
            }
            Tokens::Metadata(host) => {
                let mut cached = self.token_cache.lock().await;
                if let Some((token, expires)) = cached.as_ref()
                    && Instant::now() + TOKEN_MARGIN < *expires
                {
                    return Ok(Some(token.clone()));
                }
                let endpoint = Endpoint::parse(&format!("http://{host}"))
                    .map_err(|e| fail("token", format!("the metadata host: {e}")))?;
                let answer = http::get(
                    &endpoint,
                    &self.tls,
                    "/computeMetadata/v1/instance/service-accounts/default/token",
                    &[("Metadata-Flavor", "Google")],
                    64 * 1024,
                )
                .await
                .map_err(|e| fail("token", format!("the metadata server: {e}")))?;
                if answer.status != 200 {
                    return Err(fail(
                        "token",
                        format!("the metadata server answered HTTP {}", answer.status),
                    ));
                }
                let value: Value = serde_json::from_slice(&answer.body).map_err(|e| {
                    fail(
                        "token",
                        format!("the metadata server's answer is not JSON: {e}"),
                    )
                })?;
                let token = value
                    .get("access_token")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| {
                        fail(
                            "token",
                            "the metadata server's answer has no `access_token`",
                        )
                    })?
                    .to_owned();
                let lifetime = value.get("expires_in").and_then(Value::as_u64).unwrap_or(0);
                *cached = Some((
                    token.clone(),
                    Instant::now() + Duration::from_secs(lifetime),
                ));
                Ok(Some(token))
            }
        }
    }

    /// The occurrences of `note` for `image`, from the cache or the API.
    async fn occurrences(
        self: &Arc<Self>,
        note: &str,
        image: &str,
    ) -> Result<Arc<Vec<Value>>, Failure> {
        let digest = image
            .rsplit_once('@')
            .map(|(_, d)| d.to_owned())
            .unwrap_or_default();
        let key = (note.to_owned(), digest.clone());
        if let Ok(cache) = self.cache.lock()
            && let Some((until, found)) = cache.get(&key)
            && Instant::now() < *until
        {
            self.counters.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Arc::clone(found));
        }
        self.counters.misses.fetch_add(1, Ordering::Relaxed);
        if !url_safe_note(note) {
            return Err(fail(
                "bad_note",
                "the note name has characters a URL path would read differently",
            ));
        }
        let _permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| fail("internal", "the source is closed"))?;
        let token = self.token().await?;
        let authorization = token.map(|t| format!("Bearer {t}"));
        let filter = http::encode(&format!("has_suffix(resourceUrl, \"{digest}\")"));
        let mut found = Vec::new();
        let mut page_token = String::new();
        let mut seen = BTreeSet::new();
        for page in 0.. {
            if page == MAX_PAGES {
                return Err(fail(
                    "too_many_pages",
                    format!("more than {MAX_PAGES} pages of occurrences"),
                ));
            }
            let mut path = format!("/v1/{note}/occurrences?filter={filter}&pageSize={PAGE_SIZE}");
            if !page_token.is_empty() {
                path.push_str("&pageToken=");
                path.push_str(&http::encode(&page_token));
            }
            let mut headers = Vec::new();
            if let Some(a) = &authorization {
                headers.push(("Authorization", a.as_str()));
            }
            let answer = http::get(&self.endpoint, &self.tls, &path, &headers, MAX_ANSWER_BYTES)
                .await
                .map_err(|e| fail("transport", e))?;
            if answer.status != 200 {
                return Err(http_error(answer.status, &answer.body));
            }
            let value: Value = serde_json::from_slice(&answer.body)
                .map_err(|e| fail("malformed", format!("the answer is not JSON: {e}")))?;
            let Some(object) = value.as_object() else {
                return Err(fail("malformed", "the answer is not an object"));
            };
            match object.get("occurrences") {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => {
                    for item in items {
                        match keep(item, note, &digest) {
                            Ok(()) => found.push(item.clone()),
                            Err(reason) => self.counters.dropped(reason),
                        }
                    }
                }
                Some(_) => return Err(fail("malformed", "`occurrences` is not a list")),
            }
            page_token = match object.get("nextPageToken") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(t)) => t.clone(),
                Some(_) => return Err(fail("malformed", "`nextPageToken` is not a string")),
            };
            if page_token.is_empty() {
                break;
            }
            if !seen.insert(page_token.clone()) {
                return Err(fail("malformed", "a page token came back twice"));
            }
        }
        let found = Arc::new(found);
        let ttl = if found.is_empty() {
            self.negative_ttl
        } else {
            self.ttl
        };
        if !ttl.is_zero()
            && let Ok(mut cache) = self.cache.lock()
        {
            let now = Instant::now();
            if cache.len() >= MAX_CACHE_ENTRIES {
                cache.retain(|_, (until, _)| *until > now);
            }
            if cache.len() >= MAX_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(key, (now + ttl, Arc::clone(&found)));
        }
        Ok(found)
    }
}

/// Whether `projects/P/notes/N` can go into a URL path as is: each segment of letters, digits,
/// `-`, `_`, `.`, `:`, and none `.` or `..`. (The core accepts any printable name.)
fn url_safe_note(note: &str) -> bool {
    note.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    })
}

/// Whether an occurrence is an attestation of `note` about `digest`; else why not.
fn keep(item: &Value, note: &str, digest: &str) -> Result<(), &'static str> {
    let text = |key: &str| item.get(key).and_then(Value::as_str);
    if text("kind") != Some("ATTESTATION") {
        return Err("kind");
    }
    if text("noteName") != Some(note) {
        return Err("note");
    }
    match text("resourceUri") {
        Some(uri) if !digest.is_empty() && uri.ends_with(&format!("@{digest}")) => Ok(()),
        _ => Err("digest"),
    }
}

/// An HTTP error answer, with Google's `{"error": {"code", "message", "status"}}` when present.
fn http_error(status: u16, body: &[u8]) -> Failure {
    let detail = serde_json::from_slice::<Value>(body).ok().and_then(|v| {
        let error = v.get("error")?;
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = error
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some(format!("{name} {message}").trim().to_owned())
    });
    let outcome = match status {
        401 | 403 => "denied",
        404 => "not_found",
        429 => "throttled",
        500..=599 => "unavailable",
        _ => "http_error",
    };
    fail(
        outcome,
        match detail {
            Some(d) if !d.is_empty() => format!("HTTP {status}: {d}"),
            _ => format!("HTTP {status}"),
        },
    )
}

impl EvidenceSource for ContainerAnalysis {
    fn fetch(self: Arc<Self>, want: Want, until: Instant) -> BoxFuture<Fetched> {
        Box::pin(async move {
            let lookups = want.notes.len().saturating_mul(want.images.len());
            if lookups > MAX_LOOKUPS {
                self.counters.outcome("too_many_lookups");
                return Fetched {
                    occurrences: Vec::new(),
                    failures: vec![format!(
                        "container analysis: {} images × {} attestor notes is more than {MAX_LOOKUPS} lookups; nothing was fetched",
                        want.images.len(),
                        want.notes.len()
                    )],
                };
            }
            let mut tasks = JoinSet::new();
            for note in &want.notes {
                for image in &want.images {
                    let source = Arc::clone(&self);
                    let (note, image) = (note.clone(), image.clone());
                    tasks.spawn(async move {
                        let result =
                            tokio::time::timeout_at(until, source.occurrences(&note, &image)).await;
                        let result = result.unwrap_or_else(|_| {
                            Err(fail("timeout", "no answer before the review's deadline"))
                        });
                        (note, image, result)
                    });
                }
            }
            let mut fetched = Fetched::default();
            let mut results = Vec::new();
            while let Some(joined) = tasks.join_next().await {
                match joined {
                    Ok(result) => results.push(result),
                    Err(e) => fetched.failures.push(format!("container analysis: {e}")),
                }
            }
            // Deterministic order, whatever finished first.
            results.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            for (note, image, result) in results {
                match result {
                    Ok(found) => {
                        self.counters.outcome("ok");
                        fetched.occurrences.extend(found.iter().cloned());
                    }
                    Err(failure) => {
                        self.counters.outcome(failure.outcome);
                        let cause =
                            format!("container analysis, {note} for {image}: {}", failure.cause);
                        log::warn(
                            "evidence fetch failed",
                            &[
                                ("outcome", serde_json::json!(failure.outcome)),
                                ("error", serde_json::json!(cause)),
                            ],
                        );
                        fetched.failures.push(cause);
                    }
                }
            }
            fetched
        })
    }

    fn metrics_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        out.push_str("# HELP vouch_webhook_evidence_fetches_total Evidence fetches by source and outcome.\n# TYPE vouch_webhook_evidence_fetches_total counter\n");
        if let Ok(map) = self.counters.outcomes.lock() {
            for (outcome, n) in map.iter() {
                let _ = writeln!(
                    out,
                    "vouch_webhook_evidence_fetches_total{{source=\"container_analysis\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP vouch_webhook_evidence_cache_total Evidence cache lookups.\n# TYPE vouch_webhook_evidence_cache_total counter\n");
        let _ = writeln!(
            out,
            "vouch_webhook_evidence_cache_total{{result=\"hit\"}} {}",
            self.counters.hits.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "vouch_webhook_evidence_cache_total{{result=\"miss\"}} {}",
            self.counters.misses.load(Ordering::Relaxed)
        );
        out.push_str("# HELP vouch_webhook_evidence_dropped_total Occurrences returned but not about what was asked.\n# TYPE vouch_webhook_evidence_dropped_total counter\n");
        if let Ok(map) = self.counters.dropped.lock() {
            for (reason, n) in map.iter() {
                let _ = writeln!(
                    out,
                    "vouch_webhook_evidence_dropped_total{{reason=\"{reason}\"}} {n}"
                );
            }
        }
        out
    }
}

#[cfg(test)]
#[path = "container_analysis_tests.rs"]
mod tests;
