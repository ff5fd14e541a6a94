// Times one evaluation of the prod-released preset in Node, to set against the native
// criterion bench `cargo bench -p vouch-benches --bench core -- bundle_entry_point_workload`
// (the same bundle through the same entry point). Not part of the test run:
//   node bindings/wasm/tests/bench.mjs [iterations]
import { halves, preset, read, vouch } from './helpers.mjs';

const iterations = Number(process.argv[2] ?? 300);
const text = read('examples/bundles/prod-released.json');
const bundle = preset('prod-released');
const { config, input } = halves(bundle);
const evaluator = new vouch.Evaluator(config);
const inputText = JSON.stringify(input);

function time(name, fn) {
  const first = process.hrtime.bigint();
  fn();
  const firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))].toFixed(3);
  console.log(`${name.padEnd(44)} median ${q(0.5)} ms  (p10 ${q(0.1)}, p90 ${q(0.9)}; first call ${firstMs.toFixed(1)} ms; n=${iterations})`);
}

console.log(`vouch ${vouch.version()} WebAssembly in Node ${process.version}, prod-released preset`);
time('evaluateJson(bundle text)', () => vouch.evaluateJson(text));
time('evaluate(bundle object)', () => vouch.evaluate(bundle));
time('Evaluator.evaluateJson(request text)', () => evaluator.evaluateJson(inputText));
