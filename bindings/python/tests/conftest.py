"""Shared fixtures, and the vector summary line that scripts/test collects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Dict, Optional

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
VECTORS = ROOT / "testdata" / "vectors"
# The toolkit suites of testdata/vectors/: not bundles, run by test_toolkit_vectors.py.
TOOLKIT_SUITES = ("lint", "payload", "sign", "inspect", "platform", "cv", "replay")


def vouch_binary() -> Optional[str]:
    """The `vouch` command to compare with: ``VOUCH_BIN``, ``target/{debug,release}/vouch``, or
    the ``PATH``."""
    for candidate in (
        os.environ.get("VOUCH_BIN"),
        str(ROOT / "target" / "debug" / "vouch"),
        str(ROOT / "target" / "release" / "vouch"),
        shutil.which("vouch"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture
def cli() -> str:
    """The `vouch` binary; the test is skipped (visibly) without one."""
    found = vouch_binary()
    if found is None:
        pytest.skip("SKIPPED: no vouch binary (build it with cargo build -p vouch-cli, or set VOUCH_BIN)")
    return found


def bundle_vectors() -> "list[Path]":
    """Every bundle vector of testdata/vectors/ (the toolkit suites left out), sorted."""
    return sorted(p for p in VECTORS.rglob("*.json") if p.relative_to(VECTORS).parts[0] not in TOOLKIT_SUITES)

_vector_outcomes: Dict[str, str] = {}

# The vector runners, as (node id prefix, group) for the summary line.
_RUNNERS = (
    ("test_vectors.py::test_vector[", "bundles"),
    ("test_toolkit_vectors.py::test_lint_vector[", "lint"),
    ("test_toolkit_vectors.py::test_payload_vector[", "payload"),
    ("test_toolkit_vectors.py::test_sign_vector[", "sign"),
    ("test_toolkit_vectors.py::test_document_vector[inspect/", "inspect"),
    ("test_toolkit_vectors.py::test_document_vector[platform/", "platform"),
    ("test_toolkit_vectors.py::test_document_vector[cv/", "cv"),
    ("test_toolkit_vectors.py::test_document_vector[replay/", "replay"),
)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


def read_example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not any(prefix in report.nodeid for prefix, _ in _RUNNERS):
        return
    if report.when == "call" or report.outcome != "passed":
        previous = _vector_outcomes.get(report.nodeid)
        if previous != "failed":
            _vector_outcomes[report.nodeid] = "passed" if report.outcome == "passed" else "failed"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _vector_outcomes:
        return
    total = len(_vector_outcomes)
    failed = sum(1 for o in _vector_outcomes.values() if o == "failed")
    groups = []
    for prefix, group in _RUNNERS:
        n = sum(1 for nodeid in _vector_outcomes if prefix in nodeid)
        if n:
            groups.append(f"{group} {n}")
    terminalreporter.write_line(
        f"vectors (python): {total - failed} passed, {failed} failed, {total} total [{', '.join(groups)}]"
    )
