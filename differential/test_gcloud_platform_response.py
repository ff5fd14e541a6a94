"""Platform-policy responses: vouch's `EvaluateGkePolicyResponse` read back by gcloud.

`vouch platform evaluate --output json` (and every front end's `evaluate_platform`) writes
Binary Authorization's `EvaluateGkePolicyResponse` (decision P-10). gcloud reads the API's
answer with apitools into its v1 message classes; here every golden response of the platform
suite (testdata/golden/platform/) is read the same way, and:

- every field vouch writes is one gcloud's message knows, at every depth, except vouch's
  documented extension `details` beside a check's `explanation`;
- every enum value is a name of its enum (apitools keeps an unknown name as an unrecognized
  field, which the first rule catches);
- with `details` removed, gcloud's message written back as JSON holds exactly vouch's fields
  and values (int64 `index` fields as decimal strings).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parents[1] / "testdata" / "golden" / "platform"
EXTENSION = re.compile(r"^/results/\d+/imageResults/\d+/checkSetResult/checkResults/results/\d+/details$")


def strip_details(value: Any) -> Any:
    value = copy.deepcopy(value)
    for pod in value.get("results", []):
        for image in pod.get("imageResults", []):
            for check in image.get("checkSetResult", {}).get("checkResults", {}).get("results", []):
                check.pop("details", None)
    return value


def test_responses_read_back_by_gcloud(gcloud_oracle, report) -> None:
    files = sorted(GOLDEN.glob("*.json"))
    responses = [(f, f.read_text(encoding="utf-8")) for f in files]
    responses = [(f, t) for f, t in responses if "error" not in json.loads(t)]
    assert responses, f"no platform responses under {GOLDEN}"
    answers = gcloud_oracle({"platform_responses": [t for _, t in responses]})["platform_responses"]
    problems = []
    for (file, text), answer in zip(responses, answers):
        if "error" in answer:
            problems.append(f"{file.name}: gcloud refuses it: {answer['error']}")
            continue
        unknown = [p for p in answer["ok"]["unrecognized"] if not EXTENSION.match(p)]
        if unknown:
            problems.append(f"{file.name}: fields gcloud does not know: {unknown}")
        ours = strip_details(json.loads(text))
        theirs = strip_details(answer["ok"]["message"])
        if theirs != ours:
            problems.append(
                f"{file.name}: gcloud reads it differently:\n  gcloud {json.dumps(theirs)}\n  vouch  {json.dumps(ours)}"
            )
    report(f"gcloud read {len(responses)} platform responses back ({len(problems)} differences)")
    assert not problems, "\n".join(problems)
