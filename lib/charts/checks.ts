/**
 * Checks and small derivations shared by the chart builders: every chart
 * validates its input at the boundary with the same messages, and derives
 * class names the same way. (Predicted classes come from `lib/evaluation/`.)
 *
 * @module
 */
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import { checkClasses } from "../evaluation/mod.ts";
import type { ModelResult } from "../results.ts";

/**
 * Throws unless pixels and labels both hold `images.count` images.
 *
 * @example
 * ```ts
 * checkImages(testImages, "chart sample predictions");
 * ```
 */
export function checkImages(images: LabelledImages, action: string): void {
  if (!Number.isInteger(images.count) || images.count < 0) {
    throw new RangeError(
      `Cannot ${action}: image count is ${images.count}, expected a whole number`,
    );
  }
  if (images.pixels.length !== images.count * IMAGE_PIXELS) {
    throw new RangeError(
      `Cannot ${action}: pixels hold ${images.pixels.length} values, expected ${
        images.count * IMAGE_PIXELS
      } for ${images.count} images`,
    );
  }
  if (images.labels.length !== images.count) {
    throw new RangeError(
      `Cannot ${action}: there are ${images.labels.length} labels, expected ${images.count}, one per image`,
    );
  }
  checkClasses(images.labels, "labels", action);
}

/**
 * Throws unless `result` holds one row of class probabilities per label.
 *
 * @example
 * ```ts
 * checkPredictions(mlpResult, testImages.labels, "chart the confusion matrix");
 * ```
 */
export function checkPredictions(result: ModelResult, labels: Uint8Array, action: string): void {
  const rows = result.probabilities.length / NUM_CLASSES;
  if (rows !== labels.length) {
    throw new RangeError(
      `Cannot ${action} of model "${result.id}": it has ${rows} rows of probabilities, expected ${labels.length}, one per label`,
    );
  }
  checkClasses(labels, "labels", action);
}

/**
 * Returns the names of the ten classes: the ones given, or the digits "0" to "9".
 *
 * @example
 * ```ts
 * classLabels(); // ["0", "1", ..., "9"]
 * ```
 */
export function classLabels(classNames?: readonly string[]): string[] {
  if (classNames === undefined) return Array.from({ length: NUM_CLASSES }, (_, k) => String(k));
  if (classNames.length !== NUM_CLASSES || new Set(classNames).size !== NUM_CLASSES) {
    throw new RangeError(
      `Cannot name the classes: got ${classNames.length} names (${
        new Set(classNames).size
      } distinct), expected ${NUM_CLASSES} distinct names`,
    );
  }
  return [...classNames];
}
