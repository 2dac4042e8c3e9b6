import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { scoreProbabilities } from "../../lib/evaluation/mod.ts";
import { createRandom } from "../../lib/random.ts";

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
