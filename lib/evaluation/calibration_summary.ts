/**
 * One row per model on how well its confidence matches its accuracy on the
 * test set, before and, when a temperature was fitted on the validation
 * split, after temperature scaling.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ModelId } from "../config.ts";
import type { ModelResult } from "../results.ts";
import { type CalibrationOptions, expectedCalibrationError } from "./calibration.ts";
import { checkModelList } from "./checks.ts";
import { scoreProbabilities } from "./score.ts";
import { scaleTemperature, type TemperatureFit } from "./temperature.ts";

/** Options for {@linkcode calibrationSummary}. */
export interface CalibrationSummaryOptions extends CalibrationOptions {
  /** Temperatures fitted on the validation split, by model id; models left out get nulls. */
  fits?: Readonly<Partial<Record<ModelId, TemperatureFit>>>;
}

/**
 * Returns one row per model, in the order given: `model` (id), `testEce`
 * (expected calibration error on the test set, 0 to 1, in equal-width bins,
 * 15 by default), then from its temperature fit, null without one:
 * `temperature` (T), `validationLoss` and `scaledValidationLoss` (mean NLL
 * on the validation split, in nats, before and after scaling) and
 * `scaledTestEce`; then `testLoss` (the result's) and `scaledTestLoss`
 * (null without a fit), test NLL with Keras' clipping at 1e-7.
 *
 * @throws {RangeError} for no models, a repeated id, a label outside 0 to 9,
 * or probabilities whose length is not `labels.length * 10`.
 *
 * @example
 * ```ts
 * const fit = fitTemperature(validationProbabilities, validation.labels);
 * calibrationSummary([cnnResult], test.labels, { fits: { cnn: fit } });
 * ```
 */
export function calibrationSummary(
  results: readonly ModelResult[],
  labels: Uint8Array,
  options: CalibrationSummaryOptions = {},
): pl.DataFrame {
  checkModelList(results, "summarise calibration");
  const bins = { bins: options.bins };
  const rows = results.map((result) => {
    const fit = options.fits?.[result.id];
    const testEce = expectedCalibrationError(result, labels, bins);
    if (fit === undefined) return { testEce, fit, scaledTestEce: null, scaledTestLoss: null };
    const scaled = {
      ...result,
      probabilities: scaleTemperature(result.probabilities, fit.temperature),
    };
    return {
      testEce,
      fit,
      scaledTestEce: expectedCalibrationError(scaled, labels, bins),
      scaledTestLoss: scoreProbabilities(scaled.probabilities, labels).loss,
    };
  });
  const column = (name: string, pick: (row: (typeof rows)[number]) => number | null) =>
    pl.Series(name, rows.map(pick), pl.Float64);
  return pl.DataFrame([
    pl.Series("model", results.map((r) => r.id), pl.String),
    column("testEce", (row) => row.testEce),
    column("temperature", (row) => row.fit?.temperature ?? null),
    column("validationLoss", (row) => row.fit?.lossBefore ?? null),
    column("scaledValidationLoss", (row) => row.fit?.lossAfter ?? null),
    column("scaledTestEce", (row) => row.scaledTestEce),
    pl.Series("testLoss", results.map((r) => r.testLoss), pl.Float64),
    column("scaledTestLoss", (row) => row.scaledTestLoss),
  ]);
}
