import assert from "node:assert/strict";
import pl from "nodejs-polars";
import type { EpochSummary } from "../../lib/callbacks.ts";
import {
  createNotebookShow,
  type JupyterDisplayOptions,
  trainingProgressBundle,
} from "../../lib/notebook/display.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";
import { trainingCurvesChart } from "../../lib/charts/mod.ts";

/** A stand-in for Deno.jupyter.display that records what it was given. */
function recordingDisplay() {
  const calls: { value: unknown; options?: JupyterDisplayOptions }[] = [];
  const display = (value: unknown, options?: JupyterDisplayOptions) => {
    calls.push({ value, options });
    return Promise.resolve();
  };
  return { calls, display };
}

function epoch(index: number, epochs: number): EpochSummary {
  return {
    epoch: index,
    epochs,
    loss: 0.5 / index,
    accuracy: 0.9,
    valLoss: 0.4 / index,
    valAccuracy: 0.91,
    learningRate: 1e-3,
    seconds: 2.25,
    imagesPerSecond: 1234.4,
  };
}

Deno.test("trainingProgressBundle shows the headline and one row per finished epoch", () => {
  const bundle = trainingProgressBundle({
    label: "MLP",
    epochs: [epoch(1, 3), epoch(2, 3)],
    status: "training",
  });
  assert.match(bundle["text/html"], /^<div><code>MLP: training<\/code><\/div><table>/);
  assert.equal(bundle["text/html"].match(/<tr>/g)?.length, 3); // header and two epochs
  assert.match(bundle["text/html"], /<td>2\/3<\/td>/);
  assert.match(bundle["text/html"], /1,234/);
  const lines = bundle["text/plain"].split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[0], "MLP: training");
  assert.match(lines[2], /^MLP epoch 2\/3 loss 0\.2500 /);
});

Deno.test("trainingProgressBundle shows the current batch as a bar and escapes the label", () => {
  const bundle = trainingProgressBundle({
    label: "<b>CNN</b>",
    epochs: [],
    batch: {
      epoch: 1,
      epochs: 2,
      batch: 5,
      batches: 10,
      loss: 1,
      accuracy: 0.5,
      imagesPerSecond: 100,
    },
  });
  assert.match(bundle["text/html"], /&lt;b&gt;CNN&lt;\/b&gt; epoch 1\/2 \[#+-+\] 5\/10/);
  assert.doesNotMatch(bundle["text/html"], /<table>/);
});

Deno.test("a progress display opens once, then updates the same display id", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0, batchIntervalMs: 0 });
  const progress = await show.progress("MLP");
  const batch = {
    epoch: 1,
    epochs: 2,
    batch: 1,
    batches: 2,
    loss: 1,
    accuracy: 0.5,
    imagesPerSecond: 10,
  };
  await progress.callbacks.onBatchEnd(batch);
  await progress.callbacks.onEpochEnd(epoch(1, 2));
  await progress.callbacks.onEpochEnd(epoch(2, 2));
  const result = syntheticResult("mlp", syntheticImages(20).labels, {
    accuracy: 0.9,
    seed: 1,
    epochs: 2,
  });
  await progress.finish(result);
  assert.equal(calls.length, 5);
  const id = calls[0].options?.display_id;
  assert.match(id ?? "", /^progress-/);
  assert.deepEqual(calls.map((call) => call.options?.update), [false, true, true, true, true]);
  assert.ok(calls.every((call) => call.options?.display_id === id && call.options?.raw === true));
  const last = (calls[4].value as { "text/plain": string })["text/plain"];
  assert.match(
    last,
    /^MLP: trained 2 epochs in 12\.5 s; test accuracy \d+\.\d\d%, test loss 0\.1200/,
  );
  assert.equal(last.split("\n").length, 3);
});

Deno.test("batch updates within an epoch are throttled", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0, batchIntervalMs: 60_000 });
  const progress = await show.progress("CNN");
  for (let batch = 1; batch <= 50; batch++) {
    await progress.callbacks.onBatchEnd({
      epoch: 1,
      epochs: 1,
      batch,
      batches: 50,
      loss: 1,
      accuracy: 0.5,
      imagesPerSecond: 10,
    });
  }
  assert.equal(calls.length, 2); // the opening display and the first batch
  await progress.callbacks.onEpochEnd(epoch(1, 1));
  assert.equal(calls.length, 3); // every epoch end is shown
});

Deno.test("two progress displays get different ids", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0 });
  await show.progress("MLP");
  await show.progress("MLP");
  assert.notEqual(calls[0].options?.display_id, calls[1].options?.display_id);
});

Deno.test("show.table rounds floats and can cut rows; the DataFrame goes to display as it is", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0 });
  const table = pl.DataFrame({ name: ["a", "b", "c"], value: [0.123456, 1.5, 2] });
  await show.table(table, { digits: 2, rows: 2 });
  const shown = calls[0].value as pl.DataFrame;
  assert.equal(calls[0].options, undefined); // formatted by the kernel, as an HTML table
  assert.deepEqual(shown.toRecords(), [{ name: "a", value: 0.12 }, { name: "b", value: 1.5 }]);
});

Deno.test("show.chart sends a raw bundle with Vega-Lite and a PNG", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0 });
  const labels = syntheticImages(30).labels;
  await show.chart(
    trainingCurvesChart([syntheticResult("mlp", labels, { accuracy: 0.9, seed: 2 })]),
  );
  const bundle = calls[0].value as Record<string, unknown>;
  assert.equal(calls[0].options?.raw, true);
  assert.ok(bundle["application/vnd.vegalite.v5+json"]);
  const png = atob(bundle["image/png"] as string);
  assert.equal(png.slice(1, 4), "PNG");
});

Deno.test("show.markdown and show.text send raw text bundles", async () => {
  const { calls, display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 0 });
  await show.markdown("**bold**");
  await show.text("plain");
  assert.deepEqual(calls.map((call) => call.value), [
    { "text/markdown": "**bold**", "text/plain": "**bold**" },
    { "text/plain": "plain" },
  ]);
});

Deno.test("each display is followed by the settle pause", async () => {
  const { display } = recordingDisplay();
  const show = createNotebookShow(display, { settleMs: 60 });
  const started = performance.now();
  await show.text("one");
  assert.ok(performance.now() - started >= 55);
});
