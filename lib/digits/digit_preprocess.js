// @ts-check
/**
 * Turns a picture of one handwritten digit into an MNIST-style input, the way
 * MNIST itself was made: grayscale, light ink on a dark background, the digit
 * cropped to its bounding box, scaled to fit 20x20 keeping its aspect ratio
 * with antialiasing, and placed in 28x28 so that its centre of mass sits at
 * the centre. Before that, a photo or scan is cleaned: the paper's uneven
 * light divided out, ink told from paper by a threshold chosen from the
 * picture, ruled lines, specks and marks at the border dropped, and the
 * strokes brought near MNIST's width (see {@link preprocessDigit}).
 *
 * This file is plain JavaScript typed with JSDoc, and imports nothing, because
 * the browser page loads the very same file the command line uses: a
 * TypeScript module would need a build step before a browser could run it.
 * The cleaning steps are written here rather than taken from a library:
 * OpenCV.js does them all but is an 8 MB WebAssembly download for the page,
 * and the small npm image packages that run in both Deno and the browser
 * (image-js and the like) lack a background estimate, ruled-line removal or
 * stroke-width control, so only part of the work would move to them (and
 * the page's server would need a route for each, as it has for tfjs).
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
 * @property {number} [noiseLevel] Fraction of full ink below which a pixel counts as paper (default 0.1; never within three noise deviations of the paper).
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

// ---------------------------------------------------------------------------
// Cleaning a photo or scan: the steps between the gray picture and MNIST's
// crop-and-centre. They live in this file, not a module of their own, because
// the page's server hands out this one file to the browser.
// ---------------------------------------------------------------------------

/**
 * Longest side, in pixels, at which the cleaning steps work; larger pictures
 * are shrunk to it first. The digit ends up 20 pixels high, so 512 keeps a
 * pen line of 3 pixels in a 1600-pixel photo visible while bounding the work.
 */
export const WORK_SIZE = 512;

/**
 * Stroke width of MNIST's digits as a fraction of the longer side of their
 * bounding box, measured with {@link estimateStrokeWidth} on MNIST's test
 * digits enlarged 10 times: median 0.126, middle half 0.11 to 0.15, 1st and
 * 99th percentiles 0.085 and 0.22.
 */
export const MNIST_STROKE_RATIO = 0.13;

/** Levels on [0, 1] counted in the histograms of {@link chooseInkLevels} and the paper estimate. */
const BINS = 256;

/**
 * Thrown by {@link preprocessDigit} when a picture has marks but none that
 * looks like a digit: only specks, a ruled line or marks at the border. It
 * is a {@link BlankImageError}, since for a digit reader the picture is as
 * good as blank (the page waits for more strokes on both).
 */
export class NoDigitError extends BlankImageError {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "NoDigitError";
  }
}

/**
 * Counts values in [0, 1] in {@link BINS} equal bins.
 *
 * @param {ArrayLike<number>} values
 * @returns {Float64Array}
 */
function histogramOf(values) {
  const histogram = new Float64Array(BINS);
  for (let i = 0; i < values.length; i++) {
    histogram[Math.min(BINS - 1, Math.max(0, Math.floor(values[i] * BINS)))]++;
  }
  return histogram;
}

/**
 * The level below which `fraction` of a histogram's count lies (a bin's
 * middle), counting only bins from `from` on.
 *
 * @param {Float64Array} histogram
 * @param {number} fraction
 * @param {number} [from]
 * @returns {number}
 */
function percentileOf(histogram, fraction, from = 0) {
  let total = 0;
  for (let bin = from; bin < BINS; bin++) total += histogram[bin];
  let seen = 0;
  for (let bin = from; bin < BINS; bin++) {
    seen += histogram[bin];
    if (seen >= fraction * total && seen > 0) return (bin + 0.5) / BINS;
  }
  return (BINS - 0.5) / BINS;
}

/**
 * Shrinks a picture whose longer side exceeds `maxSide` to that size,
 * averaging areas (so a thin line fades but stays); smaller pictures are
 * returned as they are.
 *
 * @example
 * ```ts
 * shrinkToWorkSize({ width: 1200, height: 1600, data }).height; // 512
 * ```
 * @param {GrayImage} image
 * @param {number} [maxSide]
 * @returns {GrayImage}
 */
export function shrinkToWorkSize(image, maxSide = WORK_SIZE) {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  return resizeImage(image, {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  });
}

/**
 * Turns a gray picture so that its paper is light: a picture whose border
 * (see {@link estimateBackground}) is darker than the middle of its range
 * (darkest to lightest pixel) is light ink on dark paper, as MNIST's own,
 * and is inverted. The middle of the range, not 0.5, decides, so that grey
 * paper in a dim photo still counts as paper; the extremes, not
 * percentiles, span it, since a pen line may be a thousandth of the pixels.
 *
 * @example
 * ```ts
 * orientPaperLight({ width: 3, height: 1, data: new Float32Array([0, 1, 0]) }).data; // [1, 0, 1]
 * ```
 * @param {GrayImage} gray
 * @returns {GrayImage}
 */
export function orientPaperLight(gray) {
  let darkest = 1, lightest = 0;
  for (const value of gray.data) {
    [darkest, lightest] = [Math.min(darkest, value), Math.max(lightest, value)];
  }
  if (estimateBackground(gray) >= (darkest + lightest) / 2) return gray;
  return { width: gray.width, height: gray.height, data: gray.data.map((value) => 1 - value) };
}

/**
 * Estimates the paper's level at every pixel of a picture with light paper,
 * so that uneven light and shadows can be divided out. The picture is cut
 * into blocks a sixteenth of its longer side (at least 8 pixels); each
 * block's paper is the 80th percentile of the levels in it and its eight
 * neighbours, which is paper as long as a fifth of that area is; the levels
 * between block centres are interpolated bilinearly. No estimate falls below
 * 30% of the whole picture's paper, so that a block filled with a dark
 * stroke is not taken for a shadow, while the sheet (210 on the
 * left, 140 on the right, darkened by 40% in a corner: 35% of the lightest
 * paper) is followed. The window lags behind a shadow that deepens towards
 * a corner, so paper there keeps a little ink (0.2 at the very corner of
 * the sheet), below the threshold of {@link chooseInkLevels}.
 *
 * @example
 * ```ts
 * const paper = estimatePaper(light); // same size as light, values in [0, 1]
 * ```
 * @param {GrayImage} light
 * @returns {GrayImage}
 */
export function estimatePaper(light) {
  const { width, height } = light;
  const block = Math.max(8, Math.ceil(Math.max(width, height) / 16));
  const columns = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const histograms = blockHistograms(light, block, columns);
  const lowest = 0.3 * percentileOf(histogramOf(light.data), 0.8);
  const levels = new Float32Array(columns * rows);
  const window = new Float64Array(BINS);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      window.fill(0);
      for (let y = Math.max(0, row - 1); y <= Math.min(rows - 1, row + 1); y++) {
        for (let x = Math.max(0, column - 1); x <= Math.min(columns - 1, column + 1); x++) {
          const start = (y * columns + x) * BINS;
          for (let bin = 0; bin < BINS; bin++) window[bin] += histograms[start + bin];
        }
      }
      levels[row * columns + column] = Math.max(lowest, percentileOf(window, 0.8));
    }
  }
  return interpolateBlocks({ width: columns, height: rows, data: levels }, block, light);
}

/**
 * One histogram of {@link BINS} levels per block, block after block, row by row.
 *
 * @param {GrayImage} image
 * @param {number} block
 * @param {number} columns
 * @returns {Float64Array}
 */
function blockHistograms(image, block, columns) {
  const rows = Math.ceil(image.height / block);
  const histograms = new Float64Array(columns * rows * BINS);
  for (let y = 0; y < image.height; y++) {
    const rowStart = Math.floor(y / block) * columns;
    for (let x = 0; x < image.width; x++) {
      const value = image.data[y * image.width + x];
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor(value * BINS)));
      histograms[(rowStart + Math.floor(x / block)) * BINS + bin]++;
    }
  }
  return histograms;
}

/**
 * Spreads one value per block over the pixels of `size`, bilinearly between block centres.
 *
 * @param {GrayImage} levels One value per block.
 * @param {number} block Block side in pixels.
 * @param {{ width: number, height: number }} size
 * @returns {GrayImage}
 */
function interpolateBlocks(levels, block, size) {
  const { width, height } = size;
  /** @param {number} at @param {number} count */
  const axis = (at, count) => {
    const position = Math.min(count - 1, Math.max(0, (at + 0.5) / block - 0.5));
    const low = Math.floor(position);
    return { low, high: Math.min(count - 1, low + 1), weight: position - low };
  };
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const v = axis(y, levels.height);
    for (let x = 0; x < width; x++) {
      const u = axis(x, levels.width);
      /** @param {number} row @param {number} column */
      const at = (row, column) => levels.data[row * levels.width + column];
      const top = at(v.low, u.low) * (1 - u.weight) + at(v.low, u.high) * u.weight;
      const bottom = at(v.high, u.low) * (1 - u.weight) + at(v.high, u.high) * u.weight;
      data[y * width + x] = top * (1 - v.weight) + bottom * v.weight;
    }
  }
  return { width, height, data };
}

/**
 * Makes an ink map (0 paper, growing with the ink's darkness) of a picture
 * with light paper by dividing each pixel by its paper's level: a shadow or
 * uneven light darkens paper and ink alike, so the ratio is what the ink
 * itself did.
 *
 * @example
 * ```ts
 * const ink = removeBackground(light); // values in [0, 1]
 * ```
 * @param {GrayImage} light
 * @param {GrayImage} [paper] The paper's level per pixel (default {@link estimatePaper}).
 * @returns {GrayImage}
 */
export function removeBackground(light, paper = estimatePaper(light)) {
  const data = new Float32Array(light.data.length);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.min(1, Math.max(0, 1 - light.data[i] / Math.max(paper.data[i], 1e-3)));
  }
  return { width: light.width, height: light.height, data };
}

/**
 * The threshold that best splits a histogram in two classes (Otsu, "A
 * threshold selection method from gray-level histograms", IEEE Trans. SMC,
 * 1979): the level that maximises the variance between the classes.
 *
 * @example
 * ```ts
 * otsuThreshold(new Float32Array([0.1, 0.1, 0.9, 0.9])); // between 0.1 and 0.9
 * ```
 * @param {ArrayLike<number>} values Levels in [0, 1].
 * @returns {number} A level in [0, 1]; values above it are the upper class.
 */
export function otsuThreshold(values) {
  const histogram = histogramOf(values);
  let total = 0, sum = 0;
  histogram.forEach((count, bin) => {
    total += count;
    sum += count * bin;
  });
  let best = 0, threshold = 0, lowCount = 0, lowSum = 0;
  for (let bin = 0; bin < BINS - 1; bin++) {
    lowCount += histogram[bin];
    lowSum += histogram[bin] * bin;
    const highCount = total - lowCount;
    if (lowCount === 0 || highCount === 0) continue;
    const gap = lowSum / lowCount - (sum - lowSum) / highCount;
    const between = lowCount * highCount * gap * gap;
    if (between > best) [best, threshold] = [between, (bin + 1) / BINS];
  }
  return threshold;
}

/**
 * Levels that separate and scale an ink map (see {@link chooseInkLevels}).
 *
 * @typedef {object} InkLevels
 * @property {number} threshold Ink above this is a stroke.
 * @property {number} floor Ink at or below this becomes 0.
 * @property {number} full Ink at or above this becomes 1.
 */

/**
 * Chooses from the picture itself where paper ends and ink begins: the Otsu
 * threshold, but never within six noise deviations of the paper (the noise
 * measured as the median absolute deviation, which the few ink pixels
 * cannot inflate), so that paper grain and JPEG noise are not strokes.
 * Full ink is the 95th percentile of the strokes; the threshold is then
 * raised to a quarter of the way from paper to full ink where Otsu's falls
 * lower, as it does when a thin pen line is a thousandth of the pixels. Returns null when the
 * strokes are hardly darker than the paper: the picture is blank.
 *
 * @example
 * ```ts
 * chooseInkLevels(ink); // { threshold: 0.42, floor: 0.09, full: 0.9 }
 * ```
 * @param {GrayImage} ink An ink map, 0 for paper.
 * @param {{ noiseLevel?: number }} [options] `noiseLevel`: fraction of full ink below which ink becomes 0 (default 0.1).
 * @returns {InkLevels | null}
 */
export function chooseInkLevels(ink, options = {}) {
  const histogram = histogramOf(ink.data);
  const median = percentileOf(histogram, 0.5);
  const deviation = 1.4826 *
    percentileOf(histogramOf(ink.data.map((v) => Math.abs(v - median))), 0.5);
  const threshold = Math.max(otsuThreshold(ink.data), median + 6 * deviation);
  const firstInkBin = Math.min(BINS - 1, Math.ceil(threshold * BINS));
  let strokes = 0;
  for (let bin = firstInkBin; bin < BINS; bin++) strokes += histogram[bin];
  const full = percentileOf(histogram, 0.95, firstInkBin);
  if (strokes === 0 || full - median < MIN_INK_CONTRAST) return null;
  const floor = Math.max((options.noiseLevel ?? 0.1) * full, median + 3 * deviation);
  return { threshold: Math.max(threshold, floor, median + 0.25 * (full - median)), floor, full };
}

/**
 * A binary picture: 1 marks a stroke pixel, row-major.
 *
 * @typedef {object} Mask
 * @property {number} width Pixels per row.
 * @property {number} height Rows.
 * @property {Uint8Array} data `width * height` zeros and ones.
 */

/**
 * Euclidean distance from every pixel to the nearest pixel where the mask
 * is 0 (0 there), in pixels, exact (Felzenszwalb and Huttenlocher,
 * "Distance transforms of sampled functions", Theory of Computing, 2012).
 * Pass the inverted mask for the distance to the nearest stroke.
 *
 * @example
 * ```ts
 * distanceTransform({ width: 3, height: 1, data: new Uint8Array([1, 1, 1]) }); // no 0: all Infinity
 * distanceTransform({ width: 3, height: 1, data: new Uint8Array([0, 1, 1]) }); // [0, 1, 2]
 * ```
 * @param {Mask} mask
 * @returns {Float64Array}
 */
export function distanceTransform(mask) {
  const { width, height, data } = mask;
  const far = 1e20;
  const squared = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) squared[i] = data[i] ? far : 0;
  const longest = Math.max(width, height);
  const line = new Float64Array(longest);
  const out = new Float64Array(longest);
  const work = { parabolas: new Int32Array(longest), bounds: new Float64Array(longest + 1) };
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = squared[y * width + x];
    lowerEnvelope(line, height, out, work);
    for (let y = 0; y < height; y++) squared[y * width + x] = out[y];
  }
  for (let y = 0; y < height; y++) {
    line.set(squared.subarray(y * width, (y + 1) * width));
    lowerEnvelope(line, width, out, work);
    squared.set(out.subarray(0, width), y * width);
  }
  for (let i = 0; i < squared.length; i++) {
    squared[i] = squared[i] >= far ? Infinity : Math.sqrt(squared[i]);
  }
  return squared;
}

/**
 * One-dimensional squared distance transform: `out[q]` = min over p of
 * `(q - p)^2 + f[p]`, by the lower envelope of parabolas.
 *
 * @param {Float64Array} f
 * @param {number} n
 * @param {Float64Array} out
 * @param {{ parabolas: Int32Array, bounds: Float64Array }} work
 */
function lowerEnvelope(f, n, out, work) {
  const { parabolas: v, bounds: z } = work;
  /** @param {number} q @param {number} p */
  const meet = (q, p) => (f[q] + q * q - (f[p] + p * p)) / (2 * q - 2 * p);
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = meet(q, v[k]);
    while (s <= z[k]) s = meet(q, v[--k]);
    v[++k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    out[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

/**
 * Size and place of a connected component of a mask.
 *
 * @typedef {object} Component
 * @property {number} label Its number in the label map, from 1.
 * @property {number} area Pixels.
 * @property {number} left First column.
 * @property {number} top First row.
 * @property {number} right Last column.
 * @property {number} bottom Last row.
 */

/**
 * Labels the 8-connected components of a mask: a label map (0 off the
 * mask, then 1, 2, ... in the order they are met, row by row) and each
 * component's area and bounds.
 *
 * @example
 * ```ts
 * const { components } = labelComponents({ width: 3, height: 1, data: new Uint8Array([1, 0, 1]) });
 * components.length; // 2
 * ```
 * @param {Mask} mask
 * @returns {{ labels: Int32Array, components: Component[] }}
 */
export function labelComponents(mask) {
  const { width, height, data } = mask;
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  /** @type {Component[]} */
  const components = [];
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || labels[start]) continue;
    const label = components.length + 1;
    const x0 = start % width, y0 = (start - x0) / width;
    const component = { label, area: 0, left: x0, top: y0, right: x0, bottom: y0 };
    let size = 0;
    stack[size++] = start;
    labels[start] = label;
    while (size > 0) {
      const at = stack[--size];
      const x = at % width, y = (at - x) / width;
      component.area++;
      component.left = Math.min(component.left, x);
      component.right = Math.max(component.right, x);
      component.bottom = Math.max(component.bottom, y);
      for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) {
        for (let u = Math.max(0, x - 1); u <= Math.min(width - 1, x + 1); u++) {
          const next = v * width + u;
          if (data[next] && !labels[next]) {
            labels[next] = label;
            stack[size++] = next;
          }
        }
      }
    }
    components.push(component);
  }
  return { labels, components };
}

/**
 * A straight line across the picture, as {@link findRuledLines} finds it.
 *
 * @typedef {object} RuledLine
 * @property {number} intercept Row of its middle at column 0, in pixels.
 * @property {number} slope Rows per column.
 * @property {number} thickness Rows it covers.
 * @property {number} left First column.
 * @property {number} right Last column.
 */

/**
 * Finds the ruled lines of lined paper in a stroke mask: horizontal (or
 * slightly tilted) strokes that cross at least 85% of the picture's width
 * and are at most a fortieth of it thick (3 pixels at least). A digit's own
 * bar seldom crosses the whole picture; one that does, in a picture cropped
 * to the digit, would be taken for a line.
 *
 * @example
 * ```ts
 * const [line] = findRuledLines(mask); // { intercept: 212.4, slope: 0.004, thickness: 3, left: 0, right: 499 }
 * ```
 * @param {Mask} mask
 * @returns {RuledLine[]}
 */
export function findRuledLines(mask) {
  const { width, height } = mask;
  const long = findLongRuns(mask, Math.ceil(width / 4));
  // A thin tilted line breaks into steps once thresholded; growing the runs
  // by a pixel joins the steps into one piece.
  const grown = new Uint8Array(width * height);
  long.forEach((on, i) => {
    if (!on) return;
    const x = i % width, y = (i - x) / width;
    for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) {
      grown.fill(1, v * width + Math.max(0, x - 1), v * width + Math.min(width, x + 2));
    }
  });
  const { labels, components } = labelComponents({ width, height, data: grown });
  labels.forEach((_, i) => labels[i] = long[i] ? labels[i] : 0);
  return components
    .filter((component) => component.right - component.left + 1 >= 0.85 * width)
    .map((component) => fitRuledLine(labels, component, width))
    .filter((line) => line.thickness <= Math.max(3, width / 40));
}

/**
 * Marks the stroke pixels that lie in long horizontal runs. A line a pixel
 * thick that falls between two rows is faint in both and breaks up once
 * thresholded, so runs are measured on two rows at once and may skip gaps
 * of two pixels.
 *
 * @param {Mask} mask
 * @param {number} minimumRun Pixels.
 * @returns {Uint8Array}
 */
function findLongRuns(mask, minimumRun) {
  const { width, height, data } = mask;
  const long = new Uint8Array(width * height);
  /** @param {number} y @param {number} x */
  const on = (y, x) => data[y * width + x] || (y + 1 < height && data[(y + 1) * width + x]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width;) {
      if (!on(y, x)) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < width && (on(y, end) || on(y, end + 1) || on(y, end + 2))) end++;
      if (end - x >= minimumRun) {
        for (let u = x; u < end; u++) {
          long[y * width + u] ||= data[y * width + u];
          if (y + 1 < height) long[(y + 1) * width + u] ||= data[(y + 1) * width + u];
        }
      }
      x = end;
    }
  }
  return long;
}

/**
 * Fits a straight line through the middle of a long component's columns,
 * leaving out the columns where a stroke of the digit joins it.
 *
 * @param {Int32Array} labels
 * @param {Component} component
 * @param {number} width
 * @returns {RuledLine}
 */
function fitRuledLine(labels, component, width) {
  const { left, right, top, bottom, label } = component;
  const counts = new Float64Array(right - left + 1);
  const sums = new Float64Array(right - left + 1);
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      if (labels[y * width + x] !== label) continue;
      counts[x - left]++;
      sums[x - left] += y;
    }
  }
  const thickness = [...counts].filter((count) => count > 0).sort((a, b) => a - b)[
    Math.floor(counts.filter((count) => count > 0).length / 2)
  ];
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  counts.forEach((count, i) => {
    if (count === 0 || count > thickness + 1) return;
    const [x, y] = [left + i, sums[i] / count];
    n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
  });
  const slope = n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
  return { intercept: (sy - slope * sx) / n, slope, thickness, left, right };
}

/**
 * Removes ruled lines from a stroke mask and its ink map, in place. Where a
 * stroke of the digit crosses a line (ink on both sides of it), the gap is
 * bridged with the fainter of the two sides instead, so the digit is not cut.
 *
 * @example
 * ```ts
 * eraseRuledLines(mask, ink, findRuledLines(mask));
 * ```
 * @param {Mask} mask
 * @param {GrayImage} ink Same size as the mask.
 * @param {RuledLine[]} lines
 */
export function eraseRuledLines(mask, ink, lines) {
  const { width, height } = mask;
  for (const line of lines) {
    const half = line.thickness / 2 + 1;
    for (let x = line.left; x <= line.right; x++) {
      const middle = line.intercept + line.slope * x;
      const low = Math.max(0, Math.ceil(middle - half));
      const high = Math.min(height - 1, Math.floor(middle + half));
      const [above, below] = [(low - 1) * width + x, (high + 1) * width + x];
      const crossed = low > 0 && high < height - 1 && mask.data[above] && mask.data[below];
      const bridge = crossed ? Math.min(ink.data[above], ink.data[below]) : 0;
      for (let y = low; y <= high; y++) {
        mask.data[y * width + x] = crossed ? 1 : 0;
        ink.data[y * width + x] = bridge;
      }
    }
  }
}

/**
 * Keeps the digit's own strokes and drops what is not the digit. Strokes
 * closer than a 150th of the picture's longer side count as one piece, so a
 * broken pen line stays whole. The digit's main piece is the largest, a
 * piece touching the picture's border counting a quarter of its area (marks
 * at the border are seldom the digit); it must be at least a twentieth of
 * the picture's longer side (and 3 pixels) across. The other pieces are kept
 * when they lie in the digit's box and are a twentieth of its size, or lie
 * near it and are a quarter of its size (the detached bar of a 5), and do
 * not touch the border unless half its size. Returns null when no piece
 * looks like a digit.
 *
 * @example
 * ```ts
 * const digit = selectDigitStrokes(mask); // specks and border marks gone, or null
 * ```
 * @param {Mask} mask
 * @returns {Mask | null}
 */
export function selectDigitStrokes(mask) {
  const { width, height } = mask;
  const longer = Math.max(width, height);
  const join = Math.max(1, longer / 150);
  const near = distanceTransform(invertMask(mask));
  const grown = maskOf(near, (distance) => distance <= join);
  const { labels, components } = labelComponents({ width, height, data: grown });
  /** @param {Component} c */
  const touches = (c) =>
    c.left === 0 || c.top === 0 || c.right === width - 1 || c.bottom === height - 1;
  /** @param {Component} c */
  const weight = (c) => c.area * (touches(c) ? 0.25 : 1);
  const main = components.reduce((best, c) => weight(c) > weight(best) ? c : best, components[0]);
  if (main === undefined || extentOf(main) < Math.max(3, longer / 20)) return null;
  const box = { ...main };
  const kept = new Set([main.label]);
  for (const c of [...components].sort((a, b) => b.area - a.area)) {
    if (kept.has(c.label)) continue;
    const size = extentOf(box);
    const gap = Math.max(
      box.left - c.right,
      c.left - box.right,
      box.top - c.bottom,
      c.top - box.bottom,
      0,
    );
    const inside = gap === 0 && extentOf(c) >= 0.05 * size;
    const close = gap <= 0.3 * size && extentOf(c) >= 0.25 * size;
    if ((touches(c) && extentOf(c) < 0.5 * size) || !(inside || close)) continue;
    kept.add(c.label);
    Object.assign(box, {
      left: Math.min(box.left, c.left),
      top: Math.min(box.top, c.top),
      right: Math.max(box.right, c.right),
      bottom: Math.max(box.bottom, c.bottom),
    });
  }
  const data = maskOf(mask.data, (on, i) => on !== 0 && kept.has(labels[i]));
  return { width, height, data };
}

/**
 * A mask of `values`: 1 where `test` holds, else 0. A plain loop: on
 * pictures of 100,000 pixels, `Uint8Array.from(values, map)` took most of a
 * digit's preprocessing, as it walks a typed array through its iterator.
 *
 * @param {ArrayLike<number>} values
 * @param {(value: number, index: number) => boolean} test
 * @returns {Uint8Array}
 */
function maskOf(values, test) {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = test(values[i], i) ? 1 : 0;
  return out;
}

/**
 * The longer side of a component's bounding box, in pixels.
 *
 * @param {{ left: number, top: number, right: number, bottom: number }} box
 * @returns {number}
 */
function extentOf(box) {
  return Math.max(box.right - box.left + 1, box.bottom - box.top + 1);
}

/**
 * @param {Mask} mask
 * @returns {Mask}
 */
function invertMask(mask) {
  return { width: mask.width, height: mask.height, data: mask.data.map((on) => 1 - on) };
}

/**
 * Estimates the width of a mask's strokes, in pixels: twice the median
 * distance to the paper along the strokes' middle lines (the pixels whose
 * distance is at least their eight neighbours'), less half a pixel, so
 * that a bar 1, 3 or 5 pixels thick measures 1.5, 3.5 or 5.5. Returns 0 for
 * an empty mask.
 *
 * @example
 * ```ts
 * estimateStrokeWidth(mask); // 3.5
 * ```
 * @param {Mask} mask
 * @returns {number}
 */
export function estimateStrokeWidth(mask) {
  const { width, height, data } = mask;
  const inside = distanceTransform(mask);
  /** @param {number} x @param {number} y */
  const at = (x, y) => x < 0 || y < 0 || x >= width || y >= height ? 0 : inside[y * width + x];
  const ridge = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!data[y * width + x]) continue;
      const d = at(x, y);
      let highest = true;
      for (let v = y - 1; v <= y + 1 && highest; v++) {
        for (let u = x - 1; u <= x + 1; u++) highest &&= d >= at(u, v);
      }
      if (highest) ridge.push(d);
    }
  }
  if (ridge.length === 0) return 0;
  ridge.sort((a, b) => a - b);
  return 2 * ridge[Math.floor(ridge.length / 2)] - 0.5;
}

/**
 * Options of {@link normaliseStrokeWidth}.
 *
 * @typedef {object} StrokeWidthOptions
 * @property {number} [strokeRatio] Stroke width wanted, as a fraction of the digit's longer side (default {@link MNIST_STROKE_RATIO}).
 */

/**
 * Brings a digit's strokes near MNIST's width for its size: strokes thinner
 * than 60% of it (a ballpoint pen, a thin brush) are grown, with a soft
 * edge, to the wanted width; strokes wider than 220% of it (a marker) are
 * shrunk, by at most a quarter of their width on each side, so that no
 * thin joint disappears. Others are left as they are, so a digit drawn like
 * MNIST's is not touched: both limits lie outside the 1st to 99th
 * percentiles of MNIST's own widths (see {@link MNIST_STROKE_RATIO}).
 *
 * @example
 * ```ts
 * const thick = normaliseStrokeWidth(ink, strokes); // same size as ink
 * ```
 * @param {GrayImage} ink The digit's ink map, 0 to 1.
 * @param {Mask} strokes Its strokes, same size.
 * @param {StrokeWidthOptions} [options]
 * @returns {GrayImage}
 */
export function normaliseStrokeWidth(ink, strokes, options = {}) {
  const bounds = findInkBounds({ ...strokes, data: Float32Array.from(strokes.data) });
  if (bounds === null) return ink;
  const target = (options.strokeRatio ?? MNIST_STROKE_RATIO) *
    Math.max(bounds.width, bounds.height);
  const found = estimateStrokeWidth(strokes);
  const data = new Float32Array(ink.data);
  if (found < 0.6 * target) {
    const radius = (target - found) / 2;
    const outside = distanceTransform(invertMask(strokes));
    for (let i = 0; i < data.length; i++) {
      data[i] = Math.max(data[i], Math.min(1, Math.max(0, radius + 0.5 - outside[i])));
    }
  } else if (found > 2.2 * target) {
    const radius = Math.min((found - target) / 2, found / 4);
    const inside = distanceTransform(strokes);
    for (let i = 0; i < data.length; i++) data[i] *= Math.min(1, Math.max(0, inside[i] - radius));
  }
  return { width: ink.width, height: ink.height, data };
}

/**
 * The ink map scaled by chosen levels: `floor` and below 0, `full` and above 1.
 *
 * @param {GrayImage} ink
 * @param {InkLevels} levels
 * @returns {GrayImage}
 */
function stretchInk(ink, levels) {
  const range = levels.full - levels.floor;
  const data = ink.data.map((value) => Math.min(1, Math.max(0, (value - levels.floor) / range)));
  return { width: ink.width, height: ink.height, data };
}

/**
 * The digit's ink: its strokes and the fainter ink joined to them (their
 * antialiased edges, which a threshold cuts off), found by flooding out from
 * the strokes through every pixel with any ink (hysteresis, as in Canny's
 * edge detector) up to a 40th of the picture away from them; everything
 * else is paper. Cropped to it, with room for
 * growing the strokes.
 *
 * @param {GrayImage} ink Stretched ink map, 0 for paper.
 * @param {Mask} strokes
 * @returns {{ ink: GrayImage, strokes: Mask }}
 */
function cutOutDigit(ink, strokes) {
  const { width, height } = ink;
  const data = new Float32Array(width * height);
  const stack = new Int32Array(width * height);
  let size = 0;
  strokes.data.forEach((on, i) => {
    if (on) [stack[size++], data[i]] = [i, Math.max(ink.data[i], 1e-6)];
  });
  // Edges are near their strokes; farther faint ink is something else.
  const reach = Math.max(2, Math.max(width, height) / 40);
  const near = distanceTransform(invertMask(strokes));
  while (size > 0) {
    const at = stack[--size];
    const x = at % width, y = (at - x) / width;
    for (let v = Math.max(0, y - 1); v <= Math.min(height - 1, y + 1); v++) {
      for (let u = Math.max(0, x - 1); u <= Math.min(width - 1, x + 1); u++) {
        const next = v * width + u;
        if (data[next] === 0 && ink.data[next] > 0 && near[next] <= reach) {
          [stack[size++], data[next]] = [next, ink.data[next]];
        }
      }
    }
  }
  const box = /** @type {PixelBounds} */ (findInkBounds({ width, height, data }, { threshold: 0 }));
  const margin = Math.ceil(MNIST_STROKE_RATIO * Math.max(box.width, box.height)) + 2;
  const left = Math.max(0, box.left - margin), top = Math.max(0, box.top - margin);
  const bounds = {
    left,
    top,
    width: Math.min(width, box.left + box.width + margin) - left,
    height: Math.min(height, box.top + box.height + margin) - top,
  };
  const mask = cropImage({ width, height, data: Float32Array.from(strokes.data) }, bounds);
  return {
    ink: cropImage({ width, height, data }, bounds),
    strokes: { width: mask.width, height: mask.height, data: Uint8Array.from(mask.data) },
  };
}

/**
 * A picture cleaned down to its strokes (see {@link findInkStrokes}).
 *
 * @typedef {object} InkStrokes
 * @property {GrayImage} ink Ink map stretched so that paper is 0 and full ink 1, at the working size.
 * @property {Mask} mask Its strokes: ink above the threshold chosen from the picture, ruled lines erased.
 * @property {number} lines Ruled lines erased.
 * @property {number} scale Working size over picture size (1 when the picture was not shrunk).
 * @property {string} picture How error messages name the picture: `'name': the WxH picture`.
 */

/**
 * The cleaning steps before a digit is picked out, shared by
 * {@link preprocessDigit} and the number reader: grayscale; shrink to
 * {@link WORK_SIZE}; paper made light; background divided out
 * ({@link removeBackground}); ink told from paper by a threshold chosen
 * from the picture ({@link chooseInkLevels}); ruled lines erased
 * ({@link findRuledLines}). Throws a {@link BlankImageError} (a
 * RangeError) when the picture holds no ink.
 *
 * @example
 * ```ts
 * const { ink, mask } = findInkStrokes({ width, height, channels: 4, data: rgba });
 * ```
 * @param {RasterImage} image
 * @param {PreprocessOptions} [options]
 * @returns {InkStrokes}
 */
export function findInkStrokes(image, options = {}) {
  const picture = `'${options.name ?? "image"}': the ${image.width}x${image.height} picture`;
  const ink = removeBackground(orientPaperLight(shrinkToWorkSize(toGrayscale(image))));
  const levels = chooseInkLevels(ink, { noiseLevel: options.noiseLevel });
  if (levels === null) {
    throw new BlankImageError(
      `Cannot preprocess digit in ${picture} has no ink, expected a dark digit on light paper or a light digit on dark`,
    );
  }
  const mask = {
    width: ink.width,
    height: ink.height,
    data: maskOf(ink.data, (value) => value > levels.threshold),
  };
  const stretched = stretchInk(ink, levels);
  // A faint ruled line (blue or pencil) can lie below the threshold yet join
  // the digit's faint edges, so lines are looked for at half the threshold.
  const faint = Math.max(levels.floor, levels.threshold / 2);
  const lines = findRuledLines({
    ...mask,
    data: maskOf(ink.data, (v) => v > faint),
  });
  eraseRuledLines(mask, stretched, lines);
  const scale = ink.width / image.width;
  return { ink: stretched, mask, lines: lines.length, scale, picture };
}

/**
 * Makes one digit's strokes into an MNIST input, as MNIST was made: its ink
 * cut out around the strokes, stroke width brought near MNIST's
 * ({@link normaliseStrokeWidth}), cropped to the ink, fitted in 20x20 and
 * centred in 28x28 by centre of mass. Returns 784 values in [0, 1],
 * row-major. Throws a {@link BlankImageError} when no ink is above
 * `options.inkThreshold`.
 *
 * @example
 * ```ts
 * const found = findInkStrokes(image);
 * const pixels = digitToMnist(found, selectDigitStrokes(found.mask)); // Float32Array(784)
 * ```
 * @param {InkStrokes} found The cleaned picture.
 * @param {Mask} strokes The digit's strokes in it, same size (must hold some).
 * @param {PreprocessOptions} [options]
 * @returns {Float32Array}
 */
export function digitToMnist(found, strokes, options = {}) {
  const digit = cutOutDigit(found.ink, strokes);
  const normal = normaliseStrokeWidth(digit.ink, digit.strokes);
  const bounds = findInkBounds(normal, { threshold: options.inkThreshold });
  if (bounds === null) {
    throw new BlankImageError(
      `Cannot preprocess digit in ${found.picture} has no ink above the threshold`,
    );
  }
  return placeByCentreOfMass(fitInBox(cropImage(normal, bounds)));
}

/**
 * Runs every step: the cleaning of {@link findInkStrokes}; only the digit's
 * strokes kept ({@link selectDigitStrokes}); then {@link digitToMnist}:
 * stroke width brought near MNIST's and, as MNIST was made, crop to the
 * ink, fit in 20x20 and centre in 28x28 by centre of mass. Returns 784
 * values in [0, 1], row-major, ready for the models. Throws a
 * {@link BlankImageError} (a RangeError) when the picture holds no ink, and
 * a {@link NoDigitError} (a BlankImageError) when its marks are all too
 * small or not digit-like.
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
  const found = findInkStrokes(image, options);
  const strokes = selectDigitStrokes(found.mask);
  if (strokes === null) {
    const erased = found.lines > 0 ? ` besides ${found.lines} ruled line(s)` : "";
    throw new NoDigitError(
      `Cannot preprocess digit in ${found.picture} has only specks or marks at its border${erased}, expected a digit at least a twentieth of the picture across`,
    );
  }
  return digitToMnist(found, strokes, options);
}
