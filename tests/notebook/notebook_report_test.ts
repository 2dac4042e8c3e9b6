import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadDataset, prepareData } from "../../lib/data/mod.ts";
import { createModelRegistry, layersEntry, loadModel } from "../../lib/models/mod.ts";
import {
  createNotebookShow,
  notebookRun,
  type NotebookSession,
  trainInNotebook,
  writeNotebookReport,
} from "../../lib/notebook/mod.ts";

await tf.setBackend("wasm");

Deno.test("a model registered in a notebook is saved, reported and reloaded like a built-in one", async () => {
  const dataset = await loadDataset();
  const data = prepareData(dataset, { validationSplit: 0.2, limit: 300, testLimit: 100 });
  const quick = notebookRun({ quick: true });
  const session: NotebookSession = {
    show: createNotebookShow(() => Promise.resolve(), { settleMs: 0 }),
    run: { ...quick, training: { ...quick.training, epochs: 1 } },
    backend: { id: "wasm", description: "wasm" } as NotebookSession["backend"],
    registry: createModelRegistry(),
  };
  session.registry.register(layersEntry({
    id: "tiny",
    label: "Tiny softmax",
    build: ({ seed }) =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({
            units: 10,
            activation: "softmax",
            kernelInitializer: tf.initializers.glorotUniform({ seed }),
          }),
        ],
      }),
  }));
  const tiny = await trainInNotebook(session, "tiny", data);
  const out = await Deno.makeTempDir();
  try {
    await assert.rejects(
      writeNotebookReport(session, data, [], { dataset, out }),
      new RangeError("Cannot write a notebook's report: found 0 models, expected 1 or more"),
    );
    const written = await writeNotebookReport(session, data, [tiny], { dataset, out });
    const metrics = JSON.parse(await Deno.readTextFile(join(out, "metrics.json")));
    assert.equal(metrics.models.tiny.testAccuracy, tiny.result.testAccuracy);
    assert.equal(metrics.settings.learningRate, quick.training.learningRate);
    assert.match(await Deno.readTextFile(written.report), /Tiny softmax/);
    const loaded = await loadModel(join(out, "models", "tiny"), { registry: session.registry });
    const pixels = data.test.pixels.subarray(0, 4 * 784);
    assert.deepEqual(await loaded.predict(pixels, 4), await tiny.model.predict(pixels, 4));
    assert.equal(loaded.label, "Tiny softmax");
    loaded.dispose();
  } finally {
    tiny.model.dispose();
    await Deno.remove(out, { recursive: true });
  }
});
