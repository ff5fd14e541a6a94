"""The request group: requests the loader refuses."""

from .builders import *  # noqa: F401,F403


def request_error_cases():
    g = "request"

    def bad(name, description, request, code, path):
        vec(g, name, description, ALLOW_ALL, request, error=err(code, path))

    bad(
        "001-no-images-or-workload",
        "a request needs images or a workload",
        {"namespace": "x"},
        "REQUEST_NO_IMAGES",
        "/request/images",
    )
    bad(
        "002-both-images-and-workload",
        "images and workload are exclusive",
        {"images": ["a"], "workload": pod([("a", "a")])},
        "REQUEST_NO_IMAGES",
        "/request/workload",
    )
    bad(
        "003-empty-image-list",
        "an empty image list",
        images(),
        "REQUEST_NO_IMAGES",
        "/request/images",
    )
    bad(
        "004-unknown-field",
        "unknown request fields",
        images("a", breakGlass=True),
        "REQUEST_UNKNOWN_FIELD",
        "/request/breakGlass",
    )
    bad(
        "005-images-wrong-type",
        "images is a list of strings",
        {"images": "gcr.io/p/a:1"},
        "REQUEST_INVALID_TYPE",
        "/request/images",
    )
    bad(
        "006-image-not-string",
        "images are strings",
        {"images": [1]},
        "REQUEST_INVALID_TYPE",
        "/request/images/0",
    )
    bad(
        "007-cluster-format",
        "cluster is LOCATION.NAME",
        images("a", cluster="prod"),
        "REQUEST_INVALID_CLUSTER",
        "/request/cluster",
    )
    bad(
        "008-namespace-format",
        "namespace is a DNS-1123 label",
        images("a", namespace="Prod_NS"),
        "REQUEST_INVALID_NAMESPACE",
        "/request/namespace",
    )
    bad(
        "009-service-account-format",
        "service account is a DNS-1123 subdomain",
        images("a", serviceAccount="My SA"),
        "REQUEST_INVALID_SERVICE_ACCOUNT",
        "/request/serviceAccount",
    )
    bad(
        "010-mesh-identity-format",
        "mesh identity shape",
        images("a", meshIdentity="spiffe://x"),
        "REQUEST_INVALID_VALUE",
        "/request/meshIdentity",
    )
    bad(
        "011-label-not-string",
        "label values are strings",
        images("a", labels={"x": True}),
        "REQUEST_INVALID_TYPE",
        "/request/labels/x",
    )
    bad(
        "012-unsupported-workload-kind",
        "Services are not workloads",
        {"workload": {"apiVersion": "v1", "kind": "Service", "spec": {}}},
        "REQUEST_UNSUPPORTED_WORKLOAD",
        "/request/workload/kind",
    )
    bad(
        "013-workload-without-kind",
        "a workload needs kind",
        {"workload": {"spec": {}}},
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/kind",
    )
    bad(
        "014-deployment-without-template",
        "a Deployment needs spec.template",
        {"workload": {"kind": "Deployment", "spec": {}}},
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/template",
    )
    bad(
        "015-pod-without-containers",
        "a Pod needs containers",
        {"workload": {"kind": "Pod", "spec": {}}},
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/containers",
    )
    bad(
        "016-container-without-image",
        "every container needs an image",
        {"workload": {"kind": "Pod", "spec": {"containers": [{"name": "a"}]}}},
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/containers/0/image",
    )
    bad(
        "017-workload-label-not-string",
        "pod label values must be strings (quote YAML booleans)",
        {
            "workload": (
                "kind: Pod\nmetadata:\n  labels:\n    image-policy.k8s.io/break-glass:"
                " true\nspec:\n  containers:\n  - {name: a, image: a}\n"
            )
        },
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/metadata/labels/image-policy.k8s.io~1break-glass",
    )
    bad(
        "018-workload-yaml-syntax",
        "YAML errors in the workload text",
        {"workload": "kind: Pod\nspec: [\n"},
        "INPUT_SYNTAX",
        "/request/workload",
    )

    # Issue 12: a manifest is read as kubectl reads it, or refused; never another Pod.
    pod_yaml = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n%sspec:\n%s  containers:\n  - name: app\n"
        "    image: %s\n"
    )

    def manifest(meta="", spec="", image="gcr.io/p/a:1"):
        return {"workload": pod_yaml % (meta, spec, image)}

    bad(
        "019-workload-merge-key-overrides-image",
        "kubectl lets a later `<<` overwrite the image (`evil`), other readers keep `good`: merge"
        " keys are refused",
        {
            "workload": (
                "kind: Pod\nspec:\n  containers:\n  - <<: {name: app, image: 'gcr.io/p/evil:1'}\n"
                "    image: gcr.io/p/good:1\n    <<: {image: 'gcr.io/p/evil:1'}\n"
            )
        },
        "INPUT_YAML_MERGE_KEY",
        "/request/workload/spec/containers/0/<<",
    )
    bad(
        "020-workload-merge-key-turns-configmap-into-pod",
        "a merge key that sets `kind` is refused",
        {
            "workload": (
                "kind: ConfigMap\n<<: {kind: Pod}\nspec:\n  containers:\n  - {name: a, image:"
                " 'gcr.io/p/a:1'}\n"
            )
        },
        "INPUT_YAML_MERGE_KEY",
        "/request/workload/<<",
    )
    bad(
        "021-workload-yaml-1-1-boolean-image",
        "`image: yes` is a boolean for kubectl, which refuses it; so does vouch",
        manifest(image="yes"),
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/containers/0/image",
    )
    bad(
        "022-workload-yaml-1-1-boolean-namespace",
        "`namespace: on` is a boolean for kubectl: refused, not namespace `on`",
        manifest(meta="  namespace: on\n"),
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/metadata/namespace",
    )
    bad(
        "023-workload-yaml-1-1-boolean-break-glass",
        "a break-glass label `yes` is a boolean for kubectl: refused",
        manifest(meta="  labels:\n    image-policy.k8s.io/break-glass: yes\n"),
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/metadata/labels/image-policy.k8s.io~1break-glass",
    )
    bad(
        "024-workload-yaml-1-1-boolean-service-account",
        "`serviceAccountName: n` is a boolean for kubectl: refused",
        manifest(spec="  serviceAccountName: n\n"),
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/serviceAccountName",
    )
    bad(
        "025-workload-yaml-1-1-octal-container-name",
        "`name: 0777` is the number 511 for kubectl: refused",
        {"workload": "kind: Pod\nspec:\n  containers:\n  - {name: 0777, image: 'gcr.io/p/a:1'}\n"},
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/containers/0/name",
    )
    bad(
        "026-workload-yaml-1-1-keys-collide",
        "label keys `on` and `'true'` are the same key for kubectl",
        manifest(meta="  labels:\n    on: a\n    'true': b\n"),
        "INPUT_DUPLICATE_KEY",
        "/request/workload/metadata/labels/true",
    )
    bad(
        "027-workload-explicit-tag",
        "explicit tags other than !!str are refused (`!!binary` decodes to another image)",
        manifest(image="!!binary Z2NyLmlvL3AvZXZpbDox"),
        "INPUT_YAML_UNSUPPORTED",
        "/request/workload/spec/containers/0/image",
    )
    bad(
        "028-workload-yaml-infinity",
        "kubectl cannot write `.inf` as JSON and refuses the manifest; so does vouch",
        manifest(spec="  priority: .inf\n"),
        "INPUT_SYNTAX",
        "/request/workload",
    )
    bad(
        "029-workload-flow-yaml-is-not-json",
        "text starting with `{` is JSON for kubectl, never YAML",
        {"workload": "{kind: Pod, spec: {containers: [{name: a, image: 'gcr.io/p/a:1'}]}}"},
        "INPUT_SYNTAX",
        "/request/workload",
    )
    bad(
        "030-workload-image-volume-without-reference",
        "an image volume needs its reference",
        {
            "workload": {
                "kind": "Pod",
                "spec": {
                    "containers": [{"name": "a", "image": "a"}],
                    "volumes": [{"name": "v", "image": {}}],
                },
            }
        },
        "REQUEST_INVALID_WORKLOAD",
        "/request/workload/spec/volumes/0/image/reference",
    )
    vec(
        g,
        "031-policy-merge-key",
        "merge keys are refused in every YAML input, the policy too (gcloud's reader lets explicit "
        "keys win, kubectl's the later `<<`)",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  <<: {evaluationMode:"
        " ALWAYS_ALLOW}\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        images("gcr.io/p/a:1"),
        error=err("INPUT_YAML_MERGE_KEY", "/policy/defaultAdmissionRule/<<"),
    )


def cases():
    request_error_cases()
