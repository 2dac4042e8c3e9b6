/**
 * The look shared by every chart: schema, model names and colours, and the
 * colours of right and wrong predictions, so that a model keeps one colour
 * across all charts of a notebook or report.
 *
 * @module
 */
import type { Config } from "vega-lite";
import type { ModelId } from "./config.ts";

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

/** Names of the models as charts and tables show them. */
export const MODEL_LABELS: Readonly<Record<ModelId, string>> = {
  mlp: "MLP",
  cnn: "CNN",
  scratch: "MLP from scratch",
};

/** One colour per model (Tableau 10 blue, orange, green). */
export const MODEL_COLORS: Readonly<Record<ModelId, string>> = {
  mlp: "#4c78a8",
  cnn: "#f58518",
  scratch: "#54a24b",
};

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

/**
 * Returns the colour scale for the models present, so that the MLP is blue
 * whether or not the CNN is charted beside it.
 *
 * @example
 * ```ts
 * modelColorScale(["cnn"]); // { domain: ["CNN"], range: ["#f58518"] }
 * ```
 */
export function modelColorScale(ids: readonly ModelId[]): ModelColorScale {
  return {
    domain: ids.map((id) => MODEL_LABELS[id]),
    range: ids.map((id) => MODEL_COLORS[id]),
  };
}

/**
 * The colour channel of charts that compare models: one fixed colour per model.
 *
 * @example
 * ```ts
 * const spec = { mark: "bar", encoding: { color: modelColorEncoding(["mlp", "cnn"]) } };
 * ```
 */
export function modelColorEncoding(ids: readonly ModelId[]) {
  return { field: "model", type: "nominal" as const, title: "Model", scale: modelColorScale(ids) };
}
