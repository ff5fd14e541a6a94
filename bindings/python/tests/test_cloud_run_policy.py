"""Named Cloud Run platform policies from Python (decision R-2, docs/semantics.md §9.5):
``vouch.CloudRunPolicy`` and ``Evaluator(cloud_run_policies=...)``."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import vouch

from conftest import EXAMPLES, read_example

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
NAME = "projects/example-project/platforms/cloudRun/policies/ci-only"


def named_policy() -> vouch.CloudRunPolicy:
    return vouch.CloudRunPolicy.from_yaml(read_example("cloud-run/cloud-run-policy.yaml"))


def evaluator(*policies: vouch.CloudRunPolicy) -> vouch.Evaluator:
    return vouch.Evaluator(
        vouch.Policy.from_yaml(read_example("cloud-run/policy.yaml")),
        vouch.load_attestors(read_example("attestors.json")),
        cloud_run_policies=policies,
    )


def test_loads_and_names_the_policy() -> None:
    p = named_policy()
    assert p.name == NAME
    assert p.canonical()["cloudRunPolicy"]["rule"]["requiredAttestors"][0]["id"] == "built-by-ci"
    assert vouch.CloudRunPolicy.from_dict(p.canonical()).canonical() == p.canonical()


def test_a_bound_service_is_decided_by_the_supplied_policy() -> None:
    attestations = read_example("attestations.json")
    workload = read_example("cloud-run/service-named.yaml")
    d = evaluator(named_policy()).evaluate(workload=workload, attestations=attestations, now=NOW)
    assert d.allowed
    cloud_run = d.to_dict()["cloudRun"]
    assert cloud_run["enforced"] is True and cloud_run["policy"] == NAME
    assert [a.attestor for a in d.images[0].attestors] == ["built-by-ci"]
    # Without the policy the same service fails closed.
    d = evaluator().evaluate(workload=workload, attestations=attestations, now=NOW)
    assert not d.allowed
    assert d.to_dict()["cloudRun"]["reason"] == "NAMED_POLICY_NOT_SUPPLIED"


def test_errors_raise_platform_policy_error() -> None:
    with pytest.raises(vouch.PlatformPolicyError) as e:
        vouch.CloudRunPolicy.from_dict({"name": NAME, "cloudRunPolicy": {}})
    assert (e.value.code, e.value.path) == ("PLATFORM_MISSING_FIELD", "/cloudRunPolicy")
    with pytest.raises(vouch.PlatformPolicyError) as e:
        evaluator(named_policy(), named_policy())
    assert (e.value.code, e.value.path) == ("PLATFORM_INVALID_VALUE", "/1/name")
    with pytest.raises(TypeError):
        vouch.Evaluator(
            vouch.Policy.from_yaml(read_example("cloud-run/policy.yaml")),
            vouch.load_attestors(read_example("attestors.json")),
            cloud_run_policies=[read_example("cloud-run/cloud-run-policy.yaml")],  # type: ignore[list-item]
        )
    assert (EXAMPLES / "cloud-run" / "cloud-run-policy.yaml").exists()
