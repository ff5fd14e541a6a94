//! Verification: attestors and their keys, signature algorithms, public-key signature
//! verification, OpenPGP, DSSE's PAE, and the verification cache.

pub mod algorithm;
pub mod attestor;
pub mod cache;
pub mod crypto;
pub mod dsse;
pub mod key;
pub(crate) mod openpgp;
pub(crate) mod sigstore;
pub mod trust;
