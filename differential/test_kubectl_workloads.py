"""Differential test: the Pod kubectl would submit against the Pod vouch evaluates (issue 12).

For every workload in the shared vectors (testdata/vectors, `request.workload`) and a corpus of
tricky manifests (merge keys, YAML 1.1 scalars in every deciding field, tags, service-account
variants, image volumes, multi-document streams, Lists, controllers), kubectl turns the file into
objects offline (`kubectl annotate --local -f FILE KEY=VALUE -o json`, no cluster, an empty
kubeconfig) and `vouch workload FILE` prints what vouch reads. Both must give the same images
(with container or image-volume names), namespace, service account, labels and annotations, or
both must refuse the file. vouch may refuse a file kubectl reads only where the corpus says so
(a construct vouch refuses on purpose, e.g. merge keys), with the expected error code.

vouch's CLI: $VOUCH_BIN, default target/debug/vouch (`cargo build -p vouch-cli`). kubectl:
/usr/bin/kubectl and the versions under the Google Cloud SDK; the test is skipped, saying which
tool is missing, where they are absent.
"""

import concurrent.futures
import glob
import json
import os
import re
import subprocess
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOUCH = os.environ.get("VOUCH_BIN", os.path.join(REPO, "target", "debug", "vouch"))
PROBE = "vouch-differential.example/probe"

# kind -> path of the pod template inside the object (as crates/vouch/src/request.rs).
TEMPLATES = {
    "Pod": [],
    "Deployment": ["spec", "template"],
    "ReplicaSet": ["spec", "template"],
    "StatefulSet": ["spec", "template"],
    "DaemonSet": ["spec", "template"],
    "Job": ["spec", "template"],
    "ReplicationController": ["spec", "template"],
    "CronJob": ["spec", "jobTemplate", "spec", "template"],
}
API_VERSIONS = {"Deployment": "apps/v1", "ReplicaSet": "apps/v1", "StatefulSet": "apps/v1",
                "DaemonSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1"}


def kubectl_binaries():
    """The default kubectl, and the oldest and newest of the Cloud SDK's versioned ones."""
    found = []
    if os.access("/usr/bin/kubectl", os.X_OK):
        found.append("/usr/bin/kubectl")
    versioned = sorted(glob.glob("/usr/lib/google-cloud-sdk/bin/kubectl.1.*"),
                       key=lambda p: tuple(int(x) for x in p.rsplit("kubectl.", 1)[1].split(".") if x.isdigit()))
    for path in versioned[:1] + versioned[-1:]:
        if os.access(path, os.X_OK) and path not in found:
            found.append(path)
    return found


KUBECTLS = kubectl_binaries()


class ServerRefuses(Exception):
    """kubectl submits the object, but the API server's typed decoding or validation refuses it."""


def server_string(value, what, required=False):
    """The API server decodes these fields into Go strings: another JSON type is a 400."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ServerRefuses("%s is %r, not a string" % (what, value))
    return value


def pod_view(kind, name, obj):
    """What a Pod of this object runs as: the fields vouch decides about. kubectl's client checks
    only ObjectMeta's types; the API server checks the rest (ServerRefuses)."""
    template = obj
    for step in TEMPLATES[kind]:
        template = (template or {}).get(step) or {}
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    images = []
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(field) or []:
            image = server_string(c.get("image"), field + " image", required=True)
            if image != image.strip():
                raise ServerRefuses("image %r has surrounding white space" % image)
            images.append({"image": image, "container": server_string(c.get("name"), "container name") or None})
    for v in spec.get("volumes") or []:
        if isinstance(v.get("image"), dict):
            images.append({"image": server_string(v["image"].get("reference"), "volume image", required=True),
                           "volume": server_string(v.get("name"), "volume name")})
    for field in ("serviceAccountName", "serviceAccount"):
        server_string(spec.get(field), field)
    for field in ("labels", "annotations"):
        for key, value in (meta.get(field) or {}).items():
            server_string(value, "%s %s" % (field, key))
    annotations = dict(meta.get("annotations") or {})
    if kind == "Pod":
        annotations.pop(PROBE, None)
    return {
        "kind": kind,
        "name": name,
        "namespace": (obj.get("metadata") or {}).get("namespace") or "default",
        "serviceAccount": spec.get("serviceAccountName") or spec.get("serviceAccount") or "default",
        "labels": meta.get("labels") or {},
        "annotations": annotations,
        "images": images,
    }


def run_kubectl(kubectl, path, kubeconfig):
    """The objects kubectl would submit for the file, or None when it refuses the file."""
    env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=os.path.dirname(kubeconfig))
    p = subprocess.run([kubectl, "annotate", "--local", "-f", path, PROBE + "=1", "-o", "json"],
                       capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        return None, p.stderr.strip()
    objects, decoder, text = [], json.JSONDecoder(), p.stdout.strip()
    while text:
        obj, end = decoder.raw_decode(text)
        objects.append(obj)
        text = text[end:].lstrip()
    views = []
    for obj in objects:
        items = obj.get("items") if obj.get("kind", "").endswith("List") else [obj]
        for o in items or []:
            if o.get("kind") in TEMPLATES:
                try:
                    views.append(pod_view(o["kind"], (o.get("metadata") or {}).get("name"), o))
                except ServerRefuses as e:
                    return None, "the API server refuses it: %s" % e
    return views, ""


def run_vouch(path):
    p = subprocess.run([VOUCH, "workload", path], capture_output=True, text=True, timeout=60)
    out = json.loads(p.stdout)
    if "error" in out:
        return None, out["error"]["code"]
    views, codes = [], []
    for w in out["workloads"]:
        if "error" in w:
            codes.append(w["error"]["code"])
            continue
        images = []
        for i in w["images"]:
            images.append({"image": i["image"], "volume": i["volume"]} if "volume" in i
                          else {"image": i["image"], "container": i.get("container") or None})
        views.append({"kind": w["kind"], "name": w["name"], "namespace": w["namespace"],
                      "serviceAccount": w["serviceAccount"], "labels": w["labels"],
                      "annotations": w["annotations"], "images": images})
    if codes:
        return None, codes[0]
    return views, ""


# --------------------------------------------------------------------------- the corpus
# (name, manifest text, error code vouch gives where it refuses on purpose and kubectl reads the file)
POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n{meta}spec:\n{spec}  containers:\n  - name: {cname}\n    image: {image}\n"


def pod(meta="", spec="", cname="app", image="gcr.io/p/app:1"):
    return POD.format(meta=meta, spec=spec, cname=cname, image=image)


CORPUS = [
    # Merge keys: kubectl applies them in order (a later `<<` wins); vouch refuses them.
    ("merge-later-overrides-image", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
     "  - <<: {name: app, image: 'gcr.io/p/evil:1'}\n    image: gcr.io/p/good:1\n    <<: {image: 'gcr.io/p/evil:1'}\n",
     "INPUT_YAML_MERGE_KEY"),
    ("merge-configmap-into-pod", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\n<<: {kind: Pod}\n"
     "spec:\n  containers:\n  - {name: a, image: 'gcr.io/p/a:1'}\n", "INPUT_YAML_MERGE_KEY"),
    ("merge-list-of-maps", "x: &a {image: 'gcr.io/p/a:1'}\ny: &b {name: c}\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
     "spec:\n  containers:\n  - <<: [*a, *b]\n", "INPUT_YAML_MERGE_KEY"),
    ("merge-in-metadata", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  <<: {namespace: kube-system}\n"
     "spec:\n  containers:\n  - {name: a, image: 'gcr.io/p/a:1'}\n", "INPUT_YAML_MERGE_KEY"),
    # YAML 1.1 scalars in every deciding field: kubectl refuses the non-strings; so does vouch.
    ("bool-kind", "apiVersion: v1\nkind: yes\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n", None),
    ("bool-name", pod().replace("name: p", "name: y"), None),
    ("bool-namespace", pod(meta="  namespace: on\n"), None),
    ("octal-namespace", pod(meta="  namespace: 0777\n"), None),
    ("null-namespace", pod(meta="  namespace: ~\n"), None),
    ("bool-label-value", pod(meta="  labels: {app: yes}\n"), None),
    ("bool-break-glass-label", pod(meta="  labels:\n    image-policy.k8s.io/break-glass: on\n"), None),
    ("quoted-break-glass-label", pod(meta="  labels:\n    image-policy.k8s.io/break-glass: 'true'\n"), None),
    ("bool-annotation-value", pod(meta="  annotations:\n    alpha.image-policy.k8s.io/break-glass: Y\n"), None),
    ("int-annotation-value", pod(meta="  annotations: {a: 0x1F}\n"), None),
    ("float-annotation-value", pod(meta="  annotations: {a: 1e3}\n"), None),
    ("bool-label-keys", pod(meta="  labels: {on: a, n: b, 'yes': c}\n"), None),
    ("int-label-keys", pod(meta="  labels: {0x10: a, 0777: b, 1_000: c, 42: d}\n"), None),
    ("colliding-label-keys", pod(meta="  labels: {on: a, 'true': b}\n"), "INPUT_DUPLICATE_KEY"),
    ("float-label-key", pod(meta="  labels: {1e10: a}\n"), "INPUT_YAML_UNSUPPORTED"),
    ("null-label-key", pod(meta="  labels: {~: a}\n"), None),
    ("bool-service-account-name", pod(spec="  serviceAccountName: off\n"), None),
    ("bool-service-account", pod(spec="  serviceAccount: N\n"), None),
    ("octal-container-name", pod(cname="0777"), None),
    ("hex-container-name", pod(cname="0x1F"), None),
    ("underscore-container-name", pod(cname="1_000"), None),
    ("null-container-name", pod(cname="~"), None),
    ("bool-image", pod(image="yes"), None),
    ("float-image", pod(image="1e3"), None),
    ("timestamp-image", pod(image="2001-12-14"), None),
    ("sexagesimal-image", pod(image="1:20"), None),
    ("quoted-scalars-stay-strings", pod(meta="  namespace: 'on'\n  labels: {a: 'yes', b: \"0777\"}\n", cname="'y'"), None),
    ("str-tag", pod(meta="  labels: {a: !!str yes}\n", cname="!!str off"), None),
    ("binary-tag-image", pod(image="!!binary Z2NyLmlvL3AvZXZpbDox"), "INPUT_YAML_UNSUPPORTED"),
    ("local-tag-image", pod(image="!foo gcr.io/p/app:1"), "INPUT_YAML_UNSUPPORTED"),
    ("int-tag-namespace", pod(meta="  namespace: !!int '12'\n"), None),
    ("infinity", pod(spec="  priority: .inf\n"), None),
    ("non-deciding-yaml-1-1", pod(spec="  hostNetwork: yes\n  enableServiceLinks: off\n"), None),
    ("yaml-1-2-directive", "%YAML 1.2\n---\n" + pod(), None),
    ("yaml-1-1-directive", "%YAML 1.1\n---\n" + pod(meta="  labels: {a: 'on'}\n"), None),
    ("alias-image", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {img: &i 'x'}}\nspec:\n"
     "  containers:\n  - {name: a, image: &img 'gcr.io/p/a:1'}\n  - {name: b, image: *img}\n", None),
    ("block-scalar-image-at-eof", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
     "  - name: a\n    image: |\n      gcr.io/p/a:1", None),
    ("bom", "\ufeff" + pod(), None),
    # Service accounts.
    ("sa-empty-name-deprecated-field", pod(spec="  serviceAccountName: ''\n  serviceAccount: builder\n"), None),
    ("sa-deprecated-field-alone", pod(spec="  serviceAccount: builder\n"), None),
    ("sa-both-differ", pod(spec="  serviceAccountName: runner\n  serviceAccount: builder\n"), None),
    ("sa-null-name", pod(spec="  serviceAccountName: null\n  serviceAccount: builder\n"), None),
    # Image volumes.
    ("image-volume-pod", pod(spec="  volumes:\n  - name: models\n    image: {reference: 'gcr.io/p/models:3'}\n"
                                  "  - name: cfg\n    configMap: {name: c}\n"), None),
    ("image-volume-deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n"
     "  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n"
     "      serviceAccount: builder\n      containers: [{name: a, image: 'gcr.io/p/a:1'}]\n"
     "      volumes: [{name: m, image: {reference: 'gcr.io/p/m:1', pullPolicy: Always}}]\n", None),
    # Streams, Lists, controllers.
    ("multi-document-stream", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {on: yes}\n---\n"
     + pod() + "---\n# only a comment\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: kube-system}\n"
     "spec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n"
     "      containers: [{name: x, image: 'gcr.io/p/x:1'}]\n", None),
    ("document-end-marker", pod() + "...\n---\n" + pod().replace("name: p", "name: q"), None),
    ("content-after-separator", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n--- "
     "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: b}]}}\n", "INPUT_YAML_UNSUPPORTED"),
    ("tag-after-separator", "--- !!map\n" + pod(), "INPUT_YAML_UNSUPPORTED"),
    ("comment-after-separator", pod() + "--- # next\n" + pod().replace("name: p", "name: q"), None),
    ("document-after-end-marker", pod() + "...\n" + pod(image="gcr.io/p/other:1").replace("name: p", "name: q"),
     "INPUT_YAML_UNSUPPORTED"),
    ("crlf-line-ends", (pod() + "---\n" + pod(cname="b")).replace("\n", "\r\n"), None),
    ("list-kind", "apiVersion: v1\nkind: List\nitems:\n- " + pod().replace("\n", "\n  ").rstrip() + "\n- apiVersion: v1\n"
     "  kind: Service\n  metadata: {name: s}\n  spec: {ports: [{port: 80}]}\n", None),
    ("pod-list-kind", "apiVersion: v1\nkind: PodList\nitems:\n- " + pod(cname="y").replace("\n", "\n  ").rstrip() + "\n", None),
    ("json-file", json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"on": "x"}},
                              "spec": {"containers": [{"name": "a", "image": "gcr.io/p/a:1"}]}}), None),
    # kubectl up to 1.32 reads text starting with `{` as JSON only and refuses this; 1.33 falls
    # back to YAML. vouch refuses it (either reading would be one of the two).
    ("flow-yaml-looks-like-json", "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: b}]}}\n",
     "INPUT_SYNTAX"),
]
for kind, path in TEMPLATES.items():
    if kind == "Pod":
        continue
    spec = "{containers: [{name: c, image: 'gcr.io/p/c:1'}], initContainers: [{name: i, image: 'y'}], serviceAccount: sa}"
    template = "{metadata: {labels: {app: w, on: 'x'}, annotations: {a: 'b'}}, spec: %s}" % spec
    selector = {"ReplicationController": ", selector: {app: w}", "Job": "", "CronJob": ""}.get(
        kind, ", selector: {matchLabels: {app: w}}")
    body = template
    for step in reversed(path):
        body = "{%s: %s%s}" % (step, body, selector if step == "template" else "")
    CORPUS.append(("controller-" + kind.lower(),
                   "apiVersion: %s\nkind: %s\nmetadata: {name: w, namespace: prod}\nspec: %s\n"
                   % (API_VERSIONS.get(kind, "v1"), kind, body[len("{spec: "):-1]), None))


# A generated corpus: YAML 1.1 scalars (plain, quoted and `!!str`) in every deciding field,
# mixed at random (fixed seed), so the cases nobody thought of get compared too.
TOKENS = ["yes", "No", "ON", "off", "y", "N", "True", "FALSE", "~", "null", "0777", "0x1F", "0o17", "0b101",
          "1_000", "+12", "-7", "08", "1e3", ".5", "1.5", "2001-12-14", "web", "gcr.io/p/app:1", "busybox"]
KEY_TOKENS = [t for t in TOKENS if not t.startswith(("~", "null", "/"))]
# Where vouch may refuse what kubectl (and the API server) would take: names and references it
# validates more strictly than the server does, keys it does not convert (floats), keys that
# collide once converted.
GENERATED_REFUSALS = {"REQUEST_INVALID_IMAGE", "REQUEST_INVALID_NAMESPACE", "REQUEST_INVALID_SERVICE_ACCOUNT",
                      "INPUT_YAML_UNSUPPORTED", "INPUT_DUPLICATE_KEY"}


def spelled(rng, token):
    return rng.choice([token, token, "'%s'" % token, '"%s"' % token, "!!str %s" % token])


def generated_cases(count=120, seed=12):
    import random
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        fields = {"namespace": None, "labels": [], "annotations": [], "sa": None, "sa_old": None,
                  "cname": "app", "image": "gcr.io/p/app:1", "volume": None}
        for _ in range(rng.randint(1, 4)):
            what = rng.choice(["namespace", "label", "annotation", "sa", "sa_old", "cname", "image", "volume"])
            token = spelled(rng, rng.choice(TOKENS))
            if what in ("label", "annotation"):
                fields[what + "s"].append((spelled(rng, rng.choice(KEY_TOKENS)), token))
            elif what == "volume":
                fields["volume"] = (spelled(rng, rng.choice(TOKENS)), token)
            else:
                fields[what] = token
        meta = ""
        if fields["namespace"] is not None:
            meta += "  namespace: %s\n" % fields["namespace"]
        for field in ("labels", "annotations"):
            if fields[field]:
                meta += "  %s:\n" % field + "".join("    %s: %s\n" % kv for kv in fields[field])
        spec = ""
        if fields["sa"] is not None:
            spec += "  serviceAccountName: %s\n" % fields["sa"]
        if fields["sa_old"] is not None:
            spec += "  serviceAccount: %s\n" % fields["sa_old"]
        if fields["volume"] is not None:
            spec += "  volumes:\n  - name: %s\n    image: {reference: %s}\n" % fields["volume"]
        cases.append(("generated-%03d" % n, pod(meta=meta, spec=spec, cname=fields["cname"], image=fields["image"]),
                      "generated"))
    return cases


def is_cloud_run(workload):
    """Whether a vector's workload is a Cloud Run service or job (v1 by apiVersion, v2 by its
    resource name), as vouch recognizes it (docs/semantics.md §9.1)."""
    if isinstance(workload, str):
        return bool(re.search(r"^apiVersion: *(serving\.knative\.dev|run\.googleapis\.com)/", workload, re.M))
    if not isinstance(workload, dict):
        return False
    api = str(workload.get("apiVersion", ""))
    if api.startswith(("serving.knative.dev/", "run.googleapis.com/")):
        return True
    name = str(workload.get("name", ""))
    return "kind" not in workload and bool(re.match(r"projects/[^/]+/locations/[^/]+/(services|jobs|workerPools)/", name))


def vector_workloads():
    out = []
    for path in sorted(glob.glob(os.path.join(REPO, "testdata", "vectors", "**", "*.json"), recursive=True)):
        with open(path) as f:
            bundle = json.load(f)
        request = bundle.get("request")
        if not isinstance(request, dict) or "workload" not in request:
            continue
        workload = request["workload"]
        if is_cloud_run(workload):
            # A Cloud Run service or job (docs/semantics.md §9) is no Pod kubectl would submit.
            continue
        name = "vector-" + os.path.relpath(path, os.path.join(REPO, "testdata", "vectors")).replace("/", "-")
        if isinstance(workload, dict):
            if "kind" in workload and "apiVersion" not in workload:
                # vouch does not read apiVersion; kubectl needs one to read the object at all.
                workload = dict(workload, apiVersion=API_VERSIONS.get(workload["kind"], "v1"))
            text = json.dumps(workload)
        elif isinstance(workload, str):
            text = workload
            kind = re.search(r"^kind: *(\w+)", text, re.M)
            if kind and not re.search(r"^apiVersion:", text, re.M):
                text = "apiVersion: %s\n%s" % (API_VERSIONS.get(kind.group(1), "v1"), text)
        else:
            continue
        out.append((name, text, "vector"))
    return out


CASES = CORPUS + vector_workloads()
GENERATED = generated_cases()


def compare(kubectl, workdir, kubeconfig, name, text, refusal):
    path = os.path.join(workdir, name + ".yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    want, kerr = run_kubectl(kubectl, path, kubeconfig)
    got, code = run_vouch(path)
    if want is None:
        # Refused by kubectl or the API server: vouch must refuse too, or find no workload to
        # evaluate (e.g. a document whose `kind` is not a string is no workload for vouch).
        if got:
            return "%s: kubectl refuses (%s) but vouch reads %s\n%s" % (
                name, kerr.splitlines()[0] if kerr else "", got, text)
        return None
    if got is None:
        if refusal == "vector":
            return None if code else "%s: vouch failed without a code" % name
        if refusal == "generated":
            if code in GENERATED_REFUSALS:
                return None
            return "%s: kubectl reads %s but vouch refuses (%s):\n%s" % (name, want, code, text)
        if refusal is None or refusal != code:
            return "%s: kubectl reads %s but vouch refuses (%s)" % (name, want, code)
        return None
    if refusal not in (None, "vector", "generated"):
        return "%s: expected vouch to refuse with %s, it read %s" % (name, refusal, got)
    if want != got:
        return "%s: kubectl %s != vouch %s\n%s" % (name, want, got, text)
    return None


@pytest.mark.parametrize("kubectl", KUBECTLS or ["kubectl"])
def test_vouch_reads_the_pod_kubectl_submits(kubectl):
    if not KUBECTLS:
        pytest.skip("kubectl not found (/usr/bin/kubectl, /usr/lib/google-cloud-sdk/bin/kubectl.1.*)")
    if not os.access(VOUCH, os.X_OK):
        pytest.skip("vouch CLI not found at %s (cargo build -p vouch-cli, or set VOUCH_BIN)" % VOUCH)
    with tempfile.TemporaryDirectory(prefix="vouch-kubectl-") as workdir:
        kubeconfig = os.path.join(workdir, "kubeconfig")
        with open(kubeconfig, "w") as f:
            f.write("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            # The generated corpus runs against the first kubectl only, to keep the stage short.
            cases = CASES + (GENERATED if kubectl == KUBECTLS[0] else [])
            results = list(pool.map(lambda c: compare(kubectl, workdir, kubeconfig, *c), cases))
    differences = [r for r in results if r]
    assert not differences, "%d of %d manifests differ:\n%s" % (len(differences), len(cases), "\n".join(differences))


def test_corpus_covers_every_class():
    names = {c[0] for c in CORPUS}
    for prefix in ("merge-", "bool-", "octal-", "str-tag", "binary-tag", "sa-", "image-volume-", "multi-document",
                   "list-kind", "controller-"):
        assert any(n.startswith(prefix) for n in names), prefix
    assert len(vector_workloads()) >= 40
