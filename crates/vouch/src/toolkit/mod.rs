//! Tools around evaluation: signing attestations and linting policies.

pub mod lint;
pub mod signing;
mod signing_key;
