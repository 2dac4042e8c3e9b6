/**
 * The confusion-matrix heatmap: how often each true class was predicted as
 * each class, with the counts written in the cells.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { NUM_CLASSES } from "../config.ts";
import { confusionCounts, predictClasses } from "../evaluation/mod.ts";
import { checkPredictions, classLabels } from "./checks.ts";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./style.ts";
import type { ModelResult } from "../results.ts";

/** Options for the confusion-matrix chart. */
export interface ConfusionMatrixOptions {
  /** Chart title. Default "Confusion matrix" (with the model's name when charting a result). */
  title?: string;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/** Throws unless `counts` is a 10x10 table of whole, non-negative numbers. */
function checkCounts(counts: readonly (readonly number[])[]): void {
  const square = Array.isArray(counts) && counts.length === NUM_CLASSES &&
    counts.every((row) => Array.isArray(row) && row.length === NUM_CLASSES);
  if (!square) {
    const rows = Array.isArray(counts) ? `${counts.length} rows` : typeof counts;
    throw new TypeError(
      `Cannot chart a confusion matrix: got ${rows}, expected ${NUM_CLASSES} rows of ${NUM_CLASSES} counts`,
    );
  }
  for (const [actual, row] of counts.entries()) {
    for (const [predicted, count] of row.entries()) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(
          `Cannot chart a confusion matrix: count for true ${actual}, predicted ${predicted} is ${count}, expected a whole number of at least 0`,
        );
      }
    }
  }
}

/** Coloured cells, and their counts written in them (white on dark cells, grey for zeros). */
function confusionLayers(darkFrom: number) {
  const tooltip = [
    { field: "actual", title: "True" },
    { field: "predicted", title: "Predicted" },
    { field: "count", title: "Images" },
  ];
  return [
    {
      mark: { type: "rect" as const },
      encoding: {
        color: {
          field: "count",
          type: "quantitative" as const,
          title: "Images",
          scale: { type: "symlog" as const, scheme: "blues" },
        },
        tooltip,
      },
    },
    {
      mark: { type: "text" as const, fontSize: 10 },
      encoding: {
        text: { field: "count", type: "quantitative" as const },
        color: {
          condition: [
            { test: `datum.count > ${darkFrom}`, value: "white" },
            { test: "datum.count === 0", value: "#8c959f" },
          ],
          value: "black",
        },
      },
    },
  ];
}

/**
 * Charts a 10x10 table of counts (rows: true class, columns: predicted class)
 * as a heatmap. The colour scale is symmetric-log so that the few errors off
 * the diagonal stay visible beside the thousands of right answers on it.
 *
 * @example
 * ```ts
 * const spec = confusionMatrixChartFromCounts(counts, { title: "CNN" });
 * ```
 */
export function confusionMatrixChartFromCounts(
  counts: readonly (readonly number[])[],
  options: ConfusionMatrixOptions = {},
): TopLevelSpec {
  checkCounts(counts);
  const names = classLabels(options.classNames);
  const cells = counts.flatMap((row, actual) =>
    row.map((count, predicted) => ({ actual: names[actual], predicted: names[predicted], count }))
  );
  const largest = Math.max(1, ...cells.map((cell) => cell.count));
  // Cells darker than about 55% of the symlog scale get white text.
  const darkFrom = Math.expm1(0.55 * Math.log1p(largest));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Confusion matrix",
    data: { values: cells },
    config: CHART_CONFIG,
    width: { step: 34 },
    height: { step: 34 },
    encoding: {
      x: {
        field: "predicted",
        type: "ordinal",
        sort: names,
        title: "Predicted class",
        axis: { orient: "top", labelAngle: 0 },
      },
      y: { field: "actual", type: "ordinal", sort: names, title: "True class" },
    },
    layer: confusionLayers(darkFrom),
  };
}

/**
 * Charts the confusion matrix of one model's test predictions.
 *
 * @example
 * ```ts
 * const spec = confusionMatrixChart(cnnResult, testImages.labels);
 * ```
 */
export function confusionMatrixChart(
  result: ModelResult,
  labels: Uint8Array,
  options: ConfusionMatrixOptions = {},
): TopLevelSpec {
  checkPredictions(result, labels, "chart the confusion matrix");
  const title = options.title ?? `Confusion matrix: ${result.label}`;
  const counts = confusionCounts(labels, predictClasses(result.probabilities, labels.length));
  return confusionMatrixChartFromCounts(counts, { ...options, title });
}
