"""The cv suite (toolkit): continuous validation of a cluster snapshot (decision P-11, P-12).

A case is `{"description", "input": <the continuous_validation document>, "expect"}` (a subset
of the report `{"entries", "errors", "summary"}`, matched like bundle vectors: objects by
subset, lists by length and position) or `"expectError": {"code", "path"}`; its golden file
(testdata/golden/cv/) holds the whole report, which every front end must print byte for byte
(absent members such as the default set's `checkSetScope` are pinned there).

Numbers: 001-099 events and errors, 100-199 the cluster configuration (P-12), 200-299
configuration errors.
"""

from .builders import *  # noqa: F401,F403

NAME_A = "projects/1234567890/platforms/gke/policies/policy-a"
NAME_B = "projects/1234567890/platforms/gke/policies/policy-b"
CV_NOW = "2026-11-23T10:00:00Z"
CREATED = "2026-11-20T08:00:00Z"
TRUSTED = "us-central1-docker.pkg.dev/my-project/trusted"
OTHER = "us-central1-docker.pkg.dev/my-project/other"
EVENT_TYPE = (
    "type.googleapis.com/google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent"
)
LOG_NAME = "projects/my-project/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation"


def trusted_dir(patterns, name="Trusted directory"):
    return {"displayName": name, "trustedDirectoryCheck": {"trustedDirPatterns": list(patterns)}}


def always_deny(name="Deny"):
    return {"displayName": name, "alwaysDeny": True}


def freshness(days=30, name="Fresh images"):
    return {"displayName": name, "imageFreshnessCheck": {"maxUploadAgeDays": days}}


def check_set(checks, name="Default check set", namespace=None, sa=None):
    s = {"displayName": name}
    if namespace:
        s["scope"] = {"kubernetesNamespace": namespace}
    if sa:
        s["scope"] = {"kubernetesServiceAccount": sa}
    s["checks"] = list(checks)
    return s


def platform(*sets, allow=()):
    g = {}
    if allow:
        g["imageAllowlist"] = {"allowPattern": list(allow)}
    g["checkSets"] = list(sets)
    return {"gkePolicy": g}


# Trusted directory only, in the default set.
TRUSTED_ONLY = platform(check_set([trusted_dir([TRUSTED])]))


def snapshot_pod(
    name,
    containers,
    namespace="default",
    sa=None,
    init=(),
    ephemeral=(),
    created=CREATED,
    status=None,
):
    p = pod(containers, namespace=namespace, init=init, ephemeral=ephemeral, sa=sa)
    p["metadata"]["name"] = name
    if created:
        p["metadata"]["creationTimestamp"] = created
    if status is not None:
        p["status"] = status
    return p


def pod_list(*pods):
    return {"apiVersion": "v1", "kind": "List", "items": list(pods), "metadata": {}}


def cv_case(
    name,
    description,
    policies,
    pods,
    expect=None,
    error=None,
    cluster=None,
    cluster_config=None,
    attestations=None,
    now=CV_NOW,
):
    doc = {"platformPolicies": policies}
    if pods is not None:
        doc["pods"] = pods
    if attestations is not None:
        doc["attestations"] = attestations
    if cluster is not None:
        doc["cluster"] = cluster
    if cluster_config is not None:
        doc["clusterConfig"] = cluster_config
    if now is not None:
        doc["now"] = now
    case = {"description": description, "input": doc}
    assert (expect is None) != (error is None), name
    if error is not None:
        case["expectError"] = error
    else:
        case["expect"] = expect
    add("cv", name, case)


def event(pod_name, images_, namespace="default", policy=NAME_A, **kw):
    e = {"podNamespace": namespace, "pod": pod_name, "policyName": policy}
    e.update(kw)
    e["verdict"] = "VIOLATES_POLICY"
    e["images"] = images_
    return {"podEvent": e}


def denied(image, container, checks, container_type="CONTAINER"):
    return {
        "image": image,
        "containerName": container,
        "containerType": container_type,
        "result": "DENY",
        "checkResults": checks,
    }


def failed(set_index, set_name, check_index, check_name, check_type, scope=None):
    c = {"checkSetIndex": str(set_index), "checkSetName": set_name}
    if scope is not None:
        c["checkSetScope"] = scope
    c.update(
        {
            "checkIndex": str(check_index),
            "checkName": check_name,
            "checkType": check_type,
            "verdict": "NON_CONFORMANT",
        }
    )
    return c


def summary(**kw):
    return kw


def record(image, digest, upload):
    return {"uri": "%s@%s" % (image, digest), "uploadTime": upload}


def event_cases():
    bad = OTHER + "/web:1"
    good = TRUSTED + "/web@" + DIG_A
    cv_case(
        "001-one-event-per-violating-pod",
        "one event per Pod that violates the policy; a conforming Pod is not logged",
        {NAME_A: TRUSTED_ONLY},
        pod_list(
            snapshot_pod("bad", [("app", bad)]),
            snapshot_pod("good", [("app", good)]),
        ),
        expect={
            "entries": [
                event(
                    "bad",
                    [
                        denied(
                            bad,
                            "app",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        )
                    ],
                    deployTime=CREATED,
                )
            ],
            "errors": [],
            "summary": summary(
                monitoredPolicies=[NAME_A],
                pods=2,
                podsSkipped=0,
                images=2,
                evaluations=2,
                violations={NAME_A: 1},
                errors=0,
                configErrors=0,
            ),
        },
    )
    two_dirs = platform(
        check_set([trusted_dir([TRUSTED], "Trusted only"), trusted_dir([TRUSTED, OTHER], "Either")])
    )
    cv_case(
        "002-only-failing-images-and-checks",
        "the event lists only the failing images, and of those only the NON_CONFORMANT checks",
        {NAME_A: two_dirs},
        pod_list(snapshot_pod("mixed", [("app", bad), ("side", good)])),
        expect={
            "entries": [
                event(
                    "mixed",
                    [
                        denied(
                            bad,
                            "app",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted only",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        )
                    ],
                )
            ],
            "errors": [],
        },
    )
    scoped = platform(
        check_set([always_deny("SA deny")], "SA set", sa="prod:deployer"),
        check_set([always_deny("NS deny")], "NS set", namespace="prod"),
        check_set([always_deny("Default deny")]),
    )
    cv_case(
        "003-check-set-scopes",
        "a service-account set writes checkSetScope.kubernetesServiceAccount, a namespace set "
        "kubernetesNamespace, and the default set no scope at all (the golden file pins it)",
        {NAME_A: scoped},
        pod_list(
            snapshot_pod("by-sa", [("app", good)], namespace="prod", sa="deployer"),
            snapshot_pod("by-ns", [("app", good)], namespace="prod", sa="web"),
            snapshot_pod("by-default", [("app", good)], namespace="dev"),
        ),
        expect={
            "entries": [
                event(
                    "by-sa",
                    [
                        denied(
                            good,
                            "app",
                            [
                                failed(
                                    0,
                                    "SA set",
                                    0,
                                    "SA deny",
                                    "AlwaysDeny",
                                    {"kubernetesServiceAccount": "prod:deployer"},
                                )
                            ],
                        )
                    ],
                    namespace="prod",
                ),
                event(
                    "by-ns",
                    [
                        denied(
                            good,
                            "app",
                            [
                                failed(
                                    1,
                                    "NS set",
                                    0,
                                    "NS deny",
                                    "AlwaysDeny",
                                    {"kubernetesNamespace": "prod"},
                                )
                            ],
                        )
                    ],
                    namespace="prod",
                ),
                event(
                    "by-default",
                    [
                        denied(
                            good,
                            "app",
                            [failed(2, "Default check set", 0, "Default deny", "AlwaysDeny")],
                        )
                    ],
                    namespace="dev",
                ),
            ],
            "summary": summary(evaluations=3, violations={NAME_A: 3}),
        },
    )
    fresh = platform(check_set([freshness()]))
    cv_case(
        "004-error-listed-not-logged",
        "a check that ends in ERROR (freshness without an upload time, P-6) is not logged: it "
        "is listed in errors and counted",
        {NAME_A: fresh},
        pod_list(snapshot_pod("unknown-age", [("app", good)])),
        expect={
            "entries": [],
            "errors": [
                {
                    "kind": "CHECK_ERROR",
                    "policyName": NAME_A,
                    "podNamespace": "default",
                    "pod": "unknown-age",
                    "image": good,
                    "containerName": "app",
                    "containerType": "CONTAINER",
                    "checkSetIndex": "0",
                    "checkIndex": "0",
                    "checkName": "Fresh images",
                    "checkType": "ImageFreshnessCheck",
                    "explanation": "*",
                    "details": [{"code": "NO_UPLOAD_TIME", "message": "*"}],
                }
            ],
            "summary": summary(violations={NAME_A: 0}, errors=1),
        },
    )
    dir_and_fresh = platform(check_set([trusted_dir([TRUSTED]), freshness()]))
    cv_case(
        "005-error-beside-a-violation",
        "an image that violates one check and errs on another is logged with the violation "
        "only; the error is listed",
        {NAME_A: dir_and_fresh},
        pod_list(snapshot_pod("both", [("app", bad)])),
        expect={
            "entries": [
                event(
                    "both",
                    [
                        denied(
                            bad,
                            "app",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        )
                    ],
                )
            ],
            "errors": [
                {"kind": "CHECK_ERROR", "checkIndex": "1", "checkType": "ImageFreshnessCheck"}
            ],
            "summary": summary(errors=1),
        },
        attestations=[],
    )
    cv_case(
        "006-fresh-and-stale-images",
        "freshness with upload times: the stale image is logged, the fresh one is not",
        {NAME_A: fresh},
        pod_list(
            snapshot_pod(
                "pods",
                [("fresh", TRUSTED + "/web@" + DIG_A), ("stale", TRUSTED + "/web@" + DIG_B)],
            )
        ),
        attestations=[
            record(TRUSTED + "/web", DIG_A, "2026-11-20T00:00:00Z"),
            record(TRUSTED + "/web", DIG_B, "2026-09-01T00:00:00Z"),
        ],
        expect={
            "entries": [
                event(
                    "pods",
                    [
                        denied(
                            TRUSTED + "/web@" + DIG_B,
                            "stale",
                            [
                                failed(
                                    0, "Default check set", 0, "Fresh images", "ImageFreshnessCheck"
                                )
                            ],
                        )
                    ],
                )
            ],
            "errors": [],
        },
    )
    allow_all = platform()
    cv_case(
        "007-policies-are-independent",
        "each policy is evaluated on its own: one event per violated policy per Pod, none for "
        "the policy the Pod satisfies",
        {NAME_A: TRUSTED_ONLY, NAME_B: allow_all},
        pod_list(snapshot_pod("web", [("app", bad)]), snapshot_pod("ok", [("app", good)])),
        expect={
            "entries": [
                event(
                    "web",
                    [
                        denied(
                            bad,
                            "app",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        )
                    ],
                )
            ],
            "summary": summary(
                monitoredPolicies=[NAME_A, NAME_B], violations={NAME_A: 1, NAME_B: 0}
            ),
        },
    )
    deny_all = platform(check_set([always_deny()]))
    cv_case(
        "008-two-violated-policies-two-events",
        "a Pod violating two policies gets two events, in policy order",
        {NAME_A: TRUSTED_ONLY, NAME_B: deny_all},
        pod_list(snapshot_pod("web", [("app", bad)])),
        expect={
            "entries": [
                event(
                    "web",
                    [
                        denied(
                            bad,
                            "app",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        )
                    ],
                ),
                event(
                    "web",
                    [denied(bad, "app", [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")])],
                    policy=NAME_B,
                ),
            ],
            "summary": summary(violations={NAME_A: 1, NAME_B: 1}),
        },
    )
    cv_case(
        "009-log-entry-with-cluster",
        "with the cluster, each event is written inside its Cloud Logging entry (§2.1)",
        {NAME_A: deny_all},
        pod_list(snapshot_pod("web", [("app", good)])),
        cluster="my-project/us-central1-a/my-cluster",
        expect={
            "entries": [
                {
                    "logName": LOG_NAME,
                    "resource": {
                        "type": "k8s_cluster",
                        "labels": {
                            "project_id": "my-project",
                            "location": "us-central1-a",
                            "cluster_name": "my-cluster",
                        },
                    },
                    "jsonPayload": dict(
                        {"@type": EVENT_TYPE},
                        **event(
                            "web",
                            [
                                denied(
                                    good,
                                    "app",
                                    [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")],
                                )
                            ],
                        ),
                    ),
                    "timestamp": CV_NOW,
                    "severity": "WARNING",
                }
            ]
        },
    )
    cv_case(
        "010-container-types",
        "init and ephemeral containers are validated too, with their containerType",
        {NAME_A: TRUSTED_ONLY},
        pod_list(
            snapshot_pod(
                "debugged",
                [("app", good)],
                init=[("setup", OTHER + "/setup:1")],
                ephemeral=[("debugger", "busybox:1.36")],
            )
        ),
        expect={
            "entries": [
                event(
                    "debugged",
                    [
                        denied(
                            OTHER + "/setup:1",
                            "setup",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                            "INIT_CONTAINER",
                        ),
                        denied(
                            "busybox:1.36",
                            "debugger",
                            [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                            "EPHEMERAL_CONTAINER",
                        ),
                    ],
                )
            ]
        },
    )
    cv_case(
        "011-skipped-pod-is-listed",
        "a Pod that cannot be read is skipped, listed with its path into the snapshot and "
        "counted; the other Pods are validated",
        {NAME_A: deny_all},
        pod_list(
            snapshot_pod("broken", [("app", "gcr.io/p/UPPER:1")]),
            snapshot_pod("web", [("app", good)]),
        ),
        expect={
            "entries": [
                event(
                    "web",
                    [
                        denied(
                            good, "app", [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")]
                        )
                    ],
                )
            ],
            "errors": [
                {
                    "kind": "POD_SKIPPED",
                    "error": {
                        "code": "REQUEST_INVALID_IMAGE",
                        "path": "/items/0/spec/containers/0/image",
                        "message": "*",
                    },
                }
            ],
            "summary": summary(pods=1, podsSkipped=1, errors=0),
        },
    )
    cv_case(
        "012-policy-allowlist-exempts",
        "an image exempt by the policy's allowlist is never logged",
        {NAME_A: platform(check_set([always_deny()]), allow=["gke.gcr.io/**"])},
        pod_list(snapshot_pod("dns", [("kubedns", "gke.gcr.io/k8s-dns-kube-dns:1.22")])),
        expect={"entries": [], "errors": [], "summary": summary(violations={NAME_A: 0})},
    )
    cv_case(
        "013-terminated-pod-end-time",
        "a terminated Pod's event has its endTime (the latest finishedAt); the deploy time "
        "falls back to status.startTime",
        {NAME_A: deny_all},
        pod_list(
            snapshot_pod(
                "job",
                [("main", good)],
                created=None,
                status={
                    "phase": "Succeeded",
                    "startTime": "2026-11-22T01:06:53Z",
                    "containerStatuses": [
                        {
                            "name": "main",
                            "state": {"terminated": {"finishedAt": "2026-11-22T01:14:30Z"}},
                        }
                    ],
                },
            )
        ),
        expect={
            "entries": [
                event(
                    "job",
                    [
                        denied(
                            good, "main", [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")]
                        )
                    ],
                    deployTime="2026-11-22T01:06:53Z",
                    endTime="2026-11-22T01:14:30Z",
                )
            ]
        },
    )
    cv_case(
        "014-memoized-evaluations",
        "each distinct (policy, check set, image) is evaluated once: 6 Pods over 2 images "
        "and 2 sets cost 4 evaluations",
        {
            NAME_A: platform(
                check_set([always_deny()], "NS set", namespace="prod"), check_set([always_deny()])
            )
        },
        pod_list(
            *[
                snapshot_pod(
                    "p%d" % i,
                    [("app", [good, bad][i % 2])],
                    namespace=["prod", "dev", "prod"][i % 3],
                )
                for i in range(6)
            ]
        ),
        expect={"summary": summary(pods=6, images=6, evaluations=4, violations={NAME_A: 6})},
    )


def volume_cases():
    good = TRUSTED + "/web@" + DIG_A
    with_volume = snapshot_pod("models", [("app", good)])
    with_volume["spec"]["volumes"] = [
        {"name": "weights", "image": {"reference": OTHER + "/weights:1"}}
    ]
    cv_case(
        "015-image-volume",
        "an image volume is validated like a container's image; its event image has no "
        "containerName or containerType (the proto has none for it), its error the volume name",
        {NAME_A: platform(check_set([trusted_dir([TRUSTED]), freshness()]))},
        pod_list(with_volume),
        attestations=[record(TRUSTED + "/web", DIG_A, "2026-11-20T00:00:00Z")],
        expect={
            "entries": [
                event(
                    "models",
                    [
                        {
                            "image": OTHER + "/weights:1",
                            "result": "DENY",
                            "checkResults": [
                                failed(
                                    0,
                                    "Default check set",
                                    0,
                                    "Trusted directory",
                                    "TrustedDirectoryCheck",
                                )
                            ],
                        }
                    ],
                )
            ],
            "errors": [
                {
                    "kind": "CHECK_ERROR",
                    "policyName": NAME_A,
                    "podNamespace": "default",
                    "pod": "models",
                    "image": OTHER + "/weights:1",
                    "volume": "weights",
                    "checkSetIndex": "0",
                    "checkIndex": "1",
                    "checkName": "Fresh images",
                    "checkType": "ImageFreshnessCheck",
                    "explanation": "*",
                    "details": [{"code": "*", "message": "*"}],
                }
            ],
        },
    )


def cluster_config(mode, *bindings):
    block = {"evaluationMode": mode}
    if bindings:
        block["policyBindings"] = [{"name": b} for b in bindings]
    return {"binaryAuthorization": block}


def cluster_cases():
    bad = OTHER + "/web:1"
    deny_all = platform(check_set([always_deny()]))
    pods = pod_list(snapshot_pod("web", [("app", bad)]))
    gone = "projects/1234567890/platforms/gke/policies/gone"
    cv_case(
        "100-missing-bound-policy",
        "a bound policy that was not given is a configErrorEvent in Google's words; the "
        "given bound policy is monitored",
        {NAME_A: deny_all},
        pods,
        cluster="my-project/us-central1-a/my-cluster",
        cluster_config=cluster_config("POLICY_BINDINGS", NAME_A, gone),
        expect={
            "entries": [
                {
                    "jsonPayload": {
                        "@type": EVENT_TYPE,
                        "configErrorEvent": {
                            "description": "Cannot monitor cluster 'us-central1-a.my-cluster': "
                            "Resource %s does not exist." % gone
                        },
                    }
                },
                {
                    "jsonPayload": event(
                        "web",
                        [
                            denied(
                                bad,
                                "app",
                                [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")],
                            )
                        ],
                    )
                },
            ],
            "summary": summary(
                evaluationMode="POLICY_BINDINGS", monitoredPolicies=[NAME_A], configErrors=1
            ),
        },
    )
    cv_case(
        "101-disabled-monitors-nothing",
        "evaluationMode DISABLED: nothing is monitored, and the summary says why",
        {NAME_A: deny_all},
        pods,
        cluster_config=cluster_config("DISABLED"),
        expect={
            "entries": [],
            "summary": summary(
                evaluationMode="DISABLED", monitoredPolicies=[], note="*", evaluations=0
            ),
        },
    )
    cv_case(
        "102-project-singleton-monitors-nothing",
        "evaluationMode PROJECT_SINGLETON_POLICY_ENFORCE: the project policy enforces, CV "
        "monitors nothing",
        {NAME_A: deny_all},
        pods,
        cluster_config=cluster_config("PROJECT_SINGLETON_POLICY_ENFORCE"),
        expect={
            "entries": [],
            "summary": summary(
                evaluationMode="PROJECT_SINGLETON_POLICY_ENFORCE", monitoredPolicies=[], note="*"
            ),
        },
    )
    cv_case(
        "103-binding-served-by-policy-id",
        "a policy given under its id serves the binding; the event names the bound policy",
        {"policy-a": deny_all},
        pods,
        cluster_config=cluster_config(
            "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE", NAME_A
        ),
        expect={
            "entries": [
                event(
                    "web",
                    [denied(bad, "app", [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")])],
                )
            ],
            "summary": summary(monitoredPolicies=[NAME_A], violations={NAME_A: 1}),
        },
    )
    cv_case(
        "104-unbound-policy-not-monitored",
        "a given policy that the cluster does not bind is not monitored; the note names it",
        {NAME_A: deny_all, NAME_B: deny_all},
        pods,
        cluster_config=cluster_config("POLICY_BINDINGS", NAME_B),
        expect={
            "entries": [
                event(
                    "web",
                    [denied(bad, "app", [failed(0, "Default check set", 0, "Deny", "AlwaysDeny")])],
                    policy=NAME_B,
                )
            ],
            "summary": summary(
                monitoredPolicies=[NAME_B],
                note="not bound to the cluster, so not monitored: " + NAME_A,
            ),
        },
    )
    cv_case(
        "105-no-cluster-config-error-without-cluster",
        "without the cluster, a configuration error event names no cluster",
        {},
        pods,
        cluster_config=cluster_config("POLICY_BINDINGS", gone),
        expect={
            "entries": [
                {
                    "configErrorEvent": {
                        "description": "Cannot monitor cluster: Resource %s does not exist." % gone
                    }
                }
            ],
            "summary": summary(configErrors=1, monitoredPolicies=[]),
        },
    )


def error_cases():
    pods = pod_list(snapshot_pod("web", [("app", "gcr.io/p/a:1")]))
    deny_all = platform(check_set([always_deny()]))
    cv_case(
        "200-cluster-not-project-location-name",
        "`cluster` must be PROJECT/LOCATION/NAME",
        {NAME_A: deny_all},
        pods,
        cluster="us-central1-a.my-cluster",
        error=err("REQUEST_INVALID_CLUSTER", "/cluster"),
    )
    cv_case(
        "201-pods-not-a-pod-list",
        "`pods` must be a List, a PodList or a Pod",
        {NAME_A: deny_all},
        {"kind": "DeploymentList", "items": []},
        error=err("REQUEST_INVALID_VALUE", "/pods/kind"),
    )
    cv_case(
        "202-too-many-policies",
        "at most 10 platform policies (a cluster binds at most 10)",
        {"policy-%02d" % i: deny_all for i in range(11)},
        pods,
        error=err("CLUSTER_TOO_MANY_BINDINGS", "/platformPolicies"),
    )
    cv_case(
        "203-invalid-policy-path",
        "a policy's error path continues into the policy under its name",
        {"policy-a": platform(check_set([{"displayName": "x", "alwaysDeny": False}]))},
        pods,
        error=err(
            "PLATFORM_ALWAYS_DENY_FALSE",
            "/platformPolicies/policy-a/gkePolicy/checkSets/0/checks/0/alwaysDeny",
        ),
    )
    cv_case(
        "204-invalid-cluster-mode",
        "an unknown evaluation mode is a configuration error",
        {NAME_A: deny_all},
        pods,
        cluster_config={"binaryAuthorization": {"evaluationMode": "DRYRUN"}},
        error=err("CLUSTER_INVALID_MODE", "/clusterConfig/binaryAuthorization/evaluationMode"),
    )
    cv_case(
        "205-missing-now",
        "`now` is required",
        {NAME_A: deny_all},
        pods,
        now=None,
        error=err("BUNDLE_MISSING_FIELD", "/now"),
    )
    cv_case(
        "206-missing-pods",
        "`pods` is required",
        {NAME_A: deny_all},
        None,
        error=err("BUNDLE_MISSING_FIELD", "/pods"),
    )


def cases():
    event_cases()
    volume_cases()
    cluster_cases()
    error_cases()
