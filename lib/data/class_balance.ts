/**
 * How many images each class has in each split, as a table: whether
 * accuracy is a fair summary or a class needs re-weighting.
 *
 * @module
 */
import pl from "nodejs-polars";
import { NUM_CLASSES } from "../config.ts";

/** Options for {@linkcode classBalance}. */
export interface ClassBalanceOptions {
  /** Names of classes 0 to 9. Default the digits "0" to "9". */
  classNames?: readonly string[];
}

function checkClassNames(classNames: readonly string[], action: string): void {
  if (classNames.length !== NUM_CLASSES) {
    throw new RangeError(
      `Cannot ${action}: found ${classNames.length} class names, expected ${NUM_CLASSES}`,
    );
  }
}

function countClasses(labels: Uint8Array, split: string): Int32Array {
  const counts = new Int32Array(NUM_CLASSES);
  labels.forEach((label, index) => {
    if (label >= NUM_CLASSES) {
      throw new RangeError(
        `Cannot count classes: label ${index} of the ${split} split is ${label}, expected 0 to ${
          NUM_CLASSES - 1
        }`,
      );
    }
    counts[label]++;
  });
  return counts;
}

/**
 * Counts the images of each class in each split: a column `class` (the class
 * names), then for each split a count column named after it and a
 * `<split>Share` column (its share of the split, 0 to 1).
 *
 * @example
 * ```ts
 * classBalance({ train: data.train.labels, test: data.test.labels });
 * // class | train | trainShare | test | testShare
 * ```
 */
export function classBalance(
  splits: Record<string, Uint8Array>,
  options: ClassBalanceOptions = {},
): pl.DataFrame {
  const classNames = options.classNames ?? Array.from({ length: NUM_CLASSES }, (_, k) => String(k));
  checkClassNames(classNames, "count classes");
  const columns: pl.Series[] = [pl.Series("class", [...classNames], pl.String)];
  for (const [split, labels] of Object.entries(splits)) {
    const counts = countClasses(labels, split);
    columns.push(pl.Series(split, counts, pl.Int32));
    columns.push(
      pl.Series(`${split}Share`, Array.from(counts, (count) => count / labels.length), pl.Float64),
    );
  }
  return pl.DataFrame(columns);
}
