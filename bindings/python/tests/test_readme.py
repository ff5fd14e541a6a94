"""The root README's Python example is examples/readme.py, verbatim, and it runs."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

import vouch

from conftest import ROOT

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "readme.py"


def test_readme_block_is_the_example_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", readme, re.S | re.M)
    assert len(blocks) == 1, "the README has exactly one Python example"
    assert blocks[0] == EXAMPLE.read_text(encoding="utf-8")
    assert len(blocks[0].splitlines()) <= 20


def test_readme_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    printed = capsys.readouterr().out
    # The same deployment as the example bundle: the same bytes from both entry points.
    bundle = (ROOT / "examples" / "bundles" / "prod-released.json").read_text(encoding="utf-8")
    assert printed == vouch.evaluate_bundle(bundle).to_json() + "\n"


def test_docs_quick_start_is_the_example_file() -> None:
    docs = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    assert f"```python\n{EXAMPLE.read_text(encoding='utf-8')}```\n" in docs
