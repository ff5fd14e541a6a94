"""Differential test: `vouch check PATH...` considers exactly the objects `kubectl apply -f PATH...`
reads, for generated folder trees (hidden files and folders, extensions, -R, symbolic links,
lists, JSON streams, empty documents) and for every kubectl found on this machine.

The oracle is `kubectl annotate --local -f PATH... [-R] KEY=VALUE -o json`: it runs offline and
goes through the same resource builder as `kubectl apply -f` (FilenameParam, unstructured
decoding, Flatten), so it prints every object apply would send. Objects are compared in order as
(kind, name). vouch's side is its JSON output: every evaluated workload, every object skipped as
NOT_A_WORKLOAD, and every workload that it could not evaluate (an ERROR row labelled Kind/name).

Environment: VOUCH_BIN (default: $CARGO_TARGET_DIR/debug/vouch, else target/debug/vouch under
the repository root, built by `cargo build -p vouch-cli`), KUBECTL (default: `kubectl` on PATH, plus the versioned
`kubectl.1.NN` beside it, as the Google Cloud SDK installs them). Skips, saying why, when
either is missing.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "gcr.io/p/app@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
POLICY = (
    "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n"
    "  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nglobalPolicyEvaluationMode: DISABLE\n"
)

Obj = tuple[str, str | None]


def _vouch_bin_path() -> Path:
    if os.environ.get("VOUCH_BIN"):
        return Path(os.environ["VOUCH_BIN"])
    return Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "debug" / "vouch"


def _vouch_bin() -> Path | None:
    path = _vouch_bin_path()
    return path if path.is_file() and os.access(path, os.X_OK) else None


def _kubectls() -> list[str]:
    explicit = os.environ.get("KUBECTL")
    if explicit:
        return [explicit] if shutil.which(explicit) else []
    found = shutil.which("kubectl")
    if not found:
        return []
    real = os.path.realpath(found)
    versioned = sorted(glob.glob(os.path.join(os.path.dirname(real), "kubectl.1.*")))
    return [found] + [v for v in versioned if os.access(v, os.X_OK)]


VOUCH = _vouch_bin()
KUBECTLS = _kubectls()

pytestmark = [
    pytest.mark.skipif(not KUBECTLS, reason="kubectl is not installed: the kubectl differential stage is skipped"),
    pytest.mark.skipif(
        VOUCH is None,
        reason=f"no vouch binary at {_vouch_bin_path()} "
        "(build it with `cargo build -p vouch-cli` or set VOUCH_BIN)",
    ),
]


# ---------------------------------------------------------------- the two readers


def _json_stream(text: str) -> list[dict]:
    decoder = json.JSONDecoder()
    out, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return out
        value, i = decoder.raw_decode(text, i)
        out.append(value)


def kubectl_objects(kubectl: str, cwd: Path, paths: list[str], recursive: bool) -> tuple[int, list[Obj]]:
    """What kubectl reads, in its order; and its exit status."""
    kubeconfig = cwd / "empty-kubeconfig"
    kubeconfig.write_text("")
    args = [kubectl, "annotate", "--local", "-o", "json"]
    for p in paths:
        args += ["-f", p]
    if recursive:
        args.append("-R")
    args.append("vouch-differential=1")
    env = dict(os.environ, KUBECONFIG=str(kubeconfig))
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    objects: list[Obj] = []
    for value in _json_stream(done.stdout):
        items = value.get("items") if value.get("kind") == "List" else [value]
        for item in items or []:
            objects.append((item.get("kind"), (item.get("metadata") or {}).get("name")))
    return done.returncode, objects


def vouch_objects(cwd: Path, paths: list[str], recursive: bool) -> tuple[int, list[Obj], list[dict]]:
    """The objects vouch considered, in its order; its exit status; its rows."""
    policy = cwd / "vouch-policy.yaml"
    policy.write_text(POLICY)
    args = [str(VOUCH), "check", *paths, "--policy", str(policy), "--now", "2026-11-23T10:00:00Z", "--output", "json"]
    if recursive:
        args.append("-R")
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    objects: list[Obj] = []
    previous = None
    for row in rows:
        label = row.get("object", "")
        if not label or label.startswith("document "):
            continue  # a file-level row, or a document kubectl refuses too
        if row["outcome"] == "SKIPPED" and row["skipped"]["code"] != "NOT_A_WORKLOAD":
            continue
        # A workload has one row per container, one after the other: count the object once.
        # (The trees never put two objects with one label in one file.)
        if (row["file"], label) == previous:
            continue
        previous = (row["file"], label)
        kind, _, name = label.partition("/")
        objects.append((kind, name or None))
    return done.returncode, objects, rows


# ---------------------------------------------------------------- trees


def pod(name: str) -> str:
    return f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - {{name: c, image: '{IMAGE}'}}\n"


def json_pod(name: str) -> str:
    return json.dumps(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
         "spec": {"containers": [{"name": "c", "image": IMAGE}]}}
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def tree_mixed(root: Path) -> list[str]:
    d = root / "d"
    write(d / "a.yaml", pod("a") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n---\n---\nnull\n")
    write(d / ".hidden.yaml", pod("hidden"))
    write(d / ".yaml", pod("dotyaml"))
    write(d / ".dir" / "p.yaml", pod("in-hidden-dir"))
    write(d / ".dir" / ".deeper" / "q.yml", pod("deeper-hidden"))
    write(d / "b.yml", pod("yml"))
    (d / "utf16le.yaml").write_bytes(b"\xff\xfe" + pod("utf16le").encode("utf-16-le"))
    (d / "utf16be.json").write_bytes(b"\xfe\xff" + json_pod("utf16be").encode("utf-16-be"))
    write(d / "c.json", json_pod("j1") + "\n" + json_pod("j2") + json_pod("j3") + "\n")
    write(d / "notes.txt", pod("txt"))
    write(d / "upper.YAML", pod("upper"))
    write(d / "noext", pod("noext"))
    write(d / "sub" / "deep.yaml", pod("deep"))
    write(d / "sub" / "more" / "deepest.json", json_pod("deepest"))
    write(d / "empty.yaml", "")
    write(d / "comments.yml", "# nothing\n---\n# still nothing\n")
    write(d / "list.yaml", "apiVersion: v1\nkind: List\nitems:\n"
          "- {apiVersion: v1, kind: Pod, metadata: {name: li1}, spec: {containers: [{name: c, image: x}]}}\n"
          "- {apiVersion: v1, kind: Service, metadata: {name: svc}}\n")
    write(d / "smuggle.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: innocent}\nitems:\n"
          "- {apiVersion: v1, kind: Pod, metadata: {name: smuggled}, spec: {containers: [{name: c, image: x}]}}\n")
    write(d / "podlist.yaml", "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: bare}\n"
          "  spec: {containers: [{name: c, image: x}]}\n")
    write(d / "nulllist.yaml", "apiVersion: v1\nkind: List\nitems: null\n---\napiVersion: v1\nkind: Pod\n"
          "metadata: {name: with-null-items}\nitems: null\n")
    write(d / "z-deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
          "  template:\n    spec:\n      containers: [{name: c, image: x}]\n")
    write(root / "outside" / "target.yaml", pod("linked"))
    write(root / "outside" / "other.yaml", pod("linked-other"))
    os.symlink("../outside/target.yaml", d / "link.yaml")
    os.symlink("../outside/other.yaml", d / "link-noext")
    os.symlink("../outside", d / "linkdir")
    return ["d"]


def tree_explicit(root: Path) -> list[str]:
    tree_mixed(root)
    return ["d/notes.txt", "d/sub", "d/noext", "d/c.json"]


def tree_glob(root: Path) -> list[str]:
    tree_mixed(root)
    # Paths that do not exist are glob patterns to kubectl (Go's filepath.Glob).
    return ["d/*.yaml", "d/[bc].*", "d/s?b", "d/.d*"]


def tree_refused(root: Path) -> list[str]:
    d = root / "d"
    write(d / "a-good.yaml", pod("good"))
    write(d / "nokind.yaml", "apiVersion: v1\nmetadata: {name: nokind}\n---\n" + pod("after-nokind"))
    write(d / "nested.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n")
    write(d / "partial.yaml", "apiVersion: v1\nkind: List\nitems:\n- {kind: Pod, metadata: {name: nover}}\n"
          "- {apiVersion: v1, metadata: {name: nokind}}\n- {apiVersion: v1, kind: Pod, metadata: {name: fine}}\n")
    write(d / "scalar.yaml", "just a string\n")
    return ["d"]


TREES: dict[str, Callable[[Path], list[str]]] = {
    "mixed": tree_mixed,
    "explicit-files": tree_explicit,
    "glob-patterns": tree_glob,
    "refused-documents": tree_refused,
}


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("kubectl_path", KUBECTLS, ids=[os.path.basename(k) for k in KUBECTLS] or None)
@pytest.mark.parametrize("recursive", [False, True], ids=["flat", "recursive"])
@pytest.mark.parametrize("tree", list(TREES), ids=list(TREES))
def test_vouch_considers_what_kubectl_reads(tmp_path: Path, kubectl_path: str, recursive: bool, tree: str) -> None:
    paths = TREES[tree](tmp_path)
    k_status, k_objects = kubectl_objects(kubectl_path, tmp_path, paths, recursive)
    v_status, v_objects, rows = vouch_objects(tmp_path, paths, recursive)
    assert k_objects, f"kubectl read nothing (status {k_status}): the oracle is broken"
    assert v_objects == k_objects, f"kubectl reads {k_objects}\nvouch considered {v_objects}\nrows {rows}"
    # What kubectl refuses, vouch reports as an error (exit 2), never skips quietly.
    if k_status != 0:
        assert v_status == 2, rows


def test_skipped_entries_name_a_reason(tmp_path: Path) -> None:
    paths = tree_mixed(tmp_path)
    _, _, rows = vouch_objects(tmp_path, paths, False)
    skipped = {(r["file"], r["skipped"]["code"]) for r in rows if r["outcome"] == "SKIPPED" and not r["object"]}
    assert skipped == {
        ("d/.dir", "FOLDER_NOT_RECURSIVE"),
        ("d/sub", "FOLDER_NOT_RECURSIVE"),
        ("d/notes.txt", "NOT_A_MANIFEST_EXTENSION"),
        ("d/upper.YAML", "NOT_A_MANIFEST_EXTENSION"),
        ("d/noext", "NOT_A_MANIFEST_EXTENSION"),
        ("d/link-noext", "NOT_A_MANIFEST_EXTENSION"),
        ("d/linkdir", "SYMLINK_NOT_FOLLOWED"),
    }


@pytest.mark.parametrize("kubectl_path", KUBECTLS[:1], ids=[os.path.basename(k) for k in KUBECTLS[:1]] or None)
def test_a_folder_without_manifests_is_refused_by_both(tmp_path: Path, kubectl_path: str) -> None:
    write(tmp_path / "d" / "README.md", "no manifests here\n")
    write(tmp_path / "d" / "sub" / "p.yaml", pod("only-with-R"))
    k_status, _ = kubectl_objects(kubectl_path, tmp_path, ["d"], False)
    v_status, _, _ = vouch_objects(tmp_path, ["d"], False)
    assert k_status != 0 and v_status == 2
    k_status, k_objects = kubectl_objects(kubectl_path, tmp_path, ["d"], True)
    v_status, v_objects, _ = vouch_objects(tmp_path, ["d"], True)
    assert (k_status, k_objects) == (0, [("Pod", "only-with-R")])
    assert (v_status, v_objects) == (0, k_objects)
