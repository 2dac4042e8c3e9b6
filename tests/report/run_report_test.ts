import assert from "node:assert/strict";
import { calibrationSummary } from "../../lib/evaluation/mod.ts";
import { analyseResults, describeReport } from "../../lib/report/mod.ts";
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

Deno.test("a model at chance says so in its section, the others do not", () => {
  const results = (["mlp", "cnn"] as const).map((id) => createResult(id, [1, 2]));
  const report = describeReport(results, { tables: {}, charts: {} }, {
    ...RUN,
    chanceLevel: [{
      id: "cnn",
      testAccuracy: 0.1135,
      testChance: 0.1135,
      validationAccuracy: 0.09,
      validationChance: 0.115,
      atChance: ["validation", "test"],
    }],
  });
  const text = (title: string) => report.sections.find((section) => section.title === title)?.text;
  assert.match(
    text("CNN") ?? "",
    /Its validation accuracy 9\.00% \(chance 11\.50%\) and test accuracy 11\.35% \(chance 11\.35%\) are within 5 points of always answering the most frequent class: .* Train on more images or for more epochs\.$/,
  );
  assert.doesNotMatch(text("MLP") ?? "", /chance/);
});

Deno.test("a data set other than MNIST keeps its own name in the title", () => {
  const report = describeReport([createResult("cnn", [0])], { tables: {}, charts: {} }, {
    ...RUN,
    dataset: "fashion",
  });
  assert.equal(report.title, "fashion: CNN");
});

Deno.test("each model with a calibration table gets a calibration section after its own", () => {
  const results = (["mlp", "cnn"] as const).map((id) => createResult(id, [1, 2]));
  const labels = Uint8Array.of(1, 0);
  const fit = { temperature: 1.5, lossBefore: 0.4, lossAfter: 0.3 };
  const analysis = analyseResults(results, { pixels: new Float32Array(2 * 784), labels, count: 2 });
  assert.ok(analysis.tables.calibration && analysis.charts.reliability_cnn);
  analysis.tables.calibration = calibrationSummary(results, labels, { fits: { cnn: fit } });
  const report = describeReport(results, analysis, RUN);
  assert.deepEqual(report.sections.map((section) => section.title), [
    "Comparison",
    "Where they fail",
    "MLP",
    "Calibration: MLP",
    "CNN",
    "Calibration: CNN",
  ]);
  const [mlpText, cnnText] = [3, 5].map((i) => report.sections[i].text!);
  // Both predict 1 then 2 at 0.9 and get one of two right; one bin: ECE = |0.5 - 0.9| = 40%.
  assert.match(mlpText, /^Expected calibration error on the test set: 40\.00% as trained\. /);
  assert.match(cnnText, /40\.00% as trained; \d+\.\d\d% after temperature scaling with T = 1\.500/);
});

Deno.test("the augmentation section names the models that trained on augmented images, when not all did", () => {
  const results = (["lenet5", "mlp"] as const).map((id) => createResult(id, [1, 2]));
  const analysis = {
    tables: {},
    charts: { augmentation: { mark: "point" } },
  } as unknown as Parameters<
    typeof describeReport
  >[1];
  const textOf = (run: Parameters<typeof describeReport>[2]) =>
    describeReport(results, analysis, run).sections.find((s) => s.title === "Augmentation")?.text;
  assert.match(
    textOf({ ...RUN, augmentedModels: ["lenet5"] }) ?? "",
    /^lenet5 \(the others trained on the images as they are\): each epoch trained on new random/,
  );
  assert.match(textOf(RUN) ?? "", /^Each epoch trained on new random distortions/);
});
