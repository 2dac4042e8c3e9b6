import assert from "node:assert/strict";
import { parseSweepAxis, planTrials } from "../../lib/sweep/mod.ts";

Deno.test("a grid is every combination, times the seeds, each named by its settings", () => {
  const axes = ["learningRate=1e-3,3e-3", "batchSize=32,64"].map(parseSweepAxis);
  const trials = planTrials(axes, { seeds: [1, 2] });
  assert.equal(trials.length, 8);
  assert.deepEqual(trials[0], {
    id: "learningRate=0.001_batchSize=32_seed=1",
    settings: { learningRate: 0.001, batchSize: 32 },
    seed: 1,
  });
  assert.equal(trials[7].id, "learningRate=0.003_batchSize=64_seed=2");
  assert.equal(planTrials(axes).length, 4);
  assert.equal(planTrials(axes)[0].seed, undefined);
});

Deno.test("random draws are seeded, in range, and log-uniform for the learning rate", () => {
  const axes = ["learningRate=1e-4..1e-1", "batchSize=32,64,128"].map(parseSweepAxis);
  const trials = planTrials(axes, { random: 400, randomSeed: 7 });
  assert.deepEqual(trials, planTrials(axes, { random: 400, randomSeed: 7 }));
  assert.notDeepEqual(trials, planTrials(axes, { random: 400, randomSeed: 8 }));
  const rates = trials.map((trial) => trial.settings.learningRate as number);
  assert.ok(rates.every((rate) => rate >= 1e-4 && rate <= 1e-1));
  // Log-uniform: about a third of the draws in each decade, not 90% in the top one.
  const lowest = rates.filter((rate) => rate < 1e-3).length / rates.length;
  assert.ok(lowest > 0.25 && lowest < 0.42, `share below 1e-3 is ${lowest}`);
  assert.ok(trials.every((trial) => [32, 64, 128].includes(trial.settings.batchSize as number)));
});

Deno.test("a range in a grid, or a key given twice, is refused", () => {
  assert.throws(() => planTrials([parseSweepAxis("learningRate=1e-4..1e-2")]), /is a range/);
  const twice = ["epochs=1,2", "epochs=3"].map(parseSweepAxis);
  assert.throws(() => planTrials(twice), /epochs is given twice/);
});

Deno.test("random draws take each choice about equally often and dropoutRate uniformly", () => {
  const axes = ["optimizer=adam,sgd", "augment=none,light,standard,strong", "dropoutRate=0..0.5"]
    .map(parseSweepAxis);
  const trials = planTrials(axes, { random: 400, randomSeed: 3 });
  const share = (key: "optimizer" | "augment", value: string) =>
    trials.filter((trial) => trial.settings[key] === value).length / trials.length;
  assert.ok(Math.abs(share("optimizer", "sgd") - 0.5) < 0.08, `sgd ${share("optimizer", "sgd")}`);
  for (const preset of ["none", "light", "standard", "strong"]) {
    assert.ok(Math.abs(share("augment", preset) - 0.25) < 0.07, `${preset}`);
  }
  const rates = trials.map((trial) => trial.settings.dropoutRate as number);
  assert.ok(rates.every((rate) => rate >= 0 && rate <= 0.5));
  // Uniform, not log-uniform: about half the draws in the upper half of the range.
  const upper = rates.filter((rate) => rate > 0.25).length / rates.length;
  assert.ok(upper > 0.42 && upper < 0.58, `share above 0.25 is ${upper}`);
  assert.match(trials[0].id, /^optimizer=(adam|sgd)_augment=\w+_dropoutRate=[\d.]+$/);
});
