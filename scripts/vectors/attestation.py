"""The attestation group: occurrences, payloads and signatures."""

import json

from .builders import *  # noqa: F401,F403


def stamped_payload(timestamp, repository=WEB, digest=DIG_A):
    """A gcloud-style payload with a signed `optional.timestamp` (containers/image's integer
    Unix seconds)."""
    doc = json.loads(v.gcloud_payload(repository, digest))
    doc["optional"] = {"timestamp": timestamp}
    return (json.dumps(doc, sort_keys=True, indent=2) + "\n").encode()


def freshness_cases():
    """maxAttestationAge and trustOccurrenceTime (decision E-5, the Kritis paper's "only
    recently attested artifacts")."""
    g = "attestation"
    wa = WEB + "@" + DIG_A
    p = require(CI)
    now = 1795428000  # NOW, 2026-11-23T10:00:00Z
    day = 86400

    def deny(code, name):
        return exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", CI, details=[(code, P + "/occurrences/" + name)])],
                )
            ],
        )

    def signed_att(time, source, occurrence="ci-1"):
        a = att(CI, True, occurrence=P + "/occurrences/" + occurrence)
        a["signedTime"] = time
        a["timeSource"] = source
        return exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[a])])

    def stamped(ts, name="ci-1", **kw):
        payload = stamped_payload(ts)
        return ci_occ(name=name, payload=payload, **kw)

    vec(g, "049-fresh-signed-time", "a payload signed a day ago passes maxAttestationAge 30d;"
        " the decision gives the signed time and its source", p, images(wa),
        signed_att("2026-11-22T10:00:00Z", "SIGNED_PAYLOAD"),
        attestors=[ci_attestor()], attestations=[stamped(now - day)],
        options={"maxAttestationAge": "30d"})
    vec(g, "050-too-old", "signed ten days ago, limit 7d: ATTESTATION_TOO_OLD", p, images(wa),
        deny("ATTESTATION_TOO_OLD", "ci-1"),
        attestors=[ci_attestor()], attestations=[stamped(now - 10 * day)],
        options={"maxAttestationAge": "7d"})
    vec(g, "051-no-signed-time", "no optional.timestamp, occurrence times not trusted: NO_SIGNED_TIME",
        p, images(wa), deny("NO_SIGNED_TIME", "ci-1"),
        attestors=[ci_attestor()], attestations=[ci_occ()],
        options={"maxAttestationAge": "30d"})
    vec(g, "052-trusted-occurrence-time", "trustOccurrenceTime: createTime (22 days ago) is used"
        " and the decision says so", p, images(wa),
        signed_att("2026-11-01T12:00:00Z", "OCCURRENCE_CREATE_TIME"),
        attestors=[ci_attestor()], attestations=[ci_occ()],
        options={"maxAttestationAge": "30d", "trustOccurrenceTime": True})
    vec(g, "053-trusted-occurrence-time-too-old", "trustOccurrenceTime with a createTime older"
        " than the limit", p, images(wa), deny("ATTESTATION_TOO_OLD", "ci-1"),
        attestors=[ci_attestor()], attestations=[ci_occ()],
        options={"maxAttestationAge": "7d", "trustOccurrenceTime": True})
    vec(g, "054-signed-time-in-future", "signed an hour after now: SIGNED_TIME_IN_FUTURE", p,
        images(wa), deny("SIGNED_TIME_IN_FUTURE", "ci-1"),
        attestors=[ci_attestor()], attestations=[stamped(now + 3600)],
        options={"maxAttestationAge": "30d"})
    vec(g, "055-future-within-skew", "signed four minutes after now: within the 5-minute skew",
        p, images(wa), signed_att("2026-11-23T10:04:00Z", "SIGNED_PAYLOAD"),
        attestors=[ci_attestor()], attestations=[stamped(now + 240)],
        options={"maxAttestationAge": "30d"})
    vec(g, "056-timestamp-not-integer", "optional.timestamp as a string is not a signed time:"
        " MALFORMED_PAYLOAD", p, images(wa), deny("MALFORMED_PAYLOAD", "ci-1"),
        attestors=[ci_attestor()], attestations=[stamped(str(now))],
        options={"maxAttestationAge": "30d"})
    vec(g, "057-signed-time-beats-occurrence-time", "a signed time is used even when the"
        " caller trusts occurrence times (createTime would pass)", p, images(wa),
        deny("ATTESTATION_TOO_OLD", "ci-1"),
        attestors=[ci_attestor()],
        attestations=[stamped(now - 40 * day, createTime="2026-11-22T00:00:00Z")],
        options={"maxAttestationAge": "30d", "trustOccurrenceTime": True})
    vec(g, "058-no-limit-no-check", "without maxAttestationAge an old signed time is not"
        " checked and the decision has no signedTime", p, images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True)])]),
        attestors=[ci_attestor()], attestations=[stamped(now - 400 * day)])
    vec(g, "059-max-age-not-a-duration", "maxAttestationAge needs a unit", p, images(wa),
        error=err("BUNDLE_INVALID_OPTIONS", "/options/maxAttestationAge"),
        attestors=[ci_attestor()], attestations=[ci_occ()],
        options={"maxAttestationAge": "30"})
    vec(g, "060-age-exactly-the-limit", "an age equal to the limit passes", p, images(wa),
        signed_att("2026-11-16T10:00:00Z", "SIGNED_PAYLOAD"),
        attestors=[ci_attestor()], attestations=[stamped(now - 7 * day)],
        options={"maxAttestationAge": "7d"})
    vec(g, "061-stale-then-fresh", "a stale attestation does not stop a fresh one after it", p,
        images(wa), signed_att("2026-11-23T09:00:00Z", "SIGNED_PAYLOAD", occurrence="ci-2"),
        attestors=[ci_attestor()],
        attestations=[stamped(now - 30 * day, name="ci-1"), stamped(now - 3600, name="ci-2")],
        options={"maxAttestationAge": "1d"})
    vec(g, "062-trust-occurrence-time-not-boolean", "trustOccurrenceTime must be a boolean", p,
        images(wa), error=err("BUNDLE_INVALID_OPTIONS", "/options/trustOccurrenceTime"),
        attestors=[ci_attestor()], attestations=[ci_occ()],
        options={"maxAttestationAge": "1d", "trustOccurrenceTime": "yes"})


def attestation_cases():
    g = "attestation"
    wa = WEB + "@" + DIG_A
    p = require(CI)

    def deny_with(details, attestor=CI):
        return exp(
            "DENY",
            imgs=[
                img(
                    wa,
                    "VIOLATION",
                    reasons=[why("NO_VALID_ATTESTATION", attestor, details=details)],
                )
            ],
        )

    vec(
        g,
        "001-openssl-p256-raw",
        "an `openssl dgst -sha256 -sign` DER signature over the gcloud payload",
        p,
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(CI, True, "RAW", CI_KEY_ID, P + "/occurrences/ci-1")],
                )
            ],
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )
    vec(
        g,
        "002-high-s-ecdsa-accepted",
        "A-4: high-S ECDSA signatures (as openssl and Cloud KMS produce) verify",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.high_s("ci-p256", PAYLOAD_A))],
    )
    vec(
        g,
        "003-high-s-ecdsa-over-pae",
        "a high-S signature over the PAE form",
        p,
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, "PAE")])]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.high_s("ci-p256", v.pae(PAYLOAD_A)))],
    )
    vec(
        g,
        "004-openssl-p256-pae",
        "A-13: openssl signature over PAE(type, payload)",
        p,
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(CI, True, "PAE")])]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.sign("ci-p256", v.pae(PAYLOAD_A)))],
    )
    vec(
        g,
        "005-p1363-from-openssl-rejected",
        "A-4: the raw r||s form of a valid signature is rejected",
        p,
        images(wa),
        deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.p1363(v.sign("ci-p256", PAYLOAD_A)))],
    )
    truncated = v.sign("ci-p256", PAYLOAD_A)[:-1]
    vec(
        g,
        "006-truncated-der-rejected",
        "a DER signature missing its last byte",
        p,
        images(wa),
        deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=truncated)],
    )
    padded = v.sign("ci-p256", PAYLOAD_A) + b"\x00"
    vec(
        g,
        "007-trailing-byte-der-rejected",
        "A-4: trailing bytes after the DER signature",
        p,
        images(wa),
        deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=padded)],
    )
    vec(
        g,
        "008-ed25519-raw",
        "vouch extension: an Ed25519 attestor (openssl pkeyutl -rawin)",
        require(SCAN),
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "RAW", SCAN_KEY_ID)])]),
        attestors=[scan_attestor()],
        attestations=[scan_occ()],
    )
    vec(
        g,
        "009-ed25519-pae",
        "Ed25519 over the PAE form",
        require(SCAN),
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(SCAN, True, "PAE")])]),
        attestors=[scan_attestor()],
        attestations=[scan_occ(signed=v.pae(PAYLOAD_A))],
    )
    vec(
        g,
        "010-ed25519-over-other-bytes",
        "an Ed25519 signature over different bytes",
        require(SCAN),
        images(wa),
        deny_with(["BAD_SIGNATURE"], SCAN),
        attestors=[scan_attestor()],
        attestations=[scan_occ(signed=PAYLOAD_B)],
    )
    vec(
        g,
        "011-signed-by-untrusted-key-under-trusted-id",
        "key binding: a signature by another key under the trusted id",
        p,
        images(wa),
        deny_with(["BAD_SIGNATURE"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.sign("other-p256", PAYLOAD_A))],
    )
    vec(
        g,
        "012-signed-by-untrusted-key-under-its-own-id",
        "key binding: the signer's own id is unknown to the attestor",
        p,
        images(wa),
        deny_with(["UNKNOWN_KEY_ID"]),
        attestors=[ci_attestor()],
        attestations=[
            ci_occ(sig=v.sign("other-p256", PAYLOAD_A), key_id=v.default_key_id("other-p256"))
        ],
    )
    vec(
        g,
        "013-digest-mismatch",
        "the payload names another digest",
        p,
        images(wa),
        deny_with(["DIGEST_MISMATCH"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=PAYLOAD_C)],
    )
    not_json = b"this is not json\n"
    vec(
        g,
        "014-malformed-payload-not-json",
        "a signed payload that is not JSON",
        p,
        images(wa),
        deny_with(["MALFORMED_PAYLOAD"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=not_json)],
    )
    no_digest = b'{"critical": {"identity": {"docker-reference": "x"}, "type": "t"}}\n'
    vec(
        g,
        "015-malformed-payload-no-digest",
        "a signed payload without critical.image.docker-manifest-digest",
        p,
        images(wa),
        deny_with(["MALFORMED_PAYLOAD"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=no_digest)],
    )
    dup = (
        '{"critical": {"identity": {"docker-reference": "%s"}, "image": {"docker-manifest-digest":'
        ' "%s", "docker-manifest-digest": "%s"}, "type": "t"}}\n' % (WEB, DIG_B, DIG_A)
    ).encode()
    vec(
        g,
        "016-malformed-payload-duplicate-digest-key",
        "a payload with two digest keys is rejected, not read last-wins",
        p,
        images(wa),
        deny_with(["MALFORMED_PAYLOAD"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=dup)],
    )
    kritis = v.gcloud_payload(WEB, DIG_A, type_="atomic container signature")
    vec(
        g,
        "017-payload-type-not-checked",
        "A-14: critical.type is not checked (Kritis' type verifies too)",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=kritis)],
    )
    compact = json.dumps(
        {
            "critical": {
                "identity": {"docker-reference": WEB},
                "image": {"docker-manifest-digest": DIG_A},
                "type": "atomic container signature",
            }
        },
        separators=(",", ":"),
    ).encode()
    vec(
        g,
        "018-compact-payload-bytes",
        "signatures cover the exact bytes; any serialization of the payload works",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=compact)],
    )
    bad_b64 = ci_occ()
    bad_b64["attestation"]["serializedPayload"] = "%%% not base64 %%%"
    vec(
        g,
        "019-malformed-payload-base64",
        "serializedPayload that is not base64",
        p,
        images(wa),
        deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()],
        attestations=[bad_b64],
    )
    no_sigs = ci_occ()
    no_sigs["attestation"]["signatures"] = []
    vec(
        g,
        "020-no-signatures",
        "an occurrence with neither signatures nor JWTs",
        p,
        images(wa),
        deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()],
        attestations=[no_sigs],
    )
    bad_sig = ci_occ()
    bad_sig["attestation"]["signatures"][0]["signature"] = "@@@"
    vec(
        g,
        "021-signature-not-base64",
        "a signature that is not base64",
        p,
        images(wa),
        deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()],
        attestations=[bad_sig],
    )
    jwt = ci_occ()
    jwt["attestation"] = {"jwts": [{"compactJwt": "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"}]}
    vec(
        g,
        "022-jwt-only-unsupported",
        "A-11: JWT attestations are not verified in this version",
        p,
        images(wa),
        deny_with(["UNSUPPORTED_ATTESTATION_FORMAT"]),
        attestors=[ci_attestor()],
        attestations=[jwt],
    )
    no_att = ci_occ()
    del no_att["attestation"]
    vec(
        g,
        "023-occurrence-without-attestation",
        "an ATTESTATION occurrence with no attestation body",
        p,
        images(wa),
        deny_with(["MALFORMED_ATTESTATION"]),
        attestors=[ci_attestor()],
        attestations=[no_att],
    )
    url_safe = ci_occ()
    sig = url_safe["attestation"]["signatures"][0]["signature"]
    url_safe["attestation"]["signatures"][0]["signature"] = (
        sig.replace("+", "-").replace("/", "_").rstrip("=")
    )
    url_safe["attestation"]["serializedPayload"] = url_safe["attestation"][
        "serializedPayload"
    ].rstrip("=")
    vec(
        g,
        "024-url-safe-unpadded-base64",
        "proto3 JSON accepts URL-safe and unpadded base64",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[url_safe],
    )

    legacy_generic = {
        "name": P + "/occurrences/legacy-1",
        "resourceUri": "https://" + wa,
        "noteName": CI_NOTE,
        "kind": "ATTESTATION",
        "attestation": {
            "attestation": {
                "genericSignedAttestation": {
                    "contentType": "SIMPLE_SIGNING_JSON",
                    "serializedPayload": v.b64(PAYLOAD_A),
                    "signatures": [
                        {"publicKeyId": CI_KEY_ID, "signature": v.b64(v.sign("ci-p256", PAYLOAD_A))}
                    ],
                }
            }
        },
    }
    vec(
        g,
        "025-legacy-generic-signed-attestation",
        "v1beta1 genericSignedAttestation with an https:// resourceUri",
        p,
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(CI, True, occurrence=P + "/occurrences/legacy-1")],
                )
            ],
        ),
        attestors=[ci_attestor()],
        attestations=[legacy_generic],
    )
    unspecified = json.loads(json.dumps(legacy_generic))
    unspecified["attestation"]["attestation"]["genericSignedAttestation"][
        "contentType"
    ] = "CONTENT_TYPE_UNSPECIFIED"
    vec(
        g,
        "026-legacy-unknown-content-type",
        "unknown content types are rejected",
        p,
        images(wa),
        deny_with(["UNSUPPORTED_ATTESTATION_FORMAT"]),
        attestors=[ci_attestor()],
        attestations=[unspecified],
    )

    rsa_att = v.pkix_attestor(QA, QA_NOTE, [("spec-rsa2048", "RSA_SIGN_PSS_2048_SHA256", KMS_ID)])
    rsa_occ = v.occurrence(
        P + "/occurrences/o2",
        QA_NOTE,
        wa,
        SPEC["payload_A_b64"],
        [(KMS_ID, SPEC["rsa_pss_sig_A_b64"])],
    )
    vec(
        g,
        "027-spec-rsa-pss-kms-key",
        "§3.6: the reference's RSA-PSS-2048 signature under a Cloud KMS key id",
        require(QA),
        images(wa),
        exp("ALLOW", imgs=[img(wa, "CONFORMANT", attestors=[att(QA, True, "RAW", KMS_ID)])]),
        attestors=[rsa_att],
        attestations=[rsa_occ],
    )

    vec(
        g,
        "028-occurrence-for-other-note-ignored",
        "only occurrences on the attestor's note are candidates",
        p,
        images(wa),
        deny_with([]),
        attestors=[ci_attestor()],
        attestations=[qa_occ()],
    )
    vec(
        g,
        "029-occurrence-for-other-digest-ignored",
        "only occurrences whose resourceUri ends with @digest are candidates",
        p,
        images(wa),
        deny_with([]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(image=WEB + "@" + DIG_B, payload=PAYLOAD_B)],
    )
    vec(
        g,
        "030-resource-uri-other-repository-same-digest",
        "A-12: lookup is by digest only",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ(image="gcr.io/elsewhere/web@" + DIG_A)],
    )
    vec(
        g,
        "031-rest-list-response-shape",
        "attestations as a REST response {occurrences: [...]}",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations={"occurrences": [ci_occ()], "nextPageToken": ""},
    )
    vec(
        g,
        "032-single-occurrence-shape",
        "attestations as one occurrence object",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=ci_occ(),
    )
    vec(
        g,
        "033-attestations-as-file-text",
        "attestations as a string holding the JSON file gcloud prints",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=json.dumps([ci_occ()], indent=2),
    )
    vec(
        g,
        "034-first-candidate-fails-second-verifies",
        "candidates are tried in order; the first that verifies is reported",
        p,
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(wa, "CONFORMANT", attestors=[att(CI, True, occurrence=P + "/occurrences/good")])
            ],
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="bad", payload=PAYLOAD_C), ci_occ(name="good")],
    )
    vec(
        g,
        "035-every-failing-candidate-explained",
        "each candidate that did not count has a detail, in order",
        p,
        images(wa),
        deny_with(
            [
                ("DIGEST_MISMATCH", P + "/occurrences/a"),
                ("BAD_SIGNATURE", P + "/occurrences/b"),
                ("UNKNOWN_KEY_ID", P + "/occurrences/c"),
            ]
        ),
        attestors=[ci_attestor()],
        attestations=[
            ci_occ(name="a", payload=PAYLOAD_C),
            ci_occ(name="b", sig=v.sign("qa-p256", PAYLOAD_A)),
            ci_occ(name="c", key_id="some-other-key"),
        ],
    )
    nameless = ci_occ(payload=PAYLOAD_C)
    del nameless["name"]
    vec(
        g,
        "036-nameless-occurrence-labelled-by-position",
        "an occurrence without a name is reported as #N",
        p,
        images(wa),
        deny_with([("DIGEST_MISMATCH", "#1")]),
        attestors=[ci_attestor()],
        attestations=[qa_occ(), nameless],
    )
    vuln = {
        "name": P + "/occurrences/v",
        "resourceUri": wa,
        "noteName": CI_NOTE,
        "kind": "VULNERABILITY",
        "vulnerability": {},
    }
    vec(
        g,
        "037-non-attestation-occurrences-ignored",
        "occurrences of other kinds are not candidates",
        p,
        images(wa),
        deny_with([]),
        attestors=[ci_attestor()],
        attestations=[vuln],
    )
    vec(
        g,
        "038-strict-identity-match",
        "strictIdentity admits when docker-reference is the image's repository",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
        options={"strictIdentity": True},
    )
    vec(
        g,
        "039-strict-identity-tag-and-digest",
        "strictIdentity compares registry+path, ignoring the tag",
        p,
        images(WEB + ":v1@" + DIG_A),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
        options={"strictIdentity": True},
    )
    vec(
        g,
        "040-strict-identity-mismatch",
        "Kritis binding: payload for the mirror repository",
        p,
        images(wa),
        deny_with(["IDENTITY_MISMATCH"]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=PAYLOAD_MIRROR_A)],
        options={"strictIdentity": True},
    )
    vec(
        g,
        "041-same-digest-two-images-one-attestation",
        "one attestation serves the same digest in two registries",
        p,
        images(wa, MIRROR + "@" + DIG_A),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
    )

    # v1beta1 occurrences name the image in `resource.uri` (often with https://), not `resourceUri`.
    beta = json.loads(json.dumps(legacy_generic))
    del beta["resourceUri"]
    beta["resource"] = {"uri": "https://" + wa}
    vec(
        g,
        "042-v1beta1-resource-uri-only",
        "a v1beta1 occurrence naming the image in resource.uri (https://) counts",
        p,
        images(wa),
        exp(
            "ALLOW",
            imgs=[
                img(
                    wa,
                    "CONFORMANT",
                    attestors=[att(CI, True, occurrence=P + "/occurrences/legacy-1")],
                )
            ],
        ),
        attestors=[ci_attestor()],
        attestations=[beta],
    )
    v1_body = ci_occ(name="beta-v1-body")
    del v1_body["resourceUri"]
    v1_body["resource"] = {"uri": wa}
    vec(
        g,
        "043-resource-uri-without-scheme",
        "resource.uri without https:// counts too",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[v1_body],
    )
    both = ci_occ(name="both", resource={"uri": "https://" + wa})
    vec(
        g,
        "044-resource-uri-both-equal",
        "resourceUri and resource.uri naming the same image (up to https://) count",
        p,
        images(wa),
        exp("ALLOW"),
        attestors=[ci_attestor()],
        attestations=[both],
    )
    wb = WEB + "@" + DIG_B
    vec(
        g,
        "045-resource-uri-both-differ",
        "resourceUri names this image, resource.uri another: malformed, never matched by the"
        " favourable one",
        p,
        images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="split", resource={"uri": wb})],
    )
    vec(
        g,
        "046-resource-uri-both-differ-reversed",
        "resource.uri names this image, resourceUri another: malformed too",
        p,
        images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="split", image=wb, resource={"uri": "https://" + wa})],
    )
    vec(
        g,
        "047-resource-uri-both-differ-repository",
        "the same digest in two repositories is two images: malformed",
        p,
        images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="split", resource={"uri": "gcr.io/elsewhere/web@" + DIG_A})],
    )
    vec(
        g,
        "048-resource-uri-not-a-string",
        "a resource.uri that is not a string next to resourceUri: malformed",
        p,
        images(wa),
        deny_with([("MALFORMED_ATTESTATION", P + "/occurrences/split")]),
        attestors=[ci_attestor()],
        attestations=[ci_occ(name="split", resource={"uri": 7})],
    )


def cases():
    attestation_cases()
    freshness_cases()
