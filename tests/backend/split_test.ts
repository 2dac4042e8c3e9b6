import * as tf from "@tensorflow/tfjs";
import { assertMatchesCpu, seededValues, testFastPaths } from "../helpers/backend_compare.ts";

testFastPaths(
  "split along each axis, in even and uneven parts, matches cpu",
  (path) =>
    assertMatchesCpu(path, "split", () => {
      const x = tf.tensor4d(seededValues(2 * 3 * 4 * 70, 1), [2, 3, 4, 70]);
      return [
        ...tf.split(x, [12, 58], 3),
        ...tf.split(x, [1, 69], -1),
        ...tf.split(x, 2, 0),
        ...tf.split(x, [1, 2], 1),
        ...tf.split(x, [3, 1], 2),
        ...tf.split(tf.cast(x, "int32"), [30, 40], 3).map((t) => tf.cast(t, "float32")),
      ];
    }),
);

testFastPaths(
  "the gradient of a channel concatenation (a DenseNet layer's) matches cpu",
  (path) =>
    assertMatchesCpu(path, "concat gradient", () => {
      const a = tf.tensor4d(seededValues(2 * 3 * 3 * 24, 2), [2, 3, 3, 24]);
      const b = tf.tensor4d(seededValues(2 * 3 * 3 * 12, 3), [2, 3, 3, 12]);
      const weights = tf.tensor4d(seededValues(2 * 3 * 3 * 36, 4), [2, 3, 3, 36]);
      const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), weights));
      return [tf.concat([a, b], 3), ...tf.grads(loss)([a, b])];
    }),
);
