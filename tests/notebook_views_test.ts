import assert from "node:assert/strict";
import pl from "nodejs-polars";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createCnn, createMlp } from "../lib/models.ts";
import {
  classBalance,
  describeSplits,
  gradientTable,
  layerTable,
  modelSummaryText,
  probabilityTable,
  roundFloats,
  scratchLayerTable,
} from "../lib/notebook_views.ts";
import {
  backwardPass,
  createScratchMlp,
  createWorkspace,
  forwardPass,
  setBatchRows,
  softmaxCrossEntropy,
} from "../lib/scratch/mod.ts";

await tf.setBackend("wasm");

Deno.test("roundFloats rounds float32 and float64 columns and leaves the others", () => {
  const table = pl.DataFrame([
    pl.Series("name", ["a", "b"]),
    pl.Series("f32", [0.512345, 0.25], pl.Float32),
    pl.Series("f64", [1.23456789, null], pl.Float64),
    pl.Series("count", [7, 8], pl.Int32),
  ]);
  const rounded = roundFloats(table, { digits: 3 });
  assert.deepEqual(rounded.toRecords(), [
    { name: "a", f32: 0.512, f64: 1.235, count: 7 },
    { name: "b", f32: 0.25, f64: null, count: 8 },
  ]);
  assert.throws(() => roundFloats(table, { digits: -1 }), {
    name: "RangeError",
    message: "Cannot round a table: digits is -1, expected an integer from 0 to 15",
  });
});

Deno.test("classBalance counts each class per split with its share", () => {
  const train = Uint8Array.from([0, 1, 1, 9, 9, 9]);
  const test = Uint8Array.from([1, 9]);
  const table = classBalance({ train, test });
  assert.deepEqual(table.columns, ["class", "train", "trainShare", "test", "testShare"]);
  const rows = table.toRecords();
  assert.equal(rows.length, 10);
  assert.deepEqual(rows[1], { class: "1", train: 2, trainShare: 2 / 6, test: 1, testShare: 0.5 });
  assert.deepEqual(rows[5], { class: "5", train: 0, trainShare: 0, test: 0, testShare: 0 });
  assert.equal(rows[9].train, 3);
});

Deno.test("classBalance rejects a label out of range and a wrong number of names", () => {
  assert.throws(() => classBalance({ test: Uint8Array.from([3, 12]) }), {
    name: "RangeError",
    message: "Cannot count classes: label 1 of the test split is 12, expected 0 to 9",
  });
  assert.throws(() => classBalance({ test: Uint8Array.from([3]) }, { classNames: ["a"] }), {
    name: "RangeError",
    message: "Cannot count classes: found 1 class names, expected 10",
  });
});

Deno.test("layerTable lists the layers and their parameters, adding up to the model's", () => {
  for (const model of [createMlp({ seed: 1 }), createCnn({ seed: 1 })]) {
    const table = layerTable(model);
    assert.deepEqual(table.columns, ["layer", "type", "outputShape", "params"]);
    assert.equal(table.height, model.layers.length);
    assert.equal(table.getColumn("params").sum(), model.countParams());
    model.dispose();
  }
});

Deno.test("scratchLayerTable matches the tfjs MLP's parameter count", () => {
  const table = scratchLayerTable(createScratchMlp({ seed: 1 }));
  assert.deepEqual(table.getColumn("params").toArray(), [200960, 32896, 1290]);
  assert.deepEqual(table.getColumn("type").toArray(), [
    "Dense, ReLU",
    "Dense, ReLU",
    "Dense, softmax",
  ]);
  assert.equal(table.getColumn("outputShape").toArray()[2], "[null,10]");
});

Deno.test("modelSummaryText returns tfjs' summary instead of printing it", () => {
  const model = createMlp({ seed: 1 });
  const text = modelSummaryText(model);
  assert.match(text, /Total params: 235146/);
  assert.match(text, /Dense/);
  model.dispose();
});

Deno.test("probabilityTable shows the first images with their predicted class", () => {
  const probabilities = new Float32Array(30).fill(0.05);
  probabilities[3] = 0.55; // image 0: class 3
  probabilities[10 + 7] = 0.55; // image 1: class 7
  probabilities[20 + 0] = 0.55; // image 2: class 0
  const table = probabilityTable(probabilities, Uint8Array.from([3, 1, 0]), { rows: 2 });
  assert.equal(table.height, 2);
  assert.deepEqual(table.columns.slice(0, 4), ["image", "true", "predicted", "p0"]);
  assert.deepEqual(table.getColumn("predicted").toArray(), [3, 7]);
  assert.ok(Math.abs((table.getColumn("p7").toArray()[1] as number) - 0.55) < 1e-6);
  assert.throws(() => probabilityTable(new Float32Array(15), Uint8Array.from([1])), {
    name: "RangeError",
    message:
      "Cannot tabulate probabilities: found 15 values and 1 labels, expected 10 values per labelled image",
  });
});

Deno.test("gradientTable lists each gradient's norm, zero before and positive after a backward pass", () => {
  const network = createScratchMlp({ seed: 3, layerSizes: [4, 3, 2] });
  const workspace = createWorkspace(network, 2, { withGradients: true });
  setBatchRows(workspace, 2);
  workspace.input.data.set([1, 0, 0.5, 0.2, 0, 1, 0.3, 0.9]);
  workspace.labels.set([0, 1]);
  assert.deepEqual(gradientTable(network, workspace).getColumn("norm").toArray(), [0, 0, 0, 0]);
  softmaxCrossEntropy(forwardPass(network, workspace), workspace.labels);
  backwardPass(network, workspace);
  const table = gradientTable(network, workspace);
  assert.deepEqual(table.getColumn("parameter").toArray(), ["W1", "b1", "W2", "b2"]);
  assert.deepEqual(table.getColumn("shape").toArray(), ["[4, 3]", "[3]", "[3, 2]", "[2]"]);
  const expected = Math.hypot(...workspace.gradients[2]);
  assert.ok(Math.abs((table.getColumn("norm").toArray()[2] as number) - expected) < 1e-6);
  assert.ok((table.getColumn("norm").toArray()[3] as number) > 0);
  assert.throws(() => gradientTable(network, createWorkspace(network, 2)), {
    name: "TypeError",
    message:
      "Cannot list gradients: the workspace holds 0 gradient arrays, expected 4 (make it with { withGradients: true })",
  });
});

Deno.test("describeSplits counts the images of each split", () => {
  const set = (count: number) => ({
    pixels: new Float32Array(0),
    labels: new Uint8Array(0),
    count,
  });
  assert.equal(
    describeSplits({ train: set(54000), validation: set(6000), test: set(10000) }),
    "54,000 training, 6,000 validation and 10,000 test images",
  );
});
