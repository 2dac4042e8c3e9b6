import assert from "node:assert/strict";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import { decodeImage } from "../../lib/digits/image_decode.ts";
import { segmentNumber } from "../../lib/digits/number_segment.js";
import { predictDigits } from "../../lib/digits/predict_digits.ts";
import {
  type FileNumberPrediction,
  predictNumber,
  predictNumberFiles,
} from "../../lib/digits/predict_numbers.ts";
import { ScratchDigitModel } from "../../lib/models/mod.ts";
import { createScratchMlp } from "../../lib/scratch/mod.ts";

/** A from-scratch MLP: a model of the interface that needs no tfjs backend. */
const model = new ScratchDigitModel(createScratchMlp({ seed: 3 }), {
  id: "scratch",
  label: "MLP from scratch",
});

/** A white picture with dark upright bars, as many 1s in a row, at the given columns. */
function barsPng(lefts: number[]): Uint8Array {
  const data = new Uint8Array(200 * 80).fill(255);
  for (const left of lefts) {
    for (let y = 15; y < 65; y++) data.fill(0, y * 200 + left, y * 200 + left + 6);
  }
  return encodePng({ width: 200, height: 80, data, channels: 1 });
}

Deno.test("predictNumberFiles reads each file's digits left to right, or gives its own error", async () => {
  const folder = await Deno.makeTempDir({ prefix: "predict_numbers_" });
  try {
    const files = ["three.png", "missing.png", "two.png"].map((name) => join(folder, name));
    await Deno.writeFile(files[0], barsPng([30, 90, 150]));
    await Deno.writeFile(files[2], barsPng([40, 120]));
    const results: FileNumberPrediction[] = [];
    for await (const result of predictNumberFiles(model, files)) results.push(result);
    assert.deepEqual(results.map((result) => result.file), files);
    assert.equal(results[1].error?.name, "NotFound");
    for (const [i, count] of [[0, 3], [2, 2]] as const) {
      const { prediction } = results[i];
      assert.ok(prediction !== undefined, results[i].error?.message);
      const digits = segmentNumber(decodeImage(await Deno.readFile(files[i])));
      assert.equal(digits.length, count);
      const pixels = new Float32Array(count * 784);
      digits.forEach((digit, k) => pixels.set(digit.pixels, k * 784));
      const expected = await predictDigits(model, pixels);
      assert.deepEqual(prediction.digits, expected);
      assert.equal(prediction.number, expected.map((p) => p.digit).join(""));
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("predictNumber refuses a number of no digits", async () => {
  await assert.rejects(() => predictNumber(model, []), {
    name: "RangeError",
    message: "Cannot read number: found 0 digits, expected at least 1",
  });
});
