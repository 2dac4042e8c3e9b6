/**
 * Checks of class labels, softmax outputs and model lists at the boundary of
 * evaluation.
 *
 * Metrics and error analysis count into arrays indexed by class, so a label
 * of 12 or a probability array of the wrong length would not fail loudly on
 * its own: it would give wrong numbers. These checks make it fail with a
 * message that names the action, the value found and the value expected.
 *
 * @module
 */
import { NUM_CLASSES } from "../config.ts";
import type { ModelResult } from "../results.ts";

/**
 * Throws unless `values` is a non-empty list of integer classes 0 to 9.
 *
 * @param values The classes to check.
 * @param name What the values are, for the message ("labels", "predicted").
 * @param action What was being done, for the message ("compute accuracy").
 * @throws {RangeError} if the list is empty or a value is not a class.
 *
 * @example
 * ```ts
 * checkClasses(Uint8Array.of(3, 1, 4), "labels", "compute accuracy");
 * ```
 */
export function checkClasses(
  values: ArrayLike<number>,
  name: string,
  action: string,
): void {
  if (values.length === 0) {
    throw new RangeError(
      `Cannot ${action}: ${name} is empty, expected at least 1 class`,
    );
  }
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value) || value < 0 || value >= NUM_CLASSES) {
      throw new RangeError(
        `Cannot ${action}: ${name}[${i}] is ${value}, expected an integer class 0 to ${
          NUM_CLASSES - 1
        }`,
      );
    }
  }
}

/**
 * Throws unless two lists of classes have the same length.
 *
 * @example
 * ```ts
 * checkSameLength(Uint8Array.of(1, 2), Uint8Array.of(1, 3), "compute accuracy");
 * ```
 */
export function checkSameLength(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  action: string,
): void {
  if (labels.length !== predicted.length) {
    throw new RangeError(
      `Cannot ${action}: labels has ${labels.length} entries and predicted has ${predicted.length}, expected the same number`,
    );
  }
}

/**
 * Throws unless labels and predictions are two lists of classes 0 to 9 of
 * the same, non-zero length.
 *
 * @throws {RangeError} if the lengths differ, are 0, or a value is not a class.
 *
 * @example
 * ```ts
 * checkClassPairs(Uint8Array.of(1, 2), Uint8Array.of(1, 3), "compute accuracy");
 * ```
 */
export function checkClassPairs(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  action: string,
): void {
  checkSameLength(labels, predicted, action);
  checkClasses(labels, "labels", action);
  checkClasses(predicted, "predicted", action);
}

/**
 * Throws unless `probabilities` holds `count` rows of 10 finite numbers.
 *
 * @param probabilities Softmax outputs, `count * 10`, row-major.
 * @param count Rows expected, or undefined to accept any whole number of rows.
 * @param action What was being done, for the message.
 * @returns The number of rows.
 * @throws {RangeError} if count or the length is wrong, or a value is NaN or infinite.
 *
 * @example
 * ```ts
 * checkProbabilities(new Float32Array(20).fill(0.1), 2, "predict classes"); // 2
 * ```
 */
export function checkProbabilities(
  probabilities: ArrayLike<number>,
  count: number | undefined,
  action: string,
): number {
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new RangeError(
      `Cannot ${action}: count is ${count}, expected a positive integer`,
    );
  }
  const rows = count ?? probabilities.length / NUM_CLASSES;
  if (
    !Number.isInteger(rows) || rows < 1 ||
    probabilities.length !== rows * NUM_CLASSES
  ) {
    const expected = count === undefined
      ? `a positive multiple of ${NUM_CLASSES}`
      : `${count} x ${NUM_CLASSES} = ${count * NUM_CLASSES}`;
    throw new RangeError(
      `Cannot ${action}: probabilities has ${probabilities.length} values, expected ${expected}`,
    );
  }
  for (let i = 0; i < probabilities.length; i++) {
    // A diverged model outputs NaN; ranking NaN would silently pick class 0.
    if (!Number.isFinite(probabilities[i])) {
      throw new RangeError(
        `Cannot ${action}: probabilities[${i}] (image ${Math.floor(i / NUM_CLASSES)}) is ${
          probabilities[i]
        }, expected a finite number`,
      );
    }
  }
  return rows;
}

/**
 * Throws unless there is at least one model and no model id appears twice,
 * since tables name their columns and rows after the ids.
 *
 * @throws {RangeError} if the list is empty or an id repeats.
 *
 * @example
 * ```ts
 * checkModelList([mlpResult, cnnResult], "compare models");
 * ```
 */
export function checkModelList(
  results: readonly ModelResult[],
  action: string,
): void {
  if (results.length === 0) {
    throw new RangeError(
      `Cannot ${action}: no models given, expected at least 1`,
    );
  }
  const seen = new Set<string>();
  for (const result of results) {
    if (seen.has(result.id)) {
      throw new RangeError(
        `Cannot ${action}: model "${result.id}" appears twice, expected each model once`,
      );
    }
    seen.add(result.id);
  }
}
