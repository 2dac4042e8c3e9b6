/**
 * Matrix products on the wasm heap through BLAS, with a thread count chosen
 * per product.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { BlasLibrary } from "./blas_library.ts";
import { heapF32 } from "./heap.ts";
import type { OneDnnConvolutions } from "./onednn_convolution.ts";

/**
 * A row-major product `c = op(a) * op(b) + beta * c` whose operands are
 * float indices into the heap of `backend`.
 */
export interface HeapGemmCall {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  /** Index of `a`'s first element in the float32 heap. */
  a: number;
  lda: number;
  b: number;
  ldb: number;
  c: number;
  ldc: number;
  /** 0 overwrites `c`, 1 accumulates into it. */
  beta?: number;
}

/** Runs heap products: on a BLAS library, or the wasm kernels (wasm_gemm.ts). */
export interface HeapGemm {
  /** What runs the products: the library's name, or "wasm". */
  name: string;
  /** Most threads a large product may use. */
  maxThreads: number;
  /** Runs one product on `backend`'s heap. */
  run(backend: BackendWasm, call: HeapGemmCall): void;
  /**
   * The library's own convolutions (oneDNN's), run on up to `maxThreads`
   * threads, when it has them.
   */
  convolutions?: OneDnnConvolutions;
}

/**
 * Products smaller than this many multiply-adds run on one thread. A second
 * thread roughly halves a product's own time, but between products the
 * library's worker thread (OpenBLAS's, or oneDNN's OpenMP one) spins on the
 * other core, where V8's garbage collector and compiler threads then wait. Measured on 2 cores: with the MLP's 12.8M
 * products threaded, a `model.fit` epoch took 3.5 to 4.5 s against 3.1 to
 * 3.7 s on one thread, although back-to-back training steps alone ran
 * faster; CNN epochs were the same either way, and inference's 33M
 * products gain (the MLP's second layer at batch 1000: 0.58 to 0.33 ms).
 */
export const THREADED_GEMM_MIN_MACS = 20_000_000;

/**
 * Products with a side shorter than this run on one thread: OpenBLAS splits
 * them badly (measured on 2 cores: the first convolution's 43264x32x9
 * product and its filter gradient, 9x32x43264, take 30% longer on two
 * threads, while a 1000x128x256 dense layer takes 43% less). oneDNN splits
 * them well, but CNN training ran no faster with them threaded (five
 * interleaved rounds each way), so one rule serves both.
 */
export const THREADED_GEMM_MIN_SIDE = 32;

/**
 * How many threads a product of these sides should use.
 *
 * @example
 * ```ts
 * threadsForProduct({ m: 1000, n: 128, k: 256 }, 2); // 2
 * threadsForProduct({ m: 43264, n: 32, k: 9 }, 2); // 1
 * ```
 */
export function threadsForProduct(
  sides: { m: number; n: number; k: number },
  maxThreads: number,
): number {
  const { m, n, k } = sides;
  const large = m * n * k >= THREADED_GEMM_MIN_MACS &&
    Math.min(m, n, k) >= THREADED_GEMM_MIN_SIDE;
  return large ? maxThreads : 1;
}

/**
 * Wraps a BLAS library so that products take heap offsets, and large ones
 * use up to `maxThreads` threads.
 *
 * @example
 * ```ts
 * const gemm = createHeapGemm(openBlasLibrary(), 2);
 * gemm.run(backend, { transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n });
 * ```
 */
export function createHeapGemm(
  library: BlasLibrary,
  maxThreads: number,
): HeapGemm {
  let threads = -1;
  const useThreads = (wanted: number) => {
    if (wanted !== threads) {
      library.setThreads(wanted);
      threads = wanted;
    }
  };
  // oneDNN sizes a primitive's work for the thread count at its creation,
  // and runs it on the threads set at the call: both get all of them.
  const atMaxThreads = <A extends unknown[], R>(f: (...args: A) => R) => (...args: A): R => {
    useThreads(maxThreads);
    return f(...args);
  };
  const convolutions = library.convolutions;
  return {
    name: library.name,
    maxThreads,
    convolutions: convolutions === undefined ? undefined : {
      ...convolutions,
      prepare: atMaxThreads(convolutions.prepare),
      implementation: atMaxThreads(convolutions.implementation),
      forward: atMaxThreads(convolutions.forward),
      inputGradient: atMaxThreads(convolutions.inputGradient),
      filterGradient: atMaxThreads(convolutions.filterGradient),
    },
    run(backend: BackendWasm, call: HeapGemmCall): void {
      if (call.m === 0 || call.n === 0) return;
      if (call.k === 0) {
        if ((call.beta ?? 0) === 0) zeroProduct(heapF32(backend), call);
        return;
      }
      useThreads(threadsForProduct(call, maxThreads));
      const heap = heapF32(backend);
      library.sgemm({
        transA: call.transA,
        transB: call.transB,
        m: call.m,
        n: call.n,
        k: call.k,
        a: heap.subarray(call.a),
        lda: call.lda,
        b: heap.subarray(call.b),
        ldb: call.ldb,
        beta: call.beta ?? 0,
        c: heap.subarray(call.c),
        ldc: call.ldc,
      });
    },
  };
}

/**
 * Sets `c` to zero, the product of an empty inner dimension.
 *
 * @example
 * ```ts
 * if (call.k === 0 && (call.beta ?? 0) === 0) zeroProduct(heapF32(backend), call);
 * ```
 */
export function zeroProduct(heap: Float32Array, call: HeapGemmCall): void {
  for (let row = 0; row < call.m; row++) {
    const start = call.c + row * call.ldc;
    heap.fill(0, start, start + call.n);
  }
}
