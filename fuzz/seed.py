#!/usr/bin/env python3
"""Builds the fuzz seed corpora fuzz/corpus/<target>/ from the repository's test data.

Sources: testdata/vectors/**/*.json (whole bundles and each member: policy, attestors,
attestations, request, workload), testdata/vectors/lint and payload, testdata/keys, examples/.
Every seed is written as `seed-<sha1>` so re-running is idempotent and never clobbers inputs
libFuzzer added. Python 3 standard library only (PyYAML, when installed, adds YAML renderings
of the JSON members; without it the JSON renderings, which are YAML too, are used).

Usage: python3 fuzz/seed.py [--clean]
"""

import base64
import glob
import hashlib
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
TARGETS = [
    "image_ref",
    "policy_yaml",
    "policy_json",
    "attestor",
    "occurrences",
    "payload",
    "pem_key",
    "workload",
    "bundle",
    "roundtrip",
    "sigstore",
    "provenance",
    "evidence_reader",
    "platform_policy",
    "pod_snapshot",
    "replay_entry",
    "replay_split",
]

# SignatureAlgorithm::ALL order (crates/vouch/src/crypto.rs): the pem_key target picks the
# algorithm with its first byte.
ALGORITHMS = [
    "RSA_PSS_2048_SHA256",
    "RSA_PSS_3072_SHA256",
    "RSA_PSS_4096_SHA256",
    "RSA_PSS_4096_SHA512",
    "RSA_SIGN_PKCS1_2048_SHA256",
    "RSA_SIGN_PKCS1_3072_SHA256",
    "RSA_SIGN_PKCS1_4096_SHA256",
    "RSA_SIGN_PKCS1_4096_SHA512",
    "ECDSA_P256_SHA256",
    "ECDSA_P384_SHA384",
    "ECDSA_P521_SHA512",
    "ML_DSA_65",
    "ED25519",
]
KEY_TYPES = {"p256": 8, "p384": 9, "p521": 10, "mldsa65": 11, "ed25519": 12, "rsa": 0}

# The fixed image of the payload target (fuzz/fuzz_targets/payload.rs).
PAYLOAD_REPOSITORY = "gcr.io/fuzz/app"
PAYLOAD_DIGEST = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"

try:
    import yaml  # type: ignore

    def to_yaml(value):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True)

except ImportError:  # pragma: no cover - depends on the machine

    def to_yaml(value):
        return None


seeds = {t: set() for t in TARGETS}


def add(target, data):
    if data is None:
        return
    if isinstance(data, str):
        data = data.encode()
    # Larger inputs would raise libFuzzer's guessed -max_len and slow every execution.
    if 0 < len(data) <= 16 * 1024:
        seeds[target].add(data)


def add_doc(target, value):
    """A member as the loaders accept it: a string is already text; otherwise JSON and YAML."""
    if isinstance(value, str):
        add(target, value)
        return
    add(target, json.dumps(value, indent=2))
    add(target, json.dumps(value, separators=(",", ":")))
    add(target, to_yaml(value))


def walk(value, key=None):
    """Yields (key, value) for every member at any depth."""
    yield key, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


def algorithm_index(name):
    """`SignatureAlgorithm::parse`: GCP's aliases and gcloud's dashed lower-case spellings."""
    upper = name.strip().upper().replace("-", "_")
    upper = upper.replace("RSA_SIGN_PSS_", "RSA_PSS_").replace("EC_SIGN_", "ECDSA_")
    return ALGORITHMS.index(upper) if upper in ALGORITHMS else None


def add_pem(pem, algorithm=None):
    index = algorithm_index(algorithm) if algorithm else None
    if index is None:
        index = 8
    add("pem_key", bytes([index]) + pem.encode())


def image_like(s):
    return isinstance(s, str) and 0 < len(s) < 400 and " " not in s and ("/" in s or "@" in s or ":" in s)


def from_bundle(bundle):
    # A vector's test-only keys are not bundle keys (the core refuses them).
    bundle = {k: v for k, v in bundle.items() if k not in ("expect", "expectError")}
    add("bundle", json.dumps(bundle, indent=2))
    add("bundle", to_yaml(bundle))
    policy = bundle.get("policy")
    if policy is not None:
        for target in ("policy_yaml", "roundtrip"):
            add_doc(target, policy)
        if isinstance(policy, dict):
            add("policy_json", json.dumps(policy, indent=2))
            add("policy_json", json.dumps(policy, separators=(",", ":")))
        elif isinstance(policy, str) and policy.lstrip().startswith("{"):
            add("policy_json", policy)
    system = bundle.get("systemPolicy")
    if system is not None:
        add_doc("policy_yaml", system)
    attestors = bundle.get("attestors")
    if attestors:
        add_doc("attestor", attestors)
        if isinstance(attestors, list):
            for a in attestors:
                add_doc("attestor", a)
    attestations = bundle.get("attestations")
    if attestations and isinstance(attestations, list) and any(
        isinstance(o, dict) and ("Base64Signature" in o or "mediaType" in o or "annotations" in o)
        for o in attestations
    ):
        add("sigstore", json.dumps(attestations))
        for o in attestations:
            add("sigstore", json.dumps(o))
    if attestations:
        add_doc("occurrences", attestations)
        if isinstance(attestations, list):
            for o in attestations:
                add_doc("occurrences", o)
    request = bundle.get("request")
    if request is not None:
        add_doc("workload", request)
        if isinstance(request, dict) and request.get("workload") is not None:
            add_doc("workload", request["workload"])
    for key, value in walk(bundle):
        if key == "publicKeyPem" and isinstance(value, str):
            add_pem(value)
        if key == "pkixPublicKey" and isinstance(value, dict) and isinstance(value.get("publicKeyPem"), str):
            add_pem(value["publicKeyPem"], value.get("signatureAlgorithm"))
        if key == "serializedPayload" and isinstance(value, str):
            try:
                add("payload", base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_" if "-" in value or "_" in value else None))
            except ValueError:
                pass
        if key in ("resourceUri", "image", "images", "docker-reference") and image_like(value):
            add("image_ref", value)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    if "--clean" in sys.argv:
        shutil.rmtree(CORPUS, ignore_errors=True)

    vectors = os.path.join(ROOT, "testdata", "vectors")
    for path in sorted(glob.glob(os.path.join(vectors, "**", "*.json"), recursive=True)):
        if os.path.relpath(path, vectors).split(os.sep)[0] not in ("lint", "payload", "sign"):
            from_bundle(load(path))
    # The inspect suite: its evidence seeds the sigstore target (cosign lines, bundles).
    for path in sorted(glob.glob(os.path.join(vectors, "inspect", "*.json"))):
        attestations = load(path).get("input", {}).get("attestations")
        if isinstance(attestations, list) and any(
            isinstance(o, dict) and ("Base64Signature" in o or "mediaType" in o or "annotations" in o)
            for o in attestations
        ):
            add("sigstore", json.dumps(attestations))
            for o in attestations:
                add("sigstore", json.dumps(o))
    # The inspect suite's BUILD and DSSE_ATTESTATION items and the gcloud provenance fixtures
    # seed the provenance target.
    for path in sorted(glob.glob(os.path.join(vectors, "inspect", "1[0-9][0-9]-*.json"))):
        attestations = load(path).get("input", {}).get("attestations")
        if isinstance(attestations, list):
            add("provenance", json.dumps(attestations))
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "fixtures", "slsa-verifier", "gcb_container", "*", "*.json"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            add("provenance", json.dumps(json.loads(text)["provenance_summary"]["provenance"]))
        except (ValueError, KeyError, TypeError):
            add("provenance", text)
    # The inspect suite's evidence in every shape seeds the evidence reader: lists, JSON lines
    # (strings), `{"occurrences": …}` and describe objects, and each item alone.
    for path in sorted(glob.glob(os.path.join(vectors, "inspect", "*.json"))):
        attestations = load(path).get("input", {}).get("attestations")
        if attestations is None:
            continue
        items = attestations if isinstance(attestations, list) else [attestations]
        for o in items:
            add("evidence_reader", o if isinstance(o, str) else json.dumps(o))
        if isinstance(attestations, list) and all(isinstance(o, dict) for o in attestations):
            add("evidence_reader", json.dumps(attestations))
            add("evidence_reader", "\n".join(json.dumps(o) for o in attestations))
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "fixtures", "influxdata-sedg", "*.json"))):
        with open(path, encoding="utf-8") as f:
            add("evidence_reader", f.read())
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "fixtures", "**", "*.sigstore.json"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            add("sigstore", f.read())
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "bundles", "*.json"))):
        from_bundle(load(path))

    # Platform policies: the platform suite's policies (text or JSON, as YAML too), the
    # examples, platform lint policies, and cluster configurations.
    for path in sorted(glob.glob(os.path.join(vectors, "platform", "*.json"))):
        platform = load(path).get("input", {}).get("platformPolicy")
        if platform is not None:
            add_doc("platform_policy", platform)
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "platform", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            add("platform_policy", f.read())
    # Cloud Run platform policies: the cloud_run group's `cloudRunPolicies` and the example.
    for path in sorted(glob.glob(os.path.join(vectors, "cloud_run", "*.json"))):
        policies = load(path).get("cloudRunPolicies")
        for policy_ in policies if isinstance(policies, list) else [policies] if policies else []:
            add_doc("platform_policy", policy_)
    with open(os.path.join(ROOT, "examples", "cloud-run", "cloud-run-policy.yaml"), encoding="utf-8") as f:
        add("platform_policy", f.read())
    for cluster in (
        {"binaryAuthorization": {"evaluationMode": "POLICY_BINDINGS", "policyBindings": [{"name": "projects/123/platforms/gke/policies/p"}]}, "name": "c"},
        {"evaluationMode": "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE", "policyBindings": [{"name": "projects/my-project/platforms/gke/policies/a"}, {"name": "projects/my-project/platforms/gke/policies/b"}]},
        {"enabled": True},
        {"evaluationMode": "EVALUATION_MODE_UNSPECIFIED"},
    ):
        add_doc("platform_policy", cluster)

    # Pod snapshots: the cv suite's snapshots and the example's.
    for path in sorted(glob.glob(os.path.join(vectors, "cv", "*.json"))):
        pods = load(path).get("input", {}).get("pods")
        if pods is not None:
            add_doc("pod_snapshot", pods)
    add_doc("pod_snapshot", load(os.path.join(ROOT, "examples", "cv", "pods.json")))
    # Replay entries: every entry of the replay suite (objects and lines), and the samples.
    for path in sorted(glob.glob(os.path.join(vectors, "replay", "*.json"))):
        for entry in load(path)["input"].get("entries") or []:
            if isinstance(entry, str):
                add("replay_entry", entry.encode())
            elif isinstance(entry, dict):
                add_doc("replay_entry", entry)
    for entry in load(os.path.join(ROOT, "examples", "replay", "gke-audit.json")):
        add_doc("replay_entry", entry)
    with open(os.path.join(ROOT, "examples", "replay", "k8s-audit.jsonl"), "rb") as f:
        for line in f:
            add("replay_entry", line.rstrip(b"\n"))
    # Whole logs: the samples, cut and joined the ways the splitter must survive.
    for name in ("gke-audit.json", "k8s-audit.jsonl", "current-policy.yaml"):
        with open(os.path.join(ROOT, "examples", "replay", name), "rb") as f:
            log = f.read()
        add("replay_split", log)
        add("replay_split", log[: len(log) // 2])
        add("replay_split", b"\xef\xbb\xbf\n \r\n" + log.replace(b"\n", b"\r\n"))
    for log in (b"[{\"a\":1},,{\"b\":\"],\\\"\"}] [] [1] x", b"{\n\"kind\": \"List\"\n}", b"{bad\n\n{}\n\xff\n"):
        add("replay_split", log)

    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "vectors", "lint", "*.json"))):
        case = load(path)
        policy_ = case.get("policy")
        if isinstance(policy_, dict) and "gkePolicy" in policy_ or isinstance(policy_, str) and "gkePolicy" in policy_:
            add_doc("platform_policy", policy_)
            continue
        if case.get("policy") is not None:
            for target in ("policy_yaml", "roundtrip"):
                add_doc(target, case["policy"])
        if case.get("attestors"):
            add_doc("attestor", case["attestors"])

    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "vectors", "payload", "*.json"))):
        case = load(path)
        add("image_ref", case.get("image"))
        if case.get("expectPayloadBase64"):
            add("payload", base64.b64decode(case["expectPayloadBase64"]))

    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*"))):
        if os.path.isdir(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        name = os.path.basename(path)
        if name.startswith("policy"):
            for target in ("policy_yaml", "roundtrip"):
                add(target, text)
        elif name.startswith("attestors"):
            add("attestor", text)
            for a in json.loads(text):
                add_doc("attestor", a)
                from_bundle({"attestors": [a]})
        elif name.startswith("attestations"):
            add("occurrences", text)
            from_bundle({"attestations": json.loads(text)})
        elif name.startswith("deployment"):
            add("workload", text)
            add("workload", "kind: List\nitems:\n" + "".join("- " + line + "\n" if i == 0 else "  " + line + "\n" for i, line in enumerate(text.splitlines()) if not line.startswith("#")))

    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "keys", "*"))):
        name = os.path.basename(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if not text.startswith("-----BEGIN"):
            continue
        kind = next((i for k, i in KEY_TYPES.items() if name.startswith(k) or k in name), 8)
        add("pem_key", bytes([kind]) + text.encode())

    # The payload target's own image, as gcloud writes it (scripts/vectorlib.py's format).
    doc = {
        "critical": {
            "identity": {"docker-reference": PAYLOAD_REPOSITORY},
            "image": {"docker-manifest-digest": PAYLOAD_DIGEST},
            "type": "Google cloud binauthz container signature",
        }
    }
    add("payload", json.dumps(doc, sort_keys=True, indent=2, separators=(",", ": ")) + "\n")
    add("image_ref", PAYLOAD_REPOSITORY + "@" + PAYLOAD_DIGEST)

    # Hand-picked seeds committed with the targets (fuzz/seeds/<target>/*).
    for target in TARGETS:
        for path in sorted(glob.glob(os.path.join(ROOT, "fuzz", "seeds", target, "*"))):
            with open(path, "rb") as f:
                add(target, f.read())

    total = 0
    for target in TARGETS:
        out = os.path.join(CORPUS, target)
        os.makedirs(out, exist_ok=True)
        for data in seeds[target]:
            name = "seed-" + hashlib.sha1(data).hexdigest()
            path = os.path.join(out, name)
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(data)
        total += len(seeds[target])
        print(f"{target:12} {len(seeds[target]):5} seeds")
    print(f"{'total':12} {total:5} seeds in {os.path.relpath(CORPUS, ROOT)}/")


if __name__ == "__main__":
    main()
