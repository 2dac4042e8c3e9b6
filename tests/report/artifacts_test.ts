import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../lib/backend/mod.ts";
import { loadModel } from "../../lib/models/mod.ts";
import { analyseResults, type MetricsJson, writeExperiment } from "../../lib/report/mod.ts";
import { runExperiment } from "../../lib/training/mod.ts";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("a tiny run of every model writes every artifact, and saved models predict as before", async () => {
  const out = await Deno.makeTempDir();
  await setupBackend({ backend: "wasm" });
  const tensorsBefore = tf.memory().numTensors;
  const experiment = await runExperiment({
    models: ["mlp", "cnn", "scratch"],
    epochs: 1,
    limit: 1200,
    backend: "wasm",
    seed: 3,
  });
  const results = experiment.trained.map((trained) => trained.result);
  await writeExperiment(experiment, analyseResults(results, experiment.data.test), { out });

  const metrics: MetricsJson = JSON.parse(await Deno.readTextFile(join(out, "metrics.json")));
  assert.equal(metrics.dataset, "mnist");
  for (const id of ["mlp", "cnn", "scratch"] as const) {
    const entry = metrics.models[id];
    assert.ok(entry, `metrics.json has no ${id}`);
    assert.ok(
      entry.testAccuracy > 0.5,
      `${id} test accuracy ${entry.testAccuracy} is not above 0.5`,
    );
    assert.deepEqual(Object.keys(entry.history).sort(), [
      "accuracy",
      "loss",
      "valAccuracy",
      "valLoss",
    ]);
    assert.equal(entry.history.loss.length, 1);
    for (const key of ["testLoss", "params", "epochs", "trainSeconds"] as const) {
      assert.equal(typeof entry[key], "number");
    }
  }
  for (
    const file of [
      "report.html",
      "models/mlp/model.json",
      "models/mlp/weights.bin",
      "models/cnn/model.json",
      "models/scratch/weights.npz",
      "tables/comparison.csv",
      "tables/agreement.csv",
      "tables/classification_report_cnn.csv",
      "charts/training_curves.svg",
      "charts/training_curves.png",
      "charts/confusion_matrix_scratch.png",
    ]
  ) {
    assert.ok(await exists(join(out, file)), `${file} was not written`);
  }
  const leftovers = [...Deno.readDirSync(out)].filter((entry) => entry.name.startsWith("."));
  assert.deepEqual(leftovers, [], "the staging folder was left behind");

  const pixels = experiment.data.test.pixels.subarray(0, 50 * 784);
  for (const { model, result } of experiment.trained) {
    const before = result.probabilities.subarray(0, 500);
    const loaded = await loadModel(join(out, "models", model.id));
    const after = await loaded.predict(pixels, 50);
    assert.deepEqual(
      Array.from(after),
      Array.from(before),
      `${model.id} predicts differently after loading`,
    );
    loaded.dispose();
    model.dispose();
  }
  assert.equal(tf.memory().numTensors, tensorsBefore, "every model's tensors are freed");
  await Deno.remove(out, { recursive: true });
});
