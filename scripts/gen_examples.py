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


def describe(attestations):
    """What `gcloud artifacts docker images describe WEB@RELEASED --show-all-metadata
    --format=json` prints (Cloud SDK `command_lib/artifacts/docker_util.py`
    DescribeDockerImage): the image summary and each summary's occurrences."""
    uri = "https://" + WEB + "@" + RELEASED

    def finding(suffix, cve, severity, effective, fixed_kind, fixed=None):
        issue = {
            "affectedCpeUri": "cpe:/o:debian:debian_linux:12",
            "affectedPackage": "openssl",
            "affectedVersion": {"name": "3.0.11", "revision": "1~deb12u1", "kind": "NORMAL", "fullName": "3.0.11-1~deb12u1"},
            "fixedCpeUri": "cpe:/o:debian:debian_linux:12",
            "fixedPackage": "openssl",
            "fixedVersion": {"kind": fixed_kind, **({"fullName": fixed} if fixed else {})},
            "fixAvailable": fixed_kind != "MAXIMUM",
            "packageType": "OS",
            "effectiveSeverity": effective,
        }
        return {
            "name": P + "/occurrences/" + suffix,
            "resourceUri": uri,
            "noteName": "projects/goog-vulnz/notes/" + cve,
            "kind": "VULNERABILITY",
            "createTime": "2026-11-20T08:00:05.123456Z",
            "updateTime": "2026-11-21T08:00:05.123456Z",
            "vulnerability": {
                "severity": severity,
                "cvssScore": 7.5,
                "packageIssue": [issue],
                "shortDescription": cve,
                "effectiveSeverity": effective,
                "fixAvailable": fixed_kind != "MAXIMUM",
                "cvssv3": {"baseScore": 7.5},
                "cvssVersion": "CVSS_VERSION_3",
            },
        }

    high = finding("7a1e0c52-vuln", "CVE-2024-5535", "CRITICAL", "HIGH", "NORMAL", "3.0.14-1~deb12u1")
    low = finding("7a1e0c53-vuln", "CVE-2024-2511", "HIGH", "LOW", "MAXIMUM")
    return {
        "image_summary": {
            "digest": RELEASED,
            "fully_qualified_digest": WEB + "@" + RELEASED,
            "registry": "us-docker.pkg.dev",
            "repository": "app",
            "slsa_build_level": "unknown",
        },
        "discovery_summary": {"discovery": [{
            "name": P + "/occurrences/3c9d2f70-discovery",
            "resourceUri": uri,
            "noteName": P + "/notes/PACKAGE_VULNERABILITY",
            "kind": "DISCOVERY",
            "createTime": "2026-11-02T09:31:00.000000Z",
            "updateTime": "2026-11-20T08:00:05.000000Z",
            "discovery": {
                "continuousAnalysis": "ACTIVE",
                "analysisStatus": "FINISHED_SUCCESS",
                "lastScanTime": "2026-11-20T08:00:04.881204Z",
                "archiveTime": "2026-11-02T09:31:00.000000Z",
            },
        }]},
        "package_vulnerability_summary": {
            "vulnerabilities": {"HIGH": [high], "LOW": [low]},
            "not_fixed_vulnerability_count": 1,
            "total_vulnerability_count": 2,
        },
        "attestation_summary": {"attestations": attestations},
    }


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
        "describe-show-all-metadata.json": json.dumps(describe(occurrences[:2]), indent=2) + "\n",
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
