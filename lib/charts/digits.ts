/**
 * Charts of digits drawn from their pixels: a sample of the data, a sample of
 * a model's test predictions, and the digits a model gets wrong.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { type ModelId, NUM_CLASSES } from "../config.ts";
import { checkImages, checkPredictions, classLabels } from "./checks.ts";
import { argmaxClasses, onlyRightIndices } from "../evaluation/mod.ts";
import { checkWholeNumber, digitGallerySpec, type GalleryCell } from "./gallery.ts";
import { digitPixels } from "./digit_image.ts";
import type { LabelledImages } from "../data/mod.ts";
import type { ModelResult } from "../results.ts";

/** Options for a grid of consecutive digits. */
export interface DigitSampleOptions {
  /** Digits to show, at most; default 20. */
  count?: number;
  /** Index of the first digit; default 0. */
  start?: number;
  /** Digits per row; default 10. */
  columns?: number;
  /** Chart title; each chart has its own default. */
  title?: string;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/** Options for the gallery of misclassified digits. */
export interface MisclassifiedOptions {
  /** Digits to show, at most; default 30. */
  limit?: number;
  /** Most confident mistakes first ("confidence", the default) or test-set order ("index"). */
  order?: "confidence" | "index";
  /** Digits per row; default 10. */
  columns?: number;
  /** Chart title; default names the model. */
  title?: string;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/** The indices `start` to `start + count - 1`, cut at the end of the images. */
function sampleIndices(
  images: LabelledImages,
  options: DigitSampleOptions,
  action: string,
): number[] {
  const count = options.count ?? 20;
  const start = options.start ?? 0;
  checkWholeNumber(count, 1, action, "count");
  checkWholeNumber(start, 0, action, "start");
  if (start >= images.count) {
    throw new RangeError(
      `Cannot ${action}: start is ${start}, expected less than the ${images.count} images`,
    );
  }
  const end = Math.min(images.count, start + count);
  return Array.from({ length: end - start }, (_, offset) => start + offset);
}

/**
 * Shows digits with their labels, to look at the data before training.
 *
 * @example
 * ```ts
 * const spec = digitGridChart(trainImages, { count: 30, columns: 10 });
 * ```
 */
export function digitGridChart(
  images: LabelledImages,
  options: DigitSampleOptions = {},
): TopLevelSpec {
  const action = "chart a grid of digits";
  checkImages(images, action);
  const names = classLabels(options.classNames);
  const cells = sampleIndices(images, options, action).map((index) => ({
    pixels: digitPixels(images, index),
    caption: names[images.labels[index]],
  }));
  return digitGallerySpec(cells, {
    title: options.title ?? "Sample digits",
    columns: options.columns,
  });
}

/**
 * Shows test digits captioned "true / predicted", right predictions in one
 * colour and wrong ones in another.
 *
 * @example
 * ```ts
 * const spec = samplePredictionsChart(cnnResult, testImages, { count: 20 });
 * ```
 */
export function samplePredictionsChart(
  result: ModelResult,
  images: LabelledImages,
  options: DigitSampleOptions = {},
): TopLevelSpec {
  const action = "chart sample predictions";
  checkImages(images, action);
  checkPredictions(result, images.labels, action);
  const names = classLabels(options.classNames);
  const predicted = argmaxClasses(result.probabilities);
  const cells: GalleryCell[] = sampleIndices(images, options, action).map((index) => ({
    pixels: digitPixels(images, index),
    caption: `${names[images.labels[index]]} / ${names[predicted[index]]}`,
    outcome: predicted[index] === images.labels[index] ? "right" : "wrong",
  }));
  const title = options.title ??
    `Sample predictions: ${result.label} (true / predicted)`;
  return digitGallerySpec(cells, { title, columns: options.columns });
}

/** Indices of the wrong predictions, most confident first or in test order. */
function wrongIndices(
  predicted: Uint8Array,
  result: ModelResult,
  labels: Uint8Array,
  order: string,
): number[] {
  const wrong = [...predicted.keys()].filter((index) => predicted[index] !== labels[index]);
  if (order === "index") return wrong;
  const confidence = (index: number) =>
    result.probabilities[index * NUM_CLASSES + predicted[index]];
  return wrong.sort((a, b) => confidence(b) - confidence(a) || a - b);
}

/**
 * Shows the test digits a model misclassifies, captioned "true→predicted"
 * with the probability the model gave its wrong answer.
 *
 * @example
 * ```ts
 * const spec = misclassifiedChart(mlpResult, testImages, { limit: 20 });
 * ```
 */
export function misclassifiedChart(
  result: ModelResult,
  images: LabelledImages,
  options: MisclassifiedOptions = {},
): TopLevelSpec {
  const action = "chart misclassified digits";
  const limit = options.limit ?? 30;
  const order = options.order ?? "confidence";
  checkImages(images, action);
  checkPredictions(result, images.labels, action);
  checkWholeNumber(limit, 1, action, "limit");
  if (order !== "confidence" && order !== "index") {
    throw new TypeError(`Cannot ${action}: order is "${order}", expected "confidence" or "index"`);
  }
  const names = classLabels(options.classNames);
  const predicted = argmaxClasses(result.probabilities);
  const cells: GalleryCell[] = wrongIndices(predicted, result, images.labels, order).slice(0, limit)
    .map((index) => {
      const confidence = result.probabilities[index * NUM_CLASSES + predicted[index]];
      const caption = `${names[images.labels[index]]}→${names[predicted[index]]} ${
        Math.round(confidence * 100)
      }%`;
      return { pixels: digitPixels(images, index), caption, outcome: "wrong" };
    });
  const title = options.title ??
    `Misclassified by ${result.label} (true→predicted, confidence)`;
  return digitGallerySpec(cells, {
    title,
    columns: options.columns,
    emptyMessage: "No misclassified images",
  });
}

/** Options for {@linkcode onlyRightChart}. */
export interface OnlyRightOptions {
  /** The model that alone gets the images right. */
  right: ModelId;
  /** The model whose (wrong) answers the captions show. */
  answersOf: ModelId;
  /** Digits to show, at most; default 20. */
  count?: number;
  /** Digits per row; default 10. */
  columns?: number;
  /** Chart title; default names both models. */
  title?: string;
  /** Names of the ten classes; default the digits "0" to "9". */
  classNames?: readonly string[];
}

/**
 * Shows the test digits that one model alone gets right, captioned "true /
 * predicted" with another model's wrong answers: what one model has learnt
 * that the other has not.
 *
 * @throws {RangeError} when either model is not among the results, or fewer than two are given.
 *
 * @example
 * ```ts
 * const spec = onlyRightChart([mlpResult, cnnResult], test, { right: "cnn", answersOf: "mlp" });
 * ```
 */
export function onlyRightChart(
  results: readonly ModelResult[],
  images: LabelledImages,
  options: OnlyRightOptions,
): TopLevelSpec {
  const action = "chart the digits only one model gets right";
  checkImages(images, action);
  const right = results.find((result) => result.id === options.right);
  const shown = results.find((result) => result.id === options.answersOf);
  if (right === undefined || shown === undefined) {
    throw new RangeError(
      `Cannot ${action}: the models are [${
        results.map((result) => result.id)
      }], expected ${options.right} and ${options.answersOf}`,
    );
  }
  const count = options.count ?? 20;
  checkWholeNumber(count, 1, action, "count");
  const indices = onlyRightIndices(results, images.labels, right.id).slice(0, count);
  const names = classLabels(options.classNames);
  const predicted = argmaxClasses(shown.probabilities);
  const cells: GalleryCell[] = indices.map((index) => ({
    pixels: digitPixels(images, index),
    caption: `${names[images.labels[index]]} / ${names[predicted[index]]}`,
    outcome: predicted[index] === images.labels[index] ? "right" : "wrong",
  }));
  return digitGallerySpec(cells, {
    title: options.title ?? `Only the ${right.label} is right: the ${shown.label}'s answers`,
    columns: options.columns,
    emptyMessage: `No test image is classified right by the ${right.label} alone`,
  });
}
