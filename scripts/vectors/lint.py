"""The lint suite (toolkit): policy lint warnings."""

import os

import vectorlib as v

from .builders import *  # noqa: F401,F403


def lint_case(name, description, policy_, warnings=(), attestors=None, error=None, platform=None):
    case = {"description": description, "policy": policy_}
    if attestors is not None:
        case["attestors"] = attestors
    # The platform the policy is linted for (`vouch policy lint --platform`): `gke` when absent.
    if platform is not None:
        case["platform"] = platform
    if error is not None:
        case["expectError"] = error
    # A document that does not load has no warnings, except the fix lint gives for a platform
    # policy that writes a list where one message belongs (docs/lint.md).
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


def platform(*sets, allowlist=None):
    g = {"checkSets": list(sets)}
    if allowlist is not None:
        g["imageAllowlist"] = {"allowPattern": allowlist}
    return {"gkePolicy": g}


def default_set(*checks, **kw):
    s = {"checks": list(checks)}
    s.update(kw)
    return s


TRUSTED_DIR = {"trustedDirectoryCheck": {"trustedDirPatterns": ["gcr.io/my-project/images"]}}
PS = "/gkePolicy/checkSets/0"


def platform_lint_cases():
    """Platform policies (numbers 100-199): `vouch policy lint` on a document with `gkePolicy`."""
    lint_case(
        "100-platform-clean",
        "a platform policy with nothing to warn about",
        platform(default_set(TRUSTED_DIR)),
    )
    lint_case(
        "101-platform-set-without-checks",
        "a scoped check set without checks admits every image of its namespace",
        platform({"scope": {"kubernetesNamespace": "dev"}}, default_set(TRUSTED_DIR)),
        [("PLATFORM_SET_WITHOUT_CHECKS", PS)],
    )
    lint_case(
        "102-platform-allowlist-covers-registry",
        "a policy-level pattern that exempts a whole registry from every check",
        platform(default_set(TRUSTED_DIR), allowlist=["gcr.io/**", "gcr.io/my-project/base/**"]),
        [("PLATFORM_ALLOWLIST_COVERS_REGISTRY", "/gkePolicy/imageAllowlist/allowPattern/0")],
    )
    lint_case(
        "103-platform-pattern-pinned-by-tag",
        "an allowPattern that trusts a tag (the project-policy pattern codes apply too)",
        platform(default_set(TRUSTED_DIR), allowlist=["gcr.io/my-project/tool:v1*", "docker.io/library/redis"]),
        [
            ("PATTERN_PINNED_BY_TAG", "/gkePolicy/imageAllowlist/allowPattern/0"),
            ("PATTERN_MISSES_SHORT_NAMES", "/gkePolicy/imageAllowlist/allowPattern/1"),
        ],
    )
    lint_case(
        "104-platform-duplicate-check",
        "the same check twice in one set (display names aside)",
        platform(default_set(dict(TRUSTED_DIR, displayName="a"), dict(TRUSTED_DIR, displayName="b"))),
        [("PLATFORM_DUPLICATE_CHECK", PS + "/checks/1")],
    )
    lint_case(
        "105-platform-redundant-check-allowlist",
        "a check-level allowlist identical to its set's never applies",
        platform(
            default_set(
                dict(TRUSTED_DIR, imageAllowlist={"allowPattern": ["gcr.io/my-project/tools/**"]}),
                imageAllowlist={"allowPattern": "gcr.io/my-project/tools/**"},
            )
        ),
        [("PLATFORM_REDUNDANT_ALLOWLIST", PS + "/checks/0/imageAllowlist")],
    )
    lint_case(
        "106-platform-attestation-without-projects",
        "an attestation check with no projects reads no attestation and never passes (Q-9)",
        platform(
            default_set(
                {
                    "simpleSigningAttestationCheck": {
                        "attestationAuthenticators": [
                            {"pkixPublicKeySet": {"pkixPublicKeys": [{"publicKeyPem": v.public_pem("ci-p256"), "signatureAlgorithm": "ECDSA_P256_SHA256"}]}}
                        ]
                    }
                }
            )
        ),
        [("PLATFORM_CHECK_NEVER_PASSES", PS + "/checks/0/simpleSigningAttestationCheck")],
    )
    lint_case(
        "107-platform-slsa-rule-without-projects",
        "a SLSA rule with no attestation source is never satisfied",
        platform(default_set({"slsaCheck": {"rules": [{"trustedBuilder": "GOOGLE_CLOUD_BUILD"}]}})),
        [("PLATFORM_CHECK_NEVER_PASSES", PS + "/checks/0/slsaCheck/rules/0")],
    )
    lint_case(
        "108-platform-vulnerability-without-projects",
        "a vulnerability check with no projects finds no scan: always ERROR (Q-9)",
        platform(default_set({"vulnerabilityCheck": {"maximumFixableSeverity": "LOW", "maximumUnfixableSeverity": "LOW"}})),
        [("PLATFORM_CHECK_ALWAYS_ERRORS", PS + "/checks/0/vulnerabilityCheck")],
    )
    lint_case(
        "109-platform-custom-constraints",
        "a SLSA rule with customConstraints is ERROR in vouch (P-9)",
        platform(
            default_set(
                {
                    "slsaCheck": {
                        "rules": {
                            "trustedBuilder": "GOOGLE_CLOUD_BUILD",
                            "attestationSource": {"containerAnalysisAttestationProjects": "projects/p"},
                            "customConstraints": "true",
                        }
                    }
                }
            )
        ),
        [("PLATFORM_CHECK_ALWAYS_ERRORS", PS + "/checks/0/slsaCheck/rules/customConstraints")],
    )
    lint_case(
        "110-platform-cve-allowed-and-blocked",
        "a CVE both allowed and blocked is allowed (P-5)",
        platform(
            default_set(
                {
                    "vulnerabilityCheck": {
                        "maximumFixableSeverity": "LOW",
                        "maximumUnfixableSeverity": "LOW",
                        "allowedCves": ["CVE-2022-11111"],
                        "blockedCves": ["CVE-2022-11111"],
                        "containerAnalysisVulnerabilityProjects": ["projects/p"],
                    }
                }
            )
        ),
        [("PLATFORM_CVE_ALLOWED_AND_BLOCKED", PS + "/checks/0/vulnerabilityCheck/blockedCves/0")],
    )
    lint_case(
        "113-platform-directory-covers-other-projects",
        "a trusted directory pattern whose wildcard covers the project segment of a shared registry",
        platform(
            default_set(
                {
                    "trustedDirectoryCheck": {
                        "trustedDirPatterns": ["gcr.io/my-project/**", "*-docker.pkg.dev/**", "gcr.io/my-proj*"]
                    }
                }
            )
        ),
        [
            ("PLATFORM_DIRECTORY_COVERS_OTHER_PROJECTS", PS + "/checks/0/trustedDirectoryCheck/trustedDirPatterns/1"),
            ("PLATFORM_DIRECTORY_COVERS_OTHER_PROJECTS", PS + "/checks/0/trustedDirectoryCheck/trustedDirPatterns/2"),
        ],
    )
    lint_case(
        "111-platform-list-for-message-is-an-error",
        "a list where one message belongs is an error (lint also gives the fix as a warning)",
        "gkePolicy:\n  imageAllowlist:\n  - allowPattern: gcr.io/my-project/base/**\n",
        [("PLATFORM_LIST_FOR_MESSAGE", "/gkePolicy/imageAllowlist")],
        error=err("PLATFORM_LIST_FOR_MESSAGE", "/gkePolicy/imageAllowlist"),
    )
    lint_case(
        "112-platform-invalid-is-an-error",
        "lint validates a platform policy first",
        platform({"scope": {"kubernetesNamespace": "dev"}, "checks": [{"alwaysDeny": True}]}),
        error=err("PLATFORM_DEFAULT_CHECK_SET", "/gkePolicy/checkSets"),
    )


CLOUD_RUN_EXAMPLE = os.path.join(v.ROOT, "examples", "cloud-run", "policy.yaml")
SOURCE_DEPLOY = "us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy/**"
NOT_EXEMPT = ("CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT", "/defaultAdmissionRule/evaluationMode")
CR = "cloud-run"


def specific_rules():
    """A policy with every kind of specific rule (default ALWAYS_DENY: no exemption needed)."""
    return policy(
        rule("ALWAYS_DENY"),
        gmode="ENABLE",
        cluster={"us-east1.c": rule("ALWAYS_ALLOW")},
        ns={"dev": rule("ALWAYS_DENY", DRY)},
        sa={"ci:deployer": rule("ALWAYS_DENY")},
        istio={"spiffe://example-project.svc.id.goog/ns/a/sa/b": rule("ALWAYS_ALLOW")},
    )


def cloud_run_lint_cases():
    """Cloud Run (numbers 200-299): `vouch policy lint --platform cloud-run` (docs/lint.md)."""
    lint_case(
        "200-cloud-run-clean",
        "Cloud Run: attestations required, source deploys of the policy's project exempt",
        require(CI, gmode="ENABLE", patterns=[SOURCE_DEPLOY]),
        platform=CR,
    )
    lint_case(
        "201-cloud-run-source-deploy-not-exempt",
        "Cloud Run: attestations required and no exemption for source deploys",
        require(CI, gmode="ENABLE", patterns=["gcr.io/example-project/debug-tools/*"]),
        [NOT_EXEMPT],
        platform=CR,
    )
    lint_case(
        "202-cloud-run-exemption-of-another-project",
        "Cloud Run: the exemption names another project than the policy's",
        require(
            CI,
            gmode="ENABLE",
            patterns=["us-central1-docker.pkg.dev/other-project/cloud-run-source-deploy/**"],
        ),
        [NOT_EXEMPT],
        platform=CR,
    )
    lint_case(
        "203-cloud-run-exemption-lookalikes",
        "Cloud Run: patterns that only look like the exemption (one level, the repository itself,"
        " the REGION placeholder, no region, another repository, one service)",
        require(
            CI,
            gmode="ENABLE",
            patterns=[
                "us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy/*",
                "us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy",
                "REGION-docker.pkg.dev/example-project/cloud-run-source-deploy/**",
                "docker.pkg.dev/example-project/cloud-run-source-deploy/**",
                "us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy-x/**",
                "us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy/web/**",
            ],
        ),
        [NOT_EXEMPT],
        platform=CR,
    )
    unnamed = require(
        CI,
        gmode="ENABLE",
        patterns=["europe-west1-docker.pkg.dev/other-project/cloud-run-source-deploy/**"],
    )
    del unnamed["name"]
    lint_case(
        "204-cloud-run-exemption-any-project-without-name",
        "Cloud Run: without the policy's name, any project's exemption counts",
        unnamed,
        platform=CR,
    )
    lint_case(
        "205-cloud-run-rules-ignored",
        "Cloud Run: one warning per cluster, namespace, service-account and identity rule; none of"
        " the GKE warnings about them",
        specific_rules(),
        [
            ("CLOUD_RUN_RULE_IGNORED", "/clusterAdmissionRules/us-east1.c"),
            ("CLOUD_RUN_RULE_IGNORED", "/kubernetesNamespaceAdmissionRules/dev"),
            ("CLOUD_RUN_RULE_IGNORED", "/kubernetesServiceAccountAdmissionRules/ci:deployer"),
            (
                "CLOUD_RUN_RULE_IGNORED",
                "/istioServiceIdentityAdmissionRules/spiffe:~1~1example-project.svc.id.goog~1ns~1a~1sa~1b",
            ),
        ],
        platform=CR,
    )
    lint_case(
        "206-cloud-run-rules-on-gke",
        "the same policy linted for GKE: the GKE warnings, no Cloud Run one",
        specific_rules(),
        [
            ("RULE_WEAKER_THAN_DEFAULT", "/clusterAdmissionRules/us-east1.c/evaluationMode"),
            ("DRY_RUN_RULE", "/kubernetesNamespaceAdmissionRules/dev/enforcementMode"),
            (
                "RULE_WEAKER_THAN_DEFAULT",
                "/istioServiceIdentityAdmissionRules/spiffe:~1~1example-project.svc.id.goog~1ns~1a~1sa~1b"
                "/evaluationMode",
            ),
            ("SEVERAL_RULE_MAPS", "/clusterAdmissionRules"),
        ],
        platform="gke",
    )
    with open(CLOUD_RUN_EXAMPLE, encoding="utf-8") as f:
        example = f.read()
    lint_case(
        "207-cloud-run-example-policy",
        "examples/cloud-run/policy.yaml for Cloud Run: source deploys exempt; only its cluster rule,"
        " kept to show ignoredRules, is reported",
        example,
        [("CLOUD_RUN_RULE_IGNORED", "/clusterAdmissionRules/us-central1-a.prod-cluster")],
        platform=CR,
    )
    lint_case(
        "208-cloud-run-example-policy-gke",
        "examples/cloud-run/policy.yaml for GKE: clean",
        example,
    )
    lint_case(
        "209-cloud-run-always-deny-needs-no-exemption",
        "Cloud Run: an ALWAYS_DENY default rule denies source deploys on purpose: no warning",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        platform=CR,
    )
    lint_case(
        "210-cloud-run-dry-run-source-deploy-not-exempt",
        "Cloud Run: a dry-run attestation rule still needs the exemption",
        require(CI, enforcement=DRY, gmode="ENABLE"),
        [("DRY_RUN_RULE", "/defaultAdmissionRule/enforcementMode"), NOT_EXEMPT],
        platform=CR,
    )
    no_keys = ci_attestor()
    no_keys["userOwnedGrafeasNote"]["publicKeys"] = []
    lint_case(
        "211-cloud-run-attestor-of-ignored-rule",
        "Cloud Run: an attestor only an ignored rule requires is not checked",
        policy(
            rule("ALWAYS_DENY"), gmode="ENABLE", cluster={"us-east1.c": rule("REQUIRE_ATTESTATION", ENF, [CI])}
        ),
        [("CLOUD_RUN_RULE_IGNORED", "/clusterAdmissionRules/us-east1.c")],
        attestors=[no_keys],
        platform=CR,
    )
    lint_case(
        "212-cloud-run-global-mode-counts-default-rule-only",
        "Cloud Run: every applied rule ALWAYS_ALLOW, so the global mode cannot change a decision",
        policy(rule("ALWAYS_ALLOW"), gmode=None, cluster={"us-east1.c": rule("ALWAYS_DENY")}),
        [("CLOUD_RUN_RULE_IGNORED", "/clusterAdmissionRules/us-east1.c")],
        platform=CR,
    )
    lint_case(
        "213-cloud-run-gke-platform-policy",
        "Cloud Run never applies a GKE platform policy",
        platform(default_set(TRUSTED_DIR)),
        [("CLOUD_RUN_GKE_POLICY_NOT_APPLIED", "/gkePolicy")],
        platform=CR,
    )
    lint_case(
        "214-cloud-run-invalid-is-an-error",
        "Cloud Run: lint validates first",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/n*x"]),
        error=err("POLICY_INVALID_PATTERN", "/admissionWhitelistPatterns/0/namePattern"),
        platform=CR,
    )


def cloud_run_policy_lint_cases():
    """Cloud Run platform policies (numbers 220-239): linted as Cloud Run applies them, whatever
    the platform; paths into the `cloudRunPolicy` document (docs/lint.md)."""
    ci_keys = ci_attestor()["userOwnedGrafeasNote"]["publicKeys"]
    name = "projects/example-project/platforms/cloudRun/policies/strict"

    def crp(rule_, patterns=()):
        inline = {"rule": rule_}
        if patterns:
            inline["allowlistPatterns"] = [{"namePattern": x} for x in patterns]
        return {"name": name, "cloudRunPolicy": inline}

    def inline_rule(mode, enforcement=ENF, attestors=()):
        r = {"evaluationMode": mode, "enforcementMode": enforcement}
        if attestors:
            r["requiredAttestors"] = list(attestors)
        return r

    ci = {"id": "built-by-ci", "attestationNote": CI_NOTE, "publicKeys": ci_keys}
    with open(os.path.join(v.ROOT, "examples", "cloud-run", "cloud-run-policy.yaml"), encoding="utf-8") as f:
        example = f.read()
    lint_case(
        "220-cloud-run-policy-example-clean",
        "examples/cloud-run/cloud-run-policy.yaml: attestations required, source deploys exempt",
        example,
        platform=CR,
    )
    lint_case(
        "221-cloud-run-policy-mistakes",
        "a Cloud Run platform policy: a tag-pinned pattern, a dry-run rule, no source-deploy "
        "exemption, an inline attestor without keys; no system-policy warning (it has none)",
        crp(
            inline_rule("REQUIRE_ATTESTATION", DRY, [{"id": "qa", "attestationNote": QA_NOTE}]),
            patterns=["gcr.io/example-project/app:1.0"],
        ),
        [
            ("PATTERN_PINNED_BY_TAG", "/cloudRunPolicy/allowlistPatterns/0/namePattern"),
            ("DRY_RUN_RULE", "/cloudRunPolicy/rule/enforcementMode"),
            ("CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT", "/cloudRunPolicy/rule/evaluationMode"),
            ("ATTESTOR_WITHOUT_KEYS", "/cloudRunPolicy/rule/requiredAttestors/0"),
        ],
    )
    lint_case(
        "222-cloud-run-policy-always-allow-clean",
        "an ALWAYS_ALLOW Cloud Run policy needs no exemption",
        crp(inline_rule("ALWAYS_ALLOW")),
    )
    lint_case(
        "223-cloud-run-policy-invalid-is-an-error",
        "a Cloud Run platform policy is validated first (REQUIRE_ATTESTATION needs attestors)",
        crp(inline_rule("REQUIRE_ATTESTATION")),
        error=err("PLATFORM_MISSING_FIELD", "/cloudRunPolicy/rule"),
    )
    lint_case(
        "224-cloud-run-policy-inline-key-ok",
        "an inline attestor with a key, source deploys exempt: clean",
        crp(
            inline_rule("REQUIRE_ATTESTATION", attestors=[ci]),
            patterns=["us-central1-docker.pkg.dev/example-project/cloud-run-source-deploy/**"],
        ),
    )


def cases():
    lint_cases()
    platform_lint_cases()
    cloud_run_lint_cases()
    cloud_run_policy_lint_cases()
