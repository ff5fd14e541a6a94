"""The platform suite, evaluation half (numbers 100-299): GKE platform policies evaluated
(decisions P-3 … P-10).

A case is `{"description", "input": {"platformPolicy", "request", "attestations", "trust",
"now", "options"}, "expect"}`: `expect` is a subset of Binary Authorization's
`EvaluateGkePolicyResponse` with vouch's `details` (lists match in full, so every check's
detail codes are pinned; messages never are). Golden files (testdata/golden/platform/) hold the
whole response.

Numbers: 100-129 the algorithm (allowlists, folds, scopes), 130-139 trusted directory,
140-149 freshness, 150-179 vulnerability, 180-189 tag-only images, 190-219 simple-signing
attestations, 220-239 sigstore, 240-269 SLSA, 270-279 budgets.
"""

import base64
import hashlib
import json
import os

import vectorlib as v

from .builders import *  # noqa: F401,F403

G = "platform"
AR = "us-docker.pkg.dev/example-project/app"
DAY = 86400


# ---------------------------------------------------------------- policy builders
def pp(*check_sets, allow=None):
    gke = {"checkSets": list(check_sets)}
    if allow is not None:
        gke["imageAllowlist"] = {"allowPattern": list(allow)}
    return {"gkePolicy": gke}


def cset(name, *checks, ns=None, sa=None, allow=None):
    out = {"displayName": name, "checks": list(checks)}
    if ns is not None:
        out["scope"] = {"kubernetesNamespace": ns}
    if sa is not None:
        out["scope"] = {"kubernetesServiceAccount": sa}
    if allow is not None:
        out["imageAllowlist"] = {"allowPattern": list(allow)}
    return out


def chk(name, kind, body, allow=None):
    out = {"displayName": name, kind: body}
    if allow is not None:
        out["imageAllowlist"] = {"allowPattern": list(allow)}
    return out


def deny(name="deny", allow=None):
    return chk(name, "alwaysDeny", True, allow)


def trusted(name="trusted", *patterns):
    return chk(name, "trustedDirectoryCheck", {"trustedDirPatterns": list(patterns or [AR])})


def fresh(days=30, name="fresh"):
    return chk(name, "imageFreshnessCheck", {"maxUploadAgeDays": days})


def vuln(fixable="MEDIUM", unfixable="HIGH", allowed=(), blocked=(), projects=("example-project",), name="vuln"):
    body = {
        "maximumFixableSeverity": fixable,
        "maximumUnfixableSeverity": unfixable,
        "containerAnalysisVulnerabilityProjects": ["projects/" + p for p in projects],
    }
    if allowed:
        body["allowedCves"] = list(allowed)
    if blocked:
        body["blockedCves"] = list(blocked)
    return chk(name, "vulnerabilityCheck", body)


def authenticator(name, *keys):
    """keys: (key name, algorithm, keyId or None)."""
    pkix = []
    for key, algorithm, key_id in keys:
        k = {"publicKeyPem": v.public_pem(key), "signatureAlgorithm": algorithm}
        if key_id is not None:
            k["keyId"] = key_id
        pkix.append(k)
    return {"displayName": name, "pkixPublicKeySet": {"pkixPublicKeys": pkix}}


CI_AUTH = authenticator("ci", ("ci-p256", "ECDSA_P256_SHA256", None))


def attest(*authenticators, projects=("attest-project",), name="attest"):
    return chk(
        name,
        "simpleSigningAttestationCheck",
        {
            "attestationAuthenticators": list(authenticators or [CI_AUTH]),
            "containerAnalysisAttestationProjects": ["projects/" + p for p in projects],
        },
    )


def sigstore_check(*keys, name="sigstore"):
    return chk(
        name,
        "sigstoreSignatureCheck",
        {
            "sigstoreAuthorities": [
                {
                    "displayName": "cosign",
                    "publicKeySet": {"publicKeys": [{"publicKeyPem": v.public_pem(k)} for k in keys]},
                }
            ]
        },
    )


def slsa_rule(projects, patterns=None, config=False, custom=None):
    rule = {
        "trustedBuilder": "GOOGLE_CLOUD_BUILD",
        "attestationSource": {"containerAnalysisAttestationProjects": ["projects/" + p for p in projects]},
        "configBasedBuildRequired": config,
    }
    if patterns is not None:
        rule["trustedSourceRepoPatterns"] = list(patterns)
    if custom is not None:
        rule["customConstraints"] = custom
    return rule


def slsa(*rules, name="slsa"):
    return chk(name, "slsaCheck", {"rules": list(rules)})


# ---------------------------------------------------------------- requests
def workload(*images_, namespace="prod", sa=None, init=(), ephemeral=()):
    return {
        "workload": pod(
            [("c%d" % i, im) for i, im in enumerate(images_)],
            namespace=namespace,
            sa=sa,
            init=[("init%d" % i, im) for i, im in enumerate(init)],
            ephemeral=[("debug%d" % i, im) for i, im in enumerate(ephemeral)],
        )
    }


IMG_A = WEB + "@" + DIG_A
IMG_B = WEB + "@" + DIG_B
TAGGED = WEB + ":1.0"


# ---------------------------------------------------------------- expectations
def cr(verdict, *codes, index=None):
    """A check result: its verdict and every detail code, in order."""
    out = {"evaluationResult": {"verdict": verdict}, "details": [{"code": c} for c in codes]}
    if index is not None:
        out["index"] = str(index)
    return out


def exempt(pattern):
    return {"allowlistResult": {"matchedPattern": pattern}}


def ir(verdict, *checks, set_index=0, image=None):
    out = {"verdict": verdict, "checkSetResult": {"index": str(set_index), "checkResults": {"results": list(checks)}}}
    if image is not None:
        out["imageUri"] = image
    return out


def resp(*image_results, verdict=None, **pod_fields):
    verdicts = [i["verdict"] for i in image_results]
    if verdict is None:
        verdict = (
            "NON_CONFORMANT"
            if "NON_CONFORMANT" in verdicts
            else "ERROR"
            if "ERROR" in verdicts
            else "CONFORMANT"
        )
    pod_ = {"verdict": verdict, "imageResults": list(image_results)}
    pod_.update(pod_fields)
    return {"verdict": verdict, "results": [pod_]}


def case(name, description, policy, request, expect, attestations=None, trust=None, now=NOW, options=None):
    inp = {"platformPolicy": policy, "request": request, "now": now}
    if attestations is not None:
        inp["attestations"] = attestations
    if trust is not None:
        inp["trust"] = trust
    if options is not None:
        inp["options"] = options
    add(G, name, {"description": description, "input": inp, "expect": expect})


def iso(seconds):
    import datetime

    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


NOW_S = 1795428000  # NOW, 2026-11-23T10:00:00Z


# ---------------------------------------------------------------- evidence builders
def docker_image(digest=DIG_A, uploaded=NOW_S - 10 * DAY, tags=(), repo=WEB):
    return {
        "name": "projects/example-project/locations/us/repositories/app/dockerImages/web@" + digest,
        "uri": repo + "@" + digest,
        "tags": list(tags),
        "uploadTime": iso(uploaded),
        "buildTime": iso(uploaded - DAY),
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    }


def scan(project="example-project", digest=DIG_A, status="FINISHED_SUCCESS", name="scan"):
    return {
        "name": "projects/%s/occurrences/%s" % (project, name),
        "kind": "DISCOVERY",
        "resourceUri": "https://" + WEB + "@" + digest,
        "noteName": "projects/goog-analysis/notes/PACKAGE_VULNERABILITY",
        "discovery": {"analysisStatus": status, "continuousAnalysis": "ACTIVE"},
    }


def finding(cve, severity=None, fixable=True, project="example-project", provider="goog-vulnz", digest=DIG_A, plain=None, name=None):
    details = {"fixAvailable": fixable}
    if severity is not None:
        details["effectiveSeverity"] = severity
    if plain is not None:
        details["severity"] = plain
    out = {
        "kind": "VULNERABILITY",
        "resourceUri": "https://" + WEB + "@" + digest,
        "noteName": "projects/%s/notes/%s" % (provider, cve),
        "vulnerability": details,
    }
    if name is not False:
        out["name"] = "projects/%s/occurrences/%s" % (project, name or cve.lower())
    return out


def attestation(name="att-1", project="attest-project", key="ci-p256", payload=PAYLOAD_A, signed=None, image=IMG_A, key_id=None, note="projects/attest-project/notes/anything", sig=None):
    if sig is None:
        sig = v.sign(key, payload if signed is None else signed)
    return v.occurrence(
        "projects/%s/occurrences/%s" % (project, name),
        note,
        "https://" + image,
        payload,
        [(key_id or v.default_key_id(key), sig)],
    )


# ---------------------------------------------------------------- cases
def algorithm_cases():
    case(
        "100-no-check-sets",
        "a policy without check sets allows every image, with an explanation (P-3)",
        pp(),
        images(IMG_A),
        resp({"verdict": "CONFORMANT", "explanation": "*"}),
    )
    case(
        "101-policy-allowlist",
        "the policy-level imageAllowlist exempts the image before any check set (ImageResult.allowlistResult)",
        pp(cset("default", deny()), allow=[WEB]),
        images(IMG_A),
        resp({"verdict": "CONFORMANT", "allowlistResult": {"matchedPattern": WEB}}),
    )
    case(
        "102-empty-check-set",
        "a check set without checks allows, with CheckSetResult.explanation (P-3)",
        pp(cset("default")),
        images(IMG_A),
        resp({"verdict": "CONFORMANT", "checkSetResult": {"index": "0", "displayName": "default", "explanation": "*"}}),
    )
    case(
        "103-check-set-allowlist",
        "the check set's imageAllowlist exempts the image (CheckSetResult.allowlistResult); no check runs",
        pp(cset("default", deny(), allow=[AR + "/*"])),
        images(IMG_A),
        resp({"verdict": "CONFORMANT", "checkSetResult": {"index": "0", "allowlistResult": {"matchedPattern": AR + "/*"}}}),
    )
    case(
        "104-check-allowlist",
        "a check's imageAllowlist exempts the image from that check only (counts as allow); the next check still runs",
        pp(cset("default", deny("exempt", allow=[AR + "/*"]), deny("deny"))),
        images(IMG_A),
        resp(ir("NON_CONFORMANT", exempt(AR + "/*"), cr("NON_CONFORMANT", "ALWAYS_DENY", index=1))),
    )
    case(
        "105-always-deny-explanation",
        "alwaysDeny is NON_CONFORMANT; the explanation follows GCP's template (`<type> at index <j> with display name \"<name>\" has verdict NOT_CONFORMANT. <reason>`), type AlwaysDeny (P-11)",
        pp(cset("Default check set", deny("Deny everything"))),
        images(IMG_A),
        resp(
            ir(
                "NON_CONFORMANT",
                dict(
                    cr("NON_CONFORMANT", "ALWAYS_DENY", index=0),
                    type="AlwaysDeny",
                    displayName="Deny everything",
                    explanation='AlwaysDeny at index 0 with display name "Deny everything" has verdict NOT_CONFORMANT. The check always denies',
                ),
            )
        ),
    )
    case(
        "106-non-conformance-beats-error",
        "every check runs (no short circuit): an ERROR check (no upload time), then alwaysDeny, then the ERROR again; the image is NON_CONFORMANT (P-3)",
        pp(cset("default", fresh(name="f1"), deny(), fresh(name="f2"))),
        images(IMG_A),
        resp(ir("NON_CONFORMANT", cr("ERROR", "NO_UPLOAD_TIME"), cr("NON_CONFORMANT", "ALWAYS_DENY"), cr("ERROR", "NO_UPLOAD_TIME"))),
    )
    case(
        "107-error-without-non-conformance",
        "an ERROR check and a CONFORMANT one fold to ERROR",
        pp(cset("default", fresh(), trusted())),
        images(IMG_A),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"), cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"))),
    )
    case(
        "108-pod-fold-error",
        "the Pod folds its images: one ERROR (no record) and one CONFORMANT image give ERROR",
        pp(cset("default", fresh())),
        images(IMG_A, IMG_B),
        resp(
            ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"), image=IMG_A),
            ir("CONFORMANT", cr("CONFORMANT", "IMAGE_FRESH"), image=IMG_B),
        ),
        attestations=[docker_image(DIG_B)],
    )
    case(
        "109-pod-fold-non-conformant",
        "one NON_CONFORMANT image and one ERROR image: the Pod and the response are NON_CONFORMANT",
        pp(cset("default", fresh())),
        images(IMG_A, IMG_B),
        resp(
            ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME")),
            ir("NON_CONFORMANT", cr("NON_CONFORMANT", "IMAGE_TOO_OLD")),
        ),
        attestations=[docker_image(DIG_B, uploaded=NOW_S - 90 * DAY)],
    )
    scoped = pp(
        cset("sa set", deny("sa"), sa="prod:builder"),
        cset("ns set", trusted(), ns="prod"),
        cset("default set", fresh()),
    )
    case(
        "110-scope-service-account",
        "a Pod running as prod:builder gets the service-account set, listed before its namespace's set (P-3)",
        scoped,
        workload(IMG_A, sa="builder"),
        resp(
            dict(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "ALWAYS_DENY"), set_index=0), checkSetResult={
                "index": "0", "displayName": "sa set", "scope": {"kubernetesServiceAccount": "prod:builder"},
                "checkResults": {"results": [cr("NON_CONFORMANT", "ALWAYS_DENY")]}}),
            podName="web-0",
            kubernetesNamespace="prod",
            kubernetesServiceAccount="builder",
        ),
    )
    case(
        "111-scope-namespace",
        "another service account in prod gets the namespace set",
        scoped,
        workload(IMG_A, sa="runner"),
        resp(
            dict(ir("CONFORMANT", cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"), set_index=1), checkSetResult={
                "index": "1", "scope": {"kubernetesNamespace": "prod"},
                "checkResults": {"results": [cr("CONFORMANT", "IN_TRUSTED_DIRECTORY")]}}),
            kubernetesServiceAccount="runner",
        ),
    )
    case(
        "112-scope-default",
        "a Pod in another namespace gets the default (last) set",
        scoped,
        workload(IMG_A, namespace="dev", sa="builder"),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"), set_index=2), kubernetesNamespace="dev"),
    )
    case(
        "113-scope-default-service-account",
        "a Pod without serviceAccountName runs as `default`: a `prod:default` set matches it",
        pp(cset("sa default", deny(), sa="prod:default"), cset("default set", trusted())),
        workload(IMG_A),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "ALWAYS_DENY"), set_index=0), kubernetesServiceAccount="default"),
    )
    case(
        "114-image-list-uses-default-set",
        "an image list always uses the default (last) set, as `gcloud … policy evaluate --image` does, whatever the request's namespace",
        scoped,
        images(IMG_A, namespace="prod", serviceAccount="builder"),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"), set_index=2)),
    )
    case(
        "115-init-and-ephemeral-containers",
        "init and ephemeral containers are evaluated too, in the request's order (init containers first)",
        pp(cset("default", trusted())),
        workload(IMG_A, init=[MIRROR + "@" + DIG_A], ephemeral=["busybox:1.36"]),
        resp(
            ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NOT_IN_TRUSTED_DIRECTORY"), image=MIRROR + "@" + DIG_A),
            ir("CONFORMANT", cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"), image=IMG_A),
            ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NOT_IN_TRUSTED_DIRECTORY"), image="busybox:1.36"),
        ),
    )


def trusted_cases():
    case(
        "130-trusted-directory",
        "an image in a trusted directory conforms",
        pp(cset("default", trusted())),
        images(IMG_A),
        resp(ir("CONFORMANT", cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"))),
    )
    case(
        "131-not-in-trusted-directory",
        "GCP's sample explanation: `TrustedDirectoryCheck at index 0 with display name \"My trusted directory check\" has verdict NOT_CONFORMANT. Image is not in a trusted directory`",
        pp(cset("Default check set", trusted("My trusted directory check"))),
        images(MIRROR + "@" + DIG_A),
        resp(
            ir(
                "NON_CONFORMANT",
                dict(
                    cr("NON_CONFORMANT", "NOT_IN_TRUSTED_DIRECTORY"),
                    type="TrustedDirectoryCheck",
                    explanation='TrustedDirectoryCheck at index 0 with display name "My trusted directory check" has verdict NOT_CONFORMANT. Image is not in a trusted directory',
                ),
            )
        ),
    )
    case(
        "132-trusted-directory-tag-only",
        "the trusted-directory check reads the image string: a tag-only image can conform (P-4)",
        pp(cset("default", trusted())),
        images(TAGGED),
        resp(ir("CONFORMANT", cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"))),
    )


def freshness_cases():
    upload = NOW_S - 30 * DAY
    case(
        "140-freshness-exactly-max-age",
        "uploaded exactly maxUploadAgeDays × 86,400 s before now: conformant (P-6, strict `>`)",
        pp(cset("default", fresh(30))),
        images(IMG_A),
        resp(ir("CONFORMANT", cr("CONFORMANT", "IMAGE_FRESH"))),
        attestations=[docker_image(uploaded=upload)],
    )
    case(
        "141-freshness-one-second-too-old",
        "one second older: NON_CONFORMANT (P-6)",
        pp(cset("default", fresh(30))),
        images(IMG_A),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "IMAGE_TOO_OLD"))),
        attestations=[docker_image(uploaded=upload - 1)],
    )
    case(
        "142-freshness-no-record",
        "no image record for the digest: ERROR (P-6)",
        pp(cset("default", fresh(30))),
        images(IMG_A),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"))),
        attestations=[docker_image(DIG_B)],
    )
    case(
        "143-freshness-container-registry-upload-not-create",
        "Container Registry tags/list: timeUploadedMs counts, never timeCreatedMs (P-6)",
        pp(cset("default", fresh(30))),
        images(IMG_A),
        resp(ir("CONFORMANT", cr("CONFORMANT", "IMAGE_FRESH"))),
        attestations=[
            {
                "name": "example-project/web",
                "manifest": {
                    DIG_A: {
                        "imageSizeBytes": "1000",
                        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                        "tag": ["1.0"],
                        "timeCreatedMs": str((NOW_S - 400 * DAY) * 1000),
                        "timeUploadedMs": str((NOW_S - DAY) * 1000),
                    }
                },
                "tags": ["1.0"],
            }
        ],
    )
    case(
        "144-freshness-gcloud-list-create-time-is-not-upload",
        "`gcloud artifacts docker images list` prints createTime, not an upload time: ERROR (P-6)",
        pp(cset("default", fresh(30))),
        images(IMG_A),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"))),
        attestations=[
            {
                "package": WEB,
                "version": DIG_A,
                "tags": "",
                "createTime": iso(NOW_S - DAY),
                "updateTime": iso(NOW_S - DAY),
            }
        ],
    )
    case(
        "145-freshness-tag-only-record-with-tag",
        "a tag-only image: the record of its repository whose tags hold the exact tag gives the upload time (P-4)",
        pp(cset("default", fresh(30))),
        images(TAGGED),
        resp(ir("CONFORMANT", cr("CONFORMANT", "IMAGE_FRESH"))),
        attestations=[docker_image(tags=["1.0", "latest"])],
    )
    case(
        "146-freshness-tag-only-other-tag",
        "a tag-only image whose tag no record holds: ERROR (P-4, P-6)",
        pp(cset("default", fresh(30))),
        images(WEB + ":2.0"),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"))),
        attestations=[docker_image(tags=["1.0"])],
    )
    case(
        "147-freshness-tag-of-another-repository",
        "a record of another repository with the same tag does not count",
        pp(cset("default", fresh(30))),
        images(TAGGED),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"))),
        attestations=[docker_image(tags=["1.0"], repo=MIRROR)],
    )
    case(
        "148-freshness-pinned-image-ignores-tags",
        "an image with a tag and a digest is judged by its digest: a record holding its tag for another digest does not count (tags move)",
        pp(cset("default", fresh(30))),
        images(WEB + ":1.0@" + DIG_A),
        resp(ir("ERROR", cr("ERROR", "NO_UPLOAD_TIME"))),
        attestations=[docker_image(DIG_B, tags=["1.0"])],
    )


def vulnerability_cases():
    def one(name, description, check, items, verdict, *codes):
        case(name, description, pp(cset("default", check)), images(IMG_A), resp(ir(verdict, cr(verdict, *codes))), attestations=items)

    one("150-vulnerability-clean-scan", "a finished scan and no findings: conformant (P-5)", vuln(), [scan()], "CONFORMANT", "NO_VULNERABILITY_VIOLATION")
    one("151-vulnerability-no-scan", "no DISCOVERY occurrence: ERROR, even without findings (P-5)", vuln(), [], "ERROR", "NO_VALID_SCAN")
    one("152-vulnerability-scan-not-finished", "a scan still SCANNING is not a valid scan: ERROR", vuln(), [scan(status="SCANNING")], "ERROR", "NO_VALID_SCAN")
    one("153-vulnerability-scan-complete-alias", "`COMPLETE` is FINISHED_SUCCESS's alias: a valid scan", vuln(), [scan(status="COMPLETE")], "CONFORMANT", "NO_VULNERABILITY_VIOLATION")
    one(
        "154-vulnerability-fixable-over-threshold",
        "a fixable HIGH finding exceeds maximumFixableSeverity MEDIUM",
        vuln(),
        [scan(), finding("CVE-2026-0001", "HIGH", True)],
        "NON_CONFORMANT",
        "VULNERABILITY_OVER_THRESHOLD",
    )
    one(
        "155-vulnerability-unfixable-within-threshold",
        "an unfixable HIGH finding is within maximumUnfixableSeverity HIGH",
        vuln(),
        [scan(), finding("CVE-2026-0002", "HIGH", False)],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
    )
    one(
        "156-vulnerability-blocked-cve",
        "a LOW finding whose CVE is in blockedCves violates",
        vuln(blocked=["CVE-2026-0003"]),
        [scan(), finding("CVE-2026-0003", "LOW", True)],
        "NON_CONFORMANT",
        "VULNERABILITY_BLOCKED_CVE",
    )
    one(
        "157-vulnerability-allowed-beats-blocked",
        "a CRITICAL finding whose CVE is both allowed and blocked does not violate: allowedCves beats blockedCves and the thresholds (P-5)",
        vuln(allowed=["CVE-2026-0004"], blocked=["CVE-2026-0004"]),
        [scan(), finding("CVE-2026-0004", "CRITICAL", True)],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
        "VULNERABILITY_ALLOWED_CVE",
    )
    one(
        "158-vulnerability-unspecified-over-critical",
        "SEVERITY_UNSPECIFIED violates CRITICAL (only ALLOW_ALL admits it, P-5)",
        vuln(unfixable="CRITICAL"),
        [scan(), finding("CVE-2026-0005", "SEVERITY_UNSPECIFIED", False)],
        "NON_CONFORMANT",
        "VULNERABILITY_OVER_THRESHOLD",
    )
    one(
        "159-vulnerability-unspecified-allow-all",
        "SEVERITY_UNSPECIFIED passes ALLOW_ALL",
        vuln(unfixable="ALLOW_ALL"),
        [scan(), finding("CVE-2026-0005", "SEVERITY_UNSPECIFIED", False)],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
    )
    one(
        "160-vulnerability-finding-outside-projects",
        "a CRITICAL finding in a project the check does not list is not counted (P-5)",
        vuln(),
        [scan(), finding("CVE-2026-0006", "CRITICAL", True, project="other-project")],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
        "OUTSIDE_PROJECTS",
    )
    one(
        "161-vulnerability-scan-outside-projects",
        "a scan in a project the check does not list is not a valid scan: ERROR",
        vuln(),
        [scan(project="other-project")],
        "ERROR",
        "NO_VALID_SCAN",
        "OUTSIDE_PROJECTS",
    )
    one(
        "162-vulnerability-severity-fallback",
        "without effectiveSeverity the note's severity is used (P-5): fixable HIGH over MEDIUM",
        vuln(),
        [scan(), finding("CVE-2026-0007", None, True, plain="HIGH")],
        "NON_CONFORMANT",
        "VULNERABILITY_OVER_THRESHOLD",
    )
    one(
        "163-vulnerability-block-all",
        "BLOCK_ALL refuses even a MINIMAL finding",
        vuln(fixable="BLOCK_ALL"),
        [scan(), finding("CVE-2026-0008", "MINIMAL", True)],
        "NON_CONFORMANT",
        "VULNERABILITY_OVER_THRESHOLD",
    )
    one(
        "164-vulnerability-cve-from-any-provider",
        "the CVE id is the last segment of noteName whatever the provider project",
        vuln(blocked=["CVE-2026-0009"]),
        [scan(), finding("CVE-2026-0009", "LOW", True, provider="another-provider")],
        "NON_CONFORMANT",
        "VULNERABILITY_BLOCKED_CVE",
    )
    one(
        "165-vulnerability-nameless-finding",
        "a finding without a name lies in no project and is not counted",
        vuln(),
        [scan(), finding("CVE-2026-0010", "CRITICAL", True, name=False)],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
        "OUTSIDE_PROJECTS",
    )
    one(
        "166-vulnerability-no-scan-with-violation",
        "no valid scan: ERROR (P-5), the violating finding listed beside NO_VALID_SCAN",
        vuln(),
        [finding("CVE-2026-0011", "CRITICAL", True)],
        "ERROR",
        "NO_VALID_SCAN",
        "VULNERABILITY_OVER_THRESHOLD",
    )
    one(
        "167-vulnerability-finding-of-another-digest",
        "a finding filed under another digest is not the image's",
        vuln(),
        [scan(), finding("CVE-2026-0012", "CRITICAL", True, digest=DIG_B)],
        "CONFORMANT",
        "NO_VULNERABILITY_VIOLATION",
    )
    bad = dict(finding("CVE-2026-0013", "SEVERE", True))
    one(
        "168-vulnerability-unreadable-finding",
        "a finding in a listed project that cannot be read (unknown severity `SEVERE`): the check cannot be evaluated, ERROR",
        vuln(),
        [scan(), bad],
        "ERROR",
        "VULNERABILITY_UNREADABLE",
    )
    one(
        "169-vulnerability-unreadable-and-violation",
        "an unreadable finding beside a violating one: the violation makes the check NON_CONFORMANT",
        vuln(),
        [scan(), bad, finding("CVE-2026-0014", "CRITICAL", True)],
        "NON_CONFORMANT",
        "VULNERABILITY_UNREADABLE",
        "VULNERABILITY_OVER_THRESHOLD",
    )


def tag_cases():
    checks = (deny(), trusted(), fresh(), vuln(), attest())
    items = [docker_image(tags=["1.0"]), scan(), attestation()]
    case(
        "180-tag-only-image",
        "a tag-only image: always deny and trusted directory read the string, freshness finds the tag's record, digest-bound checks are NON_CONFORMANT with NO_DIGEST (P-4)",
        pp(cset("default", *checks)),
        images(TAGGED),
        resp(
            ir(
                "NON_CONFORMANT",
                cr("NON_CONFORMANT", "ALWAYS_DENY"),
                cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"),
                cr("CONFORMANT", "IMAGE_FRESH"),
                cr("NON_CONFORMANT", "NO_DIGEST"),
                cr("NON_CONFORMANT", "NO_DIGEST"),
            )
        ),
        attestations=items,
    )
    case(
        "181-tag-only-image-resolved",
        "with `options.tagDigests` the digest-bound checks use the caller's resolution and say so (DIGEST_RESOLVED)",
        pp(cset("default", *checks[1:])),
        images(TAGGED),
        resp(
            ir(
                "CONFORMANT",
                cr("CONFORMANT", "IN_TRUSTED_DIRECTORY"),
                cr("CONFORMANT", "DIGEST_RESOLVED", "IMAGE_FRESH"),
                cr("CONFORMANT", "DIGEST_RESOLVED", "NO_VULNERABILITY_VIOLATION"),
                cr("CONFORMANT", "DIGEST_RESOLVED", "ATTESTATION_VERIFIED"),
            )
        ),
        attestations=[docker_image(), scan(), attestation()],
        options={"tagDigests": {TAGGED: DIG_A}},
    )
    case(
        "182-tag-resolution-for-another-image",
        "a resolution is keyed by the image string as written: another tag is not resolved",
        pp(cset("default", attest())),
        images(WEB + ":2.0"),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NO_DIGEST"))),
        attestations=[attestation()],
        options={"tagDigests": {TAGGED: DIG_A}},
    )


def attestation_cases():
    def one(name, description, check, items, verdict, *codes, request=None):
        case(name, description, pp(cset("default", check)), request or images(IMG_A), resp(ir(verdict, cr(verdict, *codes))), attestations=items)

    one("190-attestation-raw", "an ATTESTATION occurrence in a listed project, signed over the raw payload by an authenticator's key, under any note (P-7)", attest(), [attestation()], "CONFORMANT", "ATTESTATION_VERIFIED")
    one("191-attestation-pae", "signed over PAE(application/vnd.dev.cosign.simplesigning.v1+json, payload) (A-13)", attest(), [attestation(signed=v.pae(PAYLOAD_A))], "CONFORMANT", "ATTESTATION_VERIFIED")
    one(
        "192-attestation-other-project",
        "an occurrence in a project the check does not list is not counted (P-7)",
        attest(),
        [attestation(project="other-project")],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "OUTSIDE_PROJECTS",
    )
    one(
        "193-attestation-payload-other-digest",
        "a signed payload naming another digest does not count for this image (A-12)",
        attest(),
        [attestation(payload=PAYLOAD_B)],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "ATTESTATION_REJECTED",
    )
    one(
        "194-attestation-bad-signature",
        "a signature by another key under the authenticator key's id does not verify",
        attest(),
        [attestation(sig=v.sign("other-p256", PAYLOAD_A), key_id=v.default_key_id("ci-p256"))],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "ATTESTATION_REJECTED",
    )
    one(
        "195-attestation-p1363-refused",
        "an ECDSA signature in IEEE P1363 form is refused: DER only (A-4)",
        attest(),
        [attestation(sig=v.p1363(v.sign("ci-p256", PAYLOAD_A)))],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "ATTESTATION_REJECTED",
    )
    one(
        "196-attestation-second-authenticator",
        "any key of any authenticator: the second authenticator's key verifies",
        attest(CI_AUTH, authenticator("qa", ("qa-p256", "ECDSA_P256_SHA256", None))),
        [attestation(key="qa-p256")],
        "CONFORMANT",
        "ATTESTATION_VERIFIED",
    )
    one(
        "197-attestation-explicit-key-id",
        "a key with an explicit keyId is selected by signatures naming that id",
        attest(authenticator("kms", ("qa-p256", "ECDSA_P256_SHA256", QA_KEY_ID))),
        [attestation(key="qa-p256", key_id=QA_KEY_ID)],
        "CONFORMANT",
        "ATTESTATION_VERIFIED",
    )
    one(
        "198-attestation-unknown-key-id",
        "a signature naming an id no authenticator key has does not verify",
        attest(),
        [attestation(key_id="//cloudkms.googleapis.com/v1/projects/x/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1")],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "ATTESTATION_REJECTED",
    )
    one("199-attestation-none", "no attestation at all", attest(), [], "NON_CONFORMANT", "NO_VERIFIED_ATTESTATION")
    one(
        "200-attestation-resource-other-image",
        "an occurrence filed under another digest is not a candidate, even with a payload for this one",
        attest(),
        [attestation(image=IMG_B)],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
    )
    one(
        "201-attestation-project-prefix",
        "`projects/attest-project-evil` is not `projects/attest-project`",
        attest(),
        [attestation(project="attest-project-evil")],
        "NON_CONFORMANT",
        "NO_VERIFIED_ATTESTATION",
        "OUTSIDE_PROJECTS",
    )
    one(
        "202-attestation-first-of-several",
        "a bad occurrence then a good one: the good one verifies",
        attest(),
        [attestation(name="bad", payload=PAYLOAD_B), attestation(name="good")],
        "CONFORMANT",
        "ATTESTATION_VERIFIED",
    )


def sigstore_cases():
    def cosign_payload(digest):
        doc = {
            "critical": {
                "identity": {"docker-reference": WEB},
                "image": {"docker-manifest-digest": digest},
                "type": "cosign container image signature",
            },
            "optional": None,
        }
        return json.dumps(doc, separators=(",", ":")).encode()

    def line(payload, key):
        return {
            "Base64Signature": v.b64(v.sign(key, payload)),
            "Payload": v.b64(payload),
            "Cert": None,
            "Chain": None,
            "Bundle": None,
            "RFC3161Timestamp": None,
        }

    def statement(digest):
        return json.dumps(
            {
                "_type": "https://in-toto.io/Statement/v1",
                "subject": [{"name": WEB, "digest": {"sha256": digest.split(":")[1]}}],
                "predicateType": "https://sigstore.dev/cosign/sign/v1",
                "predicate": {},
            },
            sort_keys=True,
            separators=(",", ":"),
        ).encode()

    def bundle(payload, key):
        t = b"application/vnd.in-toto+json"
        pae = b"DSSEv1 %d %s %d " % (len(t), t, len(payload)) + payload
        return {
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": {"publicKey": {"hint": v.b64(hashlib.sha256(v.spki_der(key)).digest())}},
            "dsseEnvelope": {
                "payload": v.b64(payload),
                "payloadType": t.decode(),
                "signatures": [{"sig": v.b64(v.sign(key, pae)), "keyid": ""}],
            },
        }

    def one(name, description, check, items, verdict, *codes, trust=None):
        case(name, description, pp(cset("default", check)), images(IMG_A), resp(ir(verdict, cr(verdict, *codes))), attestations=items, trust=trust)

    one(
        "220-sigstore-cosign-policy-key",
        "a cosign signature verifies with the authority's key from the policy, no trust material needed (P-8)",
        sigstore_check("ci-p256"),
        [line(cosign_payload(DIG_A), "ci-p256")],
        "CONFORMANT",
        "SIGSTORE_SIGNATURE_VERIFIED",
    )
    one(
        "221-sigstore-caller-key-does-not-count",
        "a cosign signature by a key the caller trusts, but no authority lists, does not count (P-8)",
        sigstore_check("qa-p256"),
        [line(cosign_payload(DIG_A), "ci-p256")],
        "NON_CONFORMANT",
        "NO_VERIFIED_SIGSTORE_SIGNATURE",
        "SIGSTORE_SIGNATURE_REJECTED",
        trust={"keys": [{"publicKeyPem": v.public_pem("ci-p256")}]},
    )
    one(
        "222-sigstore-bundle-dsse",
        "a sigstore bundle v0.3 whose in-toto statement names the image verifies with the authority's key",
        sigstore_check("ci-p256"),
        [bundle(statement(DIG_A), "ci-p256")],
        "CONFORMANT",
        "SIGSTORE_SIGNATURE_VERIFIED",
    )
    one(
        "223-sigstore-cosign-other-digest",
        "a cosign signature filed under the image but whose signed payload names another digest does not count",
        sigstore_check("ci-p256"),
        [dict(line(cosign_payload(DIG_B), "ci-p256"), resourceUri="https://" + IMG_A)],
        "NON_CONFORMANT",
        "NO_VERIFIED_SIGSTORE_SIGNATURE",
        "SIGSTORE_SIGNATURE_REJECTED",
    )
    one("224-sigstore-none", "no signature at all", sigstore_check("ci-p256"), [], "NON_CONFORMANT", "NO_VERIFIED_SIGSTORE_SIGNATURE")
    one(
        "225-sigstore-second-key",
        "any key of any authority: the second key verifies",
        sigstore_check("qa-p256", "ci-p256"),
        [line(cosign_payload(DIG_A), "ci-p256")],
        "CONFORMANT",
        "SIGSTORE_SIGNATURE_VERIFIED",
    )
    pay = cosign_payload(DIG_A)
    good = v.sign("p521", pay)
    junk = [
        dict(line(pay, "p521"), Base64Signature=v.b64(good[:100] + bytes([(good[100] + k) % 256]) + good[101:]))
        for k in range(1, 7)
    ]
    one(
        "226-sigstore-budget",
        "six wrong P-521 cosign signatures spend the check's 512 units: the valid one after them is not checked (NOT_TRIED_BUDGET)",
        sigstore_check("p521"),
        junk + [line(pay, "p521")],
        "NON_CONFORMANT",
        "NO_VERIFIED_SIGSTORE_SIGNATURE",
        "NOT_TRIED_BUDGET",
        *(["SIGSTORE_SIGNATURE_REJECTED"] * 5),
    )


def slsa_cases():
    gcb_dir = os.path.join(v.ROOT, "testdata", "fixtures", "slsa-verifier", "gcb_container")

    def gcb(path):
        with open(os.path.join(gcb_dir, path)) as f:
            return json.load(f)["provenance_summary"]["provenance"]

    V02 = "us-west2-docker.pkg.dev/gosst-scare-sandbox/quickstart-docker-repo/quickstart-image@sha256:1a033b002f89ed2b8ea733162497fb70f1a4049a7f8602d6a33682b4ad9921fd"
    V03 = "us-west2-docker.pkg.dev/slsa-tooling/example-package-repo/e2e-gcb-tag-main-annotated-slsa3@sha256:87db6d5226440e72f7134b71163df45282127a3f7b0600c946683cb2f43a70a9"
    v02 = gcb("v0.2/gcloud-container-github.json")
    v03 = gcb("v0.3/gcloud-container-github-tag.json")

    def one(name, description, rules, image, items, verdict, *codes, trust=None):
        case(name, description, pp(cset("default", slsa(*rules))), images(image), resp(ir(verdict, cr(verdict, *codes))), attestations=items, trust=trust)

    one(
        "240-slsa-gcb-v02",
        "slsa-verifier's real Cloud Build v0.2 provenance: verified with Cloud Build's shipped key, hosted worker, source github.com/laurentsimon/gcb-tests (the /commit/SHA dropped, scheme ignored) (P-9)",
        [slsa_rule(["gosst-scare-sandbox"], ["github.com/laurentsimon/gcb-tests"])],
        V02,
        v02,
        "CONFORMANT",
        "SLSA_RULE_SATISFIED",
    )
    one(
        "241-slsa-wrong-project",
        "provenance from a project the rule does not list is not counted",
        [slsa_rule(["another-project"], ["github.com/laurentsimon/gcb-tests"])],
        V02,
        v02,
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "OUTSIDE_PROJECTS",
    )
    one(
        "242-slsa-source-not-trusted",
        "the source repository matches no trustedSourceRepoPatterns entry",
        [slsa_rule(["gosst-scare-sandbox"], ["github.com/laurentsimon/other"])],
        V02,
        v02,
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "SOURCE_REPO_NOT_TRUSTED",
    )
    one(
        "243-slsa-config-based-build-required",
        "a v0.2 build from inline steps (recipe type = builder id) fails configBasedBuildRequired",
        [slsa_rule(["gosst-scare-sandbox"], ["github.com/laurentsimon/gcb-tests"], config=True)],
        V02,
        v02,
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "NOT_CONFIG_BASED_BUILD",
    )
    one(
        "244-slsa-gcb-v03-config-based",
        "slsa-verifier's real v0.3 provenance: CloudBuildYaml recipe (config-based), source git+https://github.com/slsa-framework/example-package",
        [slsa_rule(["slsa-tooling"], ["github.com/slsa-framework/*"], config=True)],
        V03,
        v03,
        "CONFORMANT",
        "SLSA_RULE_SATISFIED",
    )
    one(
        "245-slsa-custom-constraints",
        "a rule with customConstraints (CEL) is ERROR, never silently passed (P-9)",
        [slsa_rule(["gosst-scare-sandbox"], custom="!('_FORBIDDEN' in predicate.recipe.arguments.substitutions)")],
        V02,
        v02,
        "ERROR",
        "CUSTOM_CONSTRAINTS_UNSUPPORTED",
    )
    one(
        "246-slsa-custom-constraints-or-met-rule",
        "rules are ORed: a met rule makes the check conformant even beside a customConstraints rule",
        [
            slsa_rule(["gosst-scare-sandbox"], custom="true"),
            slsa_rule(["gosst-scare-sandbox"], ["github.com/laurentsimon/gcb-tests"]),
        ],
        V02,
        v02,
        "CONFORMANT",
        "SLSA_RULE_SATISFIED",
    )
    one(
        "247-slsa-tampered-payload",
        "slsa-verifier's mismatch-payload-builderid: the altered payload no longer verifies",
        [slsa_rule(["gosst-scare-sandbox"])],
        V02,
        gcb("v0.2/gcloud-container-mismatch-payload-builderid.json"),
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "PROVENANCE_REJECTED",
    )
    one(
        "248-slsa-without-cloud-build-keys",
        "with `cloudBuildKeys: false` and no caller key nothing verifies the provenance",
        [slsa_rule(["gosst-scare-sandbox"])],
        V02,
        v02,
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "PROVENANCE_REJECTED",
        trust={"cloudBuildKeys": False},
    )
    one(
        "249-slsa-no-repo-patterns",
        "a rule without trustedSourceRepoPatterns does not constrain the source",
        [slsa_rule(["gosst-scare-sandbox"])],
        V02,
        v02,
        "CONFORMANT",
        "SLSA_RULE_SATISFIED",
    )
    one(
        "250-slsa-other-image",
        "provenance for another digest does not count for this image",
        [slsa_rule(["gosst-scare-sandbox"])],
        V03.split("@")[0] + "@" + V02.split("@")[1].replace("1a03", "1a04"),
        v02,
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
    )
    one(
        "251-slsa-unsigned-copy-mismatch",
        "slsa-verifier's mismatch-text-digest: the unsigned intotoStatement disagrees with the signed one",
        [slsa_rule(["gosst-scare-sandbox"])],
        V02,
        gcb("v0.2/gcloud-container-mismatch-text-digest.json"),
        "NON_CONFORMANT",
        "NO_VERIFIED_PROVENANCE",
        "PROVENANCE_REJECTED",
    )


def budget_cases():
    """Bounded work: an authenticator with a P-521 key (100 units a check) and six distinct,
    well-formed wrong signatures before the valid one: the check's 512 units run out after
    five, the valid occurrence is never tried and does not count."""
    good = v.sign("p521", PAYLOAD_A)

    def wrong(k, at=100):
        return good[:at] + bytes([(good[at] + k) % 256]) + good[at + 1 :]

    key_id = v.default_key_id("p521")
    junk = [attestation(name="junk-%d" % k, sig=wrong(k), key="p521", key_id=key_id) for k in range(1, 7)]
    case(
        "270-attestation-budget",
        "six wrong P-521 signatures spend the check's 512 verification units: the valid attestation after them is not tried (NOT_TRIED_BUDGET) and the check is NON_CONFORMANT",
        pp(cset("default", attest(authenticator("p521", ("p521", "ECDSA_P521_SHA512", None))))),
        images(IMG_A),
        resp(
            ir(
                "NON_CONFORMANT",
                cr(
                    "NON_CONFORMANT",
                    "NO_VERIFIED_ATTESTATION",
                    "NOT_TRIED_BUDGET",
                    *(["ATTESTATION_REJECTED"] * 5),
                ),
            )
        ),
        attestations=junk + [attestation(name="valid", key="p521", sig=good)],
    )


def cases():
    algorithm_cases()
    trusted_cases()
    freshness_cases()
    vulnerability_cases()
    tag_cases()
    attestation_cases()
    sigstore_cases()
    slsa_cases()
    budget_cases()
    adversarial_cases()


def adversarial_cases():
    """Attacks found in review (numbers 280-299)."""
    intoto = "application/vnd.in-toto+json"

    def provenance(repository):
        statement = {
            "_type": "https://in-toto.io/Statement/v1",
            "subject": [{"name": WEB, "digest": {"sha256": DIG_A.split(":", 1)[1]}}],
            "predicateType": "https://slsa.dev/provenance/v1",
            "predicate": {
                "buildDefinition": {
                    "buildType": "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1",
                    "externalParameters": {"buildConfigSource": {"path": "cloudbuild.yaml", "ref": "refs/heads/main", "repository": repository}},
                },
                "runDetails": {"builder": {"id": "https://cloudbuild.googleapis.com/GoogleHostedWorker"}},
            },
        }
        payload = json.dumps(statement, sort_keys=True).encode()
        signed = b"DSSEv1 %d %s %d " % (len(intoto), intoto.encode(), len(payload)) + payload
        return {
            "name": "projects/builds/occurrences/b1",
            "kind": "BUILD",
            "resourceUri": "https://" + IMG_A,
            "envelope": {"payload": v.b64(payload), "payloadType": intoto, "signatures": [{"sig": v.b64(v.sign("ci-p256", signed))}]},
        }

    trust = {"keys": [{"publicKeyPem": v.public_pem("ci-p256")}], "cloudBuildKeys": False}
    policy = pp(cset("default", slsa(slsa_rule(["builds"], ["github.com/o/r"], config=True))))
    case(
        "280-slsa-source-repo-control",
        "caller-signed SLSA v1 provenance from git+https://github.com/o/r meets a rule trusting github.com/o/r",
        policy,
        images(IMG_A),
        resp(ir("CONFORMANT", cr("CONFORMANT", "SLSA_RULE_SATISFIED"))),
        attestations=[provenance("git+https://github.com/o/r")],
        trust=trust,
    )
    case(
        "281-slsa-source-repo-scheme-stripped-once",
        "https://evil.com://github.com/o/r is host evil.com: the scheme is stripped once, so it does not match github.com/o/r",
        policy,
        images(IMG_A),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NO_VERIFIED_PROVENANCE", "SOURCE_REPO_NOT_TRUSTED"))),
        attestations=[provenance("https://evil.com://github.com/o/r")],
        trust=trust,
    )
    case(
        "282-slsa-source-repo-userinfo",
        "https://github.com@evil.com/o/r is host evil.com: not github.com/o/r",
        policy,
        images(IMG_A),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NO_VERIFIED_PROVENANCE", "SOURCE_REPO_NOT_TRUSTED"))),
        attestations=[provenance("https://github.com@evil.com/o/r")],
        trust=trust,
    )
    tree = pp(cset("default", slsa(slsa_rule(["builds"], ["github.com/o/**"], config=True))))
    case(
        "283-slsa-source-repo-percent-encoded-dots",
        "github.com/o/** does not match github.com/o/%2e%2e/evil/r (URL parsers read %2e%2e as ..)",
        tree,
        images(IMG_A),
        resp(ir("NON_CONFORMANT", cr("NON_CONFORMANT", "NO_VERIFIED_PROVENANCE", "SOURCE_REPO_NOT_TRUSTED"))),
        attestations=[provenance("https://github.com/o/%2e%2e/evil/r")],
        trust=trust,
    )
