/**
 * The sweep's results on disk: `tables/trials.csv` and
 * `tables/settings.csv`, the charts as SVG and PNG, and a self-contained
 * `report.html` with the best settings, the tables, the charts and the
 * failed trials.
 *
 * @module
 */
import { join } from "node:path";
import { writeCharts } from "../charts/mod.ts";
import { buildReport, type ReportSection, writeTablesCsv } from "../report/mod.ts";
import { bestSettings, rankSettings } from "./best.ts";
import type { CollectedSweep } from "./collect.ts";
import { sweepCharts } from "./charts.ts";

/** A number for the report: accuracies as percentages, others as they are, none as a dash. */
function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  return /Accuracy/.test(key) ? `${(value * 100).toFixed(2)}%` : String(value);
}

/** The report's sections: results, charts, and failed trials if any. */
function sweepSections(sweep: CollectedSweep): ReportSection[] {
  const { spec, table, results, failed } = sweep;
  const charts = sweepCharts(results, spec.keys);
  const sections: ReportSection[] = [{
    title: "Settings ranked by validation accuracy",
    text:
      "Each row is one combination of settings, its validation accuracy averaged over its seeds. The best is chosen by validation accuracy; test accuracy is shown but never chooses.",
    tables: [
      { title: "Settings", table: rankSettings(table, spec.keys) },
      { title: "Every trial", table },
    ],
  }, {
    title: "Charts",
    charts: Object.entries(charts).map(([name, chart]) => ({
      title: name === "grid"
        ? "The whole grid, small multiples"
        : `Validation accuracy against ${name.replace("val_accuracy_", "")}`,
      spec: chart,
      caption: name === "grid"
        ? "Each point is a trial; the line is the mean over seeds."
        : "Lines join the means over seeds; error bars are one standard deviation over seeds.",
    })),
  }];
  if (failed.length > 0) {
    sections.push({ title: "Failed trials", tables: [{ title: "Failed", table: failed }] });
  }
  return sections;
}

/**
 * Renders a sweep's report.html.
 *
 * @example
 * ```ts
 * const html = await buildSweepReport(await collectSweep("sweeps/lr"));
 * ```
 */
export async function buildSweepReport(sweep: CollectedSweep): Promise<string> {
  const best = bestSettings(sweep.table, sweep.spec.keys);
  const summary = [
    { label: "Model", value: sweep.spec.model },
    { label: "Trials finished", value: `${sweep.results.length} of ${sweep.spec.trials.length}` },
    { label: "Failed", value: String(sweep.failed.length) },
    ...Object.entries(best ?? {}).map(([key, value]) => ({
      label: `Best ${key}`,
      value: formatValue(key, value),
    })),
  ];
  return await buildReport({
    title: `Sweep of ${sweep.spec.model}`,
    dataset: `Training flags shared by every trial: ${sweep.spec.sharedArgs.join(" ") || "none"}`,
    summary,
    sections: sweepSections(sweep),
  });
}

/**
 * Writes a sweep's tables, charts and report into its folder; returns the paths written.
 *
 * @example
 * ```ts
 * await writeSweepResults(await collectSweep("sweeps/lr"), "sweeps/lr");
 * ```
 */
export async function writeSweepResults(sweep: CollectedSweep, out: string): Promise<string[]> {
  const tables = await writeTablesCsv({
    trials: sweep.table,
    settings: rankSettings(sweep.table, sweep.spec.keys),
  }, join(out, "tables"));
  const charts = await writeCharts(
    sweepCharts(sweep.results, sweep.spec.keys),
    join(out, "charts"),
  );
  const report = join(out, "report.html");
  await Deno.writeTextFile(report, await buildSweepReport(sweep));
  return [...tables, ...charts, report];
}
