/**
 * BatchMatMul and _FusedMatMul through BLAS, with both transpose flags
 * passed to sgemm instead of materialised: the dense layers' forward pass
 * and both of their gradients.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  runStockKernel,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";
import type { HeapGemm } from "./heap_gemm.ts";
import {
  finishOutput,
  type FusableActivation,
  isFusableActivation,
  prepareOutput,
} from "./epilogue.ts";

/** The sizes of a batched product `out[batch, m, n] = op(a) * op(b)`. */
export interface MatMulGeometry {
  m: number;
  n: number;
  k: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/**
 * Reads the sizes of `op(a) * op(b)`; null when the batch dimensions
 * broadcast in a way other than "equal, or one side is 1".
 *
 * @example
 * ```ts
 * matMulGeometry([64, 784], [784, 256], false, false); // m 64, n 256, k 784
 * ```
 */
export function matMulGeometry(
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulGeometry | null {
  const aRank = aShape.length;
  const bRank = bShape.length;
  const m = transposeA ? aShape[aRank - 1] : aShape[aRank - 2];
  const k = transposeA ? aShape[aRank - 2] : aShape[aRank - 1];
  const kB = transposeB ? bShape[bRank - 1] : bShape[bRank - 2];
  const n = transposeB ? bShape[bRank - 2] : bShape[bRank - 1];
  if (k !== kB) {
    throw new RangeError(
      `Cannot multiply matrices: inner sizes are ${k} and ${kB} ` +
        `(shapes ${aShape} and ${bShape}), expected equal sizes`,
    );
  }
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);
  const sameOuter = outerA.length === outerB.length &&
    outerA.every((size, i) => size === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null;
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  return { m, n, k, batchA, batchB, outShape: [...outer, m, n] };
}

/**
 * Creates BatchMatMul and _FusedMatMul kernel functions running on `gemm`.
 *
 * @example
 * ```ts
 * const { batchMatMul } = createBlasMatMulKernels(createHeapGemm(openBlasLibrary(), 1));
 * ```
 */
export function createBlasMatMulKernels(gemm: HeapGemm): {
  batchMatMul(args: KernelArgs): TensorInfo;
  fusedMatMul(args: KernelArgs): TensorInfo;
} {
  return {
    batchMatMul: (args) => matMul(gemm, args, "BatchMatMul"),
    fusedMatMul: (args) => matMul(gemm, args, "_FusedMatMul"),
  };
}

/** Whether the kernel computes these inputs and attributes itself. */
function supported(
  args: KernelArgs,
  geometry: MatMulGeometry | null,
): geometry is MatMulGeometry {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  return geometry !== null && a.dtype === "float32" &&
    b.dtype === "float32" && preluActivationWeights == null &&
    isFusableActivation(args.attrs?.activation) &&
    (bias == null || tf.util.sizeFromShape(bias.shape) === geometry.n);
}

function matMul(
  gemm: HeapGemm,
  args: KernelArgs,
  kernelName: "BatchMatMul" | "_FusedMatMul",
): TensorInfo {
  touchInputs(args);
  const { a, b, bias } = args.inputs;
  const transA = Boolean(args.attrs?.transposeA);
  const transB = Boolean(args.attrs?.transposeB);
  const geometry = matMulGeometry(a.shape, b.shape, transA, transB);
  if (!supported(args, geometry)) return runStockKernel(kernelName, args);
  const { backend } = args;
  const { m, n, k, batchA, batchB } = geometry;
  const out = makeFloatOutput(backend, geometry.outShape);
  const batch = Math.max(batchA, batchB);
  const epilogue = {
    bias: bias == null ? -1 : offsetOf(backend, bias),
    activation: args.attrs?.activation as FusableActivation | undefined,
  };
  const at = offsetOf(backend, out);
  const beta = prepareOutput(backend, { at, rows: batch * m, columns: n }, epilogue);
  for (let i = 0; i < batch; i++) {
    gemm.run(backend, {
      transA,
      transB,
      m,
      n,
      k,
      a: offsetOf(backend, a) + (batchA === 1 ? 0 : i * m * k),
      lda: transA ? m : k,
      b: offsetOf(backend, b) + (batchB === 1 ? 0 : i * k * n),
      ldb: transB ? k : n,
      c: at + i * m * n,
      ldc: n,
      beta,
    });
  }
  finishOutput(backend, out, epilogue);
  return out;
}
