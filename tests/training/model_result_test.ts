import assert from "node:assert/strict";
import { createModelResult } from "../../lib/training/mod.ts";

Deno.test("createModelResult joins the training record and the test evaluation", () => {
  const history = { loss: [0.5], accuracy: [0.8], valLoss: [0.4], valAccuracy: [0.85] };
  const probabilities = new Float32Array(10).fill(0.1);
  const result = createModelResult(
    { id: "cnn", label: "CNN", params: 225_034, epochs: 1, trainSeconds: 12.5, history },
    { loss: 0.3, accuracy: 0.9, probabilities, imagesPerSecond: 8000 },
  );
  assert.deepEqual(result, {
    id: "cnn",
    label: "CNN",
    params: 225_034,
    epochs: 1,
    trainSeconds: 12.5,
    history,
    testLoss: 0.3,
    testAccuracy: 0.9,
    probabilities,
    inferImagesPerSecond: 8000,
  });
});
