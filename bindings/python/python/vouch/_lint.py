"""Policy validation and lint results: valid policies that probably do not do what was meant.

A ``Validation`` keeps the exact JSON the core produced (``to_json()``), as ``vouch policy lint
--output json`` prints it; its attributes are read from that JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Sequence, Tuple

from ._decision import _JsonBacked
from ._errors import VouchError, error_class


@dataclass(frozen=True)
class LintWarning:
    """A likely mistake in a valid policy (docs/lint.md). A value, not a ``warnings`` category."""

    code: str
    """The stable code, e.g. ``RULE_WEAKER_THAN_DEFAULT`` (docs/lint.md; new codes may be added)."""
    path: str
    """JSON pointer to the field in the policy."""
    message: str
    """What is wrong (informative; never match on it)."""
    fix: str
    """How to fix it, in one line."""


def warnings_from(items: Any) -> Tuple[LintWarning, ...]:
    return tuple(LintWarning(w["code"], w["path"], w["message"], w["fix"]) for w in items)


def _error(e: Dict[str, str], subject: str) -> VouchError:
    # The class of the error's subject, as every loader raises it (docs/python.md).
    return error_class(subject)(e["code"], e["path"], e["message"], None, subject)


class Validation(_JsonBacked):
    """The result of ``validate_policy``: whether the policy (and attestors) load, the error
    if not, and the lint warnings if so. Immutable; equal (and hashed) by its JSON."""

    __slots__ = ("_json", "_ok", "_errors", "_warnings")

    def __init__(self, validation_json: str, subjects: Sequence[str]) -> None:
        """Wraps the core's validation JSON (``{"ok", "errors", "warnings"}``) and the subject
        of each error."""
        data = json.loads(validation_json)
        self._json = validation_json
        self._ok: bool = data["ok"]
        self._errors: Tuple[VouchError, ...] = tuple(_error(e, s) for e, s in zip(data["errors"], subjects))
        self._warnings = warnings_from(data["warnings"])

    @property
    def ok(self) -> bool:
        """True when the policy (and the attestors, if given) load."""
        return self._ok

    @property
    def errors(self) -> Tuple[VouchError, ...]:
        """The configuration error (at most one: loading stops at the first), as the exception
        the loaders raise: ``PolicyError``, or ``AttestorError`` with a path under
        ``/attestors``. ``raise validation.errors[0]`` is allowed."""
        return self._errors

    @property
    def warnings(self) -> Tuple[LintWarning, ...]:
        """The lint warnings in document order (none when the policy does not load)."""
        return self._warnings

    def __repr__(self) -> str:
        if self._ok:
            return f"<Validation ok warnings={len(self._warnings)}>"
        first = self._errors[0].code if self._errors else "?"
        return f"<Validation error={first}>"
