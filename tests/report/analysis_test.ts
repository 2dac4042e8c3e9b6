import assert from "node:assert/strict";
import { analyseResults } from "../../lib/report/mod.ts";
import { createResult } from "../fixtures/model_results.ts";

const predicted = [1, 2, 3, 4, 5, 6, 7, 8];
const labels = Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 0);
const test = { pixels: new Float32Array(8 * 784), labels, count: 8 };
// Both models are 99% sure and right half the time: over-confident.
const results = (["mlp", "cnn"] as const).map((id) =>
  createResult(id, predicted, { confidence: predicted.map(() => 0.99) })
);

type Layered = { layer: { data: { values: { outputs: string }[] } }[] };

Deno.test("analyseResults fits a temperature for each model given validation outputs", () => {
  const validation = { labels, probabilities: { cnn: results[1].probabilities } };
  const { tables, charts } = analyseResults(results, test, { validation });
  const [mlp, cnn] = tables.calibration.toRecords() as Record<string, number | null>[];
  assert.equal(mlp.temperature, null);
  assert.ok(cnn.temperature! > 1, `T = ${cnn.temperature}`);
  assert.ok(cnn.scaledTestEce! < cnn.testEce!);
  const lines = (spec: unknown) =>
    new Set((spec as Layered).layer[1].data.values.map((row) => row.outputs)).size;
  assert.equal(lines(charts.reliability_mlp), 1);
  assert.equal(lines(charts.reliability_cnn), 2);
  assert.deepEqual([...tables.calibration_cnn.getColumn("count")], [8]);
});

Deno.test("analyseResults without validation outputs still reports calibration as trained", () => {
  const { tables } = analyseResults(results, test);
  const rows = tables.calibration.toRecords() as Record<string, number | null>[];
  assert.ok(rows.every((row) => row.temperature === null && Math.abs(row.testEce! - 0.49) < 1e-6));
});
