import assert from "node:assert/strict";
import { findChanceLevelResults, majorityClassShare } from "../../lib/evaluation/mod.ts";
import { createResult } from "../fixtures/model_results.ts";

// Ten test labels, four of them class 1: always answering 1 scores 0.4.
const TEST_LABELS = Uint8Array.of(1, 1, 1, 1, 2, 3, 4, 5, 6, 7);
// Five validation labels, two of them class 0: chance 0.4.
const VALIDATION_LABELS = Uint8Array.of(0, 0, 3, 4, 5);

const history = (valAccuracy: number) => ({
  loss: [1, 0.5],
  accuracy: [0.4, 0.6],
  valLoss: [1, 1.2],
  valAccuracy: [0.5, valAccuracy],
});

Deno.test("majorityClassShare is the share of the most frequent class", () => {
  assert.equal(majorityClassShare(TEST_LABELS), 0.4);
  assert.equal(majorityClassShare(Uint8Array.of(9)), 1);
  assert.throws(
    () => majorityClassShare(new Uint8Array(0)),
    new RangeError(
      "Cannot compute the majority class share: labels is empty, expected at least 1 class",
    ),
  );
});

Deno.test("findChanceLevelResults names the models within the margin of chance on test or validation", () => {
  const results = [
    createResult("good", [], { fields: { testAccuracy: 0.9, history: history(0.8) } }),
    createResult("test", [], { fields: { testAccuracy: 0.44, history: history(0.8) } }),
    createResult("validation", [], { fields: { testAccuracy: 0.9, history: history(0.42) } }),
  ];
  const findings = findChanceLevelResults(results, TEST_LABELS, {
    validationLabels: VALIDATION_LABELS,
  });
  assert.deepEqual(findings, [
    {
      id: "test",
      testAccuracy: 0.44,
      testChance: 0.4,
      validationAccuracy: 0.8,
      validationChance: 0.4,
      trainAccuracy: 0.6,
      atChance: ["test"],
    },
    {
      id: "validation",
      testAccuracy: 0.9,
      testChance: 0.4,
      validationAccuracy: 0.42,
      validationChance: 0.4,
      trainAccuracy: 0.6,
      atChance: ["validation"],
    },
  ]);
});

Deno.test("findChanceLevelResults: the margin moves the line, and only the last epoch counts", () => {
  // The first epoch's validation accuracy, 0.5, is not the one checked.
  const result = createResult("m", [], { fields: { testAccuracy: 0.9, history: history(0.46) } });
  const check = (margin: number) =>
    findChanceLevelResults([result], TEST_LABELS, { validationLabels: VALIDATION_LABELS, margin })
      .map((finding) => finding.id);
  assert.deepEqual(check(0.05), []);
  assert.deepEqual(check(0.06), ["m"]);
  assert.deepEqual(
    findChanceLevelResults([result], TEST_LABELS, { validationLabels: TEST_LABELS, margin: 0.5 })[0]
      .atChance,
    ["validation", "test"],
  );
  // Without validation labels only the test accuracy counts.
  assert.deepEqual(findChanceLevelResults([result], TEST_LABELS, { margin: 0.06 }), []);
  assert.throws(
    () => findChanceLevelResults([result], TEST_LABELS, { margin: -0.1 }),
    new RangeError(
      "Cannot compare accuracy with chance: margin is -0.1, expected a number from 0 to 1",
    ),
  );
});
