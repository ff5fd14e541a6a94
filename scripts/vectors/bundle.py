"""The bundle group: bundles the entry point refuses."""

from .builders import *  # noqa: F401,F403


def bundle_error_cases():
    g = "bundle"
    img1 = images("gcr.io/p/a:1")
    vec(
        g,
        "001-unknown-top-level-key",
        "bundles reject unknown keys",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_UNKNOWN_FIELD", "/polcy"),
        raw={"polcy": {}},
    )
    vec(
        g,
        "002-missing-request",
        "request is required",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_MISSING_FIELD", "/request"),
        raw={"request": None},
    )
    vec(
        g,
        "003-missing-now",
        "now is required",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_MISSING_FIELD", "/now"),
        now=None,
    )
    vec(
        g,
        "004-now-not-rfc3339",
        "now must be RFC 3339",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_INVALID_NOW", "/now"),
        now="2026-11-23 10:00",
    )
    vec(
        g,
        "005-now-impossible-date",
        "now must be a real date",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_INVALID_NOW", "/now"),
        now="2026-02-30T00:00:00Z",
    )
    vec(
        g,
        "006-options-unknown",
        "unknown options are rejected",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_INVALID_OPTIONS", "/options/strict"),
        options={"strict": True},
    )
    vec(
        g,
        "007-options-wrong-type",
        "strictIdentity is a boolean",
        ALLOW_ALL,
        img1,
        error=err("BUNDLE_INVALID_OPTIONS", "/options/strictIdentity"),
        options={"strictIdentity": "yes"},
    )
    vec(
        g,
        "008-attestations-not-occurrences",
        "an attestations object that is not an occurrence",
        ALLOW_ALL,
        img1,
        error=err("INPUT_INVALID_ATTESTATIONS", "/attestations"),
        attestations={"policy": {}},
    )
    vec(
        g,
        "009-attestations-bad-text",
        "an attestations file that is not JSON",
        ALLOW_ALL,
        img1,
        error=err("INPUT_SYNTAX", "/attestations"),
        attestations="[{]",
    )
    vec(
        g,
        "010-attestors-wrong-type",
        "attestors must be attestor objects",
        ALLOW_ALL,
        img1,
        error=err("ATTESTOR_INVALID_TYPE", "/attestors"),
        attestors=5,
    )
    vec(
        g,
        "011-null-members-are-absent",
        "null attestors, attestations and systemPolicy mean none",
        ALLOW_ALL,
        img1,
        exp("ALLOW"),
        attestors=None,
        attestations=None,
        raw={"systemPolicy": None, "attestors": None, "attestations": None},
    )
    # Fuzz findings: YAML alias budgets.
    ratio = (
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode:"
        " ENFORCED_BLOCK_AND_AUDIT_LOG\nadmissionWhitelistPatterns:\n- &p {namePattern:"
        " gcr.io/a/*}\n" + "- *p\n" * 150
    )
    vec(
        g,
        "012-yaml-alias-anchor-ratio",
        "one anchor used by 150 aliases breaks the YAML alias budget (INPUT_ALIAS_LIMIT)",
        ratio,
        img1,
        error=err("INPUT_ALIAS_LIMIT", "/policy"),
    )
    # Each member replays about 38k events through aliases: under the 100k budget alone, over it
    # together.
    member = (
        "- &a [x, x, x, x, x, x, x, x, x, x]\n- &b ["
        + ", ".join(["*a"] * 10)
        + "]\n- &c ["
        + ", ".join(["*b"] * 10)
        + "]\n- ["
        + ", ".join(["*c"] * 30)
        + "]\n"
    )
    vec(
        g,
        "013-yaml-members-share-alias-budget",
        "members given as YAML text share one alias budget: the third exceeds it",
        ALLOW_ALL,
        img1,
        error=err("INPUT_ALIAS_LIMIT", "/attestations/2"),
        attestations=[member, member, member],
    )
    vec(
        g,
        "014-yaml-member-within-alias-budget",
        "one such member alone is within the alias budget",
        ALLOW_ALL,
        img1,
        exp("ALLOW"),
        attestations=[member],
    )


def cases():
    bundle_error_cases()
