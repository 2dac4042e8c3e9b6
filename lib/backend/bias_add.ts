/**
 * Add for the one case the layers use on large tensors, a bias added to
 * every pixel or example ([..., C] + [C]), as one SIMD pass. The stock
 * wasm Add handles this broadcast with a general index loop.
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
import { runSplit } from "./simd_kernels.ts";

/** Whether `bias` is one value per column of `x` (shape [C] against [..., C]). */
function isBiasOf(x: TensorInfo, bias: TensorInfo): boolean {
  const columns = x.shape[x.shape.length - 1];
  return x.shape.length >= 2 && bias.shape.length === 1 &&
    bias.shape[0] === columns;
}

/**
 * The Add kernel function: the SIMD bias pass when one input is a bias of
 * the other, the stock kernel otherwise.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Add", backendName: "blas", kernelFunc: biasAdd });
 * ```
 */
export function biasAdd(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { a, b } = args.inputs;
  const float = a.dtype === "float32" && b.dtype === "float32";
  const [x, bias] = isBiasOf(a, b) ? [a, b] : isBiasOf(b, a) ? [b, a] : [];
  if (!float || x === undefined || bias === undefined) {
    return runStockKernel("Add", args);
  }
  const { backend } = args;
  const out = makeFloatOutput(backend, x.shape);
  const columns = bias.shape[0];
  const rows = tf.util.sizeFromShape(x.shape) / columns;
  runSplit(backend, {
    name: "add_bias",
    args: [
      offsetOf(backend, out) * 4,
      offsetOf(backend, x) * 4,
      offsetOf(backend, bias) * 4,
      0,
      columns,
      0,
    ],
    strides: [columns * 4, columns * 4, 0, 0, 0, 0],
    items: rows,
    countArgument: 3,
    floats: 2 * rows * columns,
  });
  return out;
}
