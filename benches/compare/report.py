"""Prints the comparison's markdown tables from the JSON lines the implementations wrote.

    python report.py RESULTS.jsonl SCENARIOS.json

Medians per decision (wall clock) with the ratio to vouch Rust (`×2.0` = twice as long), then
load + compile, then callgrind instruction counts when present, then the requirement check:
vouch ahead of the Rego and Python baselines on every scenario they share. Exits 0 either way;
the check's verdict is in the output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

BASE = "vouch-rust"
COLUMNS: List[Tuple[str, str]] = [
    ("vouch-rust", "vouch Rust"),
    ("vouch-rust-pure", "vouch Rust, pure-Rust crypto"),
    ("vouch-rust-parse", "vouch Rust, parse+eval"),
    ("vouch-rust-bundle", "vouch Rust, bundle"),
    ("vouch-python", "vouch Python"),
    ("vouch-node-wasm", "vouch Node (wasm)"),
    ("rego", "Rego (regorus)"),
    ("python-cryptography", "Python + cryptography"),
]
BASELINES = ("rego", "python-cryptography")


def fmt(ns: float) -> str:
    us = ns / 1000
    if us < 10:
        return f"{us:.2f} µs"
    if us < 1000:
        return f"{us:.1f} µs"
    return f"{us / 1000:.2f} ms"


def fmt_count(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.3f} M"
    if n >= 1e3:
        return f"{n / 1e3:.1f} k"
    return f"{n:.0f}"


def main(argv: List[str]) -> int:
    rows = [json.loads(line) for line in Path(argv[1]).read_text().splitlines() if line.strip()]
    scenarios = json.loads(Path(argv[2]).read_text())
    wall: Dict[Tuple[str, str], Dict[str, Any]] = {}
    counts: Dict[Tuple[str, str], float] = {}
    for r in rows:
        if r.get("clock") == "instructions":
            counts[(r["impl"], r["scenario"])] = r["per_decision"]
        else:
            wall[(r["impl"], r["scenario"])] = r
    present = [(key, title) for key, title in COLUMNS if any(k == key for k, _ in wall)]

    print("Median wall-clock time per decision; in brackets, the ratio to vouch Rust (×2.0 = twice as long, ×0.5 = half).\n")
    print("| scenario | " + " | ".join(title for _, title in present) + " |")
    print("|---|" + "---:|" * len(present))
    for s in scenarios:
        base = wall.get((BASE, s["name"]))
        cells = []
        for key, _ in present:
            r = wall.get((key, s["name"]))
            if r is None:
                cells.append("–")
            elif base is None or key == BASE:
                cells.append(fmt(r["median_ns"]))
            else:
                cells.append(f"{fmt(r['median_ns'])} (×{r['median_ns'] / base['median_ns']:.1f})")
        decision = "allow" if s["allowed"] else "deny"
        print(f"| {s['title']}, {decision} | " + " | ".join(cells) + " |")

    loaders = [(key, title) for key, title in present if any(wall.get((key, s["name"]), {}).get("load_ns") for s in scenarios)]
    if loaders:
        print("\nLoad + compile (policy and attestors from JSON text to a ready evaluator), median of 5.\n")
        print("| scenario | " + " | ".join(title for _, title in loaders) + " |")
        print("|---|" + "---:|" * len(loaders))
        for s in scenarios:
            cells = []
            for key, _ in loaders:
                r = wall.get((key, s["name"]))
                cells.append(fmt(r["load_ns"]) if r and r.get("load_ns") else "–")
            print(f"| {s['title']} | " + " | ".join(cells) + " |")

    if counts:
        print("\nInstructions per decision (callgrind; (run of N decisions − run of 0) / N).\n")
        print("| scenario | implementation | instructions | ratio to vouch Rust |")
        print("|---|---|---:|---:|")
        titles = dict(COLUMNS)
        for s in scenarios:
            base_count: Optional[float] = counts.get((BASE, s["name"]))
            for (impl, name), n in sorted(counts.items(), key=lambda kv: kv[1]):
                if name != s["name"]:
                    continue
                ratio = f"×{n / base_count:.1f}" if base_count else "–"
                print(f"| {s['title']} | {titles.get(impl, impl)} | {fmt_count(n)} | {ratio} |")

    print("\nRequirement: vouch ahead of both baselines on every scenario they share (wall-clock medians).\n")
    fronts = [
        (BASE, "vouch Rust"),
        ("vouch-rust-pure", "vouch Rust, pure-Rust crypto"),
        ("vouch-python", "vouch Python"),
        ("vouch-node-wasm", "vouch Node (wasm)"),
    ]
    titles = dict(COLUMNS)
    verdicts = []
    for front, name in fronts:
        behind = []
        shared = 0
        for s in scenarios:
            mine = wall.get((front, s["name"]))
            for baseline in BASELINES:
                other = wall.get((baseline, s["name"]))
                if mine is None or other is None:
                    continue
                shared += 1
                if mine["median_ns"] >= other["median_ns"]:
                    behind.append(f"{s['name']} vs {titles[baseline]} ({fmt(mine['median_ns'])} vs {fmt(other['median_ns'])})")
        if shared:
            verdicts.append((name, shared, behind))
    for name, shared, behind in verdicts:
        if behind:
            print(f"- {name}: behind in {len(behind)} of {shared} comparisons: " + "; ".join(behind))
        else:
            print(f"- {name}: ahead in all {shared} comparisons")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
