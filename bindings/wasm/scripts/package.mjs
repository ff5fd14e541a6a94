// Turns wasm-bindgen's output in pkg/node and pkg/web into npm packages (package.json and the
// hand-written types), and assembles the preview page's generated files: www/pkg/ (the web
// module) and www/presets.js (the scenarios of examples/bundles/). Run by scripts/build-wasm.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(here, '..', '..');
const pkg = join(here, 'pkg');
const version = createRequire(import.meta.url)(join(pkg, 'node', 'vouch_wasm.js')).version();

const types = readFileSync(join(here, 'types', 'vouch.d.ts'), 'utf8');
const common = {
  license: 'Apache-2.0',
  repository: 'https://github.com/vouch-dev/vouch',
  types: 'vouch_wasm.d.ts',
  files: ['vouch_wasm.js', 'vouch_wasm_bg.wasm', 'vouch_wasm.d.ts'],
  sideEffects: false,
};
const targets = {
  node: {
    name: 'vouch-wasm',
    description: 'vouch for Node.js: offline Binary Authorization policy evaluation (WebAssembly)',
    type: 'commonjs',
    main: 'vouch_wasm.js',
    dts: types,
  },
  web: {
    name: 'vouch-wasm-web',
    description: 'vouch for browsers: offline Binary Authorization policy evaluation (WebAssembly, ES module; call init() first)',
    type: 'module',
    main: 'vouch_wasm.js',
    module: 'vouch_wasm.js',
    dts: types + readFileSync(join(here, 'types', 'web-init.d.ts'), 'utf8'),
  },
};
for (const [target, { dts, ...fields }] of Object.entries(targets)) {
  const { name, description, ...rest } = fields;
  const manifest = { name, version, description, ...rest, ...common };
  writeFileSync(join(pkg, target, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(pkg, target, 'vouch_wasm.d.ts'), dts);
}

// The preview page: the web module next to it, and the presets.
const www = join(here, 'www');
mkdirSync(join(www, 'pkg'), { recursive: true });
for (const file of ['vouch_wasm.js', 'vouch_wasm_bg.wasm']) {
  copyFileSync(join(pkg, 'web', file), join(www, 'pkg', file));
}
const order = ['prod-released', 'prod-candidate', 'staging-candidate-dry-run', 'prod-break-glass', 'invalid-policy'];
const bundles = join(root, 'examples', 'bundles');
const names = readdirSync(bundles)
  .filter((f) => f.endsWith('.json'))
  .map((f) => basename(f, '.json'))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(name) {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
const presets = names.map((id) => preset(id, join(bundles, `${id}.json`), 'examples/bundles'));
// One shared vector whose denial explains each rejected attestation (the examples have none).
// Found by its name, not its number, so that renumbering the vectors cannot break the build.
const attestationVectors = join(root, 'testdata', 'vectors', 'attestation');
const rejected = readdirSync(attestationVectors).filter((f) => f.endsWith('-every-failing-candidate-explained.json'));
if (rejected.length !== 1) {
  throw new Error(`expected one *-every-failing-candidate-explained.json vector in ${attestationVectors}, found ${rejected.length}`);
}
presets.push(
  preset('rejected-attestations', join(attestationVectors, rejected[0]), `testdata/vectors/attestation/${basename(rejected[0], '.json')}`,
    'Rejected attestations: digest mismatch, bad signature, unknown key'),
);
// Cloud Run services (project mode): vectors of the cloud_run group, found by name (not number).
const cloudRunVectors = join(root, 'testdata', 'vectors', 'cloud_run');
for (const [suffix, title] of [
  ['-service-export-digest-attested-admits', 'Cloud Run service pinned by digest: admitted by the default rule'],
  ['-service-export-tag-denied', 'Cloud Run service deployed by tag: denied (the tag is evaluated as written)'],
  ['-break-glass-empty-justification-admits', 'Cloud Run break-glass with an empty justification: admitted and recorded'],
  ['-default-rule-only-specific-rules-ignored', 'Cloud Run: only the default rule applies, specific rules are ignored'],
  ['-no-annotation-not-enabled', 'Cloud Run service without Binary Authorization: deployed unchecked'],
]) {
  const found = readdirSync(cloudRunVectors).filter((f) => f.endsWith(`${suffix}.json`));
  if (found.length !== 1) throw new Error(`expected one *${suffix}.json vector in ${cloudRunVectors}, found ${found.length}`);
  presets.push(preset(`cloud-run${suffix}`, join(cloudRunVectors, found[0]), `testdata/vectors/cloud_run/${basename(found[0], '.json')}`, title));
}
// The platform-policy scenarios: evaluatePlatform documents, in name order.
const platformDocs = join(root, 'examples', 'platform', 'evaluate');
if (existsSync(platformDocs)) {
  for (const f of readdirSync(platformDocs).filter((f) => f.endsWith('.json')).sort()) {
    const { description = f, ...document } = JSON.parse(readFileSync(join(platformDocs, f), 'utf8'));
    presets.push({ id: `platform-${basename(f, '.json')}`, mode: 'platform', title: description, source: 'examples/platform/evaluate', document });
  }
}
// Platform vectors that show one check kind each, found by name (not number).
const platformVectors = join(root, 'testdata', 'vectors', 'platform');
for (const [suffix, title] of [
  ['-attestation-pae', 'Simple-signing attestation check: a PAE signature verifies'],
  ['-vulnerability-blocked-cve', 'Vulnerability check: a blocked CVE'],
  ['-slsa-gcb-v02', 'SLSA check: real Cloud Build provenance'],
]) {
  const found = readdirSync(platformVectors).filter((f) => f.endsWith(`${suffix}.json`));
  if (found.length !== 1) throw new Error(`expected one *${suffix}.json vector in ${platformVectors}, found ${found.length}`);
  const { input } = JSON.parse(readFileSync(join(platformVectors, found[0]), 'utf8'));
  presets.push({ id: `platform${suffix}`, mode: 'platform', title, source: `testdata/vectors/platform/${basename(found[0], '.json')}`, document: input });
}
function preset(id, file, source, title) {
  const { description = id, expect: _e, expectError: _x, ...bundle } = JSON.parse(readFileSync(file, 'utf8'));
  return { id, title: title ?? description, source, bundle };
}
writeFileSync(
  join(www, 'presets.js'),
  `// Generated by bindings/wasm/scripts/package.mjs from ${[...new Set(presets.map((p) => p.source))].join(', ')}; do not edit.\n` +
    `export const VERSION = ${JSON.stringify(version)};\n` +
    `export const PRESETS = ${JSON.stringify(presets, null, 1)};\n`,
);
console.log(`packaged vouch-wasm ${version}: pkg/node, pkg/web, www/pkg, www/presets.js (${presets.length} presets)`);
