/**
 * Notebooks: one call each for what every notebook does around its
 * teaching cells (set up, train in front of the reader, load or train),
 * the display calls (tables, charts with a PNG fallback, live training
 * progress), the run settings, and the headless runner behind
 * `deno task notebooks`.
 *
 * @example
 * ```ts
 * import { startNotebook, trainInNotebook } from "../lib/notebook/mod.ts";
 *
 * const session = await startNotebook({ display: Deno.jupyter.display, quick: false });
 * const cnn = await trainInNotebook(session, "cnn", prepared);
 * ```
 *
 * @module
 */
export * from "./session.ts";
export * from "./display.ts";
export * from "./settings.ts";
export * from "./tables.ts";
export * from "./gradient_table.ts";
export * from "./chart_bundle.ts";
export * from "./runner.ts";
export * from "./experiments.ts";
export * from "./notebook_report.ts";
