/**
 * The shapes data takes on its way to a model: a split as stored (bytes
 * 0-255), a split ready for a model (floats in [0, 1]), and the three splits
 * every model trains, validates and is tested on.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";

/** Images and labels of one split, as stored: pixels 0-255. */
export interface DigitSet {
  /** Pixels 0-255, shape [count, 784], row-major. */
  pixels: Uint8Array;
  /** Classes 0 to 9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** A loaded data set: its training and test splits and what its classes mean. */
export interface DigitData {
  /** Short name of the data set, e.g. "mnist" or the folder it came from. */
  name: string;
  /** Names of classes 0 to 9. */
  classNames: string[];
  /** The training split (validation is taken from its end later). */
  train: DigitSet;
  /** The test split. */
  test: DigitSet;
  /**
   * Images without labels that came with the data, such as Kaggle's
   * `test.csv`: not used for training or testing, kept for a submission.
   */
  unlabelled?: UnlabelledDigits & { source: string };
  /**
   * Where the test split was held out of the training file because the
   * data had no labelled test file (Kaggle's pair); absent otherwise.
   */
  heldOut?: { source: string; count: number; of: number };
  /** Sentences a command should show the user about how the data was read. */
  notes?: string[];
}

/** Images without labels, as stored: pixels 0-255. */
export interface UnlabelledDigits {
  /** Pixels 0-255, shape [count, 784], row-major. */
  pixels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** Images ready for a model, with their true labels. */
export interface LabelledImages {
  /** Pixels in [0, 1], shape [count, 784] (that is, [count, 28, 28, 1]), row-major. */
  pixels: Float32Array;
  /** True classes 0 to 9, one per image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** The three splits every model trains, validates and is tested on. */
export interface PreparedData {
  /** Images trained on. */
  train: LabelledImages;
  /** Images held out from training, from the end of the training set. */
  validation: LabelledImages;
  /** The test set. */
  test: LabelledImages;
}

/** Options for {@linkcode selectImages}. */
export interface SelectImagesOptions {
  /**
   * Floats to write the selected pixels into, from the start, instead of a
   * new array: at least `indices.length * 784`. The first writes to a large
   * new array cost its memory pages: about 0.55 s for the 54,000 training
   * images here, against 0.04 s into an array written before (measured), so
   * a training loop reuses one array for every epoch's order.
   */
  into?: Float32Array;
}

/**
 * Copies the images and labels at `indices`, in that order: a subset, or a
 * shuffled copy of a whole split. The pixels are `[indices.length * 784]`,
 * a new array or the start of `options.into`.
 *
 * @throws {RangeError} when an index is not an image of the set, or
 * `options.into` has fewer floats than the selection.
 *
 * @example
 * ```ts
 * const firstAndThird = selectImages(prepared.test, [0, 2]); // count 2
 * ```
 */
export function selectImages(
  images: LabelledImages,
  indices: ArrayLike<number>,
  options: SelectImagesOptions = {},
): LabelledImages {
  const size = indices.length * IMAGE_PIXELS;
  if (options.into !== undefined && options.into.length < size) {
    throw new RangeError(
      `Cannot select images: the target array has ${options.into.length} floats, ` +
        `expected at least ${size} for ${indices.length} images`,
    );
  }
  const pixels = options.into?.subarray(0, size) ?? new Float32Array(size);
  const labels = new Uint8Array(indices.length);
  for (let to = 0; to < indices.length; to++) {
    const from = indices[to];
    if (!Number.isInteger(from) || from < 0 || from >= images.count) {
      throw new RangeError(
        `Cannot select images: index ${from} is out of range, expected an integer from 0 to ${
          images.count - 1
        }`,
      );
    }
    pixels.set(
      images.pixels.subarray(from * IMAGE_PIXELS, (from + 1) * IMAGE_PIXELS),
      to * IMAGE_PIXELS,
    );
    labels[to] = images.labels[from];
  }
  return { pixels, labels, count: indices.length };
}
