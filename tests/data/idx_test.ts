import assert from "node:assert/strict";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { looksLikeHtml, parseIdxImages, parseIdxLabels } from "../../lib/data/idx.ts";
import { idxImageBytes, idxLabelBytes, pixelAt } from "../fixtures/idx_bytes.ts";

Deno.test("parseIdxImages reads the count, the size and every pixel", () => {
  const images = parseIdxImages(idxImageBytes(3));
  assert.equal(images.count, 3);
  assert.equal(images.rows, 28);
  assert.equal(images.cols, 28);
  assert.equal(images.pixels.length, 3 * IMAGE_PIXELS);
  const expected = Uint8Array.from(
    { length: 3 * IMAGE_PIXELS },
    (_, i) => pixelAt(Math.floor(i / IMAGE_PIXELS), i % IMAGE_PIXELS),
  );
  assert.deepEqual(images.pixels, expected);
});

Deno.test("parseIdxImages reads bytes that start inside a larger buffer", () => {
  // Deno.readFile and subarray hand over views with a byte offset; the header
  // must be read relative to it.
  const file = idxImageBytes(2);
  const buffer = new Uint8Array(file.length + 5);
  buffer.set(file, 5);
  const images = parseIdxImages(buffer.subarray(5));
  assert.equal(images.count, 2);
  assert.equal(images.pixels[IMAGE_PIXELS + 1], pixelAt(1, 1));
});

Deno.test("parseIdxLabels reads every label", () => {
  assert.deepEqual(parseIdxLabels(idxLabelBytes([0, 9, 4, 4])), Uint8Array.of(0, 9, 4, 4));
});

Deno.test("parseIdxImages rejects a wrong magic number, naming the source", () => {
  assert.throws(() => parseIdxImages(idxImageBytes(1, { magic: 2049 }), { source: "a.idx" }), {
    name: "SyntaxError",
    message: "Cannot read IDX images from a.idx: magic number is 2049, expected 2051",
  });
  assert.throws(() => parseIdxImages(idxImageBytes(1, { magic: 0x1f8b0800 })), {
    name: "SyntaxError",
    message: "Cannot read IDX images from bytes: magic number is 529205248, expected 2051",
  });
});

Deno.test("parseIdxLabels rejects a wrong magic number", () => {
  assert.throws(() => parseIdxLabels(idxLabelBytes([1], { magic: 2051 }), { source: "l.idx" }), {
    name: "SyntaxError",
    message: "Cannot read IDX labels from l.idx: magic number is 2051, expected 2049",
  });
});

Deno.test("an empty file or a cut header is a SyntaxError naming the header size", () => {
  assert.throws(() => parseIdxImages(new Uint8Array(0), { source: "empty" }), {
    name: "SyntaxError",
    message: "Cannot read IDX images from empty: file is 0 bytes, expected a header of 16 bytes",
  });
  assert.throws(() => parseIdxImages(idxImageBytes(1).subarray(0, 10), { source: "cut" }), {
    name: "SyntaxError",
    message: "Cannot read IDX images from cut: file is 10 bytes, expected a header of 16 bytes",
  });
  assert.throws(() => parseIdxLabels(new Uint8Array(0), { source: "empty" }), {
    name: "SyntaxError",
    message: "Cannot read IDX labels from empty: file is 0 bytes, expected a header of 8 bytes",
  });
});

Deno.test("a truncated or padded image file is a SyntaxError with both lengths", () => {
  const file = idxImageBytes(3);
  assert.throws(() => parseIdxImages(file.subarray(0, file.length - 100), { source: "t" }), {
    name: "SyntaxError",
    message:
      "Cannot read IDX images from t: file is 2268 bytes, expected 2368 bytes for the sizes in its header",
  });
  const padded = new Uint8Array(file.length + 1);
  padded.set(file);
  assert.throws(() => parseIdxImages(padded, { source: "t" }), {
    name: "SyntaxError",
    message:
      "Cannot read IDX images from t: file is 2369 bytes, expected 2368 bytes for the sizes in its header",
  });
});

Deno.test("a truncated label file is a SyntaxError with both lengths", () => {
  const file = idxLabelBytes([1, 2, 3, 4]);
  assert.throws(() => parseIdxLabels(file.subarray(0, 10), { source: "l" }), {
    name: "SyntaxError",
    message:
      "Cannot read IDX labels from l: file is 10 bytes, expected 12 bytes for the sizes in its header",
  });
});

Deno.test("images that are not 28x28 are a RangeError naming both sizes", () => {
  assert.throws(() => parseIdxImages(idxImageBytes(2, { rows: 27 }), { source: "s" }), {
    name: "RangeError",
    message: "Cannot read IDX images from s: images are 27x28, expected 28x28",
  });
  assert.throws(() => parseIdxImages(idxImageBytes(2, { rows: 32, cols: 32 }), { source: "s" }), {
    name: "RangeError",
    message: "Cannot read IDX images from s: images are 32x32, expected 28x28",
  });
});

Deno.test("a file of zero images or zero labels is a RangeError", () => {
  assert.throws(() => parseIdxImages(idxImageBytes(0), { source: "z" }), {
    name: "RangeError",
    message: "Cannot read IDX images from z: it holds 0 images, expected at least 1",
  });
  assert.throws(() => parseIdxLabels(idxLabelBytes([]), { source: "z" }), {
    name: "RangeError",
    message: "Cannot read IDX labels from z: it holds 0 labels, expected at least 1",
  });
});

Deno.test("a label outside 0 to 9 is a RangeError naming its index and value", () => {
  assert.throws(() => parseIdxLabels(idxLabelBytes([3, 9, 10, 200]), { source: "l" }), {
    name: "RangeError",
    message: "Cannot read IDX labels from l: label 2 is 10, expected 0 to 9",
  });
});

Deno.test("an HTML page saved under an IDX file's name is named as such", () => {
  const page = new TextEncoder().encode("\uFEFF  <!doctype html><html><head><title>MNIST</title>");
  assert.ok(looksLikeHtml(page));
  assert.ok(!looksLikeHtml(idxImageBytes(1)));
  assert.throws(() => parseIdxLabels(page, { source: "train-labels-idx1-ubyte" }), {
    name: "SyntaxError",
    message:
      "Cannot read IDX labels from train-labels-idx1-ubyte: it is an HTML page, expected IDX bytes; a web page was saved under the data file's name, so download the file itself (the page's download link)",
  });
});
