/**
 * Writes what a notebook trained as `deno task train` writes its run: the
 * models, metrics.json, the tables, the charts and report.html, so that a
 * model registered in a notebook is saved and reported like a built-in one.
 *
 * @module
 */
import type { DigitData, PreparedData } from "../data/mod.ts";
import { analyseResults, writeExperiment, type WrittenExperiment } from "../report/mod.ts";
import { experimentSettings, predictValidation, type TrainedModel } from "../training/mod.ts";
import type { NotebookSession } from "./session.ts";

/** Options for {@linkcode writeNotebookReport}. */
export interface WriteNotebookReportOptions {
  /** The data set as loaded, for its name and class names. */
  dataset: DigitData;
  /** The folder to write to, relative to the notebook; replaced only once complete. */
  out: string;
}

/**
 * Analyses models trained in a notebook at its run settings on `data`
 * (each once, with the session's seed) and writes them, their metrics,
 * tables, charts and report.html to `options.out`. The models stay usable;
 * dispose of them when done.
 *
 * @throws {RangeError} when no model is given.
 *
 * @example
 * ```ts
 * const written = await writeNotebookReport(session, prepared, [cnn, wide], { dataset: raw, out: "../out/05" });
 * written.report; // "../out/05/report.html"
 * ```
 */
export async function writeNotebookReport(
  session: NotebookSession,
  data: PreparedData,
  trained: readonly TrainedModel[],
  options: WriteNotebookReportOptions,
): Promise<WrittenExperiment> {
  if (trained.length === 0) {
    throw new RangeError("Cannot write a notebook's report: found 0 models, expected 1 or more");
  }
  const results = trained.map((model) => model.result);
  const seedRuns = { seeds: [session.run.training.seed], byModel: results.map((r) => [r]) };
  const analysis = analyseResults(results, data.test, {
    classNames: options.dataset.classNames,
    validation: await predictValidation([...trained], data.validation),
    seedRuns,
  });
  const experiment = {
    dataset: options.dataset.name,
    classNames: options.dataset.classNames,
    backend: session.backend,
    data,
    trained: [...trained],
    seedRuns,
    settings: experimentSettings({
      ...session.run.training,
      validationSplit: session.run.validationSplit,
    }),
  };
  return await writeExperiment(experiment, analysis, { out: options.out });
}
