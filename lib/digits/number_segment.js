// @ts-check
/**
 * Cuts a picture of several handwritten digits written in a row (a year, a
 * house number) into one MNIST-style input per digit, left to right. The
 * picture is cleaned as a single digit is ({@link findInkStrokes}); the ink
 * is split into connected pieces; pieces that overlap horizontally are one
 * digit (the detached bar of a 5, a broken stroke); specks, marks at the
 * border and underlines are dropped; and each digit is made into 28x28 the
 * way MNIST was ({@link digitToMnist}).
 *
 * Plain JavaScript typed with JSDoc, like `digit_preprocess.js` and for the
 * same reason: the draw-a-digit page loads this very file, so the page and
 * `deno task predict --number` cut numbers the same way. Segmenting by
 * connected components and their horizontal overlap is the classic first
 * step of reading handwritten numbers (Casey and Lecolinet, "A survey of
 * methods and strategies in character segmentation", IEEE PAMI 1996, section
 * 3); no npm package does it on this project's ink maps, so it is written
 * here on the components `digit_preprocess.js` already finds.
 *
 * @module
 */
import {
  cropImage,
  digitToMnist,
  distanceTransform,
  findInkBounds,
  findInkStrokes,
  labelComponents,
  NoDigitError,
} from "./digit_preprocess.js";

/** @typedef {import("./digit_preprocess.js").Mask} Mask */
/** @typedef {import("./digit_preprocess.js").RasterImage} RasterImage */
/** @typedef {import("./digit_preprocess.js").PixelBounds} PixelBounds */
/** @typedef {import("./digit_preprocess.js").PreprocessOptions} PreprocessOptions */
/** @typedef {import("./digit_preprocess.js").Component} Component */

/**
 * One digit of a number: its MNIST input and where it is in the picture.
 *
 * @typedef {object} NumberDigit
 * @property {Float32Array} pixels 784 values in [0, 1], row-major, as {@link digitToMnist} makes them.
 * @property {PixelBounds} bounds The digit's strokes' box, in the picture's own pixels.
 */

/**
 * A group of pieces that make one digit.
 *
 * @typedef {{ left: number, top: number, right: number, bottom: number, labels: number[] }} DigitGroup
 */

/**
 * Shortest height a digit may have, as a fraction of the picture's longer
 * side: ten digits with margins in a picture cropped to them stay above it.
 */
const MIN_DIGIT_HEIGHT = 1 / 50;

/**
 * Finds the digits of a number written in a row in a stroke mask, left to
 * right, each as a mask of its own strokes (same size as `mask`). Strokes a
 * pixel apart count as one piece; wider gaps are left open, since the
 * digits of a number are often closer than the parts of one digit. The
 * digits' height H is that of the tallest piece not touching the border.
 * Pieces at least half of H high are digits, or parts of one: those whose
 * columns overlap by half of the narrower one's width are one digit (an
 * open 4). Lower pieces are the rest of a digit (the bar of a 5, a stroke
 * broken off) and join the digit whose columns they overlap most, or the
 * nearest within a quarter of H; they are dropped when they are under a
 * quarter of H across (specks), touch the border, or are wider than 1.5 H
 * and four times as wide as high (underlines). Returns none when the
 * tallest piece is under a fiftieth of the picture's longer side (or 3
 * pixels). Touching digits stay one piece: this does not cut them apart.
 *
 * @example
 * ```ts
 * const digits = selectNumberDigits(findInkStrokes(photo).mask);
 * digits.length; // 4 for a picture of "1984"
 * ```
 * @param {Mask} mask
 * @returns {Mask[]}
 */
export function selectNumberDigits(mask) {
  const { width, height } = mask;
  const { labels, components } = labelComponents(growByOnePixel(mask));
  /** @param {Component} c */
  const touches = (c) =>
    c.left === 0 || c.top === 0 || c.right === width - 1 || c.bottom === height - 1;
  /** @param {Component} c */
  const tall = (c) => c.bottom - c.top + 1;
  const inside = components.filter((c) => !touches(c));
  const digitHeight = Math.max(0, ...(inside.length > 0 ? inside : components).map(tall));
  if (digitHeight < Math.max(3, Math.max(width, height) * MIN_DIGIT_HEIGHT)) return [];
  const bodies = components.filter((c) => tall(c) >= 0.5 * digitHeight);
  const groups = mergeOverlapping(bodies.map(toGroup));
  for (const c of components) {
    const wide = c.right - c.left + 1;
    const speck = Math.max(wide, tall(c)) < 0.25 * digitHeight;
    const underline = wide > 1.5 * digitHeight && wide > 4 * tall(c);
    if (tall(c) >= 0.5 * digitHeight || speck || underline || touches(c)) continue;
    const index = findOwner(groups, toGroup(c), digitHeight);
    if (index >= 0) groups[index] = joinGroups(groups[index], toGroup(c));
  }
  const groupOf = new Int32Array(components.length + 1).fill(-1);
  groups.forEach((group, k) => group.labels.forEach((label) => groupOf[label] = k));
  const masks = groups.map(() => ({ width, height, data: new Uint8Array(width * height) }));
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i] && groupOf[labels[i]] >= 0) masks[groupOf[labels[i]]].data[i] = 1;
  }
  return masks;
}

/**
 * The mask with every pixel next to a stroke (above, below, left or right) added.
 *
 * @param {Mask} mask
 * @returns {Mask}
 */
function growByOnePixel(mask) {
  const { width, height, data } = mask;
  const grown = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      grown[i] = data[i] || (x > 0 && data[i - 1]) || (x + 1 < width && data[i + 1]) ||
          (y > 0 && data[i - width]) || (y + 1 < height && data[i + width])
        ? 1
        : 0;
    }
  }
  return { width, height, data: grown };
}

/**
 * @param {Component} component
 * @returns {DigitGroup}
 */
function toGroup({ left, top, right, bottom, label }) {
  return { left, top, right, bottom, labels: [label] };
}

/**
 * Groups pieces whose columns overlap by at least half the narrower one's
 * width, until no two groups do; returns the groups left to right.
 *
 * @param {DigitGroup[]} groups
 * @returns {DigitGroup[]}
 */
function mergeOverlapping(groups) {
  for (let merged = true; merged;) {
    merged = false;
    groups.sort((a, b) => a.left - b.left);
    for (let i = 0; i + 1 < groups.length && !merged; i++) {
      const [a, b] = [groups[i], groups[i + 1]];
      const overlap = Math.min(a.right, b.right) - b.left + 1;
      const narrower = Math.min(a.right - a.left + 1, b.right - b.left + 1);
      if (overlap < 0.5 * narrower) continue;
      groups.splice(i, 2, joinGroups(a, b));
      merged = true;
    }
  }
  return groups;
}

/**
 * The index of the digit a low piece belongs to: the one whose columns it
 * overlaps most, else the nearest within a quarter of `digitHeight`, else -1.
 *
 * @param {DigitGroup[]} groups
 * @param {DigitGroup} piece
 * @param {number} digitHeight Pixels.
 * @returns {number}
 */
function findOwner(groups, piece, digitHeight) {
  /** @param {DigitGroup} g */
  const overlap = (g) => Math.min(g.right, piece.right) - Math.max(g.left, piece.left) + 1;
  /** @param {DigitGroup} g */
  const gap = (g) =>
    Math.max(
      g.left - piece.right,
      piece.left - g.right,
      g.top - piece.bottom,
      piece.top - g.bottom,
      0,
    );
  let best = -1;
  groups.forEach((g, i) => {
    if (overlap(g) > 0 && (best < 0 || overlap(g) > overlap(groups[best]))) best = i;
  });
  if (best >= 0) return best;
  groups.forEach((g, i) => {
    if (gap(g) <= 0.25 * digitHeight && (best < 0 || gap(g) < gap(groups[best]))) best = i;
  });
  return best;
}

/**
 * @param {DigitGroup} a
 * @param {DigitGroup} b
 * @returns {DigitGroup}
 */
function joinGroups(a, b) {
  return {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
    labels: [...a.labels, ...b.labels],
  };
}

/**
 * Reads the digits of a number written in a row: cleans the picture as
 * {@link preprocessDigit} does ({@link findInkStrokes}), finds the digits
 * ({@link selectNumberDigits}), and makes each into 28x28 the MNIST way
 * ({@link digitToMnist}), left to right. Each digit gets only the ink
 * nearer its own strokes than any other strokes, so the faint edge of a
 * close neighbour is not taken into its box. Throws a
 * {@link BlankImageError} (a RangeError) when the picture holds no ink,
 * and a {@link NoDigitError} when no mark is digit-like.
 *
 * @example
 * ```ts
 * const digits = segmentNumber({ width, height, channels: 3, data: rgb }, { name: "year.png" });
 * digits.map((digit) => digit.bounds.left); // increasing
 * ```
 * @param {RasterImage} image
 * @param {PreprocessOptions} [options]
 * @returns {NumberDigit[]}
 */
export function segmentNumber(image, options = {}) {
  const found = findInkStrokes(image, options);
  const digits = selectNumberDigits(found.mask);
  if (digits.length === 0) {
    const erased = found.lines > 0 ? ` besides ${found.lines} ruled line(s)` : "";
    throw new NoDigitError(
      `Cannot read number in ${found.picture} has only specks or marks at its border${erased}, expected digits at least a fiftieth of the picture high`,
    );
  }
  return digits.map((strokes) => {
    const region = regionAround(strokes);
    const own = cropMask(strokes, region);
    const others = cropMask(
      { ...strokes, data: found.mask.data.map((on, i) => on && !strokes.data[i] ? 1 : 0) },
      region,
    );
    const ink = cropImage(found.ink, region);
    const [toOwn, toOthers] = [own, others].map((m) =>
      distanceTransform({ ...m, data: m.data.map((on) => 1 - on) })
    );
    ink.data.forEach((_, i) => {
      if (toOthers[i] < toOwn[i]) ink.data[i] = 0;
    });
    const pixels = digitToMnist({ ...found, ink }, own, options);
    return { pixels, bounds: boundsInPicture(strokes, found.scale) };
  });
}

/**
 * The part of the picture a digit's ink can reach: its strokes' box grown
 * by half its longer side, within the picture. Working there, not on the
 * whole row, keeps the cost of a number near that of its digits.
 *
 * @param {Mask} strokes
 * @returns {PixelBounds}
 */
function regionAround(strokes) {
  const box = /** @type {PixelBounds} */ (findInkBounds(
    { ...strokes, data: Float32Array.from(strokes.data) },
    { threshold: 0 },
  ));
  const margin = Math.ceil(Math.max(box.width, box.height) / 2);
  const left = Math.max(0, box.left - margin), top = Math.max(0, box.top - margin);
  return {
    left,
    top,
    width: Math.min(strokes.width, box.left + box.width + margin) - left,
    height: Math.min(strokes.height, box.top + box.height + margin) - top,
  };
}

/**
 * @param {Mask} mask
 * @param {PixelBounds} region
 * @returns {Mask}
 */
function cropMask(mask, region) {
  const cropped = cropImage({ ...mask, data: Float32Array.from(mask.data) }, region);
  return { width: region.width, height: region.height, data: Uint8Array.from(cropped.data) };
}

/**
 * A mask's strokes' box, scaled from the working size back to the picture's pixels.
 *
 * @param {Mask} strokes
 * @param {number} scale Working size over picture size.
 * @returns {PixelBounds}
 */
function boundsInPicture(strokes, scale) {
  let [left, top, right, bottom] = [strokes.width, strokes.height, -1, -1];
  strokes.data.forEach((on, i) => {
    if (!on) return;
    const x = i % strokes.width, y = (i - x) / strokes.width;
    [left, top] = [Math.min(left, x), Math.min(top, y)];
    [right, bottom] = [Math.max(right, x), Math.max(bottom, y)];
  });
  return {
    left: Math.floor(left / scale),
    top: Math.floor(top / scale),
    width: Math.ceil((right + 1) / scale) - Math.floor(left / scale),
    height: Math.ceil((bottom + 1) / scale) - Math.floor(top / scale),
  };
}
