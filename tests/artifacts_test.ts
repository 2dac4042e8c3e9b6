import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { writeExperiment } from "../lib/artifacts.ts";
import { runExperiment } from "../lib/experiment.ts";
import { predictProbabilities } from "../lib/evaluate.ts";
import type { MetricsJson } from "../lib/metrics_json.ts";
import { loadLayersModel } from "../lib/model_io.ts";
import { loadScratchMlp, predictScratchMlp } from "../lib/scratch/mod.ts";

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
  const experiment = await runExperiment({
    models: ["mlp", "cnn", "scratch"],
    epochs: 1,
    limit: 1200,
    backend: "wasm",
    seed: 3,
  });
  await writeExperiment(experiment, { out });

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

  const test = { pixels: experiment.data.test.pixels.subarray(0, 50 * 784), count: 50 };
  for (const trained of experiment.trained) {
    const before = trained.result.probabilities.subarray(0, 500);
    const after = trained.kind === "scratch"
      ? predictScratchMlp(
        await loadScratchMlp(join(out, "models/scratch")),
        test.pixels,
        test.count,
      )
      : await predictProbabilities(await loadLayersModel(join(out, "models", trained.id)), test);
    assert.deepEqual(
      Array.from(after),
      Array.from(before),
      `${trained.id} predicts differently after loading`,
    );
    if (trained.kind === "tfjs") trained.model.dispose();
  }
  assert.ok(tf.memory().numTensors < 100);
  await Deno.remove(out, { recursive: true });
});
