import assert from "node:assert/strict";
import { IMAGE_PIXELS, type ModelId, NUM_CLASSES } from "../../lib/config.ts";
import {
  onlyRightIndices,
  selectResult,
  wrongConfidenceSummary,
} from "../../lib/evaluation/mod.ts";
import { selectImages } from "../../lib/data/mod.ts";
import type { ModelResult } from "../../lib/results.ts";
import { syntheticImages } from "../fixtures/chart_inputs.ts";

/** A result answering `answers[i]` for image i with probability `confidence[i]`. */
function resultOf(id: ModelId, answers: number[], confidence: number[]): ModelResult {
  const probabilities = new Float32Array(answers.length * NUM_CLASSES);
  answers.forEach((answer, i) => {
    const rest = (1 - confidence[i]) / (NUM_CLASSES - 1);
    for (let k = 0; k < NUM_CLASSES; k++) {
      probabilities[i * NUM_CLASSES + k] = k === answer ? confidence[i] : rest;
    }
  });
  return {
    id,
    label: id.toUpperCase(),
    params: 1,
    epochs: 1,
    trainSeconds: 1,
    history: { loss: [1], accuracy: [0.5], valLoss: [1], valAccuracy: [0.5] },
    testLoss: 1,
    testAccuracy: 0.5,
    probabilities,
    inferImagesPerSecond: 1,
  };
}

const labels = Uint8Array.from([0, 1, 2, 3, 4]);
// mlp: right on 0, 1, 4; cnn: right on 0, 2, 3, 4.
const mlp = resultOf("mlp", [0, 1, 5, 7, 4], [0.9, 0.8, 0.95, 0.6, 0.7]);
const cnn = resultOf("cnn", [0, 9, 2, 3, 4], [0.99, 0.5, 0.9, 0.8, 0.9]);

Deno.test("onlyRightIndices finds the images one model alone gets right", () => {
  assert.deepEqual(onlyRightIndices([mlp, cnn], labels, "cnn"), [2, 3]);
  assert.deepEqual(onlyRightIndices([mlp, cnn], labels, "mlp"), [1]);
  const scratch = resultOf("scratch", [0, 1, 2, 3, 4], [1, 1, 1, 1, 1]);
  assert.deepEqual(onlyRightIndices([mlp, cnn, scratch], labels, "cnn"), []);
});

Deno.test("onlyRightIndices needs the model and another one", () => {
  assert.throws(() => onlyRightIndices([mlp], labels, "mlp"), {
    name: "RangeError",
    message:
      "Cannot find the images only mlp gets right: the models are [mlp], expected mlp and at least one other",
  });
  assert.throws(() => onlyRightIndices([mlp, cnn], labels, "scratch"), {
    name: "RangeError",
    message:
      "Cannot find the images only scratch gets right: the models are [mlp,cnn], expected scratch and at least one other",
  });
});

Deno.test("selectImages and selectResult take the same images in the order given", () => {
  const images = syntheticImages(5);
  const subset = selectImages(images, [3, 1]);
  assert.equal(subset.count, 2);
  assert.deepEqual(Array.from(subset.labels), [3, 1]);
  assert.deepEqual(
    subset.pixels.subarray(0, IMAGE_PIXELS),
    images.pixels.subarray(3 * IMAGE_PIXELS, 4 * IMAGE_PIXELS),
  );
  const picked = selectResult(mlp, [3, 1]);
  assert.deepEqual(
    picked.probabilities.subarray(NUM_CLASSES),
    mlp.probabilities.subarray(NUM_CLASSES, 2 * NUM_CLASSES),
  );
  assert.equal(picked.probabilities.length, 2 * NUM_CLASSES);
  assert.equal(picked.id, "mlp");
  assert.throws(() => selectImages(images, [5]), {
    name: "RangeError",
    message: "Cannot select images: index 5 is out of range, expected an integer from 0 to 4",
  });
});

Deno.test("wrongConfidenceSummary sums up how sure each model is when wrong", () => {
  const table = wrongConfidenceSummary([mlp, cnn], labels);
  const [m, c] = table.toRecords();
  assert.equal(m.model, "mlp");
  assert.equal(m.wrong, 2);
  assert.ok(Math.abs((m.wrongMeanConfidence as number) - 0.775) < 1e-6);
  assert.ok(Math.abs((m.wrongMedianConfidence as number) - 0.775) < 1e-6);
  assert.equal(m.wrongOver90, 0.5);
  assert.ok(Math.abs((m.rightMeanConfidence as number) - 0.8) < 1e-6);
  assert.equal(c.wrong, 1);
  assert.ok(Math.abs((c.wrongMedianConfidence as number) - 0.5) < 1e-6);
  assert.equal(c.wrongOver90, 0);
});

Deno.test("wrongConfidenceSummary leaves the confidence of a flawless model empty", () => {
  const perfect = resultOf("scratch", [0, 1, 2, 3, 4], [0.9, 0.9, 0.9, 0.9, 0.9]);
  const [row] = wrongConfidenceSummary([perfect], labels).toRecords();
  assert.equal(row.wrong, 0);
  assert.equal(row.wrongMeanConfidence, null);
  assert.equal(row.wrongOver90, null);
});
