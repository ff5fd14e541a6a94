//! Tools around evaluation: signing attestations and linting policies.

pub mod lint;
mod lint_cloud_run;
mod lint_platform;
pub mod signing;
mod signing_key;
