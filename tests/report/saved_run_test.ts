import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  createMlp,
  createModelRegistry,
  LayersDigitModel,
  saveLayersModel,
} from "../../lib/models/mod.ts";
import { buildMetricsJson, findSavedRun } from "../../lib/report/mod.ts";
import { createScratchMlp, predictScratchMlp, saveScratchMlp } from "../../lib/scratch/mod.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

await tf.setBackend("wasm");

const test = syntheticImages(20);

/** Writes a run like `deno task train` does: metrics.json and models/<id>/. */
async function writeRun(directory: string, options: { dataset?: string } = {}) {
  const mlp = createMlp({ seed: 5 });
  const scratch = createScratchMlp({ seed: 5 });
  await saveLayersModel(mlp, join(directory, "models", "mlp"));
  await saveScratchMlp(scratch, join(directory, "models", "scratch"));
  const results = [
    syntheticResult("mlp", test.labels, { accuracy: 0.9, seed: 1, epochs: 3 }),
    syntheticResult("scratch", test.labels, { accuracy: 0.8, seed: 2, epochs: 4 }),
  ];
  const metrics = buildMetricsJson(results, {
    dataset: options.dataset ?? "mnist",
    backend: "wasm",
  });
  await Deno.writeTextFile(join(directory, "metrics.json"), JSON.stringify(metrics));
  return { mlp, scratch, results };
}

async function withTempDir(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "saved_run_test_" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

Deno.test("findSavedRun loads the models and measures them on the test set", async () => {
  await withTempDir(async (directory) => {
    const saved = await writeRun(directory);
    const tensors = tf.memory().numTensors;
    const lookup = await findSavedRun(directory, test, {
      models: ["scratch", "mlp"],
      registry: createModelRegistry(),
    });
    assert.equal(tf.memory().numTensors, tensors, "the loaded models are freed");
    assert.ok(lookup.found);
    const [scratch, mlp] = lookup.run.results;
    assert.equal(lookup.run.dataset, "mnist");
    assert.deepEqual([scratch.id, mlp.id], ["scratch", "mlp"]);
    assert.deepEqual([scratch.label, mlp.label], ["MLP from scratch", "MLP"]);
    assert.deepEqual(mlp.history, saved.results[0].history);
    assert.equal(mlp.epochs, 3);
    assert.deepEqual(
      mlp.probabilities,
      await new LayersDigitModel(saved.mlp, { id: "mlp", label: "MLP" }).predict(
        test.pixels,
        test.count,
      ),
    );
    assert.deepEqual(
      scratch.probabilities,
      predictScratchMlp(saved.scratch, test.pixels, test.count),
    );
    assert.ok(mlp.testAccuracy >= 0 && mlp.testAccuracy <= 1);
    assert.ok(mlp.inferImagesPerSecond > 0);
    saved.mlp.dispose();
  });
});

Deno.test("findSavedRun keeps the loaded models when asked, for the caller to dispose", async () => {
  await withTempDir(async (directory) => {
    const saved = await writeRun(directory);
    const tensors = tf.memory().numTensors;
    const lookup = await findSavedRun(directory, test, { models: ["mlp"], keepModels: true });
    assert.ok(lookup.found);
    const [model] = lookup.run.models!;
    assert.equal(model.id, "mlp");
    assert.deepEqual(
      await model.predict(test.pixels, test.count),
      lookup.run.results[0].probabilities,
    );
    assert.ok(tf.memory().numTensors > tensors, "the kept model holds its weights");
    model.dispose();
    assert.equal(tf.memory().numTensors, tensors);
    saved.mlp.dispose();
  });
});

Deno.test("findSavedRun says why it cannot use a folder", async () => {
  await withTempDir(async (directory) => {
    assert.deepEqual(await findSavedRun(directory, test, { models: ["mlp"] }), {
      found: false,
      reason: `no ${join(directory, "metrics.json")}`,
    });
    (await writeRun(directory, { dataset: "fashion" })).mlp.dispose();
    assert.deepEqual(await findSavedRun(directory, test, { models: ["mlp"] }), {
      found: false,
      reason: `the run in ${directory} was trained on fashion, expected mnist`,
    });
    assert.deepEqual(
      await findSavedRun(directory, test, { models: ["mlp", "cnn"], dataset: "fashion" }),
      {
        found: false,
        reason: `the run in ${directory} has no cnn model`,
      },
    );
  });
});

Deno.test("findSavedRun reports a damaged model file instead of throwing", async () => {
  await withTempDir(async (directory) => {
    (await writeRun(directory)).mlp.dispose();
    await Deno.writeTextFile(join(directory, "models", "mlp", "model.json"), "{ not json");
    const lookup = await findSavedRun(directory, test, { models: ["mlp"] });
    assert.equal(lookup.found, false);
    assert.match(!lookup.found ? lookup.reason : "", /model\.json: not valid JSON/);
    await Deno.writeTextFile(join(directory, "metrics.json"), "[]");
    assert.deepEqual(await findSavedRun(directory, test, { models: ["mlp"] }), {
      found: false,
      reason: `${join(directory, "metrics.json")} has no "models" object`,
    });
  });
});
