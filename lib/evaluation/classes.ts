/**
 * Predicted classes (the argmax of each row of probabilities) and
 * confusion counts, in plain typed arrays, for the tables and the charts.
 *
 * @module
 */
import { NUM_CLASSES } from "../config.ts";
import { checkClassPairs, checkProbabilities } from "./checks.ts";

/**
 * Returns the most probable class of each whole row of softmax outputs,
 * without checking them: for callers that have checked their input already.
 * A NaN in a row is never picked, so a row of NaN gives class 0.
 *
 * @example
 * ```ts
 * argmaxClasses(new Float32Array([0, 0.9, 0.1, 0, 0, 0, 0, 0, 0, 0])); // Uint8Array [1]
 * ```
 */
export function argmaxClasses(probabilities: ArrayLike<number>): Uint8Array {
  const rows = Math.floor(probabilities.length / NUM_CLASSES);
  const classes = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const offset = row * NUM_CLASSES;
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) {
      // Strictly greater: a tie goes to the lower class, as numpy's argmax does.
      if (probabilities[offset + k] > probabilities[offset + best]) best = k;
    }
    classes[row] = best;
  }
  return classes;
}

/**
 * Returns the most probable class of each row of softmax outputs.
 *
 * @param probabilities Softmax outputs, `count * 10`, row-major.
 * @param count Rows expected; by default `probabilities.length / 10`.
 * @throws {RangeError} if the length is not `count * 10` or a value is not finite.
 *
 * @example
 * ```ts
 * predictClasses(result.probabilities, test.count); // Uint8Array of classes
 * ```
 */
export function predictClasses(
  probabilities: ArrayLike<number>,
  count?: number,
): Uint8Array {
  checkProbabilities(probabilities, count, "predict classes");
  return argmaxClasses(probabilities);
}

/** Counts (true class, predicted class) pairs into `counts[true][predicted]`, unchecked. */
function tallyConfusions(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
): number[][] {
  const counts = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}

/**
 * Returns the confusion matrix, `counts[true][predicted]`, 10 x 10: how
 * many images of each true class (row) were given each class (column). The
 * one confusion count of the project: tables, charts and the report all use it.
 *
 * @throws {RangeError} if the lengths differ, are 0, or a value is not a class 0 to 9.
 *
 * @example
 * ```ts
 * const counts = confusionCounts(test.labels, predictClasses(result.probabilities));
 * counts[4][9]; // fours taken for nines
 * ```
 */
export function confusionCounts(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
): number[][] {
  checkClassPairs(labels, predicted, "compute the confusion matrix");
  return tallyConfusions(labels, predicted);
}
