"""Shared constants and builders of the vector groups (policies, requests, expectations)."""

import json
import os
import zlib

import vectorlib as v

from .registry import add, stable_names

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
CI, QA, SCAN, LEGACY = (
    P + "/attestors/" + n for n in ("built-by-ci", "qa-approved", "security-scan", "legacy-pgp")
)
CI_NOTE, QA_NOTE, SCAN_NOTE, LEGACY_NOTE = (
    P + "/notes/" + n for n in ("built-by-ci", "qa-approved", "security-scan", "legacy-pgp")
)
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
QA_KEY_ID = (
    "//cloudkms.googleapis.com/v1/projects/example-project/locations/global/keyRings/binauthz/"
    "cryptoKeys/qa/cryptoKeyVersions/1"
)
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
    return v.occurrence(
        P + "/occurrences/" + name, CI_NOTE, image, payload, [(key_id or CI_KEY_ID, sig)], **kw
    )


def qa_occ(name="qa-1", image=WEB + "@" + DIG_A, payload=PAYLOAD_A):
    return v.occurrence(
        P + "/occurrences/" + name,
        QA_NOTE,
        image,
        payload,
        [(QA_KEY_ID, v.sign("qa-p256", payload))],
    )


def scan_occ(name="scan-1", image=WEB + "@" + DIG_A, payload=PAYLOAD_A, signed=None):
    sig = v.sign("scan-ed25519", payload if signed is None else signed)
    return v.occurrence(P + "/occurrences/" + name, SCAN_NOTE, image, payload, [(SCAN_KEY_ID, sig)])


def spec_occ(name, payload_b64, sig_b64, key_id=EC_ID, image=WEB + "@" + DIG_A):
    return v.occurrence(
        P + "/occurrences/" + name, CI_NOTE, image, payload_b64, [(key_id, sig_b64)]
    )


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
    for key, value in (
        ("clusterAdmissionRules", cluster),
        ("kubernetesNamespaceAdmissionRules", ns),
        ("kubernetesServiceAccountAdmissionRules", sa),
        ("istioServiceIdentityAdmissionRules", istio),
    ):
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


def pod(
    containers,
    namespace=None,
    init=(),
    ephemeral=(),
    labels=None,
    annotations=None,
    sa=None,
    kind="Pod",
):
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
        r["details"] = [
            {"code": d} if isinstance(d, str) else {"code": d[0], "occurrence": d[1]}
            for d in details
        ]
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


def vec(
    group,
    name,
    description,
    policy_,
    request,
    expect=None,
    error=None,
    attestors=(),
    attestations=(),
    system=None,
    options=None,
    now=NOW,
    raw=None,
):
    b = {"description": description, "policy": policy_}
    if attestors is not None:
        b["attestors"] = list(attestors) if isinstance(attestors, (list, tuple)) else attestors
    if attestations is not None:
        b["attestations"] = (
            list(attestations) if isinstance(attestations, (list, tuple)) else attestations
        )
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
    if b.get("request") is None:
        del b["request"]
    if b.get("now") is None:
        b.pop("now", None)
    add(group, name, b)
