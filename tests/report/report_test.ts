import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  classBalanceChart,
  confusionMatrixChart,
  samplePredictionsChart,
  trainingCurvesChart,
} from "../../lib/charts/mod.ts";
import { buildReport, type ReportInput } from "../../lib/report/html_report.ts";
import { parameterParityNote, resultFacts } from "../../lib/report/notes.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(50);
const mlp = syntheticResult("mlp", images.labels, { accuracy: 0.8, seed: 1 });
const cnn = syntheticResult("cnn", images.labels, { accuracy: 0.95, seed: 2 });

const INPUT: ReportInput = {
  title: "MNIST <MLP & CNN>",
  dataset: "Synthetic digits: 50 test images",
  summary: resultFacts([mlp, cnn]),
  sections: [
    {
      title: "Comparison",
      text: "Both models side by side.",
      tables: [
        {
          title: "Model table",
          table: pl.DataFrame({ model: ["MLP", "CNN"], params: [mlp.params, cnn.params] }),
          caption: "Parameters per model.",
        },
        { title: "Row table", table: [{ class: "7", errors: 3 }] },
      ],
      charts: [
        { title: "Curves", spec: trainingCurvesChart([mlp, cnn]) },
        { title: "Confusion of the CNN", spec: confusionMatrixChart(cnn, images.labels) },
      ],
    },
    {
      title: "Data",
      charts: [
        { title: "Balance", spec: classBalanceChart(images.labels) },
        {
          title: "Predictions",
          spec: samplePredictionsChart(mlp, images, { count: 10 }),
          caption: "Ten digits.",
        },
      ],
    },
  ],
  notes: [parameterParityNote([mlp, cnn]) ?? ""],
};

Deno.test("the report holds every table and chart given, escaped", async () => {
  const html = await buildReport(INPUT);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>MNIST &lt;MLP &amp; CNN&gt;<\/title>/);
  for (
    const heading of [
      "Model table",
      "Row table",
      "Curves",
      "Confusion of the CNN",
      "Balance",
      "Predictions",
    ]
  ) {
    assert.ok(html.includes(`<h3>${heading}</h3>`), `missing ${heading}`);
  }
  assert.equal(html.match(/<svg /g)?.length, 4);
  assert.equal(html.match(/<table>/g)?.length, 2);
  assert.match(html, /<td class="number">235,146<\/td>/);
  assert.match(html, /<td>7<\/td><td class="number">3<\/td>/);
  assert.ok(html.includes("MLP test accuracy"));
  assert.ok(html.includes("Ten digits."));
  assert.ok(html.includes("235,146 trainable parameters and the CNN 225,034"));
});

Deno.test("the report is self-contained and its SVG ids are unique", async () => {
  const html = await buildReport(INPUT);
  assert.doesNotMatch(html, /\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i, "external src or href");
  assert.doesNotMatch(html, /<script|<link|@import|url\(\s*["']?https?:/i);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
  assert.equal(new Set(ids).size, ids.length, "duplicate ids");
  for (const match of html.matchAll(/url\(#([^)]+)\)/g)) {
    assert.ok(ids.includes(match[1]), `dangling ${match[0]}`);
  }
  assert.ok(html.includes("data:image/png;base64,"), "digits are embedded as data URLs");
});

Deno.test("the report carries a date only when given one", async () => {
  const minimal: ReportInput = { title: "T", dataset: "D", sections: [] };
  assert.doesNotMatch(await buildReport(minimal), /Generated/);
  const dated = await buildReport({ ...minimal, generatedAt: new Date("2025-01-02T03:04:05Z") });
  assert.match(dated, /Generated 2025-01-02T03:04:05.000Z/);
});

Deno.test("parameter parity is stated from the counts, only when both models are present", () => {
  assert.match(
    parameterParityNote([mlp, cnn]) ?? "",
    /^The MLP has 235,146 .+ CNN 225,034, 4\.3% apart\. .+fair/,
  );
  assert.equal(parameterParityNote([cnn]), undefined);
  const big = { ...cnn, params: 1_000_000 };
  assert.match(parameterParityNote([mlp, big]) ?? "", /capacity rather than architecture/);
});

Deno.test("buildReport rejects input without a title", async () => {
  await assert.rejects(() => buildReport({ title: " ", dataset: "D", sections: [] }), {
    name: "TypeError",
    message: 'Cannot build the report: title is " ", expected a non-empty string',
  });
});
