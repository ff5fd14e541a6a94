//! Load run: the webhook in-process on 127.0.0.1 with the test certificate, reviewing the
//! `prod-released` Pod of `examples/` (two attestors, P-256 signatures, the verification cache
//! warm) at several concurrencies over keep-alive TLS connections, against the library's
//! `evaluate` on the same request.
//!
//! `cargo run --release -p vouch-webhook --example load -- [REQUESTS_PER_LEVEL] [LEVELS]`
//! (defaults: 4000, `1,16,64`). Prints p50/p99 latency, requests per second and errors per
//! level, and the admission overhead at concurrency 1 (p50 minus the library's median).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    clippy::cast_precision_loss,
    reason = "a benchmark program"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser as _;
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};
use vouch_webhook::config::{self, Args};
use vouch_webhook::state::State;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn pod() -> Value {
    let text = std::fs::read_to_string(root().join("examples/deployment.yaml")).unwrap();
    let deployment = vouch::parse_document(&text, &vouch::Limits::DEFAULT).unwrap();
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
                         "metadata": deployment["spec"]["template"]["metadata"].clone(),
                         "spec": deployment["spec"]["template"]["spec"].clone()});
    pod["metadata"]["generateName"] = json!("web-7d9c8b-");
    pod
}

fn review(uid: usize, pod: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": format!("load-{uid}"),
                    "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "resource": {"group": "", "version": "v1", "resource": "pods"},
                    "namespace": "prod", "operation": "CREATE",
                    "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
                    "object": pod, "oldObject": null, "dryRun": false}
    }))
    .unwrap()
}

fn client_config() -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    let ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls/ca.pem");
    for cert in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    #[allow(deprecated, reason = "the server's provider")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// One client: a keep-alive TLS connection sending `count` reviews one after the other.
async fn client(
    addr: std::net::SocketAddr,
    count: usize,
    pod: Arc<Value>,
) -> (Vec<Duration>, usize) {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let tls = tokio_rustls::TlsConnector::from(client_config())
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .unwrap();
    tokio::spawn(connection);
    let mut latencies = Vec::with_capacity(count);
    let mut errors = 0;
    for i in 0..count {
        let request = hyper::Request::post("/validate")
            .header("host", "localhost")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(review(i, &pod))))
            .unwrap();
        sender.ready().await.unwrap();
        let started = Instant::now();
        let response = sender.send_request(request).await.unwrap();
        let ok = response.status() == 200;
        let body = response.into_body().collect().await.unwrap().to_bytes();
        latencies.push(started.elapsed());
        let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if !ok || answer["response"]["allowed"] != true {
            errors += 1;
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let mut argv = std::env::args().skip(1);
    let per_level: usize = argv.next().map_or(4000, |a| a.parse().unwrap());
    let levels: Vec<usize> = argv
        .next()
        .unwrap_or_else(|| "1,16,64".into())
        .split(',')
        .map(|l| l.parse().unwrap())
        .collect();
    let examples = root().join("examples");
    let tls = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
    let args = Args::parse_from([
        "vouch-webhook".to_owned(),
        format!("--policy={}", examples.join("policy.yaml").display()),
        format!("--attestors={}", examples.join("attestors.json").display()),
        format!(
            "--evidence={}",
            examples.join("attestations.json").display()
        ),
        "--cluster=us-central1-a.prod-cluster".to_owned(),
        format!("--tls-cert={}", tls.join("server.pem").display()),
        format!("--tls-key={}", tls.join("server.key").display()),
    ]);
    let decider = config::load_decider(&args).unwrap();
    let tls_config = config::tls_config(&args).unwrap();

    // The library alone, same request, same evaluator (cache warm after the first).
    let pod = Arc::new(pod());
    let request = vouch::Request::from_value(
        json!({"workload": *pod, "namespace": "prod", "cluster": "us-central1-a.prod-cluster"}),
        &vouch::Limits::DEFAULT,
    )
    .unwrap();
    let now = vouch_webhook::log::now();
    let mut library = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let started = Instant::now();
        let decision =
            decider
                .evaluator
                .evaluate(&request, &decider.evidence, now, decider.options);
        library.push(started.elapsed());
        assert!(decision.allowed);
    }
    library.sort();
    let library_p50 = percentile(&library, 0.5);
    // The same plus reading the review and writing the answer (what the handler does besides
    // HTTP and TLS).
    let mut answer_times = Vec::with_capacity(20_000);
    for i in 0..20_000 {
        let body = review(i, &pod);
        let started = Instant::now();
        let parsed: Value = serde_json::from_slice(&body).unwrap();
        let (answer, _) = vouch_webhook::review::answer(&decider, &parsed, now).unwrap();
        let _ = answer.to_string();
        answer_times.push(started.elapsed());
    }
    answer_times.sort();
    println!(
        "library evaluate: p50 {:?}; review parse + decide + answer: p50 {:?}",
        library_p50,
        percentile(&answer_times, 0.5)
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::new(decider, args.settings()));
        tokio::spawn(vouch_webhook::server::serve(
            listener,
            tls_config,
            state,
            std::future::pending(),
        ));
        for &concurrency in &levels {
            // Warm-up, then the measured run.
            let _ = client(addr, 200, Arc::clone(&pod)).await;
            let each = per_level.div_ceil(concurrency);
            let started = Instant::now();
            let tasks: Vec<_> = (0..concurrency)
                .map(|_| tokio::spawn(client(addr, each, Arc::clone(&pod))))
                .collect();
            let mut latencies = Vec::new();
            let mut errors = 0;
            for task in tasks {
                let (l, e) = task.await.unwrap();
                latencies.extend(l);
                errors += e;
            }
            let wall = started.elapsed();
            latencies.sort();
            let p50 = percentile(&latencies, 0.5);
            println!(
                "concurrency {concurrency:>3}: {} requests in {:.2} s = {:.0} req/s; p50 {:?}, p99 {:?}, max {:?}; errors {errors}{}",
                latencies.len(),
                wall.as_secs_f64(),
                latencies.len() as f64 / wall.as_secs_f64(),
                p50,
                percentile(&latencies, 0.99),
                latencies.last().copied().unwrap_or_default(),
                if concurrency == 1 {
                    format!("; admission overhead over the library's evaluate: p50 {:?}", p50.saturating_sub(library_p50))
                } else {
                    String::new()
                }
            );
        }
    });
}
