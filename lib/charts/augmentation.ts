/**
 * What augmentation does to a digit: one training digit as it is, then
 * several of its augmented versions, in a grid.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { IMAGE_PIXELS } from "../config.ts";
import { augmentImages, type AugmentSettings, type LabelledImages } from "../data/mod.ts";
import { createRandom } from "../random.ts";
import { checkImages } from "./checks.ts";
import { digitPixels } from "./digit_image.ts";
import { checkWholeNumber, digitGallerySpec } from "./gallery.ts";

/** Options for {@linkcode augmentationGridChart}. */
export interface AugmentationGridOptions {
  /** How to distort the digit. */
  settings: AugmentSettings;
  /** Which image of the set to show; default 0. */
  index?: number;
  /** Augmented versions shown after the original; default 19. */
  count?: number;
  /** Seed of the versions' draws; default 42. */
  seed?: number;
  /** Digits per row; default 10. */
  columns?: number;
  /** Chart title; default "One digit, augmented". */
  title?: string;
}

/**
 * Shows one digit as it is (first cell, "original") and `count` augmented
 * versions of it drawn from `seed`, each captioned with the digit's label,
 * which augmentation leaves unchanged.
 *
 * @throws {RangeError} when the index is outside the set, the count is not a
 * whole number of at least 1, or a setting is out of range.
 *
 * @example
 * ```ts
 * const spec = augmentationGridChart(prepared.train, { settings: AUGMENT_PRESETS.standard });
 * ```
 */
export function augmentationGridChart(
  images: LabelledImages,
  options: AugmentationGridOptions,
): TopLevelSpec {
  const action = "chart a digit's augmentations";
  checkImages(images, action);
  const index = options.index ?? 0;
  const count = options.count ?? 19;
  checkWholeNumber(count, 1, action, "count");
  if (!Number.isInteger(index) || index < 0 || index >= images.count) {
    throw new RangeError(
      `Cannot ${action}: index is ${index}, expected a whole number from 0 to ${images.count - 1}`,
    );
  }
  const digit = digitPixels(images, index);
  const label = images.labels[index];
  const copies = new Float32Array(count * IMAGE_PIXELS);
  for (let copy = 0; copy < count; copy++) copies.set(digit, copy * IMAGE_PIXELS);
  const augmented = augmentImages(
    { pixels: copies, labels: new Uint8Array(count).fill(label), count },
    options.settings,
    createRandom(options.seed ?? 42),
  );
  const cells = [
    { pixels: digit, caption: `${label} original` },
    ...Array.from({ length: count }, (_, copy) => ({
      pixels: augmented.pixels.slice(copy * IMAGE_PIXELS, (copy + 1) * IMAGE_PIXELS),
      caption: String(label),
    })),
  ];
  return digitGallerySpec(cells, {
    title: options.title ?? "One digit, augmented",
    columns: options.columns,
  });
}
