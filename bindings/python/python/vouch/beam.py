"""Replay at fleet scale: an Apache Beam pipeline (Dataflow, or any Beam runner) that decides
logged Pod deployments again under a candidate policy, as ``vouch replay`` does on one machine.

    python -m vouch.beam --policy policy.yaml --attestors attestors.json \\
        --attestations attestations.json \\
        --input 'gs://BUCKET/cloudaudit.googleapis.com/activity/2026/11/*/*.json' \\
        --output gs://BUCKET/replay/records --summary gs://BUCKET/replay/summary.json \\
        --runner DataflowRunner --project PROJECT --region REGION \\
        --temp_location gs://BUCKET/tmp --extra_package vouch-….whl

The same records (byte for byte the lines ``vouch replay`` prints, in shards instead of input
order: sort them by ``source`` then ``entry`` for the command's order) and the same summary as
``vouch replay LOGS --summary FILE`` over the files the patterns match, in the order of the
patterns, sorted names within each. Duplicates (the same key, ``vouch.replay_dedupe_key``:
format, ``logName``, id and time) are counted as the command counts them: the first copy in
input order (file, entry, outcome within the entry) is decided, every other copy is a
duplicate.

Inputs are JSON lines (the Cloud Storage export of Cloud Logging, Kubernetes audit logs,
BigQuery rows extracted as ``NEWLINE_DELIMITED_JSON``); a file that opens with a JSON array or
a pretty-printed document (``{`` alone on the first line) is refused: replay those with
``vouch replay``. Every file's lines keep their numbers (``entry``), which Beam's
``ReadFromText`` would lose. Beam 2.77.0's local runner in ``multi_threading`` mode drops
elements of combines: the pipeline refuses that mode (use the default one or
``multi_processing``).

The building blocks are usable from other pipelines: :class:`ReadLogLines` (patterns to
numbered line batches), :class:`ReplayLineBatches` (batches to records and summary),
:class:`ReplayTransform` (both). Importing this module does not need Beam (``import vouch``
never imports it); using it does: ``pip install 'apache-beam[gcp]'``. See
docs/guides/replay-beam.md.
"""

import argparse
import importlib
import json
import logging
import sys
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

import vouch
from vouch import _vouch


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# Beam has no type information: its modules are `Any` here, and the classes below derive from
# stand-ins (`object`) when it is not installed, so that the module still imports (stubtest,
# documentation tools); using them then raises ImportError (`_require_beam`).
_beam: Any = _import("apache_beam")
_DoFn: Any = _beam.DoFn if _beam is not None else object
_CombineFn: Any = _beam.CombineFn if _beam is not None else object
_PTransform: Any = _beam.PTransform if _beam is not None else object

__all__ = [
    "LineBatch",
    "Order",
    "ReadLogLines",
    "ReplayLineBatches",
    "ReplayTransform",
    "ReplayBatchesFn",
    "SummaryCombineFn",
    "FirstCopyFn",
    "build_replayer",
    "config_from_files",
    "match_inputs",
    "read_line_batches",
    "main",
]

#: A batch of consecutive lines of one input: ``(file index, source, first entry, lines)``;
#: ``lines[i]`` is entry ``first entry + i``, raw bytes as read (blank lines are kept, so that
#: numbers stay right; the core reads each line by ``vouch replay``'s rule). The file index
#: orders inputs (duplicates: the first copy wins).
LineBatch = Tuple[int, str, int, List[bytes]]

#: Lines per batch read: the unit spread across workers.
LINES_PER_BATCH = 500

#: Bytes per batch read, at most (a batch closes at whichever limit comes first).
BYTES_PER_BATCH = 4 << 20

_METRICS = "vouch.replay"

# What `vouch replay` skips before a file's first entry: ASCII white space and whole
# byte-order marks.
_ASCII_WS = b" \t\n\x0c\r"
_BOM = b"\xef\xbb\xbf"
# Bytes read at a time.
_CHUNK = 1 << 20
_log = logging.getLogger("vouch.beam")


def _require_beam() -> Any:
    if _beam is None:
        raise ImportError(
            "vouch.beam needs Apache Beam: pip install 'apache-beam[gcp]' "
            "(or -r bindings/python/requirements-beam.txt)"
        )
    return _beam


def _filesystems() -> Any:
    _require_beam()
    return importlib.import_module("apache_beam.io.filesystems").FileSystems


def _counter(name: str) -> Any:
    return importlib.import_module("apache_beam.metrics").Metrics.counter(_METRICS, name)


# --- configuration ------------------------------------------------------------------------


def build_replayer(config: Mapping[str, Any]) -> vouch.Replayer:
    """The ``vouch.Replayer`` of a configuration: ``vouch.replay_config(...)``'s document (plain
    data, which pickles: what the workers receive)."""
    return vouch.Replayer.from_config(config)


def _read_text(path: str) -> str:
    """A whole (configuration) file as text, local or on any Beam file system (``gs://``)."""
    with _filesystems().open(path) as f:
        data: bytes = f.read()
    return data.decode("utf-8")


def _texts(paths: Optional[Sequence[str]]) -> Any:
    """One file's text, several files' texts as a list (``vouch.Replayer`` takes both), or
    ``None``."""
    if not paths:
        return None
    texts = [_read_text(p) for p in paths]
    return texts[0] if len(texts) == 1 else texts


def config_from_files(
    policy: str,
    *,
    attestors: Optional[Sequence[str]] = None,
    attestations: Optional[Sequence[str]] = None,
    baseline: Optional[str] = None,
    system_policy: Optional[str] = None,
    cluster: Optional[str] = None,
    now: Optional[str] = None,
    strict_identity: bool = False,
) -> Dict[str, Any]:
    """``vouch.replay_config(...)`` of files, local or ``gs://``, read here (on the launcher)
    so that the workers receive their text."""
    return vouch.replay_config(
        _read_text(policy),
        attestors=_texts(attestors),
        attestations=_texts(attestations),
        baseline=_read_text(baseline) if baseline else None,
        system_policy=_read_text(system_policy) if system_policy else None,
        cluster=cluster,
        now=now,
        strict_identity=strict_identity,
    )


# --- reading ------------------------------------------------------------------------------


def _has_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _path_key(path: str) -> Tuple[str, ...]:
    """`vouch replay`'s folder order: by path component."""
    return tuple(part for part in path.split("/") if part)


def _is_local_dir(path: str) -> bool:
    import os.path

    return "://" not in path and os.path.isdir(path)


def match_inputs(patterns: Sequence[str]) -> List[Tuple[str, str]]:
    """Every input file, in order, as ``(source, path)``: each pattern's matches sorted by
    name, patterns in the order given. A pattern without wildcards that names a file keeps its
    spelling as the source (as ``vouch replay FILE`` names it); a folder (a local directory, or
    a ``gs://`` prefix ending in ``/``) stands for every file under it, recursively. A pattern
    that matches nothing is an error (``ValueError``), as a missing file is for the command."""
    filesystems = _filesystems()
    out: List[Tuple[str, str]] = []
    for pattern in patterns:
        if _is_local_dir(pattern) or (pattern.endswith("/") and not _has_glob(pattern)):
            glob = pattern.rstrip("/") + "/**"
        else:
            glob = pattern
        paths = [m.path for m in filesystems.match([glob])[0].metadata_list]
        if not paths and not _has_glob(pattern):
            # An object store "folder" named without its slash.
            paths = [m.path for m in filesystems.match([pattern + "/**"])[0].metadata_list]
        if not paths:
            raise ValueError(f"no input file matches `{pattern}`")
        if glob == pattern and not _has_glob(pattern) and paths == [pattern]:
            out.append((pattern, pattern))
            continue
        for path in sorted(paths, key=_path_key):
            out.append((path, path))
    return out


class _LineReader:
    """The lines of a file as ``vouch replay`` reads them, from any Beam file system (``gs://``,
    ``.gz`` decompressed: only ``read(n)`` is used), in chunks: at most ``MAX_ENTRY_BYTES + 1``
    bytes of a line are kept (the rest is read and dropped; the core then reports the line
    ``INPUT_TOO_LARGE``), so a file without newlines cannot exhaust a worker's memory."""

    def __init__(self, f: Any) -> None:
        self._f = f
        self._buf = b""
        self._pos = 0

    def _fill(self) -> bool:
        chunk: bytes = self._f.read(_CHUNK)
        if not chunk:
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def skip_leading(self) -> int:
        """Skips what comes before the first entry (ASCII white space, whole byte-order marks);
        returns the newlines skipped."""
        newlines = 0
        while True:
            if len(self._buf) - self._pos < len(_BOM) and self._fill():
                continue
            if self._buf.startswith(_BOM, self._pos):
                self._pos += len(_BOM)
                continue
            rest = self._buf[self._pos :]
            n = len(rest) - len(rest.lstrip(_ASCII_WS))
            if n == 0:
                return newlines
            newlines += rest.count(b"\n", 0, n)
            self._pos += n

    def readline(self) -> bytes:
        """The next line, with its newline (at most ``MAX_ENTRY_BYTES + 1`` bytes); ``b""`` at the
        end."""
        out = bytearray()
        limit = _vouch.MAX_ENTRY_BYTES + 1
        while True:
            if self._pos >= len(self._buf) and not self._fill():
                return bytes(out)
            i = self._buf.find(b"\n", self._pos)
            end = len(self._buf) if i < 0 else i + 1
            room = limit - len(out)
            if room > 0:
                out += self._buf[self._pos : min(end, self._pos + room)]
            self._pos = end
            if i >= 0:
                return bytes(out)


def read_line_batches(
    file_index: int,
    source: str,
    path: str,
    *,
    lines_per_batch: int = LINES_PER_BATCH,
    bytes_per_batch: int = BYTES_PER_BATCH,
) -> Iterator[LineBatch]:
    """One input's lines, numbered as ``vouch replay`` numbers them (by line, blank lines
    included; white space and byte-order marks before the first entry are skipped, their lines
    counted), in batches of consecutive lines. Raises ``ValueError`` when the file is not JSON
    lines."""
    batch: List[bytes] = []
    size = 0
    with _filesystems().open(path) as f:
        lines = _LineReader(f)
        entry = lines.skip_leading()
        first_entry = entry + 1
        first = True
        while True:
            raw = lines.readline()
            if not raw:
                break
            if first:
                first = False
                if not _vouch.opens_json_lines(raw):
                    raise ValueError(
                        f"{source}: not JSON lines (it opens with a JSON array or a whole document); "
                        "replay JSON arrays, snapshots and Cloud Run resources with `vouch replay`"
                    )
            entry += 1
            if not batch:
                first_entry = entry
            batch.append(raw)
            size += len(raw)
            if len(batch) >= lines_per_batch or size >= bytes_per_batch:
                yield (file_index, source, first_entry, batch)
                batch = []
                size = 0
    if batch:
        yield (file_index, source, first_entry, batch)


class _ReadLinesFn(_DoFn):  # type: ignore[misc]
    """``(file index, source, path)`` → the file's :data:`LineBatch` es."""

    def __init__(self, lines_per_batch: int, bytes_per_batch: int) -> None:
        super().__init__()
        self._lines_per_batch = lines_per_batch
        self._bytes_per_batch = bytes_per_batch

    def process(self, element: Tuple[int, str, str]) -> Iterator[Any]:
        file_index, source, path = element
        lines = _counter("lines")
        for batch in read_line_batches(
            file_index,
            source,
            path,
            lines_per_batch=self._lines_per_batch,
            bytes_per_batch=self._bytes_per_batch,
        ):
            lines.inc(len(batch[3]))
            yield batch


class ReadLogLines(_PTransform):  # type: ignore[misc]
    """Pipeline start → :data:`LineBatch` es of every file the patterns match (local paths,
    ``gs://`` or any Beam file system; ``.gz`` files are decompressed), spread across workers.
    The files are listed here, when the pipeline is built (:func:`match_inputs`)."""

    def __init__(
        self,
        patterns: Sequence[str],
        *,
        lines_per_batch: int = LINES_PER_BATCH,
        bytes_per_batch: int = BYTES_PER_BATCH,
        label: Optional[str] = None,
    ) -> None:
        _require_beam()
        super().__init__(label)
        if isinstance(patterns, str):
            patterns = [patterns]
        self._patterns = list(patterns)
        self._lines_per_batch = max(1, lines_per_batch)
        self._bytes_per_batch = max(1, bytes_per_batch)

    def expand(self, pbegin: Any) -> Any:
        beam = _require_beam()
        files = [(i, source, path) for i, (source, path) in enumerate(match_inputs(self._patterns))]
        return (
            pbegin
            | "Files" >> beam.Create(files)
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadLines" >> beam.ParDo(_ReadLinesFn(self._lines_per_batch, self._bytes_per_batch))
            | "SpreadLines" >> beam.Reshuffle()
        )


# --- replaying ----------------------------------------------------------------------------


#: Where an outcome stands in the input: ``(file index, entry, outcome within the entry)`` (a
#: line holding a whole document, a snapshot or an ``EventList``, gives several).
Order = Tuple[int, int, int]


class ReplayBatchesFn(_DoFn):  # type: ignore[misc]
    """:data:`LineBatch` → outcomes, one ``vouch.Replayer`` per worker (built in ``setup``
    from the picklable configuration). Main output: the JSON lines of malformed entries and of
    events that cannot be duplicates (no id); ``keyed``: ``(duplicate key, (order, record))``
    for the other events, to be kept once (:class:`FirstCopyFn`); ``summary``: ``(kind,
    payload)`` for :class:`SummaryCombineFn`."""

    KEYED = "keyed"
    SUMMARY = "summary"

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__()
        self._config = dict(config)
        self._replayer: Optional[vouch.Replayer] = None

    def setup(self) -> None:
        self._replayer = build_replayer(self._config)

    def process(self, batch: LineBatch) -> Iterator[Any]:
        tagged = _require_beam().pvalue.TaggedOutput
        replayer = self._replayer
        if replayer is None:
            replayer = self._replayer = build_replayer(self._config)
        file_index, source, first_entry, lines = batch
        for i, line in enumerate(lines):
            entry = first_entry + i
            # One line per call: every outcome is then known to be this line's (a line may give
            # none, one or several), at no measurable cost.
            outcomes = replayer.replay_lines([line], source=source, first_entry=entry)
            for k, (kind, payload) in enumerate(outcomes):
                if kind == "event":
                    key = vouch.replay_dedupe_key(payload)
                    if key is not None:
                        yield tagged(self.KEYED, (key, ((file_index, entry, k), payload)))
                        continue
                if kind != "skipped":
                    yield payload
                yield tagged(self.SUMMARY, (kind, payload))


#: The accumulator of :class:`FirstCopyFn`: ``(order, record, copies)``.
_Copies = Optional[Tuple[Order, str, int]]


class FirstCopyFn(_CombineFn):  # type: ignore[misc]
    """Per duplicate key: the first copy by :data:`Order` and how many copies there
    were (``vouch replay`` keeps the first copy in input order)."""

    def create_accumulator(self) -> _Copies:
        return None

    @staticmethod
    def _join(a: _Copies, b: _Copies) -> _Copies:
        if a is None:
            return b
        if b is None:
            return a
        first = a if a[0] <= b[0] else b
        return (first[0], first[1], a[2] + b[2])

    def add_input(self, accumulator: _Copies, element: Tuple[Order, str]) -> _Copies:
        return self._join(accumulator, (element[0], element[1], 1))

    def merge_accumulators(self, accumulators: Iterable[_Copies]) -> _Copies:
        merged: _Copies = None
        for a in accumulators:
            merged = self._join(merged, a)
        return merged

    def extract_output(self, accumulator: _Copies) -> _Copies:
        return accumulator


def _first_copies(element: Tuple[str, _Copies]) -> Iterator[Any]:
    """A key's first copy → its record (main) and its summary inputs (``summary``)."""
    tagged = _require_beam().pvalue.TaggedOutput
    copies = element[1]
    if copies is None:
        return
    _, record, count = copies
    yield record
    yield tagged(ReplayBatchesFn.SUMMARY, ("event", record))
    if count > 1:
        yield tagged(ReplayBatchesFn.SUMMARY, ("duplicate", str(count - 1)))


class SummaryCombineFn(_CombineFn):  # type: ignore[misc]
    """``(kind, payload)`` outcomes → the summary JSON (``vouch.ReplaySummary.to_json``).
    ``("duplicate", "N")`` counts N duplicates. Accumulators are ``vouch.ReplaySummary``
    (they pickle), merged with ``.merge``: any order, any split."""

    def create_accumulator(self) -> vouch.ReplaySummary:
        return vouch.ReplaySummary()

    def add_input(self, accumulator: vouch.ReplaySummary, element: Tuple[str, str]) -> vouch.ReplaySummary:
        kind, payload = element
        if kind == "duplicate":
            for _ in range(int(payload)):
                accumulator.add_duplicate()
        else:
            accumulator.add(kind, payload, check_duplicates=False)
        return accumulator

    def merge_accumulators(self, accumulators: Iterable[vouch.ReplaySummary]) -> vouch.ReplaySummary:
        merged: Optional[vouch.ReplaySummary] = None
        for a in accumulators:
            if merged is None:
                merged = a
            else:
                merged.merge(a)
        return merged if merged is not None else vouch.ReplaySummary()

    def extract_output(self, accumulator: vouch.ReplaySummary) -> str:
        return accumulator.to_json()


def _refuse_lossy_local_mode(pipeline: Any) -> None:
    """Beam 2.77.0's local runner drops elements of combines in ``multi_threading`` mode with
    more than one worker (reproduced without vouch): refuse it rather than give short counts."""
    opts = importlib.import_module("apache_beam.options.pipeline_options")
    options = pipeline.options
    runner = options.view_as(opts.StandardOptions).runner
    name = "DirectRunner" if runner is None else runner if isinstance(runner, str) else type(runner).__name__
    direct = options.view_as(opts.DirectOptions)
    if (
        "direct" in name.lower()
        and direct.direct_running_mode == "multi_threading"
        and direct.direct_num_workers != 1
    ):
        raise ValueError(
            "Beam's local runner loses elements with --direct_running_mode multi_threading and "
            "several workers: use the default mode or multi_processing"
        )


class ReplayLineBatches(_PTransform):  # type: ignore[misc]
    """:data:`LineBatch` es → ``{"records": PCollection of JSON lines (records and malformed
    entries, as ``vouch replay`` prints them, duplicates left out), "summary": PCollection of
    one summary JSON}``. ``config``: :func:`build_replayer`'s; it is checked here (a
    configuration error raises before the pipeline runs)."""

    def __init__(self, config: Mapping[str, Any], *, label: Optional[str] = None) -> None:
        _require_beam()
        super().__init__(label)
        self._config = dict(config)
        build_replayer(self._config)

    def expand(self, batches: Any) -> Any:
        beam = _require_beam()
        _refuse_lossy_local_mode(batches.pipeline)
        summary_tag = ReplayBatchesFn.SUMMARY
        decided = batches | "Replay" >> beam.ParDo(ReplayBatchesFn(self._config)).with_outputs(
            ReplayBatchesFn.KEYED, summary_tag, main="records"
        )
        kept = (
            decided[ReplayBatchesFn.KEYED]
            | "FirstCopies" >> beam.CombinePerKey(FirstCopyFn())
            | "KeepFirst" >> beam.FlatMap(_first_copies).with_outputs(summary_tag, main="records")
        )
        records = (decided["records"], kept["records"]) | "Records" >> beam.Flatten()
        summary = (
            (decided[summary_tag], kept[summary_tag])
            | "SummaryInputs" >> beam.Flatten()
            | "Summary" >> beam.CombineGlobally(SummaryCombineFn())
        )
        return {"records": records, "summary": summary}


class ReplayTransform(_PTransform):  # type: ignore[misc]
    """Pipeline start → ``{"records", "summary"}`` (:class:`ReplayLineBatches`) for the
    files the patterns match (:class:`ReadLogLines`): ``vouch replay`` as a composite
    transform.

        result = pipeline | vouch.beam.ReplayTransform(config, ["gs://b/logs/**"])
        result["records"] | beam.io.WriteToText("gs://b/replay/records")
    """

    def __init__(
        self,
        config: Mapping[str, Any],
        patterns: Sequence[str],
        *,
        lines_per_batch: int = LINES_PER_BATCH,
        label: Optional[str] = None,
    ) -> None:
        _require_beam()
        super().__init__(label)
        self._config = dict(config)
        self._patterns = [patterns] if isinstance(patterns, str) else list(patterns)
        self._lines_per_batch = lines_per_batch
        build_replayer(self._config)

    def expand(self, pbegin: Any) -> Any:
        batches = pbegin | "Read" >> ReadLogLines(self._patterns, lines_per_batch=self._lines_per_batch)
        result: Dict[str, Any] = batches | "Decide" >> ReplayLineBatches(self._config)
        return result


# --- the launcher -------------------------------------------------------------------------


def _pretty(summary_json: str) -> str:
    """The summary as ``vouch replay --summary`` writes it (two-space indentation)."""
    return json.dumps(json.loads(summary_json), indent=2, ensure_ascii=False)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m vouch.beam",
        description=(
            "Replay logged deployments under a candidate policy with Apache Beam (`vouch replay` "
            "for Dataflow). Every other option is Beam's (--runner, --project, --region, "
            "--temp_location, --extra_package, ...)."
        ),
    )
    p.add_argument("--input", action="append", required=True, metavar="PATTERN",
                   help="logs (JSON lines): a file, a glob (local or gs://) or a folder; repeatable, read in order")
    p.add_argument("--policy", required=True, metavar="FILE", help="the candidate project policy")
    p.add_argument("--baseline", metavar="FILE", help="a baseline policy to compare with instead of the logged outcomes")
    p.add_argument("--attestors", action="append", metavar="FILE", help="attestors (repeatable)")
    p.add_argument("--attestations", "--evidence", action="append", dest="attestations", metavar="FILE",
                   help="attestation occurrences (repeatable)")
    p.add_argument("--system-policy", "--system_policy", dest="system_policy", metavar="FILE",
                   help="the system policy; default: the built-in documented list")
    p.add_argument("--cluster", metavar="LOCATION.NAME", help="the cluster of entries that name none")
    p.add_argument("--now", metavar="RFC3339", help="evaluate every event at this time instead of its own")
    p.add_argument("--strict-identity", "--strict_identity", dest="strict_identity", action="store_true",
                   help="Kritis' binding: the payload's docker-reference must be the image's repository")
    p.add_argument("--output", default="none", metavar="PREFIX",
                   help="write the records to PREFIX-SSSSS-of-NNNNN.jsonl (default: none, not written)")
    p.add_argument("--output-shards", "--output_shards", dest="output_shards", type=int, default=0, metavar="N",
                   help="record files (default 0: the runner decides)")
    p.add_argument("--summary", metavar="FILE", help="write the summary (JSON) here")
    p.add_argument("--lines-per-batch", "--lines_per_batch", dest="lines_per_batch", type=int,
                   default=LINES_PER_BATCH, metavar="N", help=f"lines per batch, the unit spread across workers (default {LINES_PER_BATCH})")
    return p


def _short(summary: Mapping[str, Any]) -> str:
    keys = ("entries", "events", "skipped", "malformed", "duplicates", "changes", "malformedByCode")
    return json.dumps({k: summary[k] for k in keys if k in summary}, separators=(",", ":"))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m vouch.beam``: builds and runs the pipeline, waits for it, and exits as
    ``vouch replay`` does: 0 nothing newly blocked and nothing malformed, 1 some event newly
    blocked, 3 malformed entries only, 2 a configuration error (the exit status needs
    ``--summary``, which the launcher reads back; without it, 0)."""
    args, beam_args = _parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    beam = _require_beam()
    pipeline_options = importlib.import_module("apache_beam.options.pipeline_options")
    beam_io_error = importlib.import_module("apache_beam.io.filesystem").BeamIOError
    pipeline = beam.Pipeline(options=pipeline_options.PipelineOptions(beam_args))
    try:
        config = config_from_files(
            args.policy,
            attestors=args.attestors,
            attestations=args.attestations,
            baseline=args.baseline,
            system_policy=args.system_policy,
            cluster=args.cluster,
            now=args.now,
            strict_identity=args.strict_identity,
        )
        # Checks the configuration and lists the inputs now, before anything runs.
        result = pipeline | "ReplayLogs" >> ReplayTransform(config, args.input, lines_per_batch=args.lines_per_batch)
    except (vouch.VouchError, ValueError, OSError, beam_io_error) as e:
        print(f"vouch.beam: {e}", file=sys.stderr)
        return 2
    if args.output != "none":
        _ = result["records"] | "WriteRecords" >> beam.io.WriteToText(
            args.output, file_name_suffix=".jsonl", num_shards=args.output_shards
        )
    if args.summary:
        _ = (
            result["summary"]
            | "Pretty" >> beam.Map(_pretty)
            | "WriteSummary" >> beam.io.WriteToText(args.summary, num_shards=1, shard_name_template="")
        )
    pipeline.run().wait_until_finish()
    if not args.summary:
        return 0
    summary: Dict[str, Any] = json.loads(_read_text(args.summary))
    print(f"vouch.beam: replay: summary {_short(summary)}", file=sys.stderr)
    if summary.get("changes", {}).get("NEWLY_BLOCKED", 0) > 0:
        return 1
    return 3 if summary.get("malformed", 0) > 0 else 0


if __name__ == "__main__":
    # Run as the importable module, not as __main__, so that the pipeline's classes pickle by
    # reference (vouch.beam.…) for the workers.
    from vouch.beam import main as _main

    sys.exit(_main())
