import assert from "node:assert/strict";
import {
  mcnemarTable,
  pairSummary,
  seedAccuracies,
  seedPairsTable,
  seedSummary,
} from "../../lib/evaluation/mod.ts";
import type { SeedRuns } from "../../lib/results.ts";
import { createResult } from "../fixtures/model_results.ts";

// Ten test images labelled 0 to 9.
const LABELS = Uint8Array.from({ length: 10 }, (_, i) => i);
const right = (wrong: number[]) =>
  Array.from(LABELS, (label, i) => wrong.includes(i) ? (label + 1) % 10 : label);

/** Two models over two seeds: the MLP wrong on images 0-2 then 0-3, the CNN on 0 then none. */
const RUNS: SeedRuns = {
  seeds: [1, 2],
  byModel: [
    [
      createResult("mlp", right([0, 1, 2]), { fields: { testAccuracy: 0.7 } }),
      createResult("mlp", right([0, 1, 2, 3]), { fields: { testAccuracy: 0.6 } }),
    ],
    [
      createResult("cnn", right([0]), { fields: { testAccuracy: 0.9 } }),
      createResult("cnn", right([]), { fields: { testAccuracy: 1 } }),
    ],
  ],
};

Deno.test("seedAccuracies lists each model's accuracy per seed", () => {
  assert.deepEqual(seedAccuracies(RUNS).toRecords(), [
    { model: "mlp", seed: 1, testAccuracy: 0.7 },
    { model: "mlp", seed: 2, testAccuracy: 0.6 },
    { model: "cnn", seed: 1, testAccuracy: 0.9 },
    { model: "cnn", seed: 2, testAccuracy: 1 },
  ]);
});

Deno.test("seedSummary gives mean, spread and the t interval per model", () => {
  const [mlp] = seedSummary(RUNS).toRecords();
  assert.equal(mlp.model, "mlp");
  assert.equal(mlp.seeds, 2);
  assert.ok(Math.abs(Number(mlp.testAccuracyMean) - 0.65) < 1e-12);
  // s = 0.1 / sqrt(2); t(0.975, 1) = 12.706, so the half width is 12.706 * 0.05.
  assert.ok(Math.abs(Number(mlp.testAccuracySd) - 0.1 / Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(Number(mlp.ciUpper) - (0.65 + 12.7062 * 0.05)) < 1e-4);
});

Deno.test("mcnemarTable counts the images only one model gets right, per seed", () => {
  assert.deepEqual(
    mcnemarTable(RUNS, LABELS).toRecords().map((row) => [row.seed, row.onlyFirst, row.onlySecond]),
    [[1, 0, 2], [2, 0, 4]],
  );
  const [first, second] = mcnemarTable(RUNS, LABELS).toRecords();
  assert.equal(first.pValue, 0.5); // 2 * 0.5^2
  assert.equal(second.pValue, 0.125); // 2 * 0.5^4
  assert.ok(Math.abs(Number(first.accuracyDifference) + 0.2) < 1e-12);
});

Deno.test("pairSummary gives the mean difference over seeds and the seeds below 0.05", () => {
  const [pair] = pairSummary(mcnemarTable(RUNS, LABELS)).toRecords();
  assert.equal(pair.first, "mlp");
  assert.equal(pair.second, "cnn");
  assert.equal(pair.seeds, 2);
  assert.ok(Math.abs(Number(pair.differenceMean) + 0.3) < 1e-12);
  assert.equal(pair.significantSeeds, 0);
  assert.equal(pair.largestPValue, 0.5);
});

Deno.test("one model gives an empty pair table; a missing seed is a RangeError", () => {
  const one = { seeds: RUNS.seeds, byModel: [RUNS.byModel[0]] };
  assert.equal(mcnemarTable(one, LABELS).height, 0);
  assert.equal(pairSummary(mcnemarTable(one, LABELS)).height, 0);
  assert.throws(() => seedSummary({ seeds: [1, 2, 3], byModel: RUNS.byModel }), {
    name: "RangeError",
    message: "Cannot summarise accuracies over seeds: mlp has 2 results, expected one per seed (3)",
  });
});

Deno.test("seedPairsTable tests each pair of seeds of one model", () => {
  const table = seedPairsTable(RUNS.byModel[0], RUNS.seeds, LABELS);
  assert.deepEqual(table.toRecords(), [
    { firstSeed: 1, secondSeed: 2, onlyFirst: 1, onlySecond: 0, disagreements: 1, pValue: 1 },
  ]);
  assert.throws(() => seedPairsTable(RUNS.byModel[0], [1], LABELS), RangeError);
});
