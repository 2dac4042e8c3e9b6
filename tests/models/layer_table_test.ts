import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createModelRegistry, type LayersDigitModel, layerTable } from "../../lib/models/mod.ts";

await tf.setBackend("wasm");

Deno.test("layerTable lists the layers and their parameters, adding up to the model's", () => {
  const registry = createModelRegistry();
  for (const id of ["mlp", "cnn"]) {
    const model = registry.get(id).build({ seed: 1 });
    const table = layerTable(model);
    assert.deepEqual(table.columns, ["layer", "type", "outputShape", "params"]);
    assert.equal(table.height, (model as LayersDigitModel).layersModel.layers.length);
    assert.equal(table.getColumn("params").sum(), model.params);
    model.dispose();
  }
  const cnn = layerTable(registry.get("cnn").build({ seed: 1 }));
  assert.deepEqual(cnn.getColumn("type").toArray().slice(0, 2), ["Conv2D", "MaxPooling2D"]);
  assert.equal(cnn.getColumn("outputShape").toArray()[0], "[null,26,26,32]");
});

Deno.test("layerTable of the from-scratch MLP matches the tfjs MLP's parameter count", () => {
  const table = layerTable(createModelRegistry().get("scratch").build({ seed: 1 }));
  assert.deepEqual(table.getColumn("params").toArray(), [200960, 32896, 1290]);
  assert.equal(table.getColumn("params").sum(), 235146);
  assert.deepEqual(table.getColumn("type").toArray(), [
    "Dense, ReLU",
    "Dense, ReLU",
    "Dense, softmax",
  ]);
  assert.equal(table.getColumn("outputShape").toArray()[2], "[null,10]");
});
