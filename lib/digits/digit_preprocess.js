// @ts-check
/**
 * Turns a picture of one handwritten digit into an MNIST-style input, the way
 * MNIST itself was made: grayscale, light ink on a dark background, the digit
 * cropped to its bounding box, scaled to fit 20x20 keeping its aspect ratio
 * with antialiasing, and placed in 28x28 so that its centre of mass sits at
 * the centre.
 *
 * This file is plain JavaScript typed with JSDoc, and imports nothing, because
 * the browser page loads the very same file the command line uses: a
 * TypeScript module would need a build step before a browser could run it.
 *
 * @module
 */

/** Side of the square MNIST input, in pixels. */
export const MNIST_SIZE = 28;

/** Side of the box MNIST scaled every digit to fit, in pixels. */
export const DIGIT_BOX_SIZE = 20;

/**
 * A decoded picture: `channels` interleaved samples per pixel, row-major.
 * One channel is gray, two gray and alpha, three RGB, four RGBA.
 *
 * @typedef {object} RasterImage
 * @property {number} width Pixels per row.
 * @property {number} height Rows.
 * @property {1 | 2 | 3 | 4} channels Samples per pixel.
 * @property {8 | 16} [depth] Bits per sample; 8 when absent.
 * @property {Uint8Array | Uint8ClampedArray | Uint16Array} data `width * height * channels` samples.
 */

/**
 * A one-channel picture with values in [0, 1], row-major.
 *
 * @typedef {object} GrayImage
 * @property {number} width Pixels per row.
 * @property {number} height Rows.
 * @property {Float32Array} data `width * height` values.
 */

/**
 * A rectangle of pixels.
 *
 * @typedef {object} PixelBounds
 * @property {number} left First column.
 * @property {number} top First row.
 * @property {number} width Columns.
 * @property {number} height Rows.
 */

/**
 * Options of {@link preprocessDigit}.
 *
 * @typedef {object} PreprocessOptions
 * @property {number} [noiseLevel] Fraction of the ink's contrast below which a pixel counts as paper (default 0.1).
 * @property {number} [inkThreshold] Ink level a pixel needs to widen the digit's bounding box (default 0.25).
 * @property {string} [name] What to call the picture in error messages, usually its file name (default "image").
 */

/**
 * Thrown by {@link preprocessDigit} for a picture with no ink on it, such as
 * an empty drawing pad.
 */
export class BlankImageError extends RangeError {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "BlankImageError";
  }
}

/** Contrast between paper and the strongest ink below which a picture counts as blank. */
const MIN_INK_CONTRAST = 0.15;

/** Luma weights of ITU-R BT.601, the ones PIL and most image tools use. */
const LUMA = [0.299, 0.587, 0.114];

/**
 * Makes a gray picture (0 black, 1 white) of any raster image, compositing
 * transparent pixels onto white paper, since a transparent background is
 * what drawing programs give for "no ink".
 *
 * @example
 * ```ts
 * const gray = toGrayscale({ width: 1, height: 1, channels: 4, data: new Uint8Array([0, 0, 0, 0]) });
 * gray.data[0]; // 1: fully transparent is white paper
 * ```
 * @param {RasterImage} image
 * @returns {GrayImage}
 */
export function toGrayscale(image) {
  const { width, height, channels, data } = image;
  checkRaster(image);
  const scale = 1 / ((image.depth ?? 8) === 16 ? 65535 : 255);
  const hasAlpha = channels === 2 || channels === 4;
  const out = new Float32Array(width * height);
  for (let pixel = 0, at = 0; pixel < out.length; pixel++, at += channels) {
    const value = channels >= 3
      ? LUMA[0] * data[at] + LUMA[1] * data[at + 1] + LUMA[2] * data[at + 2]
      : data[at];
    const alpha = hasAlpha ? data[at + channels - 1] * scale : 1;
    out[pixel] = alpha * value * scale + (1 - alpha);
  }
  return { width, height, data: out };
}

/**
 * Checks that a raster image's sizes and sample count agree.
 *
 * @param {RasterImage} image
 */
function checkRaster(image) {
  const { width, height, channels, data } = image;
  if (
    !Number.isInteger(width) || !Number.isInteger(height) || width < 1 ||
    height < 1
  ) {
    throw new RangeError(
      `Cannot preprocess digit: image size is ${width}x${height}, expected positive integers`,
    );
  }
  if (![1, 2, 3, 4].includes(channels)) {
    throw new RangeError(
      `Cannot preprocess digit: image has ${channels} channels, expected 1 to 4`,
    );
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `Cannot preprocess digit: image has ${data.length} samples, expected ${
        width * height * channels
      } (${width}x${height}x${channels})`,
    );
  }
}

/**
 * Estimates the paper's level as the median of the outermost pixels: a digit
 * seldom covers most of the border, so the median ignores the strokes that
 * touch it.
 *
 * @example
 * ```ts
 * estimateBackground({ width: 3, height: 3, data: new Float32Array([1, 1, 1, 1, 0, 1, 1, 1, 1]) }); // 1
 * ```
 * @param {GrayImage} image
 * @returns {number}
 */
export function estimateBackground(image) {
  const { width, height, data } = image;
  const border = [];
  for (let x = 0; x < width; x++) {
    border.push(data[x], data[(height - 1) * width + x]);
  }
  for (let y = 1; y < height - 1; y++) {
    border.push(data[y * width], data[y * width + width - 1]);
  }
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/**
 * Makes an ink map (0 paper, 1 the darkest stroke) of a gray picture. Dark
 * ink on light paper is inverted; a picture that is already light on dark,
 * as MNIST's own are, is kept, so it is never inverted twice. The levels are
 * then stretched so that paper is 0 and the strongest ink 1, and faint noise
 * (JPEG ringing, paper texture) falls to 0. A picture whose strongest ink is
 * hardly darker than its paper is blank: stretching it would turn noise into
 * ink, so it gives all zeros.
 *
 * @example
 * ```ts
 * const ink = toInk({ width: 3, height: 1, data: new Float32Array([1, 0.5, 1]) });
 * ink.data; // Float32Array [0, 1, 0]
 * ```
 * @param {GrayImage} image
 * @param {{ noiseLevel?: number }} [options]
 * @returns {GrayImage}
 */
export function toInk(image, options = {}) {
  const background = estimateBackground(image);
  const invert = background > 0.5;
  const paper = invert ? 1 - background : background;
  const out = new Float32Array(image.data.length);
  let peak = paper;
  for (let i = 0; i < out.length; i++) {
    out[i] = invert ? 1 - image.data[i] : image.data[i];
    peak = Math.max(peak, out[i]);
  }
  const floor = paper + (options.noiseLevel ?? 0.1) * (peak - paper);
  const range = peak - paper < MIN_INK_CONTRAST ? 0 : peak - floor;
  for (let i = 0; i < out.length; i++) {
    out[i] = range > 0 ? Math.min(1, Math.max(0, (out[i] - floor) / range)) : 0;
  }
  return { width: image.width, height: image.height, data: out };
}

/**
 * Finds the smallest rectangle holding every pixel whose ink is above
 * `threshold`, or null when there is no ink at all.
 *
 * @example
 * ```ts
 * findInkBounds({ width: 3, height: 2, data: new Float32Array([0, 1, 0, 0, 1, 0]) });
 * // { left: 1, top: 0, width: 1, height: 2 }
 * ```
 * @param {GrayImage} image
 * @param {{ threshold?: number }} [options]
 * @returns {PixelBounds | null}
 */
export function findInkBounds(image, options = {}) {
  const threshold = options.threshold ?? 0.25;
  const { width, height, data } = image;
  let left = width, right = -1, top = height, bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] > threshold) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * Copies a rectangle out of a picture.
 *
 * @example
 * ```ts
 * cropImage(ink, { left: 1, top: 0, width: 1, height: 2 });
 * ```
 * @param {GrayImage} image
 * @param {PixelBounds} bounds
 * @returns {GrayImage}
 */
export function cropImage(image, bounds) {
  const { left, top, width, height } = bounds;
  if (
    left < 0 || top < 0 || left + width > image.width ||
    top + height > image.height
  ) {
    throw new RangeError(
      `Cannot crop image: rectangle ${width}x${height} at (${left}, ${top}) is outside the ${image.width}x${image.height} image`,
    );
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (top + y) * image.width + left;
    out.set(image.data.subarray(from, from + width), y * width);
  }
  return { width, height, data: out };
}

/**
 * Weights that resample one axis from `from` to `to` pixels with a box
 * filter as wide as one output pixel (never narrower than one input pixel).
 * Shrinking this averages the area each output pixel covers, which is the
 * antialiasing MNIST relied on; enlarging it interpolates linearly.
 *
 * @param {number} from
 * @param {number} to
 * @returns {{ start: number, weights: number[] }[]}
 */
function boxFilterWeights(from, to) {
  const step = from / to;
  const radius = Math.max(step, 1) / 2;
  return Array.from({ length: to }, (_, index) => {
    const centre = (index + 0.5) * step;
    const low = Math.max(0, centre - radius);
    const high = Math.min(from, centre + radius);
    const start = Math.floor(low);
    const weights = [];
    for (let source = start; source < high; source++) {
      weights.push(Math.min(high, source + 1) - Math.max(low, source));
    }
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    return { start, weights: weights.map((weight) => weight / total) };
  });
}

/**
 * Resizes a picture to `width` x `height` with {@link boxFilterWeights},
 * one axis after the other.
 *
 * @example
 * ```ts
 * resizeImage({ width: 2, height: 1, data: new Float32Array([0, 1]) }, { width: 1, height: 1 }).data[0]; // 0.5
 * ```
 * @param {GrayImage} image
 * @param {{ width: number, height: number }} size
 * @returns {GrayImage}
 */
export function resizeImage(image, size) {
  const { width, height } = size;
  if (
    !(Number.isInteger(width) && Number.isInteger(height) && width >= 1 &&
      height >= 1)
  ) {
    throw new RangeError(
      `Cannot resize image: size is ${width}x${height}, expected positive integers`,
    );
  }
  const columns = boxFilterWeights(image.width, width);
  const rows = boxFilterWeights(image.height, height);
  const wide = new Float32Array(width * image.height);
  for (let y = 0; y < image.height; y++) {
    columns.forEach(({ start, weights }, x) => {
      let sum = 0;
      weights.forEach((weight, k) => sum += weight * image.data[y * image.width + start + k]);
      wide[y * width + x] = sum;
    });
  }
  const out = new Float32Array(width * height);
  rows.forEach(({ start, weights }, y) => {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      weights.forEach((weight, k) => sum += weight * wide[(start + k) * width + x]);
      out[y * width + x] = sum;
    }
  });
  return { width, height, data: out };
}

/**
 * Scales a picture so that its longer side is `boxSize`, keeping its aspect
 * ratio: a tall, thin "1" stays tall and thin.
 *
 * @example
 * ```ts
 * const fitted = fitInBox({ width: 100, height: 200, data: new Float32Array(20000) }, 20);
 * [fitted.width, fitted.height]; // [10, 20]
 * ```
 * @param {GrayImage} image
 * @param {number} [boxSize]
 * @returns {GrayImage}
 */
export function fitInBox(image, boxSize = DIGIT_BOX_SIZE) {
  const scale = boxSize / Math.max(image.width, image.height);
  return resizeImage(image, {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  });
}

/**
 * The ink-weighted mean position, in pixel indices (the first pixel is at 0),
 * or the middle of the picture when it has no ink.
 *
 * @example
 * ```ts
 * centreOfMass({ width: 3, height: 1, data: new Float32Array([0, 0, 1]) }); // { x: 2, y: 0 }
 * ```
 * @param {GrayImage} image
 * @returns {{ x: number, y: number }}
 */
export function centreOfMass(image) {
  const { width, height, data } = image;
  let mass = 0, sumX = 0, sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = data[y * width + x];
      mass += value;
      sumX += x * value;
      sumY += y * value;
    }
  }
  if (mass === 0) return { x: (width - 1) / 2, y: (height - 1) / 2 };
  return { x: sumX / mass, y: sumY / mass };
}

/**
 * Pastes a digit into an empty `size` x `size` field, shifted by whole pixels
 * so that its centre of mass lands on pixel index `size / 2` (14 for MNIST,
 * where the mean centre of mass of the training digits is (14.0, 14.0)). The
 * shift is limited so that no ink falls off the field.
 *
 * @example
 * ```ts
 * const input = placeByCentreOfMass(fitInBox(digit)); // Float32Array(784)
 * ```
 * @param {GrayImage} image
 * @param {number} [size]
 * @returns {Float32Array}
 */
export function placeByCentreOfMass(image, size = MNIST_SIZE) {
  if (image.width > size || image.height > size) {
    throw new RangeError(
      `Cannot place digit: it is ${image.width}x${image.height}, expected at most ${size}x${size}`,
    );
  }
  const centre = centreOfMass(image);
  const clamp = (/** @type {number} */ value, /** @type {number} */ max) =>
    Math.min(max, Math.max(0, value));
  const left = clamp(Math.round(size / 2 - centre.x), size - image.width);
  const top = clamp(Math.round(size / 2 - centre.y), size - image.height);
  const out = new Float32Array(size * size);
  for (let y = 0; y < image.height; y++) {
    const row = image.data.subarray(y * image.width, (y + 1) * image.width);
    out.set(row, (top + y) * size + left);
  }
  return out;
}

/**
 * Runs every step: grayscale, ink map, crop to the ink, fit in 20x20, centre
 * in 28x28 by centre of mass. Returns 784 values in [0, 1], row-major, ready
 * for the models. Throws a {@link BlankImageError} (a RangeError) when the
 * picture holds no ink.
 *
 * @example
 * ```ts
 * const pixels = preprocessDigit({ width, height, channels: 4, data: rgba });
 * pixels.length; // 784
 * ```
 * @param {RasterImage} image
 * @param {PreprocessOptions} [options]
 * @returns {Float32Array}
 */
export function preprocessDigit(image, options = {}) {
  const ink = toInk(toGrayscale(image), { noiseLevel: options.noiseLevel });
  const bounds = findInkBounds(ink, { threshold: options.inkThreshold });
  if (bounds === null) {
    throw new BlankImageError(
      `Cannot preprocess digit in '${
        options.name ?? "image"
      }': the ${image.width}x${image.height} picture has no ink, expected a dark digit on light paper or a light digit on dark`,
    );
  }
  return placeByCentreOfMass(fitInBox(cropImage(ink, bounds)));
}
