"""Replay from Python (decisions X-1 … X-4): the typed API gives what the document entry point
gives for every replay vector, ``vouch.replay`` reads files as ``vouch replay`` does, and the
summary merges and pickles."""

from __future__ import annotations

import base64
import importlib
import json
import os
import pickle
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

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
        pytest.skip("not a list of log entries" + (" (a log: test_replay_file_gives_the_log_vectors_records)" if is_log_case(path) else ""))
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


def is_log_case(path: Path) -> bool:
    case = json.loads(path.read_text(encoding="utf-8"))
    return "expectError" not in case and any(k in case["input"] for k in ("log", "logBase64"))


LOG_CASES = [p for p in REPLAY if is_log_case(p)]


@pytest.mark.parametrize("path", LOG_CASES, ids=[p.name for p in LOG_CASES])
def test_replay_file_gives_the_log_vectors_records(path: Path, tmp_path: Path) -> None:
    """The shared `log` vectors through a file: ``Replayer.replay_file`` and ``vouch.replay``
    give the golden records (named by the file) and summary."""
    case = json.loads(path.read_text(encoding="utf-8"))
    members = case["input"]
    golden = json.loads((GOLDEN / path.name).read_text(encoding="utf-8"))
    log = tmp_path / "log"
    log.write_bytes(members["log"].encode() if "log" in members else base64.b64decode(members["logBase64"]))
    config = {k: v for k, v in members.items() if k not in ("log", "logBase64")}
    summary = vouch.ReplaySummary()
    records = []
    for kind, payload in vouch.Replayer.from_config(config).replay_file(log, source="log"):
        if summary.add(kind, payload) and kind != "skipped":
            records.append(json.loads(payload))
    assert records == golden["records"]
    assert summary.to_dict() == golden["summary"]
    run = vouch.replay([log], policy=config["policy"], attestors=config.get("attestors"),
                       attestations=config.get("attestations"), cluster=config.get("cluster"))
    assert [dict(r, source="log") for r in run] == golden["records"]
    assert run.summary == golden["summary"]


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


def test_replay_reads_files_as_the_command_line_does(cli: str, tmp_path: Path) -> None:
    logs = ["examples/replay/gke-audit.json", "examples/replay/k8s-audit.jsonl"]
    summary_file = tmp_path / "summary.json"
    ran = subprocess.run(
        [cli, "replay", "--policy", "examples/policy.yaml", "--attestors", "examples/attestors.json",
         "--evidence", "examples/attestations.json", "--cluster", "us-central1-a.prod-cluster",
         "--progress", "never", "--summary", str(summary_file), *logs],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert ran.returncode == 1, ran.stderr
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
    assert records == [json.loads(line) for line in ran.stdout.splitlines()]
    assert summary == json.loads(summary_file.read_text(encoding="utf-8"))
    assert summary["changes"] == {"NEWLY_BLOCKED": 2, "NOT_COMPARABLE": 1, "SAME": 7}


def irregular_logs(folder: Path) -> List[Path]:
    """Files every front end must read alike (vouch::split_log): each irregularity once."""
    entries = json.loads((EXAMPLES / "replay" / "gke-audit.json").read_text(encoding="utf-8"))
    lines = [json.dumps(entry).encode() for entry in entries]
    files = {
        # A byte-order mark and blank lines first; CRLF ends; a line that is not UTF-8; two
        # entries on one line split by a lone CR (one line: malformed); a line of no-break
        # spaces (not blank: malformed); duplicate keys; a truncated line.
        "lines.jsonl": b"\xef\xbb\xbf\n \r\n" + lines[0] + b"\r\n" + lines[1].replace(b'"', b'"\xff', 1)
        + b"\n" + lines[2] + b"\r" + lines[3] + b"\n\xc2\xa0\xc2\xa0\n" + lines[4][:-1] + b', "insertId": "again"}\n'
        + lines[5][:40] + b"\n\t\n" + lines[6] + b"\n",
        # Elements: an empty one, NaN (not JSON: the rest is one malformed entry), behind it
        # duplicate keys, not UTF-8, another array, data after the array.
        "array.json": b"[" + lines[0] + b",," + lines[1] + b", NaN, {\"a\": 1, \"a\": 2}, \"\xff\", " + lines[2]
        + b"]\n[" + lines[3] + b",]\n{}",
        # Cut short after a whole element.
        "truncated.json": b"[" + lines[0] + b",\n" + lines[1],
        # One pretty-printed entry; a snapshot written on one line.
        "pretty.json": json.dumps(entries[4], indent=2).encode(),
        "snapshot.jsonl": json.dumps({"kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}", "namespace": "team-a", "uid": f"u{i}"},
             "spec": {"containers": [{"name": "c", "image": image}]}, "status": {"startTime": "2026-11-23T10:00:00Z"}}
            for i, image in enumerate(["docker.io/library/nginx:1.27", "gcr.io/example-project/tools/x:1"])
        ]}).encode() + b"\n" + lines[5] + b"\n",
        # A line longer than the limit between two entries.
        "long.jsonl": lines[0] + b"\n" + b"{\"x\": \"" + b"y" * vouch.MAX_ENTRY_BYTES + b"\"}\n" + lines[1] + b"\n",
        "empty.json": b" \n",
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_replay_reads_irregular_files_as_the_command_line_does(cli: str, tmp_path: Path) -> None:
    """Byte for byte the command's records and summary, from files that are irregular in every
    way the splitter knows: through ``vouch.replay`` and through ``Replayer.replay_lines`` fed
    the raw lines of the JSON-lines files."""
    folder = tmp_path / "logs"
    (folder / "sub").mkdir(parents=True)
    paths = irregular_logs(folder)
    (folder / "sub" / "again.jsonl").write_bytes((folder / "lines.jsonl").read_bytes())
    (folder / "loop").symlink_to(folder)  # not followed, by either
    summary_file = tmp_path / "summary.json"
    config = ["--policy", str(EXAMPLES / "policy.yaml"), "--attestors", str(EXAMPLES / "attestors.json"),
              "--cluster", "us-central1-a.prod-cluster"]
    run_cli = subprocess.run(
        [cli, "replay", *config, "--progress", "never", "--summary", str(summary_file), *map(str, paths)],
        capture_output=True, check=False,
    )
    assert run_cli.returncode == 1, run_cli.stderr
    cli_lines = run_cli.stdout.decode().splitlines()
    run = vouch.replay(paths, policy=read("policy.yaml"), attestors=read("attestors.json"),
                       cluster="us-central1-a.prod-cluster")
    assert [json.dumps(r, separators=(",", ":")) for r in run] == cli_lines
    assert run.summary == json.loads(summary_file.read_text(encoding="utf-8"))
    codes = [json.loads(line)["error"]["code"] for line in cli_lines if '"error"' in line]
    assert sorted(set(codes)) == ["INPUT_DUPLICATE_KEY", "INPUT_ENCODING", "INPUT_SYNTAX", "INPUT_TOO_LARGE"]
    assert run.summary["malformed"] == len(codes) == 10, codes
    # Raw lines through replay_lines: the command's records of each JSON-lines file alone (alone:
    # replay_lines does not drop duplicates, the summary does).
    replayer = vouch.Replayer(read("policy.yaml"), attestors=read("attestors.json"),
                              cluster="us-central1-a.prod-cluster")
    for path in paths:
        if path.suffix != ".jsonl":
            continue
        raw = [line + b"\n" for line in path.read_bytes().split(b"\n")]  # newlines kept, as read
        raw[0] = raw[0].removeprefix(b"\xef\xbb\xbf")  # a file's mark, not a line's: the caller's
        ours = [payload for kind, payload in replayer.replay_lines(raw, source=str(path)) if kind != "skipped"]
        alone = subprocess.run([cli, "replay", *config, "--progress", "never", str(path)], capture_output=True, check=False)
        assert ours == alone.stdout.decode().splitlines(), path.name
    # Text lines are read by the same rule (a str with a lone surrogate is not UTF-8).
    outcomes = replayer.replay_lines(["\ud800", " \t", "\u00a0"])
    assert [(kind, json.loads(payload)["entry"], json.loads(payload)["error"]["code"]) for kind, payload in outcomes] == [
        ("malformed", 1, "INPUT_ENCODING"), ("malformed", 3, "INPUT_SYNTAX"),
    ]
    with pytest.raises(TypeError, match="str or bytes"):
        replayer.replay_lines([1])  # type: ignore[list-item]
    with pytest.raises(FileNotFoundError):
        list(replayer.replay_file(tmp_path / "missing.jsonl"))
    # A folder: its files recursively in name order, as the command lists them.
    whole = subprocess.run([cli, "replay", *config, "--progress", "never", str(folder)], capture_output=True, check=False)
    from_folder = vouch.replay([folder], policy=read("policy.yaml"), attestors=read("attestors.json"),
                               cluster="us-central1-a.prod-cluster")
    folder_lines = whole.stdout.decode().splitlines()
    assert [json.dumps(r, separators=(",", ":")) for r in from_folder] == folder_lines
    assert any(str(folder / "sub" / "again.jsonl") in line for line in folder_lines)


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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_replay_file_can_be_interrupted_while_it_waits(tmp_path: Path) -> None:
    """Ctrl-C reaches a replay waiting on an input that has not ended (a pipe): the wait looks
    for signals; and the reading thread ends once the writer closes."""
    import signal
    import threading
    import time

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    entry = json.dumps(json.loads(read("replay/gke-audit.json"))[0]).encode() + b"\n"

    def writer(stop: threading.Event) -> None:
        with open(fifo, "wb") as w:
            w.write(entry)
            w.flush()
            stop.wait(30)

    stop = threading.Event()
    feeding = threading.Thread(target=writer, args=(stop,))
    feeding.start()
    replayer = vouch.Replayer(read("policy.yaml"), attestors=read("attestors.json"))
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(replayer.replay_file(fifo))
    finally:
        timer.cancel()
        stop.set()
        feeding.join()
    assert time.monotonic() - started < 10
