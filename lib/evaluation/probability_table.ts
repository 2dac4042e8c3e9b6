/**
 * What a model says about the first images of a set, class by class.
 *
 * @module
 */
import pl from "nodejs-polars";
import { NUM_CLASSES } from "../config.ts";

/** Options for {@linkcode probabilityTable}. */
export interface ProbabilityTableOptions {
  /** Rows shown, the first images. Default 5. */
  rows?: number;
}

/**
 * Shows what a model says about the first images: columns `image`, `true`,
 * `predicted`, then `p0` to `p9`, the probability of each class.
 *
 * @example
 * ```ts
 * probabilityTable(predictScratchMlp(network, test.pixels, 5), test.labels, { rows: 5 });
 * ```
 */
export function probabilityTable(
  probabilities: Float32Array,
  labels: Uint8Array,
  options: ProbabilityTableOptions = {},
): pl.DataFrame {
  const available = Math.floor(probabilities.length / NUM_CLASSES);
  const rows = Math.min(options.rows ?? 5, available, labels.length);
  if (probabilities.length % NUM_CLASSES !== 0 || rows < 1) {
    throw new RangeError(
      `Cannot tabulate probabilities: found ${probabilities.length} values and ${labels.length} labels, expected ${NUM_CLASSES} values per labelled image`,
    );
  }
  const row = (index: number) =>
    probabilities.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES);
  const indices = Array.from({ length: rows }, (_, index) => index);
  const predicted = indices.map((index) => row(index).indexOf(Math.max(...row(index))));
  return pl.DataFrame([
    pl.Series("image", indices, pl.Int32),
    pl.Series("true", indices.map((index) => labels[index]), pl.Int32),
    pl.Series("predicted", predicted, pl.Int32),
    ...Array.from(
      { length: NUM_CLASSES },
      (_, k) => pl.Series(`p${k}`, indices.map((index) => row(index)[k]), pl.Float64),
    ),
  ]);
}
