"""The pattern group: admission allowlist patterns."""

from .builders import *  # noqa: F401,F403


def pattern_cases():
    g = "pattern"
    cases = [
        (
            "001-exact-matches-only-itself",
            ["gcr.io/p/app"],
            [("gcr.io/p/app", True), ("gcr.io/p/app:1", False)],
        ),
        (
            "002-exact-with-tag",
            ["gcr.io/p/app:latest"],
            [("gcr.io/p/app:latest", True), ("gcr.io/p/app:some", False)],
        ),
        (
            "003-exact-with-digest",
            ["gcr.io/p/app@" + DIG_A],
            [("gcr.io/p/app@" + DIG_A, True), ("gcr.io/p/app@" + DIG_B, False)],
        ),
        (
            "004-any-digest",
            ["gcr.io/p/app@*"],
            [("gcr.io/p/app@" + DIG_A, True), ("gcr.io/p/app:1", False)],
        ),
        ("005-any-sha256-digest", ["gcr.io/p/app@sha256:*"], [("gcr.io/p/app@" + DIG_B, True)]),
        (
            "006-any-tag",
            ["gcr.io/p/app:*"],
            [("gcr.io/p/app:anything", True), ("gcr.io/p/app", False)],
        ),
        (
            "007-star-matches-empty-suffix",
            ["gcr.io/p/nginx*"],
            [("gcr.io/p/nginx", True), ("gcr.io/p/nginx-x:1", True), ("gcr.io/p/nginx/x", False)],
        ),
        (
            "008-double-star-any-depth",
            ["gcr.io/p/**"],
            [("gcr.io/p/a/b/c:1", True), ("gcr.io/q/a", False)],
        ),
        (
            "009-double-star-lookalike-project",
            ["gcr.io/my-project**"],
            [("gcr.io/my-project-evil/app:1", True)],
        ),
        (
            "010-slash-double-star-no-lookalike",
            ["gcr.io/my-project/**"],
            [("gcr.io/my-project-evil/app:1", False), ("gcr.io/my-project/app", True)],
        ),
        ("011-local-reference", ["loc-ref"], [("loc-ref", True), ("loc-ref:1", False)]),
        (
            "012-no-normalization",
            ["docker.io/library/redis*"],
            [("redis:7", False), ("docker.io/library/redis:7", True)],
        ),
    ]
    for name, patterns, checks in cases:
        imgs = [c[0] for c in checks]
        expect_imgs = [img(i, "EXEMPT" if m else "VIOLATION") for i, m in checks]
        verdict = "ALLOW" if all(m for _, m in checks) else "DENY"
        vec(
            g,
            name,
            f"allowlist {patterns[0]}",
            policy(rule("ALWAYS_DENY"), patterns=patterns),
            images(*imgs),
            exp(verdict, imgs=expect_imgs),
        )
    vec(
        g,
        "013-first-pattern-in-policy-order-reported",
        "when several patterns match, the first in policy order is reported",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/p/app:1", "gcr.io/p/**", "gcr.io/p/app*"]),
        images("gcr.io/p/app:2", "gcr.io/p/app:1"),
        exp(
            "ALLOW",
            imgs=[
                img("gcr.io/p/app:2", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/**")),
                img("gcr.io/p/app:1", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p/app:1")),
            ],
        ),
    )
    vec(
        g,
        "014-registry-less-wildcard-is-invalid",
        "A-3: a wildcard needs `registry/` before it, so Kritis' `local-image-3:tag*` is invalid",
        policy(rule("ALWAYS_DENY"), patterns=["local-image-3:tag*"]),
        images("local-image-3:tag-any"),
        error=err("POLICY_INVALID_PATTERN", "/policy/admissionWhitelistPatterns/0/namePattern"),
    )
    many = ["gcr.io/p%d/app*" % i for i in range(2000)] + ["gcr.io/target/app:1"]
    vec(
        g,
        "015-two-thousand-patterns",
        "a large allowlist compiles once and still finds the one match",
        policy(rule("ALWAYS_DENY"), patterns=many),
        images("gcr.io/target/app:1", "gcr.io/p1999/app:2", "gcr.io/p2000/app:1"),
        exp(
            "DENY",
            imgs=[
                img("gcr.io/target/app:1", "EXEMPT"),
                img("gcr.io/p1999/app:2", "EXEMPT", exemption=("ALLOWLIST", "gcr.io/p1999/app*")),
                img("gcr.io/p2000/app:1", "VIOLATION"),
            ],
        ),
    )


def cases():
    pattern_cases()
