//! The Container Analysis client against a local HTTP server that plays answers in the documented
//! shapes: `ListNoteOccurrencesResponse` (`occurrences`, `nextPageToken`; an empty `{}` as proto3
//! JSON writes an empty list) from googleapis `google/devtools/containeranalysis/v1` and
//! `grafeas/v1/grafeas.proto`; error bodies in Google's error model
//! (`{"error": {"code", "message", "status"}}`, AIP-193, with the canonical codes
//! UNAUTHENTICATED 401, PERMISSION_DENIED 403, RESOURCE_EXHAUSTED 429, UNAVAILABLE 503); the
//! metadata server's token answer (`access_token`, `expires_in`, `token_type`) from GKE's
//! Workload Identity documentation. Strays the spec lists (another digest, another note, a
//! `VULNERABILITY` occurrence) are in the pages.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use super::*;

use std::net::SocketAddr;

use serde_json::json;
use tokio::io::AsyncWriteExt as _;

const NOTE: &str = "projects/build-project/notes/built-by-ci";
const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

fn image() -> String {
    format!("us-docker.pkg.dev/example/app/web@{DIGEST}")
}

fn occurrence(name: &str, kind: &str, note: &str, digest: &str) -> Value {
    json!({"name": format!("projects/build-project/occurrences/{name}"),
           "resourceUri": format!("https://us-docker.pkg.dev/example/app/web@{digest}"),
           "noteName": note, "kind": kind,
           "attestation": {"serializedPayload": "e30=", "signatures": [{"signature": "AAAA", "publicKeyId": "k"}]}})
}

/// What the fake server does with one request.
#[derive(Clone)]
enum Play {
    /// Answer with this status and body.
    Answer(u16, String),
    /// Promise more bytes than are sent, then close.
    Truncated,
    /// Wait this long, then answer `{}`.
    Slow(Duration),
}

/// A server that answers by the request's `pageToken` (none: `""`) and records the requests.
async fn serve(plays: Vec<(&'static str, Play)>) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let plays = Arc::new(plays);
    tokio::spawn(async move {
        loop {
            let (mut tcp, _) = listener.accept().await.unwrap();
            let plays = Arc::clone(&plays);
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                // Peek at the request line to find the play.
                let mut buf = vec![0u8; 8192];
                let n = {
                    let mut filled = 0;
                    loop {
                        tcp.readable().await.unwrap();
                        match tcp.try_read(&mut buf[filled..]) {
                            Ok(0) => break filled,
                            Ok(n) => {
                                filled += n;
                                if buf[..filled].windows(4).any(|w| w == b"\r\n\r\n") {
                                    break filled;
                                }
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                            Err(_) => return,
                        }
                    }
                };
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                log.lock().unwrap().push(head.clone());
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                let token = target
                    .split('&')
                    .find_map(|p| p.strip_prefix("pageToken="))
                    .unwrap_or("");
                let play = plays
                    .iter()
                    .find(|(t, _)| *t == token)
                    .map(|(_, p)| p.clone())
                    .unwrap_or(Play::Answer(404, "{}".into()));
                let (status, body) = match play {
                    Play::Answer(status, body) => (status, body),
                    Play::Slow(wait) => {
                        tokio::time::sleep(wait).await;
                        (200, "{}".into())
                    }
                    Play::Truncated => {
                        let _ = tcp
                            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"occurrences\": [")
                            .await;
                        return;
                    }
                };
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tcp.write_all(answer.as_bytes()).await;
            });
        }
    });
    (addr, seen)
}

fn source(addr: SocketAddr, token_file: &std::path::Path, ttl: Duration) -> Arc<ContainerAnalysis> {
    Arc::new(
        ContainerAnalysis::new(Settings {
            endpoint: format!("http://{addr}"),
            tokens: Tokens::File(token_file.to_owned()),
            concurrency: 4,
            ttl,
            negative_ttl: Duration::ZERO,
        })
        .unwrap(),
    )
}

fn token_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("vouch-ca-token-{}-{name}", std::process::id()));
    std::fs::write(&path, "ya29.test-token\n").unwrap();
    path
}

fn want() -> Want {
    Want {
        images: vec![image()],
        notes: vec![NOTE.into()],
    }
}

fn soon() -> Instant {
    Instant::now() + Duration::from_secs(5)
}

#[tokio::test]
async fn pages_are_followed_and_strays_dropped() {
    let page1 = json!({"occurrences": [occurrence("a", "ATTESTATION", NOTE, DIGEST),
                                        occurrence("vuln", "VULNERABILITY", NOTE, DIGEST)],
                       "nextPageToken": "2"});
    let other = DIGEST.replace('1', "2");
    let page2 = json!({"occurrences": [occurrence("b", "ATTESTATION", NOTE, DIGEST),
                                        occurrence("other-digest", "ATTESTATION", NOTE, &other),
                                        occurrence("other-note", "ATTESTATION", "projects/x/notes/y", DIGEST)]});
    let (addr, seen) = serve(vec![
        ("", Play::Answer(200, page1.to_string())),
        ("2", Play::Answer(200, page2.to_string())),
    ])
    .await;
    let ca = source(addr, &token_file("pages"), Duration::from_secs(60));
    let fetched = Arc::clone(&ca).fetch(want(), soon()).await;
    assert!(fetched.failures.is_empty(), "{:?}", fetched.failures);
    let names: Vec<_> = fetched
        .occurrences
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "projects/build-project/occurrences/a",
            "projects/build-project/occurrences/b"
        ]
    );
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0].starts_with(&format!(
            "GET /v1/{NOTE}/occurrences?filter=has_suffix%28resourceUrl"
        )),
        "{}",
        requests[0]
    );
    assert!(requests[0].contains("pageSize=100"));
    assert!(requests[1].contains("&pageToken=2"));
    assert!(
        requests[0]
            .to_ascii_lowercase()
            .contains("authorization: bearer ya29.test-token")
    );
    let metrics = ca.metrics_text();
    assert!(metrics.contains("reason=\"kind\"} 1"), "{metrics}");
    assert!(metrics.contains("reason=\"digest\"} 1"), "{metrics}");
    assert!(metrics.contains("reason=\"note\"} 1"), "{metrics}");
    // Again: from the cache, no request.
    let again = Arc::clone(&ca).fetch(want(), soon()).await;
    assert_eq!(again.occurrences.len(), 2);
    assert_eq!(seen.lock().unwrap().len(), 2);
    assert!(
        ca.metrics_text()
            .contains("vouch_webhook_evidence_cache_total{result=\"hit\"} 1")
    );
}

#[tokio::test]
async fn an_empty_answer_is_no_evidence_and_not_cached_for_long() {
    let (addr, seen) = serve(vec![("", Play::Answer(200, "{}".into()))]).await;
    let ca = source(addr, &token_file("empty"), Duration::from_secs(60));
    for _ in 0..2 {
        let fetched = Arc::clone(&ca).fetch(want(), soon()).await;
        assert!(fetched.occurrences.is_empty() && fetched.failures.is_empty());
    }
    // The negative TTL is zero here: asked twice.
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn every_fault_is_a_cause_never_evidence() {
    let error = |code: u16, status: &str| {
        json!({"error": {"code": code, "message": format!("recorded {status}"), "status": status}})
            .to_string()
    };
    let cases: Vec<(Play, &str, &str)> = vec![
        (
            Play::Answer(401, error(401, "UNAUTHENTICATED")),
            "denied",
            "HTTP 401: UNAUTHENTICATED recorded UNAUTHENTICATED",
        ),
        (
            Play::Answer(403, error(403, "PERMISSION_DENIED")),
            "denied",
            "HTTP 403: PERMISSION_DENIED",
        ),
        (
            Play::Answer(429, error(429, "RESOURCE_EXHAUSTED")),
            "throttled",
            "HTTP 429: RESOURCE_EXHAUSTED",
        ),
        (
            Play::Answer(503, error(503, "UNAVAILABLE")),
            "unavailable",
            "HTTP 503: UNAVAILABLE",
        ),
        (
            Play::Answer(502, "<html>bad gateway</html>".into()),
            "unavailable",
            "HTTP 502",
        ),
        (
            Play::Answer(200, "{\"occurrences\": [".into()),
            "malformed",
            "not JSON",
        ),
        (
            Play::Answer(200, "{\"occurrences\": {}}".into()),
            "malformed",
            "`occurrences` is not a list",
        ),
        (Play::Answer(200, "[]".into()), "malformed", "not an object"),
        (
            Play::Answer(200, json!({"nextPageToken": ""}).to_string()),
            "",
            "",
        ),
        (Play::Truncated, "transport", "truncated"),
        (
            Play::Slow(Duration::from_secs(3)),
            "timeout",
            "no answer before the review's deadline",
        ),
    ];
    for (i, (play, outcome, cause)) in cases.into_iter().enumerate() {
        let (addr, _) = serve(vec![("", play)]).await;
        let ca = source(
            addr,
            &token_file(&format!("fault-{i}")),
            Duration::from_secs(60),
        );
        let started = std::time::Instant::now();
        let fetched = Arc::clone(&ca)
            .fetch(want(), Instant::now() + Duration::from_millis(500))
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "case {i} took {:?}",
            started.elapsed()
        );
        assert!(fetched.occurrences.is_empty(), "case {i}");
        if outcome.is_empty() {
            assert!(
                fetched.failures.is_empty(),
                "case {i}: {:?}",
                fetched.failures
            );
            continue;
        }
        assert_eq!(fetched.failures.len(), 1, "case {i}");
        assert!(
            fetched.failures[0].contains(cause),
            "case {i}: {}",
            fetched.failures[0]
        );
        assert!(
            fetched.failures[0].contains(NOTE),
            "case {i}: names the note"
        );
        assert!(
            ca.metrics_text()
                .contains(&format!("outcome=\"{outcome}\"}} 1")),
            "case {i}: {}",
            ca.metrics_text()
        );
    }
}

#[tokio::test]
async fn a_page_token_that_comes_back_is_refused() {
    let page = json!({"occurrences": [], "nextPageToken": "again"}).to_string();
    let (addr, _) = serve(vec![
        ("", Play::Answer(200, page.clone())),
        ("again", Play::Answer(200, page)),
    ])
    .await;
    let ca = source(addr, &token_file("loop"), Duration::from_secs(60));
    let fetched = Arc::clone(&ca).fetch(want(), soon()).await;
    assert_eq!(fetched.failures.len(), 1);
    assert!(
        fetched.failures[0].contains("came back twice"),
        "{}",
        fetched.failures[0]
    );
}

#[tokio::test]
async fn token_failures_fail_closed_and_metadata_tokens_are_cached() {
    // A token file that does not exist.
    let (addr, seen) = serve(vec![("", Play::Answer(200, "{}".into()))]).await;
    let missing = std::env::temp_dir().join("vouch-ca-token-does-not-exist");
    let ca = source(addr, &missing, Duration::from_secs(60));
    let fetched = Arc::clone(&ca).fetch(want(), soon()).await;
    assert!(
        fetched.failures[0].contains("reading the token file"),
        "{}",
        fetched.failures[0]
    );
    assert!(seen.lock().unwrap().is_empty(), "no call without a token");

    // The metadata server: asked once, its token reused.
    let token =
        json!({"access_token": "ya29.from-metadata", "expires_in": 3599, "token_type": "Bearer"});
    let (metadata, asked) = serve(vec![("", Play::Answer(200, token.to_string()))]).await;
    let (addr, seen) = serve(vec![("", Play::Answer(200, "{}".into()))]).await;
    let ca = Arc::new(
        ContainerAnalysis::new(Settings {
            endpoint: format!("http://{addr}"),
            tokens: Tokens::Metadata(metadata.to_string()),
            concurrency: 2,
            ttl: Duration::from_secs(60),
            negative_ttl: Duration::ZERO,
        })
        .unwrap(),
    );
    for _ in 0..3 {
        assert!(
            Arc::clone(&ca)
                .fetch(want(), soon())
                .await
                .failures
                .is_empty()
        );
    }
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1);
    assert!(
        asked[0].starts_with("GET /computeMetadata/v1/instance/service-accounts/default/token")
    );
    assert!(
        asked[0]
            .to_ascii_lowercase()
            .contains("metadata-flavor: google")
    );
    assert!(
        seen.lock().unwrap()[0]
            .to_ascii_lowercase()
            .contains("bearer ya29.from-metadata")
    );
}

#[tokio::test]
async fn too_many_lookups_fetch_nothing() {
    let (addr, seen) = serve(vec![("", Play::Answer(200, "{}".into()))]).await;
    let ca = source(addr, &token_file("many"), Duration::from_secs(60));
    let want = Want {
        images: (0..MAX_LOOKUPS + 1)
            .map(|i| format!("gcr.io/p/i{i}@{DIGEST}"))
            .collect(),
        notes: vec![NOTE.into()],
    };
    let fetched = Arc::clone(&ca).fetch(want, soon()).await;
    assert!(fetched.occurrences.is_empty());
    assert!(
        fetched.failures[0].contains("nothing was fetched"),
        "{:?}",
        fetched.failures
    );
    assert!(seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_note_that_would_change_the_url_is_not_asked() {
    let (addr, seen) = serve(vec![("", Play::Answer(200, "{}".into()))]).await;
    let ca = source(addr, &token_file("note"), Duration::from_secs(60));
    for note in [
        "projects/p/notes/n?pageSize=1",
        "projects/p/notes/../x",
        "projects/p/notes/a#b",
        "projects/p/notes/%2e",
    ] {
        let want = Want {
            images: vec![image()],
            notes: vec![note.into()],
        };
        let fetched = Arc::clone(&ca).fetch(want, soon()).await;
        assert!(
            fetched.failures[0].contains("URL path"),
            "{note}: {:?}",
            fetched.failures
        );
    }
    assert!(seen.lock().unwrap().is_empty());
}
