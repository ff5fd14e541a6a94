from datetime import datetime, timezone
from pathlib import Path

import vouch

examples = Path("examples")  # this repository's examples/
policy = vouch.Policy.from_yaml((examples / "policy.yaml").read_text())
attestors = vouch.load_attestors((examples / "attestors.json").read_text())
evaluator = vouch.Evaluator(policy, attestors)  # compile once; share it between threads

decision = evaluator.evaluate(
    workload=(examples / "deployment.yaml").read_text(),
    cluster="us-central1-a.prod-cluster",
    attestations=(examples / "attestations.json").read_text(),
    now=datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc),  # the library never reads a clock
)
assert decision.verdict is vouch.Verdict.ALLOW
print(decision.to_json())  # the contract's decision JSON, byte for byte as from Rust
