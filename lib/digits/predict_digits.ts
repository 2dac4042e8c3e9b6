/**
 * Reading digits with a trained model: images already made into MNIST's
 * form (`preprocessDigit`) in, the most probable digit and every class's
 * probability out.
 *
 * @module
 */
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import type { DigitModel } from "../models/mod.ts";

/** What a model reads in one image. */
export interface DigitPrediction {
  /** The most probable class, 0 to 9. */
  digit: number;
  /** The probability of each class 0 to 9, in [0, 1]; they sum to 1. */
  probabilities: number[];
}

/**
 * Reads the digits in `pixels`: `count * 784` values in [0, 1], one MNIST
 * image after another (as `preprocessDigit` makes them).
 *
 * @throws {RangeError} when the pixels are not a whole number of 28x28 images.
 *
 * @example
 * ```ts
 * const [prediction] = await predictDigits(cnn, preprocessDigit(image));
 * prediction.digit; // 7
 * ```
 */
export async function predictDigits(
  model: DigitModel,
  pixels: Float32Array,
): Promise<DigitPrediction[]> {
  if (pixels.length % IMAGE_PIXELS !== 0) {
    throw new RangeError(
      `Cannot predict digits: got ${pixels.length} pixels, expected a multiple of ${IMAGE_PIXELS}`,
    );
  }
  const count = pixels.length / IMAGE_PIXELS;
  if (count === 0) return [];
  const probabilities = await model.predict(pixels, count);
  return Array.from({ length: count }, (_, i) => {
    const row = Array.from(probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
    return { digit: row.indexOf(Math.max(...row)), probabilities: row };
  });
}
