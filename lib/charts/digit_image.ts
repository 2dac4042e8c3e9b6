/**
 * Turns the pixels of one 28x28 digit into a PNG, so that charts, notebooks
 * and the report draw digits from the data itself and never from files.
 *
 * @module
 */
import { encode } from "fast-png";
import { Buffer } from "node:buffer";
import { IMAGE_PIXELS, IMAGE_SIZE } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";

/** Options for encoding a digit as a PNG. */
export interface EncodeDigitOptions {
  /** Each pixel becomes a `scale` x `scale` block; an integer from 1 to 32. Default 1. */
  scale?: number;
  /** Draw dark ink on white paper (true, the default) or MNIST's white on black. */
  invert?: boolean;
}

/** Checks one scale factor, shared by the PNG and data-URL encoders. */
function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) {
    throw new RangeError(
      `Cannot encode a digit image: scale is ${scale}, expected an integer from 1 to 32`,
    );
  }
}

/** Grey levels 0-255 of one digit, each pixel repeated into a square block. */
function greyLevels(pixels: Float32Array, scale: number, invert: boolean): Uint8Array {
  const side = IMAGE_SIZE * scale;
  const grey = new Uint8Array(side * side);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const value = pixels[i];
    if (!(value >= 0 && value <= 1)) {
      throw new RangeError(
        `Cannot encode a digit image: pixel ${i} is ${value}, expected a number from 0 to 1`,
      );
    }
    const level = Math.round((invert ? 1 - value : value) * 255);
    const row = Math.floor(i / IMAGE_SIZE) * scale;
    const column = (i % IMAGE_SIZE) * scale;
    for (let dy = 0; dy < scale; dy++) {
      grey.fill(level, (row + dy) * side + column, (row + dy) * side + column + scale);
    }
  }
  return grey;
}

/**
 * Encodes one digit (784 pixels in [0, 1], row-major) as an 8-bit greyscale PNG.
 * Upscaling is by pixel repetition, so the digit stays sharp wherever it is shown.
 *
 * @example
 * ```ts
 * const png = encodeDigitPng(images.pixels.subarray(0, 784), { scale: 4 });
 * await Deno.writeFile("digit.png", png); // a 112x112 image
 * ```
 */
export function encodeDigitPng(pixels: Float32Array, options: EncodeDigitOptions = {}): Uint8Array {
  const scale = options.scale ?? 1;
  checkScale(scale);
  if (!(pixels instanceof Float32Array) || pixels.length !== IMAGE_PIXELS) {
    const found = pixels instanceof Float32Array ? `${pixels.length} pixels` : typeof pixels;
    throw new TypeError(
      `Cannot encode a digit image: got ${found}, expected a Float32Array of ${IMAGE_PIXELS} pixels`,
    );
  }
  const side = IMAGE_SIZE * scale;
  const data = greyLevels(pixels, scale, options.invert ?? true);
  return encode({ width: side, height: side, data, channels: 1, depth: 8 });
}

/**
 * Encodes one digit as a `data:image/png;base64,...` URL, the form Vega-Lite
 * image marks and HTML `<img>` take without any file.
 *
 * @example
 * ```ts
 * const url = digitDataUrl(images.pixels.subarray(0, 784));
 * url.startsWith("data:image/png;base64,"); // true
 * ```
 */
export function digitDataUrl(pixels: Float32Array, options: EncodeDigitOptions = {}): string {
  const png = encodeDigitPng(pixels, options);
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

/**
 * Returns the 784 pixels of image `index` as a view, without copying.
 *
 * @example
 * ```ts
 * const first = digitPixels(testImages, 0);
 * first.length; // 784
 * ```
 */
export function digitPixels(images: LabelledImages, index: number): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= images.count) {
    throw new RangeError(
      `Cannot take a digit's pixels: index is ${index}, expected an integer from 0 to ${
        images.count - 1
      }`,
    );
  }
  return images.pixels.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
}
