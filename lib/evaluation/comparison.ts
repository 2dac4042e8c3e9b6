/**
 * The side-by-side table of trained models: size, cost and accuracy.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkModelList } from "./checks.ts";
import type { ModelResult } from "../results.ts";

/** The last value of a per-epoch list, or null when no epoch recorded it. */
function lastOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values[values.length - 1];
}

/**
 * Returns one row per model, in the order given, with the columns
 * `model` (id), `params`, `epochs`, `trainSeconds`, `trainAccuracy` and
 * `valAccuracy` (of the last epoch; null if the history is empty, as it is
 * for validation when training held none out), `testAccuracy`, `testLoss`
 * and `inferImagesPerSecond`. Accuracies are 0 to 1. Timings are rounded
 * to what a run can repeat: seconds to 0.1 s, images per second to whole
 * images.
 *
 * @throws {RangeError} if no model is given or a model id appears twice.
 *
 * @example
 * ```ts
 * const table = compareModels([mlpResult, cnnResult]);
 * table.select("model", "params", "testAccuracy");
 * ```
 */
export function compareModels(results: readonly ModelResult[]): pl.DataFrame {
  checkModelList(results, "compare models");
  const column = (pick: (result: ModelResult) => number | null) => results.map(pick);
  return pl.DataFrame([
    pl.Series("model", results.map((r) => r.id), pl.String),
    pl.Series("params", column((r) => r.params), pl.Int32),
    pl.Series("epochs", column((r) => r.epochs), pl.Int32),
    pl.Series("trainSeconds", column((r) => Math.round(r.trainSeconds * 10) / 10), pl.Float64),
    pl.Series(
      "trainAccuracy",
      column((r) => lastOf(r.history.accuracy)),
      pl.Float64,
    ),
    pl.Series(
      "valAccuracy",
      column((r) => lastOf(r.history.valAccuracy)),
      pl.Float64,
    ),
    pl.Series("testAccuracy", column((r) => r.testAccuracy), pl.Float64),
    pl.Series("testLoss", column((r) => r.testLoss), pl.Float64),
    pl.Series(
      "inferImagesPerSecond",
      column((r) => Math.round(r.inferImagesPerSecond)),
      pl.Float64,
    ),
  ]);
}
