/**
 * SplitV, the gradient of Concat, as one copy loop. The stock wasm kernel
 * runs the general Slice once per output, which on a DenseNet's
 * concatenation of channels (the last axis, a few floats per pixel) walks
 * every element through a 4-D index: that was half of a DenseNet training
 * step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  runStockKernel,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";

/** Below this many floats a plain loop copies faster than `copyWithin`. */
const SHORT_RUN = 64;

/**
 * The SplitV kernel function for float32 tensors along any axis; other
 * types go to the stock kernel.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "SplitV", backendName: "blas", kernelFunc: splitV });
 * ```
 */
export function splitV(args: KernelArgs): TensorInfo[] {
  touchInputs(args);
  const { x } = args.inputs;
  if (x.dtype !== "float32") return runStockKernel("SplitV", args) as unknown as TensorInfo[];
  const { backend } = args;
  const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number | number[] };
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const outputs = sizes.map((size) => {
    const shape = [...x.shape];
    shape[axis] = size;
    return makeFloatOutput(backend, shape);
  });
  const heap = heapF32(backend);
  const row = x.shape[axis] * inner;
  let from = offsetOf(backend, x);
  outputs.forEach((output, j) => {
    const run = sizes[j] * inner;
    copyRuns(heap, { from, to: offsetOf(backend, output), run, stride: row, count: outer });
    from += run;
  });
  return outputs;
}

/** Copies `count` runs of `run` floats, `stride` apart at `from`, back to back at `to`. */
function copyRuns(
  heap: Float32Array,
  copy: { from: number; to: number; run: number; stride: number; count: number },
): void {
  const { run, stride, count } = copy;
  let [from, to] = [copy.from, copy.to];
  for (let b = 0; b < count; b++, from += stride, to += run) {
    if (run >= SHORT_RUN) {
      heap.copyWithin(to, from, from + run);
    } else {
      for (let i = 0; i < run; i++) heap[to + i] = heap[from + i];
    }
  }
}
