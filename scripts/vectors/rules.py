"""The rules group: which rule map applies (cluster, namespace, service account, Istio)."""

from .builders import *  # noqa: F401,F403


def rule_kind_cases():
    g = "rules"
    four = dict(
        cluster={"us-central1-a.prod": rule("ALWAYS_DENY")},
        ns={"payments": rule("ALWAYS_DENY")},
        sa={"payments:deployer": rule("ALWAYS_DENY")},
        istio={"example-project.svc.id.goog/ns/payments/sa/deployer": rule("ALWAYS_DENY")},
    )
    p = policy(rule("ALWAYS_ALLOW"), **four)
    base = dict(cluster="us-central1-a.prod", namespace="payments", serviceAccount="deployer")
    mesh = "spiffe://example-project.svc.id.goog/ns/payments/sa/deployer"
    vec(
        g,
        "001-istio-identity-beats-all",
        "A-1: mesh identity > service account > namespace > cluster",
        p,
        images("gcr.io/p/a:1", meshIdentity=mesh, **base),
        exp("DENY", "ISTIO_IDENTITY", "example-project.svc.id.goog/ns/payments/sa/deployer"),
    )
    vec(
        g,
        "002-service-account-beats-namespace",
        "A-1",
        p,
        images("gcr.io/p/a:1", **base),
        exp("DENY", "SERVICE_ACCOUNT", "payments:deployer"),
    )
    vec(
        g,
        "003-namespace-beats-cluster",
        "A-1",
        p,
        images("gcr.io/p/a:1", cluster="us-central1-a.prod", namespace="payments"),
        exp("DENY", "NAMESPACE", "payments"),
    )
    vec(
        g,
        "004-cluster-when-nothing-more-specific",
        "A-1",
        p,
        images("gcr.io/p/a:1", cluster="us-central1-a.prod", namespace="other"),
        exp("DENY", "CLUSTER", "us-central1-a.prod"),
    )
    vec(
        g,
        "005-default-when-nothing-matches",
        "A-1",
        p,
        images("gcr.io/p/a:1", cluster="europe-west1.prod", namespace="other"),
        exp("ALLOW", "DEFAULT", None),
    )
    vec(
        g,
        "006-no-cluster-given",
        "without a cluster, cluster rules never apply",
        p,
        images("gcr.io/p/a:1"),
        exp("ALLOW", "DEFAULT", None),
    )
    p2 = policy(
        rule("ALWAYS_ALLOW"),
        istio={"spiffe://example-project.svc.id.goog/ns/a/sa/b": rule("ALWAYS_DENY", DRY)},
    )
    vec(
        g,
        "007-istio-key-with-scheme-request-without",
        "identities compare with or without `spiffe://`",
        p2,
        images("gcr.io/p/a:1", meshIdentity="example-project.svc.id.goog/ns/a/sa/b"),
        exp(
            "DRY_RUN_ALLOW",
            "ISTIO_IDENTITY",
            "spiffe://example-project.svc.id.goog/ns/a/sa/b",
            annotations=ANN_DRY,
        ),
    )
    vec(
        g,
        "008-workload-service-account-selects-rule",
        "the pod template's serviceAccountName selects the rule",
        policy(rule("ALWAYS_DENY"), sa={"payments:deployer": rule("ALWAYS_ALLOW")}),
        {
            "workload": controller(
                "StatefulSet", [("db", "gcr.io/p/db:1")], namespace="payments", sa="deployer"
            )
        },
        exp("ALLOW", "SERVICE_ACCOUNT", "payments:deployer"),
    )
    vec(
        g,
        "009-request-namespace-overrides-workload",
        "request fields override the workload's",
        policy(rule("ALWAYS_ALLOW"), ns={"prod": rule("ALWAYS_DENY")}),
        {"workload": pod([("app", "gcr.io/p/app:1")], namespace="dev"), "namespace": "prod"},
        exp("DENY", "NAMESPACE", "prod"),
    )
    vec(
        g,
        "010-fleet-membership-cluster-key",
        "Distributed Cloud memberships use `global.NAME` keys",
        policy(rule("ALWAYS_ALLOW"), cluster={"global.test-membership": rule("ALWAYS_DENY")}),
        images("gcr.io/p/a:1", cluster="global.test-membership"),
        exp("DENY", "CLUSTER", "global.test-membership"),
    )


def cases():
    rule_kind_cases()
