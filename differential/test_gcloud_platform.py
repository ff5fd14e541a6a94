"""Platform policies (GKE and Cloud Run): vouch's loaders against the v1 `PlatformPolicy` message
gcloud decodes into.

`gcloud beta container binauthz policy create ID --platform=gke --policy-file=F` reads the file
(YAML or JSON) and decodes it with ``DictToMessageWithErrorCheck`` into the v1
``PlatformPolicy`` message (platform-policies §1.3). For every platform policy of the vectors
(suite `platform`, the platform lint vectors) and the examples, and a few generated near misses:

- a policy vouch loads, gcloud loads too;
- every error of the document's shape (unknown field, wrong type, unknown enum name, a list
  where one message belongs) gcloud reports too;
- vouch's validations (platform-policies §1.4) are the service's, not the client's: gcloud
  loads those documents (``SERVER_SIDE``);
- ``READ_DIFFERENTLY``: a YAML plain scalar that YAML 1.1 reads as another type;
- ``KNOWN``: the documented differences, each with its reason.

For a policy both load, the content must agree: vouch's canonical form
(`vouch policy lint --canonical`: lists as lists, integers as numbers) is what gcloud decoded
(``MessageToDict``), `null`s and empty lists aside.
"""

from __future__ import annotations

import copy
import json
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, List, NamedTuple, Optional

GCLOUD_REJECTS = {"PLATFORM_UNKNOWN_FIELD", "PLATFORM_INVALID_TYPE", "PLATFORM_LIST_FOR_MESSAGE", "INPUT_SYNTAX"}
# PLATFORM_INVALID_VALUE is an unknown enum name (gcloud refuses it too: told apart by the
# message, which quotes apitools' "Invalid enum value") or a value only the service checks
# (an int32 out of range, a malformed `name`, SIGNATURE_ALGORITHM_UNSPECIFIED).
READ_DIFFERENTLY = {"PLATFORM_YAML_AMBIGUOUS", "INPUT_DUPLICATE_KEY", "INPUT_YAML_MERGE_KEY"}
SERVER_SIDE = {
    "PLATFORM_INVALID_VALUE",
    "PLATFORM_MISSING_FIELD",
    "PLATFORM_UNSUPPORTED",
    "PLATFORM_DEFAULT_CHECK_SET",
    "PLATFORM_DUPLICATE_SCOPE",
    "PLATFORM_SCOPE_ORDER",
    "PLATFORM_INVALID_SCOPE",
    "PLATFORM_CHECK_KIND",
    "PLATFORM_ALWAYS_DENY_FALSE",
    "PLATFORM_INVALID_MAX_AGE",
    "PLATFORM_SEVERITY_UNSPECIFIED",
    "PLATFORM_UNSUPPORTED_BUILDER",
    "PLATFORM_KEYS_REQUIRED",
    "PLATFORM_INVALID_KEY",
    "PLATFORM_ALGORITHM_MISMATCH",
    "PLATFORM_INVALID_KEY_ID",
    "PLATFORM_INVALID_PROJECT",
    "PLATFORM_TOO_MANY_PROJECTS",
    "PLATFORM_INVALID_ALLOW_PATTERN",
    "PLATFORM_INVALID_DIRECTORY_PATTERN",
    "PLATFORM_INVALID_REPO_PATTERN",
}
VOUCH_LIMITS = {"INPUT_TOO_LARGE", "INPUT_TOO_DEEP", "INPUT_ALIAS_LIMIT", "PLATFORM_TOO_LARGE"}

KNOWN = {
    "enum-number": ("gcloud", "a number where an enum name is expected is read as the enum's number (3 is LOW); "
                              "vouch takes enums by name only (decision P-1)"),
    "bool-as-int": ("gcloud", "`true` where an integer is expected: Python's bool is an int, so apitools reads 1; "
                              "vouch refuses a boolean day count (PLATFORM_INVALID_TYPE)"),
}


class Case(NamedTuple):
    name: str
    policy: Any
    known: Optional[str] = None


def vector_cases(root: Path) -> List[Case]:
    out: List[Case] = []
    for path in sorted((root / "testdata" / "vectors" / "platform").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        policy = doc.get("input", {}).get("platformPolicy")
        if policy is not None:
            out.append(Case(str(path.relative_to(root)), policy))
    for path in sorted((root / "testdata" / "vectors" / "lint").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "gkePolicy" in json.dumps(doc.get("policy")):
            out.append(Case(str(path.relative_to(root)), doc["policy"]))
    for path in sorted((root / "examples" / "platform").glob("*.yaml")):
        out.append(Case(str(path.relative_to(root)), path.read_text(encoding="utf-8")))
    # Cloud Run platform policies (`cloudRunPolicy`): the cloud_run group's `cloudRunPolicies`,
    # the Cloud Run lint vectors and the example.
    for path in sorted((root / "testdata" / "vectors" / "cloud_run").glob("*.json")):
        given = json.loads(path.read_text(encoding="utf-8")).get("cloudRunPolicies")
        for j, policy in enumerate(given if isinstance(given, list) else [given] if given else []):
            out.append(Case(f"{path.relative_to(root)}#{j}", policy))
    out.append(Case("examples/cloud-run/cloud-run-policy.yaml",
                    (root / "examples" / "cloud-run" / "cloud-run-policy.yaml").read_text(encoding="utf-8")))
    return out


def generated_cloud_run() -> List[Case]:
    """Near misses of a Cloud Run platform policy: the same walk as a GKE one."""
    base = {"name": "projects/p/platforms/cloudRun/policies/x", "cloudRunPolicy": {
        "allowlistPatterns": [{"namePattern": "gcr.io/p/debug/*"}],
        "rule": {"evaluationMode": "REQUIRE_ATTESTATION", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
                 "requiredAttestors": [{"id": "a", "attestationNote": "projects/p/notes/a"}]}}}
    out: List[Case] = []

    def edit(name, change, known=None):
        doc = copy.deepcopy(base)
        change(doc)
        out.append(Case("generated-cloud-run:" + name, doc, known))

    crp = lambda d: d["cloudRunPolicy"]  # noqa: E731
    edit("base", lambda d: None)
    edit("pattern-scalar", lambda d: crp(d).update(allowlistPatterns={"namePattern": "gcr.io/p/x"}))
    edit("attestor-scalar", lambda d: crp(d)["rule"].update(requiredAttestors={"id": "b", "attestationNote": "projects/p/notes/b"}))
    edit("rule-list", lambda d: crp(d).update(rule=[crp(d)["rule"]]))
    edit("rule-empty-list", lambda d: crp(d).update(rule=[]))
    edit("mode-lower", lambda d: crp(d)["rule"].update(evaluationMode="always_allow"))
    edit("mode-number", lambda d: crp(d)["rule"].update(evaluationMode=2), "enum-number")
    edit("unknown-rule-key", lambda d: crp(d)["rule"].update(requireAttestationsBy=[]))
    edit("unknown-top", lambda d: crp(d).update(defaultAdmissionRule={}))
    edit("key-unknown-field", lambda d: crp(d)["rule"]["requiredAttestors"][0].update(
        publicKeys=[{"pkixPublicKey": {"publicKeyPem": "x", "signatureAlgorithm": "ECDSA_P256_SHA256"}, "keyType": "PKIX"}]))
    edit("id-number", lambda d: crp(d)["rule"]["requiredAttestors"][0].update(id=7))
    edit("null-patterns", lambda d: crp(d).update(allowlistPatterns=None))
    return out


def generated() -> List[Case]:
    base = {"gkePolicy": {"checkSets": [{"displayName": "d", "checks": [
        {"imageFreshnessCheck": {"maxUploadAgeDays": 30}, "displayName": "c"}]}]}}
    out: List[Case] = []

    def edit(name, change, known=None):
        doc = copy.deepcopy(base)
        change(doc)
        out.append(Case("generated:" + name, doc, known))

    check = lambda d: d["gkePolicy"]["checkSets"][0]["checks"][0]  # noqa: E731
    edit("base", lambda d: None)
    edit("unknown-top", lambda d: d.update(bogus=1))
    edit("null-unknown", lambda d: d["gkePolicy"].update(bogus=None))
    edit("camel-typo", lambda d: d["gkePolicy"].update(CheckSets=d["gkePolicy"].pop("checkSets")))
    edit("days-string", lambda d: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays="7"))
    for text in [" +7 ", "0_7", "-0", "7_", "0x10", "1e2", "7.0", ""]:
        edit(f"days-{text!r}", lambda d, t=text: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays=t))
    edit("days-float", lambda d: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays=7.5))
    edit("days-bool", lambda d: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays=True), "bool-as-int")
    edit("days-list", lambda d: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays=[7]))
    edit("days-empty-list", lambda d: check(d)["imageFreshnessCheck"].update(maxUploadAgeDays=[]))
    edit("name-number", lambda d: check(d).update(displayName=5))
    edit("checks-map", lambda d: d["gkePolicy"]["checkSets"][0].update(checks=check(d)))
    edit("checks-string", lambda d: d["gkePolicy"]["checkSets"][0].update(checks="x"))
    edit("allowlist-list", lambda d: d["gkePolicy"].update(imageAllowlist=[{"allowPattern": "gcr.io/p/x"}]))
    edit("allowlist-empty-list", lambda d: d["gkePolicy"].update(imageAllowlist=[]))
    edit("allowlist-string", lambda d: d["gkePolicy"].update(imageAllowlist="gcr.io/p/x"))
    edit("pattern-scalar", lambda d: d["gkePolicy"].update(imageAllowlist={"allowPattern": "gcr.io/p/x"}))
    edit("pattern-number", lambda d: d["gkePolicy"].update(imageAllowlist={"allowPattern": [5]}))
    edit("always-deny-string", lambda d: d["gkePolicy"]["checkSets"][0].update(checks=[{"alwaysDeny": "true"}]))
    edit("severity-number", lambda d: d["gkePolicy"]["checkSets"][0].update(
        checks=[{"vulnerabilityCheck": {"maximumFixableSeverity": 3, "maximumUnfixableSeverity": "LOW",
                                        "containerAnalysisVulnerabilityProjects": "projects/p"}}]), "enum-number")
    for severity in ["LOW", "low", "SEVERE", ""]:
        edit(f"severity-{severity or 'empty'}", lambda d, s=severity: d["gkePolicy"]["checkSets"][0].update(
            checks=[{"vulnerabilityCheck": {"maximumFixableSeverity": s, "maximumUnfixableSeverity": "LOW",
                                            "containerAnalysisVulnerabilityProjects": "projects/p"}}]))
    edit("cloud-run", lambda d: d.update(cloudRunPolicy={}))
    return out


def vouch_lint(vouch_bin: Path, folder: Path, i: int, policy: Any) -> dict:
    if isinstance(policy, str):
        file = folder / f"{i}.yaml"
        file.write_text(policy, encoding="utf-8")
    else:
        file = folder / f"{i}.json"
        file.write_text(json.dumps(policy), encoding="utf-8")
    proc = subprocess.run([str(vouch_bin), "policy", "lint", str(file), "--output", "json", "--canonical"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 2), (file, proc.returncode, proc.stderr)
    result = json.loads(proc.stdout or proc.stderr)
    if proc.returncode == 0:
        return {"ok": True, "canonical": result}
    error = result["errors"][0] if "errors" in result else result.get("error", result)
    return {"ok": False, "code": error["code"], "path": error.get("path", ""), "message": error.get("message", "")}


def content(doc: Any) -> Any:
    if isinstance(doc, dict):
        out = {k: content(v) for k, v in doc.items() if v is not None}
        return {k: v for k, v in out.items() if v != [] and v != {}}
    if isinstance(doc, list):
        return [content(v) for v in doc]
    return doc


def test_platform_policies_load_like_gcloud(vouch_bin, gcloud_oracle, repo_root, report):
    cases = vector_cases(repo_root) + generated() + generated_cloud_run()
    unique, seen = [], set()
    for case in cases:
        key = json.dumps(case.policy, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(case)
    # `vouch policy lint` reads a document as a platform policy when it has `gkePolicy` or
    # `cloudRunPolicy`; the few vectors without either (a project policy, a list) are not compared.
    platform = [c for c in unique if "gkePolicy" in json.dumps(c.policy) or "cloudRunPolicy" in json.dumps(c.policy)]
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=4) as pool:
        ours = list(pool.map(lambda ic: vouch_lint(vouch_bin, Path(tmp), ic[0], ic[1].policy), enumerate(platform)))
    for case, mine in zip(platform, ours):
        if not mine["ok"]:
            assert mine["code"] in GCLOUD_REJECTS | READ_DIFFERENTLY | SERVER_SIDE | VOUCH_LIMITS, (
                f"{case.name}: unclassified vouch error code {mine['code']}")
    compare = [(c, m) for c, m in zip(platform, ours) if m["ok"] or m["code"] not in VOUCH_LIMITS]
    items = [{"text": c.policy} if isinstance(c.policy, str) else {"value": c.policy} for c, _ in compare]
    theirs = gcloud_oracle({"platformPolicies": items})["platformPolicies"]

    problems = []
    counts = {"both load": 0, "both refuse": 0, "server-side only": 0, "read differently": 0, "known": 0}
    for (case, mine), their in zip(compare, theirs):
        gcloud_ok = "ok" in their
        what = their.get("error", "loads")
        if case.known:
            if not (gcloud_ok and not mine["ok"]):
                problems.append(f"{case.name}: expected the known difference `{case.known}` (only gcloud loads it); "
                                f"vouch: {mine}, gcloud: {what}")
            counts["known"] += 1
        elif mine["ok"]:
            if not gcloud_ok:
                problems.append(f"{case.name}: vouch loads it, gcloud refuses: {what}")
            elif content(their["ok"]) != content(mine["canonical"]):
                problems.append(f"{case.name}: gcloud reads other content:\n  gcloud {their['ok']}\n  vouch  "
                                f"{mine['canonical']}")
            counts["both load"] += 1
        elif mine["code"] in GCLOUD_REJECTS:
            if gcloud_ok:
                problems.append(f"{case.name}: vouch refuses it ({mine['code']} at {mine['path']}: {mine['message']}), "
                                f"gcloud loads it")
            counts["both refuse"] += 1
        elif mine["code"] in READ_DIFFERENTLY:
            counts["read differently"] += 1
        else:
            if mine["code"] == "PLATFORM_INVALID_VALUE" and "Invalid enum value" in mine["message"] and gcloud_ok:
                problems.append(f"{case.name}: vouch refuses the enum name ({mine['message']}), gcloud loads it")
            counts["server-side only"] += 1
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)
    report(f"gcloud platform policies: {len(compare)} documents compared "
           f"({', '.join(f'{n} {k}' for k, n in counts.items())})")
