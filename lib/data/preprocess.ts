/**
 * Preprocessing as Keras does it: pixels scaled to [0, 1] as float32, and a
 * validation split taken from the end of the training set before any
 * shuffling (what `fit(validation_split=0.1)` does).
 *
 * Typed arrays only, so the from-scratch MLP uses the same data as tfjs.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import type { DigitData, DigitSet, LabelledImages, PreparedData } from "./sets.ts";

/** Options for {@linkcode prepareData}. */
export interface PrepareDataOptions {
  /** Fraction of the (limited) training set held out for validation, in (0, 1). */
  validationSplit: number;
  /** Use only the first `limit` training images (all when absent). */
  limit?: number;
  /** Use only the first `testLimit` test images (all when absent). */
  testLimit?: number;
}

/**
 * Scales bytes 0-255 to float32 in [0, 1].
 *
 * @example
 * ```ts
 * scalePixels(new Uint8Array([0, 255])); // Float32Array [0, 1]
 * ```
 */
export function scalePixels(pixels: Uint8Array): Float32Array {
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i] / 255;
  return scaled;
}

/**
 * Takes images `start` to `end` of a split and scales them.
 *
 * @example
 * ```ts
 * const firstTen = sliceSet(data.test, { start: 0, end: 10 });
 * ```
 */
export function sliceSet(set: DigitSet, range: { start: number; end: number }): LabelledImages {
  const { start, end } = range;
  return {
    pixels: scalePixels(set.pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS)),
    labels: set.labels.slice(start, end),
    count: end - start,
  };
}

/** Refuses a limit that is not a whole number of at least one image. */
function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(
      `Cannot prepare data: ${name} is ${value}, expected a whole number of at least 1`,
    );
  }
}

/**
 * How many of `total` images stay for training when the last
 * `validationSplit` of them is held out: floor(total * (1 - split)), where
 * Keras' and tfjs' fit(validationSplit) split. The split is usable when
 * the count is at least 1 and below `total`.
 *
 * @example
 * ```ts
 * trainingCountOf(60000, 0.1); // 54000
 * trainingCountOf(1, 0.1); // 0: no image left to train on
 * ```
 */
export function trainingCountOf(total: number, validationSplit: number): number {
  return Math.floor(total * (1 - validationSplit));
}

/**
 * Splits and scales a data set: the first `limit` training images, the last
 * `validationSplit` of them held out for validation, and the test set.
 *
 * @example
 * ```ts
 * const prepared = prepareData(await loadDataset(), { validationSplit: 0.1 });
 * prepared.train.count; // 54000
 * ```
 */
export function prepareData(data: DigitData, options: PrepareDataOptions): PreparedData {
  const { validationSplit } = options;
  if (!(validationSplit > 0 && validationSplit < 1)) {
    throw new RangeError(
      `Cannot split data: validation split is ${validationSplit}, expected a number in (0, 1)`,
    );
  }
  checkLimit("limit", options.limit);
  checkLimit("testLimit", options.testLimit);
  const total = Math.min(options.limit ?? data.train.count, data.train.count);
  const trainCount = trainingCountOf(total, validationSplit);
  if (trainCount < 1 || trainCount === total) {
    throw new RangeError(
      `Cannot split ${total} training images with validation split ${validationSplit}: expected at least one image on each side`,
    );
  }
  const testCount = Math.min(options.testLimit ?? data.test.count, data.test.count);
  return {
    train: sliceSet(data.train, { start: 0, end: trainCount }),
    validation: sliceSet(data.train, { start: trainCount, end: total }),
    test: sliceSet(data.test, { start: 0, end: testCount }),
  };
}

const COUNT = new Intl.NumberFormat("en-US");

/**
 * Says in one sentence how many images each split holds.
 *
 * @example
 * ```ts
 * describeSplits(prepareData(await loadDataset(), { validationSplit: 0.1 }));
 * // "54,000 training, 6,000 validation and 10,000 test images"
 * ```
 */
export function describeSplits(data: PreparedData): string {
  const [train, validation, test] = [data.train, data.validation, data.test].map((set) =>
    COUNT.format(set.count)
  );
  return `${train} training, ${validation} validation and ${test} test images`;
}
