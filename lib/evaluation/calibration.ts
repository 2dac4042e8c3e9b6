/**
 * Calibration: whether a model's confidence (the probability it gives its
 * answer) matches how often that answer is right. Confidences are put into
 * equal-width bins; per bin, the mean confidence is set against the
 * accuracy, and the expected calibration error (ECE) weighs the gaps by the
 * bins' sizes.
 *
 * Source: Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, section 2 (reliability diagrams, ECE with M = 15
 * equal-width bins, bin m holding confidences in ((m - 1) / M, m / M]).
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkPositiveInteger } from "../checks.ts";
import { NUM_CLASSES } from "../config.ts";
import type { ModelResult } from "../results.ts";
import { checkClasses, checkProbabilities } from "./checks.ts";
import { predictClasses } from "./classes.ts";

/** Options for {@linkcode calibrationTable} and {@linkcode expectedCalibrationError}. */
export interface CalibrationOptions {
  /** Equal-width bins of confidence between 0 and 1. Default 15, as Guo et al. 2017. */
  bins?: number;
}

/** The default number of confidence bins, Guo et al. 2017's M = 15. */
export const DEFAULT_CALIBRATION_BINS = 15;

/** Per bin: images, summed confidence, right answers. */
interface BinTotals {
  bins: number;
  count: Int32Array;
  confidence: Float64Array;
  right: Int32Array;
}

function binTotals(
  result: Pick<ModelResult, "id" | "probabilities">,
  labels: ArrayLike<number>,
  options: CalibrationOptions,
  action: string,
): BinTotals {
  const bins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  checkPositiveInteger(bins, { action, name: "bins" });
  checkClasses(labels, "labels", action);
  checkProbabilities(result.probabilities, labels.length, `${action} of ${result.id}`);
  const predicted = predictClasses(result.probabilities, labels.length);
  const totals = {
    bins,
    count: new Int32Array(bins),
    confidence: new Float64Array(bins),
    right: new Int32Array(bins),
  };
  for (let i = 0; i < labels.length; i++) {
    const confidence = result.probabilities[i * NUM_CLASSES + predicted[i]];
    // Bin m (from 0) holds (m / M, (m + 1) / M]; a confidence of exactly 0 joins the first.
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
    totals.count[bin]++;
    totals.confidence[bin] += confidence;
    if (predicted[i] === labels[i]) totals.right[bin]++;
  }
  return totals;
}

/**
 * Returns one row per confidence bin: `bin` (1 to M), its bounds `lower`
 * and `upper`, `count` (test images whose confidence falls in it),
 * `confidence` (their mean confidence), `accuracy` (the share of them
 * predicted right) and `gap` (accuracy minus confidence; negative means
 * over-confident). Mean confidence, accuracy and gap are null for an empty
 * bin. Confidence is the largest probability of each row.
 *
 * @throws {RangeError} for a label outside 0 to 9, probabilities whose
 * length is not `labels.length * 10`, or `bins` not a positive integer.
 *
 * @example
 * ```ts
 * calibrationTable(cnnResult, test.labels, { bins: 15 }).filter(pl.col("count").gt(0));
 * ```
 */
export function calibrationTable(
  result: Pick<ModelResult, "id" | "probabilities">,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): pl.DataFrame {
  const totals = binTotals(result, labels, options, "compute a calibration table");
  const bins = Array.from({ length: totals.bins }, (_, m) => m);
  const mean = (sum: ArrayLike<number>, m: number) =>
    totals.count[m] === 0 ? null : sum[m] / totals.count[m];
  return pl.DataFrame([
    pl.Series("bin", bins.map((m) => m + 1), pl.Int32),
    pl.Series("lower", bins.map((m) => m / totals.bins), pl.Float64),
    pl.Series("upper", bins.map((m) => (m + 1) / totals.bins), pl.Float64),
    pl.Series("count", totals.count),
    pl.Series("confidence", bins.map((m) => mean(totals.confidence, m)), pl.Float64),
    pl.Series("accuracy", bins.map((m) => mean(totals.right, m)), pl.Float64),
    pl.Series(
      "gap",
      bins.map((m) =>
        totals.count[m] === 0 ? null : mean(totals.right, m)! - mean(totals.confidence, m)!
      ),
      pl.Float64,
    ),
  ]);
}

/**
 * The expected calibration error: the mean over images of |accuracy -
 * mean confidence| of the image's bin, that is the sum over bins of
 * (count / N) |accuracy - confidence|. 0 for a perfectly calibrated model,
 * at most 1.
 *
 * @throws {RangeError} as {@linkcode calibrationTable}.
 *
 * @example
 * ```ts
 * expectedCalibrationError(cnnResult, test.labels); // about 0.005 for a trained CNN
 * ```
 */
export function expectedCalibrationError(
  result: Pick<ModelResult, "id" | "probabilities">,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): number {
  const totals = binTotals(result, labels, options, "compute the expected calibration error");
  let error = 0;
  for (let m = 0; m < totals.bins; m++) {
    error += Math.abs(totals.right[m] - totals.confidence[m]);
  }
  // Each bin's (count / N) |accuracy - confidence| is |right - summed confidence| / N.
  return error / labels.length;
}
