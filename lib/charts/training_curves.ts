/**
 * The training-curves chart: loss and accuracy per epoch, training against
 * validation, for every model given.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { checkModelList } from "../evaluation/mod.ts";
import { CHART_CONFIG, modelColorEncoding, VEGA_LITE_SCHEMA } from "./style.ts";
import type { ModelResult } from "../results.ts";

/** Options for the training-curves chart. */
export interface TrainingCurvesOptions {
  /** Chart title. Default "Training curves". */
  title?: string;
}

/** One point of a curve in the chart's data. */
interface CurvePoint {
  model: string;
  split: "training" | "validation";
  metric: "loss" | "accuracy";
  epoch: number;
  value: number | null;
}

/** Flattens the histories into one row per model, split, metric and epoch. */
function curvePoints(results: readonly ModelResult[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const result of results) {
    const model = result.label;
    const series = [
      ["training", "loss", result.history.loss],
      ["validation", "loss", result.history.valLoss],
      ["training", "accuracy", result.history.accuracy],
      ["validation", "accuracy", result.history.valAccuracy],
    ] as const;
    for (const [split, metric, values] of series) {
      values.forEach((value, index) => {
        // A diverged run has NaN losses; null makes Vega break the line there.
        points.push({
          model,
          split,
          metric,
          epoch: index + 1,
          value: Number.isFinite(value) ? value : null,
        });
      });
    }
  }
  return points;
}

/** Solid lines for training and dashed for validation, with a dot at every epoch. */
const CURVE_LAYERS = [
  {
    mark: { type: "line" as const },
    encoding: {
      strokeDash: {
        field: "split",
        type: "nominal" as const,
        title: "Split",
        scale: { domain: ["training", "validation"], range: [[1, 0], [6, 3]] },
      },
    },
  },
  // Dots in their own layer keep a one-epoch run visible while the split
  // legend still shows solid and dashed strokes rather than dots.
  { mark: { type: "point" as const, filled: true, size: 30, opacity: 1 } },
];

/** What distinguishes the two panels. */
interface PanelSettings {
  metric: CurvePoint["metric"];
  title: string;
  format: string;
}

/** One panel: a metric against the epoch, coloured by model. */
function curvePanel(panel: PanelSettings, color: ReturnType<typeof modelColorEncoding>) {
  const { metric, title, format } = panel;
  return {
    width: 300,
    height: 220,
    transform: [{ filter: { field: "metric", equal: metric } }],
    encoding: {
      x: {
        field: "epoch",
        type: "quantitative" as const,
        title: "Epoch",
        // Epochs count from 1; "nice" rounding would start the axis at 0.
        scale: { domainMin: 1, nice: false },
        axis: { tickMinStep: 1, format: "d" },
      },
      // Accuracy cannot pass 100%; without the cap, "nice" rounding draws an axis up to 102%.
      y: {
        field: "value",
        type: "quantitative" as const,
        title,
        scale: { zero: false, ...(metric === "accuracy" ? { domainMax: 1 } : {}) },
        axis: { format },
      },
      color,
      tooltip: [
        { field: "model", type: "nominal" as const },
        { field: "split", type: "nominal" as const },
        { field: "epoch", type: "quantitative" as const },
        { field: "value", type: "quantitative" as const, title, format: ".4f" },
      ],
    },
    layer: CURVE_LAYERS,
  };
}

/**
 * Charts loss and accuracy per epoch, training (solid) against validation
 * (dashed), one colour per model, as two panels side by side.
 *
 * @example
 * ```ts
 * const spec = trainingCurvesChart([mlpResult, cnnResult]);
 * await Deno.writeTextFile("curves.svg", await renderSvg(spec));
 * ```
 */
export function trainingCurvesChart(
  results: readonly ModelResult[],
  options: TrainingCurvesOptions = {},
): TopLevelSpec {
  checkModelList(results, "chart training curves");
  const color = modelColorEncoding(results);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Training curves",
    data: { values: curvePoints(results) },
    config: CHART_CONFIG,
    hconcat: [
      curvePanel({ metric: "loss", title: "Loss", format: ".3~g" }, color),
      curvePanel({ metric: "accuracy", title: "Accuracy", format: ".1%" }, color),
    ],
  };
}
