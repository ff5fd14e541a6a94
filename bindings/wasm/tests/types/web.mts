// Type-level test of the web package (ES module): `init()` first, then the same API.
import init, { evaluate, initSync, version, type Decision, type ErrorResult, type InitOutput } from '../../pkg/web/vouch_wasm.js';

async function main(): Promise<void> {
  const exports: InitOutput = await init();
  void exports.memory;
  await init({ module_or_path: new URL('vouch_wasm_bg.wasm', import.meta.url) });
  await init(fetch('vouch_wasm_bg.wasm'));
  initSync({ module: new Uint8Array() });
  const result: Decision | ErrorResult = evaluate({ policy: 'x', request: { images: ['busybox'] }, now: '2026-11-23T10:00:00Z' });
  document.title = `${version()} ${'error' in result ? result.error.code : result.verdict}`;
}
void main;
