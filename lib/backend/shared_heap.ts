/**
 * The stock wasm backend's module instantiated on a shared
 * `WebAssembly.Memory`, so that worker threads can run the SIMD kernels on
 * the same heap (see worker_pool.ts).
 *
 * The stock factory loads `tfjs-backend-wasm-simd.wasm`, whose memory is
 * defined inside the module and so not shared: tfjs's threaded build
 * cannot start under Deno (it takes Deno for Node and builds classic
 * workers). Here the same binary is read, its memory's limits flag is set
 * to "shared" (the one byte that differs; the module uses no atomics, and
 * already declares a maximum of 4 GiB, which a shared memory needs), and
 * the stock Emscripten glue instantiates it through its `instantiateWasm`
 * hook. Everything else is as `tf.setBackend("wasm")` would make it.
 *
 * @module
 */
import { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import wasmFactory from "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js";

/** The stock SIMD binary, beside the glue in the npm package. */
const SIMD_BINARY = "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm";

/** WebAssembly section id of the memory section. */
const MEMORY_SECTION = 5;
/** Limits flags: 1 has a maximum, 3 has a maximum and is shared. */
const LIMITS_MAX = 1;
const LIMITS_SHARED_MAX = 3;

/**
 * Rewrites a module's one defined memory to a shared one, in place.
 *
 * @throws {SyntaxError} when the bytes are not a module with one memory
 *   that has a maximum and is not shared yet.
 * @example
 * ```ts
 * const bytes = await Deno.readFile("tfjs-backend-wasm-simd.wasm");
 * shareDefinedMemory(bytes);
 * new WebAssembly.Module(bytes); // its memory is now shared
 * ```
 */
export function shareDefinedMemory(bytes: Uint8Array): void {
  let at = 8;
  const readLeb = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = readLeb();
    const end = at + size;
    if (id === MEMORY_SECTION) {
      const count = readLeb();
      if (count !== 1 || bytes[at] !== LIMITS_MAX) {
        throw new SyntaxError(
          `Cannot share the wasm backend's memory: found ${count} memories with limits flag ` +
            `${bytes[at]}, expected 1 memory with flag ${LIMITS_MAX} (a maximum, not shared)`,
        );
      }
      bytes[at] = LIMITS_SHARED_MAX;
      return;
    }
    at = end;
  }
  throw new SyntaxError(
    "Cannot share the wasm backend's memory: found no memory section, expected one",
  );
}

/** The Emscripten module's parts used here (its types are not bundled). */
interface EmscriptenModule {
  cwrap(name: string, result: string | null, parameters: string[]): unknown;
  tfjs: Record<string, unknown>;
  asm: { memory: WebAssembly.Memory };
}

type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;

/**
 * Creates a wasm backend whose heap is a shared `WebAssembly.Memory`; the
 * factory of every wasm-derived backend here.
 *
 * @throws {SyntaxError} when the stock binary's memory cannot be shared.
 * @example
 * ```ts
 * tf.registerBackend("wasm-fast", createSharedHeapBackend, 0);
 * ```
 */
export async function createSharedHeapBackend(): Promise<BackendWasm> {
  const bytes = await Deno.readFile(new URL(import.meta.resolve(SIMD_BINARY)));
  shareDefinedMemory(bytes);
  const module = await (wasmFactory as unknown as (config: object) => Promise<EmscriptenModule>)({
    instantiateWasm(imports: WebAssembly.Imports, receive: ReceiveInstance) {
      WebAssembly.instantiate(bytes, imports).then((result) =>
        receive(result.instance, result.module)
      );
      return {};
    },
  });
  // As the stock init does; the names are the module's C exports.
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
}

/**
 * The shared memory under a backend made by {@linkcode createSharedHeapBackend}.
 *
 * @example
 * ```ts
 * const memory = sharedMemoryOf(backend);
 * memory.buffer instanceof SharedArrayBuffer; // true
 * ```
 */
export function sharedMemoryOf(backend: BackendWasm): WebAssembly.Memory {
  return (backend.wasm as unknown as EmscriptenModule).asm.memory;
}
