"""Audit a folder of Kubernetes manifests: which workloads would be admitted to a cluster?

    python audit_manifests.py --policy policy.yaml --attestors attestors.json \
        --attestations attestations.json --cluster us-central1-a.prod-cluster manifests/

Evaluates every `*.yaml`/`*.yml`/`*.json` file under the folder (one object per file) on a
thread pool sharing one Evaluator, prints one line per file and exits 1 if any is denied.
Files that are not workloads (Services, ConfigMaps, …) are listed as skipped.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional, Tuple

import vouch

NOT_A_WORKLOAD = {"REQUEST_UNSUPPORTED_WORKLOAD", "REQUEST_INVALID_WORKLOAD"}


def audit(evaluator: vouch.Evaluator, path: Path, attestations: Optional[str], cluster: str, now: datetime) -> Tuple[str, str]:
    try:
        decision = evaluator.evaluate(workload=path.read_text(), cluster=cluster, attestations=attestations, now=now)
    except vouch.RequestError as e:
        return ("SKIPPED" if e.code in NOT_A_WORKLOAD else "ERROR", str(e))
    failed = [f"{i.container}: {r.code} {r.attestor or ''}".rstrip() for i in decision.images for r in i.reasons]
    return (decision.verdict.value, "; ".join(failed))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policy", type=Path, required=True)
    parser.add_argument("--attestors", type=Path, action="append", default=[])
    parser.add_argument("--attestations", type=Path)
    parser.add_argument("--cluster", required=True)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)

    evaluator = vouch.Evaluator(
        vouch.Policy.from_yaml(args.policy.read_text()),
        [a for path in args.attestors for a in vouch.load_attestors(path.read_text())],
    )
    attestations = args.attestations.read_text() if args.attestations else None
    now = datetime.now(timezone.utc)
    files = sorted(p for p in args.folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    with ThreadPoolExecutor() as pool:  # evaluate releases the GIL: threads run in parallel
        results = list(pool.map(lambda p: audit(evaluator, p, attestations, args.cluster, now), files))
    for path, (verdict, note) in zip(files, results):
        print(f"{verdict:<18} {path.relative_to(args.folder)}  {note}".rstrip())
    return 1 if any(verdict == "DENY" for verdict, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
