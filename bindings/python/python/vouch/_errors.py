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
    """JSON pointer (RFC 6901) to the offending field; ``""`` for the whole document."""
    message: str
    """Human-readable explanation (informative; never match on it)."""

    def __init__(self, code: str, path: str, message: str, error_json: Optional[str] = None) -> None:
        super().__init__(code, path, message)
        self.code = code
        self.path = path
        self.message = message
        self._json = error_json

    def __str__(self) -> str:
        if self.path:
            return f"{self.code} at {self.path}: {self.message}"
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> Tuple[Type[VouchError], Tuple[str, str, str, Optional[str]]]:
        return (type(self), (self.code, self.path, self.message, self._json))

    def to_dict(self) -> Dict[str, Dict[str, str]]:
        """The contract's error object: ``{"error": {"code", "path", "message"}}``."""
        return {"error": {"code": self.code, "path": self.path, "message": self.message}}

    def to_json(self) -> str:
        """The contract's error JSON, exactly as the core wrote it."""
        if self._json is not None:
            return self._json
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


class PolicyError(VouchError):
    """The policy or the system policy cannot be loaded (``POLICY_*``, ``INPUT_*``)."""


class AttestorError(VouchError):
    """An attestor cannot be loaded, or the attestor set is invalid (``ATTESTOR_*``, ``INPUT_*``)."""


class RequestError(VouchError):
    """The request (images, workload, target) or its attestations cannot be read."""


class BundleError(VouchError):
    """The bundle itself is malformed (``BUNDLE_*``), or its attestations cannot be read."""


_FAMILIES: Dict[str, Type[VouchError]] = {
    "POLICY": PolicyError,
    "ATTESTOR": AttestorError,
    "REQUEST": RequestError,
    "BUNDLE": BundleError,
}


def error_by_code(args: Tuple[str, str, str, str]) -> VouchError:
    """A native error as the class of its code's family (``ATTESTOR_*`` → ``AttestorError``, …).

    Codes of no family (``INPUT_INVALID_PRIVATE_KEY``) are a plain ``VouchError``.
    """
    code, path, message, error_json = args
    return _FAMILIES.get(code.split("_", 1)[0], VouchError)(code, path, message, error_json)
