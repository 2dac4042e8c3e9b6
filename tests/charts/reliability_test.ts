import assert from "node:assert/strict";
import { reliabilityDiagramChart, renderSvg } from "../../lib/charts/mod.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(60);
const cnn = syntheticResult("cnn", images.labels, { accuracy: 0.8, seed: 2 });

type Layer = { data: { values: Record<string, unknown>[] } };

Deno.test("reliabilityDiagramChart draws the diagonal and one line per version of the outputs", async () => {
  const spec = reliabilityDiagramChart(cnn, images.labels, { temperature: 2, bins: 10 });
  const [diagonal, lines, points] = (spec as unknown as { layer: Layer[] }).layer;
  assert.deepEqual(diagonal.data.values, [{ confidence: 0, accuracy: 0 }, {
    confidence: 1,
    accuracy: 1,
  }]);
  const outputs = new Set(lines.data.values.map((row) => row.outputs as string));
  assert.equal(outputs.size, 2);
  const [asTrained, scaled] = [...outputs];
  assert.match(asTrained, /^as trained \(ECE \d+\.\d\d%\)$/);
  assert.match(scaled, /^T = 2\.00 \(ECE \d+\.\d\d%\)$/);
  // Every image is in exactly one non-empty bin of each line.
  for (const name of outputs) {
    const rows = lines.data.values.filter((row) => row.outputs === name);
    assert.equal(rows.reduce((sum, row) => sum + (row.count as number), 0), 60);
  }
  assert.equal(points.data.values, lines.data.values);
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (message) => warnings.push(message) });
  assert.deepEqual(warnings, []);
  assert.match(svg, /^<svg/);
});

Deno.test("reliabilityDiagramChart without a temperature has one line", () => {
  const spec = reliabilityDiagramChart(cnn, images.labels);
  const [, lines] = (spec as unknown as { layer: Layer[] }).layer;
  assert.equal(new Set(lines.data.values.map((row) => row.outputs)).size, 1);
});

Deno.test("reliabilityDiagramChart rejects a mismatch of outputs and labels", () => {
  assert.throws(
    () => reliabilityDiagramChart(cnn, images.labels.subarray(0, 10)),
    new RangeError(
      'Cannot chart a reliability diagram of model "cnn": it has 60 rows of probabilities, expected 10, one per label',
    ),
  );
});
