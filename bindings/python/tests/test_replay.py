"""Replay from Python (decisions X-1 … X-4): the typed API gives what the document entry point
gives for every replay vector, ``vouch.replay`` reads files as ``vouch replay`` does, and the
summary merges and pickles."""

from __future__ import annotations

import importlib
import json
import os
import pickle
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import vouch

from conftest import EXAMPLES, ROOT, VECTORS

REPLAY = sorted((VECTORS / "replay").glob("*.json"))
GOLDEN = ROOT / "testdata" / "golden" / "replay"


def read(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def typed_outcomes(config: Dict[str, Any], entries: List[Any]) -> List[Tuple[str, str]]:
    replayer = vouch.Replayer.from_config(config)
    out: List[Tuple[str, str]] = []
    for i, entry in enumerate(entries):
        line = entry if isinstance(entry, str) else json.dumps(entry)
        out.extend(replayer.replay_lines([line], first_entry=i + 1))
    return out


def expressible(case: Dict[str, Any]) -> bool:
    """Entries that are log entries (a snapshot is a document, not a line)."""
    entries = case["input"].get("entries")
    return (
        "expectError" not in case
        and isinstance(entries, list)
        and all(isinstance(e, str) or "items" not in e for e in entries)
    )


@pytest.mark.parametrize("path", REPLAY, ids=[p.name for p in REPLAY])
def test_the_typed_api_gives_the_document_entry_points_records_and_summary(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    if not expressible(case):
        pytest.skip("not a list of log entries")
    config = {k: v for k, v in case["input"].items() if k != "entries"}
    golden = json.loads((GOLDEN / path.name).read_text(encoding="utf-8"))
    summary = vouch.ReplaySummary()
    events = []
    for kind, payload in typed_outcomes(config, case["input"]["entries"]):
        if summary.add(kind, payload) and kind == "event":
            record = json.loads(payload)
            record["source"] = "entries"
            events.append(record)
    assert events == [r for r in golden["records"] if "error" not in r]
    assert summary.to_dict() == golden["summary"]


def test_summaries_of_parts_merge_and_pickle() -> None:
    case = json.loads((VECTORS / "replay" / "054-summary-groups.json").read_text(encoding="utf-8"))
    config = {k: v for k, v in case["input"].items() if k != "entries"}
    outcomes = typed_outcomes(config, case["input"]["entries"])
    whole = vouch.ReplaySummary()
    for kind, payload in outcomes:
        whole.add(kind, payload)
    left, right = vouch.ReplaySummary(), vouch.ReplaySummary()
    for i, (kind, payload) in enumerate(outcomes):
        (left if i % 2 else right).add(kind, payload)
    merged = pickle.loads(pickle.dumps(left))
    merged.merge(pickle.loads(pickle.dumps(right)))
    assert merged.to_dict() == whole.to_dict()
    with pytest.raises(ValueError):
        whole.add("event", "{}")
    with pytest.raises(ValueError):
        whole.add("other", "x")


def test_configuration_errors_raise_their_subjects_class() -> None:
    with pytest.raises(vouch.PolicyError) as info:
        vouch.Replayer(read("policy.yaml"))
    assert info.value.code == "POLICY_UNKNOWN_ATTESTOR"
    with pytest.raises(vouch.RequestError) as request:
        vouch.Replayer(read("policy.yaml"), attestors=read("attestors.json"), cluster="prod")
    assert (request.value.code, request.value.path) == ("REQUEST_INVALID_CLUSTER", "/cluster")


def vouch_binary() -> Optional[str]:
    for candidate in (
        os.environ.get("VOUCH_BIN"),
        str(ROOT / "target" / "debug" / "vouch"),
        str(ROOT / "target" / "release" / "vouch"),
        shutil.which("vouch"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def test_replay_reads_files_as_the_command_line_does(tmp_path: Path) -> None:
    binary = vouch_binary()
    if binary is None:
        pytest.skip("SKIPPED: no vouch binary (build it with cargo build -p vouch-cli, or set VOUCH_BIN)")
    logs = ["examples/replay/gke-audit.json", "examples/replay/k8s-audit.jsonl"]
    summary_file = tmp_path / "summary.json"
    cli = subprocess.run(
        [binary, "replay", "--policy", "examples/policy.yaml", "--attestors", "examples/attestors.json",
         "--evidence", "examples/attestations.json", "--cluster", "us-central1-a.prod-cluster",
         "--progress", "never", "--summary", str(summary_file), *logs],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert cli.returncode == 1, cli.stderr
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        run = vouch.replay(
            logs,
            policy=read("policy.yaml"),
            attestors=read("attestors.json"),
            attestations=read("attestations.json"),
            cluster="us-central1-a.prod-cluster",
        )
        records = list(run)
        summary = run.summary
    finally:
        os.chdir(cwd)
    assert records == [json.loads(line) for line in cli.stdout.splitlines()]
    assert summary == json.loads(summary_file.read_text(encoding="utf-8"))
    assert summary["changes"] == {"NEWLY_BLOCKED": 2, "NOT_COMPARABLE": 1, "SAME": 7}


def test_replay_run_api() -> None:
    run = vouch.replay(
        EXAMPLES / "replay" / "k8s-audit.jsonl",
        policy=read("policy.yaml"),
        attestors=read("attestors.json"),
        cluster="us-central1-a.prod-cluster",
    )
    records = run.records()
    assert [r.get("change") or r["error"]["code"] for r in records] == ["NEWLY_BLOCKED", "INPUT_SYNTAX"]
    assert list(run) == records
    assert run.summary["duplicates"] == 1
    strict = vouch.replay(
        EXAMPLES / "replay" / "k8s-audit.jsonl",
        policy=read("policy.yaml"),
        attestors=read("attestors.json"),
        strict=True,
    )
    with pytest.raises(vouch.RequestError) as info:
        strict.records()
    assert info.value.code == "INPUT_SYNTAX"
    assert "(entry 3)" in info.value.path
    once = vouch.replay(EXAMPLES / "replay" / "k8s-audit.jsonl", policy=read("policy.yaml"), attestors=read("attestors.json"))
    iter(once)
    with pytest.raises(RuntimeError):
        iter(once)


def test_to_pandas_and_to_arrow_when_installed() -> None:
    run = vouch.replay(
        EXAMPLES / "replay" / "gke-audit.json",
        policy=read("policy.yaml"),
        attestors=read("attestors.json"),
        attestations=read("attestations.json"),
    )
    try:
        importlib.import_module("pandas")
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            run.to_pandas()
    else:
        frame = run.to_pandas()
        assert list(frame["change"]).count("NEWLY_BLOCKED") == 1
        assert "candidate.verdict" in frame.columns
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        with pytest.raises(ImportError, match="pip install pyarrow"):
            run.to_arrow()
    else:
        assert run.to_arrow().num_rows == 9
