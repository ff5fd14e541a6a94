"""The attestor's toolkit: keys, signing, attestor resources and validation through the Python
API; round trips through the Evaluator; secrecy of private keys; error classes, codes and paths."""

from __future__ import annotations

import base64
import copy
import json
import pickle
import re
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Literal, Optional

import pytest

import vouch

from conftest import ROOT, read_example

REPO = "us-docker.pkg.dev/example-project/app/web"
DIGEST = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
IMAGE = f"{REPO}@{DIGEST}"
OTHER = f"{REPO}@sha256:3de6f781a0858ca01b0bfab42c51e47eb1b2f4f580db12423f817e1bf955b824"
ATTESTOR = "projects/example-project/attestors/built-by-ci"
NOTE = "projects/example-project/notes/built-by-ci"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
KEYS = ROOT / "testdata" / "keys"
POLICY = {
    "globalPolicyEvaluationMode": "ENABLE",
    "defaultAdmissionRule": {
        "evaluationMode": "REQUIRE_ATTESTATION",
        "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
        "requireAttestationsBy": [ATTESTOR],
    },
}


def evaluator_for(key: vouch.SigningKey, **kwargs: Any) -> vouch.Evaluator:
    resource = vouch.attestor_resource(ATTESTOR, NOTE, key.public_key_pem, key.algorithm, **kwargs)
    return vouch.Evaluator(vouch.Policy.from_dict(POLICY), [vouch.Attestor.from_dict(resource)])


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("algorithm", ["p256", "ed25519", "p384"])
@pytest.mark.parametrize("pae", [False, True])
def test_generate_sign_evaluate(algorithm: Literal["p256", "ed25519", "p384"], pae: bool) -> None:
    key = vouch.generate_key(algorithm)
    evaluator = evaluator_for(key)
    occurrence = vouch.sign(IMAGE, key, attestor=ATTESTOR, pae=pae)
    assert occurrence["noteName"] == NOTE
    assert occurrence["resourceUri"] == IMAGE
    assert occurrence["kind"] == "ATTESTATION"
    assert occurrence["attestation"]["signatures"][0]["publicKeyId"] == key.key_id
    payload = base64.b64decode(occurrence["attestation"]["serializedPayload"])
    assert payload == vouch.create_signature_payload(IMAGE)

    decision = evaluator.evaluate(images=[IMAGE], attestations=[occurrence], now=NOW)
    assert decision.verdict is vouch.Verdict.ALLOW, decision.to_json()
    assert decision.images[0].attestors[0].key_id == key.key_id
    assert decision.images[0].attestors[0].signed_form == ("PAE" if pae else "RAW")
    # The same digest under another tag and registry is admitted: attestations bind digests.
    mirror = f"europe-docker.pkg.dev/mirror/web:v1@{DIGEST}"
    assert evaluator.evaluate(images=[mirror], attestations=[occurrence], now=NOW).allowed
    # Another digest is denied, and so is a key the attestor does not hold.
    denied = evaluator.evaluate(images=[OTHER], attestations=[occurrence], now=NOW)
    assert denied.verdict is vouch.Verdict.DENY
    assert denied.images[0].reasons[0].code == "NO_VALID_ATTESTATION"
    refiled = {**occurrence, "resourceUri": OTHER}  # filed under another digest: the payload says no
    denied = evaluator.evaluate(images=[OTHER], attestations=[refiled], now=NOW)
    assert denied.images[0].reasons[0].details[0].code == "DIGEST_MISMATCH"
    stranger = vouch.sign(IMAGE, vouch.generate_key(algorithm), attestor=ATTESTOR, pae=pae)
    denied = evaluator.evaluate(images=[IMAGE], attestations=[stranger], now=NOW)
    assert denied.verdict is vouch.Verdict.DENY
    assert denied.images[0].reasons[0].details[0].code == "UNKNOWN_KEY_ID"
    # A stranger's signature under the attestor's key id does not verify.
    forged = copy.deepcopy(stranger)
    forged["attestation"]["signatures"][0]["publicKeyId"] = key.key_id
    denied = evaluator.evaluate(images=[IMAGE], attestations=[forged], now=NOW)
    assert denied.images[0].reasons[0].details[0].code == "BAD_SIGNATURE"


def test_rsa_key_round_trip() -> None:
    key = vouch.generate_key("rsa-pss-2048")
    assert key.algorithm == "RSA_PSS_2048_SHA256"
    again = vouch.SigningKey.from_pem(key.private_key_pem())
    assert (again.key_id, again.public_key_pem, again.algorithm) == (key.key_id, key.public_key_pem, key.algorithm)
    occurrence = vouch.sign(IMAGE, again, note=NOTE)
    assert occurrence == vouch.sign(IMAGE, key, note=NOTE), "PSS salts are derived from the key and payload"
    assert evaluator_for(key).evaluate(images=[IMAGE], attestations=occurrence, now=NOW).allowed


def test_explicit_key_id_and_note() -> None:
    key = vouch.SigningKey.from_pem((KEYS / "ci-p256.key").read_text())
    kms = "//cloudkms.googleapis.com/v1/projects/example-project/locations/global/keyRings/ci/cryptoKeys/attest/cryptoKeyVersions/1"
    resource = vouch.attestor_resource(ATTESTOR, NOTE, key.public_key_pem, "ECDSA_P256_SHA256", key_id=kms, description="CI")
    assert resource["description"] == "CI"
    assert resource["userOwnedGrafeasNote"]["publicKeys"][0]["id"] == kms
    evaluator = vouch.Evaluator(vouch.Policy.from_dict(POLICY), [vouch.Attestor.from_dict(resource)])
    # `note` wins over the attestor's default note, as `vouch sign --note`.
    occurrence = vouch.sign(IMAGE, key, attestor="projects/example-project/attestors/other", note=NOTE, key_id=kms)
    assert occurrence["noteName"] == NOTE
    assert occurrence["attestation"]["signatures"][0]["publicKeyId"] == kms
    assert evaluator.evaluate(images=[IMAGE], attestations=[occurrence], now=NOW).allowed
    # Signed under the default id, the attestor (which knows the key as `kms`) does not find it.
    default_id = vouch.sign(IMAGE, key, note=NOTE)
    assert not evaluator.evaluate(images=[IMAGE], attestations=[default_id], now=NOW).allowed


def test_attestor_resource_is_what_the_cli_prints() -> None:
    key = vouch.SigningKey.from_pem((KEYS / "ci-p256.key").read_text())
    resource = vouch.attestor_resource(ATTESTOR, NOTE, key.public_key_pem, "ecdsa-p256-sha256")
    assert resource == {
        "name": ATTESTOR,
        "userOwnedGrafeasNote": {
            "noteReference": NOTE,
            "publicKeys": [
                {
                    "id": key.key_id,
                    "pkixPublicKey": {"publicKeyPem": key.public_key_pem, "signatureAlgorithm": "ECDSA_P256_SHA256"},
                }
            ],
        },
    }
    assert list(resource) == sorted(resource), "keys sorted, as serde_json writes them"
    attestor = vouch.Attestor.from_dict(resource)
    assert attestor.key_ids == (key.key_id,)
    # The example attestor holds the same key.
    example = vouch.load_attestors(read_example("attestors.json"))[0]
    assert example.key_ids == (key.key_id,)


def test_signatures_are_deterministic_and_threads_share_a_key() -> None:
    key = vouch.SigningKey.from_pem((KEYS / "ci-p256.key").read_text())
    images = [f"{REPO}@sha256:{i:064x}" for i in range(12)]
    expected = [vouch.sign(image, key, note=NOTE) for image in images]
    barrier = threading.Barrier(4)

    def work(worker: int) -> List[Dict[str, Any]]:
        barrier.wait()
        return [vouch.sign(image, key, note=NOTE) for image in images[worker::4]]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    for worker, got in enumerate(results):
        assert got == expected[worker::4]


def test_generated_keys_differ() -> None:
    a, b = vouch.generate_key(), vouch.generate_key()
    assert a.algorithm == "ECDSA_P256_SHA256"
    assert a.key_id != b.key_id and a.key_id.startswith("ni:///sha-256;")
    assert vouch.generate_key("ed25519").algorithm == "ED25519"


# ---------------------------------------------------------------- keys and secrecy


@pytest.mark.parametrize("name", ["ci-p256.key", "p384.key", "scan-ed25519.key", "rsa2048.key"])
def test_key_files_load_and_round_trip(name: str) -> None:
    text = (KEYS / name).read_text()
    key = vouch.SigningKey.from_pem(text)
    public = (KEYS / name.replace(".key", ".pub.pem")).read_text()
    assert key.public_key_pem.split() == public.split()
    again = vouch.SigningKey.from_pem(key.private_key_pem())
    assert (again.algorithm, again.key_id) == (key.algorithm, key.key_id)
    assert key.private_key_pem().startswith("-----BEGIN PRIVATE KEY-----\n")


def _private_lines(pem: str) -> List[str]:
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def test_repr_and_str_never_show_private_material() -> None:
    for key in (vouch.generate_key("p256"), vouch.generate_key("ed25519"), vouch.SigningKey.from_pem((KEYS / "rsa2048.key").read_text())):
        secret = _private_lines(key.private_key_pem())
        shown = [repr(key), str(key), f"{key}", f"{key!r}", repr([key]), repr({"k": key}), repr(key._native)]
        for text in shown:
            assert "PRIVATE" not in text
            assert not any(line in text or line[:16] in text for line in secret), text
        assert repr(key) == f"<vouch.SigningKey {key.algorithm} {key.key_id}>"
        assert not hasattr(key, "__dict__")


def test_keys_do_not_pickle_or_construct() -> None:
    key = vouch.generate_key()
    with pytest.raises(TypeError, match="pickle"):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.copy(key)
    with pytest.raises(TypeError, match="generate_key"):
        vouch.SigningKey()
    with pytest.raises(AttributeError):
        key.algorithm = "ED25519"  # type: ignore[misc]


SECRET_BODY = "c2VjcmV0LXN0dWZmLXRoYXQtbXVzdC1uZXZlci1iZS1lY2hvZWQ"


def _broken_keys() -> List[str]:
    p256 = (KEYS / "ci-p256.key").read_text()
    body = _private_lines(p256)
    return [
        f"-----BEGIN PRIVATE KEY-----\n{SECRET_BODY}\n-----END PRIVATE KEY-----\n",
        f"-----BEGIN EC PRIVATE KEY-----\n{SECRET_BODY}\n-----END EC PRIVATE KEY-----\n",
        f"-----BEGIN RSA PRIVATE KEY-----\n{SECRET_BODY}\n-----END RSA PRIVATE KEY-----\n",
        f"-----BEGIN ENCRYPTED PRIVATE KEY-----\n{SECRET_BODY}\n-----END ENCRYPTED PRIVATE KEY-----\n",
        p256.replace(body[1] + "\n", ""),  # a real key with a line missing
        "\n".join(["-----BEGIN PRIVATE KEY-----", *body[:-1], "-----END PRIVATE KEY-----"]),  # truncated
        SECRET_BODY,
        "",
        (KEYS / "ci-p256.pub.pem").read_text(),  # a public key
        (KEYS / "mldsa65.key").read_text(),  # a key type that does not sign here
    ]


@pytest.mark.parametrize("text", _broken_keys(), ids=range(len(_broken_keys())))
def test_bad_keys_raise_without_echoing_them(text: str) -> None:
    with pytest.raises(vouch.VouchError) as info:
        vouch.SigningKey.from_pem(text)
    e = info.value
    assert type(e) is vouch.VouchError
    assert (e.code, e.path) == ("INPUT_INVALID_PRIVATE_KEY", "")
    rendered = "\n".join(
        [str(e), repr(e), e.message, e.to_json(), repr(e.args), *traceback.format_exception(type(e), e, e.__traceback__)]
    )
    for line in _private_lines(text) or [SECRET_BODY]:
        for chunk in {line, line[:12], line[-12:]}:
            if len(chunk) >= 8:
                assert chunk not in rendered, rendered
    assert e.__cause__ is None and e.__suppress_context__


def test_key_argument_types() -> None:
    with pytest.raises(TypeError, match="PEM text"):
        vouch.SigningKey.from_pem((KEYS / "ci-p256.key").read_bytes())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown key algorithm `rsa`"):
        vouch.generate_key("rsa")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vouch.generate_key(256)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="SigningKey"):
        vouch.sign(IMAGE, "key", note=NOTE)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="attestor= .* or note="):
        vouch.sign(IMAGE, vouch.generate_key())


# ---------------------------------------------------------------- errors


def _key() -> vouch.SigningKey:
    return vouch.SigningKey.from_pem((KEYS / "ci-p256.key").read_text())


def _pem() -> str:
    return _key().public_key_pem


@pytest.mark.parametrize(
    "call, cls, code, path",
    [
        (lambda: vouch.create_signature_payload(f"{REPO}:1.0"), vouch.RequestError, "REQUEST_NOT_DIGEST_PINNED", "/image"),
        (lambda: vouch.create_signature_payload("gcr.io/P/app@" + DIGEST), vouch.RequestError, "REQUEST_INVALID_IMAGE", "/image"),
        (lambda: vouch.sign(f"{REPO}:1.0", _key(), note=NOTE), vouch.RequestError, "REQUEST_NOT_DIGEST_PINNED", "/image"),
        (lambda: vouch.sign(IMAGE, _key(), note="built-by-ci"), vouch.AttestorError, "ATTESTOR_INVALID_NOTE_REFERENCE", "/noteName"),
        (lambda: vouch.sign(IMAGE, _key(), attestor="built-by-ci"), vouch.AttestorError, "ATTESTOR_INVALID_NAME", "/attestor"),
        (lambda: vouch.sign(IMAGE, _key(), attestor="projects/p/notes/n"), vouch.AttestorError, "ATTESTOR_INVALID_NAME", "/attestor"),
        (lambda: vouch.sign(IMAGE, _key(), note=NOTE, key_id="a key"), vouch.AttestorError, "ATTESTOR_INVALID_KEY_ID", "/publicKeyId"),
        (lambda: vouch.sign(IMAGE, _key(), note=NOTE, key_id="x:%zz"), vouch.AttestorError, "ATTESTOR_INVALID_KEY_ID", "/publicKeyId"),
        (lambda: vouch.attestor_resource("a", NOTE, _pem(), "ECDSA_P256_SHA256"), vouch.AttestorError, "ATTESTOR_INVALID_NAME", "/name"),
        (
            lambda: vouch.attestor_resource(ATTESTOR, "n", _pem(), "ECDSA_P256_SHA256"),
            vouch.AttestorError,
            "ATTESTOR_INVALID_NOTE_REFERENCE",
            "/userOwnedGrafeasNote/noteReference",
        ),
        (
            lambda: vouch.attestor_resource(ATTESTOR, NOTE, _pem(), "ED25519"),
            vouch.AttestorError,
            "ATTESTOR_ALGORITHM_MISMATCH",
            None,
        ),
        (
            lambda: vouch.attestor_resource(ATTESTOR, NOTE, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "ED25519"),
            vouch.AttestorError,
            "ATTESTOR_INVALID_KEY",
            None,
        ),
        (
            lambda: vouch.attestor_resource(ATTESTOR, NOTE, _pem(), "ECDSA_P256_SHA256", key_id="a b"),
            vouch.AttestorError,
            "ATTESTOR_INVALID_KEY_ID",
            None,
        ),
    ],
)
def test_toolkit_errors(call: Callable[[], object], cls: type, code: str, path: Optional[str]) -> None:
    with pytest.raises(vouch.VouchError) as info:
        call()
    e = info.value
    assert type(e) is cls
    assert e.code == code, e.message
    if path is not None:
        assert e.path == path
    else:
        assert e.path.startswith("/userOwnedGrafeasNote/publicKeys/0"), e.path
    assert json.loads(e.to_json()) == e.to_dict()
    assert pickle.loads(pickle.dumps(e)).to_json() == e.to_json()


def test_unknown_signature_algorithm() -> None:
    with pytest.raises(ValueError, match="unknown signature algorithm `p256`"):
        vouch.attestor_resource(ATTESTOR, NOTE, _pem(), "p256")


# ---------------------------------------------------------------- validation


def test_validate_policy_types() -> None:
    v = vouch.validate_policy(read_example("policy.yaml"), read_example("attestors.json"))
    assert v.ok is True and v.errors == ()
    assert v.warnings and all(isinstance(w, vouch.LintWarning) for w in v.warnings)
    assert v.to_json().startswith('{"ok":true,"errors":[],"warnings":[')
    assert v == vouch.validate_policy(read_example("policy.yaml"), json.loads(read_example("attestors.json")))
    assert hash(v) == hash(vouch.validate_policy(read_example("policy.yaml"), read_example("attestors.json")))
    assert repr(v) == f"<Validation ok warnings={len(v.warnings)}>"
    w = v.warnings[0]
    assert re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", w.code) and w.path.startswith("/") and w.fix
    with pytest.raises(AttributeError):
        w.code = "X"  # type: ignore[misc]
    policy = vouch.Policy.from_yaml(read_example("policy.yaml"))
    assert vouch.lint(policy, vouch.load_attestors(read_example("attestors.json"))) == v.warnings
    assert vouch.lint(policy) == vouch.validate_policy(read_example("policy.yaml")).warnings
    with pytest.raises(TypeError):
        vouch.lint(read_example("policy.yaml"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vouch.lint(policy, ["attestor"])  # type: ignore[list-item]


def test_validate_policy_platform() -> None:
    text = read_example("cloud-run/policy.yaml")
    gke = vouch.validate_policy(text)
    assert gke == vouch.validate_policy(text, platform="gke") and gke.warnings == ()
    run = vouch.validate_policy(text, platform="cloud-run")
    assert [(w.code, w.path) for w in run.warnings] == [
        ("CLOUD_RUN_RULE_IGNORED", "/clusterAdmissionRules/us-central1-a.prod-cluster")
    ]
    assert vouch.lint(vouch.Policy.from_yaml(text), platform="cloud-run") == run.warnings
    for bad in ("cloudRun", "GKE", ""):
        with pytest.raises(ValueError, match="unknown platform"):
            vouch.validate_policy(text, platform=bad)
        with pytest.raises(ValueError, match="unknown platform"):
            vouch.lint(vouch.Policy.from_yaml(text), platform=bad)


def test_validate_policy_errors_are_values() -> None:
    v = vouch.validate_policy(read_example("policy-invalid.yaml"))
    assert v.ok is False and v.warnings == ()
    (e,) = v.errors
    assert type(e) is vouch.PolicyError
    assert (e.code, e.path) == ("POLICY_INVALID_PATTERN", "/admissionWhitelistPatterns/0/namePattern")
    assert repr(v) == "<Validation error=POLICY_INVALID_PATTERN>"
    with pytest.raises(vouch.PolicyError):
        raise v.errors[0]
    # The loader raises the same error.
    with pytest.raises(vouch.PolicyError) as info:
        vouch.Policy.from_yaml(read_example("policy-invalid.yaml"))
    assert info.value.to_json() == e.to_json()
    syntax = vouch.validate_policy(read_example("policy.yaml"), "[{]")
    assert type(syntax.errors[0]) is vouch.AttestorError
    assert (syntax.errors[0].code, syntax.errors[0].path) == ("INPUT_SYNTAX", "/attestors")
    assert vouch.validate_policy("a: [").errors[0].code == "INPUT_SYNTAX"
    with pytest.raises(TypeError, match="JSON"):
        vouch.validate_policy({"x": object()})
