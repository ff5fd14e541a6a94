"""The budget group: the verification budget."""

from .builders import *  # noqa: F401,F403


def budget_cases():
    """Issue 12, item 4: the verification budget (docs/limits.md): 512 units per attestor and
    image, 8,192 per decision; an Ed25519 check costs 1 unit, a P-521 one 100. Wrong signatures
    are valid ones with two low bytes of S (Ed25519) or s (ECDSA DER) changed: well-formed,
    distinct, and only a full verification tells they are wrong."""
    g = "budget"
    wa, wb = WEB + "@" + DIG_A, WEB + "@" + DIG_B
    p = require(SCAN)
    good_a = v.sign("scan-ed25519", PAYLOAD_A)
    good_b = v.sign("scan-ed25519", PAYLOAD_B)

    def wrong(good, k, at=32):
        return (
            good[:at]
            + bytes([(good[at] + k) % 256, (good[at + 1] + (k >> 8)) % 256])
            + good[at + 2 :]
        )

    def occs(prefix, image, payload, sigs, key_id=SCAN_KEY_ID, note=SCAN_NOTE):
        return [
            v.occurrence(
                P + "/occurrences/" + prefix + str(i),
                note,
                image,
                payload,
                [(key_id, sig) for sig in sigs[i * 64 : (i + 1) * 64]],
            )
            for i in range((len(sigs) + 63) // 64)
        ]

    def valid(name, image, payload, sig, key_id=SCAN_KEY_ID, note=SCAN_NOTE):
        return v.occurrence(P + "/occurrences/" + name, note, image, payload, [(key_id, sig)])

    allow_a = exp(
        "ALLOW",
        imgs=[
            img(
                wa,
                "CONFORMANT",
                attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid")],
            )
        ],
    )
    junk = [wrong(good_a, k) for k in range(1, 601)]
    details = [("BAD_SIGNATURE", P + "/occurrences/junk-%d" % (i // 64)) for i in range(512)]
    details.append(("NOT_TRIED_BUDGET", P + "/occurrences/scan-valid"))
    vec(
        g,
        "001-wrong-signatures-spend-the-attestor-budget",
        "512 distinct well-formed wrong Ed25519 signatures before the valid one spend the budget of"
        " 512 units per attestor and image: the valid occurrence is not tried (NOT_TRIED_BUDGET)"
        " and does not count",
        p,
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", SCAN, details=details)])
            ],
        ),
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk[:512])
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    vec(
        g,
        "002-wrong-signatures-within-the-budget",
        "511 wrong signatures before the valid one stay within the budget",
        p,
        images(wa),
        allow_a,
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk[:511])
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    vec(
        g,
        "003-repeated-wrong-signature-costs-once",
        "the same wrong signature 600 times is verified once per decision",
        p,
        images(wa),
        allow_a,
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, [junk[0]] * 600)
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    vec(
        g,
        "004-unknown-key-ids-cost-nothing",
        "600 signatures under a key id the attestor does not list cost no verification",
        p,
        images(wa),
        allow_a,
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk, key_id="projects/x/keys/other")
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    vec(
        g,
        "005-implausible-signatures-cost-nothing",
        "600 signatures of a length Ed25519 never produces cost no verification",
        p,
        images(wa),
        allow_a,
        attestors=[scan_attestor()],
        attestations=occs(
            "junk-", wa, PAYLOAD_A, [j[:63] for j in junk[:300]] + [j + b"\x00" for j in junk[300:]]
        )
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    vec(
        g,
        "006-other-digest-costs-nothing",
        "600 wrong signatures over a payload for another digest cost no verification",
        p,
        images(wa),
        allow_a,
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_B, junk)
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)],
    )
    junk_b = [wrong(good_b, k) for k in range(1, 401)]
    vec(
        g,
        "007-budget-is-per-attestor-and-image",
        "400 wrong signatures before the valid one for each of two images: each image has "
        "its own budget",
        p,
        images(wa, wb),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid")],
                ),
                img(
                    wb,
                    "CONFORMANT",
                    attestors=[
                        att(SCAN, True, "RAW", SCAN_KEY_ID, P + "/occurrences/scan-valid-b")
                    ],
                ),
            ],
        ),
        attestors=[scan_attestor()],
        attestations=occs("junk-", wa, PAYLOAD_A, junk[:400])
        + [valid("scan-valid", wa, PAYLOAD_A, good_a)]
        + occs("junk-b-", wb, PAYLOAD_B, junk_b)
        + [valid("scan-valid-b", wb, PAYLOAD_B, good_b)],
    )
    # A P-521 check costs 100 units: after 5 wrong signatures (500 units) the valid one would
    # exceed 512.
    p521 = v.pkix_attestor(QA, QA_NOTE, [("p521", "ECDSA_P521_SHA512", QA_KEY_ID)])
    good = v.sign("p521", PAYLOAD_A)
    junk521 = [wrong(good, k, len(good) - 2) for k in range(1, 6)]
    vec(
        g,
        "008-p521-checks-cost-100-units",
        "after 5 wrong P-521 signatures (100 units each) the valid one would exceed the budget "
        "of 512 units: it is not tried",
        require(QA),
        images(wa),
        exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[
                        why(
                            "NO_VALID_ATTESTATION",
                            QA,
                            details=[("BAD_SIGNATURE", P + "/occurrences/junk-0")] * 5
                            + [("NOT_TRIED_BUDGET", P + "/occurrences/qa-valid")],
                        )
                    ],
                )
            ],
        ),
        attestors=[p521],
        attestations=occs("junk-", wa, PAYLOAD_A, junk521, key_id=QA_KEY_ID, note=QA_NOTE)
        + [valid("qa-valid", wa, PAYLOAD_A, good, key_id=QA_KEY_ID, note=QA_NOTE)],
    )
    vec(
        g,
        "009-p521-within-the-budget",
        "4 wrong P-521 signatures (400 units) leave room for the valid one",
        require(QA),
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(QA, True, "RAW", QA_KEY_ID, P + "/occurrences/qa-valid")],
                )
            ],
        ),
        attestors=[p521],
        attestations=occs("junk-", wa, PAYLOAD_A, junk521[:4], key_id=QA_KEY_ID, note=QA_NOTE)
        + [valid("qa-valid", wa, PAYLOAD_A, good, key_id=QA_KEY_ID, note=QA_NOTE)],
    )


def cases():
    budget_cases()
