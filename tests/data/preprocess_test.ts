import assert from "node:assert/strict";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import type { DigitData, DigitSet } from "../../lib/data/mod.ts";
import {
  describeSplits,
  prepareData,
  scalePixels,
  sliceSet,
  trainingCountOf,
} from "../../lib/data/preprocess.ts";

/** A split of `count` images whose every pixel is the image's index, labelled index % 10. */
function indexedSet(count: number): DigitSet {
  const pixels = new Uint8Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) pixels.fill(i, i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
  return { pixels, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

function digitData(trainCount: number, testCount: number): DigitData {
  return {
    name: "synthetic",
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    train: indexedSet(trainCount),
    test: indexedSet(testCount),
  };
}

/** The original image index of each image of a prepared split (its first pixel). */
function imageIndices(set: { pixels: Float32Array; count: number }): number[] {
  return Array.from(
    { length: set.count },
    (_, i) => Math.round(set.pixels[i * IMAGE_PIXELS] * 255),
  );
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

Deno.test("scalePixels maps 0-255 to float32 in [0, 1]", () => {
  const scaled = scalePixels(Uint8Array.of(0, 1, 51, 128, 255));
  assert.ok(scaled instanceof Float32Array);
  assert.deepEqual(
    Array.from(scaled),
    [0, 1 / 255, 0.2, 128 / 255, 1].map(Math.fround),
  );
});

Deno.test("sliceSet takes images start to end, scaled, with their labels", () => {
  const slice = sliceSet(indexedSet(12), { start: 3, end: 7 });
  assert.equal(slice.count, 4);
  assert.equal(slice.pixels.length, 4 * IMAGE_PIXELS);
  assert.deepEqual(imageIndices(slice), [3, 4, 5, 6]);
  assert.deepEqual(slice.labels, Uint8Array.of(3, 4, 5, 6));
  assert.equal(slice.pixels[4 * IMAGE_PIXELS - 1], Math.fround(6 / 255));
});

Deno.test("prepareData holds out the end of the training set for validation", () => {
  const prepared = prepareData(digitData(20, 6), { validationSplit: 0.1 });
  assert.deepEqual(imageIndices(prepared.train), range(0, 18));
  assert.deepEqual(imageIndices(prepared.validation), [18, 19]);
  assert.deepEqual(prepared.validation.labels, Uint8Array.of(8, 9));
  assert.deepEqual(imageIndices(prepared.test), range(0, 6));
  for (const set of [prepared.train, prepared.validation, prepared.test]) {
    assert.ok(set.pixels instanceof Float32Array);
    assert.equal(set.pixels.length, set.count * IMAGE_PIXELS);
    assert.equal(set.labels.length, set.count);
    assert.ok(set.pixels.every((value) => value >= 0 && value <= 1));
  }
});

Deno.test("prepareData splits where Keras' fit(validationSplit) does", () => {
  // Keras and tfjs train on the first floor(n * (1 - split)) images, so a
  // fractional share goes to validation: 1994 * 0.1 = 199.4 holds out 200.
  const cases: [number, number, number][] = [[1994, 0.1, 1794], [15, 0.3, 10], [7, 0.5, 3]];
  for (const [total, validationSplit, trainCount] of cases) {
    const prepared = prepareData(digitData(total, 1), { validationSplit });
    assert.equal(prepared.train.count, trainCount, `${total} images, split ${validationSplit}`);
    assert.equal(prepared.validation.count, total - trainCount);
  }
});

Deno.test("limit keeps the first images and splits them; testLimit cuts the test set", () => {
  const prepared = prepareData(digitData(100, 30), {
    validationSplit: 0.1,
    limit: 40,
    testLimit: 7,
  });
  assert.deepEqual(imageIndices(prepared.train), range(0, 36));
  assert.deepEqual(imageIndices(prepared.validation), range(36, 40));
  assert.deepEqual(imageIndices(prepared.test), range(0, 7));
  // Limits above the set's size take the whole set.
  const all = prepareData(digitData(20, 5), { validationSplit: 0.5, limit: 999, testLimit: 999 });
  assert.equal(all.train.count + all.validation.count, 20);
  assert.equal(all.test.count, 5);
});

Deno.test("a validation split outside (0, 1) is a RangeError", () => {
  for (const validationSplit of [0, 1, -0.1, 1.5, NaN]) {
    assert.throws(() => prepareData(digitData(20, 2), { validationSplit }), {
      name: "RangeError",
      message:
        `Cannot split data: validation split is ${validationSplit}, expected a number in (0, 1)`,
    });
  }
});

Deno.test("a split that leaves no image on one side is a RangeError", () => {
  const cases: [number, number][] = [[1, 0.1], [5, 0.9], [100, 1e-17]];
  for (const [total, validationSplit] of cases) {
    assert.throws(() => prepareData(digitData(total, 2), { validationSplit }), {
      name: "RangeError",
      message:
        `Cannot split ${total} training images with validation split ${validationSplit}: expected at least one image on each side`,
    });
  }
  assert.throws(() => prepareData(digitData(100, 2), { validationSplit: 0.1, limit: 1 }), {
    name: "RangeError",
    message:
      "Cannot split 1 training images with validation split 0.1: expected at least one image on each side",
  });
});

Deno.test("a limit or testLimit that is not a whole number of at least 1 is a RangeError", () => {
  for (const name of ["limit", "testLimit"] as const) {
    for (const value of [0, -5, 2.5, NaN]) {
      assert.throws(() => prepareData(digitData(20, 2), { validationSplit: 0.1, [name]: value }), {
        name: "RangeError",
        message: `Cannot prepare data: ${name} is ${value}, expected a whole number of at least 1`,
      });
    }
  }
});

Deno.test("describeSplits counts the images of each split", () => {
  const set = (count: number) => ({
    pixels: new Float32Array(0),
    labels: new Uint8Array(0),
    count,
  });
  assert.equal(
    describeSplits({ train: set(54000), validation: set(6000), test: set(10000) }),
    "54,000 training, 6,000 validation and 10,000 test images",
  );
});

Deno.test("trainingCountOf keeps floor(total * (1 - split)) images for training, as tfjs' fit does", () => {
  assert.equal(trainingCountOf(60000, 0.1), 54000);
  assert.equal(trainingCountOf(1536, 256 / 1536), 1280);
  assert.equal(trainingCountOf(5, 0.1), 4);
  assert.equal(trainingCountOf(1, 0.1), 0);
});
