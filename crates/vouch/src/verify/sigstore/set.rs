//! Verifying a Rekor signed entry timestamp (SET) and the entry it promises.
//!
//! cosign `VerifySET`: the SET is an ECDSA (ASN.1 DER) signature by the log's key over the
//! RFC 8785 canonical JSON of `{"body": base64(canonicalized body), "integratedTime": int,
//! "logID": hex(log id), "logIndex": int}`. The log id is the SHA-256 of the log key's DER
//! SubjectPublicKeyInfo, which selects the trusted key ([`RekorKey::log_id`]).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::body::{self, Expected};
use super::jcs;
use crate::verify::crypto::Verified;
use crate::verify::trust::RekorKey;

/// One transparency-log entry as evidence carries it (a legacy cosign `Bundle` or one of a
/// sigstore bundle's `tlogEntries`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TlogEntry {
    /// The log id (SHA-256 of the log's DER key).
    pub(crate) log_id: [u8; 32],
    pub(crate) log_index: i64,
    /// Unix seconds, as the entry claims.
    pub(crate) integrated_time: i64,
    /// The canonicalized entry body (decoded).
    pub(crate) body: Vec<u8>,
    /// The signed entry timestamp, when the entry has an inclusion promise.
    pub(crate) set: Option<Vec<u8>>,
}

/// What an entry witnesses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Witness {
    /// The SET verified with a trusted key and the body records this signature:
    /// `integrated_time` is a witnessed time.
    Verified { integrated_time: i64 },
    /// No inclusion promise: the entry's time is not signed by anyone.
    NoPromise,
    /// No trusted Rekor key has this entry's log id.
    NoKey,
    /// The SET verified, but the entry's kind is not one vouch binds to a signature: it
    /// witnesses nothing.
    Unbound,
}

/// Why an entry with a trusted log's SET does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetError {
    /// The SET does not verify with the log's key (or its payload cannot be canonicalized).
    Invalid(String),
    /// The SET verifies, but the entry body records another signature, key or content.
    BodyMismatch(String),
    /// The verification budget does not allow checking the SET.
    Budget,
}

/// Checks `entry` against the trusted `keys` and what its body must record.
/// `charge` is asked for the verification's units first (see
/// [`Limits::verification_cost`](crate::limits::Limits::verification_cost)); when it refuses,
/// nothing is verified and the answer is [`SetError::Budget`].
pub(crate) fn witness(
    entry: &TlogEntry,
    keys: &[RekorKey],
    expected: &Expected<'_>,
    charge: &dyn Fn(usize) -> bool,
) -> Result<Witness, SetError> {
    let Some(set) = &entry.set else {
        return Ok(Witness::NoPromise);
    };
    let Some(key) = keys.iter().find(|k| k.log_id == entry.log_id) else {
        return Ok(Witness::NoKey);
    };
    let signed = jcs::set_payload(
        &STANDARD.encode(&entry.body),
        entry.integrated_time,
        &body::hex(&entry.log_id),
        entry.log_index,
    )
    .map_err(SetError::Invalid)?;
    let cost = crate::limits::Limits::verification_cost(
        Some(key.verifying_key().algorithm()),
        signed.len(),
    );
    if !charge(cost) {
        return Err(SetError::Budget);
    }
    if key.verifying_key().verify(&signed, set) != Verified::Valid {
        return Err(SetError::Invalid(format!(
            "the signed entry timestamp does not verify with the Rekor key of log `{}`",
            key.log_id_hex()
        )));
    }
    match body::check(&entry.body, expected).map_err(SetError::BodyMismatch)? {
        body::Binding::Bound => Ok(Witness::Verified {
            integrated_time: entry.integrated_time,
        }),
        body::Binding::Unknown(_) => Ok(Witness::Unbound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::sigstore::body::Content;
    use crate::verify::trust::TrustMaterial;
    use serde_json::Value;
    use sha2::{Digest as _, Sha256};

    const REKOR_PUB: &str =
        include_str!("../../../../../testdata/fixtures/sigstore-rekor/rekor.pub");
    const CI: &str = "../../../../../testdata/fixtures/containers-image/signature/";
    const SET: &str = include_str!(
        "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-set"
    );
    const PAYLOAD: &[u8] = include_bytes!(
        "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-payload"
    );
    const SIG_B64: &str = include_str!(
        "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-sig"
    );
    const CERT: &[u8] = include_bytes!(
        "../../../../../testdata/fixtures/containers-image/signature/fixtures/fulcio-cert"
    );

    fn rekor_keys() -> Vec<RekorKey> {
        let _ = CI;
        let trust = TrustMaterial::from_value(
            serde_json::json!({"rekorKeys": [{"publicKeyPem": REKOR_PUB}]}),
            &crate::limits::Limits::DEFAULT,
        )
        .unwrap();
        trust.rekor_keys().to_vec()
    }

    fn entry() -> TlogEntry {
        let v: Value = serde_json::from_str(SET).unwrap();
        let p = &v["Payload"];
        let log_id: [u8; 32] = (0..32)
            .map(|i| {
                u8::from_str_radix(&p["logID"].as_str().unwrap()[2 * i..2 * i + 2], 16).unwrap()
            })
            .collect::<Vec<_>>()
            .try_into()
            .unwrap();
        TlogEntry {
            log_id,
            log_index: p["logIndex"].as_i64().unwrap(),
            integrated_time: p["integratedTime"].as_i64().unwrap(),
            body: STANDARD.decode(p["body"].as_str().unwrap()).unwrap(),
            set: Some(
                STANDARD
                    .decode(v["SignedEntryTimestamp"].as_str().unwrap())
                    .unwrap(),
            ),
        }
    }

    fn check(
        entry: &TlogEntry,
        keys: &[RekorKey],
        payload: &[u8],
        sig: &[u8],
    ) -> Result<Witness, SetError> {
        let digest: [u8; 32] = Sha256::digest(payload).into();
        let cert_der = body::pem_der(CERT).unwrap();
        let verifier: [u8; 32] = Sha256::digest(&cert_der).into();
        witness(
            entry,
            keys,
            &Expected {
                signature: sig,
                verifier_der_sha256: &verifier,
                content: Content::Digest(&digest),
            },
            &|_| true,
        )
    }

    fn sig() -> Vec<u8> {
        STANDARD.decode(SIG_B64.trim()).unwrap()
    }

    #[test]
    fn containers_image_set_vector_verifies() {
        // containers/image signature/internal/testdata: a real public-good Rekor SET.
        assert_eq!(
            check(&entry(), &rekor_keys(), PAYLOAD, &sig()),
            Ok(Witness::Verified {
                integrated_time: 1670870899
            })
        );
    }

    #[test]
    fn any_change_to_the_signed_fields_breaks_the_set() {
        let keys = rekor_keys();
        for tamper in [
            |e: &mut TlogEntry| e.integrated_time += 1,
            |e: &mut TlogEntry| e.log_index -= 1,
            |e: &mut TlogEntry| e.body.push(b' '),
            |e: &mut TlogEntry| {
                if let Some(b) = e.set.as_mut().and_then(|s| s.last_mut()) {
                    *b ^= 1;
                }
            },
        ] {
            let mut e = entry();
            tamper(&mut e);
            assert!(matches!(
                check(&e, &keys, PAYLOAD, &sig()),
                Err(SetError::Invalid(_))
            ));
        }
    }

    #[test]
    fn a_set_for_another_signature_or_payload_witnesses_nothing() {
        let keys = rekor_keys();
        let mut other_sig = sig();
        other_sig.push(0);
        assert!(matches!(
            check(&entry(), &keys, PAYLOAD, &other_sig),
            Err(SetError::BodyMismatch(_))
        ));
        assert!(matches!(
            check(&entry(), &keys, b"{}", &sig()),
            Err(SetError::BodyMismatch(_))
        ));
        // another verifier: the body names the certificate, not this key
        let digest: [u8; 32] = Sha256::digest(PAYLOAD).into();
        let s = sig();
        assert!(matches!(
            witness(
                &entry(),
                &keys,
                &Expected {
                    signature: &s,
                    verifier_der_sha256: &[0; 32],
                    content: Content::Digest(&digest)
                },
                &|_| true,
            ),
            Err(SetError::BodyMismatch(_))
        ));
    }

    #[test]
    fn no_budget_no_verification() {
        let digest: [u8; 32] = Sha256::digest(PAYLOAD).into();
        let s = sig();
        let cert: [u8; 32] = Sha256::digest(body::pem_der(CERT).unwrap()).into();
        let expected = Expected {
            signature: &s,
            verifier_der_sha256: &cert,
            content: Content::Digest(&digest),
        };
        assert_eq!(
            witness(&entry(), &rekor_keys(), &expected, &|_| false),
            Err(SetError::Budget)
        );
    }

    #[test]
    fn without_promise_or_trusted_log_nothing_is_witnessed() {
        let mut e = entry();
        assert_eq!(check(&e, &[], PAYLOAD, &sig()), Ok(Witness::NoKey));
        e.log_id[0] ^= 1;
        assert_eq!(
            check(&e, &rekor_keys(), PAYLOAD, &sig()),
            Ok(Witness::NoKey)
        );
        e.set = None;
        assert_eq!(
            check(&e, &rekor_keys(), PAYLOAD, &sig()),
            Ok(Witness::NoPromise)
        );
    }
}
