// The comparison harness's Node side (benches/compare/run drives it):
//   node bench.mjs DIR [--budget S] [--only NAME,...]
// Times the WebAssembly package built by scripts/build-wasm (bindings/wasm/pkg/node) through
// its compiled-once `Evaluator`: `new Evaluator({policy, attestors})` once, then
// `evaluator.evaluate({request, attestations, now})` per decision (the input object is
// JSON.stringify'd into the module and the decision JSON.parse'd out, as the package does).
// Checks the whole decision against vouch's Rust decision first; exits non-zero on a mismatch.
// Timing: the procedure of compare.rs's `measure`. Prints one JSON line per scenario.
import { deepStrictEqual } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vouch = createRequire(import.meta.url)(join(root, 'bindings', 'wasm', 'pkg', 'node', 'vouch_wasm.js'));

const args = process.argv.slice(2);
const dir = args[0];
let budget = 1.5;
let only = null;
for (let i = 1; i < args.length; i += 2) {
  if (args[i] === '--budget') budget = Number(args[i + 1]);
  else if (args[i] === '--only') only = new Set(args[i + 1].split(','));
  else throw new Error(`unknown flag ${args[i]}`);
}

const MIN_BATCHES = 10;
const MAX_BATCHES = 2000;
const BATCH_TARGET_NS = 2_000_000n;
const clock = process.hrtime.bigint;

function measure(call, budgetS) {
  const warmUntil = clock() + BigInt(Math.round((budgetS * 1e9) / 4));
  let fastest = null;
  let warm = 0;
  while (warm < 2 || clock() < warmUntil) {
    const t = clock();
    call();
    const e = clock() - t;
    fastest = fastest === null || e < fastest ? e : fastest;
    warm += 1;
  }
  const perBatch = Number(BATCH_TARGET_NS / (fastest > 0n ? fastest : 1n)) || 1;
  const start = clock();
  const budgetNs = BigInt(Math.round(budgetS * 1e9));
  const samples = [];
  while (samples.length < MIN_BATCHES || (clock() - start < budgetNs && samples.length < MAX_BATCHES)) {
    const t = clock();
    for (let i = 0; i < perBatch; i++) call();
    samples.push(Number(clock() - t) / perBatch);
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.round((samples.length - 1) * p)];
  return { median_ns: q(0.5), p10_ns: q(0.1), p90_ns: q(0.9), calls: perBatch * samples.length, batches: samples.length };
}

function medianOnce(runs, call) {
  const v = [];
  for (let i = 0; i < runs; i++) {
    const t = clock();
    call();
    v.push(Number(clock() - t));
  }
  v.sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

const scenarios = JSON.parse(readFileSync(join(dir, 'scenarios.json'), 'utf8'));
for (const s of scenarios) {
  if (only && !only.has(s.name)) continue;
  const bundle = JSON.parse(readFileSync(join(dir, `${s.name}.json`), 'utf8'));
  const expected = JSON.parse(readFileSync(join(dir, `${s.name}.decision.json`), 'utf8'));
  const configText = JSON.stringify({ policy: bundle.policy, attestors: bundle.attestors });
  const evaluator = new vouch.Evaluator(configText);
  const input = { request: bundle.request, attestations: bundle.attestations, now: bundle.now };
  const decision = evaluator.evaluate(input);
  try {
    deepStrictEqual(decision, expected);
  } catch (e) {
    console.error(`bench.mjs: ${s.name}: vouch in Node differs from vouch's Rust decision\n${e.message}`);
    process.exit(1);
  }
  const loadNs = medianOnce(5, () => new vouch.Evaluator(configText).free());
  const figures = measure(() => evaluator.evaluate(input), budget);
  console.log(JSON.stringify({ impl: 'vouch-node-wasm', scenario: s.name, ...figures, load_ns: loadNs, check: 'decision JSON identical', clock: 'wall' }));
  evaluator.free();
}
