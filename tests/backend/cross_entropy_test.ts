import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  categoricalCrossentropy,
  CROSS_ENTROPY_GRADIENT_KERNEL,
  CROSS_ENTROPY_KERNEL,
} from "../../lib/models/cross_entropy.ts";
import {
  assertMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
} from "../helpers/backend_compare.ts";

/** Rows of probabilities: softmax rows, one unnormalised row, and rows that clip at ε and 1 - ε. */
function probabilitiesAndLabels(): [tf.Tensor2D, tf.Tensor2D] {
  const softmax = tf.softmax(tf.tensor2d(seededValues(6 * 10, 4), [6, 10]).mul(4));
  const special = tf.tensor2d([
    [0.2, 0.4, 0.6, 0.8, 0, 0, 0, 0, 0, 0], // sums to 2: divided by its sum
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], // q = 1 and q = 0: both clipped
    [0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0], // the labelled class has q = 0: clipped at ε
  ]);
  const probabilities = tf.concat([softmax, special]) as tf.Tensor2D;
  const classes = [3, 0, 7, 9, 1, 5, 2, 0, 4];
  const labels = tf.oneHot(tf.tensor1d(classes, "int32"), 10).toFloat() as tf.Tensor2D;
  return [probabilities, labels];
}

testFastPaths(
  "the fused cross-entropy and its gradient match tfjs's composition on cpu",
  (path) =>
    assertMatchesCpu(path, "cross-entropy", () => {
      const [probabilities, labels] = probabilitiesAndLabels();
      const weights = tf.tensor1d(seededValues(9, 8));
      // The gradient of a weighted sum, so each row's dy differs.
      const loss = (p: tf.Tensor) => tf.sum(tf.mul(categoricalCrossentropy(labels, p), weights));
      return [categoricalCrossentropy(labels, probabilities), tf.grad(loss)(probabilities)];
    }),
);

testFastPaths("training steps on the fast paths run the two loss kernels", async (path) => {
  await setupPath(path);
  const [probabilities, labels] = probabilitiesAndLabels();
  const profile = await tf.profile(() => {
    const grad = tf.grad((p: tf.Tensor) => tf.mean(categoricalCrossentropy(labels, p)));
    return grad(probabilities);
  });
  const names = profile.kernels.map((kernel) => kernel.name);
  assert.ok(names.includes(CROSS_ENTROPY_KERNEL), `kernels run: ${names.join(", ")}`);
  assert.ok(names.includes(CROSS_ENTROPY_GRADIENT_KERNEL), `kernels run: ${names.join(", ")}`);
  assert.ok(!names.includes("Log"), "no kernel of tfjs's composition runs");
  tf.dispose([probabilities, labels]);
});
