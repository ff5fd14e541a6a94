"""The cluster group: a bundle's `clusterConfig` (decision P-12).

The cluster's `binaryAuthorization` block decides whether the project policy gates admission:
`DISABLED` and `POLICY_BINDINGS` admit without evaluating (the decision's `cluster` member says
why, `images` is empty), `PROJECT_SINGLETON_POLICY_ENFORCE` and
`POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE` let the project policy decide. Without
`clusterConfig` the decision has no `cluster` member (every other group).
"""

from .builders import *  # noqa: F401,F403

BOUND = "projects/1234567890/platforms/gke/policies/monitor"


def block(mode=None, *bindings, enabled=None):
    b = {}
    if enabled is not None:
        b["enabled"] = enabled
    if mode is not None:
        b["evaluationMode"] = mode
    if bindings:
        b["policyBindings"] = [{"name": x} for x in bindings]
    return b


def cluster_exp(verdict, mode, enforced, reason=None, monitored=(), imgs=None):
    e = exp(verdict, imgs=imgs)
    c = {"evaluationMode": mode, "enforced": enforced}
    if reason is not None:
        c["reason"] = reason
    c["monitoredPolicies"] = list(monitored)
    e["cluster"] = c
    return e


def cluster_cases():
    g = "cluster"
    img1 = images("gcr.io/p/a:1")
    vec(
        g,
        "001-disabled-admits-without-evaluating",
        "DISABLED: Binary Authorization is off, the request is admitted and no image is "
        "evaluated",
        DENY_ALL,
        img1,
        expect=cluster_exp("ALLOW", "DISABLED", False, "CLUSTER_DISABLED", imgs=[]),
        raw={"clusterConfig": {"binaryAuthorization": block("DISABLED")}},
    )
    vec(
        g,
        "002-policy-bindings-monitors-only",
        "POLICY_BINDINGS: admission is not gated (platform policies only monitor); the decision "
        "names the monitored policies",
        DENY_ALL,
        img1,
        expect=cluster_exp(
            "ALLOW", "POLICY_BINDINGS", False, "CLUSTER_MONITORS_ONLY", [BOUND], imgs=[]
        ),
        raw={"clusterConfig": {"binaryAuthorization": block("POLICY_BINDINGS", BOUND)}},
    )
    vec(
        g,
        "003-project-singleton-enforces",
        "PROJECT_SINGLETON_POLICY_ENFORCE: the project policy decides",
        DENY_ALL,
        img1,
        expect=cluster_exp(
            "DENY",
            "PROJECT_SINGLETON_POLICY_ENFORCE",
            True,
            imgs=[img("gcr.io/p/a:1", "VIOLATION", reasons=[why("ALWAYS_DENY")])],
        ),
        raw={"clusterConfig": block("PROJECT_SINGLETON_POLICY_ENFORCE")},
    )
    vec(
        g,
        "004-bindings-and-singleton-enforces-and-monitors",
        "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE: the project policy decides and "
        "the bound policies are monitored",
        DENY_ALL,
        img1,
        expect=cluster_exp(
            "DENY", "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE", True, None, [BOUND]
        ),
        raw={"clusterConfig": block("POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE", BOUND)},
    )
    vec(
        g,
        "005-whole-cluster-object-as-text",
        "the whole `gcloud container clusters describe --format=json` output, given as text",
        ALLOW_ALL,
        img1,
        expect=cluster_exp("ALLOW", "PROJECT_SINGLETON_POLICY_ENFORCE", True),
        raw={
            "clusterConfig": json.dumps(
                {
                    "name": "prod-cluster",
                    "location": "us-central1-a",
                    "binaryAuthorization": block("PROJECT_SINGLETON_POLICY_ENFORCE"),
                }
            )
        },
    )
    vec(
        g,
        "006-legacy-enabled",
        "the deprecated `enabled: true` without a mode enforces the project policy",
        DENY_ALL,
        img1,
        expect=cluster_exp("DENY", "PROJECT_SINGLETON_POLICY_ENFORCE", True),
        raw={"clusterConfig": block(enabled=True)},
    )
    vec(
        g,
        "007-cluster-without-block-is-disabled",
        "a cluster object without `binaryAuthorization` has Binary Authorization off",
        DENY_ALL,
        img1,
        expect=cluster_exp("ALLOW", "DISABLED", False, "CLUSTER_DISABLED", imgs=[]),
        raw={"clusterConfig": {"name": "dev-cluster"}},
    )
    vec(
        g,
        "008-disabled-names-the-rule-that-would-apply",
        "not enforced: `rule` still names the rule the project policy would have applied",
        policy(rule("ALWAYS_ALLOW"), ns={"prod": rule("ALWAYS_DENY")}),
        images("gcr.io/p/a:1", namespace="prod"),
        expect=dict(
            cluster_exp("ALLOW", "POLICY_BINDINGS", False, "CLUSTER_MONITORS_ONLY", imgs=[]),
            rule={"kind": "NAMESPACE", "key": "prod"},
        ),
        raw={"clusterConfig": block("POLICY_BINDINGS")},
    )
    vec(
        g,
        "009-invalid-mode",
        "a mode that is not a cluster mode is a configuration error (dry run is a policy's "
        "enforcementMode)",
        ALLOW_ALL,
        img1,
        error=err("CLUSTER_INVALID_MODE", "/clusterConfig/evaluationMode"),
        raw={"clusterConfig": block("DRYRUN_AUDIT_LOG_ONLY")},
    )
    vec(
        g,
        "010-invalid-binding",
        "a binding that is not a GKE platform policy name is a configuration error",
        ALLOW_ALL,
        img1,
        error=err("CLUSTER_INVALID_BINDING", "/clusterConfig/policyBindings/0/name"),
        raw={"clusterConfig": block("POLICY_BINDINGS", "projects/p/policy")},
    )


def cases():
    cluster_cases()
