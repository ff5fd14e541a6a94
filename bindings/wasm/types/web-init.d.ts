
// ---------------------------------------------------------------------------------------------
// Loading (pkg/web only): call `init()` once before anything else.

/** Where to get the module: a URL (default: `vouch_wasm_bg.wasm` next to this file), a fetch `Response`, bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** The instantiated module's exports (internal; only `memory` is of any use outside). */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/** Fetches (streaming where the server sends `application/wasm`) and instantiates the module. */
export default function init(
  moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** Instantiates the module synchronously from bytes or a compiled module. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
