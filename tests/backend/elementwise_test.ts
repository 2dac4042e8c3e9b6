import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  assertMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
} from "../helpers/backend_compare.ts";

testFastPaths(
  "bias-gradient sums over leading axes, and other sums, match cpu",
  (path) =>
    assertMatchesCpu(path, "sum", () => {
      const x = tf.tensor4d(seededValues(2 * 5 * 4 * 3, 1), [2, 5, 4, 3]);
      return [
        tf.sum(x, [0, 1, 2]),
        tf.sum(x, [2, 0, 1], true),
        tf.sum(x.reshape([40, 3]), 0),
        tf.sum(x, -1),
        tf.sum(x, [1, 2]),
        tf.sum(x),
      ];
    }),
);

testFastPaths("Identity shares its input's data, and a clone outlives its source", async (path) => {
  await setupPath(path);
  const source = tf.tensor1d([1, 2, 3]);
  const copy = tf.clone(source);
  assert.equal(copy.dataId, source.dataId, "the clone holds the source's data id");
  source.dispose();
  assert.deepEqual([...copy.dataSync()], [1, 2, 3]);
  copy.dispose();
});

testFastPaths(
  "five fused Adam steps move the weights as cpu's Adam does",
  (path) =>
    assertMatchesCpu(path, "adam", () => {
      const start = tf.tensor2d(seededValues(40 * 3, 1), [40, 3]);
      const weights = tf.variable(start);
      const bias = tf.variable(tf.zeros([3]));
      const target = tf.tensor2d(seededValues(40 * 3, 3), [40, 3]);
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 5; step++) {
        optimizer.minimize(() => tf.sum(tf.square(tf.sub(tf.add(weights, bias), target))));
      }
      const result = [tf.sub(weights, start), bias.clone()];
      optimizer.dispose();
      weights.dispose();
      bias.dispose();
      return result;
    }),
);

testFastPaths(
  "Adam updates weights in place only when nothing shares them: clones keep their values",
  (path) =>
    assertMatchesCpu(path, "adam clones", () => {
      const weights = tf.variable(tf.tensor2d(seededValues(8 * 4, 5), [8, 4]));
      const target = tf.tensor2d(seededValues(8 * 4, 6), [8, 4]);
      const optimizer = tf.train.adam(0.1);
      const step = () => optimizer.minimize(() => tf.sum(tf.square(tf.sub(weights, target))));
      step();
      const before = weights.clone();
      const reshaped = tf.reshape(weights, [32]);
      step();
      step();
      const result = [before, reshaped, weights.clone()];
      optimizer.dispose();
      weights.dispose();
      return result;
    }),
);

testFastPaths(
  "convolutions after in-place Adam steps use the new filter, not one cached from the old",
  (path) =>
    assertMatchesCpu(path, "conv after adam", () => {
      const x = tf.tensor4d(seededValues(5 * 5 * 2, 7), [1, 5, 5, 2]);
      const filter = tf.variable(tf.tensor4d(seededValues(3 * 3 * 2 * 4, 8), [3, 3, 2, 4]));
      const convolve = () => [
        tf.conv2d(x, filter, 1, "valid"),
        tf.fused.conv2d({ x, filter, strides: 1, pad: "valid", activation: "elu" }),
      ];
      const optimizer = tf.train.adam(0.1);
      const before = convolve();
      for (let step = 0; step < 3; step++) {
        optimizer.minimize(() => tf.sum(tf.square(tf.conv2d(x, filter, 1, "valid"))));
      }
      const result = [...before, ...convolve()];
      optimizer.dispose();
      filter.dispose();
      return result;
    }),
);

testFastPaths(
  "a cast to the same type shares data, a cast to another type makes new data",
  async (path) => {
    await setupPath(path);
    const x = tf.tensor1d([1.5, -2.25, 0, 3]);
    const same = tf.cast(x, "float32");
    const whole = tf.cast(x, "int32");
    const truth = tf.cast(x, "bool");
    assert.equal(same.dataId, x.dataId, "float32 to float32 shares the data id");
    assert.notEqual(whole.dataId, x.dataId, "float32 to int32 makes new data");
    assert.notEqual(truth.dataId, x.dataId, "float32 to bool makes new data");
    tf.dispose([x, same, whole, truth]);
  },
);

testFastPaths(
  "casts to the same and to other types give cpu's values",
  (path) =>
    assertMatchesCpu(path, "cast", () => {
      const x = tf.tensor1d([1.5, -2.25, 0, 3]);
      return [
        tf.cast(x, "float32"),
        tf.cast(tf.cast(x, "int32"), "float32"),
        tf.cast(tf.cast(x, "bool"), "float32"),
      ];
    }),
);

testFastPaths(
  "a bias added to every row, and ReLU's gradient, match cpu",
  (path) =>
    assertMatchesCpu(path, "bias and relu", () => {
      const x = tf.tensor4d(seededValues(2 * 5 * 3 * 6, 1), [2, 5, 3, 6]);
      const bias = tf.tensor1d(seededValues(6, 2));
      const odd = tf.tensor2d(seededValues(7 * 5, 3), [7, 5]);
      const dy = tf.tensor4d(seededValues(2 * 5 * 3 * 6, 4), [2, 5, 3, 6]);
      const reluGradient = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), dy)));
      return [
        tf.add(x, bias),
        tf.add(bias, x),
        tf.add(odd, tf.tensor1d(seededValues(5, 5))),
        reluGradient(tf.add(x, bias)),
        tf.grad((a: tf.Tensor) => tf.sum(tf.relu(a)))(odd),
      ];
    }),
);

testFastPaths(
  "a whole-tensor slice shares data and a partial slice makes new data",
  async (path) => {
    await setupPath(path);
    const x = tf.tensor3d(seededValues(4 * 3 * 2, 8), [4, 3, 2]);
    const whole = tf.slice(x, [0, 0, 0], [4, 3, 2]);
    const rest = tf.slice(x, [0], [-1]);
    const part = tf.slice(x, [1, 0, 1], [2, 3, 1]);
    assert.equal(whole.dataId, x.dataId, "a slice of every element shares the data id");
    assert.equal(rest.dataId, x.dataId, "a slice to the end from 0 shares the data id");
    assert.notEqual(part.dataId, x.dataId, "a slice of some elements makes new data");
    tf.dispose([x, whole, rest, part]);
  },
);

testFastPaths(
  "whole and partial slices give cpu's values",
  (path) =>
    assertMatchesCpu(path, "slice", () => {
      const x = tf.tensor3d(seededValues(4 * 3 * 2, 8), [4, 3, 2]);
      const rows = tf.tensor2d(seededValues(50 * 784, 9), [50, 784]);
      const flags = tf.tensor1d([1, 0, 1, 1, 0], "bool");
      return [
        tf.slice(x, [0, 0, 0], [4, 3, 2]),
        tf.slice(x, [0], [-1]),
        tf.slice(x, [1, 0, 1], [2, 3, 1]),
        tf.slice(x, [1, 0, 0], [2, 3, 2]),
        tf.slice(x, [2, 1, 0], [1, 2, 2]),
        tf.slice(rows, [32, 0], [18, 784]),
        tf.slice(rows.asType("int32"), [3, 0], [5, 784]),
        tf.slice(flags, [1], [3]).asType("float32"),
      ];
    }),
);

testFastPaths(
  "a slice of whole rows copies just those rows, never the whole input",
  async (path) => {
    await setupPath(path);
    const rows = tf.tensor2d(seededValues(1000 * 784, 10), [1000, 784]);
    const backend = tf.backend() as unknown as { readSync: (...args: unknown[]) => unknown };
    const readSync = backend.readSync;
    const read: unknown[] = [];
    backend.readSync = (...args: unknown[]) => {
      read.push(args[0]);
      return readSync.apply(backend, args);
    };
    try {
      const batch = tf.slice(rows, [32, 0], [32, 784]);
      assert.deepEqual(read, [], "the slice read no tensor out of the heap");
      assert.deepEqual(batch.dataSync(), rows.dataSync().subarray(32 * 784, 64 * 784));
      batch.dispose();
    } finally {
      backend.readSync = readSync;
      rows.dispose();
    }
  },
);
