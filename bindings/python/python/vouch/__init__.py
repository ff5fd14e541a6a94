"""vouch: decide whether a container image may be deployed.

Offline, deterministic evaluation of Google Binary Authorization policies. This package is a
thin layer over the Rust library: it converts Python values to the core's JSON documents and
wraps the core's results; every decision is the core's, byte for byte.

    >>> import vouch
    >>> policy = vouch.Policy.from_yaml(open("policy.yaml").read())      # doctest: +SKIP
    >>> evaluator = vouch.Evaluator(policy, vouch.load_attestors(text))  # doctest: +SKIP
    >>> evaluator.evaluate(images=[...], cluster="…", now=now)           # doctest: +SKIP

The attestor's side works offline too: ``create_signature_payload``, ``generate_key``,
``SigningKey.from_pem``, ``sign`` (an attestation occurrence), ``attestor_resource`` and
``validate_policy`` (errors and lint warnings).

See docs/python.md for the API, the exception mapping and threading.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from . import _vouch
from ._decision import (
    _decided,
    AttestorResult,
    CloudRunResult,
    Decision,
    Detail,
    Exemption,
    IgnoredRule,
    ImageResult,
    Reason,
    ResolvedDigest,
    Rule,
    Verdict,
)
from ._errors import (
    AttestorError,
    BundleError,
    ClusterConfigError,
    PlatformPolicyError,
    PolicyError,
    RequestError,
    TrustError,
    VouchError,
    native_error,
)
from ._lint import LintWarning, Validation, warnings_from
from ._replay import MAX_ENTRY_BYTES, ReplayRun, ReplaySummary, Replayer, replay, replay_config, replay_dedupe_key, replay_json
from ._platform import CheckResult, CheckSetResult, PlatformDetail, PlatformImageResult, PlatformResult, PodResult
from ._signing import (
    SigningKey,
    attestor_resource,
    create_signature_payload,
    generate_key,
    sign,
)

__version__: str = _vouch.VERSION

__all__ = [
    "Attestations",
    "Attestor",
    "AttestorError",
    "AttestorResult",
    "BundleError",
    "CheckResult",
    "CheckSetResult",
    "CloudRunPolicy",
    "CloudRunResult",
    "ClusterConfigError",
    "Decision",
    "Detail",
    "Document",
    "Evaluator",
    "Evidence",
    "Exemption",
    "IgnoredRule",
    "ImageResult",
    "LintWarning",
    "PlatformDetail",
    "PlatformImageResult",
    "PlatformPolicy",
    "PlatformPolicyError",
    "PlatformResult",
    "PodResult",
    "Policy",
    "PolicyError",
    "Reason",
    "RequestError",
    "ResolvedDigest",
    "Rule",
    "SigningKey",
    "SystemPolicy",
    "TrustError",
    "Validation",
    "Verdict",
    "VouchError",
    "attestor_resource",
    "continuous_validation",
    "continuous_validation_json",
    "Replayer",
    "MAX_ENTRY_BYTES",
    "ReplayRun",
    "ReplaySummary",
    "replay",
    "replay_config",
    "replay_dedupe_key",
    "replay_json",
    "create_signature_payload",
    "evaluate_bundle",
    "evaluate_platform",
    "evaluate_platform_json",
    "generate_key",
    "inspect_evidence",
    "inspect_evidence_json",
    "lint",
    "load_attestors",
    "sign",
    "validate_policy",
]

Document = Union[str, Mapping[str, Any]]
"""A document: its JSON or YAML text, or the parsed object (a dict)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# `json.dumps` with these options builds a new encoder on every call; one shared encoder gives the
# same text (it holds only its options, so threads may share it).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _text(document: object, what: str) -> str:
    """JSON or YAML text as given; anything else serialized as JSON for the core to read."""
    if isinstance(document, str):
        return document
    try:
        return _ENCODER.encode(document)
    except TypeError as e:
        raise TypeError(f"{what} must be JSON or YAML text, or JSON-compatible data: {e}") from None
    except (ValueError, RecursionError) as e:
        raise ValueError(f"{what} cannot be represented as JSON: {e}") from None


_H = TypeVar("_H", bound="_Loaded")


class _Loaded:
    """A native object read by the core, the one loader base of ``Policy``, ``SystemPolicy``,
    ``Attestor`` and ``Evidence``: ``from_yaml`` and ``from_json`` are the same parser (the
    core detects JSON or YAML from the content), ``from_dict`` serializes the data for it.
    Errors are raised as the class of their subject (``_errors.SUBJECT_CLASSES``)."""

    __slots__ = ("_native",)
    _native: Any
    _what: ClassVar[str]
    """The document's name in ``from_dict``'s ``TypeError``."""

    def __init__(self) -> None:
        name = type(self).__name__
        raise TypeError(f"use {name}.from_yaml(), .from_json() or .from_dict()")

    @staticmethod
    def _read(text: str) -> Any:
        """The core's loader for this class."""
        raise NotImplementedError

    @classmethod
    def _wrap(cls: Type[_H], native: Any) -> _H:
        self = object.__new__(cls)
        self._native = native
        return self

    @classmethod
    def _load(cls: Type[_H], text: str) -> _H:
        try:
            native = cls._read(text)
        except _vouch.NativeError as e:
            raise native_error(e.args) from None
        return cls._wrap(native)

    @classmethod
    def from_yaml(cls: Type[_H], text: str) -> _H:
        """Loads from YAML text (JSON is YAML too: the same parser as ``from_json``)."""
        return cls._load(text)

    @classmethod
    def from_json(cls: Type[_H], text: str) -> _H:
        """Loads from JSON text (the same parser as ``from_yaml``, which also reads YAML)."""
        return cls._load(text)

    @classmethod
    def from_dict(cls: Type[_H], document: Any) -> _H:
        """Loads from the parsed form (dicts and lists), serialized as JSON for the core."""
        return cls._load(_text(document, cls._what))


class Policy(_Loaded):
    """A validated, compiled Binary Authorization project policy. Immutable.

    Load it with ``from_yaml``, ``from_json`` (the core detects JSON or YAML from the content,
    so both accept either) or ``from_dict``. Errors raise ``PolicyError``.
    """

    __slots__ = ()
    _native: _vouch.Policy
    _what = "the policy"

    @staticmethod
    def _read(text: str) -> _vouch.Policy:
        return _vouch.load_policy(text)

    def __repr__(self) -> str:
        return "<vouch.Policy>"


class SystemPolicy(_Loaded):
    """A validated system policy (``admissionWhitelistPatterns``). Immutable.

    Used only when the project policy sets ``globalPolicyEvaluationMode: ENABLE``; without
    one, vouch uses its built-in list. Errors raise ``PolicyError``.
    """

    __slots__ = ()
    _native: _vouch.SystemPolicy
    _what = "the system policy"

    @staticmethod
    def _read(text: str) -> _vouch.SystemPolicy:
        return _vouch.load_system_policy(text)

    def __repr__(self) -> str:
        return "<vouch.SystemPolicy>"


class Attestor(_Loaded):
    """A validated attestor with its decoded public keys. Immutable.

    ``from_yaml``/``from_json``/``from_dict`` load one attestor; ``load_attestors`` loads a
    file holding one, a list, or ``{"attestors": [...]}``. Errors raise ``AttestorError``.
    """

    __slots__ = ()
    _native: _vouch.Attestor
    _what = "the attestor"

    @staticmethod
    def _read(text: str) -> _vouch.Attestor:
        return _vouch.load_attestor(text)

    @property
    def name(self) -> str:
        """The attestor's resource name, ``projects/P/attestors/A``."""
        return self._native.name

    @property
    def note_reference(self) -> str:
        """The note its attestations are attached to, ``projects/P/notes/N``."""
        return self._native.note_reference

    @property
    def key_ids(self) -> Tuple[str, ...]:
        """The ids of its public keys, in document order."""
        return tuple(self._native.key_ids)

    def __repr__(self) -> str:
        return f"<vouch.Attestor {self.name!r}>"


def load_attestors(document: Union[str, Mapping[str, Any], Sequence[Mapping[str, Any]]]) -> List[Attestor]:
    """Loads attestors: text or data holding one attestor, a list, or ``{"attestors": [...]}``.

    Errors raise ``AttestorError``; paths point into the document given.
    """
    try:
        natives = _vouch.load_attestors(_text(document, "attestors"))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None
    return [Attestor._wrap(n) for n in natives]


class Evidence(_Loaded):
    """Attestation occurrences read once, to evaluate many requests against. Immutable.

    ``evaluate(attestations=...)`` accepts the occurrences as text or data too, and then reads
    them again on every call; an ``Evidence`` skips that work (with a thousand occurrences it
    is most of a decision's cost). ``from_yaml``/``from_json``/``from_dict`` take a list, one
    occurrence, or ``{"occurrences": [...]}``. Errors raise ``RequestError`` (subject
    ``attestations``) with paths into the document given; ``evaluate`` reports the same
    errors under ``/attestations``.
    """

    __slots__ = ()
    _native: _vouch.Evidence
    _what = "attestations"

    @staticmethod
    def _read(text: str) -> _vouch.Evidence:
        return _vouch.load_evidence(text)

    def __len__(self) -> int:
        """The number of occurrences."""
        return len(self._native)

    def __repr__(self) -> str:
        return f"<vouch.Evidence of {len(self)} occurrences>"


Attestations = Union[str, Mapping[str, Any], Sequence[Mapping[str, Any]], Evidence, None]
"""Attestation occurrences: an ``Evidence``, or a list, one occurrence, ``{"occurrences": [...]}``,
or their text."""




class CloudRunPolicy(_Loaded):
    """A validated, compiled Cloud Run platform policy
    (``projects/*/platforms/cloudRun/policies/*``, ``cloudRunPolicy``; a preview feature of
    Binary Authorization, docs/semantics.md §9.5).

    Load it like a ``Policy`` (``from_yaml``, ``from_json``, ``from_dict``); it is read as
    gcloud reads platform policies. Errors raise ``PlatformPolicyError``. Give it to
    ``Evaluator(..., cloud_run_policies=[...])``: Cloud Run services and jobs bound to its
    ``name`` are then decided by it.
    """

    __slots__ = ()
    _native: _vouch.CloudRunPolicy
    _what = "the Cloud Run policy"

    @staticmethod
    def _read(text: str) -> _vouch.CloudRunPolicy:
        return _vouch.load_cloud_run_policy(text)

    @property
    def name(self) -> str:
        """The policy's name, normalized to ``projects/P/platforms/cloudRun/policies/N``."""
        return self._native.name

    def canonical(self) -> Dict[str, Any]:
        """The policy in canonical schema form (every list a list)."""
        data: Dict[str, Any] = json.loads(self._native.canonical_json())
        return data


class PlatformPolicy(_Loaded):
    """A validated, compiled GKE platform policy (``projects/*/platforms/gke/policies/*``).

    Load it like a ``Policy`` (``from_yaml``, ``from_json``, ``from_dict``); it is read as
    gcloud reads it (a scalar where a list is expected becomes a list). Errors raise
    ``PlatformPolicyError``. ``evaluate`` answers what ``gcloud … binauthz policy evaluate``
    answers, offline; immutable and safe to share between threads.
    """

    __slots__ = ()
    _native: _vouch.PlatformPolicy
    _what = "the platform policy"

    @staticmethod
    def _read(text: str) -> _vouch.PlatformPolicy:
        return _vouch.load_platform_policy(text)

    @property
    def name(self) -> Optional[str]:
        """The policy's ``name``, when the document gave one."""
        return self._native.name

    def canonical(self) -> Dict[str, Any]:
        """The policy in canonical schema form (every list a list, every integer a number)."""
        data: Dict[str, Any] = json.loads(self._native.canonical_json())
        return data

    def evaluate(
        self,
        *,
        images: Optional[Sequence[str]] = None,
        workload: Optional[Document] = None,
        attestations: Attestations = None,
        trust: Optional[Document] = None,
        now: datetime,
        tag_digests: Optional[Mapping[str, str]] = None,
    ) -> PlatformResult:
        """Evaluates a Pod (``workload``: a Kubernetes object as a dict or its text) or an
        image list (``images``, evaluated against the default check set, as ``gcloud …
        policy evaluate --image`` does). ``attestations`` is the evidence (occurrences of any
        kind, cosign signatures, image records; an ``Evidence`` or data or text), ``trust``
        the trust material (caller keys for provenance; Cloud Build's keys are built in),
        ``tag_digests`` resolutions ``{image: "sha256:…"}`` for tag-only images. A
        non-conformant result is a ``PlatformResult``; unreadable arguments raise, with the
        paths of the platform document (``/request/…``, ``/attestations/…``, ``/trust/…``).
        """
        seconds, nanos = _unix(now)
        request: Dict[str, object] = {}
        if images is not None:
            request["images"] = images
        if workload is not None:
            request["workload"] = workload
        if isinstance(attestations, Evidence):
            evidence: Union[_vouch.Evidence, str, None] = attestations._native
        else:
            evidence = None if attestations is None else _text(attestations, "attestations")
        trust_text = None if trust is None else _text(trust, "the trust material")
        digests = [] if tag_digests is None else [(str(k), str(v)) for k, v in tag_digests.items()]
        try:
            response = self._native.evaluate(
                _text(request, "the request"), evidence, trust_text, seconds, nanos, digests
            )
        except _vouch.NativeError as e:
            raise native_error(e.args) from None
        return PlatformResult(response)

    def __repr__(self) -> str:
        return f"<vouch.PlatformPolicy {self.name!r}>" if self.name else "<vouch.PlatformPolicy>"


def evaluate_platform_json(document: Document) -> str:
    """What ``vouch platform evaluate --output json`` prints: Binary Authorization's
    ``EvaluateGkePolicyResponse`` for ``{"platformPolicy", "request", "attestations",
    "trust", "now", "options"}`` (text or dict). Errors raise the class of their subject
    (``PlatformPolicyError`` for the policy)."""
    try:
        return _vouch.evaluate_platform(_text(document, "the platform evaluation"))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


def evaluate_platform(document: Document) -> PlatformResult:
    """:func:`evaluate_platform_json`, typed."""
    return PlatformResult(evaluate_platform_json(document))


def continuous_validation_json(document: Document) -> str:
    """What continuous validation would log for a cluster snapshot: ``{"entries": [...],
    "errors": [...], "summary": {...}}`` for ``{"platformPolicies": {NAME: policy}, "pods"
    (``kubectl get pods -A -o json``), "attestations", "trust", "cluster"
    ("PROJECT/LOCATION/NAME"), "clusterConfig", "now", "options"}`` (text or dict). ``entries`` are
    Cloud Logging entries (or bare ``ContinuousValidationEvent``s without ``cluster``), one per
    violated policy per Pod, exactly what ``vouch cv`` prints as JSON lines. Errors raise the
    class of their subject."""
    try:
        return _vouch.continuous_validation(_text(document, "the continuous validation"))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


def continuous_validation(document: Document) -> Dict[str, Any]:
    """:func:`continuous_validation_json`, parsed."""
    report: Dict[str, Any] = json.loads(continuous_validation_json(document))
    return report


def _native_attestors(policy: Policy, attestors: Iterable[Attestor]) -> List[_vouch.Attestor]:
    """Checks the argument types of a policy and its attestors; the attestors' native objects."""
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be a vouch.Policy, not {type(policy).__name__}")
    natives = []
    for a in attestors:
        if not isinstance(a, Attestor):
            raise TypeError(f"attestors must be vouch.Attestor objects, not {type(a).__name__}")
        natives.append(a._native)
    return natives


class Evaluator:
    """A policy compiled with its attestors: compile once, evaluate many times.

    Immutable and safe to share between threads; ``evaluate`` releases the GIL while it
    works. Construction errors raise ``PolicyError`` (``POLICY_*`` codes, e.g. a required
    attestor that was not supplied) or ``AttestorError`` (``ATTESTOR_*``, e.g. two attestors
    with the same name; the path starts with the attestor's index in ``attestors``).

    ``cloud_run_policies`` are Cloud Run platform policies (``CloudRunPolicy``): a Cloud Run
    service or job bound to one by name is decided by it, one bound to a policy not given is
    denied. Two with one name raise ``PlatformPolicyError`` at ``/INDEX/name``.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        policy: Policy,
        attestors: Iterable[Attestor] = (),
        system_policy: Optional[SystemPolicy] = None,
        cloud_run_policies: Iterable[CloudRunPolicy] = (),
    ) -> None:
        natives = _native_attestors(policy, attestors)
        cloud_run = []
        for p in cloud_run_policies:
            if not isinstance(p, CloudRunPolicy):
                raise TypeError(
                    f"cloud_run_policies must be vouch.CloudRunPolicy objects, not {type(p).__name__}"
                )
            cloud_run.append(p._native)
        if system_policy is not None and not isinstance(system_policy, SystemPolicy):
            raise TypeError(f"system_policy must be a vouch.SystemPolicy, not {type(system_policy).__name__}")
        try:
            self._native = _vouch.Evaluator(
                policy._native,
                natives,
                None if system_policy is None else system_policy._native,
                cloud_run,
            )
        except _vouch.NativeError as e:
            raise native_error(e.args) from None

    def evaluate(
        self,
        *,
        images: Optional[Sequence[str]] = None,
        workload: Optional[Document] = None,
        namespace: Optional[str] = None,
        service_account: Optional[str] = None,
        cluster: Optional[str] = None,
        mesh_identity: Optional[str] = None,
        labels: Optional[Mapping[str, str]] = None,
        annotations: Optional[Mapping[str, str]] = None,
        attestations: Attestations = None,
        now: datetime,
        strict_identity: bool = False,
        max_attestation_age: Union[str, timedelta, None] = None,
        trust_occurrence_time: bool = False,
        cluster_config: Optional[Document] = None,
        use_resolved_digest: bool = False,
        resolved_digests: Optional[Mapping[str, str]] = None,
    ) -> Decision:
        """Decides whether the images (or the workload's) may be deployed to the target.

        Give ``images`` or ``workload`` (a Kubernetes object, or a Cloud Run service or job, as
        a dict or its YAML/JSON text). ``now`` must be a timezone-aware ``datetime``. A denial is a ``Decision``;
        only unreadable arguments raise ``RequestError``. The arguments are read as the
        per-request half of a bundle by the core's loaders, so the path is the bundle's, as
        in every front end: ``/request/images/0``, ``/request/workload/spec/…``,
        ``/request/serviceAccount``, ``/attestations/3/…``.

        ``max_attestation_age`` (``"30d"``, ``"12h"``, or a ``timedelta`` of whole seconds)
        counts only attestations signed at most that long before ``now``, by their signed
        ``optional.timestamp``; ``trust_occurrence_time`` measures attestations without one
        from their occurrence's ``createTime`` instead, and the decision says so.

        ``cluster_config`` (a cluster's ``binaryAuthorization`` block, as ``gcloud container
        clusters describe --format=json`` prints it, or the whole cluster) makes the decision
        what that cluster does at admission (decision P-12): ``DISABLED`` and
        ``POLICY_BINDINGS`` admit without evaluating, the ``PROJECT_SINGLETON`` modes enforce
        the policy; the decision's ``cluster`` member says which. Its errors raise
        ``ClusterConfigError`` (paths under ``/clusterConfig``).

        Cloud Run (docs/semantics.md §9): a service or job is decided by its Binary
        Authorization setting, and the decision's ``cloud_run`` says how. An image written with a
        tag is evaluated as written unless ``use_resolved_digest``, which evaluates the digest
        Cloud Run resolved it to: from ``resolved_digests`` (``{container: "REPOSITORY@sha256:…"
        or "sha256:…"}``, ``""`` for the only container; the request's ``resolvedDigests``) or
        the object's status.
        """
        seconds, nanos = _unix(now)
        max_age = _duration(max_attestation_age)
        if isinstance(attestations, Evidence):
            evidence: Union[_vouch.Evidence, str, None] = attestations._native
        else:
            evidence = None if attestations is None else _text(attestations, "attestations")
        # The request as one document, read by the core's request loader, which reports what
        # is wrong and where. Plain data reaches it as a value; anything else is encoded by
        # `_request_text` first (the native side decides, it walks the dict anyway).
        request = _request(
            images, workload, namespace, service_account, cluster, mesh_identity, labels, annotations,
        )  # fmt: skip
        if resolved_digests is not None:
            request["resolvedDigests"] = resolved_digests
        try:
            native = self._native.evaluate(
                request,
                _request_text,
                evidence,
                seconds,
                nanos,
                strict_identity,
                max_age,
                trust_occurrence_time,
                None if cluster_config is None else _text(cluster_config, "the cluster configuration"),
                use_resolved_digest,
            )
        except _vouch.NativeError as e:
            raise native_error(e.args) from None
        return _decided(native)

    def __repr__(self) -> str:
        return "<vouch.Evaluator>"


def _request(
    images: object,
    workload: object,
    namespace: object,
    service_account: object,
    cluster: object,
    mesh_identity: object,
    labels: object,
    annotations: object,
) -> Dict[str, object]:
    """``evaluate``'s arguments as the request document (docs/formats.md). Written out field by
    field: on every call, a loop over pairs costs four times as much."""
    request: Dict[str, object] = {}
    if images is not None:
        request["images"] = images
    if workload is not None:
        request["workload"] = workload
    if namespace is not None:
        request["namespace"] = namespace
    if service_account is not None:
        request["serviceAccount"] = service_account
    if cluster is not None:
        request["cluster"] = cluster
    if mesh_identity is not None:
        request["meshIdentity"] = mesh_identity
    if labels is not None:
        request["labels"] = labels
    if annotations is not None:
        request["annotations"] = annotations
    return request


def _request_text(request: Dict[str, object]) -> str:
    """The request document as JSON, for a request that is not plain data."""
    return _text(request, "the request")


def _duration(age: Union[str, timedelta, None]) -> Optional[str]:
    """``max_attestation_age`` as the core reads it: ``"30d"``, or a timedelta's whole seconds."""
    if age is None or isinstance(age, str):
        return age
    if isinstance(age, timedelta):
        seconds = age.total_seconds()
        if seconds != int(seconds):
            raise ValueError("max_attestation_age must be whole seconds")
        return f"{int(seconds)}s"
    raise TypeError(f"max_attestation_age must be a str or a timedelta, not {type(age).__name__}")


def _unix(now: datetime) -> Tuple[int, int]:
    try:
        # Subtracting an aware datetime from a naive one, or from anything else, raises.
        delta = now - _EPOCH
    except TypeError:
        delta = None
    if type(delta) is not timedelta:
        if not isinstance(now, datetime):
            raise TypeError(f"now must be a datetime, not {type(now).__name__}")
        if now.utcoffset() is None:
            raise ValueError(
                "now must be a timezone-aware datetime, e.g. datetime.now(timezone.utc): "
                "a naive datetime does not say which instant it is"
            )
        raise TypeError(f"now must be a datetime, not {type(now).__name__}")
    return delta.days * 86400 + delta.seconds, delta.microseconds * 1000


def evaluate_bundle(bundle: Document) -> Decision:
    """Evaluates a bundle (policy, attestors, attestations, request, now, options).

    ``bundle`` is its JSON or YAML text, or the parsed dict. Returns the decision; errors
    raise the class of their subject: ``PolicyError`` (``/policy``, ``/systemPolicy``),
    ``AttestorError`` (``/attestors``), ``RequestError`` (``/request``, ``/attestations``) or
    ``BundleError`` (the bundle itself).
    """
    try:
        parts = _vouch.evaluate_bundle(_text(bundle, "the bundle"))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None
    return Decision(*parts)


def inspect_evidence_json(document: Document) -> str:
    """What ``vouch evidence inspect`` prints as JSON: per image digest, every evidence item,
    whether it verified and with which key, why not, and its times (docs/formats.md).

    ``document`` is ``{"attestations", "attestors", "trust", "image", "now"}`` (text or dict):
    a bundle's evidence members, the trust material for DSSE/in-toto/sigstore evidence, and
    optionally the one image to report on. Errors raise the class of their subject
    (``TrustError`` for the trust material).
    """
    try:
        return _vouch.inspect_evidence(_text(document, "the inspection"))
    except _vouch.NativeError as e:
        raise native_error(e.args) from None


def inspect_evidence(document: Document) -> Dict[str, Any]:
    """:func:`inspect_evidence_json`, parsed: ``{"images": [{"digest", "items": [...]}], …}``."""
    report: Dict[str, Any] = json.loads(inspect_evidence_json(document))
    return report


def validate_policy(
    policy: Document,
    attestors: Union[Document, Sequence[Mapping[str, Any]], None] = None,
    *,
    platform: str = "gke",
) -> Validation:
    """Validates a policy and lints it, as ``vouch policy lint``: never raises for bad input.

    ``policy`` is its YAML/JSON text or the parsed dict; ``attestors`` (optional: enables the
    attestor checks) is text or data holding one attestor, a list, or ``{"attestors": [...]}``.
    ``platform`` is the platform the policy is linted for, ``"gke"`` or ``"cloud-run"`` (as
    ``--platform``: Cloud Run applies only the default rule, the allowlist and the system
    policy; docs/lint.md); another value raises ``ValueError``. The result's ``errors`` hold
    the first configuration error (paths into the policy, or under ``/attestors``);
    ``warnings`` the likely mistakes of a valid policy (docs/lint.md).
    """
    policy_text = _text(policy, "the policy")
    attestors_text = None if attestors is None else _text(attestors, "attestors")
    return Validation(*_vouch.validate_policy(policy_text, attestors_text, platform))


def lint(policy: Policy, attestors: Iterable[Attestor] = (), *, platform: str = "gke") -> Tuple[LintWarning, ...]:
    """The lint warnings of a loaded policy; ``attestors`` enables the attestor checks.

    The same warnings as ``validate_policy`` gives for the policy's and attestors' documents
    and the same ``platform`` (``"gke"`` or ``"cloud-run"``; another value raises
    ``ValueError``).
    """
    natives = _native_attestors(policy, attestors)
    return warnings_from(json.loads(_vouch.lint(policy._native, natives, platform)))


for _public in (
    AttestorError, AttestorResult, BundleError, CheckResult, CheckSetResult, ClusterConfigError,
    Decision, Detail, Exemption, ImageResult, LintWarning, PlatformDetail, PlatformImageResult,
    PlatformPolicyError, PlatformResult, PodResult, PolicyError, Reason, RequestError, Rule,
    SigningKey, Validation, Verdict, VouchError,
):  # fmt: skip
    _public.__module__ = __name__
del _public
