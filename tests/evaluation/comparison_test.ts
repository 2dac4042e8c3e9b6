import assert from "node:assert/strict";
import { compareModels } from "../../lib/evaluation/comparison.ts";
import { createResult } from "../fixtures/model_results.ts";

Deno.test("compareModels gives one row per model with the last epoch's accuracies, timings rounded", () => {
  const mlp = createResult("mlp", [0, 1], {
    fields: { params: 235_146, epochs: 2, trainSeconds: 12.5312, testAccuracy: 0.981 },
  });
  const cnn = createResult("cnn", [0, 1], {
    fields: {
      params: 225_034,
      epochs: 3,
      history: {
        loss: [0.3, 0.1, 0.05],
        accuracy: [0.9, 0.97, 0.99],
        valLoss: [0.1, 0.06, 0.04],
        valAccuracy: [0.96, 0.98, 0.991],
      },
      testLoss: 0.027,
      testAccuracy: 0.9929,
      inferImagesPerSecond: 3100.4567,
    },
  });
  const table = compareModels([mlp, cnn]);
  assert.deepEqual(table.columns, [
    "model",
    "params",
    "epochs",
    "trainSeconds",
    "trainAccuracy",
    "valAccuracy",
    "testAccuracy",
    "testLoss",
    "inferImagesPerSecond",
  ]);
  assert.deepEqual(table.toRecords(), [
    {
      model: "mlp",
      params: 235_146,
      epochs: 2,
      trainSeconds: 12.5,
      trainAccuracy: 0.9,
      valAccuracy: 0.88,
      testAccuracy: 0.981,
      testLoss: 0.33,
      inferImagesPerSecond: 5000,
    },
    {
      model: "cnn",
      params: 225_034,
      epochs: 3,
      trainSeconds: 1.5,
      trainAccuracy: 0.99,
      valAccuracy: 0.991,
      testAccuracy: 0.9929,
      testLoss: 0.027,
      inferImagesPerSecond: 3100,
    },
  ]);
});

Deno.test("compareModels works for one model and leaves a missing validation null", () => {
  const scratch = createResult("scratch", [3], {
    fields: { history: { loss: [0.4], accuracy: [0.88], valLoss: [], valAccuracy: [] } },
  });
  const table = compareModels([scratch]);
  assert.equal(table.height, 1);
  assert.equal(table.getColumn("trainAccuracy").get(0), 0.88);
  assert.equal(table.getColumn("valAccuracy").get(0), null);
});

Deno.test("compareModels rejects no models and a repeated id", () => {
  assert.throws(() => compareModels([]), {
    name: "RangeError",
    message: "Cannot compare models: no models given, expected at least 1",
  });
  const mlp = createResult("mlp", [1]);
  assert.throws(() => compareModels([mlp, createResult("cnn", [1]), mlp]), {
    name: "RangeError",
    message: 'Cannot compare models: model "mlp" appears twice, expected each model once',
  });
});
