import assert from "node:assert/strict";
import {
  calibrationSummary,
  calibrationTable,
  expectedCalibrationError,
  fitTemperature,
} from "../../lib/evaluation/mod.ts";
import { createResult, probabilitiesFor } from "../fixtures/model_results.ts";

// Five images, 5 bins of width 0.2 (Guo et al.'s binning with M = 5):
//   confidence 0.9 right, 0.9 wrong, 0.7 right  -> bins 5, 5, 4
//   confidence 0.5 right, 0.3 wrong              -> bins 3, 2
// Bin 5: 2 images, mean confidence 0.9, accuracy 0.5, gap -0.4.
// Bin 4: 1 image, 0.7, accuracy 1, gap 0.3. Bin 3: 0.5 vs 1, gap 0.5. Bin 2: 0.3 vs 0, gap -0.3.
// ECE = (2 * 0.4 + 0.3 + 0.5 + 0.3) / 5 = 1.9 / 5 = 0.38.
const predicted = [1, 2, 3, 4, 5];
const labels = Uint8Array.of(1, 0, 3, 4, 0);
const result = { id: "cnn", probabilities: probabilitiesFor(predicted, [0.9, 0.9, 0.7, 0.5, 0.3]) };

Deno.test("expectedCalibrationError of a hand-made set", () => {
  const ece = expectedCalibrationError(result, labels, { bins: 5 });
  assert.ok(Math.abs(ece - 0.38) < 1e-6, `ECE ${ece}, expected 0.38`);
});

Deno.test("calibrationTable gives count, mean confidence and accuracy per bin", () => {
  const table = calibrationTable(result, labels, { bins: 5 });
  assert.deepEqual(table.columns, [
    "bin",
    "lower",
    "upper",
    "count",
    "confidence",
    "accuracy",
    "gap",
  ]);
  assert.deepEqual([...table.getColumn("count")], [0, 1, 1, 1, 2]);
  assert.deepEqual([...table.getColumn("accuracy")], [null, 0, 1, 1, 0.5]);
  const confidence = [...table.getColumn("confidence")] as (number | null)[];
  const gap = [...table.getColumn("gap")] as number[];
  [null, 0.3, 0.5, 0.7, 0.9].forEach((expected, m) => {
    if (expected === null) return assert.equal(confidence[m], null);
    assert.ok(Math.abs(confidence[m]! - expected) < 1e-6, `bin ${m + 1}: ${confidence[m]}`);
  });
  assert.ok(Math.abs(gap[4] - -0.4) < 1e-6 && Math.abs(gap[1] - -0.3) < 1e-6);
});

Deno.test("a confidence on a bin's upper edge falls in that bin", () => {
  // 0.5 (exact in float32) is the upper edge of bin 2 of 4: (0.25, 0.5].
  const edge = { id: "cnn", probabilities: probabilitiesFor([2], [0.5]) };
  const table = calibrationTable(edge, Uint8Array.of(2), { bins: 4 });
  assert.deepEqual([...table.getColumn("count")], [0, 1, 0, 0]);
});

Deno.test("the default is Guo et al.'s 15 bins", () => {
  assert.equal(calibrationTable(result, labels).height, 15);
});

Deno.test("calibration rejects bad bins and mismatched labels", () => {
  assert.throws(
    () => expectedCalibrationError(result, labels, { bins: 0 }),
    new RangeError(
      "Cannot compute the expected calibration error: bins is 0, expected a positive integer",
    ),
  );
  assert.throws(
    () => calibrationTable(result, labels.subarray(0, 4)),
    new RangeError(
      "Cannot compute a calibration table of cnn: probabilities has 50 values, expected 4 x 10 = 40",
    ),
  );
});

Deno.test("calibrationSummary: ECE per model, and the fitted temperature's effect", () => {
  const cnn = createResult("cnn", predicted, { confidence: [0.9, 0.9, 0.7, 0.5, 0.3] });
  const mlp = createResult("mlp", predicted, { confidence: [0.99, 0.99, 0.99, 0.99, 0.99] });
  const fit = fitTemperature(mlp.probabilities, labels);
  const table = calibrationSummary([cnn, mlp], labels, { bins: 5, fits: { mlp: fit } });
  assert.deepEqual(table.columns, [
    "model",
    "testEce",
    "temperature",
    "validationLoss",
    "scaledValidationLoss",
    "scaledTestEce",
    "testLoss",
    "scaledTestLoss",
  ]);
  const [cnnRow, mlpRow] = table.toRecords() as Record<string, number | null>[];
  assert.ok(Math.abs(cnnRow.testEce! - 0.38) < 1e-6);
  assert.equal(cnnRow.temperature, null);
  assert.equal(cnnRow.scaledTestEce, null);
  // The MLP is 99% sure and right 3 times in 5: scaling must soften it a lot.
  assert.ok(Math.abs(mlpRow.testEce! - 0.39) < 1e-6);
  assert.ok(mlpRow.temperature! > 1);
  assert.ok(mlpRow.scaledTestEce! < mlpRow.testEce!);
  assert.ok(mlpRow.scaledValidationLoss! < mlpRow.validationLoss!);
});
