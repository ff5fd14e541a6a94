// The Node example of docs/wasm.md (also the README's) runs, with `vouch-wasm` resolved to the
// built pkg/node, from the repository root, and prints what its comments say.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'node:test';
import { here, read, root } from './helpers.mjs';

test('the Node example in docs/wasm.md runs and prints what it says', () => {
  const docs = read('docs/wasm.md');
  const example = docs.split('## From Node\n\n```js\n')[1]?.split('```')[0];
  assert.ok(example, 'docs/wasm.md has a "From Node" js block');
  const readme = read('README.md').split('```js\n')[1]?.split('```')[0];
  assert.equal(readme, example, "the README's js block is docs/wasm.md's Node example, verbatim");
  const base = createRequire(join(root, 'package.json'));
  const require = (name) => (name === 'vouch-wasm' ? base(join(here, 'pkg', 'node', 'vouch_wasm.js')) : base(name));
  const printed = [];
  const console = { log: (...args) => printed.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')) };
  const cwd = process.cwd();
  process.chdir(root);
  try {
    new Function('require', 'console', example)(require, console);
  } finally {
    process.chdir(cwd);
  }
  assert.deepEqual(printed, [
    'DENY',
    'migrate NO_VALID_ATTESTATION projects/example-project/attestors/qa-approved',
    'web NO_VALID_ATTESTATION projects/example-project/attestors/qa-approved',
    'DENY',
    'true ["DRY_RUN_RULE","RULE_WEAKER_THAN_DEFAULT","SEVERAL_RULE_MAPS"]',
  ]);
});
