import assert from "node:assert/strict";
import { IMAGE_PIXELS, IMAGE_SIZE } from "../../lib/config.ts";
import {
  AUGMENT_PRESETS,
  augmentImages,
  checkAugmentSettings,
  describeAugmentSettings,
  isAugmenting,
  type LabelledImages,
} from "../../lib/data/mod.ts";
import { createRandom } from "../../lib/random.ts";

const NONE = AUGMENT_PRESETS.none;

/** `count` images, each a 3x3 block of ink at a different place, labelled by index % 10. */
function blockImages(count: number): LabelledImages {
  const pixels = new Float32Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) {
    const top = 8 + (i % 5);
    for (let y = top; y < top + 3; y++) {
      for (let x = 10; x < 13 + (i % 4); x++) pixels[i * IMAGE_PIXELS + y * IMAGE_SIZE + x] = 1;
    }
  }
  return { pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

function ink(images: LabelledImages, index: number): number {
  return images.pixels.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS)
    .reduce((sum, value) => sum + value, 0);
}

Deno.test("the same seed gives the same augmented images; another seed other ones", () => {
  const images = blockImages(20);
  const first = augmentImages(images, AUGMENT_PRESETS.standard, createRandom(7));
  const again = augmentImages(images, AUGMENT_PRESETS.standard, createRandom(7));
  const other = augmentImages(images, AUGMENT_PRESETS.standard, createRandom(8));
  assert.deepEqual(again.pixels, first.pixels);
  assert.notDeepEqual(other.pixels, first.pixels);
  assert.notDeepEqual(first.pixels, images.pixels);
});

Deno.test("augmentImages writes into a given array, as into a new one, and refuses one too small", () => {
  const images = blockImages(10);
  const into = new Float32Array(images.pixels.length).fill(0.5);
  const written = augmentImages(images, AUGMENT_PRESETS.standard, createRandom(3), { into });
  assert.equal(written.pixels.buffer, into.buffer);
  assert.deepEqual(
    written.pixels,
    augmentImages(images, AUGMENT_PRESETS.standard, createRandom(3)).pixels,
  );
  assert.throws(
    () =>
      augmentImages(images, AUGMENT_PRESETS.standard, createRandom(3), {
        into: new Float32Array(IMAGE_PIXELS),
      }),
    { name: "RangeError", message: /has 784 floats, expected at least 7840 for 10 images/ },
  );
});

Deno.test("augmentation keeps labels and count, leaves its input alone, stays in [0, 1]", () => {
  const images = blockImages(30);
  const before = images.pixels.slice();
  const augmented = augmentImages(images, AUGMENT_PRESETS.strong, createRandom(1));
  assert.equal(augmented.count, images.count);
  assert.deepEqual(augmented.labels, images.labels);
  assert.deepEqual(images.pixels, before);
  assert.ok(augmented.pixels.every((value) => value >= 0 && value <= 1 + 1e-6));
});

Deno.test("a shift moves every pixel by the drawn whole number of pixels, label unchanged", () => {
  const images = blockImages(1);
  // A draw of 0.75 is a shift of +0.5 of the range on each axis: 1 pixel right and 1 down.
  const shifted = augmentImages(images, { ...NONE, shift: 2 }, () => 0.75);
  for (let y = 1; y < IMAGE_SIZE; y++) {
    for (let x = 1; x < IMAGE_SIZE; x++) {
      const source = images.pixels[(y - 1) * IMAGE_SIZE + x - 1];
      assert.ok(Math.abs(shifted.pixels[y * IMAGE_SIZE + x] - source) < 1e-6, `at (${x}, ${y})`);
    }
  }
  assert.equal(shifted.labels[0], images.labels[0]);
  assert.equal(ink(shifted, 0), ink(images, 0));
});

Deno.test("a rotation of 90 degrees turns the image a quarter about its centre", () => {
  const images = blockImages(1);
  const turned = augmentImages(images, { ...NONE, rotation: 90 }, () => 1);
  assert.ok(Math.abs(ink(turned, 0) - ink(images, 0)) < 1e-3);
  // Rotating twice more by 90 degrees gives the image turned half way: pixel (x, y) at (27-x, 27-y).
  const half = augmentImages(turned, { ...NONE, rotation: 90 }, () => 1);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    assert.ok(Math.abs(half.pixels[IMAGE_PIXELS - 1 - i] - images.pixels[i]) < 1e-4, `pixel ${i}`);
  }
});

Deno.test("thickness thickens strokes (dilation) or thins them (erosion)", () => {
  const images = blockImages(1);
  // A draw below half the share dilates; between half and the share erodes.
  const thicker = augmentImages(images, { ...NONE, thickness: 1 }, () => 0.25);
  const thinner = augmentImages(images, { ...NONE, thickness: 1 }, () => 0.75);
  assert.equal(ink(images, 0), 9);
  assert.equal(ink(thicker, 0), 9 + 4 * 3); // the 3x3 block grows by one pixel on each side
  assert.equal(ink(thinner, 0), 1); // only the centre of the block survives
});

Deno.test("bad settings are answered with one clear RangeError", () => {
  assert.throws(
    () => checkAugmentSettings({ ...NONE, rotation: -5 }),
    {
      name: "RangeError",
      message: "Cannot augment images: rotation is -5, expected degrees from 0 to 180",
    },
  );
  assert.throws(() => augmentImages(blockImages(1), { ...NONE, zoom: 1 }, Math.random), {
    name: "RangeError",
    message: "Cannot augment images: zoom is 1, expected a number from 0 up to 1, exclusive",
  });
  assert.equal(isAugmenting(NONE), false);
  assert.equal(isAugmenting(AUGMENT_PRESETS.standard), true);
});

Deno.test("describeAugmentSettings names each distortion that is on, and none when none is", () => {
  assert.equal(
    describeAugmentSettings(AUGMENT_PRESETS.standard),
    "shifts up to 2 px, rotations up to 10 deg, zoom up to 10%, 25% of strokes thickened or thinned",
  );
  assert.equal(
    describeAugmentSettings({ shift: 0, rotation: 7.5, zoom: 0, thickness: 0 }),
    "rotations up to 7.5 deg",
  );
  assert.equal(describeAugmentSettings(AUGMENT_PRESETS.none), "none");
});
