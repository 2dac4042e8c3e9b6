import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  bestSettings,
  buildSweepReport,
  checkSweepFolder,
  collectSweep,
  parseSweepAxis,
  planTrials,
  rankSettings,
  recordSweepSpec,
  sweepCharts,
  type SweepSpec,
  trialFolder,
  trialLog,
} from "../../lib/sweep/mod.ts";

/** Writes a finished trial's metrics.json as the train command would. */
async function finish(
  out: string,
  spec: SweepSpec,
  index: number,
  valAccuracy: number,
  extra: Record<string, unknown> = {},
) {
  const folder = trialFolder(out, spec.trials[index]);
  await Deno.mkdir(folder, { recursive: true });
  const history = { loss: [1], accuracy: [0.5], valLoss: [0.4], valAccuracy: [valAccuracy] };
  const model = {
    testAccuracy: 0.9,
    testLoss: 0.3,
    params: 10,
    epochs: 1,
    trainSeconds: 2,
    history,
  };
  await Deno.writeTextFile(
    join(folder, "metrics.json"),
    JSON.stringify({
      dataset: "mnist",
      backend: "wasm",
      createdAt: "",
      models: { mlp: model },
      ...extra,
    }),
  );
}

async function sweepFolder(): Promise<{ out: string; spec: SweepSpec }> {
  const out = await Deno.makeTempDir();
  const trials = planTrials([parseSweepAxis("learningRate=1e-3,3e-3")], { seeds: [1, 2] });
  const spec = await recordSweepSpec(
    { model: "mlp", sharedArgs: ["--limit", "300"], keys: ["learningRate"], trials },
    out,
  );
  return { out, spec };
}

Deno.test("collecting reads finished trials, lists failed ones with their error line, and ranks by validation accuracy", async () => {
  const { out, spec } = await sweepFolder();
  await finish(out, spec, 0, 0.8);
  await finish(out, spec, 1, 0.9);
  await finish(out, spec, 2, 0.95);
  await Deno.mkdir(join(out, "logs"));
  await Deno.writeTextFile(trialLog(out, spec.trials[3]), "backend: wasm\ntrain: Cannot read x\n");
  const sweep = await collectSweep(out);
  assert.equal(sweep.table.height, 3);
  assert.deepEqual(sweep.table.columns.slice(0, 4), [
    "trial",
    "learningRate",
    "seed",
    "valAccuracy",
  ]);
  assert.deepEqual(sweep.failed, [{
    trial: "learningRate=0.003_seed=2",
    error: "train: Cannot read x",
  }]);
  const ranked = rankSettings(sweep.table, spec.keys);
  assert.deepEqual(ranked.getColumn("learningRate").toArray(), [0.003, 0.001]);
  // The mean over seeds decides: 0.85 for 1e-3 against 0.95 for 3e-3 (one seed finished).
  const best = bestSettings(sweep.table, spec.keys)!;
  assert.equal(best.learningRate, 0.003);
  // One finished trial has no spread to measure: null, not 0.
  assert.equal(best.valAccuracyStd, null);
  const html = await buildSweepReport(sweep);
  assert.match(html, /Failed trials/);
  assert.match(html, /<svg/);
});

Deno.test("a trial that was interrupted (no metrics.json, no error line) is pending, not counted", async () => {
  const { out, spec } = await sweepFolder();
  await Deno.mkdir(join(trialFolder(out, spec.trials[0]), ".staging"), { recursive: true });
  const sweep = await collectSweep(out);
  assert.equal(sweep.table.height, 0);
  assert.equal(sweep.pending.length, 4);
});

Deno.test("a folder holding another sweep is refused", async () => {
  const { out, spec } = await sweepFolder();
  await assert.rejects(
    checkSweepFolder({ ...spec, model: "cnn" }, out),
    /Cannot use .*: it holds a sweep of mlp with \[--limit 300\], expected cnn with \[--limit 300\]/,
  );
  assert.equal((await checkSweepFolder(spec, out))?.trials.length, 4);
  await assert.rejects(
    checkSweepFolder({ ...spec, keys: ["batchSize"] }, out),
    /Cannot use .*: it holds a sweep over learningRate, expected one over batchSize, since each sweep's trials have no values/,
  );
});

Deno.test("a folder holding a train run's results is refused, a sweep's own metrics are not", async () => {
  const { out, spec } = await sweepFolder();
  const train = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(train, "metrics.json"), "{}");
    await assert.rejects(
      checkSweepFolder(spec, train),
      /Cannot use .*: it holds a train run's results \(metrics.json\), expected a new folder/,
    );
    // A sweep folder that also holds a metrics.json is still this sweep's.
    await Deno.writeTextFile(join(out, "metrics.json"), "{}");
    assert.equal((await checkSweepFolder(spec, out))?.trials.length, 4);
  } finally {
    await Deno.remove(train, { recursive: true });
  }
});

Deno.test("a categorical setting is a text column and a nominal chart axis in its natural order", async () => {
  const out = await Deno.makeTempDir();
  const axes = ["optimizer=sgd,adam", "dropoutRate=0,0.5"].map(parseSweepAxis);
  const spec = await recordSweepSpec(
    { model: "mlp", sharedArgs: [], keys: ["optimizer", "dropoutRate"], trials: planTrials(axes) },
    out,
  );
  await finish(out, spec, 0, 0.7);
  await finish(out, spec, 3, 0.9);
  const sweep = await collectSweep(out);
  assert.deepEqual(sweep.table.getColumn("optimizer").toArray(), ["sgd", "adam"]);
  assert.deepEqual(sweep.table.getColumn("dropoutRate").toArray(), [0, 0.5]);
  assert.equal(bestSettings(sweep.table, spec.keys)?.optimizer, "adam");
  const chart = sweepCharts(sweep.results, spec.keys).val_accuracy_optimizer as {
    layer: { encoding: { x: unknown } }[];
  };
  assert.deepEqual(chart.layer[1].encoding.x, {
    field: "optimizer",
    type: "nominal",
    title: "optimizer",
    sort: ["adam", "sgd"],
    axis: { labelAngle: 0 },
  });
  await Deno.remove(out, { recursive: true });
});

Deno.test("a trial run without --seeds shows the seed its metrics.json records, train's default", async () => {
  const out = await Deno.makeTempDir();
  const trials = planTrials([parseSweepAxis("learningRate=1e-3,3e-3")], {});
  const spec = await recordSweepSpec(
    { model: "mlp", sharedArgs: ["--limit", "300"], keys: ["learningRate"], trials },
    out,
  );
  await finish(out, spec, 0, 0.8, { seeds: { seeds: [42], models: {}, pairs: [] } });
  await finish(out, spec, 1, 0.9, { seeds: { seeds: [42], models: {}, pairs: [] } });
  const sweep = await collectSweep(out);
  assert.deepEqual(sweep.table.getColumn("seed").toArray(), [42, 42]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("equal validation accuracies rank by validation loss, then by the settings, in any input order", () => {
  const rows = [
    {
      learningRate: 0.003,
      optimizer: "adam",
      valAccuracy: 0.865,
      valLoss: 0.41,
      testAccuracy: 0.86,
    },
    {
      learningRate: 0.001,
      optimizer: "adam",
      valAccuracy: 0.865,
      valLoss: 0.40,
      testAccuracy: 0.87,
    },
    {
      learningRate: 0.001,
      optimizer: "sgd",
      valAccuracy: 0.865,
      valLoss: 0.40,
      testAccuracy: 0.85,
    },
    { learningRate: 0.003, optimizer: "sgd", valAccuracy: 0.5, valLoss: 0.9, testAccuracy: 0.5 },
  ];
  const keys = ["learningRate", "optimizer"];
  const expected = [[0.001, "adam"], [0.001, "sgd"], [0.003, "adam"], [0.003, "sgd"]];
  for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]) {
    const table = pl.readRecords(order.map((i) => rows[i]));
    const ranked = rankSettings(table, keys).toRecords();
    assert.deepEqual(ranked.map((row) => [row.learningRate, row.optimizer]), expected, `${order}`);
    assert.equal(bestSettings(table, keys)?.optimizer, "adam");
  }
});
