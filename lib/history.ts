/**
 * What training reports while it runs and what it leaves behind, shared by
 * the tfjs models and the from-scratch MLP so that reports treat them alike.
 *
 * @module
 */

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

/** Progress within an epoch, reported after each batch. */
export interface BatchProgress {
  /** Epoch number, counting from 1. */
  epoch: number;
  /** Epochs in the run. */
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  /** Batches in one epoch. */
  batches: number;
  /** Mean training loss so far this epoch. */
  loss: number;
  /** Training accuracy so far this epoch, 0 to 1. */
  accuracy: number;
  /** Training images per second so far this epoch. */
  imagesPerSecond: number;
}

/** The summary of one finished epoch. */
export interface EpochSummary {
  /** Epoch number, counting from 1. */
  epoch: number;
  /** Epochs in the run. */
  epochs: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Training accuracy of the epoch, 0 to 1. */
  accuracy: number;
  /** Validation loss after the epoch. */
  valLoss: number;
  /** Validation accuracy after the epoch, 0 to 1. */
  valAccuracy: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
  /** Training images per second over the epoch. */
  imagesPerSecond: number;
}

/** Callbacks through which training reports progress; library code never prints. */
export interface TrainingCallbacks {
  /** Called after every batch. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** Called after every epoch, validation included. */
  onEpochEnd?: (summary: EpochSummary) => void | Promise<void>;
}

/** Creates an empty history to append epochs to. */
export function createHistory(): History {
  return { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
}
