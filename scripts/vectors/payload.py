"""The payload suite (toolkit): the signing payload of an image."""

from .builders import *  # noqa: F401,F403


def payload_case(name, description, image, expect_bytes=None, error=None):
    case = {"description": description, "image": image}
    if error is not None:
        case["expectError"] = error
    else:
        case["expectPayloadBase64"] = v.b64(expect_bytes)
        case["expectSha256"] = __import__("hashlib").sha256(expect_bytes).hexdigest()
    add("payload", name, case)


def payload_cases():
    spec_payload = open(os.path.join(v.KEYS, "spec-payload-A.json"), "rb").read()
    assert spec_payload == PAYLOAD_A, "the spec's payload_A.json is the gcloud format"
    payload_case(
        "001-gcloud-format-digest",
        "the reference's 303-byte payload (sha256 c14a3b20…)",
        WEB + "@" + DIG_A,
        PAYLOAD_A,
    )
    payload_case(
        "002-tag-is-dropped",
        "`name:tag@digest`: the tag is not part of docker-reference",
        WEB + ":1.0@" + DIG_A,
        PAYLOAD_A,
    )
    payload_case(
        "003-https-scheme-is-stripped",
        "an artifact URL with https://",
        "https://" + WEB + "@" + DIG_A,
        PAYLOAD_A,
    )
    payload_case(
        "004-short-name",
        "a Docker Hub short name keeps its written form",
        "busybox@" + DIG_B,
        v.gcloud_payload("busybox", DIG_B),
    )
    payload_case(
        "005-registry-port",
        "a registry with a port",
        "localhost:5000/team/app@" + DIG_B,
        v.gcloud_payload("localhost:5000/team/app", DIG_B),
    )
    payload_case(
        "006-tag-only-refused",
        "attestations bind digests: a tag-only image cannot be signed",
        WEB + ":1.0",
        error=err("REQUEST_NOT_DIGEST_PINNED"),
    )
    payload_case(
        "007-sha512-refused",
        "only sha256 digests are attested",
        WEB + "@sha512:" + "ab" * 64,
        error=err("REQUEST_NOT_DIGEST_PINNED"),
    )
    payload_case(
        "008-short-digest-refused",
        "gcloud: `Invalid digest: sha256:123`",
        WEB + "@sha256:123",
        error=err("REQUEST_INVALID_IMAGE"),
    )
    payload_case(
        "009-uppercase-refused",
        "repository names are lowercase",
        "gcr.io/P/app@" + DIG_A,
        error=err("REQUEST_INVALID_IMAGE"),
    )


def cases():
    payload_cases()
