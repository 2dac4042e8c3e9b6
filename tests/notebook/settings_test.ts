import assert from "node:assert/strict";
import { notebookRun } from "../../lib/notebook/mod.ts";

Deno.test("the default run trains on every image, each model for its own default epochs", () => {
  const run = notebookRun({ quick: false });
  assert.equal(run.limit, undefined);
  assert.equal(run.validationSplit, 0.1);
  // No epochs: trainAndEvaluate then takes each model's default (15, or 20 for scratch).
  assert.deepEqual(run.training, { batchSize: 64, learningRate: 0.001, seed: 42 });
  assert.equal(
    run.description,
    "Defaults: all training images, each model for its default epochs " +
      "(15 for the TensorFlow.js models, 20 for the from-scratch MLP).",
  );
});

Deno.test("the quick run trains on 6,000 images for 3 epochs, the other settings unchanged", () => {
  const run = notebookRun({ quick: true });
  assert.equal(run.limit, 6000);
  assert.equal(run.validationSplit, 0.1);
  assert.deepEqual(run.training, { batchSize: 64, learningRate: 0.001, seed: 42, epochs: 3 });
  assert.match(run.description, /MNIST_QUICK=1.*6,000 training images, 3 epochs/);
});
