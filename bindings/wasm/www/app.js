// The policy preview: editors in, vouch's decision out, re-evaluated as you type.
// Everything runs in the page: the WebAssembly module decides, this file only renders.
import init, { evaluate, evaluatePlatform, validatePolicy, version } from './pkg/vouch_wasm.js';
import { PRESETS } from './presets.js';

const DEBOUNCE_MS = 200;
const BREAK_GLASS_LABEL = 'image-policy.k8s.io/break-glass';
const $ = (selector, root = document) => root.querySelector(selector);
const projectForm = $('#inputs');
const platformForm = $('#platform-inputs');
const modeForm = $('#mode-form');
let form = projectForm;
const result = $('#result');
const fields = {
  policy: $('#policy'),
  workload: $('#workload'),
  images: $('#images'),
  cluster: $('#cluster'),
  namespace: $('#namespace'),
  serviceAccount: $('#serviceAccount'),
  meshIdentity: $('#meshIdentity'),
  now: $('#now'),
  attestors: $('#attestors'),
  attestations: $('#attestations'),
  breakGlass: $('#breakGlass'),
  platformPolicy: $('#platformPolicy'),
  platformWorkload: $('#platformWorkload'),
  platformImages: $('#platformImages'),
  platformNow: $('#platformNow'),
  evidence: $('#evidence'),
};

/** `project` (the project policy and its attestors) or `platform` (a GKE platform policy). */
const mode = () => modeForm.elements.mode.value;

/** `h('div', {class: 'x'}, child, 'text', …)`: DOM nodes without innerHTML (inputs are untrusted). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.includes('-') || key === 'title' || key === 'role') node.setAttribute(key, value);
    else if (key === 'class') node.className = value;
    else node[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ------------------------------------------------------------------------------------------
// The form, as a bundle

const kind = () => projectForm.elements.kind.value;
const platformKind = () => platformForm.elements.platformKind.value;

/** The platform form as `evaluatePlatform`'s document. */
function platformDocumentFromForm() {
  const request = platformKind() === 'workload'
    ? { workload: fields.platformWorkload.value }
    : { images: fields.platformImages.value.split('\n').map((s) => s.trim()).filter(Boolean) };
  const doc = { platformPolicy: fields.platformPolicy.value, request, now: fields.platformNow.value.trim() };
  if (fields.evidence.value.trim()) doc.attestations = fields.evidence.value;
  return doc;
}

function bundleFromForm() {
  const request = {};
  if (kind() === 'workload') request.workload = fields.workload.value;
  else request.images = fields.images.value.split('\n').map((s) => s.trim()).filter(Boolean);
  for (const key of ['cluster', 'namespace', 'serviceAccount', 'meshIdentity']) {
    const value = fields[key].value.trim();
    if (value) request[key] = value;
  }
  if (fields.breakGlass.checked) request.labels = { [BREAK_GLASS_LABEL]: 'true' };
  const bundle = { policy: fields.policy.value, request, now: fields.now.value.trim() };
  if (fields.attestors.value.trim()) bundle.attestors = fields.attestors.value;
  if (fields.attestations.value.trim()) bundle.attestations = fields.attestations.value;
  return bundle;
}

const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function loadPreset(preset) {
  if (preset.mode === 'platform') {
    loadPlatformPreset(preset);
    return;
  }
  const { bundle } = preset;
  const request = bundle.request ?? {};
  fields.policy.value = asText(bundle.policy ?? '');
  fields.attestors.value = bundle.attestors === undefined ? '' : asText(bundle.attestors);
  fields.attestations.value = bundle.attestations === undefined ? '' : asText(bundle.attestations);
  const isImages = Array.isArray(request.images);
  projectForm.elements.kind.value = isImages ? 'images' : 'workload';
  fields.images.value = isImages ? request.images.join('\n') : '';
  fields.workload.value = request.workload === undefined ? '' : asText(request.workload);
  for (const key of ['cluster', 'namespace', 'serviceAccount', 'meshIdentity']) fields[key].value = request[key] ?? '';
  fields.breakGlass.checked = request.labels?.[BREAK_GLASS_LABEL] === 'true';
  fields.now.value = bundle.now ?? '';
  showKind();
  for (const textarea of projectForm.querySelectorAll('textarea')) textarea.scrollTop = 0;
  run(preset.id);
}

function loadPlatformPreset(preset) {
  const doc = preset.document;
  const request = doc.request ?? {};
  fields.platformPolicy.value = asText(doc.platformPolicy ?? '');
  const isImages = Array.isArray(request.images);
  platformForm.elements.platformKind.value = isImages ? 'images' : 'workload';
  fields.platformImages.value = isImages ? request.images.join('\n') : '';
  fields.platformWorkload.value = request.workload === undefined ? '' : asText(request.workload);
  fields.evidence.value = doc.attestations === undefined ? '' : asText(doc.attestations);
  fields.platformNow.value = doc.now ?? '';
  showKind();
  for (const textarea of platformForm.querySelectorAll('textarea')) textarea.scrollTop = 0;
  run(preset.id);
}

function showKind() {
  $('.kind-workload').hidden = kind() !== 'workload';
  $('.kind-images').hidden = kind() !== 'images';
  $('.platform-kind-workload').hidden = platformKind() !== 'workload';
  $('.platform-kind-images').hidden = platformKind() !== 'images';
  refreshGutters();
}

// ------------------------------------------------------------------------------------------
// Editors: line numbers, and the line an error points at

function refreshGutter(textarea, errorLine = -1) {
  const gutter = textarea.previousElementSibling;
  const count = textarea.value.split('\n').length;
  gutter.replaceChildren(
    ...Array.from({ length: count }, (_, i) => h('span', { class: i === errorLine ? 'err' : null }, `${i + 1}\n`)),
  );
  gutter.scrollTop = textarea.scrollTop;
}

function refreshGutters() {
  for (const textarea of form.querySelectorAll('textarea')) refreshGutter(textarea, Number(textarea.dataset.errorLine ?? -1));
}

/**
 * Best effort: the 0-based line that a JSON pointer names in block-style YAML or pretty-printed
 * JSON, or the deepest enclosing line found, or -1. Only for showing the user where to look;
 * the path itself is the core's.
 */
function locate(text, tokens) {
  const lines = text.split('\n');
  const indentOf = (line) => line.length - line.trimStart().length;
  const significant = (line) => line.trim() !== '' && !line.trimStart().startsWith('#');
  let from = 0;
  let to = lines.length;
  let found = -1;
  for (const token of tokens) {
    let hit = -1;
    let blockIndent = 0;
    if (/^\d+$/.test(token)) {
      let itemIndent = -1;
      let count = -1;
      for (let i = from; i < to; i++) {
        const m = /^(\s*)-(\s|$)/.exec(lines[i]);
        if (!m) continue;
        if (itemIndent < 0) itemIndent = m[1].length;
        if (m[1].length === itemIndent && ++count === Number(token)) {
          hit = i;
          break;
        }
      }
      if (hit < 0) return found;
      blockIndent = itemIndent;
    } else {
      const key = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`^(\\s*)(- )?(["']?)${key}\\3\\s*:`);
      for (let i = from; i < to; i++) {
        const m = pattern.exec(lines[i]);
        if (m) {
          hit = i;
          blockIndent = m[1].length + (m[2] ? 2 : 0);
          break;
        }
      }
      if (hit < 0) return found;
    }
    // The value of this token spans the following lines indented deeper (or list items at the
    // same indentation, as YAML writes a key's list).
    let end = hit + 1;
    while (end < to && (!significant(lines[end]) || indentOf(lines[end]) > blockIndent || /^\s*- /.test(lines[end]) && indentOf(lines[end]) === blockIndent && !/^\d+$/.test(token))) end++;
    found = hit;
    from = /^\d+$/.test(token) ? hit : hit + 1;
    to = end;
  }
  return found;
}

/** Which editor or input a bundle error path points into, and the pointer inside its text. */
function fieldOf(path) {
  const tokens = path.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  const [top, second, ...rest] = tokens;
  if (mode() === 'platform') {
    if (top === 'platformPolicy') return { field: 'platformPolicy', tokens: [second, ...rest].filter((t) => t !== undefined) };
    if (top === 'request') {
      const field = platformKind() === 'images' ? 'platformImages' : 'platformWorkload';
      return { field, tokens: second === 'images' || second === 'workload' ? rest : [] };
    }
    if (top === 'attestations') return { field: 'evidence', tokens: [second, ...rest].filter((t) => t !== undefined) };
    if (top === 'now') return { field: 'platformNow', tokens: [] };
    return null;
  }
  if (top === 'request') {
    if (second === 'labels') return { field: 'labels', tokens: [] };
    if (second && second in fields) return { field: second, tokens: rest };
    return { field: kind() === 'images' ? 'images' : 'workload', tokens: [] };
  }
  if (top && top in fields) return { field: top, tokens: [second, ...rest].filter((t) => t !== undefined) };
  return null;
}

function clearFieldErrors() {
  for (const node of form.querySelectorAll('[data-field].has-error')) node.classList.remove('has-error');
  for (const node of form.querySelectorAll('.field-error')) {
    node.hidden = true;
    node.textContent = '';
  }
  for (const textarea of form.querySelectorAll('textarea')) delete textarea.dataset.errorLine;
}

const FIELD_LABELS = {
  policy: 'Policy',
  workload: 'Workload',
  images: 'Images',
  cluster: 'Cluster',
  namespace: 'Namespace',
  serviceAccount: 'Service account',
  meshIdentity: 'Mesh identity',
  now: 'Evaluated at',
  attestors: 'Attestors',
  attestations: 'Attestations',
  labels: 'Break-glass',
  platformPolicy: 'Platform policy',
  platformWorkload: 'Workload',
  platformImages: 'Images',
  platformNow: 'Evaluated at',
  evidence: 'Evidence',
};

/** Marks the field an error points at; returns where it is, for the result panel. */
function markFieldError(error) {
  const target = fieldOf(error.path);
  const container = target && form.querySelector(`[data-field="${target.field}"]`);
  if (!container) return null;
  container.classList.add('has-error');
  const input = target.field === 'labels' ? fields.breakGlass : fields[target.field];
  let line = -1;
  if (input.tagName === 'TEXTAREA') {
    line = target.field === 'images' || target.field === 'platformImages' ? Number(target.tokens[0] ?? -1) : locate(input.value, target.tokens);
    if (line >= 0) input.dataset.errorLine = String(line);
  }
  const message = container.querySelector('.field-error');
  message.textContent = `${error.code}${line >= 0 ? ` on line ${line + 1}` : ''}: ${error.message}`;
  message.hidden = false;
  return { where: FIELD_LABELS[target.field], line, input };
}

// ------------------------------------------------------------------------------------------
// The result panel

const VERDICTS = {
  ALLOW: { label: 'Allow', tone: 'allow', note: 'Admitted: every image conforms or is exempt.' },
  DENY: { label: 'Deny', tone: 'deny', note: 'Blocked: the deployment would be rejected.' },
  DRY_RUN_ALLOW: { label: 'Dry-run allow', tone: 'dryrun', note: 'Admitted under a dry-run rule; the violations are logged.' },
  BREAK_GLASS_ALLOW: { label: 'Break-glass allow', tone: 'breakglass', note: 'Admitted by break-glass; the override is recorded.' },
};
const RULE_KINDS = {
  DEFAULT: 'Default rule',
  CLUSTER: 'Cluster rule',
  NAMESPACE: 'Namespace rule',
  SERVICE_ACCOUNT: 'Service-account rule',
  ISTIO_IDENTITY: 'Mesh-identity rule',
};
const short = (name) => name?.split('/').pop() ?? '';

function splitImage(image) {
  const at = image.indexOf('@');
  if (at < 0) return [image, ''];
  return [image.slice(0, at), image.slice(at)];
}

function renderDecision(decision) {
  const verdict = VERDICTS[decision.verdict] ?? { label: decision.verdict, tone: 'deny', note: '' };
  const rule = decision.rule;
  return [
    h('div', { class: `verdict tone-${verdict.tone}` },
      h('div', { id: 'verdict', 'data-verdict': decision.verdict }, verdict.label),
      h('p', { class: 'verdict-note' }, verdict.note)),
    h('div', { class: 'rule', id: 'rule', 'data-kind': rule.kind },
      h('span', { class: 'rule-title' }, 'Rule applied'),
      h('span', { class: 'rule-name' }, RULE_KINDS[rule.kind] ?? rule.kind, rule.key ? h('code', {}, rule.key) : null),
      h('span', { class: 'chips' },
        h('span', { class: 'chip' }, rule.evaluationMode),
        h('span', { class: `chip ${rule.enforcementMode === 'DRYRUN_AUDIT_LOG_ONLY' ? 'chip-warn' : ''}` }, rule.enforcementMode))),
    decision.cloudRun ? renderCloudRun(decision.cloudRun) : null,
    h('h3', { class: 'section-title' }, `Images (${decision.images.length})`),
    h('ol', { class: 'images' }, decision.images.map(renderImage)),
    renderAnnotations(decision),
    decision.message ? h('details', { class: 'raw' }, h('summary', {}, 'Admission message'), h('p', { class: 'message' }, decision.message)) : null,
    h('details', { class: 'raw' }, h('summary', {}, 'Decision JSON'), h('pre', {}, JSON.stringify(decision, null, 2))),
  ];
}

const CLOUD_RUN_SETTINGS = {
  NOT_ENABLED: 'not enabled: Cloud Run deploys it without a check',
  DEFAULT: 'the project policy (default rule, allowlist and system policy)',
  NAMED_POLICY: 'a named Cloud Run platform policy',
};

/** The decision's `cloudRun` member: the setting, why nothing was enforced, break-glass, the
 * rules Cloud Run ignores, and the resolved digests (docs/semantics.md §9). */
function renderCloudRun(cloudRun) {
  const resource = cloudRun.resource === 'JOB' ? 'job' : 'service';
  return h('dl', { class: 'facts cloud-run', id: 'cloud-run', 'data-binauthz': cloudRun.binaryAuthorization, 'data-enforced': String(cloudRun.enforced), 'data-reason': cloudRun.reason ?? '' },
    h('dt', {}, `Cloud Run ${resource}`), h('dd', {}, cloudRun.name ? h('code', {}, cloudRun.name) : '(unnamed)'),
    h('dt', {}, 'Binary Authorization'), h('dd', { class: 'cloud-run-setting' }, CLOUD_RUN_SETTINGS[cloudRun.binaryAuthorization] ?? cloudRun.binaryAuthorization,
      cloudRun.policy ? [' ', h('code', {}, cloudRun.policy)] : null),
    cloudRun.reason ? [h('dt', {}, 'Not enforced'), h('dd', {}, h('code', {}, cloudRun.reason))] : [],
    cloudRun.breakGlassJustification !== undefined
      ? [h('dt', {}, 'Break-glass'), h('dd', { class: 'justification', 'data-justification': cloudRun.breakGlassJustification },
          cloudRun.breakGlassJustification === '' ? 'requested, with an empty justification' : ['justification ', h('q', {}, cloudRun.breakGlassJustification)])]
      : [],
    cloudRun.ignoredRules.length
      ? [h('dt', {}, 'Ignored on Cloud Run'), h('dd', {}, h('ul', { class: 'ignored-rules' }, cloudRun.ignoredRules.map((r) =>
          h('li', { 'data-kind': r.kind, 'data-key': r.key }, `${RULE_KINDS[r.kind] ?? r.kind} `, h('code', {}, r.key)))))]
      : [],
    cloudRun.resolvedDigests
      ? [h('dt', {}, 'Resolved digests'), h('dd', {}, h('ul', { class: 'resolved-digests' }, cloudRun.resolvedDigests.map((d) =>
          h('li', { 'data-result': d.result }, d.container ? [h('code', {}, d.container), ': '] : null, h('code', {}, d.written), ' → ',
            d.resolved ? h('code', {}, d.resolved) : 'none known', ` (${d.result})`))))]
      : []);
}

function renderImage(image) {
  const [name, digest] = splitImage(image.image);
  const rejected = image.reasons.flatMap((r) => r.details.map((d) => ({ ...d, attestor: r.attestor })));
  return h('li', { class: `image outcome-${image.outcome.toLowerCase()}`, 'data-outcome': image.outcome, 'data-container': image.container ?? '' },
    h('div', { class: 'image-head' },
      h('span', { class: `outcome outcome-${image.outcome.toLowerCase()}` }, image.outcome),
      image.container ? h('span', { class: 'container' }, image.container) : null),
    h('div', { class: 'image-ref', title: image.image }, name, digest ? h('span', { class: 'digest' }, digest) : null),
    image.exemption
      ? h('p', { class: 'exemption' }, image.exemption.source === 'ALLOWLIST' ? 'Exempt by allowlist pattern ' : 'Exempt by system policy pattern ', h('code', {}, image.exemption.pattern))
      : null,
    image.attestors.length
      ? h('ul', { class: 'attestors' }, image.attestors.map((a) => h('li', { class: a.satisfied ? 'ok' : 'missing', 'data-attestor': a.attestor, 'data-satisfied': String(a.satisfied), title: a.attestor },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, a.satisfied ? '✓' : '✗'),
          h('span', { class: 'attestor-name' }, short(a.attestor)),
          a.satisfied ? h('span', { class: 'muted' }, `${short(a.occurrence)} · ${a.signedForm}`) : h('span', { class: 'muted' }, 'no valid attestation'))))
      : null,
    image.reasons.length
      ? h('ul', { class: 'reasons' }, image.reasons.map((r) => h('li', { class: 'reason', 'data-code': r.code },
          h('code', { class: 'code' }, r.code),
          r.attestor ? h('span', { class: 'attestor-name', title: r.attestor }, short(r.attestor)) : null,
          h('span', { class: 'reason-message' }, r.message))))
      : null,
    rejected.length
      ? h('div', { class: 'rejected' },
          h('span', { class: 'rejected-title' }, `Rejected attestations (${rejected.length})`),
          h('ul', {}, rejected.map((d) => h('li', { class: 'detail', 'data-code': d.code },
            h('code', { class: 'code code-detail' }, d.code),
            h('span', { class: 'occurrence', title: d.occurrence ?? '' }, d.occurrence ? short(d.occurrence) : 'attestor'),
            h('span', { class: 'detail-message' }, d.message)))))
      : null);
}

function renderAnnotations(decision) {
  const entries = Object.entries(decision.auditAnnotations);
  const system = decision.systemPolicySource;
  if (!entries.length && !system) return null;
  return h('dl', { class: 'facts' },
    entries.flatMap(([k, v]) => [h('dt', {}, 'Audit annotation'), h('dd', {}, h('code', {}, `${k.replace('imagepolicywebhook.image-policy.k8s.io/', '')}: ${v}`))]),
    system ? [h('dt', {}, 'System policy'), h('dd', {}, system === 'BUILT_IN' ? 'built-in GKE system images consulted' : 'caller’s system policy consulted')] : []);
}

const PLATFORM_VERDICTS = {
  CONFORMANT: { label: 'Conformant', tone: 'conformant', note: 'Every image is exempt or passes every check of its check set: continuous validation logs nothing.' },
  NON_CONFORMANT: { label: 'Non-conformant', tone: 'nonconformant', note: 'Continuous validation would log this Pod (platform policies monitor; they never block admission).' },
  ERROR: { label: 'Error', tone: 'dryrun', note: 'A check could not be evaluated (missing evidence) and none failed.' },
};

function renderPlatform(response) {
  const verdict = PLATFORM_VERDICTS[response.verdict] ?? { label: response.verdict, tone: 'deny', note: '' };
  const pods = response.results ?? [];
  return [
    h('div', { class: `verdict tone-${verdict.tone}` },
      h('div', { id: 'verdict', 'data-verdict': response.verdict }, verdict.label),
      h('p', { class: 'verdict-note' }, verdict.note)),
    ...pods.map((pod) => [
      h('h3', { class: 'section-title' }, `Pod ${pod.podName || '(image list)'}`,
        pod.kubernetesNamespace ? h('span', { class: 'muted' }, ` · ${pod.kubernetesNamespace}`) : null,
        pod.kubernetesServiceAccount ? h('span', { class: 'muted' }, ` · ${pod.kubernetesServiceAccount}`) : null),
      h('ol', { class: 'images' }, pod.imageResults.map(renderPlatformImage)),
    ]).flat(),
    h('details', { class: 'raw' }, h('summary', {}, 'EvaluateGkePolicyResponse JSON'), h('pre', {}, JSON.stringify(response, null, 2))),
  ];
}

function renderPlatformImage(image) {
  const [name, digest] = splitImage(image.imageUri);
  const set = image.checkSetResult;
  const outcome = image.verdict.toLowerCase().replace('_', '-');
  const rows = set?.checkResults?.results ?? [];
  return h('li', { class: `image platform-image outcome-${outcome}`, 'data-verdict': image.verdict },
    h('div', { class: 'image-head' }, h('span', { class: `outcome outcome-${outcome}` }, image.verdict)),
    h('div', { class: 'image-ref', title: image.imageUri }, name, digest ? h('span', { class: 'digest' }, digest) : null),
    image.allowlistResult ? h('p', { class: 'exemption' }, 'Exempt by the policy allowlist pattern ', h('code', {}, image.allowlistResult.matchedPattern)) : null,
    image.explanation ? h('p', { class: 'exemption' }, image.explanation) : null,
    set ? h('p', { class: 'check-set', 'data-check-set': set.index },
      `Check set ${set.index}`, set.displayName ? ` “${set.displayName}”` : '',
      set.scope ? ` (scope ${Object.values(set.scope)[0]})` : ' (default)') : null,
    set?.allowlistResult ? h('p', { class: 'exemption' }, 'Exempt by the check set allowlist pattern ', h('code', {}, set.allowlistResult.matchedPattern)) : null,
    set?.explanation ? h('p', { class: 'exemption' }, set.explanation) : null,
    rows.length
      ? h('table', { class: 'checks' },
          h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Check'), h('th', {}, 'Verdict'), h('th', {}, 'Why'))),
          h('tbody', {}, rows.map((c) => {
            const v = c.evaluationResult?.verdict ?? (c.allowlistResult ? 'EXEMPT' : '');
            return h('tr', { class: 'check', 'data-type': c.type, 'data-verdict': v },
              h('td', {}, c.index),
              h('td', {}, h('code', {}, c.type), c.displayName ? h('div', { class: 'muted' }, c.displayName) : null),
              h('td', { class: 'verdict-cell' }, v),
              h('td', {},
                c.allowlistResult ? h('div', {}, 'allowlisted by ', h('code', {}, c.allowlistResult.matchedPattern)) : null,
                c.explanation ? h('div', {}, c.explanation) : null,
                c.details?.length ? h('div', { class: 'detail-codes' }, c.details.map((d) => h('code', { class: 'code code-detail', title: d.message, 'data-code': d.code }, d.code))) : null));
          })))
      : null);
}

function renderError(error, where) {
  return [
    h('div', { class: 'verdict tone-error' },
      h('div', { id: 'verdict', 'data-verdict': 'ERROR' }, 'Configuration error'),
      h('p', { class: 'verdict-note' }, 'Nothing was evaluated: fix the input below and the preview updates.')),
    h('div', { class: 'error', id: 'error', 'data-code': error.code, 'data-path': error.path },
      h('code', { class: 'code code-error' }, error.code),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Field'), h('dd', {}, h('code', { id: 'error-path' }, error.path || '(the whole input)')),
        where ? [h('dt', {}, 'In'), h('dd', {}, h('button', { type: 'button', class: 'link', onclick: () => focusError(where) }, where.where), where.line >= 0 ? `, line ${where.line + 1}` : '')] : [],
        h('dt', {}, 'Problem'), h('dd', { class: 'error-message' }, error.message))),
  ];
}

function focusError(where) {
  const input = where.input;
  input.focus();
  if (input.tagName === 'TEXTAREA' && where.line >= 0) {
    const lines = input.value.split('\n');
    const start = lines.slice(0, where.line).reduce((n, l) => n + l.length + 1, 0);
    input.setSelectionRange(start, start + (lines[where.line]?.length ?? 0));
    input.scrollTop = Math.max(0, where.line - 3) * parseFloat(getComputedStyle(input).lineHeight);
  }
  input.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

function renderPolicyStatus() {
  const badge = $('#policy-status');
  const attestors = fields.attestors.value.trim() ? fields.attestors.value : null;
  let validation = validatePolicy(fields.policy.value, attestors);
  // Attestors that do not load are reported by the evaluation; lint the policy alone then.
  if (!validation.ok && validation.errors[0].path.startsWith('/attestors')) validation = validatePolicy(fields.policy.value);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  badge.hidden = false;
  badge.dataset.warnings = String(validation.warnings.length);
  if (!validation.ok) {
    badge.className = 'badge badge-error';
    badge.textContent = plural(validation.errors.length, 'error');
    badge.title = validation.errors.map((e) => `${e.code} at ${e.path}: ${e.message}`).join('\n');
  } else if (validation.warnings.length > 0) {
    badge.className = 'badge badge-warn';
    badge.textContent = `valid, ${plural(validation.warnings.length, 'warning')}`;
    badge.title = validation.warnings.map((w) => `${w.code} at ${w.path || '/'}: ${w.message} Fix: ${w.fix}`).join('\n');
  } else {
    badge.className = 'badge badge-ok';
    badge.textContent = 'valid';
    badge.title = 'validatePolicy: no errors, no lint warnings';
  }
}

// ------------------------------------------------------------------------------------------
// Evaluation

let evaluations = 0;
let timer = 0;

function run(source) {
  clearTimeout(timer);
  const started = performance.now();
  const platform = mode() === 'platform';
  const output = platform ? evaluatePlatform(platformDocumentFromForm()) : evaluate(bundleFromForm());
  const elapsed = performance.now() - started;
  evaluations += 1;
  clearFieldErrors();
  let children;
  if (output.error) {
    children = renderError(output.error, markFieldError(output.error));
  } else {
    children = platform ? renderPlatform(output) : renderDecision(output);
  }
  result.replaceChildren(...children.filter(Boolean));
  result.dataset.state = output.error ? 'error' : platform ? 'platform' : 'decision';
  result.dataset.source = source;
  result.dataset.evaluations = String(evaluations);
  result.dataset.evaluationMs = elapsed.toFixed(1);
  result.dataset.loadMs = loadMs.toFixed(1);
  result.dataset.shownAtMs = performance.now().toFixed(0);
  if (!platform) renderPolicyStatus();
  $('#policy-status').hidden = platform || $('#policy-status').hidden;
  refreshGutters();
  $('#footnote').textContent = `vouch ${version()} · evaluated in ${elapsed.toFixed(1)} ms · the engine loaded in ${loadMs.toFixed(0)} ms · runs entirely in this page`;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => run('edited'), DEBOUNCE_MS);
}

// ------------------------------------------------------------------------------------------
// Start

let loadMs = 0;

async function start() {
  const select = $('#preset');
  const fillPresets = () => select.replaceChildren(
    ...PRESETS.filter((p) => (p.mode ?? 'project') === mode()).map((preset) => h('option', { value: preset.id }, preset.title)),
  );
  const started = performance.now();
  try {
    await init();
  } catch (e) {
    result.dataset.state = 'failed';
    result.replaceChildren(h('div', { class: 'verdict tone-error' },
      h('div', { id: 'verdict', 'data-verdict': 'UNAVAILABLE' }, 'Engine not loaded'),
      h('p', { class: 'verdict-note' }, `Serve this folder over HTTP (any static server; .wasm as application/wasm). ${e}`)));
    return;
  }
  loadMs = performance.now() - started;
  for (const f of [projectForm, platformForm]) {
    f.addEventListener('input', (event) => {
      if (event.target.name === 'kind' || event.target.name === 'platformKind') showKind();
      if (event.target.tagName === 'TEXTAREA') refreshGutter(event.target);
      schedule();
    });
  }
  const showMode = () => {
    form = mode() === 'platform' ? platformForm : projectForm;
    projectForm.hidden = form !== projectForm;
    platformForm.hidden = form !== platformForm;
    document.body.dataset.mode = mode();
    fillPresets();
  };
  document.querySelector('.topbar .mode').addEventListener('change', () => {
    showMode();
    const preset = PRESETS.find((p) => p.id === select.value);
    if (preset) {
      history.replaceState(null, '', `#${preset.id}`);
      loadPreset(preset);
    }
  });
  for (const textarea of document.querySelectorAll('textarea')) {
    textarea.addEventListener('scroll', () => { textarea.previousElementSibling.scrollTop = textarea.scrollTop; });
  }
  select.addEventListener('change', () => {
    const preset = PRESETS.find((p) => p.id === select.value);
    if (preset) {
      history.replaceState(null, '', `#${preset.id}`);
      loadPreset(preset);
    }
  });
  const initial = PRESETS.find((p) => `#${p.id}` === location.hash) ?? PRESETS[0];
  modeForm.elements.mode.value = initial.mode ?? 'project';
  showMode();
  select.value = initial.id;
  loadPreset(initial);
}

start();
