/**
 * Reads the digits of a CSV file's rows with a model: rows that are already
 * MNIST images (Kaggle's `test.csv`), so they are only scaled to [0, 1] as
 * the training data was, never preprocessed as pictures are.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import { scalePixels, type UnlabelledDigits } from "../data/mod.ts";
import type { DigitModel } from "../models/mod.ts";
import { type DigitPrediction, predictDigits } from "./predict_digits.ts";

/** Options of {@link predictCsvImages}. */
export interface PredictCsvImagesOptions {
  /** Rows scaled and given to the model at once, so that 28,000 rows need not be in floats together (default 1000). */
  batchSize?: number;
}

/**
 * Predicts the digit of every image, in order: pixels 0-255 of shape
 * [count, 784], as `loadCsvImages` returns them, scaled to [0, 1] with
 * `scalePixels` a batch at a time.
 *
 * @throws {RangeError} when `batchSize` is not a whole number above 0, or
 * the pixels are not `count` images.
 *
 * @example
 * ```ts
 * const predictions = await predictCsvImages(cnn, await loadCsvImages("test.csv"));
 * predictions[0].digit; // 2
 * ```
 */
export async function predictCsvImages(
  model: DigitModel,
  images: UnlabelledDigits,
  options: PredictCsvImagesOptions = {},
): Promise<DigitPrediction[]> {
  const batchSize = options.batchSize ?? 1000;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new RangeError(
      `Cannot predict CSV images: batch size is ${batchSize}, expected a whole number above 0`,
    );
  }
  if (images.pixels.length !== images.count * IMAGE_PIXELS) {
    throw new RangeError(
      `Cannot predict CSV images: found ${images.pixels.length} pixels, expected ${images.count} x ${IMAGE_PIXELS}`,
    );
  }
  const predictions: DigitPrediction[] = [];
  for (let start = 0; start < images.count; start += batchSize) {
    const end = Math.min(start + batchSize, images.count);
    const batch = images.pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS);
    predictions.push(...await predictDigits(model, scalePixels(batch)));
  }
  return predictions;
}
