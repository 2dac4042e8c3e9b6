import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { createMlp, LayersDigitModel, loadModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";

await tf.setBackend("wasm");

const random = createRandom(5);
const images = {
  pixels: Float32Array.from({ length: 40 * IMAGE_PIXELS }, () => random()),
  labels: Uint8Array.from({ length: 40 }, (_, i) => i % 10),
  count: 40,
};

Deno.test("predict gives the rows model.predict gives, whatever the batch size", async () => {
  const layers = createMlp({ seed: 1 });
  const direct = tf.tidy(() =>
    (layers.predict(tf.tensor4d(images.pixels, [40, 28, 28, 1])) as tf.Tensor).dataSync()
  );
  for (const predictBatchSize of [1, 3, 40, 1000]) {
    const model = new LayersDigitModel(layers, { id: "mlp", label: "MLP", predictBatchSize });
    const tensors = tf.memory().numTensors;
    const probabilities = await model.predict(images.pixels, 40);
    assert.equal(tf.memory().numTensors, tensors, `batch ${predictBatchSize} leaks`);
    probabilities.forEach((p, i) =>
      assert.ok(Math.abs(p - direct[i]) < 1e-6, `batch ${predictBatchSize}, value ${i}`)
    );
  }
  layers.dispose();
});

Deno.test("trainEpoch takes the images in the order given and reports the last batch", async () => {
  const train = async (order: Uint32Array) => {
    const model = new LayersDigitModel(createMlp({ seed: 2 }), { id: "mlp", label: "MLP" });
    model.compile({ learningRate: 1e-3 });
    const batches: number[] = [];
    const logs = await model.trainEpoch(images, {
      batchSize: 16,
      order,
      epoch: 1,
      epochs: 1,
      onBatchEnd: (progress) => void batches.push(progress.batch),
    });
    const probabilities = await model.predict(images.pixels, 4);
    model.dispose();
    return { logs, batches, probabilities };
  };
  const identity = Uint32Array.from({ length: 40 }, (_, i) => i);
  const reversed = identity.slice().reverse();
  const [first, again, other] = [
    await train(identity),
    await train(identity),
    await train(reversed),
  ];
  // Three batches: fewer than the ten between reports, so only the last one reports.
  assert.deepEqual(first.batches, [3]);
  assert.ok(first.logs.loss > 0 && first.logs.seconds > 0);
  assert.deepEqual(again.probabilities, first.probabilities, "the same order repeats exactly");
  assert.notDeepEqual(other.probabilities, first.probabilities, "another order trains otherwise");
});

Deno.test("compile picks the optimizer: Adam by default, sgd with momentum", () => {
  const model = new LayersDigitModel(createMlp({ seed: 3 }), { id: "mlp", label: "MLP" });
  model.compile({ learningRate: 0.01, optimizer: "sgd", momentum: 0.8 });
  assert.equal(model.layersModel.optimizer.getClassName(), "Momentum");
  assert.equal(model.layersModel.optimizer.getConfig().momentum, 0.8);
  model.compile({ learningRate: 0.002 });
  assert.equal(model.layersModel.optimizer.getClassName(), "Adam");
  model.layersModel.dispose();
});

Deno.test("summary lists the layers; dispose frees the weights and the optimizer", async () => {
  const before = tf.memory().numTensors;
  const model = new LayersDigitModel(createMlp({ seed: 3 }), { id: "mlp", label: "MLP" });
  model.compile({ learningRate: 0.001 });
  await model.trainEpoch(images, {
    batchSize: 20,
    order: Uint32Array.from({ length: 40 }, (_, i) => i),
    epoch: 1,
    epochs: 1,
  });
  assert.deepEqual(model.summary().map((layer) => layer.type), [
    "Flatten",
    "Dense",
    "Dense",
    "Dropout",
    "Dense",
  ]);
  assert.equal(model.summary().reduce((sum, layer) => sum + layer.params, 0), model.params);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("save writes a folder that loadModel reads back to the same predictions", async () => {
  const folder = await Deno.makeTempDir({ prefix: "layers_model_" });
  try {
    const model = new LayersDigitModel(createMlp({ seed: 4 }), { id: "mlp", label: "MLP" });
    await model.save(join(folder, "mlp"));
    const loaded = await loadModel(join(folder, "mlp"));
    assert.deepEqual(await loaded.predict(images.pixels, 5), await model.predict(images.pixels, 5));
    model.dispose();
    loaded.dispose();
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
