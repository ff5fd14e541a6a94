use super::*;
use crate::evidence::kinds::{Item, SIGSTORE_BUNDLE as SIGSTORE_BUNDLE_KIND, Shape, shape};
use crate::verify::trust::TrustMaterial;

const CONF: &str = "../../../../../testdata/fixtures/sigstore-conformance/bundle-verify/";
const A_TXT: &str = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

fn trust(keys: &[&str], rekor: &[&str]) -> TrustMaterial {
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| serde_json::json!({"publicKeyPem": k}))
        .collect();
    let rekor: Vec<Value> = rekor
        .iter()
        .map(|k| serde_json::json!({"publicKeyPem": k}))
        .collect();
    TrustMaterial::from_value(
        serde_json::json!({"keys": keys, "rekorKeys": rekor, "cloudBuildKeys": false}),
        &Limits::DEFAULT,
    )
    .unwrap()
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-12-01T00:00:00Z").unwrap()
}

fn report_for(text: &str, digest: &str, trust: &TrustMaterial) -> ItemReport {
    let value: Value = serde_json::from_str(text).unwrap();
    let obj = value.as_object().unwrap();
    let Shape::Other(kind) = shape(obj) else {
        panic!("not a sigstore shape")
    };
    let item = Item::parse(kind, obj, 0, &Limits::DEFAULT);
    let budget = std::cell::Cell::new(Limits::DEFAULT.max_verification_units_per_inspection);
    item.report(&ReportContext {
        digest,
        trust,
        now: now(),
        limits: &Limits::DEFAULT,
        budget: &budget,
    })
}

macro_rules! fixture {
    ($case:literal, $file:literal) => {
        include_str!(concat!(
            "../../../../../testdata/fixtures/sigstore-conformance/bundle-verify/",
            $case,
            "/",
            $file
        ))
    };
}

#[test]
fn conformance_intoto_canonical_log_entry_verifies() {
    let _ = CONF;
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let r = report_for(bundle, A_TXT, &trust(&[key], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Verified, "SIGSTORE_VERIFIED"),
        "{r:?}"
    );
    // an inclusion proof without a promise is no witnessed time
    assert_eq!(r.witnessed_time, None);
    // another digest: the statement does not name it
    let other = format!("sha256:{}", "0".repeat(64));
    let r = report_for(bundle, &other, &trust(&[key], &[]));
    assert_eq!(r.code, "SIGSTORE_DIGEST_MISMATCH");
}

#[test]
fn conformance_statement_type_failures_are_rejected_for_their_reason() {
    for (case, key, bundle) in [
        (
            "missing",
            fixture!("dsse-statement-missing-type_fail", "key.pub"),
            fixture!("dsse-statement-missing-type_fail", "bundle.sigstore.json"),
        ),
        (
            "unknown",
            fixture!("dsse-statement-unknown-type_fail", "key.pub"),
            fixture!("dsse-statement-unknown-type_fail", "bundle.sigstore.json"),
        ),
    ] {
        let r = report_for(bundle, A_TXT, &trust(&[key], &[]));
        assert_eq!(
            (r.status, r.code),
            (ItemStatus::Rejected, "SIGSTORE_STATEMENT_INVALID"),
            "{case}: {r:?}"
        );
        assert!(r.key_id.is_some(), "{case}: the signature itself verified");
    }
}

#[test]
fn wrong_key_no_key_and_keyless() {
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let other = fixture!("dsse-statement-missing-type_fail", "key.pub");
    let r = report_for(bundle, A_TXT, &trust(&[other], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Rejected, "SIGSTORE_BAD_SIGNATURE")
    );
    let r = report_for(bundle, A_TXT, &trust(&[], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unverified, "SIGSTORE_NO_TRUSTED_KEY")
    );
    // the same bundle with certificate material is keyless
    let mut v: Value = serde_json::from_str(bundle).unwrap();
    v["verificationMaterial"]["certificate"] = serde_json::json!({"rawBytes": "MIIB"});
    let r = report_for(&v.to_string(), A_TXT, &trust(&[other], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unsupported, "SIGSTORE_UNSUPPORTED_KEYLESS")
    );
}

#[test]
fn managed_key_message_signature_without_its_key_does_not_verify() {
    let bundle = fixture!("managed-key-and-trusted-root", "bundle.sigstore.json");
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let r = report_for(bundle, A_TXT, &trust(&[key], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Rejected, "SIGSTORE_BAD_SIGNATURE"),
        "{r:?}"
    );
    let other = format!("sha256:{}", "1".repeat(64));
    let r = report_for(bundle, &other, &trust(&[key], &[]));
    assert_eq!(r.code, "SIGSTORE_MESSAGE_DIGEST_MISMATCH");
}

#[test]
fn hint_must_match_the_dsse_keyid() {
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let mut v: Value = serde_json::from_str(bundle).unwrap();
    v["dsseEnvelope"]["signatures"][0]["keyid"] = Value::from("another");
    let r = report_for(&v.to_string(), A_TXT, &trust(&[key], &[]));
    assert_eq!(r.code, "SIGSTORE_KEY_HINT_MISMATCH");
}

#[test]
fn dsse_envelope_needs_exactly_one_signature() {
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let mut v: Value = serde_json::from_str(bundle).unwrap();
    let sig = v["dsseEnvelope"]["signatures"][0].clone();
    v["dsseEnvelope"]["signatures"] = serde_json::json!([sig.clone(), sig]);
    let obj = v.as_object().unwrap();
    assert!(
        parse_bundle(obj, &Limits::DEFAULT)
            .unwrap_err()
            .contains("exactly one")
    );
}

const COSIGN_PUB: &str =
    include_str!("../../../../../testdata/fixtures/containers-image/signature/fixtures/cosign.pub");
const REKOR_PUB: &str = include_str!("../../../../../testdata/fixtures/sigstore-rekor/rekor.pub");
const REKOR_SET: &str = include_str!(
    "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-set"
);
const REKOR_PAYLOAD: &str = include_str!(
    "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-payload"
);
const REKOR_SIG: &str = include_str!(
    "../../../../../testdata/fixtures/containers-image/signature/internal/testdata/rekor-sig"
);

fn cosign_line(payload: &[u8], sig: &str, extra: Value) -> String {
    let mut v = serde_json::json!({
        "Base64Signature": sig,
        "Payload": STANDARD.encode(payload),
        "Cert": null, "Chain": null, "Bundle": null, "RFC3161Timestamp": null
    });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    v.to_string()
}

#[test]
fn containers_image_cosign_signatures_over_non_payloads_are_rejected() {
    // Real signatures by containers/image's cosign test key over `&` and `{}`
    // (signature/internal/sigstore_payload_test.go): they verify, but sign no image.
    let t = trust(&[COSIGN_PUB], &[]);
    for (payload, sig) in [
        (
            &b"&"[..],
            "MEUCIARnnxZQPALBfqkB4aNAYXad79Qs6VehcrgIeZ8p7I2FAiEAzq2HXwXlz1iJeh+ucUR3L0zpjynQk6Rk0+/gXYp49RU=",
        ),
        (
            &b"{}"[..],
            "MEUCIQDkySOBGxastVP0+koTA33NH5hXjwosFau4rxTPN6g48QIgb7eWKkGqfEpHMM3aT4xiqyP/170jEkdFuciuwN4mux4=",
        ),
    ] {
        let line = cosign_line(payload, sig, Value::Null);
        let r = report_for(&line, "", &t);
        assert_eq!(
            (r.status, r.code),
            (ItemStatus::Rejected, "COSIGN_PAYLOAD_INVALID"),
            "{r:?}"
        );
        assert!(r.key_id.is_some());
        // tampered signature: no key verifies
        let bad = sig.replacen("MEU", "MEV", 1);
        let r = report_for(&cosign_line(payload, &bad, Value::Null), "", &t);
        assert_eq!(r.code, "SIGSTORE_BAD_SIGNATURE");
    }
}

#[test]
fn containers_image_keyless_signature_with_set_is_unsupported() {
    let set: Value = serde_json::from_str(REKOR_SET).unwrap();
    let line = cosign_line(
        REKOR_PAYLOAD.as_bytes(),
        REKOR_SIG.trim(),
        serde_json::json!({"Cert": {"Raw": "MIIC"}, "Bundle": set}),
    );
    let digest = "sha256:fa93b01658e3a5a1686dc3ae55f170d8de487006fb53a28efcd12ab0710a2e5f";
    let value: Value = serde_json::from_str(&line).unwrap();
    let parsed = parse_cosign(value.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(parsed.digests(), vec![digest.to_owned()]);
    let r = report_for(&line, digest, &trust(&[COSIGN_PUB], &[REKOR_PUB]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unsupported, "SIGSTORE_UNSUPPORTED_KEYLESS")
    );
    assert_eq!(r.witnessed_time, None);
}

#[test]
fn malformed_cosign_and_bundles_are_reasons() {
    for text in [
        r#"{"Base64Signature": 5, "Payload": "e30="}"#,
        r#"{"Base64Signature": "MEUC", "Payload": "%%%"}"#,
        r#"{"Base64Signature": "MEUC", "Payload": "e30=", "Bundle": {"SignedEntryTimestamp": "AA==", "Payload": {"body": "e30=", "integratedTime": 1, "logIndex": 1, "logID": "zz"}}}"#,
    ] {
        let v: Value = serde_json::from_str(text).unwrap();
        assert!(
            parse_cosign(v.as_object().unwrap(), &Limits::DEFAULT).is_err(),
            "{text}"
        );
    }
    for text in [
        r#"{"mediaType": "application/vnd.dev.sigstore.bundle.v0.4+json"}"#,
        r#"{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": {"publicKey": {}}}"#,
        r#"{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": {}, "messageSignature": {"signature": "AA=="}}"#,
        r#"{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": {"publicKey": {}}, "messageSignature": {"signature": "AA==", "messageDigest": {"algorithm": "SHA2_512", "digest": "AA=="}}}"#,
    ] {
        let v: Value = serde_json::from_str(text).unwrap();
        assert!(
            parse_bundle(v.as_object().unwrap(), &Limits::DEFAULT).is_err(),
            "{text}"
        );
    }
}

#[test]
fn simple_signing_reads_digest_reference_and_timestamp() {
    let p = br#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:ab"},"type":"x"},"optional":{"timestamp":1700000000}}"#;
    let s = simple_signing(p, &Limits::DEFAULT).unwrap();
    assert_eq!(s.digest, "sha256:ab");
    assert_eq!(s.reference.as_deref(), Some("r"));
    assert_eq!(s.timestamp, Some(1700000000));
    assert!(simple_signing(br#"{"critical":{"image":{"docker-manifest-digest":"d"}},"optional":{"timestamp":"1"}}"#, &Limits::DEFAULT).is_err());
    assert!(
        simple_signing(
            br#"{"critical":{"image":{"docker-manifest-digest":"d"}},"critical":{}}"#,
            &Limits::DEFAULT
        )
        .is_err()
    );
}

#[test]
fn cloud_build_provenance_keys_never_verify_cosign_or_bundles() {
    use crate::verify::trust::{KeySource, SigningMode};
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let mut t = trust(&[], &[]);
    t.keys
        .push(TrustedKey::from_pem(None, key, SigningMode::Pae, KeySource::CloudBuild).unwrap());
    let r = report_for(bundle, A_TXT, &t);
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unverified, "SIGSTORE_NO_TRUSTED_KEY"),
        "{r:?}"
    );
    // the same key given by the caller verifies
    let r = report_for(bundle, A_TXT, &trust(&[key], &[]));
    assert_eq!(r.status, ItemStatus::Verified);
}

/// Decision E-2 (adversarial review): a caller key with a `keyId` (given for a builder's DSSE
/// provenance) is selected only by a signature's keyid, so it never verifies a sigstore bundle
/// wrapping an envelope that key signed; nor does a key declared to sign raw payloads verify a
/// bundle's PAE signature.
#[test]
fn named_or_raw_caller_keys_never_verify_bundles() {
    use crate::verify::trust::{KeySource, SigningMode};
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    for (id, mode) in [
        (
            Some(
                "projects/acme/locations/global/keyRings/r/cryptoKeys/builder/cryptoKeyVersions/1",
            ),
            SigningMode::Pae,
        ),
        (None, SigningMode::Raw),
    ] {
        let mut t = trust(&[], &[]);
        t.keys
            .push(TrustedKey::from_pem(id, key, mode, KeySource::Caller).unwrap());
        let r = report_for(bundle, A_TXT, &t);
        assert_eq!(
            (r.status, r.code),
            (ItemStatus::Unverified, "SIGSTORE_NO_TRUSTED_KEY"),
            "{id:?} {mode:?}: {r:?}"
        );
    }
}

#[test]
fn verification_budget_bounds_the_keys_tried() {
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let good = fixture!("intoto-canonical-log-entry", "key.pub");
    let other = fixture!("dsse-statement-missing-type_fail", "key.pub");
    let mut keys = vec![other; Limits::DEFAULT.max_verification_units_per_attestor_image];
    keys.push(good);
    let r = report_for(bundle, A_TXT, &trust(&keys, &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Rejected, "SIGSTORE_NOT_TRIED_BUDGET"),
        "{r:?}"
    );
    keys.remove(0);
    let r = report_for(bundle, A_TXT, &trust(&keys, &[]));
    assert_eq!(r.status, ItemStatus::Verified, "{r:?}");
}

#[test]
fn the_inspection_budget_is_shared_and_charged() {
    let bundle = fixture!("intoto-canonical-log-entry", "bundle.sigstore.json");
    let key = fixture!("intoto-canonical-log-entry", "key.pub");
    let t = trust(&[key], &[]);
    let value: Value = serde_json::from_str(bundle).unwrap();
    let obj = value.as_object().unwrap();
    let item = Item::parse(SIGSTORE_BUNDLE_KIND, obj, 0, &Limits::DEFAULT);
    let budget = std::cell::Cell::new(1);
    let ctx = ReportContext {
        digest: A_TXT,
        trust: &t,
        now: now(),
        limits: &Limits::DEFAULT,
        budget: &budget,
    };
    assert_eq!(item.report(&ctx).status, ItemStatus::Verified);
    assert_eq!(budget.get(), 0, "one P-256 check costs one unit");
    let r = item.report(&ctx);
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Rejected, "SIGSTORE_NOT_TRIED_BUDGET")
    );
}

#[test]
fn sigstore_python_staging_bundle_set_verifies_from_bundle_fields() {
    // sigstore-python test/assets/bundle_v3_alt.txt.sigstore: a real v0.3 bundle with a staging
    // Rekor SET over a hashedrekord 0.0.1 body (int64 as strings, base64 log id). The bundle
    // is keyless, so its report is UNSUPPORTED; its tlog entry still checks against the
    // staging log key, the certificate in the bundle and the message digest.
    use crate::verify::sigstore::body::{Content, Expected};
    use crate::verify::sigstore::set::{Witness, witness};
    use sha2::{Digest as _, Sha256};
    let text = include_str!(
        "../../../../../testdata/fixtures/sigstore-python/test/assets/bundle_v3_alt.txt.sigstore"
    );
    let rekor = include_str!(
        "../../../../../testdata/fixtures/sigstore-python/test/assets/staging-tuf/targets/rekor.pub"
    );
    let v: Value = serde_json::from_str(text).unwrap();
    let bundle = parse_bundle(v.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    let digest = bundle.digests().pop().unwrap();
    let t = trust(&[COSIGN_PUB], &[rekor]);
    let r = report_for(text, &digest, &t);
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unsupported, "SIGSTORE_UNSUPPORTED_KEYLESS")
    );
    let cert = STANDARD
        .decode(
            v["verificationMaterial"]["certificate"]["rawBytes"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let cert_sha: [u8; 32] = Sha256::digest(&cert).into();
    let sig = STANDARD
        .decode(v["messageSignature"]["signature"].as_str().unwrap())
        .unwrap();
    let image = digest_bytes(&digest).unwrap();
    let expected = Expected {
        signature: &sig,
        verifier_der_sha256: &cert_sha,
        content: Content::Digest(&image),
    };
    let entry = bundle.tlog_entries().first().unwrap();
    assert_eq!(
        witness(entry, t.rekor_keys(), &expected, &|_| true),
        Ok(Witness::Verified {
            integrated_time: 1712085616
        })
    );
    // the public-good key is another log: nothing witnessed
    let public_good = trust(&[], &[REKOR_PUB]);
    assert_eq!(
        witness(entry, public_good.rekor_keys(), &expected, &|_| true),
        Ok(Witness::NoKey)
    );
}

#[test]
fn message_signatures_need_a_p256_key() {
    let bundle = fixture!("managed-key-and-trusted-root", "bundle.sigstore.json");
    let p384 = include_str!("../../../../../testdata/keys/p384.pub.pem");
    let r = report_for(bundle, A_TXT, &trust(&[p384], &[]));
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unverified, "SIGSTORE_NO_TRUSTED_KEY"),
        "{r:?}"
    );
}
