/**
 * Everything a run leaves in `--out`: the trained models, `metrics.json`,
 * the tables as CSV, the charts as SVG and PNG, and `report.html`, written
 * through a staging folder so a failure leaves the earlier run intact.
 *
 * The caller computes the analysis; this module only writes.
 *
 * @module
 */
import { join } from "node:path";
import { writeCharts } from "../charts/mod.ts";
import { findChanceLevelResults } from "../evaluation/mod.ts";
import type { Experiment } from "../training/mod.ts";
import type { Analysis } from "./analysis.ts";
import { buildReport } from "./html_report.ts";
import { buildMetricsJson } from "./metrics_json.ts";
import { writeStaged } from "./publish.ts";
import { describeReport } from "./run_report.ts";
import { writeTablesCsv } from "./tables_csv.ts";

/** Options for {@linkcode writeExperiment}. */
export interface WriteExperimentOptions {
  /** The output folder. */
  out: string;
}

/** What was written. */
export interface WrittenExperiment {
  /** Paths published in the output folder. */
  files: string[];
  /** Path of report.html. */
  report: string;
}

/** Labels of the models that trained on augmented images, when some but not all did. */
function partlyAugmented(experiment: Experiment): string[] | undefined {
  const augmented = experiment.trained.filter(({ model }) =>
    experiment.modelAugment?.[model.id] !== undefined
  );
  const some = augmented.length > 0 && augmented.length < experiment.trained.length;
  return some ? augmented.map(({ model }) => model.label) : undefined;
}

/**
 * Writes the models, metrics, tables, charts and report of an experiment:
 * each model in `models/<id>/` in its own format, the analysis's tables as
 * CSV and charts as SVG and PNG.
 *
 * @example
 * ```ts
 * const experiment = await runExperiment({ models: ["mlp"], epochs: 1 });
 * const analysis = analyseResults(experiment.trained.map((t) => t.result), experiment.data.test);
 * await writeExperiment(experiment, analysis, { out: "out" });
 * ```
 */
export async function writeExperiment(
  experiment: Experiment,
  analysis: Analysis,
  options: WriteExperimentOptions,
): Promise<WrittenExperiment> {
  const results = experiment.trained.map((trained) => trained.result);
  const metrics = buildMetricsJson(results, {
    dataset: experiment.dataset,
    backend: experiment.backend.id,
    seeds: { runs: experiment.seedRuns, labels: experiment.data.test.labels },
    augment: experiment.augment,
    modelAugment: experiment.modelAugment,
    settings: experiment.settings,
  });
  const report = describeReport(results, analysis, {
    dataset: experiment.dataset,
    counts: {
      train: experiment.data.train.count,
      validation: experiment.data.validation.count,
      test: experiment.data.test.count,
    },
    backend: experiment.backend.description,
    augmentedModels: partlyAugmented(experiment),
    chanceLevel: findChanceLevelResults(results, experiment.data.test.labels, {
      validationLabels: experiment.data.validation.labels,
    }),
  });
  const files = await writeStaged(async (directory) => {
    for (const { model } of experiment.trained) {
      await model.save(join(directory, "models", model.id));
    }
    await Deno.writeTextFile(
      join(directory, "metrics.json"),
      JSON.stringify(metrics, null, 2) + "\n",
    );
    await writeTablesCsv(analysis.tables, join(directory, "tables"));
    await writeCharts(analysis.charts, join(directory, "charts"));
    await Deno.writeTextFile(join(directory, "report.html"), await buildReport(report));
  }, options);
  return { files, report: join(options.out, "report.html") };
}
