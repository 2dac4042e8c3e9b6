/**
 * Bar charts per class: how many images each class has, and how often each
 * model gets each class wrong.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { NUM_CLASSES } from "../config.ts";
import { checkClasses, checkModelList } from "../evaluation/mod.ts";
import { checkPredictions, classLabels } from "./checks.ts";
import { argmaxClasses } from "../evaluation/mod.ts";
import { CHART_CONFIG, modelColorEncoding, VEGA_LITE_SCHEMA } from "./style.ts";
import type { ModelResult } from "../results.ts";

/** Options for the per-class charts. */
export interface ClassChartOptions {
  /** Chart title; each chart has its own default. */
  title?: string;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/** One bar of the per-class error chart. */
interface ClassError {
  class: string;
  model: string;
  errors: number;
  support: number;
  errorRate: number | null;
}

/** Counts, per true class, the images of one model's predictions that are wrong. */
function classErrors(result: ModelResult, labels: Uint8Array, names: string[]): ClassError[] {
  const errors = new Array<number>(NUM_CLASSES).fill(0);
  const support = new Array<number>(NUM_CLASSES).fill(0);
  argmaxClasses(result.probabilities).forEach((predicted, index) => {
    support[labels[index]]++;
    if (predicted !== labels[index]) errors[labels[index]]++;
  });
  return names.map((name, k) => ({
    class: name,
    model: result.label,
    errors: errors[k],
    support: support[k],
    // A class absent from the test set has no error rate, rather than 0%.
    errorRate: support[k] > 0 ? errors[k] / support[k] : null,
  }));
}

/**
 * Charts, for each true class, the share of its test images each model
 * misclassifies, as bars grouped by class.
 *
 * @example
 * ```ts
 * const spec = perClassErrorChart([mlpResult, cnnResult], testImages.labels);
 * ```
 */
export function perClassErrorChart(
  results: readonly ModelResult[],
  labels: Uint8Array,
  options: ClassChartOptions = {},
): TopLevelSpec {
  checkModelList(results, "chart per-class errors");
  results.forEach((result) => checkPredictions(result, labels, "chart per-class errors"));
  const names = classLabels(options.classNames);
  const models = results.map((result) => result.label);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Test error rate per class",
    data: { values: results.flatMap((result) => classErrors(result, labels, names)) },
    config: CHART_CONFIG,
    width: { step: 14 * results.length + 10 },
    height: 240,
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "class",
        type: "nominal",
        sort: names,
        title: "True class",
        axis: { labelAngle: 0 },
      },
      xOffset: { field: "model", type: "nominal", sort: models },
      y: { field: "errorRate", type: "quantitative", title: "Error rate", axis: { format: ".1%" } },
      color: modelColorEncoding(results),
      tooltip: [
        { field: "model", type: "nominal" },
        { field: "class", type: "nominal" },
        { field: "errorRate", type: "quantitative", title: "Error rate", format: ".2%" },
        { field: "errors", type: "quantitative", title: "Wrong" },
        { field: "support", type: "quantitative", title: "Images" },
      ],
    },
  };
}

/**
 * Charts how many images each class has, with the count above each bar.
 *
 * @example
 * ```ts
 * const spec = classBalanceChart(trainImages.labels, { title: "Training set" });
 * ```
 */
export function classBalanceChart(
  labels: Uint8Array,
  options: ClassChartOptions = {},
): TopLevelSpec {
  checkClasses(labels, "labels", "chart the class balance");
  const names = classLabels(options.classNames);
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  labels.forEach((label) => counts[label]++);
  const values = names.map((name, k) => ({
    class: name,
    count: counts[k],
    share: counts[k] / labels.length,
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Images per class",
    data: { values },
    config: CHART_CONFIG,
    width: { step: 36 },
    height: 220,
    encoding: {
      x: { field: "class", type: "nominal", sort: names, title: "Class", axis: { labelAngle: 0 } },
      y: { field: "count", type: "quantitative", title: "Images" },
      tooltip: [
        { field: "class", type: "nominal" },
        { field: "count", type: "quantitative", title: "Images", format: "," },
        { field: "share", type: "quantitative", title: "Share", format: ".1%" },
      ],
    },
    layer: [
      { mark: { type: "bar", color: "#4c78a8" } },
      {
        mark: { type: "text", dy: -6, fontSize: 10 },
        encoding: { text: { field: "count", format: "," } },
      },
    ],
  };
}
