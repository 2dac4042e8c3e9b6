import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { AUGMENT_PRESETS, loadDataset, prepareData } from "../../lib/data/mod.ts";
import { createModelRegistry } from "../../lib/models/mod.ts";
import {
  createNotebookShow,
  notebookRun,
  notebookSeeds,
  type NotebookSession,
  trainOverSeeds,
} from "../../lib/notebook/mod.ts";

await tf.setBackend("wasm");

Deno.test("notebookSeeds gives 2 seeds in quick mode and 5 at the defaults, from the run's seed", () => {
  assert.deepEqual(notebookSeeds(notebookRun({ quick: true })), [42, 43]);
  assert.deepEqual(notebookSeeds(notebookRun({ quick: false })), [42, 43, 44, 45, 46]);
});

Deno.test("trainOverSeeds trains once per seed, naming augmented runs apart", async () => {
  const data = prepareData(await loadDataset(), {
    validationSplit: 0.1,
    limit: 600,
    testLimit: 200,
  });
  const shown: unknown[] = [];
  const session: NotebookSession = {
    show: createNotebookShow((value) => Promise.resolve(void shown.push(value)), { settleMs: 0 }),
    run: {
      ...notebookRun({ quick: true }),
      training: { ...notebookRun({ quick: true }).training, epochs: 1 },
    },
    backend: { id: "wasm", description: "wasm" } as NotebookSession["backend"],
    registry: createModelRegistry(),
  };
  const plain = await trainOverSeeds(session, data, { id: "mlp", seeds: [1, 2] });
  assert.deepEqual(plain.map((result) => result.id), ["mlp", "mlp"]);
  assert.notDeepEqual(plain[0].probabilities, plain[1].probabilities);
  const augmented = await trainOverSeeds(session, data, {
    id: "mlp",
    seeds: [1],
    augment: AUGMENT_PRESETS.light,
  });
  assert.equal(augmented[0].id, "mlp_augmented");
  assert.equal(augmented[0].label, "MLP, augmented");
  assert.notDeepEqual(augmented[0].probabilities, plain[0].probabilities);
  assert.ok(shown.length > 0);
});
