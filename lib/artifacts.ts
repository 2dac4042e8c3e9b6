/**
 * Everything a run leaves in `--out`: the trained models, `metrics.json`,
 * the tables as CSV, the charts as SVG and PNG, and `report.html`, written
 * through a staging folder so a failure leaves the earlier run intact.
 *
 * @module
 */
import { join } from "node:path";
import type pl from "nodejs-polars";
import { analyseResults } from "./analysis.ts";
import { writeCharts } from "./chart_files.ts";
import type { Experiment, TrainedModel } from "./experiment.ts";
import { buildMetricsJson } from "./metrics_json.ts";
import { saveLayersModel } from "./model_io.ts";
import { writeStaged } from "./publish.ts";
import { buildReport } from "./report.ts";
import { describeReport } from "./run_report.ts";
import { saveScratchMlp } from "./scratch/mod.ts";
import { writeTablesCsv } from "./tables_io.ts";

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
  /** The comparison table of the models. */
  comparison: pl.DataFrame;
}

/** Saves a trained model in its folder: tfjs layers format, or weights.npz. */
export async function saveTrainedModel(trained: TrainedModel, directory: string): Promise<void> {
  if (trained.kind === "scratch") await saveScratchMlp(trained.model, directory);
  else await saveLayersModel(trained.model, directory);
}

/**
 * Writes the models, metrics, tables, charts and report of an experiment.
 *
 * @example
 * ```ts
 * const experiment = await runExperiment({ models: ["mlp"], epochs: 1 });
 * await writeExperiment(experiment, { out: "out" });
 * ```
 */
export async function writeExperiment(
  experiment: Experiment,
  options: WriteExperimentOptions,
): Promise<WrittenExperiment> {
  const results = experiment.trained.map((trained) => trained.result);
  const analysis = analyseResults(results, experiment.data.test, {
    classNames: experiment.classNames,
  });
  const metrics = buildMetricsJson(results, {
    dataset: experiment.dataset,
    backend: experiment.backend.id,
  });
  const files = await writeStaged(async (directory) => {
    for (const trained of experiment.trained) {
      await saveTrainedModel(trained, join(directory, "models", trained.id));
    }
    await Deno.writeTextFile(
      join(directory, "metrics.json"),
      JSON.stringify(metrics, null, 2) + "\n",
    );
    await writeTablesCsv(analysis.tables, join(directory, "tables"));
    await writeCharts(analysis.charts, join(directory, "charts"));
    const report = describeReport(results, analysis, {
      dataset: experiment.dataset,
      counts: {
        train: experiment.data.train.count,
        validation: experiment.data.validation.count,
        test: experiment.data.test.count,
      },
      backend: experiment.backend.description,
    });
    await Deno.writeTextFile(join(directory, "report.html"), await buildReport(report));
  }, options);
  return {
    files,
    report: join(options.out, "report.html"),
    comparison: analysis.tables.comparison,
  };
}
