/**
 * Sum over every axis but the last: the reduction that gives a bias its
 * gradient.
 *
 * The stock wasm Sum first transposes the input so that the reduced axes
 * come last, a full copy of a large activation gradient, then sums. Here
 * the columns are summed in place, in one SIMD pass, or taken ready from
 * the max-pool gradient that made the input (see relu_pool_gradient.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { runSplit, simdKernelsOf, zeroFloats } from "./simd_kernels.ts";
import { takeColumnSum } from "./relu_pool_gradient.ts";
import {
  allocateFloats,
  freeFloats,
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  runStockKernel,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";

/** Whether `axis` names exactly the axes 0 .. rank-2 of a rank-`rank` tensor. */
function isLeadingAxes(axis: unknown, rank: number): boolean {
  if (rank < 2) return false;
  const list = (Array.isArray(axis) ? axis : [axis]) as number[];
  const axes = tf.util.parseAxisParam(list, new Array(rank).fill(1));
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.length === rank - 1 && sorted.every((a, i) => a === i);
}

/**
 * The Sum kernel function.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Sum", backendName: "blas", kernelFunc: columnSum });
 * ```
 */
export function columnSum(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x } = args.inputs;
  const attrs = args.attrs ?? {};
  const rank = x.shape.length;
  if (x.dtype !== "float32" || !isLeadingAxes(attrs.axis, rank)) {
    return runStockKernel("Sum", args);
  }
  const { backend } = args;
  if (!attrs.keepDims) {
    const ready = takeColumnSum(backend, x);
    if (ready !== undefined) return ready;
  }
  const columns = x.shape[rank - 1];
  const rows = tf.util.sizeFromShape(x.shape) / columns;
  const shape = attrs.keepDims ? [...new Array(rank - 1).fill(1), columns] : [columns];
  const out = makeFloatOutput(backend, shape);
  const outAt = offsetOf(backend, out);
  const items = rank >= 3 ? x.shape[0] : 1;
  if (items <= 1) {
    heapF32(backend).fill(0, outAt, outAt + columns);
    simdKernelsOf(backend).column_sum(outAt * 4, offsetOf(backend, x) * 4, rows, columns);
    return out;
  }
  // Each image's sums apart (on several threads), then the images in order.
  const perItem = rows / items;
  const partials = allocateFloats(backend, items * columns);
  zeroFloats(backend, partials, items * columns);
  heapF32(backend).fill(0, outAt, outAt + columns);
  runSplit(backend, {
    name: "column_sum",
    args: [partials * 4, offsetOf(backend, x) * 4, perItem, columns],
    strides: [columns * 4, perItem * columns * 4, 0, 0],
    items,
    floats: rows * columns,
  });
  simdKernelsOf(backend).column_sum(outAt * 4, partials * 4, items, columns);
  freeFloats(backend, partials);
  return out;
}
