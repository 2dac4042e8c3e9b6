/**
 * The settings ranked by validation accuracy, averaged over seeds. Test
 * accuracy is shown beside it but never chooses: choosing by it would make
 * the test set part of training.
 *
 * @module
 */
import pl from "nodejs-polars";

/**
 * One row per combination of settings: mean and sample standard deviation
 * of the validation accuracy over its seeds (null for a single trial, which
 * has no spread to measure), the number of trials, and the mean test
 * accuracy, best validation accuracy first; equal accuracies in order of
 * mean validation loss, then of the settings.
 *
 * @example
 * ```ts
 * const ranked = rankSettings(sweep.table, ["learningRate", "batchSize"]);
 * ranked.row(0); // the best settings
 * ```
 */
export function rankSettings(table: pl.DataFrame, keys: readonly string[]): pl.DataFrame {
  if (table.height === 0) return table;
  const grouped = keys.length === 0
    ? table.withColumns(pl.lit("all").alias("settings")).groupBy("settings")
    : table.groupBy([...keys]);
  const ranked = grouped.agg(
    pl.col("valAccuracy").mean().alias("valAccuracyMean"),
    pl.col("valAccuracy").std().alias("valAccuracyStd"),
    pl.col("valAccuracy").count().alias("trials"),
    pl.col("testAccuracy").mean().alias("testAccuracyMean"),
    pl.col("valLoss").mean().alias("valLossMean"),
  );
  // groupBy's order is not fixed, so equal accuracies are ordered by the
  // lower validation loss, then by the settings themselves: the console,
  // the report and settings.csv name the same best, run after run.
  const tieBreak = keys.length === 0 ? ["settings"] : [...keys];
  return ranked.sort({
    by: ["valAccuracyMean", "valLossMean", ...tieBreak],
    descending: [true, false, ...tieBreak.map(() => false)],
    nullsLast: true,
  }).drop("valLossMean");
}

/**
 * The best settings by mean validation accuracy, as key-value pairs, or
 * undefined when no trial finished.
 *
 * @example
 * ```ts
 * bestSettings(sweep.table, ["learningRate"]); // { learningRate: 0.001, valAccuracyMean: 0.97, ... }
 * ```
 */
export function bestSettings(
  table: pl.DataFrame,
  keys: readonly string[],
): Record<string, number | string | null> | undefined {
  const ranked = rankSettings(table, keys);
  return ranked.height === 0
    ? undefined
    : ranked.head(1).toRecords()[0] as Record<string, number | string | null>;
}
