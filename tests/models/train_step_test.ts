import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { compileLayersModel, createMlp, trainBatch } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";

await tf.setBackend("wasm");

/** 24 random images and their one-hot labels. */
function randomBatch(): { x: tf.Tensor; y: tf.Tensor } {
  const random = createRandom(9);
  const pixels = Float32Array.from({ length: 24 * IMAGE_PIXELS }, () => random());
  return {
    x: tf.tensor4d(pixels, [24, 28, 28, 1]),
    y: tf.oneHot(tf.tensor1d(Array.from({ length: 24 }, (_, i) => (i * 3) % 10), "int32"), 10),
  };
}

/** A small model whose first layer has an L2 penalty on its weights. */
function regularizedModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 16,
        activation: "relu",
        kernelRegularizer: tf.regularizers.l2({ l2: 0.05 }),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.dense({
        units: 10,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
}

for (
  const [name, build] of [
    ["the MLP", () => createMlp({ seed: 5, dropoutRate: 0 })],
    ["a model with an L2 penalty", regularizedModel],
  ] as const
) {
  Deno.test(`trainBatch takes trainOnBatch's step on ${name}: same loss, accuracy and weights`, async () => {
    const batch = randomBatch();
    const reference = compileLayersModel(build(), { learningRate: 1e-2 });
    const model = compileLayersModel(build(), { learningRate: 1e-2 });
    for (let step = 0; step < 3; step++) {
      const [loss, accuracy] = await reference.trainOnBatch(batch.x, batch.y) as number[];
      const sums = trainBatch(model, batch);
      const [lossTimesCount, correct] = await sums.data();
      sums.dispose();
      assert.ok(Math.abs(lossTimesCount / 24 - loss) <= 1e-6 * loss, `loss of step ${step}`);
      assert.equal(Math.fround(correct / 24), accuracy, `accuracy of step ${step}`);
    }
    const expected = reference.getWeights().map((w) => Array.from(w.dataSync()));
    const actual = model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(actual, expected);
    const tensors = tf.memory().numTensors;
    trainBatch(model, batch).dispose();
    assert.equal(tf.memory().numTensors, tensors, "tensors after a step");
    tf.dispose([batch.x, batch.y]);
    for (const m of [reference, model]) {
      m.optimizer.dispose();
      m.dispose();
    }
  });
}

Deno.test("trainBatch refuses a model without an optimizer or with another loss", () => {
  const batch = randomBatch();
  const uncompiled = createMlp({ seed: 1 });
  assert.throws(
    () => trainBatch(uncompiled, batch),
    new TypeError(
      `Cannot train ${uncompiled.name}: found no optimizer, expected a model compiled by compileLayersModel`,
    ),
  );
  const other = createMlp({ seed: 1 });
  other.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  assert.throws(() => trainBatch(other, batch), /found another loss than the project's/);
  tf.dispose([batch.x, batch.y]);
  uncompiled.dispose();
  other.dispose();
});
