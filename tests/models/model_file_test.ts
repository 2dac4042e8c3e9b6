import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { createModelRegistry, loadModelFile, registerModels } from "../../lib/models/mod.ts";

await tf.setBackend("wasm");

/** A module text exporting one dense model with `units` outputs and the given activation. */
function moduleText(id: string, units: number, activation = "softmax"): string {
  return `import * as tf from "@tensorflow/tfjs";
export const models = [{ id: "${id}", label: "Mine", build: ({ seed }) => tf.sequential({ layers: [
  tf.layers.flatten({ inputShape: [28, 28, 1] }),
  tf.layers.dense({ units: ${units}, activation: "${activation}",
    kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
] }) }];\n`;
}

async function writeModule(text: string): Promise<string> {
  const folder = await Deno.makeTempDir();
  const path = join(folder, "my_models.js");
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("a module's model is registered, builds behind the one interface and predicts", async () => {
  const registry = createModelRegistry();
  const ids = await loadModelFile(registry, await writeModule(moduleText("mine", 10)));
  assert.deepEqual(ids, ["mine"]);
  assert.deepEqual(registry.ids(), [...createModelRegistry().ids(), "mine"]);
  const model = registry.get("mine").build({ seed: 3 });
  assert.equal(model.label, "Mine");
  assert.equal(model.params, 784 * 10 + 10);
  const probabilities = await model.predict(new Float32Array(784), 1);
  assert.equal(probabilities.length, 10);
  model.dispose();
});

Deno.test("a bad module is answered with one line naming what is wrong", async () => {
  const cases: [string | null, RegExp][] = [
    [null, /Cannot load models from .*nowhere\.js: no such file$/],
    ["export const other = 1;\n", /the module exports no models, expected `export const models/],
    [moduleText("cnn", 10), /Cannot register model "cnn": the id is taken/],
    [
      moduleText("five", 5),
      /Cannot use model "five": it maps \[n, 28, 28, 1\] to \[n, 5\], expected \[n, 10\]/,
    ],
    [
      moduleText("linear", 10, "linear"),
      /Cannot use model "linear": .*expected \[2, 10\] probabilities/,
    ],
  ];
  for (const [text, message] of cases) {
    const path = text === null ? "/tmp/nowhere.js" : await writeModule(text);
    const registry = createModelRegistry();
    await assert.rejects(loadModelFile(registry, path), message);
    assert.deepEqual(registry.ids(), createModelRegistry().ids());
  }
});

Deno.test("registerModels takes a module object, as a notebook cell has one", async () => {
  const registry = createModelRegistry();
  const build = () =>
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28, 1] }),
        tf.layers.dense({ units: 10, activation: "softmax" }),
      ],
    });
  await registerModels(registry, { models: [{ id: "cell", build }] });
  assert.equal(registry.labelOf("cell"), "cell");
  await assert.rejects(registerModels(registry, { models: [{ id: "x" }] }), /models\[0\]/);
});
