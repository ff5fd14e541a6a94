//! An optional, bounded cache of signature verifications.
//!
//! Verification is a pure function of (algorithm, key, signed bytes, signature), so its result
//! can be reused. The cache key holds every one of them: the `signatureAlgorithm` (which fixes
//! the scheme, the hash, the padding, the salt length and the signature encoding), the SHA-256
//! of the key's SubjectPublicKeyInfo, the SHA-256 of the payload and the SHA-256 of the
//! signature. The cached value is the outcome of the whole check, raw payload first and then
//! its PAE form, so it records which form verified. A hit can only come from the same
//! algorithm, key, payload and signature: decisions are byte-identical with or without the
//! cache, and the cache never spends or saves any of a decision's verification budget (a hit
//! costs the same budget as a verification, see `docs/limits.md`).
//!
//! Memory is bounded: every entry has the same size (about 200 bytes with the map's and the
//! eviction queue's overhead), and there are at most `capacity` of them.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::decision::SignedForm;
use crate::verify::algorithm::SignatureAlgorithm;

/// Everything that decides one verification. Also the key of a decision's own memo of
/// verifications (identical checks are made once per decision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct VerificationKey {
    /// The declared algorithm: the same key bytes verify differently under another one
    /// (RSA-PSS against PKCS#1 v1.5, SHA-256 against SHA-512).
    pub algorithm: SignatureAlgorithm,
    /// SHA-256 of the DER SubjectPublicKeyInfo.
    pub key: [u8; 32],
    /// SHA-256 of the payload (the PAE form is derived from it).
    pub payload: [u8; 32],
    /// SHA-256 of the signature bytes.
    pub signature: [u8; 32],
}

/// A bounded verification cache, shared by clones of an [`Evaluator`](crate::Evaluator) and
/// safe to use from many threads. When full, the oldest entry is evicted.
#[derive(Debug)]
pub struct VerificationCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<VerificationKey, Option<SignedForm>>,
    order: VecDeque<VerificationKey>,
}

impl VerificationCache {
    /// A cache holding at most `capacity` verification results (about 200 bytes each).
    pub fn new(capacity: usize) -> VerificationCache {
        VerificationCache {
            capacity,
            entries: Mutex::new(Entries::default()),
        }
    }

    /// The most results it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many results are cached.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave a half-written entry: recover.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached outcome: `Some(Some(form))` verified, `Some(None)` did not verify, `None`
    /// unknown.
    pub(crate) fn get(&self, key: &VerificationKey) -> Option<Option<SignedForm>> {
        self.lock().map.get(key).copied()
    }

    pub(crate) fn insert(&self, key: VerificationKey, outcome: Option<SignedForm>) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.lock();
        if entries.map.contains_key(&key) {
            return;
        }
        while entries.map.len() >= self.capacity {
            match entries.order.pop_front() {
                Some(old) => {
                    entries.map.remove(&old);
                }
                None => break,
            }
        }
        entries.order.push_back(key);
        entries.map.insert(key, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(algorithm: SignatureAlgorithm, key: u8, payload: u8, signature: u8) -> VerificationKey {
        VerificationKey {
            algorithm,
            key: [key; 32],
            payload: [payload; 32],
            signature: [signature; 32],
        }
    }

    #[test]
    fn bounded_and_exact() {
        use SignatureAlgorithm as A;
        let c = VerificationCache::new(2);
        c.insert(k(A::EcdsaP256Sha256, 1, 2, 10), Some(SignedForm::Raw));
        c.insert(k(A::EcdsaP256Sha256, 1, 2, 11), None);
        assert_eq!(
            c.get(&k(A::EcdsaP256Sha256, 1, 2, 10)),
            Some(Some(SignedForm::Raw))
        );
        assert_eq!(c.get(&k(A::EcdsaP256Sha256, 1, 2, 11)), Some(None));
        assert_eq!(
            c.get(&k(A::EcdsaP256Sha256, 1, 3, 10)),
            None,
            "another payload is another entry"
        );
        c.insert(k(A::EcdsaP256Sha256, 9, 2, 12), Some(SignedForm::Pae));
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.get(&k(A::EcdsaP256Sha256, 1, 2, 10)),
            None,
            "the oldest entry was evicted"
        );
        let off = VerificationCache::new(0);
        off.insert(k(A::Ed25519, 1, 2, 3), None);
        assert!(off.is_empty());
    }

    /// The same key bytes, payload and signature under another algorithm is another entry:
    /// an RSA-PSS result is never reused for PKCS#1 v1.5 (issue 12, item 5).
    #[test]
    fn the_algorithm_is_part_of_the_key() {
        use SignatureAlgorithm as A;
        let c = VerificationCache::new(8);
        c.insert(k(A::RsaPss2048Sha256, 1, 2, 3), Some(SignedForm::Raw));
        assert_eq!(c.get(&k(A::RsaSignPkcs1_2048Sha256, 1, 2, 3)), None);
        assert_eq!(c.get(&k(A::RsaPss4096Sha512, 1, 2, 3)), None);
        assert_eq!(
            c.get(&k(A::RsaPss2048Sha256, 1, 2, 3)),
            Some(Some(SignedForm::Raw))
        );
    }
}
