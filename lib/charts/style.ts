/**
 * The look shared by every chart: schema, model names and colours, and the
 * colours of right and wrong predictions, so that a model keeps one colour
 * across all charts of a notebook or report.
 *
 * @module
 */
import type { Config } from "vega-lite";
import type { ModelId } from "../config.ts";

/**
 * The schema the chart specs declare: the Vega-Lite version that compiles
 * them here. `chart_bundle.ts` relabels them for Jupyter's v5 renderer.
 */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * Font sizes of every chart: Vega's defaults (10-11px) are small once a chart
 * sits in a page or notebook at its natural size.
 */
export const CHART_CONFIG: Config = {
  title: { fontSize: 16 },
  axis: { labelFontSize: 12, titleFontSize: 13 },
  legend: { labelFontSize: 12, titleFontSize: 13 },
};

/**
 * The built-in models' colours (Tableau 10 blue, orange, green, then on), so
 * that a model keeps its colour whether or not another is charted beside it.
 */
const MODEL_COLORS: Readonly<Record<ModelId, string>> = {
  mlp: "#4c78a8",
  cnn: "#f58518",
  scratch: "#54a24b",
  lenet5: "#e45756",
  vgg: "#72b7b2",
  resnet: "#b279a2",
  densenet: "#eeca3b",
};

/** Tableau 10, for models without a colour of their own. */
const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];

/**
 * Returns a model's colour: its own for a built-in model, otherwise one
 * picked from Tableau 10 by its id, so that it too stays the same from chart
 * to chart.
 *
 * @example
 * ```ts
 * modelColor("cnn"); // "#f58518"
 * ```
 */
export function modelColor(id: ModelId): string {
  if (Object.hasOwn(MODEL_COLORS, id)) return MODEL_COLORS[id];
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** Whether a prediction was right or wrong, as chart data spells it. */
export type Outcome = "right" | "wrong";

/** Colours of right and wrong predictions. */
export const OUTCOME_COLORS: Readonly<Record<Outcome, string>> = {
  right: "#1a7f37",
  wrong: "#d1242f",
};

/** A Vega-Lite colour scale mapping model labels to their fixed colours. */
export interface ModelColorScale {
  /** Model labels in the order given. */
  domain: string[];
  /** Their colours, in the same order. */
  range: string[];
}

/** What a colour scale needs of a model: its id and its label. */
export type ModelName = { id: ModelId; label: string };

/**
 * Returns the colour scale for the models present, by their labels.
 *
 * @example
 * ```ts
 * modelColorScale([{ id: "cnn", label: "CNN" }]); // { domain: ["CNN"], range: ["#f58518"] }
 * ```
 */
export function modelColorScale(models: readonly ModelName[]): ModelColorScale {
  return {
    domain: models.map((model) => model.label),
    range: models.map((model) => modelColor(model.id)),
  };
}

/**
 * The colour channel of charts that compare models: one fixed colour per model.
 *
 * @example
 * ```ts
 * const spec = { mark: "bar", encoding: { color: modelColorEncoding(results) } };
 * ```
 */
export function modelColorEncoding(models: readonly ModelName[]) {
  return {
    field: "model",
    type: "nominal" as const,
    title: "Model",
    scale: modelColorScale(models),
  };
}
