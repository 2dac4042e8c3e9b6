/**
 * Test accuracy over seeds: each seed's accuracy as a dot, and each model's
 * mean with its 95% confidence interval as a bar across the dots.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { seedAccuracies, seedSummary } from "../evaluation/mod.ts";
import type { SeedRuns } from "../results.ts";
import { CHART_CONFIG, modelColorEncoding, VEGA_LITE_SCHEMA } from "./style.ts";

/** Options for {@linkcode seedAccuracyChart}. */
export interface SeedAccuracyChartOptions {
  /** Chart title; default "Test accuracy over seeds". */
  title?: string;
}

/**
 * Charts each model's test accuracy (in %) per seed, with its mean and
 * 95% t interval ({@linkcode seedSummary}); a single seed shows no interval.
 *
 * @throws {RangeError} when a model lacks a result for some seed.
 *
 * @example
 * ```ts
 * const spec = seedAccuracyChart(experiment.seedRuns);
 * ```
 */
export function seedAccuracyChart(
  runs: SeedRuns,
  options: SeedAccuracyChartOptions = {},
): TopLevelSpec {
  const names = runs.byModel.map((results) => ({ id: results[0].id, label: results[0].label }));
  const labelOf = new Map(names.map((name) => [name.id, name.label]));
  const percent = (value: unknown) => value === null ? null : Number(value) * 100;
  const points = seedAccuracies(runs).toRecords().map((row) => ({
    model: labelOf.get(String(row.model)),
    seed: row.seed,
    accuracy: percent(row.testAccuracy),
  }));
  const intervals = seedSummary(runs).toRecords().map((row) => ({
    model: labelOf.get(String(row.model)),
    mean: percent(row.testAccuracyMean),
    lower: percent(row.ciLower),
    upper: percent(row.ciUpper),
  }));
  const y = { field: "model", type: "nominal" as const, title: null, sort: null };
  const color = modelColorEncoding(names);
  const x = { type: "quantitative" as const, scale: { zero: false } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Test accuracy over seeds",
    width: 420,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values: intervals.filter((row) => row.lower !== null) },
        mark: { type: "rule", strokeWidth: 2 },
        encoding: {
          y,
          x: { ...x, field: "lower", title: "Test accuracy (%)" },
          x2: { field: "upper" },
          color: { ...color, legend: null },
        },
      },
      {
        data: { values: intervals },
        mark: { type: "tick", thickness: 3, size: 18 },
        encoding: { y, x: { ...x, field: "mean" }, color: { ...color, legend: null } },
      },
      {
        data: { values: points },
        mark: { type: "point", filled: true, opacity: 0.7 },
        encoding: {
          y,
          x: { ...x, field: "accuracy" },
          color,
          tooltip: [{ field: "seed" }, { field: "accuracy", format: ".2f" }],
        },
      },
    ],
  } as TopLevelSpec;
}
