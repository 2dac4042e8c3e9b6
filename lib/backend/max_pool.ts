/**
 * MaxPool and MaxPoolGrad on the wasm heap, with the cpu backend's rule:
 * a window's maximum is its first largest input in row-major order, by
 * strict comparison from -Infinity (so NaN is ignored).
 *
 * The stock wasm kernel starts its running maximum at the smallest
 * positive float, so windows whose values are all zero or negative send
 * their gradient to the wrong input, and it keeps the last of equal
 * maxima. These start at -Infinity and keep the first, in hand-written
 * SIMD loops over four channels at a time (the forward pass about three
 * times faster than the stock XNNPACK kernel on the CNN's first layer).
 * For disjoint 2x2 windows the gradient goes to the first input equal to
 * the forward output, which MaxPoolGrad receives: the same input, found
 * with fewer operations than a second scan.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { geometryWords } from "./im2col.ts";
import { offerColumnSum, offerReluGradient, reluInputOf } from "./relu_pool_gradient.ts";
import { simdKernelsOf } from "./simd_kernels.ts";
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
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

function poolInfoOf(
  x: TensorInfo,
  attrs: tf.NamedAttrMap,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode as "round" | undefined,
  );
}

/** Writes `info`'s geometry words into a new heap buffer; returns its float index. */
function writeGeometry(backend: BackendWasm, info: tf.backend_util.Conv2DInfo): number {
  const geometry = allocateFloats(backend, 11);
  new Int32Array(heapF32(backend).buffer, geometry * 4, 11).set(geometryWords(info));
  return geometry;
}

/**
 * The MaxPool kernel function (input x), for float32 NHWC data.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "MaxPool", backendName: "blas", kernelFunc: maxPool });
 * ```
 */
export function maxPool(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x } = args.inputs;
  if (x.dtype !== "float32") return runStockKernel("MaxPool", args);
  const info = poolInfoOf(x, args.attrs ?? {});
  const { backend } = args;
  const out = makeFloatOutput(backend, info.outShape);
  const geometry = writeGeometry(backend, info);
  const imageSize = info.inHeight * info.inWidth * info.inChannels;
  const outSize = info.outHeight * info.outWidth * info.inChannels;
  const [xAt, outAt] = [offsetOf(backend, x), offsetOf(backend, out)];
  const simd = simdKernelsOf(backend);
  for (let b = 0; b < info.batchSize; b++) {
    simd.max_pool_image((xAt + b * imageSize) * 4, (outAt + b * outSize) * 4, geometry * 4);
  }
  freeFloats(backend, geometry);
  return out;
}

/**
 * The MaxPoolGrad kernel function (inputs dy, input, output). When the
 * input is a ReLU's output and every window is a full, disjoint 2x2 one,
 * it also computes ReLU's gradient of its result in the same loop, and
 * that gradient's column sums (the bias gradient), and offers both to the
 * kernels that would compute them (see relu_pool_gradient.ts).
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "MaxPoolGrad", backendName: "blas", kernelFunc: maxPoolGrad });
 * ```
 */
export function maxPoolGrad(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { dy, input, output } = args.inputs;
  const info = poolInfoOf(input, args.attrs ?? {});
  const { backend } = args;
  const reluInput = fullWindows2x2(info) ? reluInputOf(input.dataId) : undefined;
  const dx = makeFloatOutput(backend, input.shape);
  // ReLU's gradient and its column sums (the bias gradient), when a ReLU feeds the pool.
  const relu = reluInput === undefined ? undefined : {
    gradient: makeFloatOutput(backend, input.shape),
    sums: makeFloatOutput(backend, [info.inChannels]),
  };
  const [dxAt, reluAt, sumsAt] = [dx, relu?.gradient, relu?.sums].map((t) =>
    t === undefined ? -1 : offsetOf(backend, t)
  );
  const heap = heapF32(backend);
  if (!tilesExactly(info)) {
    const size = tf.util.sizeFromShape(input.shape);
    for (const at of [dxAt, reluAt]) if (at >= 0) heap.fill(0, at, at + size);
  }
  if (sumsAt >= 0) heap.fill(0, sumsAt, sumsAt + info.inChannels);
  const geometry = writeGeometry(backend, info);
  const imageSize = info.inHeight * info.inWidth * info.inChannels;
  const outSize = info.outHeight * info.outWidth * info.inChannels;
  const simd = simdKernelsOf(backend);
  const [inputAt, outputAt, dyAt] = [input, output, dy].map((t) => offsetOf(backend, t));
  for (let b = 0; b < info.batchSize; b++) {
    simd.max_pool_grad_image(
      (inputAt + b * imageSize) * 4,
      (outputAt + b * outSize) * 4,
      (dyAt + b * outSize) * 4,
      (dxAt + b * imageSize) * 4,
      reluAt < 0 ? 0 : (reluAt + b * imageSize) * 4,
      sumsAt < 0 ? 0 : sumsAt * 4,
      geometry * 4,
    );
  }
  freeFloats(backend, geometry);
  if (reluInput !== undefined && relu !== undefined) {
    offerReluGradient(backend, { gradient: dx.dataId, reluInput, result: relu.gradient });
    offerColumnSum(backend, { of: relu.gradient.dataId, result: relu.sums });
  }
  return dx;
}

/**
 * Whether every window is a full 2x2 one, disjoint from the others, that
 * the SIMD loop takes 4 channels at a time (inputs past the last window
 * belong to none).
 */
function fullWindows2x2(info: tf.backend_util.Conv2DInfo): boolean {
  const { top, left, bottom, right } = info.padInfo;
  return info.filterHeight === 2 && info.filterWidth === 2 &&
    info.strideHeight === 2 && info.strideWidth === 2 &&
    top === 0 && left === 0 && bottom === 0 && right === 0 && info.inChannels % 4 === 0;
}

/**
 * Whether full, disjoint 2x2 windows cover every input, so that the SIMD
 * loop stores every gradient and dx needs no zeroing.
 */
function tilesExactly(info: tf.backend_util.Conv2DInfo): boolean {
  return fullWindows2x2(info) && info.inHeight === 2 * info.outHeight &&
    info.inWidth === 2 * info.outWidth;
}
