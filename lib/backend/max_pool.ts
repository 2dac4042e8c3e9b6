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
import { runSplit, simdKernelsOf, zeroFloats } from "./simd_kernels.ts";
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
  runSplit(backend, {
    name: "max_pool_image",
    args: [xAt * 4, outAt * 4, geometry * 4],
    strides: [imageSize * 4, outSize * 4, 0],
    items: info.batchSize,
    floats: info.batchSize * (imageSize + outSize),
  });
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
  // Each image's dx is zeroed by the loop, while in cache, unless every input is some window's.
  const zero = tilesExactly(info) ? 0 : 1;
  const geometry = writeGeometry(backend, info);
  const imageSize = info.inHeight * info.inWidth * info.inChannels;
  const outSize = info.outHeight * info.outWidth * info.inChannels;
  // Each image's bias-gradient sums apart, then added in image order, so
  // that the sums do not depend on how images are split across threads.
  const channels = info.inChannels;
  const partials = sumsAt < 0 ? -1 : allocateFloats(backend, info.batchSize * channels);
  const [inputAt, outputAt, dyAt] = [input, output, dy].map((t) => offsetOf(backend, t));
  if (partials >= 0) zeroFloats(backend, partials, info.batchSize * channels);
  runSplit(backend, {
    name: "max_pool_grad_image",
    args: [
      ...[inputAt, outputAt, dyAt, dxAt, Math.max(reluAt, 0), Math.max(partials, 0)]
        .map((at) => at * 4),
      zero,
      geometry * 4,
    ],
    strides: [
      ...[
        imageSize,
        outSize,
        outSize,
        imageSize,
        reluAt < 0 ? 0 : imageSize,
        partials < 0 ? 0 : channels,
      ].map((floats) => floats * 4),
      0,
      0,
    ],
    items: info.batchSize,
    floats: info.batchSize * (3 * imageSize + 2 * outSize),
  });
  if (partials >= 0) {
    const sums = heapF32(backend);
    sums.fill(0, sumsAt, sumsAt + channels);
    simdKernelsOf(backend).column_sum(sumsAt * 4, partials * 4, info.batchSize, channels);
    freeFloats(backend, partials);
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
