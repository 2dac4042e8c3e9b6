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
