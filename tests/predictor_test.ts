import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { saveLayersModel } from "../lib/model_io.ts";
import { createMlp } from "../lib/models.ts";
import { disposePredictor, loadPredictor, predictDigits } from "../lib/predictor.ts";
import { createScratchMlp, predictScratchMlp, saveScratchMlp } from "../lib/scratch/mod.ts";
import { createRandom } from "../lib/random.ts";

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
    const predictor = await loadPredictor(folder);
    assert.equal(predictor.kind, "tfjs");
    const tensors = tf.memory().numTensors;
    const predictions = await predictDigits(predictor, pixels, { batchSize: 2 });
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(predictions.length, 5);
    predictions.forEach((prediction, i) => {
      prediction.probabilities.forEach((p, k) => assert.ok(Math.abs(p - expected[i][k]) < 1e-5));
      assert.equal(prediction.digit, expected[i].indexOf(Math.max(...expected[i])));
    });
    disposePredictor(predictor);
    assert.ok(tf.memory().numTensors < tensors, "disposing frees the weights");
  });
});

Deno.test("a from-scratch folder (weights.npz) predicts as the scratch MLP does", async () => {
  await withTempDir(async (folder) => {
    const network = createScratchMlp({ seed: 4 });
    await saveScratchMlp(network, folder);
    const predictor = await loadPredictor(folder);
    assert.equal(predictor.kind, "scratch");
    const pixels = randomPixels(3, 2);
    const expected = predictScratchMlp(network, pixels, 3);
    const predictions = await predictDigits(predictor, pixels);
    assert.deepEqual(predictions.flatMap((p) => p.probabilities), Array.from(expected));
  });
});

Deno.test("loadPredictor refuses a folder without a model", async () => {
  await withTempDir(async (folder) => {
    await assert.rejects(loadPredictor(folder), {
      name: "NotFound",
      message:
        `Cannot load model from '${folder}': found neither model.json (tfjs layers model) nor weights.npz (from-scratch MLP)`,
    });
  });
});

Deno.test("loadPredictor refuses a model that does not read 28x28 digits into 10 classes", async () => {
  await withTempDir(async (folder) => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [100], units: 5, activation: "softmax" })],
    });
    await saveLayersModel(model, folder);
    model.dispose();
    await assert.rejects(loadPredictor(folder), {
      name: "TypeError",
      message:
        `Cannot load model from '${folder}': it maps [100] to [5], expected 784 pixels to 10 classes`,
    });
  });
});

Deno.test("predictDigits refuses pixels that are not whole images", async () => {
  await withTempDir(async (folder) => {
    await saveScratchMlp(createScratchMlp({ seed: 1 }), folder);
    const predictor = await loadPredictor(folder);
    await assert.rejects(predictDigits(predictor, new Float32Array(785)), {
      name: "RangeError",
      message: "Cannot predict digits: got 785 pixels, expected a multiple of 784",
    });
    assert.deepEqual(await predictDigits(predictor, new Float32Array(0)), []);
  });
});
