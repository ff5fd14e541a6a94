// Runs the document suites of testdata/vectors/ (inspect, platform, cv) through the WebAssembly
// module, as the Rust runner (crates/vouch/tests/vectors.rs `run_document`) does: the text entry
// point on the vector's `input` must equal testdata/golden/<suite>/<name> byte for byte, satisfy
// `expect` (or `expectError`'s code and path), and the object entry point must give the same,
// parsed.
import assert from 'node:assert/strict';
import test from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { DOCUMENT_SUITES, jsonFiles, read, subset } from './helpers.mjs';

function run(suite, file) {
  const errors = [];
  const vector = JSON.parse(read(file));
  const output = suite.json(JSON.stringify(vector.input));
  const actual = JSON.parse(output);
  const golden = read(file.replace(/^testdata\/vectors\//, 'testdata/golden/'));
  if (output !== golden) errors.push(`output differs from the golden file:\n  node   ${output}\n  golden ${golden}`);
  if ('expectError' in vector) {
    const e = actual.error;
    if (!e) errors.push(`expected error ${vector.expectError.code}, got a result`);
    else if (e.code !== vector.expectError.code || ('path' in vector.expectError && e.path !== vector.expectError.path)) {
      errors.push(`error ${e.code} at ${e.path}, expected ${JSON.stringify(vector.expectError)}`);
    }
  } else if (actual.error) errors.push(`unexpected error: ${output}`);
  else subset(vector.expect, actual, '', errors);
  const fromObject = suite.object(vector.input);
  if (!isDeepStrictEqual(fromObject, actual)) errors.push(`the object entry point differs: ${JSON.stringify(fromObject)}`);
  return errors;
}

for (const [name, suite] of Object.entries(DOCUMENT_SUITES)) {
  test(`every ${name} vector: golden bytes, expectations and objects`, () => {
    const files = jsonFiles(`testdata/vectors/${name}`);
    let failed = 0;
    for (const file of files) {
      let errors;
      try {
        errors = run(suite, file);
      } catch (e) {
        errors = [`threw: ${e?.stack ?? e}`];
      }
      if (errors.length) {
        failed += 1;
        console.log(`FAIL ${file}\n${errors.map((e) => `     ${e}`).join('\n')}`);
      }
    }
    console.log(`${name} vectors (node): ${files.length - failed} passed, ${failed} failed, ${files.length} total`);
    assert.ok(files.length >= 1, `no ${name} vectors found`);
    assert.equal(failed, 0);
  });
}
