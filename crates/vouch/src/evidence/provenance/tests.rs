use std::cell::Cell;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;

use super::*;
use crate::toolkit::signing::{KeyAlgorithm, SigningKey};
use crate::verify::dsse::{pae, pae_typed};
use crate::verify::trust::{SigningMode, TrustMaterial, cloud_build_keys};

const GCB_DIGEST: &str = "sha256:1a033b002f89ed2b8ea733162497fb70f1a4049a7f8602d6a33682b4ad9921fd";
const OTHER: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

macro_rules! gcb {
    ($name:literal) => {
        include_str!(concat!(
            "../../../../../testdata/fixtures/slsa-verifier/gcb_container/v0.2/",
            $name
        ))
    };
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

fn report_with(item: &Build, digest: &str, trust: &TrustMaterial, budget: usize) -> ItemReport {
    let budget = Cell::new(budget);
    item.report(&ReportContext {
        digest,
        trust,
        now: now(),
        limits: &Limits::DEFAULT,
        budget: &budget,
    })
}

fn report(item: &Build, digest: &str, trust: &TrustMaterial) -> ItemReport {
    report_with(item, digest, trust, 1_000)
}

/// The first occurrence of a `gcloud … --show-provenance` document, as a BUILD item.
fn gcloud_build(text: &str) -> Build {
    let doc: Value = serde_json::from_str(text).unwrap();
    let occurrence = doc["provenance_summary"]["provenance"][0]
        .as_object()
        .unwrap();
    parse_build(occurrence, &Limits::DEFAULT).unwrap()
}

fn trust(json: Value) -> TrustMaterial {
    TrustMaterial::from_value(json, &Limits::DEFAULT).unwrap()
}

const PROTOCOL_KEY: &str =
    include_str!("../../../../../testdata/fixtures/dsse/protocol-p256.pub.pem");
const PROTOCOL_ENVELOPE: &str =
    include_str!("../../../../../testdata/fixtures/dsse/protocol-envelope.json");

// ---------------------------------------------------------------------------------------------
// DSSE

#[test]
fn pae_is_the_protocol_test_vector() {
    assert_eq!(
        pae_typed("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    );
    assert_eq!(pae_typed("", b""), b"DSSEv1 0  0 ");
    // The simple-signing form is unchanged.
    assert_eq!(
        pae(b"{}"),
        b"DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 2 {}"
    );
    // Lengths are bytes, not characters.
    assert_eq!(pae_typed("t", "é".as_bytes()), "DSSEv1 1 t 2 é".as_bytes());
}

fn protocol_envelope() -> Envelope {
    let v: Value = serde_json::from_str(PROTOCOL_ENVELOPE).unwrap();
    Envelope::from_json(v.as_object().unwrap(), &Limits::DEFAULT).unwrap()
}

fn verify_with(envelope: &Envelope, trust: &TrustMaterial) -> Result<String, Failure> {
    let keys: Vec<&TrustedKey> = trust.keys().collect();
    let mut charge = |_| true;
    dsse::verify(envelope, &keys, &Limits::DEFAULT, &mut charge).map(|v| v.key.display_id())
}

#[test]
fn the_protocol_envelope_verifies_raw_r_s_over_pae() {
    let env = protocol_envelope();
    assert_eq!(env.payload, b"hello world");
    let unnamed = trust(json!({"keys": [{"publicKeyPem": PROTOCOL_KEY}], "cloudBuildKeys": false}));
    assert!(verify_with(&env, &unnamed).is_ok());
    // The same key signing RAW does not verify a PAE signature.
    let raw = trust(
        json!({"keys": [{"publicKeyPem": PROTOCOL_KEY, "signingMode": "RAW"}], "cloudBuildKeys": false}),
    );
    assert_eq!(verify_with(&env, &raw), Err(Failure::BadSignature));
    // Another payload type breaks the signature (PAE binds it).
    let mut other = env.clone();
    other.payload_type = "http://example.com/Other".into();
    assert_eq!(verify_with(&other, &unnamed), Err(Failure::BadSignature));
}

#[test]
fn base64_may_be_url_safe_and_unpadded() {
    let v: Value = serde_json::from_str(PROTOCOL_ENVELOPE).unwrap();
    let sig = STANDARD
        .decode(v["signatures"][0]["sig"].as_str().unwrap())
        .unwrap();
    let e = json!({"payload": URL_SAFE_NO_PAD.encode(b"hello world"),
        "payloadType": "http://example.com/HelloWorld",
        "signatures": [{"sig": URL_SAFE_NO_PAD.encode(&sig)}]});
    let env = Envelope::from_json(e.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(env, protocol_envelope());
}

#[test]
fn keyid_selects_the_key_where_keys_are_named() {
    let env = protocol_envelope();
    let named = trust(
        json!({"keys": [{"keyId": "k1", "publicKeyPem": PROTOCOL_KEY}], "cloudBuildKeys": false}),
    );
    // No keyid: a named key is not tried.
    assert_eq!(verify_with(&env, &named), Err(Failure::NoKeyid));
    let mut with_id = env.clone();
    with_id.signatures[0].keyid = Some("k1".into());
    assert_eq!(verify_with(&with_id, &named), Ok("k1".into()));
    let mut unknown = env.clone();
    unknown.signatures[0].keyid = Some("k2".into());
    assert_eq!(verify_with(&unknown, &named), Err(Failure::UnknownKeyid));
    // An unnamed key is tried for any keyid.
    let unnamed = trust(json!({"keys": [{"publicKeyPem": PROTOCOL_KEY}], "cloudBuildKeys": false}));
    assert!(verify_with(&unknown, &unnamed).is_ok());
    // No keys at all; no signatures.
    let none = trust(json!({"cloudBuildKeys": false}));
    assert_eq!(verify_with(&env, &none), Err(Failure::NoTrustedKey));
    let mut empty = env;
    empty.signatures.clear();
    assert_eq!(verify_with(&empty, &unnamed), Err(Failure::NoSignature));
}

#[test]
fn envelopes_that_cannot_be_read() {
    let read = |v: Value| Envelope::from_json(v.as_object().unwrap(), &Limits::DEFAULT);
    assert!(read(json!({"payloadType": "t", "signatures": []})).is_err());
    assert!(read(json!({"payload": "!!", "payloadType": "t"})).is_err());
    assert!(read(json!({"payload": "", "signatures": []})).is_err());
    assert!(read(json!({"payload": "", "payloadType": "t", "signatures": {}})).is_err());
    assert!(read(json!({"payload": "", "payloadType": "t", "signatures": [1]})).is_err());
    let many: Vec<Value> = (0..65).map(|_| json!({"sig": "AA=="})).collect();
    let err = read(json!({"payload": "", "payloadType": "t", "signatures": many})).unwrap_err();
    assert!(err.contains("limit"), "{err}");
    // An undecodable or empty sig is kept (it never verifies).
    let env = read(json!({"payload": "", "payloadType": "t", "signatures": [{"sig": "not base64"}, {"sig": ""}]})).unwrap();
    assert_eq!(env.signatures.len(), 2);
    assert!(env.signatures.iter().all(|s| s.sig.is_none()));
}

#[test]
fn unique_keys_are_counted_and_repeats_cost_nothing() {
    let env = protocol_envelope();
    let mut twice = env.clone();
    twice.signatures.push(env.signatures[0].clone());
    let t = trust(json!({"keys": [{"publicKeyPem": PROTOCOL_KEY}], "cloudBuildKeys": false}));
    let keys: Vec<&TrustedKey> = t.keys().collect();
    let mut spent = 0;
    let mut charge = |u| {
        spent += u;
        true
    };
    let v = dsse::verify(&twice, &keys, &Limits::DEFAULT, &mut charge).unwrap();
    assert_eq!(v.unique_keys, 1);
    assert_eq!(spent, 1);
}

#[test]
fn the_budget_bounds_key_tries() {
    let env = protocol_envelope();
    let pems: Vec<Value> = (0..10)
        .map(|i| {
            let k = SigningKey::from_seed(KeyAlgorithm::P256, &[i; 32]).unwrap();
            json!({"publicKeyPem": k.public_key_pem()})
        })
        .collect();
    let t = trust(json!({"keys": pems, "cloudBuildKeys": false}));
    let keys: Vec<&TrustedKey> = t.keys().collect();
    let mut left = 3usize;
    let mut charge = |u: usize| match left.checked_sub(u) {
        Some(l) => {
            left = l;
            true
        }
        None => false,
    };
    assert_eq!(
        dsse::verify(&env, &keys, &Limits::DEFAULT, &mut charge).map(|_| ()),
        Err(Failure::Budget)
    );
    let limits = Limits {
        max_verification_units_per_attestor_image: 2,
        ..Limits::DEFAULT
    };
    let mut free = |_| true;
    assert_eq!(
        dsse::verify(&env, &keys, &limits, &mut free).map(|_| ()),
        Err(Failure::Budget)
    );
}

// ---------------------------------------------------------------------------------------------
// Cloud Build keys

#[test]
fn cloud_build_keys_are_shipped_with_names_and_modes() {
    let keys = cloud_build_keys();
    assert_eq!(keys.len(), 21, "every shipped PEM loads");
    let mode = |id: &str| keys.iter().find(|k| k.id() == Some(id)).map(|k| k.mode());
    let name = |loc: &str, key: &str| {
        format!(
            "projects/verified-builder/locations/{loc}/keyRings/attestor/cryptoKeys/{key}/cryptoKeyVersions/1"
        )
    };
    assert_eq!(mode(&name("global", "builtByGCB")), Some(SigningMode::Raw));
    assert_eq!(
        mode(&name("us-west2", "builtByGCB")),
        Some(SigningMode::Raw)
    );
    assert_eq!(
        mode(&name("global", "provenanceSigner")),
        Some(SigningMode::Pae)
    );
    assert_eq!(
        mode(&name("global", "google-hosted-worker")),
        Some(SigningMode::Pae)
    );
    assert!(
        keys.iter()
            .all(|k| k.source() == crate::verify::trust::KeySource::CloudBuild)
    );
}

// ---------------------------------------------------------------------------------------------
// slsa-verifier's gcb_container v0.2 fixtures

#[test]
fn gcb_v02_provenance_verifies_with_the_shipped_raw_key() {
    let item = gcloud_build(gcb!("gcloud-container-github.json"));
    assert_eq!(item.digests(), vec![GCB_DIGEST.to_owned()]);
    let r = report(&item, GCB_DIGEST, &TrustMaterial::new());
    assert_eq!(r.status, ItemStatus::Verified, "{r:?}");
    assert_eq!(r.code, "PROVENANCE_VERIFIED");
    assert_eq!(
        r.key_id.as_deref(),
        Some(
            "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1"
        )
    );
    assert_eq!(
        r.facts["builderId"],
        "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2"
    );
    assert_eq!(
        r.facts["buildType"],
        "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2"
    );
    assert_eq!(r.facts["predicateType"], "https://slsa.dev/provenance/v0.1");
    assert_eq!(
        r.facts["invocationId"],
        "b6e052a7-5aa4-41bf-a56b-9bc4e4f3058b"
    );
    assert_eq!(
        r.facts["sourceRepo"],
        "https://github.com/laurentsimon/gcb-tests/commit/fbbb98765e85ad464302dc5977968104d36e455e"
    );
    assert_eq!(r.facts["subjectMatch"], true);
    assert_eq!(
        r.signed_time,
        Some(Timestamp::parse_rfc3339("2022-08-15T22:43:34.366498Z").unwrap())
    );
    // The digest file names the same image.
    assert_eq!(gcb!("gcloud-container-github.digest"), GCB_DIGEST);
    // Without Cloud Build's keys, nothing can check it.
    let none = trust(json!({"cloudBuildKeys": false}));
    let r = report(&item, GCB_DIGEST, &none);
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Unverified, "DSSE_NO_TRUSTED_KEY")
    );
    // For another digest the signed subject does not match.
    let r = report(&item, OTHER, &TrustMaterial::new());
    assert_eq!(
        (r.status, r.code),
        (ItemStatus::Rejected, "PROVENANCE_SUBJECT_MISMATCH")
    );
}

#[test]
fn gcb_v02_negative_fixtures_are_rejected_for_upstreams_reason() {
    // (fixture, code): slsa-verifier rejects each with ErrorNoValidSignature, except the
    // text-copy mismatch (ErrorMismatchIntoto).
    let cases = [
        (
            gcb!("gcloud-container-invalid-keyid.json"),
            "DSSE_UNKNOWN_KEYID",
        ),
        (
            gcb!("gcloud-container-invalid-signature-region.json"),
            "DSSE_UNKNOWN_KEYID",
        ),
        (gcb!("gcloud-container-no-keyid.json"), "DSSE_NO_KEYID"),
        (
            gcb!("gcloud-container-invalid-signature-encoding.json"),
            "DSSE_BAD_SIGNATURE",
        ),
        (
            gcb!("gcloud-container-empty-signature.json"),
            "DSSE_BAD_SIGNATURE",
        ),
        (
            gcb!("gcloud-container-mismatch-payload-digest.json"),
            "DSSE_BAD_SIGNATURE",
        ),
        (
            gcb!("gcloud-container-mismatch-payload-builderid.json"),
            "DSSE_BAD_SIGNATURE",
        ),
        (
            gcb!("gcloud-container-mismatch-text-digest.json"),
            "PROVENANCE_UNSIGNED_COPY_MISMATCH",
        ),
    ];
    for (text, code) in cases {
        let r = report(&gcloud_build(text), GCB_DIGEST, &TrustMaterial::new());
        assert_ne!(r.status, ItemStatus::Verified, "{code}");
        assert_eq!(r.code, code, "{r:?}");
    }
    // A trailing comma: not JSON at all (upstream ErrorInvalidDssePayload), a load error.
    assert!(serde_json::from_str::<Value>(gcb!("gcloud-container-no-signature.json")).is_err());
}

#[test]
fn gcb_v02_second_of_three_signatures_verifies() {
    let item = gcloud_build(gcb!("gcloud-container-multiple-signatures-2ndvalid.json"));
    let r = report(&item, GCB_DIGEST, &TrustMaterial::new());
    assert_eq!(r.status, ItemStatus::Verified, "{r:?}");
    assert_eq!(r.facts["verifiedKeys"], 1);
}

#[test]
fn the_unsigned_copy_must_agree_but_may_be_absent() {
    let doc: Value = serde_json::from_str(gcb!("gcloud-container-github.json")).unwrap();
    let mut occ = doc["provenance_summary"]["provenance"][0].clone();
    occ["build"]["intotoStatement"]["slsaProvenance"]["builder"]["id"] = json!("https://evil");
    let item = parse_build(occ.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    let r = report(&item, GCB_DIGEST, &TrustMaterial::new());
    assert_eq!(r.code, "PROVENANCE_UNSIGNED_COPY_MISMATCH");
    occ.as_object_mut().unwrap().remove("build");
    let item = parse_build(occ.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(
        report(&item, GCB_DIGEST, &TrustMaterial::new()).status,
        ItemStatus::Verified
    );
    // No envelope: only unsigned data.
    occ.as_object_mut().unwrap().remove("envelope");
    let item = parse_build(occ.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(
        report(&item, GCB_DIGEST, &TrustMaterial::new()).code,
        "PROVENANCE_NO_ENVELOPE"
    );
}

#[test]
fn an_exhausted_inspection_budget_tries_nothing() {
    let item = gcloud_build(gcb!("gcloud-container-github.json"));
    let r = report_with(&item, GCB_DIGEST, &TrustMaterial::new(), 0);
    assert_eq!(r.code, "DSSE_NOT_TRIED_BUDGET");
}

// ---------------------------------------------------------------------------------------------
// Signed statements of every version (signed here with a caller key)

fn signed(statement: &Value, kind: &str, key: &SigningKey) -> Build {
    let payload = serde_json::to_vec(statement).unwrap();
    let sig = key.sign(&pae_typed(IN_TOTO_PAYLOAD_TYPE, &payload));
    let envelope = json!({"payload": STANDARD.encode(&payload), "payloadType": IN_TOTO_PAYLOAD_TYPE,
        "signatures": [{"keyid": "mine", "sig": STANDARD.encode(&sig)}]});
    let occ = if kind == "BUILD" {
        json!({"kind": "BUILD", "resourceUri": format!("https://r/i@{GCB_DIGEST}"), "envelope": envelope})
    } else {
        json!({"kind": "DSSE_ATTESTATION", "resourceUri": format!("https://r/i@{GCB_DIGEST}"),
            "dsseAttestation": {"envelope": envelope}})
    };
    let obj = occ.as_object().unwrap();
    if kind == "BUILD" {
        parse_build(obj, &Limits::DEFAULT).unwrap()
    } else {
        parse_dsse_attestation(obj, &Limits::DEFAULT).unwrap()
    }
}

fn caller(key: &SigningKey) -> TrustMaterial {
    trust(json!({"keys": [{"keyId": "mine", "publicKeyPem": key.public_key_pem()}]}))
}

fn subject() -> Value {
    json!([{"name": "img", "digest": {"sha256": GCB_DIGEST.trim_start_matches("sha256:")}}])
}

#[test]
fn slsa_v02_and_v1_predicates_are_summarized() {
    let key = SigningKey::from_seed(KeyAlgorithm::P256, &[3; 32]).unwrap();
    let v02 = json!({"_type": STATEMENT_V01, "subject": subject(), "predicateType": SLSA_V02,
        "predicate": {"builder": {"id": "B"}, "buildType": "T",
            "invocation": {"configSource": {"uri": "git+https://src"}},
            "metadata": {"buildInvocationId": "I", "buildFinishedOn": "2025-01-01T00:00:00Z"}}});
    let r = report(&signed(&v02, "BUILD", &key), GCB_DIGEST, &caller(&key));
    assert_eq!(r.code, "PROVENANCE_VERIFIED", "{r:?}");
    assert_eq!(r.key_id.as_deref(), Some("mine"));
    assert_eq!(
        (&r.facts["builderId"], &r.facts["buildType"]),
        (&json!("B"), &json!("T"))
    );
    assert_eq!(r.facts["sourceRepo"], "git+https://src");
    assert_eq!(
        r.signed_time,
        Some(Timestamp::parse_rfc3339("2025-01-01T00:00:00Z").unwrap())
    );
    let v1 = json!({"_type": STATEMENT_V1, "subject": subject(), "predicateType": SLSA_V1,
        "predicate": {"buildDefinition": {"buildType": "T1", "resolvedDependencies": [{"uri": "git+https://s1"}]},
            "runDetails": {"builder": {"id": "B1"}, "metadata": {"invocationId": "I1", "finishedOn": "2025-02-01T00:00:00Z"}}}});
    let r = report(&signed(&v1, "BUILD", &key), GCB_DIGEST, &caller(&key));
    assert_eq!(r.code, "PROVENANCE_VERIFIED", "{r:?}");
    assert_eq!(r.facts["builderId"], "B1");
    assert_eq!(r.facts["invocationId"], "I1");
    assert_eq!(
        r.signed_time,
        Some(Timestamp::parse_rfc3339("2025-02-01T00:00:00Z").unwrap())
    );
    // In the future (beyond 5 minutes of skew).
    let mut late = v1.clone();
    late["predicate"]["runDetails"]["metadata"]["finishedOn"] = json!("2026-01-01T00:06:00Z");
    let r = report(&signed(&late, "BUILD", &key), GCB_DIGEST, &caller(&key));
    assert_eq!(r.code, "PROVENANCE_SIGNED_TIME_IN_FUTURE");
    // A wrongly typed field.
    let mut bad = v1;
    bad["predicate"]["runDetails"]["builder"]["id"] = json!(7);
    let r = report(&signed(&bad, "BUILD", &key), GCB_DIGEST, &caller(&key));
    assert_eq!(r.code, "PROVENANCE_PREDICATE_INVALID");
}

#[test]
fn build_needs_slsa_but_a_dsse_attestation_takes_any_predicate() {
    let key = SigningKey::from_seed(KeyAlgorithm::P256, &[4; 32]).unwrap();
    // E-4: an absent predicate is {}.
    let st =
        json!({"_type": STATEMENT_V1, "subject": subject(), "predicateType": "https://example/p"});
    let r = report(
        &signed(&st, "DSSE_ATTESTATION", &key),
        GCB_DIGEST,
        &caller(&key),
    );
    assert_eq!(
        (r.kind, r.code),
        ("DSSE_ATTESTATION", "DSSE_VERIFIED"),
        "{r:?}"
    );
    let r = report(&signed(&st, "BUILD", &key), GCB_DIGEST, &caller(&key));
    assert_eq!(r.code, "PROVENANCE_PREDICATE_UNSUPPORTED");
    // A payload that is not in-toto, signed by the right key.
    let occ = json!({"kind": "DSSE_ATTESTATION", "envelope": {"payload": STANDARD.encode(b"{}"),
        "payloadType": "text/plain", "signatures": [{"keyid": "mine",
        "sig": STANDARD.encode(key.sign(&pae_typed("text/plain", b"{}")))}]}});
    let item = parse_dsse_attestation(occ.as_object().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(
        report(&item, GCB_DIGEST, &caller(&key)).code,
        "DSSE_PAYLOAD_TYPE_UNSUPPORTED"
    );
}

// ---------------------------------------------------------------------------------------------
// in-toto/attestation go/v1/statement_test.go

#[test]
fn in_toto_statement_validation() {
    let parse = |s: &str| parse_statement(s.as_bytes(), &Limits::DEFAULT);
    let good = parse(r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"theSub","digest":{"alg1":"abc123"}}],"predicateType":"thePredicate","predicate":{"keyObj":{"subKey":"subVal"}}}"#).unwrap();
    assert_eq!(good.statement_type, STATEMENT_V1);
    assert_eq!(good.subjects, vec![None]);
    assert_eq!(good.predicate, json!({"keyObj": {"subKey": "subVal"}}));
    for bad in [
        // bad type
        r#"{"_type":"https://in-toto.io/Statement/v0","subject":[{"name":"theSub","digest":{"alg1":"abc123"}}],"predicateType":"thePredicate","predicate":{"keyObj":{"subKey":"subVal"}}}"#,
        // no subjects
        r#"{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":"thePredicate","predicate":{"keyObj":{"subKey":"subVal"}}}"#,
        // subject missing RD required field
        r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"downloadLocation":"https://example.com/test.zip"}],"predicateType":"thePredicate","predicate":{"keyObj":{"subKey":"subVal"}}}"#,
        // subject missing digest
        r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name": "theSub", "downloadLocation":"https://example.com/test.zip"}],"predicateType":"thePredicate","predicate":{"keyObj":{"subKey":"subVal"}}}"#,
        // missing predicate type
        r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"theSub","digest":{"alg1":"abc123"}}],"predicateType":"","predicate":{"keyObj":{"subKey":"subVal"}}}"#,
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    // Missing predicate: upstream rejects it; vouch reads it as {} (decision E-4).
    let none = parse(r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"theSub","digest":{"alg1":"abc123"}}],"predicateType":"thePredicate"}"#).unwrap();
    assert_eq!(none.predicate, json!({}));
    // Duplicate keys in the signed payload are refused (strict JSON).
    assert!(parse(r#"{"_type":"https://in-toto.io/Statement/v1","_type":"x","subject":[{"digest":{"sha256":"a"}}],"predicateType":"p"}"#).is_err());
}

#[test]
fn gcb_v03_provenance_verifies_with_both_shipped_keys() {
    // Two signatures: the global provenanceSigner key over PAE, the us-west2 builtByGCB key
    // over the raw payload. Both verify, each only in its own mode.
    let text = include_str!(
        "../../../../../testdata/fixtures/slsa-verifier/gcb_container/v0.3/gcloud-container-github-tag.json"
    );
    let digest = include_str!(
        "../../../../../testdata/fixtures/slsa-verifier/gcb_container/v0.3/gcloud-container-github-tag.digest"
    );
    let item = gcloud_build(text);
    let r = report(&item, digest, &TrustMaterial::new());
    assert_eq!(r.code, "PROVENANCE_VERIFIED", "{r:?}");
    assert_eq!(
        r.key_id.as_deref(),
        Some(
            "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1"
        )
    );
    assert_eq!(r.facts["verifiedKeys"], 2);
    assert_eq!(
        r.facts["builderId"],
        "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3"
    );
    assert_eq!(
        r.facts["buildType"],
        "https://cloudbuild.googleapis.com/CloudBuildYaml@v0.1"
    );
    assert_eq!(
        r.facts["sourceRepo"],
        "git+https://github.com/slsa-framework/example-package"
    );
    // With the signing modes swapped no signature verifies.
    let doc: Value = serde_json::from_str(text).unwrap();
    let env = Envelope::from_json(
        doc["provenance_summary"]["provenance"][0]["envelope"]
            .as_object()
            .unwrap(),
        &Limits::DEFAULT,
    )
    .unwrap();
    let swapped: Vec<TrustedKey> = cloud_build_keys()
        .iter()
        .map(|k| {
            let mode = match k.mode() {
                SigningMode::Pae => SigningMode::Raw,
                SigningMode::Raw => SigningMode::Pae,
            };
            TrustedKey { mode, ..k.clone() }
        })
        .collect();
    let keys: Vec<&TrustedKey> = swapped.iter().collect();
    let mut free = |_| true;
    assert_eq!(
        dsse::verify(&env, &keys, &Limits::DEFAULT, &mut free).map(|_| ()),
        Err(Failure::BadSignature)
    );
}
