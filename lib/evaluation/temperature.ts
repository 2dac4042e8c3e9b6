/**
 * Temperature scaling: one scalar T that divides a model's logits before the
 * softmax, fitted to minimise the negative log-likelihood (NLL) on held-out
 * images. T > 1 softens over-confident outputs; the predicted class never
 * changes, so accuracy stays the same.
 *
 * It works from probabilities alone, whatever the model: log p is a valid
 * set of logits, since the softmax ignores a constant added to every logit
 * of a row, and softmax(log p / T) is then the scaled output.
 *
 * Source: Guo, Pleiss, Sun and Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017, section 4.2 ("Temperature scaling").
 *
 * @module
 */
import { checkPositiveNumber } from "../checks.ts";
import { NUM_CLASSES } from "../config.ts";
import { checkClasses, checkProbabilities } from "./checks.ts";

/**
 * Probabilities are clipped to this before taking logs: small enough that
 * T = 1 gives back the probabilities, large enough that log is finite (a
 * float32 softmax underflows to exactly 0 for very unlikely classes).
 */
const SMALLEST_PROBABILITY = 1e-30;

/** Bounds of the search for T: far outside anything a trained network needs. */
const SEARCH_RANGE = { lowest: 0.05, highest: 20 } as const;

/** The golden ratio's conjugate, (sqrt 5 - 1) / 2, by which each step shrinks the interval. */
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The softmax of log(p) / T for one row, written into `out` (float64 throughout). */
function scaleRow(
  probabilities: ArrayLike<number>,
  row: number,
  inverseT: number,
  out: Float64Array,
): void {
  let largest = -Infinity;
  for (let k = 0; k < NUM_CLASSES; k++) {
    out[k] = Math.log(Math.max(probabilities[row * NUM_CLASSES + k], SMALLEST_PROBABILITY)) *
      inverseT;
    largest = Math.max(largest, out[k]);
  }
  let sum = 0;
  for (let k = 0; k < NUM_CLASSES; k++) {
    out[k] = Math.exp(out[k] - largest);
    sum += out[k];
  }
  for (let k = 0; k < NUM_CLASSES; k++) out[k] /= sum;
}

/**
 * Rescales softmax outputs by a temperature: each row becomes
 * softmax(log p / T). T = 1 leaves them as they are (up to clipping at
 * 1e-30), T > 1 flattens them, T < 1 sharpens them.
 *
 * @param probabilities Softmax outputs, shape [count, 10], row-major.
 * @param temperature T, a positive number.
 * @returns New probabilities, shape [count, 10].
 * @throws {RangeError} for a temperature that is not a positive finite
 * number, or probabilities that are not rows of 10 finite numbers.
 *
 * @example
 * ```ts
 * const softer = scaleTemperature(cnnResult.probabilities, 1.4);
 * ```
 */
export function scaleTemperature(probabilities: Float32Array, temperature: number): Float32Array {
  const action = "scale probabilities by a temperature";
  checkPositiveNumber(temperature, { action, name: "temperature" });
  const rows = checkProbabilities(probabilities, undefined, action);
  const scaled = new Float32Array(probabilities.length);
  const row = new Float64Array(NUM_CLASSES);
  for (let i = 0; i < rows; i++) {
    scaleRow(probabilities, i, 1 / temperature, row);
    scaled.set(row, i * NUM_CLASSES);
  }
  return scaled;
}

/**
 * The mean negative log-likelihood of the true labels after scaling by T,
 * computed in float64 with a log-sum-exp.
 */
function scaledLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>, t: number) {
  let loss = 0;
  const logits = new Float64Array(NUM_CLASSES);
  for (let i = 0; i < labels.length; i++) {
    let largest = -Infinity;
    for (let k = 0; k < NUM_CLASSES; k++) {
      logits[k] = Math.log(Math.max(probabilities[i * NUM_CLASSES + k], SMALLEST_PROBABILITY)) / t;
      largest = Math.max(largest, logits[k]);
    }
    let sum = 0;
    for (let k = 0; k < NUM_CLASSES; k++) sum += Math.exp(logits[k] - largest);
    loss += largest + Math.log(sum) - logits[labels[i]];
  }
  return loss / labels.length;
}

/** What {@linkcode fitTemperature} found. */
export interface TemperatureFit {
  /** The fitted T, between 0.05 and 20. */
  temperature: number;
  /** Mean NLL of the labels before scaling (T = 1), in nats. */
  lossBefore: number;
  /** Mean NLL after scaling by the fitted T, in nats; never above `lossBefore`. */
  lossAfter: number;
}

/** Options for {@linkcode fitTemperature}. */
export interface FitTemperatureOptions {
  /** Stop when the interval of log T is narrower than this. Default 1e-4 (T to 0.01%). */
  tolerance?: number;
}

/**
 * Fits the temperature T that minimises the mean negative log-likelihood of
 * `labels` under softmax(log p / T), for probabilities from held-out images
 * (the validation split, never the test set).
 *
 * Optimiser: golden-section search on log T over [log 0.05, log 20] (Kiefer
 * 1953; Press et al., Numerical Recipes, 3rd ed., section 10.2). The NLL is
 * convex in 1/T (a log-sum-exp of terms linear in 1/T, minus a linear term),
 * so it has one minimum along log T, which is all the search needs. It takes
 * about 40 evaluations of the loss for the default tolerance; no gradient.
 *
 * @throws {RangeError} for a label outside 0 to 9, probabilities whose
 * length is not `labels.length * 10`, or a tolerance that is not positive.
 *
 * @example
 * ```ts
 * const validation = await model.predict(prepared.validation.pixels, prepared.validation.count);
 * const { temperature } = fitTemperature(validation, prepared.validation.labels);
 * const calibrated = scaleTemperature(result.probabilities, temperature);
 * ```
 */
export function fitTemperature(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  options: FitTemperatureOptions = {},
): TemperatureFit {
  const action = "fit a temperature";
  const tolerance = options.tolerance ?? 1e-4;
  checkPositiveNumber(tolerance, { action, name: "tolerance" });
  checkClasses(labels, "labels", action);
  checkProbabilities(probabilities, labels.length, action);
  const loss = (logT: number) => scaledLoss(probabilities, labels, Math.exp(logT));
  let low = Math.log(SEARCH_RANGE.lowest), high = Math.log(SEARCH_RANGE.highest);
  let left = high - GOLDEN * (high - low), right = low + GOLDEN * (high - low);
  let leftLoss = loss(left), rightLoss = loss(right);
  while (high - low > tolerance) {
    if (leftLoss <= rightLoss) {
      [high, right, rightLoss] = [right, left, leftLoss];
      left = high - GOLDEN * (high - low);
      leftLoss = loss(left);
    } else {
      [low, left, leftLoss] = [left, right, rightLoss];
      right = low + GOLDEN * (high - low);
      rightLoss = loss(right);
    }
  }
  const lossBefore = loss(0);
  const best = Math.exp((low + high) / 2);
  const bestLoss = scaledLoss(probabilities, labels, best);
  // The minimum may be flat enough that T = 1 ties it: then keep T = 1.
  return bestLoss < lossBefore
    ? { temperature: best, lossBefore, lossAfter: bestLoss }
    : { temperature: 1, lossBefore, lossAfter: lossBefore };
}
