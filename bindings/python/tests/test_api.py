"""The Python API: loaders, errors (classes, codes, paths), types, and the Evaluator path
against the bundle path."""

from __future__ import annotations

import json
import pickle
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import vouch

from conftest import EXAMPLES, ROOT, bundle_vectors, read_example

WEB = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
PROD = "us-central1-a.prod-cluster"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
DENY_ALL = {
    "defaultAdmissionRule": {
        "evaluationMode": "ALWAYS_DENY",
        "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
    }
}


@pytest.fixture(scope="module")
def evaluator() -> vouch.Evaluator:
    return vouch.Evaluator(
        vouch.Policy.from_yaml(read_example("policy.yaml")),
        vouch.load_attestors(read_example("attestors.json")),
    )


# ---------------------------------------------------------------- loading


def test_policy_loaders_agree() -> None:
    text = read_example("policy.yaml")
    vouch.Policy.from_yaml(text)
    vouch.Policy.from_json(json.dumps(DENY_ALL))
    vouch.Policy.from_dict(DENY_ALL)
    with pytest.raises(TypeError, match="from_yaml"):
        vouch.Policy()


def test_attestor_loaders() -> None:
    listed = json.loads(read_example("attestors.json"))
    attestors = vouch.load_attestors(listed)
    assert [a.name for a in attestors] == [
        "projects/example-project/attestors/built-by-ci",
        "projects/example-project/attestors/qa-approved",
    ]
    assert attestors[0].note_reference == "projects/example-project/notes/built-by-ci"
    assert all(len(a.key_ids) == 1 and a.key_ids[0] for a in attestors)
    assert vouch.load_attestors({"attestors": listed})[1].name == attestors[1].name
    assert vouch.load_attestors(read_example("attestors.json"))[0].key_ids == attestors[0].key_ids
    one = vouch.Attestor.from_dict(listed[0])
    assert one.name == attestors[0].name
    assert vouch.Attestor.from_json(json.dumps(listed[0])).key_ids == one.key_ids
    assert vouch.Attestor.from_yaml(json.dumps(listed[0])).name == one.name
    assert repr(one) == "<vouch.Attestor 'projects/example-project/attestors/built-by-ci'>"


def test_system_policy_loaders() -> None:
    doc = {"admissionWhitelistPatterns": [{"namePattern": "gcr.io/example-project/app/*"}]}
    vouch.SystemPolicy.from_dict(doc)
    vouch.SystemPolicy.from_json(json.dumps(doc))
    vouch.SystemPolicy.from_yaml("admissionWhitelistPatterns:\n- namePattern: gcr.io/x/*\n")


# ---------------------------------------------------------------- errors


def test_exception_hierarchy() -> None:
    for cls in (vouch.PolicyError, vouch.AttestorError, vouch.RequestError, vouch.BundleError):
        assert issubclass(cls, vouch.VouchError)
    assert issubclass(vouch.VouchError, Exception)
    assert vouch.PolicyError.__module__ == "vouch"


def test_policy_error() -> None:
    with pytest.raises(vouch.PolicyError) as info:
        vouch.Policy.from_yaml(read_example("policy-invalid.yaml"))
    e = info.value
    assert e.code == "POLICY_INVALID_PATTERN"
    assert e.path == "/admissionWhitelistPatterns/0/namePattern"
    assert "debug-*/tools" in e.message
    assert str(e) == f"POLICY_INVALID_PATTERN at {e.path}: {e.message}"
    assert json.loads(e.to_json()) == e.to_dict()
    assert e.to_json() == json.dumps(e.to_dict(), ensure_ascii=False, separators=(",", ":"))
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is vouch.PolicyError
    assert (copy.code, copy.path, copy.message, copy.to_json()) == (e.code, e.path, e.message, e.to_json())


@pytest.mark.parametrize(
    "call, cls, code, path",
    [
        (lambda: vouch.Policy.from_yaml("a: [1"), vouch.PolicyError, "INPUT_SYNTAX", ""),
        (lambda: vouch.Policy.from_dict({**DENY_ALL, "bogus": 1}), vouch.PolicyError, "POLICY_UNKNOWN_FIELD", "/bogus"),
        (lambda: vouch.Policy.from_json('{"a": 1, "a": 2}'), vouch.PolicyError, "INPUT_DUPLICATE_KEY", "/a"),
        (lambda: vouch.Policy.from_dict({}), vouch.PolicyError, "POLICY_MISSING_FIELD", "/defaultAdmissionRule"),
        (
            lambda: vouch.SystemPolicy.from_dict({"admissionWhitelistPatterns": [{"namePattern": "gcr.i*"}]}),
            vouch.PolicyError,
            "POLICY_INVALID_PATTERN",
            "/admissionWhitelistPatterns/0/namePattern",
        ),
        (lambda: vouch.Attestor.from_dict({"name": "nope"}), vouch.AttestorError, None, None),
        (lambda: vouch.load_attestors("[{]"), vouch.AttestorError, "INPUT_SYNTAX", ""),
        (lambda: vouch.load_attestors([1]), vouch.AttestorError, "ATTESTOR_INVALID_TYPE", "/0"),  # type: ignore[list-item]
    ],
)
def test_loader_errors(call: Any, cls: type, code: Optional[str], path: Optional[str]) -> None:
    with pytest.raises(vouch.VouchError) as info:
        call()
    assert type(info.value) is cls
    if code is not None:
        assert (info.value.code, info.value.path) == (code, path)
    assert re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", info.value.code)


def test_attestor_error_path_in_list() -> None:
    attestors: List[Dict[str, Any]] = json.loads(read_example("attestors.json"))
    attestors[1]["name"] = "projects/example-project/not-attestors/qa"
    with pytest.raises(vouch.AttestorError) as info:
        vouch.load_attestors(attestors)
    assert (info.value.code, info.value.path) == ("ATTESTOR_INVALID_NAME", "/1/name")


def test_evaluator_errors() -> None:
    policy = vouch.Policy.from_yaml(read_example("policy.yaml"))
    with pytest.raises(vouch.PolicyError) as info:
        vouch.Evaluator(policy, [])
    assert info.value.code == "POLICY_UNKNOWN_ATTESTOR"
    assert info.value.path == "/clusterAdmissionRules/us-central1-a.prod-cluster/requireAttestationsBy/0"
    attestors = vouch.load_attestors(read_example("attestors.json"))
    with pytest.raises(vouch.AttestorError) as a_info:
        vouch.Evaluator(policy, attestors + attestors[:1])
    assert (a_info.value.code, a_info.value.path) == ("ATTESTOR_DUPLICATE", "/2/name")
    with pytest.raises(TypeError):
        vouch.Evaluator("policy", attestors)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vouch.Evaluator(policy, ["attestor"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        vouch.Evaluator(policy, attestors, system_policy=policy)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, code, path",
    [
        ({}, "REQUEST_NO_IMAGES", "/request/images"),
        ({"images": []}, "REQUEST_NO_IMAGES", "/request/images"),
        ({"images": [WEB], "workload": {"kind": "Pod"}}, "REQUEST_NO_IMAGES", "/request/workload"),
        ({"images": [WEB, "Upper/Case:1"]}, "REQUEST_INVALID_IMAGE", "/request/images/1"),
        ({"images": [WEB, 7]}, "REQUEST_INVALID_TYPE", "/request/images/1"),
        ({"images": WEB}, "REQUEST_INVALID_TYPE", "/request/images"),
        ({"images": [WEB], "cluster": "prod"}, "REQUEST_INVALID_CLUSTER", "/request/cluster"),
        ({"images": [WEB], "namespace": "Shop"}, "REQUEST_INVALID_NAMESPACE", "/request/namespace"),
        ({"images": [WEB], "service_account": "a b"}, "REQUEST_INVALID_SERVICE_ACCOUNT", "/request/serviceAccount"),
        ({"images": [WEB], "mesh_identity": "web"}, "REQUEST_INVALID_VALUE", "/request/meshIdentity"),
        ({"images": [WEB], "labels": {"a": 1}}, "REQUEST_INVALID_TYPE", "/request/labels/a"),
        ({"workload": "kind: Service\n"}, "REQUEST_UNSUPPORTED_WORKLOAD", "/request/workload/kind"),
        ({"workload": "kind: [\n"}, "INPUT_SYNTAX", "/request/workload"),
        ({"images": [WEB], "attestations": {"foo": 1}}, "INPUT_INVALID_ATTESTATIONS", "/attestations"),
        ({"images": [WEB], "attestations": "[{]"}, "INPUT_SYNTAX", "/attestations"),
        ({"images": [WEB], "attestations": {"occurrences": 1}}, "INPUT_INVALID_ATTESTATIONS", "/attestations/occurrences"),
    ],
)
def test_request_errors(evaluator: vouch.Evaluator, kwargs: Dict[str, Any], code: str, path: str) -> None:
    with pytest.raises(vouch.RequestError) as info:
        evaluator.evaluate(now=NOW, **kwargs)
    assert (info.value.code, info.value.path) == (code, path), info.value.message


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


@pytest.mark.parametrize(
    "plain, encoded",
    [
        # An int beyond 64 bits, a non-str key, a nesting deeper than the native walk: these
        # requests reach the core as the encoder's JSON text, the others as values. Both
        # routes must give the same decision, or the same error at the same path.
        ({"images": [WEB, 7]}, {"images": [WEB, 2**70]}),
        ({"images": [WEB], "labels": {"1": "a"}}, {"images": [WEB], "labels": {1: "a"}}),
        ({"images": [WEB], "labels": {"d": _deep(1)}}, {"images": (WEB,), "labels": {"d": _deep(10)}}),
        (
            {"workload": {"kind": "Pod", "spec": {"containers": [{"name": "w", "image": WEB}]}, "x": _deep(3)}},
            {"workload": {"kind": "Pod", "spec": {"containers": [{"name": "w", "image": WEB}]}, "x": _deep(10)}},
        ),
    ],
)
def test_plain_and_encoded_requests_agree(evaluator: vouch.Evaluator, plain: Dict[str, Any], encoded: Dict[str, Any]) -> None:
    def outcome(kwargs: Dict[str, Any]) -> Any:
        try:
            return evaluator.evaluate(now=NOW, **kwargs).to_dict()
        except vouch.VouchError as e:
            return (type(e), e.code, e.path)

    assert outcome(plain) == outcome(encoded)


def test_the_package_verifies_ecdsa_with_ring() -> None:
    """The wheel is a native build: ECDSA goes through ring (docs/decisions.md), not the
    pure-Rust crates, which are about 3x slower."""
    assert vouch._vouch.ECDSA_BACKEND == "ring"


def test_evidence_is_read_once(evaluator: vouch.Evaluator) -> None:
    text = read_example("attestations.json")
    evidence = vouch.Evidence.from_json(text)
    occurrences = json.loads(text)
    assert len(evidence) == len(occurrences) > 0
    assert repr(evidence) == f"<vouch.Evidence of {len(occurrences)} occurrences>"
    assert len(vouch.Evidence.from_dict(occurrences)) == len(vouch.Evidence.from_yaml(text)) == len(evidence)
    assert len(vouch.Evidence.from_dict({"occurrences": occurrences[:1]})) == 1
    with pytest.raises(TypeError):
        vouch.Evidence()
    once = evaluator.evaluate(images=[WEB], cluster=PROD, attestations=evidence, now=NOW)
    again = evaluator.evaluate(images=[WEB], cluster=PROD, attestations=text, now=NOW)
    assert once.allowed and once.to_json() == again.to_json()
    assert evaluator.evaluate(images=[WEB], cluster=PROD, attestations=evidence, now=NOW) == once


@pytest.mark.parametrize(
    "load, code, path",
    [
        # Paths into the document given (evaluate reports the same under /attestations).
        (lambda: vouch.Evidence.from_json("[{]"), "INPUT_SYNTAX", ""),
        (lambda: vouch.Evidence.from_dict({"foo": 1}), "INPUT_INVALID_ATTESTATIONS", ""),
        (lambda: vouch.Evidence.from_dict({"occurrences": 1}), "INPUT_INVALID_ATTESTATIONS", "/occurrences"),
    ],
)
def test_evidence_errors(load: Any, code: str, path: str) -> None:
    with pytest.raises(vouch.RequestError) as info:
        load()
    assert (info.value.code, info.value.path) == (code, path), info.value.message


def test_now_must_be_aware(evaluator: vouch.Evaluator) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluator.evaluate(images=[WEB], now=datetime(2026, 11, 23, 10, 0))
    with pytest.raises(TypeError, match="datetime"):
        evaluator.evaluate(images=[WEB], now="2026-11-23T10:00:00Z")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        evaluator.evaluate(images=[WEB])  # type: ignore[call-arg]


def test_unserializable_arguments(evaluator: vouch.Evaluator) -> None:
    with pytest.raises(TypeError, match="JSON"):
        evaluator.evaluate(images=[object()], now=NOW)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="JSON"):
        evaluator.evaluate(images=[WEB], attestations=[{"x": float("nan")}], now=NOW)
    with pytest.raises(TypeError):
        evaluator.evaluate(images=[WEB], now=NOW, strict_identity="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="JSON"):
        vouch.evaluate_bundle(b"{}")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bundle, cls, code, path",
    [
        ("[1, 2]", vouch.BundleError, "BUNDLE_NOT_OBJECT", ""),
        ("{", vouch.BundleError, "INPUT_SYNTAX", ""),
        ({"policy": DENY_ALL, "request": {"images": [WEB]}}, vouch.BundleError, "BUNDLE_MISSING_FIELD", "/now"),
        ({"policy": DENY_ALL, "request": {"images": [WEB]}, "now": "x"}, vouch.BundleError, "BUNDLE_INVALID_NOW", "/now"),
        ({"policy": "a: [", "request": {}, "now": "2026-11-23T10:00:00Z"}, vouch.PolicyError, "INPUT_SYNTAX", "/policy"),
        (
            {"policy": DENY_ALL, "systemPolicy": {"x": 1}, "request": {}, "now": "2026-11-23T10:00:00Z"},
            vouch.PolicyError,
            "POLICY_UNKNOWN_FIELD",
            "/systemPolicy/x",
        ),
        ({"policy": DENY_ALL, "attestors": 1, "request": {}, "now": "2026-11-23T10:00:00Z"}, vouch.AttestorError, None, "/attestors"),
        ({"policy": DENY_ALL, "request": {"images": ["A"]}, "now": "2026-11-23T10:00:00Z"}, vouch.RequestError, "REQUEST_INVALID_IMAGE", "/request/images/0"),
        (
            {"policy": DENY_ALL, "request": {"images": [WEB]}, "attestations": 1, "now": "2026-11-23T10:00:00Z"},
            vouch.RequestError,
            "INPUT_INVALID_ATTESTATIONS",
            "/attestations",
        ),
    ],
)
def test_bundle_errors(bundle: Any, cls: type, code: Optional[str], path: str) -> None:
    with pytest.raises(vouch.VouchError) as info:
        vouch.evaluate_bundle(bundle)
    assert type(info.value) is cls, info.value
    if code is not None:
        assert info.value.code == code
    assert info.value.path == path


def test_denial_is_a_result(evaluator: vouch.Evaluator) -> None:
    decision = evaluator.evaluate(images=[WEB], cluster=PROD, now=NOW)
    assert decision.verdict is vouch.Verdict.DENY
    assert decision.allowed is False


# ---------------------------------------------------------------- types


def test_decision_types(evaluator: vouch.Evaluator) -> None:
    decision = evaluator.evaluate(
        workload=read_example("deployment-candidate.yaml"),
        cluster=PROD,
        attestations=read_example("attestations.json"),
        now=NOW,
    )
    data = json.loads(decision.to_json())
    assert decision.to_dict() == data
    assert decision.to_dict() is not decision.to_dict()
    assert isinstance(decision.verdict, vouch.Verdict)
    assert decision.verdict.value == data["verdict"]
    assert decision.allowed is data["allowed"]
    assert decision.rule == vouch.Rule(
        kind=data["rule"]["kind"],
        key=data["rule"]["key"],
        evaluation_mode=data["rule"]["evaluationMode"],
        enforcement_mode=data["rule"]["enforcementMode"],
    )
    assert decision.message == data["message"]
    assert decision.audit_annotations == data["auditAnnotations"]
    assert decision.system_policy_source == data["systemPolicySource"] == "BUILT_IN"
    assert isinstance(decision.images, tuple)
    assert len(decision.images) == len(data["images"])
    for image, raw in zip(decision.images, data["images"]):
        assert isinstance(image, vouch.ImageResult)
        assert (image.image, image.container, image.outcome) == (raw["image"], raw["container"], raw["outcome"])
        if raw["exemption"] is None:
            assert image.exemption is None
        else:
            assert image.exemption == vouch.Exemption(raw["exemption"]["source"], raw["exemption"]["pattern"])
        for reason, r in zip(image.reasons, raw["reasons"]):
            assert (reason.code, reason.attestor, reason.message) == (r["code"], r["attestor"], r["message"])
            assert [(d.occurrence, d.code, d.message) for d in reason.details] == [
                (d["occurrence"], d["code"], d["message"]) for d in r["details"]
            ]
        assert [
            (a.attestor, a.satisfied, a.occurrence, a.key_id, a.signed_form) for a in image.attestors
        ] == [(a["attestor"], a["satisfied"], a["occurrence"], a["keyId"], a["signedForm"]) for a in raw["attestors"]]
    violation = next(i for i in decision.images if i.outcome == "VIOLATION")
    assert violation.reasons[0].code == "NO_VALID_ATTESTATION"
    assert any(a.satisfied and a.signed_form in ("RAW", "PAE") for a in violation.attestors)
    with pytest.raises(AttributeError):
        decision.allowed = True  # type: ignore[misc]
    with pytest.raises(AttributeError):
        decision.rule.kind = "X"  # type: ignore[misc]


def test_verdict_enum() -> None:
    assert [v.name for v in vouch.Verdict] == ["ALLOW", "DENY", "DRY_RUN_ALLOW", "BREAK_GLASS_ALLOW"]
    assert vouch.Verdict("DRY_RUN_ALLOW") is vouch.Verdict.DRY_RUN_ALLOW
    assert str(vouch.Verdict.DENY) == f"{vouch.Verdict.DENY}" == "DENY"
    assert vouch.Verdict.ALLOW.value == "ALLOW"


def test_decision_equality_and_repr(evaluator: vouch.Evaluator) -> None:
    a = evaluator.evaluate(images=[WEB], cluster=PROD, now=NOW)
    b = evaluator.evaluate(images=[WEB], cluster=PROD, now=NOW + timedelta(days=1))
    assert a == b and hash(a) == hash(b)
    assert a != evaluator.evaluate(images=[WEB], namespace="sandbox", now=NOW)
    assert repr(a) == "<Decision DENY rule='CLUSTER us-central1-a.prod-cluster' images=1>"


def test_now_offsets_and_precision(evaluator: vouch.Evaluator) -> None:
    plus_five = timezone(timedelta(hours=5, minutes=30, seconds=15))
    for now in (NOW, NOW.astimezone(plus_five), datetime(1, 1, 1, tzinfo=timezone.utc), datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=plus_five)):
        d = evaluator.evaluate(images=[WEB], cluster=PROD, attestations=read_example("attestations.json"), now=now)
        assert d.verdict is vouch.Verdict.ALLOW


# ---------------------------------------------------------------- Evaluator path vs bundle path


def _now(text: str) -> datetime:
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", text, re.I)
    assert m, text
    base = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")
    micros = int((m.group(2) or ".0")[1:].ljust(6, "0")[:6])
    zone = m.group(3).upper()
    tz = timezone.utc if zone == "Z" else timezone((1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return base.replace(microsecond=micros, tzinfo=tz)


def _at(prefix: Optional[str], load: Any) -> Any:
    """Runs a per-object loader; its error's path continued at `prefix` in the bundle (the
    caller's document is that member, or that element of a member's list; `None`: the member
    the error's subject names)."""
    try:
        return load()
    except vouch.VouchError as e:
        if prefix is None:
            prefix = "" if e.subject in ("bundle", "key") else f"/{e.subject}"
        e.bundle_path = prefix + e.path  # type: ignore[attr-defined]
        raise


def typed_decision(bundle: Dict[str, Any], read_once: bool = False) -> vouch.Decision:
    """The bundle's inputs through the typed API (Policy, attestors, Evaluator.evaluate);
    with `read_once`, the attestations as a `vouch.Evidence`. An error carries
    `bundle_path`: the path the rule of docs/errors.md predicts in the bundle."""
    policy = bundle["policy"]
    policy = _at("/policy", lambda: vouch.Policy.from_yaml(policy) if isinstance(policy, str) else vouch.Policy.from_dict(policy))
    attestors: List[vouch.Attestor] = []
    given = bundle.get("attestors")
    if isinstance(given, list):
        for i, item in enumerate(given):
            attestors += _at(
                f"/attestors/{i}",
                lambda: vouch.load_attestors(item) if isinstance(item, str) else [vouch.Attestor.from_dict(item)],
            )
    elif given is not None:
        attestors = _at("/attestors", lambda: vouch.load_attestors(given))
    system = bundle.get("systemPolicy")
    system_policy = None
    if system is not None:
        system_policy = _at(
            "/systemPolicy",
            lambda: vouch.SystemPolicy.from_yaml(system) if isinstance(system, str) else vouch.SystemPolicy.from_dict(system),
        )
    names = {
        "images": "images", "workload": "workload", "namespace": "namespace", "serviceAccount": "service_account",
        "cluster": "cluster", "meshIdentity": "mesh_identity", "labels": "labels", "annotations": "annotations",
    }  # fmt: skip
    kwargs = {names.get(k, "resolved_digests" if k == "resolvedDigests" else k): v for k, v in bundle["request"].items()}
    options = bundle.get("options") or {}
    strict = bool(options.get("strictIdentity", False))
    attestations = bundle.get("attestations")
    if read_once and isinstance(attestations, str):
        attestations = _at("/attestations", lambda: vouch.Evidence.from_yaml(attestations))
    elif read_once and attestations is not None:
        attestations = _at("/attestations", lambda: vouch.Evidence.from_dict(attestations))
    cloud_run: List[vouch.CloudRunPolicy] = []
    given_cloud_run = bundle.get("cloudRunPolicies")
    for i, item in enumerate(given_cloud_run if isinstance(given_cloud_run, list) else
                             [] if given_cloud_run is None else [given_cloud_run]):
        prefix = f"/cloudRunPolicies/{i}" if isinstance(given_cloud_run, list) else "/cloudRunPolicies"
        cloud_run.append(_at(
            prefix,
            lambda: vouch.CloudRunPolicy.from_yaml(item) if isinstance(item, str) else vouch.CloudRunPolicy.from_dict(item),
        ))  # fmt: skip
    # The Evaluator's errors are about the policy, the attestors or the Cloud Run policies
    # (paths into their documents or lists); the request half's are the bundle's already
    # (docs/errors.md).
    evaluator = _at(None, lambda: vouch.Evaluator(policy, attestors, system_policy, cloud_run))
    decision: vouch.Decision = _at("", lambda: evaluator.evaluate(
        **kwargs, attestations=attestations, now=_now(bundle["now"]), strict_identity=strict,
        max_attestation_age=options.get("maxAttestationAge"),
        trust_occurrence_time=options.get("trustOccurrenceTime", False),
        cluster_config=bundle.get("clusterConfig"),
        use_resolved_digest=options.get("useResolvedDigest", False),
    ))  # fmt: skip
    return decision


BUNDLES = sorted((EXAMPLES / "bundles").glob("*.json")) + bundle_vectors()
TEST_KEYS = ("expect", "expectError")
"""A vector's test-only keys: the runners strip them (the core refuses them)."""


@pytest.mark.parametrize("read_once", [False, True], ids=["attestations", "evidence"])
@pytest.mark.parametrize("path", BUNDLES, ids=[str(p.relative_to(ROOT)) for p in BUNDLES])
def test_evaluator_path_equals_bundle_path(path: Path, read_once: bool) -> None:
    """The per-object API reports the bundle's code, class (its subject's) and the path the
    rule predicts: the member's pointer followed by the path into the document given."""
    bundle = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in TEST_KEYS}
    try:
        expected = vouch.evaluate_bundle(bundle)
    except vouch.VouchError as e:
        if e.code.startswith("BUNDLE_") or e.code == "REQUEST_UNKNOWN_FIELD":
            return  # no keyword argument can express these
        if e.code == "INPUT_ALIAS_LIMIT":
            return  # a bundle's members share one alias budget; loaded one by one, each has its own
        with pytest.raises(vouch.VouchError) as info:
            typed_decision(bundle, read_once)
        got = info.value
        assert (got.code, type(got), got.subject) == (e.code, type(e), e.subject), got
        predicted = got.bundle_path  # type: ignore[attr-defined]
        if got.subject == "attestors" and e.code == "ATTESTOR_DUPLICATE":
            return  # the Evaluator numbers all attestors as one list; the bundle, per element
        assert predicted == e.path, f"{got} predicts {predicted!r}, the bundle says {e.path!r}"
        return
    assert typed_decision(bundle, read_once).to_json() == expected.to_json()


# ---------------------------------------------------------------- surface


def test_every_public_name_is_documented() -> None:
    doc = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    for name in vouch.__all__:
        assert hasattr(vouch, name), name
        assert re.search(rf"`(vouch\.)?{name}\b", doc), f"{name} is missing from docs/python.md"
    assert vouch.__version__ == "0.1.0"


def test_decisions_pickle() -> None:
    decision = vouch.evaluate_bundle((EXAMPLES / "bundles" / "prod-candidate.json").read_text(encoding="utf-8"))
    assert decision.images  # parsed before pickling
    copy = pickle.loads(pickle.dumps(decision))
    assert copy == decision and copy.to_json() == decision.to_json()
    assert copy.images == decision.images and copy.verdict is vouch.Verdict.DENY
