/**
 * Checks of the data handed to the from-scratch MLP, made once at the
 * public functions so that the loops inside can trust their input.
 *
 * @module
 */
import type { ScratchMlp } from "./network.ts";

/** Images, with labels when they are to be trained on or scored. */
export interface ImageSet {
  /** Inputs in row-major order, `count * layerSizes[0]` values. */
  pixels: Float32Array;
  /** Number of images. */
  count: number;
  /** Class of each image, when known. */
  labels?: Uint8Array;
}

/** Options for {@linkcode checkImageSet}. */
export interface CheckImageSetOptions {
  /** What was being done, for the message: "Cannot <action>: ...". */
  action: string;
  /** What the set is, for the message, e.g. "the validation set". Default "the images". */
  name?: string;
}

/**
 * Throws a RangeError unless `set` holds `count` >= 1 images of the
 * network's input size and, if it has labels, one class of the network
 * per image.
 *
 * @example
 * ```ts
 * checkImageSet(network, prepared.test, { action: "evaluate the scratch MLP" });
 * ```
 */
export function checkImageSet(
  network: ScratchMlp,
  set: ImageSet,
  options: CheckImageSetOptions,
): void {
  const { action, name = "the images" } = options;
  const inputs = network.layerSizes[0], classes = network.layerSizes.at(-1)!;
  const { pixels, count, labels } = set;
  if (!Number.isInteger(count) || count < 1 || pixels.length !== count * inputs) {
    throw new RangeError(
      `Cannot ${action}: ${name} have ${pixels.length} pixel values for count ${count}, expected count >= 1 images of ${inputs} values`,
    );
  }
  if (labels === undefined) return;
  if (labels.length !== count) {
    throw new RangeError(
      `Cannot ${action}: ${name} have ${labels.length} labels for ${count} images, expected one per image`,
    );
  }
  const index = labels.findIndex((label) => label >= classes);
  if (index >= 0) {
    throw new RangeError(
      `Cannot ${action}: label ${index} of ${name} is ${
        labels[index]
      }, expected a class from 0 to ${classes - 1}`,
    );
  }
}
