//! Verification: attestors and their keys, signature algorithms, OpenPGP, the verification cache.

pub mod attestor;
pub mod cache;
pub mod crypto;
pub(crate) mod openpgp;
