/**
 * Batch normalisation in training mode as two kernels, one forward and one
 * backward, over the channels of the last axis.
 *
 * tfjs-layers normalises a training batch with `tf.moments` (Mean, Sub,
 * Square, Mean) and `tf.batchNorm`; the gradient of that chain is about 40
 * kernels, among them a Tile of the whole activation and a dozen
 * broadcasting Multiply, each a general index loop on the wasm backend.
 * Here the forward pass is one kernel that returns the batch's mean and
 * (biased) variance with the normalised values, and its gradient is one
 * kernel of two passes, with the standard formula (Ioffe and Szegedy,
 * "Batch normalization", ICML 2015, section 3):
 *
 *   dx = scale * rstd * (dy - mean(dy) - xhat * mean(dy * xhat))
 *        + dmean / N + 2 * dvariance * (x - mean) / N
 *
 * with xhat = (x - mean) * rstd, rstd = 1 / sqrt(variance + epsilon) and
 * N the rows (pixels times images); dscale = sum(dy * xhat), doffset =
 * sum(dy). Sums are kept in float64.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { heapF32, type KernelArgs, makeFloatOutput, offsetOf, type TensorInfo } from "./heap.ts";
import { touchInputs } from "./heap.ts";

/** The name of the forward kernel: inputs x, scale, offset; outputs y, mean, variance. */
export const BATCH_NORM_TRAINING_KERNEL = "BatchNormTraining";

/**
 * The name of the gradient kernel: inputs dy, x, mean, variance, scale,
 * dmean, dvariance; outputs dx, dscale, doffset.
 */
export const BATCH_NORM_TRAINING_GRAD_KERNEL = "BatchNormTrainingGrad";

/** Rows and channels of a tensor normalised over all axes but the last. */
function layoutOf(x: TensorInfo): { rows: number; channels: number } {
  const channels = x.shape[x.shape.length - 1];
  return { rows: tf.util.sizeFromShape(x.shape) / channels, channels };
}

/** Per-channel mean and biased variance of `rows` rows at `xAt`, in two passes. */
function channelMoments(
  heap: Float32Array,
  xAt: number,
  layout: { rows: number; channels: number },
): { mean: Float64Array; variance: Float64Array } {
  const { rows, channels } = layout;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let r = 0, i = xAt; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) mean[c] += heap[i];
  }
  for (let c = 0; c < channels; c++) mean[c] /= rows;
  for (let r = 0, i = xAt; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      const centred = heap[i] - mean[c];
      variance[c] += centred * centred;
    }
  }
  for (let c = 0; c < channels; c++) variance[c] /= rows;
  return { mean, variance };
}

/**
 * The forward kernel function: y = scale * (x - mean) * rstd + offset with
 * the batch's own statistics, which it also returns.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: BATCH_NORM_TRAINING_KERNEL, backendName: "blas", kernelFunc: batchNormTraining });
 * ```
 */
export function batchNormTraining(args: KernelArgs): TensorInfo[] {
  touchInputs(args);
  const { x, scale, offset } = args.inputs;
  const epsilon = args.attrs?.varianceEpsilon as number;
  const { backend } = args;
  const layout = layoutOf(x);
  const { rows, channels } = layout;
  const y = makeFloatOutput(backend, x.shape);
  const meanOut = makeFloatOutput(backend, [channels]);
  const varianceOut = makeFloatOutput(backend, [channels]);
  const heap = heapF32(backend);
  const [xAt, yAt] = [offsetOf(backend, x), offsetOf(backend, y)];
  const { mean, variance } = channelMoments(heap, xAt, layout);
  const [scaleAt, offsetAt] = [offsetOf(backend, scale), offsetOf(backend, offset)];
  const multiplier = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    multiplier[c] = heap[scaleAt + c] / Math.sqrt(variance[c] + epsilon);
    shift[c] = heap[offsetAt + c] - mean[c] * multiplier[c];
  }
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      heap[yAt + i] = heap[xAt + i] * multiplier[c] + shift[c];
    }
  }
  heap.set(mean, offsetOf(backend, meanOut));
  heap.set(variance, offsetOf(backend, varianceOut));
  return [y, meanOut, varianceOut];
}

/** Per-channel sum(dy) and sum(dy * (x - mean)). */
function gradientSums(
  heap: Float32Array,
  at: { dy: number; x: number; mean: number },
  layout: { rows: number; channels: number },
): { dySum: Float64Array; dyCentredSum: Float64Array } {
  const { rows, channels } = layout;
  const dySum = new Float64Array(channels);
  const dyCentredSum = new Float64Array(channels);
  const mean = heap.slice(at.mean, at.mean + channels);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      const dy = heap[at.dy + i];
      dySum[c] += dy;
      dyCentredSum[c] += dy * (heap[at.x + i] - mean[c]);
    }
  }
  return { dySum, dyCentredSum };
}

/**
 * The gradient kernel function: dx, dscale and doffset of
 * {@linkcode batchNormTraining}, given the gradients of all three of its
 * outputs.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: BATCH_NORM_TRAINING_GRAD_KERNEL, backendName: "blas", kernelFunc: batchNormTrainingGrad });
 * ```
 */
export function batchNormTrainingGrad(args: KernelArgs): TensorInfo[] {
  touchInputs(args);
  const { dy, x, mean, variance, scale, dmean, dvariance } = args.inputs;
  const epsilon = args.attrs?.varianceEpsilon as number;
  const { backend } = args;
  const layout = layoutOf(x);
  const { rows, channels } = layout;
  const dx = makeFloatOutput(backend, x.shape);
  const dscale = makeFloatOutput(backend, [channels]);
  const doffset = makeFloatOutput(backend, [channels]);
  const heap = heapF32(backend);
  const at = { dy: offsetOf(backend, dy), x: offsetOf(backend, x), mean: offsetOf(backend, mean) };
  const { dySum, dyCentredSum } = gradientSums(heap, at, layout);
  // dx = a * dy + b * (x - mean) + c, per channel.
  const [a, b, c0] = [
    new Float32Array(channels),
    new Float32Array(channels),
    new Float32Array(channels),
  ];
  const [varianceAt, scaleAt] = [offsetOf(backend, variance), offsetOf(backend, scale)];
  const [dmeanAt, dvarianceAt] = [offsetOf(backend, dmean), offsetOf(backend, dvariance)];
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt(heap[varianceAt + c] + epsilon);
    const gain = heap[scaleAt + c] * rstd;
    a[c] = gain;
    b[c] = (-gain * rstd * rstd * dyCentredSum[c] + 2 * heap[dvarianceAt + c]) / rows;
    c0[c] = (-gain * dySum[c] + heap[dmeanAt + c]) / rows;
    heap[offsetOf(backend, dscale) + c] = dyCentredSum[c] * rstd;
    heap[offsetOf(backend, doffset) + c] = dySum[c];
  }
  const dxAt = offsetOf(backend, dx);
  const meanValues = heap.slice(at.mean, at.mean + channels);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) {
      heap[dxAt + i] = a[c] * heap[at.dy + i] + b[c] * (heap[at.x + i] - meanValues[c]) + c0[c];
    }
  }
  return [dx, dscale, doffset];
}
