"""The pgp group: OpenPGP attestors and signatures (and their attestor_load errors)."""

from .builders import *  # noqa: F401,F403


def pgp_cases():
    g = "pgp"

    def vec(group, *args, **kwargs):
        # OpenPGP keys and signatures are judged at `now` (semantics §2.4): the pgp group is
        # evaluated at PGP_NOW, after every test key's creation and every signature.
        if group == g:
            kwargs.setdefault("now", PGP_NOW)
        return globals()["vec"](group, *args, **kwargs)

    wa = WEB + "@" + DIG_A
    fpr = {
        u: v.gpg_fingerprint(u)
        for u in ("rsa", "ed", "other", "revoked", "subrev", "expired", "subexp", "certonly")
    }

    def pgp_attestor(user, text=None, **extra):
        key = {
            "id": "ignored-for-pgp",
            "asciiArmoredPgpPublicKey": text or open(v.key_path("pgp-%s.pub.asc" % user)).read(),
        }
        key.update(extra)
        return {
            "name": LEGACY,
            "userOwnedGrafeasNote": {"noteReference": LEGACY_NOTE, "publicKeys": [key]},
        }

    def legacy(signature, key_id, name="pgp-1"):
        return {
            "name": P + "/occurrences/" + name,
            "resourceUri": wa,
            "noteName": LEGACY_NOTE,
            "kind": "ATTESTATION",
            "attestation": {
                "attestation": {
                    "pgpSignedAttestation": {
                        "signature": signature.decode(),
                        "contentType": "SIMPLE_SIGNING_JSON",
                        "pgpKeyId": key_id,
                    }
                }
            },
        }

    def v1(payload, signature, key_id, name="pgp-1"):
        occ = v.occurrence(
            P + "/occurrences/" + name, LEGACY_NOTE, wa, payload, [(key_id, signature)]
        )
        if payload == b"":
            del occ["attestation"]["serializedPayload"]
        return occ

    p = require(LEGACY)

    def deny(details):
        return exp(
            "DENY",
            imgs=[
                img(wa, "VIOLATION", reasons=[why("NO_VALID_ATTESTATION", LEGACY, details=details)])
            ],
        )

    ok = lambda k: exp(
        "ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(LEGACY, True, "RAW", k)])]
    )
    attached = v.gpg_sign("rsa", PAYLOAD_A)
    vec(
        g,
        "001-legacy-attached-armored-rsa",
        "v1beta1 pgpSignedAttestation from `gpg --armor --sign` (RSA key); the id is the"
        " fingerprint",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[legacy(attached, fpr["rsa"])],
    )
    vec(
        g,
        "002-legacy-attached-armored-ed25519",
        "the same with a gpg Ed25519 key",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])],
    )
    vec(
        g,
        "003-v1-attached-without-payload",
        "A-8: a v1 occurrence whose attached signature carries the payload",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[v1(b"", attached, fpr["rsa"])],
    )
    vec(
        g,
        "004-v1-attached-equal-payload",
        "A-8: attached signature and serializedPayload agree",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[v1(PAYLOAD_A, attached, fpr["rsa"])],
    )
    compact = json.dumps(
        {
            "critical": {
                "identity": {"docker-reference": WEB},
                "image": {"docker-manifest-digest": DIG_A},
                "type": "t",
            }
        }
    ).encode()
    vec(
        g,
        "005-v1-attached-other-payload",
        "A-8: the signed literal data must equal serializedPayload",
        p,
        images(wa),
        deny(["MALFORMED_ATTESTATION"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[v1(compact, attached, fpr["rsa"])],
    )
    vec(
        g,
        "006-v1-detached-armored",
        "A-8: `gpg --armor --detach-sign` over serializedPayload",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[v1(PAYLOAD_A, v.gpg_sign("ed", PAYLOAD_A, detached=True), fpr["ed"])],
    )
    vec(
        g,
        "007-v1-detached-binary",
        "a binary detached signature",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[
            v1(PAYLOAD_A, v.gpg_sign("rsa", PAYLOAD_A, detached=True, armor=False), fpr["rsa"])
        ],
    )
    vec(
        g,
        "008-v1-attached-binary",
        "a binary signed message",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[v1(b"", v.gpg_sign("ed", PAYLOAD_A, armor=False), fpr["ed"])],
    )
    vec(
        g,
        "009-detached-without-payload",
        "a detached signature needs serializedPayload",
        p,
        images(wa),
        deny(["MALFORMED_ATTESTATION"]),
        attestors=[pgp_attestor("ed")],
        attestations=[v1(b"", v.gpg_sign("ed", PAYLOAD_A, detached=True), fpr["ed"])],
    )
    vec(
        g,
        "010-signed-by-another-key",
        "key binding: another key's signature under the attestor's fingerprint",
        p,
        images(wa),
        deny(["BAD_SIGNATURE"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("other", PAYLOAD_A), fpr["ed"])],
    )
    vec(
        g,
        "011-unknown-fingerprint",
        "the occurrence names a key the attestor does not have",
        p,
        images(wa),
        deny(["UNKNOWN_KEY_ID"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("other", PAYLOAD_A), fpr["other"])],
    )
    vec(
        g,
        "012-supplied-id-is-ignored",
        "§2.2: a PGP key's id is its fingerprint, whatever id was supplied",
        p,
        images(wa),
        deny(["UNKNOWN_KEY_ID"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), "ignored-for-pgp")],
    )
    vec(
        g,
        "013-attached-payload-other-digest",
        "the payload inside the signature is bound like any other",
        p,
        images(wa),
        deny(["DIGEST_MISMATCH"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[legacy(v.gpg_sign("rsa", PAYLOAD_C), fpr["rsa"])],
    )
    vec(
        g,
        "014-attached-not-json",
        "a signed message that is not a simple-signing payload",
        p,
        images(wa),
        deny(["MALFORMED_PAYLOAD"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[legacy(v.gpg_sign("rsa", b"hello\n"), fpr["rsa"])],
    )
    vec(
        g,
        "015-garbage-signature",
        "an armored block that is not an OpenPGP message",
        p,
        images(wa),
        deny(["MALFORMED_ATTESTATION"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[
            legacy(
                b"-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n=AAAA\n-----END PGP"
                b" MESSAGE-----\n",
                fpr["rsa"],
            )
        ],
    )
    crlf = open(v.key_path("pgp-ed.pub.asc")).read().replace("\n", "\r\n")
    vec(
        g,
        "016-crlf-armored-key",
        "§2.2: armored keys with CRLF line ends",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text=crlf)],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])],
    )
    kritis = v.b64(open(v.key_path("pgp-ed.pub.asc"), "rb").read())
    vec(
        g,
        "017-kritis-base64-key-and-key-type",
        "Kritis' AttestationAuthority form: base64 of the armored key, keyType PGP, keyId",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text=kritis, keyType="PGP")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])],
    )
    vec(
        g,
        "018-strict-identity",
        "strict identity applies to payloads inside signatures",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[legacy(attached, fpr["rsa"])],
        options={"strictIdentity": True},
    )
    ga = "attestor_load"
    vec(
        ga,
        "033-pgp-key-type-mismatch",
        "keyType must match the key material",
        p,
        images(wa),
        error=err(
            "ATTESTOR_INVALID_VALUE", "/attestors/0/userOwnedGrafeasNote/publicKeys/0/keyType"
        ),
        attestors=[pgp_attestor("ed", keyType="PKIX")],
    )
    two = open(v.key_path("pgp-two.pub.asc")).read()
    vec(
        ga,
        "034-pgp-two-keys-in-one-block",
        "§2.4: exactly one key per armored block (`gpg --export` of two keys)",
        p,
        images(wa),
        error=err(
            "ATTESTOR_INVALID_KEY",
            "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey",
        ),
        attestors=[pgp_attestor("ed", text=two)],
    )
    concatenated = (
        open(v.key_path("pgp-ed.pub.asc")).read() + open(v.key_path("pgp-rsa.pub.asc")).read()
    )
    vec(
        ga,
        "035-pgp-two-armored-blocks",
        "§2.4: one armored block, not two concatenated",
        p,
        images(wa),
        error=err(
            "ATTESTOR_INVALID_KEY",
            "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey",
        ),
        attestors=[pgp_attestor("ed", text=concatenated)],
    )
    vec(
        ga,
        "036-pgp-garbage-key",
        "a PGP key that does not parse",
        p,
        images(wa),
        error=err(
            "ATTESTOR_INVALID_KEY",
            "/attestors/0/userOwnedGrafeasNote/publicKeys/0/asciiArmoredPgpPublicKey",
        ),
        attestors=[
            pgp_attestor(
                "ed",
                text=(
                    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGSomething\n-----END PGP PUBLIC"
                    " KEY BLOCK-----\n"
                ),
            )
        ],
    )

    # Issue 12: keys and signatures judged as RFC 9580 and GnuPG judge them, at `now`.
    def key_deny(user, code, description, name, signature=None, **extra):
        vec(
            g,
            name,
            description,
            p,
            images(wa),
            deny([code]),
            attestors=[pgp_attestor(user)],
            attestations=[legacy(signature or v.gpg_sign(user, PAYLOAD_A), fpr[user])],
            **extra
        )

    key_deny(
        "revoked",
        "PGP_KEY_REVOKED",
        "a revoked primary key (revocation with no reason) signs nothing",
        "019-revoked-primary-key",
    )
    key_deny(
        "subrev",
        "PGP_KEY_REVOKED",
        "a signature by a revoked signing subkey does not count",
        "020-revoked-subkey",
    )
    expired_sig = v.gpg_sign("expired", PAYLOAD_A, at="20261121T000000!")
    key_deny(
        "expired",
        "PGP_KEY_EXPIRED",
        "the key expired (2026-11-22) before now",
        "021-expired-key",
        signature=expired_sig,
    )
    vec(
        g,
        "022-expired-key-before-expiry",
        "the same key and signature judged before the key expired",
        p,
        images(wa),
        ok(fpr["expired"]),
        attestors=[pgp_attestor("expired")],
        attestations=[legacy(expired_sig, fpr["expired"])],
        now="2026-11-21T12:00:00Z",
    )
    subexp_sig = v.gpg_sign("subexp", PAYLOAD_A, at="20261121T000000!")
    key_deny(
        "subexp",
        "PGP_KEY_EXPIRED",
        "the signing subkey expired (2026-11-22) before now",
        "023-expired-subkey",
        signature=subexp_sig,
    )
    vec(
        g,
        "024-expired-subkey-before-expiry",
        "the same subkey signature judged before the subkey expired",
        p,
        images(wa),
        ok(fpr["subexp"]),
        attestors=[pgp_attestor("subexp")],
        attestations=[legacy(subexp_sig, fpr["subexp"])],
        now="2026-11-21T12:00:00Z",
    )
    vec(
        g,
        "025-certify-only-key",
        "a primary key whose key flags lack the signing flag (GnuPG: wrong key usage)",
        p,
        images(wa),
        deny(["PGP_KEY_NOT_FOR_SIGNING"]),
        attestors=[pgp_attestor("certonly")],
        attestations=[
            v1(PAYLOAD_A, v.pgp_sign("certonly", PAYLOAD_A, 1795478400), fpr["certonly"])
        ],
    )
    sig_expires = v.gpg_sign("ed", PAYLOAD_A, extra=("--default-sig-expire", "1d"))
    key_deny(
        "ed",
        "PGP_SIGNATURE_EXPIRED",
        "the signature expired (made 2026-11-24, valid 1 day) before now",
        "026-signature-expired",
        signature=sig_expires,
    )
    vec(
        g,
        "027-signature-not-yet-expired",
        "the same signature judged within its validity",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(sig_expires, fpr["ed"])],
        now="2026-11-24T12:00:00Z",
    )
    key_deny(
        "ed",
        "PGP_SIGNATURE_IN_FUTURE",
        "a signature dated 2026-12-10, after now (beyond the 300 s skew)",
        "028-signature-in-future",
        signature=v.gpg_sign("ed", PAYLOAD_A, at="20261210T000000!"),
    )
    vec(
        g,
        "029-signature-within-clock-skew",
        "a signature dated 240 s after now counts (skew 300 s)",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A, at="20261201T000400!"), fpr["ed"])],
    )
    ed_created = v.pgp_secret_keys("ed")[0]["created"]
    vec(
        g,
        "030-signature-before-key",
        "a signature dated a day before its key was created",
        p,
        images(wa),
        deny(["PGP_SIGNATURE_BEFORE_KEY"]),
        attestors=[pgp_attestor("ed")],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, ed_created - 86400), fpr["ed"])],
    )
    key_deny(
        "ed",
        "PGP_UNKNOWN_CRITICAL_SUBPACKET",
        "a critical notation vouch does not know (`gpg --sig-notation !name=value`)",
        "031-critical-notation",
        signature=v.gpg_sign(
            "ed", PAYLOAD_A, extra=("--sig-notation", "!review@vouch.invalid=yes")
        ),
    )
    vec(
        g,
        "032-non-critical-notation",
        "a non-critical notation is ignored",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[
            legacy(
                v.gpg_sign("ed", PAYLOAD_A, extra=("--sig-notation", "review@vouch.invalid=yes")),
                fpr["ed"],
            )
        ],
    )
    vec(
        g,
        "033-critical-unknown-subpacket",
        "a hashed critical subpacket of an unassigned type (40)",
        p,
        images(wa),
        deny(["PGP_UNKNOWN_CRITICAL_SUBPACKET"]),
        attestors=[pgp_attestor("ed")],
        attestations=[
            v1(
                PAYLOAD_A,
                v.pgp_sign("ed", PAYLOAD_A, 1795478400, extra=[(40, b"x", True)]),
                fpr["ed"],
            )
        ],
    )
    vec(
        g,
        "034-non-critical-unknown-subpacket",
        "the same subpacket, not critical, is ignored",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[
            v1(
                PAYLOAD_A,
                v.pgp_sign("ed", PAYLOAD_A, 1795478400, extra=[(40, b"x", False)]),
                fpr["ed"],
            )
        ],
    )
    for order in (["ed", "other"], ["other", "ed"]):
        vec(
            g,
            "two-signers-%s-first" % order[0],
            "`gpg -u %s -u %s --sign`: any signature by the attestor's key counts" % tuple(order),
            p,
            images(wa),
            ok(fpr["ed"]),
            attestors=[pgp_attestor("ed")],
            attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A, signers=order), fpr["ed"])],
        )
        vec(
            g,
            "two-detached-signatures-%s-first" % order[0],
            "two detached signatures in one block, either order",
            p,
            images(wa),
            ok(fpr["ed"]),
            attestors=[pgp_attestor("ed")],
            attestations=[
                v1(PAYLOAD_A, v.gpg_sign("ed", PAYLOAD_A, detached=True, signers=order), fpr["ed"])
            ],
        )
    kritis_label = v.pgp_armor(v.gpg_sign("ed", PAYLOAD_A, armor=False), label="PGP SIGNATURE")
    vec(
        g,
        "039-attached-message-labelled-signature",
        "Kritis' signer armors an attached message as `PGP SIGNATURE`: packets decide",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(kritis_label, fpr["ed"])],
    )
    armored = open(v.key_path("pgp-ed.pub.asc")).read().strip().splitlines()
    body = [line for line in armored if not line.startswith("-----") and line.strip()]
    vec(
        g,
        "040-key-without-armor-lines",
        "the armor's body without BEGIN/END lines, as Terraform's documentation shows it",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text="\n".join(body) + "\n")],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])],
    )
    vec(
        g,
        "041-key-without-armor-lines-or-checksum",
        "the same without the `=CRC` line",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[
            pgp_attestor("ed", text="\n".join(line for line in body if not line.startswith("=")))
        ],
        attestations=[legacy(v.gpg_sign("ed", PAYLOAD_A), fpr["ed"])],
    )
    vec(
        g,
        "042-v3-signature-rsa",
        "a version 3 signature packet (GnuPG accepts them)",
        p,
        images(wa),
        ok(fpr["rsa"]),
        attestors=[pgp_attestor("rsa")],
        attestations=[
            v1(PAYLOAD_A, v.pgp_sign("rsa", PAYLOAD_A, 1795478400, version=3), fpr["rsa"])
        ],
    )
    literal = v.pgp_packet(11, b"b\x00\x00\x00\x00\x00" + b"\x00" * (2 * 1024 * 1024))
    bomb = v.pgp_armor(v.pgp_packet(8, b"\x02" + zlib.compress(literal, 9)), label="PGP MESSAGE")
    vec(
        g,
        "043-decompression-bomb",
        "compressed data inflating past the 1 MiB limit is refused before any signature check",
        p,
        images(wa),
        deny(["PGP_DECOMPRESSED_TOO_LARGE"]),
        attestors=[pgp_attestor("ed")],
        attestations=[legacy(bomb, fpr["ed"])],
    )
    vec(
        g,
        "044-key-without-key-flags",
        "a self-signature without key flags: the usage is the algorithm's (GnuPG), and EdDSA signs",
        p,
        images(wa),
        ok(fpr["ed"]),
        attestors=[pgp_attestor("ed", text=v.pgp_key_without_flags("ed"))],
        attestations=[v1(PAYLOAD_A, v.pgp_sign("ed", PAYLOAD_A, 1795478400), fpr["ed"])],
    )


def cases():
    pgp_cases()


# The stable names of the pgp cases built in loops above (their file names).
stable_names(
    "pgp",
    [
        "035-two-signers-ed-first",
        "036-two-detached-signatures-ed-first",
        "037-two-signers-other-first",
        "038-two-detached-signatures-other-first",
    ],
)
