"""The toolkit and document vectors: testdata/vectors/payload/, lint/, sign/, inspect/, platform/, cv/ and replay/.

The same files as the Rust runners (crates/vouch/tests/vectors.rs `run_payload`, `run_lint`,
`run_sign`) and the command-line test of `vouch sign` (crates/vouch-cli/tests/toolkit.rs):

- payload: ``create_signature_payload(image)`` gives exactly ``expectPayloadBase64`` (and its
  ``expectSha256``), or raises the ``expectError`` code;
- lint: ``validate_policy(policy, attestors)`` gives exactly the ``expectWarnings`` codes and
  paths, in order, each with a fix, or the ``expectError`` code and path; ``lint()`` on the
  loaded objects gives the same warnings;
- sign: ``sign(...)`` with the key file of testdata/keys/ gives ``expectOccurrence``, and
  ``json.dumps(occurrence, indent=2)`` is ``vouch sign``'s output byte for byte (the CLI
  test prints the same object), or raises the ``expectError`` code and path.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import vouch
from vouch._errors import SUBJECT_CLASSES

from conftest import ROOT

TESTDATA = ROOT / "testdata"
SUITES = TESTDATA / "vectors"
PAYLOAD = sorted((SUITES / "payload").glob("*.json"))
LINT = sorted((SUITES / "lint").glob("*.json"))
SIGN = sorted((SUITES / "sign").glob("*.json"))
INSPECT = sorted((SUITES / "inspect").glob("*.json"))
PLATFORM = sorted((SUITES / "platform").glob("*.json"))

# The document suites: `input` -> one JSON output (crates/vouch/tests/vectors.rs DOCUMENT_SUITES).
DOCUMENT_SUITES = {
    "inspect": vouch.inspect_evidence_json,
    "platform": vouch.evaluate_platform_json,
    "cv": vouch.continuous_validation_json,
    "replay": vouch.replay_json,
}
DOCUMENTS = [(suite, path) for suite in DOCUMENT_SUITES for path in sorted((SUITES / suite).glob("*.json"))]


def load(path: Path) -> Dict[str, Any]:
    case: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


def ids(paths: List[Path]) -> List[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize("path", PAYLOAD, ids=ids(PAYLOAD))
def test_payload_vector(path: Path) -> None:
    case = load(path)
    if "expectError" in case:
        with pytest.raises(vouch.RequestError) as info:
            vouch.create_signature_payload(case["image"])
        assert info.value.code == case["expectError"]["code"], info.value.message
        assert info.value.path == "/image"
        return
    payload = vouch.create_signature_payload(case["image"])
    assert isinstance(payload, bytes)
    assert base64.b64encode(payload).decode() == case["expectPayloadBase64"]
    assert hashlib.sha256(payload).hexdigest() == case["expectSha256"]


def _document(value: Any) -> Any:
    """A vector's policy or attestors: text as given, anything else as its compact JSON text
    (as the Rust runner passes it)."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _is_platform(policy: Any) -> bool:
    """Whether a lint vector's policy is a platform policy (it has `gkePolicy` or
    `cloudRunPolicy`), which `lint` (taking a project `Policy`) does not take."""
    if not isinstance(policy, (dict, str)):
        return False
    return "gkePolicy" in policy or "cloudRunPolicy" in policy


@pytest.mark.parametrize("path", LINT, ids=ids(LINT))
def test_lint_vector(path: Path) -> None:
    case = load(path)
    attestors: Optional[Any] = case.get("attestors")
    # The platform the policy is linted for: `gke` when the vector has none.
    platform: str = case.get("platform", "gke")
    for form in ("text", "data"):
        if form == "text":
            validation = vouch.validate_policy(
                _document(case["policy"]), None if attestors is None else _document(attestors), platform=platform
            )
        elif platform == "gke" and "platform" not in case:
            validation = vouch.validate_policy(case["policy"], attestors)
        else:
            validation = vouch.validate_policy(case["policy"], attestors, platform=platform)
        data = validation.to_dict()
        assert data == json.loads(validation.to_json())
        assert validation.ok is data["ok"]
        if "expectError" in case:
            expected = case["expectError"]
            assert validation.ok is False
            # Every case states its warnings: none for a document that does not load, except a
            # platform policy's list-for-message fix (docs/lint.md).
            assert [{"code": w.code, "path": w.path} for w in validation.warnings] == case["expectWarnings"], form
            assert len(validation.errors) == 1
            error = validation.errors[0]
            assert (error.code, error.path) == (expected["code"], expected["path"]), form
            # The class is the subject's; attestor errors are the ones under /attestors.
            assert type(error) is SUBJECT_CLASSES[error.subject]
            assert (error.subject == "attestors") == error.path.startswith("/attestors"), error
            assert error.to_dict() == {"error": data["errors"][0]}
            continue
        assert validation.ok is True and validation.errors == ()
        got = [{"code": w.code, "path": w.path} for w in validation.warnings]
        assert got == case["expectWarnings"], form
        assert all(isinstance(w, vouch.LintWarning) and w.fix and w.message for w in validation.warnings)
        assert [w.__dict__ for w in validation.warnings] == data["warnings"]
        # The same warnings from the loaded objects (project policies: `lint` takes a `Policy`).
        policy = case["policy"]
        if _is_platform(policy):
            continue
        loaded = vouch.Policy.from_yaml(policy) if isinstance(policy, str) else vouch.Policy.from_dict(policy)
        loaded_attestors = [] if attestors is None else vouch.load_attestors(attestors)
        assert vouch.lint(loaded, loaded_attestors, platform=platform) == validation.warnings


@pytest.mark.parametrize("path", SIGN, ids=ids(SIGN))
def test_sign_vector(path: Path) -> None:
    case = load(path)
    key = vouch.SigningKey.from_pem((TESTDATA / "keys" / case["key"]).read_text(encoding="utf-8"))

    def sign() -> Dict[str, Any]:
        return vouch.sign(
            case["image"],
            key,
            attestor=case["attestor"],
            note=case.get("note"),
            key_id=case.get("keyId"),
            pae=case.get("pae", False),
        )

    if "expectError" in case:
        with pytest.raises(vouch.VouchError) as info:
            sign()
        expected = case["expectError"]
        assert (info.value.code, info.value.path) == (expected["code"], expected["path"]), info.value.message
        return
    occurrence = sign()
    assert occurrence == case["expectOccurrence"]
    # `vouch sign` prints serde_json's pretty form: keys sorted, two-space indent, a newline.
    printed = json.dumps(occurrence, indent=2, ensure_ascii=False) + "\n"
    assert printed == json.dumps(case["expectOccurrence"], indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # Signatures are deterministic (RFC 6979, Ed25519, derived PSS salts).
    assert sign() == occurrence


@pytest.mark.parametrize(("suite", "path"), DOCUMENTS, ids=[f"{s}/{p.name}" for s, p in DOCUMENTS])
def test_document_vector(suite: str, path: Path) -> None:
    """The output is the Rust runner's golden file byte for byte (the input as a dict or as
    text), or the ``expectError`` code and path, raised as its subject's class."""
    case = load(path)
    entry = DOCUMENT_SUITES[suite]
    if "expectError" in case:
        with pytest.raises(vouch.VouchError) as info:
            entry(case["input"])
        expected = case["expectError"]
        assert info.value.code == expected["code"], info.value.message
        if "path" in expected:
            assert info.value.path == expected["path"]
        assert type(info.value) is SUBJECT_CLASSES.get(info.value.subject, vouch.VouchError)
        return
    golden = (TESTDATA / "golden" / suite / path.name).read_text(encoding="utf-8")
    assert entry(case["input"]) == golden
    assert entry(json.dumps(case["input"])) == golden
    if suite == "inspect":
        assert vouch.inspect_evidence(case["input"]) == json.loads(golden)
    if suite == "cv":
        assert vouch.continuous_validation(case["input"]) == json.loads(golden)


@pytest.mark.parametrize("path", PLATFORM, ids=ids(PLATFORM))
def test_platform_vector_typed(path: Path) -> None:
    """The typed API (``PlatformPolicy.evaluate``) gives the same bytes as the document entry
    point for every platform vector it can express (a request of images or a workload, no
    options beyond ``tagDigests``)."""
    case = load(path)
    document = case["input"]
    request = document.get("request")
    if "expectError" in case or not isinstance(request, dict) or set(request) - {"images", "workload"}:
        pytest.skip("not expressible through PlatformPolicy.evaluate")
    if set(document.get("options") or {}) - {"tagDigests"}:
        pytest.skip("options beyond tagDigests")
    policy_doc = document["platformPolicy"]
    policy = (
        vouch.PlatformPolicy.from_yaml(policy_doc) if isinstance(policy_doc, str) else vouch.PlatformPolicy.from_dict(policy_doc)
    )
    now = datetime.fromisoformat(document["now"].replace("Z", "+00:00"))
    result = policy.evaluate(
        images=request.get("images"),
        workload=request.get("workload"),
        attestations=document.get("attestations"),
        trust=document.get("trust"),
        now=now,
        tag_digests=(document.get("options") or {}).get("tagDigests"),
    )
    golden = (TESTDATA / "golden" / "platform" / path.name).read_text(encoding="utf-8")
    assert result.to_json() == golden
    typed = vouch.evaluate_platform(document)
    assert typed.verdict == result.verdict == json.loads(golden)["verdict"]
    assert typed.pods == result.pods
    assert result.conformant is (result.verdict == "CONFORMANT")


def test_every_toolkit_vector_is_collected() -> None:
    assert len(PAYLOAD) >= 9 and len(LINT) >= 15 and len(SIGN) >= 10 and len(INSPECT) >= 9
    assert len(PLATFORM) >= 1
