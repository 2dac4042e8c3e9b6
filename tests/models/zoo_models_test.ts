import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../lib/backend/mod.ts";
import { createDensenet } from "../../lib/models/densenet.ts";
import { createLenet5 } from "../../lib/models/lenet5.ts";
import { createResnet } from "../../lib/models/resnet.ts";
import { createVgg } from "../../lib/models/vgg.ts";
import { loadDataset, prepareData } from "../../lib/data/mod.ts";
import { LayersDigitModel } from "../../lib/models/mod.ts";
import { trainModel } from "../../lib/training/mod.ts";

// The fastest backend here (BLAS, else the pure-wasm kernels): both have the
// kernels the zoo needs, tested against cpu in tests/backend_*_test.ts.
await setupBackend({ backend: "auto" });

/** Each builder, its pinned parameter count, and its last feature map before the classifier. */
const ZOO = [
  { id: "lenet5", create: createLenet5, params: 61_706 },
  { id: "vgg", create: createVgg, params: 147_610 },
  { id: "resnet", create: createResnet, params: 73_690 },
  { id: "densenet", create: createDensenet, params: 47_290 },
] as const;

// The first 384 MNIST training images: 320 to train on (5 batches), 64 to validate.
const data = prepareData(await loadDataset(), {
  validationSplit: 64 / 384,
  limit: 384,
  testLimit: 1,
});

/** The values of every weight of a model, one array per weight. */
function allWeights(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

for (const { id, create, params } of ZOO) {
  Deno.test(`${id}: maps [n, 28, 28, 1] to 10 probabilities per image`, () => {
    const model = create({ seed: 1 });
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, "float32", 5);
    const output = model.predict(images) as tf.Tensor;
    try {
      assert.equal(model.name, id);
      assert.deepEqual(output.shape, [3, 10]);
      for (const row of output.arraySync() as number[][]) {
        assert.ok(row.every((p) => p > 0 && p < 1), `row ${row}`);
        assert.ok(Math.abs(row.reduce((sum, p) => sum + p, 0) - 1) < 1e-5, `sum of ${row}`);
      }
    } finally {
      tf.dispose([images, output]);
      model.dispose();
    }
  });

  Deno.test(`${id}: has ${params.toLocaleString("en")} parameters, under 1.5 M`, () => {
    const model = create();
    assert.equal(model.countParams(), params);
    assert.ok(params < 1_500_000);
    model.dispose();
  });

  Deno.test(`${id}: the same seed gives identical weights, another seed different ones`, () => {
    const [first, again, other] = [7, 7, 8].map((seed) => create({ seed }));
    try {
      assert.deepEqual(allWeights(first), allWeights(again));
      const [a, b] = [allWeights(first), allWeights(other)];
      // Kernels are drawn from the seed; biases, scales and statistics start constant.
      const drawn = a.map((_, i) => i).filter((i) => new Set(a[i]).size > 1);
      assert.ok(drawn.length >= 3, `${drawn.length} drawn weights`);
      for (const i of drawn) assert.notDeepEqual(a[i], b[i], `weight ${i}`);
    } finally {
      [first, again, other].forEach((model) => model.dispose());
    }
  });

  Deno.test(`${id}: learns on 320 images: loss falls each epoch, accuracy far above chance`, async () => {
    const model = new LayersDigitModel(create({ seed: 1 }), { id, label: id });
    const { history } = await trainModel(model, data, {
      epochs: 3,
      batchSize: 64,
      learningRate: 1e-3,
      seed: 1,
    });
    model.dispose();
    const [first, second, third] = history.loss;
    assert.ok(second < first && third < second, `losses ${history.loss}`);
    assert.ok(history.accuracy[2] > 0.3, `training accuracy ${history.accuracy[2]}`);
  });
}

Deno.test("vgg: after 80 steps its moving statistics let it read held-out digits", async () => {
  // Keras' momentum 0.99 kept 45% of the starting variance of 1 after 80
  // steps, against a true variance near 0.005: inference then read every
  // digit as one class (9% here).
  const small = prepareData(await loadDataset(), {
    validationSplit: 256 / 1536,
    limit: 1536,
    testLimit: 1,
  });
  const model = new LayersDigitModel(createVgg({ seed: 1 }), { id: "vgg", label: "vgg" });
  const { history } = await trainModel(model, small, {
    epochs: 1,
    batchSize: 16,
    learningRate: 1e-3,
    seed: 1,
  });
  model.dispose();
  assert.ok(history.valAccuracy[0] > 0.6, `validation accuracy ${history.valAccuracy[0]}`);
});
