// Shared by the Node tests: the built package, the repository's files, the presets.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(here, '..', '..');

/** The Node package built by scripts/build-wasm (CommonJS). */
export const vouch = createRequire(import.meta.url)(join(here, 'pkg', 'node', 'vouch_wasm.js'));

export const read = (path) => readFileSync(join(root, path), 'utf8');

/** Every file under `dir` (relative to the repository) ending in `.json`, sorted. */
export function jsonFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) out.push(relative(root, p));
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return out;
}

/** The toolkit suites of testdata/vectors/: not bundles (lint.test.mjs runs lint). */
export const TOOLKIT_SUITES = ['lint', 'payload', 'sign', 'inspect', 'platform', 'cv', 'replay'];

/**
 * The document suites: `input` → one JSON output, by text (`json`) and by object (`object`),
 * compared with testdata/golden/<suite>/ (crates/vouch/tests/vectors.rs `DOCUMENT_SUITES`).
 */
export const DOCUMENT_SUITES = {
  inspect: { json: (text) => vouch.inspectEvidenceJson(text), object: (input) => vouch.inspectEvidence(input) },
  platform: { json: (text) => vouch.evaluatePlatformJson(text), object: (input) => vouch.evaluatePlatform(input) },
  cv: { json: (text) => vouch.continuousValidationJson(text), object: (input) => vouch.continuousValidation(input) },
  replay: { json: (text) => vouch.replayJson(text), object: (input) => vouch.replay(input) },
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether `actual` satisfies `expected`, pushing each difference (docs/formats.md, "Test vectors"). */
export function subset(expected, actual, path, errors) {
  if (expected === '*' && typeof actual === 'string') return;
  if (isObject(expected) && isObject(actual)) {
    if (path === '/auditAnnotations') {
      const [e, a] = [Object.keys(expected).sort(), Object.keys(actual).sort()];
      if (!isDeepStrictEqual(e, a)) errors.push(`${path}: keys ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
    }
    for (const [k, ev] of Object.entries(expected)) {
      if (k in actual) subset(ev, actual[k], `${path}/${k}`, errors);
      else errors.push(`${path}/${k}: missing`);
    }
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      errors.push(`${path}: ${actual.length} items, expected ${expected.length}`);
      return;
    }
    expected.forEach((ev, i) => subset(ev, actual[i], `${path}/${i}`, errors));
  } else if (!isDeepStrictEqual(expected, actual)) {
    errors.push(`${path}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

/** Every bundle vector of testdata/vectors/ (the toolkit suites left out), sorted. */
export const bundleVectors = () =>
  jsonFiles('testdata/vectors').filter((f) => !TOOLKIT_SUITES.includes(f.split(/[\\/]/)[2]));

/** The scenarios of examples/bundles/, by name, with the verdict (or error path) each gives. */
export const PRESETS = {
  'prod-released': 'ALLOW',
  'prod-candidate': 'DENY',
  'staging-candidate-dry-run': 'DRY_RUN_ALLOW',
  'prod-break-glass': 'BREAK_GLASS_ALLOW',
  'invalid-policy': '/policy/admissionWhitelistPatterns/0/namePattern',
};
export const preset = (name) => JSON.parse(read(`examples/bundles/${name}.json`));

const CONFIG_KEYS = ['policy', 'attestors', 'systemPolicy', 'cloudRunPolicies'];
const IGNORED_KEYS = ['description', 'expect', 'expectError'];

/** A bundle split into the `Evaluator` constructor's members and `evaluate`'s members. */
/** A vector's test-only keys: the runners strip them (the core refuses them as unknown keys). */
export const TEST_KEYS = ['expect', 'expectError'];

/** The bundle of a vector: the vector without its test-only keys. */
export function bundleOf(vector) {
  return Object.fromEntries(Object.entries(vector).filter(([key]) => !TEST_KEYS.includes(key)));
}

export function halves(bundle) {
  const config = {};
  const input = {};
  for (const [key, value] of Object.entries(bundle)) {
    if (IGNORED_KEYS.includes(key)) continue;
    (CONFIG_KEYS.includes(key) ? config : input)[key] = value;
  }
  return { config, input };
}

/** The contract's error JSON for what the `Evaluator` constructor threw. */
export function thrownAsJson(e) {
  if (e?.name !== 'VouchError') throw e;
  return JSON.stringify({ error: { code: e.code, path: e.path, message: e.message } });
}
