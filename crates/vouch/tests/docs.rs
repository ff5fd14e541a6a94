//! Documentation that is generated from the code stays true: `docs/errors.md` lists every error
//! code (the library's here, the command line's own in `vouch-cli`'s test), and `docs/limits.md` states every default budget. `VOUCH_BLESS=1` rewrites errors.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;

use vouch::{ErrorCode, Limits};

fn docs(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs")
        .join(name)
}

fn render_errors() -> String {
    let mut out = String::from(
        "# Error codes\n\n\
         Generated from `vouch::ErrorCode` by `crates/vouch/tests/docs.rs` \
         (`VOUCH_BLESS=1 cargo test -p vouch --test docs` rewrites it); the last section from the\n\
         command line's own codes by `crates/vouch-cli/src/failure.rs` \
         (`VOUCH_BLESS=1 cargo test -p vouch-cli errors_md`).\n\n\
         Every configuration error is `{\"error\": {\"code\", \"path\", \"message\"}}`: `code` is one of\n\
         the stable strings below, `path` is a JSON pointer (see \"Paths\"), and `message` is for\n\
         people. Codes never change meaning; new ones may be added. Problems with *evidence*\n\
         (attestations) are never errors: they are reasons in the decision (see `docs/formats.md`).\n\n\
         ## Paths and subjects\n\n\
         Every error also has a *subject*, the input it is about (`vouch::Subject`; not part of the\n\
         JSON above, which the contract fixes): set by the loader that read that input, whatever the\n\
         code (an `INPUT_SYNTAX` in an attestor's text is about the attestors).\n\n\
         The rule, the same in every front end: **`path` points into the document the caller passed**.\n\
         A policy, system policy, attestor (or list of attestors), attestations or request loaded on\n\
         its own has paths into that document. A bundle, or either half of one (the configuration\n\
         half `policy`, `attestors`, `systemPolicy`; the per-request half `request`, `attestations`,\n\
         `now`, `options`), has paths into the bundle: the subject's member followed by the path in\n\
         the member's document (`/policy` + `/defaultAdmissionRule`), continuing into an embedded YAML\n\
         or JSON string and, for a list of attestors or attestations, after the element's index\n\
         (`/attestors/1` + `/name`). Per-request evaluation (Python's `Evaluator.evaluate`, the\n\
         WebAssembly `Evaluator.evaluate`) reads the per-request half, so its paths are\n\
         `/request/images/0`, `/attestations/3/…`. The vector runners check this rule for every error\n\
         vector against the per-object loaders.\n\n\
         | subject | member | what |\n|---|---|---|\n",
    );
    for subject in vouch::Subject::ALL {
        let what = match subject {
            vouch::Subject::Policy => "the project policy",
            vouch::Subject::SystemPolicy => "the system policy",
            vouch::Subject::Attestors => "an attestor, or the set of attestors",
            vouch::Subject::Request => "the request (images or workload, target)",
            vouch::Subject::Attestations => "the attestation occurrences",
            vouch::Subject::Bundle => "the bundle itself (shape, `now`, `options`)",
            vouch::Subject::Key => "a private key to sign with (no bundle member)",
            vouch::Subject::Trust => {
                "trust material for supply-chain evidence: keys, Rekor keys (`vouch evidence inspect --keys`)"
            }
            vouch::Subject::PlatformPolicy => {
                "a GKE platform policy (`vouch platform evaluate --policy`, `vouch cv --policy`)"
            }
            vouch::Subject::ClusterConfig => {
                "a cluster's `binaryAuthorization` block (`--cluster-config`)"
            }
            vouch::Subject::CloudRunPolicies => {
                "a Cloud Run platform policy, `PLATFORM_*` codes (`--cloud-run-policy`; in a bundle, the list's index comes first: `/cloudRunPolicies/0/…`)"
            }
            _ => "",
        };
        let member = match subject.member() {
            "" => "—".to_owned(),
            m => format!("`{m}`"),
        };
        out.push_str(&format!("| `{}` | {member} | {what} |\n", subject.as_str()));
    }
    let mut family = "";
    for code in ErrorCode::ALL {
        let prefix = code.as_str().split('_').next().unwrap_or_default();
        if prefix != family {
            family = prefix;
            let title = match prefix {
                "INPUT" => "Input: syntax, encoding, size and budgets",
                "POLICY" => "Policy and system policy",
                "ATTESTOR" => "Attestors",
                "REQUEST" => "Request and workload",
                "BUNDLE" => "Bundle",
                "PLATFORM" => "GKE platform policies",
                "CLUSTER" => "Cluster configuration",
                _ => prefix,
            };
            out.push_str(&format!("\n## {title}\n\n| code | meaning |\n|---|---|\n"));
        }
        out.push_str(&format!(
            "| `{}` | {} |\n",
            code.as_str(),
            code.description()
        ));
    }
    out
}

/// The codes of `vouch evidence inspect`'s report items (not errors: an item's status and why).
fn render_evidence_codes() -> String {
    let mut out = String::from(
        "\n## Evidence report codes\n\n\
         Not errors: each item of an evidence report (`vouch evidence inspect`, \
         `vouch::inspect_evidence`) has a status and one of these codes; attestation items use the \
         decision's detail codes (`BAD_SIGNATURE`, `MALFORMED_ATTESTATION`, …, see \
         `semantics.md`).\n\n| code | meaning |\n|---|---|\n",
    );
    for (code, meaning) in vouch::evidence_codes() {
        out.push_str(&format!("| `{code}` | {meaning} |\n"));
    }
    out
}

/// The detail codes of platform-policy check results (not errors: why a check concluded).
fn render_platform_detail_codes() -> String {
    let mut out = String::from(
        "\n## Platform-policy detail codes\n\n\
         Not errors: each evaluated check of a platform-policy result (`vouch::evaluate_platform`) \
         carries these codes in its `details` (vouch's extension beside GCP's `explanation`; see \
         `semantics.md`, \"Platform policies\").\n\n| code | meaning |\n|---|---|\n",
    );
    for (code, meaning) in vouch::platform_detail_codes() {
        out.push_str(&format!("| `{code}` | {meaning} |\n"));
    }
    out
}

/// The section that closes `docs/errors.md`: the codes only the command line produces, kept
/// here as written and checked by `vouch-cli`'s test (`crates/vouch-cli/src/failure.rs`).
const CLI_SECTION: &str = "\n## Command line only\n";

#[test]
fn errors_md_lists_every_code() {
    let path = docs("errors.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let cli = current
        .split_once(CLI_SECTION)
        .map(|(_, rest)| format!("{CLI_SECTION}{rest}"))
        .unwrap_or_default();
    let rendered =
        render_errors() + &render_evidence_codes() + &render_platform_detail_codes() + &cli;
    if std::env::var_os("VOUCH_BLESS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rendered,
        "docs/errors.md is stale: rerun with VOUCH_BLESS=1"
    );
}

fn render_lint() -> String {
    let mut out = String::from(
        "# Policy lint warnings\n\n\
         Generated from `vouch::WarningCode` by `crates/vouch/tests/docs.rs` \
         (`VOUCH_BLESS=1 cargo test -p vouch --test docs` rewrites it).\n\n\
         `vouch policy lint FILE [--attestors FILE]... [--platform gke|cloud-run] [--deny-warnings]\n\
         [--output text|json]` validates a\n\
         policy (errors exit 2, see `errors.md`) and reports valid policies that probably do not do what\n\
         their authors meant. Each warning has a stable code, the JSON pointer of the field, a message and\n\
         a one-line fix; `--deny-warnings` makes warnings exit 1. The JSON output (also what the\n\
         WebAssembly `validatePolicy` returns) is `{\"ok\", \"errors\": [{code, path, message}],\n\
         \"warnings\": [{code, path, message, fix}]}`. `testdata/vectors/lint/` has a vector for each code.\n\n\
         A GKE platform policy (a document with `gkePolicy`) is validated and linted as one (its codes\n\
         start with `PLATFORM_`; the pattern codes apply to its `allowPattern`s too). A platform policy\n\
         that writes a list where one message belongs is invalid (`PLATFORM_LIST_FOR_MESSAGE`, exit 2),\n\
         but lint still gives the message to write, and lints the policy as if it were fixed. A check set\n\
         that an earlier set hides is not a warning: validation refuses every such order.\n\
         `--canonical` prints a valid policy in canonical form instead of the warnings: a platform\n\
         policy as gcloud reads it (lists as lists, integers as numbers, schema field order), a project\n\
         policy as its JSON document.\n\n\
         ## Platforms\n\n\
         `--platform gke` (the default) lints a project policy for GKE, where every rule can apply.\n\
         `--platform cloud-run` (Rust `lint_with`/`validate_policy_with` with `LintPlatform::CloudRun`,\n\
         Python `validate_policy(..., platform=\"cloud-run\")`, WebAssembly\n\
         `validatePolicy(policy, attestors, {platform: 'cloud-run'})`, a lint vector's `platform`) lints\n\
         it as Cloud Run applies it with `--binary-authorization=default` (decision R-3, semantics §9):\n\
         only the default rule, the allowlist and the system policy. It adds the `CLOUD_RUN_*` warnings\n\
         below: each cluster, namespace, service-account and Istio-identity rule is\n\
         `CLOUD_RUN_RULE_IGNORED` (at the rule's pointer), a default rule requiring attestations without\n\
         the source-deploy exemption (semantics §9.4) is `CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT`. The GKE\n\
         warnings about the ignored rules (`RULE_WEAKER_THAN_DEFAULT`, their `DRY_RUN_RULE`,\n\
         `SEVERAL_RULE_MAPS`, the attestor checks of attestors only they require) are not given: Cloud\n\
         Run never applies those rules, and one warning per rule says so. `GLOBAL_POLICY_MODE_UNSPECIFIED`\n\
         then counts the default rule only. The allowlist and default-rule warnings are the same on both\n\
         platforms. Order: global mode, allowlist, default rule, source-deploy exemption, ignored rules\n\
         (each map in field order, keys sorted), attestors. A GKE platform policy\n\
         linted for Cloud Run gets `CLOUD_RUN_GKE_POLICY_NOT_APPLIED` before its own warnings. A Cloud Run\n\
         platform policy (a document with `cloudRunPolicy`, semantics §9.5) is linted as Cloud Run\n\
         applies it, whatever `--platform` says: its `allowlistPatterns` get the pattern warnings, its\n\
         `rule` the default rule's (`DRY_RUN_RULE`, `CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT`, with the\n\
         project of its `name`), its inline attestors `ATTESTOR_WITHOUT_KEYS` and\n\
         `ATTESTOR_NOT_ACCEPTED_BY_GCP`, at pointers into the document's canonical form\n\
         (`/cloudRunPolicy/rule/requiredAttestors/0`); it has no system policy, so no\n\
         `GLOBAL_POLICY_MODE_UNSPECIFIED`; `--canonical` prints it as gcloud reads it. The project policy is one per project:\n\
         when it serves GKE clusters and Cloud Run alike, lint it for each platform.\n\n\
         | code | meaning |\n|---|---|\n",
    );
    for code in vouch::WarningCode::ALL {
        out.push_str(&format!(
            "| `{}` | {} |\n",
            code.as_str(),
            code.description()
        ));
    }
    out
}

#[test]
fn lint_md_lists_every_warning() {
    let path = docs("lint.md");
    let rendered = render_lint();
    if std::env::var_os("VOUCH_BLESS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rendered,
        "docs/lint.md is stale: rerun with VOUCH_BLESS=1"
    );
}

#[test]
fn limits_md_states_every_default() {
    let text = std::fs::read_to_string(docs("limits.md")).unwrap();
    let l = Limits::DEFAULT;
    for (name, value) in [
        ("max_input_bytes", l.max_input_bytes),
        ("max_depth", l.max_depth),
        ("max_yaml_aliases", l.max_yaml_aliases),
        ("max_yaml_alias_events", l.max_yaml_alias_events),
        ("max_patterns", l.max_patterns),
        ("max_rules", l.max_rules),
        ("max_attestor_refs", l.max_attestor_refs),
        ("max_attestors", l.max_attestors),
        ("max_keys_per_attestor", l.max_keys_per_attestor),
        ("max_occurrences", l.max_occurrences),
        ("max_trusted_keys", l.max_trusted_keys),
        (
            "max_signatures_per_occurrence",
            l.max_signatures_per_occurrence,
        ),
        ("max_images", l.max_images),
        ("max_platform_check_sets", l.max_platform_check_sets),
        ("max_platform_checks_per_set", l.max_platform_checks_per_set),
        ("max_platform_patterns", l.max_platform_patterns),
        ("max_platform_keys", l.max_platform_keys),
        (
            "max_verification_units_per_attestor_image",
            l.max_verification_units_per_attestor_image,
        ),
        (
            "max_verification_units_per_decision",
            l.max_verification_units_per_decision,
        ),
        (
            "max_verification_units_per_inspection",
            l.max_verification_units_per_inspection,
        ),
    ] {
        let row = format!("| `{name}` | {value} |");
        assert!(text.contains(&row), "docs/limits.md lacks the row `{row}`");
    }
}

#[test]
fn limits_md_states_the_pgp_decompression_limit() {
    let text = std::fs::read_to_string(docs("limits.md")).unwrap();
    let row = format!(
        "| `vouch::MAX_PGP_DECOMPRESSED_BYTES` | {} (1 MiB) |",
        vouch::MAX_PGP_DECOMPRESSED_BYTES
    );
    assert!(text.contains(&row), "docs/limits.md lacks the row `{row}`");
}
