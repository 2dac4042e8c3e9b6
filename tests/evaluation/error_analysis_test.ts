import assert from "node:assert/strict";
import {
  agreement,
  disagreements,
  mostConfusedPairs,
  perClassErrors,
  wrongPredictionConfidence,
} from "../../lib/evaluation/error_analysis.ts";
import { createResult } from "../fixtures/model_results.ts";

// Twelve images, three of each class 0 to 3. Right/wrong per image:
//   index    0 1 2 3 4 5 6 7 8 9 10 11
//   mlp      R R W R R W R R W R W  W   (wrong: 0->1, 1->2, 2->1, 3->5 twice)
//   cnn      R W R R R R R W R R R  W   (wrong: 0->1, 2->0, 3->5)
//   scratch  W R R R R R R R R R R  W   (wrong: 0->2, 3->5)
const LABELS = Uint8Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3);
const MLP_CONFIDENCE = [0.9, 0.9, 0.6, 0.9, 0.9, 0.8, 0.9, 0.9, 0.6, 0.9, 0.95, 0.5];
const MLP = createResult("mlp", [0, 0, 1, 1, 1, 2, 2, 2, 1, 3, 5, 5], {
  confidence: MLP_CONFIDENCE,
});
const CNN = createResult("cnn", [0, 1, 0, 1, 1, 1, 2, 0, 2, 3, 3, 5]);
const SCRATCH = createResult("scratch", [2, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 5]);

function close(values: unknown[], expected: (number | null)[]): void {
  assert.equal(values.length, expected.length);
  values.forEach((value, i) => {
    if (expected[i] === null) assert.equal(value, null, `entry ${i}`);
    else assert.ok(Math.abs((value as number) - expected[i]!) < 1e-6, `entry ${i}: ${value}`);
  });
}

Deno.test("perClassErrors puts each model's error rate per class side by side", () => {
  const table = perClassErrors([MLP, CNN], LABELS);
  assert.deepEqual(table.columns, ["class", "support", "mlpErrorRate", "cnnErrorRate"]);
  assert.deepEqual(table.getColumn("support").toArray(), [3, 3, 3, 3, 0, 0, 0, 0, 0, 0]);
  const absent = [null, null, null, null, null, null];
  close(table.getColumn("mlpErrorRate").toArray(), [1 / 3, 1 / 3, 1 / 3, 2 / 3, ...absent]);
  close(table.getColumn("cnnErrorRate").toArray(), [1 / 3, 0, 1 / 3, 1 / 3, ...absent]);
});

Deno.test("mostConfusedPairs sorts by count, then by true and predicted class", () => {
  const table = mostConfusedPairs(MLP, LABELS);
  assert.deepEqual(table.columns, ["true", "predicted", "count", "share"]);
  const rows = table.toRecords().map((r) => [r.true, r.predicted, r.count]);
  assert.deepEqual(rows, [[3, 5, 2], [0, 1, 1], [1, 2, 1], [2, 1, 1]]);
  close(table.getColumn("share").toArray(), [2 / 3, 1 / 3, 1 / 3, 1 / 3]);
  const top2 = mostConfusedPairs(MLP, LABELS, { top: 2 }).toRecords();
  assert.deepEqual(top2.map((r) => [r.true, r.predicted]), [[3, 5], [0, 1]]);
});

Deno.test("agreement of two models counts both right, only each, and neither", () => {
  const table = agreement([MLP, CNN], LABELS);
  assert.deepEqual(table.columns, ["outcome", "mlpRight", "cnnRight", "count", "share"]);
  assert.deepEqual(table.toRecords(), [
    { outcome: "both right", mlpRight: true, cnnRight: true, count: 5, share: 5 / 12 },
    { outcome: "only mlp", mlpRight: true, cnnRight: false, count: 2, share: 2 / 12 },
    { outcome: "only cnn", mlpRight: false, cnnRight: true, count: 4, share: 4 / 12 },
    { outcome: "neither", mlpRight: false, cnnRight: false, count: 1, share: 1 / 12 },
  ]);
});

Deno.test("agreement of three models lists the full pattern; of one, right and wrong", () => {
  const three = agreement([MLP, CNN, SCRATCH], LABELS);
  assert.deepEqual(three.getColumn("outcome").toArray(), [
    "all right",
    "only mlp and cnn",
    "only mlp and scratch",
    "only cnn and scratch",
    "only mlp",
    "only cnn",
    "only scratch",
    "none right",
  ]);
  assert.deepEqual(three.getColumn("count").toArray(), [4, 1, 2, 4, 0, 0, 0, 1]);
  assert.deepEqual(three.getColumn("scratchRight").toArray(), [
    true,
    false,
    true,
    true,
    false,
    false,
    true,
    false,
  ]);
  const one = agreement([CNN], LABELS);
  assert.deepEqual(one.getColumn("outcome").toArray(), ["right", "wrong"]);
  assert.deepEqual(one.getColumn("count").toArray(), [9, 3]);
});

Deno.test("disagreements lists the images where predictions differ, with confidences", () => {
  const table = disagreements([MLP, CNN], LABELS);
  assert.deepEqual(table.columns, [
    "index",
    "true",
    "mlpPredicted",
    "mlpConfidence",
    "cnnPredicted",
    "cnnConfidence",
  ]);
  // Image 11 is wrong for both, but both say 5: that is agreement.
  assert.deepEqual(table.getColumn("index").toArray(), [1, 2, 5, 7, 8, 10]);
  assert.deepEqual(table.getColumn("true").toArray(), [0, 0, 1, 2, 2, 3]);
  assert.deepEqual(table.getColumn("mlpPredicted").toArray(), [0, 1, 2, 2, 1, 5]);
  assert.deepEqual(table.getColumn("cnnPredicted").toArray(), [1, 0, 1, 0, 2, 3]);
  close(table.getColumn("mlpConfidence").toArray(), [0.9, 0.6, 0.8, 0.9, 0.6, 0.95]);
  const limited = disagreements([MLP, CNN, SCRATCH], LABELS, { limit: 2 });
  assert.deepEqual(limited.getColumn("index").toArray(), [0, 1]);
  const alone = disagreements([MLP], LABELS);
  assert.equal(alone.height, 0);
  assert.deepEqual(alone.columns, ["index", "true", "mlpPredicted", "mlpConfidence"]);
});

Deno.test("wrongPredictionConfidence lists mistakes, most confident first", () => {
  const table = wrongPredictionConfidence(MLP, LABELS);
  assert.deepEqual(table.columns, ["index", "true", "predicted", "confidence"]);
  assert.deepEqual(table.getColumn("index").toArray(), [10, 5, 2, 8, 11]);
  assert.deepEqual(table.getColumn("predicted").toArray(), [5, 2, 1, 1, 5]);
  close(table.getColumn("confidence").toArray(), [0.95, 0.8, 0.6, 0.6, 0.5]);
});

Deno.test("error analysis rejects bad labels, sizes, options and model lists", () => {
  assert.throws(() => perClassErrors([MLP], LABELS.subarray(1)), {
    name: "RangeError",
    message:
      "Cannot compute per-class errors of mlp: probabilities has 120 values, expected 11 x 10 = 110",
  });
  assert.throws(() => agreement([MLP, CNN], Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)), {
    name: "RangeError",
    message: "Cannot count agreement: labels[10] is 10, expected an integer class 0 to 9",
  });
  assert.throws(() => agreement([MLP, MLP], LABELS), {
    name: "RangeError",
    message: 'Cannot count agreement: model "mlp" appears twice, expected each model once',
  });
  assert.throws(() => disagreements([], LABELS), {
    name: "RangeError",
    message: "Cannot list disagreements: no models given, expected at least 1",
  });
  assert.throws(() => mostConfusedPairs(MLP, LABELS, { top: 0 }), {
    name: "RangeError",
    message: "Cannot find the most confused pairs: top is 0, expected a positive integer",
  });
  assert.throws(() => disagreements([MLP, CNN], LABELS, { limit: 2.5 }), {
    name: "RangeError",
    message: "Cannot list disagreements: limit is 2.5, expected a positive integer",
  });
});
