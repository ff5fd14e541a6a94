"""Policies: vouch's policy loader against gcloud's (`gcloud container binauthz policy import`).

gcloud reads the file (``yaml.load``, YAML 1.1, for .yaml; ``json.loads`` for .json) and turns
it into the v1 ``Policy`` message with ``messages_util.DictToMessageWithErrorCheck``: that
refuses unknown field names, unknown enum names and values of the wrong shape, but knows
nothing of the rules the server checks later. So, for every policy vouch is given (each
vector's ``policy``, the lint vectors, the examples, and a generated corpus of near misses):

- a policy ``vouch policy lint`` loads, gcloud loads too;
- an error vouch reports gcloud must also report when its code is in ``GCLOUD_REJECTS``
  (field names, enums, shapes, YAML); codes in ``SERVER_SIDE`` are values only the server
  checks, and gcloud must accept those documents (else the classification is stale);
  ``VOUCH_LIMITS`` are vouch's own resource limits, not sent to gcloud.

Where only one side loads a document, the case names the known difference (``KNOWN``), and
the test fails if it no longer holds. Where both load a JSON document, gcloud's message must
hold the document's content.
"""

from __future__ import annotations

import copy
import json
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, List, NamedTuple, Optional

# vouch's policy error codes, by who else reports them.
GCLOUD_REJECTS = {
    # gcloud's DictToMessage: the field is not in the message.
    "POLICY_UNKNOWN_FIELD",
    # gcloud's DictToMessage: not a name of the enum.
    "POLICY_INVALID_VALUE",
    # gcloud's DictToMessage: a string where an object is wanted, a number where a string is,
    # ... (except the coercions in KNOWN).
    "POLICY_INVALID_TYPE",
    # gcloud's yaml.load (ruamel, YAML 1.1).
    "INPUT_SYNTAX",
}
READ_DIFFERENTLY = {
    # Documents YAML (or JSON) readers disagree on, which vouch refuses rather than pick one
    # reading: gcloud loads its own (the last duplicate key; `on` as `true`; merge keys with
    # explicit keys winning) or refuses. Not compared.
    "INPUT_DUPLICATE_KEY",
    "POLICY_YAML_AMBIGUOUS",
    "INPUT_YAML_MERGE_KEY",
}
SERVER_SIDE = {
    # proto3 messages have no required fields: gcloud sends what it is given.
    "POLICY_MISSING_FIELD",
    # *_UNSPECIFIED are enum names like any other to gcloud.
    "POLICY_MODE_UNSPECIFIED",
    # Values of strings: the pattern grammar, attestor names, rule keys, the rule's
    # consistency. The server validates them (SetPolicy answers INVALID_ARGUMENT).
    "POLICY_INVALID_PATTERN",
    "POLICY_ATTESTORS_REQUIRED",
    "POLICY_ATTESTORS_NOT_ALLOWED",
    "POLICY_INVALID_ATTESTOR_NAME",
    "POLICY_DUPLICATE_ATTESTOR",
    "POLICY_INVALID_RULE_KEY",
    "POLICY_DUPLICATE_RULE_KEY",
}
VOUCH_LIMITS = {
    # vouch's budgets for hostile input (docs/limits.md); gcloud has none.
    "INPUT_TOO_LARGE",
    "INPUT_TOO_DEEP",
    "INPUT_ALIAS_LIMIT",
    "POLICY_TOO_MANY_PATTERNS",
    "POLICY_TOO_MANY_RULES",
    "POLICY_TOO_MANY_ATTESTOR_REFS",
}

# Known differences, each (who loads the document, why). All are "gcloud": shapes gcloud's
# apitools decoder coerces into valid messages, where vouch (like the REST API's JSON reader)
# refuses; no export ever writes them. (YAML 1.1 readings, which made gcloud refuse
# `description: 2026-01-01` and import `on:` as `true:`, vouch refuses: POLICY_YAML_AMBIGUOUS.)
KNOWN = {
    "single-as-list": ("gcloud", "a single value (string or object) where a list is expected becomes a one-element list"),
    "enum-number": ("gcloud", "a number, or a boolean (YAML 1.1 `yes`; Python's 0/1), where an enum name is expected is "
                              "read as the enum's number (`evaluationMode: yes` imports as ALWAYS_ALLOW)"),
    "null-as-unset": ("gcloud", "`null` where a required string is expected is dropped (the server then finds it missing)"),
    "falsy-policy": ("gcloud", "an empty or falsy document (`[]`, `''`, `0`, `false`, a comment) is imported as the "
                               "empty policy"),
    "list-as-map": ("gcloud", "an empty list where a rule map is expected is read as an empty map"),
}

ATT_A = "projects/example-project/attestors/built-by-ci"
ATT_B = "projects/example-project/attestors/qa-approved"


def rule(mode: str = "ALWAYS_ALLOW", enforcement: str = "ENFORCED_BLOCK_AND_AUDIT_LOG", by=None) -> dict:
    r = {"evaluationMode": mode, "enforcementMode": enforcement}
    if by is not None:
        r["requireAttestationsBy"] = by
    return r


FULL = {
    "name": "projects/example-project/policy",
    "description": "every field",
    "globalPolicyEvaluationMode": "ENABLE",
    "admissionWhitelistPatterns": [{"namePattern": "gcr.io/example-project/tools/*"}],
    "defaultAdmissionRule": rule("REQUIRE_ATTESTATION", by=[ATT_A, ATT_B]),
    "clusterAdmissionRules": {"us-central1-a.prod": rule("ALWAYS_DENY")},
    "kubernetesNamespaceAdmissionRules": {"sandbox": rule("ALWAYS_ALLOW", "DRYRUN_AUDIT_LOG_ONLY")},
    "kubernetesServiceAccountAdmissionRules": {"ci:deployer": rule("REQUIRE_ATTESTATION", by=[ATT_A])},
    "istioServiceIdentityAdmissionRules": {"example.svc.id.goog/ns/prod/sa/web": rule("ALWAYS_DENY")},
    "updateTime": "2026-10-01T09:30:00.000000Z",
    "etag": "BwYabcdef12=",
}

# JSON-pointer-like paths (as tuples) to every rule and enum in FULL.
RULES = [
    ("defaultAdmissionRule",),
    ("clusterAdmissionRules", "us-central1-a.prod"),
    ("kubernetesNamespaceAdmissionRules", "sandbox"),
    ("kubernetesServiceAccountAdmissionRules", "ci:deployer"),
    ("istioServiceIdentityAdmissionRules", "example.svc.id.goog/ns/prod/sa/web"),
]
MAPS = [r[0] for r in RULES[1:]]


class Case(NamedTuple):
    name: str
    policy: Any  # a JSON value (written as .json) or YAML text (written as .yaml)
    known: Optional[str] = None  # a KNOWN key: only one side loads it


def edit(path, value=None, delete=False) -> dict:
    doc = copy.deepcopy(FULL)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


def generated() -> List[Case]:
    out: List[Case] = [Case("full", copy.deepcopy(FULL))]
    add = lambda name, policy, known=None: out.append(Case(name, policy, known))  # noqa: E731
    minimal = {"defaultAdmissionRule": rule()}
    add("minimal", minimal)
    add("global-mode-unspecified-name", {**minimal, "globalPolicyEvaluationMode": "GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED"})
    # Unknown field names at every level, and near misses of real ones.
    add("unknown-top", edit(("bogus",), 1))
    for name in ["DefaultAdmissionRule", "default_admission_rule", "defaultAdmissionRules", "admissionAllowlistPatterns",
                 "kubernetesNamespaceAdmissionRule", "globalPolicyEvaluationmode", "Name", "etag "]:
        add(f"near-miss-{name}", {**minimal, name: FULL.get(name.strip(), "x") if name != "default_admission_rule" else rule()})
    for path in RULES:
        for name in ["mode", "evaluation_mode", "requireAttestationBy", "EnforcementMode"]:
            add(f"unknown-in-{path[0]}-{name}", edit(path + (name,), "ALWAYS_ALLOW"))
    add("unknown-in-pattern", edit(("admissionWhitelistPatterns",), [{"namePattern": "gcr.io/x/*", "pattern": "y"}]))
    add("pattern-entry-empty-object", edit(("admissionWhitelistPatterns",), [{}]))
    # Enum values.
    enums = [(p + ("evaluationMode",)) for p in RULES] + [(p + ("enforcementMode",)) for p in RULES]
    enums.append(("globalPolicyEvaluationMode",))
    for path in enums:
        label = "-".join(p for p in path if "." not in p and "/" not in p and ":" not in p)
        for bad in ["always_allow", "ALWAYS_ALLOW ", "", "SOMETIMES", "enable", "ALWAYS-ALLOW"]:
            add(f"enum-{label}-{bad!r}", edit(path, bad))
        for bad, coerced in [(1, "enum-number"), (2.5, None), (True, "enum-number"), ([], None), ({}, None)]:
            add(f"enum-{label}-{type(bad).__name__}", edit(path, bad), coerced)
    for path in RULES:
        add(f"unspecified-{path[0]}-evaluation", edit(path + ("evaluationMode",), "EVALUATION_MODE_UNSPECIFIED"))
        add(f"unspecified-{path[0]}-enforcement", edit(path + ("enforcementMode",), "ENFORCEMENT_MODE_UNSPECIFIED"))
        add(f"missing-{path[0]}-evaluation", edit(path + ("evaluationMode",), delete=True))
        add(f"missing-{path[0]}-enforcement", edit(path + ("enforcementMode",), delete=True))
    # Shapes.
    for field in ["name", "description", "etag", "updateTime"]:
        for bad in [5, True, ["x"], {"a": "b"}, 1.5]:
            add(f"type-{field}-{type(bad).__name__}", edit((field,), bad))
        add(f"null-{field}", edit((field,), None))
    add("null-global-mode", edit(("globalPolicyEvaluationMode",), None))
    for bad in ["x", 5, ["x"], True]:
        add(f"type-defaultAdmissionRule-{type(bad).__name__}", edit(("defaultAdmissionRule",), bad))
    for field in MAPS:
        for bad, coerced in [("x", None), (5, None), ([rule()], None), (["x"], None), ([], "list-as-map")]:
            add(f"type-{field}-{json.dumps(bad)[:12]}", edit((field,), bad), coerced)
        add(f"type-{field}-rule-not-object", edit((field, "k"), "ALWAYS_ALLOW"))
        add(f"null-{field}", edit((field,), None))
        add(f"empty-{field}", edit((field,), {}))
    for bad, coerced in [("gcr.io/x/*", None), ({"namePattern": "gcr.io/x/*"}, "single-as-list"),
                         (["gcr.io/x/*"], None), ([{"namePattern": 5}], None),
                         ([{"namePattern": None}], "null-as-unset"), (5, None)]:
        add(f"type-patterns-{json.dumps(bad)[:20]}", edit(("admissionWhitelistPatterns",), bad), coerced)
    add("null-patterns", edit(("admissionWhitelistPatterns",), None))
    add("empty-patterns", edit(("admissionWhitelistPatterns",), []))
    by = ("defaultAdmissionRule", "requireAttestationsBy")
    for bad, coerced in [(ATT_A, "single-as-list"), ([5], None), ([[ATT_A]], None), ([{"name": ATT_A}], None),
                         ({"a": ATT_A}, None), ([None], None), ([ATT_A, True], None)]:
        add(f"type-requireAttestationsBy-{json.dumps(bad)[:24]}", edit(by, bad), coerced)
    add("null-requireAttestationsBy", edit(("clusterAdmissionRules", "us-central1-a.prod", "requireAttestationsBy"), None))
    # The whole document.
    for bad, coerced in [([], "falsy-policy"), (["x"], None), ("", "falsy-policy"), (5, None), (True, None),
                         (0, "falsy-policy"), (False, "falsy-policy"), ({}, None)]:
        add(f"document-{json.dumps(bad)}", bad, coerced)
    # YAML text: YAML 1.1 scalars (gcloud reads policies as YAML 1.1) where strings go.
    base = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
    add("yaml-minimal", base)
    add("yaml-export", base + "name: projects/p/policy\netag: BwYabcdef12=\nupdateTime: '2026-10-01T09:30:00.000000Z'\n")
    add("yaml-flow-style", "{defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}}\n")
    add("yaml-json-text", json.dumps(FULL, indent=2))
    add("yaml-comments-anchors", "x: &r\n" if False else
        "defaultAdmissionRule: &r\n  evaluationMode: ALWAYS_ALLOW # allow\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        "kubernetesNamespaceAdmissionRules:\n  sandbox: *r\n")
    add("yaml-merge-key", "defaultAdmissionRule: &r\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        "kubernetesNamespaceAdmissionRules:\n  sandbox:\n    <<: *r\n    evaluationMode: ALWAYS_DENY\n")
    add("yaml-document-marker", "---\n" + base + "...\n")
    add("yaml-null-lists", base + "admissionWhitelistPatterns:\nclusterAdmissionRules:\n")
    add("yaml-tilde-description", base + "description: ~\n")
    for scalar in ["yes", "no", "on", "off", "y", "n", "Y", "NO", "true", "null", "~", "2026-01-01", "2026-01-01T00:00:00Z",
                   "2026-1-1", "0x1F", "017", "0o17", "0b101", "1_000", "1:30", "-1:30:00", "12e3", "1.5e3", ".inf", ".nan",
                   "'yes'", "\"2026-01-01\"", "plain text", "'1:30'", "!!str yes", "!!str 1:30"]:
        pattern_known = "null-as-unset" if scalar in ("null", "~") else None
        add(f"yaml-description-{scalar}", base + f"description: {scalar}\n")
        add(f"yaml-namePattern-{scalar}", base + f"admissionWhitelistPatterns:\n- namePattern: {scalar}\n", pattern_known)
    for key in ["on", "yes", "no", "y", "n", "off", "null", "123", "1e3", "0x10", "017", "0o17", "0b101", "1_000", "true",
                "'on'", "'123'", "\"no\"", "!!str on", "prod", "2026-01-01", "1:30"]:
        add(f"yaml-namespace-key-{key}", base + f"kubernetesNamespaceAdmissionRules:\n  {key}:\n"
            "    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
    add("yaml-enum-quoted", "defaultAdmissionRule:\n  evaluationMode: 'ALWAYS_ALLOW'\n  enforcementMode: \"ENFORCED_BLOCK_AND_AUDIT_LOG\"\n")
    add("yaml-enum-bool", "defaultAdmissionRule:\n  evaluationMode: yes\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        "enum-number")
    add("yaml-syntax", "defaultAdmissionRule: [\n")
    add("yaml-tab-indent", "defaultAdmissionRule:\n\tevaluationMode: ALWAYS_ALLOW\n")
    add("yaml-duplicate-key", "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  evaluationMode: ALWAYS_DENY\n"
        "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n")
    add("yaml-duplicate-top-key", base + base)
    add("yaml-two-documents", base + "---\n" + base)
    add("yaml-binary-tag", base + "description: !!binary aGVsbG8=\n")
    add("yaml-str-tag", base + "description: !!str 2026-01-01\n")
    add("yaml-set", base + "description: !!set {a, b}\n")
    add("yaml-unknown-tag", base + "description: !custom x\n")
    add("yaml-int-tag-enum", "defaultAdmissionRule:\n  evaluationMode: !!int 1\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        "enum-number")
    add("yaml-comment-only", "# nothing\n", "falsy-policy")
    add("yaml-scalar-document", "ALWAYS_ALLOW\n")
    return out


def content(doc: Any) -> Any:
    """A JSON document as apitools' MessageToDict gives it back: no nulls, no empty lists or maps."""
    if isinstance(doc, dict):
        out = {k: content(v) for k, v in doc.items() if v is not None}
        return {k: v for k, v in out.items() if v != []}
    if isinstance(doc, list):
        return [content(v) for v in doc]
    return doc


def vector_cases(root: Path) -> List[Case]:
    out: List[Case] = []
    for folder in ["vectors/*/*.json", "lint/*.json"]:
        for path in sorted((root / "testdata").glob(folder)):
            doc = json.loads(path.read_text(encoding="utf-8"))
            text = json.dumps(doc.get("policy"))
            if "policy" in doc and "gkePolicy" not in text and "cloudRunPolicy" not in text:
                # Platform policies (GKE: lint vectors 100-199; Cloud Run: 220-239) are
                # test_gcloud_platform.py's.
                out.append(Case(str(path.relative_to(root)), doc["policy"]))
    for path in sorted((root / "examples").glob("policy*.yaml")):
        out.append(Case(str(path.relative_to(root)), path.read_text(encoding="utf-8")))
    for path in sorted((root / "examples" / "bundles").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if "policy" in doc:
            out.append(Case(str(path.relative_to(root)), doc["policy"]))
    return out


def vouch_lint(vouch_bin: Path, folder: Path, i: int, policy: Any) -> dict:
    if isinstance(policy, str):
        file = folder / f"{i}.yaml"
        file.write_text(policy, encoding="utf-8")
    else:
        file = folder / f"{i}.json"
        file.write_text(json.dumps(policy), encoding="utf-8")
    proc = subprocess.run([str(vouch_bin), "policy", "lint", str(file), "--output", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 2), (file, proc.returncode, proc.stderr)
    result = json.loads(proc.stdout or proc.stderr)
    if result.get("ok"):
        return {"ok": True}
    error = result["errors"][0] if "errors" in result else result.get("error", result)
    return {"ok": False, "code": error["code"], "path": error.get("path", ""), "message": error.get("message", "")}


def test_policies_load_like_gcloud(vouch_bin, gcloud_oracle, repo_root, report):
    cases = vector_cases(repo_root) + generated()
    # The same document once (vectors share policies).
    unique, seen = [], set()
    for case in cases:
        key = json.dumps(case.policy, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(case)
    names = [c.name for c in unique]
    assert len(set(names)) == len(names), "duplicate case names"
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=4) as pool:
        ours = list(pool.map(lambda ic: vouch_lint(vouch_bin, Path(tmp), ic[0], ic[1].policy), enumerate(unique)))
    for case, mine in zip(unique, ours):
        if not mine["ok"]:
            code = mine["code"]
            assert code in GCLOUD_REJECTS | READ_DIFFERENTLY | SERVER_SIDE | VOUCH_LIMITS, (
                f"{case.name}: unclassified vouch error code {code}")
    compare = [(c, m) for c, m in zip(unique, ours) if m["ok"] or m["code"] not in VOUCH_LIMITS]
    batch = [{"text": c.policy} if isinstance(c.policy, str) else {"value": c.policy} for c, _ in compare]
    theirs = gcloud_oracle({"policies": batch})["policies"]

    problems = []
    counts = {"both load": 0, "both refuse": 0, "server-side only": 0, "read differently": 0, "known": 0}
    used = set()
    for (case, mine), their in zip(compare, theirs):
        gcloud_ok = "ok" in their
        what = their.get("error", "loads")
        if case.known:
            used.add(case.known)
            loader = KNOWN[case.known][0]
            if (loader == "gcloud") != (gcloud_ok and not mine["ok"]) or (loader == "vouch") != (mine["ok"] and not gcloud_ok):
                problems.append(f"{case.name}: expected the known difference `{case.known}` (only {loader} loads it); "
                                f"vouch: {mine}, gcloud: {what}")
            counts["known"] += 1
        elif mine["ok"]:
            if not gcloud_ok:
                problems.append(f"{case.name}: vouch loads it, gcloud refuses: {what}")
            elif not isinstance(case.policy, str) and their["ok"] != content(case.policy):
                problems.append(f"{case.name}: gcloud reads other content:\n  {their['ok']}\n  {content(case.policy)}")
            counts["both load"] += 1
        elif mine["code"] in GCLOUD_REJECTS:
            if gcloud_ok:
                problems.append(f"{case.name}: vouch refuses it ({mine['code']} at {mine['path']}: {mine['message']}), "
                                f"gcloud loads it")
            counts["both refuse"] += 1
        elif mine["code"] in READ_DIFFERENTLY:
            counts["read differently"] += 1
        else:  # SERVER_SIDE
            if not gcloud_ok:
                problems.append(f"{case.name}: {mine['code']} is classified server-side only, but gcloud refuses "
                                f"the document too: {what}")
            counts["server-side only"] += 1
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems)
    assert used == set(KNOWN), f"known differences without a case: {set(KNOWN) - used}"
    report(f"gcloud policies: {len(compare)} documents compared ({', '.join(f'{n} {k}' for k, n in counts.items())}; "
           f"{len(unique) - len(compare)} over vouch's limits not sent)")
