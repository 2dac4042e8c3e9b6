/**
 * The kernels of the layers models' loss (lib/models/cross_entropy.ts) on
 * the wasm heap: categorical cross-entropy of probabilities, and its
 * gradient, each one loop over the `[n, classes]` floats in float32
 * arithmetic, in the order tfjs's kernels compute them.
 *
 * The gradient is the chain rule through tfjs's own composition, so that it
 * equals what tfjs's tape computes from it: with s[i] = sum_k p[i, k],
 * q = p / s, c = clip(q, ε, 1 - ε) and dy[i] the gradient of loss[i],
 *
 *   g[i, j]  = -dy[i] * y[i, j] / c[i, j] where ε <= q[i, j] <= 1 - ε, else 0
 *   dp[i, k] = g[i, k] / s[i] - sum_j g[i, j] * p[i, j] / s[i]^2
 *
 * (clip passes its gradient inside the interval, ends included; division
 * by the row sum sends the second term to every element of the row).
 *
 * @module
 */
import {
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";

const f32 = Math.fround;

/** Heap indices and sizes of a loss kernel's labels and probabilities. */
function rowsOf(args: KernelArgs) {
  const { labels, probabilities } = args.inputs;
  const [rows, classes] = probabilities.shape;
  const epsilon = args.attrs?.epsilon as number;
  return {
    rows,
    classes,
    labels: offsetOf(args.backend, labels),
    probabilities: offsetOf(args.backend, probabilities),
    low: f32(epsilon),
    high: f32(1 - epsilon),
  };
}

/**
 * The loss kernel: `[n]` cross-entropies of `labels` and `probabilities`.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: CROSS_ENTROPY_KERNEL, backendName: "blas", kernelFunc: crossEntropy });
 * ```
 */
export function crossEntropy(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const at = rowsOf(args);
  const out = makeFloatOutput(args.backend, [at.rows]);
  const heap = heapF32(args.backend);
  const outAt = offsetOf(args.backend, out);
  for (let i = 0; i < at.rows; i++) {
    const p = at.probabilities + i * at.classes;
    const y = at.labels + i * at.classes;
    const sum = rowSum(heap, p, at.classes);
    let total = 0;
    for (let j = 0; j < at.classes; j++) {
      const clipped = Math.min(Math.max(f32(heap[p + j] / sum), at.low), at.high);
      total = f32(total + f32(heap[y + j] * f32(Math.log(clipped))));
    }
    heap[outAt + i] = -total;
  }
  return out;
}

/**
 * The gradient kernel: `[n, classes]` gradients of the probabilities, from
 * the `[n]` gradients `dy` of the losses.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: CROSS_ENTROPY_GRADIENT_KERNEL, backendName: "blas", kernelFunc: crossEntropyGradient });
 * ```
 */
export function crossEntropyGradient(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const at = rowsOf(args);
  const out = makeFloatOutput(args.backend, [at.rows, at.classes]);
  const heap = heapF32(args.backend);
  const [outAt, dyAt] = [out, args.inputs.dy].map((t) => offsetOf(args.backend, t));
  for (let i = 0; i < at.rows; i++) {
    const p = at.probabilities + i * at.classes;
    const y = at.labels + i * at.classes;
    const o = outAt + i * at.classes;
    const sum = rowSum(heap, p, at.classes);
    const squared = f32(sum * sum);
    const dy = heap[dyAt + i];
    let spread = 0;
    for (let j = 0; j < at.classes; j++) {
      const q = f32(heap[p + j] / sum);
      const inside = q >= at.low && q <= at.high;
      const clipped = Math.min(Math.max(q, at.low), at.high);
      const g = inside ? f32(f32(-dy * heap[y + j]) / clipped) : 0;
      heap[o + j] = f32(g / sum);
      spread = f32(spread + f32(-f32(g * heap[p + j]) / squared));
    }
    for (let j = 0; j < at.classes; j++) heap[o + j] = f32(heap[o + j] + spread);
  }
  return out;
}

/** The float32 sum of `count` floats from `at`, in order. */
function rowSum(heap: Float32Array, at: number, count: number): number {
  let sum = 0;
  for (let j = 0; j < count; j++) sum = f32(sum + heap[at + j]);
  return sum;
}
