#!/usr/bin/env python3
"""Regenerates testdata/vectors/: the shared, language-neutral specification of vouch.

Each vector is a bundle (contract §1) plus `expect` (a subset of the decision JSON; messages are
never asserted) or `expectError` ({code, path}). Signatures come from the `openssl` command line
(see vectorlib.py). After regenerating, refresh the golden outputs with
`VOUCH_BLESS=1 cargo test -p vouch --test vectors` and review the diff.

Usage: python3 scripts/gen_vectors.py
"""

import json
import os
import shutil
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vectorlib as v  # noqa: E402

OUT = os.path.join(v.ROOT, "testdata", "vectors")
SPEC = json.load(open(os.path.join(v.KEYS, "spec-vectors.json")))

NOW = "2026-11-23T10:00:00Z"
# OpenPGP vectors are judged at this time: after every OpenPGP test key and signature.
PGP_NOW = "2026-12-01T00:00:00Z"
DIG_A = SPEC["digest_A"]
DIG_B = SPEC["digest_B"]
DIG_C = "sha256:" + "c0ffee" * 10 + "c0ff"
WEB = "us-docker.pkg.dev/example-project/app/web"
MIRROR = "europe-docker.pkg.dev/mirror-project/mirror/web"
P = "projects/example-project"
CI, QA, SCAN, LEGACY = (P + "/attestors/" + n for n in ("built-by-ci", "qa-approved", "security-scan", "legacy-pgp"))
CI_NOTE, QA_NOTE, SCAN_NOTE, LEGACY_NOTE = (P + "/notes/" + n for n in ("built-by-ci", "qa-approved", "security-scan", "legacy-pgp"))
EC_ID = SPEC["ec_key_id"]
KMS_ID = SPEC["rsa_kms_style_key_id"]
ENF, DRY = "ENFORCED_BLOCK_AND_AUDIT_LOG", "DRYRUN_AUDIT_LOG_ONLY"
BG = "imagepolicywebhook.image-policy.k8s.io/break-glass"
DR = "imagepolicywebhook.image-policy.k8s.io/dry-run"
OV = "imagepolicywebhook.image-policy.k8s.io/overridden-verification-result"

PAYLOAD_A = v.gcloud_payload(WEB, DIG_A)
PAYLOAD_B = v.gcloud_payload(WEB, DIG_B)
PAYLOAD_C = v.gcloud_payload(WEB, DIG_C)
PAYLOAD_MIRROR_A = v.gcloud_payload(MIRROR, DIG_A)

# ---------------------------------------------------------------- keys and attestors
CI_KEY_ID = v.default_key_id("ci-p256")
QA_KEY_ID = "//cloudkms.googleapis.com/v1/projects/example-project/locations/global/keyRings/binauthz/cryptoKeys/qa/cryptoKeyVersions/1"
SCAN_KEY_ID = v.default_key_id("scan-ed25519")


def ci_attestor(**kw):
    return v.pkix_attestor(CI, CI_NOTE, [("ci-p256", "ECDSA_P256_SHA256", None)], **kw)


def qa_attestor():
    return v.pkix_attestor(QA, QA_NOTE, [("qa-p256", "EC_SIGN_P256_SHA256", QA_KEY_ID)])


def scan_attestor():
    return v.pkix_attestor(SCAN, SCAN_NOTE, [("scan-ed25519", "ED25519", None)])


def spec_ci_attestor(key_id=EC_ID):
    return v.pkix_attestor(CI, CI_NOTE, [("spec-ec-p256", "ECDSA_P256_SHA256", key_id)])


def ci_occ(name="ci-1", image=WEB + "@" + DIG_A, payload=PAYLOAD_A, sig=None, key_id=None, **kw):
    sig = v.sign("ci-p256", payload) if sig is None else sig
    return v.occurrence(P + "/occurrences/" + name, CI_NOTE, image, payload, [(key_id or CI_KEY_ID, sig)], **kw)


def qa_occ(name="qa-1", image=WEB + "@" + DIG_A, payload=PAYLOAD_A):
    return v.occurrence(P + "/occurrences/" + name, QA_NOTE, image, payload, [(QA_KEY_ID, v.sign("qa-p256", payload))])


def scan_occ(name="scan-1", image=WEB + "@" + DIG_A, payload=PAYLOAD_A, signed=None):
    sig = v.sign("scan-ed25519", payload if signed is None else signed)
    return v.occurrence(P + "/occurrences/" + name, SCAN_NOTE, image, payload, [(SCAN_KEY_ID, sig)])


def spec_occ(name, payload_b64, sig_b64, key_id=EC_ID, image=WEB + "@" + DIG_A):
    return v.occurrence(P + "/occurrences/" + name, CI_NOTE, image, payload_b64, [(key_id, sig_b64)])


# ---------------------------------------------------------------- policies and requests
def rule(mode, enforcement=ENF, by=()):
    r = {"evaluationMode": mode, "enforcementMode": enforcement}
    if by:
        r["requireAttestationsBy"] = list(by)
    return r


def policy(default, patterns=(), gmode="DISABLE", cluster=None, ns=None, sa=None, istio=None):
    p = {"name": P + "/policy"}
    if gmode is not None:
        p["globalPolicyEvaluationMode"] = gmode
    if patterns:
        p["admissionWhitelistPatterns"] = [{"namePattern": x} for x in patterns]
    p["defaultAdmissionRule"] = default
    for key, value in (("clusterAdmissionRules", cluster), ("kubernetesNamespaceAdmissionRules", ns),
                       ("kubernetesServiceAccountAdmissionRules", sa), ("istioServiceIdentityAdmissionRules", istio)):
        if value:
            p[key] = value
    p["updateTime"] = "2026-10-01T00:00:00.000000Z"
    p["etag"] = "BwYabcdef12="
    return p


ALLOW_ALL = policy(rule("ALWAYS_ALLOW"))
DENY_ALL = policy(rule("ALWAYS_DENY"))


def require(*attestors, enforcement=ENF, **kw):
    return policy(rule("REQUIRE_ATTESTATION", enforcement, attestors), **kw)


def images(*imgs, **kw):
    r = {"images": list(imgs)}
    r.update(kw)
    return r


def pod(containers, namespace=None, init=(), ephemeral=(), labels=None, annotations=None, sa=None, kind="Pod"):
    spec = {"containers": [{"name": n, "image": i} for n, i in containers]}
    if init:
        spec["initContainers"] = [{"name": n, "image": i} for n, i in init]
    if ephemeral:
        spec["ephemeralContainers"] = [{"name": n, "image": i} for n, i in ephemeral]
    if sa:
        spec["serviceAccountName"] = sa
    meta = {"name": "web-0"}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": kind, "metadata": meta, "spec": spec}


def controller(kind, containers, namespace=None, template_labels=None, object_labels=None, sa=None):
    inner = pod(containers, labels=template_labels, sa=sa)
    template = {"metadata": inner["metadata"], "spec": inner["spec"]}
    template["metadata"].pop("name", None)
    api = {"Job": "batch/v1", "CronJob": "batch/v1"}.get(kind, "apps/v1")
    meta = {"name": "web"}
    if namespace:
        meta["namespace"] = namespace
    if object_labels:
        meta["labels"] = object_labels
    spec = {"selector": {"matchLabels": {"app": "web"}}, "template": template}
    if kind == "CronJob":
        spec = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": template}}}
    elif kind == "Job":
        spec = {"template": template}
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": spec}


# ---------------------------------------------------------------- expectations
def exp(verdict, kind="DEFAULT", key=None, imgs=None, annotations=None, system=None):
    e = {"allowed": verdict != "DENY", "verdict": verdict, "rule": {"kind": kind, "key": key}}
    if imgs is not None:
        e["images"] = imgs
    e["auditAnnotations"] = annotations or {}
    e["systemPolicySource"] = system
    return e


def img(image, outcome, container=None, exemption=None, reasons=None, attestors=None, volume=None):
    e = {"image": image, "outcome": outcome}
    if container is not None:
        e["container"] = container
    if volume is not None:
        e["container"] = None
        e["volume"] = volume
    if exemption is not None:
        e["exemption"] = {"source": exemption[0], "pattern": exemption[1]}
    elif outcome != "EXEMPT":
        e["exemption"] = None
    if reasons is not None:
        e["reasons"] = reasons
    elif outcome != "VIOLATION":
        e["reasons"] = []
    if attestors is not None:
        e["attestors"] = attestors
    return e


def why(code, attestor=None, details=None):
    r = {"code": code, "attestor": attestor}
    if details is not None:
        r["details"] = [{"code": d} if isinstance(d, str) else {"code": d[0], "occurrence": d[1]} for d in details]
    return r


def att(attestor, satisfied, form=None, key_id=None, occurrence=None):
    a = {"attestor": attestor, "satisfied": satisfied}
    if satisfied:
        a["signedForm"] = form or "RAW"
    if key_id is not None:
        a["keyId"] = key_id
    if occurrence is not None:
        a["occurrence"] = occurrence
    return a


def err(code, path=None):
    e = {"code": code}
    if path is not None:
        e["path"] = path
    return e


ANN_BG = {BG: "true"}
ANN_BG_OV = {BG: "true", OV: "*"}
ANN_DRY = {DR: "true", OV: "*"}

# ---------------------------------------------------------------- the vector list
VECTORS = {}


def vec(group, name, description, policy_, request, expect=None, error=None, attestors=(), attestations=(),
        system=None, options=None, now=NOW, raw=None):
    b = {"description": description, "policy": policy_}
    if attestors is not None:
        b["attestors"] = list(attestors) if isinstance(attestors, (list, tuple)) else attestors
    if attestations is not None:
        b["attestations"] = list(attestations) if isinstance(attestations, (list, tuple)) else attestations
    if system is not None:
        b["systemPolicy"] = system
    b["request"] = request
    if now is not None:
        b["now"] = now
    if options is not None:
        b["options"] = options
    if raw:
        b.update(raw)
    assert (expect is None) != (error is None), name
    if expect is not None:
        b["expect"] = expect
    else:
        b["expectError"] = error
    VECTORS.setdefault(group, []).append((name, b))


def spec_cases():
    g = "evaluate"
    # Case 1: allowlist wildcards, ALWAYS_DENY default.
    p1 = policy(rule("ALWAYS_DENY"), patterns=["gcr.io/example-project/nginx*", "us-docker.pkg.dev/example-project/tools/**",
                                               "gcr.io/example-project/helloworld:v1.*", "docker.io/library/busybox*"])
    vec(g, "case1a-star-pattern-exempts-tagged-image", "§10 1a: `nginx*` matches `nginx:1.25` (no `/` after the prefix)",
        p1, images("gcr.io/example-project/nginx:1.25"),
        exp("ALLOW", imgs=[img("gcr.io/example-project/nginx:1.25", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/example-project/nginx*"))]))
    vec(g, "case1b-star-does-not-cross-slash", "§10 1b: `*` cannot cross `/`", p1, images("gcr.io/example-project/nginx-images/nginx:1.25"),
        exp("DENY", imgs=[img("gcr.io/example-project/nginx-images/nginx:1.25", "VIOLATION", reasons=[why("ALWAYS_DENY", details=[])])]))
    kaniko = "us-docker.pkg.dev/example-project/tools/ci/kaniko@" + DIG_C
    vec(g, "case1c-double-star-crosses-slash", "§10 1c: `**` crosses `/`", p1, images(kaniko),
        exp("ALLOW", imgs=[img(kaniko, "EXEMPT", exemption=("ALLOWLIST", "us-docker.pkg.dev/example-project/tools/**"))]))
    vec(g, "case1d-tag-prefix-one-of-two-images", "§10 1d: tag prefix `v1.` exempts only the second image; one violation denies the pod",
        p1, images("gcr.io/example-project/helloworld:v2.0", "gcr.io/example-project/helloworld:v1.3"),
        exp("DENY", imgs=[img("gcr.io/example-project/helloworld:v2.0", "VIOLATION", reasons=[why("ALWAYS_DENY")]),
                          img("gcr.io/example-project/helloworld:v1.3", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/example-project/helloworld:v1.*"))]))
    vec(g, "case1e-no-normalization-before-matching", "§10 1e, A-2: `busybox:1.36` is not normalized to docker.io/library/busybox",
        p1, images("busybox:1.36"), exp("DENY", imgs=[img("busybox:1.36", "VIOLATION", reasons=[why("ALWAYS_DENY")])]))

    # Case 2: system policy vs user policy.
    sysp = {"admissionWhitelistPatterns": [{"namePattern": "gke.gcr.io/**"}, {"namePattern": "gcr.io/gke-release/**"}]}
    kp = "gke.gcr.io/kube-proxy-amd64:v1.29.1-gke.1"
    vec(g, "case2a-system-policy-exempts-first", "§10 2a: ENABLE consults the caller's system policy first",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"), images(kp),
        exp("ALLOW", imgs=[img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**"))], system="CALLER"), system=sysp)
    vec(g, "case2b-system-policy-disabled", "§10 2b: DISABLE ignores the system policy", DENY_ALL, images(kp),
        exp("DENY", imgs=[img(kp, "VIOLATION", reasons=[why("ALWAYS_DENY")])], system=None), system=sysp)
    vec(g, "case2c-unspecified-means-disable", "§10 2c, A-23: an absent globalPolicyEvaluationMode means DISABLE",
        policy(rule("ALWAYS_DENY"), gmode=None), images(kp), exp("DENY", system=None), system=sysp)
    vec(g, "case2d-system-policy-does-not-cover-image", "§10 2d: images the system policy does not cover fall through",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"), images("docker.io/library/nginx:latest"),
        exp("DENY", imgs=[img("docker.io/library/nginx:latest", "VIOLATION", reasons=[why("ALWAYS_DENY")])], system="CALLER"), system=sysp)
    vec(g, "case2e-built-in-system-policy", "A-23: ENABLE without a caller system policy uses the built-in documented list",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"), images(kp, "k8s.gcr.io/pause:3.9"),
        exp("ALLOW", imgs=[img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**")),
                           img("k8s.gcr.io/pause:3.9", "EXEMPT", exemption=("SYSTEM_POLICY", "k8s.gcr.io/**"))], system="BUILT_IN"))
    vec(g, "case2f-system-policy-before-allowlist", "the system policy is consulted before the project allowlist",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gke.gcr.io/kube-proxy-amd64*"]), images(kp),
        exp("ALLOW", imgs=[img(kp, "EXEMPT", exemption=("SYSTEM_POLICY", "gke.gcr.io/**"))], system="CALLER"), system=sysp)
    vec(g, "case2g-system-policy-as-export", "a full `export-system-policy` document is accepted as systemPolicy",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"), images(kp), exp("ALLOW", system="CALLER"),
        system={"name": "locations/global/policy", "globalPolicyEvaluationMode": "ENABLE",
                "admissionWhitelistPatterns": [{"namePattern": "gke.gcr.io/**"}], "defaultAdmissionRule": rule("ALWAYS_DENY")})

    # Case 3: two attestors (AND), digest binding. (The spec's qa attestor uses RSA-PSS, which this
    # build does not verify; here qa uses a P-256 Cloud KMS-style key. See attestation/ for RSA.)
    p3 = require(CI, QA, gmode="ENABLE")
    atts = [ci_attestor(), qa_attestor()]
    wa = WEB + "@" + DIG_A
    spec_qa = v.pkix_attestor(QA, QA_NOTE, [("spec-rsa2048", "RSA_SIGN_PSS_2048_SHA256", KMS_ID)])
    o2 = v.occurrence(P + "/occurrences/o2", QA_NOTE, WEB + "@" + DIG_A, SPEC["payload_A_b64"], [(KMS_ID, SPEC["rsa_pss_sig_A_b64"])])
    vec(g, "case3a-spec-material", "§10 3a exactly: the spec's EC attestor and its RSA-PSS (KMS) qa attestor", p3, images(WEB + "@" + DIG_A),
        exp("ALLOW", imgs=[img(WEB + "@" + DIG_A, "CONFORMANT", attestors=[att(CI, True, key_id=EC_ID), att(QA, True, key_id=KMS_ID)])],
            system="BUILT_IN"),
        attestors=[spec_ci_attestor(), spec_qa], attestations=[spec_occ("o1", SPEC["payload_A_b64"], SPEC["sig_A_b64"]), o2])
    vec(g, "case3a-both-attestors-satisfied", "§10 3a: AND over attestors; both have valid attestations", p3, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, key_id=CI_KEY_ID, occurrence=P + "/occurrences/ci-1"),
                                                           att(QA, True, key_id=QA_KEY_ID, occurrence=P + "/occurrences/qa-1")])],
            system="BUILT_IN"),
        attestors=atts, attestations=[ci_occ(), qa_occ()])
    vec(g, "case3b-one-attestor-missing", "§10 3b: AND semantics; qa has no attestation", p3, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", QA, details=[])],
                              attestors=[att(CI, True), att(QA, False)])], system="BUILT_IN"),
        attestors=atts, attestations=[ci_occ()])
    vec(g, "case3c-tag-under-attestation-rule", "§10 3c: a tag-only image cannot be attested", p3, images(WEB + ":1.0"),
        exp("DENY", imgs=[img(WEB + ":1.0", "VIOLATION", reasons=[why("NOT_DIGEST_PINNED", CI), why("NOT_DIGEST_PINNED", QA)],
                              attestors=[att(CI, False), att(QA, False)])], system="BUILT_IN"),
        attestors=atts, attestations=[ci_occ(), qa_occ()])
    mirror = MIRROR + "@" + DIG_A
    vec(g, "case3d-digest-only-binding", "§10 3d, A-12: only the digest binds; the same digest in a mirror is admitted",
        p3, images(mirror), exp("ALLOW", system="BUILT_IN"), attestors=atts,
        attestations=[ci_occ(), qa_occ()])
    vec(g, "case3d-strict-identity-denies-mirror", "§10 3d with strictIdentity: docker-reference must be the image's repository",
        p3, images(mirror),
        exp("DENY", imgs=[img(mirror, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["IDENTITY_MISMATCH"]),
                                                            why("NO_VALID_ATTESTATION", QA, details=["IDENTITY_MISMATCH"])])],
            system="BUILT_IN"),
        attestors=atts, attestations=[ci_occ(image=mirror), qa_occ(image=mirror)], options={"strictIdentity": True})
    vec(g, "case3e-signed-payload-for-other-digest", "§10 3e: a valid signature over a payload for another digest does not count",
        p3, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=[("DIGEST_MISMATCH", P + "/occurrences/ci-3")])],
                              attestors=[att(CI, False), att(QA, True)])], system="BUILT_IN"),
        attestors=atts, attestations=[ci_occ(name="ci-3", payload=PAYLOAD_B), qa_occ()])
    vec(g, "case3f-tag-and-digest", "§10 3f: `name:tag@digest` is evaluated by its digest", p3, images(WEB + ":1.0@" + DIG_A),
        exp("ALLOW", system="BUILT_IN"), attestors=atts, attestations=[ci_occ(), qa_occ()])

    # Case 4: cluster rules and dry run.
    p4 = policy(rule("ALWAYS_ALLOW"), gmode="ENABLE", cluster={
        "us-central1-a.prod-cluster": rule("REQUIRE_ATTESTATION", ENF, [CI]),
        "us-central1.staging-cluster": rule("ALWAYS_DENY", DRY)})
    wb = WEB + "@" + DIG_B
    vec(g, "case4a-cluster-rule-replaces-default", "§10 4a: the cluster rule applies, not the ALWAYS_ALLOW default", p4,
        images(wb, cluster="us-central1-a.prod-cluster"),
        exp("DENY", "CLUSTER", "us-central1-a.prod-cluster", imgs=[img(wb, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=[])])],
            system="BUILT_IN"),
        attestors=[ci_attestor()])
    vec(g, "case4b-cluster-rule-satisfied", "§10 4b", p4, images(wa, cluster="us-central1-a.prod-cluster"),
        exp("ALLOW", "CLUSTER", "us-central1-a.prod-cluster", system="BUILT_IN"), attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "case4c-regional-cluster-dry-run", "§10 4c: ALWAYS_DENY in dry run admits and records the violation", p4,
        images(WEB + ":latest", cluster="us-central1.staging-cluster"),
        exp("DRY_RUN_ALLOW", "CLUSTER", "us-central1.staging-cluster", annotations=ANN_DRY, system="BUILT_IN"), attestors=[ci_attestor()])
    vec(g, "case4d-cluster-key-mismatch-uses-default", "§10 4d: keys are exact; another zone falls back to the default rule", p4,
        images(WEB + ":latest", cluster="us-central1-b.prod-cluster"), exp("ALLOW", "DEFAULT", None, system="BUILT_IN"),
        attestors=[ci_attestor()])

    # Case 5: namespace rules, allowlisted sidecar, init containers.
    p5 = policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gcr.io/example-project/debug-tools/*"], ns={
        "payments": rule("REQUIRE_ATTESTATION", ENF, [CI]), "sandbox": rule("ALWAYS_ALLOW")})
    vec(g, "case5a-namespace-always-allow", "§10 5a", p5, images("busybox:1.36", namespace="sandbox"),
        exp("ALLOW", "NAMESPACE", "sandbox", system="BUILT_IN"), attestors=[ci_attestor()])
    net = "gcr.io/example-project/debug-tools/netshoot:latest"
    vec(g, "case5b-allowlisted-sidecar-and-attested-app", "§10 5b: a workload with an attested app and an allowlisted sidecar", p5,
        {"workload": pod([("web", wa), ("netshoot", net)], namespace="payments")},
        exp("ALLOW", "NAMESPACE", "payments", imgs=[img(wa, "CONFORMANT", container="web", attestors=[att(CI, True)]),
                                                    img(net, "EXEMPT", container="netshoot", exemption=("ALLOWLIST", "gcr.io/example-project/debug-tools/*"))],
            system="BUILT_IN"),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "case5c-init-container-is-reviewed", "§10 5c: init containers are evaluated; one denied image denies the pod", p5,
        {"workload": pod([("web", wa)], namespace="payments", init=[("migrate", wb)])},
        exp("DENY", "NAMESPACE", "payments", imgs=[img(wb, "VIOLATION", container="migrate", reasons=[why("NO_VALID_ATTESTATION", CI)]),
                                                   img(wa, "CONFORMANT", container="web")], system="BUILT_IN"),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "case5d-other-namespace-uses-default", "§10 5d", p5, images(wa, namespace="kube-public"),
        exp("DENY", "DEFAULT", None, imgs=[img(wa, "VIOLATION", reasons=[why("ALWAYS_DENY")])], system="BUILT_IN"),
        attestors=[ci_attestor()], attestations=[ci_occ()])

    # Case 6: service-account rules and break-glass.
    p6 = policy(rule("REQUIRE_ATTESTATION", ENF, [CI]), gmode="ENABLE", sa={"ci:deployer": rule("ALWAYS_ALLOW")})
    dev = WEB + ":dev"
    vec(g, "case6a-service-account-rule", "§10 6a", p6, images(dev, namespace="ci", serviceAccount="deployer"),
        exp("ALLOW", "SERVICE_ACCOUNT", "ci:deployer", system="BUILT_IN"), attestors=[ci_attestor()])
    vec(g, "case6b-service-account-key-is-exact", "§10 6b: `ci:default` is not `ci:deployer`", p6,
        images(dev, namespace="ci", serviceAccount="default"),
        exp("DENY", "DEFAULT", None, imgs=[img(dev, "VIOLATION", reasons=[why("NOT_DIGEST_PINNED", CI)])], system="BUILT_IN"),
        attestors=[ci_attestor()])
    vec(g, "case6c-break-glass-label", "§10 6c: the break-glass label admits and records the overridden violation", p6,
        images(dev, namespace="ci", labels={"image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", "DEFAULT", None, annotations=ANN_BG_OV, system="BUILT_IN"), attestors=[ci_attestor()])
    vec(g, "case6d-legacy-break-glass-annotation", "§10 6d, A-10: the legacy annotation still triggers", p6,
        images(dev, namespace="ci", annotations={"alpha.image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV, system="BUILT_IN"), attestors=[ci_attestor()])
    vec(g, "case6e-break-glass-when-conformant", "§10 6e: break-glass is recorded even when nothing violated", p6,
        images(dev, namespace="ci", serviceAccount="deployer", labels={"image-policy.k8s.io/break-glass": "true"}),
        exp("BREAK_GLASS_ALLOW", "SERVICE_ACCOUNT", "ci:deployer", annotations=ANN_BG, system="BUILT_IN"), attestors=[ci_attestor()])

    # Case 7: key ids, key sets, signature encodings (the spec's own key and openssl signatures).
    p7 = require(CI, gmode="ENABLE")
    s = SPEC
    vec(g, "case7a-unknown-key-id", "§10 7a: the id must name a configured key exactly", p7, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["UNKNOWN_KEY_ID"])])], system="BUILT_IN"),
        attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"], key_id="ni:///sha-256;" + "A" * 43)])
    no_keys = spec_ci_attestor()
    no_keys["userOwnedGrafeasNote"]["publicKeys"] = []
    vec(g, "case7b-attestor-without-keys", "§10 7b: an empty key list never verifies", p7, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["NO_KEYS"])])], system="BUILT_IN"),
        attestors=[no_keys], attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])])
    vec(g, "case7d-p1363-signature-rejected", "§10 7d, A-4: IEEE-P1363 r||s is not the documented DER encoding", p7, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["BAD_SIGNATURE"])])], system="BUILT_IN"),
        attestors=[spec_ci_attestor()], attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_p1363_b64"])])
    vec(g, "case7e-pae-signature-accepted", "§10 7e, A-13: a signature over PAE(payload) verifies in the second pass", p7, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, form="PAE", key_id=EC_ID)])], system="BUILT_IN"),
        attestors=[spec_ci_attestor()], attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_pae_b64"])])
    two_sigs = spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])
    two_sigs["attestation"]["signatures"].insert(0, {"publicKeyId": "unknown-key", "signature": s["sig_A_b64"]})
    vec(g, "case7f-any-signature-suffices", "§10 7f: one verifying signature is enough", p7, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, key_id=EC_ID)])], system="BUILT_IN"),
        attestors=[spec_ci_attestor()], attestations=[two_sigs])
    vec(g, "case7g-default-key-id", "§10 7g: an omitted id is derived from the key (ni:///sha-256;…)", p7, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, key_id=EC_ID)])], system="BUILT_IN"),
        attestors=[spec_ci_attestor(key_id=None)], attestations=[spec_occ("o1", s["payload_A_b64"], s["sig_A_b64"])])
    vec(g, "spec-mirror-payload-digest-a", "the spec's mirror payload (other docker-reference, digest A) admits image A",
        p7, images(wa), exp("ALLOW", system="BUILT_IN"), attestors=[spec_ci_attestor()],
        attestations=[spec_occ("o1", s["payload_mirror_b64"], s["sig_mirror_b64"])])
    vec(g, "spec-payload-b-for-image-a", "the spec's payload B (valid signature, digest B) does not admit image A",
        p7, images(wa), exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI, details=["DIGEST_MISMATCH"])])],
                             system="BUILT_IN"),
        attestors=[spec_ci_attestor()], attestations=[spec_occ("o3", s["payload_B_b64"], s["sig_B_b64"])])


def mode_cases():
    g = "evaluate"
    wa, wb = WEB + "@" + DIG_A, WEB + "@" + DIG_B
    for mode, enforcement, verdict, ann in [
        ("ALWAYS_ALLOW", ENF, "ALLOW", None), ("ALWAYS_ALLOW", DRY, "ALLOW", None),
        ("ALWAYS_DENY", ENF, "DENY", None), ("ALWAYS_DENY", DRY, "DRY_RUN_ALLOW", ANN_DRY),
    ]:
        vec(g, f"mode-{mode.lower().replace('_', '-')}-{'dry-run' if enforcement == DRY else 'enforced'}",
            f"{mode} under {enforcement}", policy(rule(mode, enforcement)), images("gcr.io/p/app:1"),
            exp(verdict, annotations=ann))
    p = require(CI, enforcement=DRY)
    vec(g, "mode-require-attestation-dry-run-satisfied", "a conformant pod under a dry-run rule gets no dry-run label", p, images(wa),
        exp("ALLOW"), attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "mode-require-attestation-dry-run-violated", "dry run admits an unattested image and records it", p, images(wb),
        exp("DRY_RUN_ALLOW", imgs=[img(wb, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", CI)])], annotations=ANN_DRY),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "break-glass-wins-over-dry-run", "A-24: break-glass takes precedence over dry run", p,
        images(wb, labels={"image-policy.k8s.io/break-glass": "true"}), exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "break-glass-conformant-under-dry-run", "break-glass with nothing to override records only break-glass", p,
        images(wa, labels={"image-policy.k8s.io/break-glass": "true"}), exp("BREAK_GLASS_ALLOW", annotations=ANN_BG),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "break-glass-value-false", "A-10: only the value `true` triggers break-glass", DENY_ALL,
        images("gcr.io/p/app:1", labels={"image-policy.k8s.io/break-glass": "false"}), exp("DENY"))
    vec(g, "break-glass-value-case-insensitive", "A-10: `TRUE` triggers break-glass", DENY_ALL,
        images("gcr.io/p/app:1", labels={"image-policy.k8s.io/break-glass": "TRUE"}), exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV))
    vec(g, "break-glass-on-deployment-object-ignored", "A-10: only the pod template's metadata counts, not the Deployment's",
        DENY_ALL, {"workload": controller("Deployment", [("app", "gcr.io/p/app:1")], object_labels={"image-policy.k8s.io/break-glass": "true"})},
        exp("DENY"))
    vec(g, "break-glass-on-pod-template", "A-10: break-glass on a Deployment's pod template", DENY_ALL,
        {"workload": controller("Deployment", [("app", "gcr.io/p/app:1")], template_labels={"image-policy.k8s.io/break-glass": "true"})},
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV))
    vec(g, "all-images-exempt-under-always-deny", "exempt images never violate", policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/**"]),
        images("gcr.io/p/a:1", "gcr.io/p/b/c@" + DIG_A), exp("ALLOW", imgs=[img("gcr.io/p/a:1", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**")),
                                                                           img("gcr.io/p/b/c@" + DIG_A, "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**"))]))
    vec(g, "tags-fine-under-always-allow", "ALWAYS_ALLOW admits tag-only images", ALLOW_ALL, images("nginx", "nginx:latest"),
        exp("ALLOW", imgs=[img("nginx", "CONFORMANT", attestors=[]), img("nginx:latest", "CONFORMANT", attestors=[])]))
    vec(g, "same-image-twice-both-reported", "each container is reported, in order, even with the same image", require(CI),
        {"workload": pod([("a", wa), ("b", wa)], init=[("i", wa)])},
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", container="i"), img(wa, "CONFORMANT", container="a"), img(wa, "CONFORMANT", container="b")]),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "sha512-digest-not-attestable", "attestation rules need a sha256 digest; sha512 counts as not pinned", require(CI),
        images(WEB + "@sha512:" + "ab" * 64), exp("DENY", imgs=[img(WEB + "@sha512:" + "ab" * 64, "VIOLATION", reasons=[why("NOT_DIGEST_PINNED", CI)])]),
        attestors=[ci_attestor()])
    vec(g, "three-attestors-mixed-algorithms", "AND over a P-256, a KMS-id P-256 and an Ed25519 attestor", require(CI, QA, SCAN), images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True), att(QA, True), att(SCAN, True, key_id=SCAN_KEY_ID)])]),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()], attestations=[scan_occ(), qa_occ(), ci_occ()])
    vec(g, "attestor-order-follows-policy", "attestors are reported in policy order, reasons for each missing one", require(SCAN, CI, QA), images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", SCAN), why("NO_VALID_ATTESTATION", QA)],
                              attestors=[att(SCAN, False), att(CI, True), att(QA, False)])]),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()], attestations=[ci_occ()])
    vec(g, "extra-attestors-are-allowed", "attestors the policy does not use may be supplied", require(CI), images(wa), exp("ALLOW"),
        attestors=[ci_attestor(), qa_attestor(), scan_attestor()], attestations=[ci_occ()])
    vec(g, "yaml-policy-string", "policy given as the YAML text gcloud exports", 
        "name: projects/example-project/policy\nglobalPolicyEvaluationMode: DISABLE\nadmissionWhitelistPatterns:\n- namePattern: gcr.io/example-project/tools/*\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nupdateTime: '2026-10-01T00:00:00.000000Z'\n",
        images("gcr.io/example-project/tools/kubectl:1.31"), exp("ALLOW"))
    vec(g, "now-is-not-consulted", "no project-policy rule depends on time; a far-future now changes nothing", require(CI), images(wa),
        exp("ALLOW"), attestors=[ci_attestor()], attestations=[ci_occ()], now="2099-12-31T23:59:59.999+05:30")


def rule_kind_cases():
    g = "rules"
    four = dict(
        cluster={"us-central1-a.prod": rule("ALWAYS_DENY")},
        ns={"payments": rule("ALWAYS_DENY")},
        sa={"payments:deployer": rule("ALWAYS_DENY")},
        istio={"example-project.svc.id.goog/ns/payments/sa/deployer": rule("ALWAYS_DENY")},
    )
    p = policy(rule("ALWAYS_ALLOW"), **four)
    base = dict(cluster="us-central1-a.prod", namespace="payments", serviceAccount="deployer")
    mesh = "spiffe://example-project.svc.id.goog/ns/payments/sa/deployer"
    vec(g, "istio-identity-beats-all", "A-1: mesh identity > service account > namespace > cluster", p,
        images("gcr.io/p/a:1", meshIdentity=mesh, **base),
        exp("DENY", "ISTIO_IDENTITY", "example-project.svc.id.goog/ns/payments/sa/deployer"))
    vec(g, "service-account-beats-namespace", "A-1", p, images("gcr.io/p/a:1", **base), exp("DENY", "SERVICE_ACCOUNT", "payments:deployer"))
    vec(g, "namespace-beats-cluster", "A-1", p, images("gcr.io/p/a:1", cluster="us-central1-a.prod", namespace="payments"),
        exp("DENY", "NAMESPACE", "payments"))
    vec(g, "cluster-when-nothing-more-specific", "A-1", p, images("gcr.io/p/a:1", cluster="us-central1-a.prod", namespace="other"),
        exp("DENY", "CLUSTER", "us-central1-a.prod"))
    vec(g, "default-when-nothing-matches", "A-1", p, images("gcr.io/p/a:1", cluster="europe-west1.prod", namespace="other"),
        exp("ALLOW", "DEFAULT", None))
    vec(g, "no-cluster-given", "without a cluster, cluster rules never apply", p, images("gcr.io/p/a:1"), exp("ALLOW", "DEFAULT", None))
    p2 = policy(rule("ALWAYS_ALLOW"), istio={"spiffe://example-project.svc.id.goog/ns/a/sa/b": rule("ALWAYS_DENY", DRY)})
    vec(g, "istio-key-with-scheme-request-without", "identities compare with or without `spiffe://`", p2,
        images("gcr.io/p/a:1", meshIdentity="example-project.svc.id.goog/ns/a/sa/b"),
        exp("DRY_RUN_ALLOW", "ISTIO_IDENTITY", "spiffe://example-project.svc.id.goog/ns/a/sa/b", annotations=ANN_DRY))
    vec(g, "workload-service-account-selects-rule", "the pod template's serviceAccountName selects the rule",
        policy(rule("ALWAYS_DENY"), sa={"payments:deployer": rule("ALWAYS_ALLOW")}),
        {"workload": controller("StatefulSet", [("db", "gcr.io/p/db:1")], namespace="payments", sa="deployer")},
        exp("ALLOW", "SERVICE_ACCOUNT", "payments:deployer"))
    vec(g, "request-namespace-overrides-workload", "request fields override the workload's",
        policy(rule("ALWAYS_ALLOW"), ns={"prod": rule("ALWAYS_DENY")}),
        {"workload": pod([("app", "gcr.io/p/app:1")], namespace="dev"), "namespace": "prod"}, exp("DENY", "NAMESPACE", "prod"))
    vec(g, "fleet-membership-cluster-key", "Distributed Cloud memberships use `global.NAME` keys",
        policy(rule("ALWAYS_ALLOW"), cluster={"global.test-membership": rule("ALWAYS_DENY")}),
        images("gcr.io/p/a:1", cluster="global.test-membership"), exp("DENY", "CLUSTER", "global.test-membership"))


def workload_cases():
    g = "workloads"
    app = "gcr.io/example-project/app@" + DIG_A
    sidecar = "gcr.io/example-project/sidecar:1.2"
    pol = policy(rule("ALWAYS_DENY"), patterns=["gcr.io/example-project/app@*"])
    for kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"):
        vec(g, f"{kind.lower()}-pod-template", f"a {kind}'s pod template is evaluated; namespace from the object", pol,
            {"workload": controller(kind, [("app", app), ("sidecar", sidecar)], namespace="shop")},
            exp("DENY", imgs=[img(app, "EXEMPT", container="app", exemption=("ALLOWLIST", "gcr.io/example-project/app@*")),
                              img(sidecar, "VIOLATION", container="sidecar", reasons=[why("ALWAYS_DENY")])]))
    vec(g, "pod-container-order", "init, then containers, then ephemeral containers", ALLOW_ALL,
        {"workload": pod([("c1", "gcr.io/p/c1:1"), ("c2", "gcr.io/p/c2:1")], init=[("i1", "gcr.io/p/i1:1")], ephemeral=[("e1", "busybox")])},
        exp("ALLOW", imgs=[img("gcr.io/p/i1:1", "CONFORMANT", container="i1"), img("gcr.io/p/c1:1", "CONFORMANT", container="c1"),
                           img("gcr.io/p/c2:1", "CONFORMANT", container="c2"), img("busybox", "CONFORMANT", container="e1")]))
    vec(g, "ephemeral-container-is-evaluated", "A-25: ephemeral containers are evaluated like the others", pol,
        {"workload": pod([("app", app)], ephemeral=[("debug", "busybox:1.36")])},
        exp("DENY", imgs=[img(app, "EXEMPT"), img("busybox:1.36", "VIOLATION", container="debug")]))
    vec(g, "workload-as-yaml-string", "request.workload may be the manifest's YAML text", pol,
        {"workload": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: " + app + "\n"},
        exp("ALLOW", imgs=[img(app, "EXEMPT", container="app")]))
    vec(g, "labels-merge-over-workload", "request labels are merged over the pod's (break-glass added by the caller)", DENY_ALL,
        {"workload": pod([("app", "gcr.io/p/a:1")], labels={"app": "web"}), "labels": {"image-policy.k8s.io/break-glass": "true"}},
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV))

    # Issue 12: vouch evaluates the Pod Kubernetes runs.
    sa_pol = policy(rule("ALWAYS_DENY"), sa={"shop:builder": rule("ALWAYS_ALLOW")})
    for name, spec_sa, verdict, kind in (
            ("service-account-deprecated-field-when-name-empty",
             {"serviceAccountName": "", "serviceAccount": "builder"}, "ALLOW", "SERVICE_ACCOUNT"),
            ("service-account-deprecated-field-alone", {"serviceAccount": "builder"}, "ALLOW", "SERVICE_ACCOUNT"),
            ("service-account-name-wins-over-deprecated-field",
             {"serviceAccountName": "other", "serviceAccount": "builder"}, "DENY", "DEFAULT")):
        w = pod([("app", "gcr.io/p/a:1")], namespace="shop")
        w["spec"].update(spec_sa)
        vec(g, name, "the Pod runs as serviceAccountName, or the deprecated serviceAccount when that is empty or absent "
            "(the API server's v1 conversion)", sa_pol, {"workload": w},
            exp(verdict, kind=kind, key="shop:builder" if kind == "SERVICE_ACCOUNT" else None))
    for kind in ("Pod", "Deployment"):
        w = pod([("app", app)], ephemeral=[("dbg", app)]) if kind == "Pod" else controller(kind, [("app", app)])
        spec = w["spec"] if kind == "Pod" else w["spec"]["template"]["spec"]
        spec["volumes"] = [{"name": "cfg", "configMap": {"name": "cfg"}},
                           {"name": "models", "image": {"reference": "gcr.io/example-project/models:3", "pullPolicy": "IfNotPresent"}}]
        imgs = [img(app, "EXEMPT", container="app")]
        if kind == "Pod":
            imgs.append(img(app, "EXEMPT", container="dbg"))
        imgs.append(img("gcr.io/example-project/models:3", "VIOLATION", volume="models", reasons=[why("ALWAYS_DENY")]))
        vec(g, f"image-volume-is-evaluated-{kind.lower()}",
            "an image volume (volumes[].image.reference) is pulled, so it is evaluated like a container, after the "
            "ephemeral containers; its entry names the volume (`volume`, `container` null)", pol,
            {"workload": w}, exp("DENY", imgs=imgs))
    vec(g, "yaml-1-1-scalars-as-kubectl-reads-them",
        "a manifest is read with go-yaml v2's YAML 1.1 rules: `hostNetwork: yes` is true, a label key `on` is `true`, "
        "`0x1F` is 31; quoted values stay strings", ALLOW_ALL,
        {"workload": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {on: 'yes', app: \"0x1F\"}\n"
                     "spec:\n  hostNetwork: yes\n  priority: 0x1F\n  containers:\n  - {name: app, image: 'gcr.io/p/a:1'}\n"},
        exp("ALLOW", imgs=[img("gcr.io/p/a:1", "CONFORMANT", container="app")]))


def attestation_cases():
    g = "attestation"
    wa = WEB + "@" + DIG_A
    p = require(CI)

    def deny_with(details, attestor=CI):
        return exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", attestor, details=details)])])

    vec(g, "openssl-p256-raw", "an `openssl dgst -sha256 -sign` DER signature over the gcloud payload", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, "RAW", CI_KEY_ID, P + "/occurrences/ci-1")])]),
        attestors=[ci_attestor()], attestations=[ci_occ()])
    vec(g, "high-s-ecdsa-accepted", "A-4: high-S ECDSA signatures (as openssl and Cloud KMS produce) verify", p, images(wa),
        exp("ALLOW"), attestors=[ci_attestor()], attestations=[ci_occ(sig=v.high_s("ci-p256", PAYLOAD_A))])
    vec(g, "high-s-ecdsa-over-pae", "a high-S signature over the PAE form", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, "PAE")])]),
        attestors=[ci_attestor()], attestations=[ci_occ(sig=v.high_s("ci-p256", v.pae(PAYLOAD_A)))])
    vec(g, "openssl-p256-pae", "A-13: openssl signature over PAE(type, payload)", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, "PAE")])]),
        attestors=[ci_attestor()], attestations=[ci_occ(sig=v.sign("ci-p256", v.pae(PAYLOAD_A)))])
    vec(g, "p1363-from-openssl-rejected", "A-4: the raw r||s form of a valid signature is rejected", p, images(wa),
        deny_with(["BAD_SIGNATURE"]), attestors=[ci_attestor()], attestations=[ci_occ(sig=v.p1363(v.sign("ci-p256", PAYLOAD_A)))])
    truncated = v.sign("ci-p256", PAYLOAD_A)[:-1]
    vec(g, "truncated-der-rejected", "a DER signature missing its last byte", p, images(wa), deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()], attestations=[ci_occ(sig=truncated)])
    padded = v.sign("ci-p256", PAYLOAD_A) + b"\x00"
    vec(g, "trailing-byte-der-rejected", "A-4: trailing bytes after the DER signature", p, images(wa), deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()], attestations=[ci_occ(sig=padded)])
    vec(g, "ed25519-raw", "vouch extension: an Ed25519 attestor (openssl pkeyutl -rawin)", require(SCAN), images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID)])]),
        attestors=[scan_attestor()], attestations=[scan_occ()])
    vec(g, "ed25519-pae", "Ed25519 over the PAE form", require(SCAN), images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "PAE")])]),
        attestors=[scan_attestor()], attestations=[scan_occ(signed=v.pae(PAYLOAD_A))])
    vec(g, "ed25519-over-other-bytes", "an Ed25519 signature over different bytes", require(SCAN), images(wa),
        deny_with(["BAD_SIGNATURE"], SCAN), attestors=[scan_attestor()], attestations=[scan_occ(signed=PAYLOAD_B)])
    vec(g, "signed-by-untrusted-key-under-trusted-id", "key binding: a signature by another key under the trusted id", p, images(wa),
        deny_with(["BAD_SIGNATURE"]), attestors=[ci_attestor()], attestations=[ci_occ(sig=v.sign("other-p256", PAYLOAD_A))])
    vec(g, "signed-by-untrusted-key-under-its-own-id", "key binding: the signer's own id is unknown to the attestor", p, images(wa),
        deny_with(["UNKNOWN_KEY_ID"]), attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.sign("other-p256", PAYLOAD_A), key_id=v.default_key_id("other-p256"))])
    vec(g, "digest-mismatch", "the payload names another digest", p, images(wa), deny_with(["DIGEST_MISMATCH"]),
        attestors=[ci_attestor()], attestations=[ci_occ(payload=PAYLOAD_C)])
    not_json = b"this is not json\n"
    vec(g, "malformed-payload-not-json", "a signed payload that is not JSON", p, images(wa), deny_with(["MALFORMED_PAYLOAD"]),
        attestors=[ci_attestor()], attestations=[ci_occ(payload=not_json)])
    no_digest = b'{"critical": {"identity": {"docker-reference": "x"}, "type": "t"}}\n'
    vec(g, "malformed-payload-no-digest", "a signed payload without critical.image.docker-manifest-digest", p, images(wa),
        deny_with(["MALFORMED_PAYLOAD"]), attestors=[ci_attestor()], attestations=[ci_occ(payload=no_digest)])
    dup = ('{"critical": {"identity": {"docker-reference": "%s"}, "image": {"docker-manifest-digest": "%s", '
           '"docker-manifest-digest": "%s"}, "type": "t"}}\n' % (WEB, DIG_B, DIG_A)).encode()
    vec(g, "malformed-payload-duplicate-digest-key", "a payload with two digest keys is rejected, not read last-wins", p, images(wa),
        deny_with(["MALFORMED_PAYLOAD"]), attestors=[ci_attestor()], attestations=[ci_occ(payload=dup)])
    kritis = v.gcloud_payload(WEB, DIG_A, type_="atomic container signature")
    vec(g, "payload-type-not-checked", "A-14: critical.type is not checked (Kritis' type verifies too)", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[ci_occ(payload=kritis)])
    compact = json.dumps({"critical": {"identity": {"docker-reference": WEB}, "image": {"docker-manifest-digest": DIG_A},
                                       "type": "atomic container signature"}}, separators=(",", ":")).encode()
    vec(g, "compact-payload-bytes", "signatures cover the exact bytes; any serialization of the payload works", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[ci_occ(payload=compact)])
    bad_b64 = ci_occ()
    bad_b64["attestation"]["serializedPayload"] = "%%% not base64 %%%"
    vec(g, "malformed-payload-base64", "serializedPayload that is not base64", p, images(wa), deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()], attestations=[bad_b64])
    no_sigs = ci_occ()
    no_sigs["attestation"]["signatures"] = []
    vec(g, "no-signatures", "an occurrence with neither signatures nor JWTs", p, images(wa), deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()], attestations=[no_sigs])
    bad_sig = ci_occ()
    bad_sig["attestation"]["signatures"][0]["signature"] = "@@@"
    vec(g, "signature-not-base64", "a signature that is not base64", p, images(wa), deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()], attestations=[bad_sig])
    jwt = ci_occ()
    jwt["attestation"] = {"jwts": [{"compactJwt": "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"}]}
    vec(g, "jwt-only-unsupported", "A-11: JWT attestations are not verified in this version", p, images(wa),
        deny_with(["UNSUPPORTED_ATTESTATION_FORMAT"]), attestors=[ci_attestor()], attestations=[jwt])
    no_att = ci_occ()
    del no_att["attestation"]
    vec(g, "occurrence-without-attestation", "an ATTESTATION occurrence with no attestation body", p, images(wa),
        deny_with(["MALFORMED_ATTESTATION"]), attestors=[ci_attestor()], attestations=[no_att])
    url_safe = ci_occ()
    sig = url_safe["attestation"]["signatures"][0]["signature"]
    url_safe["attestation"]["signatures"][0]["signature"] = sig.replace("+", "-").replace("/", "_").rstrip("=")
    url_safe["attestation"]["serializedPayload"] = url_safe["attestation"]["serializedPayload"].rstrip("=")
    vec(g, "url-safe-unpadded-base64", "proto3 JSON accepts URL-safe and unpadded base64", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[url_safe])

    legacy_generic = {
        "name": P + "/occurrences/legacy-1", "resourceUri": "https://" + wa, "noteName": CI_NOTE, "kind": "ATTESTATION",
        "attestation": {"attestation": {"genericSignedAttestation": {
            "contentType": "SIMPLE_SIGNING_JSON", "serializedPayload": v.b64(PAYLOAD_A),
            "signatures": [{"publicKeyId": CI_KEY_ID, "signature": v.b64(v.sign("ci-p256", PAYLOAD_A))}]}}},
    }
    vec(g, "legacy-generic-signed-attestation", "v1beta1 genericSignedAttestation with an https:// resourceUri", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, occurrence=P + "/occurrences/legacy-1")])]),
        attestors=[ci_attestor()], attestations=[legacy_generic])
    unspecified = json.loads(json.dumps(legacy_generic))
    unspecified["attestation"]["attestation"]["genericSignedAttestation"]["contentType"] = "CONTENT_TYPE_UNSPECIFIED"
    vec(g, "legacy-unknown-content-type", "unknown content types are rejected", p, images(wa), deny_with(["UNSUPPORTED_ATTESTATION_FORMAT"]),
        attestors=[ci_attestor()], attestations=[unspecified])

    rsa_att = v.pkix_attestor(QA, QA_NOTE, [("spec-rsa2048", "RSA_SIGN_PSS_2048_SHA256", KMS_ID)])
    rsa_occ = v.occurrence(P + "/occurrences/o2", QA_NOTE, wa, SPEC["payload_A_b64"], [(KMS_ID, SPEC["rsa_pss_sig_A_b64"])])
    vec(g, "spec-rsa-pss-kms-key", "§3.6: the reference's RSA-PSS-2048 signature under a Cloud KMS key id", require(QA), images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", KMS_ID)])]), attestors=[rsa_att], attestations=[rsa_occ])

    vec(g, "occurrence-for-other-note-ignored", "only occurrences on the attestor's note are candidates", p, images(wa),
        deny_with([]), attestors=[ci_attestor()], attestations=[qa_occ()])
    vec(g, "occurrence-for-other-digest-ignored", "only occurrences whose resourceUri ends with @digest are candidates", p, images(wa),
        deny_with([]), attestors=[ci_attestor()], attestations=[ci_occ(image=WEB + "@" + DIG_B, payload=PAYLOAD_B)])
    vec(g, "resource-uri-other-repository-same-digest", "A-12: lookup is by digest only", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[ci_occ(image="gcr.io/elsewhere/web@" + DIG_A)])
    vec(g, "rest-list-response-shape", "attestations as a REST response {occurrences: [...]}", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations={"occurrences": [ci_occ()], "nextPageToken": ""})
    vec(g, "single-occurrence-shape", "attestations as one occurrence object", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=ci_occ())
    vec(g, "attestations-as-file-text", "attestations as a string holding the JSON file gcloud prints", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=json.dumps([ci_occ()], indent=2))
    vec(g, "first-candidate-fails-second-verifies", "candidates are tried in order; the first that verifies is reported", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, occurrence=P + "/occurrences/good")])]),
        attestors=[ci_attestor()], attestations=[ci_occ(name="bad", payload=PAYLOAD_C), ci_occ(name="good")])
    vec(g, "every-failing-candidate-explained", "each candidate that did not count has a detail, in order", p, images(wa),
        deny_with([("DIGEST_MISMATCH", P + "/occurrences/a"), ("BAD_SIGNATURE", P + "/occurrences/b"),
                   ("UNKNOWN_KEY_ID", P + "/occurrences/c")]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="a", payload=PAYLOAD_C), ci_occ(name="b", sig=v.sign("qa-p256", PAYLOAD_A)),
                      ci_occ(name="c", key_id="some-other-key")])
    nameless = ci_occ(payload=PAYLOAD_C)
    del nameless["name"]
    vec(g, "nameless-occurrence-labelled-by-position", "an occurrence without a name is reported as #N", p, images(wa),
        deny_with([("DIGEST_MISMATCH", "#1")]), attestors=[ci_attestor()], attestations=[qa_occ(), nameless])
    vuln = {"name": P + "/occurrences/v", "resourceUri": wa, "noteName": CI_NOTE, "kind": "VULNERABILITY", "vulnerability": {}}
    vec(g, "non-attestation-occurrences-ignored", "occurrences of other kinds are not candidates", p, images(wa), deny_with([]),
        attestors=[ci_attestor()], attestations=[vuln])
    vec(g, "strict-identity-match", "strictIdentity admits when docker-reference is the image's repository", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[ci_occ()], options={"strictIdentity": True})
    vec(g, "strict-identity-tag-and-digest", "strictIdentity compares registry+path, ignoring the tag", p, images(WEB + ":v1@" + DIG_A),
        exp("ALLOW"), attestors=[ci_attestor()], attestations=[ci_occ()], options={"strictIdentity": True})
    vec(g, "strict-identity-mismatch", "Kritis binding: payload for the mirror repository", p, images(wa), deny_with(["IDENTITY_MISMATCH"]),
        attestors=[ci_attestor()], attestations=[ci_occ(payload=PAYLOAD_MIRROR_A)], options={"strictIdentity": True})
    vec(g, "same-digest-two-images-one-attestation", "one attestation serves the same digest in two registries", p,
        images(wa, MIRROR + "@" + DIG_A), exp("ALLOW"), attestors=[ci_attestor()], attestations=[ci_occ()])

    # v1beta1 occurrences name the image in `resource.uri` (often with https://), not `resourceUri`.
    beta = json.loads(json.dumps(legacy_generic))
    del beta["resourceUri"]
    beta["resource"] = {"uri": "https://" + wa}
    vec(g, "v1beta1-resource-uri-only", "a v1beta1 occurrence naming the image in resource.uri (https://) counts", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, occurrence=P + "/occurrences/legacy-1")])]),
        attestors=[ci_attestor()], attestations=[beta])
    v1_body = ci_occ(name="beta-v1-body")
    del v1_body["resourceUri"]
    v1_body["resource"] = {"uri": wa}
    vec(g, "resource-uri-without-scheme", "resource.uri without https:// counts too", p, images(wa), exp("ALLOW"),
        attestors=[ci_attestor()], attestations=[v1_body])
    both = ci_occ(name="both", resource={"uri": "https://" + wa})
    vec(g, "resource-uri-both-equal", "resourceUri and resource.uri naming the same image (up to https://) count", p, images(wa),
        exp("ALLOW"), attestors=[ci_attestor()], attestations=[both])
    wb = WEB + "@" + DIG_B
    vec(g, "resource-uri-both-differ", "resourceUri names this image, resource.uri another: malformed, never matched by the favourable one",
        p, images(wa), deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()], attestations=[ci_occ(name="split", resource={"uri": wb})])
    vec(g, "resource-uri-both-differ-reversed", "resource.uri names this image, resourceUri another: malformed too", p, images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()], attestations=[ci_occ(name="split", image=wb, resource={"uri": "https://" + wa})])
    vec(g, "resource-uri-both-differ-repository", "the same digest in two repositories is two images: malformed", p, images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()], attestations=[ci_occ(name="split", resource={"uri": "gcr.io/elsewhere/web@" + DIG_A})])
    vec(g, "resource-uri-not-a-string", "a resource.uri that is not a string next to resourceUri: malformed", p, images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()], attestations=[ci_occ(name="split", resource={"uri": 7})])


def reference_cases():
    g = "image_ref"
    d = DIG_A
    valid = [
        ("short-name", "busybox"),
        ("short-name-tag", "busybox:1.36"),
        ("user-repo", "user/app:v2"),
        ("localhost-port", "localhost:5000/team/app:v1"),
        ("ipv6-port", "[::1]:5000/app:1"),
        ("ipv6-no-port", "[2001:db8::1]/team/app"),
        ("registry-port-digest", "registry.example.com:443/team/app@" + d),
        ("separators", "gcr.io/a__b/c---d/e.f_g:tag_1.0-x"),
        ("tag-and-digest", "gcr.io/p/app:1.0@" + d),
        ("max-tag", "gcr.io/p/app:" + "t" * 128),
        ("max-path", "gcr.io/" + "/".join(["a" * 63] * 4)),
        ("uppercase-registry", "Registry.Example.COM/team/app:1"),
        ("sha512-digest", "gcr.io/p/app@sha512:" + "0" * 128),
    ]
    for name, ref in valid:
        vec(g, "valid-" + name, f"`{ref[:60]}` is a valid reference", ALLOW_ALL, images(ref),
            exp("ALLOW", imgs=[img(ref, "CONFORMANT")]))
    invalid = [
        ("uppercase-repository", "gcr.io/Project/app"),
        ("empty", ""),
        ("tag-too-long", "gcr.io/p/app:" + "t" * 129),
        ("tag-leading-dot", "gcr.io/p/app:.x"),
        ("digest-short", "gcr.io/p/app@sha256:123"),
        ("digest-uppercase-hex", "gcr.io/p/app@sha256:" + "A" * 64),
        ("digest-unknown-algorithm", "gcr.io/p/app@md5:" + "0" * 32),
        ("double-dot", "gcr.io/p/a..b"),
        ("triple-underscore", "gcr.io/p/a___b"),
        ("trailing-slash", "gcr.io/p/app/"),
        ("whitespace", "gcr.io/p/app :1"),
        ("two-at-signs", "gcr.io/p/app@" + d + "@" + d),
        ("path-too-long", "gcr.io/" + "/".join(["a" * 63] * 4) + "a"),
        ("ipv6-without-path", "[::1]:5000"),
    ]
    for name, ref in invalid:
        vec(g, "invalid-" + name, "an invalid reference is a request error", ALLOW_ALL, images("gcr.io/p/ok:1", ref),
            error=err("REQUEST_INVALID_IMAGE", "/request/images/1"))
    vec(g, "invalid-in-workload", "the error path points into the workload", ALLOW_ALL,
        {"workload": pod([("ok", "gcr.io/p/ok:1"), ("bad", "gcr.io/p/Bad:1")])},
        error=err("REQUEST_INVALID_IMAGE", "/request/workload/spec/containers/1/image"))


def pattern_cases():
    g = "pattern"
    cases = [
        ("exact-matches-only-itself", ["gcr.io/p/app"], [("gcr.io/p/app", True), ("gcr.io/p/app:1", False)]),
        ("exact-with-tag", ["gcr.io/p/app:latest"], [("gcr.io/p/app:latest", True), ("gcr.io/p/app:some", False)]),
        ("exact-with-digest", ["gcr.io/p/app@" + DIG_A], [("gcr.io/p/app@" + DIG_A, True), ("gcr.io/p/app@" + DIG_B, False)]),
        ("any-digest", ["gcr.io/p/app@*"], [("gcr.io/p/app@" + DIG_A, True), ("gcr.io/p/app:1", False)]),
        ("any-sha256-digest", ["gcr.io/p/app@sha256:*"], [("gcr.io/p/app@" + DIG_B, True)]),
        ("any-tag", ["gcr.io/p/app:*"], [("gcr.io/p/app:anything", True), ("gcr.io/p/app", False)]),
        ("star-matches-empty-suffix", ["gcr.io/p/nginx*"], [("gcr.io/p/nginx", True), ("gcr.io/p/nginx-x:1", True), ("gcr.io/p/nginx/x", False)]),
        ("double-star-any-depth", ["gcr.io/p/**"], [("gcr.io/p/a/b/c:1", True), ("gcr.io/q/a", False)]),
        ("double-star-lookalike-project", ["gcr.io/my-project**"], [("gcr.io/my-project-evil/app:1", True)]),
        ("slash-double-star-no-lookalike", ["gcr.io/my-project/**"], [("gcr.io/my-project-evil/app:1", False), ("gcr.io/my-project/app", True)]),
        ("local-reference", ["loc-ref"], [("loc-ref", True), ("loc-ref:1", False)]),
        ("no-normalization", ["docker.io/library/redis*"], [("redis:7", False), ("docker.io/library/redis:7", True)]),
    ]
    for name, patterns, checks in cases:
        imgs = [c[0] for c in checks]
        expect_imgs = [img(i, "EXEMPT" if m else "VIOLATION") for i, m in checks]
        verdict = "ALLOW" if all(m for _, m in checks) else "DENY"
        vec(g, name, f"allowlist {patterns[0]}", policy(rule("ALWAYS_DENY"), patterns=patterns), images(*imgs),
            exp(verdict, imgs=expect_imgs))
    vec(g, "first-pattern-in-policy-order-reported", "when several patterns match, the first in policy order is reported",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/app:1", "gcr.io/p/**", "gcr.io/p/app*"]), images("gcr.io/p/app:2", "gcr.io/p/app:1"),
        exp("ALLOW", imgs=[img("gcr.io/p/app:2", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**")),
                           img("gcr.io/p/app:1", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/app:1"))]))
    vec(g, "registry-less-wildcard-is-invalid", "A-3: a wildcard needs `registry/` before it, so Kritis' `local-image-3:tag*` is invalid",
        policy(rule("ALWAYS_DENY"), patterns=["local-image-3:tag*"]), images("local-image-3:tag-any"),
        error=err("POLICY_INVALID_PATTERN", "/policy/admissionWhitelistPatterns/0/namePattern"))
    many = ["gcr.io/p%d/app*" % i for i in range(2000)] + ["gcr.io/target/app:1"]
    vec(g, "two-thousand-patterns", "a large allowlist compiles once and still finds the one match",
        policy(rule("ALWAYS_DENY"), patterns=many), images("gcr.io/target/app:1", "gcr.io/p1999/app:2", "gcr.io/p2000/app:1"),
        exp("DENY", imgs=[img("gcr.io/target/app:1", "EXEMPT"), img("gcr.io/p1999/app:2", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p1999/app*")),
                          img("gcr.io/p2000/app:1", "VIOLATION")]))


def policy_error_cases():
    g = "policy_load"
    img1 = images("gcr.io/p/app:1")

    def bad(name, description, pol, code, path, **kw):
        vec(g, name, description, pol, img1, error=err(code, path), **kw)

    def with_(**changes):
        p = policy(rule("ALWAYS_ALLOW"))
        p.update(changes)
        return p

    bad("unknown-field", "unknown fields are rejected", with_(bogus=1), "POLICY_UNKNOWN_FIELD", "/policy/bogus")
    bad("unknown-field-in-rule", "unknown fields in a rule", with_(defaultAdmissionRule={**rule("ALWAYS_ALLOW"), "mode": 1}),
        "POLICY_UNKNOWN_FIELD", "/policy/defaultAdmissionRule/mode")
    p = with_()
    del p["defaultAdmissionRule"]
    bad("missing-default-rule", "defaultAdmissionRule is required", p, "POLICY_MISSING_FIELD", "/policy/defaultAdmissionRule")
    bad("missing-enforcement-mode", "enforcementMode is required", with_(defaultAdmissionRule={"evaluationMode": "ALWAYS_ALLOW"}),
        "POLICY_MISSING_FIELD", "/policy/defaultAdmissionRule/enforcementMode")
    bad("unknown-evaluation-mode", "enum values are checked", with_(defaultAdmissionRule=rule("SOMETIMES")),
        "POLICY_INVALID_VALUE", "/policy/defaultAdmissionRule/evaluationMode")
    bad("unspecified-evaluation-mode", "§1.7: UNSPECIFIED is invalid", with_(defaultAdmissionRule=rule("EVALUATION_MODE_UNSPECIFIED")),
        "POLICY_MODE_UNSPECIFIED", "/policy/defaultAdmissionRule/evaluationMode")
    bad("unspecified-enforcement-mode", "§1.7", with_(clusterAdmissionRules={"us-east1.c": rule("ALWAYS_DENY", "ENFORCEMENT_MODE_UNSPECIFIED")}),
        "POLICY_MODE_UNSPECIFIED", "/policy/clusterAdmissionRules/us-east1.c/enforcementMode")
    bad("unknown-global-mode", "globalPolicyEvaluationMode values are checked", with_(globalPolicyEvaluationMode="MAYBE"),
        "POLICY_INVALID_VALUE", "/policy/globalPolicyEvaluationMode")
    bad("require-attestation-without-attestors", "§1.7", with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION")),
        "POLICY_ATTESTORS_REQUIRED", "/policy/defaultAdmissionRule/requireAttestationsBy")
    bad("attestors-without-require-attestation", "§1.7", with_(defaultAdmissionRule=rule("ALWAYS_DENY", ENF, [CI])),
        "POLICY_ATTESTORS_NOT_ALLOWED", "/policy/defaultAdmissionRule/requireAttestationsBy")
    bad("attestor-name-format", "§1.7: projects/*/attestors/*",
        with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION", ENF, ["built-by-ci"])),
        "POLICY_INVALID_ATTESTOR_NAME", "/policy/defaultAdmissionRule/requireAttestationsBy/0")
    bad("duplicate-attestor-in-rule", "the same attestor twice in one rule",
        with_(defaultAdmissionRule=rule("REQUIRE_ATTESTATION", ENF, [CI, CI])),
        "POLICY_DUPLICATE_ATTESTOR", "/policy/defaultAdmissionRule/requireAttestationsBy/1", attestors=[ci_attestor()])
    bad("attestor-not-supplied", "every required attestor must be supplied",
        with_(kubernetesNamespaceAdmissionRules={"prod": rule("REQUIRE_ATTESTATION", ENF, [CI, QA])}),
        "POLICY_UNKNOWN_ATTESTOR", "/policy/kubernetesNamespaceAdmissionRules/prod/requireAttestationsBy/1", attestors=[ci_attestor()])
    for name, pattern in [("inner-wildcard", "gcr.io/example-project/n*x"), ("wildcard-in-registry", "gcr.i*"),
                          ("lone-star", "*"), ("triple-star", "gcr.io/p/***"), ("empty", ""), ("whitespace", "gcr.io/p/a b")]:
        bad("pattern-" + name, "A-3: " + name, with_(admissionWhitelistPatterns=[{"namePattern": "gcr.io/ok/*"}, {"namePattern": pattern}]),
            "POLICY_INVALID_PATTERN", "/policy/admissionWhitelistPatterns/1/namePattern")
    bad("pattern-entry-unknown-field", "allowlist entries are {namePattern}",
        with_(admissionWhitelistPatterns=[{"pattern": "gcr.io/ok/*"}]), "POLICY_UNKNOWN_FIELD", "/policy/admissionWhitelistPatterns/0/pattern")
    bad("patterns-wrong-type", "admissionWhitelistPatterns must be a list", with_(admissionWhitelistPatterns="gcr.io/ok/*"),
        "POLICY_INVALID_TYPE", "/policy/admissionWhitelistPatterns")
    bad("cluster-key-without-location", "§1.4: LOCATION.NAME", with_(clusterAdmissionRules={"prod-cluster": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY", "/policy/clusterAdmissionRules/prod-cluster")
    bad("namespace-key-uppercase", "A-7: DNS-1123 labels", with_(kubernetesNamespaceAdmissionRules={"Prod": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY", "/policy/kubernetesNamespaceAdmissionRules/Prod")
    bad("service-account-key-without-colon", "§1.4: NAMESPACE:SERVICE_ACCOUNT",
        with_(kubernetesServiceAccountAdmissionRules={"deployer": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY", "/policy/kubernetesServiceAccountAdmissionRules/deployer")
    bad("istio-key-malformed", "§1.4: [spiffe://]DOMAIN/ns/NS/sa/SA",
        with_(istioServiceIdentityAdmissionRules={"spiffe://d/ns/a": rule("ALWAYS_DENY")}),
        "POLICY_INVALID_RULE_KEY", "/policy/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a")
    bad("istio-keys-same-identity", "`spiffe://X` and `X` name the same identity",
        with_(istioServiceIdentityAdmissionRules={"spiffe://d/ns/a/sa/b": rule("ALWAYS_DENY"), "d/ns/a/sa/b": rule("ALWAYS_ALLOW")}),
        "POLICY_DUPLICATE_RULE_KEY", "/policy/istioServiceIdentityAdmissionRules/spiffe:~1~1d~1ns~1a~1sa~1b")
    bad("policy-not-object", "a policy is an object", ["x"], "POLICY_INVALID_TYPE", "/policy")
    bad("yaml-syntax-error", "YAML errors name the member", "defaultAdmissionRule: [\n", "INPUT_SYNTAX", "/policy")
    bad("yaml-duplicate-key", "duplicate keys are rejected with their path",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        "INPUT_DUPLICATE_KEY", "/policy/defaultAdmissionRule/evaluationMode")
    bad("yaml-error-path-inside-string", "paths continue into an embedded YAML policy",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nadmissionWhitelistPatterns:\n- namePattern: 'gcr.io/p/n*x'\n",
        "POLICY_INVALID_PATTERN", "/policy/admissionWhitelistPatterns/0/namePattern")
    bomb = "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        "a%d: &a%d [%s]\n" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 12))
    bad("yaml-alias-bomb", "a billion-laughs document is rejected by the alias budget", bomb, "INPUT_ALIAS_LIMIT", "/policy")
    bad("deep-nesting", "nesting beyond the limit is rejected", "[" * 5000 + "]" * 5000, "INPUT_TOO_DEEP", "/policy")
    bad("system-policy-invalid-pattern", "the system policy is validated like the allowlist", policy(rule("ALWAYS_ALLOW"), gmode="ENABLE"),
        "POLICY_INVALID_PATTERN", "/systemPolicy/admissionWhitelistPatterns/0/namePattern",
        system={"admissionWhitelistPatterns": [{"namePattern": "gke.gcr.i*"}]})
    bad("system-policy-unknown-field", "unknown system policy fields are rejected", policy(rule("ALWAYS_ALLOW")),
        "POLICY_UNKNOWN_FIELD", "/systemPolicy/patterns", system={"patterns": []})
    # gcloud's `policy import` refuses a null enum: vouch does not load what gcloud cannot import
    # (differential/test_gcloud_policy.py).
    bad("global-mode-null", "`globalPolicyEvaluationMode` may be absent, not null (gcloud refuses a null enum)",
        with_(globalPolicyEvaluationMode=None), "POLICY_INVALID_TYPE", "/policy/globalPolicyEvaluationMode")
    # YAML 1.1 readers (gcloud's ruamel.yaml) read these plain scalars otherwise than vouch's YAML 1.2.
    yaml_base = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    ns_rule = "kubernetesNamespaceAdmissionRules:\n  %s:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    bad("yaml-key-on", "a plain key `on` is namespace `true` once gcloud imports it: refused, quote it",
        yaml_base + ns_rule % "on", "POLICY_YAML_AMBIGUOUS", "/policy/kubernetesNamespaceAdmissionRules/on")
    bad("yaml-key-legacy-octal", "a plain key `017` is 15 to YAML 1.1, 17 to YAML 1.2: refused",
        yaml_base + ns_rule % "017", "POLICY_YAML_AMBIGUOUS", "/policy/kubernetesNamespaceAdmissionRules/017")
    bad("yaml-key-0o-octal", "a plain key `0o17` is 15 to YAML 1.2, the string `0o17` to YAML 1.1: refused",
        yaml_base + ns_rule % "0o17", "POLICY_YAML_AMBIGUOUS", "/policy/kubernetesNamespaceAdmissionRules/0o17")
    bad("yaml-value-yes", "`namePattern: yes` is a boolean to YAML 1.1 (gcloud refuses the policy): refused",
        yaml_base + "admissionWhitelistPatterns:\n- namePattern: yes\n", "POLICY_YAML_AMBIGUOUS",
        "/policy/admissionWhitelistPatterns/0/namePattern")
    bad("yaml-value-timestamp", "`description: 2026-01-01` is a date to YAML 1.1 (gcloud refuses the policy): refused",
        yaml_base + "description: 2026-01-01\n", "POLICY_YAML_AMBIGUOUS", "/policy/description")
    bad("yaml-value-sexagesimal", "`description: 1:30` is ninety to YAML 1.1: refused",
        yaml_base + "description: 1:30\n", "POLICY_YAML_AMBIGUOUS", "/policy/description")
    bad("yaml-binary-tag", "gcloud cannot import a `!!binary` value: refused",
        yaml_base + "description: !!binary aGVsbG8=\n", "POLICY_YAML_AMBIGUOUS", "/policy/description")


def attestor_error_cases():
    g = "attestor_load"
    p = require(CI)
    img1 = images(WEB + "@" + DIG_A)

    def bad(name, description, attestors, code, path):
        vec(g, name, description, p, img1, error=err(code, path), attestors=attestors)

    def key(**pkix):
        base = {"publicKeyPem": v.public_pem("ci-p256"), "signatureAlgorithm": "ECDSA_P256_SHA256"}
        base.update(pkix)
        return {k: val for k, val in base.items() if val is not None}

    def with_keys(*keys):
        a = ci_attestor()
        a["userOwnedGrafeasNote"]["publicKeys"] = list(keys)
        return a

    kp = "/attestors/0/userOwnedGrafeasNote/publicKeys/0"
    bad("algorithm-mismatch-curve", "§10 7c: a P-256 key declared P-384", [with_keys({"pkixPublicKey": key(signatureAlgorithm="ECDSA_P384_SHA384")})],
        "ATTESTOR_ALGORITHM_MISMATCH", kp + "/pkixPublicKey/signatureAlgorithm")
    rsa_key = {"pkixPublicKey": {"publicKeyPem": v.public_pem("spec-rsa2048"), "signatureAlgorithm": "RSA_PSS_4096_SHA512"}}
    bad("algorithm-mismatch-rsa-size", "A-5: the modulus size must equal the algorithm's", [with_keys(rsa_key)],
        "ATTESTOR_ALGORITHM_MISMATCH", kp + "/pkixPublicKey/signatureAlgorithm")
    bad("algorithm-mismatch-ed25519", "an EC key declared ED25519", [with_keys({"pkixPublicKey": key(signatureAlgorithm="ED25519")})],
        "ATTESTOR_ALGORITHM_MISMATCH", kp + "/pkixPublicKey/signatureAlgorithm")
    bad("algorithm-unknown", "unknown algorithm names", [with_keys({"pkixPublicKey": key(signatureAlgorithm="ECDSA_P256_SHA1")})],
        "ATTESTOR_INVALID_VALUE", kp + "/pkixPublicKey/signatureAlgorithm")
    bad("algorithm-unspecified", "SIGNATURE_ALGORITHM_UNSPECIFIED is not an algorithm",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm="SIGNATURE_ALGORITHM_UNSPECIFIED")})],
        "ATTESTOR_INVALID_VALUE", kp + "/pkixPublicKey/signatureAlgorithm")
    bad("algorithm-missing", "signatureAlgorithm is required", [with_keys({"pkixPublicKey": key(signatureAlgorithm=None)})],
        "ATTESTOR_MISSING_FIELD", kp + "/pkixPublicKey/signatureAlgorithm")
    bad("pem-garbage", "publicKeyPem must be a PEM public key", [with_keys({"pkixPublicKey": key(publicKeyPem="not a key")})],
        "ATTESTOR_INVALID_KEY", kp + "/pkixPublicKey/publicKeyPem")
    with open(v.key_path("ci-p256.key")) as f:
        private = f.read()
    bad("pem-private-key", "a private key in publicKeyPem is refused", [with_keys({"pkixPublicKey": key(publicKeyPem=private)})],
        "ATTESTOR_INVALID_KEY", kp + "/pkixPublicKey/publicKeyPem")
    broken = v.public_pem("ci-p256").replace("A", "B", 3)
    bad("pem-not-on-curve", "a P-256 point that is not on the curve", [with_keys({"pkixPublicKey": key(publicKeyPem=broken)})],
        "ATTESTOR_INVALID_KEY", kp + "/pkixPublicKey/publicKeyPem")
    bad("key-id-with-space", "A-6: no spaces in key ids", [with_keys({"id": "my key", "pkixPublicKey": key()})],
        "ATTESTOR_INVALID_KEY_ID", kp + "/id")
    bad("key-id-bad-uri", "A-6: an id with `:` must be a URI", [with_keys({"id": "1bad:scheme", "pkixPublicKey": key()})],
        "ATTESTOR_INVALID_KEY_ID", kp + "/id")
    bad("key-ids-disagree", "id and pkixPublicKey.keyId must agree", [with_keys({"id": "a", "pkixPublicKey": key(keyId="b")})],
        "ATTESTOR_INVALID_KEY_ID", kp + "/pkixPublicKey/keyId")
    bad("duplicate-key-id", "two keys with the same id", [with_keys({"pkixPublicKey": key()}, {"pkixPublicKey": key(signatureAlgorithm="EC_SIGN_P256_SHA256")})],
        "ATTESTOR_DUPLICATE_KEY_ID", "/attestors/0/userOwnedGrafeasNote/publicKeys/1/id")
    bad("key-without-material", "a key needs pkixPublicKey or asciiArmoredPgpPublicKey", [with_keys({"comment": "x"})],
        "ATTESTOR_MISSING_FIELD", kp + "/pkixPublicKey")
    bad("key-with-both-kinds", "pkixPublicKey and asciiArmoredPgpPublicKey are exclusive",
        [with_keys({"pkixPublicKey": key(), "asciiArmoredPgpPublicKey": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n-----END PGP PUBLIC KEY BLOCK-----\n"})],
        "ATTESTOR_INVALID_VALUE", kp + "/asciiArmoredPgpPublicKey")
    a = ci_attestor()
    del a["userOwnedGrafeasNote"]
    bad("missing-note", "an attestor needs userOwnedGrafeasNote", [a], "ATTESTOR_MISSING_FIELD", "/attestors/0/userOwnedGrafeasNote")
    a = ci_attestor()
    a["userOwnedGrafeasNote"]["noteReference"] = "built-by-ci"
    bad("invalid-note-reference", "notes are projects/*/notes/*", [a], "ATTESTOR_INVALID_NOTE_REFERENCE",
        "/attestors/0/userOwnedGrafeasNote/noteReference")
    a = ci_attestor()
    a["name"] = "attestors/built-by-ci"
    bad("invalid-name", "attestor names are projects/*/attestors/*", [a], "ATTESTOR_INVALID_NAME", "/attestors/0/name")
    bad("duplicate-attestor", "the same attestor twice", [ci_attestor(), ci_attestor()], "ATTESTOR_DUPLICATE", "/attestors/1/name")
    a = ci_attestor()
    a["owner"] = "me"
    bad("unknown-field", "unknown attestor fields", [a], "ATTESTOR_UNKNOWN_FIELD", "/attestors/0/owner")
    bad("file-text-path", "paths continue into an attestor file given as text",
        [json.dumps(ci_attestor()), json.dumps([qa_attestor(), with_keys({"pkixPublicKey": key(publicKeyPem="x")})])],
        "ATTESTOR_INVALID_KEY", "/attestors/1/1/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey/publicKeyPem")
    vec(g, "drydock-note-accepted", "v1beta1 userOwnedDrydockNote is accepted", p, img1, exp("ALLOW"),
        attestors=[{"name": CI, "userOwnedDrydockNote": ci_attestor()["userOwnedGrafeasNote"]}], attestations=[ci_occ()])
    vec(g, "lowercase-algorithm-spelling", "gcloud/Kritis lower-case algorithm names are accepted", p, img1, exp("ALLOW"),
        attestors=[v.pkix_attestor(CI, CI_NOTE, [("ci-p256", "ecdsa-p256-sha256", None)])], attestations=[ci_occ()])
    vec(g, "attestors-as-rest-list", "attestors as {attestors: [...]} in one file", p, img1, exp("ALLOW"),
        attestors=json.dumps({"attestors": [ci_attestor(), qa_attestor()]}), attestations=[ci_occ()])
    vec(g, "crlf-pem", "PEM with CRLF line ends", p, img1, exp("ALLOW"),
        attestors=[v.pkix_attestor(CI, CI_NOTE, [(v.public_pem("ci-p256").replace("\n", "\r\n"), "ECDSA_P256_SHA256", None)])],
        attestations=[ci_occ()])


def request_error_cases():
    g = "request"

    def bad(name, description, request, code, path):
        vec(g, name, description, ALLOW_ALL, request, error=err(code, path))

    bad("no-images-or-workload", "a request needs images or a workload", {"namespace": "x"}, "REQUEST_NO_IMAGES", "/request/images")
    bad("both-images-and-workload", "images and workload are exclusive",
        {"images": ["a"], "workload": pod([("a", "a")])}, "REQUEST_NO_IMAGES", "/request/workload")
    bad("empty-image-list", "an empty image list", images(), "REQUEST_NO_IMAGES", "/request/images")
    bad("unknown-field", "unknown request fields", images("a", breakGlass=True), "REQUEST_UNKNOWN_FIELD", "/request/breakGlass")
    bad("images-wrong-type", "images is a list of strings", {"images": "gcr.io/p/a:1"}, "REQUEST_INVALID_TYPE", "/request/images")
    bad("image-not-string", "images are strings", {"images": [1]}, "REQUEST_INVALID_TYPE", "/request/images/0")
    bad("cluster-format", "cluster is LOCATION.NAME", images("a", cluster="prod"), "REQUEST_INVALID_CLUSTER", "/request/cluster")
    bad("namespace-format", "namespace is a DNS-1123 label", images("a", namespace="Prod_NS"), "REQUEST_INVALID_NAMESPACE", "/request/namespace")
    bad("service-account-format", "service account is a DNS-1123 subdomain", images("a", serviceAccount="My SA"),
        "REQUEST_INVALID_SERVICE_ACCOUNT", "/request/serviceAccount")
    bad("mesh-identity-format", "mesh identity shape", images("a", meshIdentity="spiffe://x"), "REQUEST_INVALID_VALUE", "/request/meshIdentity")
    bad("label-not-string", "label values are strings", images("a", labels={"x": True}), "REQUEST_INVALID_TYPE", "/request/labels/x")
    bad("unsupported-workload-kind", "Services are not workloads", {"workload": {"apiVersion": "v1", "kind": "Service", "spec": {}}},
        "REQUEST_UNSUPPORTED_WORKLOAD", "/request/workload/kind")
    bad("workload-without-kind", "a workload needs kind", {"workload": {"spec": {}}}, "REQUEST_INVALID_WORKLOAD", "/request/workload/kind")
    bad("deployment-without-template", "a Deployment needs spec.template", {"workload": {"kind": "Deployment", "spec": {}}},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/template")
    bad("pod-without-containers", "a Pod needs containers", {"workload": {"kind": "Pod", "spec": {}}},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/containers")
    bad("container-without-image", "every container needs an image", {"workload": {"kind": "Pod", "spec": {"containers": [{"name": "a"}]}}},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/containers/0/image")
    bad("workload-label-not-string", "pod label values must be strings (quote YAML booleans)",
        {"workload": "kind: Pod\nmetadata:\n  labels:\n    image-policy.k8s.io/break-glass: true\nspec:\n  containers:\n  - {name: a, image: a}\n"},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/metadata/labels/image-policy.k8s.io~1break-glass")
    bad("workload-yaml-syntax", "YAML errors in the workload text", {"workload": "kind: Pod\nspec: [\n"}, "INPUT_SYNTAX", "/request/workload")

    # Issue 12: a manifest is read as kubectl reads it, or refused; never another Pod.
    pod_yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n%sspec:\n%s  containers:\n  - name: app\n    image: %s\n"

    def manifest(meta="", spec="", image="gcr.io/p/a:1"):
        return {"workload": pod_yaml % (meta, spec, image)}

    bad("workload-merge-key-overrides-image",
        "kubectl lets a later `<<` overwrite the image (`evil`), other readers keep `good`: merge keys are refused",
        {"workload": "kind: Pod\nspec:\n  containers:\n  - <<: {name: app, image: 'gcr.io/p/evil:1'}\n"
                     "    image: gcr.io/p/good:1\n    <<: {image: 'gcr.io/p/evil:1'}\n"},
        "INPUT_YAML_MERGE_KEY", "/request/workload/spec/containers/0/<<")
    bad("workload-merge-key-turns-configmap-into-pod", "a merge key that sets `kind` is refused",
        {"workload": "kind: ConfigMap\n<<: {kind: Pod}\nspec:\n  containers:\n  - {name: a, image: 'gcr.io/p/a:1'}\n"},
        "INPUT_YAML_MERGE_KEY", "/request/workload/<<")
    bad("workload-yaml-1-1-boolean-image", "`image: yes` is a boolean for kubectl, which refuses it; so does vouch",
        manifest(image="yes"), "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/containers/0/image")
    bad("workload-yaml-1-1-boolean-namespace", "`namespace: on` is a boolean for kubectl: refused, not namespace `on`",
        manifest(meta="  namespace: on\n"), "REQUEST_INVALID_WORKLOAD", "/request/workload/metadata/namespace")
    bad("workload-yaml-1-1-boolean-break-glass", "a break-glass label `yes` is a boolean for kubectl: refused",
        manifest(meta="  labels:\n    image-policy.k8s.io/break-glass: yes\n"),
        "REQUEST_INVALID_WORKLOAD", "/request/workload/metadata/labels/image-policy.k8s.io~1break-glass")
    bad("workload-yaml-1-1-boolean-service-account", "`serviceAccountName: n` is a boolean for kubectl: refused",
        manifest(spec="  serviceAccountName: n\n"), "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/serviceAccountName")
    bad("workload-yaml-1-1-octal-container-name", "`name: 0777` is the number 511 for kubectl: refused",
        {"workload": "kind: Pod\nspec:\n  containers:\n  - {name: 0777, image: 'gcr.io/p/a:1'}\n"},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/containers/0/name")
    bad("workload-yaml-1-1-keys-collide", "label keys `on` and `'true'` are the same key for kubectl",
        manifest(meta="  labels:\n    on: a\n    'true': b\n"), "INPUT_DUPLICATE_KEY", "/request/workload/metadata/labels/true")
    bad("workload-explicit-tag", "explicit tags other than !!str are refused (`!!binary` decodes to another image)",
        manifest(image="!!binary Z2NyLmlvL3AvZXZpbDox"), "INPUT_YAML_UNSUPPORTED", "/request/workload/spec/containers/0/image")
    bad("workload-yaml-infinity", "kubectl cannot write `.inf` as JSON and refuses the manifest; so does vouch",
        manifest(spec="  priority: .inf\n"), "INPUT_SYNTAX", "/request/workload")
    bad("workload-flow-yaml-is-not-json", "text starting with `{` is JSON for kubectl, never YAML",
        {"workload": "{kind: Pod, spec: {containers: [{name: a, image: 'gcr.io/p/a:1'}]}}"},
        "INPUT_SYNTAX", "/request/workload")
    bad("workload-image-volume-without-reference", "an image volume needs its reference",
        {"workload": {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "a"}], "volumes": [{"name": "v", "image": {}}]}}},
        "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/volumes/0/image/reference")
    vec(g, "policy-merge-key", "merge keys are refused in every YAML input, the policy too (gcloud's reader lets explicit "
        "keys win, kubectl's the later `<<`)",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  <<: {evaluationMode: ALWAYS_ALLOW}\n"
        "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        images("gcr.io/p/a:1"), error=err("INPUT_YAML_MERGE_KEY", "/policy/defaultAdmissionRule/<<"))


def bundle_error_cases():
    g = "bundle"
    img1 = images("gcr.io/p/a:1")
    vec(g, "unknown-top-level-key", "bundles reject unknown keys", ALLOW_ALL, img1, error=err("BUNDLE_UNKNOWN_FIELD", "/polcy"),
        raw={"polcy": {}})
    vec(g, "missing-request", "request is required", ALLOW_ALL, img1, error=err("BUNDLE_MISSING_FIELD", "/request"), raw={"request": None})
    vec(g, "missing-now", "now is required", ALLOW_ALL, img1, error=err("BUNDLE_MISSING_FIELD", "/now"), now=None)
    vec(g, "now-not-rfc3339", "now must be RFC 3339", ALLOW_ALL, img1, error=err("BUNDLE_INVALID_NOW", "/now"), now="2026-11-23 10:00")
    vec(g, "now-impossible-date", "now must be a real date", ALLOW_ALL, img1, error=err("BUNDLE_INVALID_NOW", "/now"), now="2026-02-30T00:00:00Z")
    vec(g, "options-unknown", "unknown options are rejected", ALLOW_ALL, img1, error=err("BUNDLE_INVALID_OPTIONS", "/options/strict"),
        options={"strict": True})
    vec(g, "options-wrong-type", "strictIdentity is a boolean", ALLOW_ALL, img1, error=err("BUNDLE_INVALID_OPTIONS", "/options/strictIdentity"),
        options={"strictIdentity": "yes"})
    vec(g, "attestations-not-occurrences", "an attestations object that is not an occurrence", ALLOW_ALL, img1,
        error=err("INPUT_INVALID_ATTESTATIONS", "/attestations"), attestations={"policy": {}})
    vec(g, "attestations-bad-text", "an attestations file that is not JSON", ALLOW_ALL, img1,
        error=err("INPUT_SYNTAX", "/attestations"), attestations="[{]")
    vec(g, "attestors-wrong-type", "attestors must be attestor objects", ALLOW_ALL, img1,
        error=err("ATTESTOR_INVALID_TYPE", "/attestors"), attestors=5)
    vec(g, "null-members-are-absent", "null attestors, attestations and systemPolicy mean none", ALLOW_ALL, img1, exp("ALLOW"),
        attestors=None, attestations=None, raw={"systemPolicy": None, "attestors": None, "attestations": None})
    # Fuzz findings: YAML alias budgets.
    ratio = ("defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
             "admissionWhitelistPatterns:\n- &p {namePattern: gcr.io/a/*}\n" + "- *p\n" * 150)
    vec(g, "yaml-alias-anchor-ratio", "one anchor used by 150 aliases breaks the YAML alias budget (INPUT_ALIAS_LIMIT)", ratio, img1,
        error=err("INPUT_ALIAS_LIMIT", "/policy"))
    # Each member replays about 38k events through aliases: under the 100k budget alone, over it together.
    member = ("- &a [x, x, x, x, x, x, x, x, x, x]\n- &b [" + ", ".join(["*a"] * 10) + "]\n"
              "- &c [" + ", ".join(["*b"] * 10) + "]\n- [" + ", ".join(["*c"] * 30) + "]\n")
    vec(g, "yaml-members-share-alias-budget", "members given as YAML text share one alias budget: the third exceeds it",
        ALLOW_ALL, img1, error=err("INPUT_ALIAS_LIMIT", "/attestations/2"), attestations=[member, member, member])
    vec(g, "yaml-member-within-alias-budget", "one such member alone is within the alias budget", ALLOW_ALL, img1, exp("ALLOW"),
        attestations=[member])


ALGORITHMS = [
    ("RSA_PSS_2048_SHA256", "rsa2048", dict(sigopts=v.pss())),
    ("RSA_PSS_3072_SHA256", "rsa3072", dict(sigopts=v.pss())),
    ("RSA_PSS_4096_SHA256", "rsa4096", dict(sigopts=v.pss())),
    ("RSA_PSS_4096_SHA512", "rsa4096", dict(digest="sha512", sigopts=v.pss("sha512"))),
    ("RSA_SIGN_PKCS1_2048_SHA256", "rsa2048", {}),
    ("RSA_SIGN_PKCS1_3072_SHA256", "rsa3072", {}),
    ("RSA_SIGN_PKCS1_4096_SHA256", "rsa4096", {}),
    ("RSA_SIGN_PKCS1_4096_SHA512", "rsa4096", dict(digest="sha512")),
    ("ECDSA_P384_SHA384", "p384", {}),
    ("ECDSA_P521_SHA512", "p521", {}),
    ("ML_DSA_65", "mldsa65", {}),
]


def algorithm_cases():
    g = "algorithms"
    wa = WEB + "@" + DIG_A
    p = require(QA)
    kid = QA_KEY_ID

    def attestor_for(key, algorithm):
        return v.pkix_attestor(QA, QA_NOTE, [(key, algorithm, kid)])

    def occ_with(payload, sig, key_id=kid, name="qa-1"):
        return v.occurrence(P + "/occurrences/" + name, QA_NOTE, wa, payload, [(key_id, sig)])

    def deny(details):
        return exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", QA, details=details)])])

    for algorithm, key, opts in ALGORITHMS:
        slug = algorithm.lower().replace("_", "-")
        a = [attestor_for(key, algorithm)]
        good = v.sign(key, PAYLOAD_A, **opts)
        by = "Python cryptography" if key.startswith("mldsa") else "openssl"
        vec(g, slug + "-allow", f"{algorithm}: a signature by {by} over the gcloud payload", p, images(wa),
            exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", kid)])]), attestors=a, attestations=[occ_with(PAYLOAD_A, good)])
        vec(g, slug + "-pae", f"{algorithm}: a signature over the PAE form", p, images(wa),
            exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "PAE", kid)])]), attestors=a,
            attestations=[occ_with(PAYLOAD_A, v.sign(key, v.pae(PAYLOAD_A), **opts))])
        vec(g, slug + "-other-bytes", f"{algorithm}: a signature over other bytes", p, images(wa), deny(["BAD_SIGNATURE"]), attestors=a,
            attestations=[occ_with(PAYLOAD_A, v.sign(key, PAYLOAD_B, **opts))])
        vec(g, slug + "-digest-mismatch", f"{algorithm}: a valid signature over a payload for another digest", p, images(wa),
            deny(["DIGEST_MISMATCH"]), attestors=a, attestations=[occ_with(PAYLOAD_C, v.sign(key, PAYLOAD_C, **opts))])
        vec(g, slug + "-unknown-key-id", f"{algorithm}: a valid signature under an id the attestor does not list", p, images(wa),
            deny(["UNKNOWN_KEY_ID"]), attestors=a, attestations=[occ_with(PAYLOAD_A, good, key_id="projects/x/keys/other")])
        vec(g, slug + "-truncated", f"{algorithm}: the signature without its last byte", p, images(wa), deny(["BAD_SIGNATURE"]),
            attestors=a, attestations=[occ_with(PAYLOAD_A, good[:-1])])
        vec(g, slug + "-padded", f"{algorithm}: the signature with a trailing zero byte", p, images(wa), deny(["BAD_SIGNATURE"]),
            attestors=a, attestations=[occ_with(PAYLOAD_A, good + b"\x00")])

    pss_a = [attestor_for("rsa2048", "RSA_PSS_2048_SHA256")]
    for salt, label in [(20, "salt-20"), (0, "salt-0"), ("max", "salt-max")]:
        opts = ("rsa_padding_mode:pss", "rsa_pss_saltlen:%s" % salt, "rsa_mgf1_md:sha256")
        vec(g, "rsa-pss-2048-sha256-wrong-" + label, f"A-5: PSS salt length must equal the hash length (32), not {salt}", p, images(wa),
            deny(["BAD_SIGNATURE"]), attestors=pss_a, attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=opts))])
    mgf_sha1 = ("rsa_padding_mode:pss", "rsa_pss_saltlen:32", "rsa_mgf1_md:sha1")
    vec(g, "rsa-pss-2048-sha256-mgf1-sha1", "A-5: MGF1 must use the same hash as the signature", p, images(wa), deny(["BAD_SIGNATURE"]),
        attestors=pss_a, attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=mgf_sha1))])
    vec(g, "pkcs1-signature-for-pss-key", "a PKCS#1 v1.5 signature presented for a PSS key", p, images(wa), deny(["BAD_SIGNATURE"]),
        attestors=pss_a, attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A))])
    vec(g, "pss-signature-for-pkcs1-key", "a PSS signature presented for a PKCS#1 v1.5 key", p, images(wa), deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("rsa2048", "RSA_SIGN_PKCS1_2048_SHA256")],
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=v.pss()))])
    vec(g, "pkcs1-sha256-for-sha512-key", "a SHA-256 PKCS#1 signature presented for RSA_SIGN_PKCS1_4096_SHA512", p, images(wa),
        deny(["BAD_SIGNATURE"]), attestors=[attestor_for("rsa4096", "RSA_SIGN_PKCS1_4096_SHA512")],
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa4096", PAYLOAD_A))])
    vec(g, "p384-p1363-rejected", "A-4: raw r||s is rejected for P-384 too", p, images(wa), deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("p384", "ECDSA_P384_SHA384")],
        attestations=[occ_with(PAYLOAD_A, p1363_n(v.sign("p384", PAYLOAD_A), 48))])
    vec(g, "p384-sha256-digest-rejected", "a P-384 signature over SHA-256 (not SHA-384)", p, images(wa), deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("p384", "ECDSA_P384_SHA384")],
        attestations=[occ_with(PAYLOAD_A, v.sign("p384", PAYLOAD_A, digest="sha256"))])
    from cryptography.hazmat.primitives import serialization
    with open(v.key_path("mldsa65.key"), "rb") as f:
        mldsa_key = serialization.load_pem_private_key(f.read(), None)
    with_context = v._load_cache().setdefault("mldsa65-context:" + __import__("hashlib").sha256(PAYLOAD_A).hexdigest(),
                                              v.b64(mldsa_key.sign(PAYLOAD_A, b"binauthz")))
    vec(g, "ml-dsa-65-context-rejected", "FIPS 204 pure mode with an empty context: a signature with a context does not verify", p, images(wa),
        deny(["BAD_SIGNATURE"]), attestors=[attestor_for("mldsa65", "ML_DSA_65")], attestations=[occ_with(PAYLOAD_A, with_context)])
    mixed = v.pkix_attestor(QA, QA_NOTE, [("rsa4096", "RSA_PSS_4096_SHA512", "k-rsa"), ("p521", "EC_SIGN_P521_SHA512", "k-p521"),
                                          ("mldsa65", "ML_DSA_65", "k-mldsa")])
    vec(g, "any-key-of-the-attestor", "an attestor with RSA, P-521 and ML-DSA keys: any one verifying suffices", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", "k-mldsa")])]), attestors=[mixed],
        attestations=[v.occurrence(P + "/occurrences/m", QA_NOTE, wa, PAYLOAD_A,
                                   [("k-rsa", v.sign("rsa4096", PAYLOAD_B, digest="sha512", sigopts=v.pss("sha512"))),
                                    ("k-p521", v.sign("p521", PAYLOAD_B)), ("k-mldsa", v.sign("mldsa65", PAYLOAD_A))])])

    # Keys that do not fit their algorithm are configuration errors.
    ga = "attestor_load"
    kp = "/attestors/0/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey"
    for key, algorithm, why_ in [("rsa2048", "RSA_PSS_3072_SHA256", "a 2048-bit modulus declared 3072"),
                                 ("rsa4096", "RSA_SIGN_PKCS1_2048_SHA256", "a 4096-bit modulus declared 2048"),
                                 ("rsa3072", "RSA_PSS_4096_SHA512", "a 3072-bit modulus declared 4096"),
                                 ("p521", "ECDSA_P384_SHA384", "a P-521 key declared P-384"),
                                 ("mldsa65", "ED25519", "an ML-DSA-65 key declared ED25519"),
                                 ("p384", "ML_DSA_65", "a P-384 key declared ML-DSA-65")]:
        vec(ga, "mismatch-" + key + "-as-" + algorithm.lower().replace("_", "-"), "A-5 / §2.3: " + why_, p, images(wa),
            error=err("ATTESTOR_ALGORITHM_MISMATCH", kp + "/signatureAlgorithm"), attestors=[attestor_for(key, algorithm)])
    vec(ga, "rsa-exponent-3-refused", "A-5: only exponent 65537", p, images(wa), error=err("ATTESTOR_INVALID_KEY", kp + "/publicKeyPem"),
        attestors=[attestor_for("rsa2048-e3", "RSA_PSS_2048_SHA256")])

    # Issue 12, item 5: two attestors hold the same RSA key under different algorithms. A check
    # made for one must never be reused for the other (the verification cache and a decision's
    # memo of checks are keyed on the algorithm too), whichever attestor comes first.
    qa_pkcs1 = P + "/attestors/qa-pkcs1"
    pss_attestor = attestor_for("rsa2048", "RSA_PSS_2048_SHA256")
    pkcs1_attestor = v.pkix_attestor(qa_pkcs1, QA_NOTE, [("rsa2048", "RSA_SIGN_PKCS1_2048_SHA256", kid)])
    pss_sig = v.sign("rsa2048", PAYLOAD_A, sigopts=v.pss())
    pkcs1_sig = v.sign("rsa2048", PAYLOAD_A)
    for name, order, sig, good, bad in [
            ("same-rsa-key-pss-signature-pss-first", (QA, qa_pkcs1), pss_sig, QA, qa_pkcs1),
            ("same-rsa-key-pss-signature-pkcs1-first", (qa_pkcs1, QA), pss_sig, QA, qa_pkcs1),
            ("same-rsa-key-pkcs1-signature-pss-first", (QA, qa_pkcs1), pkcs1_sig, qa_pkcs1, QA)]:
        results = [att(a, True, "RAW", kid) if a == good else att(a, False) for a in order]
        vec(g, name, "one RSA key held by an RSA_PSS_2048_SHA256 attestor and an RSA_SIGN_PKCS1_2048_SHA256 attestor: the "
            + ("PSS" if sig is pss_sig else "PKCS#1 v1.5") + " signature satisfies only the attestor of its own scheme",
            require(*order), images(wa),
            exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", bad, details=["BAD_SIGNATURE"])], attestors=results)]),
            attestors=[pss_attestor, pkcs1_attestor], attestations=[occ_with(PAYLOAD_A, sig)])


def p1363_n(signature, size):
    r, s_ = v._parse_der_sig(signature)
    return r.to_bytes(size, "big") + s_.to_bytes(size, "big")


def pgp_cases():
    g = "pgp"

    def vec(group, *args, **kwargs):
        # OpenPGP keys and signatures are judged at `now` (semantics §2.4): the pgp group is
        # evaluated at PGP_NOW, after every test key's creation and every signature.
        if group == g:
            kwargs.setdefault("now", PGP_NOW)
        return globals()["vec"](group, *args, **kwargs)
    wa = WEB + "@" + DIG_A
    fpr = {u: v.gpg_fingerprint(u) for u in ("rsa", "ed", "other", "revoked", "subrev", "expired", "subexp", "certonly")}

    def pgp_attestor(user, text=None, **extra):
        key = {"id": "ignored-for-pgp", "asciiArmoredPgpPublicKey": text or open(v.key_path("pgp-%s.pub.asc" % user)).read()}
        key.update(extra)
        return {"name": LEGACY, "userOwnedGrafeasNote": {"noteReference": LEGACY_NOTE, "publicKeys": [key]}}

    def legacy(signature, key_id, name="pgp-1"):
        return {"name": P + "/occurrences/" + name, "resourceUri": wa, "noteName": LEGACY_NOTE, "kind": "ATTESTATION",
                "attestation": {"attestation": {"pgpSignedAttestation": {
                    "signature": signature.decode(), "contentType": "SIMPLE_SIGNING_JSON", "pgpKeyId": key_id}}}}

    def v1(payload, signature, key_id, name="pgp-1"):
        occ = v.occurrence(P + "/occurrences/" + name, LEGACY_NOTE, wa, payload, [(key_id, signature)])
        if payload == b"":
            del occ["attestation"]["serializedPayload"]
        return occ

    p = require(LEGACY)

    def deny(details):
        return exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", LEGACY, details=details)])])

    ok = lambda k: exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(LEGACY, True, "RAW", k)])])
    attached = v.gpg_sign("rsa", PAYLOAD_A)
    vec(g, "legacy-attached-armored-rsa", "v1beta1 pgpSignedAttestation from `gpg --armor --sign` (RSA key); the id is the fingerprint",
        p, images(wa), ok(fpr["rsa"]), attestors=[pgp_attestor("rsa")], attestations=[legacy(attached, fpr["rsa"])])
    vec(g, "legacy-attached-armored-ed25519", "the same with a gpg Ed25519 key", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")], attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])])
    vec(g, "v1-attached-without-payload", "A-8: a v1 occurrence whose attached signature carries the payload", p, images(wa), ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")], attestations=[v1(b"", attached, fpr["rsa"])])
    vec(g, "v1-attached-equal-payload", "A-8: attached signature and serializedPayload agree", p, images(wa), ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")], attestations=[v1(PAYLOAD_A, attached, fpr["rsa"])])
    compact = json.dumps({"critical": {"identity": {"docker-reference": WEB}, "image": {"docker-manifest-digest": DIG_A}, "type": "t"}}).encode()
    vec(g, "v1-attached-other-payload", "A-8: the signed literal data must equal serializedPayload", p, images(wa),
        deny(["MALFORMED_ATTESTATION"]), attestors=[pgp_attestor("rsa")], attestations=[v1(compact, attached, fpr["rsa"])])
    vec(g, "v1-detached-armored", "A-8: `gpg --armor --detach-sign` over serializedPayload", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")], attestations=[v1(PAYLOAD_A, v.gpg_sign("ed", PAYLOAD_A, detached=True), fpr["ed"])])
    vec(g, "v1-detached-binary", "a binary detached signature", p, images(wa), ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")], attestations=[v1(PAYLOAD_A, v.gpg_sign("rsa", PAYLOAD_A, detached=True, armor=False), fpr["rsa"])])
    vec(g, "v1-attached-binary", "a binary signed message", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")], attestations=[v1(b"", v.gpg_sign("ed", PAYLOAD_A, armor=False), fpr["ed"])])
    vec(g, "detached-without-payload", "a detached signature needs serializedPayload", p, images(wa), deny(["MALFORMED_ATTESTATION"]),
        attestors=[pgp_attestor("ed")], attestations=[v1(b"", v.gpg_sign("ed", PAYLOAD_A, detached=True), fpr["ed"])])
    vec(g, "signed-by-another-key", "key binding: another key's signature under the attestor's fingerprint", p, images(wa),
        deny(["BAD_SIGNATURE"]), attestors=[pgp_attestor("ed")], attestations=[legacy(v.gpg_sign("other", PAYLOAD_A), fpr["ed"])])
    vec(g, "unknown-fingerprint", "the occurrence names a key the attestor does not have", p, images(wa), deny(["UNKNOWN_KEY_ID"]),
        attestors=[pgp_attestor("ed")], attestations=[legacy(v.gpg_sign("other", PAYLOAD_A), fpr["other"])])
    vec(g, "supplied-id-is-ignored", "§2.2: a PGP key's id is its fingerprint, whatever id was supplied", p, images(wa), deny(["UNKNOWN_KEY_ID"]),
        attestors=[pgp_attestor("ed")], attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), "ignored-for-pgp")])
    vec(g, "attached-payload-other-digest", "the payload inside the signature is bound like any other", p, images(wa), deny(["DIGEST_MISMATCH"]),
        attestors=[pgp_attestor("rsa")], attestations=[legacy(v.gpg_sign("rsa", PAYLOAD_C), fpr["rsa"])])
    vec(g, "attached-not-json", "a signed message that is not a simple-signing payload", p, images(wa), deny(["MALFORMED_PAYLOAD"]),
        attestors=[pgp_attestor("rsa")], attestations=[legacy(v.gpg_sign("rsa", b"hello\n"), fpr["rsa"])])
    vec(g, "garbage-signature", "an armored block that is not an OpenPGP message", p, images(wa), deny(["MALFORMED_ATTESTATION"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[legacy(b"-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n=AAAA\n-----END PGP MESSAGE-----\n", fpr["rsa"])])
    crlf = open(v.key_path("pgp-ed.pub.asc")).read().replace("\n", "\r\n")
    vec(g, "crlf-armored-key", "§2.2: armored keys with CRLF line ends", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text=crlf)], attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])])
    kritis = v.b64(open(v.key_path("pgp-ed.pub.asc"), "rb").read())
    vec(g, "kritis-base64-key-and-key-type", "Kritis' AttestationAuthority form: base64 of the armored key, keyType PGP, keyId",
        p, images(wa), ok(fpr["ed"]), attestors=[pgp_attestor("ed", text=kritis, keyType="PGP")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])])
    vec(g, "strict-identity", "strict identity applies to payloads inside signatures", p, images(wa), ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")], attestations=[legacy(attached, fpr["rsa"])], options={"strictIdentity": True})
    ga = "attestor_load"
    vec(ga, "pgp-key-type-mismatch", "keyType must match the key material", p, images(wa),
        error=err("ATTESTOR_INVALID_VALUE", "/attestors/0/userOwnedGrafeasNote/publicKeys/0/keyType"),
        attestors=[pgp_attestor("ed", keyType="PKIX")])
    two = open(v.key_path("pgp-two.pub.asc")).read()
    vec(ga, "pgp-two-keys-in-one-block", "§2.4: exactly one key per armored block (`gpg --export` of two keys)", p, images(wa),
        error=err("ATTESTOR_INVALID_KEY", "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey"),
        attestors=[pgp_attestor("ed", text=two)])
    concatenated = open(v.key_path("pgp-ed.pub.asc")).read() + open(v.key_path("pgp-rsa.pub.asc")).read()
    vec(ga, "pgp-two-armored-blocks", "§2.4: one armored block, not two concatenated", p, images(wa),
        error=err("ATTESTOR_INVALID_KEY", "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey"),
        attestors=[pgp_attestor("ed", text=concatenated)])
    vec(ga, "pgp-garbage-key", "a PGP key that does not parse", p, images(wa),
        error=err("ATTESTOR_INVALID_KEY", "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey"),
        attestors=[pgp_attestor("ed", text="-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGSomething\n-----END PGP PUBLIC KEY BLOCK-----\n")])

    # Issue 12: keys and signatures judged as RFC 9580 and GnuPG judge them, at `now`.
    def key_deny(user, code, description, name, signature=None, **extra):
        vec(g, name, description, p, images(wa), deny([code]), attestors=[pgp_attestor(user)],
            attestations=[legacy(signature or v.gpg_sign(user, PAYLOAD_A), fpr[user])], **extra)

    key_deny("revoked", "PGP_KEY_REVOKED", "a revoked primary key (revocation with no reason) signs nothing", "revoked-primary-key")
    key_deny("subrev", "PGP_KEY_REVOKED", "a signature by a revoked signing subkey does not count", "revoked-subkey")
    expired_sig = v.gpg_sign("expired", PAYLOAD_A, at="20261121T000000!")
    key_deny("expired", "PGP_KEY_EXPIRED", "the key expired (2026-11-22) before now", "expired-key", signature=expired_sig)
    vec(g, "expired-key-before-expiry", "the same key and signature judged before the key expired", p, images(wa), ok(fpr["expired"]),
        attestors=[pgp_attestor("expired")], attestations=[legacy(expired_sig, fpr["expired"])], now="2026-11-21T12:00:00Z")
    subexp_sig = v.gpg_sign("subexp", PAYLOAD_A, at="20261121T000000!")
    key_deny("subexp", "PGP_KEY_EXPIRED", "the signing subkey expired (2026-11-22) before now", "expired-subkey", signature=subexp_sig)
    vec(g, "expired-subkey-before-expiry", "the same subkey signature judged before the subkey expired", p, images(wa), ok(fpr["subexp"]),
        attestors=[pgp_attestor("subexp")], attestations=[legacy(subexp_sig, fpr["subexp"])], now="2026-11-21T12:00:00Z")
    vec(g, "certify-only-key", "a primary key whose key flags lack the signing flag (GnuPG: wrong key usage)", p, images(wa),
        deny(["PGP_KEY_NOT_FOR_SIGNING"]), attestors=[pgp_attestor("certonly")],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("certonly", PAYLOAD_A, 1795478400), fpr["certonly"])])
    sig_expires = v.gpg_sign("ed", PAYLOAD_A, extra=("--default-sig-expire", "1d"))
    key_deny("ed", "PGP_SIGNATURE_EXPIRED", "the signature expired (made 2026-11-24, valid 1 day) before now", "signature-expired",
             signature=sig_expires)
    vec(g, "signature-not-yet-expired", "the same signature judged within its validity", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")], attestations=[legacy(sig_expires, fpr["ed"])], now="2026-11-24T12:00:00Z")
    key_deny("ed", "PGP_SIGNATURE_IN_FUTURE", "a signature dated 2026-12-10, after now (beyond the 300 s skew)", "signature-in-future",
             signature=v.gpg_sign("ed", PAYLOAD_A, at="20261210T000000!"))
    vec(g, "signature-within-clock-skew", "a signature dated 240 s after now counts (skew 300 s)", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")], attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A, at="20261201T000400!"), fpr["ed"])])
    ed_created = v.pgp_secret_keys("ed")[0]["created"]
    vec(g, "signature-before-key", "a signature dated a day before its key was created", p, images(wa), deny(["PGP_SIGNATURE_BEFORE_KEY"]),
        attestors=[pgp_attestor("ed")], attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, ed_created - 86400), fpr["ed"])])
    key_deny("ed", "PGP_UNKNOWN_CRITICAL_SUBPACKET", "a critical notation vouch does not know (`gpg --sig-notation !name=value`)",
             "critical-notation", signature=v.gpg_sign("ed", PAYLOAD_A, extra=("--sig-notation", "!review@vouch.invalid=yes")))
    vec(g, "non-critical-notation", "a non-critical notation is ignored", p, images(wa), ok(fpr["ed"]), attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A, extra=("--sig-notation", "review@vouch.invalid=yes")), fpr["ed"])])
    vec(g, "critical-unknown-subpacket", "a hashed critical subpacket of an unassigned type (40)", p, images(wa),
        deny(["PGP_UNKNOWN_CRITICAL_SUBPACKET"]), attestors=[pgp_attestor("ed")],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, 1795478400, extra=[(40, b"x", True)]), fpr["ed"])])
    vec(g, "non-critical-unknown-subpacket", "the same subpacket, not critical, is ignored", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, 1795478400, extra=[(40, b"x", False)]), fpr["ed"])])
    for order in (["ed", "other"], ["other", "ed"]):
        vec(g, "two-signers-%s-first" % order[0], "`gpg -u %s -u %s --sign`: any signature by the attestor's key counts" % tuple(order),
            p, images(wa), ok(fpr["ed"]), attestors=[pgp_attestor("ed")],
            attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A, signers=order), fpr["ed"])])
        vec(g, "two-detached-signatures-%s-first" % order[0], "two detached signatures in one block, either order", p, images(wa),
            ok(fpr["ed"]), attestors=[pgp_attestor("ed")],
            attestations=[v1(PAYLOAD_A, v.gpg_sign("ed", PAYLOAD_A, detached=True, signers=order), fpr["ed"])])
    kritis_label = v.pgp_armor(v.gpg_sign("ed", PAYLOAD_A, armor=False), label="PGP SIGNATURE")
    vec(g, "attached-message-labelled-signature", "Kritis' signer armors an attached message as `PGP SIGNATURE`: packets decide",
        p, images(wa), ok(fpr["ed"]), attestors=[pgp_attestor("ed")], attestations=[legacy(kritis_label, fpr["ed"])])
    armored = open(v.key_path("pgp-ed.pub.asc")).read().strip().splitlines()
    body = [line for line in armored if not line.startswith("-----") and line.strip()]
    vec(g, "key-without-armor-lines", "the armor's body without BEGIN/END lines, as Terraform's documentation shows it", p, images(wa),
        ok(fpr["ed"]), attestors=[pgp_attestor("ed", text="\n".join(body) + "\n")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])])
    vec(g, "key-without-armor-lines-or-checksum", "the same without the `=CRC` line", p, images(wa), ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text="\n".join(line for line in body if not line.startswith("=")))],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])])
    vec(g, "v3-signature-rsa", "a version 3 signature packet (GnuPG accepts them)", p, images(wa), ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")], attestations=[v1(PAYLOAD_A, v.pgp_sign("rsa", PAYLOAD_A, 1795478400, version=3), fpr["rsa"])])
    literal = v.pgp_packet(11, b"b\x00\x00\x00\x00\x00" + b"\x00" * (2 * 1024 * 1024))
    bomb = v.pgp_armor(v.pgp_packet(8, b"\x02" + zlib.compress(literal, 9)), label="PGP MESSAGE")
    vec(g, "decompression-bomb", "compressed data inflating past the 1 MiB limit is refused before any signature check", p, images(wa),
        deny(["PGP_DECOMPRESSED_TOO_LARGE"]), attestors=[pgp_attestor("ed")], attestations=[legacy(bomb, fpr["ed"])])
    vec(g, "key-without-key-flags", "a self-signature without key flags: the usage is the algorithm's (GnuPG), and EdDSA signs",
        p, images(wa), ok(fpr["ed"]), attestors=[pgp_attestor("ed", text=v.pgp_key_without_flags("ed"))],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, 1795478400), fpr["ed"])])


LINT = []
PAYLOADS = []


def lint_case(name, description, policy_, warnings=(), attestors=None, error=None):
    case = {"description": description, "policy": policy_}
    if attestors is not None:
        case["attestors"] = attestors
    if error is not None:
        case["expectError"] = error
    else:
        case["expectWarnings"] = [{"code": c, "path": p} for c, p in warnings]
    LINT.append((name, case))


def lint_cases():
    clean = policy(rule("ALWAYS_DENY"), gmode="ENABLE")
    lint_case("clean-policy", "a strict policy with nothing to warn about", clean)
    lint_case("always-allow-namespace-under-strict-default", "an ALWAYS_ALLOW namespace rule while the default requires attestations",
              require(CI, gmode="ENABLE", ns={"dev": rule("ALWAYS_ALLOW")}),
              [("RULE_WEAKER_THAN_DEFAULT", "/kubernetesNamespaceAdmissionRules/dev/evaluationMode")])
    lint_case("always-allow-service-account", "an ALWAYS_ALLOW service-account rule while the default denies",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", sa={"ci:deployer": rule("ALWAYS_ALLOW")}),
              [("RULE_WEAKER_THAN_DEFAULT", "/kubernetesServiceAccountAdmissionRules/ci:deployer/evaluationMode")])
    lint_case("always-allow-cluster", "an ALWAYS_ALLOW cluster rule while the default denies",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", cluster={"us-east1.dev": rule("ALWAYS_ALLOW")}),
              [("RULE_WEAKER_THAN_DEFAULT", "/clusterAdmissionRules/us-east1.dev/evaluationMode")])
    lint_case("double-star-lookalike", "`gcr.io/my-project**` also covers gcr.io/my-project-evil/…",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gcr.io/my-project**", "gcr.io/other/**"]),
              [("PATTERN_COVERS_LOOKALIKES", "/admissionWhitelistPatterns/0/namePattern")])
    lint_case("pattern-pinned-by-tag", "allowlist entries that trust tags",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["gcr.io/p/app:1.0", "gcr.io/p/app@" + DIG_A, "gcr.io/p/tool:v1.*"]),
              [("PATTERN_PINNED_BY_TAG", "/admissionWhitelistPatterns/0/namePattern"),
               ("PATTERN_PINNED_BY_TAG", "/admissionWhitelistPatterns/2/namePattern")])
    lint_case("pattern-misses-short-names", "`docker.io/library/redis*` never matches workloads that say `redis`",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", patterns=["docker.io/library/redis*"]),
              [("PATTERN_MISSES_SHORT_NAMES", "/admissionWhitelistPatterns/0/namePattern")])
    lint_case("dry-run-rule", "a dry-run rule is a reminder to switch to enforcement",
              policy(rule("ALWAYS_DENY", DRY), gmode="ENABLE"), [("DRY_RUN_RULE", "/defaultAdmissionRule/enforcementMode")])
    lint_case("several-rule-maps", "cluster and namespace rules together depend on vouch's precedence",
              policy(rule("ALWAYS_DENY"), gmode="ENABLE", cluster={"us-east1.c": rule("ALWAYS_DENY")}, ns={"prod": rule("ALWAYS_DENY")}),
              [("SEVERAL_RULE_MAPS", "/clusterAdmissionRules")])
    no_keys = ci_attestor()
    no_keys["userOwnedGrafeasNote"]["publicKeys"] = []
    lint_case("attestor-without-keys", "a required attestor with no keys can never be satisfied", require(CI, gmode="ENABLE"),
              [("ATTESTOR_WITHOUT_KEYS", "/defaultAdmissionRule/requireAttestationsBy/0")], attestors=[no_keys])
    lint_case("ed25519-attestor", "an ED25519 attestor is a vouch extension GCP does not accept", require(SCAN, gmode="ENABLE"),
              [("ATTESTOR_NOT_ACCEPTED_BY_GCP", "/defaultAdmissionRule/requireAttestationsBy/0")], attestors=[scan_attestor()])
    lint_case("global-mode-unspecified", "an unspecified global policy mode means DISABLE",
              policy(rule("ALWAYS_DENY"), gmode=None), [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")])
    lint_case("invalid-policy-is-an-error", "lint validates first: an invalid pattern is an error, not a warning",
              policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/n*x"]),
              error=err("POLICY_INVALID_PATTERN", "/admissionWhitelistPatterns/0/namePattern"))
    lint_case("invalid-attestor-is-an-error", "attestor errors point into the attestors", require(CI, gmode="ENABLE"),
              attestors=[{"name": CI}], error=err("ATTESTOR_MISSING_FIELD", "/attestors/0/userOwnedGrafeasNote"))
    lint_case("yaml-text-policy", "the policy may be YAML text, as exported",
              "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: DRYRUN_AUDIT_LOG_ONLY\n",
              [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode"), ("DRY_RUN_RULE", "/defaultAdmissionRule/enforcementMode")])
    # The global mode only exempts images, so it matters only where some rule can find a violation.
    lint_case("global-mode-unspecified-google-default-policy", "Google's own default policy (every rule ALWAYS_ALLOW): no global-mode warning",
              "name: projects/example-project/policy\ndefaultAdmissionRule:\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
              "  evaluationMode: ALWAYS_ALLOW\n")
    lint_case("global-mode-unspecified-every-rule-allows", "every rule of every map ALWAYS_ALLOW: the global mode cannot change a decision",
              policy(rule("ALWAYS_ALLOW"), gmode=None, cluster={"us-east1.c": rule("ALWAYS_ALLOW")}))
    lint_case("global-mode-unspecified-specific-rule-can-deny", "a specific rule that can deny makes the global mode matter again",
              policy(rule("ALWAYS_ALLOW"), gmode=None, ns={"prod": rule("REQUIRE_ATTESTATION", ENF, [CI])}),
              [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")])
    lint_case("global-mode-unspecified-dry-run-rule", "a dry-run ALWAYS_DENY rule still changes the verdict (DRY_RUN_ALLOW) for system images",
              policy(rule("ALWAYS_ALLOW"), gmode=None, cluster={"us-east1.c": rule("ALWAYS_DENY", DRY)}),
              [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode"),
               ("DRY_RUN_RULE", "/clusterAdmissionRules/us-east1.c/enforcementMode")])
    lint_case("global-mode-unspecified-allowlist-not-moot", "an allowlist of the documented system images does not make the mode moot: the real list is regional",
              policy(rule("ALWAYS_DENY"), gmode=None, patterns=["gke.gcr.io/**", "k8s.gcr.io/**"]),
              [("GLOBAL_POLICY_MODE_UNSPECIFIED", "/globalPolicyEvaluationMode")])


def payload_case(name, description, image, expect_bytes=None, error=None):
    case = {"description": description, "image": image}
    if error is not None:
        case["expectError"] = error
    else:
        case["expectPayloadBase64"] = v.b64(expect_bytes)
        case["expectSha256"] = __import__("hashlib").sha256(expect_bytes).hexdigest()
    PAYLOADS.append((name, case))


def payload_cases():
    spec_payload = open(os.path.join(v.KEYS, "spec-payload-A.json"), "rb").read()
    assert spec_payload == PAYLOAD_A, "the spec's payload_A.json is the gcloud format"
    payload_case("gcloud-format-digest", "the reference's 303-byte payload (sha256 c14a3b20…)", WEB + "@" + DIG_A, PAYLOAD_A)
    payload_case("tag-is-dropped", "`name:tag@digest`: the tag is not part of docker-reference", WEB + ":1.0@" + DIG_A, PAYLOAD_A)
    payload_case("https-scheme-is-stripped", "an artifact URL with https://", "https://" + WEB + "@" + DIG_A, PAYLOAD_A)
    payload_case("short-name", "a Docker Hub short name keeps its written form", "busybox@" + DIG_B, v.gcloud_payload("busybox", DIG_B))
    payload_case("registry-port", "a registry with a port", "localhost:5000/team/app@" + DIG_B, v.gcloud_payload("localhost:5000/team/app", DIG_B))
    payload_case("tag-only-refused", "attestations bind digests: a tag-only image cannot be signed", WEB + ":1.0",
                 error=err("REQUEST_NOT_DIGEST_PINNED"))
    payload_case("sha512-refused", "only sha256 digests are attested", WEB + "@sha512:" + "ab" * 64, error=err("REQUEST_NOT_DIGEST_PINNED"))
    payload_case("short-digest-refused", "gcloud: `Invalid digest: sha256:123`", WEB + "@sha256:123", error=err("REQUEST_INVALID_IMAGE"))
    payload_case("uppercase-refused", "repository names are lowercase", "gcr.io/P/app@" + DIG_A, error=err("REQUEST_INVALID_IMAGE"))


def budget_cases():
    """Issue 12, item 4: the verification budget (docs/limits.md): 512 units per attestor and
    image, 8,192 per decision; an Ed25519 check costs 1 unit, a P-521 one 100. Wrong signatures
    are valid ones with two low bytes of S (Ed25519) or s (ECDSA DER) changed: well-formed,
    distinct, and only a full verification tells they are wrong."""
    g = "budget"
    wa, wb = WEB + "@" + DIG_A, WEB + "@" + DIG_B
    p = require(SCAN)
    good_a = v.sign("scan-ed25519", PAYLOAD_A)
    good_b = v.sign("scan-ed25519", PAYLOAD_B)

    def wrong(good, k, at=32):
        return good[:at] + bytes([(good[at] + k) % 256, (good[at + 1] + (k >> 8)) % 256]) + good[at + 2:]

    def occs(prefix, image, payload, sigs, key_id=SCAN_KEY_ID, note=SCAN_NOTE):
        return [v.occurrence(P + "/occurrences/" + prefix + str(i), note, image, payload,
                             [(key_id, sig) for sig in sigs[i * 64:(i + 1) * 64]]) for i in range((len(sigs) + 63) // 64)]

    def valid(name, image, payload, sig, key_id=SCAN_KEY_ID, note=SCAN_NOTE):
        return v.occurrence(P + "/occurrences/" + name, note, image, payload, [(key_id, sig)])

    allow_a = exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid")])])
    junk = [wrong(good_a, k) for k in range(1, 601)]
    details = [("BAD_SIGNATURE", P + "/occurrences/junk-%d" % (i // 64)) for i in range(512)]
    details.append(("NOT_TRIED_BUDGET", P + "/occurrences/scan-valid"))
    vec(g, "wrong-signatures-spend-the-attestor-budget",
        "512 distinct well-formed wrong Ed25519 signatures before the valid one spend the budget of 512 units per attestor and "
        "image: the valid occurrence is not tried (NOT_TRIED_BUDGET) and does not count", p, images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", SCAN, details=details)])]),
        attestors=[scan_attestor()], attestations=occs("junk-", wa, PAYLOAD_A, junk[:512]) + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    vec(g, "wrong-signatures-within-the-budget", "511 wrong signatures before the valid one stay within the budget", p, images(wa),
        allow_a, attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk[:511]) + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    vec(g, "repeated-wrong-signature-costs-once", "the same wrong signature 600 times is verified once per decision", p, images(wa),
        allow_a, attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, [junk[0]] * 600) + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    vec(g, "unknown-key-ids-cost-nothing", "600 signatures under a key id the attestor does not list cost no verification", p,
        images(wa), allow_a, attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk, key_id="projects/x/keys/other") + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    vec(g, "implausible-signatures-cost-nothing", "600 signatures of a length Ed25519 never produces cost no verification", p,
        images(wa), allow_a, attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, [j[:63] for j in junk[:300]] + [j + b"\x00" for j in junk[300:]])
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    vec(g, "other-digest-costs-nothing", "600 wrong signatures over a payload for another digest cost no verification", p,
        images(wa), allow_a, attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_B, junk) + [valid("scan-valid", wa, PAYLOAD_A, good_a)])
    junk_b = [wrong(good_b, k) for k in range(1, 401)]
    vec(g, "budget-is-per-attestor-and-image", "400 wrong signatures before the valid one for each of two images: each image has "
        "its own budget", p, images(wa, wb),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid")]),
                           img(wb, "CONFORMANT", attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid-b")])]),
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk[:400]) + [valid("scan-valid", wa, PAYLOAD_A, good_a)]
        + occs("junk-b-", wb, PAYLOAD_B, junk_b) + [valid("scan-valid-b", wb, PAYLOAD_B, good_b)])
    # A P-521 check costs 100 units: after 5 wrong signatures (500 units) the valid one would exceed 512.
    p521 = v.pkix_attestor(QA, QA_NOTE, [("p521", "ECDSA_P521_SHA512", QA_KEY_ID)])
    good = v.sign("p521", PAYLOAD_A)
    junk521 = [wrong(good, k, len(good) - 2) for k in range(1, 6)]
    vec(g, "p521-checks-cost-100-units", "after 5 wrong P-521 signatures (100 units each) the valid one would exceed the budget "
        "of 512 units: it is not tried", require(QA), images(wa),
        exp("DENY", imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", QA, details=[("BAD_SIGNATURE", P + "/occurrences/junk-0")] * 5
                                                                + [("NOT_TRIED_BUDGET", P + "/occurrences/qa-valid")])])]),
        attestors=[p521], attestations=occs("junk-", wa, PAYLOAD_A, junk521, key_id=QA_KEY_ID, note=QA_NOTE)
        + [valid("qa-valid", wa, PAYLOAD_A, good, key_id=QA_KEY_ID, note=QA_NOTE)])
    vec(g, "p521-within-the-budget", "4 wrong P-521 signatures (400 units) leave room for the valid one", require(QA), images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", QA_KEY_ID, P + "/occurrences/qa-valid")])]),
        attestors=[p521], attestations=occs("junk-", wa, PAYLOAD_A, junk521[:4], key_id=QA_KEY_ID, note=QA_NOTE)
        + [valid("qa-valid", wa, PAYLOAD_A, good, key_id=QA_KEY_ID, note=QA_NOTE)])

def write_suite(folder, cases):
    out = os.path.join(v.ROOT, "testdata", folder)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for i, (name, case) in enumerate(cases, 1):
        with open(os.path.join(out, "%03d-%s.json" % (i, name)), "w") as f:
            json.dump(case, f, indent=2)
            f.write("\n")
    return len(cases)


def main():
    lint_cases()
    payload_cases()
    spec_cases()
    mode_cases()
    rule_kind_cases()
    workload_cases()
    attestation_cases()
    reference_cases()
    pattern_cases()
    policy_error_cases()
    attestor_error_cases()
    request_error_cases()
    bundle_error_cases()
    algorithm_cases()
    pgp_cases()
    budget_cases()
    v.save_cache()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    total = 0
    for group, items in VECTORS.items():
        os.makedirs(os.path.join(OUT, group))
        names = set()
        for i, (name, bundle) in enumerate(items, 1):
            assert name not in names, name
            names.add(name)
            if bundle.get("request") is None:
                del bundle["request"]
            if bundle.get("now") is None:
                bundle.pop("now", None)
            path = os.path.join(OUT, group, "%03d-%s.json" % (i, name))
            with open(path, "w") as f:
                json.dump(bundle, f, indent=2, ensure_ascii=False)
                f.write("\n")
            total += 1
    print("wrote %d vectors in %d groups" % (total, len(VECTORS)))
    print("wrote %d lint and %d payload vectors" % (write_suite("lint", LINT), write_suite("payload", PAYLOADS)))


if __name__ == "__main__":
    main()
