"""GKE platform-policy results: Binary Authorization's ``EvaluateGkePolicyResponse``, typed.

A ``PlatformResult`` holds the core's response JSON (``to_json()`` gives it byte for byte) and
its parts as frozen dataclasses; field names follow the JSON in snake case, ``index`` fields
are ints (the JSON writes int64 as strings), absent members are ``None`` or empty tuples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple


@dataclass(frozen=True)
class PlatformDetail:
    """One stable reason behind a check's verdict (vouch's extension of the response)."""

    code: str
    """The stable code (docs/errors.md, platform detail codes)."""
    message: str
    """Human explanation (informative; never match on it)."""


@dataclass(frozen=True)
class CheckResult:
    """One check of the evaluated check set."""

    index: int
    display_name: str
    check_type: str
    """``TrustedDirectoryCheck``, ``ImageFreshnessCheck``, …, ``AlwaysDeny``."""
    verdict: Optional[str]
    """``CONFORMANT``, ``NON_CONFORMANT`` or ``ERROR``; ``None`` when the check's allowlist
    exempted the image."""
    allowlisted_by: Optional[str]
    """The check-level ``allowPattern`` that exempted the image."""
    explanation: str
    details: Tuple[PlatformDetail, ...]


@dataclass(frozen=True)
class CheckSetResult:
    """The check set that applied to an image."""

    index: int
    display_name: str
    scope: Optional[Dict[str, str]]
    """``{"kubernetesNamespace": …}`` or ``{"kubernetesServiceAccount": "ns:sa"}``; ``None``
    for the default set."""
    allowlisted_by: Optional[str]
    checks: Tuple[CheckResult, ...]
    explanation: Optional[str]


@dataclass(frozen=True)
class PlatformImageResult:
    """One image of the Pod."""

    image: str
    verdict: str
    allowlisted_by: Optional[str]
    """The policy-level ``allowPattern`` that exempted the image."""
    check_set: Optional[CheckSetResult]
    explanation: Optional[str]


@dataclass(frozen=True)
class PodResult:
    """The Pod (the workload, or the image list)."""

    pod_name: str
    namespace: str
    service_account: str
    verdict: str
    images: Tuple[PlatformImageResult, ...]


class PlatformResult:
    """The response: ``verdict`` (``CONFORMANT``, ``NON_CONFORMANT`` or ``ERROR``) and one
    ``PodResult`` per Pod. ``to_json()`` is the core's exact JSON."""

    __slots__ = ("_json", "verdict", "pods")

    def __init__(self, response_json: str) -> None:
        data: Dict[str, Any] = json.loads(response_json)
        self._json = response_json
        self.verdict: str = data["verdict"]
        self.pods: Tuple[PodResult, ...] = tuple(_pod(p) for p in data.get("results", ()))

    @property
    def conformant(self) -> bool:
        """Whether the verdict is ``CONFORMANT``."""
        return self.verdict == "CONFORMANT"

    def to_json(self) -> str:
        """The response JSON, byte for byte the core's."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The response JSON, parsed."""
        data: Dict[str, Any] = json.loads(self._json)
        return data

    def __repr__(self) -> str:
        return f"<vouch.PlatformResult {self.verdict}>"


def _allowlisted(data: Dict[str, Any]) -> Optional[str]:
    result = data.get("allowlistResult")
    return None if result is None else str(result["matchedPattern"])


def _check(data: Dict[str, Any]) -> CheckResult:
    evaluation = data.get("evaluationResult")
    return CheckResult(
        index=int(data["index"]),
        display_name=data.get("displayName", ""),
        check_type=data["type"],
        verdict=None if evaluation is None else evaluation["verdict"],
        allowlisted_by=_allowlisted(data),
        explanation=data.get("explanation", ""),
        details=tuple(PlatformDetail(d["code"], d["message"]) for d in data.get("details", ())),
    )


def _check_set(data: Dict[str, Any]) -> CheckSetResult:
    return CheckSetResult(
        index=int(data["index"]),
        display_name=data.get("displayName", ""),
        scope=data.get("scope"),
        allowlisted_by=_allowlisted(data),
        checks=tuple(_check(c) for c in data.get("checkResults", {}).get("results", ())),
        explanation=data.get("explanation"),
    )


def _image(data: Dict[str, Any]) -> PlatformImageResult:
    check_set = data.get("checkSetResult")
    return PlatformImageResult(
        image=data["imageUri"],
        verdict=data["verdict"],
        allowlisted_by=_allowlisted(data),
        check_set=None if check_set is None else _check_set(check_set),
        explanation=data.get("explanation"),
    )


def _pod(data: Dict[str, Any]) -> PodResult:
    return PodResult(
        pod_name=data.get("podName", ""),
        namespace=data.get("kubernetesNamespace", ""),
        service_account=data.get("kubernetesServiceAccount", ""),
        verdict=data["verdict"],
        images=tuple(_image(i) for i in data.get("imageResults", ())),
    )


