"""The attestor_load group: attestors the loader refuses."""

from .builders import *  # noqa: F401,F403


def attestor_error_cases():
    g = "attestor_load"
    p = require(CI)
    img1 = images(WEB + "@" + DIG_A)

    def bad(name, description, attestors, code, path):
        vec(g, name, description, p, img1, error=err(code, path), attestors=attestors)

    def key(**pkix):
        base = {"publicKeyPem": v.public_pem("ci-p256"), "signatureAlgorithm": "ECDSA_P256_SHA256"}
        base.update(pkix)
        return {k: val for k, val in base.items() if val is not None}

    def with_keys(*keys):
        a = ci_attestor()
        a["userOwnedGrafeasNote"]["publicKeys"] = list(keys)
        return a

    kp = "/attestors/0/userOwnedGrafeasNote/publicKeys/0"
    bad(
        "001-algorithm-mismatch-curve",
        "§10 7c: a P-256 key declared P-384",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm="ECDSA_P384_SHA384")})],
        "ATTESTOR_ALGORITHM_MISMATCH",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    rsa_key = {
        "pkixPublicKey": {
            "publicKeyPem": v.public_pem("spec-rsa2048"),
            "signatureAlgorithm": "RSA_PSS_4096_SHA512",
        }
    }
    bad(
        "002-algorithm-mismatch-rsa-size",
        "A-5: the modulus size must equal the algorithm's",
        [with_keys(rsa_key)],
        "ATTESTOR_ALGORITHM_MISMATCH",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    bad(
        "003-algorithm-mismatch-ed25519",
        "an EC key declared ED25519",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm="ED25519")})],
        "ATTESTOR_ALGORITHM_MISMATCH",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    bad(
        "004-algorithm-unknown",
        "unknown algorithm names",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm="ECDSA_P256_SHA1")})],
        "ATTESTOR_INVALID_VALUE",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    bad(
        "005-algorithm-unspecified",
        "SIGNATURE_ALGORITHM_UNSPECIFIED is not an algorithm",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm="SIGNATURE_ALGORITHM_UNSPECIFIED")})],
        "ATTESTOR_INVALID_VALUE",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    bad(
        "006-algorithm-missing",
        "signatureAlgorithm is required",
        [with_keys({"pkixPublicKey": key(signatureAlgorithm=None)})],
        "ATTESTOR_MISSING_FIELD",
        kp + "/pkixPublicKey/signatureAlgorithm",
    )
    bad(
        "007-pem-garbage",
        "publicKeyPem must be a PEM public key",
        [with_keys({"pkixPublicKey": key(publicKeyPem="not a key")})],
        "ATTESTOR_INVALID_KEY",
        kp + "/pkixPublicKey/publicKeyPem",
    )
    with open(v.key_path("ci-p256.key")) as f:
        private = f.read()
    bad(
        "008-pem-private-key",
        "a private key in publicKeyPem is refused",
        [with_keys({"pkixPublicKey": key(publicKeyPem=private)})],
        "ATTESTOR_INVALID_KEY",
        kp + "/pkixPublicKey/publicKeyPem",
    )
    broken = v.public_pem("ci-p256").replace("A", "B", 3)
    bad(
        "009-pem-not-on-curve",
        "a P-256 point that is not on the curve",
        [with_keys({"pkixPublicKey": key(publicKeyPem=broken)})],
        "ATTESTOR_INVALID_KEY",
        kp + "/pkixPublicKey/publicKeyPem",
    )
    bad(
        "010-key-id-with-space",
        "A-6: no spaces in key ids",
        [with_keys({"id": "my key", "pkixPublicKey": key()})],
        "ATTESTOR_INVALID_KEY_ID",
        kp + "/id",
    )
    bad(
        "011-key-id-bad-uri",
        "A-6: an id with `:` must be a URI",
        [with_keys({"id": "1bad:scheme", "pkixPublicKey": key()})],
        "ATTESTOR_INVALID_KEY_ID",
        kp + "/id",
    )
    bad(
        "012-key-ids-disagree",
        "id and pkixPublicKey.keyId must agree",
        [with_keys({"id": "a", "pkixPublicKey": key(keyId="b")})],
        "ATTESTOR_INVALID_KEY_ID",
        kp + "/pkixPublicKey/keyId",
    )
    bad(
        "013-duplicate-key-id",
        "two keys with the same id",
        [
            with_keys(
                {"pkixPublicKey": key()},
                {"pkixPublicKey": key(signatureAlgorithm="EC_SIGN_P256_SHA256")},
            )
        ],
        "ATTESTOR_DUPLICATE_KEY_ID",
        "/attestors/0/userOwnedGrafeasNote/publicKeys/1/id",
    )
    bad(
        "014-key-without-material",
        "a key needs pkixPublicKey or asciiArmoredPgpPublicKey",
        [with_keys({"comment": "x"})],
        "ATTESTOR_MISSING_FIELD",
        kp + "/pkixPublicKey",
    )
    bad(
        "015-key-with-both-kinds",
        "pkixPublicKey and asciiArmoredPgpPublicKey are exclusive",
        [
            with_keys(
                {
                    "pkixPublicKey": key(),
                    "asciiArmoredPgpPublicKey": (
                        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n-----END PGP PUBLIC KEY BLOCK-----\n"
                    ),
                }
            )
        ],
        "ATTESTOR_INVALID_VALUE",
        kp + "/asciiArmoredPgpPublicKey",
    )
    a = ci_attestor()
    del a["userOwnedGrafeasNote"]
    bad(
        "016-missing-note",
        "an attestor needs userOwnedGrafeasNote",
        [a],
        "ATTESTOR_MISSING_FIELD",
        "/attestors/0/userOwnedGrafeasNote",
    )
    a = ci_attestor()
    a["userOwnedGrafeasNote"]["noteReference"] = "built-by-ci"
    bad(
        "017-invalid-note-reference",
        "notes are projects/*/notes/*",
        [a],
        "ATTESTOR_INVALID_NOTE_REFERENCE",
        "/attestors/0/userOwnedGrafeasNote/noteReference",
    )
    a = ci_attestor()
    a["name"] = "attestors/built-by-ci"
    bad(
        "018-invalid-name",
        "attestor names are projects/*/attestors/*",
        [a],
        "ATTESTOR_INVALID_NAME",
        "/attestors/0/name",
    )
    bad(
        "019-duplicate-attestor",
        "the same attestor twice",
        [ci_attestor(), ci_attestor()],
        "ATTESTOR_DUPLICATE",
        "/attestors/1/name",
    )
    a = ci_attestor()
    a["owner"] = "me"
    bad(
        "020-unknown-field",
        "unknown attestor fields",
        [a],
        "ATTESTOR_UNKNOWN_FIELD",
        "/attestors/0/owner",
    )
    bad(
        "021-file-text-path",
        "paths continue into an attestor file given as text",
        [
            json.dumps(ci_attestor()),
            json.dumps([qa_attestor(), with_keys({"pkixPublicKey": key(publicKeyPem="x")})]),
        ],
        "ATTESTOR_INVALID_KEY",
        "/attestors/1/1/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey/publicKeyPem",
    )
    vec(
        g,
        "022-drydock-note-accepted",
        "v1beta1 userOwnedDrydockNote is accepted",
        p,
        img1,
        exp("ALLOW"),
        attestors=[{"name": CI, "userOwnedDrydockNote": ci_attestor()["userOwnedGrafeasNote"]}],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "023-lowercase-algorithm-spelling",
        "gcloud/Kritis lower-case algorithm names are accepted",
        p,
        img1,
        exp("ALLOW"),
        attestors=[v.pkix_attestor(CI, CI_NOTE, [("ci-p256", "ecdsa-p256-sha256", None)])],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "024-attestors-as-rest-list",
        "attestors as {attestors: [...]} in one file",
        p,
        img1,
        exp("ALLOW"),
        attestors=json.dumps({"attestors": [ci_attestor(), qa_attestor()]}),
        attestations=[ci_occ()],
    )
    vec(
        g,
        "025-crlf-pem",
        "PEM with CRLF line ends",
        p,
        img1,
        exp("ALLOW"),
        attestors=[
            v.pkix_attestor(
                CI,
                CI_NOTE,
                [(v.public_pem("ci-p256").replace("\n", "\r\n"), "ECDSA_P256_SHA256", None)],
            )
        ],
        attestations=[ci_occ()],
    )


def cases():
    attestor_error_cases()
