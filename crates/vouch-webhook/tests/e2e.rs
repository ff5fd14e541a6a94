//! End to end: the `vouch-webhook` binary, started on 127.0.0.1 with a test certificate, is
//! sent real `AdmissionReview` v1 documents over TLS (the shape of the Kubernetes API
//! reference's example, "Dynamic Admission Control": `request.uid`, `kind`, `resource`,
//! `operation`, `userInfo`, `object`, `dryRun`, `options`), and its answers are compared with
//! what `vouch evaluate` (`vouch::evaluate_bundle_value`) decides on the same inputs, for every
//! shared vector whose workload is a Pod.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr,
    reason = "tests"
)]

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use rustls::RootCertStore;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, ServerName};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn tls_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls")
}

/// A running webhook: killed on drop.
struct Webhook {
    child: Child,
    addr: SocketAddr,
    log: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Webhook {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `args` (plus the test certificate and a free port) and waits for its
/// `listening` log line; `Err(log lines)` when it exits first.
fn start(args: &[String]) -> Result<Webhook, (Option<i32>, Vec<String>)> {
    let tls = tls_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vouch-webhook"))
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(tls.join("server.pem"))
        .arg("--tls-key")
        .arg(tls.join("server.key"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    let lines = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<Value>(&line)
                && v["msg"] == "listening"
            {
                let _ = tx.send(v["addr"].as_str().unwrap_or_default().to_owned());
            }
            lines.lock().unwrap().push(line);
        }
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(addr) => Ok(Webhook {
            child,
            addr: addr.parse().unwrap(),
            log,
        }),
        Err(_) => {
            let status = child.wait().ok().and_then(|s| s.code());
            std::thread::sleep(Duration::from_millis(50));
            let lines = log.lock().unwrap().clone();
            Err((status, lines))
        }
    }
}

fn client_config() -> Arc<rustls::ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(tls_dir().join("ca.pem")).unwrap() {
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

/// POSTs `body` to `path` over TLS (verifying the server as `localhost`): status and body.
async fn post(addr: SocketAddr, path: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    send(addr, "POST", path, body).await
}

/// GETs `path`: status and body as text.
async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, body) = send(addr, "GET", path, Vec::new()).await;
    (status, String::from_utf8(body).unwrap())
}

async fn send(addr: SocketAddr, method: &str, path: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let connector = tokio_rustls::TlsConnector::from(client_config());
    let tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .unwrap();
    tokio::spawn(connection);
    let request = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

/// The review the API server sends for creating `pod` in `namespace`.
fn review(uid: &str, namespace: &str, pod: &Value) -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "requestKind": {"group": "", "version": "v1", "kind": "Pod"},
            "requestResource": {"group": "", "version": "v1", "resource": "pods"},
            "name": pod.pointer("/metadata/name").cloned().unwrap_or(json!("")),
            "namespace": namespace,
            "operation": "CREATE",
            "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller",
                         "uid": "8f2a3c1e", "groups": ["system:serviceaccounts", "system:authenticated"]},
            "object": pod,
            "oldObject": null,
            "dryRun": false,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"}
        }
    })
}

/// A bundle member written to a file for the webhook's command line.
fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The webhook's command line for a bundle; `None` when the bundle needs what the webhook
/// does not take (request labels or annotations, evaluation options other than strict
/// identity, a service-account override, Cloud Run policies).
fn command_line(bundle: &Value, dir: &Path) -> Option<Vec<String>> {
    let request = bundle["request"].as_object()?;
    if request
        .keys()
        .any(|k| !matches!(k.as_str(), "workload" | "cluster" | "namespace"))
    {
        return None;
    }
    let options = bundle["options"].as_object();
    if options.is_some_and(|o| {
        o.keys()
            .any(|k| k != "strictIdentity" && k != "useResolvedDigest")
    }) {
        return None;
    }
    if bundle.get("cloudRunPolicies").is_some() {
        return None;
    }
    let mut args = vec![
        "--policy".to_owned(),
        write(dir, "policy.yaml", &bundle["policy"]),
    ];
    let list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    };
    for (i, a) in list(&bundle["attestors"]).iter().enumerate() {
        args.push("--attestors".into());
        args.push(write(dir, &format!("attestor-{i}.json"), a));
    }
    for (i, a) in list(&bundle["attestations"]).iter().enumerate() {
        args.push("--evidence".into());
        args.push(write(dir, &format!("evidence-{i}.json"), a));
    }
    if !bundle["systemPolicy"].is_null() {
        args.push("--system-policy".into());
        args.push(write(dir, "system.yaml", &bundle["systemPolicy"]));
    }
    if !bundle["clusterConfig"].is_null() {
        args.push("--cluster-config".into());
        args.push(write(dir, "cluster.json", &bundle["clusterConfig"]));
    }
    if let Some(cluster) = request.get("cluster").and_then(Value::as_str) {
        args.extend(["--cluster".to_owned(), cluster.to_owned()]);
    }
    if options.is_some_and(|o| o.get("strictIdentity") == Some(&json!(true))) {
        args.push("--strict-identity".into());
    }
    args.extend(["--now".to_owned(), bundle["now"].as_str()?.to_owned()]);
    Some(args)
}

/// The Pod of a bundle's request, when its workload is one given as an object. A workload
/// given as text is a manifest file, read with kubectl's YAML rules before anything reaches the
/// API server; the API server sends the webhook JSON, so text workloads are not replayed here.
fn pod_of(bundle: &Value) -> Option<Value> {
    let object = bundle.pointer("/request/workload")?;
    (object.is_object() && object["kind"] == "Pod").then(|| object.clone())
}

fn strip(annotations: &Value) -> Value {
    let map = annotations.as_object().cloned().unwrap_or_default();
    Value::Object(
        map.into_iter()
            .map(|(k, v)| {
                let key = k
                    .strip_prefix("imagepolicywebhook.image-policy.k8s.io/")
                    .unwrap_or(&k)
                    .to_owned();
                (key, v)
            })
            .collect(),
    )
}

#[test]
fn every_pod_vector_is_decided_as_vouch_evaluate_decides_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let vectors = root().join("testdata/vectors");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("webhook-e2e");
    let mut compared = 0;
    let mut refused = 0;
    let mut groups: Vec<PathBuf> = std::fs::read_dir(&vectors)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            ![
                "lint", "payload", "sign", "inspect", "platform", "cv", "replay",
            ]
            .contains(&p.file_name().unwrap().to_str().unwrap())
        })
        .collect();
    groups.sort();
    for group in groups {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&group)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let mut bundle: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let Some(pod) = pod_of(&bundle) else { continue };
            let name = file.strip_prefix(&vectors).unwrap().display().to_string();
            let dir = scratch.join(name.replace('/', "_"));
            std::fs::create_dir_all(&dir).unwrap();
            let Some(args) = command_line(&bundle, &dir) else {
                eprintln!("skipped {name}: a request member or option the webhook does not take");
                continue;
            };
            let object = bundle.as_object_mut().unwrap();
            object.remove("expect");
            object.remove("expectError");
            object.remove("description");
            let expected: Value =
                serde_json::from_str(&vouch::evaluate_bundle_value(bundle.clone())).unwrap();
            let webhook = match start(&args) {
                Ok(webhook) => webhook,
                Err((status, log)) => {
                    // A configuration the core refuses: the webhook refuses to start (exit 2)
                    // with the same code.
                    let code = expected["error"]["code"].as_str().unwrap_or_else(|| {
                        panic!("{name}: the webhook did not start ({status:?}): {log:?}")
                    });
                    assert_eq!(status, Some(2), "{name}: {log:?}");
                    assert!(
                        log.iter().any(|l| l.contains(code)),
                        "{name}: expected {code} in {log:?}"
                    );
                    refused += 1;
                    continue;
                }
            };
            let namespace = bundle
                .pointer("/request/namespace")
                .or_else(|| pod.pointer("/metadata/namespace"))
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_owned();
            let uid = format!("uid-{compared}");
            let body = serde_json::to_vec(&review(&uid, &namespace, &pod)).unwrap();
            let (status, answer) =
                runtime.block_on(post(webhook.addr, "/validate?timeout=10s", body));
            assert_eq!(status, 200, "{name}: {}", String::from_utf8_lossy(&answer));
            let answer: Value = serde_json::from_slice(&answer).unwrap();
            let response = &answer["response"];
            assert_eq!(response["uid"], uid.as_str());
            if let Some(code) = expected["error"]["code"].as_str() {
                // The request half refused: the Pod is denied, naming the cause.
                assert_eq!(response["allowed"], false, "{name}: {answer}");
                let message = response["status"]["message"].as_str().unwrap();
                assert!(
                    message.contains(code),
                    "{name}: {message} should name {code}"
                );
            } else {
                assert_eq!(
                    response["allowed"], expected["allowed"],
                    "{name}: {answer} vs {expected}"
                );
                if expected["allowed"] == false {
                    assert_eq!(response["status"]["message"], expected["message"], "{name}");
                    assert_eq!(response["status"]["code"], 403);
                }
                let audit = response
                    .get("auditAnnotations")
                    .cloned()
                    .unwrap_or(json!({}));
                assert_eq!(audit, strip(&expected["auditAnnotations"]), "{name}");
            }
            drop(webhook);
            compared += 1;
        }
    }
    eprintln!("webhook e2e: {compared} Pod vectors compared, {refused} refused configurations");
    assert!(compared >= 10, "only {compared} Pod vectors compared");
}

#[test]
fn health_body_limit_plain_http_and_garbage() {
    let examples = root().join("examples");
    let args: Vec<String> = vec![
        "--policy".into(),
        examples.join("policy.yaml").display().to_string(),
        "--attestors".into(),
        examples.join("attestors.json").display().to_string(),
        "--evidence".into(),
        examples.join("attestations.json").display().to_string(),
        "--max-body-bytes".into(),
        "4096".into(),
    ];
    let webhook = start(&args).unwrap_or_else(|e| panic!("did not start: {e:?}"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Plain HTTP to the TLS port: the connection is dropped, the server keeps serving.
    {
        use std::io::{Read as _, Write as _};
        let mut plain = std::net::TcpStream::connect(webhook.addr).unwrap();
        plain
            .write_all(b"POST /validate HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{}")
            .unwrap();
        plain
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = Vec::new();
        let _ = plain.read_to_end(&mut buf);
        assert!(!String::from_utf8_lossy(&buf).contains("allowed"));
    }
    let (status, body) = runtime.block_on(post(webhook.addr, "/validate", vec![b'{'; 5000]));
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&body));
    let (status, _) = runtime.block_on(post(webhook.addr, "/validate", b"not json".to_vec()));
    assert_eq!(status, 400);
    let (status, body) = runtime.block_on(post(
        webhook.addr,
        "/validate",
        br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}"#.to_vec(),
    ));
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("admission.k8s.io/v1"));
    let (status, _) = runtime.block_on(post(webhook.addr, "/nowhere", b"{}".to_vec()));
    assert_eq!(status, 404);
    // Still serving, and the decision log has no object contents.
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                     "spec": {"containers": [{"name": "c", "image": "gcr.io/secret-project/app:1"}]}});
    let body = serde_json::to_vec(&review("u1", "default", &pod)).unwrap();
    let (status, answer) = runtime.block_on(post(webhook.addr, "/validate", body));
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["response"]["allowed"], false);
    std::thread::sleep(Duration::from_millis(100));
    let log = webhook.log.lock().unwrap().clone();
    let decision = log.iter().find(|l| l.contains("\"decision\"")).unwrap();
    assert!(decision.contains("\"verdict\":\"DENY\""), "{decision}");
    assert!(!log.iter().any(|l| l.contains("secret-project")), "{log:?}");
    assert!(
        log.iter().any(|l| l.contains("TLS handshake failed")),
        "{log:?}"
    );
}

#[test]
fn reload_keeps_the_last_good_configuration_and_metrics_count() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("webhook-reload");
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.yaml");
    let rule = |mode: &str| {
        format!(
            "defaultAdmissionRule:\n  evaluationMode: {mode}\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        )
    };
    std::fs::write(&policy, rule("ALWAYS_ALLOW")).unwrap();
    let args: Vec<String> = vec![
        "--policy".into(),
        policy.display().to_string(),
        "--reload-interval-ms".into(),
        "50".into(),
    ];
    let webhook = start(&args).unwrap_or_else(|e| panic!("did not start: {e:?}"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                     "spec": {"containers": [{"name": "c", "image": "gcr.io/p/app:1"}]}});
    let allowed = |uid: &str| {
        let body = serde_json::to_vec(&review(uid, "default", &pod)).unwrap();
        let (status, answer) = runtime.block_on(post(webhook.addr, "/validate", body));
        assert_eq!(status, 200);
        serde_json::from_slice::<Value>(&answer).unwrap()["response"]["allowed"] == true
    };
    let ready = || -> Value {
        let (status, body) = runtime.block_on(get(webhook.addr, "/readyz"));
        assert_eq!(status, 200);
        serde_json::from_str(&body).unwrap()
    };
    let wait_for = |what: &dyn Fn(&Value) -> bool| {
        for _ in 0..200 {
            if what(&ready()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("timed out: {}", ready());
    };
    assert!(allowed("a"));
    assert_eq!(ready()["configGeneration"], 1);
    // A new policy: reloaded, and it decides.
    std::fs::write(&policy, format!("{}# changed\n", rule("ALWAYS_DENY"))).unwrap();
    wait_for(&|r| r["configGeneration"] == 2);
    assert!(!allowed("b"));
    // A broken policy: refused, the last good one keeps deciding, /readyz says why.
    std::fs::write(
        &policy,
        "defaultAdmissionRule: {evaluationMode: SOMETIMES}\n",
    )
    .unwrap();
    wait_for(&|r| !r["lastRefusedConfiguration"].is_null());
    let r = ready();
    assert_eq!(r["configGeneration"], 2);
    assert_eq!(
        r["lastRefusedConfiguration"]["file"],
        policy.display().to_string()
    );
    assert!(
        r["lastRefusedConfiguration"]["code"]
            .as_str()
            .unwrap()
            .starts_with("POLICY_")
    );
    assert!(!allowed("c"));
    let (status, metrics) = runtime.block_on(get(webhook.addr, "/metrics"));
    assert_eq!(status, 200);
    for line in [
        "vouch_webhook_reviews_total{verdict=\"ALLOW\",rule=\"DEFAULT\"} 1",
        "vouch_webhook_reviews_total{verdict=\"DENY\",rule=\"DEFAULT\"} 2",
        "vouch_webhook_review_seconds_count 3",
        "vouch_webhook_config_generation 2",
        "vouch_webhook_config_refusals_total 1",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "{line} not in:\n{metrics}"
        );
    }
}

#[test]
fn a_flood_is_answered_within_the_deadline_and_the_server_survives() {
    let examples = root().join("examples");
    let args: Vec<String> = vec![
        "--policy".into(),
        examples.join("policy.yaml").display().to_string(),
        "--attestors".into(),
        examples.join("attestors.json").display().to_string(),
        "--evidence".into(),
        examples.join("attestations.json").display().to_string(),
        "--cluster".into(),
        "us-central1-a.prod-cluster".into(),
        "--deadline-ms".into(),
        "3000".into(),
    ];
    let webhook = start(&args).unwrap_or_else(|e| panic!("did not start: {e:?}"));
    let text = std::fs::read_to_string(examples.join("deployment.yaml")).unwrap();
    let deployment = vouch::parse_document(&text, &vouch::Limits::DEFAULT).unwrap();
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
                     "metadata": deployment["spec"]["template"]["metadata"].clone(),
                     "spec": deployment["spec"]["template"]["spec"].clone()});
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let addr = webhook.addr;
    let started = std::time::Instant::now();
    // 256 connections at once, each sending a review: more than the machine's cores by far.
    let answers: Vec<(u16, Value)> = runtime.block_on(async move {
        let tasks: Vec<_> = (0..256)
            .map(|i| {
                let body =
                    serde_json::to_vec(&review(&format!("flood-{i}"), "prod", &pod)).unwrap();
                tokio::spawn(async move {
                    let sent = std::time::Instant::now();
                    let (status, answer) = post(addr, "/validate", body).await;
                    assert!(
                        sent.elapsed() < Duration::from_secs(10),
                        "answered after {:?}",
                        sent.elapsed()
                    );
                    (
                        status,
                        serde_json::from_slice(&answer).unwrap_or(Value::Null),
                    )
                })
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.unwrap());
        }
        out
    });
    eprintln!("flood: 256 reviews answered in {:?}", started.elapsed());
    for (status, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
        // Admitted (the Pod is attested), or denied because the deadline passed: never an
        // admission by accident, never a hang.
        let response = &answer["response"];
        if response["allowed"] != true {
            assert!(
                response["status"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("did not decide within"),
                "{answer}"
            );
        }
    }
    // Still serving.
    let (status, _) = runtime.block_on(get(webhook.addr, "/healthz"));
    assert_eq!(status, 200);
}

/// A Container Analysis stand-in on 127.0.0.1 (plain HTTP): `mode` 0 answers each note's
/// occurrences from `examples/attestations.json` in the v1 `ListNoteOccurrencesResponse`
/// shape (one page, then a second empty one to exercise `nextPageToken`), 1 answers 503 with
/// Google's error body, 2 answers after 5 s, 3 answers garbage.
fn container_analysis(mode: Arc<std::sync::atomic::AtomicU8>) -> SocketAddr {
    use std::io::{Read as _, Write as _};
    let occurrences: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/attestations.json")).unwrap(),
    )
    .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(mut tcp) = tcp else { continue };
            let occurrences = occurrences.clone();
            let mode = Arc::clone(&mode);
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if tcp.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_owned();
                let (status, body) = match mode.load(std::sync::atomic::Ordering::SeqCst) {
                    0 => {
                        let note = target
                            .strip_prefix("/v1/")
                            .and_then(|t| t.split_once("/occurrences"))
                            .map(|(n, _)| n.to_owned())
                            .unwrap_or_default();
                        if target.contains("pageToken=next") {
                            (200, json!({}).to_string())
                        } else {
                            let mine: Vec<Value> = occurrences
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter(|o| o["noteName"] == note.as_str())
                                .cloned()
                                .collect();
                            (200, json!({"occurrences": mine, "nextPageToken": "next"}).to_string())
                        }
                    }
                    1 => (
                        503,
                        json!({"error": {"code": 503, "message": "The service is currently unavailable.",
                                         "status": "UNAVAILABLE"}})
                        .to_string(),
                    ),
                    2 => {
                        std::thread::sleep(Duration::from_secs(5));
                        (200, "{}".to_owned())
                    }
                    _ => (200, "<html>captive portal</html>".to_owned()),
                };
                let _ = tcp.write_all(
                    format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                );
            });
        }
    });
    addr
}

#[test]
fn container_analysis_evidence_is_fetched_and_every_fault_fails_closed() {
    use std::sync::atomic::{AtomicU8, Ordering};
    let examples = root().join("examples");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("webhook-container-analysis");
    std::fs::create_dir_all(&dir).unwrap();
    let token = dir.join("token");
    std::fs::write(&token, "ya29.e2e\n").unwrap();
    let mode = Arc::new(AtomicU8::new(1));
    let api = container_analysis(Arc::clone(&mode));
    let args = |cluster: &str| -> Vec<String> {
        vec![
            "--policy".into(),
            examples.join("policy.yaml").display().to_string(),
            "--attestors".into(),
            examples.join("attestors.json").display().to_string(),
            "--cluster".into(),
            cluster.into(),
            format!("--container-analysis=http://{api}"),
            "--gcp-token-file".into(),
            token.display().to_string(),
            "--evidence-negative-ttl-ms".into(),
            "0".into(),
            "--deadline-ms".into(),
            "1500".into(),
        ]
    };
    let text = std::fs::read_to_string(examples.join("deployment.yaml")).unwrap();
    let deployment = vouch::parse_document(&text, &vouch::Limits::DEFAULT).unwrap();
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
                     "metadata": deployment["spec"]["template"]["metadata"].clone(),
                     "spec": deployment["spec"]["template"]["spec"].clone()});
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let webhook = start(&args("us-central1-a.prod-cluster")).unwrap_or_else(|e| panic!("{e:?}"));
    let ask = |uid: &str| -> (Value, Duration) {
        let started = std::time::Instant::now();
        let body = serde_json::to_vec(&review(uid, "prod", &pod)).unwrap();
        let (status, answer) = runtime.block_on(post(webhook.addr, "/validate?timeout=10s", body));
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
        (
            serde_json::from_slice::<Value>(&answer).unwrap()["response"].clone(),
            started.elapsed(),
        )
    };
    // Each fault: a denial naming the cause, within the deadline.
    for (m, cause) in [
        (1, "HTTP 503: UNAVAILABLE"),
        (2, "no answer before the review's deadline"),
        (3, "not JSON"),
    ] {
        mode.store(m, Ordering::SeqCst);
        let (response, took) = ask(&format!("fault-{m}"));
        assert_eq!(response["allowed"], false, "mode {m}: {response}");
        let message = response["status"]["message"].as_str().unwrap();
        assert!(
            message.contains("evidence unavailable") && message.contains(cause),
            "mode {m}: {message}"
        );
        assert!(
            message.contains("projects/example-project/notes/built-by-ci"),
            "{message}"
        );
        assert!(
            response["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().contains(cause))
        );
        assert!(
            took < Duration::from_millis(1500),
            "mode {m} answered in {took:?}"
        );
    }
    // Served: both attestations fetched, the Pod admitted; then again from the cache.
    mode.store(0, Ordering::SeqCst);
    let (response, _) = ask("served");
    assert_eq!(response["allowed"], true, "{response}");
    assert!(
        response
            .get("warnings")
            .is_none_or(|w| w.as_array().is_some_and(Vec::is_empty)),
        "{response}"
    );
    mode.store(1, Ordering::SeqCst);
    let (response, _) = ask("cached");
    assert_eq!(response["allowed"], true, "{response}");
    let (_, metrics) = runtime.block_on(get(webhook.addr, "/metrics"));
    for line in [
        "vouch_webhook_evidence_cache_total{result=\"hit\"} 2",
        "outcome=\"unavailable\"} 2",
        "outcome=\"timeout\"} 2",
        "outcome=\"malformed\"} 2",
        "outcome=\"ok\"} 4",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    // A flood while the source hangs: 64 reviews at once, each of another digest (nothing
    // cached), every one denied within the deadline, and the server still healthy.
    mode.store(2, Ordering::SeqCst);
    let flood_started = std::time::Instant::now();
    let answers = runtime.block_on(async {
        let tasks: Vec<_> = (0..64)
            .map(|i| {
                let mut pod = pod.clone();
                pod["spec"]["containers"][0]["image"] = json!(format!(
                    "us-docker.pkg.dev/example-project/app/web@sha256:{i:064x}"
                ));
                let body =
                    serde_json::to_vec(&review(&format!("flood-{i}"), "prod", &pod)).unwrap();
                let addr = webhook.addr;
                tokio::spawn(async move {
                    let started = std::time::Instant::now();
                    let (status, answer) = post(addr, "/validate", body).await;
                    (status, answer, started.elapsed())
                })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        answers
    });
    for (status, answer, took) in &answers {
        assert_eq!(*status, 200);
        let answer: Value = serde_json::from_slice(answer).unwrap();
        assert_eq!(answer["response"]["allowed"], false, "{answer}");
        // The deadline (1.5 s) plus the connection's setup on a loaded 2-core machine.
        assert!(*took < Duration::from_millis(2500), "answered in {took:?}");
    }
    eprintln!(
        "flood with a hanging source: 64 denials in {:?}",
        flood_started.elapsed()
    );
    let (status, _) = runtime.block_on(get(webhook.addr, "/healthz"));
    assert_eq!(status, 200);
    let log = webhook.log.lock().unwrap().clone();
    assert!(
        log.iter().any(|l| l.contains("evidence fetch failed")),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|l| l.contains("ya29.e2e")),
        "the token is never logged"
    );
    drop(webhook);
    // A dry-run rule with the source down: admitted, the violation and the cause reported.
    mode.store(1, Ordering::SeqCst);
    let webhook = start(&args("us-central1.staging-cluster")).unwrap_or_else(|e| panic!("{e:?}"));
    let body = serde_json::to_vec(&review("dry-run", "prod", &pod)).unwrap();
    let (_, answer) = runtime.block_on(post(webhook.addr, "/validate", body));
    let response = serde_json::from_slice::<Value>(&answer).unwrap()["response"].clone();
    assert_eq!(response["allowed"], true, "{response}");
    let warnings = response["warnings"].to_string();
    assert!(
        warnings.contains("dry run") && warnings.contains("HTTP 503"),
        "{warnings}"
    );
}
