"""The documented example scripts (docs/python.md) work on the repository's examples."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import vouch

from conftest import EXAMPLES, ROOT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

import audit_manifests  # noqa: E402
import ci_gate  # noqa: E402
import sign_in_ci  # noqa: E402

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


SIGN_VECTOR = json.loads((ROOT / "testdata" / "vectors" / "sign" / "001-p256-raw.json").read_text(encoding="utf-8"))
SIGN = ["--image", SIGN_VECTOR["image"], "--attestor", SIGN_VECTOR["attestor"]]
CI_KEY = ROOT / "testdata" / "keys" / SIGN_VECTOR["key"]
# What `vouch sign` prints for this image, attestor and key (crates/vouch-cli/tests/toolkit.rs).
VOUCH_SIGN_OUTPUT = json.dumps(SIGN_VECTOR["expectOccurrence"], indent=2, sort_keys=True) + "\n"


def test_sign_in_ci_with_a_key_file(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sign_in_ci.KEY_ENV, raising=False)
    assert sign_in_ci.main([*SIGN, "--key", str(CI_KEY)]) == 0
    assert capsys.readouterr().out == VOUCH_SIGN_OUTPUT


def test_sign_in_ci_with_a_key_from_the_environment(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sign_in_ci.KEY_ENV, CI_KEY.read_text(encoding="utf-8"))
    assert sign_in_ci.main(SIGN) == 0
    assert capsys.readouterr().out == VOUCH_SIGN_OUTPUT
    # As a script, the way CI runs it.
    script = Path(sign_in_ci.__file__)
    run = subprocess.run([sys.executable, str(script), *SIGN], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, VOUCH_SIGN_OUTPUT, "")


def test_sign_in_ci_new_key_passes_the_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = tmp_path / "keys"
    note = "projects/example-project/notes/built-by-ci"
    assert sign_in_ci.main([*SIGN, "--new-key", str(keys), "--note", note, "--pae"]) == 0
    captured = capsys.readouterr()
    assert "PRIVATE" not in captured.err and captured.err.startswith("new key ni:///sha-256;")
    (tmp_path / "occurrence.json").write_text(captured.out)
    assert stat.S_IMODE((keys / "private-key.pem").stat().st_mode) == 0o600
    key = vouch.SigningKey.from_pem((keys / "private-key.pem").read_text())
    assert (keys / "public-key.pem").read_text() == key.public_key_pem
    assert json.loads(captured.out)["attestation"]["signatures"][0]["publicKeyId"] == key.key_id
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "globalPolicyEvaluationMode: ENABLE\ndefaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n"
        "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n  requireAttestationsBy: [projects/example-project/attestors/built-by-ci]\n"
    )
    gate = ["--policy", str(policy), "--attestors", str(keys / "attestor.json"), "--attestations", str(tmp_path / "occurrence.json")]
    assert ci_gate.main([*gate, "--image", SIGN_VECTOR["image"]]) == 0
    other = SIGN_VECTOR["image"].replace("434be164", "534be164")
    assert ci_gate.main([*gate, "--image", other]) == 1
    # The key directory is never overwritten.
    before = (keys / "private-key.pem").read_bytes()
    assert sign_in_ci.main([*SIGN, "--new-key", str(keys), "--note", note]) == 2
    assert (keys / "private-key.pem").read_bytes() == before


def test_sign_in_ci_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sign_in_ci.KEY_ENV, raising=False)
    assert sign_in_ci.main(SIGN) == 2
    assert "no key" in capsys.readouterr().err
    secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXN0dWZm\n-----END PRIVATE KEY-----\n"
    monkeypatch.setenv(sign_in_ci.KEY_ENV, secret)
    assert sign_in_ci.main(SIGN) == 2
    err = capsys.readouterr().err
    assert err.startswith("vouch: VouchError: INPUT_INVALID_PRIVATE_KEY: ") and "c2VjcmV0" not in err
    tag_only = ["--image", "us-docker.pkg.dev/example-project/app/web:1.0", "--attestor", SIGN_VECTOR["attestor"]]
    assert sign_in_ci.main([*tag_only, "--key", str(CI_KEY)]) == 2
    assert capsys.readouterr().err.startswith("vouch: RequestError: REQUEST_NOT_DIGEST_PINNED at /image: ")
    assert sign_in_ci.main([*SIGN, "--new-key", str(tmp_path)]) == 2
    assert "--new-key needs --note" in capsys.readouterr().err
