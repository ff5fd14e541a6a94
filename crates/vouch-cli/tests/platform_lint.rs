//! `vouch policy lint` on GKE platform policies: the examples of platform-policies §3, the
//! list-for-message fix, and `--canonical`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::{stdout, vouch};

#[test]
fn examples_lint() {
    for example in [
        "quickstart-cv",
        "multiple-check-sets",
        "vulnerability-check",
    ] {
        let file = format!("examples/platform/{example}.yaml");
        let o = vouch(&["policy", "lint", &file, "--deny-warnings"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stdout(&o));
        assert!(stdout(&o).contains("valid, 0 warnings"), "{}", stdout(&o));
    }
    // Example D as the documentation prints it: its key is a placeholder.
    let o = vouch(&[
        "policy",
        "lint",
        "examples/platform/simple-signing-attestation-check.yaml",
        "--output",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["errors"][0]["code"], "PLATFORM_INVALID_KEY");
}

#[test]
fn canonical_form_and_list_for_message_fix() {
    let o = vouch(&[
        "policy",
        "lint",
        "--canonical",
        "examples/platform/multiple-check-sets.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.starts_with(r#"{"gkePolicy":{"checkSets":[{"displayName":"Prod check set","scope":{"kubernetesNamespace":"prod-namespace"},"checks":[{"trustedDirectoryCheck":{"trustedDirPatterns":["gcr.io/my-project/prod-images"]}}"#),
        "{text}"
    );
    let dir = std::env::temp_dir().join(format!("vouch-platform-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc-form.yaml");
    std::fs::write(
        &file,
        "gkePolicy:\n  imageAllowlist:\n  - allowPattern: gcr.io/my-project/base/**\n",
    )
    .unwrap();
    let o = vouch(&["policy", "lint", file.to_str().unwrap(), "--canonical"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an invalid policy has no canonical form"
    );
    let text = stdout(&o);
    assert!(text.contains("error: PLATFORM_LIST_FOR_MESSAGE"), "{text}");
    assert!(
        text.contains(
            r#"fix: write `imageAllowlist: {"allowPattern":"gcr.io/my-project/base/**"}`"#
        ),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
