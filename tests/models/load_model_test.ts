import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import {
  createMlp,
  LayersDigitModel,
  loadModel,
  saveLayersModel,
  ScratchDigitModel,
} from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { createScratchMlp, predictScratchMlp, saveScratchMlp } from "../../lib/scratch/mod.ts";

/** The last part of a path. */
function basenameOf(path: string): string {
  return path.split("/").at(-1)!;
}

function randomPixels(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count * 784 }, () => random());
}

async function withTempDir(use: (folder: string) => Promise<void>): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "predictor_" });
  try {
    await use(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("a tfjs layers folder predicts as the model does, in batches, leaking no tensors", async () => {
  await withTempDir(async (folder) => {
    const model = createMlp({ seed: 3 });
    await saveLayersModel(model, folder);
    const pixels = randomPixels(5, 1);
    const expected = tf.tidy(() =>
      (model.predict(tf.tensor4d(pixels, [5, 28, 28, 1])) as tf.Tensor).arraySync() as number[][]
    );
    model.dispose();
    const before = tf.memory().numTensors;
    const loaded = await loadModel(folder);
    assert.ok(loaded instanceof LayersDigitModel);
    assert.equal(loaded.id, basenameOf(folder));
    const weights = tf.memory().numTensors - before;
    assert.equal(weights, loaded.layersModel.weights.length, "the model holds its weights only");
    const tensors = tf.memory().numTensors;
    const probabilities = await loaded.predict(pixels, 5);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(probabilities.length, 50);
    expected.forEach((row, i) =>
      row.forEach((p, k) => assert.ok(Math.abs(probabilities[i * 10 + k] - p) < 1e-5))
    );
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before, "disposing frees every weight");
  });
});

Deno.test("a from-scratch folder (weights.npz) predicts as the scratch MLP does", async () => {
  await withTempDir(async (folder) => {
    const network = createScratchMlp({ seed: 4 });
    await saveScratchMlp(network, folder);
    const loaded = await loadModel(folder);
    assert.ok(loaded instanceof ScratchDigitModel);
    const pixels = randomPixels(3, 2);
    const expected = predictScratchMlp(network, pixels, 3);
    assert.deepEqual(await loaded.predict(pixels, 3), expected);
  });
});

Deno.test("loadModel takes the path of a model.json as its folder, and names the model by it", async () => {
  await withTempDir(async (folder) => {
    const directory = join(folder, "cnn");
    const model = createMlp({ seed: 3 });
    await saveLayersModel(model, directory);
    model.dispose();
    const loaded = await loadModel(join(directory, "model.json"));
    assert.equal(loaded.id, "cnn");
    assert.equal(loaded.params, 235146);
    loaded.dispose();
  });
});

Deno.test("loadModel refuses a folder without a model", async () => {
  await withTempDir(async (folder) => {
    await assert.rejects(loadModel(folder), {
      name: "NotFound",
      message:
        `Cannot load model from '${folder}': found neither model.json (tfjs layers model) nor weights.npz (from-scratch MLP)`,
    });
    const file = join(folder, "train.csv");
    await Deno.writeTextFile(file, "label,pixel0\n");
    await assert.rejects(loadModel(file), {
      name: "NotFound",
      message:
        `Cannot load model from '${file}': it is a file, expected a saved model's folder or its model.json`,
    });
  });
});

Deno.test("loadModel refuses a model that does not read 28x28 digits into 10 classes", async () => {
  await withTempDir(async (folder) => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [100], units: 5, activation: "softmax" })],
    });
    await saveLayersModel(model, folder);
    model.dispose();
    await assert.rejects(loadModel(folder), {
      name: "TypeError",
      message: `Cannot load model from '${
        join(folder, "model.json")
      }': found input shape [100], expected one 28x28 image: [28, 28], [28, 28, 1] or [784]`,
    });
  });
});

Deno.test("loadModel refuses a 28x28 model whose output is not 10 classes, naming its model.json", async () => {
  await withTempDir(async (folder) => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }),
        tf.layers.dense({ units: 5, activation: "softmax" }),
      ],
    });
    await saveLayersModel(model, folder);
    model.dispose();
    await assert.rejects(loadModel(folder), {
      name: "TypeError",
      message: `Cannot load model from '${
        join(folder, "model.json")
      }': found output shape [5], expected [10] (one probability per digit)`,
    });
  });
});
