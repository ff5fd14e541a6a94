//! An optional, bounded cache of signature verifications.
//!
//! Verification is a pure function of (key, signed bytes, signature), so its result can be
//! reused. The cache key holds the SHA-256 of the key's SubjectPublicKeyInfo, the SHA-256 of the
//! payload and the signature bytes themselves, compared exactly: a hit can only come from the
//! same key, the same payload and the same signature. Decisions are byte-identical with or
//! without the cache.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use crate::decision::SignedForm;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    key: [u8; 32],
    payload: [u8; 32],
    signature: Box<[u8]>,
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
    map: HashMap<Key, Option<SignedForm>>,
    order: VecDeque<Key>,
}

impl VerificationCache {
    /// A cache holding at most `capacity` verification results.
    pub fn new(capacity: usize) -> VerificationCache {
        VerificationCache {
            capacity,
            entries: Mutex::new(Entries::default()),
        }
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
    pub(crate) fn get(
        &self,
        key: &[u8; 32],
        payload: &[u8; 32],
        signature: &[u8],
    ) -> Option<Option<SignedForm>> {
        let probe = Key {
            key: *key,
            payload: *payload,
            signature: signature.into(),
        };
        self.lock().map.get(&probe).copied()
    }

    pub(crate) fn insert(
        &self,
        key: &[u8; 32],
        payload: &[u8; 32],
        signature: &[u8],
        outcome: Option<SignedForm>,
    ) {
        if self.capacity == 0 {
            return;
        }
        let entry = Key {
            key: *key,
            payload: *payload,
            signature: signature.into(),
        };
        let mut entries = self.lock();
        if entries.map.contains_key(&entry) {
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
        entries.order.push_back(entry.clone());
        entries.map.insert(entry, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_exact() {
        let c = VerificationCache::new(2);
        c.insert(&[1; 32], &[2; 32], b"sig-a", Some(SignedForm::Raw));
        c.insert(&[1; 32], &[2; 32], b"sig-b", None);
        assert_eq!(
            c.get(&[1; 32], &[2; 32], b"sig-a"),
            Some(Some(SignedForm::Raw))
        );
        assert_eq!(c.get(&[1; 32], &[2; 32], b"sig-b"), Some(None));
        assert_eq!(
            c.get(&[1; 32], &[3; 32], b"sig-a"),
            None,
            "another payload is another entry"
        );
        c.insert(&[9; 32], &[2; 32], b"sig-c", Some(SignedForm::Pae));
        assert_eq!(c.len(), 2);
        assert_eq!(
            c.get(&[1; 32], &[2; 32], b"sig-a"),
            None,
            "the oldest entry was evicted"
        );
        let off = VerificationCache::new(0);
        off.insert(&[1; 32], &[2; 32], b"x", None);
        assert!(off.is_empty());
    }
}
