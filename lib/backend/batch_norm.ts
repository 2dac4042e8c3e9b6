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
 * sum(dy). The passes over the activations are SIMD loops of
 * simd/kernels.wat (column sums in float32, as tfjs's own Sum); the
 * per-channel arithmetic between them is JS.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  allocateFloats,
  freeFloats,
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";
import { simdKernelsOf } from "./simd_kernels.ts";

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
  const { rows, channels } = layoutOf(x);
  const y = makeFloatOutput(backend, x.shape);
  const mean = makeFloatOutput(backend, [channels]);
  const variance = makeFloatOutput(backend, [channels]);
  const folded = allocateFloats(backend, 2 * channels);
  const heap = heapF32(backend);
  const simd = simdKernelsOf(backend);
  const at = {
    x: offsetOf(backend, x),
    mean: offsetOf(backend, mean),
    variance: offsetOf(backend, variance),
  };
  heap.fill(0, at.mean, at.mean + channels);
  simd.column_sum(at.mean * 4, at.x * 4, rows, channels);
  for (let c = 0; c < channels; c++) heap[at.mean + c] /= rows;
  heap.fill(0, at.variance, at.variance + channels);
  simd.column_centred_products(at.variance * 4, at.x * 4, at.x * 4, at.mean * 4, rows, channels);
  const [scaleAt, offsetAt] = [offsetOf(backend, scale), offsetOf(backend, offset)];
  for (let c = 0; c < channels; c++) {
    heap[at.variance + c] /= rows;
    const multiplier = heap[scaleAt + c] / Math.sqrt(heap[at.variance + c] + epsilon);
    heap[folded + c] = multiplier;
    heap[folded + channels + c] = heap[offsetAt + c] - heap[at.mean + c] * multiplier;
  }
  simd.scale_shift(
    offsetOf(backend, y) * 4,
    at.x * 4,
    folded * 4,
    (folded + channels) * 4,
    rows,
    channels,
  );
  freeFloats(backend, folded);
  return [y, mean, variance];
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
  const { backend } = args;
  const { rows, channels } = layoutOf(x);
  const dx = makeFloatOutput(backend, x.shape);
  const dscale = makeFloatOutput(backend, [channels]);
  const doffset = makeFloatOutput(backend, [channels]);
  const coefficients = allocateFloats(backend, 3 * channels);
  const heap = heapF32(backend);
  const simd = simdKernelsOf(backend);
  const at = {
    dy: offsetOf(backend, dy),
    x: offsetOf(backend, x),
    mean: offsetOf(backend, mean),
    dscale: offsetOf(backend, dscale),
    doffset: offsetOf(backend, doffset),
  };
  // doffset = sum(dy); dscale holds sum(dy * (x - mean)) until scaled below.
  heap.fill(0, at.doffset, at.doffset + channels);
  simd.column_sum(at.doffset * 4, at.dy * 4, rows, channels);
  heap.fill(0, at.dscale, at.dscale + channels);
  simd.column_centred_products(at.dscale * 4, at.x * 4, at.dy * 4, at.mean * 4, rows, channels);
  const epsilon = args.attrs?.varianceEpsilon as number;
  const [varianceAt, scaleAt] = [offsetOf(backend, variance), offsetOf(backend, scale)];
  const [dmeanAt, dvarianceAt] = [offsetOf(backend, dmean), offsetOf(backend, dvariance)];
  // dx = a * dy + b * (x - mean) + k, per channel.
  for (let c = 0; c < channels; c++) {
    const rstd = 1 / Math.sqrt(heap[varianceAt + c] + epsilon);
    const gain = heap[scaleAt + c] * rstd;
    const dyCentredSum = heap[at.dscale + c];
    heap[coefficients + c] = gain;
    heap[coefficients + channels + c] =
      (-gain * rstd * rstd * dyCentredSum + 2 * heap[dvarianceAt + c]) / rows;
    heap[coefficients + 2 * channels + c] = (-gain * heap[at.doffset + c] + heap[dmeanAt + c]) /
      rows;
    heap[at.dscale + c] = dyCentredSum * rstd;
  }
  simd.batch_norm_dx(
    offsetOf(backend, dx) * 4,
    at.dy * 4,
    at.x * 4,
    at.mean * 4,
    coefficients * 4,
    rows,
    channels,
  );
  freeFloats(backend, coefficients);
  return [dx, dscale, doffset];
}
