/**
 * The reliability diagram of one model: per bin of confidence, the accuracy
 * against the mean confidence, with the diagonal of perfect calibration;
 * as trained and, when a temperature is given, after temperature scaling.
 *
 * Source: Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, figure 1 and section 2.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import {
  calibrationTable,
  DEFAULT_CALIBRATION_BINS,
  expectedCalibrationError,
  scaleTemperature,
} from "../evaluation/mod.ts";
import type { ModelResult } from "../results.ts";
import { checkPredictions } from "./checks.ts";
import { CHART_CONFIG, modelColor, VEGA_LITE_SCHEMA } from "./style.ts";

/** Options for {@linkcode reliabilityDiagramChart}. */
export interface ReliabilityDiagramOptions {
  /** Equal-width bins of confidence. Default 15, as Guo et al. 2017. */
  bins?: number;
  /** A fitted temperature: adds the scaled outputs as a second line. */
  temperature?: number;
  /** Chart title; default names the model. */
  title?: string;
}

/** One point of the diagram: a non-empty bin of one version of the outputs. */
interface ReliabilityPoint {
  outputs: string;
  confidence: number;
  accuracy: number;
  count: number;
}

function reliabilityPoints(
  result: ModelResult,
  labels: Uint8Array,
  outputs: string,
  bins: number,
): ReliabilityPoint[] {
  const table = calibrationTable(result, labels, { bins });
  const counts = [...table.getColumn("count")] as number[];
  const confidence = [...table.getColumn("confidence")] as (number | null)[];
  const accuracy = [...table.getColumn("accuracy")] as (number | null)[];
  return counts.flatMap((count, m) =>
    count === 0 ? [] : [{ outputs, confidence: confidence[m]!, accuracy: accuracy[m]!, count }]
  );
}

/** Names a version of the outputs with its ECE, as the legend shows it. */
function outputsName(what: string, ece: number): string {
  return `${what} (ECE ${(ece * 100).toFixed(2)}%)`;
}

/**
 * Charts accuracy against mean confidence per bin (points sized by the
 * images in the bin), the diagonal of perfect calibration, and the ECE of
 * each line in the legend. Below the diagonal is over-confident. With
 * `temperature`, a second line shows softmax(log p / T).
 *
 * @throws {RangeError} when the probabilities are not one row per label,
 * a label is not a class, `bins` is not a positive integer, or the
 * temperature is not a positive number.
 *
 * @example
 * ```ts
 * const { temperature } = fitTemperature(validationProbabilities, validation.labels);
 * const spec = reliabilityDiagramChart(cnnResult, test.labels, { temperature });
 * ```
 */
export function reliabilityDiagramChart(
  result: ModelResult,
  labels: Uint8Array,
  options: ReliabilityDiagramOptions = {},
): TopLevelSpec {
  checkPredictions(result, labels, "chart a reliability diagram");
  const bins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  const asTrained = outputsName("as trained", expectedCalibrationError(result, labels, { bins }));
  const points = reliabilityPoints(result, labels, asTrained, bins);
  const names = [asTrained];
  if (options.temperature !== undefined) {
    const scaled = {
      ...result,
      probabilities: scaleTemperature(result.probabilities, options.temperature),
    };
    const name = outputsName(
      `T = ${options.temperature.toFixed(2)}`,
      expectedCalibrationError(scaled, labels, { bins }),
    );
    names.push(name);
    points.push(...reliabilityPoints(scaled, labels, name, bins));
  }
  const axis = (title: string) => ({
    type: "quantitative" as const,
    title,
    scale: { domain: [0, 1] },
  });
  const confidenceAxis = { field: "confidence", ...axis("Mean confidence in bin") };
  const accuracyAxis = { field: "accuracy", ...axis("Accuracy in bin") };
  const color = {
    field: "outputs",
    type: "nominal" as const,
    title: "Test outputs",
    scale: { domain: names, range: [modelColor(result.id), "#6e7781"] },
  };
  const strokeDash = {
    field: "outputs",
    type: "nominal" as const,
    title: "Test outputs",
    scale: { domain: names, range: [[1, 0], [6, 3]] },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? `Reliability diagram: ${result.label}`,
    width: 320,
    height: 320,
    config: {
      ...CHART_CONFIG,
      legend: { ...CHART_CONFIG.legend, orient: "bottom", labelLimit: 360, columns: 1 },
    },
    layer: [
      {
        data: { values: [{ confidence: 0, accuracy: 0 }, { confidence: 1, accuracy: 1 }] },
        mark: { type: "line", color: "#8c959f", strokeDash: [4, 4] },
        encoding: { x: confidenceAxis, y: accuracyAxis },
      },
      {
        data: { values: points },
        mark: { type: "line" },
        encoding: { x: confidenceAxis, y: accuracyAxis, color, strokeDash },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, opacity: 0.9 },
        encoding: {
          x: confidenceAxis,
          y: accuracyAxis,
          color,
          // Point area grows with the images in the bin; a legend of sizes would outgrow the chart.
          size: { field: "count", type: "quantitative", legend: null },
          tooltip: [
            { field: "outputs", type: "nominal" },
            { field: "confidence", type: "quantitative", format: ".3f" },
            { field: "accuracy", type: "quantitative", format: ".3f" },
            { field: "count", type: "quantitative" },
          ],
        },
      },
    ],
  };
}
