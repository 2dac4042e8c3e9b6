/**
 * The worker threads of each wasm-derived backend: one pool per heap,
 * running the SIMD kernels (module {@linkcode KERNELS_MODULE}) and the
 * matrix product (module {@linkcode GEMM_MODULE}).
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { sharedMemoryOf } from "./shared_heap.ts";
import { decodeBase64 } from "./simd/base64.ts";
import { GEMM_PLAIN_WASM_BASE64, GEMM_RELAXED_WASM_BASE64 } from "./simd/gemm_wasm.ts";
import { KERNELS_WASM_BASE64 } from "./simd/kernels_wasm.ts";
import { createWorkerPool, type WorkerPool } from "./worker_pool.ts";

/** Index of kernels.wat's module in every pool. */
export const KERNELS_MODULE = 0;
/** Index of the matrix product's module in every pool. */
export const GEMM_MODULE = 1;

let compiled: { kernels: WebAssembly.Module; gemm: WebAssembly.Module } | undefined;

/**
 * Whether this engine has relaxed SIMD, so that the products use
 * `f32x4.relaxed_madd` (one fused instruction where the CPU has FMA)
 * instead of a multiply then an add.
 *
 * @example
 * ```ts
 * hasRelaxedSimd(); // true on Deno 2
 * ```
 */
export function hasRelaxedSimd(): boolean {
  return WebAssembly.validate(decodeBase64(GEMM_RELAXED_WASM_BASE64));
}

function compiledModules(): { kernels: WebAssembly.Module; gemm: WebAssembly.Module } {
  compiled ??= {
    kernels: new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64)),
    gemm: new WebAssembly.Module(
      decodeBase64(hasRelaxedSimd() ? GEMM_RELAXED_WASM_BASE64 : GEMM_PLAIN_WASM_BASE64),
    ),
  };
  return compiled;
}

const pools = new WeakMap<BackendWasm, WorkerPool>();

/**
 * Gives `backend` a pool of `threads` threads (the calling one included),
 * replacing a pool of another size; resolves once every worker is ready.
 *
 * @throws {RangeError} when `threads` is not an integer >= 1.
 * @example
 * ```ts
 * await startThreads(backend, 2);
 * threadsOf(backend).threads; // 2
 * ```
 */
export async function startThreads(backend: BackendWasm, threads: number): Promise<WorkerPool> {
  const old = pools.get(backend);
  if (old !== undefined && old.threads === threads) return old;
  const { kernels, gemm } = compiledModules();
  const pool = await createWorkerPool({
    memory: sharedMemoryOf(backend),
    modules: [kernels, gemm],
    threads,
  });
  old?.close();
  pools.set(backend, pool);
  return pool;
}

/**
 * The pool of `backend`.
 *
 * @throws {TypeError} when {@linkcode startThreads} has not run for it.
 * @example
 * ```ts
 * threadsOf(backend).run([{ module: GEMM_MODULE, name: "gemm", args }]);
 * ```
 */
export function threadsOf(backend: BackendWasm): WorkerPool {
  const pool = pools.get(backend);
  if (pool === undefined) {
    throw new TypeError(
      "Cannot run kernels on threads: the backend has no worker pool, " +
        "expected setupBackend to have started one",
    );
  }
  return pool;
}

/**
 * The pool of `backend`, or undefined before {@linkcode startThreads}.
 *
 * @example
 * ```ts
 * const pool = maybeThreadsOf(backend); // undefined: run on this thread
 * ```
 */
export function maybeThreadsOf(backend: BackendWasm): WorkerPool | undefined {
  return pools.get(backend);
}
