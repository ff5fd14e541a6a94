"""Attestors: vouch's attestor loader against the v1 `Attestor` message gcloud decodes into.

gcloud has no `attestors import` (attestors are made from flags), but it reads attestors back
(`attestors describe`) into the binaryauthorization v1 ``Attestor`` message, which is the
shape the REST API takes. So, for every attestor document of the vectors and a generated set
of near misses: an attestor vouch loads decodes into that message (with the same content),
except vouch's documented extensions (``KNOWN``); and every field-name, enum or shape error
vouch reports, the decoder reports too. Key material, names and ids are values the decoder
does not check (``SERVER_SIDE``).
"""

from __future__ import annotations

import copy
import json
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, List, NamedTuple, Optional

GCLOUD_REJECTS = {"ATTESTOR_UNKNOWN_FIELD", "ATTESTOR_INVALID_TYPE", "INPUT_SYNTAX"}
# ATTESTOR_INVALID_VALUE is both an enum error (an unknown signatureAlgorithm name, which gcloud
# refuses too: checked by path below) and vouch's value checks (`*_UNSPECIFIED`, a key with
# both kinds), which only the server makes.
ENUM_PATH_SUFFIX = "/signatureAlgorithm"
READ_DIFFERENTLY = {"INPUT_DUPLICATE_KEY", "POLICY_YAML_AMBIGUOUS", "INPUT_YAML_MERGE_KEY"}
SERVER_SIDE = {
    "ATTESTOR_INVALID_VALUE",
    # Values: the service checks names, note references, keys and ids (or they are vouch's
    # consistency checks between fields); the message decoder sees strings.
    "ATTESTOR_MISSING_FIELD",
    "ATTESTOR_INVALID_NAME",
    "ATTESTOR_INVALID_NOTE_REFERENCE",
    "ATTESTOR_DUPLICATE",
    "ATTESTOR_INVALID_KEY",
    "ATTESTOR_ALGORITHM_MISMATCH",
    "ATTESTOR_INVALID_KEY_ID",
    "ATTESTOR_DUPLICATE_KEY_ID",
}
VOUCH_LIMITS = {"INPUT_TOO_LARGE", "INPUT_TOO_DEEP", "INPUT_ALIAS_LIMIT", "ATTESTOR_TOO_MANY", "ATTESTOR_TOO_MANY_KEYS"}

KNOWN = {
    # vouch loads, the v1 message does not (when vouch loads the document at all).
    "vouch-algorithm": ("vouch", "a signatureAlgorithm vouch adds (ED25519, ML_DSA_65: docs/formats.md), not in "
                                 "the v1 enum"),
    "v1beta1-shape": ("vouch", "v1beta1's `userOwnedDrydockNote`, which vouch reads like v1's `userOwnedGrafeasNote`"),
    "kritis-shape": ("vouch", "Kritis' AttestationAuthority spellings (`keyType`, lower-case algorithm names)"),
    "enum-number": ("gcloud", "a number or boolean where the signatureAlgorithm name is expected is read as the "
                              "enum's number"),
    "single-as-list": ("gcloud", "a single key object where the publicKeys list is expected becomes a one-element list"),
    "null-as-unset": ("gcloud", "`null` where a required value is expected is dropped"),
}
EXTENSIONS = {"ED25519", "ML_DSA_65"}

POLICY = {"defaultAdmissionRule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"}}


class Case(NamedTuple):
    name: str
    attestor: Any
    known: Optional[str] = None


def vouch_only(doc: Any) -> Optional[str]:
    """Which of vouch's documented extra shapes a vector's attestor uses, if any."""
    if not isinstance(doc, dict):
        return None
    if "userOwnedDrydockNote" in doc:
        return "v1beta1-shape"
    note = doc.get("userOwnedGrafeasNote")
    keys = note.get("publicKeys") if isinstance(note, dict) else None
    for k in keys if isinstance(keys, list) else []:
        if not isinstance(k, dict):
            continue
        algorithm = k.get("pkixPublicKey", {}).get("signatureAlgorithm") if isinstance(k.get("pkixPublicKey"), dict) else None
        if "keyType" in k or (isinstance(algorithm, str) and algorithm != algorithm.upper()):
            return "kritis-shape"
        if algorithm in EXTENSIONS:
            return "vouch-algorithm"
    return None


def vector_cases(root: Path) -> List[Case]:
    out: List[Case] = []
    for path in sorted((root / "testdata" / "vectors").glob("*/*.json")):
        if path.parent.name in ("lint", "payload", "sign", "inspect"):
            continue  # toolkit suites, not bundles
        doc = json.loads(path.read_text(encoding="utf-8"))
        items = doc.get("attestors")
        if isinstance(items, dict) and isinstance(items.get("attestors"), list):
            items = items["attestors"]
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                out.append(Case(f"{path.relative_to(root)}#{i}", item, vouch_only(item)))
    return out


def generated(base: dict) -> List[Case]:
    out: List[Case] = [Case("base", base)]

    def edit(name, change, known=None):
        doc = copy.deepcopy(base)
        change(doc)
        out.append(Case(name, doc, known))

    key = lambda d: d["userOwnedGrafeasNote"]["publicKeys"][0]  # noqa: E731
    edit("unknown-top", lambda d: d.update(bogus=1))
    edit("unknown-note", lambda d: d["userOwnedGrafeasNote"].update(publicKey=[]))
    edit("unknown-key", lambda d: key(d).update(pkix={}))
    edit("unknown-pkix", lambda d: key(d)["pkixPublicKey"].update(algorithm="x"))
    edit("snake-case", lambda d: d.update(user_owned_grafeas_note=d.pop("userOwnedGrafeasNote")))
    edit("description", lambda d: d.update(description="ci", etag="x", updateTime="2026-01-01T00:00:00Z"))
    edit("delegation", lambda d: d["userOwnedGrafeasNote"].update(delegationServiceAccountEmail="a@b.iam.gserviceaccount.com"))
    edit("key-comment", lambda d: key(d).update(comment="c"))
    for bad, known in [("ECDSA_P256", None), ("ecdsa_p256_sha256", None), ("", None), (13, "enum-number"),
                       (True, "enum-number"), ([], None), ({}, None), ("EC_SIGN_P256_SHA256", None)]:
        edit(f"algorithm-{json.dumps(bad)}", lambda d, bad=bad: key(d)["pkixPublicKey"].update(signatureAlgorithm=bad), known)
    for field in ["name", "description"]:
        for bad in [5, ["x"], {"a": 1}]:
            edit(f"type-{field}-{json.dumps(bad)}", lambda d, f=field, bad=bad: d.update({f: bad}))
    for bad, known in [("x", None), (5, None), ({"pkixPublicKey": {}}, "single-as-list"), ([5], None)]:
        edit(f"type-publicKeys-{json.dumps(bad)[:20]}", lambda d, bad=bad: d["userOwnedGrafeasNote"].update(publicKeys=bad), known)
    edit("type-note-string", lambda d: d.update(userOwnedGrafeasNote="projects/p/notes/n"))
    edit("type-pem-number", lambda d: key(d)["pkixPublicKey"].update(publicKeyPem=5))
    edit("null-pem", lambda d: key(d)["pkixPublicKey"].update(publicKeyPem=None), "null-as-unset")
    return out


def vouch_load(vouch_bin: Path, folder: Path, i: int, attestor: Any) -> dict:
    policy = folder / "policy.json"
    if not policy.exists():
        policy.write_text(json.dumps(POLICY), encoding="utf-8")
    file = folder / f"{i}.json"
    file.write_text(json.dumps(attestor), encoding="utf-8")
    proc = subprocess.run([str(vouch_bin), "policy", "lint", str(policy), "--attestors", str(file), "--output", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 2), (file, proc.returncode, proc.stderr)
    result = json.loads(proc.stdout or proc.stderr)
    if result.get("ok"):
        return {"ok": True}
    error = result["errors"][0] if "errors" in result else result.get("error", result)
    return {"ok": False, "code": error["code"], "path": error.get("path", ""), "message": error.get("message", "")}


def content(doc: Any) -> Any:
    if isinstance(doc, dict):
        out = {k: content(v) for k, v in doc.items() if v is not None}
        return {k: v for k, v in out.items() if v != []}
    if isinstance(doc, list):
        return [content(v) for v in doc]
    return doc


def test_attestors_load_like_gcloud(vouch_bin, gcloud_oracle, repo_root, report):
    from_vectors = vector_cases(repo_root)
    base = next(c.attestor for c in from_vectors
                if not c.known and "pkixPublicKey" in json.dumps(c.attestor) and "keyId" not in json.dumps(c.attestor))
    unique, seen = [], set()
    for case in from_vectors + generated(base):
        key = json.dumps(case.attestor, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(case)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=4) as pool:
        ours = list(pool.map(lambda ic: vouch_load(vouch_bin, Path(tmp), ic[0], ic[1].attestor), enumerate(unique)))
    for case, mine in zip(unique, ours):
        if not mine["ok"]:
            assert mine["code"] in GCLOUD_REJECTS | READ_DIFFERENTLY | SERVER_SIDE | VOUCH_LIMITS, (
                f"{case.name}: unclassified vouch error code {mine['code']}")
    compare = [(c, m) for c, m in zip(unique, ours) if m["ok"] or m["code"] not in VOUCH_LIMITS]
    theirs = gcloud_oracle({"attestors": [{"value": c.attestor} for c, _ in compare]})["attestors"]

    problems = []
    counts = {"both load": 0, "both refuse": 0, "server-side only": 0, "read differently": 0, "known": 0}
    for (case, mine), their in zip(compare, theirs):
        gcloud_ok = "ok" in their
        what = their.get("error", "loads")
        if case.known and (KNOWN[case.known][0] == "gcloud" or mine["ok"]):
            loader = KNOWN[case.known][0]
            if (loader == "gcloud") != (gcloud_ok and not mine["ok"]) or (loader == "vouch") != (mine["ok"] and not gcloud_ok):
                problems.append(f"{case.name}: expected the known difference `{case.known}` (only {loader} loads it); "
                                f"vouch: {mine}, gcloud: {what}")
            counts["known"] += 1
        elif mine["ok"]:
            if not gcloud_ok:
                problems.append(f"{case.name}: vouch loads it, gcloud refuses: {what}")
            elif their["ok"] != content(case.attestor):
                problems.append(f"{case.name}: gcloud reads other content:\n  {their['ok']}\n  {content(case.attestor)}")
            counts["both load"] += 1
        elif mine["code"] in GCLOUD_REJECTS:
            if gcloud_ok:
                problems.append(f"{case.name}: vouch refuses it ({mine['code']} at {mine['path']}: {mine['message']}), "
                                f"gcloud loads it")
            counts["both refuse"] += 1
        elif mine["code"] in READ_DIFFERENTLY:
            counts["read differently"] += 1
        else:
            unknown_name = (mine["code"] == "ATTESTOR_INVALID_VALUE" and mine["path"].endswith(ENUM_PATH_SUFFIX)
                            and "UNSPECIFIED" not in mine["message"])
            if unknown_name and gcloud_ok:
                problems.append(f"{case.name}: vouch refuses the algorithm name ({mine['message']}), gcloud loads it")
            counts["server-side only"] += 1
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)
    report(f"gcloud attestors: {len(compare)} documents compared ({', '.join(f'{n} {k}' for k, n in counts.items())})")
