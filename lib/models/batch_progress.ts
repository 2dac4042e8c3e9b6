/**
 * Progress of an epoch without a read-back per batch: each batch's loss
 * and correct count stay where the backend keeps them (on a GPU, in GPU
 * memory), summed into one small tensor, and are read only every few
 * batches, when a progress report is due, and at the end of the epoch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { EpochOptions } from "./model.ts";

/** Batches between two progress reports (and read-backs); the last batch always reports. */
export const PROGRESS_EVERY = 10;

/** The running sums of (loss x size, correct images) of an epoch, reported every few batches. */
export class EpochProgress {
  readonly #options: EpochOptions;
  readonly #count: number;
  readonly #started: number;
  #sums: tf.Tensor | null = null;
  #seen = 0;
  #batches = 0;

  /**
   * @param count Images in the epoch.
   * @param options The epoch's options, whose `onBatchEnd` receives the reports.
   */
  constructor(count: number, options: EpochOptions) {
    this.#count = count;
    this.#options = options;
    this.#started = performance.now();
  }

  /**
   * Adds one batch's sums (as `trainBatch` returns them, `[2]`: loss times
   * images, correct images), taking them over, and reports progress when
   * due; resolves once the report is made.
   *
   * @example
   * ```ts
   * await progress.addBatch(trainBatch(model, { x, y }), 64);
   * ```
   */
  async addBatch(sums: tf.Tensor, size: number): Promise<void> {
    const previous = this.#sums;
    this.#sums = previous === null ? sums : tf.tidy(() => tf.add(previous, sums));
    if (previous !== null) tf.dispose([previous, sums]);
    this.#seen += size;
    this.#batches++;
    const { batchSize, epoch, epochs, onBatchEnd } = this.#options;
    const batches = Math.ceil(this.#count / batchSize);
    const last = this.#batches === batches;
    if (onBatchEnd === undefined || (this.#batches % PROGRESS_EVERY !== 0 && !last)) return;
    const { loss, accuracy } = await this.totals();
    await onBatchEnd({
      epoch,
      epochs,
      batch: this.#batches,
      batches,
      loss,
      accuracy,
      imagesPerSecond: this.#seen / ((performance.now() - this.#started) / 1000),
    });
  }

  /**
   * The mean loss and the share of images classified right over the batches
   * added so far (0 and 0 before any).
   *
   * @example
   * ```ts
   * const { loss, accuracy } = await progress.totals();
   * ```
   */
  async totals(): Promise<{ loss: number; accuracy: number }> {
    if (this.#sums === null) return { loss: 0, accuracy: 0 };
    const [loss, correct] = await this.#sums.data();
    return { loss: loss / this.#seen, accuracy: correct / this.#seen };
  }

  /** Frees the running sums. */
  dispose(): void {
    this.#sums?.dispose();
    this.#sums = null;
  }
}
