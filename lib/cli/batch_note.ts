/**
 * The train command's note when the batch is larger than the training set,
 * which makes every epoch a single gradient step: legal, but rarely meant
 * (a `--limit` below `--batch-size`, say).
 *
 * @module
 */

/**
 * The note for a batch of `batchSize` images on `trainingImages` training
 * images, or undefined when the batch is not larger than the set.
 *
 * @example
 * ```ts
 * batchNote(100000, 1800); // "the batch of 100000 is larger than the 1800 training images, ..."
 * batchNote(64, 1800); // undefined
 * ```
 */
export function batchNote(batchSize: number, trainingImages: number): string | undefined {
  if (batchSize <= trainingImages) return undefined;
  return `the batch of ${batchSize} is larger than the ${trainingImages} training images, ` +
    `so each epoch is one step on all of them`;
}
