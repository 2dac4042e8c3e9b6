/**
 * Picking examples out of the test set for the error analysis: the images
 * only one model gets right, a subset of images with the matching part of
 * each model's outputs (to chart them with the digit charts), and how sure
 * each model is when it is wrong.
 *
 * @module
 */
import pl from "nodejs-polars";
import { type ModelId, NUM_CLASSES } from "../config.ts";
import { checkClasses, checkModelList, checkProbabilities } from "./checks.ts";
import { predictClasses } from "./classes.ts";
import type { ModelResult } from "../results.ts";

/**
 * Returns, in test-set order, the indices of the images that model `id`
 * classifies right and every other model gets wrong.
 *
 * @throws {RangeError} when `id` is not among the results, fewer than two
 * models are given, or the probabilities do not match the labels.
 *
 * @example
 * ```ts
 * const onlyCnn = onlyRightIndices([mlpResult, cnnResult], test.labels, "cnn");
 * ```
 */
export function onlyRightIndices(
  results: readonly ModelResult[],
  labels: Uint8Array,
  id: ModelId,
): number[] {
  const action = `find the images only ${id} gets right`;
  checkModelList(results, action);
  checkClasses(labels, "labels", action);
  if (results.length < 2 || !results.some((result) => result.id === id)) {
    throw new RangeError(
      `Cannot ${action}: the models are [${
        results.map((result) => result.id)
      }], expected ${id} and at least one other`,
    );
  }
  const predictions = results.map((result) => {
    checkProbabilities(result.probabilities, labels.length, `${action} of ${result.id}`);
    return { id: result.id, classes: predictClasses(result.probabilities, labels.length) };
  });
  const indices: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const onlyThis = predictions.every(({ id: other, classes }) =>
      (classes[i] === labels[i]) === (other === id)
    );
    if (onlyThis) indices.push(i);
  }
  return indices;
}

function checkIndices(indices: readonly number[], count: number, action: string): void {
  const bad = indices.find((index) => !Number.isInteger(index) || index < 0 || index >= count);
  if (bad !== undefined) {
    throw new RangeError(
      `Cannot ${action}: index ${bad} is out of range, expected an integer from 0 to ${count - 1}`,
    );
  }
}

/**
 * Keeps a result's outputs for the images at `indices`, so that it matches
 * `selectImages(test, indices)`; everything else is unchanged.
 *
 * @example
 * ```ts
 * samplePredictionsChart(selectImages(test, picked), selectResult(mlpResult, picked));
 * ```
 */
export function selectResult(result: ModelResult, indices: readonly number[]): ModelResult {
  const count = result.probabilities.length / NUM_CLASSES;
  checkIndices(indices, count, `select outputs of ${result.id}`);
  const probabilities = new Float32Array(indices.length * NUM_CLASSES);
  indices.forEach((index, row) => {
    probabilities.set(
      result.probabilities.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES),
      row * NUM_CLASSES,
    );
  });
  return { ...result, probabilities };
}

/** Median of a non-empty sorted list. */
function medianOfSorted(values: readonly number[]): number {
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/** Probability each image's predicted class got, split by right and wrong. */
function confidenceByOutcome(result: ModelResult, labels: Uint8Array, action: string) {
  checkProbabilities(result.probabilities, labels.length, `${action} of ${result.id}`);
  const classes = predictClasses(result.probabilities, labels.length);
  const right: number[] = [], wrong: number[] = [];
  classes.forEach((predicted, i) => {
    const confidence = result.probabilities[i * NUM_CLASSES + predicted];
    (predicted === labels[i] ? right : wrong).push(confidence);
  });
  return { right, wrong: wrong.sort((a, b) => a - b) };
}

/**
 * Sums up how sure each model is when it is wrong, one row per model:
 * `model`, `wrong` (test images misclassified), `wrongMeanConfidence` and
 * `wrongMedianConfidence` (the probability it gave its wrong answer),
 * `wrongOver90` (the share of its mistakes made with at least 90%
 * confidence) and, to compare, `rightMeanConfidence`. Confidence columns are
 * null for a model that makes no mistake.
 *
 * @example
 * ```ts
 * wrongConfidenceSummary([mlpResult, cnnResult], test.labels);
 * ```
 */
export function wrongConfidenceSummary(
  results: readonly ModelResult[],
  labels: Uint8Array,
): pl.DataFrame {
  const action = "sum up wrong predictions";
  checkModelList(results, action);
  checkClasses(labels, "labels", action);
  const rows = results.map((result) => {
    const { right, wrong } = confidenceByOutcome(result, labels, action);
    const mean = (values: number[]) =>
      values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    return {
      model: result.id,
      wrong: wrong.length,
      wrongMeanConfidence: mean(wrong),
      wrongMedianConfidence: wrong.length === 0 ? null : medianOfSorted(wrong),
      wrongOver90: wrong.length === 0
        ? null
        : wrong.filter((value) => value >= 0.9).length / wrong.length,
      rightMeanConfidence: mean(right),
    };
  });
  return pl.DataFrame([
    pl.Series("model", rows.map((row) => row.model), pl.String),
    pl.Series("wrong", rows.map((row) => row.wrong), pl.Int32),
    pl.Series("wrongMeanConfidence", rows.map((row) => row.wrongMeanConfidence), pl.Float64),
    pl.Series("wrongMedianConfidence", rows.map((row) => row.wrongMedianConfidence), pl.Float64),
    pl.Series("wrongOver90", rows.map((row) => row.wrongOver90), pl.Float64),
    pl.Series("rightMeanConfidence", rows.map((row) => row.rightMeanConfidence), pl.Float64),
  ]);
}
