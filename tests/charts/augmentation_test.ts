import assert from "node:assert/strict";
import { augmentationGridChart, renderSvg } from "../../lib/charts/mod.ts";
import { AUGMENT_PRESETS } from "../../lib/data/mod.ts";
import { syntheticImages } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(5);

function rowsOf(spec: object): Record<string, unknown>[] {
  return (spec as { data: { values: Record<string, unknown>[] } }).data.values;
}

Deno.test("the augmentation grid shows the original then its versions, all with its label", async () => {
  const spec = augmentationGridChart(images, {
    settings: AUGMENT_PRESETS.standard,
    index: 2,
    count: 9,
  });
  const rows = rowsOf(spec);
  assert.equal(rows.length, 10);
  const label = String(images.labels[2]);
  assert.equal(rows[0].caption, `${label} original`);
  assert.ok(rows.slice(1).every((row) => row.caption === label));
  // Versions differ from one another, and repeat for the same seed.
  assert.notEqual(rows[1].url, rows[2].url);
  assert.notEqual(rows[0].url, rows[1].url);
  const again = rowsOf(
    augmentationGridChart(images, { settings: AUGMENT_PRESETS.standard, index: 2, count: 9 }),
  );
  assert.deepEqual(again, rows);
  assert.match(await renderSvg(spec), /<svg/);
});

Deno.test("the augmentation grid rejects an index outside the set", () => {
  assert.throws(
    () => augmentationGridChart(images, { settings: AUGMENT_PRESETS.standard, index: 5 }),
    {
      name: "RangeError",
      message:
        "Cannot chart a digit's augmentations: index is 5, expected a whole number from 0 to 4",
    },
  );
});
