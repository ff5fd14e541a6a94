"""The lint suite (toolkit): policy lint warnings."""

from .builders import *  # noqa: F401,F403


def lint_case(name, description, policy_, warnings=(), attestors=None, error=None):
    case = {"description": description, "policy": policy_}
    if attestors is not None:
        case["attestors"] = attestors
    if error is not None:
        case["expectError"] = error
    else:
        case["expectWarnings"] = [{"code": c, "path": p} for c, p in warnings]
    add("lint", name, case)


def lint_cases():
    clean = policy(rule("ALWAYS_DENY"), gmode="ENABLE")
    lint_case("001-clean-policy", "a strict policy with nothing to warn about", clean)
    lint_case(
        "002-always-allow-namespace-under-strict-default",
        "an ALWAYS_ALLOW namespace rule while the default requires attestations",
        require(CI, gmode="ENABLE", ns={"dev": rule("ALWAYS_ALLOW")}),
        [("RULE_WEAKER_THAN_DEFAULT", "/kubernetesNamespaceAdmissionRules/dev/evaluationMode")],
    )
    lint_case(
        "003-always-allow-service-account",
        "an ALWAYS_ALLOW service-account rule while the default denies",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE", sa={"ci:deployer": rule("ALWAYS_ALLOW")}),
        [
            (
                "RULE_WEAKER_THAN_DEFAULT",
                "/kubernetesServiceAccountAdmissionRules/ci:deployer/evaluationMode",
            )
        ],
    )
    lint_case(
        "004-always-allow-cluster",
        "an ALWAYS_ALLOW cluster rule while the default denies",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE", cluster={"us-east1.dev": rule("ALWAYS_ALLOW")}),
        [("RULE_WEAKER_THAN_DEFAULT", "/clusterAdmissionRules/us-east1.dev/evaluationMode")],
    )
    lint_case(
        "005-double-star-lookalike",
        "`gcr.io/my-project**` also covers gcr.io/my-project-evil/…",
        policy(
            rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gcr.io/my-project**", "gcr.io/other/**"]
        ),
        [("PATTERN_COVERS_LOOKALIKES", "/admissionWhitelistPatterns/0/namePattern")],
    )
    lint_case(
        "006-pattern-pinned-by-tag",
        "allowlist entries that trust tags",
        policy(
            rule("ALWAYS_DENY"),
            gmode="ENABLE",
            patterns=["gcr.io/p/app:1.0", "gcr.io/p/app@" + DIG_A, "gcr.io/p/tool:v1.*"],
        ),
        [
            ("PATTERN_PINNED_BY_TAG", "/admissionWhitelistPatterns/0/namePattern"),
            ("PATTERN_PINNED_BY_TAG", "/admissionWhitelistPatterns/2/namePattern"),
        ],
    )
    lint_case(
        "007-pattern-misses-short-names",
        "`docker.io/library/redis*` never matches workloads that say `redis`",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["docker.io/library/redis*"]),
        [("PATTERN_MISSES_SHORT_NAMES", "/admissionWhitelistPatterns/0/namePattern")],
    )
    lint_case(
        "008-dry-run-rule",
        "a dry-run rule is a reminder to switch to enforcement",
        policy(rule("ALWAYS_DENY", DRY), gmode="ENABLE"),
        [("DRY_RUN_RULE", "/defaultAdmissionRule/enforcementMode")],
    )
    lint_case(
        "009-several-rule-maps",
        "cluster and namespace rules together depend on vouch's precedence",
        policy(
            rule("ALWAYS_DENY"),
            gmode="ENABLE",
            cluster={"us-east1.c": rule("ALWAYS_DENY")},
            ns={"prod": rule("ALWAYS_DENY")},
        ),
        [("SEVERAL_RULE_MAPS", "/clusterAdmissionRules")],
    )
    no_keys = ci_attestor()
    no_keys["userOwnedGrafeasNote"]["publicKeys"] = []
    lint_case(
        "010-attestor-without-keys",
        "a required attestor with no keys can never be satisfied",
        require(CI, gmode="ENABLE"),
        [("ATTESTOR_WITHOUT_KEYS", "/defaultAdmissionRule/requireAttestationsBy/0")],
        attestors=[no_keys],
    )
    lint_case(
        "011-ed25519-attestor",
        "an ED25519 attestor is a vouch extension GCP does not accept",
        require(SCAN, gmode="ENABLE"),
        [("ATTESTOR_NOT_ACCEPTED_BY_GCP", "/defaultAdmissionRule/requireAttestationsBy/0")],
        attestors=[scan_attestor()],
    )
    lint_case(
        "012-global-mode-unspecified",
        "an unspecified global policy mode means DISABLE",
        policy(rule("ALWAYS_DENY"), gmode=None),
        [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")],
    )
    lint_case(
        "013-invalid-policy-is-an-error",
        "lint validates first: an invalid pattern is an error, not a warning",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/n*x"]),
        error=err("POLICY_INVALID_PATTERN", "/admissionWhitelistPatterns/0/namePattern"),
    )
    lint_case(
        "014-invalid-attestor-is-an-error",
        "attestor errors point into the attestors",
        require(CI, gmode="ENABLE"),
        attestors=[{"name": CI}],
        error=err("ATTESTOR_MISSING_FIELD", "/attestors/0/userOwnedGrafeasNote"),
    )
    lint_case(
        "015-yaml-text-policy",
        "the policy may be YAML text, as exported",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode:"
        " DRYRUN_AUDIT_LOG_ONLY\n",
        [
            ("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode"),
            ("DRY_RUN_RULE", "/defaultAdmissionRule/enforcementMode"),
        ],
    )
    # The global mode only exempts images, so it matters only where some rule can find a violation.
    lint_case(
        "016-global-mode-unspecified-google-default-policy",
        "Google's own default policy (every rule ALWAYS_ALLOW): no global-mode warning",
        "name: projects/example-project/policy\ndefaultAdmissionRule:\n  enforcementMode:"
        " ENFORCED_BLOCK_AND_AUDIT_LOG\n  evaluationMode: ALWAYS_ALLOW\n",
    )
    lint_case(
        "017-global-mode-unspecified-every-rule-allows",
        "every rule of every map ALWAYS_ALLOW: the global mode cannot change a decision",
        policy(rule("ALWAYS_ALLOW"), gmode=None, cluster={"us-east1.c": rule("ALWAYS_ALLOW")}),
    )
    lint_case(
        "018-global-mode-unspecified-specific-rule-can-deny",
        "a specific rule that can deny makes the global mode matter again",
        policy(
            rule("ALWAYS_ALLOW"), gmode=None, ns={"prod": rule("REQUIRE_ATTESTATION", ENF, [CI])}
        ),
        [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")],
    )
    lint_case(
        "019-global-mode-unspecified-dry-run-rule",
        "a dry-run ALWAYS_DENY rule still changes the verdict (DRY_RUN_ALLOW) for system images",
        policy(rule("ALWAYS_ALLOW"), gmode=None, cluster={"us-east1.c": rule("ALWAYS_DENY", DRY)}),
        [
            ("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode"),
            ("DRY_RUN_RULE", "/clusterAdmissionRules/us-east1.c/enforcementMode"),
        ],
    )
    lint_case(
        "020-global-mode-unspecified-allowlist-not-moot",
        "an allowlist of the documented system images does not make the mode moot: the real list is"
        " regional",
        policy(rule("ALWAYS_DENY"), gmode=None, patterns=["gke.gcr.io/**", "k8s.gcr.io/**"]),
        [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")],
    )


def cases():
    lint_cases()
