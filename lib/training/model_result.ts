/**
 * The one place a `ModelResult` is made: from what training left (or what
 * an earlier run's `metrics.json` recorded) and a fresh evaluation.
 *
 * @module
 */
import type { ModelResult } from "../results.ts";
import type { TimedEvaluation } from "./evaluate.ts";

/** What a result says about a model besides its test figures. */
export type TrainingRecord = Pick<
  ModelResult,
  "id" | "label" | "params" | "epochs" | "learningRateSchedule" | "trainSeconds" | "history"
>;

/**
 * Joins a model's training record and its test evaluation into its result.
 *
 * @example
 * ```ts
 * const result = createModelResult(
 *   { id: model.id, label: model.label, params: model.params, epochs: 15, trainSeconds, history },
 *   await evaluateModel(model, prepared.test),
 * );
 * ```
 */
export function createModelResult(record: TrainingRecord, test: TimedEvaluation): ModelResult {
  return {
    ...record,
    testLoss: test.loss,
    testAccuracy: test.accuracy,
    probabilities: test.probabilities,
    inferImagesPerSecond: test.imagesPerSecond,
  };
}
