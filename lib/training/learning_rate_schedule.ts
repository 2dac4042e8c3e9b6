/**
 * The learning rate of each epoch under a schedule.
 *
 * @module
 */
import type { LearningRateScheduleId } from "../config.ts";

/** Where a run stands, and the learning rate it started with. */
export interface ScheduleOptions {
  /** The learning rate of the first epoch. */
  learningRate: number;
  /** Epoch number, counting from 1. */
  epoch: number;
  /** Epochs in the run. */
  epochs: number;
}

/**
 * The learning rate of epoch `epoch` of `epochs`. "constant" gives the
 * learning rate η throughout. "cosine" gives
 * `η · (1 + cos(π · (epoch - 1) / epochs)) / 2`: η in the first epoch,
 * then lower each epoch along half a cosine, about η · 0.01 in the last of
 * 15 (Loshchilov and Hutter 2017, "SGDR: Stochastic Gradient Descent with
 * Warm Restarts", eq. 5, one period and a floor of 0; the same values as
 * PyTorch's `CosineAnnealingLR(T_max=epochs)` stepped once an epoch).
 *
 * @throws {RangeError} when `epoch` is not a whole number from 1 to `epochs`.
 *
 * @example
 * ```ts
 * scheduledLearningRate("cosine", { learningRate: 1e-3, epoch: 6, epochs: 10 }); // 5e-4
 * ```
 */
export function scheduledLearningRate(
  schedule: LearningRateScheduleId,
  options: ScheduleOptions,
): number {
  const { learningRate, epoch, epochs } = options;
  if (!(Number.isInteger(epoch) && Number.isInteger(epochs) && epoch >= 1 && epoch <= epochs)) {
    throw new RangeError(
      `Cannot schedule the learning rate: epoch is ${epoch} of ${epochs}, expected a whole number from 1 to the epochs`,
    );
  }
  if (schedule === "constant") return learningRate;
  return learningRate * (1 + Math.cos(Math.PI * (epoch - 1) / epochs)) / 2;
}
