/**
 * Sweeps: the settings a sweep varies, the trials of a grid or of random
 * draws, running them as `deno task train` processes (or emitting them as
 * shell lines for a cluster's scheduler), and collecting their results into
 * a table, the best settings, charts and a report.
 *
 * @example
 * ```ts
 * import { collectSweep, parseSweepAxis, planTrials, recordSweepSpec, runSweep } from "./lib/sweep/mod.ts";
 *
 * const axes = [parseSweepAxis("learningRate=1e-3,3e-3")];
 * const trials = planTrials(axes, { seeds: [1, 2] });
 * const spec = await recordSweepSpec({ model: "mlp", sharedArgs: ["--limit", "300"], keys: ["learningRate"], trials }, "sweeps/lr");
 * await runSweep(spec, { out: "sweeps/lr", jobs: 2 });
 * const sweep = await collectSweep("sweeps/lr");
 * ```
 *
 * @module
 */
export * from "./settings.ts";
export * from "./plan.ts";
export * from "./spec.ts";
export * from "./run.ts";
export * from "./emit.ts";
export * from "./collect.ts";
export * from "./best.ts";
export * from "./charts.ts";
export * from "./report.ts";
