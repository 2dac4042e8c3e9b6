/**
 * The sweep's Vega-Lite charts: validation accuracy against each setting,
 * with the spread over seeds as error bars, and small multiples of the whole
 * grid. A categorical setting (optimizer, augment) is a nominal axis with its
 * choices in their natural order.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "../charts/mod.ts";
import type { TrialResult } from "./collect.ts";
import { SWEEP_KEYS, type SweepKey } from "./settings.ts";

/** The x axis of a setting: quantitative (log for a scale parameter), or its choices in order. */
function axisOf(key: SweepKey) {
  const { choices, logScale } = SWEEP_KEYS[key];
  if (choices !== undefined) {
    return {
      field: key,
      type: "nominal" as const,
      title: key,
      sort: [...choices],
      axis: { labelAngle: 0 },
    };
  }
  return {
    field: key,
    type: "quantitative" as const,
    title: key,
    scale: logScale ? { type: "log" as const, nice: false } : { zero: false },
  };
}

/** The panels of a setting: one per value, choices in their natural order. */
function panelsOf(key: SweepKey) {
  const { choices } = SWEEP_KEYS[key];
  return { field: key, type: "ordinal" as const, ...(choices ? { sort: [...choices] } : {}) };
}

function rowsOf(results: readonly TrialResult[], keys: readonly SweepKey[]) {
  return results.map((result) => ({
    ...result.settings,
    valAccuracy: result.valAccuracy,
    // The other settings, so that each line holds them fixed and its error bars are over seeds;
    // their values only, as the legend's title names the keys.
    others: keys.map((key) => String(result.settings[key])).join(", "),
  }));
}

/**
 * Validation accuracy against one setting: the mean over seeds as a line
 * and points, one line per combination of the other settings, and error
 * bars of one standard deviation over seeds.
 *
 * @example
 * ```ts
 * const spec = settingChart(sweep.results, { key: "learningRate", keys: sweep.spec.keys });
 * ```
 */
export function settingChart(
  results: readonly TrialResult[],
  options: { key: SweepKey; keys: readonly SweepKey[] },
): TopLevelSpec {
  const others = options.keys.filter((key) => key !== options.key);
  const color = others.length === 0
    ? {}
    : { color: { field: "others", type: "nominal" as const, title: others.join(", ") } };
  const values = rowsOf(results, others);
  const y = { field: "valAccuracy", type: "quantitative" as const, title: "validation accuracy" };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    width: 360,
    height: 240,
    data: { values },
    layer: [
      {
        mark: { type: "errorbar", extent: "stdev", ticks: true },
        encoding: { x: axisOf(options.key), y: { ...y, scale: { zero: false } }, ...color },
      },
      {
        mark: { type: "line", point: true },
        encoding: { x: axisOf(options.key), y: { ...y, aggregate: "mean" }, ...color },
      },
    ],
  } as TopLevelSpec;
}

/**
 * Small multiples of the grid: validation accuracy against the first
 * setting, one panel per value of the second (rows) and third (columns),
 * each trial a point and the mean over seeds a line.
 *
 * @example
 * ```ts
 * const spec = gridChart(sweep.results, { keys: ["learningRate", "batchSize"] });
 * ```
 */
export function gridChart(
  results: readonly TrialResult[],
  options: { keys: readonly SweepKey[] },
): TopLevelSpec {
  const [first, row, column] = options.keys;
  const y = {
    field: "valAccuracy",
    type: "quantitative" as const,
    title: "validation accuracy",
    scale: { zero: false },
  };
  const facet = {
    ...(row === undefined ? {} : { row: panelsOf(row) }),
    ...(column === undefined ? {} : { column: panelsOf(column) }),
  };
  const layer = [
    { mark: { type: "point", opacity: 0.6 }, encoding: { x: axisOf(first), y } },
    { mark: "line", encoding: { x: axisOf(first), y: { ...y, aggregate: "mean" } } },
  ];
  const top = {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    data: { values: rowsOf(results, []) },
  };
  // One setting has no panels to split into: the chart is the single panel.
  if (row === undefined) return { ...top, width: 360, height: 240, layer } as TopLevelSpec;
  return { ...top, facet, spec: { width: 200, height: 140, layer } } as TopLevelSpec;
}

/**
 * Every chart of a sweep by file name: `val_accuracy_<key>` per setting and `grid`.
 *
 * @example
 * ```ts
 * Object.keys(sweepCharts(sweep.results, sweep.spec.keys)); // ["val_accuracy_learningRate", "grid"]
 * ```
 */
export function sweepCharts(
  results: readonly TrialResult[],
  keys: readonly SweepKey[],
): Record<string, TopLevelSpec> {
  if (results.length === 0 || keys.length === 0) return {};
  const charts: Record<string, TopLevelSpec> = {};
  for (const key of keys) charts[`val_accuracy_${key}`] = settingChart(results, { key, keys });
  charts.grid = gridChart(results, { keys });
  return charts;
}
