/**
 * Reading numbers written in a row (a year, a house number) in image
 * files: each file is decoded, cut into its digits left to right
 * (`segmentNumber`), and every digit read by a model. A file that cannot
 * be read, or holds no digit, gets its own error; the others still get
 * their number.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import type { DigitModel } from "../models/mod.ts";
import { readImage } from "./image_decode.ts";
import { type NumberDigit, segmentNumber } from "./number_segment.js";
import { type DigitPrediction, predictDigits } from "./predict_digits.ts";

/** What a model reads in a picture of a number. */
export interface NumberPrediction {
  /** The digits read, left to right, as text ("1984"; it may start with 0). */
  number: string;
  /** Each digit's prediction, left to right. */
  digits: DigitPrediction[];
}

/** What became of one file: its number, or why there is none (the error names the file). */
export type FileNumberPrediction =
  | { file: string; prediction: NumberPrediction; error?: undefined }
  | { file: string; prediction?: undefined; error: Error };

/**
 * Reads every digit of a segmented number with one model call.
 *
 * @throws {RangeError} when `digits` is empty (`segmentNumber` never returns none).
 *
 * @example
 * ```ts
 * const { number } = await predictNumber(cnn, segmentNumber(image));
 * number; // "1984"
 * ```
 */
export async function predictNumber(
  model: DigitModel,
  digits: readonly NumberDigit[],
): Promise<NumberPrediction> {
  if (digits.length === 0) {
    throw new RangeError("Cannot read number: found 0 digits, expected at least 1");
  }
  const pixels = new Float32Array(digits.length * IMAGE_PIXELS);
  digits.forEach((digit, i) => pixels.set(digit.pixels, i * IMAGE_PIXELS));
  const predictions = await predictDigits(model, pixels);
  return { number: predictions.map((p) => p.digit).join(""), digits: predictions };
}

/**
 * Reads the number in each image file, yielding one result per file in the
 * order given.
 *
 * @example
 * ```ts
 * for await (const result of predictNumberFiles(cnn, ["year.png"])) {
 *   console.log(result.file, result.prediction?.number ?? result.error.message);
 * }
 * ```
 */
export async function* predictNumberFiles(
  model: DigitModel,
  files: readonly string[],
): AsyncGenerator<FileNumberPrediction> {
  for (const file of files) {
    let digits: NumberDigit[];
    try {
      digits = segmentNumber(await readImage(file), { name: file });
    } catch (error) {
      yield { file, error: error instanceof Error ? error : new Error(String(error)) };
      continue;
    }
    yield { file, prediction: await predictNumber(model, digits) };
  }
}
