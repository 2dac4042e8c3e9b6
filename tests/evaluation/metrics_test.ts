import assert from "node:assert/strict";
import { accuracyOf, classificationReport, confusionCounts } from "../../lib/evaluation/mod.ts";

// Worked by hand and checked against scikit-learn 1.2's
// classification_report(labels, predicted, zero_division=0):
//   class 0: tp 3, predicted 3, support 4 -> P 1, R 3/4, F1 6/7
//   class 1: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3
//   class 2: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 2/3
//   class 3: tp 0, predicted 1, support 0 -> all 0 (zero division)
//   macro over the 4 classes seen: P 7/12, R 25/48, F1 23/42
//   weighted by support 4, 3, 3, 0: P 0.8, R 0.7, F1 26/35
const LABELS = Uint8Array.of(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
const PREDICTED = Uint8Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3);

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, expected ${expected}`);
}

Deno.test("accuracyOf counts the matching predictions", () => {
  assert.equal(accuracyOf(LABELS, PREDICTED), 0.7);
  assert.equal(accuracyOf([5, 5], [5, 5]), 1);
});

Deno.test("confusionCounts of the worked example puts true classes on rows", () => {
  const counts = confusionCounts(LABELS, PREDICTED);
  assert.equal(counts.length, 10);
  assert.ok(counts.every((row) => row.length === 10));
  assert.deepEqual(counts.map((row) => row[1]), [1, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(counts.map((row) => row[3]), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("classificationReport matches the hand-computed report", () => {
  const report = classificationReport(LABELS, PREDICTED);
  assert.deepEqual(report.columns, ["class", "precision", "recall", "f1", "support"]);
  assert.equal(report.height, 12);
  const rows = report.toRecords();
  const expected: [string, number, number, number, number][] = [
    ["0", 1, 3 / 4, 6 / 7, 4],
    ["1", 2 / 3, 2 / 3, 2 / 3, 3],
    ["2", 2 / 3, 2 / 3, 2 / 3, 3],
    ["3", 0, 0, 0, 0],
    ["9", 0, 0, 0, 0],
    ["macro avg", 7 / 12, 25 / 48, 23 / 42, 10],
    ["weighted avg", 0.8, 0.7, 26 / 35, 10],
  ];
  for (const [name, precision, recall, f1, support] of expected) {
    const row = rows.find((r) => r.class === name);
    assert.ok(row, `row ${name}`);
    assertClose(row.precision as number, precision, `precision of ${name}`);
    assertClose(row.recall as number, recall, `recall of ${name}`);
    assertClose(row.f1 as number, f1, `f1 of ${name}`);
    assert.equal(row.support, support, `support of ${name}`);
  }
  assert.deepEqual(rows.slice(10).map((r) => r.class), ["macro avg", "weighted avg"]);
});

Deno.test("classificationReport of a perfect prediction over all ten classes is all ones", () => {
  const labels = Uint8Array.from({ length: 30 }, (_, i) => i % 10);
  const report = classificationReport(labels, labels);
  for (const name of ["precision", "recall", "f1"]) {
    assert.deepEqual(report.getColumn(name).toArray(), new Array(12).fill(1));
  }
  assert.deepEqual(report.getColumn("support").toArray(), [...new Array(10).fill(3), 30, 30]);
});

Deno.test("metrics reject labels and predictions that do not fit", () => {
  assert.throws(() => accuracyOf(LABELS, PREDICTED.subarray(1)), {
    name: "RangeError",
    message:
      "Cannot compute accuracy: labels has 10 entries and predicted has 9, expected the same number",
  });
  assert.throws(() => confusionCounts([1, 10], [1, 1]), {
    name: "RangeError",
    message:
      "Cannot compute the confusion matrix: labels[1] is 10, expected an integer class 0 to 9",
  });
  assert.throws(() => classificationReport([-1], [0]), {
    name: "RangeError",
    message:
      "Cannot compute the classification report: labels[0] is -1, expected an integer class 0 to 9",
  });
  assert.throws(() => accuracyOf([], []), {
    name: "RangeError",
    message: "Cannot compute accuracy: labels is empty, expected at least 1 class",
  });
});
