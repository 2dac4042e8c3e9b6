/**
 * Scoring softmax outputs against true labels: the mean categorical
 * cross-entropy and the accuracy, as Keras' `evaluate` reports them.
 *
 * @module
 */
import { NUM_CLASSES } from "../config.ts";
import { argmaxClasses } from "./classes.ts";

/** Keras clips probabilities to [epsilon, 1 - epsilon] before taking logs. */
const EPSILON = 1e-7;

/**
 * Scores softmax outputs against true labels: mean cross-entropy (each
 * probability clipped to [1e-7, 1 - 1e-7], as Keras does) and accuracy
 * (ties go to the lower class).
 *
 * @param probabilities Softmax outputs, shape [count, 10], row-major.
 * @param labels True classes 0 to 9, one per row.
 * @throws {RangeError} when there are not 10 probabilities per label.
 *
 * @example
 * ```ts
 * scoreProbabilities(new Float32Array([0.9, 0.1, ...]), new Uint8Array([0]));
 * ```
 */
export function scoreProbabilities(
  probabilities: Float32Array,
  labels: Uint8Array,
): { loss: number; accuracy: number } {
  if (probabilities.length !== labels.length * NUM_CLASSES) {
    throw new RangeError(
      `Cannot score predictions: ${probabilities.length} probabilities for ${labels.length} labels, expected ${
        labels.length * NUM_CLASSES
      }`,
    );
  }
  const predicted = argmaxClasses(probabilities);
  let loss = 0, correct = 0;
  labels.forEach((label, i) => {
    const p = Math.min(Math.max(probabilities[i * NUM_CLASSES + label], EPSILON), 1 - EPSILON);
    loss -= Math.log(p);
    if (predicted[i] === label) correct++;
  });
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}
