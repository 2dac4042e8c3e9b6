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
  addBiasRows(backend, {
    out: offsetOf(backend, out),
    x: offsetOf(backend, x),
    bias: offsetOf(backend, bias),
    shape: x.shape,
    relu: false,
  });
  return out;
}

/** What {@linkcode addBiasRows} reads and writes, as float indices of the heap. */
export interface BiasRows {
  /** The result, `shape`; may be `x` itself. */
  out: number;
  /** The input, `shape` ([..., C]). */
  x: number;
  /** The bias, [C]. */
  bias: number;
  /** The shape of `x` and `out`; its last axis is the bias' length. */
  shape: readonly number[];
  /** Whether max(., 0) follows (NaN kept, as tfjs's Relu). */
  relu: boolean;
}

/**
 * out[..., c] = x[..., c] + bias[c], then ReLU when asked: one SIMD pass
 * (`add_bias` in simd/kernels.wat) split by rows across the wasm threads.
 *
 * @example
 * ```ts
 * addBiasRows(backend, { out: at, x: at, bias: biasAt, shape: [64, 128], relu: true });
 * ```
 */
export function addBiasRows(backend: KernelArgs["backend"], rows: BiasRows): void {
  const columns = rows.shape[rows.shape.length - 1];
  const count = tf.util.sizeFromShape(rows.shape as number[]) / columns;
  runSplit(backend, {
    name: "add_bias",
    args: [rows.out * 4, rows.x * 4, rows.bias * 4, 0, columns, rows.relu ? 1 : 0],
    strides: [columns * 4, columns * 4, 0, 0, 0, 0],
    items: count,
    countArgument: 3,
    floats: 2 * count * columns,
  });
}
