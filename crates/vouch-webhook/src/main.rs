//! `vouch-webhook`: load the configuration, serve HTTPS until SIGTERM (or Ctrl-C).
//!
//! Exit codes: 0 after a clean shutdown, 2 when the configuration is refused (the log line says
//! which file, code and path), 1 when the address cannot be bound or the runtime fails.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser as _;
use serde_json::json;
use vouch_webhook::config::{self, Args};
use vouch_webhook::log;
use vouch_webhook::server;
use vouch_webhook::state::{self, State};

fn main() -> ExitCode {
    let args = Args::parse();
    let decider = match config::load_decider(&args) {
        Ok(decider) => decider,
        Err(e) => {
            log::error("configuration refused", &e.fields());
            return ExitCode::from(2);
        }
    };
    let tls = match config::tls_config(&args) {
        Ok(tls) => tls,
        Err(e) => {
            log::error("configuration refused", &e.fields());
            return ExitCode::from(2);
        }
    };
    let mut state = State::new(decider, args.settings());
    match config::evidence_source(&args) {
        Ok(Some(source)) => state = state.with_source(source),
        Ok(None) => {}
        Err(e) => {
            log::error("configuration refused", &[("error", json!(e))]);
            return ExitCode::from(2);
        }
    }
    let state = Arc::new(state);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            log::error(
                "cannot start the runtime",
                &[("error", json!(e.to_string()))],
            );
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&args.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                log::error(
                    "cannot listen",
                    &[
                        ("addr", json!(args.listen)),
                        ("error", json!(e.to_string())),
                    ],
                );
                return ExitCode::from(1);
            }
        };
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        log::info(
            "listening",
            &[
                ("addr", json!(addr)),
                ("evidenceItems", json!(state.decider().evidence.len())),
                ("cluster", json!(state.decider().cluster)),
            ],
        );
        if args.reload_interval_ms > 0 {
            let interval = std::time::Duration::from_millis(args.reload_interval_ms);
            tokio::spawn(state::watch(args.clone(), Arc::clone(&state), interval));
        }
        server::serve(listener, tls, state, shutdown_signal()).await;
        log::info("stopped", &[]);
        ExitCode::SUCCESS
    })
}

/// SIGTERM (what Kubernetes sends) or Ctrl-C.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
