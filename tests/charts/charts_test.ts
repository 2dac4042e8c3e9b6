import assert from "node:assert/strict";
import {
  classBalanceChart,
  confusionMatrixChart,
  confusionMatrixChartFromCounts,
  digitGridChart,
  misclassifiedChart,
  OUTCOME_COLORS,
  perClassErrorChart,
  renderSvg,
  samplePredictionsChart,
  svgToPng,
  trainingCurvesChart,
} from "../../lib/charts/mod.ts";
import { argmaxClasses, confusionCounts, predictClasses } from "../../lib/evaluation/mod.ts";
import type { ModelResult } from "../../lib/results.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(60);
const mlp = syntheticResult("mlp", images.labels, { accuracy: 0.8, seed: 1 });
const cnn = syntheticResult("cnn", images.labels, { accuracy: 0.95, seed: 2 });
const scratch = syntheticResult("scratch", images.labels, { accuracy: 0.7, seed: 3, epochs: 1 });
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The rows a single-view or layered spec carries inline. */
function rowsOf(spec: object): Record<string, unknown>[] {
  return (spec as { data: { values: Record<string, unknown>[] } }).data.values;
}

/** A result whose predictions are exactly `predicted`. */
function resultPredicting(predicted: number[]): ModelResult {
  const probabilities = new Float32Array(predicted.length * 10);
  predicted.forEach((k, row) => (probabilities[row * 10 + k] = 1));
  return { ...mlp, probabilities };
}

Deno.test("every chart compiles without warnings and renders to SVG and PNG", async () => {
  const specs = {
    curves: trainingCurvesChart([mlp, cnn, scratch]),
    confusion: confusionMatrixChart(cnn, images.labels),
    samples: samplePredictionsChart(mlp, images, { count: 12 }),
    misclassified: misclassifiedChart(mlp, images, { limit: 8 }),
    perClass: perClassErrorChart([mlp, cnn], images.labels),
    grid: digitGridChart(images, { count: 10, columns: 5 }),
    balance: classBalanceChart(images.labels),
  };
  for (const [name, spec] of Object.entries(specs)) {
    const warnings: string[] = [];
    const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
    assert.deepEqual(warnings, [], `${name} compiled with warnings`);
    assert.match(svg, /^<svg[^>]+width="\d+"/, name);
    const png = await svgToPng(svg, { scale: 1 });
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC, name);
    assert.ok(png.length > 3000, `${name} PNG is only ${png.length} bytes`);
  }
});

Deno.test("training curves carry every epoch of every series, for any subset of models", () => {
  for (const results of [[scratch], [mlp, cnn], [mlp, cnn, scratch]]) {
    const rows = rowsOf(trainingCurvesChart(results));
    const expected = results.reduce((sum, result) => sum + 4 * result.epochs, 0);
    assert.equal(rows.length, expected);
    assert.deepEqual(new Set(rows.map((row) => row.split)), new Set(["training", "validation"]));
  }
  const diverged = { ...mlp, history: { ...mlp.history, loss: [0.5, NaN, 0.4, 0.3] } };
  const lossRows = rowsOf(trainingCurvesChart([diverged])).filter((row) =>
    row.metric === "loss" && row.split === "training"
  );
  assert.deepEqual(lossRows.map((row) => row.value), [0.5, null, 0.4, 0.3]);
});

Deno.test("sample predictions colour wrong predictions apart from right ones", async () => {
  const predicted = argmaxClasses(mlp.probabilities);
  const rows = rowsOf(samplePredictionsChart(mlp, images, { count: 30 }));
  assert.equal(rows.length, 30);
  rows.forEach((row, index) => {
    const right = predicted[index] === images.labels[index];
    assert.equal(row.outcome, right ? "right" : "wrong");
    assert.equal(row.caption, `${images.labels[index]} / ${predicted[index]}`);
    assert.match(String(row.url), /^data:image\/png;base64,/);
  });
  const wrong = rows.filter((row) => row.outcome === "wrong").length;
  assert.ok(wrong > 0 && wrong < 30, `the sample should mix right and wrong, has ${wrong} wrong`);
  // Each digit has a coloured caption and a coloured frame.
  const svg = await renderSvg(samplePredictionsChart(mlp, images, { count: 30 }));
  const captions = (colour: string) =>
    svg.match(new RegExp(`<text[^>]*fill="${colour}"`, "g"))?.length ?? 0;
  assert.equal(captions(OUTCOME_COLORS.wrong), wrong);
  assert.equal(captions(OUTCOME_COLORS.right), 30 - wrong);
});

Deno.test("the misclassified gallery shows only mistakes, most confident first", () => {
  const predicted = argmaxClasses(mlp.probabilities);
  const wrongCount = predicted.filter((k, index) => k !== images.labels[index]).length;
  const rows = rowsOf(misclassifiedChart(mlp, images, { limit: 100 }));
  assert.equal(rows.length, wrongCount);
  assert.ok(rows.every((row) => row.outcome === "wrong"));
  const confidences = rows.map((row) => Number(String(row.caption).match(/(\d+)%$/)?.[1]));
  assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a));
  assert.equal(rowsOf(misclassifiedChart(mlp, images, { limit: 3 })).length, 3);
  const perfect = resultPredicting([...images.labels]);
  assert.deepEqual(rowsOf(misclassifiedChart(perfect, images)), [{
    message: "No misclassified images",
  }]);
});

Deno.test("confusion counts and per-class error rates match a hand-computed example", () => {
  const labels = new Uint8Array([0, 0, 1, 1, 2, 2, 2, 3]);
  const result = resultPredicting([0, 1, 1, 1, 2, 0, 2, 9]);
  const counts = confusionCounts(labels, predictClasses(result.probabilities));
  assert.equal(counts[0][0], 1);
  assert.equal(counts[0][1], 1);
  assert.equal(counts[1][1], 2);
  assert.equal(counts[2][2], 2);
  assert.equal(counts[2][0], 1);
  assert.equal(counts[3][9], 1);
  assert.equal(counts.flat().reduce((a, b) => a + b), 8);
  assert.equal(rowsOf(confusionMatrixChartFromCounts(counts)).length, 100);

  const rows = rowsOf(perClassErrorChart([result], labels));
  const rate = (name: string) => rows.find((row) => row.class === name)?.errorRate;
  assert.equal(rate("0"), 0.5);
  assert.equal(rate("1"), 0);
  assert.equal(rate("2"), 1 / 3);
  assert.equal(rate("3"), 1);
  assert.equal(rate("4"), null, "a class with no images has no error rate");
});

Deno.test("class balance counts each class, under the names given", () => {
  const names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
  const rows = rowsOf(classBalanceChart(new Uint8Array([1, 1, 1, 7]), { classNames: names }));
  assert.equal(rows.find((row) => row.class === "one")?.count, 3);
  assert.equal(rows.find((row) => row.class === "seven")?.share, 0.25);
  assert.equal(rows.find((row) => row.class === "zero")?.count, 0);
});

Deno.test("the digit grid takes count and start, cut at the end of the images", () => {
  assert.deepEqual(rowsOf(digitGridChart(images, { start: 55 })).map((row) => row.caption), [
    "5",
    "6",
    "7",
    "8",
    "9",
  ]);
  const rows = rowsOf(digitGridChart(images, { count: 7, columns: 3 }));
  assert.deepEqual(rows.map((row) => [row.row, row.column]), [
    [0, 0],
    [0, 1],
    [0, 2],
    [1, 0],
    [1, 1],
    [1, 2],
    [2, 0],
  ]);
});

Deno.test("charts reject bad input with messages naming the value found and expected", () => {
  assert.throws(() => trainingCurvesChart([]), {
    name: "RangeError",
    message: "Cannot chart training curves: no models given, expected at least 1",
  });
  assert.throws(() => trainingCurvesChart([mlp, mlp]), {
    name: "RangeError",
    message: 'Cannot chart training curves: model "mlp" appears twice, expected each model once',
  });
  assert.throws(() => confusionMatrixChart(mlp, images.labels.subarray(0, 10)), {
    name: "RangeError",
    message:
      'Cannot chart the confusion matrix of model "mlp": it has 60 rows of probabilities, expected 10, one per label',
  });
  assert.throws(() => confusionMatrixChartFromCounts([[1, 2], [3, 4]]), {
    name: "TypeError",
    message: "Cannot chart a confusion matrix: got 2 rows, expected 10 rows of 10 counts",
  });
  const negative = Array.from({ length: 10 }, () => new Array(10).fill(0));
  negative[2][3] = -1;
  assert.throws(() => confusionMatrixChartFromCounts(negative), {
    name: "RangeError",
    message:
      "Cannot chart a confusion matrix: count for true 2, predicted 3 is -1, expected a whole number of at least 0",
  });
  assert.throws(() => classBalanceChart(new Uint8Array([3, 12])), {
    name: "RangeError",
    message: "Cannot chart the class balance: labels[1] is 12, expected an integer class 0 to 9",
  });
  assert.throws(() => digitGridChart({ ...images, count: 61 }), {
    name: "RangeError",
    message:
      "Cannot chart a grid of digits: pixels hold 47040 values, expected 47824 for 61 images",
  });
  assert.throws(() => digitGridChart(images, { start: 60 }), {
    name: "RangeError",
    message: "Cannot chart a grid of digits: start is 60, expected less than the 60 images",
  });
  assert.throws(() => samplePredictionsChart(mlp, images, { count: 0 }), {
    name: "RangeError",
    message: "Cannot chart sample predictions: count is 0, expected a whole number of at least 1",
  });
  assert.throws(() => classBalanceChart(images.labels, { classNames: ["a", "b"] }), {
    name: "RangeError",
    message: "Cannot name the classes: got 2 names (2 distinct), expected 10 distinct names",
  });
});
