"""The sign suite (toolkit): `vouch sign`'s occurrence for a test key, or its error.

vouch signs deterministically (RFC 6979 ECDSA, Ed25519, ...). The expected signatures are
vouch's own: they are kept in the signature cache under `vouch-sign:KEY:raw|pae:SHA256`; a
missing one is made by running `vouch sign` (VOUCH_BIN, else `cargo run -p vouch-cli`).
"""

import hashlib
import json
import os
import subprocess

from .builders import *  # noqa: F401,F403

WEB_A = WEB + "@" + DIG_A
CI_ATTESTOR = P + "/attestors/built-by-ci"
KMS_KEY_ID = (
    "//cloudkms.googleapis.com/v1/projects/example-project/locations/global/keyRings/ci/"
    "cryptoKeys/attest/cryptoKeyVersions/1"
)


def vouch_signature(key, image, attestor, payload, pae, note=None, key_id=None):
    """The signature `vouch sign` makes over the payload (or its PAE form), from the cache."""
    cache = v._load_cache()
    form = "pae" if pae else "raw"
    cache_key = "vouch-sign:%s:%s:%s" % (key, form, hashlib.sha256(payload).hexdigest())
    if cache_key in cache:
        return cache[cache_key]
    v._missing(cache_key)
    args = ["sign", "--image", image, "--key", v.key_path(key), "--attestor", attestor]
    args += ["--note", note] if note else []
    args += ["--key-id", key_id] if key_id else []
    args += ["--pae"] if pae else []
    vouch = os.environ.get("VOUCH_BIN")
    cmd = [vouch] + args if vouch else ["cargo", "run", "-q", "-p", "vouch-cli", "--"] + args
    out = subprocess.run(cmd, check=True, capture_output=True, cwd=v.ROOT).stdout
    signature = json.loads(out)["attestation"]["signatures"][0]["signature"]
    cache[cache_key] = signature
    return signature


def sign_case(
    name,
    description,
    image,
    key,
    attestor,
    note=None,
    key_id=None,
    pae=False,
    repository=WEB,
    digest=DIG_A,
    error=None,
):
    case = {"description": description, "image": image, "key": key, "attestor": attestor}
    if note is not None:
        case["note"] = note
    if key_id is not None:
        case["keyId"] = key_id
    if pae:
        case["pae"] = True
    if error is not None:
        case["expectError"] = error
        add("sign", name, case)
        return
    payload = v.gcloud_payload(repository, digest)
    signature = vouch_signature(key, image, attestor, payload, pae, note, key_id)
    default_note = attestor.replace("/attestors/", "/notes/")
    case["expectOccurrence"] = {
        "attestation": {
            "serializedPayload": v.b64(payload),
            "signatures": [
                {
                    "publicKeyId": key_id or v.default_key_id(key[: -len(".key")]),
                    "signature": signature,
                }
            ],
        },
        "kind": "ATTESTATION",
        "noteName": note or default_note,
        "resourceUri": repository + "@" + digest,
    }
    add("sign", name, case)


def cases():
    ci = ("ci-p256.key", CI_ATTESTOR)
    sign_case(
        "001-p256-raw",
        "ECDSA P-256 over the raw payload; the note is named like the attestor, the key id is "
        "the default ni:///sha-256 id",
        WEB_A,
        *ci,
    )
    sign_case(
        "002-p256-pae",
        "ECDSA P-256 over PAE(payload), as gcloud's --pae-encode-payload",
        WEB_A,
        *ci,
        pae=True,
    )
    sign_case("003-ed25519-raw", "Ed25519 over the raw payload", WEB_A, "scan-ed25519.key", SCAN)
    sign_case(
        "004-ed25519-pae", "Ed25519 over PAE(payload)", WEB_A, "scan-ed25519.key", SCAN, pae=True
    )
    sign_case("005-p384", "ECDSA P-384 with SHA-384", WEB_A, "p384.key", CI_ATTESTOR)
    sign_case(
        "006-rsa-pss-2048",
        "RSA-PSS 2048 with SHA-256; the salt is derived from the key and the message",
        WEB_A,
        "rsa2048.key",
        CI_ATTESTOR,
    )
    sign_case(
        "007-explicit-note-and-key-id",
        "--note wins over the attestor's default note; --key-id is recorded as given (a Cloud "
        "KMS key version)",
        WEB_A,
        "qa-p256.key",
        QA,
        note=P + "/notes/qa",
        key_id=KMS_KEY_ID,
    )
    sign_case(
        "008-tag-is-dropped",
        "`name:tag@digest`: resourceUri is the repository and digest",
        WEB + ":1.0@" + DIG_A,
        *ci,
    )
    sign_case(
        "009-tag-only-refused",
        "attestations bind digests: a tag-only image cannot be signed",
        WEB + ":1.0",
        *ci,
        error=err("REQUEST_NOT_DIGEST_PINNED", "/image"),
    )
    sign_case(
        "010-invalid-note-refused",
        "the note must be projects/PROJECT/notes/NOTE",
        WEB_A,
        *ci,
        note="notes/built-by-ci",
        error=err("ATTESTOR_INVALID_NOTE_REFERENCE", "/noteName"),
    )
    sign_case(
        "011-invalid-key-id-refused",
        "a key id with a space",
        WEB_A,
        *ci,
        key_id="ci key",
        error=err("ATTESTOR_INVALID_KEY_ID", "/publicKeyId"),
    )
