"""Every shared vector in testdata/vectors/ through vouch.evaluate_bundle.

Each vector, without its test-only keys (``expect``, ``expectError``), is evaluated twice, as
JSON text and as a dict. Both must give
the golden bytes of testdata/golden/ (the Rust bundle entry point's output), and satisfy the
vector's `expect` (subset rules of docs/formats.md "Test vectors") or `expectError`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Union

import pytest

import vouch
from vouch._errors import SUBJECT_CLASSES

from conftest import ROOT, VECTORS, bundle_vectors

GOLDEN = ROOT / "testdata" / "golden"
FILES = bundle_vectors()

TEST_KEYS = ("expect", "expectError")
"""A vector's test-only keys: the runner strips them (the core's bundle loader refuses them)."""


def bundle_of(vector: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in vector.items() if k not in TEST_KEYS}


def subset(expected: Any, actual: Any, path: str, errors: List[str]) -> None:
    """Whether `actual` satisfies `expected`: the Rust runner's rules."""
    if isinstance(expected, str) and expected == "*" and isinstance(actual, str):
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        if path == "/auditAnnotations" and list(expected) != list(actual):
            errors.append(f"{path}: keys {list(actual)}, expected {list(expected)}")
        for k, ev in expected.items():
            if k in actual:
                subset(ev, actual[k], f"{path}/{k}", errors)
            else:
                errors.append(f"{path}/{k}: missing")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            errors.append(f"{path}: {len(actual)} items, expected {len(expected)}")
            return
        for i, (ev, av) in enumerate(zip(expected, actual)):
            subset(ev, av, f"{path}/{i}", errors)
        return
    # JSON equality: no bool/int confusion (True == 1 in Python).
    if type(expected) is not type(actual) and not (
        isinstance(expected, (int, float)) and isinstance(actual, (int, float))
        and not isinstance(expected, bool) and not isinstance(actual, bool)
    ):
        errors.append(f"{path}: {json.dumps(actual)}, expected {json.dumps(expected)}")
    elif expected != actual:
        errors.append(f"{path}: {json.dumps(actual)}, expected {json.dumps(expected)}")


def error_json(e: vouch.VouchError) -> str:
    body = {"error": {"code": e.code, "path": e.path, "message": e.message}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def check(bundle: Union[str, Dict[str, Any]], vector: Dict[str, Any], golden: str) -> List[str]:
    errors: List[str] = []
    try:
        decision = vouch.evaluate_bundle(bundle)
    except vouch.VouchError as e:
        if error_json(e) != golden:
            errors.append(f"error differs from golden:\n  got    {error_json(e)}\n  golden {golden}")
        if e.to_json() != golden:
            errors.append(f"to_json() differs from golden: {e.to_json()}")
        # The class is the subject's (the one table of docs/python.md), and the subject
        # names the bundle member the path starts with.
        expected_class = SUBJECT_CLASSES[e.subject]
        if type(e) is not expected_class:
            errors.append(f"{type(e).__name__} for subject {e.subject!r}, expected {expected_class.__name__}")
        member = "" if e.subject in ("bundle", "key") else f"/{e.subject}"
        if not (e.path == member or e.path.startswith(member + "/")):
            errors.append(f"path {e.path!r} is not under the subject's member {member!r}")
        if "expectError" in vector:
            exp = vector["expectError"]
            if e.code != exp["code"]:
                errors.append(f"error code {e.code}, expected {exp['code']}: {e.message}")
            if "path" in exp and e.path != exp["path"]:
                errors.append(f"error path {e.path}, expected {exp['path']}")
        else:
            errors.append(f"unexpected error: {e.to_json()}")
        return errors
    if decision.to_json() != golden:
        errors.append(f"decision differs from golden:\n  got    {decision.to_json()}\n  golden {golden}")
    if "expectError" in vector:
        errors.append(f"expected error {vector['expectError']['code']}, got a decision: {decision.to_json()}")
    elif "expect" in vector:
        subset(vector["expect"], decision.to_dict(), "", errors)
    else:
        errors.append("vector has neither expect nor expectError")
    return errors


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(VECTORS)) for p in FILES])
def test_vector(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    golden = (GOLDEN / path.relative_to(VECTORS)).read_bytes().decode("utf-8")
    vector = json.loads(text)
    bundle = bundle_of(vector)
    errors = [f"[text] {e}" for e in check(json.dumps(bundle, ensure_ascii=False), vector, golden)]
    errors += [f"[dict] {e}" for e in check(bundle, vector, golden)]
    assert not errors, "\n".join(errors)


def test_every_vector_is_collected() -> None:
    assert len(FILES) >= 255
    assert all((GOLDEN / p.relative_to(VECTORS)).is_file() for p in FILES)
