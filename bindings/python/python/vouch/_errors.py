"""The exceptions vouch raises for configuration errors.

A denial is a result (a ``Decision``), never an exception. Exceptions are for inputs that
cannot be loaded: each carries the core's stable ``code``, a JSON-pointer ``path`` to the
offending field and a human ``message``.
"""

from __future__ import annotations

import json
from typing import Dict, Optional, Tuple, Type


class VouchError(Exception):
    """Base class: a configuration error with a stable code, a JSON pointer and a message."""

    code: str
    """The stable code, e.g. ``POLICY_INVALID_PATTERN`` (see docs/errors.md)."""
    path: str
    """JSON pointer (RFC 6901) to the offending field in the document given; ``""`` for the
    whole document (docs/errors.md, "Paths")."""
    message: str
    """Human-readable explanation (informative; never match on it)."""
    subject: str
    """What the error is about: ``policy``, ``systemPolicy``, ``attestors``, ``request``,
    ``attestations``, ``bundle``, ``key``, ``trust``, ``platformPolicy``, ``clusterConfig`` or ``cloudRunPolicies`` (the
    core's ``Subject``); it picks the class."""

    def __init__(
        self, code: str, path: str, message: str, error_json: Optional[str] = None, subject: str = "bundle"
    ) -> None:
        super().__init__(code, path, message)
        self.code = code
        self.path = path
        self.message = message
        self.subject = subject
        self._json = error_json

    def __str__(self) -> str:
        if self.path:
            return f"{self.code} at {self.path}: {self.message}"
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> Tuple[Type[VouchError], Tuple[str, str, str, Optional[str], str]]:
        return (type(self), (self.code, self.path, self.message, self._json, self.subject))

    def to_dict(self) -> Dict[str, Dict[str, str]]:
        """The contract's error object: ``{"error": {"code", "path", "message"}}``."""
        return {"error": {"code": self.code, "path": self.path, "message": self.message}}

    def to_json(self) -> str:
        """The contract's error JSON, exactly as the core wrote it."""
        if self._json is not None:
            return self._json
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


class PolicyError(VouchError):
    """The policy or the system policy cannot be loaded (subjects ``policy``, ``systemPolicy``)."""


class AttestorError(VouchError):
    """An attestor cannot be loaded, or the attestor set is invalid (subject ``attestors``)."""


class RequestError(VouchError):
    """The request (images, workload, target) or its attestations cannot be read (subjects
    ``request``, ``attestations``)."""


class BundleError(VouchError):
    """The bundle itself is malformed: its shape, ``now``, ``options`` (subject ``bundle``)."""


class TrustError(VouchError):
    """The trust material for supply-chain evidence (keys, Rekor keys) is not usable."""


class PlatformPolicyError(PolicyError):
    """A GKE platform policy (subject ``platformPolicy``) or a Cloud Run platform policy
    (subject ``cloudRunPolicies``) cannot be loaded (``PLATFORM_*`` codes)."""


class ClusterConfigError(VouchError):
    """A cluster's Binary Authorization configuration cannot be read (subject
    ``clusterConfig``, ``CLUSTER_*`` codes)."""


SUBJECT_CLASSES: Dict[str, Type[VouchError]] = {
    "policy": PolicyError,
    "systemPolicy": PolicyError,
    "attestors": AttestorError,
    "request": RequestError,
    "attestations": RequestError,
    "bundle": BundleError,
    "key": VouchError,
    "trust": TrustError,
    "platformPolicy": PlatformPolicyError,
    "clusterConfig": ClusterConfigError,
    "cloudRunPolicies": PlatformPolicyError,
}
"""The one rule that picks an error's class: its subject (docs/python.md)."""


def error_class(subject: str) -> Type[VouchError]:
    """The exception class of errors about ``subject`` (``VouchError`` for one not listed)."""
    return SUBJECT_CLASSES.get(subject, VouchError)


def native_error(args: Tuple[str, ...]) -> VouchError:
    """A native error ``(code, path, message, json, subject)`` as the class of its subject."""
    code, path, message, error_json, subject = args
    return error_class(subject)(code, path, message, error_json, subject)
