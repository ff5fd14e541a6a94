"""The workloads group: images of every workload kind."""

from .builders import *  # noqa: F401,F403


def workload_cases():
    g = "workloads"
    app = "gcr.io/example-project/app@" + DIG_A
    sidecar = "gcr.io/example-project/sidecar:1.2"
    pol = policy(rule("ALWAYS_DENY"), patterns=["gcr.io/example-project/app@*"])
    for kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"):
        vec(
            g,
            f"{kind.lower()}-pod-template",
            f"a {kind}'s pod template is evaluated; namespace from the object",
            pol,
            {"workload": controller(kind, [("app", app), ("sidecar", sidecar)], namespace="shop")},
            exp(
                "DENY",
                imgs=[
                    img(
                        app,
                        "EXEMPT",
                        container="app",
                        exemption=("ALLOWLIST", "gcr.io/example-project/app@*"),
                    ),
                    img(sidecar, "VIOLATION", container="sidecar", reasons=[why("ALWAYS_DENY")]),
                ],
            ),
        )
    vec(
        g,
        "007-pod-container-order",
        "init, then containers, then ephemeral containers",
        ALLOW_ALL,
        {
            "workload": pod(
                [("c1", "gcr.io/p/c1:1"), ("c2", "gcr.io/p/c2:1")],
                init=[("i1", "gcr.io/p/i1:1")],
                ephemeral=[("e1", "busybox")],
            )
        },
        exp(
            "ALLOW",
            imgs=[
                img("gcr.io/p/i1:1", "CONFORMANT", container="i1"),
                img("gcr.io/p/c1:1", "CONFORMANT", container="c1"),
                img("gcr.io/p/c2:1", "CONFORMANT", container="c2"),
                img("busybox", "CONFORMANT", container="e1"),
            ],
        ),
    )
    vec(
        g,
        "008-ephemeral-container-is-evaluated",
        "A-25: ephemeral containers are evaluated like the others",
        pol,
        {"workload": pod([("app", app)], ephemeral=[("debug", "busybox:1.36")])},
        exp("DENY", imgs=[img(app, "EXEMPT"), img("busybox:1.36", "VIOLATION", container="debug")]),
    )
    vec(
        g,
        "009-workload-as-yaml-string",
        "request.workload may be the manifest's YAML text",
        pol,
        {
            "workload": (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  namespace: shop\nspec:\n "
                " containers:\n  - name: app\n    image: " + app + "\n"
            )
        },
        exp("ALLOW", imgs=[img(app, "EXEMPT", container="app")]),
    )
    vec(
        g,
        "010-labels-merge-over-workload",
        "request labels are merged over the pod's (break-glass added by the caller)",
        DENY_ALL,
        {
            "workload": pod([("app", "gcr.io/p/a:1")], labels={"app": "web"}),
            "labels": {"image-policy.k8s.io/break-glass": "true"},
        },
        exp("BREAK_GLASS_ALLOW", annotations=ANN_BG_OV),
    )

    # Issue 12: vouch evaluates the Pod Kubernetes runs.
    sa_pol = policy(rule("ALWAYS_DENY"), sa={"shop:builder": rule("ALWAYS_ALLOW")})
    for name, spec_sa, verdict, kind in (
        (
            "011-service-account-deprecated-field-when-name-empty",
            {"serviceAccountName": "", "serviceAccount": "builder"},
            "ALLOW",
            "SERVICE_ACCOUNT",
        ),
        (
            "012-service-account-deprecated-field-alone",
            {"serviceAccount": "builder"},
            "ALLOW",
            "SERVICE_ACCOUNT",
        ),
        (
            "013-service-account-name-wins-over-deprecated-field",
            {"serviceAccountName": "other", "serviceAccount": "builder"},
            "DENY",
            "DEFAULT",
        ),
    ):
        w = pod([("app", "gcr.io/p/a:1")], namespace="shop")
        w["spec"].update(spec_sa)
        vec(
            g,
            name,
            "the Pod runs as serviceAccountName, or the deprecated serviceAccount when that is"
            " empty or absent (the API server's v1 conversion)",
            sa_pol,
            {"workload": w},
            exp(verdict, kind=kind, key="shop:builder" if kind == "SERVICE_ACCOUNT" else None),
        )
    for kind in ("Pod", "Deployment"):
        w = (
            pod([("app", app)], ephemeral=[("dbg", app)])
            if kind == "Pod"
            else controller(kind, [("app", app)])
        )
        spec = w["spec"] if kind == "Pod" else w["spec"]["template"]["spec"]
        spec["volumes"] = [
            {"name": "cfg", "configMap": {"name": "cfg"}},
            {
                "name": "models",
                "image": {
                    "reference": "gcr.io/example-project/models:3",
                    "pullPolicy": "IfNotPresent",
                },
            },
        ]
        imgs = [img(app, "EXEMPT", container="app")]
        if kind == "Pod":
            imgs.append(img(app, "EXEMPT", container="dbg"))
        imgs.append(
            img(
                "gcr.io/example-project/models:3",
                "VIOLATION",
                volume="models",
                reasons=[why("ALWAYS_DENY")],
            )
        )
        vec(
            g,
            f"image-volume-is-evaluated-{kind.lower()}",
            "an image volume (volumes[].image.reference) is pulled, so it is evaluated like a"
            " container, after the ephemeral containers; its entry names the volume (`volume`,"
            " `container` null)",
            pol,
            {"workload": w},
            exp("DENY", imgs=imgs),
        )
    vec(
        g,
        "016-yaml-1-1-scalars-as-kubectl-reads-them",
        "a manifest is read with go-yaml v2's YAML 1.1 rules: `hostNetwork: yes` is true, a label"
        " key `on` is `true`, `0x1F` is 31; quoted values stay strings",
        ALLOW_ALL,
        {
            "workload": (
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {on: 'yes', app:"
                ' "0x1F"}\nspec:\n  hostNetwork: yes\n  priority: 0x1F\n  containers:\n  - {name:'
                " app, image: 'gcr.io/p/a:1'}\n"
            )
        },
        exp("ALLOW", imgs=[img("gcr.io/p/a:1", "CONFORMANT", container="app")]),
    )


def cases():
    workload_cases()


# The stable names of the workloads cases built in loops above (their file names).
stable_names(
    "workloads",
    [
        "001-deployment-pod-template",
        "002-replicaset-pod-template",
        "003-statefulset-pod-template",
        "004-daemonset-pod-template",
        "005-job-pod-template",
        "006-cronjob-pod-template",
        "014-image-volume-is-evaluated-pod",
        "015-image-volume-is-evaluated-deployment",
    ],
)
