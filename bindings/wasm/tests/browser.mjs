// The preview page in a real headless browser: serves bindings/wasm/www on 127.0.0.1 with
// Python's static server, drives Debian's Chromium through playwright-core, checks the verdicts,
// reasons, rejected attestations and error paths it shows for the presets and while typing,
// runs every shared vector through the page's module byte for byte against testdata/golden,
// and saves screenshots under target/screenshots/. Run by scripts/test-browser.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { bundleOf, bundleVectors, here, jsonFiles, read, root } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function serve() {
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', join(here, 'www')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (chunk) => { log += chunk; });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/index.html`)).ok) return { origin, server, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`the static server did not start: ${log}`);
}

const checks = [];
const check = async (name, fn) => {
  const started = Date.now();
  await fn();
  checks.push(name);
  console.log(`ok ${checks.length} - ${name} (${Date.now() - started} ms)`);
};

const { origin, server, log } = await serve();
const profile = mkdtempSync(join(tmpdir(), 'vouch-chromium-'));
// A fresh profile: Playwright passes it to Chromium as --user-data-dir.
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
  viewport: { width: 1440, height: 1000 },
  deviceScaleFactor: 1,
});

try {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  const wasmTypes = [];
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasmTypes.push(r.headers()['content-type']); });

  const text = async (selector) => (await page.locator(selector).first().innerText()).trim();
  const all = (selector, attribute) => page.$$eval(selector, (nodes, a) => nodes.map((n) => (a ? n.getAttribute(a) : n.textContent.trim())), attribute);
  const showPreset = async (id) => {
    await page.selectOption('#preset', id);
    await page.waitForSelector(`#result[data-source="${id}"]`);
  };

  let firstVerdictMs = 0;
  let firstTimings = '';
  await check('the page loads offline from 127.0.0.1 and shows the first preset', async () => {
    const started = Date.now();
    await page.goto(`${origin}/`);
    await page.waitForSelector('#result[data-source="prod-released"]');
    firstVerdictMs = Date.now() - started;
    const [load, evaluation, shown] = await Promise.all(['data-load-ms', 'data-evaluation-ms', 'data-shown-at-ms'].map((a) => page.getAttribute('#result', a)));
    firstTimings = `shown ${shown} ms after the page's navigation start; module fetched and instantiated in ${load} ms, first evaluation ${evaluation} ms`;
    assert.deepEqual(wasmTypes, ['application/wasm']);
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'only the page\'s own files are fetched');
    assert.equal(await page.locator('#preset option').count(), 11);
  });

  await check('allowed: prod-released shows ALLOW, the cluster rule, and every image conformant or exempt', async () => {
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'ALLOW');
    assert.equal(await text('#verdict'), 'Allow');
    assert.equal(await page.getAttribute('#rule', 'data-kind'), 'CLUSTER');
    assert.match(await text('#rule'), /us-central1-a\.prod-cluster/);
    assert.deepEqual(await all('.image', 'data-outcome'), ['CONFORMANT', 'CONFORMANT', 'EXEMPT']);
    assert.deepEqual(await all('.image', 'data-container'), ['migrate', 'web', 'netshoot']);
    assert.deepEqual(await all('.image[data-container="web"] .attestors li', 'data-satisfied'), ['true', 'true']);
    assert.match(await text('.image[data-container="netshoot"] .exemption'), /gcr\.io\/example-project\/debug-tools\/\*/);
    assert.equal(await text('#policy-status'), 'valid, 3 warnings');
    assert.match(await page.getAttribute('#policy-status', 'title'), /^DRY_RUN_RULE at \/clusterAdmissionRules\/.*Fix: /);
    await page.screenshot({ path: join(shots, 'preview-allowed.png'), fullPage: false });
  });

  await check('denied: prod-candidate shows DENY with NO_VALID_ATTESTATION for qa-approved', async () => {
    await showPreset('prod-candidate');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'DENY');
    assert.deepEqual(await all('.image', 'data-outcome'), ['VIOLATION', 'VIOLATION', 'EXEMPT']);
    assert.deepEqual(await all('.image[data-container="web"] .reason', 'data-code'), ['NO_VALID_ATTESTATION']);
    assert.match(await text('.image[data-container="web"] .reason'), /qa-approved/);
    assert.deepEqual(await all('.image[data-container="web"] .attestors li', 'data-satisfied'), ['true', 'false']);
    await page.screenshot({ path: join(shots, 'preview-denied.png'), fullPage: false });
  });

  await check('invalid policy: the error code, the bundle path and the policy line are shown', async () => {
    await showPreset('invalid-policy');
    assert.equal(await page.getAttribute('#result', 'data-state'), 'error');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'POLICY_INVALID_PATTERN');
    assert.equal(await page.getAttribute('#error', 'data-path'), '/policy/admissionWhitelistPatterns/0/namePattern');
    assert.equal(await text('#error-path'), '/policy/admissionWhitelistPatterns/0/namePattern');
    assert.match(await text('#error'), /Policy, line 5/);
    assert.ok(await page.locator('[data-field="policy"].has-error').isVisible());
    assert.match(await text('[data-field="policy"] .field-error'), /^POLICY_INVALID_PATTERN on line 5: wildcard/);
    assert.equal(await text('[data-field="policy"] .gutter .err'), '5');
    assert.equal(await text('#policy-status'), '1 error');
    await page.screenshot({ path: join(shots, 'preview-invalid-policy.png'), fullPage: false });
  });

  await check('rejected attestations: each candidate that did not count shows its detail code', async () => {
    await showPreset('rejected-attestations');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'DENY');
    assert.deepEqual(await all('.detail', 'data-code'), ['DIGEST_MISMATCH', 'BAD_SIGNATURE', 'UNKNOWN_KEY_ID']);
    await page.screenshot({ path: join(shots, 'preview-rejected-attestations.png'), fullPage: false });
  });

  await check('dry run and break-glass presets', async () => {
    await showPreset('staging-candidate-dry-run');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'DRY_RUN_ALLOW');
    await showPreset('prod-break-glass');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'BREAK_GLASS_ALLOW');
    assert.match(await text('.facts'), /break-glass: true/);
  });

  await check('Cloud Run presets: digest admitted, tag denied, break-glass recorded, ignored rules, not enabled', async () => {
    await showPreset('cloud-run-service-export-digest-attested-admits');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'ALLOW');
    assert.equal(await page.getAttribute('#cloud-run', 'data-binauthz'), 'DEFAULT');
    assert.match(await text('#cloud-run'), /Cloud Run service\s+web/);
    await showPreset('cloud-run-service-export-tag-denied');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'DENY');
    assert.deepEqual(await all('.image[data-container="web"] .reason', 'data-code'), ['NOT_DIGEST_PINNED']);
    await page.screenshot({ path: join(shots, 'preview-cloud-run-tag.png'), fullPage: false });
    await showPreset('cloud-run-break-glass-empty-justification-admits');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'BREAK_GLASS_ALLOW');
    assert.equal(await page.getAttribute('#cloud-run .justification', 'data-justification'), '');
    assert.match(await text('#cloud-run .justification'), /empty justification/);
    await showPreset('cloud-run-default-rule-only-specific-rules-ignored');
    assert.deepEqual(await all('#cloud-run .ignored-rules li', 'data-kind'), ['CLUSTER', 'NAMESPACE', 'SERVICE_ACCOUNT']);
    await showPreset('cloud-run-no-annotation-not-enabled');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'ALLOW');
    assert.equal(await page.getAttribute('#cloud-run', 'data-reason'), 'BINARY_AUTHORIZATION_NOT_ENABLED');
    assert.equal(await page.locator('.image').count(), 0);
    // A Kubernetes decision has no Cloud Run block.
    await showPreset('prod-released');
    assert.equal(await page.locator('#cloud-run').count(), 0);
  });

  await check('re-evaluates as you type (debounced): break the policy, then fix it', async () => {
    await showPreset('prod-released');
    const policy = await page.inputValue('#policy');
    const before = Number(await page.getAttribute('#result', 'data-evaluations'));
    await page.fill('#policy', policy.replace('debug-tools/*', 'debug-*/tools'));
    await page.waitForSelector('#result[data-source="edited"][data-state="error"]');
    assert.equal(await page.getAttribute('#error', 'data-path'), '/policy/admissionWhitelistPatterns/0/namePattern');
    await page.locator('#policy').pressSequentially('\n# a comment typed key by key', { delay: 5 });
    await page.waitForFunction((n) => Number(document.querySelector('#result').dataset.evaluations) > n, before + 1);
    const after = Number(await page.getAttribute('#result', 'data-evaluations'));
    assert.ok(after - before <= 3, `typing ${28} keys evaluated ${after - before} times: not debounced`);
    await page.fill('#policy', policy);
    await page.waitForSelector('#result[data-source="edited"][data-state="decision"]');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'ALLOW');
    assert.equal(await page.locator('.has-error').count(), 0);
  });

  await check('request fields: break-glass checkbox, images mode, and errors pointing at inputs', async () => {
    await showPreset('prod-candidate');
    await page.check('#breakGlass');
    await page.waitForSelector('#result[data-source="edited"] #verdict[data-verdict="BREAK_GLASS_ALLOW"]');
    await page.uncheck('#breakGlass');
    await page.waitForSelector('#result[data-source="edited"] #verdict[data-verdict="DENY"]');
    await page.fill('#cluster', 'prod');
    await page.waitForSelector('#error[data-path="/request/cluster"]');
    assert.ok(await page.locator('[data-field="cluster"].has-error').isVisible());
    await page.fill('#cluster', 'us-central1-a.prod-cluster');
    await page.locator('#inputs .segmented label', { hasText: 'Images' }).click();
    await page.fill('#images', 'gcr.io/example-project/debug-tools/netshoot:v0.13\ngcr.io/Example/app:1');
    await page.waitForSelector('#error[data-path="/request/images/1"]');
    assert.equal(await text('[data-field="images"] .gutter .err'), '2');
    await page.fill('#images', 'gcr.io/example-project/debug-tools/netshoot:v0.13');
    await page.waitForSelector('#result[data-state="decision"] #verdict[data-verdict="ALLOW"]');
    assert.deepEqual(await all('.image', 'data-outcome'), ['EXEMPT']);
  });

  await check('platform mode: a platform policy, a Pod and evidence give the per-check table and its errors', async () => {
    await page.locator('.topbar .mode label', { hasText: 'Platform policy' }).click();
    await page.waitForSelector('#result[data-state="platform"]');
    assert.ok(await page.locator('#platform-inputs').isVisible());
    assert.ok(!(await page.locator('#inputs').isVisible()));
    await showPreset('platform-prod-pod');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'NON_CONFORMANT');
    assert.deepEqual(await all('.platform-image', 'data-verdict'), ['CONFORMANT', 'CONFORMANT', 'NON_CONFORMANT', 'NON_CONFORMANT']);
    assert.deepEqual(await all('.platform-image:nth-child(3) tr.check', 'data-verdict'), ['CONFORMANT', 'NON_CONFORMANT']);
    assert.deepEqual(await all('.platform-image:nth-child(3) .detail-codes code', 'data-code'), ['IN_TRUSTED_DIRECTORY', 'IMAGE_TOO_OLD']);
    assert.match(await text('.platform-image:nth-child(4) tr.check[data-type="TrustedDirectoryCheck"]'), /has verdict NOT_CONFORMANT\. Image is not in a trusted directory/);
    assert.match(await text('.platform-image .check-set'), /Check set 1 “Prod check set” \(scope prod\)/);
    await page.screenshot({ path: join(shots, 'preview-platform.png'), fullPage: false });
    await showPreset('platform-attestation-pae');
    assert.equal(await page.getAttribute('#verdict', 'data-verdict'), 'CONFORMANT');
    assert.deepEqual(await all('tr.check', 'data-type'), ['SimpleSigningAttestationCheck']);
    await page.fill('#platformPolicy', 'gkePolicy:\n  checkSets:\n  - checks:\n    - alwaysDeny: false\n');
    await page.waitForSelector('#result[data-source="edited"][data-state="error"]');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'PLATFORM_ALWAYS_DENY_FALSE');
    assert.equal(await page.getAttribute('#error', 'data-path'), '/platformPolicy/gkePolicy/checkSets/0/checks/0/alwaysDeny');
    assert.equal(await text('[data-field="platformPolicy"] .gutter .err'), '4');
    await page.locator('.topbar .mode label', { hasText: 'Project policy' }).click();
    await page.waitForSelector('#result[data-state="decision"]');
    assert.equal(await page.locator('#preset option').count(), 11);
  });

  let browserVectors;
  await check('every shared vector through the page\'s module, byte for byte against testdata/golden', async () => {
    // Bundle vectors through evaluateJson, and each document suite through its text entry point.
    const suites = { inspect: 'inspectEvidenceJson', platform: 'evaluatePlatformJson', cv: 'continuousValidationJson', replay: 'replayJson' };
    const golden = (file) => read(file.replace(/^testdata\/vectors\//, 'testdata/golden/'));
    const cases = [
      ...bundleVectors().map((file) => [file, 'evaluateJson', JSON.stringify(bundleOf(JSON.parse(read(file)))), golden(file)]),
      ...Object.entries(suites).flatMap(([suite, entry]) =>
        jsonFiles(`testdata/vectors/${suite}`).map((file) => [file, entry, JSON.stringify(JSON.parse(read(file)).input), golden(file)]),
      ),
    ];
    const files = cases.map(([file]) => file);
    const failed = await page.evaluate(async (all) => {
      const vouch = await import('./pkg/vouch_wasm.js');
      return all.filter(([, entry, text, expected]) => vouch[entry](text) !== expected).map(([file]) => file);
    }, cases);
    for (const file of failed) console.log(`FAIL ${file}`);
    browserVectors = `vectors (browser): ${files.length - failed.length} passed, ${failed.length} failed, ${files.length} total`;
    assert.deepEqual(failed, []);
  });

  await check('the replay report opens offline from a file and shows the replay\'s numbers, chart and tables', async () => {
    // `vouch replay --html` on the hand-checked sample (examples/replay/): the CLI as the rust
    // stage built it (built here when this stage runs alone).
    const bin = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'vouch');
    if (!existsSync(bin)) execFileSync('cargo', ['build', '-q', '-p', 'vouch-cli'], { cwd: root, stdio: 'inherit' });
    const dir = mkdtempSync(join(tmpdir(), 'vouch-replay-report-'));
    const report = join(dir, 'report.html');
    const args = ['replay', '--policy', 'examples/policy.yaml', '--attestors', 'examples/attestors.json', '--evidence', 'examples/attestations.json',
      '--cluster', 'us-central1-a.prod-cluster', '--progress', 'never', '--output', 'none', '--html', report,
      'examples/replay/gke-audit.json', 'examples/replay/k8s-audit.jsonl'];
    try {
      execFileSync(bin, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      // Exit 1: some event is newly blocked (the sample has two).
      assert.equal(e.status, 1, String(e.stderr));
    }
    const before = requests.length;
    await page.goto(`file://${report}`);
    const cards = await page.$$eval('#cards .card', (nodes) => nodes.map((n) => n.textContent.trim()));
    assert.deepEqual(cards.slice(0, 5), ['14entries read', '10deployment events', '2newly blocked', '0newly admitted', '7unchanged']);
    assert.equal(await page.locator('#chart rect').count(), 3 * 4, 'four hours, three bars each');
    assert.match(await text('h1'), /What would examples\/policy\.yaml have changed\?/);
    const blocked = await page.$$eval('table', (tables) => tables[0].innerText);
    assert.match(blocked, /us-docker\.pkg\.dev\/example-project\/app\/web:v1\.4\.2/);
    assert.equal(await page.locator('details summary', { hasText: 'europe-west1-b.dev-cluster' }).count(), 1);
    assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith('file://')), [], 'the report fetches nothing');
    await page.screenshot({ path: join(shots, 'replay-report.png'), fullPage: true });
    rmSync(dir, { recursive: true, force: true });
  });

  await check('no console errors, failed requests or page errors', async () => {
    assert.deepEqual(problems, []);
  });

  const chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  console.log(`browser (${chromiumVersion}): ${checks.length} checks passed; first verdict ${firstVerdictMs} ms after page.goto (${firstTimings}); screenshots in ${shots}`);
  console.log(browserVectors);
} catch (e) {
  console.log(`not ok - ${e.stack ?? e}`);
  console.log(`static server log:\n${log()}`);
  process.exitCode = 1;
} finally {
  await context.close();
  server.kill();
  rmSync(profile, { recursive: true, force: true });
}
