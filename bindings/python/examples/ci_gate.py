"""Gate a deploy in CI: exit 0 when the workload may be deployed, 1 when denied, 2 on a
configuration error.

    python ci_gate.py --policy policy.yaml --attestors attestors.json \
        --attestations attestations.json --workload deployment.yaml \
        --cluster us-central1-a.prod-cluster

The attestations are what `gcloud container binauthz attestations list --format=json` prints
for the image(s) being deployed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

import vouch


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policy", type=Path, required=True, help="policy YAML or JSON (gcloud … policy export)")
    parser.add_argument("--attestors", type=Path, action="append", default=[], help="attestor file(s)")
    parser.add_argument("--attestations", type=Path, help="attestation occurrences (JSON or YAML)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--workload", type=Path, help="Kubernetes manifest (Deployment, Pod, …)")
    target.add_argument("--image", action="append", help="image reference (repeatable)")
    parser.add_argument("--cluster", help="LOCATION.NAME of the target cluster")
    parser.add_argument("--namespace", help="target namespace (default: the workload's)")
    parser.add_argument("--json", action="store_true", help="print the decision JSON")
    args = parser.parse_args(argv)

    try:
        policy = vouch.Policy.from_yaml(args.policy.read_text())
        attestors = [a for path in args.attestors for a in vouch.load_attestors(path.read_text())]
        evaluator = vouch.Evaluator(policy, attestors)
        decision = evaluator.evaluate(
            images=args.image,
            workload=args.workload.read_text() if args.workload else None,
            cluster=args.cluster,
            namespace=args.namespace,
            attestations=args.attestations.read_text() if args.attestations else None,
            now=datetime.now(timezone.utc),
        )
    except vouch.VouchError as e:  # a configuration error: say which input and field
        print(f"vouch: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"vouch: {e}", file=sys.stderr)
        return 2

    if args.json:
        print(decision.to_json())
    else:
        rule = decision.rule
        print(f"{decision.verdict}: {rule.kind} rule {rule.key or ''}".rstrip())
        for image in decision.images:
            print(f"  {image.outcome:<10} {image.container or '-':<10} {image.image}")
            for reason in image.reasons:
                print(f"             {reason.code} {reason.attestor or ''}".rstrip())
                for detail in reason.details:
                    print(f"               {detail.occurrence}: {detail.code}: {detail.message}")
    return 0 if decision.allowed else 1


if __name__ == "__main__":
    sys.exit(main())
