import assert from "node:assert/strict";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { type LabelledImages, selectImages } from "../../lib/data/mod.ts";

Deno.test("selectImages moves each image with its label", () => {
  const set: LabelledImages = {
    pixels: Float32Array.from({ length: 3 * IMAGE_PIXELS }, (_, i) => Math.floor(i / IMAGE_PIXELS)),
    labels: Uint8Array.of(7, 8, 9),
    count: 3,
  };
  const reordered = selectImages(set, Uint32Array.of(2, 0, 1));
  assert.equal(reordered.count, 3);
  assert.deepEqual(reordered.labels, Uint8Array.of(9, 7, 8));
  const firstPixels = [0, 1, 2].map((i) => reordered.pixels[i * IMAGE_PIXELS]);
  assert.deepEqual(firstPixels, [2, 0, 1]);
  assert.ok(reordered.pixels.subarray(0, IMAGE_PIXELS).every((value) => value === 2));
  // A subset of indices gives a smaller set.
  assert.deepEqual(selectImages(set, Uint32Array.of(1)).labels, Uint8Array.of(8));
});

Deno.test("selectImages writes into a given array, reused, and refuses one too small", () => {
  const set: LabelledImages = {
    pixels: Float32Array.from({ length: 3 * IMAGE_PIXELS }, (_, i) => Math.floor(i / IMAGE_PIXELS)),
    labels: Uint8Array.of(7, 8, 9),
    count: 3,
  };
  const into = new Float32Array(4 * IMAGE_PIXELS).fill(-1);
  const first = selectImages(set, [2, 0], { into });
  assert.equal(first.pixels.buffer, into.buffer);
  assert.equal(first.pixels.length, 2 * IMAGE_PIXELS);
  assert.deepEqual(first.pixels, selectImages(set, [2, 0]).pixels);
  // The next epoch's order overwrites the same floats.
  const second = selectImages(set, [1, 2], { into });
  assert.deepEqual(second.pixels, selectImages(set, [1, 2]).pixels);
  assert.deepEqual(second.labels, Uint8Array.of(8, 9));
  assert.throws(() => selectImages(set, [0, 1, 2], { into: new Float32Array(IMAGE_PIXELS) }), {
    name: "RangeError",
    message: /has 784 floats, expected at least 2352 for 3 images/,
  });
});
