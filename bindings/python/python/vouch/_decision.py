"""The decision: what was decided, under which rule, and why, image by image.

A ``Decision`` holds the core's decision; ``to_json()`` is the exact JSON the core writes for it
(written on first use, then kept), and its other attributes are read from that JSON on first
use (``allowed`` and ``verdict`` directly).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from . import _vouch


class Verdict(enum.Enum):
    """The overall outcome. Only ``DENY`` is not admitted; ``str(verdict)`` is its JSON value."""

    ALLOW = "ALLOW"
    """Every image is exempt or conforms."""
    DENY = "DENY"
    """At least one image violates an enforced rule."""
    DRY_RUN_ALLOW = "DRY_RUN_ALLOW"
    """Violations under a ``DRYRUN_AUDIT_LOG_ONLY`` rule: admitted and logged."""
    BREAK_GLASS_ALLOW = "BREAK_GLASS_ALLOW"
    """Break-glass: admitted whatever the result, always logged."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Rule:
    """The rule that applied (``rule`` in the decision JSON)."""

    kind: str
    """``DEFAULT``, ``CLUSTER``, ``NAMESPACE``, ``SERVICE_ACCOUNT`` or ``ISTIO_IDENTITY``."""
    key: Optional[str]
    """The rule's key; ``None`` for the default rule."""
    evaluation_mode: str
    """``ALWAYS_ALLOW``, ``REQUIRE_ATTESTATION`` or ``ALWAYS_DENY``."""
    enforcement_mode: str
    """``ENFORCED_BLOCK_AND_AUDIT_LOG`` or ``DRYRUN_AUDIT_LOG_ONLY``."""


@dataclass(frozen=True)
class Exemption:
    """Which allowlist exempted an image."""

    source: str
    """``SYSTEM_POLICY`` or ``ALLOWLIST``."""
    pattern: str
    """The first matching pattern, in list order."""


@dataclass(frozen=True)
class Detail:
    """Why one candidate attestation (or the attestor itself) did not count."""

    occurrence: Optional[str]
    """The occurrence's name, ``#N`` for a nameless one, ``None`` for ``NO_KEYS``."""
    code: str
    """``UNKNOWN_KEY_ID``, ``BAD_SIGNATURE``, ``DIGEST_MISMATCH``, … (new codes may be added)."""
    message: str
    """Human explanation (informative)."""


@dataclass(frozen=True)
class Reason:
    """Why an image violates."""

    code: str
    """``ALWAYS_DENY``, ``NOT_DIGEST_PINNED`` or ``NO_VALID_ATTESTATION``."""
    attestor: Optional[str]
    """The attestor concerned (``None`` for ``ALWAYS_DENY``)."""
    message: str
    """GCP's wording where known (informative)."""
    details: Tuple[Detail, ...]
    """Why each candidate attestation did not count, in attestation order."""


@dataclass(frozen=True)
class AttestorResult:
    """One required attestor's result for an image."""

    attestor: str
    """The attestor's resource name (under a Cloud Run platform policy: the inline attestor's ``id``)."""
    satisfied: bool
    """Whether a valid attestation was found."""
    occurrence: Optional[str]
    """The occurrence that satisfied it."""
    key_id: Optional[str]
    """The key that verified it."""
    signed_form: Optional[str]
    """``RAW`` or ``PAE``: which bytes that key signed."""


@dataclass(frozen=True)
class ImageResult:
    """The result for one image."""

    image: str
    """The image exactly as written."""
    container: Optional[str]
    """The container's name; ``None`` when the request gave ``images``."""
    outcome: str
    """``EXEMPT``, ``CONFORMANT`` or ``VIOLATION``."""
    exemption: Optional[Exemption]
    """What exempted it, when exempt."""
    reasons: Tuple[Reason, ...]
    """Why it violates (empty otherwise)."""
    attestors: Tuple[AttestorResult, ...]
    """Each required attestor's result, in policy order."""
    volume: Optional[str] = None
    """The image volume's name when the image is a workload's image volume
    (``volumes[].image.reference``; ``container`` is then ``None``)."""


@dataclass(frozen=True)
class IgnoredRule:
    """A rule of the project policy that has no effect on Cloud Run (decision R-3)."""

    kind: str
    """``CLUSTER``, ``NAMESPACE``, ``SERVICE_ACCOUNT`` or ``ISTIO_IDENTITY``."""
    key: str
    """Its key in the policy."""


@dataclass(frozen=True)
class ResolvedDigest:
    """One image under ``use_resolved_digest`` (decision R-4)."""

    container: Optional[str]
    """The container's name."""
    written: str
    """The image as the resource writes it."""
    resolved: Optional[str]
    """The resolved digest as given, ``None`` when none is known."""
    source: Optional[str]
    """``STATUS`` or ``REQUEST``; ``None`` when none is known."""
    result: str
    """``RESOLVED`` (the image evaluated is ``REPOSITORY@DIGEST``), ``NOT_RESOLVED``, ``PINNED``,
    ``DIGEST_MISMATCH``, ``REPOSITORY_MISMATCH`` or ``STALE_STATUS``."""


@dataclass(frozen=True)
class CloudRunResult:
    """What a Cloud Run service's or job's Binary Authorization setting made of the request
    (docs/semantics.md §9)."""

    resource: str
    """``SERVICE`` or ``JOB``."""
    name: Optional[str]
    """The resource's name."""
    binary_authorization: str
    """``NOT_ENABLED``, ``DEFAULT`` or ``NAMED_POLICY``."""
    policy: Optional[str]
    """The named policy (``projects/P/platforms/cloudRun/policies/N``), for ``NAMED_POLICY``."""
    enforced: bool
    """Whether a policy decided; when ``False``, ``images`` is empty and ``reason`` says why."""
    reason: Optional[str]
    """``BINARY_AUTHORIZATION_NOT_ENABLED`` or ``NAMED_POLICY_NOT_SUPPLIED`` when not enforced."""
    break_glass_justification: Optional[str]
    """The break-glass justification (possibly ``""``); ``None`` without break-glass."""
    ignored_rules: Tuple[IgnoredRule, ...]
    """The project policy's rules Cloud Run ignores (under ``DEFAULT``)."""
    resolved_digests: Optional[Tuple[ResolvedDigest, ...]]
    """Per image under ``use_resolved_digest``; ``None`` otherwise."""


def _cloud_run(v: Optional[Dict[str, Any]]) -> Optional[CloudRunResult]:
    if v is None:
        return None
    digests = v.get("resolvedDigests")
    return CloudRunResult(
        resource=v["resource"],
        name=v["name"],
        binary_authorization=v["binaryAuthorization"],
        policy=v.get("policy"),
        enforced=v["enforced"],
        reason=v.get("reason"),
        break_glass_justification=v.get("breakGlassJustification"),
        ignored_rules=tuple(IgnoredRule(r["kind"], r["key"]) for r in v["ignoredRules"]),
        resolved_digests=None
        if digests is None
        else tuple(ResolvedDigest(d["container"], d["written"], d["resolved"], d["source"], d["result"]) for d in digests),
    )


def _image(v: Dict[str, Any]) -> ImageResult:
    exemption = v["exemption"]
    return ImageResult(
        image=v["image"],
        container=v["container"],
        volume=v.get("volume"),
        outcome=v["outcome"],
        exemption=None if exemption is None else Exemption(exemption["source"], exemption["pattern"]),
        reasons=tuple(
            Reason(
                code=r["code"],
                attestor=r["attestor"],
                message=r["message"],
                details=tuple(Detail(d["occurrence"], d["code"], d["message"]) for d in r["details"]),
            )
            for r in v["reasons"]
        ),
        attestors=tuple(
            AttestorResult(a["attestor"], a["satisfied"], a["occurrence"], a["keyId"], a["signedForm"])
            for a in v["attestors"]
        ),
    )


_VERDICTS: Dict[str, Verdict] = {v.value: v for v in Verdict}


class _Parsed:
    __slots__ = ("rule", "images", "message", "audit_annotations", "system_policy_source", "cloud_run")

    def __init__(self, v: Dict[str, Any]) -> None:
        r = v["rule"]
        self.rule = Rule(r["kind"], r["key"], r["evaluationMode"], r["enforcementMode"])
        self.images: Tuple[ImageResult, ...] = tuple(_image(i) for i in v["images"])
        self.message: Optional[str] = v["message"]
        self.audit_annotations: Dict[str, str] = v["auditAnnotations"]
        self.system_policy_source: Optional[str] = v["systemPolicySource"]
        self.cloud_run: Optional[CloudRunResult] = _cloud_run(v.get("cloudRun"))


class _JsonBacked:
    """A result that is its core JSON text: equality, hashing and ``to_dict`` follow the text."""

    __slots__ = ()
    _json: str

    def to_dict(self) -> Dict[str, Any]:
        """The JSON as a new dict (camelCase keys, as in the contract)."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def to_json(self) -> str:
        """The core's JSON, byte for byte as it produced it."""
        return self._json

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())


class Decision(_JsonBacked):
    """The decision for one deployment; mirrors the contract's decision JSON.

    Decisions come from ``Evaluator.evaluate`` and ``evaluate_bundle``. They are immutable;
    ``to_json()`` returns the core's bytes unchanged.
    """

    __slots__ = ("_json", "_native", "_allowed", "_verdict", "_parsed")
    # `_json` is set on first use when the decision came from `_native`.

    def __init__(self, decision_json: str, allowed: bool, verdict: str) -> None:
        """Wraps the core's decision JSON (with its ``allowed`` and ``verdict``)."""
        self._json = decision_json
        self._native: Optional[_vouch.Decided] = None
        self._allowed = allowed
        self._verdict = _VERDICTS.get(verdict) or Verdict(verdict)
        self._parsed: Optional[_Parsed] = None

    def to_json(self) -> str:
        """The core's JSON, byte for byte as it produced it."""
        try:
            return self._json
        except AttributeError:
            assert self._native is not None
            # Written once; two threads racing here write the same bytes.
            text = self._json = self._native.to_json()
            return text

    def __reduce__(self) -> Tuple[Any, ...]:
        return (Decision, (self.to_json(), self.allowed, self.verdict.value))

    def _data(self) -> _Parsed:
        parsed = self._parsed
        if parsed is None:
            parsed = self._parsed = _Parsed(json.loads(self.to_json()))
        return parsed

    @property
    def allowed(self) -> bool:
        """False only for ``Verdict.DENY``."""
        native = self._native
        return self._allowed if native is None else native.allowed

    @property
    def verdict(self) -> Verdict:
        """The verdict."""
        native = self._native
        return self._verdict if native is None else _VERDICTS[native.verdict]

    @property
    def rule(self) -> Rule:
        """The rule that applied."""
        return self._data().rule

    @property
    def images(self) -> Tuple[ImageResult, ...]:
        """One result per image, in workload (or request) order."""
        return self._data().images

    @property
    def message(self) -> Optional[str]:
        """The denial (or overridden denial) text; ``None`` when nothing violated."""
        return self._data().message

    @property
    def audit_annotations(self) -> Dict[str, str]:
        """Audit annotations GKE would attach, sorted by key (a fresh copy)."""
        return dict(self._data().audit_annotations)

    @property
    def system_policy_source(self) -> Optional[str]:
        """``CALLER`` or ``BUILT_IN``; ``None`` when the system policy was not consulted."""
        return self._data().system_policy_source

    @property
    def cloud_run(self) -> Optional[CloudRunResult]:
        """For a Cloud Run service or job: what its Binary Authorization setting made of the
        request; ``None`` for a Kubernetes request."""
        return self._data().cloud_run

    def __repr__(self) -> str:
        rule = self.rule
        target = rule.kind if rule.key is None else f"{rule.kind} {rule.key}"
        return f"<Decision {self.verdict.value} rule={target!r} images={len(self.images)}>"


def _decided(native: _vouch.Decided) -> Decision:
    """A ``Decision`` for the core's decision object, its JSON written when first needed (one
    function, not a constructor, because it runs on every evaluation)."""
    decision = _new(Decision)
    decision._native = native
    decision._parsed = None
    return decision


_new = object.__new__
