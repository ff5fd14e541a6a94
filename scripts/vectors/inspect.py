"""The inspect suite (toolkit): `vouch evidence inspect`, one evidence report per case.

A case is `{"description", "input": {"attestations", "attestors", "trust", "image", "now"},
"expect"}` (a subset of the report, matched like bundle vectors) or `"expectError"`; its
golden file (testdata/golden/inspect/) holds the whole report, which every front end must
print byte for byte.

Numbers: 001-099 the report itself and attestations, 100-199 DSSE / in-toto / SLSA
provenance, 200-299 cosign and sigstore, 300-399 vulnerabilities, scans, image records and
input shapes.
"""

import json
import os

import vectorlib as v

from .attestation import stamped_payload
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
    inspect_case(
        "010-attestation-signed-time",
        "a verified attestation shows its signed `optional.timestamp` and its unsigned createTime",
        attestors=[ci_attestor()],
        attestations=[ci_occ(payload=stamped_payload(1795428000 - 86400))],
        expect={
            "images": [
                {
                    "digest": DIG_A,
                    "items": [
                        item(
                            "ATTESTATION",
                            "VERIFIED",
                            "EVIDENCE_VERIFIED",
                            signedTime="2026-11-22T10:00:00Z",
                            recordedTime="2026-11-01T12:00:00Z",
                        )
                    ],
                }
            ]
        },
    )


    inspect_case(
        "011-attestation-with-another-algorithm-digest",
        "an attestation whose resourceUri names no sha256 digest is listed apart, never filed"
        " under a digest a request cannot name (found by the evidence_reader fuzz target)",
        attestors=[ci_attestor()],
        attestations=[ci_occ(image=WEB + "@sha257:" + DIG_A[len("sha256:"):])],
        expect={
            "images": [],
            "withoutDigest": [item("ATTESTATION", "REJECTED", "MALFORMED_ATTESTATION")],
        },
    )


def dsse_cases():
    """DSSE, in-toto and SLSA provenance (numbers 100-199)."""
    import base64 as _b64
    import hashlib as _h

    gcb_dir = os.path.join(v.ROOT, "testdata", "fixtures", "slsa-verifier", "gcb_container", "v0.2")
    GCB_DIG = "sha256:1a033b002f89ed2b8ea733162497fb70f1a4049a7f8602d6a33682b4ad9921fd"
    GCB_KEY = "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1"
    GCB_NAME = "projects/gosst-scare-sandbox/occurrences/8ce06798-f94d-4772-a224-04e473163790"
    INTOTO = "application/vnd.in-toto+json"
    B = "BUILD"
    D = "DSSE_ATTESTATION"

    def gcb(name):
        with open(os.path.join(gcb_dir, name)) as f:
            return json.load(f)["provenance_summary"]["provenance"]

    def one(digest, it):
        return {"images": [{"digest": digest, "items": [it]}]}

    gcb_facts = {
        "builderId": "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2",
        "buildType": "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2",
        "invocationId": "b6e052a7-5aa4-41bf-a56b-9bc4e4f3058b",
        "predicateType": "https://slsa.dev/provenance/v0.1",
        "sourceRepo": "https://github.com/laurentsimon/gcb-tests/commit/fbbb98765e85ad464302dc5977968104d36e455e",
        "subjectMatch": True,
        "verifiedKeys": 1,
    }
    inspect_case(
        "100-gcb-provenance-verified",
        "slsa-verifier's gcb_container v0.2 provenance verifies with Cloud Build's shipped global builtByGCB key (RAW payload)",
        attestations=gcb("gcloud-container-github.json"),
        expect=one(
            GCB_DIG,
            item(
                B,
                "VERIFIED",
                "PROVENANCE_VERIFIED",
                name=GCB_NAME,
                keyId=GCB_KEY,
                signedTime="2022-08-15T22:43:34.366498Z",
                facts=gcb_facts,
            ),
        ),
    )
    inspect_case(
        "101-gcb-provenance-without-cloud-build-keys",
        "with `cloudBuildKeys: false` and no caller key nothing can check the envelope",
        attestations=gcb("gcloud-container-github.json"),
        trust={"cloudBuildKeys": False},
        expect=one(GCB_DIG, item(B, "UNVERIFIED", "DSSE_NO_TRUSTED_KEY")),
    )
    for n, fixture, status, code, why in [
        (
            102,
            "invalid-keyid",
            "UNVERIFIED",
            "DSSE_UNKNOWN_KEYID",
            "a keyid no shipped key has does not verify (upstream ErrorNoValidSignature)",
        ),
        (
            103,
            "invalid-signature-region",
            "UNVERIFIED",
            "DSSE_UNKNOWN_KEYID",
            "a keyid of an unknown region does not verify (upstream ErrorNoValidSignature)",
        ),
        (
            104,
            "no-keyid",
            "REJECTED",
            "DSSE_NO_KEYID",
            "a signature without keyid is not checked with named keys (upstream ErrorNoValidSignature)",
        ),
        (
            105,
            "invalid-signature-encoding",
            "REJECTED",
            "DSSE_BAD_SIGNATURE",
            "a sig that is not base64 never verifies (upstream ErrorNoValidSignature)",
        ),
        (
            106,
            "empty-signature",
            "REJECTED",
            "DSSE_BAD_SIGNATURE",
            "an empty sig never verifies (upstream ErrorNoValidSignature)",
        ),
        (
            127,
            "mismatch-payload-digest",
            "REJECTED",
            "DSSE_BAD_SIGNATURE",
            "a payload altered to name another digest no longer verifies (upstream ErrorNoValidSignature)",
        ),
        (
            128,
            "mismatch-payload-builderid",
            "REJECTED",
            "DSSE_BAD_SIGNATURE",
            "a payload altered to name another builder no longer verifies (upstream ErrorNoValidSignature)",
        ),
        (
            107,
            "mismatch-text-digest",
            "REJECTED",
            "PROVENANCE_UNSIGNED_COPY_MISMATCH",
            "the unsigned intotoStatement beside the envelope names another digest (upstream ErrorMismatchIntoto)",
        ),
    ]:
        inspect_case(
            "%03d-gcb-%s" % (n, fixture),
            why,
            attestations=gcb("gcloud-container-%s.json" % fixture),
            expect=one(GCB_DIG, item(B, status, code)),
        )
    inspect_case(
        "108-gcb-second-of-three-signatures",
        "slsa-verifier's multiple-signatures-2ndvalid: one valid signature among bad ones verifies",
        attestations=gcb("gcloud-container-multiple-signatures-2ndvalid.json"),
        expect=one(GCB_DIG, item(B, "VERIFIED", "PROVENANCE_VERIFIED", keyId=GCB_KEY)),
    )

    with open(os.path.join(gcb_dir, "..", "v0.3", "gcloud-container-github-tag.json")) as f:
        v03 = json.load(f)["provenance_summary"]["provenance"]
    inspect_case(
        "109-gcb-v03-two-keys-two-modes",
        "slsa-verifier's gcb_container v0.3 provenance: the global provenanceSigner key (PAE) and the us-west2 builtByGCB key (RAW) both verify",
        attestations=v03,
        expect=one(
            "sha256:87db6d5226440e72f7134b71163df45282127a3f7b0600c946683cb2f43a70a9",
            item(
                B,
                "VERIFIED",
                "PROVENANCE_VERIFIED",
                keyId="projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1",
                signedTime="2023-03-15T03:14:35.163724Z",
                facts={
                    "builderId": "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3",
                    "buildType": "https://cloudbuild.googleapis.com/CloudBuildYaml@v0.1",
                    "invocationId": "40edaaed-b2ce-49b7-bc4d-4f67779fd0dc",
                    "predicateType": "https://slsa.dev/provenance/v0.1",
                    "sourceRepo": "git+https://github.com/slsa-framework/example-package",
                    "subjectMatch": True,
                    "verifiedKeys": 2,
                },
            ),
        ),
    )

    with open(os.path.join(gcb_dir, "gcloud-container-github.json")) as f:
        whole = json.load(f)
    inspect_case(
        "129-gcb-describe-object-whole",
        "the whole `gcloud artifacts docker images describe --show-provenance` document: its image_summary is an image record, its BUILD occurrence verifies",
        attestations=whole,
        expect={
            "images": [
                {
                    "digest": GCB_DIG,
                    "items": [
                        item("IMAGE_RECORD", "UNSIGNED", "IMAGE_RECORD_NO_UPLOAD_TIME"),
                        item(B, "VERIFIED", "PROVENANCE_VERIFIED", keyId=GCB_KEY),
                    ],
                }
            ]
        },
    )

    def whole_doc(name):
        with open(os.path.join(gcb_dir, name)) as f:
            return json.load(f)

    inspect_case(
        "130-gcb-mismatch-metadata-urisha256",
        "slsa-verifier's mismatch-metadata-urisha256: a resourceUri naming another digest files the occurrence there, where the signed subject does not match (upstream ErrorMismatchHash)",
        attestations=whole_doc("gcloud-container-mismatch-metadata-urisha256.json"),
        expect={
            "images": [
                {
                    "digest": "sha256:0" + GCB_DIG[len("sha256:1") :],
                    "items": [item(B, "REJECTED", "PROVENANCE_SUBJECT_MISMATCH")],
                },
                {
                    "digest": GCB_DIG,
                    "items": [item("IMAGE_RECORD", "UNSIGNED", "IMAGE_RECORD_NO_UPLOAD_TIME")],
                },
            ]
        },
    )
    inspect_case(
        "131-gcb-mismatch-metadata-kind",
        "slsa-verifier's mismatch-metadata-kind: an occurrence of kind `BUIL` is not read as provenance (upstream ErrorInvalidFormat)",
        attestations=whole_doc("gcloud-container-mismatch-metadata-kind.json"),
        expect={
            "images": [
                {
                    "digest": GCB_DIG,
                    "items": [item("IMAGE_RECORD", "UNSIGNED", "IMAGE_RECORD_NO_UPLOAD_TIME")],
                }
            ],
            "unknownKinds": {"BUIL": 1},
        },
    )

    inspect_case(
        "132-gcb-mismatch-summary-digest",
        "slsa-verifier's mismatch-summary-digest: the describe object's unsigned image_summary names another digest, so its provenance does not count (P-9; upstream ErrorMismatchHash)",
        attestations=whole_doc("gcloud-container-mismatch-summary-digest.json"),
        expect={
            "images": [
                {"digest": GCB_DIG, "items": [item(B, "REJECTED", "PROVENANCE_SUMMARY_MISMATCH")]}
            ],
            "withoutDigest": [item("IMAGE_RECORD", "REJECTED", "EVIDENCE_MALFORMED")],
        },
    )

    # Statements signed here with a caller key (PAE).
    subject = [{"name": WEB, "digest": {"sha256": DIG_A[len("sha256:") :]}}]

    def statement(
        predicate_type, predicate=None, subj=None, type_="https://in-toto.io/Statement/v1"
    ):
        doc = {"_type": type_, "subject": subj or subject, "predicateType": predicate_type}
        if predicate is not None:
            doc["predicate"] = predicate
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    def pae(t, body):
        return b"DSSEv1 %d %s %d " % (len(t), t.encode(), len(body)) + body

    def envelope(payload, key="ci-p256", keyid="ci", t=INTOTO, sig=None, url_safe=False):
        sig = v.sign(key, pae(t, payload)) if sig is None else sig
        enc = (lambda b: _b64.urlsafe_b64encode(b).decode().rstrip("=")) if url_safe else v.b64
        out = {"payload": enc(payload), "payloadType": t, "signatures": [{"sig": enc(sig)}]}
        if keyid is not None:
            out["signatures"][0]["keyid"] = keyid
        return out

    def build(env, **kw):
        occ = {
            "name": P + "/occurrences/b1",
            "kind": "BUILD",
            "resourceUri": "https://" + WEB + "@" + DIG_A,
            "envelope": env,
        }
        occ.update(kw)
        return occ

    def dsse_att(env):
        return {
            "name": P + "/occurrences/d1",
            "kind": "DSSE_ATTESTATION",
            "resourceUri": "https://" + WEB + "@" + DIG_A,
            "dsseAttestation": {"envelope": env},
        }

    def p1363(der):
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

        r, s_ = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s_.to_bytes(32, "big")

    trust_named = {
        "keys": [{"keyId": "ci", "publicKeyPem": v.public_pem("ci-p256")}],
        "cloudBuildKeys": False,
    }
    trust_unnamed = {"keys": [{"publicKeyPem": v.public_pem("ci-p256")}], "cloudBuildKeys": False}
    V1 = statement(
        "https://slsa.dev/provenance/v1",
        {
            "buildDefinition": {
                "buildType": "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1",
                "resolvedDependencies": [{"uri": "git+https://github.com/o/r@refs/heads/main"}],
            },
            "runDetails": {
                "builder": {"id": "https://cloudbuild.googleapis.com/GoogleHostedWorker"},
                "metadata": {"invocationId": "inv-1", "finishedOn": "2025-11-01T00:00:00Z"},
            },
        },
    )
    inspect_case(
        "110-slsa-v1-verified-by-keyid",
        "a caller key named `ci` verifies a SLSA v1 statement whose signature names it; the summary is read from the signed predicate",
        attestations=[build(envelope(V1))],
        trust=trust_named,
        expect=one(
            DIG_A,
            item(
                B,
                "VERIFIED",
                "PROVENANCE_VERIFIED",
                keyId="ci",
                signedTime="2025-11-01T00:00:00Z",
                facts={
                    "builderId": "https://cloudbuild.googleapis.com/GoogleHostedWorker",
                    "buildType": "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1",
                    "invocationId": "inv-1",
                    "predicateType": "https://slsa.dev/provenance/v1",
                    "sourceRepo": "git+https://github.com/o/r@refs/heads/main",
                    "subjectMatch": True,
                    "verifiedKeys": 1,
                },
            ),
        ),
    )
    inspect_case(
        "111-url-safe-unpadded-base64",
        "payload and sig may be URL-safe base64 without padding (E-2)",
        attestations=[build(envelope(V1, url_safe=True))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "VERIFIED", "PROVENANCE_VERIFIED")),
    )
    inspect_case(
        "112-p1363-signature",
        "an ECDSA signature in fixed r||s form verifies (E-3)",
        attestations=[build(envelope(V1, sig=p1363(v.sign("ci-p256", pae(INTOTO, V1)))))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "VERIFIED", "PROVENANCE_VERIFIED")),
    )
    inspect_case(
        "113-unknown-keyid",
        "a keyid no named key has is not checked",
        attestations=[build(envelope(V1, keyid="other"))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "UNVERIFIED", "DSSE_UNKNOWN_KEYID")),
    )
    inspect_case(
        "114-unnamed-keys-are-tried",
        "a key without id is tried whatever the keyid says",
        attestations=[build(envelope(V1, keyid=None))],
        trust=trust_unnamed,
        expect=one(DIG_A, item(B, "VERIFIED", "PROVENANCE_VERIFIED")),
    )
    inspect_case(
        "115-bad-signature",
        "a signature by another key does not verify with the key its keyid selects",
        attestations=[build(envelope(V1, key="other-p256"))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "DSSE_BAD_SIGNATURE")),
    )
    inspect_case(
        "116-no-signatures",
        "an envelope without signatures",
        attestations=[build(dict(envelope(V1), signatures=[]))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "DSSE_NO_SIGNATURE")),
    )
    inspect_case(
        "117-envelope-malformed",
        "a payload that is not base64",
        attestations=[build(dict(envelope(V1), payload="%%%"))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "DSSE_ENVELOPE_MALFORMED")),
    )
    inspect_case(
        "118-no-envelope",
        "a BUILD occurrence with only an unsigned statement does not count",
        attestations=[
            {
                "name": P + "/occurrences/b1",
                "kind": "BUILD",
                "resourceUri": "https://" + WEB + "@" + DIG_A,
                "build": {"inTotoSlsaProvenanceV1": json.loads(V1)},
            }
        ],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_NO_ENVELOPE")),
    )
    other = statement(
        "https://slsa.dev/provenance/v1", {}, subj=[{"digest": {"sha256": DIG_B[len("sha256:") :]}}]
    )
    inspect_case(
        "119-subject-mismatch",
        "a signed statement about another digest does not count for the resourceUri's image",
        attestations=[build(envelope(other))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_SUBJECT_MISMATCH")),
    )
    inspect_case(
        "120-unsigned-copy-disagrees",
        "an inTotoSlsaProvenanceV1 beside the envelope that differs from the signed statement makes it not count (P-9)",
        attestations=[
            build(
                envelope(V1),
                build={
                    "inTotoSlsaProvenanceV1": json.loads(
                        statement("https://slsa.dev/provenance/v1", {})
                    )
                },
            )
        ],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_UNSIGNED_COPY_MISMATCH")),
    )
    inspect_case(
        "121-payload-type-not-in-toto",
        "a verified envelope of another payloadType is not provenance",
        attestations=[build(envelope(V1, t="text/plain"))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "DSSE_PAYLOAD_TYPE_UNSUPPORTED")),
    )
    inspect_case(
        "122-statement-invalid",
        "a verified payload that is not an in-toto statement v0.1 or v1",
        attestations=[build(envelope(statement("p", {}, type_="https://in-toto.io/Statement/v0")))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_STATEMENT_INVALID")),
    )
    inspect_case(
        "123-build-predicate-not-slsa",
        "a BUILD statement must carry SLSA provenance",
        attestations=[build(envelope(statement("https://example.com/p")))],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_PREDICATE_UNSUPPORTED")),
    )
    inspect_case(
        "124-predicate-invalid",
        "a SLSA predicate with a wrongly typed field",
        attestations=[
            build(envelope(statement("https://slsa.dev/provenance/v0.2", {"builder": {"id": 7}})))
        ],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_PREDICATE_INVALID")),
    )
    inspect_case(
        "125-signed-time-in-future",
        "a signed finish time more than 5 minutes after now",
        attestations=[
            build(
                envelope(
                    statement(
                        "https://slsa.dev/provenance/v0.2",
                        {"metadata": {"buildFinishedOn": "2099-01-01T00:00:00Z"}},
                    )
                )
            )
        ],
        trust=trust_named,
        expect=one(DIG_A, item(B, "REJECTED", "PROVENANCE_SIGNED_TIME_IN_FUTURE")),
    )
    inspect_case(
        "126-dsse-attestation-any-predicate",
        "a DSSE_ATTESTATION takes any predicate; an absent predicate is {} (E-4)",
        attestations=[dsse_att(envelope(statement("https://example.com/p")))],
        trust=trust_named,
        expect=one(
            DIG_A,
            item(
                D,
                "VERIFIED",
                "DSSE_VERIFIED",
                keyId="ci",
                facts={
                    "predicateType": "https://example.com/p",
                    "subjectMatch": True,
                    "verifiedKeys": 1,
                },
            ),
        ),
    )


def sigstore_cases():
    """cosign signatures and sigstore bundles (numbers 200-299)."""
    import base64 as _b64
    import hashlib as _h

    fx = os.path.join(v.ROOT, "testdata", "fixtures")

    def fixture(*parts):
        with open(os.path.join(fx, *parts)) as f:
            return f.read()

    key_id = "sha256:" + _h.sha256(v.spki_der("ci-p256")).hexdigest()
    rekor_pem = v.public_pem("qa-p256")
    log_id = _h.sha256(v.spki_der("qa-p256")).hexdigest()
    trust = {"keys": [{"publicKeyPem": v.public_pem("ci-p256")}], "cloudBuildKeys": False}
    trust_rekor = dict(trust, rekorKeys=[{"publicKeyPem": rekor_pem}])
    t_log = 1763800000  # 2025-11-22, before NOW

    def cosign_payload(digest, timestamp=None):
        optional = None if timestamp is None else {"timestamp": timestamp}
        doc = {
            "critical": {
                "identity": {"docker-reference": WEB},
                "image": {"docker-manifest-digest": digest},
                "type": "cosign container image signature",
            },
            "optional": optional,
        }
        return json.dumps(doc, separators=(",", ":")).encode()

    def compact(doc):
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    def set_for(body, integrated, index=7):
        signed = compact(
            {
                "body": v.b64(body),
                "integratedTime": integrated,
                "logID": log_id,
                "logIndex": index,
            }
        )
        return v.sign("qa-p256", signed)

    def hashedrekord(signed_bytes_digest_hex, sig, pem):
        return compact(
            {
                "apiVersion": "0.0.1",
                "kind": "hashedrekord",
                "spec": {
                    "data": {"hash": {"algorithm": "sha256", "value": signed_bytes_digest_hex}},
                    "signature": {
                        "content": v.b64(sig),
                        "publicKey": {"content": v.b64(pem.encode())},
                    },
                },
            }
        )

    def legacy_bundle(payload, sig, integrated=t_log, body=None, set_time=None):
        body = body or hashedrekord(_h.sha256(payload).hexdigest(), sig, v.public_pem("ci-p256"))
        return {
            "SignedEntryTimestamp": v.b64(set_for(body, integrated if set_time is None else set_time)),
            "Payload": {
                "body": v.b64(body),
                "integratedTime": integrated,
                "logIndex": 7,
                "logID": log_id,
            },
        }

    def line(payload, sig, **kw):
        out = {
            "Base64Signature": v.b64(sig),
            "Payload": v.b64(payload),
            "Cert": None,
            "Chain": None,
            "Bundle": None,
            "RFC3161Timestamp": None,
        }
        out.update(kw)
        return out

    PAY = cosign_payload(DIG_A)
    SIG = v.sign("ci-p256", PAY)
    C = "COSIGN_SIGNATURE"
    S = "SIGSTORE_BUNDLE"

    def one(digest, it):
        return {"images": [{"digest": digest, "items": [it]}]}

    inspect_case(
        "200-cosign-verified",
        "a `cosign download signature` line verifies with a trusted key; no SET, no witnessed time",
        trust=trust,
        attestations=[line(PAY, SIG)],
        expect=one(DIG_A, item(C, "VERIFIED", "COSIGN_VERIFIED", keyId=key_id)),
    )
    inspect_case(
        "201-cosign-set-witnessed",
        "with the Rekor key given, a verified SET makes integratedTime the witnessed time",
        trust=trust_rekor,
        attestations=[line(PAY, SIG, Bundle=legacy_bundle(PAY, SIG))],
        expect=one(
            DIG_A,
            item(
                C,
                "VERIFIED",
                "COSIGN_VERIFIED",
                witnessedTime="2025-11-22T08:26:40Z",
                facts={"logIndex": 7, "tlogEntries": 1},
            ),
        ),
    )
    inspect_case(
        "202-cosign-set-without-rekor-key",
        "without a trusted Rekor key the SET is not checked and no time is witnessed",
        trust=trust,
        attestations=[line(PAY, SIG, Bundle=legacy_bundle(PAY, SIG))],
        expect=one(DIG_A, item(C, "VERIFIED", "COSIGN_VERIFIED", facts={"tlogEntries": 1})),
    )
    inspect_case(
        "203-cosign-set-invalid",
        "a SET of a trusted log that does not verify (integratedTime changed) rejects the item",
        trust=trust_rekor,
        attestations=[line(PAY, SIG, Bundle=legacy_bundle(PAY, SIG, set_time=t_log - 1))],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_SET_INVALID")),
    )
    other_sig = v.sign("ci-p256", PAY + b" ")
    inspect_case(
        "204-cosign-tlog-body-mismatch",
        "a valid SET over an entry for another signature witnesses nothing and rejects the item",
        trust=trust_rekor,
        attestations=[
            line(
                PAY,
                SIG,
                Bundle=legacy_bundle(
                    PAY,
                    SIG,
                    body=hashedrekord(_h.sha256(PAY).hexdigest(), other_sig, v.public_pem("ci-p256")),
                ),
            )
        ],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_TLOG_BODY_MISMATCH")),
    )
    future = 1795428000 + 3600  # NOW (2026-11-23T10:00:00Z) + 1 h
    inspect_case(
        "205-cosign-witnessed-time-in-future",
        "a witnessed time more than 5 minutes after now fails (E-5)",
        trust=trust_rekor,
        attestations=[line(PAY, SIG, Bundle=legacy_bundle(PAY, SIG, integrated=future))],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_WITNESSED_TIME_IN_FUTURE")),
    )
    late = cosign_payload(DIG_A, timestamp=t_log + 3600)
    late_sig = v.sign("ci-p256", late)
    inspect_case(
        "206-cosign-signed-after-witness",
        "a signer's time more than 5 minutes after the witnessed time fails (E-5)",
        trust=trust_rekor,
        attestations=[line(late, late_sig, Bundle=legacy_bundle(late, late_sig))],
        expect=one(
            DIG_A,
            item(C, "REJECTED", "SIGSTORE_SIGNED_AFTER_WITNESS", signedTime="2025-11-22T09:26:40Z"),
        ),
    )
    ahead = cosign_payload(DIG_A, timestamp=future)
    inspect_case(
        "207-cosign-signed-time-in-future",
        "a signer's time more than 5 minutes after now fails (E-5)",
        trust=trust,
        attestations=[line(ahead, v.sign("ci-p256", ahead))],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_SIGNED_TIME_IN_FUTURE")),
    )
    inspect_case(
        "208-cosign-bad-signature",
        "a signature by a key the trust material does not hold is rejected",
        trust=trust,
        attestations=[line(PAY, v.sign("other-p256", PAY))],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_BAD_SIGNATURE")),
    )
    inspect_case(
        "209-cosign-no-trusted-key",
        "with no keys in the trust material the signature is shown, not checked",
        attestations=[line(PAY, SIG)],
        expect=one(DIG_A, item(C, "UNVERIFIED", "SIGSTORE_NO_TRUSTED_KEY")),
    )
    inspect_case(
        "210-cosign-keyless",
        "a signature with a certificate (keyless) is UNSUPPORTED, never verified",
        trust=trust,
        attestations=[line(PAY, SIG, Cert={"Raw": "MIIB"})],
        expect=one(DIG_A, item(C, "UNSUPPORTED", "SIGSTORE_UNSUPPORTED_KEYLESS")),
    )
    pay_b = cosign_payload(DIG_B)
    inspect_case(
        "211-cosign-digest-mismatch",
        "a valid signature whose payload names another digest does not count for this image",
        trust=trust,
        attestations=[dict(line(pay_b, v.sign("ci-p256", pay_b)), resourceUri="https://" + WEB + "@" + DIG_A)],
        expect=one(DIG_A, item(C, "REJECTED", "SIGSTORE_DIGEST_MISMATCH")),
    )
    inspect_case(
        "212-cosign-payload-not-simple-signing",
        "a valid signature over bytes that are not a simple-signing payload counts for no image",
        trust=trust,
        attestations=[line(b"{}", v.sign("ci-p256", b"{}"))],
        expect={"images": [], "withoutDigest": [item(C, "REJECTED", "COSIGN_PAYLOAD_INVALID")]},
    )
    inspect_case(
        "213-cosign-p1363-signature",
        "cosign signatures may be IEEE P1363 r||s (E-3)",
        trust=trust,
        attestations=[line(PAY, v.p1363(SIG))],
        expect=one(DIG_A, item(C, "VERIFIED", "COSIGN_VERIFIED")),
    )
    inspect_case(
        "214-cosign-containers-image-form",
        "the containers/image form: payload plus the cosign signature annotation",
        trust=trust,
        attestations=[
            {
                "mimeType": "application/vnd.dev.cosign.simplesigning.v1+json",
                "payload": v.b64(PAY),
                "annotations": {"dev.cosignproject.cosign/signature": v.b64(SIG)},
            }
        ],
        expect=one(DIG_A, item(C, "VERIFIED", "COSIGN_VERIFIED")),
    )
    inspect_case(
        "215-cosign-malformed",
        "a line whose signature is not base64 is a malformed item, not an error",
        trust=trust,
        attestations=[dict(line(PAY, SIG), Base64Signature="%%%")],
        expect={"images": [], "withoutDigest": [item(C, "REJECTED", "EVIDENCE_MALFORMED")]},
    )

    inspect_case(
        "216-cosign-set-over-unbound-kind",
        "a verified SET over an entry kind vouch does not bind witnesses nothing (no time, no rejection)",
        trust=trust_rekor,
        attestations=[
            line(
                PAY,
                SIG,
                Bundle=legacy_bundle(
                    PAY, SIG, body=compact({"apiVersion": "0.0.1", "kind": "alpine", "spec": {}})
                ),
            )
        ],
        expect=one(DIG_A, item(C, "VERIFIED", "COSIGN_VERIFIED", facts={"tlogEntries": 1})),
    )

    # sigstore bundles
    def statement(digest, type_="https://in-toto.io/Statement/v1"):
        return compact(
            {
                "_type": type_,
                "subject": [{"name": WEB, "digest": {"sha256": digest.split(":")[1]}}],
                "predicateType": "https://sigstore.dev/cosign/sign/v1",
                "predicate": {},
            }
        )

    INTOTO = "application/vnd.in-toto+json"

    def dsse_pae(payload_type, payload):
        t = payload_type.encode()
        return b"DSSEv1 %d %s %d " % (len(t), t, len(payload)) + payload

    def dsse_bundle(payload, sig, media="application/vnd.dev.sigstore.bundle.v0.3+json", hint=None, keyid="", tlog=None, material=None, sigs=None):
        vm = material or {"publicKey": {"hint": hint or v.b64(_h.sha256(v.spki_der("ci-p256")).digest())}}
        if tlog is not None:
            vm = dict(vm, tlogEntries=tlog)
        return {
            "mediaType": media,
            "verificationMaterial": vm,
            "dsseEnvelope": {
                "payload": v.b64(payload),
                "payloadType": INTOTO,
                "signatures": sigs or [{"sig": v.b64(sig), "keyid": keyid}],
            },
        }

    def tlog_entry(body, integrated=t_log):
        return {
            "logIndex": "7",
            "logId": {"keyId": v.b64(bytes.fromhex(log_id))},
            "kindVersion": {"kind": "dsse", "version": "0.0.1"},
            "integratedTime": str(integrated),
            "inclusionPromise": {"signedEntryTimestamp": v.b64(set_for(body, integrated))},
            "canonicalizedBody": v.b64(body),
        }

    ST = statement(DIG_A)
    ST_SIG = v.sign("ci-p256", dsse_pae(INTOTO, ST))
    dsse_body = compact(
        {
            "apiVersion": "0.0.1",
            "kind": "dsse",
            "spec": {
                "envelopeHash": {"algorithm": "sha256", "value": "00" * 32},
                "payloadHash": {"algorithm": "sha256", "value": _h.sha256(ST).hexdigest()},
                "signatures": [
                    {"signature": v.b64(ST_SIG), "verifier": v.b64(v.public_pem("ci-p256").encode())}
                ],
            },
        }
    )
    facts_dsse = {"bundleVersion": "0.3", "content": "dsseEnvelope", "payloadType": INTOTO, "predicateType": "https://sigstore.dev/cosign/sign/v1"}
    inspect_case(
        "220-bundle-dsse-verified",
        "a v0.3 bundle with a DSSE in-toto statement naming the image verifies with a trusted key",
        trust=trust,
        attestations=[dsse_bundle(ST, ST_SIG)],
        expect=one(DIG_A, item(S, "VERIFIED", "SIGSTORE_VERIFIED", keyId=key_id, facts=facts_dsse)),
    )
    inspect_case(
        "221-bundle-dsse-set-witnessed",
        "a `dsse` 0.0.1 tlog entry with a verified SET gives the witnessed time",
        trust=trust_rekor,
        attestations=[dsse_bundle(ST, ST_SIG, tlog=[tlog_entry(dsse_body)])],
        expect=one(
            DIG_A,
            item(S, "VERIFIED", "SIGSTORE_VERIFIED", witnessedTime="2025-11-22T08:26:40Z"),
        ),
    )
    for n, version in (("222", "0.1"), ("223", "0.2")):
        inspect_case(
            n + "-bundle-media-type-v" + version.replace(".", "-"),
            "the `application/vnd.dev.sigstore.bundle+json;version=%s` media type is read" % version,
            trust=trust,
            attestations=[dsse_bundle(ST, ST_SIG, media="application/vnd.dev.sigstore.bundle+json;version=" + version)],
            expect=one(DIG_A, item(S, "VERIFIED", "SIGSTORE_VERIFIED", facts=dict(facts_dsse, bundleVersion=version))),
        )
    artifact = b"an artifact standing for an image\n"
    dig_art = "sha256:" + _h.sha256(artifact).hexdigest()
    art_sig = v.sign("ci-p256", artifact)
    msg_bundle = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {"publicKey": {"hint": "h"}},
        "messageSignature": {
            "messageDigest": {"algorithm": "SHA2_256", "digest": v.b64(_h.sha256(artifact).digest())},
            "signature": v.b64(art_sig),
        },
    }
    inspect_case(
        "224-bundle-message-signature",
        "a message signature verifies against the image digest (the signed artifact's SHA-256)",
        trust=trust,
        attestations=[msg_bundle],
        expect=one(dig_art, item(S, "VERIFIED", "SIGSTORE_VERIFIED", facts={"bundleVersion": "0.3", "content": "messageSignature"})),
    )
    hr_body = hashedrekord(_h.sha256(artifact).hexdigest(), art_sig, v.public_pem("ci-p256"))
    hr_entry = dict(tlog_entry(hr_body), kindVersion={"kind": "hashedrekord", "version": "0.0.1"})
    inspect_case(
        "225-bundle-message-signature-set",
        "a hashedrekord entry with a verified SET witnesses a message signature",
        trust=trust_rekor,
        attestations=[dict(msg_bundle, verificationMaterial={"publicKey": {"hint": "h"}, "tlogEntries": [hr_entry]})],
        expect=one(dig_art, item(S, "VERIFIED", "SIGSTORE_VERIFIED", witnessedTime="2025-11-22T08:26:40Z")),
    )
    inspect_case(
        "226-bundle-message-digest-mismatch",
        "a message signature filed for another image does not count for it",
        trust=trust,
        attestations=[dict(msg_bundle, resourceUri="https://" + WEB + "@" + DIG_A)],
        expect=one(DIG_A, item(S, "REJECTED", "SIGSTORE_MESSAGE_DIGEST_MISMATCH")),
    )
    inspect_case(
        "227-bundle-keyless",
        "a bundle with certificate material (keyless) is UNSUPPORTED",
        trust=trust,
        attestations=[dsse_bundle(ST, ST_SIG, material={"certificate": {"rawBytes": "MIIB"}})],
        expect=one(DIG_A, item(S, "UNSUPPORTED", "SIGSTORE_UNSUPPORTED_KEYLESS")),
    )
    inspect_case(
        "228-bundle-subject-mismatch",
        "a verified statement that does not name the image does not count for it",
        trust=trust,
        attestations=[dict(dsse_bundle(statement(DIG_B), v.sign("ci-p256", dsse_pae(INTOTO, statement(DIG_B)))), resourceUri="https://" + WEB + "@" + DIG_A)],
        expect=one(DIG_A, item(S, "REJECTED", "SIGSTORE_DIGEST_MISMATCH")),
    )
    inspect_case(
        "229-bundle-hint-keyid-mismatch",
        "`publicKey.hint` must equal the DSSE signature's keyid when both are present",
        trust=trust,
        attestations=[dsse_bundle(ST, ST_SIG, hint="a", keyid="b")],
        expect=one(DIG_A, item(S, "REJECTED", "SIGSTORE_KEY_HINT_MISMATCH")),
    )
    st2 = statement(DIG_A, type_="https://in-toto.io/Statement/v2")
    inspect_case(
        "230-bundle-statement-unknown-type",
        "a statement `_type` other than in-toto v0.1 or v1 is not read (E-4)",
        trust=trust,
        attestations=[dsse_bundle(st2, v.sign("ci-p256", dsse_pae(INTOTO, st2)))],
        expect=one(DIG_A, item(S, "REJECTED", "SIGSTORE_STATEMENT_INVALID")),
    )
    inspect_case(
        "231-bundle-two-signatures",
        "a bundle's DSSE envelope carries exactly one signature",
        trust=trust,
        attestations=[dsse_bundle(ST, ST_SIG, sigs=[{"sig": v.b64(ST_SIG)}, {"sig": v.b64(ST_SIG)}])],
        expect={"images": [], "withoutDigest": [item(S, "REJECTED", "EVIDENCE_MALFORMED")]},
    )
    inspect_case(
        "232-bundle-bad-signature",
        "a bundle signed by another key is rejected",
        trust=trust,
        attestations=[dsse_bundle(ST, v.sign("other-p256", dsse_pae(INTOTO, ST)))],
        expect=one(DIG_A, item(S, "REJECTED", "SIGSTORE_BAD_SIGNATURE")),
    )

    # Real fixtures (testdata/README.md): sigstore-conformance and containers/image.
    conf = ("sigstore-conformance", "bundle-verify")
    a_txt = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf"

    def conf_case(name, case, description, status, code, key_case=None):
        key = fixture(*conf, key_case or case, "key.pub")
        inspect_case(
            name,
            description,
            trust={"keys": [{"publicKeyPem": key}], "cloudBuildKeys": False},
            attestations=[json.loads(fixture(*conf, case, "bundle.sigstore.json"))],
            image=a_txt,
            expect=one(a_txt, item(S, status, code)),
        )

    conf_case(
        "240-conformance-intoto-canonical-log-entry",
        "intoto-canonical-log-entry",
        "sigstore-conformance: a valid managed-key DSSE bundle (inclusion proof, no SET) verifies",
        "VERIFIED",
        "SIGSTORE_VERIFIED",
    )
    conf_case(
        "241-conformance-dsse-statement-missing-type-fail",
        "dsse-statement-missing-type_fail",
        "sigstore-conformance: a statement without `_type` fails although its signature verifies",
        "REJECTED",
        "SIGSTORE_STATEMENT_INVALID",
    )
    conf_case(
        "242-conformance-dsse-statement-unknown-type-fail",
        "dsse-statement-unknown-type_fail",
        "sigstore-conformance: a statement `_type` of in-toto v2 fails",
        "REJECTED",
        "SIGSTORE_STATEMENT_INVALID",
    )
    conf_case(
        "243-conformance-managed-key-with-another-key",
        "managed-key-and-trusted-root",
        "sigstore-conformance: a managed-key message signature checked with another key fails",
        "REJECTED",
        "SIGSTORE_BAD_SIGNATURE",
        key_case="intoto-canonical-log-entry",
    )
    ci = ("containers-image", "signature")
    cosign_pub = fixture(*ci, "fixtures", "cosign.pub")
    inspect_case(
        "244-containers-image-cosign-over-empty-object",
        "containers/image: a real cosign signature over `{}` verifies but names no image",
        trust={"keys": [{"publicKeyPem": cosign_pub}], "cloudBuildKeys": False},
        attestations=[
            line(
                b"{}",
                _b64.b64decode(
                    "MEUCIQDkySOBGxastVP0+koTA33NH5hXjwosFau4rxTPN6g48QIgb7eWKkGqfEpHMM3aT4xiqyP/170jEkdFuciuwN4mux4="
                ),
            )
        ],
        expect={"images": [], "withoutDigest": [item(C, "REJECTED", "COSIGN_PAYLOAD_INVALID")]},
    )
    sp = ("sigstore-python", "test", "assets")
    inspect_case(
        "246-sigstore-python-keyless-bundle-with-set",
        "sigstore-python: a keyless v0.3 bundle with a real staging SET is UNSUPPORTED, even with its log key",
        trust={
            "keys": [{"publicKeyPem": cosign_pub}],
            "rekorKeys": [{"publicKeyPem": fixture(*sp, "staging-tuf", "targets", "rekor.pub")}],
            "cloudBuildKeys": False,
        },
        attestations=[json.loads(fixture(*sp, "bundle_v3_alt.txt.sigstore"))],
        expect=one(
            "sha256:4191e6b4e2b0260e6e297d4797d2a873584965afef021bf22f2bb7bec41102d0",
            item(S, "UNSUPPORTED", "SIGSTORE_UNSUPPORTED_KEYLESS"),
        ),
    )
    rekor_payload = fixture(*ci, "internal", "testdata", "rekor-payload").encode()
    inspect_case(
        "245-containers-image-keyless-with-set",
        "containers/image: a keyless cosign signature with a real public-good SET is UNSUPPORTED",
        trust={
            "keys": [{"publicKeyPem": cosign_pub}],
            "rekorKeys": [{"publicKeyPem": fixture("sigstore-rekor", "rekor.pub")}],
            "cloudBuildKeys": False,
        },
        attestations=[
            line(
                rekor_payload,
                _b64.b64decode(fixture(*ci, "internal", "testdata", "rekor-sig")),
                Cert={"Raw": "see fulcio-cert"},
                Bundle=json.loads(fixture(*ci, "internal", "testdata", "rekor-set")),
            )
        ],
        expect=one(
            "sha256:fa93b01658e3a5a1686dc3ae55f170d8de487006fb53a28efcd12ab0710a2e5f",
            item(C, "UNSUPPORTED", "SIGSTORE_UNSUPPORTED_KEYLESS"),
        ),
    )


def readers_cases():
    """Vulnerabilities, scans, image records, input shapes (numbers 300-399)."""
    fx = os.path.join(v.ROOT, "testdata", "fixtures")
    with open(os.path.join(fx, "influxdata-sedg", "gar-vulnerability-report.json")) as f:
        gar_text = f.read()
    gar = json.loads(gar_text)
    gar_occ = gar["occurrences"][0]
    gar_digest = gar_occ["resourceUri"].rsplit("@", 1)[1]
    V, D, R = "VULNERABILITY", "DISCOVERY", "IMAGE_RECORD"
    uri_a = "https://" + WEB + "@" + DIG_A
    uri_b = "https://" + WEB + "@" + DIG_B

    def one(digest, *items, **kw):
        out = {"images": [{"digest": digest, "items": list(items)}]}
        out.update(kw)
        return out

    def vuln(name="v1", uri=uri_a, note="projects/goog-vulnz/notes/CVE-2024-0001", **details):
        body = {
            "severity": "HIGH",
            "effectiveSeverity": "LOW",
            "fixAvailable": True,
            "packageIssue": [
                {
                    "affectedPackage": "openssl",
                    "affectedVersion": {"kind": "NORMAL", "fullName": "3.0.1-1"},
                    "fixedVersion": {"kind": "NORMAL", "fullName": "3.0.1-2"},
                    "fixAvailable": True,
                    "effectiveSeverity": "LOW",
                }
            ],
        }
        body.update(details)
        occ = {
            "name": P + "/occurrences/" + name,
            "kind": V,
            "noteName": note,
            "createTime": "2026-11-01T12:00:00Z",
            "vulnerability": body,
        }
        if uri is not None:
            occ["resourceUri"] = uri
        return occ

    def scan(status="FINISHED_SUCCESS", name="d1", uri=uri_a, **details):
        body = {"continuousAnalysis": "ACTIVE", "lastScanTime": "2026-11-20T08:00:00Z"}
        if status is not None:
            body["analysisStatus"] = status
        body.update(details)
        occ = {
            "name": P + "/occurrences/" + name,
            "kind": D,
            "noteName": P + "/notes/PACKAGE_VULNERABILITY",
            "createTime": "2026-11-01T12:00:00Z",
            "discovery": body,
        }
        if uri is not None:
            occ["resourceUri"] = uri
        return occ

    def docker_image(digest=DIG_A, **kw):
        img = {
            "name": "projects/example-project/locations/us/repositories/app/dockerImages/web@"
            + digest,
            "uri": WEB + "@" + digest,
            "tags": ["1.0", "latest"],
            "imageSizeBytes": "26782679",
            "uploadTime": "2026-11-02T09:30:00.123456Z",
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "buildTime": "2026-11-02T09:00:00Z",
            "updateTime": "2026-11-03T10:00:00Z",
        }
        img.update(kw)
        return img

    inspect_case(
        "300-gar-vulnerability-real",
        "a real Artifact Registry finding (influxdata/sedg): severity HIGH, effectiveSeverity MEDIUM, both shown",
        attestations=gar_text,
        expect=one(
            gar_digest,
            item(
                V,
                "UNSIGNED",
                "VULNERABILITY_FINDING",
                name=gar_occ["name"],
                recordedTime="2023-03-15T14:49:29.339644Z",
                facts={
                    "cve": "CVE-2022-29458",
                    "severity": "HIGH",
                    "effectiveSeverity": "MEDIUM",
                    "fixAvailable": True,
                    "kritisFixAvailable": True,
                    "cvssScore": 7.1,
                    "cvssVersion": "CVSS_VERSION_3",
                    "cvssV3BaseScore": 7.1,
                },
            ),
        ),
    )
    inspect_case(
        "301-finding-fix-kinds",
        "`fixAvailable` means any package; Kritis fixability needs every fixedVersion kind not MAXIMUM",
        attestations=[
            vuln(
                packageIssue=[
                    {
                        "affectedPackage": "a",
                        "fixedVersion": {"kind": "NORMAL", "fullName": "2"},
                        "fixAvailable": True,
                    },
                    {"affectedPackage": "b", "fixedVersion": {"kind": "MAXIMUM"}},
                ]
            )
        ],
        expect=one(
            DIG_A,
            item(
                V,
                "UNSIGNED",
                "VULNERABILITY_FINDING",
                facts={"fixAvailable": True, "kritisFixAvailable": False},
            ),
        ),
    )
    inspect_case(
        "302-finding-defaults",
        "absent members are proto3 defaults: SEVERITY_UNSPECIFIED, no fix; no package issue is vacuously Kritis-fixable",
        attestations=[
            vuln(severity=None, effectiveSeverity=None, fixAvailable=None, packageIssue=None)
        ],
        expect=one(
            DIG_A,
            item(
                V,
                "UNSIGNED",
                "VULNERABILITY_FINDING",
                facts={
                    "severity": "SEVERITY_UNSPECIFIED",
                    "fixAvailable": False,
                    "kritisFixAvailable": True,
                },
            ),
        ),
    )
    inspect_case(
        "303-finding-unknown-severity",
        "a severity vouch does not know is a reason, never guessed",
        attestations=[vuln(effectiveSeverity="NEGLIGIBLE")],
        expect=one(DIG_A, item(V, "REJECTED", "EVIDENCE_MALFORMED")),
    )
    inspect_case(
        "304-finding-unknown-version-kind",
        "a fixedVersion kind vouch does not know is a reason",
        attestations=[vuln(packageIssue=[{"fixedVersion": {"kind": "LATEST"}}])],
        expect=one(DIG_A, item(V, "REJECTED", "EVIDENCE_MALFORMED")),
    )
    inspect_case(
        "305-finding-without-details",
        "a VULNERABILITY occurrence without `vulnerability` is malformed, not an abort",
        attestations=[{k: x for k, x in vuln().items() if k != "vulnerability"}, scan()],
        expect=one(
            DIG_A, item(V, "REJECTED", "EVIDENCE_MALFORMED"), item(D, "UNSIGNED", "SCAN_FINISHED")
        ),
    )
    inspect_case(
        "306-finding-without-digest",
        "a finding whose resourceUri has no digest counts for no image",
        attestations=[vuln(uri="https://" + WEB + ":1.0")],
        expect={"images": [], "withoutDigest": [item(V, "REJECTED", "VULNERABILITY_NO_DIGEST")]},
    )
    inspect_case(
        "307-scan-finished",
        "a DISCOVERY occurrence with FINISHED_SUCCESS is a finished scan, with its lastScanTime",
        attestations=[scan()],
        expect=one(
            DIG_A,
            item(
                D,
                "UNSIGNED",
                "SCAN_FINISHED",
                facts={
                    "analysisStatus": "FINISHED_SUCCESS",
                    "continuousAnalysis": "ACTIVE",
                    "lastScanTime": "2026-11-20T08:00:00Z",
                },
            ),
        ),
    )
    inspect_case(
        "308-scan-complete-alias",
        "COMPLETE is FINISHED_SUCCESS's alias",
        attestations=[scan("COMPLETE")],
        expect=one(
            DIG_A,
            item(D, "UNSIGNED", "SCAN_FINISHED", facts={"analysisStatus": "FINISHED_SUCCESS"}),
        ),
    )
    for number, status, code in [
        ("309", "PENDING", "SCAN_NOT_FINISHED"),
        ("310", "SCANNING", "SCAN_NOT_FINISHED"),
        ("311", None, "SCAN_NOT_FINISHED"),
        ("312", "FINISHED_FAILED", "SCAN_FAILED"),
        ("313", "FINISHED_UNSUPPORTED", "SCAN_UNSUPPORTED"),
    ]:
        inspect_case(
            "%s-scan-%s" % (number, (status or "absent").lower().replace("_", "-")),
            "analysisStatus %s is %s" % (status, code),
            attestations=[scan(status)],
            expect=one(DIG_A, item(D, "UNSIGNED", code)),
        )
    inspect_case(
        "314-scan-unknown-status",
        "an analysisStatus vouch does not know is a reason",
        attestations=[scan("DONE")],
        expect=one(DIG_A, item(D, "REJECTED", "EVIDENCE_MALFORMED")),
    )
    inspect_case(
        "315-scan-without-digest",
        "a scan naming no digest counts for no image",
        attestations=[scan(uri=None)],
        expect={"images": [], "withoutDigest": [item(D, "REJECTED", "SCAN_NO_DIGEST")]},
    )
    inspect_case(
        "316-docker-image-uploaded",
        "an Artifact Registry DockerImage gives the upload time (P-6), tags and size",
        attestations=[docker_image()],
        expect=one(
            DIG_A,
            item(
                R,
                "UNSIGNED",
                "IMAGE_RECORD_UPLOADED",
                recordedTime="2026-11-02T09:30:00.123456Z",
                facts={
                    "source": "artifactRegistryDockerImage",
                    "repository": WEB,
                    "tags": ["1.0", "latest"],
                    "uploadTime": "2026-11-02T09:30:00.123456Z",
                    "buildTime": "2026-11-02T09:00:00Z",
                    "imageSizeBytes": 26782679,
                },
            ),
        ),
    )
    inspect_case(
        "317-docker-image-name-uri-disagree",
        "a record whose name and uri name different digests is malformed",
        attestations=[docker_image(uri=WEB + "@" + DIG_B)],
        expect={"images": [], "withoutDigest": [item(R, "REJECTED", "EVIDENCE_MALFORMED")]},
    )
    inspect_case(
        "318-docker-image-without-digest",
        "a record naming no digest counts for no image",
        attestations=[
            docker_image(
                uri=WEB + ":1.0",
                name="projects/example-project/locations/us/repositories/app/dockerImages/web",
            )
        ],
        expect={"images": [], "withoutDigest": [item(R, "REJECTED", "IMAGE_RECORD_NO_DIGEST")]},
    )
    inspect_case(
        "319-gcloud-list-item",
        "a `gcloud artifacts docker images list` item: its createTime is not an upload time (P-6)",
        attestations=[
            {
                "package": WEB,
                "version": DIG_A,
                "tags": ["1.0"],
                "createTime": "2026-11-02T09:30:00Z",
                "updateTime": "2026-11-03T10:00:00Z",
                "metadata": {
                    "buildTime": "2026-11-02T09:00:00Z",
                    "imageSizeBytes": "26782679",
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "name": "projects/example-project/locations/us/repositories/app/dockerImages/web@"
                    + DIG_A,
                },
            }
        ],
        expect=one(
            DIG_A,
            item(
                R,
                "UNSIGNED",
                "IMAGE_RECORD_NO_UPLOAD_TIME",
                recordedTime="2026-11-02T09:30:00Z",
                facts={"source": "gcloudImagesList", "createTime": "2026-11-02T09:30:00Z"},
            ),
        ),
    )
    inspect_case(
        "320-gcr-tags-list",
        "a Container Registry tags/list response: one record per manifest digest, upload time from timeUploadedMs",
        attestations=[
            {
                "child": [],
                "name": "example-project/web",
                "tags": ["1.0", "2.0"],
                "manifest": {
                    DIG_A: {
                        "imageSizeBytes": "2000",
                        "layerId": "",
                        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                        "tag": ["1.0"],
                        "timeCreatedMs": "1762070400000",
                        "timeUploadedMs": "1762075800500",
                    },
                    DIG_B: {
                        "imageSizeBytes": "3000",
                        "layerId": "",
                        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                        "tag": ["2.0"],
                        "timeCreatedMs": "0",
                        "timeUploadedMs": "1762162200000",
                    },
                },
            }
        ],
        expect={
            "images": [
                {
                    "digest": DIG_B,
                    "items": [
                        item(
                            R,
                            "UNSIGNED",
                            "IMAGE_RECORD_UPLOADED",
                            recordedTime="2025-11-03T09:30:00Z",
                            facts={"tags": ["2.0"]},
                        )
                    ],
                },
                {
                    "digest": DIG_A,
                    "items": [
                        item(
                            R,
                            "UNSIGNED",
                            "IMAGE_RECORD_UPLOADED",
                            recordedTime="2025-11-02T09:30:00.5Z",
                            facts={"source": "containerRegistryTagsList", "tags": ["1.0"]},
                        )
                    ],
                },
            ]
        },
    )
    inspect_case(
        "321-gcr-bad-manifest-key",
        "a manifest key that is not a sha256 digest makes the record malformed",
        attestations=[{"name": "example-project/web", "manifest": {"sha256:ABC": {}}}],
        expect={"images": [], "withoutDigest": [item(R, "REJECTED", "EVIDENCE_MALFORMED")]},
    )
    describe = {
        "image_summary": {
            "digest": DIG_A,
            "fully_qualified_digest": WEB + "@" + DIG_A,
            "registry": "us-docker.pkg.dev",
            "repository": "app",
            "slsa_build_level": "unknown",
        },
        "discovery_summary": {"discovery": [scan()]},
        "package_vulnerability_summary": {
            "vulnerabilities": {"HIGH": [vuln("v1")], "LOW": [vuln("v2", effectiveSeverity="LOW")]},
            "not_fixed_vulnerability_count": 0,
            "total_vulnerability_count": 2,
        },
        "package_summary": {
            "packages": [{"name": P + "/occurrences/p1", "kind": "PACKAGE", "resourceUri": uri_a}]
        },
        "attestation_summary": {"attestations": [ci_occ()]},
        "build_details_summary": {
            "build_details": [
                {"name": P + "/occurrences/b1", "kind": "SOMETHING_NEW", "resourceUri": uri_a}
            ]
        },
        "provenance_summary": {
            "provenance": [
                {"name": P + "/occurrences/b1", "kind": "SOMETHING_NEW", "resourceUri": uri_a}
            ]
        },
    }
    inspect_case(
        "322-describe-show-all-metadata",
        "the `describe --show-all-metadata` object: image_summary, every summary's occurrences, an occurrence listed twice read once",
        attestations=describe,
        expect=one(
            DIG_A,
            item("ATTESTATION", "UNVERIFIED", "EVIDENCE_NO_ATTESTOR"),
            item(
                R,
                "UNSIGNED",
                "IMAGE_RECORD_NO_UPLOAD_TIME",
                name="#0",
                facts={
                    "source": "gcloudImagesDescribe",
                    "fullyQualifiedDigest": WEB + "@" + DIG_A,
                    "repository": WEB,
                    "slsaBuildLevel": "unknown",
                },
            ),
            item(D, "UNSIGNED", "SCAN_FINISHED"),
            item(V, "UNSIGNED", "VULNERABILITY_FINDING", name=P + "/occurrences/v1"),
            item(V, "UNSIGNED", "VULNERABILITY_FINDING", name=P + "/occurrences/v2"),
            unknownKinds={"PACKAGE": 1, "SOMETHING_NEW": 1},
            itemsRead=7,
        ),
    )
    inspect_case(
        "323-describe-summary-not-a-list",
        "a describe summary that holds no list is not evidence: an error at its path",
        attestations=dict(describe, discovery_summary={"discovery": {"x": 1}}),
        error=err("INPUT_INVALID_ATTESTATIONS", "/attestations/discovery_summary/discovery"),
    )
    lines = [scan(), docker_image(), {"kind": "PACKAGE"}, vuln()]
    text = "\n".join(json.dumps(o, separators=(",", ":")) for o in lines[:2]) + "\n\n   \n"
    text += "\n".join(json.dumps(o, separators=(",", ":")) for o in lines[2:]) + "\n"
    inspect_case(
        "324-json-lines",
        "JSON lines: one object per line, blank lines skipped, unknown kinds counted",
        attestations=[text],
        expect=one(
            DIG_A,
            item(D, "UNSIGNED", "SCAN_FINISHED"),
            item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED"),
            item(V, "UNSIGNED", "VULNERABILITY_FINDING"),
            unknownKinds={"PACKAGE": 1},
            itemsRead=4,
        ),
    )
    inspect_case(
        "325-json-lines-bad-line",
        "a JSON line that is not JSON is an error at /N, N its index among the non-blank lines",
        attestations=[json.dumps(scan()) + "\n\n" + json.dumps(vuln()) + '\n{"kind": \n'],
        error=err("INPUT_SYNTAX", "/attestations/0/2"),
    )
    inspect_case(
        "326-occurrences-object-mixed",
        '`{"occurrences": [...]}` holds every kind at once; other digests stay apart',
        attestations={
            "occurrences": [
                vuln(uri=uri_b),
                scan(),
                {"kind": "SBOM_REFERENCE"},
                docker_image(DIG_B),
            ]
        },
        expect={
            "images": [
                {
                    "digest": DIG_B,
                    "items": [
                        item(V, "UNSIGNED", "VULNERABILITY_FINDING"),
                        item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED"),
                    ],
                },
                {"digest": DIG_A, "items": [item(D, "UNSIGNED", "SCAN_FINISHED")]},
            ],
            "unknownKinds": {"SBOM_REFERENCE": 1},
            "itemsRead": 4,
        },
    )
    inspect_case(
        "327-single-object",
        "one evidence object alone is read as a list of one",
        attestations=docker_image(),
        expect=one(DIG_A, item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED"), itemsRead=1),
    )
    inspect_case(
        "328-image-selects-digest",
        "`image` restricts findings, scans and records to its digest",
        attestations=[vuln(uri=uri_b), scan(), docker_image(DIG_B)],
        image=WEB + "@" + DIG_B,
        expect={
            "images": [
                {
                    "digest": DIG_B,
                    "items": [
                        item(V, "UNSIGNED", "VULNERABILITY_FINDING"),
                        item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED"),
                    ],
                }
            ]
        },
    )

    inspect_case(
        "329-docker-images-list-response",
        "Artifact Registry's REST `dockerImages.list` response: each element is a record",
        attestations={"dockerImages": [docker_image(), docker_image(DIG_B)], "nextPageToken": "x"},
        expect={
            "images": [
                # Digest order: DIG_B (3de6…) sorts before DIG_A (434b…).
                {"digest": DIG_B, "items": [item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED")]},
                {"digest": DIG_A, "items": [item(R, "UNSIGNED", "IMAGE_RECORD_UPLOADED")]},
            ],
            "itemsRead": 2,
        },
    )
    inspect_case(
        "330-docker-images-not-a-list",
        "`dockerImages` that is not a list is not evidence",
        attestations={"dockerImages": {}},
        error=err("INPUT_INVALID_ATTESTATIONS", "/attestations/dockerImages"),
    )


def cases():
    report_cases()
    dsse_cases()
    sigstore_cases()
    readers_cases()
