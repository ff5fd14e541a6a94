// vouch: offline, deterministic Binary Authorization policy evaluation, as WebAssembly.
//
// Hand-written types for the npm packages that scripts/test-wasm generates into
// bindings/wasm/pkg/node (CommonJS) and bindings/wasm/pkg/web (ES module, plus `init`).
// Field names and enum values are the contract's (docs/formats.md); `tsc --noEmit` checks these
// declarations against the built packages, and the Node tests check that every runtime export is
// declared here.

// ---------------------------------------------------------------------------------------------
// Inputs

/** The YAML or JSON text of a document, exactly as a user pasted it. */
export type DocumentText = string;

export type GlobalPolicyEvaluationMode =
  | 'ENABLE'
  | 'DISABLE'
  | 'GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED';
export type EvaluationMode = 'ALWAYS_ALLOW' | 'REQUIRE_ATTESTATION' | 'ALWAYS_DENY';
export type EnforcementMode = 'ENFORCED_BLOCK_AND_AUDIT_LOG' | 'DRYRUN_AUDIT_LOG_ONLY';

/** An allowlist entry: an exact image, or a prefix ending in `*` or `**`. */
export interface AdmissionWhitelistPattern {
  namePattern: string;
}

export interface AdmissionRule {
  evaluationMode: EvaluationMode;
  enforcementMode: EnforcementMode;
  /** `projects/P/attestors/A`; non-empty exactly when `evaluationMode` is `REQUIRE_ATTESTATION`. */
  requireAttestationsBy?: string[] | null;
}

/** A project policy as `gcloud container binauthz policy export` writes it. */
export interface Policy {
  /** Output only, ignored. */
  name?: string;
  description?: string;
  globalPolicyEvaluationMode?: GlobalPolicyEvaluationMode;
  admissionWhitelistPatterns?: AdmissionWhitelistPattern[] | null;
  defaultAdmissionRule: AdmissionRule;
  /** Keyed `LOCATION.NAME`. */
  clusterAdmissionRules?: Record<string, AdmissionRule> | null;
  /** Keyed by namespace. */
  kubernetesNamespaceAdmissionRules?: Record<string, AdmissionRule> | null;
  /** Keyed `NAMESPACE:SERVICE_ACCOUNT`. */
  kubernetesServiceAccountAdmissionRules?: Record<string, AdmissionRule> | null;
  /** Keyed `[spiffe://]DOMAIN/ns/NS/sa/SA`. */
  istioServiceIdentityAdmissionRules?: Record<string, AdmissionRule> | null;
  /** Output only, ignored. */
  updateTime?: string;
  /** Output only, ignored. */
  etag?: string;
}

/** The Google-maintained allowlist, consulted first when the policy says `ENABLE`. */
export interface SystemPolicy {
  admissionWhitelistPatterns?: AdmissionWhitelistPattern[] | null;
  name?: string;
  description?: string;
  updateTime?: string;
  etag?: string;
  globalPolicyEvaluationMode?: GlobalPolicyEvaluationMode;
  defaultAdmissionRule?: AdmissionRule;
}

export interface PkixPublicKey {
  /** PEM of the SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`). */
  publicKeyPem: string;
  /** `ECDSA_P256_SHA256`, `EC_SIGN_P256_SHA256`, `ED25519`, …; aliases and dashed lower case accepted. */
  signatureAlgorithm?: string;
  keyId?: string;
}

export interface AttestorPublicKey {
  /** The id signatures carry in `publicKeyId`; defaults to `ni:///sha-256;…` of the key. */
  id?: string;
  comment?: string;
  pkixPublicKey?: PkixPublicKey;
  /** The armored OpenPGP key, or (Kritis' form, with `keyType: 'PGP'`) its base64. */
  asciiArmoredPgpPublicKey?: string;
  /** Kritis' form: `PGP` or `PKIX`; must agree with the key material given. */
  keyType?: string;
  /** Kritis' form of `id`. */
  keyId?: string;
}

export interface AttestorNote {
  /** `projects/P/notes/N`. */
  noteReference: string;
  publicKeys?: AttestorPublicKey[] | null;
  delegationServiceAccountEmail?: string;
}

/** An attestor resource as `gcloud container binauthz attestors describe --format=json` prints it. */
export interface Attestor {
  /** `projects/P/attestors/A`. */
  name: string;
  description?: string;
  /** v1; give this or `userOwnedDrydockNote`. */
  userOwnedGrafeasNote?: AttestorNote;
  /** v1beta1, same shape. */
  userOwnedDrydockNote?: AttestorNote;
  updateTime?: string;
  etag?: string;
}

/** Attestors: one, a list (elements may be text), `{attestors: […]}`, or the text of any of these. */
export type Attestors = Attestor | Array<Attestor | DocumentText> | { attestors: Attestor[] } | DocumentText;

export interface OccurrenceSignature {
  publicKeyId: string;
  /** Base64 (standard or URL-safe, padded or not). */
  signature: string;
}

/**
 * A Grafeas attestation occurrence. Evidence is read leniently: unknown fields are ignored, and
 * a malformed occurrence never fails a call; the decision says why it did not count.
 */
export interface Occurrence {
  name?: string;
  /** The image, `…@sha256:…` (an `https://` prefix is accepted). */
  resourceUri?: string;
  noteName?: string;
  kind?: string;
  attestation?: {
    /** Base64 of the simple-signing payload bytes. */
    serializedPayload?: string;
    signatures?: OccurrenceSignature[];
    jwts?: Array<{ compactJwt?: string }>;
    /** Legacy v1beta1 bodies (`genericSignedAttestation`, `pgpSignedAttestation`). */
    attestation?: Record<string, unknown>;
    [field: string]: unknown;
  };
  createTime?: string;
  updateTime?: string;
  [field: string]: unknown;
}

/** Attestations: a list (elements may be text), one occurrence, `{occurrences: […]}`, or text. */
export type Attestations =
  | Array<Occurrence | DocumentText>
  | Occurrence
  | { occurrences: Occurrence[]; nextPageToken?: string }
  | DocumentText;

/** A Kubernetes object (Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
 * ReplicationController), or a Cloud Run service or job: v1 (`serving.knative.dev/v1` `Service`,
 * `run.googleapis.com/v1` `Job`), or the v2 REST object, which has no `apiVersion` and no `kind`
 * and is recognized by its `name` (`projects/P/locations/L/services/S`, `…/jobs/J`). */
export interface Workload {
  apiVersion?: string;
  /** Required, except in a Cloud Run v2 object. */
  kind?: string;
  /** A Cloud Run v2 object's resource name. */
  name?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What is being admitted: `images` or `workload` (not both), and where it goes. */
export interface Request {
  images?: string[];
  /** The object, or its YAML or JSON text: a Kubernetes workload, or a Cloud Run service or
   * job (v1 `gcloud run … describe` output, or the v2 REST object). */
  workload?: Workload | DocumentText;
  /** Default: the workload's, else `default`. */
  namespace?: string;
  /** Default: the pod spec's `serviceAccountName`, else `default`. */
  serviceAccount?: string;
  /** `LOCATION.NAME`, e.g. `us-central1-a.prod-cluster`. */
  cluster?: string;
  /** `[spiffe://]DOMAIN/ns/NS/sa/SA`. */
  meshIdentity?: string;
  /** Merged over the pod's; `image-policy.k8s.io/break-glass: "true"` is break-glass. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Cloud Run only: container name (`""`: the only container) → `REPOSITORY@sha256:…` or
   * `sha256:…`, used with `options.useResolvedDigest`. */
  resolvedDigests?: Record<string, string>;
}

export interface Options {
  /** The payload's `docker-reference` must also equal the image's repository (default false). */
  strictIdentity?: boolean;
  /** Only attestations signed at most this long before `now` count, by their signed
   * `optional.timestamp`: `"30d"`, `"12h"`, `"1d12h"`, `"90m"`, `"3600s"`. */
  maxAttestationAge?: string | null;
  /** With `maxAttestationAge`, measure attestations without a signed time from their
   * occurrence's unsigned `createTime` (the decision then says so). */
  trustOccurrenceTime?: boolean;
  /** Cloud Run: evaluate an image written with a tag as the digest Cloud Run resolved it to
   * (the object's status or `request.resolvedDigests`); the decision's
   * `cloudRun.resolvedDigests` says what was used. */
  useResolvedDigest?: boolean;
}

/** The configuration members of a bundle, compiled once by `new Evaluator(…)`. */
export interface EvaluatorConfig {
  /** The policy object, or its YAML or JSON text. */
  policy: Policy | DocumentText;
  attestors?: Attestors | null;
  /** Object or text; when absent the built-in list of GKE system images is used. */
  systemPolicy?: SystemPolicy | DocumentText | null;
  /**
   * Cloud Run platform policies (`projects/P/platforms/cloudRun/policies/N`, each an object or
   * its text; one stands for a list of one): a Cloud Run service or job bound to one by name is
   * decided by it (docs/semantics.md §9.5, a preview).
   */
  cloudRunPolicies?: CloudRunPolicy | DocumentText | (CloudRunPolicy | DocumentText)[] | null;
}

/** A Cloud Run platform policy (docs/formats.md, § Cloud Run platform policy). */
export interface CloudRunPolicy {
  name: string;
  description?: string;
  cloudRunPolicy: {
    allowlistPatterns?: { namePattern: string }[];
    rule: {
      evaluationMode: 'ALWAYS_ALLOW' | 'REQUIRE_ATTESTATION' | 'ALWAYS_DENY';
      enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' | 'DRYRUN_AUDIT_LOG_ONLY';
      requiredAttestors?: {
        id: string;
        description?: string;
        attestationNote: string;
        publicKeys?: AttestorPublicKey[];
      }[];
    };
  };
  updateTime?: string;
  etag?: string;
}

/** The per-request members of a bundle, for `Evaluator.evaluate`. */
export interface EvaluationInput {
  request: Request;
  attestations?: Attestations | null;
  /** RFC 3339, e.g. `2026-11-23T10:00:00Z`: the library never reads a clock. */
  now: string;
  options?: Options | null;
  /**
   * The cluster's `binaryAuthorization` block (`gcloud container clusters describe
   * --format=json`, or the whole output): the decision is then what that cluster does at
   * admission (docs/semantics.md §8).
   */
  clusterConfig?: unknown;
}

/** Everything in one document. `description` is ignored; the test vectors' `expect` and `expectError` are not bundle keys (the runners strip them). */
export interface Bundle extends EvaluatorConfig, EvaluationInput {
  description?: string;
}

// ---------------------------------------------------------------------------------------------
// Outputs

export type Verdict = 'ALLOW' | 'DENY' | 'DRY_RUN_ALLOW' | 'BREAK_GLASS_ALLOW';
export type RuleKind = 'DEFAULT' | 'CLUSTER' | 'NAMESPACE' | 'SERVICE_ACCOUNT' | 'ISTIO_IDENTITY';
export type Outcome = 'EXEMPT' | 'CONFORMANT' | 'VIOLATION';
export type ReasonCode = 'ALWAYS_DENY' | 'NOT_DIGEST_PINNED' | 'NO_VALID_ATTESTATION';
/** Why a candidate attestation did not count. New codes may be added. */
export type DetailCode =
  | 'UNKNOWN_KEY_ID'
  | 'BAD_SIGNATURE'
  | 'DIGEST_MISMATCH'
  | 'IDENTITY_MISMATCH'
  | 'MALFORMED_PAYLOAD'
  | 'MALFORMED_ATTESTATION'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_ATTESTATION_FORMAT'
  | 'NO_KEYS'
  | 'NOT_TRIED_BUDGET'
  | 'PGP_KEY_REVOKED'
  | 'PGP_KEY_EXPIRED'
  | 'PGP_KEY_NOT_FOR_SIGNING'
  | 'PGP_KEY_UNBOUND'
  | 'PGP_SIGNATURE_EXPIRED'
  | 'PGP_SIGNATURE_IN_FUTURE'
  | 'PGP_SIGNATURE_BEFORE_KEY'
  | 'PGP_UNKNOWN_CRITICAL_SUBPACKET'
  | 'PGP_DECOMPRESSED_TOO_LARGE'
  | 'ATTESTATION_TOO_OLD'
  | 'NO_SIGNED_TIME'
  | 'SIGNED_TIME_IN_FUTURE'
  | (string & {});

/** The rule that applied. */
export interface RuleRef {
  kind: RuleKind;
  /** The rule's key; `null` for `DEFAULT`. */
  key: string | null;
  evaluationMode: EvaluationMode;
  enforcementMode: EnforcementMode;
}

export interface Exemption {
  source: 'SYSTEM_POLICY' | 'ALLOWLIST';
  /** The first matching pattern, in list order. */
  pattern: string;
}

/** A candidate attestation that did not count, and why. */
export interface Detail {
  /** The occurrence `name`, `#N` for a nameless one, `null` for `NO_KEYS`. */
  occurrence: string | null;
  code: DetailCode;
  message: string;
}

export interface Reason {
  code: ReasonCode;
  /** The unsatisfied attestor; `null` for `ALWAYS_DENY`. */
  attestor: string | null;
  message: string;
  details: Detail[];
}

export interface AttestorResult {
  attestor: string;
  satisfied: boolean;
  /** The occurrence that satisfied it, else `null`. */
  occurrence: string | null;
  keyId: string | null;
  signedForm: 'RAW' | 'PAE' | null;
  /** Under `maxAttestationAge`, for a satisfied attestor: the time its age was measured from. */
  signedTime?: string;
  /** Under `maxAttestationAge`: `SIGNED_PAYLOAD`, or `OCCURRENCE_CREATE_TIME` (unsigned, opted in). */
  timeSource?: 'SIGNED_PAYLOAD' | 'OCCURRENCE_CREATE_TIME';
}

export interface ImageResult {
  /** The image exactly as written in the request or pod spec. */
  image: string;
  /** The container name; `null` when the request gave `images`, or for an image volume. */
  container: string | null;
  /** The image volume's name (`volumes[].image.reference`); absent for every other image. */
  volume?: string;
  outcome: Outcome;
  exemption: Exemption | null;
  reasons: Reason[];
  /** Empty unless the rule requires attestations and the image is not exempt. */
  attestors: AttestorResult[];
}

export type AuditAnnotationKey =
  | 'imagepolicywebhook.image-policy.k8s.io/break-glass'
  | 'imagepolicywebhook.image-policy.k8s.io/dry-run'
  | 'imagepolicywebhook.image-policy.k8s.io/overridden-verification-result';

/** The decision: the contract's JSON, parsed. */
export interface Decision {
  /** False only for `DENY`. */
  allowed: boolean;
  verdict: Verdict;
  rule: RuleRef;
  images: ImageResult[];
  /** The denial (or overridden denial) text, as GKE words it; `null` when nothing violated. */
  message: string | null;
  auditAnnotations: Partial<Record<AuditAnnotationKey, string>>;
  /** `null` when the system policy was not consulted. */
  systemPolicySource: 'CALLER' | 'BUILT_IN' | null;
  /** Present only with a `clusterConfig`: what the cluster's evaluation mode did. */
  cluster?: ClusterDecision;
  /** Present only for a Cloud Run service or job (docs/semantics.md §9). */
  cloudRun?: CloudRunDecision;
}

/** One image under `useResolvedDigest`. */
export interface DigestEntry {
  container: string | null;
  /** The image as the resource writes it. */
  written: string;
  resolved: string | null;
  source: 'STATUS' | 'REQUEST' | null;
  result:
    | 'RESOLVED'
    | 'NOT_RESOLVED'
    | 'PINNED'
    | 'DIGEST_MISMATCH'
    | 'REPOSITORY_MISMATCH'
    | 'STALE_STATUS';
}

/** The decision's `cloudRun` member. */
export interface CloudRunDecision {
  resource: 'SERVICE' | 'JOB';
  name: string | null;
  binaryAuthorization: 'NOT_ENABLED' | 'DEFAULT' | 'NAMED_POLICY';
  /** The named Cloud Run platform policy, for `NAMED_POLICY`. */
  policy?: string;
  /** Whether a policy decided (the project policy, or the named Cloud Run policy when it was
   * supplied); when false, `images` is empty and `reason` says why. */
  enforced: boolean;
  reason?: 'BINARY_AUTHORIZATION_NOT_ENABLED' | 'NAMED_POLICY_NOT_SUPPLIED' | (string & {});
  /** Present (possibly empty) when break-glass was requested. */
  breakGlassJustification?: string;
  /** The project policy's rules that have no effect on Cloud Run. */
  ignoredRules: { kind: RuleKind; key: string }[];
  /** Only under `useResolvedDigest`. */
  resolvedDigests?: DigestEntry[];
}

/** A cluster's evaluation mode (`binaryAuthorization.evaluationMode`). */
export type ClusterEvaluationMode =
  | 'DISABLED'
  | 'PROJECT_SINGLETON_POLICY_ENFORCE'
  | 'POLICY_BINDINGS'
  | 'POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE';

/** The decision's `cluster` member. */
export interface ClusterDecision {
  evaluationMode: ClusterEvaluationMode;
  /** Whether the project policy decided admission; when false, `images` is empty. */
  enforced: boolean;
  /** Why admission was not gated, when it was not. */
  reason?: 'CLUSTER_DISABLED' | 'CLUSTER_MONITORS_ONLY';
  /** The bound platform policies (monitored by continuous validation, never gating). */
  monitoredPolicies: string[];
}

/** A configuration error: stable code (docs/errors.md), JSON pointer, message for people. */
export interface ErrorBody {
  /** `POLICY_INVALID_PATTERN`, `REQUEST_NO_IMAGES`, …; grouped by prefix `INPUT_`, `POLICY_`, `ATTESTOR_`, `REQUEST_`, `BUNDLE_`. */
  code: string;
  /** JSON pointer into the input (the bundle, for `evaluate`), `""` for the whole input. */
  path: string;
  message: string;
}

/** The contract's error JSON, parsed: what `evaluate` returns instead of throwing. */
export interface ErrorResult {
  error: ErrorBody;
}

/** The result of `validatePolicy`. */
export interface ValidationResult {
  ok: boolean;
  /** Empty when `ok`; otherwise the first error, with its path into the policy document. */
  errors: ErrorBody[];
  /**
   * Lint findings for a policy that loads (empty when it does not): the same warnings, in the
   * same order, as `vouch policy lint --json` and Python's `validate_policy`.
   */
  warnings: LintWarning[];
}

/** A lint finding of `validatePolicy` (codes in docs/lint.md). */
export interface LintWarning {
  /** Stable code, e.g. `PATTERN_COVERS_LOOKALIKES`. */
  code: string;
  /** JSON pointer of the field in the policy (or `/attestors/...`). */
  path: string;
  /** What is wrong. */
  message: string;
  /** How to fix it, in one line. */
  fix: string;
}

/** A parsed image reference (distribution grammar, kept verbatim). */
export interface ParsedImageRef {
  ok: true;
  /** The reference exactly as given. */
  reference: string;
  /** The registry (domain and optional port), or `null` when the reference names none. */
  registry: string | null;
  /** The repository path, without registry, tag or digest. */
  path: string;
  /** Registry and path as written: the simple-signing `docker-reference`. */
  repository: string;
  tag: string | null;
  /** `algorithm:hex`, or `null`. */
  digest: string | null;
  /** Docker's familiar-name normalization (`busybox` → `docker.io/library/busybox:latest`), or `null` if it does not apply. */
  normalized: string | null;
}

/** `parseImageRef` on a string that is not an image reference (code `REQUEST_INVALID_IMAGE`, path `""`). */
export interface ImageRefError {
  ok: false;
  error: ErrorBody;
}

/** What the `Evaluator` constructor throws for a configuration error. */
export interface VouchError extends Error {
  name: 'VouchError';
  code: string;
  /** JSON pointer into the configuration (`/policy/…`, `/attestors/0/…`). */
  path: string;
}

// ---------------------------------------------------------------------------------------------
// Functions

/**
 * Evaluates a bundle (an object, or its JSON or YAML text). Returns the decision, or the
 * contract's error object for a configuration error. Never throws.
 */
export function evaluate(bundle: Bundle | DocumentText): Decision | ErrorResult;

/** The exact bytes of the core's bundle entry point: decision JSON or error JSON. */
export function evaluateJson(bundle: DocumentText): string;

/** An evidence report item (docs/formats.md, "Evidence report"). */
export interface EvidenceItem {
  kind: string;
  name: string;
  status: 'VERIFIED' | 'UNVERIFIED' | 'REJECTED' | 'UNSIGNED' | 'UNSUPPORTED';
  code: string;
  message: string;
  keyId?: string;
  signedTime?: string;
  witnessedTime?: string;
  recordedTime?: string;
  facts?: { [fact: string]: unknown };
}

/** What `vouch evidence inspect --output json` prints. */
export interface EvidenceReport {
  images: { digest: string; items: EvidenceItem[] }[];
  withoutDigest?: EvidenceItem[];
  unknownKinds?: { [kind: string]: number };
  itemsRead: number;
}

/** The input of `inspectEvidence`: a bundle's evidence members, trust material and an image. */
export interface InspectionInput {
  attestations?: unknown;
  attestors?: unknown;
  trust?: unknown;
  image?: string;
  now: string;
}

/** Inspects evidence; never throws (errors come back as `{error}`). */
export function inspectEvidence(input: InspectionInput | DocumentText): EvidenceReport | ErrorResult;
/** The core's exact output bytes of `inspectEvidence` for input given as text. */
export function inspectEvidenceJson(input: DocumentText): string;

/** A verdict of the platform-policy evaluation, at any level. */
export type PlatformVerdict = 'CONFORMANT' | 'NON_CONFORMANT' | 'ERROR';

/** `AllowlistResult`: the pattern, as written, that exempted the image. */
export interface AllowlistResult {
  matchedPattern: string;
}

/** `CheckResult`, with vouch's stable `details` (docs/semantics.md §7). */
export interface PlatformCheckResult {
  /** int64 as a decimal string. */
  index: string;
  displayName?: string;
  /** `TrustedDirectoryCheck`, `ImageFreshnessCheck`, …, `AlwaysDeny`. */
  type: string;
  allowlistResult?: AllowlistResult;
  evaluationResult?: { verdict: PlatformVerdict };
  explanation?: string;
  details?: { code: string; message: string }[];
}

/** `CheckSetResult`. */
export interface PlatformCheckSetResult {
  index: string;
  displayName?: string;
  scope?: { kubernetesServiceAccount?: string; kubernetesNamespace?: string };
  allowlistResult?: AllowlistResult;
  checkResults?: { results: PlatformCheckResult[] };
  explanation?: string;
}

/** `ImageResult`. */
export interface PlatformImageResult {
  imageUri: string;
  verdict: PlatformVerdict;
  allowlistResult?: AllowlistResult;
  checkSetResult?: PlatformCheckSetResult;
  explanation?: string;
}

/** Binary Authorization's `EvaluateGkePolicyResponse`, as `vouch platform evaluate --output json` prints it. */
export interface PlatformResponse {
  verdict: PlatformVerdict;
  results: {
    podName?: string;
    kubernetesNamespace?: string;
    kubernetesServiceAccount?: string;
    verdict: PlatformVerdict;
    imageResults: PlatformImageResult[];
  }[];
}

/** The input of `evaluatePlatform`. */
export interface PlatformInput {
  /** The platform policy (an object, or its YAML or JSON text). */
  platformPolicy: unknown;
  /** `{images: [...]}` (the default check set, as `gcloud … policy evaluate --image`) or `{workload}`. */
  request: Request | DocumentText;
  attestations?: unknown;
  trust?: unknown;
  now: string;
  options?: { tagDigests?: { [image: string]: string } };
}

/** Evaluates a GKE platform policy; never throws (errors come back as `{error}`). */
export function evaluatePlatform(input: PlatformInput | DocumentText): PlatformResponse | ErrorResult;
/** The core's exact output bytes of `evaluatePlatform` for input given as text. */
export function evaluatePlatformJson(input: DocumentText): string;

/** The input of `continuousValidation`. */
export interface ContinuousValidationInput {
  /** Policy name (`projects/NUMBER/platforms/gke/policies/ID`) → platform policy (object or text). */
  platformPolicies?: { [name: string]: unknown };
  /** `kubectl get pods -A -o json` (a v1 `List` of Pods), or its text. */
  pods: unknown;
  attestations?: unknown;
  trust?: unknown;
  /** `PROJECT/LOCATION/NAME`: wraps each event in its Cloud Logging entry. */
  cluster?: string;
  /** The cluster's `binaryAuthorization` block (P-12): which bound policies are monitored. */
  clusterConfig?: unknown;
  now: string;
  options?: { tagDigests?: { [image: string]: string } };
}

/** What continuous validation would log: `vouch cv`'s JSON lines (`entries`), its errors and summary. */
export interface ContinuousValidationReport {
  /** Cloud Logging entries (with `cluster`), or bare `ContinuousValidationEvent`s. */
  entries: { [field: string]: unknown }[];
  errors: { [field: string]: unknown }[];
  summary: { [field: string]: unknown };
}

/** Continuous validation of a Pod snapshot; never throws (errors come back as `{error}`). */
export function continuousValidation(input: ContinuousValidationInput | DocumentText): ContinuousValidationReport | ErrorResult;
/** The core's exact output bytes of `continuousValidation` for input given as text. */
export function continuousValidationJson(input: DocumentText): string;

/** The configuration members of a replay document (decisions X-1 … X-4; docs/guides/replay.md). */
export interface ReplayConfig {
  /** The candidate project policy (object or text). */
  policy: unknown;
  /** A baseline policy to compare with instead of the logged outcomes. */
  baseline?: unknown;
  attestors?: unknown;
  attestations?: unknown;
  systemPolicy?: unknown;
  /** `LOCATION.NAME` for entries that name no cluster (Kubernetes audit Events, snapshots). */
  cluster?: string;
  /** Evaluate every event at this time instead of its own (RFC 3339). */
  now?: string;
  options?: { strictIdentity?: boolean };
}

/** What to replay: one of `entries`, `log` and `logBase64`. */
export type ReplayInput = ReplayConfig & (
  /** Log entries (objects, or lines of JSON text), cluster snapshots or Cloud Run resources. */
  | { entries: unknown[]; log?: never; logBase64?: never }
  /** A log file's text (JSON lines, JSON arrays, or one document), split as `vouch replay` splits a file; records name their source `log`. */
  | { log: string; entries?: never; logBase64?: never }
  /** A log file's bytes in base64 (a file that may not be UTF-8), split as `log` is. */
  | { logBase64: string; entries?: never; log?: never }
);

/** One replayed event, or one malformed entry (`error`). */
export interface ReplayRecord {
  source: string;
  /** The entry's position (1-based). */
  entry: number;
  format?: 'KUBERNETES_AUDIT' | 'CLOUD_AUDIT_LOG' | 'BIGQUERY' | 'SNAPSHOT' | 'CLOUD_RUN';
  change?: 'SAME' | 'NEWLY_BLOCKED' | 'NEWLY_ADMITTED' | 'CHANGED' | 'NOT_COMPARABLE';
  logged?: { outcome: string; message: string | null };
  candidate?: { verdict: Verdict; class: string; rule: { [field: string]: unknown }; message: string | null; violations: { image: string; container: string | null; reasons: string[] }[] };
  error?: { code: string; path: string; message: string };
  [field: string]: unknown;
}

/** What `replay` gives: the records and the summary (`vouch replay --summary`). */
export interface ReplayResult {
  records: ReplayRecord[];
  summary: { [field: string]: unknown };
}

/** Replays audit log entries under a candidate policy; never throws (errors come back as `{error}`). */
export function replay(input: ReplayInput | DocumentText): ReplayResult | ErrorResult;
/** The core's exact output bytes of `replay` for input given as text. */
export function replayJson(input: DocumentText): string;

/** The platform a policy is linted for (`vouch policy lint --platform`, docs/lint.md). */
export type LintPlatform = 'gke' | 'cloud-run';

/** Options of `validatePolicy` (also accepted as their JSON text). */
export interface LintOptions {
  /**
   * `gke` (the default), or `cloud-run`: only the default rule, the allowlist and the system
   * policy apply there, so every other rule is reported (`CLOUD_RUN_RULE_IGNORED`), and a
   * default rule requiring attestations must exempt
   * `REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/**`
   * (`CLOUD_RUN_SOURCE_DEPLOY_NOT_EXEMPT`).
   */
  platform?: LintPlatform;
}

/**
 * Validates and lints a policy (an object, or its YAML or JSON text), optionally with its
 * attestors (one attestor, a list, `{attestors: [...]}`, or their text), which enables the
 * attestor checks (attestors without keys, required attestors not supplied), for the platform
 * of `options` (GKE by default). Error paths point into the policy document, or start with
 * `/attestors`; invalid options are `BUNDLE_INVALID_OPTIONS` under `/options`. Never throws.
 */
export function validatePolicy(
  policy: Policy | DocumentText,
  attestors?: Attestors | null,
  options?: LintOptions | DocumentText | null,
): ValidationResult;

/** Parses an image reference by the distribution grammar. Never throws. */
export function parseImageRef(reference: string): ParsedImageRef | ImageRefError;

/** The version of the vouch library inside this module. */
export function version(): string;

/** A policy with its attestors and system policy, compiled once for many evaluations. */
export class Evaluator {
  /**
   * Compiles `{policy, attestors, systemPolicy, cloudRunPolicies}` (an object or its text).
   * @throws {VouchError} for a configuration error, with `code` and `path` as in a bundle.
   */
  constructor(config: EvaluatorConfig | DocumentText);
  /** Decides `{request, attestations, now, options}`; same result as `evaluate` on the whole bundle. Never throws. */
  evaluate(input: EvaluationInput | DocumentText): Decision | ErrorResult;
  /** `evaluate` on text, returning the core's exact output bytes. */
  evaluateJson(input: DocumentText): string;
  /** Releases the compiled policy now instead of at garbage collection. */
  free(): void;
  [Symbol.dispose](): void;
}

