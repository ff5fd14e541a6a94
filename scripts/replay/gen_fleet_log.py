#!/usr/bin/env python3
"""A synthetic fleet audit log for `vouch replay` tests and benchmarks (deterministic).

Writes JSON lines mixing the shapes replay reads, with the proportions of a real fleet:
Cloud Audit Logs entries of GKE clusters (most), the same with Distributed Cloud label keys,
Kubernetes audit Events, and BigQuery export rows; Pods created by controllers (no name, a
`generateName`, an owner) and by people; many namespaces; images by tag and by digest;
break-glass, dry-run and denied entries; entries that are not deployments (other resources,
other verbs, incomplete stages); malformed lines; and duplicated entries (overlapping sinks).

The images and clusters match examples/policy.yaml, examples/attestors.json and
examples/attestations.json, so `vouch replay --policy examples/policy.yaml` decides them.

Beside the log it writes FILE.expect.json: how many lines of each kind it wrote, which a test
compares with the replay's summary (every line accounted for).

    scripts/replay/gen_fleet_log.py --events 100000 --out /tmp/fleet.jsonl [--seed 7]
"""

import argparse
import json
import random
import uuid
import zlib

ATTESTED = "us-docker.pkg.dev/example-project/app/web@sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a"
CI_ONLY = "us-docker.pkg.dev/example-project/app/web@sha256:3de6f781a0858ca01b0bfab42c51e47eb1b2f4f580db12423f817e1bf955b824"
TAGGED = [
    "us-docker.pkg.dev/example-project/app/web:v1.4.2",
    "us-docker.pkg.dev/example-project/app/api:2026.11.30",
    "us-docker.pkg.dev/example-project/app/worker:latest",
    "docker.io/library/nginx:1.27",
]
UNATTESTED_DIGEST = "us-docker.pkg.dev/example-project/app/api@sha256:" + "ab" * 32
ALLOWLISTED = "gcr.io/example-project/debug-tools/netshoot:v0.13"
SYSTEM = "gke.gcr.io/gke-metrics-agent:1.12.3-gke.0"

CLUSTERS = [
    ("us-central1-a", "prod-cluster", "example-project"),
    ("us-central1", "staging-cluster", "example-project"),
    ("europe-west1-b", "dev-cluster", "example-project"),
]
NAMESPACES = ["default", "sandbox", "kube-system"] + [f"team-{i:02d}" for i in range(40)]
CONTROLLERS = ["replicaset-controller", "job-controller", "daemon-set-controller", "statefulset-controller"]
OWNER_KIND = {
    "replicaset-controller": "ReplicaSet",
    "job-controller": "Job",
    "daemon-set-controller": "DaemonSet",
    "statefulset-controller": "StatefulSet",
}
GKE = "imagepolicywebhook.image-policy.k8s.io/"
GDC = "binaryauthorization.googleapis.com/"


def hexid(rng, n=10):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def pod(rng, namespace, images, controller, break_glass):
    app = rng.choice(["web", "api", "worker", "cache", "batch"])
    meta = {"namespace": namespace, "labels": {"app": app}}
    if controller:
        # A few owners per namespace and app, so that replicas group (decision X-4).
        owner = f"{app}-{zlib.crc32(f'{namespace}/{app}/{rng.randrange(3)}'.encode()):09x}"
        meta["generateName"] = owner + "-"
        meta["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": OWNER_KIND[controller], "name": owner, "controller": True}
        ]
    else:
        # People's Pods (debugging, one-off jobs) reuse a few names.
        meta["name"] = f"{app}-debug-{rng.randrange(20)}"
    if break_glass:
        meta["annotations"] = {"alpha.image-policy.k8s.io/break-glass": "true"}
    containers = [
        {"name": f"c{i}", "image": image, "resources": {"requests": {"cpu": "100m"}}}
        for i, image in enumerate(images)
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": containers, "serviceAccountName": "default"},
        "status": {},
    }


def persisted(rng, p):
    out = json.loads(json.dumps(p))
    out["metadata"].setdefault("name", out["metadata"].get("generateName", "p-") + hexid(rng, 5))
    out["metadata"]["uid"] = str(uuid.UUID(int=rng.getrandbits(128)))
    out["status"] = {"phase": "Pending"}
    return out


def choose(rng, cluster):
    """Images, break-glass, and what the log recorded, from a simple model of the policy that
    ran (the logged outcomes are the generator's, not vouch's)."""
    r = rng.random()
    if r < 0.45:
        images = [ATTESTED]
    elif r < 0.55:
        images = [ATTESTED, ALLOWLISTED]
    elif r < 0.65:
        images = [CI_ONLY]
    elif r < 0.80:
        images = [rng.choice(TAGGED)]
    elif r < 0.88:
        images = [UNATTESTED_DIGEST]
    elif r < 0.95:
        images = [SYSTEM]
    else:
        images = [ALLOWLISTED]
    break_glass = rng.random() < 0.02
    name = cluster[1]
    violates = any(i in (CI_ONLY, UNATTESTED_DIGEST) or i in TAGGED for i in images)
    if break_glass and violates:
        logged = "break-glass"
    elif name == "prod-cluster" and violates:
        logged = "denied"
    elif name == "staging-cluster" and violates:
        logged = "dry-run"
    else:
        logged = "allowed"
    return images, break_glass, logged


def denial_message(images, cluster):
    image = images[0]
    return (
        f'pods "x" is forbidden: image policy webhook backend denied one or more images: '
        f"Denied by cluster admission rule for {cluster[0]}.{cluster[1]}. Denied by an attestor. "
        f"Image {image} denied by attestor projects/example-project/attestors/qa-approved: "
        "No attestations found that were valid and signed by a key trusted by the attestor"
    )


def timestamp(rng, i, total):
    # Spread over seven days from 2026-11-23T00:00:00Z, in order.
    seconds = int(i * 7 * 86400 / max(total, 1))
    day, rest = divmod(seconds, 86400)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    micro = rng.randrange(1_000_000)
    return f"2026-11-{23 + day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{micro:06d}Z"


def log_entry(rng, ts, cluster, namespace, p, logged, images, gdc, bigquery):
    controller = "ownerReferences" in p["metadata"]
    principal = (
        f"system:serviceaccount:kube-system:{rng.choice(CONTROLLERS)}" if controller else "dev@example.com"
    )
    name = p["metadata"].get("name")
    resource_name = f"core/v1/namespaces/{namespace}/pods" + (f"/{name}" if name else "")
    request = dict(p, **{"@type": "core.k8s.io/v1.Pod"})
    labels = {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": "access granted by IAM permissions."}
    prefix = GDC if gdc else GKE
    if logged == "denied":
        response = {
            "@type": "core.k8s.io/v1.Status",
            "apiVersion": "v1",
            "kind": "Status",
            "code": 403,
            "status": "Failure",
            "reason": "VIOLATES_POLICY",
            "message": denial_message(images, cluster),
            "metadata": {},
        }
        status = {"code": 7, "message": "Forbidden"}
    else:
        response = dict(persisted(rng, p), **{"@type": "core.k8s.io/v1.Pod"})
        status = {"code": 0}
        if logged == "break-glass":
            labels[prefix + "break-glass"] = "true"
            labels[prefix + "overridden-verification-result"] = f"'{images[0]}' : Image {images[0]} denied by attestor\n"
        elif logged == "dry-run":
            labels[prefix + "dry-run"] = "true"
            labels[prefix + "overridden-verification-result"] = f"'{images[0]}' : Image {images[0]} denied by attestor\n"
    insert = str(uuid.UUID(int=rng.getrandbits(128)))
    resource = {
        "type": "k8s_cluster",
        "labels": {"project_id": cluster[2], "location": cluster[0], "cluster_name": cluster[1]},
    }
    payload = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "authenticationInfo": {"principalEmail": principal},
        "methodName": "io.k8s.core.v1.pods.create",
        "resourceName": resource_name,
        "serviceName": "k8s.io",
        "status": status,
    }
    log = "externalaudit.googleapis.com%2Factivity" if gdc else "cloudaudit.googleapis.com%2Factivity"
    if bigquery:
        payload = dict(payload)
        del payload["@type"]
        payload["requestJson"] = json.dumps(request, separators=(",", ":"))
        payload["responseJson"] = json.dumps(response, separators=(",", ":"))
        bq_labels = {"".join(c if c.isalnum() else "_" for c in k): v for k, v in labels.items()}
        return {
            "logName": f"projects/{cluster[2]}/logs/cloudaudit.googleapis.com%2Factivity",
            "resource": resource,
            "timestamp": ts.replace("T", " ").replace("Z", " UTC"),
            "insertId": insert,
            "labels": bq_labels,
            "protopayload_auditlog": payload,
        }
    payload["request"] = request
    payload["response"] = response
    return {
        "protoPayload": payload,
        "insertId": insert,
        "resource": resource,
        "timestamp": ts,
        "labels": labels,
        "logName": f"projects/{cluster[2]}/logs/{log}",
        "operation": {"id": insert, "producer": "k8s.io", "first": True, "last": True},
        "receiveTimestamp": ts,
    }


def k8s_event(rng, ts, namespace, p, logged, images, stage="ResponseComplete"):
    name = p["metadata"].get("name")
    annotations = {"authorization.k8s.io/decision": "allow"}
    if logged == "denied":
        status = {"metadata": {}, "status": "Failure", "message": denial_message(images, ("us-central1-a", "prod-cluster")), "reason": "Forbidden", "code": 403}
        response = None
    else:
        status = {"metadata": {}, "code": 201}
        response = persisted(rng, p)
        if logged in ("break-glass", "dry-run"):
            annotations[GKE + logged] = "true"
    event = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "RequestResponse",
        "auditID": str(uuid.UUID(int=rng.getrandbits(128))),
        "stage": stage,
        "requestURI": f"/api/v1/namespaces/{namespace}/pods",
        "verb": "create",
        "user": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
        "sourceIPs": ["10.0.0.2"],
        "objectRef": {"resource": "pods", "namespace": namespace, "apiVersion": "v1", **({"name": name} if name else {})},
        "responseStatus": status,
        "requestObject": p,
        "requestReceivedTimestamp": ts,
        "stageTimestamp": ts,
        "annotations": annotations,
    }
    if response is not None:
        event["responseObject"] = response
    return event


def not_a_deployment(rng, ts, cluster, namespace):
    kind = rng.random()
    if kind < 0.5:
        method = "io.k8s.apps.v1.deployments.create"
        resource_name = f"apps/v1/namespaces/{namespace}/deployments/web"
    elif kind < 0.8:
        method = "io.k8s.core.v1.pods.delete"
        resource_name = f"core/v1/namespaces/{namespace}/pods/web-{hexid(rng, 5)}"
    else:
        method = "io.k8s.core.v1.pods.binding.create"
        resource_name = f"core/v1/namespaces/{namespace}/pods/web-{hexid(rng, 5)}/binding"
    return {
        "protoPayload": {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "methodName": method,
            "resourceName": resource_name,
            "serviceName": "k8s.io",
            "status": {"code": 0},
        },
        "insertId": str(uuid.UUID(int=rng.getrandbits(128))),
        "resource": {"type": "k8s_cluster", "labels": {"project_id": cluster[2], "location": cluster[0], "cluster_name": cluster[1]}},
        "timestamp": ts,
        "logName": f"projects/{cluster[2]}/logs/cloudaudit.googleapis.com%2Factivity",
    }


MALFORMED = [
    '{"protoPayload": {"serviceName": "k8s.io", "methodName": "io.k8s.core.v1.pods.create"',
    "this is not json",
    "[1, 2, 3]",
    '{"protoPayload": {"serviceName": "k8s.io", "methodName": "io.k8s.core.v1.pods.create", "resourceName": "core/v1/namespaces/x/pods/y", "request": {"kind": "Pod", "spec": {}}}, "timestamp": "2026-11-23T00:00:00Z"}',
    '{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create", "objectRef": {"resource": "pods", "namespace": "default"}, "requestObject": {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "UPPER/Case:bad"}]}}, "requestReceivedTimestamp": "2026-11-23T00:00:00Z", "responseStatus": {"code": 201}}',
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=10000, help="lines to write (about)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    counts = {"lines": 0, "deployments": 0, "skipped": 0, "malformed": 0, "duplicates": 0}
    with open(args.out, "w") as out:
        previous = None
        for i in range(args.events):
            ts = timestamp(rng, i, args.events)
            cluster = rng.choice(CLUSTERS)
            namespace = rng.choice(NAMESPACES)
            r = rng.random()
            if r < 0.005:
                line = rng.choice(MALFORMED)
                counts["malformed"] += 1
            elif r < 0.008 and previous is not None:
                line = previous
                counts["duplicates"] += 1
            elif r < 0.08:
                if rng.random() < 0.2:
                    images, bg, logged = choose(rng, cluster)
                    p = pod(rng, namespace, images, rng.choice(CONTROLLERS), bg)
                    line = json.dumps(k8s_event(rng, ts, namespace, p, logged, images, stage="RequestReceived"), separators=(",", ":"))
                else:
                    line = json.dumps(not_a_deployment(rng, ts, cluster, namespace), separators=(",", ":"))
                counts["skipped"] += 1
            else:
                images, bg, logged = choose(rng, cluster)
                # Most Pods come from controllers; an app's Pods always from the same kind.
                controller = CONTROLLERS[zlib.crc32(namespace.encode()) % len(CONTROLLERS)] if rng.random() < 0.95 else None
                p = pod(rng, namespace, images, controller, bg)
                shape = rng.random()
                if shape < 0.15:
                    # A Kubernetes audit log names no cluster: replay with --cluster, or it is "(none)".
                    entry = k8s_event(rng, ts, namespace, p, logged, images)
                else:
                    entry = log_entry(rng, ts, cluster, namespace, p, logged, images, gdc=0.15 <= shape < 0.20, bigquery=shape >= 0.90)
                line = json.dumps(entry, separators=(",", ":"))
                counts["deployments"] += 1
                previous = line
            out.write(line + "\n")
            counts["lines"] += 1
    with open(args.out + ".expect.json", "w") as f:
        json.dump(counts, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
