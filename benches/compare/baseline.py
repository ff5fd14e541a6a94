"""The comparison baseline of benches/compare (issue 8): a Binary Authorization decision written
in plain Python, as a user would write it, with `cryptography` (OpenSSL) for the signatures.

It covers what the comparison scenarios exercise: the allowlist (exact, `prefix*`, `prefix**`),
rule selection (mesh identity, service account, namespace, cluster, default), ALWAYS_ALLOW /
ALWAYS_DENY / REQUIRE_ATTESTATION, and Grafeas attestation occurrences with simple-signing
payloads signed by PKIX ECDSA P-256 keys over the raw payload or its DSSE PAE form (the first
candidate occurrence in input order that binds to the image's digest and verifies counts).
Not covered: the system policy, OpenPGP and other key types, strict identity, tag-only images
under REQUIRE_ATTESTATION beyond "not satisfied". bench.py checks its decisions (allowed, rule,
and per image the outcome and which attestor was satisfied by which occurrence) against vouch's
on every scenario.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any, Dict, List, Optional, Tuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

PAE_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json"
ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def b64decode(text: str) -> bytes:
    """Base64 as protobuf's JSON mapping writes it: standard or URL-safe, padded or not."""
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def pae(payload: bytes) -> bytes:
    """DSSE pre-authentication encoding of a simple-signing payload."""
    return b"DSSEv1 %d %s %d " % (len(PAE_TYPE), PAE_TYPE.encode(), len(payload)) + payload


def pattern_matches(pattern: str, image: str) -> bool:
    if pattern.endswith("**"):
        return image.startswith(pattern[:-2])
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return image.startswith(prefix) and "/" not in image[len(prefix):]
    return image == pattern


def default_key_id(key: ec.EllipticCurvePublicKey) -> str:
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    digest = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    return "ni:///sha-256;" + digest


class Policy:
    """A project policy with its attestors' keys, loaded once."""

    def __init__(self, policy: Dict[str, Any], attestors: List[Dict[str, Any]]) -> None:
        self.patterns = [p["namePattern"] for p in policy.get("admissionWhitelistPatterns") or []]
        self.default_rule = policy["defaultAdmissionRule"]
        self.cluster_rules = policy.get("clusterAdmissionRules") or {}
        self.namespace_rules = policy.get("kubernetesNamespaceAdmissionRules") or {}
        self.service_account_rules = policy.get("kubernetesServiceAccountAdmissionRules") or {}
        self.mesh_rules = {
            k.removeprefix("spiffe://"): v
            for k, v in (policy.get("istioServiceIdentityAdmissionRules") or {}).items()
        }
        # attestor name -> (note, {key id: public key})
        self.attestors: Dict[str, Tuple[str, Dict[str, ec.EllipticCurvePublicKey]]] = {}
        for attestor in attestors:
            note = attestor.get("userOwnedGrafeasNote") or attestor["userOwnedDrydockNote"]
            keys = {}
            for entry in note.get("publicKeys") or []:
                pem = entry["pkixPublicKey"]["publicKeyPem"].encode()
                key = serialization.load_pem_public_key(pem)
                if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
                    raise ValueError(f"{attestor['name']}: only P-256 keys are supported")
                keys[entry.get("id") or default_key_id(key)] = key
            self.attestors[attestor["name"]] = (note["noteReference"], keys)

    def select_rule(self, request: Dict[str, Any], namespace: str, service_account: str) -> Tuple[str, Optional[str], Dict[str, Any]]:
        mesh = request.get("meshIdentity")
        if mesh:
            key = mesh.removeprefix("spiffe://")
            if key in self.mesh_rules:
                return "ISTIO_IDENTITY", key, self.mesh_rules[key]
        key = f"{namespace}:{service_account}"
        if key in self.service_account_rules:
            return "SERVICE_ACCOUNT", key, self.service_account_rules[key]
        if namespace in self.namespace_rules:
            return "NAMESPACE", namespace, self.namespace_rules[namespace]
        cluster = request.get("cluster")
        if cluster in self.cluster_rules:
            return "CLUSTER", cluster, self.cluster_rules[cluster]
        return "DEFAULT", None, self.default_rule

    def find_attestation(self, attestor: str, digest: str, occurrences: List[Dict[str, Any]]) -> Optional[str]:
        """The first occurrence that attests `digest` for `attestor`, if any: its name, or `#N`
        (its position) when it has none, as vouch labels it."""
        note, keys = self.attestors[attestor]
        suffix = "@" + digest
        for position, occurrence in enumerate(occurrences):
            if occurrence.get("noteName") != note or not occurrence.get("resourceUri", "").endswith(suffix):
                continue
            attestation = occurrence.get("attestation") or {}
            try:
                payload = b64decode(attestation["serializedPayload"])
                statement = json.loads(payload)
                if statement["critical"]["image"]["docker-manifest-digest"] != digest:
                    continue
            except (KeyError, TypeError, ValueError, binascii.Error):
                continue
            for signature in attestation.get("signatures") or []:
                key = keys.get(signature.get("publicKeyId"))
                if key is None:
                    continue
                try:
                    sig = b64decode(signature["signature"])
                except (KeyError, ValueError, binascii.Error):
                    continue
                for message in (payload, pae(payload)):
                    try:
                        key.verify(sig, message, ECDSA_SHA256)
                        return occurrence.get("name") or f"#{position}"
                    except InvalidSignature:
                        pass
        return None

    def evaluate(self, request: Dict[str, Any], occurrences: List[Dict[str, Any]]) -> Dict[str, Any]:
        workload = request.get("workload")
        if request.get("images") is not None:
            images: List[Tuple[Optional[str], str]] = [(None, image) for image in request["images"]]
            pod: Dict[str, Any] = {}
            metadata: Dict[str, Any] = {}
        else:
            assert workload is not None
            kind = workload["kind"]
            if kind == "Pod":
                pod = workload["spec"]
            elif kind == "CronJob":
                pod = workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
            else:
                pod = workload["spec"]["template"]["spec"]
            metadata = workload.get("metadata") or {}
            containers = pod.get("initContainers", []) + pod.get("containers", []) + pod.get("ephemeralContainers", [])
            images = [(c["name"], c["image"]) for c in containers]
        namespace = request.get("namespace") or metadata.get("namespace") or "default"
        service_account = request.get("serviceAccount") or pod.get("serviceAccountName") or "default"
        kind, key, rule = self.select_rule(request, namespace, service_account)
        mode = rule["evaluationMode"]
        results = []
        violations = 0
        for container, image in images:
            result: Dict[str, Any] = {"image": image, "container": container, "outcome": "CONFORMANT", "attestors": []}
            if any(pattern_matches(p, image) for p in self.patterns):
                result["outcome"] = "EXEMPT"
            elif mode == "ALWAYS_DENY":
                result["outcome"] = "VIOLATION"
            elif mode == "REQUIRE_ATTESTATION":
                digest = image.rsplit("@", 1)[1] if "@sha256:" in image else None
                for attestor in rule["requireAttestationsBy"]:
                    found = self.find_attestation(attestor, digest, occurrences) if digest else None
                    result["attestors"].append({"attestor": attestor, "satisfied": found is not None, "occurrence": found})
                    if found is None:
                        result["outcome"] = "VIOLATION"
            violations += result["outcome"] == "VIOLATION"
            results.append(result)
        labels = request.get("labels") or {}
        allowed = (
            violations == 0
            or rule["enforcementMode"] == "DRYRUN_AUDIT_LOG_ONLY"
            or labels.get("image-policy.k8s.io/break-glass") == "true"
        )
        return {"allowed": allowed, "rule": {"kind": kind, "key": key}, "images": results}


def summary(decision: Dict[str, Any]) -> Dict[str, Any]:
    """What the baseline must agree on with vouch: allowed, the rule, and per image its
    outcome and which attestors were satisfied by which occurrence."""
    return {
        "allowed": decision["allowed"],
        "rule": {"kind": decision["rule"]["kind"], "key": decision["rule"]["key"]},
        "images": [
            {
                "image": i["image"],
                "container": i["container"],
                "outcome": i["outcome"],
                "attestors": [
                    {"attestor": a["attestor"], "satisfied": a["satisfied"], "occurrence": a["occurrence"]}
                    for a in i["attestors"]
                ],
            }
            for i in decision["images"]
        ],
    }
