import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { LayersDigitModel } from "../../lib/models/mod.ts";
import { evaluateModel } from "../../lib/training/mod.ts";

await tf.setBackend("wasm");

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected}`,
  );
}

/**
 * A model whose output ignores the image: softmax of a bias that gives
 * class 3 a logit of ln 4, so p(3) = 4/13 and every other class 1/13.
 */
function constantModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: "zeros" }),
    ],
  });
  const bias = new Float32Array(10);
  bias[3] = Math.log(4);
  tf.tidy(() => model.layers[1].setWeights([tf.zeros([IMAGE_PIXELS, 10]), tf.tensor1d(bias)]));
  return model;
}

Deno.test("evaluateModel scores a tiny model in batches, leaving no tensor behind", async () => {
  const model = new LayersDigitModel(constantModel(), {
    id: "constant",
    label: "Constant",
    predictBatchSize: 2,
  });
  const set = {
    pixels: new Float32Array(5 * IMAGE_PIXELS).fill(0.5),
    labels: Uint8Array.of(3, 3, 1, 7, 3),
    count: 5,
  };
  const before = tf.memory().numTensors;
  // Batches of 2 leave a last batch of one image.
  const evaluation = await evaluateModel(model, set);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(evaluation.probabilities.length, 50);
  for (let i = 0; i < 5; i++) {
    for (let c = 0; c < 10; c++) {
      assertClose(evaluation.probabilities[i * 10 + c], c === 3 ? 4 / 13 : 1 / 13, 1e-6, "p");
    }
  }
  assert.equal(evaluation.accuracy, 3 / 5);
  assertClose(evaluation.loss, (3 * -Math.log(4 / 13) + 2 * -Math.log(1 / 13)) / 5, 1e-6, "loss");
  assert.ok(Number.isFinite(evaluation.imagesPerSecond) && evaluation.imagesPerSecond > 0);
  model.dispose();
});
