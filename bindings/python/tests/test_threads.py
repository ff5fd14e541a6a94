"""One Evaluator shared by several threads gives the same decisions as one thread."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, Dict, List

import vouch

from conftest import read_example

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def requests() -> List[Dict[str, Any]]:
    attestations = read_example("attestations.json")
    return [
        {"workload": read_example("deployment.yaml"), "cluster": "us-central1-a.prod-cluster", "attestations": attestations},
        {"workload": read_example("deployment-candidate.yaml"), "cluster": "us-central1-a.prod-cluster", "attestations": attestations},
        {"workload": read_example("deployment-break-glass.yaml"), "cluster": "us-central1-a.prod-cluster"},
        {"workload": read_example("deployment-candidate.yaml"), "cluster": "us-central1.staging-cluster", "attestations": attestations},
        {"images": ["gcr.io/example-project/debug-tools/netshoot:v0.13"], "namespace": "shop"},
        {"images": ["docker.io/library/nginx:1.27"], "namespace": "sandbox"},
    ]


def test_threads_share_one_evaluator() -> None:
    evaluator = vouch.Evaluator(
        vouch.Policy.from_yaml(read_example("policy.yaml")),
        vouch.load_attestors(read_example("attestors.json")),
    )
    cases = requests()
    expected = [evaluator.evaluate(**kw, now=NOW).to_json() for kw in cases]
    assert len(set(expected)) == len(cases)
    assert {evaluator.evaluate(**kw, now=NOW).verdict for kw in cases} == set(vouch.Verdict)

    barrier = threading.Barrier(4)

    def work(worker: int) -> List[int]:
        barrier.wait()
        mismatches = []
        for i in range(60):
            j = (i + worker) % len(cases)
            if evaluator.evaluate(**cases[j], now=NOW).to_json() != expected[j]:
                mismatches.append(j)
        return mismatches

    with ThreadPoolExecutor(max_workers=4) as pool:
        mismatches = list(pool.map(work, range(4)))
    assert mismatches == [[], [], [], []]
