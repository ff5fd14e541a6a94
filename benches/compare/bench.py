"""The comparison harness's Python side (benches/compare/run drives it).

    python bench.py bench DIR [--budget S] [--impl vouch,baseline] [--only NAME,...]
    python bench.py loop baseline|vouch DIR SCENARIO N      (for callgrind)

`vouch`: the built package's `Evaluator.evaluate` (policy compiled once, the attestations read
once into a `vouch.Evidence`, as the baseline gets them parsed once; the request's workload
passed as JSON text, the other request fields as plain Python values).
`baseline`: baseline.py, plain Python with `cryptography` (keys loaded once; the request and the
attestations as parsed dicts). Each is checked against vouch's decision first (the whole
decision JSON for vouch; allowed, rule and per-image outcome and satisfied attestors for the
baseline) and exits non-zero on a mismatch. Timing: the procedure of compare.rs's `measure`,
with the two implementations' batches alternating (`measure_interleaved`).
Prints one JSON line per implementation and scenario.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402

NOW = datetime(1970, 1, 1, tzinfo=timezone.utc)
MIN_BATCHES = 10
MAX_BATCHES = 2000
BATCH_TARGET_NS = 2_000_000


def measure_interleaved(calls: Dict[str, Callable[[], Any]], budget_s: float) -> Dict[str, Dict[str, Any]]:
    """`measure` for several implementations at once, their batches alternating, so that a
    slow spell of the machine (on this VM, seconds long and up to 2x) hits all of them alike.
    Spends `budget_s` per implementation, as `measure` would one after the other."""
    clock = time.perf_counter_ns
    per_batch: Dict[str, int] = {}
    for name, call in calls.items():
        warm_until = clock() + int(budget_s * 1e9 / 4)
        fastest = None
        warm = 0
        while warm < 2 or clock() < warm_until:
            t = clock()
            call()
            elapsed = clock() - t
            fastest = elapsed if fastest is None else min(fastest, elapsed)
            warm += 1
        per_batch[name] = max(1, BATCH_TARGET_NS // max(1, fastest or 1))
    samples: Dict[str, List[float]] = {name: [] for name in calls}
    start = clock()
    total_ns = budget_s * 1e9 * len(calls)
    rounds = 0
    while rounds < MIN_BATCHES or (clock() - start < total_ns and rounds < MAX_BATCHES):
        for name, call in calls.items():
            n = per_batch[name]
            t = clock()
            for _ in range(n):
                call()
            samples[name].append((clock() - t) / n)
        rounds += 1
    out = {}
    for name, values in samples.items():
        values.sort()

        def q(p: float) -> float:
            return values[round((len(values) - 1) * p)]

        out[name] = {"median_ns": q(0.5), "p10_ns": q(0.1), "p90_ns": q(0.9), "calls": per_batch[name] * len(values), "batches": len(values)}
    return out


def median_once(runs: int, call: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter_ns()
        call()
        times.append(time.perf_counter_ns() - t)
    return statistics.median(times)


def load(directory: Path) -> List[Dict[str, Any]]:
    out = []
    for s in json.loads((directory / "scenarios.json").read_text()):
        s["bundle"] = json.loads((directory / f"{s['name']}.json").read_text())
        s["decision"] = json.loads((directory / f"{s['name']}.decision.json").read_text())
        out.append(s)
    return out


def fail(message: str) -> None:
    print(f"bench.py: {message}", file=sys.stderr)
    sys.exit(1)


# --- vouch (the Python package) --------------------------------------------------------------


def vouch_setup(bundle: Dict[str, Any]) -> Callable[[], Any]:
    import vouch

    policy_text = json.dumps(bundle["policy"])
    attestors_text = json.dumps(bundle["attestors"])
    evaluator = vouch.Evaluator(vouch.Policy.from_json(policy_text), vouch.load_attestors(attestors_text))
    request = bundle["request"]
    kwargs: Dict[str, Any] = {
        "images": request.get("images"),
        "workload": json.dumps(request["workload"]) if "workload" in request else None,
        "namespace": request.get("namespace"),
        "service_account": request.get("serviceAccount"),
        "cluster": request.get("cluster"),
        "mesh_identity": request.get("meshIdentity"),
        "labels": request.get("labels"),
        "annotations": request.get("annotations"),
        "attestations": vouch.Evidence.from_json(json.dumps(bundle["attestations"])),
    }
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return lambda: evaluator.evaluate(**kwargs, now=NOW)


def vouch_load(bundle: Dict[str, Any]) -> Callable[[], Any]:
    import vouch

    policy_text = json.dumps(bundle["policy"])
    attestors_text = json.dumps(bundle["attestors"])
    return lambda: vouch.Evaluator(vouch.Policy.from_json(policy_text), vouch.load_attestors(attestors_text))


# --- the baseline ------------------------------------------------------------------------------


def baseline_setup(bundle: Dict[str, Any]) -> Callable[[], Any]:
    policy = baseline.Policy(bundle["policy"], bundle["attestors"])
    request = bundle["request"]
    occurrences = bundle["attestations"]
    return lambda: policy.evaluate(request, occurrences)


def baseline_load(bundle: Dict[str, Any]) -> Callable[[], Any]:
    policy_text = json.dumps(bundle["policy"])
    attestors_text = json.dumps(bundle["attestors"])
    return lambda: baseline.Policy(json.loads(policy_text), json.loads(attestors_text))


def check(impl: str, scenario: Dict[str, Any], decision: Any) -> str:
    expected = scenario["decision"]
    if impl == "vouch":
        if decision.to_dict() != expected:
            fail(f"{scenario['name']}: vouch from Python differs from vouch's Rust decision:\n  {decision.to_json()}\n  {json.dumps(expected)}")
        return "decision JSON identical"
    got, want = baseline.summary(decision), baseline.summary(expected)
    if got != want:
        fail(f"{scenario['name']}: the Python baseline differs from vouch:\n  baseline: {json.dumps(got)}\n  vouch:    {json.dumps(want)}")
    return "allowed, rule, outcomes and satisfied attestors equal"


SETUP = {"vouch": (vouch_setup, vouch_load, "vouch-python"), "baseline": (baseline_setup, baseline_load, "python-cryptography")}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench")
    b.add_argument("dir", type=Path)
    b.add_argument("--budget", type=float, default=1.5)
    b.add_argument("--impl", default="vouch,baseline")
    b.add_argument("--only")
    lp = sub.add_parser("loop")
    lp.add_argument("impl", choices=sorted(SETUP))
    lp.add_argument("dir", type=Path)
    lp.add_argument("scenario")
    lp.add_argument("n", type=int)
    args = parser.parse_args(argv)

    if args.command == "loop":
        s = next(s for s in load(args.dir) if s["name"] == args.scenario)
        call = SETUP[args.impl][0](s["bundle"])
        for _ in range(args.n):
            call()
        return 0

    only = set(args.only.split(",")) if args.only else None
    for s in load(args.dir):
        if only and s["name"] not in only:
            continue
        calls: Dict[str, Callable[[], Any]] = {}
        extra: Dict[str, Dict[str, Any]] = {}
        for impl in args.impl.split(","):
            setup, loader, label = SETUP[impl]
            call = setup(s["bundle"])
            extra[label] = {"load_ns": median_once(5, loader(s["bundle"])), "check": check(impl, s, call())}
            calls[label] = call
        # Both implementations run in this process: their batches alternate (see
        # measure_interleaved), which keeps close calls fair on a noisy machine.
        for label, figures in measure_interleaved(calls, args.budget).items():
            print(json.dumps({"impl": label, "scenario": s["name"], **figures, **extra[label], "clock": "wall", "interleaved": len(calls) > 1}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
