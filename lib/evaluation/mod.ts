/**
 * Evaluation: what a model's test-set outputs say. Predicted classes and
 * the confusion counts, loss and accuracy, per-class reports, the
 * side-by-side comparison, where models fail and where they disagree.
 * Everything takes `ModelResult`s and true labels, in that order, and
 * returns numbers or nodejs-polars tables.
 *
 * @example
 * ```ts
 * import { compareModels, perClassErrors } from "./lib/evaluation/mod.ts";
 *
 * compareModels(results);
 * perClassErrors(results, test.labels);
 * ```
 *
 * @module
 */
export * from "./checks.ts";
export * from "./classes.ts";
export * from "./score.ts";
export * from "./metrics.ts";
export * from "./comparison.ts";
export * from "./error_analysis.ts";
export * from "./error_examples.ts";
export * from "./probability_table.ts";
export * from "./calibration.ts";
export * from "./temperature.ts";
export * from "./calibration_summary.ts";
export * from "./statistics.ts";
export * from "./seed_comparison.ts";
export * from "./chance_level.ts";
