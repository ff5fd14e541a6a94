// The JavaScript API of the Node package: evaluate, evaluateJson, validatePolicy,
// parseImageRef, version and the Evaluator class, on the presets of examples/bundles/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { halves, here, PRESETS, preset, read, vouch } from './helpers.mjs';

const expectOutcome = (result, expected) => {
  if (expected.startsWith('/')) {
    assert.equal(result.error?.path, expected, JSON.stringify(result));
    assert.equal(result.error.code, 'POLICY_INVALID_PATTERN');
  } else {
    assert.equal(result.verdict, expected, JSON.stringify(result.error ?? result.verdict));
    assert.equal(result.allowed, expected !== 'DENY');
  }
};

describe('evaluate', () => {
  for (const [name, expected] of Object.entries(PRESETS)) {
    test(`${name}: object, JSON text and exact bytes agree`, () => {
      const bundle = preset(name);
      const result = vouch.evaluate(bundle);
      expectOutcome(result, expected);
      assert.deepEqual(vouch.evaluate(JSON.stringify(bundle)), result);
      assert.deepEqual(JSON.parse(vouch.evaluateJson(JSON.stringify(bundle))), result);
    });
  }

  test('reads YAML text', () => {
    const yaml = [
      'policy: |',
      '  defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}',
      '  admissionWhitelistPatterns: [{namePattern: "gcr.io/p/tools/*"}]',
      'request:',
      '  images: [gcr.io/p/tools/kubectl:1.31, gcr.io/p/app:1]',
      'now: 2026-11-23T10:00:00Z',
    ].join('\n');
    const d = vouch.evaluate(yaml);
    assert.equal(d.verdict, 'DENY');
    assert.deepEqual(d.images.map((i) => i.outcome), ['EXEMPT', 'VIOLATION']);
    assert.deepEqual(d.images[1].reasons.map((r) => r.code), ['ALWAYS_DENY']);
    assert.equal(d.rule.kind, 'DEFAULT');
    assert.equal(d.rule.key, null);
  });

  test('a configuration error is returned as the contract error object, never thrown', () => {
    const circular = {};
    circular.self = circular;
    const cases = [
      [null, 'BUNDLE_NOT_OBJECT', ''],
      [[], 'BUNDLE_NOT_OBJECT', ''],
      [42, 'BUNDLE_NOT_OBJECT', ''],
      ['{', 'INPUT_SYNTAX', ''],
      [undefined, 'INPUT_SYNTAX', ''],
      [10n, 'INPUT_SYNTAX', ''],
      [circular, 'INPUT_SYNTAX', ''],
      [{ request: { images: ['busybox'] }, now: '2026-11-23T10:00:00Z' }, 'BUNDLE_MISSING_FIELD', '/policy'],
      [{ ...preset('prod-released'), now: 'yesterday' }, 'BUNDLE_INVALID_NOW', '/now'],
      [{ ...preset('prod-released'), request: { images: ['gcr.io/P/app'] } }, 'REQUEST_INVALID_IMAGE', '/request/images/0'],
    ];
    for (const [input, code, path] of cases) {
      const result = vouch.evaluate(input);
      assert.deepEqual(Object.keys(result), ['error']);
      assert.deepEqual(Object.keys(result.error), ['code', 'path', 'message']);
      assert.equal(result.error.code, code, `${String(input)}: ${result.error.message}`);
      assert.equal(result.error.path, path);
      assert.equal(typeof result.error.message, 'string');
    }
  });

  test('evaluateJson returns the error JSON for text that is not a bundle', () => {
    assert.ok(vouch.evaluateJson('[]').startsWith('{"error":{"code":"BUNDLE_NOT_OBJECT","path":"","message":"'));
    assert.equal(JSON.parse(vouch.evaluateJson('')).error.code, 'BUNDLE_NOT_OBJECT');
  });

  test('break-glass from the request labels', () => {
    const bundle = preset('prod-candidate');
    bundle.request.labels = { 'image-policy.k8s.io/break-glass': 'true' };
    const d = vouch.evaluate(bundle);
    assert.equal(d.verdict, 'BREAK_GLASS_ALLOW');
    assert.ok('imagepolicywebhook.image-policy.k8s.io/break-glass' in d.auditAnnotations);
  });
});

describe('validatePolicy', () => {
  const good = preset('prod-released').policy;
  const bad = preset('invalid-policy').policy;

  test('a valid policy, with the lint warnings of docs/lint.md', () => {
    const r = vouch.validatePolicy(good);
    assert.deepEqual(Object.keys(r), ['ok', 'errors', 'warnings']);
    assert.equal(r.ok, true);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings.map((w) => w.code), ['DRY_RUN_RULE', 'RULE_WEAKER_THAN_DEFAULT', 'SEVERAL_RULE_MAPS']);
    for (const w of r.warnings) {
      assert.deepEqual(Object.keys(w), ['code', 'path', 'message', 'fix']);
      assert.match(w.path, /^\//);
      assert.ok(w.message && w.fix);
    }
    assert.equal(r.warnings[1].path, '/kubernetesNamespaceAdmissionRules/sandbox/evaluationMode');
    // The preset's own attestors all have keys: the same warnings.
    assert.deepEqual(vouch.validatePolicy(good, preset('prod-released').attestors), r);
    assert.deepEqual(vouch.validatePolicy(good, null), r);
    const clean = { globalPolicyEvaluationMode: 'ENABLE', defaultAdmissionRule: { evaluationMode: 'ALWAYS_DENY', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' } };
    assert.deepEqual(vouch.validatePolicy(clean), { ok: true, errors: [], warnings: [] });
  });

  test('attestors enable the attestor checks; unreadable attestors are an error under /attestors', () => {
    const policy = {
      globalPolicyEvaluationMode: 'ENABLE',
      defaultAdmissionRule: { evaluationMode: 'REQUIRE_ATTESTATION', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG', requireAttestationsBy: ['projects/p/attestors/a'] },
    };
    const keyless = [{ name: 'projects/p/attestors/a', userOwnedGrafeasNote: { noteReference: 'projects/p/notes/a' } }];
    assert.deepEqual(vouch.validatePolicy(policy).warnings, []);
    const r = vouch.validatePolicy(policy, keyless);
    assert.equal(r.ok, true);
    assert.deepEqual(r.warnings.map((w) => w.code), ['ATTESTOR_WITHOUT_KEYS']);
    assert.deepEqual(vouch.validatePolicy(policy, JSON.stringify({ attestors: keyless })), r);
    const bad = vouch.validatePolicy(policy, '{');
    assert.equal(bad.ok, false);
    assert.equal(bad.errors[0].code, 'INPUT_SYNTAX');
    assert.match(bad.errors[0].path, /^\/attestors/);
    assert.deepEqual(bad.warnings, []);
    assert.equal(vouch.validatePolicy(policy, 7).errors[0].path, '/attestors');
  });

  test('an invalid policy: the error path points into the policy document', () => {
    const r = vouch.validatePolicy(bad);
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(r), ['ok', 'errors', 'warnings']);
    assert.equal(r.errors.length, 1);
    assert.deepEqual(Object.keys(r.errors[0]), ['code', 'path', 'message']);
    assert.equal(r.errors[0].code, 'POLICY_INVALID_PATTERN');
    assert.equal(r.errors[0].path, '/admissionWhitelistPatterns/0/namePattern');
    assert.deepEqual(r.warnings, []);
  });

  test('objects, syntax errors and non-documents', () => {
    const policy = { defaultAdmissionRule: { evaluationMode: 'ALWAYS_ALLOW', enforcementMode: 'ENFORCED_BLOCK_AND_AUDIT_LOG' } };
    assert.equal(vouch.validatePolicy(policy).ok, true);
    const missing = vouch.validatePolicy({});
    assert.equal(missing.errors[0].code, 'POLICY_MISSING_FIELD');
    assert.equal(vouch.validatePolicy('a: [').errors[0].code, 'INPUT_SYNTAX');
    assert.equal(vouch.validatePolicy(undefined).errors[0].code, 'INPUT_SYNTAX');
    assert.equal(vouch.validatePolicy(7).ok, false);
    const unknown = vouch.validatePolicy('defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\nclusterAdmisionRules: {}');
    assert.deepEqual([unknown.errors[0].code, unknown.errors[0].path], ['POLICY_UNKNOWN_FIELD', '/clusterAdmisionRules']);
  });

  test('options: the platform (gke by default, cloud-run); invalid options are an error under /options', () => {
    const r = vouch.validatePolicy(good, null, { platform: 'cloud-run' });
    assert.equal(r.ok, true);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.path]),
      [
        ['CLOUD_RUN_RULE_IGNORED', '/clusterAdmissionRules/us-central1-a.prod-cluster'],
        ['CLOUD_RUN_RULE_IGNORED', '/clusterAdmissionRules/us-central1.staging-cluster'],
        ['CLOUD_RUN_RULE_IGNORED', '/kubernetesNamespaceAdmissionRules/sandbox'],
      ],
    );
    assert.deepEqual(vouch.validatePolicy(good, null, { platform: 'gke' }), vouch.validatePolicy(good));
    assert.deepEqual(vouch.validatePolicy(good, undefined, {}), vouch.validatePolicy(good));
    assert.deepEqual(vouch.validatePolicy(good, null, JSON.stringify({ platform: 'cloud-run' })), r);
    for (const [options, path] of [
      [{ platform: 'cloudRun' }, '/options/platform'],
      [{ platform: 7 }, '/options/platform'],
      [{ platfrom: 'gke' }, '/options'],
      ['cloud-run', '/options'],
      [7, '/options'],
    ]) {
      const bad = vouch.validatePolicy(good, null, options);
      assert.equal(bad.ok, false, JSON.stringify(options));
      assert.deepEqual([bad.errors[0].code, bad.errors[0].path], ['BUNDLE_INVALID_OPTIONS', path], JSON.stringify(options));
      assert.deepEqual(bad.warnings, []);
    }
  });
});

describe('parseImageRef', () => {
  const digest = 'sha256:434be164c758fe04ad1a99f90538e11d81b6b7368aff3fc3fc3ea1d012f0983a';

  test('a full reference', () => {
    const image = `us-docker.pkg.dev/example-project/app/web:1.4@${digest}`;
    assert.deepEqual(vouch.parseImageRef(image), {
      ok: true,
      reference: image,
      registry: 'us-docker.pkg.dev',
      path: 'example-project/app/web',
      repository: 'us-docker.pkg.dev/example-project/app/web',
      tag: '1.4',
      digest,
      normalized: image,
    });
  });

  test('a familiar name is kept as written and normalized separately', () => {
    const r = vouch.parseImageRef('busybox');
    assert.deepEqual([r.registry, r.path, r.repository, r.tag, r.digest], [null, 'busybox', 'busybox', null, null]);
    assert.equal(r.normalized, 'docker.io/library/busybox:latest');
    assert.equal(vouch.parseImageRef('localhost:5000/app').registry, 'localhost:5000');
  });

  test('invalid references and non-strings', () => {
    for (const input of ['', 'gcr.io/Project/app', 'app:-tag', 'app@sha256:abc', 'app@md5:' + '0'.repeat(32), 42, null, undefined, {}]) {
      const r = vouch.parseImageRef(input);
      assert.equal(r.ok, false, String(input));
      assert.deepEqual(Object.keys(r), ['ok', 'error']);
      assert.equal(r.error.code, 'REQUEST_INVALID_IMAGE');
      assert.equal(r.error.path, '');
      assert.ok(r.error.message.length > 0);
    }
  });
});

test('version is the workspace version', () => {
  const cargo = readFileSync(join(here, '..', '..', 'Cargo.toml'), 'utf8');
  const workspace = cargo.match(/\[workspace\.package\][^[]*?\nversion = "([^"]+)"/)?.[1];
  assert.equal(vouch.version(), workspace);
  const pkg = JSON.parse(readFileSync(join(here, 'pkg', 'node', 'package.json'), 'utf8'));
  assert.equal(pkg.version, workspace);
});

describe('Evaluator', () => {
  test('gives the same result as evaluate on every preset', () => {
    for (const [name, expected] of Object.entries(PRESETS)) {
      if (expected.startsWith('/')) continue;
      const bundle = preset(name);
      const { config, input } = halves(bundle);
      const evaluator = new vouch.Evaluator(config);
      assert.deepEqual(evaluator.evaluate(input), vouch.evaluate(bundle), name);
      assert.equal(evaluator.evaluateJson(JSON.stringify(input)), vouch.evaluateJson(JSON.stringify(bundle)), name);
      evaluator.free();
    }
  });

  test('one compiled policy serves many requests', () => {
    const { config } = halves(preset('prod-released'));
    const evaluator = new vouch.Evaluator(JSON.stringify(config));
    for (const [name, expected] of Object.entries(PRESETS)) {
      if (expected.startsWith('/')) continue;
      const { input } = halves(preset(name));
      assert.equal(evaluator.evaluate(input).verdict, expected, name);
    }
    assert.equal(evaluator.evaluate(JSON.stringify(halves(preset('prod-released')).input)).verdict, 'ALLOW');
    evaluator.free();
  });

  test('the constructor throws a VouchError with the bundle path', () => {
    const { config } = halves(preset('invalid-policy'));
    assert.throws(() => new vouch.Evaluator(config), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'VouchError');
      assert.equal(e.code, 'POLICY_INVALID_PATTERN');
      assert.equal(e.path, '/policy/admissionWhitelistPatterns/0/namePattern');
      assert.match(e.message, /wildcard/);
      return true;
    });
    const { config: noAttestors } = halves(preset('prod-released'));
    delete noAttestors.attestors;
    assert.throws(() => new vouch.Evaluator(noAttestors), { name: 'VouchError', code: 'POLICY_UNKNOWN_ATTESTOR', path: '/policy/clusterAdmissionRules/us-central1-a.prod-cluster/requireAttestationsBy/0' });
    assert.throws(() => new vouch.Evaluator({ ...noAttestors, request: {} }), { code: 'BUNDLE_UNKNOWN_FIELD', path: '/request' });
    assert.throws(() => new vouch.Evaluator(undefined), { code: 'INPUT_SYNTAX', path: '' });
  });

  test('evaluate returns errors for bad input instead of throwing', () => {
    const { config, input } = halves(preset('prod-released'));
    const evaluator = new vouch.Evaluator(config);
    assert.equal(evaluator.evaluate({ ...input, policy: 'x' }).error.code, 'BUNDLE_UNKNOWN_FIELD');
    assert.equal(evaluator.evaluate({ ...input, now: 3 }).error.code, 'BUNDLE_INVALID_NOW');
    assert.deepEqual(evaluator.evaluate({ now: input.now }).error.path, '/request');
    assert.equal(evaluator.evaluate(null).error.code, 'BUNDLE_NOT_OBJECT');
    assert.equal(evaluator.evaluate(10n).error.code, 'INPUT_SYNTAX');
    assert.equal(JSON.parse(evaluator.evaluateJson('nope')).error.code, 'BUNDLE_NOT_OBJECT');
    evaluator.free();
  });

  test('a caller system policy is used', () => {
    const { config, input } = halves(preset('prod-candidate'));
    config.systemPolicy = 'admissionWhitelistPatterns:\n- namePattern: us-docker.pkg.dev/example-project/app/*\n';
    const d = new vouch.Evaluator(config).evaluate(input);
    assert.equal(d.verdict, 'ALLOW');
    assert.equal(d.systemPolicySource, 'CALLER');
    assert.equal(d.images[0].exemption.source, 'SYSTEM_POLICY');
  });
});

test('every runtime export is declared in the hand-written types, and nothing more', () => {
  const dts = readFileSync(join(here, 'types', 'vouch.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?(?:function|class) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(Object.keys(vouch).sort(), declared);
  const web = readFileSync(join(here, 'pkg', 'web', 'vouch_wasm.js'), 'utf8');
  const webExports = [...web.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
  const webExtra = [...web.matchAll(/^export \{ (.+) \};?$/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(' as ').pop()));
  assert.deepEqual([...webExports, ...webExtra].filter((n) => n !== 'default').sort(), [...declared, 'initSync'].sort());
});

test('the web package and the page get the same module', () => {
  assert.deepEqual(readFileSync(join(here, 'www', 'pkg', 'vouch_wasm_bg.wasm')), readFileSync(join(here, 'pkg', 'web', 'vouch_wasm_bg.wasm')));
  assert.ok(read('bindings/wasm/www/presets.js').includes('"prod-released"'));
});
