import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { AUGMENT_PRESETS } from "../../lib/data/mod.ts";
import {
  createMlp,
  createModelRegistry,
  type DigitModel,
  type LayersDigitModel,
  layersEntry,
  MODEL_GROUPS,
  ModelRegistry,
} from "../../lib/models/mod.ts";

await tf.setBackend("wasm");

Deno.test("the built-in registry holds mlp, cnn and scratch, with labels and default epochs", () => {
  const registry = createModelRegistry();
  assert.deepEqual(registry.ids(), [
    "mlp",
    "cnn",
    "scratch",
    "lenet5",
    "vgg",
    "resnet",
    "densenet",
  ]);
  assert.deepEqual(registry.ids().map((id) => registry.labelOf(id)), [
    "MLP",
    "CNN",
    "MLP from scratch",
    "LeNet-5",
    "VGG",
    "ResNet",
    "DenseNet",
  ]);
  assert.deepEqual(
    registry.ids().map((id) => registry.defaultEpochs(id)),
    [15, 15, 20, 15, 10, 10, 10],
  );
  assert.deepEqual(
    registry.ids().map((id) => registry.learningRateScheduleOf(id)),
    ["constant", "constant", "constant", "cosine", "cosine", "cosine", "cosine"],
  );
  assert.deepEqual(
    registry.ids().map((id) => registry.augmentOf(id)),
    [undefined, undefined, undefined, AUGMENT_PRESETS.standard, undefined, undefined, undefined],
  );
  assert.deepEqual(MODEL_GROUPS.all, ["mlp", "cnn", "scratch"]);
  assert.deepEqual(MODEL_GROUPS.zoo, ["mlp", "cnn", "lenet5", "vgg", "resnet", "densenet"]);
  assert.equal(registry.labelOf("keras_cnn"), "keras_cnn");
});

Deno.test("each built-in model builds behind the one interface with its parameter count", () => {
  const registry = createModelRegistry();
  const params = registry.ids().map((id) => {
    const model = registry.get(id).build({ seed: 1 });
    assert.equal(model.id, id);
    assert.equal(model.label, registry.labelOf(id));
    const count = model.params;
    model.dispose();
    return count;
  });
  // Parameters count every weight, batch normalisation's running statistics included.
  assert.deepEqual(params, [235_146, 225_034, 235_146, 61_706, 147_610, 73_690, 47_290]);
});

Deno.test("a registered model is built like the built-in ones", () => {
  const registry = createModelRegistry();
  registry.register(layersEntry({ id: "wide_mlp", label: "Wide MLP", build: createMlp }));
  assert.ok(registry.has("wide_mlp"));
  const model = registry.get("wide_mlp").build({ seed: 2 });
  assert.deepEqual([model.id, model.label, model.params], ["wide_mlp", "Wide MLP", 235_146]);
  model.dispose();
});

Deno.test("the registry refuses a taken or malformed id and names the ids it knows", () => {
  const registry = new ModelRegistry([
    layersEntry({ id: "mlp", label: "MLP", build: createMlp }),
  ]);
  for (const id of ["mlp", "all"]) {
    assert.throws(() => registry.register(layersEntry({ id, label: id, build: createMlp })), {
      name: "RangeError",
      message:
        `Cannot register model "${id}": the id is taken, expected a new id of lower-case letters, digits, "_" and "-"`,
    });
  }
  assert.throws(
    () => registry.register(layersEntry({ id: "My Net", label: "x", build: createMlp })),
    {
      name: "RangeError",
      message:
        'Cannot register model "My Net": the id is not a plain id, expected a new id of lower-case letters, digits, "_" and "-"',
    },
  );
  assert.throws(() => registry.get("vgg"), {
    name: "RangeError",
    message: 'Unknown model "vgg": expected one of mlp',
  });
});

/** The rates of a built model's dropout layers, in order. */
function dropoutRates(model: DigitModel): number[] {
  const layers = (model as LayersDigitModel).layersModel.layers;
  return layers.filter((layer) => layer.getClassName() === "Dropout").map((layer) =>
    layer.getConfig().rate as number
  );
}

Deno.test("dropoutRate reaches the dropout layer of the models that have one; defaults stay", () => {
  const registry = createModelRegistry();
  for (const [id, own] of [["mlp", 0.2], ["cnn", 0.5], ["vgg", 0.5]] as const) {
    assert.equal(registry.dropoutRateOf(id), own);
    const standard = registry.get(id).build({ seed: 1 });
    const chosen = registry.get(id).build({ seed: 1, dropoutRate: 0.3 });
    assert.deepEqual(dropoutRates(standard), [own], id);
    assert.deepEqual(dropoutRates(chosen), [0.3], id);
    standard.dispose();
    chosen.dispose();
  }
  for (const id of ["scratch", "lenet5", "resnet", "densenet"]) {
    assert.equal(registry.dropoutRateOf(id), undefined, id);
  }
});
