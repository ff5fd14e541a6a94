// Type-level tests of the Node package (checked by `tsc --noEmit`, never run): the API as a
// TypeScript user writes it, against the hand-written declarations shipped in pkg/node.
import {
  evaluate,
  evaluateJson,
  Evaluator,
  parseImageRef,
  validatePolicy,
  version,
  type Bundle,
  type Decision,
  type ErrorResult,
  type EvaluationInput,
  type EvaluatorConfig,
  type ImageResult,
  type ParsedImageRef,
  type ValidationResult,
  type VouchError,
} from '../../pkg/node/vouch_wasm.js';

const policy = `defaultAdmissionRule:
  evaluationMode: REQUIRE_ATTESTATION
  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
  requireAttestationsBy: [projects/p/attestors/ci]
`;
const config: EvaluatorConfig = {
  policy,
  attestors: [{ name: 'projects/p/attestors/ci', userOwnedGrafeasNote: { noteReference: 'projects/p/notes/ci', publicKeys: [] } }],
};
const input: EvaluationInput = {
  request: { images: ['gcr.io/p/app@sha256:' + '0'.repeat(64)], cluster: 'us-central1-a.prod', labels: { 'image-policy.k8s.io/break-glass': 'true' } },
  attestations: [],
  now: '2026-11-23T10:00:00Z',
  options: { strictIdentity: true },
};
const bundle: Bundle = { ...config, ...input, description: 'a bundle is both halves' };

function verdictOf(result: Decision | ErrorResult): string {
  if ('error' in result) {
    const { code, path, message }: { code: string; path: string; message: string } = result.error;
    return `${code} at ${path}: ${message}`;
  }
  const first: ImageResult | undefined = result.images[0];
  const details = first?.reasons.flatMap((r) => r.details.map((d) => `${d.occurrence ?? '-'} ${d.code}`)) ?? [];
  const key: string | null = result.rule.key;
  return `${result.verdict} ${result.allowed} ${key ?? 'default'} ${details.join(',')} ${result.message ?? ''}`;
}

verdictOf(evaluate(bundle));
verdictOf(evaluate(JSON.stringify(bundle)));
const bytes: string = evaluateJson(JSON.stringify(bundle));

const validation: ValidationResult = validatePolicy(policy);
const firstPath: string | undefined = validation.ok ? undefined : validation.errors[0]?.path;
validatePolicy({ defaultAdmissionRule: { evaluationMode: 'ALWAYS_ALLOW', enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY' } });
validatePolicy(policy, null, { platform: 'cloud-run' });
validatePolicy(policy, undefined, { platform: 'gke' });

const parsed = parseImageRef('busybox');
if (parsed.ok) {
  const ref: ParsedImageRef = parsed;
  const parts: Array<string | null> = [ref.registry, ref.path, ref.repository, ref.tag, ref.digest, ref.normalized];
  void parts;
} else {
  const code: string = parsed.error.code;
  void code;
}

try {
  const evaluator = new Evaluator(config);
  verdictOf(evaluator.evaluate(input));
  const again: string = evaluator.evaluateJson(JSON.stringify(input));
  evaluator.free();
  void again;
} catch (e) {
  const error = e as VouchError;
  const where: string = `${error.name} ${error.code} ${error.path} ${error.message}`;
  void where;
}
{
  using scoped = new Evaluator(JSON.stringify(config));
  scoped.evaluate(JSON.stringify(input));
}

const v: string = version();
void [bytes, firstPath, v];

// @ts-expect-error: a rule's evaluation mode is one of the documented values.
validatePolicy({ defaultAdmissionRule: { evaluationMode: 'SOMETIMES', enforcementMode: 'DRYRUN_AUDIT_LOG_ONLY' } });
// @ts-expect-error: the platform is `gke` or `cloud-run`.
validatePolicy(policy, null, { platform: 'cloudRun' });
// @ts-expect-error: a request needs `now`.
new Evaluator(config).evaluate({ request: { images: [] } });
