/**
 * Classification metrics of one model: accuracy and a per-class report, as
 * scikit-learn computes them.
 *
 * Counting is done in typed arrays by `classes.ts` (which also predicts the
 * classes); the tables come back as nodejs-polars DataFrames. Column names are camelCase (`true`, `precision`, `f1`), except
 * the confusion matrix's predicted-class columns, which are the classes
 * themselves ("0" to "9").
 *
 * @module
 */
import pl from "nodejs-polars";
import { NUM_CLASSES } from "../config.ts";
import { confusionCounts } from "./classes.ts";
import { checkClassPairs } from "./checks.ts";

/** The classes 0 to 9, the row and column order of every per-class table. */
const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

/**
 * Returns the share of predictions equal to the labels, 0 to 1.
 *
 * @throws {RangeError} if the lengths differ, are 0, or a value is not a class 0 to 9.
 *
 * @example
 * ```ts
 * accuracyOf(Uint8Array.of(1, 2, 3, 4), Uint8Array.of(1, 2, 3, 0)); // 0.75
 * ```
 */
export function accuracyOf(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
): number {
  checkClassPairs(labels, predicted, "compute accuracy");
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === predicted[i]) right++;
  }
  return right / labels.length;
}

/** Precision, recall and F1 of each class, from the confusion counts. */
interface ClassScores {
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  support: Int32Array;
  predicted: Int32Array;
}

function scoreClasses(counts: number[][]): ClassScores {
  const scores: ClassScores = {
    precision: new Float64Array(NUM_CLASSES),
    recall: new Float64Array(NUM_CLASSES),
    f1: new Float64Array(NUM_CLASSES),
    support: new Int32Array(NUM_CLASSES),
    predicted: new Int32Array(NUM_CLASSES),
  };
  for (const k of CLASSES) {
    for (const t of CLASSES) {
      scores.predicted[k] += counts[t][k];
      scores.support[k] += counts[k][t];
    }
    const truePositives = counts[k][k];
    // zero_division=0: an undefined ratio (nothing predicted, or no support) counts as 0.
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    scores.precision[k] = ratio(truePositives, scores.predicted[k]);
    scores.recall[k] = ratio(truePositives, scores.support[k]);
    scores.f1[k] = ratio(
      2 * truePositives,
      scores.predicted[k] + scores.support[k],
    );
  }
  return scores;
}

function averageOf(values: Float64Array, weights: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (const k of CLASSES) {
    const weight = weights[k];
    sum += values[k] * weight;
    total += weight;
  }
  return sum / total;
}

/**
 * Returns precision, recall, F1 and support of each class, then the rows
 * "macro avg" (plain mean over the classes) and "weighted avg" (mean
 * weighted by support), as scikit-learn's
 * `classification_report(labels, predicted, zero_division=0)`: a ratio with
 * a zero denominator (a class never predicted, or with no images) is 0.
 * Every class 0 to 9 has a row; a class that is neither in the labels nor
 * predicted has a row of zeros and, as scikit-learn leaves it out of its
 * label set, is left out of the macro average.
 *
 * Columns: `class` (string: "0" to "9", "macro avg", "weighted avg"),
 * `precision`, `recall`, `f1` (0 to 1), `support` (images of that class;
 * all images on the average rows).
 *
 * @throws {RangeError} if the lengths differ, are 0, or a value is not a class 0 to 9.
 *
 * @example
 * ```ts
 * const report = classificationReport(test.labels, predictClasses(result.probabilities));
 * report.filter(pl.col("class").eq(pl.lit("macro avg")));
 * ```
 */
export function classificationReport(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
): pl.DataFrame {
  checkClassPairs(labels, predicted, "compute the classification report");
  const scores = scoreClasses(confusionCounts(labels, predicted));
  const present = CLASSES.map((
    k,
  ) => (scores.support[k] + scores.predicted[k] > 0 ? 1 : 0));
  const column = (values: Float64Array) => [
    ...values,
    averageOf(values, present),
    averageOf(values, scores.support),
  ];
  return pl.DataFrame([
    pl.Series("class", [...CLASSES.map(String), "macro avg", "weighted avg"]),
    pl.Series("precision", column(scores.precision), pl.Float64),
    pl.Series("recall", column(scores.recall), pl.Float64),
    pl.Series("f1", column(scores.f1), pl.Float64),
    pl.Series(
      "support",
      [...scores.support, labels.length, labels.length],
      pl.Int32,
    ),
  ]);
}
