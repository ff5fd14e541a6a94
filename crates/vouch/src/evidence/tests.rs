use super::simple_signing::parse_statement;
use super::*;

#[test]
fn statement_parsing() {
    let ok = br#"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:x"},"type":"t"}}"#;
    assert_eq!(
        parse_statement(ok),
        Ok(Statement {
            digest: "sha256:x".into(),
            reference: Some("r".into()),
            timestamp: None,
        })
    );
    let stamped = |optional: &str| {
        let text = format!(
            r#"{{"critical":{{"image":{{"docker-manifest-digest":"sha256:x"}}}},"optional":{optional}}}"#
        );
        parse_statement(text.as_bytes()).unwrap().timestamp
    };
    assert_eq!(
        stamped(r#"{"timestamp":1700000000}"#),
        Some(Ok(1_700_000_000))
    );
    assert_eq!(stamped("null"), None);
    assert_eq!(stamped(r#"{"creator":"x"}"#), None);
    assert!(matches!(
        stamped(r#"{"timestamp":"1700000000"}"#),
        Some(Err(_))
    ));
    assert!(matches!(stamped(r#"{"timestamp":1.5}"#), Some(Err(_))));
    assert!(parse_statement(b"not json").is_err());
    assert!(parse_statement(br#"{"critical":{"image":{}}}"#).is_err());
    let dup = br#"{"critical":{"image":{"docker-manifest-digest":"sha256:a","docker-manifest-digest":"sha256:b"}}}"#;
    assert!(parse_statement(dup).unwrap_err().contains("more than once"));
}

#[test]
fn evidence_shapes() {
    let occ = serde_json::json!({"name": "o", "noteName": "projects/p/notes/n", "resourceUri": "x@sha256:a",
        "attestation": {"serializedPayload": "e30=", "signatures": [{"publicKeyId": "k", "signature": "AA=="}]}});
    let mut e = Evidence::new();
    e.add_value(
        &serde_json::json!([occ.clone(), "junk", {"kind": "VULNERABILITY"}]),
        &Limits::DEFAULT,
    )
    .unwrap();
    assert_eq!(e.len(), 1);
    e.add_value(&occ, &Limits::DEFAULT).unwrap();
    e.add_value(&serde_json::json!({"occurrences": [occ]}), &Limits::DEFAULT)
        .unwrap();
    assert_eq!(e.len(), 3);
    assert_eq!(e.candidates("projects/p/notes/n", "sha256:a").count(), 3);
    assert_eq!(e.candidates("projects/p/notes/n", "sha256:b").count(), 0);
    let err = Evidence::new()
        .add_value(&serde_json::json!({"policy": 1}), &Limits::DEFAULT)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InputInvalidAttestations);
    let err = Evidence::new()
        .add_value(&serde_json::json!("x"), &Limits::DEFAULT)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InputInvalidAttestations);
}

#[test]
fn nameless_occurrences_get_positions() {
    let mut e = Evidence::new();
    e.add_value(
        &serde_json::json!([{"noteName": "n"}, {"noteName": "n", "name": "x"}]),
        &Limits::DEFAULT,
    )
    .unwrap();
    assert_eq!(e.occurrences[0].label, "#0");
    assert_eq!(e.occurrences[1].label, "x");
}
