/**
 * Progress of a tfjs `fit` epoch without a read-back per batch: the batch
 * losses and accuracies stay where the backend keeps them (on a GPU, in GPU
 * memory), summed into one small tensor, and are read only every few
 * batches, when a progress report is due.
 *
 * A plain callback object passed to `fit` makes tfjs read both values back
 * before every call, which stalls a GPU once a batch; a `tf.Callback`
 * subclass receives them unread.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { EpochOptions } from "./model.ts";

/** Batches between two progress reports (and read-backs); the last batch always reports. */
export const PROGRESS_EVERY = 10;

/** The running sums of (loss x size, accuracy x size) of an epoch, reported every few batches. */
export class BatchProgressCallback extends tf.Callback {
  readonly #options: EpochOptions;
  readonly #count: number;
  readonly #started: number;
  #sums: tf.Tensor | null = null;
  #seen = 0;

  /**
   * @param count Images in the epoch.
   * @param options The epoch's options, whose `onBatchEnd` receives the reports.
   */
  constructor(count: number, options: EpochOptions) {
    super();
    this.#count = count;
    this.#options = options;
    this.#started = performance.now();
  }

  override async onBatchEnd(batch: number, logs?: Record<string, tf.Tensor | number>) {
    const { batchSize, epoch, epochs, onBatchEnd } = this.#options;
    const size = Math.min(batchSize, this.#count - batch * batchSize);
    this.#seen += size;
    const batches = Math.ceil(this.#count / batchSize);
    const previous = this.#sums;
    // fit frees the batch's log tensors after the callbacks, so the sum is taken now.
    this.#sums = tf.tidy(() => {
      const values = tf.stack([asScalar(logs?.loss), asScalar(logs?.acc)]).mul(size);
      return previous === null ? values : previous.add(values);
    });
    previous?.dispose();
    const last = batch + 1 === batches;
    if (onBatchEnd === undefined || ((batch + 1) % PROGRESS_EVERY !== 0 && !last)) return;
    const [loss, correct] = await this.#sums.data();
    await onBatchEnd({
      epoch,
      epochs,
      batch: batch + 1,
      batches,
      loss: loss / this.#seen,
      accuracy: correct / this.#seen,
      imagesPerSecond: this.#seen / ((performance.now() - this.#started) / 1000),
    });
  }

  /** Frees the running sums. */
  dispose(): void {
    this.#sums?.dispose();
    this.#sums = null;
  }
}

/** A log value as a scalar tensor, whether fit passed a tensor or a number. */
function asScalar(value: tf.Tensor | number | undefined): tf.Tensor {
  if (value === undefined) return tf.scalar(0);
  return typeof value === "number" ? tf.scalar(value) : value.reshape([]);
}
