import assert from "node:assert/strict";
import { argmaxClasses, confusionCounts, predictClasses } from "../../lib/evaluation/mod.ts";
import { probabilitiesFor } from "../fixtures/model_results.ts";

Deno.test("predictClasses takes the argmax of each row, the lower class on a tie", () => {
  const probabilities = probabilitiesFor([7, 0, 9], [0.5, 0.3, 0.95]);
  assert.deepEqual(predictClasses(probabilities), Uint8Array.of(7, 0, 9));
  const tie = new Float32Array(10);
  tie[4] = 0.5;
  tie[6] = 0.5;
  assert.deepEqual(predictClasses(tie, 1), Uint8Array.of(4));
});

Deno.test("predictClasses rejects a wrong length, a bad count and NaN", () => {
  assert.throws(() => predictClasses(new Float32Array(25)), {
    name: "RangeError",
    message:
      "Cannot predict classes: probabilities has 25 values, expected a positive multiple of 10",
  });
  assert.throws(() => predictClasses(new Float32Array(30), 2), {
    name: "RangeError",
    message: "Cannot predict classes: probabilities has 30 values, expected 2 x 10 = 20",
  });
  assert.throws(() => predictClasses(new Float32Array(0)), {
    name: "RangeError",
    message:
      "Cannot predict classes: probabilities has 0 values, expected a positive multiple of 10",
  });
  assert.throws(() => predictClasses(new Float32Array(20), 1.5), {
    name: "RangeError",
    message: "Cannot predict classes: count is 1.5, expected a positive integer",
  });
  const diverged = probabilitiesFor([1, 2]);
  diverged[13] = NaN;
  assert.throws(() => predictClasses(diverged), {
    name: "RangeError",
    message: "Cannot predict classes: probabilities[13] (image 1) is NaN, expected a finite number",
  });
});

Deno.test("argmaxClasses takes whole rows and does not check them", () => {
  const probabilities = probabilitiesFor([3, 8]);
  assert.deepEqual(argmaxClasses(probabilities), Uint8Array.of(3, 8));
  assert.deepEqual(argmaxClasses(probabilities.subarray(0, 15)), Uint8Array.of(3));
  assert.deepEqual(argmaxClasses(new Float32Array(10).fill(NaN)), Uint8Array.of(0));
});

Deno.test("confusionCounts puts true classes on rows", () => {
  const labels = Uint8Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
  const predicted = Uint8Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3);
  const counts = confusionCounts(labels, predicted);
  assert.equal(counts.length, 10);
  assert.deepEqual(counts[0], [3, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(counts[1], [0, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(counts[2], [0, 0, 2, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(counts[3], new Array(10).fill(0));
  assert.equal(counts.flat().reduce((sum, count) => sum + count, 0), labels.length);
});

Deno.test("confusionCounts rejects classes that do not fit", () => {
  assert.throws(() => confusionCounts([1, 1], [1, 2.5]), {
    name: "RangeError",
    message:
      "Cannot compute the confusion matrix: predicted[1] is 2.5, expected an integer class 0 to 9",
  });
  assert.throws(() => confusionCounts([1, 1], [1]), {
    name: "RangeError",
    message:
      "Cannot compute the confusion matrix: labels has 2 entries and predicted has 1, expected the same number",
  });
});
