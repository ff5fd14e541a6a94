"""Benchmark (not a test): Evaluator.evaluate from Python against the native Rust evaluate.

The input is criterion's `evaluate_two_p256_attestors/vouch_evaluate` case (benches/core.rs):
the example prod policy and attestors, the example attestations, one image and the prod
cluster; the decision verifies two P-256 signatures.

    python bindings/python/bench/bench_evaluate.py            # Python figures only
    python bindings/python/bench/bench_evaluate.py --native   # also run the criterion bench

Python figures are medians of per-call times over many batches. The native figures are
criterion's median estimates (target/criterion/.../new/estimates.json). The thread figure is
the throughput of a ThreadPoolExecutor with 2 workers over 1 worker, one shared Evaluator.
Run it on a quiet machine (or both benchmarks under `chrt -f 10` when other work shares the
CPUs); repeat and keep the best stable figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import vouch

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
IMAGE = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
CLUSTER = "us-central1-a.prod-cluster"
EXEMPT = "gcr.io/example-project/debug-tools/netshoot:v0.13"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
GROUP = "evaluate_two_p256_attestors"


def median_us(call: Callable[[], Any], batches: int, per_batch: int) -> float:
    """Median time of one call, in microseconds."""
    for _ in range(per_batch * 3):  # warm up
        call()
    samples = []
    for _ in range(batches):
        start = time.perf_counter_ns()
        for _ in range(per_batch):
            call()
        samples.append((time.perf_counter_ns() - start) / per_batch / 1000)
    return statistics.median(samples)


def throughput(call: Callable[[], Any], workers: int, calls: int) -> float:
    """Evaluations per second with `workers` threads sharing the work."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda _: call(), range(workers * 4)))  # start the threads, warm up
        start = time.perf_counter()
        list(pool.map(lambda _: call(), range(calls)))
        return calls / (time.perf_counter() - start)


def native_medians_us(run: bool) -> Dict[str, float]:
    """Criterion's median estimates for the group, running the bench first when asked."""
    if run:
        subprocess.run(
            # The package is built with the ring backend (pyproject.toml), so the native side is too.
            ["cargo", "bench", "-p", "vouch-benches", "--features", "native-crypto", "--bench", "core", "--", f"{GROUP}/"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    out = {}
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for name in ("vouch_evaluate", "bundle_entry_point_workload"):
        estimates = target / "criterion" / GROUP / name / "new" / "estimates.json"
        if estimates.is_file():
            out[name] = json.loads(estimates.read_text())["median"]["point_estimate"] / 1000
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--native", action="store_true", help="run the criterion bench for the native figures")
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--per-batch", type=int, default=20)
    parser.add_argument("--thread-calls", type=int, default=2000)
    args = parser.parse_args(argv)

    evaluator = vouch.Evaluator(
        vouch.Policy.from_yaml((EXAMPLES / "policy.yaml").read_text()),
        vouch.load_attestors((EXAMPLES / "attestors.json").read_text()),
    )
    text = (EXAMPLES / "attestations.json").read_text()
    parsed = json.loads(text)
    bundle = (EXAMPLES / "bundles" / "prod-released.json").read_text()

    def with_text() -> vouch.Decision:
        return evaluator.evaluate(images=[IMAGE], cluster=CLUSTER, attestations=text, now=NOW)

    def with_list() -> vouch.Decision:
        return evaluator.evaluate(images=[IMAGE], cluster=CLUSTER, attestations=parsed, now=NOW)

    def exempt() -> vouch.Decision:  # allowlisted: no signature to verify, so mostly binding cost
        return evaluator.evaluate(images=[EXEMPT], cluster=CLUSTER, now=NOW)

    assert with_text().verdict is vouch.Verdict.ALLOW and with_text() == with_list()
    assert exempt().images[0].outcome == "EXEMPT"

    figures: Dict[str, Any] = {}
    figures["python_evaluate_text_us"] = median_us(with_text, args.batches, args.per_batch)
    figures["python_evaluate_list_us"] = median_us(with_list, args.batches, args.per_batch)
    figures["python_evaluate_bundle_us"] = median_us(lambda: vouch.evaluate_bundle(bundle), args.batches, args.per_batch)
    figures["python_evaluate_exempt_us"] = median_us(exempt, args.batches, args.per_batch * 50)
    one = throughput(with_text, 1, args.thread_calls)
    two = throughput(with_text, 2, args.thread_calls)
    figures.update(threads_1_per_s=one, threads_2_per_s=two, thread_speedup=two / one, cpus=os.cpu_count())

    native = native_medians_us(args.native)
    print(f"python Evaluator.evaluate (attestations as text): {figures['python_evaluate_text_us']:9.1f} µs median")
    print(f"python Evaluator.evaluate (attestations as list): {figures['python_evaluate_list_us']:9.1f} µs median")
    print(f"python evaluate_bundle (prod-released.json):       {figures['python_evaluate_bundle_us']:9.1f} µs median")
    print(f"python Evaluator.evaluate (allowlisted, no crypto): {figures['python_evaluate_exempt_us']:8.1f} µs median")
    if "vouch_evaluate" in native:
        n = native["vouch_evaluate"]
        figures["native_evaluate_us"] = n
        figures["ratio_text"] = figures["python_evaluate_text_us"] / n
        figures["ratio_list"] = figures["python_evaluate_list_us"] / n
        print(f"native Evaluator::evaluate (criterion median):     {n:9.1f} µs   ratio {figures['ratio_text']:.3f} (text), {figures['ratio_list']:.3f} (list)")
    if "bundle_entry_point_workload" in native:
        n = native["bundle_entry_point_workload"]
        figures["native_bundle_us"] = n
        figures["ratio_bundle"] = figures["python_evaluate_bundle_us"] / n
        print(f"native evaluate_bundle (criterion median):         {n:9.1f} µs   ratio {figures['ratio_bundle']:.3f}")
    if not native:
        print("native: no criterion results yet (run with --native)")
    print(f"threads: 1 → {one:7.1f}/s, 2 → {two:7.1f}/s, speed-up {two / one:.2f}× on {os.cpu_count()} CPUs")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
