#!/usr/bin/env python3
"""Regenerates examples/: a realistic Binary Authorization setup with real signatures.

The keys are the test-only keys in testdata/keys/; signatures come from `openssl`.
Usage: python3 scripts/gen_examples.py
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vectorlib as v  # noqa: E402

OUT = os.path.join(v.ROOT, "examples")
P = "projects/example-project"
WEB = "us-docker.pkg.dev/example-project/app/web"
RELEASED = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"  # built, QA-approved
CANDIDATE = "sha256:3de6f781a0858ca01b0bfab42c51e47eb1b2f4f580db12423f817e1bf955b824"  # built only
QA_KEY_ID = "//cloudkms.googleapis.com/v1/projects/example-project/locations/global/keyRings/binauthz/cryptoKeys/qa/cryptoKeyVersions/1"

POLICY = """\
# Exported with `gcloud container binauthz policy export`.
name: projects/example-project/policy
globalPolicyEvaluationMode: ENABLE
admissionWhitelistPatterns:
- namePattern: gcr.io/example-project/debug-tools/*
defaultAdmissionRule:
  evaluationMode: ALWAYS_DENY
  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
clusterAdmissionRules:
  us-central1-a.prod-cluster:
    evaluationMode: REQUIRE_ATTESTATION
    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
    requireAttestationsBy:
    - projects/example-project/attestors/built-by-ci
    - projects/example-project/attestors/qa-approved
  us-central1.staging-cluster:
    evaluationMode: REQUIRE_ATTESTATION
    enforcementMode: DRYRUN_AUDIT_LOG_ONLY
    requireAttestationsBy:
    - projects/example-project/attestors/built-by-ci
    - projects/example-project/attestors/qa-approved
kubernetesNamespaceAdmissionRules:
  sandbox:
    evaluationMode: ALWAYS_ALLOW
    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
etag: BwYabcdef12=
updateTime: '2026-10-01T09:30:00.000000Z'
"""


def deployment(name, digest, break_glass=False):
    labels = "        app: web\n"
    if break_glass:
        labels += "        image-policy.k8s.io/break-glass: \"true\"\n"
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
{labels}    spec:
      serviceAccountName: web
      initContainers:
      - name: migrate
        image: {WEB}@{digest}
        args: ["migrate"]
      containers:
      - name: web
        image: {WEB}@{digest}
        ports:
        - containerPort: 8080
      - name: netshoot
        image: gcr.io/example-project/debug-tools/netshoot:v0.13
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    ci_id = v.default_key_id("ci-p256")
    attestors = [
        v.pkix_attestor(P + "/attestors/built-by-ci", P + "/notes/built-by-ci", [("ci-p256", "ECDSA_P256_SHA256", None)],
                        description="Images built by the CI pipeline"),
        v.pkix_attestor(P + "/attestors/qa-approved", P + "/notes/qa-approved", [("qa-p256", "EC_SIGN_P256_SHA256", QA_KEY_ID)],
                        description="Images signed off by QA (Cloud KMS key)"),
    ]
    released = v.gcloud_payload(WEB, RELEASED)
    candidate = v.gcloud_payload(WEB, CANDIDATE)
    occurrences = [
        v.occurrence(P + "/occurrences/0b7c1d3e-ci-released", P + "/notes/built-by-ci", WEB + "@" + RELEASED, released,
                     [(ci_id, v.sign("ci-p256", released))]),
        v.occurrence(P + "/occurrences/5f2a9c41-qa-released", P + "/notes/qa-approved", WEB + "@" + RELEASED, released,
                     [(QA_KEY_ID, v.sign("qa-p256", released))]),
        v.occurrence(P + "/occurrences/9d4e6b20-ci-candidate", P + "/notes/built-by-ci", WEB + "@" + CANDIDATE, candidate,
                     [(ci_id, v.sign("ci-p256", candidate))]),
    ]
    files = {
        "policy.yaml": POLICY,
        "attestors.json": json.dumps(attestors, indent=2) + "\n",
        "attestations.json": json.dumps(occurrences, indent=2) + "\n",
        "deployment.yaml": deployment("web", RELEASED),
        "deployment-candidate.yaml": deployment("web-canary", CANDIDATE),
        "deployment-break-glass.yaml": deployment("web-hotfix", CANDIDATE, break_glass=True),
        "policy-invalid.yaml": POLICY.replace("debug-tools/*", "debug-*/tools"),
    }
    for name, text in files.items():
        with open(os.path.join(OUT, name), "w") as f:
            f.write(text)

    # Self-contained bundles: the presets of the browser preview and inputs for scripts.
    bundles_dir = os.path.join(OUT, "bundles")
    os.makedirs(bundles_dir, exist_ok=True)
    presets = [
        ("prod-released", "Released build to prod: both attestors satisfied", "deployment.yaml", "us-central1-a.prod-cluster", "policy.yaml"),
        ("prod-candidate", "Candidate build to prod: QA has not signed it", "deployment-candidate.yaml", "us-central1-a.prod-cluster", "policy.yaml"),
        ("staging-candidate-dry-run", "Candidate build to staging: dry run logs instead of blocking", "deployment-candidate.yaml",
         "us-central1.staging-cluster", "policy.yaml"),
        ("prod-break-glass", "Emergency hotfix to prod with break-glass", "deployment-break-glass.yaml", "us-central1-a.prod-cluster", "policy.yaml"),
        ("invalid-policy", "A policy with a wildcard in the middle of a pattern", "deployment.yaml", "us-central1-a.prod-cluster", "policy-invalid.yaml"),
    ]
    for name, description, workload, cluster, policy_file in presets:
        bundle = {
            "description": description,
            "policy": files[policy_file],
            "attestors": attestors,
            "attestations": occurrences,
            "request": {"workload": files[workload], "cluster": cluster},
            "now": "2026-11-23T10:00:00Z",
        }
        with open(os.path.join(bundles_dir, name + ".json"), "w") as f:
            json.dump(bundle, f, indent=2)
            f.write("\n")
    v.save_cache()
    print("wrote examples/")


if __name__ == "__main__":
    main()
