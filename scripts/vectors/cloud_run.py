"""The cloud_run group: Cloud Run services and jobs (decisions R-1 … R-6, semantics §9).

A request's workload may be a Cloud Run service or job: the v1 object `gcloud run services|jobs
describe --format export` (or `--format json`) prints, or the v2 REST object. Its top-level
`run.googleapis.com/binary-authorization` annotation (v2 `binaryAuthorization`) decides what
runs: nothing (Binary Authorization not enabled), the project policy's default rule with the
allowlist and system policy (`default`), or a named Cloud Run platform policy (`cloudRunPolicy`),
which decides when the bundle's `cloudRunPolicies` holds it and is denied (fail closed) when it
does not. Break-glass (any justification, even empty) admits. The decision ends with a `cloudRun`
member; Kubernetes decisions never have one.
"""

from .builders import *  # noqa: F401,F403

BA = "run.googleapis.com/binary-authorization"
BGA = "run.googleapis.com/binary-authorization-breakglass"
NAMED = "projects/example-project/platforms/cloudRun/policies/strict"
TAGGED = WEB + ":1.4.2"
PINNED = WEB + "@" + DIG_A
SIDECAR = "gcr.io/example-project/proxy:2.0"
DEBUG = "gcr.io/example-project/debug-tools/netshoot:v0.13"


def service(
    containers,
    annotations=None,
    template_annotations=None,
    labels=None,
    status=None,
    generation=None,
):
    meta = {"name": "web", "namespace": "123456789012"}
    meta["labels"] = {"cloud.googleapis.com/location": "us-central1"}
    if labels:
        meta["labels"].update(labels)
    if annotations:
        meta["annotations"] = annotations
    if generation is not None:
        meta["generation"] = generation
    template = {
        "metadata": {
            "annotations": template_annotations or {"autoscaling.knative.dev/maxScale": "3"}
        },
        "spec": {
            "containerConcurrency": 80,
            "serviceAccountName": "web@example-project.iam.gserviceaccount.com",
            "containers": [{"name": n, "image": i} for n, i in containers],
        },
    }
    s = {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Service",
        "metadata": meta,
        "spec": {"template": template, "traffic": [{"percent": 100, "latestRevision": True}]},
    }
    if status is not None:
        s["status"] = status
    return s


def job(containers, annotations=None):
    meta = {"name": "migrate", "namespace": "123456789012"}
    if annotations:
        meta["annotations"] = annotations
    task = {"maxRetries": 3, "containers": [{"name": n, "image": i} for n, i in containers]}
    return {
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "metadata": meta,
        "spec": {"template": {"spec": {"taskCount": 1, "template": {"spec": task}}}},
    }


def v2_service(containers, ba=None, **extra):
    s = {
        "name": "projects/example-project/locations/us-central1/services/web",
        "uid": "5f1c0e2e-0d6b-4d3c-9f2a-6b1d1f0a7c11",
        "generation": "2",
        "template": {"containers": [{"name": n, "image": i} for n, i in containers]},
    }
    if ba is not None:
        s["binaryAuthorization"] = ba
    s.update(extra)
    return s


def v2_job(containers, ba=None):
    j = {
        "name": "projects/example-project/locations/us-central1/jobs/migrate",
        "generation": "1",
        "template": {
            "taskCount": 1,
            "template": {"containers": [{"name": n, "image": i} for n, i in containers]},
        },
    }
    if ba is not None:
        j["binaryAuthorization"] = ba
    return j


def cr(
    verdict,
    mode,
    resource="SERVICE",
    name="web",
    reason=None,
    named=None,
    bg=None,
    ignored=(),
    resolved=None,
    imgs=None,
    annotations=None,
    system=None,
):
    """The expectation: `exp` plus the `cloudRun` member (omitted keys must be absent)."""
    e = exp(verdict, imgs=imgs, annotations=annotations, system=system)
    c = {"resource": resource, "name": name, "binaryAuthorization": mode}
    if named is not None:
        c["policy"] = named
    c["enforced"] = mode == "DEFAULT"
    if reason is not None:
        c["reason"] = reason
    if bg is not None:
        c["breakGlassJustification"] = bg
    c["ignoredRules"] = [{"kind": k, "key": key} for k, key in ignored]
    if resolved is not None:
        c["resolvedDigests"] = resolved
    e["cloudRun"] = c
    return e


def res(container, written, resolved, source, result):
    return {
        "container": container,
        "written": written,
        "resolved": resolved,
        "source": source,
        "result": result,
    }


NOT_PINNED = [why("NOT_DIGEST_PINNED", CI)]
NOT_ENABLED = "BINARY_AUTHORIZATION_NOT_ENABLED"
NOT_SUPPLIED = "NAMED_POLICY_NOT_SUPPLIED"


def cloud_run_cases():
    g = "cloud_run"
    on = {BA: "default"}
    ci = dict(attestors=[ci_attestor()], attestations=[ci_occ()])
    # ------------------------------------------------------------ tag vs digest
    vec(
        g,
        "001-service-export-digest-attested-admits",
        "R-1, R-4: a service exported with a digest is evaluated by the default rule; the "
        "attested digest is admitted",
        require(CI),
        {"workload": service([("web", PINNED)], on)},
        cr("ALLOW", "DEFAULT", imgs=[img(PINNED, "CONFORMANT", container="web")]),
        **ci,
    )
    vec(
        g,
        "002-service-export-tag-denied",
        "R-4: the same service exported with a tag: the image as written is evaluated, so an "
        "attestation rule denies it (NOT_DIGEST_PINNED), even though the tag points at the "
        "attested digest",
        require(CI),
        {"workload": service([("web", TAGGED)], on)},
        cr("DENY", "DEFAULT", imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)]),
        **ci,
    )
    # ------------------------------------------------------------ opt-in
    vec(
        g,
        "003-no-annotation-not-enabled",
        "R-2: without the annotation Binary Authorization is off for the service: admitted, no "
        "image evaluated, and the decision says why",
        DENY_ALL,
        {"workload": service([("web", TAGGED)])},
        cr("ALLOW", "NOT_ENABLED", reason=NOT_ENABLED, imgs=[]),
    )
    vec(
        g,
        "004-named-policy-fails-closed",
        "R-2: a named Cloud Run platform policy that was not supplied: vouch cannot decide and "
        "denies, naming the policy",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], {BA: NAMED})},
        cr("DENY", "NAMED_POLICY", reason=NOT_SUPPLIED, named=NAMED, imgs=[]),
    )
    vec(
        g,
        "005-named-policy-without-policies-segment",
        "R-2, Q-1: `projects/P/platforms/cloudRun/N` (the proto's form) is accepted and "
        "normalized to `…/policies/N`",
        ALLOW_ALL,
        {
            "workload": service(
                [("web", PINNED)], {BA: "projects/example-project/platforms/cloudRun/strict"}
            )
        },
        cr("DENY", "NAMED_POLICY", reason=NOT_SUPPLIED, named=NAMED, imgs=[]),
    )
    # ------------------------------------------------------------ rules
    vec(
        g,
        "006-default-rule-only-specific-rules-ignored",
        "R-3: only the default rule applies; cluster, namespace and service-account rules "
        "(which would deny this target on GKE) are listed as ignored",
        policy(
            rule("ALWAYS_ALLOW"),
            cluster={"us-central1-a.prod-cluster": rule("ALWAYS_DENY")},
            ns={"default": rule("ALWAYS_DENY")},
            sa={"default:default": rule("ALWAYS_DENY")},
        ),
        {"workload": service([("web", TAGGED)], on), "cluster": "us-central1-a.prod-cluster"},
        cr(
            "ALLOW",
            "DEFAULT",
            ignored=[
                ("CLUSTER", "us-central1-a.prod-cluster"),
                ("NAMESPACE", "default"),
                ("SERVICE_ACCOUNT", "default:default"),
            ],
            imgs=[img(TAGGED, "CONFORMANT", container="web")],
        ),
    )
    vec(
        g,
        "007-allowlist-exempts",
        "R-3: the allowlist applies on Cloud Run",
        policy(rule("ALWAYS_DENY"), patterns=["gcr.io/example-project/debug-tools/*"]),
        {"workload": service([("debug", DEBUG)], on)},
        cr(
            "ALLOW",
            "DEFAULT",
            imgs=[
                img(
                    DEBUG,
                    "EXEMPT",
                    container="debug",
                    exemption=("ALLOWLIST", "gcr.io/example-project/debug-tools/*"),
                )
            ],
        ),
    )
    kp = "gke.gcr.io/kube-proxy-amd64:v1.29.1-gke.1"
    vec(
        g,
        "008-system-policy-exempts",
        "R-3: the system policy applies on Cloud Run (global policy evaluation ENABLE)",
        policy(rule("ALWAYS_DENY"), gmode="ENABLE"),
        {"workload": service([("web", kp)], on)},
        cr(
            "ALLOW",
            "DEFAULT",
            imgs=[img(kp, "EXEMPT", container="web", exemption=("SYSTEM_POLICY", "gke.gcr.io/**"))],
            system="CALLER",
        ),
        system={"admissionWhitelistPatterns": [{"namePattern": "gke.gcr.io/**"}]},
    )
    vec(
        g,
        "009-sidecars-are-evaluated",
        "R-1: every container of the revision template is evaluated, sidecars included",
        require(CI),
        {"workload": service([("web", PINNED), ("proxy", SIDECAR)], on)},
        cr(
            "DENY",
            "DEFAULT",
            imgs=[
                img(PINNED, "CONFORMANT", container="web"),
                img(SIDECAR, "VIOLATION", container="proxy", reasons=NOT_PINNED),
            ],
        ),
        **ci,
    )
    # ------------------------------------------------------------ break-glass
    vec(
        g,
        "010-break-glass-empty-justification-admits",
        "R-5: break-glass with an empty justification admits, and is recorded (audit "
        "annotations as A-10, the justification in cloudRun)",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], {BA: "default", BGA: ""})},
        cr(
            "BREAK_GLASS_ALLOW",
            "DEFAULT",
            bg="",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=[why("ALWAYS_DENY")])],
            annotations=ANN_BG_OV,
        ),
    )
    vec(
        g,
        "011-break-glass-justification-recorded",
        "R-5: break-glass is recorded even when nothing violates",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED)], {BA: "default", BGA: "INC-4711 rollback"})},
        cr("BREAK_GLASS_ALLOW", "DEFAULT", bg="INC-4711 rollback", annotations=ANN_BG),
    )
    vec(
        g,
        "012-break-glass-with-named-policy",
        "R-5: break-glass admits under a named policy too (nothing is evaluated)",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], {BA: NAMED, BGA: "vendor outage"})},
        cr(
            "BREAK_GLASS_ALLOW",
            "NAMED_POLICY",
            reason=NOT_SUPPLIED,
            named=NAMED,
            bg="vendor outage",
            imgs=[],
            annotations=ANN_BG,
        ),
    )
    vec(
        g,
        "013-break-glass-without-binary-authorization",
        "R-2, R-5: Binary Authorization off: admitted without evaluation, not a break-glass "
        "verdict; the justification is still reported",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], {BGA: "x"})},
        cr("ALLOW", "NOT_ENABLED", reason=NOT_ENABLED, bg="x", imgs=[]),
    )
    vec(
        g,
        "014-gke-break-glass-label-means-nothing",
        "A-10 is GKE's: the Pod label and legacy annotation on a Cloud Run service (or in the "
        "request) are not break-glass",
        DENY_ALL,
        {
            "workload": service(
                [("web", TAGGED)],
                {BA: "default", "alpha.image-policy.k8s.io/break-glass": "true"},
                labels={"image-policy.k8s.io/break-glass": "true"},
            ),
            "labels": {"image-policy.k8s.io/break-glass": "true"},
        },
        cr("DENY", "DEFAULT"),
    )
    # ------------------------------------------------------------ top-level metadata only
    vec(
        g,
        "015-template-binauthz-annotation-ignored",
        "R-1: the annotation on the revision template does not enable Binary Authorization",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], template_annotations={BA: "default"})},
        cr("ALLOW", "NOT_ENABLED", reason=NOT_ENABLED, imgs=[]),
    )
    vec(
        g,
        "016-template-break-glass-annotation-ignored",
        "R-1: a break-glass annotation on the revision template is not break-glass",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], on, template_annotations={BGA: "template"})},
        cr("DENY", "DEFAULT"),
    )
    # ------------------------------------------------------------ dry run
    vec(
        g,
        "017-dry-run-default-rule",
        "R-6: a dry-run default rule admits and records the violation, as on GKE",
        policy(rule("ALWAYS_DENY", DRY)),
        {"workload": service([("web", TAGGED)], on)},
        cr("DRY_RUN_ALLOW", "DEFAULT", annotations=ANN_DRY),
    )
    vec(
        g,
        "018-break-glass-wins-over-dry-run",
        "A-24 on Cloud Run: break-glass wins over dry run",
        policy(rule("ALWAYS_DENY", DRY)),
        {"workload": service([("web", TAGGED)], {BA: "default", BGA: "why"})},
        cr("BREAK_GLASS_ALLOW", "DEFAULT", bg="why", annotations=ANN_BG_OV),
    )
    # ------------------------------------------------------------ jobs
    vec(
        g,
        "019-job-digest-attested-admits",
        "R-1: a job's images are at spec.template.spec.template.spec.containers",
        require(CI),
        {"workload": job([("migrate", PINNED)], on)},
        cr(
            "ALLOW",
            "DEFAULT",
            resource="JOB",
            name="migrate",
            imgs=[img(PINNED, "CONFORMANT", container="migrate")],
        ),
        **ci,
    )
    vec(
        g,
        "020-job-tag-denied",
        "R-4: a job written with a tag is denied by an attestation rule",
        require(CI),
        {"workload": job([("migrate", TAGGED)], on)},
        cr("DENY", "DEFAULT", resource="JOB", name="migrate"),
        **ci,
    )
    # ------------------------------------------------------------ v2 JSON
    vec(
        g,
        "021-v2-service-use-default",
        "R-1: the v2 REST shape (no apiVersion/kind, a services/ name): `useDefault: true` "
        "is the project policy",
        require(CI),
        {"workload": v2_service([("web", PINNED), ("proxy", DEBUG)], {"useDefault": True})},
        cr(
            "DENY",
            "DEFAULT",
            imgs=[
                img(PINNED, "CONFORMANT", container="web"),
                img(DEBUG, "VIOLATION", container="proxy", reasons=NOT_PINNED),
            ],
        ),
        **ci,
    )
    vec(
        g,
        "022-v2-job-named-policy",
        "R-1, R-2: a v2 job bound to a named policy fails closed",
        ALLOW_ALL,
        {"workload": v2_job([("migrate", PINNED)], {"policy": NAMED})},
        cr(
            "DENY",
            "NAMED_POLICY",
            resource="JOB",
            name="migrate",
            reason=NOT_SUPPLIED,
            named=NAMED,
            imgs=[],
        ),
    )
    vec(
        g,
        "023-v2-break-glass-justification",
        "R-5: v2 `breakglassJustification` admits and is recorded",
        DENY_ALL,
        {
            "workload": v2_service(
                [("web", TAGGED)], {"useDefault": True, "breakglassJustification": "P1 outage"}
            )
        },
        cr("BREAK_GLASS_ALLOW", "DEFAULT", bg="P1 outage", annotations=ANN_BG_OV),
    )
    vec(
        g,
        "024-v2-empty-justification-is-unset",
        "proto3 JSON: an empty `breakglassJustification` is an unset field, not break-glass",
        DENY_ALL,
        {
            "workload": v2_service(
                [("web", TAGGED)], {"useDefault": True, "breakglassJustification": ""}
            )
        },
        cr("DENY", "DEFAULT"),
    )
    vec(
        g,
        "025-v2-without-binary-authorization",
        "R-2: a v2 service without `binaryAuthorization` (or with `useDefault: false`) has "
        "Binary Authorization off",
        DENY_ALL,
        {"workload": v2_service([("web", TAGGED)], {"useDefault": False})},
        cr("ALLOW", "NOT_ENABLED", reason=NOT_ENABLED, imgs=[]),
    )
    # ------------------------------------------------------------ resolved digests
    resolved_status = {"observedGeneration": 5, "imageDigest": PINNED}
    status_svc = service([("web", TAGGED)], on, status=resolved_status, generation=5)
    vec(
        g,
        "026-resolved-digest-from-status",
        "R-4: with `useResolvedDigest` the digest in the status (`--format json`) is evaluated "
        "in place of the tag, and the decision says so",
        require(CI),
        {"workload": status_svc},
        cr(
            "ALLOW",
            "DEFAULT",
            imgs=[img(PINNED, "CONFORMANT", container="web")],
            resolved=[res("web", TAGGED, PINNED, "STATUS", "RESOLVED")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    vec(
        g,
        "027-resolved-digest-needs-the-option",
        "R-4: without the option the same object is evaluated as written (the tag), and the "
        "decision has no resolvedDigests",
        require(CI),
        {"workload": status_svc},
        cr("DENY", "DEFAULT", imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)]),
        **ci,
    )
    vec(
        g,
        "028-resolved-digest-from-request",
        "R-4: the caller's `resolvedDigests` (by container name) serve as well",
        require(CI),
        {
            "workload": service([("web", TAGGED), ("proxy", DEBUG)], on),
            "resolvedDigests": {"web": DIG_A},
        },
        cr(
            "DENY",
            "DEFAULT",
            imgs=[
                img(PINNED, "CONFORMANT", container="web"),
                img(DEBUG, "VIOLATION", container="proxy", reasons=NOT_PINNED),
            ],
            resolved=[
                res("web", TAGGED, DIG_A, "REQUEST", "RESOLVED"),
                res("proxy", DEBUG, None, None, "NOT_RESOLVED"),
            ],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    vec(
        g,
        "029-stale-status-not-used",
        "R-4: a status whose observedGeneration is not the spec's generation describes another "
        "revision: its digest is not used",
        require(CI),
        {"workload": service([("web", TAGGED)], on, status=resolved_status, generation=6)},
        cr(
            "DENY",
            "DEFAULT",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)],
            resolved=[res("web", TAGGED, PINNED, "STATUS", "STALE_STATUS")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    other_repo = "us-docker.pkg.dev/example-project/app/other@" + DIG_A
    vec(
        g,
        "030-resolved-digest-of-another-repository-not-used",
        "R-4: a resolved digest naming another repository is not used",
        require(CI),
        {
            "workload": service(
                [("web", TAGGED)],
                on,
                status={"observedGeneration": 5, "imageDigest": other_repo},
                generation=5,
            )
        },
        cr(
            "DENY",
            "DEFAULT",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)],
            resolved=[res("web", TAGGED, other_repo, "STATUS", "REPOSITORY_MISMATCH")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    pinned_b = WEB + "@" + DIG_B
    vec(
        g,
        "031-pinned-image-keeps-its-digest",
        "R-4: an image written with a digest is deployed as written; a different resolved "
        "digest does not replace it",
        require(CI),
        {"workload": service([("web", pinned_b)], on, status=resolved_status, generation=5)},
        cr(
            "DENY",
            "DEFAULT",
            imgs=[img(pinned_b, "VIOLATION", container="web")],
            resolved=[res("web", pinned_b, PINNED, "STATUS", "DIGEST_MISMATCH")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    vec(
        g,
        "035-status-without-generations-not-used",
        "R-4, fail closed: a status without `observedGeneration` and the spec's `generation` "
        "could describe any revision: its digest is not used",
        require(CI),
        {"workload": service([("web", TAGGED)], on, status={"imageDigest": PINNED})},
        cr(
            "DENY",
            "DEFAULT",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)],
            resolved=[res("web", TAGGED, PINNED, "STATUS", "STALE_STATUS")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    vec(
        g,
        "036-status-generation-without-observed-not-used",
        "R-4, fail closed: the spec's `generation` without the status's `observedGeneration` "
        "is not enough either",
        require(CI),
        {
            "workload": service(
                [("web", TAGGED)], on, status={"imageDigest": PINNED}, generation=5
            )
        },
        cr(
            "DENY",
            "DEFAULT",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)],
            resolved=[res("web", TAGGED, PINNED, "STATUS", "STALE_STATUS")],
        ),
        options={"useResolvedDigest": True},
        **ci,
    )
    export_text = (
        "apiVersion: serving.knative.dev/v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  name: web\n"
        "  namespace: '123456789012'\n"
        "  labels:\n"
        "    cloud.googleapis.com/location: us-central1\n"
        "  annotations:\n"
        "    run.googleapis.com/binary-authorization: default\n"
        "    run.googleapis.com/binary-authorization-breakglass: ''\n"
        "spec:\n"
        "  template:\n"
        "    metadata:\n"
        "      annotations:\n"
        "        autoscaling.knative.dev/maxScale: '3'\n"
        "    spec:\n"
        "      containers:\n"
        "      - image: " + TAGGED + "\n"
        "  traffic:\n"
        "  - percent: 100\n"
        "    latestRevision: true\n"
    )
    vec(
        g,
        "032-export-text-empty-justification",
        "R-1, R-5: the export as YAML text; an unnamed container; break-glass written as `''` "
        "admits",
        DENY_ALL,
        {"workload": export_text},
        cr(
            "BREAK_GLASS_ALLOW",
            "DEFAULT",
            bg="",
            imgs=[img(TAGGED, "VIOLATION", container=None, reasons=[why("ALWAYS_DENY")])],
            annotations=ANN_BG_OV,
        ),
    )
    vec(
        g,
        "033-request-annotation-what-if",
        "the request's annotations go over the object's top-level ones: a what-if break-glass",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], on), "annotations": {BGA: "what if"}},
        cr("BREAK_GLASS_ALLOW", "DEFAULT", bg="what if", annotations=ANN_BG_OV),
    )
    vec(
        g,
        "034-option-has-no-effect-on-kubernetes",
        "`useResolvedDigest` leaves a Kubernetes decision as it was (no cloudRun member)",
        require(CI),
        {"workload": pod([("web", TAGGED)])},
        exp("DENY", imgs=[img(TAGGED, "VIOLATION", container="web", reasons=NOT_PINNED)]),
        options={"useResolvedDigest": True},
        **ci,
    )
    # ------------------------------------------------------------ refusals
    ann_path = "/request/workload/metadata/annotations/run.googleapis.com~1binary-authorization"
    vec(
        g,
        "040-invalid-annotation-value",
        "the annotation is `default` or a Cloud Run policy name; anything else is refused",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], {BA: "Default"})},
        error=err("REQUEST_INVALID_VALUE", ann_path),
    )
    vec(
        g,
        "041-gke-policy-name-refused",
        "a GKE platform policy is not a Cloud Run policy",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], {BA: "projects/p/platforms/gke/policies/x"})},
        error=err("REQUEST_INVALID_VALUE", ann_path),
    )
    vec(
        g,
        "042-v2-use-default-and-policy",
        "v2 `binaryAuthorization` is a oneof: `useDefault` and `policy` together are refused",
        ALLOW_ALL,
        {"workload": v2_service([("web", PINNED)], {"useDefault": True, "policy": NAMED})},
        error=err("REQUEST_INVALID_VALUE", "/request/workload/binaryAuthorization/policy"),
    )
    vec(
        g,
        "043-v2-with-v1-annotation",
        "a v2 object carrying the v1 annotations is refused (the v2 API refuses "
        "run.googleapis.com annotations)",
        ALLOW_ALL,
        {"workload": v2_service([("web", PINNED)], None, annotations={BA: "default"})},
        error=err(
            "REQUEST_INVALID_VALUE",
            "/request/workload/annotations/run.googleapis.com~1binary-authorization",
        ),
    )
    vec(
        g,
        "044-worker-pool-unsupported",
        "Cloud Run worker pools are refused, not skipped",
        ALLOW_ALL,
        {
            "workload": {
                "name": "projects/example-project/locations/us-central1/workerPools/w",
                "template": {"containers": [{"image": PINNED}]},
            }
        },
        error=err("REQUEST_UNSUPPORTED_WORKLOAD", "/request/workload/name"),
    )
    init = service([("web", PINNED)], on)
    init["spec"]["template"]["spec"]["initContainers"] = [{"name": "x", "image": TAGGED}]
    vec(
        g,
        "045-init-containers-refused",
        "Cloud Run has no init containers: a list of them is refused rather than skipped",
        ALLOW_ALL,
        {"workload": init},
        error=err(
            "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/template/spec/initContainers"
        ),
    )
    vec(
        g,
        "046-resolved-digests-for-kubernetes-refused",
        "`resolvedDigests` is for Cloud Run: a Pod runs its images as written",
        ALLOW_ALL,
        {"workload": pod([("web", TAGGED)]), "resolvedDigests": {"web": DIG_A}},
        error=err("REQUEST_INVALID_VALUE", "/request/resolvedDigests"),
    )
    vec(
        g,
        "047-resolved-digest-unknown-container",
        "a resolved digest for a container the service does not have is refused",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED)], on), "resolvedDigests": {"api": DIG_A}},
        error=err("REQUEST_INVALID_VALUE", "/request/resolvedDigests/api"),
    )
    vec(
        g,
        "037-duplicate-container-names-refused",
        "two containers with one name are refused: Cloud Run refuses them, and a digest by "
        "container name would not say which one it means",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED), ("web", PINNED)], on), "resolvedDigests": {"web": DIG_A}},
        error=err(
            "REQUEST_INVALID_WORKLOAD", "/request/workload/spec/template/spec/containers/1/name"
        ),
        options={"useResolvedDigest": True},
    )
    for suffix, policy_id in (("dot", "."), ("dot-dot", "..")):
        vec(
            g,
            "03%d-policy-name-%s-refused" % (8 if suffix == "dot" else 9, suffix),
            "a policy id `%s` is a path segment, not a name: refused" % policy_id,
            ALLOW_ALL,
            {
                "workload": service(
                    [("web", PINNED)],
                    {BA: "projects/example-project/platforms/cloudRun/policies/" + policy_id},
                )
            },
            error=err("REQUEST_INVALID_VALUE", ann_path),
        )
    vec(
        g,
        "048-option-not-boolean",
        "`useResolvedDigest` is a boolean",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED)], on)},
        error=err("BUNDLE_INVALID_OPTIONS", "/options/useResolvedDigest"),
        options={"useResolvedDigest": "yes"},
    )


# ---------------------------------------------------------------- named policies (R-2, §9.5)
def crp(mode, enforcement=ENF, attestors=(), patterns=(), name=NAMED):
    """A Cloud Run platform policy document."""
    rule_ = {"evaluationMode": mode, "enforcementMode": enforcement}
    if attestors:
        rule_["requiredAttestors"] = list(attestors)
    inline = {}
    if patterns:
        inline["allowlistPatterns"] = [{"namePattern": x} for x in patterns]
    inline["rule"] = rule_
    return {
        "name": name,
        "description": "what production Cloud Run services must satisfy",
        "cloudRunPolicy": inline,
        "updateTime": "2026-10-01T00:00:00.000000Z",
    }


def inline_attestor(id_, note, keys=None):
    """An inline attestor; `keys` from an attestor document built by the shared builders."""
    a = {"id": id_, "description": "inline " + id_, "attestationNote": note}
    if keys is not None:
        a["publicKeys"] = keys
    return a


CI_KEYS = ci_attestor()["userOwnedGrafeasNote"]["publicKeys"]
QA_KEYS = qa_attestor()["userOwnedGrafeasNote"]["publicKeys"]
INLINE_CI = inline_attestor("built-by-ci", CI_NOTE, CI_KEYS)


def named_cases():
    g = "cloud_run"
    bound = {BA: NAMED}
    strict = crp("REQUIRE_ATTESTATION", attestors=[INLINE_CI])
    supplied = {"cloudRunPolicies": [strict]}
    ci_ok = [att("built-by-ci", True, key_id=CI_KEY_ID, occurrence=P + "/occurrences/ci-1")]

    def named(verdict, imgs=None, bg=None, annotations=None):
        e = cr(verdict, "NAMED_POLICY", named=NAMED, bg=bg, imgs=imgs, annotations=annotations)
        e["cloudRun"]["enforced"] = True
        return e

    vec(
        g,
        "050-named-policy-supplied-admits-attested-digest",
        "R-2: the named Cloud Run policy is supplied (`cloudRunPolicies`): its rule decides with "
        "its inline attestor (named by its id, with its note and keys); the attested digest is "
        "admitted, whatever the project policy says",
        DENY_ALL,
        {"workload": service([("web", PINNED)], bound)},
        named("ALLOW", imgs=[img(PINNED, "CONFORMANT", container="web", attestors=ci_ok)]),
        attestations=[ci_occ()],
        raw=supplied,
    )
    vec(
        g,
        "051-named-policy-tag-denied",
        "R-2, R-4: under a named policy the image as written is evaluated too: a tag is not "
        "digest-pinned",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED)], bound)},
        named(
            "DENY",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=[why("NOT_DIGEST_PINNED", "built-by-ci")])],
        ),
        attestations=[ci_occ()],
        raw=supplied,
    )
    vec(
        g,
        "052-named-policy-allowlist-exempts",
        "R-2: the named policy's `allowlistPatterns` exempt (the project policy's grammar)",
        ALLOW_ALL,
        {"workload": service([("web", PINNED), ("debug", DEBUG)], bound)},
        named(
            "ALLOW",
            imgs=[
                img(PINNED, "CONFORMANT", container="web"),
                img(
                    DEBUG,
                    "EXEMPT",
                    container="debug",
                    exemption=("ALLOWLIST", "gcr.io/example-project/debug-tools/*"),
                ),
            ],
        ),
        attestations=[ci_occ()],
        raw={
            "cloudRunPolicies": [
                crp(
                    "REQUIRE_ATTESTATION",
                    attestors=[INLINE_CI],
                    patterns=["gcr.io/example-project/debug-tools/*"],
                )
            ]
        },
    )
    vec(
        g,
        "053-named-policy-dry-run",
        "R-2, R-6: a DRYRUN_AUDIT_LOG_ONLY named policy admits the violation and records it",
        ALLOW_ALL,
        {"workload": service([("web", TAGGED)], bound)},
        named(
            "DRY_RUN_ALLOW",
            imgs=[img(TAGGED, "VIOLATION", container="web", reasons=[why("ALWAYS_DENY")])],
            annotations=ANN_DRY,
        ),
        raw={"cloudRunPolicies": [crp("ALWAYS_DENY", DRY)]},
    )
    vec(
        g,
        "054-named-policy-break-glass-evaluated-and-recorded",
        "R-2, R-5: break-glass under a supplied named policy: the images are evaluated, the "
        "violation is overridden and recorded with the justification",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], {BA: NAMED, BGA: ""})},
        named(
            "BREAK_GLASS_ALLOW",
            bg="",
            imgs=[img(PINNED, "VIOLATION", container="web", reasons=[why("ALWAYS_DENY")])],
            annotations=ANN_BG_OV,
        ),
        raw={"cloudRunPolicies": [crp("ALWAYS_DENY")]},
    )
    vec(
        g,
        "055-inline-attestor-without-keys-verifies-nothing",
        "R-2: an inline attestor without `publicKeys` \"always returns that no valid attestations "
        "exist\": a validly signed occurrence on its note does not count",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], bound)},
        named(
            "DENY",
            imgs=[img(PINNED, "VIOLATION", container="web", attestors=[att("built-by-ci", False)])],
        ),
        attestations=[ci_occ()],
        raw={
            "cloudRunPolicies": [
                crp("REQUIRE_ATTESTATION", attestors=[inline_attestor("built-by-ci", CI_NOTE)])
            ]
        },
    )
    vec(
        g,
        "056-another-named-policy-does-not-stand-in",
        "R-2: policies are matched by name: a service bound to `strict` is not decided by "
        "`lenient`, and fails closed",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], bound)},
        cr("DENY", "NAMED_POLICY", reason=NOT_SUPPLIED, named=NAMED, imgs=[]),
        raw={
            "cloudRunPolicies": [
                crp("ALWAYS_ALLOW", name="projects/example-project/platforms/cloudRun/policies/lenient")
            ]
        },
    )
    vec(
        g,
        "057-short-binding-matches-the-policy",
        "R-2, Q-1: a service bound as `projects/P/platforms/cloudRun/N` is decided by the policy "
        "named `…/policies/N`",
        ALLOW_ALL,
        {
            "workload": service(
                [("web", PINNED)], {BA: "projects/example-project/platforms/cloudRun/strict"}
            )
        },
        named("ALLOW", imgs=[img(PINNED, "CONFORMANT", container="web", attestors=ci_ok)]),
        attestations=[ci_occ()],
        raw=supplied,
    )
    vec(
        g,
        "058-project-attestors-do-not-count",
        "R-2: only the named policy's inline attestors count: the project's `built-by-ci` "
        "attestor and its valid occurrence do not satisfy an inline `qa-approved` on another note",
        require(CI),
        {"workload": service([("web", PINNED)], bound)},
        named(
            "DENY",
            imgs=[img(PINNED, "VIOLATION", container="web", attestors=[att("qa-approved", False)])],
        ),
        attestors=[ci_attestor()],
        attestations=[ci_occ()],
        raw={
            "cloudRunPolicies": [
                crp(
                    "REQUIRE_ATTESTATION",
                    attestors=[inline_attestor("qa-approved", QA_NOTE, QA_KEYS)],
                )
            ]
        },
    )
    vec(
        g,
        "059-default-binding-ignores-named-policies",
        "R-2: a service bound to `default` is decided by the project policy even when Cloud Run "
        "policies are supplied",
        DENY_ALL,
        {"workload": service([("web", PINNED)], on_default())},
        cr("DENY", "DEFAULT", imgs=[img(PINNED, "VIOLATION", container="web", reasons=[why("ALWAYS_DENY")])]),
        raw={"cloudRunPolicies": [crp("ALWAYS_ALLOW")]},
    )
    kp = "gke.gcr.io/kube-proxy-amd64:v1.29.1-gke.1"
    vec(
        g,
        "060-named-policy-has-no-system-policy",
        "R-2: the system policy is a setting of the project policy; a named policy does not "
        "apply it (the project enables it here)",
        policy(rule("ALWAYS_ALLOW"), gmode="ENABLE"),
        {"workload": service([("web", kp)], bound)},
        named("DENY", imgs=[img(kp, "VIOLATION", container="web", reasons=[why("ALWAYS_DENY")])]),
        system={"admissionWhitelistPatterns": [{"namePattern": "gke.gcr.io/**"}]},
        raw={"cloudRunPolicies": [crp("ALWAYS_DENY")]},
    )
    vec(
        g,
        "061-v2-job-named-policy-supplied",
        "R-1, R-2: a v2 job's `binaryAuthorization.policy` binds it to the supplied policy",
        DENY_ALL,
        {"workload": v2_job([("migrate", PINNED)], {"policy": NAMED})},
        {
            **exp("ALLOW", imgs=[img(PINNED, "CONFORMANT", container="migrate", attestors=ci_ok)]),
            "cloudRun": {
                "resource": "JOB",
                "binaryAuthorization": "NAMED_POLICY",
                "policy": NAMED,
                "enforced": True,
                "ignoredRules": [],
            },
        },
        attestations=[ci_occ()],
        raw=supplied,
    )
    vec(
        g,
        "062-kubernetes-request-unaffected",
        "Cloud Run policies change nothing for a Kubernetes request (no `cloudRun` member)",
        DENY_ALL,
        images(PINNED),
        exp("DENY", imgs=[img(PINNED, "VIOLATION", reasons=[why("ALWAYS_DENY")])]),
        raw=supplied,
    )
    vec(
        g,
        "063-policy-given-as-yaml-text",
        "`cloudRunPolicies` entries may be YAML text, as a single document too",
        DENY_ALL,
        {"workload": service([("web", TAGGED)], bound)},
        named("ALLOW", imgs=[img(TAGGED, "CONFORMANT", container="web")]),
        raw={
            "cloudRunPolicies": "name: " + NAMED + "\ncloudRunPolicy:\n  rule:\n"
            "    evaluationMode: ALWAYS_ALLOW\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        },
    )
    # ------------------------------------------------------------ loading errors
    errs = [
        (
            "070-gke-policy-refused",
            "a GKE platform policy is not a Cloud Run policy",
            {"name": "projects/example-project/platforms/gke/policies/p", "gkePolicy": {}},
            "PLATFORM_UNSUPPORTED",
            "/cloudRunPolicies/0/gkePolicy",
        ),
        (
            "071-name-required",
            "a Cloud Run policy needs its name: services bind to it",
            {"cloudRunPolicy": {"rule": {"evaluationMode": "ALWAYS_ALLOW", "enforcementMode": ENF}}},
            "PLATFORM_MISSING_FIELD",
            "/cloudRunPolicies/0/name",
        ),
        (
            "072-require-attestation-needs-attestors",
            "REQUIRE_ATTESTATION without `requiredAttestors` is refused",
            crp("REQUIRE_ATTESTATION"),
            "PLATFORM_MISSING_FIELD",
            "/cloudRunPolicies/0/cloudRunPolicy/rule",
        ),
        (
            "073-unspecified-mode-refused",
            "`EVALUATION_MODE_UNSPECIFIED` (\"Do not use\") is refused",
            crp("EVALUATION_MODE_UNSPECIFIED"),
            "PLATFORM_INVALID_VALUE",
            "/cloudRunPolicies/0/cloudRunPolicy/rule/evaluationMode",
        ),
        (
            "074-invalid-inline-key",
            "an inline attestor's key that is not a key is refused at its path",
            crp(
                "REQUIRE_ATTESTATION",
                attestors=[
                    inline_attestor(
                        "built-by-ci",
                        CI_NOTE,
                        [{"pkixPublicKey": {"publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "signatureAlgorithm": "ECDSA_P256_SHA256"}}],
                    )
                ],
            ),
            "PLATFORM_INVALID_KEY",
            "/cloudRunPolicies/0/cloudRunPolicy/rule/requiredAttestors/0/publicKeys/0/pkixPublicKey/publicKeyPem",
        ),
        (
            "075-duplicate-attestor-id",
            "inline attestor ids are unique within a policy",
            crp("REQUIRE_ATTESTATION", attestors=[INLINE_CI, INLINE_CI]),
            "PLATFORM_INVALID_VALUE",
            "/cloudRunPolicies/0/cloudRunPolicy/rule/requiredAttestors/1/id",
        ),
        (
            "076-project-policy-is-not-a-cloud-run-policy",
            "a project policy given as a Cloud Run policy is refused, saying what is missing",
            require(CI),
            "PLATFORM_MISSING_FIELD",
            "/cloudRunPolicies/0/cloudRunPolicy",
        ),
    ]
    for name, description, doc, code, path in errs:
        vec(
            g,
            name,
            description,
            ALLOW_ALL,
            {"workload": service([("web", PINNED)], bound)},
            error=err(code, path),
            raw={"cloudRunPolicies": [doc]},
        )
    vec(
        g,
        "077-duplicate-policy-names",
        "two Cloud Run policies with the same name are refused",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], bound)},
        error=err("PLATFORM_INVALID_VALUE", "/cloudRunPolicies/1/name"),
        raw={"cloudRunPolicies": [crp("ALWAYS_ALLOW"), crp("ALWAYS_DENY")]},
    )
    vec(
        g,
        "078-policy-text-read-differently-by-yaml-1-1",
        "a `cloudRunPolicies` entry given as text is held to the YAML 1.1/1.2 check of a policy "
        "file: `description: no` is a string to vouch and `false` to gcloud",
        ALLOW_ALL,
        {"workload": service([("web", PINNED)], bound)},
        error=err("PLATFORM_YAML_AMBIGUOUS", "/cloudRunPolicies/0/description"),
        raw={
            "cloudRunPolicies": [
                "name: " + NAMED + "\ndescription: no\ncloudRunPolicy:\n  rule:\n"
                "    evaluationMode: ALWAYS_ALLOW\n"
                "    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
            ]
        },
    )


def on_default():
    return {BA: "default"}


def cases():
    cloud_run_cases()
    named_cases()
