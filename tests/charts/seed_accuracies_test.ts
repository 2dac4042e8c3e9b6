import assert from "node:assert/strict";
import { renderSvg, seedAccuracyChart } from "../../lib/charts/mod.ts";
import type { SeedRuns } from "../../lib/results.ts";
import { createResult } from "../fixtures/model_results.ts";

const result = (id: string, testAccuracy: number) =>
  createResult(id, [1, 2], { fields: { testAccuracy } });

const RUNS: SeedRuns = {
  seeds: [1, 2, 3],
  byModel: [
    [result("mlp", 0.97), result("mlp", 0.975), result("mlp", 0.972)],
    [result("cnn", 0.99), result("cnn", 0.992), result("cnn", 0.991)],
  ],
};

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string } };

Deno.test("the seed chart draws a dot per seed and an interval and mean per model", async () => {
  const spec = seedAccuracyChart(RUNS) as unknown as { layer: Layer[] };
  const [rules, ticks, dots] = spec.layer;
  assert.equal(dots.data.values.length, 6);
  assert.deepEqual(dots.data.values[0], { model: "MLP", seed: 1, accuracy: 97 });
  assert.equal(rules.data.values.length, 2);
  assert.ok(Math.abs(Number(ticks.data.values[1].mean) - 99.1) < 1e-9);
  const { lower, upper } = rules.data.values[1] as { lower: number; upper: number };
  assert.ok(lower < 99.1 && upper > 99.1);
  assert.match(await renderSvg(spec as never), /<svg/);
});

Deno.test("with one seed the chart has dots and means but no interval", () => {
  const spec = seedAccuracyChart({ seeds: [1], byModel: [[result("cnn", 0.99)]] }) as unknown as {
    layer: Layer[];
  };
  assert.equal(spec.layer[0].data.values.length, 0);
  assert.equal(spec.layer[2].data.values.length, 1);
});
