/**
 * Where models go wrong, alone and against each other: per-class error
 * rates, the most confused pairs of classes, how often the models agree,
 * the images on which they disagree, and how sure a model was when wrong.
 *
 * Column names are camelCase. A column about one model is named by its id
 * followed by the measure: `mlpErrorRate`, `cnnPredicted`, `scratchRight`.
 * Every function takes the test labels the probabilities were computed on.
 *
 * @module
 */
import pl from "nodejs-polars";
import { checkPositiveInteger } from "../checks.ts";
import { NUM_CLASSES } from "../config.ts";
import { checkClasses, checkModelList, checkProbabilities } from "./checks.ts";
import { confusionCounts, predictClasses } from "./classes.ts";
import type { ModelResult } from "../results.ts";

/** A model's predicted class and the probability it gave that class, per image. */
interface Predictions {
  id: string;
  classes: Uint8Array;
  confidence: Float32Array;
}

function predict(
  result: ModelResult,
  labels: ArrayLike<number>,
  action: string,
): Predictions {
  checkProbabilities(
    result.probabilities,
    labels.length,
    `${action} of ${result.id}`,
  );
  const classes = predictClasses(result.probabilities, labels.length);
  const confidence = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    confidence[i] = result.probabilities[i * NUM_CLASSES + classes[i]];
  }
  return { id: result.id, classes, confidence };
}

function predictEach(
  results: readonly ModelResult[],
  labels: ArrayLike<number>,
  action: string,
): Predictions[] {
  checkModelList(results, action);
  checkClasses(labels, "labels", action);
  return results.map((result) => predict(result, labels, action));
}

/** The column name of a measure about one model: `mlp` + `ErrorRate`. */
function modelColumn(id: string, measure: string): string {
  return id + measure[0].toUpperCase() + measure.slice(1);
}

/**
 * Returns each class's error rate for every model, side by side: columns
 * `class` (0 to 9), `support` (test images of that class), then one
 * `<id>ErrorRate` per model in the order given (0 to 1; null for a class
 * with no test images).
 *
 * @throws {RangeError} for no models, a repeated id, a label outside 0 to 9,
 * or probabilities whose length is not `labels.length * 10`.
 *
 * @example
 * ```ts
 * perClassErrors([mlpResult, cnnResult], test.labels).columns;
 * // ["class", "support", "mlpErrorRate", "cnnErrorRate"]
 * ```
 */
export function perClassErrors(
  results: readonly ModelResult[],
  labels: ArrayLike<number>,
): pl.DataFrame {
  const models = predictEach(results, labels, "compute per-class errors");
  const support = new Int32Array(NUM_CLASSES);
  for (let i = 0; i < labels.length; i++) support[labels[i]]++;
  const rateColumns = models.map(({ id, classes }) => {
    const errors = new Int32Array(NUM_CLASSES);
    for (let i = 0; i < labels.length; i++) {
      if (classes[i] !== labels[i]) errors[labels[i]]++;
    }
    const rates = Array.from(
      errors,
      (e, k) => (support[k] === 0 ? null : e / support[k]),
    );
    return pl.Series(modelColumn(id, "errorRate"), rates, pl.Float64);
  });
  return pl.DataFrame([
    pl.Series("class", Int32Array.from({ length: NUM_CLASSES }, (_, k) => k)),
    pl.Series("support", support),
    ...rateColumns,
  ]);
}

/** Options for {@link mostConfusedPairs}. */
export interface MostConfusedPairsOptions {
  /** How many pairs to return at most; default 10. */
  top?: number;
}

/** One off-diagonal cell of a confusion matrix. */
interface ConfusedPair {
  true: number;
  predicted: number;
  count: number;
  share: number;
}

/** The non-empty off-diagonal cells, most images first, ties in (true, predicted) order. */
function listConfusedPairs(counts: number[][]): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  counts.forEach((row, t) => {
    const support = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, p) => {
      if (p !== t && count > 0) {
        pairs.push({ true: t, predicted: p, count, share: count / support });
      }
    });
  });
  // Array sort is stable and the pairs were pushed in (true, predicted) order.
  return pairs.sort((a, b) => b.count - a.count);
}

/**
 * Returns the (true, predicted) pairs of different classes that one model
 * confuses most often: columns `true`, `predicted`, `count` and `share`
 * (count over the test images of the true class). Sorted by count, largest
 * first, ties by `true` then `predicted`; pairs never confused are left out.
 *
 * @throws {RangeError} for a label outside 0 to 9, probabilities whose length
 * is not `labels.length * 10`, or a `top` that is not a positive integer.
 *
 * @example
 * ```ts
 * mostConfusedPairs(cnnResult, test.labels, { top: 5 });
 * ```
 */
export function mostConfusedPairs(
  result: ModelResult,
  labels: ArrayLike<number>,
  options: MostConfusedPairsOptions = {},
): pl.DataFrame {
  const action = "find the most confused pairs";
  const top = options.top ?? 10;
  checkPositiveInteger(top, { action: action, name: "top" });
  const [{ classes }] = predictEach([result], labels, action);
  const kept = listConfusedPairs(confusionCounts(labels, classes)).slice(
    0,
    top,
  );
  return pl.DataFrame([
    pl.Series("true", kept.map((pair) => pair.true), pl.Int32),
    pl.Series("predicted", kept.map((pair) => pair.predicted), pl.Int32),
    pl.Series("count", kept.map((pair) => pair.count), pl.Int32),
    pl.Series("share", kept.map((pair) => pair.share), pl.Float64),
  ]);
}

/** Names the outcome in which exactly the models in `right` are right. */
function outcomeName(ids: readonly string[], right: readonly string[]): string {
  const n = ids.length;
  if (right.length === n) {
    return n === 1 ? "right" : n === 2 ? "both right" : "all right";
  }
  if (right.length === 0) {
    return n === 1 ? "wrong" : n === 2 ? "neither" : "none right";
  }
  return `only ${right.join(" and ")}`;
}

/** Whether model j is right in the outcome `mask`, for each of n models. */
function bitsOf(mask: number, n: number): boolean[] {
  return Array.from({ length: n }, (_, j) => ((mask >> j) & 1) === 1);
}

/** Every outcome of n models as a bit mask, in the order a reader scans them. */
function outcomeMasks(n: number): number[] {
  const rightCount = (mask: number) => bitsOf(mask, n).filter(Boolean).length;
  // Reading from the first model on, right sorts before wrong: "only mlp" before "only cnn".
  const key = (mask: number) => bitsOf(mask, n).map((right) => (right ? "0" : "1")).join("");
  return Array.from({ length: 2 ** n }, (_, mask) => mask).sort((a, b) =>
    rightCount(b) - rightCount(a) || (key(a) < key(b) ? -1 : 1)
  );
}

/**
 * Counts the test images by which models get them right: one row per
 * outcome, every outcome listed even when it never happens. Columns:
 * `outcome` (a readable name), one boolean `<id>Right` per model,
 * `count` and `share` (of all test images, 0 to 1).
 *
 * With two models the outcomes are "both right", "only mlp", "only cnn",
 * "neither". With three they are "all right", "only mlp and cnn" (and the
 * other pairs), "only mlp" (and the others), "none right": the full pattern,
 * since pairwise tables would count each image three times. With one model
 * the rows are just "right" and "wrong".
 *
 * @throws {RangeError} for no models, a repeated id, a label outside 0 to 9,
 * or probabilities whose length is not `labels.length * 10`.
 *
 * @example
 * ```ts
 * agreement([mlpResult, cnnResult], test.labels).select("outcome", "count");
 * ```
 */
export function agreement(
  results: readonly ModelResult[],
  labels: ArrayLike<number>,
): pl.DataFrame {
  const models = predictEach(results, labels, "count agreement");
  const ids = models.map(({ id }) => id);
  const counts = new Int32Array(2 ** models.length);
  for (let i = 0; i < labels.length; i++) {
    let mask = 0;
    models.forEach(({ classes }, j) => {
      if (classes[i] === labels[i]) mask |= 1 << j;
    });
    counts[mask]++;
  }
  const masks = outcomeMasks(models.length);
  const rights = masks.map((mask) => bitsOf(mask, models.length));
  return pl.DataFrame([
    pl.Series(
      "outcome",
      rights.map((right) => outcomeName(ids, ids.filter((_, j) => right[j]))),
    ),
    ...ids.map((id, j) => pl.Series(modelColumn(id, "right"), rights.map((right) => right[j]))),
    pl.Series("count", masks.map((mask) => counts[mask]), pl.Int32),
    pl.Series(
      "share",
      masks.map((mask) => counts[mask] / labels.length),
      pl.Float64,
    ),
  ]);
}

/** Options for {@link disagreements}. */
export interface DisagreementsOptions {
  /** How many images to return at most, the first by index; default all. */
  limit?: number;
}

/**
 * Lists the test images on which the models do not all predict the same
 * class, by index: columns `index`, `true`, then per model `<id>Predicted`
 * and `<id>Confidence` (the probability it gave its prediction). With one
 * model there is nothing to disagree about and the table has no rows.
 *
 * @throws {RangeError} for no models, a repeated id, a label outside 0 to 9,
 * probabilities whose length is not `labels.length * 10`, or a `limit` that
 * is not a positive integer.
 *
 * @example
 * ```ts
 * disagreements([mlpResult, cnnResult], test.labels, { limit: 20 });
 * ```
 */
export function disagreements(
  results: readonly ModelResult[],
  labels: ArrayLike<number>,
  options: DisagreementsOptions = {},
): pl.DataFrame {
  const action = "list disagreements";
  if (options.limit !== undefined) {
    checkPositiveInteger(options.limit, { action: action, name: "limit" });
  }
  const limit = options.limit ?? labels.length;
  const models = predictEach(results, labels, action);
  const first = models[0].classes;
  const indices: number[] = [];
  for (let i = 0; i < labels.length && indices.length < limit; i++) {
    if (models.some(({ classes }) => classes[i] !== first[i])) indices.push(i);
  }
  return pl.DataFrame([
    pl.Series("index", indices, pl.Int32),
    pl.Series("true", indices.map((i) => labels[i]), pl.Int32),
    ...models.flatMap(({ id, classes, confidence }) => [
      pl.Series(
        modelColumn(id, "predicted"),
        indices.map((i) => classes[i]),
        pl.Int32,
      ),
      pl.Series(
        modelColumn(id, "confidence"),
        indices.map((i) => confidence[i]),
        pl.Float32,
      ),
    ]),
  ]);
}

/**
 * Lists the test images one model gets wrong, most confident mistakes
 * first (ties by index): columns `index`, `true`, `predicted` and
 * `confidence` (the probability the model gave its wrong prediction).
 *
 * @throws {RangeError} for a label outside 0 to 9 or probabilities whose
 * length is not `labels.length * 10`.
 *
 * @example
 * ```ts
 * wrongPredictionConfidence(mlpResult, test.labels).head(5);
 * ```
 */
export function wrongPredictionConfidence(
  result: ModelResult,
  labels: ArrayLike<number>,
): pl.DataFrame {
  const [{ classes, confidence }] = predictEach(
    [result],
    labels,
    "list wrong predictions",
  );
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (classes[i] !== labels[i]) wrong.push(i);
  }
  wrong.sort((a, b) => confidence[b] - confidence[a] || a - b);
  return pl.DataFrame([
    pl.Series("index", wrong, pl.Int32),
    pl.Series("true", wrong.map((i) => labels[i]), pl.Int32),
    pl.Series("predicted", wrong.map((i) => classes[i]), pl.Int32),
    pl.Series("confidence", wrong.map((i) => confidence[i]), pl.Float32),
  ]);
}
