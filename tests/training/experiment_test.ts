import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../lib/backend/mod.ts";
import { loadDataset, prepareData } from "../../lib/data/mod.ts";
import { layersEntry, ModelRegistry } from "../../lib/models/mod.ts";
import { trainAndEvaluate } from "../../lib/training/mod.ts";
import { writeIdxFolder } from "../fixtures/idx_bytes.ts";

/** A registry of one small model that trains for 2 epochs unless told otherwise. */
function tinyRegistry(): ModelRegistry {
  return new ModelRegistry([layersEntry({
    id: "tiny",
    label: "Tiny",
    defaultEpochs: 2,
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units: 10, activation: "softmax" }),
        ],
      }),
  })]);
}

Deno.test("trainAndEvaluate trains each model for its own default epochs unless given epochs", async () => {
  const folder = await writeIdxFolder();
  try {
    await setupBackend({ backend: "wasm" });
    const data = prepareData(await loadDataset({ dataDir: folder }), { validationSplit: 0.4 });
    const registry = tinyRegistry();
    for (const [epochs, expected] of [[undefined, 2], [1, 1]] as const) {
      const { model, result } = await trainAndEvaluate("tiny", data, {
        registry,
        epochs,
        batchSize: 2,
      });
      model.dispose();
      assert.equal(result.epochs, expected, `epochs ${epochs}`);
      assert.equal(result.history.loss.length, expected, `epochs ${epochs}: history`);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
