/**
 * Reports: the analysis of a run (every table and chart comparing its
 * models), the self-contained HTML report, `metrics.json`, CSV tables, the
 * staged writing of a whole run into `--out`, and reading a run back.
 *
 * @example
 * ```ts
 * import { analyseResults, writeExperiment } from "./lib/report/mod.ts";
 *
 * const analysis = analyseResults(results, experiment.data.test);
 * await writeExperiment(experiment, analysis, { out: "out" });
 * ```
 *
 * @module
 */
export * from "./analysis.ts";
export * from "./artifacts.ts";
export * from "./html_report.ts";
export * from "./html_table.ts";
export * from "./metrics_json.ts";
export * from "./notes.ts";
export * from "./publish.ts";
export * from "./run_report.ts";
export * from "./saved_run.ts";
export * from "./style.ts";
export * from "./tables_csv.ts";
