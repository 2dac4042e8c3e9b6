import assert from "node:assert/strict";
import { decode } from "fast-png";
import { digitDataUrl, digitPixels, encodeDigitPng } from "../../lib/charts/digit_image.ts";
import { syntheticImages } from "../fixtures/chart_inputs.ts";

Deno.test("a digit's PNG keeps rows as rows and columns as columns, upscaled by repetition", () => {
  const pixels = new Float32Array(784);
  pixels[2 * 28 + 5] = 1; // row 2, column 5
  pixels[27 * 28 + 0] = 0.5; // bottom-left corner
  const png = decode(encodeDigitPng(pixels, { scale: 3, invert: false }));
  assert.equal(png.width, 84);
  assert.equal(png.height, 84);
  assert.equal(png.channels, 1);
  const at = (x: number, y: number) => png.data[y * 84 + x];
  for (let dy = 0; dy < 3; dy++) {
    for (let dx = 0; dx < 3; dx++) assert.equal(at(15 + dx, 6 + dy), 255);
  }
  assert.equal(at(6, 15), 0, "transposed: row and column swapped");
  assert.equal(at(0, 81), 128);
  assert.equal(at(83, 83), 0);
});

Deno.test("by default digits are dark ink on white paper", () => {
  const pixels = new Float32Array(784);
  pixels[0] = 1;
  const png = decode(encodeDigitPng(pixels));
  assert.equal(png.width, 28);
  assert.equal(png.data[0], 0);
  assert.equal(png.data[1], 255);
});

Deno.test("digitDataUrl wraps the PNG and digitPixels views one image", () => {
  const images = syntheticImages(3);
  const second = digitPixels(images, 1);
  assert.equal(second.length, 784);
  assert.equal(second.buffer, images.pixels.buffer);
  assert.equal(second.byteOffset, 784 * 4);
  const url = digitDataUrl(second);
  assert.match(url, /^data:image\/png;base64,iVBORw0KGgo/);
});

Deno.test("digit encoding rejects bad input", () => {
  assert.throws(() => encodeDigitPng(new Float32Array(100)), {
    name: "TypeError",
    message: "Cannot encode a digit image: got 100 pixels, expected a Float32Array of 784 pixels",
  });
  const bright = new Float32Array(784);
  bright[9] = 255;
  assert.throws(() => encodeDigitPng(bright), {
    name: "RangeError",
    message: "Cannot encode a digit image: pixel 9 is 255, expected a number from 0 to 1",
  });
  assert.throws(() => encodeDigitPng(new Float32Array(784), { scale: 1.5 }), {
    name: "RangeError",
    message: "Cannot encode a digit image: scale is 1.5, expected an integer from 1 to 32",
  });
  assert.throws(() => digitPixels(syntheticImages(3), 3), {
    name: "RangeError",
    message: "Cannot take a digit's pixels: index is 3, expected an integer from 0 to 2",
  });
});
