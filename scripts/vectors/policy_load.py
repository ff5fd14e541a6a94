"""The policy_load group: policies the loader refuses."""

from .builders import *  # noqa: F401,F403


def policy_error_cases():
    g = "policy_load"
    img1 = images("gcr.io/p/app:1")

    def bad(name, description, pol, code, path, **kw):
        vec(g, name, description, pol, img1, error=err(code, path), **kw)

    def with_(**changes):
        p = policy(rule("ALWAYS_ALLOW"))
        p.update(changes)
        return p

    bad(
        "001-unknown-field",
        "unknown fields are rejected",
        with_(bogus=1),
        "POLICY_UNKNOWN_FIELD",
        "/policy/bogus",
    )
    bad(
        "002-unknown-field-in-rule",
        "unknown fields in a rule",
        with_(defaultAdmissionRule={**rule("ALWAYS_ALLOW"), "mode": 1}),
        "POLICY_UNKNOWN_FIELD",
        "/policy/defaultAdmissionRule/mode",
    )
    p = with_()
    del p["defaultAdmissionRule"]
    bad(
        "003-missing-default-rule",
        "defaultAdmissionRule is required",
        p,
        "POLICY_MISSING_FIELD",
        "/policy/defaultAdmissionRule",
    )
    bad(
        "004-missing-enforcement-mode",
        "enforcementMode is required",
        with_(defaultAdmissionRule={"evaluationMode": "ALWAYS_ALLOW"}),
        "POLICY_MISSING_FIELD",
        "/policy/defaultAdmissionRule/enforcementMode",
    )
    bad(
        "005-unknown-evaluation-mode",
        "enum values are checked",
        with_(defaultAdmissionRule=rule("SOMETIMES")),
        "POLICY_INVALID_VALUE",
        "/policy/defaultAdmissionRule/evaluationMode",
    )
    bad(
        "006-unspecified-evaluation-mode",
        "§1.7: UNSPECIFIED is invalid",
        with_(defaultAdmissionRule=rule("EVALUATION_MODE_UNSPECIFIED")),
        "POLICY_MODE_UNSPECIFIED",
        "/policy/defaultAdmissionRule/evaluationMode",
    )
    bad(
        "007-unspecified-enforcement-mode",
        "§1.7",
        with_(
            clusterAdmissionRules={
                "us-east1.c": rule("ALWAYS_DENY", "ENFORCEMENT_MODE_UNSPECIFIED")
            }
        ),
        "POLICY_MODE_UNSPECIFIED",
        "/policy/clusterAdmissionRules/us-east1.c/enforcementMode",
    )
    bad(
        "008-unknown-global-mode",
        "globalPolicyEvaluationMode values are checked",
        with_(globalPolicyEvaluationMode="MAYBE"),
        "POLICY_INVALID_VALUE",
        "/policy/globalPolicyEvaluationMode",
    )
    bad(
        "009-require-attestation-without-attestors",
        "§1.7",
        with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION")),
        "POLICY_ATTESTORS_REQUIRED",
        "/policy/defaultAdmissionRule/requireAttestationsBy",
    )
    bad(
        "010-attestors-without-require-attestation",
        "§1.7",
        with_(defaultAdmissionRule=rule("ALWAYS_DENY", ENF, [CI])),
        "POLICY_ATTESTORS_NOT_ALLOWED",
        "/policy/defaultAdmissionRule/requireAttestationsBy",
    )
    bad(
        "011-attestor-name-format",
        "§1.7: projects/*/attestors/*",
        with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION", ENF, ["built-by-ci"])),
        "POLICY_INVALID_ATTESTOR_NAME",
        "/policy/defaultAdmissionRule/requireAttestationsBy/0",
    )
    bad(
        "012-duplicate-attestor-in-rule",
        "the same attestor twice in one rule",
        with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION", ENF, [CI, CI])),
        "POLICY_DUPLICATE_ATTESTOR",
        "/policy/defaultAdmissionRule/requireAttestationsBy/1",
        attestors=[ci_attestor()],
    )
    bad(
        "013-attestor-not-supplied",
        "every required attestor must be supplied",
        with_(
            kubernetesNamespaceAdmissionRules={"prod": rule("REQUIRE_ATTESTATION", ENF, [CI, QA])}
        ),
        "POLICY_UNKNOWN_ATTESTOR",
        "/policy/kubernetesNamespaceAdmissionRules/prod/requireAttestationsBy/1",
        attestors=[ci_attestor()],
    )
    for name, pattern in [
        ("inner-wildcard", "gcr.io/example-project/n*x"),
        ("wildcard-in-registry", "gcr.i*"),
        ("lone-star", "*"),
        ("triple-star", "gcr.io/p/***"),
        ("empty", ""),
        ("whitespace", "gcr.io/p/a b"),
    ]:
        bad(
            "pattern-" + name,
            "A-3: " + name,
            with_(
                admissionWhitelistPatterns=[
                    {"namePattern": "gcr.io/ok/*"},
                    {"namePattern": pattern},
                ]
            ),
            "POLICY_INVALID_PATTERN",
            "/policy/admissionWhitelistPatterns/1/namePattern",
        )
    bad(
        "020-pattern-entry-unknown-field",
        "allowlist entries are {namePattern}",
        with_(admissionWhitelistPatterns=[{"pattern": "gcr.io/ok/*"}]),
        "POLICY_UNKNOWN_FIELD",
        "/policy/admissionWhitelistPatterns/0/pattern",
    )
    bad(
        "021-patterns-wrong-type",
        "admissionWhitelistPatterns must be a list",
        with_(admissionWhitelistPatterns="gcr.io/ok/*"),
        "POLICY_INVALID_TYPE",
        "/policy/admissionWhitelistPatterns",
    )
    bad(
        "022-cluster-key-without-location",
        "§1.4: LOCATION.NAME",
        with_(clusterAdmissionRules={"prod-cluster": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY",
        "/policy/clusterAdmissionRules/prod-cluster",
    )
    bad(
        "023-namespace-key-uppercase",
        "A-7: DNS-1123 labels",
        with_(kubernetesNamespaceAdmissionRules={"Prod": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY",
        "/policy/kubernetesNamespaceAdmissionRules/Prod",
    )
    bad(
        "024-service-account-key-without-colon",
        "§1.4: NAMESPACE:SERVICE_ACCOUNT",
        with_(kubernetesServiceAccountAdmissionRules={"deployer": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY",
        "/policy/kubernetesServiceAccountAdmissionRules/deployer",
    )
    bad(
        "025-istio-key-malformed",
        "§1.4: [spiffe://]DOMAIN/ns/NS/sa/SA",
        with_(istioServiceIdentityAdmissionRules={"spiffe://d/ns/a": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY",
        "/policy/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a",
    )
    bad(
        "026-istio-keys-same-identity",
        "`spiffe://X` and `X` name the same identity",
        with_(
            istioServiceIdentityAdmissionRules={
                "spiffe://d/ns/a/sa/b": rule("ALWAYS_DENY"),
                "d/ns/a/sa/b": rule("ALWAYS_ALLOW"),
            }
        ),
        "POLICY_DUPLICATE_RULE_KEY",
        "/policy/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a~1sa~1b",
    )
    bad("027-policy-not-object", "a policy is an object", ["x"], "POLICY_INVALID_TYPE", "/policy")
    bad(
        "028-yaml-syntax-error",
        "YAML errors name the member",
        "defaultAdmissionRule: [\n",
        "INPUT_SYNTAX",
        "/policy",
    )
    bad(
        "029-yaml-duplicate-key",
        "duplicate keys are rejected with their path",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  evaluationMode: ALWAYS_DENY\n "
        " enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        "INPUT_DUPLICATE_KEY",
        "/policy/defaultAdmissionRule/evaluationMode",
    )
    bad(
        "030-yaml-error-path-inside-string",
        "paths continue into an embedded YAML policy",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode:"
        " ENFORCED_BLOCK_AND_AUDIT_LOG\nadmissionWhitelistPatterns:\n- namePattern:"
        " 'gcr.io/p/n*x'\n",
        "POLICY_INVALID_PATTERN",
        "/policy/admissionWhitelistPatterns/0/namePattern",
    )
    bomb = "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        "a%d: &a%d [%s]\n" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 12)
    )
    bad(
        "031-yaml-alias-bomb",
        "a billion-laughs document is rejected by the alias budget",
        bomb,
        "INPUT_ALIAS_LIMIT",
        "/policy",
    )
    bad(
        "032-deep-nesting",
        "nesting beyond the limit is rejected",
        "[" * 5000 + "]" * 5000,
        "INPUT_TOO_DEEP",
        "/policy",
    )
    bad(
        "033-system-policy-invalid-pattern",
        "the system policy is validated like the allowlist",
        policy(rule("ALWAYS_ALLOW"), gmode="ENABLE"),
        "POLICY_INVALID_PATTERN",
        "/systemPolicy/admissionWhitelistPatterns/0/namePattern",
        system={"admissionWhitelistPatterns": [{"namePattern": "gke.gcr.i*"}]},
    )
    bad(
        "034-system-policy-unknown-field",
        "unknown system policy fields are rejected",
        policy(rule("ALWAYS_ALLOW")),
        "POLICY_UNKNOWN_FIELD",
        "/systemPolicy/patterns",
        system={"patterns": []},
    )
    # gcloud's `policy import` refuses a null enum: vouch does not load what gcloud cannot import
    # (differential/test_gcloud_policy.py).
    bad(
        "035-global-mode-null",
        "`globalPolicyEvaluationMode` may be absent, not null (gcloud refuses a null enum)",
        with_(globalPolicyEvaluationMode=None),
        "POLICY_INVALID_TYPE",
        "/policy/globalPolicyEvaluationMode",
    )
    # YAML 1.1 readers (gcloud's ruamel.yaml) read these plain scalars otherwise than vouch's
    # YAML 1.2.
    yaml_base = (
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode:"
        " ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    )
    ns_rule = (
        "kubernetesNamespaceAdmissionRules:\n  %s:\n    evaluationMode: ALWAYS_DENY\n   "
        " enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    )
    bad(
        "036-yaml-key-on",
        "a plain key `on` is namespace `true` once gcloud imports it: refused, quote it",
        yaml_base + ns_rule % "on",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/kubernetesNamespaceAdmissionRules/on",
    )
    bad(
        "037-yaml-key-legacy-octal",
        "a plain key `017` is 15 to YAML 1.1, 17 to YAML 1.2: refused",
        yaml_base + ns_rule % "017",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/kubernetesNamespaceAdmissionRules/017",
    )
    bad(
        "038-yaml-key-0o-octal",
        "a plain key `0o17` is 15 to YAML 1.2, the string `0o17` to YAML 1.1: refused",
        yaml_base + ns_rule % "0o17",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/kubernetesNamespaceAdmissionRules/0o17",
    )
    bad(
        "039-yaml-value-yes",
        "`namePattern: yes` is a boolean to YAML 1.1 (gcloud refuses the policy): refused",
        yaml_base + "admissionWhitelistPatterns:\n- namePattern: yes\n",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/admissionWhitelistPatterns/0/namePattern",
    )
    bad(
        "040-yaml-value-timestamp",
        "`description: 2026-01-01` is a date to YAML 1.1 (gcloud refuses the policy): refused",
        yaml_base + "description: 2026-01-01\n",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/description",
    )
    bad(
        "041-yaml-value-sexagesimal",
        "`description: 1:30` is ninety to YAML 1.1: refused",
        yaml_base + "description: 1:30\n",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/description",
    )
    bad(
        "042-yaml-binary-tag",
        "gcloud cannot import a `!!binary` value: refused",
        yaml_base + "description: !!binary aGVsbG8=\n",
        "POLICY_YAML_AMBIGUOUS",
        "/policy/description",
    )


def cases():
    policy_error_cases()


# The stable names of the policy_load cases built in loops above (their file names).
stable_names(
    "policy_load",
    [
        "014-pattern-inner-wildcard",
        "015-pattern-wildcard-in-registry",
        "016-pattern-lone-star",
        "017-pattern-triple-star",
        "018-pattern-empty",
        "019-pattern-whitespace",
    ],
)
