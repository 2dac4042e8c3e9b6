/**
 * Training: the loop every model goes through, evaluation on a split with
 * its speed, the results it leaves, the progress text, and whole
 * experiments (load the data, train and evaluate each model).
 *
 * @example
 * ```ts
 * import { runExperiment } from "./lib/training/mod.ts";
 *
 * const experiment = await runExperiment({ models: ["mlp", "cnn"], epochs: 1 });
 * experiment.trained.map(({ result }) => result.testAccuracy);
 * ```
 *
 * @module
 */
export * from "./train.ts";
export * from "./learning_rate_schedule.ts";
export * from "./evaluate.ts";
export * from "./model_result.ts";
export * from "./experiment.ts";
export * from "./progress.ts";
export * from "./validation_outputs.ts";
