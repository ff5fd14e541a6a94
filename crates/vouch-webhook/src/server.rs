//! The HTTPS server: rustls on tokio, hyper's HTTP/1.1.
//!
//! * `POST /validate` (and `POST /`, as Kritis registered it): an `AdmissionReview` v1 →
//!   the answer ([`crate::review`]). The body is limited (413 beyond), a body that is not a
//!   review is 400 (the API server then applies the webhook's `failurePolicy`: `Fail` denies),
//!   and a decision that misses the deadline is answered with a denial (fail closed) before the
//!   API server's own timeout.
//! * `GET /healthz`: the process serves. `GET /readyz`: the configuration in force (its
//!   generation, the last refused one). `GET /metrics`: Prometheus' text format.
//! * A connection that does not complete a TLS handshake (plain HTTP on the port, a scanner,
//!   a slow client) is dropped after a timeout; it never reaches the handler.
//! * Shutdown: on the signal, stop accepting, let requests in flight finish (at most
//!   [`DRAIN`]), then return.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use rustls::ServerConfig;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::log;
use crate::review;
use crate::state::State;

/// How long a TLS handshake may take.
const HANDSHAKE: Duration = Duration::from_secs(10);
/// How long the request head may take to arrive on a connection.
const HEADER_READ: Duration = Duration::from_secs(10);
/// How long shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves until `shutdown` completes, then drains.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<ServerConfig>,
    state: Arc<State>,
    shutdown: impl Future<Output = ()>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (tcp, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: back off, keep serving.
                        log::warn("accept failed", &[("error", json!(e.to_string()))]);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let state = Arc::clone(&state);
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let tls = match tokio::time::timeout(HANDSHAKE, acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => tls,
                        Ok(Err(e)) => {
                            state.count_tls_failure();
                            log::warn("TLS handshake failed", &[("peer", json!(peer.to_string())), ("error", json!(e.to_string()))]);
                            return;
                        }
                        Err(_) => {
                            state.count_tls_failure();
                            log::warn("TLS handshake timed out", &[("peer", json!(peer.to_string()))]);
                            return;
                        }
                    };
                    let service = hyper::service::service_fn(move |request| {
                        let state = Arc::clone(&state);
                        async move { Ok::<_, Infallible>(route(request, &state).await) }
                    });
                    let connection = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(HEADER_READ)
                        .serve_connection(TokioIo::new(tls), service);
                    if let Err(e) = watcher.watch(connection).await {
                        log::warn("connection error", &[("peer", json!(peer.to_string())), ("error", json!(e.to_string()))]);
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    log::info("shutting down", &[("drainSeconds", json!(DRAIN.as_secs()))]);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        log::warn("requests still in flight after the drain period", &[]);
    }
}

async fn route(request: Request<Incoming>, state: &Arc<State>) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    match (request.method(), path.as_str()) {
        (&Method::GET, "/healthz") => text(StatusCode::OK, "ok"),
        (&Method::GET, "/readyz") => json_response(StatusCode::OK, &state.readiness()),
        (&Method::GET, "/metrics") => respond(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            Bytes::from(state.metrics_text()),
        ),
        (&Method::POST, "/validate" | "/") => validate(request, state).await,
        (_, "/validate" | "/" | "/healthz" | "/readyz" | "/metrics") => {
            text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => text(StatusCode::NOT_FOUND, "not found"),
    }
}

async fn validate(request: Request<Incoming>, state: &Arc<State>) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let limit = state.settings.max_body_bytes;
    // One deadline for the whole review, body and decision, under the API server's timeout.
    let deadline = crate::deadline::for_request(request.uri().query(), state.settings.deadline);
    let until = tokio::time::Instant::from_std(started + deadline);
    // A body that trickles in is held to the deadline too (slow clients).
    let collected =
        tokio::time::timeout_at(until, Limited::new(request.into_body(), limit).collect()).await;
    let body = match collected {
        Err(_) => {
            state.count_refused(408);
            log::warn("review refused", &[("status", json!(408))]);
            return text(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive in time",
            );
        }
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<LengthLimitError>() => {
            state.count_refused(413);
            log::warn(
                "review refused",
                &[("status", json!(413)), ("limitBytes", json!(limit))],
            );
            return text(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("the AdmissionReview is larger than {limit} bytes"),
            );
        }
        Ok(Err(e)) => {
            state.count_refused(400);
            return text(StatusCode::BAD_REQUEST, &format!("reading the body: {e}"));
        }
    };
    let review: Value = match serde_json::from_slice(&body) {
        Ok(review) => review,
        Err(e) => {
            log::warn(
                "review refused",
                &[("status", json!(400)), ("error", json!(e.to_string()))],
            );
            return text(
                StatusCode::BAD_REQUEST,
                &format!("the body is not JSON: {e}"),
            );
        }
    };
    let uid = review
        .pointer("/request/uid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let dry_run = review
        .pointer("/request/dryRun")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // The configuration in force when the review arrived decides it, whatever a reload does.
    let decider = state.decider();
    let now = state.settings.now.unwrap_or_else(log::now);
    // Evidence fetched for this review, stopping early enough to decide before the deadline.
    let fetched = match state.source() {
        Some(source) => {
            let want = crate::source::Want {
                images: review::digest_images(&review),
                notes: decider
                    .evaluator
                    .attestors()
                    .iter()
                    .map(|a| a.note_reference().to_owned())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            };
            if want.is_empty() {
                None
            } else {
                let margin = (deadline / 10).min(Duration::from_millis(200));
                Some(source.fetch(want, until - margin).await)
            }
        }
        None => None,
    };
    let decision = tokio::task::spawn_blocking(move || match fetched {
        None => review::answer(&decider, &review, now),
        // Nothing fetched (all cached empty, or failed): the configuration's evidence as is.
        Some(fetched) if fetched.occurrences.is_empty() => {
            review::answer_with(&decider, &decider.evidence, &fetched.failures, &review, now)
        }
        Some(fetched) => {
            // A copy of the file evidence (its index) plus what was fetched: its cost grows
            // with the evidence files, so a deployment fetching everything keeps them empty.
            let mut evidence = decider.evidence.clone();
            for occurrence in &fetched.occurrences {
                // An occurrence the core cannot read is dropped: it verifies nothing.
                let _ = evidence.add_value(occurrence, &vouch::Limits::DEFAULT);
            }
            review::answer_with(&decider, &evidence, &fetched.failures, &review, now)
        }
    });
    match tokio::time::timeout_at(until, decision).await {
        Ok(Ok(Ok((response, outcome)))) => {
            state.count_review(outcome.verdict, outcome.rule, started.elapsed());
            log::info(
                "decision",
                &[
                    ("uid", json!(uid)),
                    ("kind", json!(outcome.kind)),
                    ("namespace", json!(outcome.namespace)),
                    ("name", json!(outcome.name)),
                    ("verdict", json!(outcome.verdict)),
                    ("rule", json!(outcome.rule)),
                    ("dryRun", json!(dry_run)),
                    ("micros", json!(elapsed_micros(started))),
                ],
            );
            json_response(StatusCode::OK, &response)
        }
        Ok(Ok(Err(bad))) => {
            state.count_refused(400);
            log::warn(
                "review refused",
                &[("status", json!(400)), ("error", json!(bad.0))],
            );
            text(StatusCode::BAD_REQUEST, &bad.0)
        }
        Ok(Err(join)) => {
            state.count_fail_closed();
            fail_closed(uid, &format!("the decision failed: {join}"))
        }
        Err(_) => {
            state.count_fail_closed();
            fail_closed(
                uid,
                &format!(
                    "vouch did not decide within {} ms, so it cannot admit the object",
                    deadline.as_millis()
                ),
            )
        }
    }
}

/// A denial for a review that could not be decided; 500 when the review has no uid to answer.
fn fail_closed(uid: Option<String>, message: &str) -> Response<Full<Bytes>> {
    log::error(
        "fail closed",
        &[("uid", json!(uid)), ("error", json!(message))],
    );
    match uid {
        Some(uid) => json_response(
            StatusCode::OK,
            &json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                    "response": {"uid": uid, "allowed": false,
                                 "status": {"code": 403, "reason": "Forbidden", "message": message}}}),
        ),
        None => text(StatusCode::INTERNAL_SERVER_ERROR, message),
    }
}

fn elapsed_micros(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

fn text(status: StatusCode, body: &str) -> Response<Full<Bytes>> {
    respond(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(format!("{body}\n")),
    )
}

fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    respond(status, "application/json", Bytes::from(body.to_string()))
}

fn respond(status: StatusCode, content_type: &str, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}
