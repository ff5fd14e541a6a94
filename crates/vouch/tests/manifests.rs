//! Property (issue 12): a manifest's deciding fields are read as kubectl reads them, or refused.
//!
//! For generated manifests carrying YAML 1.1 scalars (plain, quoted or `!!str`) in a deciding
//! field, what vouch extracts is either an error, or exactly the string a go-yaml v2 resolver
//! gives; a scalar go-yaml v2 resolves to a boolean or a number is never read as a string. The
//! reference resolver below is written from go-yaml v2's `resolve.go` (a table and regular
//! expressions), independently of `read/kube_yaml.rs`; `differential/test_kubectl_workloads.py` checks
//! both against kubectl itself.
//!
//! Case counts: `PROPTEST_CASES` (default 256).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use proptest::prelude::*;
use vouch::{Limits, Request, RequestBuilder};

/// go-yaml v2's reading of a scalar into `interface{}`: a string, or something else.
#[derive(Debug, PartialEq)]
enum GoYaml {
    Str(String),
    Null,
    NotString,
}

fn reference(token: &str, style: Style) -> GoYaml {
    if style != Style::Plain {
        return GoYaml::Str(token.to_owned());
    }
    const BOOLS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&token) {
        return GoYaml::NotString;
    }
    if ["", "~", "null", "Null", "NULL"].contains(&token) {
        return GoYaml::Null;
    }
    let first = token.chars().next().unwrap_or(' ');
    if first == '.' {
        let float = regex::Regex::new(r"^\.[0-9]+([eE][-+]?[0-9]+)?$").unwrap();
        return if float.is_match(token) || token.to_ascii_lowercase().ends_with("inf") {
            GoYaml::NotString
        } else {
            GoYaml::Str(token.to_owned())
        };
    }
    if first == '+' || first == '-' || first.is_ascii_digit() {
        let plain = token.replace('_', "");
        // strconv.ParseInt/ParseUint(plain, 0, 64) (values here are far from overflow).
        let int = regex::Regex::new(
            r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$",
        )
        .unwrap();
        let float =
            regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").unwrap();
        if int.is_match(&plain) || float.is_match(&plain) {
            return GoYaml::NotString;
        }
    }
    GoYaml::Str(token.to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    StrTag,
}

fn spell(token: &str, style: Style) -> String {
    match style {
        Style::Plain => token.to_owned(),
        Style::Single => format!("'{token}'"),
        Style::Double => format!("\"{token}\""),
        Style::StrTag => format!("!!str {token}"),
    }
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "N",
            "True",
            "FALSE",
            "~",
            "null",
            "0777",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "+12",
            "-7",
            "08",
            "09",
            "1e3",
            ".5",
            "1.",
            "2001-12-14",
            "1:20",
            "web",
            "web-1",
            "0",
            "00",
            "0x",
            "-",
            "+",
            "e3",
            "1e",
            "0b2",
            "0o8",
            "_1",
        ])
        .prop_map(str::to_owned),
        "[-+]?[0-9_]{1,4}(\\.[0-9]{0,2})?([eE][-+]?[0-9])?",
        "0[xXoObB][0-9a-fA-F_]{1,3}",
        "[a-z][a-z0-9-]{0,6}",
        "[yYnNoO][a-zA-Z]{0,3}",
    ]
}

fn style() -> impl Strategy<Value = Style> {
    prop::sample::select(vec![
        Style::Plain,
        Style::Plain,
        Style::Single,
        Style::Double,
        Style::StrTag,
    ])
}

/// The deciding fields a token can be put in, and how vouch's reading of it is extracted.
#[derive(Debug, Clone, Copy)]
enum Field {
    Namespace,
    ServiceAccountName,
    ServiceAccount,
    ContainerName,
    Image,
    LabelValue,
    AnnotationValue,
    VolumeName,
    VolumeReference,
}

fn manifest(field: Field, value: &str) -> String {
    let (mut meta, mut spec, mut cname, mut image) = (
        String::new(),
        String::new(),
        "app".to_owned(),
        "gcr.io/p/app:1".to_owned(),
    );
    match field {
        Field::Namespace => meta = format!("  namespace: {value}\n"),
        Field::ServiceAccountName => spec = format!("  serviceAccountName: {value}\n"),
        Field::ServiceAccount => spec = format!("  serviceAccount: {value}\n"),
        Field::ContainerName => cname = value.to_owned(),
        Field::Image => image = value.to_owned(),
        Field::LabelValue => meta = format!("  labels:\n    k: {value}\n"),
        Field::AnnotationValue => meta = format!("  annotations:\n    k: {value}\n"),
        Field::VolumeName => {
            spec =
                format!("  volumes:\n  - name: {value}\n    image: {{reference: 'gcr.io/p/v:1'}}\n")
        }
        Field::VolumeReference => {
            spec = format!("  volumes:\n  - name: v\n    image:\n      reference: {value}\n")
        }
    }
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{meta}spec:\n{spec}  containers:\n  - name: {cname}\n    image: {image}\n"
    )
}

/// What vouch read for the field (`None`: absent, i.e. the default).
fn extracted(field: Field, r: &Request) -> Option<String> {
    let default = |s: &str| (s != "default").then(|| s.to_owned());
    match field {
        Field::Namespace => default(r.namespace()),
        Field::ServiceAccountName | Field::ServiceAccount => default(r.service_account()),
        Field::ContainerName => r.images()[0].container.clone(),
        Field::Image => Some(r.images()[0].image.as_str().to_owned()),
        Field::LabelValue => r.labels().get("k").cloned(),
        Field::AnnotationValue => r.annotations().get("k").cloned(),
        Field::VolumeName => r.images()[1].volume.clone(),
        Field::VolumeReference => Some(r.images()[1].image.as_str().to_owned()),
    }
}

fn read(text: &str) -> Result<Request, vouch::Error> {
    let mut found = vouch::manifest::workloads(text, &Limits::DEFAULT)?;
    assert_eq!(found.len(), 1, "{text}");
    RequestBuilder::for_workload(found.remove(0).object).build_with_limits(&Limits::DEFAULT)
}

fn field() -> impl Strategy<Value = Field> {
    prop::sample::select(vec![
        Field::Namespace,
        Field::ServiceAccountName,
        Field::ServiceAccount,
        Field::ContainerName,
        Field::Image,
        Field::LabelValue,
        Field::AnnotationValue,
        Field::VolumeName,
        Field::VolumeReference,
    ])
}

proptest! {
    #[test]
    fn deciding_fields_are_read_as_go_yaml_v2_reads_them_or_refused(
        token in token(), style in style(), field in field()
    ) {
        let text = manifest(field, &spell(&token, style));
        let result = read(&text);
        match (reference(&token, style), result) {
            (_, Err(_)) => {}
            (GoYaml::Str(s), Ok(r)) => prop_assert_eq!(extracted(field, &r), Some(s), "{}", text),
            (GoYaml::Null, Ok(r)) => prop_assert_eq!(extracted(field, &r), None, "{}", text),
            (GoYaml::NotString, Ok(r)) => prop_assert!(
                false,
                "go-yaml v2 reads `{}` as a non-string, vouch read {:?}\n{}",
                token,
                extracted(field, &r),
                text
            ),
        }
    }

    #[test]
    fn label_keys_are_converted_as_yaml_to_json_does(token in token(), style in style()) {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    {}: v\nspec:\n  containers:\n  - {{name: a, image: b}}\n",
            spell(&token, style)
        );
        if let Ok(r) = read(&text) {
            let keys: Vec<&String> = r.labels().keys().collect();
            match reference(&token, style) {
                GoYaml::Str(s) => prop_assert_eq!(keys, vec![&s], "{}", text),
                // A boolean key is "true"/"false"; an integer key its decimal value.
                GoYaml::NotString => prop_assert!(
                    keys.len() == 1 && (keys[0] == "true" || keys[0] == "false" || keys[0].parse::<i64>().is_ok()),
                    "{:?}\n{}", keys, text
                ),
                GoYaml::Null => prop_assert!(false, "a null key was read: {}", text),
            }
        }
    }
}
