/**
 * Conversion of prepared typed arrays into the tensors tfjs models take.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";

/**
 * Images as a [n, 28, 28, 1] tensor, the input shape of both tfjs models
 * (the MLP flattens it in its first layer).
 *
 * @example
 * ```ts
 * const images = toImageTensor(prepared.test); // shape [10000, 28, 28, 1]
 * ```
 */
export function toImageTensor(set: Pick<LabelledImages, "pixels" | "count">): tf.Tensor4D {
  return tf.tensor4d(set.pixels, [set.count, IMAGE_SIZE, IMAGE_SIZE, 1], "float32");
}

/**
 * Labels as one-hot rows, what categorical cross-entropy compares with.
 *
 * @example
 * ```ts
 * toOneHot(new Uint8Array([2])).arraySync(); // [[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]
 * ```
 */
export function toOneHot(labels: Uint8Array): tf.Tensor2D {
  return tf.tidy(() =>
    tf.oneHot(tf.tensor1d(labels, "int32"), NUM_CLASSES).toFloat() as tf.Tensor2D
  );
}
