/**
 * Text for training progress: a bar that redraws in place on a terminal,
 * and one plain line per epoch elsewhere (logs, CI, notebooks).
 *
 * @module
 */
import type { BatchProgress, EpochSummary } from "../callbacks.ts";

/** Options for {@linkcode formatProgressBar}. */
export interface ProgressBarOptions {
  /** Characters of the bar itself. Default 24. */
  width?: number;
  /** A label in front, such as the model id. */
  label?: string;
}

/**
 * One line showing the progress of an epoch: bar, loss, accuracy, speed.
 *
 * @example
 * ```ts
 * formatProgressBar({ epoch: 1, epochs: 15, batch: 422, batches: 844, loss: 0.31,
 *   accuracy: 0.91, imagesPerSecond: 1500 }, { label: "cnn" });
 * // "cnn epoch 1/15 [############------------] 422/844 loss 0.3100 acc 0.9100 1500 img/s"
 * ```
 */
export function formatProgressBar(
  progress: BatchProgress,
  options: ProgressBarOptions = {},
): string {
  const width = options.width ?? 24;
  const filled = Math.round((progress.batch / progress.batches) * width);
  const bar = "#".repeat(filled) + "-".repeat(width - filled);
  const label = options.label ? `${options.label} ` : "";
  return `${label}epoch ${progress.epoch}/${progress.epochs} [${bar}] ${progress.batch}/${progress.batches} ` +
    `loss ${progress.loss.toFixed(4)} acc ${progress.accuracy.toFixed(4)} ${
      Math.round(progress.imagesPerSecond)
    } img/s`;
}

/**
 * One line summing up a finished epoch.
 *
 * @example
 * ```ts
 * formatEpochLine({ epoch: 1, epochs: 15, loss: 0.2, accuracy: 0.94, valLoss: 0.08,
 *   valAccuracy: 0.976, learningRate: 1e-3, seconds: 31.2, imagesPerSecond: 1731 }, "cnn");
 * // "cnn epoch 1/15 loss 0.2000 acc 0.9400 val_loss 0.0800 val_acc 0.9760 lr 1.0e-3 31.2 s 1731 img/s"
 * ```
 */
export function formatEpochLine(summary: EpochSummary, label?: string): string {
  return `${label ? `${label} ` : ""}epoch ${summary.epoch}/${summary.epochs} ` +
    `loss ${summary.loss.toFixed(4)} acc ${summary.accuracy.toFixed(4)} ` +
    `val_loss ${summary.valLoss.toFixed(4)} val_acc ${summary.valAccuracy.toFixed(4)} ` +
    `lr ${summary.learningRate.toExponential(1)} ${summary.seconds.toFixed(1)} s ${
      Math.round(summary.imagesPerSecond)
    } img/s`;
}
