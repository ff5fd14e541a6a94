//! Key components: the primary key and its subkeys, their binding signatures, and which of
//! them may sign at `now`.

use pgp::composed::SignedPublicKey;
use pgp::crypto::public_key::PublicKeyAlgorithm;
use pgp::packet::{Signature, SignatureType, SubpacketData};
use pgp::types::{KeyDetails as _, Tag};

use super::{Binding, CLOCK_SKEW_SECONDS, Component, PgpOutcome};
use crate::decision::DetailCode;

impl Component {
    /// The newest binding made no later than `now` (plus the skew).
    pub(super) fn binding_at(&self, now: i64) -> Option<Binding> {
        self.bindings
            .iter()
            .filter(|b| b.created <= now.saturating_add(CLOCK_SKEW_SECONDS))
            .max_by_key(|b| b.created)
            .copied()
    }

    /// When the key expired, if it has at `now` (expiry at exactly `now` counts as expired).
    pub(super) fn expired(&self, binding: Binding, now: i64) -> Option<i64> {
        let at = self
            .created
            .saturating_add(i64::from(binding.expires_after));
        (binding.expires_after != 0 && at <= now).then_some(at)
    }
}

/// Collects the refusals of signatures by this key when none counts.
#[derive(Default)]
pub(super) struct Verdict {
    refusal: Option<(DetailCode, String)>,
    malformed: Option<String>,
}

impl Verdict {
    pub(super) fn refused(&mut self, code: DetailCode, why: String) {
        if self.refusal.is_none() {
            self.refusal = Some((code, why));
        }
    }

    pub(super) fn malformed(&mut self, why: String) {
        if self.malformed.is_none() {
            self.malformed = Some(why);
        }
    }

    pub(super) fn outcome(self) -> PgpOutcome {
        match (self.refusal, self.malformed) {
            (Some((code, why)), _) => PgpOutcome::Refused(code, why),
            (None, Some(why)) => PgpOutcome::Malformed(why),
            (None, None) => PgpOutcome::Invalid,
        }
    }
}

pub(super) fn algorithm_signs(algorithm: PublicKeyAlgorithm) -> bool {
    matches!(
        algorithm,
        PublicKeyAlgorithm::RSA
            | PublicKeyAlgorithm::RSASign
            | PublicKeyAlgorithm::DSA
            | PublicKeyAlgorithm::ECDSA
            | PublicKeyAlgorithm::EdDSALegacy
            | PublicKeyAlgorithm::Ed25519
            | PublicKeyAlgorithm::Ed448
    )
}

pub(super) fn binding_of(sig: &Signature) -> Option<Binding> {
    if unknown_critical(sig).is_some() {
        return None;
    }
    let config = sig.config()?;
    let signs = config.hashed_subpackets().find_map(|p| match &p.data {
        SubpacketData::KeyFlags(flags) => Some(flags.sign()),
        _ => None,
    });
    Some(Binding {
        created: i64::from(sig.created()?.as_secs()),
        expires_after: sig.key_expiration_time().map_or(0, |d| d.as_secs()),
        signs,
    })
}

pub(super) fn primary_component(key: &SignedPublicKey) -> Component {
    let primary = &key.primary_key;
    let revoked = key.details.revocation_signatures.iter().any(|sig| {
        sig.typ() == Some(SignatureType::KeyRevocation) && sig.verify_key(primary).is_ok()
    });
    let mut bindings: Vec<Binding> = key
        .details
        .direct_signatures
        .iter()
        .filter(|sig| sig.typ() == Some(SignatureType::Key) && sig.verify_key(primary).is_ok())
        .filter_map(binding_of)
        .collect();
    for user in &key.details.users {
        bindings.extend(
            user.signatures
                .iter()
                .filter(|sig| {
                    sig.is_certification()
                        && sig
                            .verify_certification(primary, Tag::UserId, &user.id)
                            .is_ok()
                })
                .filter_map(binding_of),
        );
    }
    Component {
        created: i64::from(primary.created_at().as_secs()),
        revoked,
        algorithm_signs: algorithm_signs(primary.algorithm()),
        bindings,
    }
}

pub(super) fn subkey_component(
    key: &SignedPublicKey,
    sub: &pgp::composed::SignedPublicSubKey,
) -> Component {
    let primary = &key.primary_key;
    let revoked = sub.signatures.iter().any(|sig| {
        sig.typ() == Some(SignatureType::SubkeyRevocation)
            && sig.verify_subkey_binding(primary, &sub.key).is_ok()
    });
    let bindings = sub
        .signatures
        .iter()
        .filter(|sig| {
            sig.typ() == Some(SignatureType::SubkeyBinding)
                && sig.verify_subkey_binding(primary, &sub.key).is_ok()
        })
        .filter_map(|sig| {
            let binding = binding_of(sig)?;
            // A signing subkey must cross-certify the primary key (RFC 9580 §5.2.1).
            if binding.signs != Some(false) && algorithm_signs(sub.key.algorithm()) {
                let backed = sig
                    .embedded_signature()
                    .is_some_and(|back| back.verify_primary_key_binding(&sub.key, primary).is_ok());
                if !backed {
                    return Some(Binding {
                        signs: Some(false),
                        ..binding
                    });
                }
            }
            Some(binding)
        })
        .collect();
    Component {
        created: i64::from(sub.key.created_at().as_secs()),
        revoked,
        algorithm_signs: algorithm_signs(sub.key.algorithm()),
        bindings,
    }
}

/// The first hashed critical subpacket vouch does not understand: notations (vouch knows
/// none), experimental and unknown types (RFC 9580 §5.2.3.7).
pub(super) fn unknown_critical(sig: &Signature) -> Option<String> {
    let config = sig.config()?;
    config.hashed_subpackets().find_map(|p| {
        if !p.is_critical {
            return None;
        }
        match &p.data {
            SubpacketData::Notation(n) => Some(format!(
                "notation `{}`",
                String::from_utf8_lossy(&n.name)
                    .chars()
                    .take(64)
                    .collect::<String>()
            )),
            SubpacketData::Experimental(t, _) | SubpacketData::Other(t, _) => {
                Some(format!("type {t}"))
            }
            _ => None,
        }
    })
}
