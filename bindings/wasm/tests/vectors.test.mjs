// Runs every shared vector in testdata/vectors/ through the WebAssembly module, as the Rust
// runner (crates/vouch/tests/vectors.rs) does:
// 0. the vector's test-only keys (`expect`, `expectError`) are stripped: the rest is the bundle;
// 1. evaluateJson(bundle) must equal testdata/golden/<same path> byte for byte;
// 2. the output must satisfy `expect` (subset rules) or `expectError` (code, path);
// 3. evaluate(object) must give the same result, parsed;
// 4. the bundle split in halves through `new Evaluator(config).evaluateJson(input)` must give
//    the same bytes (the message of BUNDLE_UNKNOWN_FIELD lists the half's keys, so only its code
//    and path are compared).
// Ends with `vectors (node): N passed, M failed, T total`.
import assert from 'node:assert/strict';
import test from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { bundleOf, bundleVectors, halves, read, subset, thrownAsJson, vouch } from './helpers.mjs';

function run(file) {
  const errors = [];
  const text = read(file);
  const vector = JSON.parse(text);
  const bundle = bundleOf(vector);
  const output = vouch.evaluateJson(JSON.stringify(bundle));
  const actual = JSON.parse(output);

  const golden = read(file.replace(/^testdata\/vectors\//, 'testdata/golden/'));
  if (output !== golden) errors.push(`output differs from the golden file:\n  node   ${output}\n  golden ${golden}`);

  if ('expectError' in vector) {
    const e = actual.error;
    if (!e) errors.push(`expected error ${vector.expectError.code}, got a decision`);
    else {
      if (e.code !== vector.expectError.code) errors.push(`error code ${e.code}, expected ${vector.expectError.code}: ${e.message}`);
      if ('path' in vector.expectError && e.path !== vector.expectError.path) {
        errors.push(`error path ${e.path}, expected ${vector.expectError.path}`);
      }
    }
  } else if ('expect' in vector) {
    if (actual.error) errors.push(`unexpected error: ${output}`);
    else subset(vector.expect, actual, '', errors);
  } else {
    errors.push('vector has neither expect nor expectError');
  }

  const fromObject = vouch.evaluate(bundle);
  if (!isDeepStrictEqual(fromObject, actual)) errors.push(`evaluate(object) differs: ${JSON.stringify(fromObject)}`);

  // wasm's per-object APIs (the two halves) report the bundle's code and path: the path rule
  // of docs/errors.md with the halves' documents being the bundle's members.
  const { config, input } = halves(bundle);
  let split;
  try {
    const evaluator = new vouch.Evaluator(config);
    split = evaluator.evaluateJson(JSON.stringify(input));
    evaluator.free();
  } catch (e) {
    split = thrownAsJson(e);
  }
  const s = JSON.parse(split);
  const sameUnknownKey = s.error?.code === 'BUNDLE_UNKNOWN_FIELD' && s.error.code === actual.error?.code && s.error.path === actual.error?.path;
  if (split !== output && !sameUnknownKey) errors.push(`Evaluator differs:\n  split  ${split}\n  bundle ${output}`);
  return errors;
}

test('every shared vector: golden bytes, expectations, objects and the Evaluator class', () => {
  const files = bundleVectors();
  let failed = 0;
  for (const file of files) {
    let errors;
    try {
      errors = run(file);
    } catch (e) {
      errors = [`threw: ${e?.stack ?? e}`];
    }
    if (errors.length) {
      failed += 1;
      console.log(`FAIL ${file}\n${errors.map((e) => `     ${e}`).join('\n')}`);
    }
  }
  console.log(`vectors (node): ${files.length - failed} passed, ${failed} failed, ${files.length} total`);
  assert.ok(files.length >= 80, `only ${files.length} vectors found`);
  assert.equal(failed, 0);
});
