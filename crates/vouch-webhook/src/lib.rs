//! `vouch-webhook`: a Kubernetes validating admission webhook that decides like Binary
//! Authorization, built on the vouch core (docs/webhook.md).
//!
//! * [`review`]: `AdmissionReview` v1 → decision → `AdmissionReview` v1; pure, no I/O.
//! * [`config`]: the command line and the configuration files → a [`review::Decider`].
//! * [`server`]: HTTPS (rustls) on tokio and hyper: `/validate`, `/healthz`, `/readyz`, body
//!   limit, per-request deadline, graceful shutdown.
//! * [`source`]: evidence fetched at review time (the Container Analysis REST API), behind
//!   one trait, failing closed.
//! * [`deadline`]: a review's deadline, under the API server's `?timeout=`.
//! * [`state`]: the configuration in force (reloaded on change, the last good one kept) and
//!   the metrics.
//! * [`log`]: structured JSON log lines on stderr, without secrets.

pub mod config;
pub mod deadline;
pub mod log;
pub mod review;
pub mod server;
pub mod source;
pub mod state;
