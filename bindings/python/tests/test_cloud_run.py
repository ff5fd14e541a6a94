"""Cloud Run services and jobs from Python (docs/semantics.md §9): the workload argument takes
them, the decision's typed ``cloud_run`` says what the Binary Authorization setting made of the
request, and ``use_resolved_digest`` / ``resolved_digests`` reach the core."""

from __future__ import annotations

from datetime import datetime, timezone

import vouch

from conftest import read_example

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
DIGEST = "sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"


def evaluator() -> vouch.Evaluator:
    return vouch.Evaluator(
        vouch.Policy.from_yaml(read_example("cloud-run/policy.yaml")),
        vouch.load_attestors(read_example("attestors.json")),
    )


def evaluate(workload: object, **kwargs: object) -> vouch.Decision:
    return evaluator().evaluate(
        workload=workload, attestations=read_example("attestations.json"), now=NOW, **kwargs  # type: ignore[arg-type]
    )


def test_digest_admitted_tag_denied() -> None:
    pinned = evaluate(read_example("cloud-run/service.yaml"))
    assert pinned.verdict is vouch.Verdict.ALLOW
    assert pinned.cloud_run is not None
    assert (pinned.cloud_run.resource, pinned.cloud_run.name) == ("SERVICE", "web")
    assert pinned.cloud_run.binary_authorization == "DEFAULT" and pinned.cloud_run.enforced
    assert pinned.cloud_run.ignored_rules == (vouch.IgnoredRule("CLUSTER", "us-central1-a.prod-cluster"),)
    tagged = evaluate(read_example("cloud-run/service-tag.yaml"))
    assert tagged.verdict is vouch.Verdict.DENY
    assert tagged.images[0].reasons[0].code == "NOT_DIGEST_PINNED"


def test_break_glass_with_an_empty_justification_admits_and_is_recorded() -> None:
    line = "    run.googleapis.com/binary-authorization: default\n"
    text = read_example("cloud-run/service-tag.yaml")
    assert line in text
    d = evaluate(text.replace(line, line + "    run.googleapis.com/binary-authorization-breakglass: ''\n"))
    assert d.verdict is vouch.Verdict.BREAK_GLASS_ALLOW
    assert d.cloud_run is not None and d.cloud_run.break_glass_justification == ""
    assert d.audit_annotations["imagepolicywebhook.image-policy.k8s.io/break-glass"] == "true"


def test_not_enabled() -> None:
    line = "    run.googleapis.com/binary-authorization: default\n"
    d = evaluate(read_example("cloud-run/service-tag.yaml").replace(line, ""))
    assert d.verdict is vouch.Verdict.ALLOW and d.images == ()
    assert d.cloud_run is not None and d.cloud_run.reason == "BINARY_AUTHORIZATION_NOT_ENABLED"


def test_resolved_digest_option() -> None:
    tagged = read_example("cloud-run/service-tag.yaml")
    d = evaluate(tagged, use_resolved_digest=True, resolved_digests={"web": DIGEST})
    assert d.verdict is vouch.Verdict.ALLOW, d.to_json()
    assert d.cloud_run is not None and d.cloud_run.resolved_digests is not None
    web = d.cloud_run.resolved_digests[0]
    assert (web.container, web.source, web.result) == ("web", "REQUEST", "RESOLVED")
    assert d.images[0].image.endswith("@" + DIGEST)
    # Without the option the digests given change nothing, and the decision says nothing.
    d = evaluate(tagged, resolved_digests={"web": DIGEST})
    assert d.verdict is vouch.Verdict.DENY
    assert d.cloud_run is not None and d.cloud_run.resolved_digests is None


def test_kubernetes_decisions_have_no_cloud_run() -> None:
    d = evaluator().evaluate(workload=read_example("deployment.yaml"), now=NOW)
    assert d.cloud_run is None
    assert "cloudRun" not in d.to_dict()
