"""The image_ref group: valid and invalid image references."""

from .builders import *  # noqa: F401,F403


def reference_cases():
    g = "image_ref"
    d = DIG_A
    valid = [
        ("short-name", "busybox"),
        ("short-name-tag", "busybox:1.36"),
        ("user-repo", "user/app:v2"),
        ("localhost-port", "localhost:5000/team/app:v1"),
        ("ipv6-port", "[::1]:5000/app:1"),
        ("ipv6-no-port", "[2001:db8::1]/team/app"),
        ("registry-port-digest", "registry.example.com:443/team/app@" + d),
        ("separators", "gcr.io/a__b/c---d/e.f_g:tag_1.0-x"),
        ("tag-and-digest", "gcr.io/p/app:1.0@" + d),
        ("max-tag", "gcr.io/p/app:" + "t" * 128),
        ("max-path", "gcr.io/" + "/".join(["a" * 63] * 4)),
        ("uppercase-registry", "Registry.Example.COM/team/app:1"),
        ("sha512-digest", "gcr.io/p/app@sha512:" + "0" * 128),
    ]
    for name, ref in valid:
        vec(
            g,
            "valid-" + name,
            f"`{ref[:60]}` is a valid reference",
            ALLOW_ALL,
            images(ref),
            exp("ALLOW", imgs=[img(ref, "CONFORMANT")]),
        )
    invalid = [
        ("uppercase-repository", "gcr.io/Project/app"),
        ("empty", ""),
        ("tag-too-long", "gcr.io/p/app:" + "t" * 129),
        ("tag-leading-dot", "gcr.io/p/app:.x"),
        ("digest-short", "gcr.io/p/app@sha256:123"),
        ("digest-uppercase-hex", "gcr.io/p/app@sha256:" + "A" * 64),
        ("digest-unknown-algorithm", "gcr.io/p/app@md5:" + "0" * 32),
        ("double-dot", "gcr.io/p/a..b"),
        ("triple-underscore", "gcr.io/p/a___b"),
        ("trailing-slash", "gcr.io/p/app/"),
        ("whitespace", "gcr.io/p/app :1"),
        ("two-at-signs", "gcr.io/p/app@" + d + "@" + d),
        ("path-too-long", "gcr.io/" + "/".join(["a" * 63] * 4) + "a"),
        ("ipv6-without-path", "[::1]:5000"),
    ]
    for name, ref in invalid:
        vec(
            g,
            "invalid-" + name,
            "an invalid reference is a request error",
            ALLOW_ALL,
            images("gcr.io/p/ok:1", ref),
            error=err("REQUEST_INVALID_IMAGE", "/request/images/1"),
        )
    vec(
        g,
        "028-invalid-in-workload",
        "the error path points into the workload",
        ALLOW_ALL,
        {"workload": pod([("ok", "gcr.io/p/ok:1"), ("bad", "gcr.io/p/Bad:1")])},
        error=err("REQUEST_INVALID_IMAGE", "/request/workload/spec/containers/1/image"),
    )


def cases():
    reference_cases()


# The stable names of the image_ref cases built in loops above (their file names).
stable_names(
    "image_ref",
    [
        "001-valid-short-name",
        "002-valid-short-name-tag",
        "003-valid-user-repo",
        "004-valid-localhost-port",
        "005-valid-ipv6-port",
        "006-valid-ipv6-no-port",
        "007-valid-registry-port-digest",
        "008-valid-separators",
        "009-valid-tag-and-digest",
        "010-valid-max-tag",
        "011-valid-max-path",
        "012-valid-uppercase-registry",
        "013-valid-sha512-digest",
        "014-invalid-uppercase-repository",
        "015-invalid-empty",
        "016-invalid-tag-too-long",
        "017-invalid-tag-leading-dot",
        "018-invalid-digest-short",
        "019-invalid-digest-uppercase-hex",
        "020-invalid-digest-unknown-algorithm",
        "021-invalid-double-dot",
        "022-invalid-triple-underscore",
        "023-invalid-trailing-slash",
        "024-invalid-whitespace",
        "025-invalid-two-at-signs",
        "026-invalid-path-too-long",
        "027-invalid-ipv6-without-path",
    ],
)
