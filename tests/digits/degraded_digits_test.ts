/**
 * Pins a sample of the degraded test set (tests/fixtures/degraded_digits.ts):
 * photos and scans of MNIST test digits come back from the preprocessing
 * close to the MNIST images they were made from, and a small model reads
 * them about as well as the clean images. The full set is measured with a
 * CNN trained at the defaults by tests/fixtures/measure_reading.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadDataset } from "../../lib/data/mod.ts";
import { preprocessDigit } from "../../lib/digits/digit_preprocess.js";
import { decodeImage } from "../../lib/digits/image_decode.ts";
import { predictDigits } from "../../lib/digits/predict_digits.ts";
import { loadModel } from "../../lib/models/mod.ts";
import { buildDegradedSet, DEGRADATIONS } from "../fixtures/degraded_digits.ts";
import { copySmallModels } from "../fixtures/small_models.ts";

const SAMPLE = 50;
const SEED = 15;

Deno.test("degraded photos of MNIST digits come back near MNIST, and read as well as clean ones", async () => {
  const { test } = await loadDataset();
  const set = buildDegradedSet(test, { count: SAMPLE, seed: SEED });
  const inputs = new Float32Array(SAMPLE * 784);
  const clean = new Float32Array(SAMPLE * 784);
  const differences = new Map<string, number[]>();
  set.pictures.forEach((picture, i) => {
    const pixels = preprocessDigit(decodeImage(picture.bytes), { name: `picture ${i}` });
    const at = set.indices[i] * 784;
    const original = Float32Array.from(test.pixels.subarray(at, at + 784), (v) => v / 255);
    let sum = 0;
    for (let k = 0; k < 784; k++) sum += Math.abs(pixels[k] - original[k]);
    differences.set(picture.degradation, [
      ...(differences.get(picture.degradation) ?? []),
      sum / 784,
    ]);
    inputs.set(pixels, i * 784);
    clean.set(original, i * 784);
  });
  for (const degradation of DEGRADATIONS) {
    const values = differences.get(degradation) ?? [];
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    // Thin pen lines lose the shape of MNIST's filled loops, so they differ most.
    assert.ok(mean < (degradation === "thin" ? 0.07 : 0.05), `${degradation}: ${mean.toFixed(3)}`);
  }
  const out = await Deno.makeTempDir({ prefix: "degraded_" });
  try {
    await copySmallModels(out, ["mlp"]);
    const predictor = await loadModel(join(out, "models", "mlp"));
    const right = async (pixels: Float32Array) =>
      (await predictDigits(predictor, pixels)).filter((p, i) => p.digit === set.labels[i]).length;
    const [degraded, original] = [await right(inputs), await right(clean)];
    predictor.dispose();
    assert.ok(
      degraded >= original - 5,
      `degraded ${degraded}/${SAMPLE}, clean ${original}/${SAMPLE}`,
    );
    assert.ok(original >= 40, `the small model reads ${original}/${SAMPLE} clean digits`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
