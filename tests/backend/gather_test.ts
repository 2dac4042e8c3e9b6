import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  assertMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
} from "../helpers/backend_compare.ts";

/** Gathers of rows (the fast kernel) and of other axes (the stock kernel). */
function gathers(): tf.Tensor[] {
  const images = tf.tensor4d(seededValues(7 * 4 * 3 * 2, 1), [7, 4, 3, 2]);
  const counts = tf.tensor2d(Array.from({ length: 21 }, (_, i) => i * 3 - 20), [7, 3], "int32");
  const rows = tf.tensor1d([6, 0, 3, 3, 1], "int32");
  const grid = tf.tensor2d([[2, 5], [0, 6]], [2, 2], "int32");
  return [
    tf.gather(images, rows),
    tf.gather(images, grid),
    tf.gather(counts, rows),
    tf.gather(images, tf.tensor1d([], "int32")),
    tf.gather(images, rows, -4),
    tf.gather(images, tf.tensor1d([2, 0], "int32"), 1),
    tf.gather(tf.tensor1d([true, false, true], "bool"), tf.tensor1d([2, 1], "int32")),
  ];
}

testFastPaths("gather along any axis, of floats, integers and booleans, matches cpu", (path) => {
  return assertMatchesCpu(path, "gather", gathers);
});

testFastPaths("a batch gathered from 54,000 images by fit's indices matches cpu", (path) => {
  return assertMatchesCpu(path, "batch gather", () => {
    const set = tf.tensor4d(seededValues(54_000 * 28, 2), [54_000, 28, 1, 1]);
    const order = tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7919) % 54_000), "int32");
    return [tf.gather(set, order)];
  });
});

testFastPaths("a row index out of range is refused with the range expected", async (path) => {
  await setupPath(path);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    assert.throws(
      () => tf.gather(x, tf.tensor1d([1, 2], "int32")),
      /^RangeError: Cannot gather rows: index 2 is out of range, expected an integer from 0 to 1$/,
    );
  });
  assert.equal(tf.memory().numTensors, before);
});
