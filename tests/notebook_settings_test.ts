import assert from "node:assert/strict";
import { DEFAULT_SCRATCH_EPOCHS, DEFAULT_TRAINING } from "../lib/config.ts";
import { notebookRun, QUICK_EPOCHS, QUICK_LIMIT } from "../lib/notebook_settings.ts";

Deno.test("the default run trains on everything with the original epochs", () => {
  const run = notebookRun({ quick: false });
  assert.equal(run.limit, undefined);
  assert.deepEqual(run.training.mlp, DEFAULT_TRAINING);
  assert.deepEqual(run.training.cnn, DEFAULT_TRAINING);
  assert.deepEqual(run.training.scratch, { ...DEFAULT_TRAINING, epochs: DEFAULT_SCRATCH_EPOCHS });
  assert.match(run.description, /^Defaults: all training images, 15 epochs/);
});

Deno.test("the quick run trains on a subset for a few epochs, other settings unchanged", () => {
  const run = notebookRun({ quick: true });
  assert.equal(run.limit, QUICK_LIMIT);
  for (const id of ["mlp", "cnn", "scratch"] as const) {
    assert.deepEqual(run.training[id], { ...DEFAULT_TRAINING, epochs: QUICK_EPOCHS });
  }
  assert.match(run.description, /MNIST_QUICK=1.*6,000 training images, 3 epochs/);
});
