/**
 * Matrix products on the wasm heap with the generated SIMD kernel
 * (simd/gemm_wat.ts), split by rows of the result across the backend's
 * worker threads: the pure-wasm path's stand-in for BLAS, behind the same
 * {@linkcode HeapGemm} interface, so that the BLAS path's convolution and
 * dense-layer kernels run on it unchanged.
 *
 * Every element of the result is summed by one thread in one order, so a
 * product does not depend on the thread count.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { allocateFloats, freeFloats, heapF32 } from "./heap.ts";
import { type HeapGemm, type HeapGemmCall, zeroProduct } from "./heap_gemm.ts";
import { TILE_ROWS } from "./simd/gemm_wat.ts";
import { GEMM_MODULE, threadsOf } from "./threads.ts";

/**
 * Products with fewer multiply-adds than this run on one thread: a round
 * trip to the workers costs 8 to 20 µs, and a product this size takes 50
 * to 100 µs on one thread (10 to 20 GFLOP/s), so the split saves more
 * than the trip costs from here on. Not tuned: the machine was too loaded
 * to measure the crossing point.
 */
export const THREADED_WASM_GEMM_MIN_MACS = 500_000;

/** Columns of B in one packed panel. */
const PANEL = 8;

/**
 * A heap product on the wasm kernels and the backend's worker threads
 * (started by setupBackend).
 *
 * @example
 * ```ts
 * const gemm = createWasmGemm();
 * gemm.run(backend, { transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n });
 * ```
 */
export function createWasmGemm(): HeapGemm {
  return {
    name: "wasm",
    maxThreads: Infinity,
    run: runWasmGemm,
  };
}

function runWasmGemm(backend: BackendWasm, call: HeapGemmCall): void {
  const { m, n, k } = call;
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if ((call.beta ?? 0) === 0) zeroProduct(heapF32(backend), call);
    return;
  }
  const pool = threadsOf(backend);
  const threads = m * n * k >= THREADED_WASM_GEMM_MIN_MACS ? pool.threads : 1;
  const panels = Math.ceil(n / PANEL);
  const packed = allocateFloats(backend, panels * PANEL * k) * 4;
  const [bRowStride, bColumnStride] = call.transB ? [4, call.ldb * 4] : [call.ldb * 4, 4];
  // pack_b(b, rowStride, columnStride, k, n, firstPanel, panelCount, packed), by panels.
  pool.run({
    module: GEMM_MODULE,
    name: "pack_b",
    args: [call.b * 4, bRowStride, bColumnStride, k, n, 0, 0, packed],
    strides: [0, 0, 0, 0, 0, 1, 0, 0],
    items: panels,
    countArgument: 6,
    threads,
  });
  const [aRowStride, aColumnStride] = call.transA ? [4, call.lda * 4] : [call.lda * 4, 4];
  // gemm(a, aRowStride, aColumnStride, packed, k, c, ldc, m, n, accumulate), by rows.
  pool.run({
    module: GEMM_MODULE,
    name: "gemm",
    args: [
      call.a * 4,
      aRowStride,
      aColumnStride,
      packed,
      k,
      call.c * 4,
      call.ldc * 4,
      0,
      n,
      (call.beta ?? 0) === 0 ? 0 : 1,
    ],
    strides: [aRowStride, 0, 0, 0, 0, call.ldc * 4, 0, 0, 0, 0],
    items: m,
    countArgument: 7,
    multiple: TILE_ROWS,
    threads,
  });
  freeFloats(backend, packed / 4);
}
