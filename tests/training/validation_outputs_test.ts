import assert from "node:assert/strict";
import type { DigitModel } from "../../lib/models/mod.ts";
import { predictValidation, type TrainedModel } from "../../lib/training/mod.ts";

Deno.test("predictValidation runs each model over the validation images, by id", async () => {
  const validation = { pixels: new Float32Array(2 * 784), labels: Uint8Array.of(3, 4), count: 2 };
  const trained = ["mlp", "cnn"].map((id, k) => ({
    model: {
      id,
      predict: (pixels: Float32Array, count: number) => {
        assert.equal(pixels, validation.pixels);
        return Promise.resolve(new Float32Array(count * 10).fill(k));
      },
    } as unknown as DigitModel,
  })) as unknown as TrainedModel[];
  const outputs = await predictValidation(trained, validation);
  assert.equal(outputs.labels, validation.labels);
  assert.deepEqual(Object.keys(outputs.probabilities), ["mlp", "cnn"]);
  assert.equal(outputs.probabilities.cnn![0], 1);
  assert.equal(outputs.probabilities.mlp!.length, 20);
});
