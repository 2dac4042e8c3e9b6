import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { createMlp, LayersDigitModel, loadModel, setLearningRate } from "../../lib/models/mod.ts";
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

Deno.test("setLearningRate changes the step of Adam and of SGD from the next step on", async () => {
  // One weight w from 0 towards 1 under squared error: the gradient is 2(w - 1) = -2.
  const stepWith = async (optimizer: tf.Optimizer) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: "zeros" }),
      ],
    });
    model.compile({ optimizer, loss: "meanSquaredError" });
    setLearningRate(model, 0.01);
    await model.fit(tf.ones([1, 1]), tf.ones([1, 1]), { epochs: 1, batchSize: 1, verbose: 0 });
    const weight = (model.getWeights()[0].dataSync())[0];
    model.dispose();
    optimizer.dispose();
    return weight;
  };
  // SGD: w = 0 - 0.01 · -2; Adam's first step moves by the learning rate.
  assert.ok(Math.abs(await stepWith(tf.train.momentum(0.5, 0)) - 0.02) < 1e-7);
  assert.ok(Math.abs(await stepWith(tf.train.adam(0.5)) - 0.01) < 1e-6);
  assert.throws(
    () => setLearningRate(createMlp({ seed: 1 }), 0.1),
    /Cannot set the learning rate of .*: found no optimizer, expected a compiled model/,
  );
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

/** A tiny CNN, smooth (tanh) so that finite differences match to first order. */
function createTinyCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 2,
        kernelSize: 5,
        strides: 3,
        activation: "tanh",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 10,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
}

Deno.test("inputGradients matches a central finite difference of the probability", async () => {
  // The wasm backend has no Conv2DBackpropFilter, which tf.grad through a Conv2D calls.
  await tf.setBackend("cpu");
  const layers = createTinyCnn();
  const model = new LayersDigitModel(layers, { id: "cnn", label: "CNN", predictBatchSize: 2 });
  const count = 3;
  const pixels = images.pixels.slice(0, count * IMAGE_PIXELS);
  const classes = Uint8Array.of(4, 0, 9);
  const tensors = tf.memory().numTensors;
  const gradients = await model.inputGradients(pixels, count, classes);
  assert.equal(tf.memory().numTensors, tensors, "inputGradients leaks tensors");
  const step = 1e-2;
  for (const image of [0, 2]) {
    for (const pixel of [300, 350, 406, 433, 500]) {
      const at = image * IMAGE_PIXELS + pixel;
      const shifted = (delta: number) => {
        const copy = pixels.slice(image * IMAGE_PIXELS, (image + 1) * IMAGE_PIXELS);
        copy[pixel] += delta;
        return model.predict(copy, 1).then((p) => p[classes[image]]);
      };
      const estimate = (await shifted(step) - await shifted(-step)) / (2 * step);
      assert.ok(
        Math.abs(gradients[at] - estimate) <= 1e-4 + 0.02 * Math.abs(estimate),
        `image ${image}, pixel ${pixel}: gradient ${gradients[at]}, finite difference ${estimate}`,
      );
    }
  }
  assert.ok(gradients.some((g) => Math.abs(g) > 1e-4), "all gradients are about zero");
  layers.dispose();
  await tf.setBackend("wasm");
});

Deno.test("inputGradients rejects classes that do not match the images", async () => {
  const layers = createTinyCnn();
  const model = new LayersDigitModel(layers, { id: "cnn", label: "CNN" });
  await assert.rejects(
    () => model.inputGradients(images.pixels.slice(0, IMAGE_PIXELS), 1, Uint8Array.of(1, 2)),
    new RangeError(
      "Cannot compute input gradients: 2 classes for 1 images, expected one per image",
    ),
  );
  await assert.rejects(
    () => model.inputGradients(images.pixels.slice(0, IMAGE_PIXELS), 1, [10]),
    new RangeError(
      "Cannot compute input gradients: classes[0] is 10, expected an integer class 0 to 9",
    ),
  );
  layers.dispose();
});
