"""The inspect suite (toolkit): `vouch evidence inspect`, one evidence report per case.

A case is `{"description", "input": {"attestations", "attestors", "trust", "image", "now"},
"expect"}` (a subset of the report, matched like bundle vectors) or `"expectError"`; its
golden file (testdata/golden/inspect/) holds the whole report, which every front end must
print byte for byte.

Numbers: 001-099 the report itself and attestations, 100-199 DSSE / in-toto / SLSA
provenance, 200-299 cosign and sigstore, 300-399 vulnerabilities, scans, image records and
input shapes.
"""

from .builders import *  # noqa: F401,F403


def inspect_case(name, description, expect=None, error=None, **inputs):
    case = {"description": description, "input": {"now": NOW, **inputs}}
    if error is not None:
        case["expectError"] = error
    else:
        case["expect"] = expect
    add("inspect", name, case)


def item(kind, status, code, **kw):
    out = {"kind": kind, "status": status, "code": code}
    out.update(kw)
    return out


def report_cases():
    inspect_case(
        "001-attestation-verified",
        "an attestation signed by its attestor's key verifies, with the key named",
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
        expect={
            "images": [
                {
                    "digest": DIG_A,
                    "items": [
                        item(
                            "ATTESTATION",
                            "VERIFIED",
                            "EVIDENCE_VERIFIED",
                            name=P + "/occurrences/ci-1",
                            keyId=CI_KEY_ID,
                            facts={"attestor": CI, "signedForm": "RAW"},
                        )
                    ],
                }
            ],
            "itemsRead": 1,
        },
    )
    inspect_case(
        "002-attestation-without-attestor",
        "with no attestor for its note, an attestation is shown but not checked",
        attestations=[ci_occ()],
        expect={
            "images": [
                {"digest": DIG_A, "items": [item("ATTESTATION", "UNVERIFIED", "EVIDENCE_NO_ATTESTOR")]}
            ]
        },
    )
    inspect_case(
        "003-attestation-bad-signature",
        "a signature by another key does not verify",
        attestors=[ci_attestor()],
        attestations=[ci_occ(sig=v.sign("other-p256", PAYLOAD_A))],
        expect={
            "images": [
                {"digest": DIG_A, "items": [item("ATTESTATION", "REJECTED", "BAD_SIGNATURE")]}
            ]
        },
    )
    inspect_case(
        "004-unknown-kinds-are-counted",
        "occurrences of kinds vouch does not read are counted, never errors",
        attestations=[
            {"name": P + "/occurrences/p1", "kind": "PACKAGE", "resourceUri": "https://" + WEB + "@" + DIG_A},
            {"name": P + "/occurrences/p2", "kind": "PACKAGE"},
            {"name": P + "/occurrences/s1", "kind": "SBOM_REFERENCE"},
        ],
        expect={"images": [], "unknownKinds": {"PACKAGE": 2, "SBOM_REFERENCE": 1}, "itemsRead": 3},
    )
    inspect_case(
        "005-image-selects-one-digest",
        "`image` restricts the report to its digest",
        attestations=[ci_occ(), ci_occ(name="ci-2", image=WEB + "@" + DIG_B, payload=PAYLOAD_B)],
        image=WEB + ":1.0@" + DIG_B,
        expect={"images": [{"digest": DIG_B, "items": [{"name": P + "/occurrences/ci-2"}]}]},
    )
    inspect_case(
        "006-image-without-digest",
        "evidence is filed by digest: a tag-only image is an error at /image",
        attestations=[ci_occ()],
        image=WEB + ":1.0",
        error=err("REQUEST_INVALID_IMAGE", "/image"),
    )
    inspect_case(
        "007-trust-key-not-pem",
        "trust material errors point into the `trust` member",
        trust={"keys": [{"publicKeyPem": "not a key"}]},
        error=err("INPUT_INVALID_TRUST", "/trust/keys/0/publicKeyPem"),
    )
    inspect_case(
        "008-attestation-without-digest",
        "an occurrence naming no digest counts for no image and is listed apart",
        attestors=[ci_attestor()],
        attestations=[ci_occ(image=WEB + ":1.0")],
        expect={
            "images": [],
            "withoutDigest": [item("ATTESTATION", "REJECTED", "MALFORMED_ATTESTATION")],
        },
    )
    inspect_case(
        "009-unknown-member",
        "an inspection takes only its members",
        attestations=[],
        policy={},
        error=err("BUNDLE_UNKNOWN_FIELD", "/policy"),
    )


def dsse_cases():
    """DSSE, in-toto and SLSA provenance (numbers 100-199)."""


def sigstore_cases():
    """cosign signatures and sigstore bundles (numbers 200-299)."""


def readers_cases():
    """Vulnerabilities, scans, image records, input shapes (numbers 300-399)."""


def cases():
    report_cases()
    dsse_cases()
    sigstore_cases()
    readers_cases()
