/**
 * Parsing of the IDX format in which MNIST and Fashion-MNIST are published.
 *
 * An IDX file is a 4-byte magic number (0x00000801 for unsigned-byte vectors,
 * 0x00000803 for unsigned-byte 3-d arrays), one big-endian 32-bit size per
 * dimension, then the bytes. These functions take bytes and return typed
 * arrays, so they are tested without files; `datasets.ts` does the reading.
 *
 * @module
 */
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";

/** Magic number of an IDX file of unsigned-byte labels (one dimension). */
export const IDX_LABELS_MAGIC = 2049;

/** Magic number of an IDX file of unsigned-byte images (three dimensions). */
export const IDX_IMAGES_MAGIC = 2051;

/** Options naming where bytes came from, for error messages. */
export interface ParseIdxOptions {
  /** File name or other description of the bytes' origin. */
  source?: string;
}

/** Images parsed from an IDX file. */
export interface IdxImages {
  /** Pixels 0-255, `count * rows * cols`, row-major. */
  pixels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height. */
  rows: number;
  /** Image width. */
  cols: number;
}

/** How an HTML page starts, after any byte-order mark and white space. */
const HTML_START = /^\uFEFF?\s*(<!doctype html|<html|<head|<!--)/i;

/**
 * Tells whether bytes are an HTML page: what a browser saves when a link to
 * a data file leads to a page about it (GitHub's file view, a login page).
 *
 * @example
 * ```ts
 * looksLikeHtml(new TextEncoder().encode("<!DOCTYPE html><html>")); // true
 * ```
 */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  return HTML_START.test(new TextDecoder().decode(bytes.subarray(0, 512)));
}

function readHeader(
  bytes: Uint8Array,
  magic: number,
  dimensions: number,
  what: string,
  source: string,
): number[] {
  if (looksLikeHtml(bytes)) {
    throw new SyntaxError(
      `Cannot read IDX ${what} from ${source}: it is an HTML page, expected IDX bytes; a web page was saved under the data file's name, so download the file itself (the page's download link)`,
    );
  }
  const headerLength = 4 + 4 * dimensions;
  if (bytes.length < headerLength) {
    throw new SyntaxError(
      `Cannot read IDX ${what} from ${source}: file is ${bytes.length} bytes, expected a header of ${headerLength} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new SyntaxError(
      `Cannot read IDX ${what} from ${source}: magic number is ${found}, expected ${magic}`,
    );
  }
  const sizes: number[] = [];
  for (let i = 0; i < dimensions; i++) sizes.push(view.getUint32(4 + 4 * i, false));
  return sizes;
}

function checkLength(
  bytes: Uint8Array,
  expected: number,
  what: string,
  source: string,
): void {
  if (bytes.length !== expected) {
    throw new SyntaxError(
      `Cannot read IDX ${what} from ${source}: file is ${bytes.length} bytes, expected ${expected} bytes for the sizes in its header`,
    );
  }
}

/**
 * Parses an IDX image file and checks that its images are 28x28.
 *
 * @example
 * ```ts
 * const images = parseIdxImages(await Deno.readFile("train-images-idx3-ubyte"));
 * images.count; // 60000
 * ```
 */
export function parseIdxImages(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxImages {
  const source = options.source ?? "bytes";
  const [count, rows, cols] = readHeader(bytes, IDX_IMAGES_MAGIC, 3, "images", source);
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new RangeError(
      `Cannot read IDX images from ${source}: images are ${rows}x${cols}, expected ${IMAGE_SIZE}x${IMAGE_SIZE}`,
    );
  }
  if (count === 0) {
    throw new RangeError(
      `Cannot read IDX images from ${source}: it holds 0 images, expected at least 1`,
    );
  }
  checkLength(bytes, 16 + count * rows * cols, "images", source);
  return { pixels: bytes.subarray(16), count, rows, cols };
}

/**
 * Parses an IDX label file and checks that every label is a digit 0 to 9.
 *
 * @example
 * ```ts
 * const labels = parseIdxLabels(await Deno.readFile("train-labels-idx1-ubyte"));
 * labels.length; // 60000
 * ```
 */
export function parseIdxLabels(bytes: Uint8Array, options: ParseIdxOptions = {}): Uint8Array {
  const source = options.source ?? "bytes";
  const [count] = readHeader(bytes, IDX_LABELS_MAGIC, 1, "labels", source);
  if (count === 0) {
    throw new RangeError(
      `Cannot read IDX labels from ${source}: it holds 0 labels, expected at least 1`,
    );
  }
  checkLength(bytes, 8 + count, "labels", source);
  const labels = bytes.subarray(8);
  const bad = labels.findIndex((label) => label >= NUM_CLASSES);
  if (bad >= 0) {
    throw new RangeError(
      `Cannot read IDX labels from ${source}: label ${bad} is ${labels[bad]}, expected 0 to ${
        NUM_CLASSES - 1
      }`,
    );
  }
  return labels;
}
