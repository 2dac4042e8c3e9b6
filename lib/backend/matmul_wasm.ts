/**
 * BatchMatMul and _FusedMatMul with transpose flags on the pure-wasm path.
 *
 * The stock wasm kernel uses XNNPACK only when neither flag is set and
 * falls to a scalar loop otherwise, which covers every dense-layer
 * gradient. Here the transposed operand is materialised with the stock
 * Transpose kernel first, so that the product itself runs on XNNPACK.
 *
 * @module
 */
import {
  disposeTemporary,
  type KernelArgs,
  reshapeView,
  runStockKernel,
  type TensorInfo,
  transpose2d,
} from "./heap.ts";
import { matMulGeometry } from "./matmul_blas.ts";

/**
 * Creates the kernel function for `kernelName` ("BatchMatMul" or
 * "_FusedMatMul") on the pure-wasm path.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "BatchMatMul", backendName: "wasm-fast", kernelFunc: createWasmMatMul("BatchMatMul") });
 * ```
 */
export function createWasmMatMul(
  kernelName: "BatchMatMul" | "_FusedMatMul",
): (args: KernelArgs) => TensorInfo {
  return (args) => wasmMatMul(args, kernelName);
}

function wasmMatMul(
  args: KernelArgs,
  kernelName: "BatchMatMul" | "_FusedMatMul",
): TensorInfo {
  const { a, b } = args.inputs;
  const attrs = args.attrs ?? {};
  const transA = Boolean(attrs.transposeA);
  const transB = Boolean(attrs.transposeB);
  const geometry = matMulGeometry(a.shape, b.shape, transA, transB);
  if (
    (!transA && !transB) || geometry === null || geometry.batchA !== 1 ||
    geometry.batchB !== 1 || a.dtype !== "float32" || b.dtype !== "float32"
  ) {
    return runStockKernel(kernelName, args);
  }
  const { backend } = args;
  const { m, n, k } = geometry;
  const temporaries: TensorInfo[] = [];
  const operand = (x: TensorInfo, transposed: boolean, rows: number, columns: number) => {
    if (!transposed) return reshapeView(backend, x, [1, rows, columns]);
    const view = reshapeView(backend, x, [columns, rows]);
    const flipped = transpose2d(backend, view);
    temporaries.push(view, flipped);
    return reshapeView(backend, flipped, [1, rows, columns]);
  };
  const a3 = operand(a, transA, m, k);
  const b3 = operand(b, transB, k, n);
  temporaries.push(a3, b3);
  try {
    const out = runStockKernel(kernelName, {
      inputs: { ...args.inputs, a: a3, b: b3 },
      attrs: { ...attrs, transposeA: false, transposeB: false },
      backend,
    });
    return { ...out, shape: geometry.outShape };
  } finally {
    for (const t of temporaries) disposeTemporary(backend, t);
  }
}
