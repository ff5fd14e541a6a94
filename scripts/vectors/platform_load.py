"""The platform suite, numbers 001-099: loading and validating GKE platform policies.

A case is `{"description", "input": <the evaluate_platform document>, "expect"}` (a subset of
the response) or `"expectError": {"code", "path"}`. Loading reads a policy as gcloud reads it
(decision P-1) and validates every rule of platform-policies §1.4 (decision P-2); the paths
point into the document as written (`/platformPolicy` + the path in the policy, through YAML
text too).

Numbers: 001-009 the documentation's examples (platform-policies §3, also under
examples/platform/), 010-059 one error per code and path, 060-099 what loads.

Loading-only cases expect the empty subset `{}`: they show the policy loads; the evaluation
cases (100-299) check what it decides.
"""

import os

import vectorlib as v

from .builders import *  # noqa: F401,F403

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "platform")

IMAGE = WEB + "@" + DIG_A
EC_PEM = v.public_pem("ci-p256")

CS0 = "/platformPolicy/gkePolicy/checkSets/0"
CHECK0 = CS0 + "/checks/0"


def example(name):
    with open(os.path.join(EXAMPLES, name)) as f:
        return f.read()


def load_case(name, description, policy_, error=None, request=None):
    case = {
        "description": description,
        "input": {
            "platformPolicy": policy_,
            "request": request or images(IMAGE),
            "now": NOW,
        },
    }
    if error is not None:
        case["expectError"] = error
    else:
        case["expect"] = {}
    add("platform", name, case)


def default_set(*checks, **kw):
    s = {"displayName": "Default check set", "checks": list(checks)}
    s.update(kw)
    return s


def gke(*sets, allowlist=None):
    g = {"checkSets": list(sets)}
    if allowlist is not None:
        g["imageAllowlist"] = allowlist
    return {"gkePolicy": g}


def with_check(check):
    return gke(default_set(check))


def ns_set(ns, *checks):
    return {"scope": {"kubernetesNamespace": ns}, "checks": list(checks) or [DENY]}


def sa_set(sa, *checks):
    return {"scope": {"kubernetesServiceAccount": sa}, "checks": list(checks) or [DENY]}


DENY = {"alwaysDeny": True}


def pkix(pem=None, alg="ECDSA_P256_SHA256", key_id=None):
    k = {"publicKeyPem": pem if pem is not None else EC_PEM, "signatureAlgorithm": alg}
    if key_id is not None:
        k["keyId"] = key_id
    return k


def ssa(authenticators=None, projects=("projects/my-attestation-project1",)):
    if authenticators is None:
        authenticators = [{"displayName": "ci", "pkixPublicKeySet": {"pkixPublicKeys": [pkix()]}}]
    return {
        "simpleSigningAttestationCheck": {
            "attestationAuthenticators": authenticators,
            "containerAnalysisAttestationProjects": list(projects),
        }
    }


def vuln(**kw):
    c = {"maximumFixableSeverity": "MEDIUM", "maximumUnfixableSeverity": "HIGH"}
    c.update(kw)
    return {"vulnerabilityCheck": c}


def slsa_rule(**kw):
    r = {
        "trustedBuilder": "GOOGLE_CLOUD_BUILD",
        "attestationSource": {"containerAnalysisAttestationProjects": ["projects/attestation-project1"]},
        "configBasedBuildRequired": True,
        "trustedSourceRepoPatterns": [
            "source.cloud.google.com/my-project/my-source-repo",
            "github.com/my-github-user/*",
        ],
    }
    r.update(kw)
    return r


SLSA_DOC_LIST_FORM = """gkePolicy:
  checkSets:
  - displayName: "Default check set"
    checks:
    - slsaCheck:
        rules:
        - trustedBuilder: GOOGLE_CLOUD_BUILD
          attestationSource:
          - containerAnalysisAttestationProjects: "projects/attestation-project1"
          configBasedBuildRequired: true
          trustedSourceRepoPatterns:
          - "source.cloud.google.com/my-project/my-source-repo"
          - "github.com/my-github-user/*"
"""

D_PEM_PATH = (
    "/platformPolicy/gkePolicy/checkSets/checks/simpleSigningAttestationCheck"
    "/attestationAuthenticators/pkixPublicKeySet/pkixPublicKeys/publicKeyPem"
)


def example_cases():
    load_case(
        "001-example-a-quickstart",
        "example A (quickstart-cv): trusted directory and freshness checks in the default set load",
        example("quickstart-cv.yaml"),
    )
    load_case(
        "002-example-b-multiple-check-sets",
        "example B (overview-cv, multiple check sets): `trustedDirPatterns` given as one string "
        "is read as a one-element list, as gcloud reads it",
        example("multiple-check-sets.yaml"),
    )
    load_case(
        "003-example-c-vulnerability-check",
        "example C (overview-cv, vulnerability check): the project given as one string is a list",
        example("vulnerability-check.yaml"),
    )
    load_case(
        "004-example-d-placeholder-key",
        "example D (overview-cv, attestation check) as printed: its maps for lists load, but its "
        "key is the documentation's placeholder, which does not decode (garbled curve OID and "
        "bit string): PLATFORM_INVALID_KEY at the key, through the wrapped maps",
        example("simple-signing-attestation-check.yaml"),
        error=err("PLATFORM_INVALID_KEY", D_PEM_PATH),
    )
    d_real = example("simple-signing-attestation-check.yaml")
    lines = d_real.splitlines()
    body = [l for l in lines if l.strip().startswith("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQxXxgAE")]
    real_body = "".join(l for l in EC_PEM.strip().splitlines() if not l.startswith("-----"))
    d_real = d_real.replace(body[0].strip(), real_body)
    load_case(
        "005-example-d-real-key",
        "example D with a real P-256 key: `checkSets`, `checks`, `attestationAuthenticators` and "
        "`pkixPublicKeys` given as maps are one-element lists",
        d_real,
    )
    load_case(
        "006-slsa-doc-example-list-for-message",
        "the SLSA documentation example writes `attestationSource` as a list of one map: gcloud "
        "fails on it, vouch refuses it with the form to write",
        SLSA_DOC_LIST_FORM,
        error=err(
            "PLATFORM_LIST_FOR_MESSAGE",
            CHECK0 + "/slsaCheck/rules/0/attestationSource",
        ),
    )
    load_case(
        "007-slsa-doc-example-schema-form",
        "the SLSA documentation example in schema form (`attestationSource` one message) loads",
        with_check({"slsaCheck": {"rules": [slsa_rule()]}}),
    )
    load_case(
        "008-allowlist-list-for-message",
        "the documentation's `imageAllowlist: [- allowPattern: …]` form is refused with the form "
        "to write",
        "gkePolicy:\n  imageAllowlist:\n  - allowPattern: \"gcr.io/my-project/image\"\n",
        error=err("PLATFORM_LIST_FOR_MESSAGE", "/platformPolicy/gkePolicy/imageAllowlist"),
    )


def error_cases():
    e = err
    load_case(
        "010-unknown-field",
        "an unknown key is refused with its path",
        {"gkePolicy": {"checksets": []}},
        error=e("PLATFORM_UNKNOWN_FIELD", "/platformPolicy/gkePolicy/checksets"),
    )
    load_case(
        "011-snake-case-field",
        "field names are proto3-JSON lowerCamelCase: `check_sets` is unknown",
        {"gkePolicy": {"check_sets": [default_set(DENY)]}},
        error=e("PLATFORM_UNKNOWN_FIELD", "/platformPolicy/gkePolicy/check_sets"),
    )
    load_case(
        "012-string-field-number",
        "a number where a string is expected",
        gke(default_set(DENY, displayName=7)),
        error=e("PLATFORM_INVALID_TYPE", CS0 + "/displayName"),
    )
    load_case(
        "013-integer-field-word",
        "a string that is not a decimal integer where an integer is expected",
        with_check({"imageFreshnessCheck": {"maxUploadAgeDays": "thirty"}}),
        error=e("PLATFORM_INVALID_TYPE", CHECK0 + "/imageFreshnessCheck/maxUploadAgeDays"),
    )
    load_case(
        "014-unknown-severity",
        "an unknown MaximumAllowedSeverity name",
        with_check(vuln(maximumFixableSeverity="SEVERE")),
        error=e("PLATFORM_INVALID_VALUE", CHECK0 + "/vulnerabilityCheck/maximumFixableSeverity"),
    )
    load_case(
        "015-unknown-signature-algorithm",
        "an unknown signatureAlgorithm (ED25519 is a vouch extension for attestors, not in the "
        "platform-policy enum)",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [pkix(alg="ED25519")]}}])),
        error=e(
            "PLATFORM_INVALID_VALUE",
            CHECK0
            + "/simpleSigningAttestationCheck/attestationAuthenticators/0/pkixPublicKeySet"
            "/pkixPublicKeys/0/signatureAlgorithm",
        ),
    )
    load_case(
        "016-unknown-builder",
        "an unknown trustedBuilder name",
        with_check({"slsaCheck": {"rules": [slsa_rule(trustedBuilder="GITHUB_ACTIONS")]}}),
        error=e("PLATFORM_INVALID_VALUE", CHECK0 + "/slsaCheck/rules/0/trustedBuilder"),
    )
    load_case(
        "017-cloud-run-policy",
        "a Cloud Run platform policy is not evaluated",
        {"cloudRunPolicy": {}},
        error=e("PLATFORM_UNSUPPORTED", "/platformPolicy/cloudRunPolicy"),
    )
    load_case(
        "018-no-gke-policy",
        "a document without gkePolicy (here a project policy) is not a GKE platform policy",
        {"description": "a project policy?"},
        error=e("PLATFORM_UNSUPPORTED", "/platformPolicy"),
    )
    load_case(
        "019-other-platform-name",
        "a name whose platform is not gke",
        {"name": "projects/p/platforms/cloudRun/policies/x", "gkePolicy": {}},
        error=e("PLATFORM_UNSUPPORTED", "/platformPolicy/name"),
    )
    load_case(
        "020-default-set-not-last",
        "the default (unscoped) check set must be last",
        gke(default_set(DENY), ns_set("prod")),
        error=e("PLATFORM_DEFAULT_CHECK_SET", CS0),
    )
    load_case(
        "021-no-default-set",
        "check sets without a default set",
        gke(ns_set("prod")),
        error=e("PLATFORM_DEFAULT_CHECK_SET", "/platformPolicy/gkePolicy/checkSets"),
    )
    load_case(
        "022-duplicate-scope",
        "two check sets for one namespace",
        gke(ns_set("prod"), ns_set("prod"), default_set(DENY)),
        error=e("PLATFORM_DUPLICATE_SCOPE", "/platformPolicy/gkePolicy/checkSets/1/scope"),
    )
    load_case(
        "023-service-account-after-namespace",
        "a service-account set after its namespace's set could never be selected",
        gke(ns_set("prod"), sa_set("prod:deployer"), default_set(DENY)),
        error=e("PLATFORM_SCOPE_ORDER", "/platformPolicy/gkePolicy/checkSets/1/scope"),
    )
    load_case(
        "024-scope-both-fields",
        "a scope with a namespace and a service account",
        gke(
            {"scope": {"kubernetesNamespace": "prod", "kubernetesServiceAccount": "prod:sa"}, "checks": [DENY]},
            default_set(DENY),
        ),
        error=e("PLATFORM_INVALID_SCOPE", CS0 + "/scope"),
    )
    load_case(
        "025-scope-bad-namespace",
        "a namespace scope that is not a namespace name",
        gke(ns_set("Prod_NS"), default_set(DENY)),
        error=e("PLATFORM_INVALID_SCOPE", CS0 + "/scope/kubernetesNamespace"),
    )
    load_case(
        "026-scope-bad-service-account",
        "a service-account scope that is not NAMESPACE:NAME",
        gke(sa_set("deployer"), default_set(DENY)),
        error=e("PLATFORM_INVALID_SCOPE", CS0 + "/scope/kubernetesServiceAccount"),
    )
    load_case(
        "027-check-without-kind",
        "a check with no kind",
        with_check({"displayName": "nothing"}),
        error=e("PLATFORM_CHECK_KIND", CHECK0),
    )
    load_case(
        "028-check-with-two-kinds",
        "a check with two kinds (Q-3: one kind per check; write two checks)",
        with_check({"alwaysDeny": True, "imageFreshnessCheck": {"maxUploadAgeDays": 30}}),
        error=e("PLATFORM_CHECK_KIND", CHECK0),
    )
    load_case(
        "029-always-deny-false",
        "alwaysDeny: false is refused (remove the check instead)",
        with_check({"alwaysDeny": False}),
        error=e("PLATFORM_ALWAYS_DENY_FALSE", CHECK0 + "/alwaysDeny"),
    )
    load_case(
        "030-max-age-zero",
        "maxUploadAgeDays must be greater than zero",
        with_check({"imageFreshnessCheck": {"maxUploadAgeDays": 0}}),
        error=e("PLATFORM_INVALID_MAX_AGE", CHECK0 + "/imageFreshnessCheck/maxUploadAgeDays"),
    )
    load_case(
        "031-severity-unspecified",
        "a vulnerability threshold left unspecified",
        with_check(vuln(maximumUnfixableSeverity="MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED")),
        error=e(
            "PLATFORM_SEVERITY_UNSPECIFIED", CHECK0 + "/vulnerabilityCheck/maximumUnfixableSeverity"
        ),
    )
    load_case(
        "032-builder-unspecified",
        "a SLSA rule whose builder is not GOOGLE_CLOUD_BUILD",
        with_check({"slsaCheck": {"rules": [slsa_rule(trustedBuilder="BUILDER_UNSPECIFIED")]}}),
        error=e("PLATFORM_UNSUPPORTED_BUILDER", CHECK0 + "/slsaCheck/rules/0/trustedBuilder"),
    )
    load_case(
        "033-no-authenticators",
        "an attestation check without authenticators",
        with_check(ssa([])),
        error=e(
            "PLATFORM_KEYS_REQUIRED",
            CHECK0 + "/simpleSigningAttestationCheck/attestationAuthenticators",
        ),
    )
    load_case(
        "034-authenticator-without-keys",
        "an authenticator without keys",
        with_check(ssa([{"displayName": "ci", "pkixPublicKeySet": {"pkixPublicKeys": []}}])),
        error=e(
            "PLATFORM_KEYS_REQUIRED",
            CHECK0
            + "/simpleSigningAttestationCheck/attestationAuthenticators/0/pkixPublicKeySet/pkixPublicKeys",
        ),
    )
    load_case(
        "035-sigstore-authority-without-keys",
        "a sigstore authority without keys",
        with_check({"sigstoreSignatureCheck": {"sigstoreAuthorities": [{"displayName": "a", "publicKeySet": {}}]}}),
        error=e(
            "PLATFORM_KEYS_REQUIRED",
            CHECK0 + "/sigstoreSignatureCheck/sigstoreAuthorities/0/publicKeySet",
        ),
    )
    key0 = (
        CHECK0
        + "/simpleSigningAttestationCheck/attestationAuthenticators/0/pkixPublicKeySet/pkixPublicKeys/0"
    )
    load_case(
        "036-key-not-pem",
        "a publicKeyPem that is not a PEM public key",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [pkix(pem="not a key")]}}])),
        error=e("PLATFORM_INVALID_KEY", key0 + "/publicKeyPem"),
    )
    load_case(
        "037-algorithm-mismatch",
        "a signatureAlgorithm that does not fit the key (RSA for a P-256 key)",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [pkix(alg="RSA_SIGN_PKCS1_2048_SHA256")]}}])),
        error=e("PLATFORM_ALGORITHM_MISMATCH", key0 + "/signatureAlgorithm"),
    )
    load_case(
        "038-bad-key-id",
        "a keyId with a space",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [pkix(key_id="my key")]}}])),
        error=e("PLATFORM_INVALID_KEY_ID", key0 + "/keyId"),
    )
    load_case(
        "039-project-without-prefix",
        "a project list entry that is not projects/PROJECT_ID (one string, wrapped: its path has "
        "no index)",
        with_check(vuln(containerAnalysisVulnerabilityProjects="my-project")),
        error=e(
            "PLATFORM_INVALID_PROJECT",
            CHECK0 + "/vulnerabilityCheck/containerAnalysisVulnerabilityProjects",
        ),
    )
    load_case(
        "040-too-many-projects",
        "more than 10 projects",
        with_check(ssa(projects=["projects/p%d" % i for i in range(11)])),
        error=e(
            "PLATFORM_TOO_MANY_PROJECTS",
            CHECK0 + "/simpleSigningAttestationCheck/containerAnalysisAttestationProjects",
        ),
    )
    load_case(
        "041-allow-pattern-star",
        "`*` alone is not an allowlist pattern",
        gke(default_set(DENY), allowlist={"allowPattern": ["gcr.io/p/ok", "*"]}),
        error=e("PLATFORM_INVALID_ALLOW_PATTERN", "/platformPolicy/gkePolicy/imageAllowlist/allowPattern/1"),
    )
    load_case(
        "042-directory-pattern-wildcard-in-registry",
        "`gcr.i*`: a wildcard inside the registry",
        with_check({"trustedDirectoryCheck": {"trustedDirPatterns": ["gcr.i*"]}}),
        error=e(
            "PLATFORM_INVALID_DIRECTORY_PATTERN",
            CHECK0 + "/trustedDirectoryCheck/trustedDirPatterns/0",
        ),
    )
    load_case(
        "043-directory-pattern-double-leading-star",
        "`**-docker.pkg.dev/…`: only one leading `*`",
        with_check({"trustedDirectoryCheck": {"trustedDirPatterns": "**-docker.pkg.dev/my-project"}}),
        error=e(
            "PLATFORM_INVALID_DIRECTORY_PATTERN",
            CHECK0 + "/trustedDirectoryCheck/trustedDirPatterns",
        ),
    )
    load_case(
        "044-repo-pattern-with-scheme",
        "a source repository pattern has no scheme",
        with_check({"slsaCheck": {"rules": [slsa_rule(trustedSourceRepoPatterns=["https://github.com/o/r"])]}}),
        error=e(
            "PLATFORM_INVALID_REPO_PATTERN",
            CHECK0 + "/slsaCheck/rules/0/trustedSourceRepoPatterns/0",
        ),
    )
    load_case(
        "045-yaml-ambiguous-namespace",
        "YAML text with a plain `on`, a boolean to gcloud's YAML 1.1 reader: quote it",
        "gkePolicy:\n  checkSets:\n  - scope:\n      kubernetesNamespace: on\n    checks:\n"
        "    - alwaysDeny: true\n  - checks:\n    - alwaysDeny: true\n",
        error=e(
            "PLATFORM_YAML_AMBIGUOUS",
            "/platformPolicy/gkePolicy/checkSets/0/scope/kubernetesNamespace",
        ),
    )
    load_case(
        "046-trusted-directory-without-patterns",
        "a trusted-directory check needs patterns",
        with_check({"trustedDirectoryCheck": {"trustedDirPatterns": []}}),
        error=e("PLATFORM_MISSING_FIELD", CHECK0 + "/trustedDirectoryCheck/trustedDirPatterns"),
    )
    load_case(
        "047-key-without-algorithm",
        "a PKIX key needs its signatureAlgorithm",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [{"publicKeyPem": EC_PEM}]}}])),
        error=e("PLATFORM_MISSING_FIELD", key0),
    )
    load_case(
        "048-project-number",
        "a project number where the project ID is needed",
        with_check(vuln(containerAnalysisVulnerabilityProjects=["projects/123456789"])),
        error=e(
            "PLATFORM_INVALID_PROJECT",
            CHECK0 + "/vulnerabilityCheck/containerAnalysisVulnerabilityProjects/0",
        ),
    )
    load_case(
        "049-null-list-entry",
        "a null entry in a list",
        gke(default_set(DENY), allowlist={"allowPattern": [None]}),
        error=e("PLATFORM_INVALID_TYPE", "/platformPolicy/gkePolicy/imageAllowlist/allowPattern/0"),
    )
    load_case(
        "050-integer-out-of-range",
        "an integer outside int32",
        with_check({"imageFreshnessCheck": {"maxUploadAgeDays": "2147483648"}}),
        error=e("PLATFORM_INVALID_VALUE", CHECK0 + "/imageFreshnessCheck/maxUploadAgeDays"),
    )
    load_case(
        "051-scalar-for-message",
        "a string where a message is expected",
        {"gkePolicy": {"imageAllowlist": "gcr.io/p/*"}},
        error=e("PLATFORM_INVALID_TYPE", "/platformPolicy/gkePolicy/imageAllowlist"),
    )
    load_case(
        "052-duplicate-key-ids",
        "two keys of one authenticator with the same id (here both blank: the same key twice)",
        with_check(ssa([{"pkixPublicKeySet": {"pkixPublicKeys": [pkix(), pkix()]}}])),
        error=e("PLATFORM_INVALID_KEY_ID", key0.replace("/pkixPublicKeys/0", "/pkixPublicKeys/1")),
    )
    load_case(
        "053-sigstore-key-not-pem",
        "a sigstore public key that does not decode",
        with_check({"sigstoreSignatureCheck": {"sigstoreAuthorities": {"publicKeySet": {"publicKeys": {"publicKeyPem": "junk"}}}}}),
        error=e(
            "PLATFORM_INVALID_KEY",
            CHECK0 + "/sigstoreSignatureCheck/sigstoreAuthorities/publicKeySet/publicKeys/publicKeyPem",
        ),
    )
    load_case(
        "054-malformed-name",
        "a name that is not a platform policy name",
        {"name": "my-policy", "gkePolicy": {}},
        error=e("PLATFORM_INVALID_VALUE", "/platformPolicy/name"),
    )
    load_case(
        "055-not-an-object",
        "a platform policy that is a list",
        [],
        error=e("PLATFORM_INVALID_TYPE", "/platformPolicy"),
    )


def loading_cases():
    load_case(
        "060-integer-as-string",
        "an integer field takes a decimal string (proto3 JSON int64 style)",
        with_check({"imageFreshnessCheck": {"maxUploadAgeDays": "30"}}),
    )
    load_case(
        "061-scalars-and-maps-wrapped",
        "a scalar or a map where a list is expected is a one-element list, everywhere",
        {
            "gkePolicy": {
                "imageAllowlist": {"allowPattern": "gcr.io/my-project/allowed/**"},
                "checkSets": {
                    "checks": {
                        "trustedDirectoryCheck": {"trustedDirPatterns": "gcr.io/my-project/images"},
                        "imageAllowlist": {"allowPattern": "gcr.io/my-project/tools*"},
                    }
                },
            }
        },
    )
    load_case(
        "062-nulls-and-empty-lists",
        "`null` leaves a field unset; `[]` for a field that is not a list is skipped",
        {
            "description": None,
            "gkePolicy": {
                "imageAllowlist": [],
                "checkSets": [default_set({"alwaysDeny": True, "displayName": None, "imageFreshnessCheck": None})],
            },
        },
    )
    load_case(
        "063-output-only-fields",
        "name, description, updateTime and etag are accepted",
        {
            "name": "projects/123456789/platforms/gke/policies/my-policy",
            "description": "monitoring",
            "updateTime": "2026-01-01T00:00:00Z",
            "etag": "abc",
            "gkePolicy": {"checkSets": [default_set(DENY)]},
        },
    )
    load_case(
        "064-empty-scope-is-default",
        "a scope with an empty namespace is the default scope",
        gke(ns_set("prod"), {"scope": {"kubernetesNamespace": ""}, "checks": [DENY]}),
    )
    load_case(
        "065-service-account-before-namespace",
        "service-account sets before their namespace's set, other namespaces in any order",
        gke(sa_set("prod:deployer"), ns_set("dev"), ns_set("prod"), sa_set("dev2:ci"), default_set(DENY)),
    )
    load_case(
        "066-sigstore-check",
        "a sigstore check with one authority and one key",
        with_check(
            {
                "sigstoreSignatureCheck": {
                    "sigstoreAuthorities": [
                        {"displayName": "sigstore-authority", "publicKeySet": {"publicKeys": [{"publicKeyPem": EC_PEM}]}}
                    ]
                }
            }
        ),
    )
    load_case(
        "067-empty-gke-policy",
        "a GKE policy without check sets (every image conforms)",
        {"gkePolicy": {}},
    )
    load_case(
        "068-algorithm-alias-and-key-id",
        "EC_SIGN_P256_SHA256 is an alias; a KMS-style keyId is a URI",
        with_check(
            ssa(
                [
                    {
                        "pkixPublicKeySet": {
                            "pkixPublicKeys": [
                                pkix(
                                    alg="EC_SIGN_P256_SHA256",
                                    key_id="//cloudkms.googleapis.com/v1/projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
                                )
                            ]
                        }
                    }
                ]
            )
        ),
    )
    load_case(
        "069-all-check-kinds",
        "every check kind in one set, each with its own allowlist",
        gke(
            default_set(
                DENY,
                {"imageFreshnessCheck": {"maxUploadAgeDays": 30}},
                ssa(),
                {"sigstoreSignatureCheck": {"sigstoreAuthorities": [{"publicKeySet": {"publicKeys": [{"publicKeyPem": EC_PEM}]}}]}},
                {"slsaCheck": {"rules": [slsa_rule(customConstraints="true")]}},
                {
                    "trustedDirectoryCheck": {
                        "trustedDirPatterns": ["*-docker.pkg.dev/my-project/**", "*.gcr.io/my-project/*"]
                    },
                    "imageAllowlist": {"allowPattern": ["gcr.io/my-project/tools:v1*"]},
                },
                vuln(allowedCves=["CVE-2022-11111"], blockedCves="CVE-2022-33333", containerAnalysisVulnerabilityProjects=["projects/my-project"]),
            ),
            allowlist={"allowPattern": ["gcr.io/my-project/base@" + DIG_B]},
        ),
    )


def cases():
    example_cases()
    error_cases()
    loading_cases()
