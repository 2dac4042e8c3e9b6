import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  categoricalCrossentropy,
  compileLayersModel,
  createCnn,
  createMlp,
} from "../../lib/models/mod.ts";

/** The tfjs architectures, each tested the same way. */
const BUILDERS = { mlp: createMlp, cnn: createCnn };

await tf.setBackend("wasm");

/** The values of every weight of a model, one array per weight. */
function allWeights(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

/** A batch of `count` images with values spread over [0, 1]. */
function sampleImages(count: number): tf.Tensor4D {
  return tf.tidy(() => tf.randomUniform([count, 28, 28, 1], 0, 1, "float32", 5) as tf.Tensor4D);
}

for (const [id, create] of Object.entries(BUILDERS)) {
  Deno.test(`${id}: output is [n, 10] and each row is a probability distribution`, () => {
    const model = create({ seed: 1 });
    const images = sampleImages(5);
    const output = model.predict(images) as tf.Tensor;
    try {
      assert.deepEqual(output.shape, [5, 10]);
      const rows = output.arraySync() as number[][];
      for (const row of rows) {
        assert.ok(row.every((p) => p > 0 && p < 1), `row ${row}`);
        assert.ok(Math.abs(row.reduce((sum, p) => sum + p, 0) - 1) < 1e-5, `sum of ${row}`);
      }
    } finally {
      tf.dispose([images, output]);
      model.dispose();
    }
  });

  Deno.test(`${id}: the same seed gives identical weights, another seed different ones`, () => {
    const [first, again, other] = [7, 7, 8].map((seed) => create({ seed }));
    try {
      assert.deepEqual(allWeights(first), allWeights(again));
      const [a, b] = [allWeights(first), allWeights(other)];
      // Biases start at zero whatever the seed; every kernel must differ.
      const kernels = a.map((_, i) => i).filter((i) => a[i].some((value) => value !== 0));
      assert.ok(kernels.length >= 3);
      for (const i of kernels) assert.notDeepEqual(a[i], b[i], `weight ${i}`);
    } finally {
      [first, again, other].forEach((model) => model.dispose());
    }
  });
}

Deno.test("the MLP has the original's layers and 235,146 parameters", () => {
  const model = createMlp({ seed: 1 });
  assert.deepEqual(
    model.layers.map((layer) => layer.getClassName()),
    ["Flatten", "Dense", "Dense", "Dropout", "Dense"],
  );
  assert.deepEqual(model.layers.map((layer) => layer.outputShape), [
    [null, 784],
    [null, 256],
    [null, 128],
    [null, 128],
    [null, 10],
  ]);
  assert.equal(model.countParams(), 235_146);
  model.dispose();
});

Deno.test("the CNN has the original's layers and 225,034 parameters", () => {
  const model = createCnn({ seed: 1 });
  assert.deepEqual(
    model.layers.map((layer) => layer.getClassName()),
    ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dropout", "Dense"],
  );
  assert.deepEqual(model.layers.map((layer) => layer.outputShape), [
    [null, 26, 26, 32],
    [null, 13, 13, 32],
    [null, 11, 11, 64],
    [null, 5, 5, 64],
    [null, 1600],
    [null, 128],
    [null, 128],
    [null, 10],
  ]);
  assert.equal(model.countParams(), 225_034);
  model.dispose();
});

Deno.test("compileLayersModel sets Adam with the learning rate, cross-entropy and accuracy", () => {
  const model = compileLayersModel(createMlp({ seed: 1 }), { learningRate: 0.002 });
  assert.equal(model.optimizer.getClassName(), "Adam");
  assert.equal(model.optimizer.getConfig().learningRate, 0.002);
  assert.equal(model.loss, categoricalCrossentropy);
  assert.deepEqual(model.metricsNames, ["loss", "acc"]);
  model.dispose();
});

Deno.test("predicting leaves no tensor behind and is the same twice (dropout is off)", () => {
  const model = createCnn({ seed: 3 });
  const images = sampleImages(3);
  const before = tf.memory().numTensors;
  const first = tf.tidy(() => (model.predict(images) as tf.Tensor).arraySync());
  const second = tf.tidy(() => (model.predict(images) as tf.Tensor).arraySync());
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(first, second);
  images.dispose();
  model.dispose();
});
