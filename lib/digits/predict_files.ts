/**
 * Reads digits in image files: each file is decoded, preprocessed as MNIST
 * was made and given to a model, a batch of files at a time. A file that
 * cannot be read or is not an image gets its own error; the others still
 * get their prediction.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import { preprocessDigit } from "./digit_preprocess.js";
import { readImage } from "./image_decode.ts";
import type { DigitModel } from "../models/mod.ts";
import { type DigitPrediction, predictDigits } from "./predict_digits.ts";

/**
 * What became of one file: its prediction and the 28x28 image the model read
 * (784 values in [0, 1], MNIST's white digit on black), or why there is none
 * (the error names the file).
 */
export type FilePrediction =
  | { file: string; prediction: DigitPrediction; input: Float32Array; error?: undefined }
  | { file: string; prediction?: undefined; input?: undefined; error: Error };

/** Options of {@link predictImageFiles}. */
export interface PredictImageFilesOptions {
  /** Files read before the model runs once over them (default 64). */
  batchSize?: number;
}

/** Reads, decodes and preprocesses one file into 784 model inputs. */
async function readDigitFile(file: string): Promise<Float32Array> {
  return preprocessDigit(await readImage(file), { name: file });
}

/**
 * Predicts the digit in each image file, yielding one result per file in
 * the order given.
 *
 * @example
 * ```ts
 * for await (const result of predictImageFiles(cnn, ["seven.png", "two.jpg"])) {
 *   console.log(result.file, result.prediction?.digit ?? result.error.message);
 * }
 * ```
 */
export async function* predictImageFiles(
  model: DigitModel,
  files: readonly string[],
  options: PredictImageFilesOptions = {},
): AsyncGenerator<FilePrediction> {
  const batchSize = options.batchSize ?? 64;
  for (let start = 0; start < files.length; start += batchSize) {
    const batch = files.slice(start, start + batchSize);
    const inputs = await Promise.all(
      batch.map((file) =>
        readDigitFile(file).catch((error: unknown) =>
          error instanceof Error ? error : new Error(String(error))
        )
      ),
    );
    const good = inputs.filter((input) => input instanceof Float32Array);
    const pixels = new Float32Array(good.length * IMAGE_PIXELS);
    good.forEach((input, i) => pixels.set(input, i * IMAGE_PIXELS));
    const predictions = await predictDigits(model, pixels);
    let next = 0;
    for (const [i, input] of inputs.entries()) {
      yield input instanceof Error
        ? { file: batch[i], error: input }
        : { file: batch[i], prediction: predictions[next++], input };
    }
  }
}
