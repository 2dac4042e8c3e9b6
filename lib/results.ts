/**
 * What training and evaluation leave behind, whatever the model: the
 * per-epoch history and one `ModelResult` per trained model.
 *
 * Training produces results; tables, charts and the report consume lists of
 * them, so they never depend on how a model works.
 *
 * @module
 */
import type { LearningRateScheduleId, ModelId } from "./config.ts";

/** Per-epoch training history, the keys `metrics.json` uses. */
export interface History {
  /** Mean training loss of each epoch. */
  loss: number[];
  /** Training accuracy of each epoch, 0 to 1. */
  accuracy: number[];
  /** Validation loss after each epoch. */
  valLoss: number[];
  /** Validation accuracy after each epoch, 0 to 1. */
  valAccuracy: number[];
}

/**
 * Creates an empty history to append epochs to.
 *
 * @example
 * ```ts
 * const history = createHistory();
 * history.loss.push(0.31);
 * ```
 */
export function createHistory(): History {
  return { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
}

/** One trained and evaluated model. */
export interface ModelResult {
  /** Which model this is: its registry id, which names its columns, files and folders. */
  id: ModelId;
  /** Its name as tables, charts and the report show it ("MLP from scratch"). */
  label: string;
  /** Trainable parameters. */
  params: number;
  /** Epochs trained. */
  epochs: number;
  /** How its learning rate moved over the epochs; absent in results read from older runs. */
  learningRateSchedule?: LearningRateScheduleId;
  /** Wall time of training, validation included, in seconds. */
  trainSeconds: number;
  /** Per-epoch training history. */
  history: History;
  /** Mean categorical cross-entropy on the test set. */
  testLoss: number;
  /** Accuracy on the test set, 0 to 1. */
  testAccuracy: number;
  /** Softmax outputs on the test set, probabilities in [0, 1], shape [count, 10], row-major. */
  probabilities: Float32Array;
  /** Test images classified per second: forward passes only, loading excluded. */
  inferImagesPerSecond: number;
}

/**
 * Each model trained once per seed on the same splits: `byModel[m][s]` is
 * model `m` trained with `seeds[s]`. Every model has one result per seed.
 */
export interface SeedRuns {
  /** The seeds, in the order trained. */
  seeds: number[];
  /** Per model (in the order asked), its results in seed order. */
  byModel: ModelResult[][];
}
