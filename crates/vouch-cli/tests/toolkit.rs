//! The attestor's toolkit end to end: keygen → attestor → sign → evaluate, interoperability
//! with the `openssl` command line in both directions, payload bytes, lint and check.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

mod common;

use common::{root, vouch_in};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vouch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const DIGEST: &str = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a";
const OTHER_DIGESTS: &[&str] = &[
    "sha256:3de6f781a0858ca01b0bfab42c51e47eb1b2f4f580db12423f817e1bf955b824",
    "sha256:0000000000000000000000000000000000000000000000000000000000000000",
];
const REPO: &str = "us-docker.pkg.dev/example-project/app/web";

fn policy(dir: &Path) {
    std::fs::write(
        dir.join("policy.yaml"),
        "globalPolicyEvaluationMode: ENABLE\ndefaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy:\n  - projects/example-project/attestors/built-by-ci\n",
    )
    .unwrap();
}

fn evaluate(dir: &Path, image: &str, occurrence: &str) -> Output {
    vouch_in(
        dir,
        &[
            "evaluate",
            "--policy",
            "policy.yaml",
            "--attestors",
            "attestor.json",
            "--attestations",
            occurrence,
            "--image",
            image,
            "--now",
            "2026-11-23T10:00:00Z",
            "--output",
            "json",
        ],
    )
}

/// keygen → attestor → sign → evaluate: the signed digest is admitted, every other digest is not.
#[test]
fn round_trip_for_every_key_type() {
    for (algorithm, pae) in [
        ("p256", false),
        ("p256", true),
        ("ed25519", false),
        ("ed25519", true),
    ] {
        let dir = tempdir(&format!("roundtrip-{algorithm}-{pae}"));
        ok(&vouch_in(
            &dir,
            &["keygen", "--algorithm", algorithm, "--out-dir", "keys"],
        ));
        let attestor = ok(&vouch_in(
            &dir,
            &[
                "attestor",
                "--name",
                "projects/example-project/attestors/built-by-ci",
                "--note",
                "projects/example-project/notes/built-by-ci",
                "--public-key",
                "keys/public-key.pem",
                "--algorithm",
                algorithm,
            ],
        ));
        std::fs::write(dir.join("attestor.json"), attestor).unwrap();
        let image = format!("{REPO}@{DIGEST}");
        let mut sign = vec![
            "sign",
            "--image",
            &image,
            "--key",
            "keys/private-key.pem",
            "--attestor",
            "projects/example-project/attestors/built-by-ci",
        ];
        if pae {
            sign.push("--pae");
        }
        std::fs::write(dir.join("occurrence.json"), ok(&vouch_in(&dir, &sign))).unwrap();
        policy(&dir);
        let decision: serde_json::Value =
            serde_json::from_str(&ok(&evaluate(&dir, &image, "occurrence.json"))).unwrap();
        assert_eq!(decision["verdict"], "ALLOW");
        assert_eq!(
            decision["images"][0]["attestors"][0]["signedForm"],
            if pae { "PAE" } else { "RAW" }
        );
        // Same digest under another tag and another registry: still admitted (digest binding).
        let mirror = format!("europe-docker.pkg.dev/mirror/web:v1@{DIGEST}");
        assert_eq!(
            evaluate(&dir, &mirror, "occurrence.json").status.code(),
            Some(0)
        );
        for other in OTHER_DIGESTS {
            let o = evaluate(&dir, &format!("{REPO}@{other}"), "occurrence.json");
            assert_eq!(
                o.status.code(),
                Some(1),
                "{algorithm}: {other} must be denied"
            );
        }
        assert_eq!(
            evaluate(&dir, &format!("{REPO}:latest"), "occurrence.json")
                .status
                .code(),
            Some(1)
        );
    }
}

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the openssl command line is needed for this test")
}

/// vouch's signatures verify with `openssl`, and `openssl`'s signatures verify in vouch.
#[test]
fn openssl_interoperates_both_ways() {
    let pss = [
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:32",
        "-sigopt",
        "rsa_mgf1_md:sha256",
    ];
    for algorithm in ["p256", "p384", "rsa-pss-2048", "ed25519"] {
        let dir = tempdir(&format!("openssl-{algorithm}"));
        ok(&vouch_in(
            &dir,
            &["keygen", "--algorithm", algorithm, "--out-dir", "keys"],
        ));
        let image = format!("{REPO}@{DIGEST}");
        let sign_args = [
            "sign",
            "--image",
            &image,
            "--key",
            "keys/private-key.pem",
            "--attestor",
            "projects/example-project/attestors/built-by-ci",
        ];
        let occurrence: serde_json::Value =
            serde_json::from_str(&ok(&vouch_in(&dir, &sign_args))).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let field = |v: &serde_json::Value| b64.decode(v.as_str().unwrap()).unwrap();
        std::fs::write(
            dir.join("payload.json"),
            field(&occurrence["attestation"]["serializedPayload"]),
        )
        .unwrap();
        std::fs::write(
            dir.join("vouch.sig"),
            field(&occurrence["attestation"]["signatures"][0]["signature"]),
        )
        .unwrap();
        // The openssl command for each key type; `op` is -verify (key, signature) or -sign (key, output).
        let run = |op: &str, key: &str, sig: &str| {
            let mut args: Vec<&str> = Vec::new();
            match algorithm {
                "ed25519" if op == "-verify" => args.extend([
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    key,
                    "-rawin",
                    "-in",
                    "payload.json",
                    "-sigfile",
                    sig,
                ]),
                "ed25519" => args.extend([
                    "pkeyutl",
                    "-sign",
                    "-inkey",
                    key,
                    "-rawin",
                    "-in",
                    "payload.json",
                    "-out",
                    sig,
                ]),
                _ => {
                    args.extend([
                        "dgst",
                        if algorithm == "p384" {
                            "-sha384"
                        } else {
                            "-sha256"
                        },
                        op,
                        key,
                    ]);
                    if algorithm.starts_with("rsa") {
                        args.extend(pss);
                    }
                    args.extend(if op == "-verify" {
                        ["-signature", sig, "payload.json"]
                    } else {
                        ["-out", sig, "payload.json"]
                    });
                }
            }
            openssl(&args, &dir)
        };
        // 1. openssl verifies vouch's signature.
        let verify = run("-verify", "keys/public-key.pem", "vouch.sig");
        assert!(
            verify.status.success(),
            "openssl rejected vouch's {algorithm} signature: {}{}",
            String::from_utf8_lossy(&verify.stdout),
            String::from_utf8_lossy(&verify.stderr)
        );
        // 2. vouch verifies openssl's signature (made with the key vouch generated).
        assert!(
            run("-sign", "keys/private-key.pem", "openssl.sig")
                .status
                .success()
        );
        let openssl_sig = std::fs::read(dir.join("openssl.sig")).unwrap();
        let mut theirs = occurrence.clone();
        theirs["attestation"]["signatures"][0]["signature"] = b64.encode(&openssl_sig).into();
        std::fs::write(dir.join("openssl-occurrence.json"), theirs.to_string()).unwrap();
        let attestor = ok(&vouch_in(
            &dir,
            &[
                "attestor",
                "--name",
                "projects/example-project/attestors/built-by-ci",
                "--note",
                "projects/example-project/notes/built-by-ci",
                "--public-key",
                "keys/public-key.pem",
                "--algorithm",
                algorithm,
            ],
        ));
        std::fs::write(dir.join("attestor.json"), attestor).unwrap();
        policy(&dir);
        let decision: serde_json::Value =
            serde_json::from_str(&ok(&evaluate(&dir, &image, "openssl-occurrence.json"))).unwrap();
        assert_eq!(
            decision["verdict"], "ALLOW",
            "vouch rejected openssl's {algorithm} signature"
        );
    }
}

/// A key made by `openssl ecparam -genkey` (SEC1, as Google's guide shows) signs too.
#[test]
fn sec1_keys_from_openssl_sign() {
    let dir = tempdir("sec1");
    assert!(
        openssl(
            &[
                "ecparam",
                "-genkey",
                "-name",
                "prime256v1",
                "-noout",
                "-out",
                "ec.pem"
            ],
            &dir
        )
        .status
        .success()
    );
    let image = format!("{REPO}@{DIGEST}");
    let out = ok(&vouch_in(
        &dir,
        &[
            "sign",
            "--image",
            &image,
            "--key",
            "ec.pem",
            "--attestor",
            "projects/p/attestors/a",
        ],
    ));
    assert!(out.contains("\"noteName\": \"projects/p/notes/a\""));
}

#[test]
fn payload_bytes_match_the_vector() {
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("testdata/vectors/payload/001-gcloud-format-digest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let out = vouch_in(
        &root(),
        &["payload", "--image", vector["image"].as_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0));
    let expected = base64::engine::general_purpose::STANDARD
        .decode(vector["expectPayloadBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(out.stdout, expected);
    let tag_only = vouch_in(&root(), &["payload", "--image", "gcr.io/p/app:1.0"]);
    assert_eq!(tag_only.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&tag_only.stderr).contains("REQUEST_NOT_DIGEST_PINNED"));
}

/// `vouch payload --pae` prints the bytes `--pae` signatures sign (gcloud's `PaeEncode` with
/// the default DSSE type; differential/test_gcloud_payload.py checks them against gcloud).
#[test]
fn payload_pae_is_the_dsse_encoding_of_the_payload() {
    let vector: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("testdata/vectors/payload/001-gcloud-format-digest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let image = vector["image"].as_str().unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(vector["expectPayloadBase64"].as_str().unwrap())
        .unwrap();
    let out = vouch_in(&root(), &["payload", "--image", image, "--pae"]);
    assert_eq!(out.status.code(), Some(0));
    let dsse_type = "application/vnd.dev.cosign.simplesigning.v1+json";
    let mut expected =
        format!("DSSEv1 {} {dsse_type} {} ", dsse_type.len(), payload.len()).into_bytes();
    expected.extend_from_slice(&payload);
    assert_eq!(out.stdout, expected);
    let tag_only = vouch_in(
        &root(),
        &["payload", "--image", "gcr.io/p/app:1.0", "--pae"],
    );
    assert_eq!(tag_only.status.code(), Some(2));
}

/// `testdata/vectors/sign/`: `vouch sign` prints each vector's `expectOccurrence` (serde_json's pretty
/// form, keys sorted), or fails with its `expectError` code and path. The core and Python
/// runners check the same files.
#[test]
fn sign_vectors_are_what_the_cli_prints() {
    let r = root();
    let mut dir: Vec<_> = std::fs::read_dir(r.join("testdata/vectors/sign"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dir.sort();
    assert!(dir.len() >= 10);
    for path in dir {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let field = |name: &str| case[name].as_str().unwrap().to_owned();
        let key = r.join("testdata/keys").join(field("key"));
        let mut args = vec![
            "sign".to_owned(),
            "--image".into(),
            field("image"),
            "--key".into(),
            key.display().to_string(),
            "--attestor".into(),
            field("attestor"),
        ];
        for (name, flag) in [("note", "--note"), ("keyId", "--key-id")] {
            if case.get(name).is_some() {
                args.extend([flag.to_owned(), field(name)]);
            }
        }
        if case["pae"] == true {
            args.push("--pae".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = vouch_in(&r, &args);
        let name = path.file_name().unwrap().to_string_lossy();
        if let Some(expected) = case.get("expectError") {
            assert_eq!(o.status.code(), Some(2), "{name}");
            let stderr = String::from_utf8_lossy(&o.stderr);
            let code_at = format!(
                "{} at {}:",
                expected["code"].as_str().unwrap(),
                expected["path"].as_str().unwrap()
            );
            assert!(stderr.contains(&code_at), "{name}: {stderr}");
        } else {
            let mut pretty = serde_json::to_string_pretty(&case["expectOccurrence"]).unwrap();
            pretty.push('\n');
            assert_eq!(ok(&o), pretty, "{name}");
        }
    }
}

#[test]
fn keygen_never_overwrites_and_hides_the_private_key() {
    let dir = tempdir("keygen");
    let first = ok(&vouch_in(
        &dir,
        &["keygen", "--algorithm", "p256", "--out-dir", "k"],
    ));
    assert!(!first.contains("PRIVATE KEY"), "{first}");
    let before = std::fs::read(dir.join("k/private-key.pem")).unwrap();
    let again = vouch_in(
        &dir,
        &[
            "keygen",
            "--algorithm",
            "ed25519",
            "--out-dir",
            "k",
            "--json",
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("INPUT_FILE_EXISTS"));
    assert_eq!(
        std::fs::read(dir.join("k/private-key.pem")).unwrap(),
        before
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.join("k/private-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A bad key file is reported without echoing its contents.
    std::fs::write(
        dir.join("bad.pem"),
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXN0dWZm\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    let o = vouch_in(
        &dir,
        &[
            "sign",
            "--image",
            &format!("{REPO}@{DIGEST}"),
            "--key",
            "bad.pem",
            "--attestor",
            "projects/p/attestors/a",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("INPUT_INVALID_PRIVATE_KEY") && !err.contains("c2VjcmV0"),
        "{err}"
    );
}

#[test]
fn attestor_refuses_a_mismatched_algorithm() {
    let dir = tempdir("attestor-mismatch");
    ok(&vouch_in(
        &dir,
        &["keygen", "--algorithm", "p256", "--out-dir", "k"],
    ));
    let o = vouch_in(
        &dir,
        &[
            "attestor",
            "--name",
            "projects/p/attestors/a",
            "--note",
            "projects/p/notes/a",
            "--public-key",
            "k/public-key.pem",
            "--algorithm",
            "ED25519",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ATTESTOR_ALGORITHM_MISMATCH"));
}

#[test]
fn policy_lint_exit_codes() {
    let r = root();
    let o = vouch_in(
        &r,
        &[
            "policy",
            "lint",
            "examples/policy.yaml",
            "--attestors",
            "examples/attestors.json",
        ],
    );
    let text = ok(&o);
    assert!(
        text.contains("warning: DRY_RUN_RULE") && text.contains("fix: "),
        "{text}"
    );
    let o = vouch_in(
        &r,
        &["policy", "lint", "examples/policy.yaml", "--deny-warnings"],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = vouch_in(
        &r,
        &[
            "policy",
            "lint",
            "examples/policy-invalid.yaml",
            "--output",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"][0]["code"], "POLICY_INVALID_PATTERN");
    assert_eq!(
        v["errors"][0]["path"],
        "/admissionWhitelistPatterns/0/namePattern"
    );
}

#[test]
fn check_reports_every_container_of_the_examples() {
    let r = root();
    // The manifests by name: `examples` also holds the policy and the attestors, which
    // `kubectl apply -f examples` refuses (no `kind`), and so does `vouch check` (below).
    let args = [
        "check",
        "examples/deployment-break-glass.yaml",
        "examples/deployment-candidate.yaml",
        "examples/deployment.yaml",
        "--policy",
        "examples/policy.yaml",
        "--attestors",
        "examples/attestors.json",
        "--attestations",
        "examples/attestations.json",
        "--cluster",
        "us-central1-a.prod-cluster",
        "--now",
        "2026-11-23T10:00:00Z",
    ];
    let o = vouch_in(&r, &args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the candidate deployment is denied"
    );
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.starts_with("FILE"), "{table}");
    assert!(table.contains("tag-only image: pin it by digest"));
    assert!(table.contains("admitted by break-glass"));
    let mut json_args = args.to_vec();
    json_args.extend(["--output", "json"]);
    let o = vouch_in(&r, &json_args);
    let rows: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 9, "3 deployments × 3 containers");
    let denied: Vec<_> = rows
        .iter()
        .filter(|r| r["verdict"] == "DENY")
        .map(|r| r["container"].clone())
        .collect();
    assert_eq!(denied, ["migrate", "web", "netshoot"]);
    let mut folder_args = args.to_vec();
    folder_args.drain(1..4);
    folder_args.insert(1, "examples");
    let o = vouch_in(&r, &folder_args);
    assert_eq!(o.status.code(), Some(2), "the policy is not a manifest");
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        table.contains("examples/policy.yaml") && table.contains("REQUEST_MISSING_FIELD at /kind"),
        "{table}"
    );
    assert!(
        table.contains("9 containers: 1 workload denied, 5 errors, 5 skipped"),
        "{table}"
    );
    // A manifest folder with a broken file: reported, exit 2.
    let dir = tempdir("check-broken");
    std::fs::write(dir.join("ok.yaml"), "kind: Service\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: 'gcr.io/example-project/debug-tools/x:1'}\n").unwrap();
    std::fs::write(dir.join("broken.yaml"), "kind: Pod\nspec: [\n").unwrap();
    let policy = r.join("examples/policy.yaml");
    let attestors = r.join("examples/attestors.json");
    let o = vouch_in(
        &dir,
        &[
            "check",
            ".",
            "--policy",
            policy.to_str().unwrap(),
            "--attestors",
            attestors.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("ERROR") && out.contains("INPUT_SYNTAX") && out.contains("Pod/p"),
        "{out}"
    );
}
