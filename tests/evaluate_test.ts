import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../lib/config.ts";
import { evaluateModel, predictProbabilities, scoreProbabilities } from "../lib/evaluate.ts";
import { createRandom } from "../lib/random.ts";

await tf.setBackend("wasm");

/** Softmax rows given as sparse {class: probability} maps, the rest 0. */
function rows(...entries: Record<number, number>[]): Float32Array {
  const probabilities = new Float32Array(entries.length * 10);
  entries.forEach((entry, i) => {
    for (const [label, p] of Object.entries(entry)) probabilities[i * 10 + Number(label)] = p;
  });
  return probabilities;
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected}`,
  );
}

Deno.test("scoreProbabilities against a hand-computed example", () => {
  // Row 0: label 0 at 0.9, predicted 0, right.
  // Row 1: label 3 at 0.25, but class 5 has 0.5: wrong.
  // Row 2: label 7 at probability 0, clipped to 1e-7 as Keras does: wrong.
  // Row 3: label 2 at probability 1, clipped to 1 - 1e-7: right.
  const probabilities = rows({ 0: 0.9, 1: 0.1 }, { 3: 0.25, 5: 0.5, 9: 0.25 }, { 1: 1 }, { 2: 1 });
  const { loss, accuracy } = scoreProbabilities(probabilities, Uint8Array.of(0, 3, 7, 2));
  const expected = -(Math.log(Math.fround(0.9)) + Math.log(0.25) + Math.log(1e-7) +
    Math.log(1 - 1e-7)) / 4;
  assertClose(loss, expected, 1e-12, "loss");
  assert.equal(accuracy, 0.5);
});

Deno.test("scoreProbabilities matches tfjs' categorical cross-entropy on random rows", () => {
  const random = createRandom(3);
  const count = 50;
  const raw = Float32Array.from({ length: count * 10 }, () => random() ** 4);
  for (let i = 0; i < count; i++) {
    const row = raw.subarray(i * 10, (i + 1) * 10);
    const sum = row.reduce((total, p) => total + p, 0);
    row.forEach((p, c) => (row[c] = p / sum));
  }
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * 10));
  const { loss, accuracy } = scoreProbabilities(raw, labels);
  const reference = tf.tidy(() => {
    const yTrue = tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
    const yPred = tf.tensor2d(raw, [count, 10]);
    return [
      tf.metrics.categoricalCrossentropy(yTrue, yPred).mean().dataSync()[0],
      tf.metrics.categoricalAccuracy(yTrue, yPred).mean().dataSync()[0],
    ];
  });
  assertClose(loss, reference[0], 1e-5, "loss");
  assertClose(accuracy, reference[1], 1e-6, "accuracy");
});

Deno.test("scoreProbabilities counts a tie as the lower class", () => {
  const { accuracy } = scoreProbabilities(
    rows({ 4: 0.5, 6: 0.5 }, { 4: 0.5, 6: 0.5 }),
    Uint8Array.of(4, 6),
  );
  assert.equal(accuracy, 0.5);
});

Deno.test("scoreProbabilities rejects a length that does not match the labels", () => {
  assert.throws(() => scoreProbabilities(new Float32Array(25), new Uint8Array(3)), {
    name: "RangeError",
    message: "Cannot score predictions: 25 probabilities for 3 labels, expected 30",
  });
  assert.throws(() => scoreProbabilities(new Float32Array(10), new Uint8Array(2)), {
    name: "RangeError",
    message: "Cannot score predictions: 10 probabilities for 2 labels, expected 20",
  });
});

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
  const model = constantModel();
  const set = {
    pixels: new Float32Array(5 * IMAGE_PIXELS).fill(0.5),
    labels: Uint8Array.of(3, 3, 1, 7, 3),
    count: 5,
  };
  const before = tf.memory().numTensors;
  // Batches of 2 leave a last batch of one image.
  const evaluation = await evaluateModel(model, set, { batchSize: 2 });
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

Deno.test("predictProbabilities gives the same rows whatever the batch size", async () => {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({
        units: 10,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
    ],
  });
  const random = createRandom(5);
  const set = { pixels: Float32Array.from({ length: 7 * IMAGE_PIXELS }, random), count: 7 };
  const whole = await predictProbabilities(model, set);
  const direct = tf.tidy(() =>
    (model.predict(tf.tensor4d(set.pixels, [7, 28, 28, 1])) as tf.Tensor).dataSync()
  );
  assert.deepEqual(whole, direct);
  for (const batchSize of [1, 3, 7, 100]) {
    const batched = await predictProbabilities(model, set, { batchSize });
    batched.forEach((p, i) => assertClose(p, whole[i], 1e-6, `batch ${batchSize}, value ${i}`));
  }
  model.dispose();
});
