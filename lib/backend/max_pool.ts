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
 * While gradients are being recorded, a MaxPool of full, disjoint 2x2
 * windows also writes each output's winner as a byte (which of the four
 * inputs, and whether the maximum is above 0), kept here until
 * MaxPoolGrad of that output takes it. The gradient then reads those bytes
 * and dy instead of the input and output: for the CNN's first pool, 0.35
 * MB instead of 6.9 MB, the input being the 64x26x26x32 activations. A
 * pool whose gradient never comes loses its bytes when eight newer ones
 * wait, and its gradient, if it comes later, takes the scan.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { geometryWords } from "./im2col.ts";
import { offerColumnSum, offerReluGradient, reluInputOf } from "./relu_pool_gradient.ts";
import { keepWinners, takeWinners } from "./pool_winners.ts";
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
  const floats = info.batchSize * (imageSize + outSize);
  if (fullWindows2x2(info) && recordingGradients()) {
    // One byte per output, rounded up to whole floats.
    const winners = allocateFloats(backend, Math.ceil(info.batchSize * outSize / 4));
    runSplit(backend, {
      name: "max_pool_2x2_winners_image",
      args: [xAt * 4, outAt * 4, winners * 4, geometry * 4],
      strides: [imageSize * 4, outSize * 4, outSize, 0],
      items: info.batchSize,
      floats,
    });
    keepWinners(backend, {
      input: x.dataId,
      output: out.dataId,
      geometry: geometryKey(info),
      at: winners,
    });
  } else {
    runSplit(backend, {
      name: "max_pool_image",
      args: [xAt * 4, outAt * 4, geometry * 4],
      strides: [imageSize * 4, outSize * 4, 0],
      items: info.batchSize,
      floats,
    });
  }
  freeFloats(backend, geometry);
  return out;
}

/** Whether tfjs is recording operations for gradients (inside `tf.grad`, `minimize`). */
function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

function geometryKey(info: tf.backend_util.Conv2DInfo): string {
  return geometryWords(info).join(",");
}

/**
 * The MaxPoolGrad kernel function (inputs dy, input, output). It reads the
 * winner bytes of the forward pass when kept (see the module's note), else
 * scans the input. When the
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
  if (partials >= 0) zeroFloats(backend, partials, info.batchSize * channels);
  const winners = fullWindows2x2(info)
    ? takeWinners(backend, {
      input: input.dataId,
      output: output.dataId,
      geometry: geometryKey(info),
    })
    : undefined;
  // The pool's winner bytes when kept, else its input and output; then the
  // arguments both loops take alike.
  const pool = winners === undefined
    ? {
      name: "max_pool_grad_image" as const,
      args: [offsetOf(backend, input) * 4, offsetOf(backend, output) * 4],
      strides: [imageSize * 4, outSize * 4],
      floats: imageSize + outSize,
    }
    : {
      name: "max_pool_grad_winners_image" as const,
      args: [winners * 4],
      strides: [outSize],
      floats: 0,
    };
  runSplit(backend, {
    name: pool.name,
    args: [
      ...pool.args,
      ...[offsetOf(backend, dy), dxAt, Math.max(reluAt, 0), Math.max(partials, 0)]
        .map((at) => at * 4),
      zero,
      geometry * 4,
    ],
    strides: [
      ...pool.strides,
      ...[outSize, imageSize, reluAt < 0 ? 0 : imageSize, partials < 0 ? 0 : channels]
        .map((floats) => floats * 4),
      0,
      0,
    ],
    items: info.batchSize,
    floats: info.batchSize * (pool.floats + 2 * imageSize + outSize),
  });
  if (winners !== undefined) freeFloats(backend, winners);
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
