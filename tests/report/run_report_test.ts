import assert from "node:assert/strict";
import { describeReport } from "../../lib/report/run_report.ts";
import { createResult } from "../fixtures/model_results.ts";

const RUN = {
  dataset: "mnist",
  counts: { train: 54000, validation: 6000, test: 10000 },
  backend: "wasm: as asked",
};

Deno.test("the report is titled and sectioned with the models' readable names", () => {
  const results = (["mlp", "cnn", "scratch"] as const).map((id) => createResult(id, [1, 2]));
  const report = describeReport(results, { tables: {}, charts: {} }, RUN);
  assert.equal(report.title, "MNIST: MLP vs CNN vs MLP from scratch");
  assert.deepEqual(report.sections.map((section) => section.title), [
    "Comparison",
    "Where they fail",
    "MLP",
    "CNN",
    "MLP from scratch",
  ]);
  assert.equal(
    report.dataset,
    "mnist: 54,000 training, 6,000 validation and 10,000 test images; tfjs backend wasm: as asked.",
  );
});

Deno.test("a data set other than MNIST keeps its own name in the title", () => {
  const report = describeReport([createResult("cnn", [0])], { tables: {}, charts: {} }, {
    ...RUN,
    dataset: "fashion",
  });
  assert.equal(report.title, "fashion: CNN");
});
