//! The command line and the configuration it names: the project policy, attestors, optional
//! system policy and cluster configuration, the evidence, and the serving certificate. Every
//! file goes through the core's loaders, so an error has its stable code and path, and the
//! file it is in.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{Value, json};
use vouch::{Evidence, Limits, Options};

use crate::review::Decider;

/// A Kubernetes validating admission webhook that decides like Binary Authorization.
#[derive(Debug, Clone, Parser)]
#[command(name = "vouch-webhook", version)]
pub struct Args {
    /// The project policy (`gcloud container binauthz policy export`).
    #[arg(long, value_name = "FILE")]
    pub policy: PathBuf,
    /// Attestors: one attestor or a list per file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub attestors: Vec<PathBuf>,
    /// The system policy; default: the built-in list.
    #[arg(long, value_name = "FILE")]
    pub system_policy: Option<PathBuf>,
    /// The cluster this webhook guards, `LOCATION.NAME`, for cluster rules.
    #[arg(long, value_name = "LOCATION.NAME")]
    pub cluster: Option<String>,
    /// The cluster's `binaryAuthorization` block (`gcloud container clusters describe
    /// --format=json`): its evaluation mode decides whether the project policy gates admission.
    #[arg(long, value_name = "FILE")]
    pub cluster_config: Option<PathBuf>,
    /// Evidence files (attestation occurrences and other evidence, as `vouch evaluate
    /// --attestations` reads them; repeatable).
    #[arg(long, value_name = "FILE")]
    pub evidence: Vec<PathBuf>,
    /// A directory of evidence files (`*.json`, `*.yaml`, `*.yml`, read in name order).
    #[arg(long, value_name = "DIR")]
    pub evidence_dir: Option<PathBuf>,
    /// Kritis' binding: the payload's docker-reference must be the image's repository.
    #[arg(long)]
    pub strict_identity: bool,
    /// The serving certificate chain (PEM), covering `SERVICE.NAMESPACE.svc`.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// The serving certificate's private key (PEM).
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    /// The address to listen on (`127.0.0.1:0` picks a free port; the log says which).
    #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:8443")]
    pub listen: String,
    /// The deadline of one decision, in milliseconds; keep it under the webhook's
    /// `timeoutSeconds` (default 10 s). Past it the request is denied (fail closed).
    #[arg(long, value_name = "MS", default_value_t = 8000)]
    pub deadline_ms: u64,
    /// The largest request body accepted, in bytes (a bigger one is answered 413).
    #[arg(long, value_name = "BYTES", default_value_t = 3 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Decide every request at this time (RFC 3339) instead of the clock's: for tests and for
    /// reproducing a decision, never for enforcement.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<vouch::Timestamp>,
    /// How often the configuration files are checked for changes, in milliseconds (0: never).
    /// A changed configuration is loaded whole; a refused one is logged and the last good one
    /// keeps serving.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub reload_interval_ms: u64,
    /// Fetch attestations from the Container Analysis v1 REST API at review time (default
    /// address `https://containeranalysis.googleapis.com`; an `http://` Grafeas server works
    /// too), beside the evidence files.
    #[arg(long, value_name = "URL", num_args = 0..=1, default_missing_value = DEFAULT_CONTAINER_ANALYSIS)]
    pub container_analysis: Option<String>,
    /// A file holding the bearer token for Container Analysis (re-read on every call);
    /// without it the token comes from the GKE metadata server.
    #[arg(long, value_name = "FILE")]
    pub gcp_token_file: Option<PathBuf>,
    /// The metadata server's host (default: `$GCE_METADATA_HOST`, else
    /// `metadata.google.internal`).
    #[arg(long, value_name = "HOST")]
    pub metadata_host: Option<String>,
    /// Container Analysis calls in flight at most.
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub evidence_concurrency: usize,
    /// How long fetched attestations are reused, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    pub evidence_cache_ttl_ms: u64,
    /// How long an answer with no attestation is reused, in milliseconds (short: a new
    /// attestation must show up).
    #[arg(long, value_name = "MS", default_value_t = 5_000)]
    pub evidence_negative_ttl_ms: u64,
}

/// Container Analysis' address.
pub const DEFAULT_CONTAINER_ANALYSIS: &str = "https://containeranalysis.googleapis.com";

/// The evidence source the flags ask for, if any.
pub fn evidence_source(
    args: &Args,
) -> Result<Option<std::sync::Arc<dyn crate::source::EvidenceSource>>, String> {
    use crate::source::container_analysis::{ContainerAnalysis, Settings, Tokens};
    let Some(endpoint) = &args.container_analysis else {
        return Ok(None);
    };
    let tokens = match &args.gcp_token_file {
        Some(file) => Tokens::File(file.clone()),
        None => Tokens::Metadata(
            args.metadata_host
                .clone()
                .or_else(|| std::env::var("GCE_METADATA_HOST").ok())
                .unwrap_or_else(|| "metadata.google.internal".to_owned()),
        ),
    };
    let source = ContainerAnalysis::new(Settings {
        endpoint: endpoint.clone(),
        tokens,
        concurrency: args.evidence_concurrency,
        ttl: Duration::from_millis(args.evidence_cache_ttl_ms),
        negative_ttl: Duration::from_millis(args.evidence_negative_ttl_ms),
    })
    .map_err(|e| format!("--container-analysis: {e}"))?;
    Ok(Some(std::sync::Arc::new(source)))
}

fn parse_now(text: &str) -> Result<vouch::Timestamp, String> {
    vouch::Timestamp::parse_rfc3339(text).map_err(|e| e.to_string())
}

/// A configuration error: which file, and the core's error (or an I/O message).
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// The stable code (`POLICY_…`, `ATTESTOR_…`, or `INPUT_IO` for a file that cannot be read,
    /// `TLS_INVALID` for the certificate or key).
    pub code: String,
    /// The JSON pointer inside the file, `""` for the whole file.
    pub path: String,
    /// For people.
    pub message: String,
}

impl ConfigError {
    fn io(file: &Path, e: &std::io::Error) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            code: "INPUT_IO".into(),
            path: String::new(),
            message: e.to_string(),
        }
    }

    fn core(file: &Path, e: &vouch::Error) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            code: e.code().as_str().to_owned(),
            path: e.path().to_owned(),
            message: e.message().to_owned(),
        }
    }

    fn tls(file: &Path, message: String) -> ConfigError {
        ConfigError {
            file: file.to_owned(),
            code: "TLS_INVALID".into(),
            path: String::new(),
            message,
        }
    }

    /// The error as log fields.
    pub fn fields(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("file", json!(self.file.display().to_string())),
            ("code", json!(self.code)),
            ("path", json!(self.path)),
            ("error", json!(self.message)),
        ]
    }
}

/// The settings of the server itself.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The deadline of one decision.
    pub deadline: Duration,
    /// The largest request body.
    pub max_body_bytes: usize,
    /// A fixed evaluation time (`--now`); `None`: the clock's.
    pub now: Option<vouch::Timestamp>,
}

impl Args {
    /// The server settings.
    pub fn settings(&self) -> Settings {
        Settings {
            deadline: Duration::from_millis(self.deadline_ms.max(1)),
            max_body_bytes: self.max_body_bytes,
            now: self.now,
        }
    }
}

fn read(file: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(file).map_err(|e| ConfigError::io(file, &e))
}

/// Loads the policy, attestors, system policy, cluster configuration and evidence.
pub fn load_decider(args: &Args) -> Result<Decider, ConfigError> {
    let limits = Limits::DEFAULT;
    let policy = vouch::Policy::from_text_with_limits(&read(&args.policy)?, &limits)
        .map_err(|e| ConfigError::core(&args.policy, &e))?;
    let mut attestors = Vec::new();
    for file in &args.attestors {
        attestors.extend(
            vouch::attestors_from_text_with_limits(&read(file)?, &limits)
                .map_err(|e| ConfigError::core(file, &e))?,
        );
    }
    let system = match &args.system_policy {
        Some(file) => Some(
            vouch::SystemPolicy::from_text_with_limits(&read(file)?, &limits)
                .map_err(|e| ConfigError::core(file, &e))?,
        ),
        None => None,
    };
    let evaluator = vouch::Evaluator::with_limits(policy, attestors, system, &limits)
        .map_err(|e| ConfigError::core(&args.policy, &e))?
        .with_verification_cache(4096);
    let cluster_config = match &args.cluster_config {
        Some(file) => Some(
            vouch::ClusterConfig::from_text(&read(file)?)
                .map_err(|e| ConfigError::core(file, &e))?,
        ),
        None => None,
    };
    let mut files = args.evidence.clone();
    if let Some(dir) = &args.evidence_dir {
        files.extend(evidence_files(dir)?);
    }
    let mut evidence = Evidence::new();
    for file in &files {
        vouch::parse_document(&read(file)?, &limits)
            .and_then(|value| evidence.add_value(&value, &limits))
            .map_err(|e| ConfigError::core(file, &e))?;
    }
    Ok(Decider {
        evaluator,
        evidence,
        cluster: args.cluster.clone(),
        cluster_config,
        options: Options::strict_identity(args.strict_identity),
    })
}

/// The evidence files of a directory, in name order.
fn evidence_files(dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ConfigError::io(dir, &e))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "json" | "yaml" | "yml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The rustls server configuration: the certificate chain and key, HTTP/1.1, TLS 1.2 and 1.3
/// with ring's safe defaults, no client authentication (as the API server does not send one
/// unless configured).
pub fn tls_config(args: &Args) -> Result<Arc<ServerConfig>, ConfigError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&args.tls_cert)
        .map_err(|e| ConfigError::tls(&args.tls_cert, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| ConfigError::tls(&args.tls_cert, e.to_string()))?;
    if certs.is_empty() {
        return Err(ConfigError::tls(
            &args.tls_cert,
            "no certificate in the file".into(),
        ));
    }
    let key = PrivateKeyDer::from_pem_file(&args.tls_key)
        .map_err(|e| ConfigError::tls(&args.tls_key, e.to_string()))?;
    // ring's provider has no post-quantum key exchange (rustls deprecates it for that since
    // 0.23.48); aws-lc-rs has one but a C build. The hop is the API server to a Service inside
    // the cluster; docs/decisions.md, "The webhook", says when to revisit.
    #[allow(deprecated, reason = "ring is the workspace's crypto; see above")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::tls(&args.tls_cert, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| ConfigError::tls(&args.tls_key, e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
