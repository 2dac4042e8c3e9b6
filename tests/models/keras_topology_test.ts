import assert from "node:assert/strict";
import { join } from "node:path";
import {
  createCnn,
  createMlp,
  LayersDigitModel,
  loadModel,
  normaliseKerasTopology,
  saveLayersModel,
} from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import {
  copyModelFolder,
  type Keras3CopyOptions,
  writeKeras3Copy,
} from "../fixtures/keras_folders.ts";

function randomPixels(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count * 784 }, () => random());
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((value, i) =>
    assert.ok(Math.abs(value - expected[i]) < tolerance, `${i}: ${value} vs ${expected[i]}`)
  );
}

Deno.test("Keras 3 copies of a saved model load and predict as the model does", async (t) => {
  const folder = await Deno.makeTempDir({ prefix: "keras3_" });
  try {
    const pixels = randomPixels(4, 5);
    const cases: [string, () => ReturnType<typeof createMlp>, Keras3CopyOptions, number[]][] = [
      ["sequential CNN, input [28, 28, 1]", () => createCnn({ seed: 2 }), {}, [28, 28, 1]],
      ["MLP, input [784]", () => createMlp({ seed: 2 }), { inputShape: [784] }, [784]],
      ["MLP, input [28, 28]", () => createMlp({ seed: 2 }), { inputShape: [28, 28] }, [28, 28]],
      ["functional MLP", () => createMlp({ seed: 2 }), { functional: true }, [28, 28, 1]],
      ["MLP starting with Rescaling(1/255)", () => createMlp({ seed: 2 }), { rescale: true }, [
        28,
        28,
        1,
      ]],
    ];
    for (const [name, build, options, inputShape] of cases) {
      await t.step(name, async () => {
        const original = join(folder, "original");
        const model = build();
        await saveLayersModel(model, original);
        model.dispose();
        const own = await loadModel(original);
        const expected = await own.predict(pixels, 4);
        own.dispose();
        const copy = await writeKeras3Copy(original, join(folder, "keras3"), options);
        const before = await Deno.readTextFile(join(copy, "model.json"));
        const loaded = await loadModel(copy);
        assert.ok(loaded instanceof LayersDigitModel);
        assert.deepEqual(loaded.layersModel.inputs[0].shape, [null, ...inputShape]);
        assertClose(await loaded.predict(pixels, 4), expected);
        loaded.dispose();
        assert.equal(await Deno.readTextFile(join(copy, "model.json")), before, "file unchanged");
      });
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a saved CNN whose first layer says batch_shape loads as the CNN", async () => {
  const folder = await Deno.makeTempDir({ prefix: "batch_shape_" });
  try {
    const model = createCnn({ seed: 3 });
    await saveLayersModel(model, join(folder, "cnn"));
    model.dispose();
    const renamed = await copyModelFolder(join(folder, "cnn"), join(folder, "renamed"), (json) => {
      const layers = ((json.modelTopology as Record<string, Record<string, unknown>>).config
        .layers) as { config: Record<string, unknown> }[];
      layers[0].config.batch_shape = layers[0].config.batch_input_shape;
      delete layers[0].config.batch_input_shape;
      return json;
    });
    const pixels = randomPixels(2, 7);
    const [own, loaded] = [await loadModel(join(folder, "cnn")), await loadModel(renamed)];
    assertClose(await loaded.predict(pixels, 2), await own.predict(pixels, 2));
    own.dispose();
    loaded.dispose();
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("normaliseKerasTopology spells Keras 3 as Keras 2 and leaves its argument alone", () => {
  const keras3 = {
    model_config: {
      class_name: "Functional",
      config: {
        layers: [{
          class_name: "InputLayer",
          config: { batch_shape: [null, 784], dtype: "float32", name: "input_layer" },
          name: "input_layer",
          inbound_nodes: [],
        }, {
          class_name: "Dense",
          config: {
            name: "dense",
            units: 10,
            dtype: { class_name: "DTypePolicy", config: { name: "float32" } },
          },
          name: "dense",
          inbound_nodes: [{
            args: [{
              class_name: "__keras_tensor__",
              config: { keras_history: ["input_layer", 0, 0] },
            }],
            kwargs: {},
          }],
        }],
      },
    },
  };
  const copy = structuredClone(keras3);
  const layers = (normaliseKerasTopology(keras3).model_config as typeof keras3.model_config).config
    .layers as unknown as Record<string, unknown>[];
  assert.deepEqual(layers[0].config, {
    batch_input_shape: [null, 784],
    dtype: "float32",
    name: "input_layer",
  });
  assert.deepEqual(layers[1].config, { name: "dense", units: 10, dtype: "float32" });
  assert.deepEqual(layers[1].inbound_nodes, [[["input_layer", 0, 0, {}]]]);
  assert.deepEqual(keras3, copy);
});
