import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../lib/backend/mod.ts";
import { AUGMENT_PRESETS, loadDataset, prepareData } from "../../lib/data/mod.ts";
import { layersEntry, ModelRegistry } from "../../lib/models/mod.ts";
import { analyseResults, buildMetricsJson } from "../../lib/report/mod.ts";
import { experimentSettings, runExperiment, trainAndEvaluate } from "../../lib/training/mod.ts";
import { writeIdxFolder } from "../fixtures/idx_bytes.ts";

// Two small models, two seeds, on 600 training images: every model once per seed.
const experiment = await runExperiment({
  models: ["mlp", "scratch"],
  seeds: [5, 6],
  epochs: 1,
  limit: 600,
  backend: "wasm",
  augment: AUGMENT_PRESETS.light,
});

Deno.test("runExperiment trains each model once per seed on the same splits", () => {
  const { seedRuns, trained } = experiment;
  assert.deepEqual(seedRuns.seeds, [5, 6]);
  assert.deepEqual(seedRuns.byModel.map((results) => results.map((r) => r.id)), [
    ["mlp", "mlp"],
    ["scratch", "scratch"],
  ]);
  // The first seed's runs are the experiment's trained models.
  assert.deepEqual(
    trained.map(({ result }) => result),
    seedRuns.byModel.map((results) => results[0]),
  );
  for (const [first, second] of seedRuns.byModel) {
    assert.notDeepEqual(first.probabilities, second.probabilities);
    assert.equal(first.probabilities.length, experiment.data.test.count * 10);
    assert.ok(first.testAccuracy > 0.5 && second.testAccuracy > 0.5);
  }
  trained.forEach(({ model }) => model.dispose());
});

Deno.test("the analysis and metrics.json carry accuracy over seeds and the paired tests", () => {
  const results = experiment.trained.map(({ result }) => result);
  const { tables, charts } = analyseResults(results, experiment.data.test, {
    seedRuns: experiment.seedRuns,
  });
  assert.deepEqual(tables.seed_summary.getColumn("model").toArray(), ["mlp", "scratch"]);
  assert.ok(tables.comparison.columns.includes("ciLower"));
  assert.equal(tables.mcnemar.height, 2);
  assert.ok(charts.seed_accuracies);
  const metrics = buildMetricsJson(results, {
    dataset: "mnist",
    backend: "wasm",
    seeds: { runs: experiment.seedRuns, labels: experiment.data.test.labels },
    augment: experiment.augment,
    settings: experiment.settings,
  });
  assert.deepEqual(Object.keys(metrics), [
    "dataset",
    "backend",
    "createdAt",
    "models",
    "seeds",
    "augment",
    "settings",
  ]);
  assert.deepEqual(metrics.settings, {
    optimizer: "adam",
    learningRate: 0.001,
    momentum: null,
    batchSize: 64,
    dropoutRate: null,
    learningRateSchedule: null,
    augment: AUGMENT_PRESETS.light,
    validationSplit: 0.1,
  });
  const mlp = metrics.seeds!.models.mlp;
  assert.equal(mlp.testAccuracy.length, 2);
  assert.ok(mlp.confidenceInterval![0] < mlp.mean && mlp.mean < mlp.confidenceInterval![1]);
  const [pair] = metrics.seeds!.pairs;
  assert.deepEqual([pair.first, pair.second, pair.tests.map((test) => test.seed)], [
    "mlp",
    "scratch",
    [5, 6],
  ]);
  assert.ok(pair.tests.every((test) => test.pValue > 0 && test.pValue <= 1));
  assert.deepEqual(metrics.augment, AUGMENT_PRESETS.light);
});

Deno.test("the settings tell --augment none from no --augment flag", () => {
  assert.deepEqual(experimentSettings({ augment: AUGMENT_PRESETS.none }).augment, {
    shift: 0,
    rotation: 0,
    zoom: 0,
    thickness: 0,
  });
  assert.equal(experimentSettings({}).augment, null);
});

/** A registry of one small model that trains for 2 epochs unless told otherwise. */
function tinyRegistry(): ModelRegistry {
  return new ModelRegistry([layersEntry({
    id: "tiny",
    label: "Tiny",
    defaultEpochs: 2,
    build: () =>
      tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [28, 28, 1] }),
          tf.layers.dense({ units: 10, activation: "softmax" }),
        ],
      }),
  })]);
}

Deno.test("a model's own augmentation and learning-rate schedule apply unless others are asked for", async () => {
  const folder = await writeIdxFolder();
  try {
    await setupBackend({ backend: "wasm" });
    const data = prepareData(await loadDataset({ dataDir: folder }), { validationSplit: 0.4 });
    const seen: { distorted: boolean; learningRate?: number }[] = [];
    const inner = tinyRegistry().get("tiny");
    const registry = new ModelRegistry([{
      ...inner,
      augment: AUGMENT_PRESETS.standard,
      learningRateSchedule: "cosine",
      build: (options) => {
        const model = inner.build(options);
        const trainEpoch = model.trainEpoch.bind(model);
        model.trainEpoch = (images, epoch) => {
          seen.push({ distorted: images !== data.train, learningRate: epoch.learningRate });
          return trainEpoch(images, epoch);
        };
        return model;
      },
    }]);
    const run = async (asked: Parameters<typeof trainAndEvaluate>[2]) => {
      seen.length = 0;
      (await trainAndEvaluate("tiny", data, { registry, batchSize: 2, ...asked })).model.dispose();
      return [...seen];
    };
    assert.deepEqual(await run({}), [
      { distorted: true, learningRate: 1e-3 },
      { distorted: true, learningRate: 5e-4 },
    ]);
    assert.deepEqual(
      await run({ augment: AUGMENT_PRESETS.none, learningRateSchedule: "constant" }),
      [{ distorted: false, learningRate: 1e-3 }, { distorted: false, learningRate: 1e-3 }],
    );
    const own = await runExperiment({
      models: ["tiny"],
      registry,
      dataDir: folder,
      validationSplit: 0.4,
      backend: "wasm",
    });
    own.trained.forEach(({ model }) => model.dispose());
    assert.deepEqual(own.modelAugment, { tiny: AUGMENT_PRESETS.standard });
    assert.equal(own.augment, undefined);
    const json = buildMetricsJson(own.trained.map(({ result }) => result), {
      dataset: own.dataset,
      backend: "wasm",
      modelAugment: own.modelAugment,
    });
    assert.deepEqual(json.models.tiny.augment, AUGMENT_PRESETS.standard);
    assert.equal(json.models.tiny.learningRateSchedule, "cosine");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a dropout rate for a model without dropout is refused before any data is loaded", async () => {
  await assert.rejects(
    () => runExperiment({ models: ["cnn", "lenet5"], dropoutRate: 0.3, dataDir: "/nowhere" }),
    new RangeError(
      "Cannot set the dropout rate of lenet5 to 0.3: it has no dropout layer, expected one of mlp, cnn, vgg",
    ),
  );
});

Deno.test("trainAndEvaluate trains each model for its own default epochs unless given epochs", async () => {
  const folder = await writeIdxFolder();
  try {
    await setupBackend({ backend: "wasm" });
    const data = prepareData(await loadDataset({ dataDir: folder }), { validationSplit: 0.4 });
    const registry = tinyRegistry();
    for (const [epochs, expected] of [[undefined, 2], [1, 1]] as const) {
      const { model, result } = await trainAndEvaluate("tiny", data, {
        registry,
        epochs,
        batchSize: 2,
      });
      model.dispose();
      assert.equal(result.epochs, expected, `epochs ${epochs}`);
      assert.equal(result.history.loss.length, expected, `epochs ${epochs}: history`);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
