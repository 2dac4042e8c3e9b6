import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { compileLayersModel, createCnn, createMlp } from "../../lib/models/mod.ts";
import {
  type FastPath,
  seededValues,
  setupPath,
  testFastPaths,
} from "../helpers/backend_compare.ts";

/** A batch of random images and one-hot labels. */
function randomBatch(size: number, seed: number): [tf.Tensor, tf.Tensor] {
  const x = tf.tensor4d(seededValues(size * 784, seed).map((v) => (v + 1) / 2), [size, 28, 28, 1]);
  const labels = tf.tensor1d(Array.from({ length: size }, (_, i) => (i * 7 + seed) % 10), "int32");
  const y = tf.oneHot(labels, 10).toFloat();
  labels.dispose();
  return [x, y];
}

for (const [name, create] of [["mlp", createMlp], ["cnn", createCnn]] as const) {
  testFastPaths(
    `a ${name} training step and a prediction leave no tensor or heap buffer behind`,
    async (path: FastPath) => {
      await setupPath(path);
      const model = compileLayersModel(create({ seed: 1 }), { learningRate: 1e-3 });
      const [x, y] = randomBatch(16, 3);
      await model.trainOnBatch(x, y);
      tf.tidy(() => model.predict(x));
      const tensors = tf.memory().numTensors;
      const buffers = (tf.backend() as BackendWasm).numDataIds();
      await model.trainOnBatch(x, y);
      (model.predict(x) as tf.Tensor).dispose();
      assert.equal(tf.memory().numTensors, tensors, "tensors after a second step");
      assert.equal(
        (tf.backend() as BackendWasm).numDataIds(),
        buffers,
        "heap buffers after a second step",
      );
      tf.dispose([x, y]);
      model.optimizer.dispose();
      model.dispose();
    },
  );
}

/** 128 images whose class is the position of a bright square: learnable in a few steps. */
function squaresBatch(): [tf.Tensor, tf.Tensor] {
  const count = 128;
  const pixels = seededValues(count * 784, 11).map((v) => (v + 1) * 0.05);
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels.push(label);
    const top = 2 + 12 * Math.floor(label / 5), left = 2 + 5 * (label % 5);
    for (let row = top; row < top + 8; row++) {
      for (let col = left; col < left + 4; col++) pixels[i * 784 + row * 28 + col] = 1;
    }
  }
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat());
  return [tf.tensor4d(pixels, [count, 28, 28, 1]), y];
}

testFastPaths("the CNN's loss falls by more than half in 8 epochs of a small set", async (path) => {
  await setupPath(path);
  const model = compileLayersModel(createCnn({ seed: 42 }), { learningRate: 1e-3 });
  const [x, y] = squaresBatch();
  const history = await model.fit(x, y, { epochs: 8, batchSize: 32, shuffle: false, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses.at(-1)! < losses[0] / 2, `losses ${losses.map((l) => l.toFixed(3)).join(", ")}`);
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
});
