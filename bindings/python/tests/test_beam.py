"""The Beam pipeline (``vouch.beam``) against ``vouch replay``: on the same logs, the same record
lines (sorted by source and entry: the pipeline writes shards, the command input order) and the
same summary. Runs Beam's local runner in this process and prints its throughput.

Skipped (visibly) without Apache Beam (``pip install -r requirements-beam.txt``) or without a
``vouch`` binary (``VOUCH_BIN``, ``target/{debug,release}/vouch`` or the ``PATH``).
``VOUCH_BEAM_EVENTS`` sets the fleet log's size (default 3000 lines).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import pytest

import vouch

from conftest import EXAMPLES, ROOT

@pytest.fixture
def binary(cli: str) -> str:
    pytest.importorskip("apache_beam")
    return cli


def fleet_log(path: Path, events: int) -> Path:
    subprocess.run(
        [sys.executable, "scripts/replay/gen_fleet_log.py", "--events", str(events), "--out", str(path)],
        cwd=ROOT,
        check=True,
    )
    return path


def order(line: str) -> Tuple[str, int, str]:
    """The command's order: by source and entry (the lines of one entry, a snapshot written on
    one line, by text: the pipeline writes them in any order)."""
    record: Dict[str, Any] = json.loads(line)
    return (str(record["source"]), int(record["entry"]), line)


def cli_replay(binary: str, inputs: Sequence[str], out: Path) -> Tuple[int, List[str], Dict[str, Any]]:
    """`vouch replay`'s exit status, record lines and summary."""
    records, summary = out / "cli-records.jsonl", out / "cli-summary.json"
    cli = subprocess.run(
        [binary, "replay", "--policy", "examples/policy.yaml", "--attestors", "examples/attestors.json",
         "--evidence", "examples/attestations.json", "--progress", "never", "--summary", str(summary),
         "--output", str(records), *inputs],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert cli.returncode in (0, 1, 3), cli.stderr
    loaded: Dict[str, Any] = json.loads(summary.read_text(encoding="utf-8"))
    return cli.returncode, records.read_text(encoding="utf-8").splitlines(), loaded


def beam_replay(inputs: Sequence[str], out: Path, *beam_args: str) -> Tuple[int, List[str], Dict[str, Any], float]:
    """The pipeline's exit status, record lines, summary and wall time (launcher included)."""
    import vouch.beam

    args = [
        "--policy", str(EXAMPLES / "policy.yaml"),
        "--attestors", str(EXAMPLES / "attestors.json"),
        "--attestations", str(EXAMPLES / "attestations.json"),
        "--output", str(out / "beam" / "records"),
        "--summary", str(out / "beam" / "summary.json"),
        "--runner", "DirectRunner",
        *beam_args,
    ]
    for pattern in inputs:
        args += ["--input", pattern]
    started = time.perf_counter()
    status = vouch.beam.main(args)
    seconds = time.perf_counter() - started
    lines: List[str] = []
    for shard in sorted((out / "beam").glob("records-*.jsonl")):
        lines.extend(shard.read_text(encoding="utf-8").splitlines())
    summary: Dict[str, Any] = json.loads((out / "beam" / "summary.json").read_text(encoding="utf-8"))
    return status, lines, summary, seconds


def test_import_vouch_does_not_import_beam() -> None:
    probe = "import sys, vouch; assert 'apache_beam' not in sys.modules, 'import vouch imported Beam'"
    subprocess.run([sys.executable, "-c", probe], check=True)


def test_beam_replays_a_fleet_log_as_the_command_line_does(binary: str, tmp_path: Path) -> None:
    events = int(os.environ.get("VOUCH_BEAM_EVENTS", "3000"))
    log = str(fleet_log(tmp_path / "fleet.jsonl", events))
    cli_status, cli_lines, cli_summary = cli_replay(binary, [log], tmp_path)
    status, lines, summary, seconds = beam_replay([log], tmp_path)
    print(
        f"\nbeam (DirectRunner, in-process): {summary['entries']} entries, {summary['events']} events "
        f"in {seconds:.2f} s: {summary['events'] / seconds:.0f} events/s "
        f"({summary['entries'] / seconds:.0f} entries/s, launcher and runner start-up included)"
    )
    assert summary["entries"] == events
    assert summary["duplicates"] > 0 and summary["malformed"] > 0 and summary["skipped"] > 0
    assert sorted(lines, key=order) == sorted(cli_lines, key=order)
    assert summary == cli_summary
    assert status == cli_status


def snapshot_line(*pods: Tuple[str, str, str]) -> str:
    """A cluster snapshot written on one line: ``(name, uid, image)`` per Pod."""
    items = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": "team-a", "uid": uid},
            "spec": {"containers": [{"name": "c", "image": image}]},
            "status": {"startTime": "2026-11-23T10:00:00Z"},
        }
        for name, uid, image in pods
    ]
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, separators=(",", ":"))


def test_beam_reads_inputs_in_the_command_lines_order(binary: str, tmp_path: Path) -> None:
    """Several inputs (a file twice, a folder read recursively in name order), duplicates
    across files and within one line (the first copy in input order is kept), a byte-order
    mark, leading and inner blank lines, CRLF line ends, a malformed first line (still JSON
    lines), snapshots on one line (several outcomes per entry, or none); two worker processes
    (summaries merged across processes)."""
    lines = fleet_log(tmp_path / "fleet.jsonl", 400).read_text(encoding="utf-8").splitlines()
    snapshot = snapshot_line(
        ("web-1", "uid-1", "docker.io/library/nginx:1.27"),
        ("web-2", "uid-2", "gcr.io/example-project/debug-tools/netshoot:v0.13"),
        ("web-1-again", "uid-1", "docker.io/library/nginx:1.27"),
    )
    folder = tmp_path / "logs"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "x.jsonl").write_bytes(
        b"\xef\xbb\xbf\n  \n" + "\r\n".join(lines[:150]).encode() + b"\r\n"
    )
    (folder / "a-b.jsonl").write_text(
        "\n".join(lines[100:250]) + "\n \n\t\n" + snapshot + "\n" + "\n".join(lines[250:]), encoding="utf-8"
    )
    # Lines the core reads by the command's rule: not UTF-8, two entries split by a lone CR,
    # no-break spaces only, longer than the limit (the rest of it dropped as it is read).
    irregular = [b'{"a": "\xff"}', lines[0].encode() + b"\r" + lines[1].encode(), "\u00a0".encode(),
                 b'{"x": "' + b"y" * vouch.MAX_ENTRY_BYTES + b'"}']
    (folder / "b.jsonl").write_bytes(
        ('{"protoPayload": {"serviceName": "k8s.io"\n' + "\n".join(lines[:50]) + "\n" + snapshot
         + '\n{"kind":"List","items":[]}\n').encode() + b"\n".join(irregular) + b"\n" + lines[60].encode()
    )
    single = str(tmp_path / "fleet.jsonl")
    inputs = [str(folder), single, single]
    cli_status, cli_lines, cli_summary = cli_replay(binary, inputs, tmp_path)
    # Not multi_threading: Beam 2.77.0's local runner loses elements in that mode (refused).
    status, beam_lines, summary, _ = beam_replay(
        inputs, tmp_path, "--direct_num_workers", "2", "--direct_running_mode", "multi_processing",
        "--lines-per-batch", "37",
    )
    assert {order(line)[0] for line in cli_lines} == {
        str(folder / "a" / "x.jsonl"), str(folder / "a-b.jsonl"), str(folder / "b.jsonl"), single,
    }
    assert sum('"name":"web-1-again"' in line for line in cli_lines) == 0
    assert sorted(beam_lines, key=order) == sorted(cli_lines, key=order)
    assert summary == cli_summary
    assert summary["duplicates"] > 400
    b_errors = [json.loads(line)["error"]["code"] for line in cli_lines
                if '"error"' in line and json.loads(line)["source"] == str(folder / "b.jsonl")]
    # Its first line, ..., then the four irregular ones.
    assert b_errors[0] == "INPUT_SYNTAX"
    assert b_errors[-4:] == ["INPUT_ENCODING", "INPUT_SYNTAX", "INPUT_SYNTAX", "INPUT_TOO_LARGE"]
    assert status == cli_status


def test_beam_refuses_what_is_not_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("apache_beam")
    import vouch.beam

    array = tmp_path / "entries.json"
    entries = (EXAMPLES / "replay" / "k8s-audit.jsonl").read_text(encoding="utf-8")
    array.write_text("[\n" + entries.replace("\n", ",\n") + "{}]\n")
    pretty = tmp_path / "entry.json"
    pretty.write_text(json.dumps(json.loads(snapshot_line(("web", "uid", "nginx:1.27"))), indent=2))
    for document in (array, pretty):
        with pytest.raises(ValueError, match="not JSON lines"):
            list(vouch.beam.read_line_batches(0, str(document), str(document)))
    config = ["--policy", str(EXAMPLES / "policy.yaml"), "--attestors", str(EXAMPLES / "attestors.json")]
    assert vouch.beam.main([*config, "--input", str(tmp_path / "missing*.jsonl")]) == 2
    assert "no input file matches" in capsys.readouterr().err
    assert vouch.beam.main(["--policy", str(EXAMPLES / "policy-invalid.yaml"), "--input", str(array)]) == 2
    assert "POLICY_INVALID_PATTERN" in capsys.readouterr().err
    lossy = ["--direct_num_workers", "2", "--direct_running_mode", "multi_threading"]
    assert vouch.beam.main([*config, "--input", str(EXAMPLES / "replay" / "k8s-audit.jsonl"), *lossy]) == 2
    assert "multi_threading" in capsys.readouterr().err


def test_beam_reads_lines_as_the_core_splits_them(tmp_path: Path) -> None:
    """The pipeline's reader (numbered raw lines, each read by the core's line rule) and the
    core's splitter (``Replayer.replay_file``, what ``vouch replay`` reads through) give the same
    outcomes, on files irregular at the edges of the rules; and a ``.gz`` file reads as its
    content."""
    pytest.importorskip("apache_beam")
    import gzip

    import vouch.beam

    entries = json.loads((EXAMPLES / "replay" / "gke-audit.json").read_text(encoding="utf-8"))
    a, b = (json.dumps(e).encode() for e in entries[:2])
    limit = vouch.MAX_ENTRY_BYTES
    exact = b"{" + b" " * (limit - 2) + b"}"
    files = {
        "marks.jsonl": b"\xef\xbb\xbf \xef\xbb\xbf\n\n" + a + b"\r\n" + b + b"\n",
        "leading.jsonl": b" " * (limit + 10) + b"\n" + a + b"\n" + b + b"\n",
        "blank.jsonl": a + b"\n" + b" " * (limit + 1) + b + b"\n" + b + b"\n",
        "exact.jsonl": exact + b"\n" + exact + b" \n" + a,
    }
    replayer = vouch.Replayer(
        (EXAMPLES / "policy.yaml").read_text(encoding="utf-8"),
        attestors=(EXAMPLES / "attestors.json").read_text(encoding="utf-8"),
    )
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        core = list(replayer.replay_file(path, source=name))
        beam = [
            outcome
            for _, source, first, lines in vouch.beam.read_line_batches(0, name, str(path), lines_per_batch=2)
            for outcome in replayer.replay_lines(lines, source=source, first_entry=first)
        ]
        assert beam == core, name
        assert core, name
        packed = tmp_path / (name + ".gz")
        packed.write_bytes(gzip.compress(data))
        unpacked = list(vouch.beam.read_line_batches(0, name, str(packed)))
        assert unpacked == list(vouch.beam.read_line_batches(0, name, str(path))), name
    codes = [json.loads(p)["error"]["code"] for _, p in replayer.replay_file(tmp_path / "blank.jsonl") if '"error"' in p]
    assert codes == ["INPUT_TOO_LARGE"]
