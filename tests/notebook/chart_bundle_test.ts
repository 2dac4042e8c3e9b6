import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { decode } from "fast-png";
import {
  chartBundle,
  digitImageBundle,
  VEGA_LITE_V5_SCHEMA,
} from "../../lib/notebook/chart_bundle.ts";
import { classBalanceChart, trainingCurvesChart } from "../../lib/charts/mod.ts";
import { VEGA_LITE_SCHEMA } from "../../lib/charts/style.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(40);

Deno.test("a chart bundle carries Vega-Lite declared as v5, a PNG and the title", async () => {
  const spec = trainingCurvesChart([
    syntheticResult("mlp", images.labels, { accuracy: 0.9, seed: 5 }),
  ]);
  const before = structuredClone(spec);
  const bundle = await chartBundle(spec);
  assert.deepEqual(Object.keys(bundle).sort(), [
    "application/vnd.vegalite.v5+json",
    "image/png",
    "text/plain",
  ]);
  const vegaLite = bundle["application/vnd.vegalite.v5+json"];
  assert.equal(vegaLite.$schema, VEGA_LITE_V5_SCHEMA);
  assert.deepEqual({ ...vegaLite, $schema: VEGA_LITE_SCHEMA }, before, "only the schema changes");
  assert.deepEqual(spec, before, "the caller's spec is left alone");
  const png = decode(Buffer.from(bundle["image/png"], "base64"));
  assert.ok(png.width > 500 && png.height > 200, `PNG is ${png.width}x${png.height}`);
  assert.equal(bundle["text/plain"], "Training curves");
});

Deno.test("the bundle's text names the chart whichever form its title takes", async () => {
  const spec = {
    ...classBalanceChart(images.labels),
    title: { text: "Test set", subtitle: "10 classes" },
  };
  assert.equal((await chartBundle(spec, { scale: 1 }))["text/plain"], "Test set");
});

Deno.test("the charts declare the v6 schema that the bundle relabels", () => {
  assert.equal(VEGA_LITE_SCHEMA, "https://vega.github.io/schema/vega-lite/v6.json");
  assert.equal(classBalanceChart(images.labels).$schema, VEGA_LITE_SCHEMA);
});

Deno.test("a digit bundle is a PNG of the digit, 4 times larger by default", () => {
  const bundle = digitImageBundle(images.pixels.subarray(0, 784), { caption: "label 0" });
  const png = decode(Buffer.from(bundle["image/png"], "base64"));
  assert.equal(png.width, 112);
  assert.equal(bundle["text/plain"], "label 0");
});
