"""The documented example scripts (docs/python.md) work on the repository's examples."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import audit_manifests  # noqa: E402
import ci_gate  # noqa: E402

COMMON = [
    "--policy", str(EXAMPLES / "policy.yaml"),
    "--attestors", str(EXAMPLES / "attestors.json"),
    "--attestations", str(EXAMPLES / "attestations.json"),
]  # fmt: skip
PROD = ["--cluster", "us-central1-a.prod-cluster"]


def test_ci_gate_admits_released_build(capsys: pytest.CaptureFixture[str]) -> None:
    assert ci_gate.main([*COMMON, *PROD, "--workload", str(EXAMPLES / "deployment.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOW: CLUSTER rule us-central1-a.prod-cluster\n")


def test_ci_gate_denies_candidate(capsys: pytest.CaptureFixture[str]) -> None:
    assert ci_gate.main([*COMMON, *PROD, "--workload", str(EXAMPLES / "deployment-candidate.yaml")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("DENY: ")
    assert "NO_VALID_ATTESTATION projects/example-project/attestors/qa-approved" in out


def test_ci_gate_json_and_images(capsys: pytest.CaptureFixture[str]) -> None:
    image = "gcr.io/example-project/debug-tools/netshoot:v0.13"
    assert ci_gate.main([*COMMON, *PROD, "--image", image, "--json"]) == 0
    assert capsys.readouterr().out.startswith('{"allowed":true,"verdict":"ALLOW"')


def test_ci_gate_configuration_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--policy", str(EXAMPLES / "policy-invalid.yaml"), "--image", "gcr.io/p/a:1"]
    assert ci_gate.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("vouch: PolicyError: POLICY_INVALID_PATTERN at /admissionWhitelistPatterns/0/namePattern: ")


def test_audit_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("deployment.yaml", "deployment-candidate.yaml", "deployment-break-glass.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "service.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
    assert audit_manifests.main([*COMMON, *PROD, str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["BREAK_GLASS_ALLOW", "deployment-break-glass.yaml"],
        ["DENY", "deployment-candidate.yaml"],
        ["ALLOW", "deployment.yaml"],
        ["SKIPPED", "service.yaml"],
    ]
