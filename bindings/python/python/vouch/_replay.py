"""Replay (decisions X-1 … X-4): logged deployments decided again under a candidate policy.

Marshalling only: every record and count is the core's (``vouch replay`` prints the same
bytes). See docs/guides/replay.md.
"""

from __future__ import annotations

import importlib
import json
import os
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _vouch
from ._errors import RequestError, native_error

Document = Union[str, Mapping[str, Any]]
Members = Union[str, Mapping[str, Any], Sequence[Any]]
PathLike = Union[str, "os.PathLike[str]"]

#: The longest line (or array element) read; a longer one is a malformed entry, as for
#: ``vouch replay``.
MAX_ENTRY_BYTES: int = _vouch.MAX_ENTRY_BYTES


def _now_text(now: Union[str, datetime, None]) -> Optional[str]:
    if now is None or isinstance(now, str):
        return now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(timezone.utc))")
    return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def replay_config(
    policy: Document,
    *,
    attestors: Optional[Members] = None,
    attestations: Optional[Members] = None,
    baseline: Optional[Document] = None,
    system_policy: Optional[Document] = None,
    cluster: Optional[str] = None,
    now: Union[str, datetime, None] = None,
    strict_identity: bool = False,
) -> Dict[str, Any]:
    """The replay document (without ``entries``) these arguments describe: plain data, which
    pickles (what a Beam pipeline ships to its workers)."""
    config: Dict[str, Any] = {"policy": policy}
    for key, value in (
        ("attestors", attestors),
        ("attestations", attestations),
        ("baseline", baseline),
        ("systemPolicy", system_policy),
        ("cluster", cluster),
        ("now", _now_text(now)),
    ):
        if value is not None:
            config[key] = value if isinstance(value, str) else _plain(value)
    if strict_identity:
        config["options"] = {"strictIdentity": True}
    return config


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Replayer:
    """A candidate policy (and optionally a baseline) compiled once with its attestors and
    evidence: replays batches of log lines from any thread.

    ``policy``, ``baseline`` and ``system_policy`` are YAML/JSON text or dicts; ``attestors``
    and ``attestations`` text, a dict or a list; ``cluster`` (``LOCATION.NAME``) is used for
    entries that name none (Kubernetes audit logs); ``now`` fixes every event's evaluation
    time (decision X-3; by default each event is decided at its own second). Configuration
    errors raise the class of their subject, with paths into the replay document
    (``/policy/…``, ``/baseline/…``).
    """

    def __init__(
        self,
        policy: Document,
        *,
        attestors: Optional[Members] = None,
        attestations: Optional[Members] = None,
        baseline: Optional[Document] = None,
        system_policy: Optional[Document] = None,
        cluster: Optional[str] = None,
        now: Union[str, datetime, None] = None,
        strict_identity: bool = False,
    ) -> None:
        self.config = replay_config(
            policy,
            attestors=attestors,
            attestations=attestations,
            baseline=baseline,
            system_policy=system_policy,
            cluster=cluster,
            now=now,
            strict_identity=strict_identity,
        )
        self._native = _native_replayer(self.config)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "Replayer":
        """A replayer from :func:`replay_config`'s document."""
        self = cls.__new__(cls)
        self.config = dict(config)
        self._native = _native_replayer(self.config)
        return self

    def replay_lines(
        self, lines: Sequence[Union[str, bytes]], *, source: str = "entries", first_entry: int = 1
    ) -> List[Tuple[str, str]]:
        """Replays log lines (``str`` or ``bytes``, with or without their newline): ``lines[i]``
        is entry ``first_entry + i`` of ``source``. Lines are read as ``vouch replay`` reads
        them: a line of ASCII white space is skipped; one longer than
        :data:`MAX_ENTRY_BYTES` or not UTF-8 is malformed. For each other line, one ``(kind,
        payload)`` (several for a whole document written on one line, such as a compact
        snapshot): ``("event", record JSON)``, ``("malformed", JSON)`` (both exactly the lines
        ``vouch replay`` prints) or ``("skipped", reason)``."""
        return self._native.replay_lines(source, first_entry, list(lines))

    def replay_file(self, path: PathLike, *, source: Optional[str] = None) -> Iterator[Tuple[str, str]]:
        """Replays a file exactly as ``vouch replay`` reads it (JSON lines, JSON arrays, or one
        whole document: a snapshot, a Cloud Run resource, a pretty-printed entry), streamed in
        constant memory. ``source`` names it in the records (by default, the path as given).
        Raises ``OSError`` when it cannot be opened or read."""
        name = os.fspath(path)
        for batch in self._native.replay_file(name, name if source is None else source):
            yield from batch

    def replay_document(self, document: Document, *, source: str = "entries") -> List[Tuple[str, str]]:
        """Replays a whole document: a cluster snapshot (every Pod), a Cloud Run service or
        job, or one log entry."""
        text = document if isinstance(document, str) else json.dumps(document)
        return self._native.replay_document(source, text)


def _native_replayer(config: Mapping[str, Any]) -> _vouch.Replayer:
    try:
        return _vouch.Replayer(json.dumps(config))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


class ReplaySummary:
    """A replay's summary (``vouch replay --summary``): counts by change, cluster, namespace,
    repository, rule, reason and hour, and the top newly blocked images, namespaces and
    workloads. Additive (:meth:`merge`), and it pickles."""

    def __init__(self) -> None:
        self._native = _vouch.ReplaySummary()

    def add(self, kind: str, payload: str, *, check_duplicates: bool = True) -> bool:
        """Counts one ``(kind, payload)`` of :meth:`Replayer.replay_lines`. An event already
        added (same format, log name, id and time) counts as a duplicate when ``check_duplicates``, and
        the result is then ``False``."""
        return self._native.add(kind, payload, check_duplicates)

    def add_duplicate(self) -> None:
        """Counts an entry dropped as a duplicate."""
        self._native.add_duplicate()

    def merge(self, other: "ReplaySummary") -> None:
        """Adds another summary's counts to this one."""
        self._native.merge(other._native)

    def to_json(self) -> str:
        """The summary JSON (compact)."""
        return self._native.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The summary, parsed."""
        summary: Dict[str, Any] = json.loads(self.to_json())
        return summary

    def __getstate__(self) -> str:
        return self._native.state()

    def __setstate__(self, state: str) -> None:
        self._native = _vouch.ReplaySummary.from_state(state)


def replay_dedupe_key(record_json: str) -> Optional[str]:
    """The key duplicate entries share (format, log name, id, time) of an event record's JSON line;
    ``None`` when it has no id (never a duplicate)."""
    return _vouch.replay_dedupe_key(record_json)


def replay_json(document: Document) -> str:
    """Replays a whole document with ``entries`` (a list of log entries, objects or lines of
    JSON text) besides the configuration members: ``{"records": [...], "summary": {...}}`` as
    JSON, byte for byte what every front end gives. Configuration errors raise the class of
    their subject, with paths into the document."""
    text = document if isinstance(document, str) else json.dumps(document)
    try:
        return _vouch.replay(text)
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


class ReplayRun:
    """The records of :func:`replay`, in input order, as they are decided (iterate once);
    :attr:`summary` after the last one."""

    def __init__(self, replayer: Replayer, logs: Sequence[PathLike], strict: bool) -> None:
        self._replayer = replayer
        self._logs = list(logs)
        self._strict = strict
        self._summary = ReplaySummary()
        self._records: Optional[List[Dict[str, Any]]] = None
        self._started = False
        self._done = False

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        if self._records is not None:
            return iter(self._records)
        if self._started:
            raise RuntimeError("a replay run is iterated once: call records() to keep the records")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[Dict[str, Any]]:
        for source in _inputs(self._logs):
            for kind, payload in self._replayer.replay_file(source):
                if kind == "malformed" and self._strict:
                    line = json.loads(payload)
                    error = line["error"]
                    raise RequestError(
                        error["code"],
                        f"{source}#(entry {line['entry']}){error['path']}",
                        error["message"],
                        subject="request",
                    )
                if not self._summary.add(kind, payload):
                    continue
                if kind != "skipped":
                    yield json.loads(payload)
        self._done = True

    def records(self) -> List[Dict[str, Any]]:
        """Every record, kept (runs the replay unless it was already iterated)."""
        if self._records is None:
            if self._started:
                raise RuntimeError("this replay run was iterated: its records were not kept")
            self._started = True
            self._records = list(self._run())
        return self._records

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary; runs the rest of the replay first if needed."""
        if not self._done:
            self.records()
        return self._summary.to_dict()

    def to_pandas(self) -> Any:
        """The records as a pandas ``DataFrame`` (nested members flattened with dots:
        ``candidate.verdict``, ``logged.outcome``); needs pandas (``pip install pandas``)."""
        try:
            pandas = importlib.import_module("pandas")
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install pandas") from None
        return pandas.json_normalize(self.records())

    def to_arrow(self) -> Any:
        """The records as a pyarrow ``Table``; needs pyarrow (``pip install pyarrow``)."""
        try:
            pyarrow = importlib.import_module("pyarrow")
        except ImportError:
            raise ImportError("to_arrow() needs pyarrow: pip install pyarrow") from None
        return pyarrow.Table.from_pylist(self.records())


def _inputs(logs: Sequence[PathLike]) -> List[str]:
    """Every file to read, in order, as ``vouch replay`` lists them: each path as given, a
    folder's files recursively in name order (byte order), links to folders not followed."""
    out: List[str] = []

    def walk(folder: str) -> None:
        for name in sorted(os.listdir(folder), key=os.fsencode):
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                if not os.path.islink(path):
                    walk(path)
            else:
                out.append(path)

    for log in logs:
        path = os.fspath(log)
        if os.path.isdir(path):
            walk(path)
        else:
            out.append(path)
    return out


def replay(
    logs: Union[PathLike, Iterable[PathLike]],
    *,
    policy: Document,
    attestors: Optional[Members] = None,
    attestations: Optional[Members] = None,
    baseline: Optional[Document] = None,
    system_policy: Optional[Document] = None,
    cluster: Optional[str] = None,
    now: Union[str, datetime, None] = None,
    strict_identity: bool = False,
    strict: bool = False,
) -> ReplayRun:
    """``vouch replay`` for notebooks: replays log files (paths, in order; a folder's files
    recursively in name order, as the command reads them) under ``policy``;
    iterate the result for the records (dicts, exactly ``vouch replay``'s JSON lines), then
    read ``.summary``; or call ``.to_pandas()`` / ``.to_arrow()``. ``strict`` raises
    :class:`RequestError` at the first malformed entry instead of yielding its record."""
    paths: List[PathLike]
    if isinstance(logs, (str, os.PathLike)):
        paths = [logs]
    else:
        paths = list(logs)
    replayer = Replayer(
        policy,
        attestors=attestors,
        attestations=attestations,
        baseline=baseline,
        system_policy=system_policy,
        cluster=cluster,
        now=now,
        strict_identity=strict_identity,
    )
    return ReplayRun(replayer, paths, strict)
