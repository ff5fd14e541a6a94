"""The algorithms group: every key algorithm (and the attestor_load key/algorithm mismatches)."""

from .builders import *  # noqa: F401,F403

ALGORITHMS = [
    ("RSA_PSS_2048_SHA256", "rsa2048", dict(sigopts=v.pss())),
    ("RSA_PSS_3072_SHA256", "rsa3072", dict(sigopts=v.pss())),
    ("RSA_PSS_4096_SHA256", "rsa4096", dict(sigopts=v.pss())),
    ("RSA_PSS_4096_SHA512", "rsa4096", dict(digest="sha512", sigopts=v.pss("sha512"))),
    ("RSA_SIGN_PKCS1_2048_SHA256", "rsa2048", {}),
    ("RSA_SIGN_PKCS1_3072_SHA256", "rsa3072", {}),
    ("RSA_SIGN_PKCS1_4096_SHA256", "rsa4096", {}),
    ("RSA_SIGN_PKCS1_4096_SHA512", "rsa4096", dict(digest="sha512")),
    ("ECDSA_P384_SHA384", "p384", {}),
    ("ECDSA_P521_SHA512", "p521", {}),
    ("ML_DSA_65", "mldsa65", {}),
]


def algorithm_cases():
    g = "algorithms"
    wa = WEB + "@" + DIG_A
    p = require(QA)
    kid = QA_KEY_ID

    def attestor_for(key, algorithm):
        return v.pkix_attestor(QA, QA_NOTE, [(key, algorithm, kid)])

    def occ_with(payload, sig, key_id=kid, name="qa-1"):
        return v.occurrence(P + "/occurrences/" + name, QA_NOTE, wa, payload, [(key_id, sig)])

    def deny(details):
        return exp(
            "DENY",
            imgs=[img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", QA, details=details)])],
        )

    for algorithm, key, opts in ALGORITHMS:
        slug = algorithm.lower().replace("_", "-")
        a = [attestor_for(key, algorithm)]
        good = v.sign(key, PAYLOAD_A, **opts)
        by = "Python cryptography" if key.startswith("mldsa") else "openssl"
        vec(
            g,
            slug + "-allow",
            f"{algorithm}: a signature by {by} over the gcloud payload",
            p,
            images(wa),
            exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", kid)])]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, good)],
        )
        vec(
            g,
            slug + "-pae",
            f"{algorithm}: a signature over the PAE form",
            p,
            images(wa),
            exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "PAE", kid)])]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, v.sign(key, v.pae(PAYLOAD_A), **opts))],
        )
        vec(
            g,
            slug + "-other-bytes",
            f"{algorithm}: a signature over other bytes",
            p,
            images(wa),
            deny(["BAD_SIGNATURE"]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, v.sign(key, PAYLOAD_B, **opts))],
        )
        vec(
            g,
            slug + "-digest-mismatch",
            f"{algorithm}: a valid signature over a payload for another digest",
            p,
            images(wa),
            deny(["DIGEST_MISMATCH"]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_C, v.sign(key, PAYLOAD_C, **opts))],
        )
        vec(
            g,
            slug + "-unknown-key-id",
            f"{algorithm}: a valid signature under an id the attestor does not list",
            p,
            images(wa),
            deny(["UNKNOWN_KEY_ID"]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, good, key_id="projects/x/keys/other")],
        )
        vec(
            g,
            slug + "-truncated",
            f"{algorithm}: the signature without its last byte",
            p,
            images(wa),
            deny(["BAD_SIGNATURE"]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, good[:-1])],
        )
        vec(
            g,
            slug + "-padded",
            f"{algorithm}: the signature with a trailing zero byte",
            p,
            images(wa),
            deny(["BAD_SIGNATURE"]),
            attestors=a,
            attestations=[occ_with(PAYLOAD_A, good + b"\x00")],
        )

    pss_a = [attestor_for("rsa2048", "RSA_PSS_2048_SHA256")]
    for salt, label in [(20, "salt-20"), (0, "salt-0"), ("max", "salt-max")]:
        opts = ("rsa_padding_mode:pss", "rsa_pss_saltlen:%s" % salt, "rsa_mgf1_md:sha256")
        vec(
            g,
            "rsa-pss-2048-sha256-wrong-" + label,
            f"A-5: PSS salt length must equal the hash length (32), not {salt}",
            p,
            images(wa),
            deny(["BAD_SIGNATURE"]),
            attestors=pss_a,
            attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=opts))],
        )
    mgf_sha1 = ("rsa_padding_mode:pss", "rsa_pss_saltlen:32", "rsa_mgf1_md:sha1")
    vec(
        g,
        "081-rsa-pss-2048-sha256-mgf1-sha1",
        "A-5: MGF1 must use the same hash as the signature",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=pss_a,
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=mgf_sha1))],
    )
    vec(
        g,
        "082-pkcs1-signature-for-pss-key",
        "a PKCS#1 v1.5 signature presented for a PSS key",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=pss_a,
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A))],
    )
    vec(
        g,
        "083-pss-signature-for-pkcs1-key",
        "a PSS signature presented for a PKCS#1 v1.5 key",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("rsa2048", "RSA_SIGN_PKCS1_2048_SHA256")],
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa2048", PAYLOAD_A, sigopts=v.pss()))],
    )
    vec(
        g,
        "084-pkcs1-sha256-for-sha512-key",
        "a SHA-256 PKCS#1 signature presented for RSA_SIGN_PKCS1_4096_SHA512",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("rsa4096", "RSA_SIGN_PKCS1_4096_SHA512")],
        attestations=[occ_with(PAYLOAD_A, v.sign("rsa4096", PAYLOAD_A))],
    )
    vec(
        g,
        "085-p384-p1363-rejected",
        "A-4: raw r||s is rejected for P-384 too",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("p384", "ECDSA_P384_SHA384")],
        attestations=[occ_with(PAYLOAD_A, p1363_n(v.sign("p384", PAYLOAD_A), 48))],
    )
    vec(
        g,
        "086-p384-sha256-digest-rejected",
        "a P-384 signature over SHA-256 (not SHA-384)",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("p384", "ECDSA_P384_SHA384")],
        attestations=[occ_with(PAYLOAD_A, v.sign("p384", PAYLOAD_A, digest="sha256"))],
    )
    from cryptography.hazmat.primitives import serialization

    with open(v.key_path("mldsa65.key"), "rb") as f:
        mldsa_key = serialization.load_pem_private_key(f.read(), None)
    with_context = v._load_cache().setdefault(
        "mldsa65-context:" + __import__("hashlib").sha256(PAYLOAD_A).hexdigest(),
        v.b64(mldsa_key.sign(PAYLOAD_A, b"binauthz")),
    )
    vec(
        g,
        "087-ml-dsa-65-context-rejected",
        "FIPS 204 pure mode with an empty context: a signature with a context does not verify",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[attestor_for("mldsa65", "ML_DSA_65")],
        attestations=[occ_with(PAYLOAD_A, with_context)],
    )
    mixed = v.pkix_attestor(
        QA,
        QA_NOTE,
        [
            ("rsa4096", "RSA_PSS_4096_SHA512", "k-rsa"),
            ("p521", "EC_SIGN_P521_SHA512", "k-p521"),
            ("mldsa65", "ML_DSA_65", "k-mldsa"),
        ],
    )
    vec(
        g,
        "088-any-key-of-the-attestor",
        "an attestor with RSA, P-521 and ML-DSA keys: any one verifying suffices",
        p,
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", "k-mldsa")])]),
        attestors=[mixed],
        attestations=[
            v.occurrence(
                P + "/occurrences/m",
                QA_NOTE,
                wa,
                PAYLOAD_A,
                [
                    (
                        "k-rsa",
                        v.sign("rsa4096", PAYLOAD_B, digest="sha512", sigopts=v.pss("sha512")),
                    ),
                    ("k-p521", v.sign("p521", PAYLOAD_B)),
                    ("k-mldsa", v.sign("mldsa65", PAYLOAD_A)),
                ],
            )
        ],
    )

    # Keys that do not fit their algorithm are configuration errors.
    ga = "attestor_load"
    kp = "/attestors/0/userOwnedGrafeasNote/publicKeys/0/pkixPublicKey"
    for key, algorithm, why_ in [
        ("rsa2048", "RSA_PSS_3072_SHA256", "a 2048-bit modulus declared 3072"),
        ("rsa4096", "RSA_SIGN_PKCS1_2048_SHA256", "a 4096-bit modulus declared 2048"),
        ("rsa3072", "RSA_PSS_4096_SHA512", "a 3072-bit modulus declared 4096"),
        ("p521", "ECDSA_P384_SHA384", "a P-521 key declared P-384"),
        ("mldsa65", "ED25519", "an ML-DSA-65 key declared ED25519"),
        ("p384", "ML_DSA_65", "a P-384 key declared ML-DSA-65"),
    ]:
        vec(
            ga,
            "mismatch-" + key + "-as-" + algorithm.lower().replace("_", "-"),
            "A-5 / §2.3: " + why_,
            p,
            images(wa),
            error=err("ATTESTOR_ALGORITHM_MISMATCH", kp + "/signatureAlgorithm"),
            attestors=[attestor_for(key, algorithm)],
        )
    vec(
        ga,
        "032-rsa-exponent-3-refused",
        "A-5: only exponent 65537",
        p,
        images(wa),
        error=err("ATTESTOR_INVALID_KEY", kp + "/publicKeyPem"),
        attestors=[attestor_for("rsa2048-e3", "RSA_PSS_2048_SHA256")],
    )

    # Issue 12, item 5: two attestors hold the same RSA key under different algorithms. A check
    # made for one must never be reused for the other (the verification cache and a decision's
    # memo of checks are keyed on the algorithm too), whichever attestor comes first.
    qa_pkcs1 = P + "/attestors/qa-pkcs1"
    pss_attestor = attestor_for("rsa2048", "RSA_PSS_2048_SHA256")
    pkcs1_attestor = v.pkix_attestor(
        qa_pkcs1, QA_NOTE, [("rsa2048", "RSA_SIGN_PKCS1_2048_SHA256", kid)]
    )
    pss_sig = v.sign("rsa2048", PAYLOAD_A, sigopts=v.pss())
    pkcs1_sig = v.sign("rsa2048", PAYLOAD_A)
    for name, order, sig, good, bad in [
        ("089-same-rsa-key-pss-signature-pss-first", (QA, qa_pkcs1), pss_sig, QA, qa_pkcs1),
        ("090-same-rsa-key-pss-signature-pkcs1-first", (qa_pkcs1, QA), pss_sig, QA, qa_pkcs1),
        ("091-same-rsa-key-pkcs1-signature-pss-first", (QA, qa_pkcs1), pkcs1_sig, qa_pkcs1, QA),
    ]:
        results = [att(a, True, "RAW", kid) if a == good else att(a, False) for a in order]
        vec(
            g,
            name,
            "one RSA key held by an RSA_PSS_2048_SHA256 attestor and an RSA_SIGN_PKCS1_2048_SHA256"
            " attestor: the "
            + ("PSS" if sig is pss_sig else "PKCS#1 v1.5")
            + " signature satisfies only the attestor of its own scheme",
            require(*order),
            images(wa),
            exp(
                "DENY",
                imgs=[
                    img(
                        wa,
                        "VIOLATION",
                        reasons=[why("NO_VALID_ATTESTATION", bad, details=["BAD_SIGNATURE"])],
                        attestors=results,
                    )
                ],
            ),
            attestors=[pss_attestor, pkcs1_attestor],
            attestations=[occ_with(PAYLOAD_A, sig)],
        )


def p1363_n(signature, size):
    r, s_ = v._parse_der_sig(signature)
    return r.to_bytes(size, "big") + s_.to_bytes(size, "big")


def cases():
    algorithm_cases()


# The stable names of the algorithms cases built in loops above (their file names).
stable_names(
    "algorithms",
    [
        "001-rsa-pss-2048-sha256-allow",
        "002-rsa-pss-2048-sha256-pae",
        "003-rsa-pss-2048-sha256-other-bytes",
        "004-rsa-pss-2048-sha256-digest-mismatch",
        "005-rsa-pss-2048-sha256-unknown-key-id",
        "006-rsa-pss-2048-sha256-truncated",
        "007-rsa-pss-2048-sha256-padded",
        "008-rsa-pss-3072-sha256-allow",
        "009-rsa-pss-3072-sha256-pae",
        "010-rsa-pss-3072-sha256-other-bytes",
        "011-rsa-pss-3072-sha256-digest-mismatch",
        "012-rsa-pss-3072-sha256-unknown-key-id",
        "013-rsa-pss-3072-sha256-truncated",
        "014-rsa-pss-3072-sha256-padded",
        "015-rsa-pss-4096-sha256-allow",
        "016-rsa-pss-4096-sha256-pae",
        "017-rsa-pss-4096-sha256-other-bytes",
        "018-rsa-pss-4096-sha256-digest-mismatch",
        "019-rsa-pss-4096-sha256-unknown-key-id",
        "020-rsa-pss-4096-sha256-truncated",
        "021-rsa-pss-4096-sha256-padded",
        "022-rsa-pss-4096-sha512-allow",
        "023-rsa-pss-4096-sha512-pae",
        "024-rsa-pss-4096-sha512-other-bytes",
        "025-rsa-pss-4096-sha512-digest-mismatch",
        "026-rsa-pss-4096-sha512-unknown-key-id",
        "027-rsa-pss-4096-sha512-truncated",
        "028-rsa-pss-4096-sha512-padded",
        "029-rsa-sign-pkcs1-2048-sha256-allow",
        "030-rsa-sign-pkcs1-2048-sha256-pae",
        "031-rsa-sign-pkcs1-2048-sha256-other-bytes",
        "032-rsa-sign-pkcs1-2048-sha256-digest-mismatch",
        "033-rsa-sign-pkcs1-2048-sha256-unknown-key-id",
        "034-rsa-sign-pkcs1-2048-sha256-truncated",
        "035-rsa-sign-pkcs1-2048-sha256-padded",
        "036-rsa-sign-pkcs1-3072-sha256-allow",
        "037-rsa-sign-pkcs1-3072-sha256-pae",
        "038-rsa-sign-pkcs1-3072-sha256-other-bytes",
        "039-rsa-sign-pkcs1-3072-sha256-digest-mismatch",
        "040-rsa-sign-pkcs1-3072-sha256-unknown-key-id",
        "041-rsa-sign-pkcs1-3072-sha256-truncated",
        "042-rsa-sign-pkcs1-3072-sha256-padded",
        "043-rsa-sign-pkcs1-4096-sha256-allow",
        "044-rsa-sign-pkcs1-4096-sha256-pae",
        "045-rsa-sign-pkcs1-4096-sha256-other-bytes",
        "046-rsa-sign-pkcs1-4096-sha256-digest-mismatch",
        "047-rsa-sign-pkcs1-4096-sha256-unknown-key-id",
        "048-rsa-sign-pkcs1-4096-sha256-truncated",
        "049-rsa-sign-pkcs1-4096-sha256-padded",
        "050-rsa-sign-pkcs1-4096-sha512-allow",
        "051-rsa-sign-pkcs1-4096-sha512-pae",
        "052-rsa-sign-pkcs1-4096-sha512-other-bytes",
        "053-rsa-sign-pkcs1-4096-sha512-digest-mismatch",
        "054-rsa-sign-pkcs1-4096-sha512-unknown-key-id",
        "055-rsa-sign-pkcs1-4096-sha512-truncated",
        "056-rsa-sign-pkcs1-4096-sha512-padded",
        "057-ecdsa-p384-sha384-allow",
        "058-ecdsa-p384-sha384-pae",
        "059-ecdsa-p384-sha384-other-bytes",
        "060-ecdsa-p384-sha384-digest-mismatch",
        "061-ecdsa-p384-sha384-unknown-key-id",
        "062-ecdsa-p384-sha384-truncated",
        "063-ecdsa-p384-sha384-padded",
        "064-ecdsa-p521-sha512-allow",
        "065-ecdsa-p521-sha512-pae",
        "066-ecdsa-p521-sha512-other-bytes",
        "067-ecdsa-p521-sha512-digest-mismatch",
        "068-ecdsa-p521-sha512-unknown-key-id",
        "069-ecdsa-p521-sha512-truncated",
        "070-ecdsa-p521-sha512-padded",
        "071-ml-dsa-65-allow",
        "072-ml-dsa-65-pae",
        "073-ml-dsa-65-other-bytes",
        "074-ml-dsa-65-digest-mismatch",
        "075-ml-dsa-65-unknown-key-id",
        "076-ml-dsa-65-truncated",
        "077-ml-dsa-65-padded",
        "078-rsa-pss-2048-sha256-wrong-salt-20",
        "079-rsa-pss-2048-sha256-wrong-salt-0",
        "080-rsa-pss-2048-sha256-wrong-salt-max",
    ],
)


# The stable names of the attestor_load cases built in loops above (their file names).
stable_names(
    "attestor_load",
    [
        "026-mismatch-rsa2048-as-rsa-pss-3072-sha256",
        "027-mismatch-rsa4096-as-rsa-sign-pkcs1-2048-sha256",
        "028-mismatch-rsa3072-as-rsa-pss-4096-sha512",
        "029-mismatch-p521-as-ecdsa-p384-sha384",
        "030-mismatch-mldsa65-as-ed25519",
        "031-mismatch-p384-as-ml-dsa-65",
    ],
)
