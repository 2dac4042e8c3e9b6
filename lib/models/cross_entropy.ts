/**
 * The training loss of the layers models: Keras' categorical cross-entropy
 * of predicted probabilities, as tfjs-layers computes it (`losses.ts`,
 * `categoricalCrossentropy` with `fromLogits` false), as one kernel and one
 * gradient kernel where the active backend has them.
 *
 * For each image i, with probabilities p[i, :] (a softmax output), one-hot
 * labels y[i, :] and ε the backend's epsilon (1e-7 for float32):
 *
 *   q[i, j] = p[i, j] / sum_k p[i, k]
 *   loss[i] = -sum_j y[i, j] * log(clip(q[i, j], ε, 1 - ε))
 *
 * tfjs-layers builds this from nine kernels (sum, divide, clip, cast, log,
 * multiply, sum, negate) and their gradients from about thirty more, each an
 * engine call with its tape records: with the accuracy metric, as many
 * kernels as the rest of an MLP training step. The fast backends
 * (lib/backend/cross_entropy.ts) register {@linkcode CROSS_ENTROPY_KERNEL}
 * and {@linkcode CROSS_ENTROPY_GRADIENT_KERNEL}; on any other backend, or for
 * labels that are not float32, the loss is tfjs's own composition.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The loss kernel: inputs `labels` and `probabilities` `[n, classes]`, attribute `epsilon`; output `[n]`. */
export const CROSS_ENTROPY_KERNEL = "CategoricalCrossentropy";
/**
 * Its gradient with respect to the probabilities: inputs `dy` `[n]`,
 * `labels` and `probabilities` `[n, classes]`, attribute `epsilon`; output
 * `[n, classes]`.
 */
export const CROSS_ENTROPY_GRADIENT_KERNEL = "CategoricalCrossentropyGrad";

let gradientRegistered = false;

/**
 * Categorical cross-entropy per image, in nats: `labels` and
 * `probabilities` are `[n, classes]`, the result `[n]`. Equal to
 * `tf.metrics.categoricalCrossentropy(labels, probabilities)` up to float32
 * rounding, with the same gradient.
 *
 * @throws {Error} when the shapes differ (tfjs's own check, on the fallback path).
 * @example
 * ```ts
 * model.compile({ optimizer: "adam", loss: categoricalCrossentropy, metrics: ["accuracy"] });
 * ```
 */
export function categoricalCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor {
  const fused = tf.getKernel(CROSS_ENTROPY_KERNEL, tf.getBackend()) !== undefined &&
    labels.dtype === "float32" && probabilities.dtype === "float32" &&
    probabilities.rank === 2 && tf.util.arraysEqual(labels.shape, probabilities.shape);
  if (!fused) return tf.metrics.categoricalCrossentropy(labels, probabilities);
  registerGradientOnce();
  return tf.engine().runKernel(
    CROSS_ENTROPY_KERNEL,
    { labels, probabilities },
    { epsilon: tf.backend().epsilon() },
  ) as tf.Tensor;
}

function registerGradientOnce(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: CROSS_ENTROPY_KERNEL,
    inputsToSave: ["labels", "probabilities"],
    gradFunc: (dy, saved, attrs) => {
      const [labels, probabilities] = saved;
      return {
        probabilities: () =>
          tf.engine().runKernel(
            CROSS_ENTROPY_GRADIENT_KERNEL,
            { dy: dy as tf.Tensor, labels, probabilities },
            attrs,
          ) as tf.Tensor,
        // Labels are data, never trained; their gradient is not asked for.
        labels: () => tf.zerosLike(labels),
      };
    },
  });
}
