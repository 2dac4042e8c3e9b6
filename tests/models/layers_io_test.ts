import assert from "node:assert/strict";
import { basename, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  loadLayersModel,
  MODEL_JSON,
  saveLayersModel,
  WEIGHTS_BIN,
} from "../../lib/models/layers_io.ts";
import { compileLayersModel, createCnn, createMlp } from "../../lib/models/mod.ts";

await tf.setBackend("wasm");

/** Runs `body` in a new temporary folder, then removes it. */
async function withTempDir(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "model_io_test_" });
  try {
    await body(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

/** A model's softmax outputs on a fixed batch of images. */
function predictionsOf(model: tf.LayersModel): Float32Array {
  return tf.tidy(() => {
    const images = tf.randomUniform([8, 28, 28, 1], 0, 1, "float32", 11);
    return (model.predict(images) as tf.Tensor).dataSync() as Float32Array;
  });
}

for (const [id, create] of [["mlp", createMlp], ["cnn", createCnn]] as const) {
  Deno.test(`${id}: a saved model loads back and predicts exactly as before`, async () => {
    await withTempDir(async (folder) => {
      const model = compileLayersModel(create({ seed: 4 }), { learningRate: 1e-3 });
      const directory = join(folder, "models", id);
      await saveLayersModel(model, directory);
      const files = Array.from(Deno.readDirSync(directory), (entry) => entry.name).sort();
      assert.deepEqual(files, [MODEL_JSON, WEIGHTS_BIN]);
      assert.equal(Deno.statSync(join(directory, WEIGHTS_BIN)).size, model.countParams() * 4);

      const loaded = await loadLayersModel(directory);
      assert.equal(loaded.countParams(), model.countParams());
      assert.deepEqual(predictionsOf(loaded), predictionsOf(model));
      loaded.dispose();
      model.dispose();
    });
  });
}

Deno.test("the saved folder is the standard format tf.loadLayersModel reads over HTTP", async () => {
  await withTempDir(async (folder) => {
    const model = createMlp({ seed: 2 });
    await saveLayersModel(model, folder);
    const json = JSON.parse(await Deno.readTextFile(join(folder, MODEL_JSON)));
    assert.equal(json.format, "layers-model");
    assert.deepEqual(json.weightsManifest.map((group: { paths: string[] }) => group.paths), [
      [`./${WEIGHTS_BIN}`],
    ]);
    // What a browser does: fetch model.json, then the weight files it names.
    const fetched: string[] = [];
    const fetchFunc = async (url: string | URL | Request) => {
      const name = basename(new URL(String(url)).pathname);
      fetched.push(name);
      return new Response(await Deno.readFile(join(folder, name)));
    };
    const loaded = await tf.loadLayersModel(
      tf.io.http(`http://localhost/models/mlp/${MODEL_JSON}`, { fetchFunc }),
    );
    assert.deepEqual(fetched, [MODEL_JSON, WEIGHTS_BIN]);
    assert.deepEqual(predictionsOf(loaded), predictionsOf(model));
    loaded.dispose();
    model.dispose();
  });
});

Deno.test("saving over an earlier model replaces it", async () => {
  await withTempDir(async (folder) => {
    const [first, second] = [createMlp({ seed: 1 }), createMlp({ seed: 2 })];
    await saveLayersModel(first, folder);
    await saveLayersModel(second, folder);
    const loaded = await loadLayersModel(folder);
    assert.deepEqual(predictionsOf(loaded), predictionsOf(second));
    assert.notDeepEqual(predictionsOf(loaded), predictionsOf(first));
    [first, second, loaded].forEach((model) => model.dispose());
  });
});

Deno.test("loading from a missing folder is NotFound naming model.json", async () => {
  await withTempDir(async (folder) => {
    const missing = join(folder, "absent");
    await assert.rejects(loadLayersModel(missing), {
      name: "NotFound",
      message: `Cannot load model from ${join(missing, MODEL_JSON)}: file not found`,
    });
  });
});

Deno.test("a model.json that is not JSON is a SyntaxError", async () => {
  await withTempDir(async (folder) => {
    await Deno.writeTextFile(join(folder, MODEL_JSON), "{ modelTopology: ");
    await assert.rejects(loadLayersModel(folder), {
      name: "SyntaxError",
      message: `Cannot load model from ${join(folder, MODEL_JSON)}: not valid JSON`,
    });
  });
});

Deno.test("JSON that is not a layers model is a TypeError", async () => {
  const message = (folder: string) =>
    `Cannot load model from ${
      join(folder, MODEL_JSON)
    }: found no modelTopology and weightsManifest, expected a tfjs layers model.json`;
  for (const text of ['{"weightsManifest": []}', '{"modelTopology": {}}', "null", "[1, 2]"]) {
    await withTempDir(async (folder) => {
      await Deno.writeTextFile(join(folder, MODEL_JSON), text);
      await assert.rejects(loadLayersModel(folder), {
        name: "TypeError",
        message: message(folder),
      });
    });
  }
});

Deno.test("a missing or wrong-sized weight file is reported with its path", async () => {
  await withTempDir(async (folder) => {
    const model = createMlp({ seed: 1 });
    await saveLayersModel(model, folder);
    const path = join(folder, WEIGHTS_BIN);
    const weights = await Deno.readFile(path);
    await Deno.writeFile(path, weights.subarray(0, 1000));
    await assert.rejects(loadLayersModel(folder), {
      name: "SyntaxError",
      message:
        `Cannot load model weights from ${folder}: found 1000 bytes, expected 940584 for the weights model.json lists`,
    });
    const padded = new Uint8Array(weights.length + 16);
    padded.set(weights);
    await Deno.writeFile(path, padded);
    await assert.rejects(loadLayersModel(folder), {
      name: "SyntaxError",
      message:
        `Cannot load model weights from ${folder}: found 940600 bytes, expected 940584 for the weights model.json lists`,
    });
    await Deno.remove(path);
    await assert.rejects(loadLayersModel(folder), {
      name: "NotFound",
      message: `Cannot load model weights from ${path}: file not found`,
    });
    model.dispose();
  });
});

Deno.test("a graph model or a model.json without topology is a TypeError saying how to convert", async () => {
  const hint = "tensorflowjs_converter --input_format keras model.h5 out_dir";
  const cases: [unknown, string][] = [
    [
      { format: "graph-model", modelTopology: { node: [] }, weightsManifest: [] },
      `found a graph model ("format": "graph-model"), expected a layers model; convert the Keras model as one with ${hint}`,
    ],
    [
      { format: "layers-model", modelTopology: null, weightsManifest: [] },
      `found "modelTopology": null, expected the model's layers; convert the Keras model with them using ${hint}`,
    ],
  ];
  for (const [json, found] of cases) {
    await withTempDir(async (folder) => {
      await Deno.writeTextFile(join(folder, MODEL_JSON), JSON.stringify(json));
      await assert.rejects(loadLayersModel(folder), {
        name: "TypeError",
        message: `Cannot load model from '${join(folder, MODEL_JSON)}': ${found}`,
      });
    });
  }
});

Deno.test("a model tfjs cannot build is a TypeError naming model.json, with tfjs' reason", async () => {
  await withTempDir(async (folder) => {
    const model = createMlp({ seed: 1 });
    await saveLayersModel(model, folder);
    model.dispose();
    const path = join(folder, MODEL_JSON);
    const json = JSON.parse(await Deno.readTextFile(path));
    delete json.modelTopology.config.layers[0].config.batch_input_shape;
    await Deno.writeTextFile(path, JSON.stringify(json));
    await assert.rejects(loadLayersModel(folder), {
      name: "TypeError",
      message:
        `Cannot load model from '${path}': tfjs could not build it (The first layer in a Sequential model must get an \`inputShape\` or \`batchInputShape\` argument.), expected a layers model tfjs 4.22.0 reads`,
    });
  });
});
