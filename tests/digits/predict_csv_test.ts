import assert from "node:assert/strict";
import { join } from "node:path";
import { scalePixels } from "../../lib/data/mod.ts";
import { predictCsvImages } from "../../lib/digits/predict_csv.ts";
import { predictDigits } from "../../lib/digits/predict_digits.ts";
import { loadModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { createScratchMlp, saveScratchMlp } from "../../lib/scratch/mod.ts";

Deno.test("predictCsvImages reads rows batch by batch as one pass over the scaled pixels would", async () => {
  const folder = await Deno.makeTempDir({ prefix: "predict_csv_" });
  try {
    await saveScratchMlp(createScratchMlp({ seed: 3 }), join(folder, "model"));
    const model = await loadModel(join(folder, "model"));
    const random = createRandom(4);
    const images = {
      pixels: Uint8Array.from({ length: 25 * 784 }, () => random() * 256),
      count: 25,
    };
    const expected = await predictDigits(model, scalePixels(images.pixels));
    const batched = await predictCsvImages(model, images, { batchSize: 7 });
    assert.deepEqual(batched.map((p) => p.digit), expected.map((p) => p.digit));
    batched.forEach((p, i) =>
      p.probabilities.forEach((value, k) =>
        assert.ok(Math.abs(value - expected[i].probabilities[k]) < 1e-6)
      )
    );
    await assert.rejects(predictCsvImages(model, images, { batchSize: 0 }), {
      name: "RangeError",
      message: "Cannot predict CSV images: batch size is 0, expected a whole number above 0",
    });
    await assert.rejects(predictCsvImages(model, { pixels: images.pixels, count: 24 }), {
      name: "RangeError",
      message: "Cannot predict CSV images: found 19600 pixels, expected 24 x 784",
    });
    model.dispose();
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
