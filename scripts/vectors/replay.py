"""The replay suite (toolkit): audit log entries decided again under a candidate policy
(decisions X-1 … X-4, Q-6, Q-7, Q-8, Q-12).

A case is `{"description", "input": <the replay document>, "expect"}` (a subset of
`{"records", "summary"}`, matched like bundle vectors) or `"expectError": {"code", "path"}`;
its golden file (testdata/golden/replay/) holds the whole result, which every front end must
print byte for byte.

Numbers: 001-049 reading entries (shapes, X-2, labels), 050-099 comparing and counting (X-3,
X-4, baseline, duplicates), 100-149 splitting a whole log (`log`/`logBase64`: the rule of
`vouch::split_log` that the command, Python and Beam share), 200-299 configuration errors.
"""

import base64
import json

from .builders import *  # noqa: F401,F403
from .registry import add

TIME = "2026-11-23T10:15:30.123456Z"
CLUSTER_LOC = "us-central1-a"
CLUSTER_NAME = "prod-cluster"
PROD = CLUSTER_LOC + "." + CLUSTER_NAME
TAG = WEB + ":v1.4.2"
DIGEST = WEB + "@" + DIG_A
OTHER_DIGEST = WEB + "@" + DIG_B
TOOL = "gcr.io/example-project/debug-tools/netshoot:v0.13"
GDC = "binaryauthorization.googleapis.com/"
GKE = "imagepolicywebhook.image-policy.k8s.io/"

# The candidate: prod requires the CI attestor; `sandbox` may run anything; debug tools are
# allowlisted; everything else is denied.
CANDIDATE = policy(
    rule("ALWAYS_DENY"),
    patterns=["gcr.io/example-project/debug-tools/*"],
    cluster={PROD: rule("REQUIRE_ATTESTATION", by=[CI])},
    ns={"sandbox": rule("ALWAYS_ALLOW")},
)
# A baseline that admits everything but logs violations in prod.
BASELINE = policy(
    rule("ALWAYS_ALLOW"),
    cluster={PROD: rule("REQUIRE_ATTESTATION", "DRYRUN_AUDIT_LOG_ONLY", [CI])},
)


def k8s_pod(image, namespace="team-a", name="web", owner=None, annotations=None, typed=True):
    meta = {"namespace": namespace}
    if owner:
        meta["generateName"] = owner + "-"
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner}]
    else:
        meta["name"] = name
    if annotations:
        meta["annotations"] = annotations
    images_ = image if isinstance(image, list) else [image]
    p = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [{"name": "c%d" % i, "image": im} for i, im in enumerate(images_)]},
    }
    if typed:
        p = dict({"@type": "core.k8s.io/v1.Pod"}, **p)
    return p


def gke_entry(
    image,
    namespace="team-a",
    labels=None,
    response="pod",
    message=None,
    reason="VIOLATES_POLICY",
    response_image=None,
    owner=None,
    name="web",
    annotations=None,
    method="io.k8s.core.v1.pods.create",
    time=TIME,
    insert="0e496604-1743-4232-80f8-34c2456bad07",
    cluster=(CLUSTER_LOC, CLUSTER_NAME),
):
    request = k8s_pod(image, namespace, name, owner, annotations)
    status = {"code": 0}
    if response == "pod":
        resp = k8s_pod(response_image or image, namespace, name, owner, annotations)
    elif response == "status":
        resp = {
            "@type": "core.k8s.io/v1.Status",
            "apiVersion": "v1",
            "kind": "Status",
            "code": 403,
            "status": "Failure",
            "reason": reason,
            "message": message,
            "metadata": {},
        }
        status = {"code": 7, "message": "Forbidden"}
    else:
        resp = None
    payload = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "authenticationInfo": {"principalEmail": "dev@example.com"},
        "methodName": method,
        "resourceName": "core/v1/namespaces/%s/pods" % namespace + ("" if owner else "/" + name),
        "serviceName": "k8s.io",
        "request": request,
        "status": status,
    }
    if resp is not None:
        payload["response"] = resp
    e = {
        "protoPayload": payload,
        "insertId": insert,
        "resource": {
            "type": "k8s_cluster",
            "labels": {"project_id": "example-project", "location": cluster[0], "cluster_name": cluster[1]},
        },
        "timestamp": time,
        "logName": "projects/example-project/logs/cloudaudit.googleapis.com%2Factivity",
    }
    if labels is not None:
        e["labels"] = labels
    return e


def bq_row(entry):
    """The BigQuery export's row for a LogEntry: JSON strings, sanitized label keys."""
    payload = dict(entry["protoPayload"])
    payload.pop("@type", None)
    payload["requestJson"] = json.dumps(payload.pop("request"), separators=(",", ":"))
    if "response" in payload:
        payload["responseJson"] = json.dumps(payload.pop("response"), separators=(",", ":"))
    row = {
        "logName": entry["logName"],
        "resource": entry["resource"],
        "timestamp": entry["timestamp"].replace("T", " ").replace("Z", " UTC"),
        "insertId": entry["insertId"],
        "protopayload_auditlog": payload,
    }
    if "labels" in entry:
        row["labels"] = {"".join(c if c.isalnum() else "_" for c in k): v for k, v in entry["labels"].items()}
    return row


def k8s_event(image, namespace="team-a", stage="ResponseComplete", code=201, annotations=None, verb="create", level="RequestResponse"):
    e = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": level,
        "auditID": "787427f5-32a9-4183-8d52-9d510b2d4433",
        "stage": stage,
        "requestURI": "/api/v1/namespaces/%s/pods" % namespace,
        "verb": verb,
        "user": {"username": "kubernetes-admin"},
        "objectRef": {"resource": "pods", "namespace": namespace, "name": "web", "apiVersion": "v1"},
        "requestReceivedTimestamp": TIME,
        "stageTimestamp": "2026-11-23T10:15:31.000001Z",
    }
    if stage == "ResponseComplete":
        e["responseStatus"] = {"metadata": {}, "code": code}
    if level in ("Request", "RequestResponse"):
        e["requestObject"] = k8s_pod(image, namespace, typed=False)
    if level == "RequestResponse" and code < 400:
        e["responseObject"] = k8s_pod(image, namespace, typed=False)
    if annotations:
        e["annotations"] = annotations
    return e


DENIAL = (
    'pods "web" is forbidden: image policy webhook backend denied one or more images: '
    "Denied by cluster admission rule for us-central1-a.prod-cluster"
)


def replay_case(name, description, entries, expect=None, error=None, **members):
    doc = {"policy": members.pop("policy", CANDIDATE), "attestors": members.pop("attestors", [ci_attestor()])}
    doc.update(members)
    if entries is not None:
        doc["entries"] = entries
    case = {"description": description, "input": doc}
    assert (expect is None) != (error is None), name
    if error is not None:
        case["expectError"] = error
    else:
        case["expect"] = expect
    add("replay", name, case)


def rec(change, logged_outcome, verdict, **kw):
    """A record's expected members: the change, the logged outcome, the candidate's verdict,
    and any other members (`logged`/`candidate` given in full replace the short ones)."""
    r = {"change": change, "logged": {"outcome": logged_outcome}, "candidate": {"verdict": verdict}}
    r.update(kw)
    return r


def reading_cases():
    replay_case(
        "001-allowed-gke-entry-decides-the-persisted-pod",
        "an allowed Cloud Audit Logs entry: the persisted Pod is decided, at the entry's second (X-2, X-3)",
        [gke_entry(TAG)],
        {"records": [rec("NEWLY_BLOCKED", "ALLOWED", "DENY", format="CLOUD_AUDIT_LOG", decidedFrom="RESPONSE",
                         cluster=PROD, namespace="team-a", name="web", now="2026-11-23T10:15:30Z",
                         time="2026-11-23T10:15:30Z", images=[TAG])]},
    )
    replay_case(
        "002-mutated-pod-is-decided-and-the-difference-reported",
        "a mutating webhook resolved the tag: the persisted digest is decided and the request's tag reported (X-2)",
        [gke_entry(TAG, response_image=DIGEST)],
        {"records": [rec("SAME", "ALLOWED", "ALLOW", objectsDiffer={"request": [TAG], "response": [DIGEST]}, images=[DIGEST])]},
        attestations=[ci_occ()],
    )
    replay_case(
        "003-denied-entry-decides-the-request",
        "a Binary Authorization denial has no persisted Pod: the request is decided (X-2)",
        [gke_entry(TAG, response="status", message=DENIAL, reason="Forbidden")],
        {"records": [rec("SAME", "DENIED", "DENY", decidedFrom="REQUEST", logged={"outcome": "DENIED", "message": DENIAL})]},
    )
    replay_case(
        "004-violates-policy-reason-is-binary-authorization",
        "reason VIOLATES_POLICY marks a Binary Authorization denial whatever the message",
        [gke_entry(TAG, response="status", message="denied", reason="VIOLATES_POLICY")],
        {"records": [rec("SAME", "DENIED", "DENY")]},
    )
    replay_case(
        "005-another-controllers-denial-is-not-comparable",
        "a PodSecurity denial says nothing about Binary Authorization: NOT_COMPARABLE",
        [gke_entry(DIGEST, response="status", reason="Forbidden",
                   message='pods "web" is forbidden: violates PodSecurity "restricted:latest"')],
        {"records": [rec("NOT_COMPARABLE", "DENIED_OTHER", "ALLOW", referenceClass="OTHER")]},
        attestations=[ci_occ()],
    )
    stable = []
    for prefix, family in ((GKE, "gke"), (GDC, "gdc")):
        replay_case(
            "%03d-break-glass-label-%s" % (6 if family == "gke" else 8, family),
            "the %s break-glass label (Q-6)" % ("GKE" if family == "gke" else "Distributed Cloud"),
            [gke_entry(TAG, annotations={"alpha.image-policy.k8s.io/break-glass": "true"},
                       labels={prefix + "break-glass": "true", prefix + "overridden-verification-result": "'%s' : denied\n" % TAG})],
            {"records": [rec("SAME", "BREAK_GLASS", "BREAK_GLASS_ALLOW",
                             logged={"outcome": "BREAK_GLASS", "message": "'%s' : denied\n" % TAG})]},
        )
        replay_case(
            "%03d-dry-run-label-%s" % (7 if family == "gke" else 9, family),
            "the %s dry-run label: the candidate blocks what was only logged (Q-6)" % ("GKE" if family == "gke" else "Distributed Cloud"),
            [gke_entry(TAG, labels={prefix + "dry-run": "true"})],
            {"records": [rec("NEWLY_BLOCKED", "DRY_RUN", "DENY", referenceClass="DRY_RUN")]},
        )
    replay_case(
        "010-bigquery-row",
        "a BigQuery export row: JSON strings, a space-separated UTC timestamp, sanitized label keys mapped back (Q-12)",
        [bq_row(gke_entry(TAG, labels={GKE + "dry-run": "true"}))],
        {"records": [rec("NEWLY_BLOCKED", "DRY_RUN", "DENY", format="BIGQUERY", time="2026-11-23T10:15:30Z")]},
    )
    replay_case(
        "011-kubernetes-audit-event",
        "a Kubernetes audit Event names no cluster: the document's `cluster` is used",
        [k8s_event(DIGEST)],
        {"records": [rec("SAME", "ALLOWED", "ALLOW", format="KUBERNETES_AUDIT", cluster=PROD, principal="kubernetes-admin",
                         id="787427f5-32a9-4183-8d52-9d510b2d4433")]},
        attestations=[ci_occ()],
        cluster=PROD,
    )
    replay_case(
        "012-kubernetes-audit-event-without-cluster",
        "without `cluster` a Kubernetes audit Event is decided without one (the default rule)",
        [k8s_event(DIGEST)],
        {"records": [rec("NEWLY_BLOCKED", "ALLOWED", "DENY", cluster=None, candidate={"verdict": "DENY", "rule": {"kind": "DEFAULT"}})]},
        attestations=[ci_occ()],
    )
    replay_case(
        "013-entries-that-are-not-deployments-are-counted",
        "other stages, verbs, resources, services and Metadata-level events are skipped and counted, never decided",
        [
            k8s_event(TAG, stage="RequestReceived"),
            k8s_event(TAG, verb="get"),
            k8s_event(TAG, level="Metadata"),
            gke_entry(TAG, method="io.k8s.apps.v1.deployments.create"),
            gke_entry(TAG, method="io.k8s.core.v1.pods.delete"),
            dict(gke_entry(TAG), protoPayload=dict(gke_entry(TAG)["protoPayload"], serviceName="run.googleapis.com")),
        ],
        {"records": [], "summary": {"entries": 6, "events": 0, "skipped": 6,
                                    "skippedByReason": {"INCOMPLETE_STAGE": 1, "NOT_A_DEPLOYMENT": 2, "NOT_A_POD": 2, "NO_OBJECT": 1}}},
    )
    with_debug = k8s_pod(TOOL)
    with_debug["spec"]["ephemeralContainers"] = [{"name": "debug", "image": TAG}]
    added = gke_entry(TOOL, method="io.k8s.core.v1.pods.ephemeralcontainers.update")
    added["protoPayload"]["request"] = with_debug
    added["protoPayload"]["response"] = with_debug
    no_debug = gke_entry(TOOL, method="io.k8s.core.v1.pods.ephemeralcontainers.update", insert="none")
    replay_case(
        "014-ephemeral-containers-update-is-a-deployment",
        "adding an ephemeral container (pods/ephemeralcontainers) runs a new image: that image is decided; an update that adds none admits nothing new (skipped)",
        [added, no_debug],
        {"records": [rec("NEWLY_BLOCKED", "ALLOWED", "DENY", operation="update", images=[TAG])],
         "summary": {"skippedByReason": {"NOT_A_DEPLOYMENT": 1}}},
    )
    replay_case(
        "015-patch-is-decided-by-its-persisted-pod",
        "a patch's request is not a Pod: the persisted Pod is decided",
        [gke_entry(TOOL, method="io.k8s.core.v1.pods.patch")],
        {"records": [rec("SAME", "ALLOWED", "ALLOW", operation="patch", decidedFrom="RESPONSE")]},
    )
    replay_case(
        "016-malformed-entries-are-records-and-the-run-goes-on",
        "malformed entries become records with their error and path; the others are decided",
        [
            "{not json",
            [1, 2],
            {"hello": "world"},
            gke_entry("UPPER/Case:bad"),
            dict(gke_entry(TAG), timestamp=None),
            gke_entry(TOOL),
        ],
        {"records": [
            {"entry": 1, "error": {"code": "INPUT_SYNTAX", "path": "/entries/0"}},
            {"entry": 2, "error": {"code": "REQUEST_INVALID_AUDIT_EVENT", "path": "/entries/1"}},
            {"entry": 3, "error": {"code": "REQUEST_INVALID_AUDIT_EVENT", "path": "/entries/2"}},
            {"entry": 4, "error": {"code": "REQUEST_INVALID_IMAGE", "path": "/entries/3/protoPayload/response/spec/containers/0/image"}},
            {"entry": 5, "error": {"code": "REQUEST_INVALID_AUDIT_EVENT", "path": "/entries/4"}},
            rec("SAME", "ALLOWED", "ALLOW", entry=6),
        ], "summary": {"entries": 6, "events": 1, "malformed": 5}},
    )
    replay_case(
        "017-entry-as-a-line-of-text",
        "an entry given as a line of JSON text reads as the object",
        [json.dumps(gke_entry(TAG), separators=(",", ":"))],
        {"records": [rec("NEWLY_BLOCKED", "ALLOWED", "DENY")]},
    )
    replay_case(
        "018-snapshot-pods-are-running-events",
        "a cluster snapshot: every Pod an event at its creation time, logged RUNNING; an unreadable Pod is malformed",
        [{"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "a", "namespace": "sandbox", "uid": "u-a", "creationTimestamp": "2026-11-20T08:00:00Z"},
             "spec": {"containers": [{"name": "c", "image": TAG}]}},
            {"metadata": {"name": "b", "namespace": "team-a", "creationTimestamp": "2026-11-20T08:00:00Z"},
             "spec": {"containers": [{"name": "c", "image": TAG}]}},
            {"metadata": {"name": "c", "namespace": "team-a"}, "spec": {}},
        ]}],
        {"records": [
            rec("SAME", "RUNNING", "ALLOW", format="SNAPSHOT", id="u-a", namespace="sandbox", cluster=PROD),
            rec("NEWLY_BLOCKED", "RUNNING", "DENY", format="SNAPSHOT", namespace="team-a"),
            {"entry": 1, "error": {"code": "REQUEST_INVALID_WORKLOAD", "path": "/entries/0/items/2/spec/containers"}},
        ]},
        cluster=PROD,
    )
    replay_case(
        "019-namespace-comes-from-the-request-path",
        "the namespace is the one the API server stored the Pod under (the resource name), not a different one in the object",
        [dict(gke_entry(TOOL, namespace="sandbox"), protoPayload=dict(
            gke_entry(TOOL, namespace="sandbox")["protoPayload"],
            response=k8s_pod(TAG, namespace="team-a")))],
        {"records": [rec("SAME", "ALLOWED", "ALLOW", namespace="sandbox", candidate={"verdict": "ALLOW", "rule": {"kind": "NAMESPACE", "key": "sandbox"}})]},
    )


def comparing_cases():
    replay_case(
        "050-baseline-replaces-the-logged-outcome",
        "with a baseline the candidate is compared with the baseline's decision, not the log",
        [gke_entry(TAG, response="status", message=DENIAL), gke_entry(DIGEST, time="2026-11-23T11:00:00Z", insert="b")],
        {"records": [
            rec("NEWLY_BLOCKED", "DENIED", "DENY", reference="BASELINE", referenceClass="DRY_RUN",
                baseline={"verdict": "DRY_RUN_ALLOW"}),
            rec("SAME", "ALLOWED", "ALLOW", reference="BASELINE", referenceClass="ADMITTED"),
        ]},
        baseline=BASELINE,
        attestations=[ci_occ()],
    )
    replay_case(
        "051-fixed-now-replaces-each-events-time",
        "`now` fixes the evaluation time for every event (X-3)",
        [gke_entry(TOOL)],
        {"records": [{"time": "2026-11-23T10:15:30Z", "now": "2027-01-01T00:00:00Z"}]},
        now="2027-01-01T00:00:00Z",
    )
    replay_case(
        "052-duplicates-are-counted-once",
        "the same entry twice (overlapping sinks): decided once, counted as a duplicate",
        [gke_entry(TAG), gke_entry(TAG), gke_entry(TAG, insert="other")],
        {"records": [{"entry": 1}, {"entry": 3}],
         "summary": {"entries": 3, "events": 2, "duplicates": 1}},
    )
    replay_case(
        "053-controller-pods-group-by-owner-and-images",
        "a controller's Pods (generateName, owner) group into one workload (X-4); another image is another workload",
        [
            gke_entry(TAG, owner="web-7f9c", insert="1"),
            gke_entry(TAG, owner="web-7f9c", insert="2", time="2026-11-23T10:15:31Z"),
            gke_entry(TAG, owner="web-7f9c", insert="3", time="2026-11-23T10:15:32Z"),
            gke_entry(OTHER_DIGEST, owner="web-7f9c", insert="4", time="2026-11-23T10:15:33Z"),
        ],
        {"records": [{"owner": "ReplicaSet/web-7f9c", "generateName": "web-7f9c-", "name": None}] * 4,
         "summary": {"events": 4, "workloads": {"distinct": 2, "newlyBlocked": 2},
                     "topNewlyBlockedWorkloads": [
                         {"cluster": PROD, "namespace": "team-a", "workload": "ReplicaSet/web-7f9c", "images": [TAG], "events": 3},
                         {"cluster": PROD, "namespace": "team-a", "workload": "ReplicaSet/web-7f9c", "images": [OTHER_DIGEST], "events": 1},
                     ]}},
    )
    replay_case(
        "054-summary-groups",
        "the summary groups by cluster, namespace, repository, rule, reason and hour",
        [
            gke_entry(TAG, insert="1"),
            gke_entry(TOOL, insert="2", namespace="team-b", time="2026-11-23T11:00:00Z"),
            gke_entry(TAG, insert="3", namespace="sandbox", time="2026-11-23T11:30:00Z", cluster=("europe-west1-b", "dev")),
            gke_entry(DIGEST, insert="4", namespace="team-c", time="2026-11-23T12:00:00Z", cluster=("europe-west1-b", "dev")),
        ],
        {"summary": {
            "events": 4,
            "changes": {"NEWLY_BLOCKED": 2, "SAME": 2},
            "byCluster": {PROD: {"events": 2, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0},
                          "europe-west1-b.dev": {"events": 2, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0}},
            "byRule": {"CLUSTER " + PROD: {"events": 2, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0},
                       "NAMESPACE sandbox": {"events": 1, "blocked": 0, "newlyBlocked": 0, "newlyAdmitted": 0},
                       "DEFAULT": {"events": 1, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0}},
            "byReason": {"ALWAYS_DENY": {"events": 1, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0},
                         "NOT_DIGEST_PINNED": {"events": 1, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0}},
            "byRepository": {WEB: {"events": 3, "blocked": 2, "newlyBlocked": 2, "newlyAdmitted": 0},
                             "gcr.io/example-project/debug-tools/netshoot": {"events": 1, "blocked": 0, "newlyBlocked": 0, "newlyAdmitted": 0}},
            "byHour": {"2026-11-23T10": {"events": 1, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0},
                       "2026-11-23T11": {"events": 2, "blocked": 0, "newlyBlocked": 0, "newlyAdmitted": 0},
                       "2026-11-23T12": {"events": 1, "blocked": 1, "newlyBlocked": 1, "newlyAdmitted": 0}},
            # Ties in name order (`:` sorts before `@`).
            "topNewlyBlockedImages": [{"image": TAG, "events": 1}, {"image": DIGEST, "events": 1}],
        }},
        attestations=[ci_occ()],
    )
    replay_case(
        "055-newly-admitted",
        "the candidate admits what was denied: NEWLY_ADMITTED",
        [gke_entry(TOOL, response="status", message=DENIAL)],
        {"records": [rec("NEWLY_ADMITTED", "DENIED", "ALLOW")], "summary": {"changes": {"NEWLY_ADMITTED": 1}}},
    )
    replay_case(
        "056-failed-open-is-its-own-class",
        "an entry admitted because the webhook failed open is compared as FAILED_OPEN",
        [gke_entry(TAG, labels={GKE + "failed-open": "true"})],
        {"records": [rec("NEWLY_BLOCKED", "FAILED_OPEN", "DENY", referenceClass="FAILED_OPEN")]},
    )


def error_cases():
    replay_case("200-missing-entries", "`entries` is required", None, error=err("BUNDLE_MISSING_FIELD", "/entries"))
    replay_case("201-entries-not-a-list", "`entries` is a list", {"a": 1}, error=err("REQUEST_INVALID_TYPE", "/entries"))
    replay_case("206-log-not-text", "`log` is a log file's text", None, error=err("REQUEST_INVALID_TYPE", "/log"), log=["{}"])
    replay_case("207-log-base64-invalid", "`logBase64` is base64", None, error=err("INPUT_ENCODING", "/logBase64"), logBase64="not base64!")
    replay_case(
        "208-entries-and-log",
        "a replay document gives `entries` or `log`, not both",
        [],
        error=err("BUNDLE_UNKNOWN_FIELD", "/log"),
        log="",
    )
    replay_case(
        "202-baseline-error-path",
        "an error in the baseline policy points into `baseline`",
        [],
        error=err("POLICY_MODE_UNSPECIFIED", "/baseline/defaultAdmissionRule/evaluationMode"),
        baseline=policy(rule("EVALUATION_MODE_UNSPECIFIED")),
    )
    replay_case("203-invalid-cluster", "`cluster` is LOCATION.NAME", [], error=err("REQUEST_INVALID_CLUSTER", "/cluster"), cluster="prod")
    replay_case("204-invalid-now", "`now` is RFC 3339", [], error=err("BUNDLE_INVALID_NOW", "/now"), now="yesterday")
    replay_case(
        "205-candidate-needs-its-attestors",
        "the candidate's attestors must be supplied",
        [],
        error=err("POLICY_UNKNOWN_ATTESTOR"),
        attestors=[],
    )


def review_cases():
    """What an adversarial review of the first version found (each was wrong before)."""
    glass = {"alpha.image-policy.k8s.io/break-glass": "true"}
    forged = {"aaa": "v\u0000alpha.image-policy.k8s.io/break-glass\u0000true"}
    a = k8s_event(DIGEST, namespace="team-a")
    a["requestObject"]["metadata"]["annotations"] = dict({"aaa": "v"}, **glass)
    a["responseObject"]["metadata"]["annotations"] = dict({"aaa": "v"}, **glass)
    b = k8s_event(DIGEST, namespace="team-a")
    b["auditID"] = "b"
    b["requestObject"]["metadata"]["annotations"] = forged
    b["responseObject"]["metadata"]["annotations"] = forged
    replay_case(
        "020-decisions-are-reused-only-for-the-same-request",
        "two Pods whose annotations differ only in where NUL bytes fall are different requests: the second is not given the first's break-glass decision",
        [a, b],
        {"records": [
            rec("CHANGED", "ALLOWED", "BREAK_GLASS_ALLOW"),
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY"),
        ]},
    )
    pod = k8s_pod(OTHER_DIGEST, namespace="team-a")
    pod["spec"]["ephemeralContainers"] = [{"name": "debug", "image": TOOL}]
    eph = gke_entry(OTHER_DIGEST, method="io.k8s.core.v1.pods.ephemeralcontainers.update")
    eph["protoPayload"]["resourceName"] = "core/v1/namespaces/team-a/pods/web/ephemeralcontainers"
    eph["protoPayload"]["request"] = pod
    eph["protoPayload"]["response"] = pod
    plain = gke_entry(OTHER_DIGEST, method="io.k8s.core.v1.pods.update", insert="plain")
    plain["protoPayload"]["request"] = pod
    plain["protoPayload"]["response"] = pod
    replay_case(
        "021-ephemeral-containers-alone-on-their-subresource",
        "adding an ephemeral container decides only the ephemeral containers (the allowlisted debug image), not the Pod's running ones; a plain update decides the others",
        [eph, plain],
        {"records": [
            rec("SAME", "ALLOWED", "ALLOW", images=[TOOL]),
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", images=[OTHER_DIGEST]),
        ]},
    )
    replay_case(
        "022-names-in-a-denial-do-not-make-it-binary-authorizations",
        "a quota denial of a Pod named `binaryauthorization-demo` is another controller's: NOT_COMPARABLE",
        [gke_entry(TAG, response="status", reason="Forbidden",
                   message='pods "binaryauthorization-demo" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10')],
        {"records": [rec("NOT_COMPARABLE", "DENIED_OTHER", "DENY")]},
    )
    open_pod = gke_entry(TAG, insert="f2", annotations={"alpha.image-policy.k8s.io/failed-open": "true"})
    replay_case(
        "023-failed-open-in-every-form",
        "fail-open is read from the API server's webhook annotation (Binary Authorization's webhook only) and from the Pod annotation the image policy plugin sets",
        [
            gke_entry(TAG, insert="f1", labels={"failed-open.validating.webhook.admission.k8s.io/round_0_index_2": "imagepolicywebhook.image-policy.k8s.io"}),
            open_pod,
            gke_entry(TAG, insert="f3", labels={"failed-open.validating.webhook.admission.k8s.io/round_0_index_0": "validation.gatekeeper.sh"}),
        ],
        {"records": [
            rec("NEWLY_BLOCKED", "FAILED_OPEN", "DENY"),
            rec("NEWLY_BLOCKED", "FAILED_OPEN", "DENY"),
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY"),
        ]},
    )
    events = [k8s_event(DIGEST), k8s_event(TAG, stage="RequestReceived")]
    replay_case(
        "024-event-list-and-compact-documents",
        "an audit EventList, and a snapshot written on one line, are documents: each item an entry, numbered by the line",
        [
            {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": events},
            json.dumps({"kind": "List", "items": [
                {"metadata": {"name": "a", "namespace": "sandbox", "creationTimestamp": "2026-11-20T08:00:00Z"},
                 "spec": {"containers": [{"name": "c", "image": TAG}]}},
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}},
            ]}, separators=(",", ":")),
        ],
        {"records": [
            rec("SAME", "ALLOWED", "ALLOW", entry=1, format="KUBERNETES_AUDIT"),
            rec("SAME", "RUNNING", "ALLOW", entry=2, format="SNAPSHOT"),
        ], "summary": {"entries": 4, "events": 2, "skippedByReason": {"INCOMPLETE_STAGE": 1, "NOT_A_POD": 1}}},
        attestations=[ci_occ()],
        cluster=PROD,
    )
    dup = gke_entry(TAG)
    other_log = dict(gke_entry(TAG), logName="projects/other/logs/cloudaudit.googleapis.com%2Factivity")
    replay_case(
        "057-duplicates-are-per-log",
        "the same insertId and time in another log is another entry (dedupe on logName, insertId, timestamp)",
        [dup, other_log, dup],
        {"summary": {"entries": 3, "events": 2, "duplicates": 1}},
    )


def line(entry):
    return json.dumps(entry, separators=(",", ":"))


def malformed(entry, code, path=""):
    return {"source": "log", "entry": entry, "error": {"code": code, "path": path}}


def log_cases():
    """A log's text (`log`) or bytes (`logBase64`) split as `vouch replay` splits a file."""
    ok, tool, bad = gke_entry(TAG), gke_entry(TOOL, insert="tool-1"), gke_entry("UPPER/Case:bad", insert="bad-1")
    common = dict(attestations=[ci_occ()], cluster=PROD)
    replay_case(
        "100-log-json-lines-numbered-by-line",
        "JSON lines: a byte-order mark and blank lines before the first entry, CRLF ends, blank lines between: each entry numbered by its line",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=3, images=[TAG]),
            malformed(5, "REQUEST_INVALID_IMAGE", "/protoPayload/response/spec/containers/0/image"),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=7, images=[TOOL]),
        ], "summary": {"entries": 3, "events": 2, "malformed": 1}},
        log="\ufeff\n \r\n" + line(ok) + "\r\n\n" + line(bad) + "\n\t\n" + line(tool) + "\n",
        **common,
    )
    replay_case(
        "101-log-irregular-lines-are-malformed-entries",
        "JSON lines: a line of no-break spaces, two entries on one line split by a lone CR, a truncated line: each one malformed entry, the run goes on",
        None,
        {"records": [
            malformed(1, "INPUT_SYNTAX"),
            malformed(2, "INPUT_SYNTAX"),
            malformed(3, "INPUT_SYNTAX"),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=4, images=[TOOL]),
        ], "summary": {"entries": 4, "events": 1, "malformed": 3}},
        log="{" + line(ok)[1:] + "\r" + line(tool) + "\n\u00a0\u00a0\n" + line(ok)[:60] + "\n" + line(tool) + "\n",
        **common,
    )
    replay_case(
        "102-log-line-not-utf8",
        "JSON lines given as bytes: a line that is not UTF-8 is malformed (INPUT_ENCODING); the next line is read",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=1, images=[TAG]),
            malformed(2, "INPUT_ENCODING"),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=3, images=[TOOL]),
        ], "summary": {"entries": 3, "malformedByCode": {"INPUT_ENCODING": 1}}},
        logBase64=base64.b64encode(line(ok).encode() + b'\n{"a":"\xff"}\n' + line(tool).encode()).decode(),
        **common,
    )
    replay_case(
        "103-log-json-arrays-element-by-element",
        "JSON arrays as gcloud logging read prints them, two appended: elements numbered on across them; brackets and commas inside strings do not split",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=1, images=[TAG]),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=2, images=[TOOL]),
            {"source": "log", "entry": 3, "id": "a],[\"b"},
        ], "summary": {"entries": 3, "events": 3}},
        log="[\n  " + json.dumps(ok, indent=2) + ",\n" + json.dumps(tool) + "\n]\n[ ]\n[" + json.dumps(gke_entry(TOOL, insert='a],["b')) + "]\n",
        **common,
    )
    replay_case(
        "104-log-irregular-arrays",
        "JSON arrays: an empty element (two commas, a comma before the bracket), data after the array: each one malformed entry (INPUT_SYNTAX)",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=1, images=[TAG]),
            malformed(2, "INPUT_SYNTAX"),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=3, images=[TOOL]),
            malformed(4, "INPUT_SYNTAX"),
            malformed(5, "INPUT_SYNTAX"),
        ], "summary": {"entries": 5, "events": 2, "malformed": 3}},
        log="[" + line(ok) + ",," + line(tool) + ",]\n" + line(ok) + "\n",
        **common,
    )
    replay_case(
        "105-log-truncated-array",
        "a JSON array the log ends inside (a write cut short): one malformed entry, and the whole element before the cut is not decided",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=1, images=[TAG]),
            malformed(2, "INPUT_SYNTAX"),
        ], "summary": {"entries": 2, "events": 1, "malformed": 1}},
        log="[" + line(ok) + ",\n" + line(tool),
        **common,
    )
    replay_case(
        "106-log-array-elements-read-strictly",
        "array elements are read by vouch's strict reader, as lines are: duplicate keys, an element that is not UTF-8, NaN are malformed",
        None,
        {"records": [
            malformed(1, "INPUT_DUPLICATE_KEY", "/insertId"),
            malformed(2, "INPUT_ENCODING"),
            rec("SAME", "ALLOWED", "ALLOW", source="log", entry=3, images=[TOOL]),
            malformed(4, "INPUT_SYNTAX"),
        ], "summary": {"entries": 4, "events": 1, "malformed": 3}},
        logBase64=base64.b64encode(b'[{"insertId": "a", "insertId": "b"}, "\xff", ' + line(tool).encode() + b", NaN]").decode(),
        **common,
    )
    replay_case(
        "110-log-array-after-an-element-that-is-not-json",
        "after an array element that is not JSON (were it an unterminated string, every later quote would be inside out), the rest of the log is one malformed entry: nothing in it is decided",
        None,
        {"records": [
            rec("NEWLY_BLOCKED", "ALLOWED", "DENY", source="log", entry=1, images=[TAG]),
            malformed(2, "INPUT_SYNTAX"),
            malformed(3, "INPUT_SYNTAX"),
        ], "summary": {"entries": 3, "events": 1, "malformed": 2}},
        log="[" + line(ok) + ', {"insertId": x},\n' + line(tool) + "\n]\n",
        **common,
    )
    snapshot = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "namespace": "sandbox", "uid": "u-a",
                                                          "creationTimestamp": "2026-11-20T08:00:00Z"},
         "spec": {"containers": [{"name": "c", "image": TAG}]}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b", "namespace": "team-a", "uid": "u-b",
                                                          "creationTimestamp": "2026-11-20T08:00:00Z"},
         "spec": {"containers": [{"name": "c", "image": TAG}]}},
    ]}
    replay_case(
        "107-log-whole-document",
        "a log that is one pretty-printed document (a snapshot) is read whole: each Pod an entry, numbered by its position",
        None,
        {"records": [
            rec("SAME", "RUNNING", "ALLOW", source="log", entry=1, format="SNAPSHOT"),
            rec("NEWLY_BLOCKED", "RUNNING", "DENY", source="log", entry=2, format="SNAPSHOT"),
        ], "summary": {"entries": 2, "events": 2}},
        log=json.dumps(snapshot, indent=2) + "\n",
        **common,
    )
    replay_case(
        "108-log-empty",
        "an empty log, or one of white space only, has no entries",
        None,
        {"records": [], "summary": {"entries": 0}},
        log=" \n\ufeff\r\n",
        **common,
    )
    replay_case(
        "109-log-duplicates-counted-as-the-command-counts-them",
        "a log's duplicate entries (the same logName, insertId and time) are counted once, as vouch replay counts them",
        None,
        {"summary": {"entries": 3, "events": 2, "duplicates": 1}},
        log=line(ok) + "\n" + line(tool) + "\n" + line(ok) + "\n",
        **common,
    )


def cases():
    reading_cases()
    log_cases()
    comparing_cases()
    error_cases()
    review_cases()
