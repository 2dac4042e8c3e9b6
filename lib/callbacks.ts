/**
 * What training reports while it runs, shared by every kind of model so
 * that progress bars, notebook displays and logs treat them alike. Library
 * code never prints: it calls these.
 *
 * @module
 */

/** Progress within an epoch, reported after a batch. */
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
  /** The learning rate the epoch's steps took. */
  learningRate: number;
  /** Wall time of the epoch, validation included, in seconds. */
  seconds: number;
  /** Training images per second over the epoch's training steps. */
  imagesPerSecond: number;
}

/** Callbacks through which training reports progress. */
export interface TrainingCallbacks {
  /** Called after batches (every batch, or every few for fast models). */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** Called after every epoch, validation included. */
  onEpochEnd?: (summary: EpochSummary) => void | Promise<void>;
}
