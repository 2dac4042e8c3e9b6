/**
 * `metrics.json`, the summary other tools read:
 * `{"dataset", "models": {"<id>": {"testAccuracy", "testLoss", "params",
 * "epochs", "trainSeconds", "history": {"loss", "accuracy", "valLoss",
 * "valAccuracy"}}}}`, plus the backend and a timestamp.
 *
 * @module
 */
import type { ModelId } from "../config.ts";
import type { History } from "../results.ts";
import type { ModelResult } from "../results.ts";

/** One model's entry in `metrics.json`. */
export interface ModelMetrics {
  /** Accuracy on the test set, 0 to 1. */
  testAccuracy: number;
  /** Mean cross-entropy on the test set. */
  testLoss: number;
  /** Trainable parameters. */
  params: number;
  /** Epochs trained. */
  epochs: number;
  /** Wall time of training. */
  trainSeconds: number;
  /** Test images classified per second. */
  inferImagesPerSecond: number;
  /** Per-epoch history. */
  history: History;
}

/** The whole of `metrics.json`. */
export interface MetricsJson {
  /** Name of the data set. */
  dataset: string;
  /** Which backend tfjs ran on. */
  backend: string;
  /** When the run finished, ISO 8601. */
  createdAt: string;
  /** Entries by model id. */
  models: Record<ModelId, ModelMetrics>;
}

/**
 * Builds the `metrics.json` object of a run.
 *
 * @example
 * ```ts
 * const json = buildMetricsJson(results, { dataset: "mnist", backend: "blas" });
 * json.models.cnn?.testAccuracy;
 * ```
 */
export function buildMetricsJson(
  results: readonly ModelResult[],
  options: { dataset: string; backend: string },
): MetricsJson {
  const models: Record<ModelId, ModelMetrics> = {};
  for (const result of results) {
    models[result.id] = {
      testAccuracy: result.testAccuracy,
      testLoss: result.testLoss,
      params: result.params,
      epochs: result.epochs,
      trainSeconds: result.trainSeconds,
      inferImagesPerSecond: result.inferImagesPerSecond,
      history: result.history,
    };
  }
  return {
    dataset: options.dataset,
    backend: options.backend,
    createdAt: new Date().toISOString(),
    models,
  };
}
