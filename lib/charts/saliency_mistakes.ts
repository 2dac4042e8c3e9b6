/**
 * The saliency maps of a model's most confident mistakes, ready for
 * {@linkcode saliencyChart}: for each, the gradient of the probability of
 * the class the model chose (the winning class) with respect to the pixels.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import { wrongPredictionConfidence } from "../evaluation/mod.ts";
import type { DigitModel } from "../models/mod.ts";
import type { ModelResult } from "../results.ts";
import { checkImages, checkPredictions, classLabels } from "./checks.ts";
import { checkWholeNumber } from "./gallery.ts";
import type { SaliencyCell } from "./saliency.ts";

/** Options for {@linkcode saliencyOfMistakes}. */
export interface SaliencyOfMistakesOptions {
  /** Mistakes to take, the most confident first. Default 8. */
  count?: number;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/**
 * Takes a model's most confident mistakes on `images` (from `result`, the
 * model's outputs on those images) and computes each one's gradient of the
 * winning class's probability, captioned true→predicted (probability).
 * Fewer cells come back when the model made fewer mistakes.
 *
 * @throws {TypeError} when the model has no `inputGradients` (check
 * `model.inputGradients` first). {RangeError} when the result does not
 * match the images or `count` is not a positive integer.
 *
 * @example
 * ```ts
 * if (cnn.model.inputGradients) {
 *   const cells = await saliencyOfMistakes(cnn.model, cnn.result, prepared.test, { count: 6 });
 *   await show.chart(saliencyChart(cells));
 * }
 * ```
 */
export async function saliencyOfMistakes(
  model: DigitModel,
  result: ModelResult,
  images: LabelledImages,
  options: SaliencyOfMistakesOptions = {},
): Promise<SaliencyCell[]> {
  const action = `compute the saliency of ${result.id}'s mistakes`;
  if (model.inputGradients === undefined) {
    throw new TypeError(`Cannot ${action}: the model has no inputGradients, expected one`);
  }
  checkImages(images, action);
  checkPredictions(result, images.labels, action);
  const count = options.count ?? 8;
  checkWholeNumber(count, 1, action, "count");
  const mistakes = wrongPredictionConfidence(result, images.labels).head(count);
  const indices = [...mistakes.getColumn("index")] as number[];
  const predicted = [...mistakes.getColumn("predicted")] as number[];
  const confidence = [...mistakes.getColumn("confidence")] as number[];
  const pixels = new Float32Array(indices.length * IMAGE_PIXELS);
  indices.forEach((index, i) =>
    pixels.set(
      images.pixels.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS),
      i * IMAGE_PIXELS,
    )
  );
  const gradients = indices.length === 0
    ? new Float32Array(0)
    : await model.inputGradients(pixels, indices.length, predicted);
  const names = classLabels(options.classNames);
  return indices.map((index, i) => ({
    pixels: pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
    gradient: gradients.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS),
    caption: `${names[images.labels[index]]}→${names[predicted[i]]} (${confidence[i].toFixed(2)})`,
  }));
}
