"""Shared fixtures of the differential tests (vouch against the real clients).

Run by scripts/test-differential, which builds the CLI and sets VOUCH_BIN. Each oracle is a
fixture that skips, naming the missing tool, where that tool is not installed:

- ``repo_root``: the repository root (a Path).
- ``vouch_bin``: the vouch CLI: $VOUCH_BIN, else $CARGO_TARGET_DIR/debug/vouch, else
  target/debug/vouch.
- ``kubectl``: the kubectl executable ($KUBECTL, else the one on PATH).
- ``gcloud_sdk``: the SDK of the `gcloud` on PATH (or $CLOUDSDK_ROOT_DIR): ``GcloudSdk(root, python)``, its root folder (holding
  ``lib/googlecloudsdk``) and the Python to run its library with (the bundled one when
  present).
- ``gcloud_oracle``: ``oracle(batch) -> answers``, one run of gcloud_oracle.py (see there).
- ``report``: ``report(line)`` adds a line to the stage's summary.

The summary ends with `differential: N passed, M failed, K skipped` (scripts/test collects it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple, Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]


class GcloudSdk(NamedTuple):
    root: Path
    python: str


def find_vouch() -> Optional[Path]:
    """The vouch CLI to test, or None."""
    if os.environ.get("VOUCH_BIN"):
        return Path(os.environ["VOUCH_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    candidate = target / "debug" / "vouch"
    return candidate if candidate.is_file() else None


def find_kubectl() -> Optional[str]:
    return os.environ.get("KUBECTL") or shutil.which("kubectl")


def find_gcloud_sdk() -> Optional[GcloudSdk]:
    """The SDK of the `gcloud` on PATH (following symlinks), or $CLOUDSDK_ROOT_DIR."""
    roots = []
    if os.environ.get("CLOUDSDK_ROOT_DIR"):
        roots.append(Path(os.environ["CLOUDSDK_ROOT_DIR"]))
    gcloud = shutil.which("gcloud")
    if gcloud:
        roots.append(Path(gcloud).resolve().parent.parent)  # SDK/bin/gcloud
    for root in roots:
        if (root / "lib" / "googlecloudsdk" / "command_lib" / "container" / "binauthz").is_dir():
            bundled = root / "platform" / "bundledpythonunix" / "bin" / "python3"
            python = os.environ.get("CLOUDSDK_PYTHON") or (str(bundled) if bundled.is_file() else sys.executable)
            return GcloudSdk(root, python)
    return None


def pytest_report_header(config: pytest.Config) -> list[str]:
    sdk = find_gcloud_sdk()
    kubectl = find_kubectl()
    return [
        f"vouch: {find_vouch() or 'not found'}",
        f"gcloud SDK: {sdk.root if sdk else 'not found'}",
        f"kubectl: {kubectl or 'not found'}",
    ]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def vouch_bin() -> Path:
    path = find_vouch()
    if path is None or not path.is_file():
        pytest.fail("vouch CLI not found: set VOUCH_BIN or build it (cargo build -p vouch-cli)")
    return path


@pytest.fixture(scope="session")
def kubectl() -> str:
    path = find_kubectl()
    if not path:
        pytest.skip("kubectl not found")
    return path


@pytest.fixture(scope="session")
def gcloud_sdk() -> GcloudSdk:
    sdk = find_gcloud_sdk()
    if sdk is None:
        pytest.skip("gcloud not found (no Cloud SDK with lib/googlecloudsdk)")
    try:
        subprocess.run([sdk.python, "-c", "pass"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        pytest.skip(f"gcloud found at {sdk.root}, but its Python {sdk.python} does not run: {e}")
    return sdk


@pytest.fixture(scope="session")
def gcloud_oracle(gcloud_sdk: GcloudSdk):
    """``oracle(batch) -> answers``: one run of gcloud_oracle.py under the SDK's Python."""

    def run(batch: dict) -> dict:
        proc = subprocess.run(
            [gcloud_sdk.python, str(ROOT / "differential" / "gcloud_oracle.py"), str(gcloud_sdk.root)],
            input=json.dumps(batch),
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "CLOUDSDK_CORE_DISABLE_PROMPTS": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if proc.returncode != 0:
            pytest.fail(f"gcloud_oracle.py failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
        return json.loads(proc.stdout)

    return run


_REPORT: list[str] = []


@pytest.fixture(scope="session")
def report():
    """``report(line)``: a line for the stage's summary (e.g. how many cases an oracle compared)."""
    return _REPORT.append


def pytest_terminal_summary(terminalreporter, exitstatus: int) -> None:
    """The stage's summary: per-oracle lines, skip reasons, then `differential: N passed, …`."""
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        return  # scripts/test-differential says so
    stats = terminalreporter.stats
    for line in _REPORT:
        terminalreporter.write_line(f"differential: {line}")
    reasons: dict[str, int] = {}
    for rep in stats.get("skipped", []):
        reason = rep.longrepr[2] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, n in sorted(reasons.items()):
        terminalreporter.write_line(f"differential: skipped {n} test{'s' if n != 1 else ''}: {reason}")
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    skipped = len(stats.get("skipped", []))
    terminalreporter.write_line(f"differential: {passed} passed, {failed} failed, {skipped} skipped")
