// The policy lint vectors of testdata/vectors/lint/ through validatePolicy: the same warning codes and
// paths, in order, each with a fix, or the same error code and path, as the Rust and Python
// runners; for the documents as objects and as JSON text, linted for the vector's `platform`.
import assert from 'node:assert/strict';
import test from 'node:test';
import { jsonFiles, read, vouch } from './helpers.mjs';

const files = jsonFiles('testdata/vectors/lint');

test('lint vectors run', () => assert.ok(files.length >= 10, `${files.length} lint vectors`));

for (const file of files) {
  test(file, () => {
    const c = JSON.parse(read(file));
    // The platform the policy is linted for (`gke` when the vector has none), as the option.
    const options = c.platform === undefined ? undefined : { platform: c.platform };
    for (const form of ['object', 'text']) {
      const text = (d) => (d === undefined ? undefined : typeof d === 'string' ? d : JSON.stringify(d));
      const r =
        form === 'object'
          ? vouch.validatePolicy(c.policy, c.attestors, options)
          : vouch.validatePolicy(text(c.policy), text(c.attestors), options);
      if (c.expectError) {
        assert.equal(r.ok, false, form);
        assert.deepEqual(r.warnings.map(({ code, path }) => ({ code, path })), c.expectWarnings, form);
        assert.deepEqual([r.errors[0].code, r.errors[0].path], [c.expectError.code, c.expectError.path], form);
      } else {
        assert.equal(r.ok, true, `${form}: ${JSON.stringify(r.errors)}`);
        assert.deepEqual(r.warnings.map(({ code, path }) => ({ code, path })), c.expectWarnings, form);
        for (const w of r.warnings) assert.ok(w.fix, `${form}: ${w.code} has a fix`);
      }
    }
  });
}
