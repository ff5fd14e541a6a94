// Runs the inspect suite of testdata/vectors/inspect/ through the WebAssembly module, as the
// Rust runner (crates/vouch/tests/vectors.rs `run_inspect`) does: inspectEvidenceJson(input)
// must equal testdata/golden/inspect/<name> byte for byte, satisfy `expect` (or
// `expectError`'s code and path), and inspectEvidence(object) must give the same, parsed.
import assert from 'node:assert/strict';
import test from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { jsonFiles, read, vouch } from './helpers.mjs';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function subset(expected, actual, path, errors) {
  if (isObject(expected) && isObject(actual)) {
    for (const [k, ev] of Object.entries(expected)) {
      if (k in actual) subset(ev, actual[k], `${path}/${k}`, errors);
      else errors.push(`${path}/${k}: missing`);
    }
  } else if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) errors.push(`${path}: ${actual.length} items, expected ${expected.length}`);
    else expected.forEach((ev, i) => subset(ev, actual[i], `${path}/${i}`, errors));
  } else if (!isDeepStrictEqual(expected, actual)) {
    errors.push(`${path}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

function run(file) {
  const errors = [];
  const vector = JSON.parse(read(file));
  const output = vouch.inspectEvidenceJson(JSON.stringify(vector.input));
  const actual = JSON.parse(output);
  const golden = read(file.replace(/^testdata\/vectors\//, 'testdata/golden/'));
  if (output !== golden) errors.push(`output differs from the golden file:\n  node   ${output}\n  golden ${golden}`);
  if ('expectError' in vector) {
    const e = actual.error;
    if (!e) errors.push(`expected error ${vector.expectError.code}, got a report`);
    else if (e.code !== vector.expectError.code || ('path' in vector.expectError && e.path !== vector.expectError.path)) {
      errors.push(`error ${e.code} at ${e.path}, expected ${JSON.stringify(vector.expectError)}`);
    }
  } else if (actual.error) errors.push(`unexpected error: ${output}`);
  else subset(vector.expect, actual, '', errors);
  const fromObject = vouch.inspectEvidence(vector.input);
  if (!isDeepStrictEqual(fromObject, actual)) errors.push(`inspectEvidence(object) differs: ${JSON.stringify(fromObject)}`);
  return errors;
}

test('every inspect vector: golden bytes, expectations and objects', () => {
  const files = jsonFiles('testdata/vectors/inspect');
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
  console.log(`inspect vectors (node): ${files.length - failed} passed, ${failed} failed, ${files.length} total`);
  assert.ok(files.length >= 9, `only ${files.length} inspect vectors found`);
  assert.equal(failed, 0);
});
