import assert from "node:assert/strict";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import { preprocessDigit } from "../../lib/digits/digit_preprocess.js";
import { decodeImage } from "../../lib/digits/image_decode.ts";
import { predictImageFiles } from "../../lib/digits/predict_files.ts";
import { predictDigits } from "../../lib/digits/predict_digits.ts";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../lib/backend/mod.ts";
import { createModelRegistry, loadModel } from "../../lib/models/mod.ts";
import { createScratchMlp, saveScratchMlp } from "../../lib/scratch/mod.ts";

/** A white picture with a dark bar somewhere in it. */
function barPng(left: number): Uint8Array {
  const data = new Uint8Array(60 * 50).fill(255);
  for (let y = 10; y < 40; y++) data.fill(0, y * 60 + left, y * 60 + left + 6);
  return encodePng({ width: 60, height: 50, data, channels: 1 });
}

Deno.test("predictImageFiles gives every file its prediction or its own error, in order", async () => {
  const folder = await Deno.makeTempDir({ prefix: "predict_files_" });
  try {
    await saveScratchMlp(createScratchMlp({ seed: 2 }), join(folder, "model"));
    const model = await loadModel(join(folder, "model"));
    const files = ["a.png", "b.txt", "c.png", "d.png"].map((name) => join(folder, name));
    await Deno.writeFile(files[0], barPng(5));
    await Deno.writeTextFile(files[1], "text");
    await Deno.writeFile(files[3], barPng(40));
    const results = [];
    for await (const result of predictImageFiles(model, files, { batchSize: 3 })) {
      results.push(result);
    }
    assert.deepEqual(results.map((result) => result.file), files);
    assert.deepEqual(results.map((result) => result.error?.name), [
      undefined,
      "SyntaxError",
      "NotFound",
      undefined,
    ]);
    for (const i of [0, 3]) {
      const pixels = preprocessDigit(decodeImage(await Deno.readFile(files[i])));
      const [expected] = await predictDigits(model, pixels);
      assert.deepEqual(results[i].prediction, expected);
      assert.deepEqual(results[i].input, pixels);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("predictImageFiles leaves no tensor behind, with good and bad files, after warm-up", async () => {
  const folder = await Deno.makeTempDir({ prefix: "predict_files_leak_" });
  await setupBackend({ backend: "wasm" });
  const model = createModelRegistry().get("cnn").build({ seed: 1 });
  try {
    const files = ["a.png", "b.txt", "c.png", "d.png", "e.png"].map((name) => join(folder, name));
    await Deno.writeFile(files[0], barPng(5));
    await Deno.writeTextFile(files[1], "text");
    await Deno.writeFile(files[3], barPng(40));
    await Deno.writeFile(files[4], barPng(20));
    const predictAll = async () => {
      const results = [];
      for await (const result of predictImageFiles(model, files, { batchSize: 2 })) {
        results.push(result);
      }
      return results;
    };
    await predictAll();
    const tensors = tf.memory().numTensors;
    const results = await predictAll();
    assert.equal(tf.memory().numTensors, tensors, "tensors after a second pass over the files");
    assert.equal(results.filter((result) => result.error === undefined).length, 3);
  } finally {
    model.dispose();
    await Deno.remove(folder, { recursive: true });
  }
});
