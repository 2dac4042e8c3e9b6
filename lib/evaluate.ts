/**
 * Evaluation of a trained tfjs model on a labelled split: its softmax
 * outputs, test loss and accuracy, and how fast it classifies.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { argmaxClasses } from "./classes.ts";
import { IMAGE_PIXELS, NUM_CLASSES } from "./config.ts";
import type { PreparedSet } from "./preprocess.ts";
import { toImageTensor } from "./tensors.ts";

/** Options for {@linkcode evaluateModel}. */
export interface EvaluateModelOptions {
  /** Images classified per forward pass. Default 1000. */
  batchSize?: number;
}

/** How a model did on a labelled split. */
export interface Evaluation {
  /** Mean categorical cross-entropy, probabilities clipped as Keras does. */
  loss: number;
  /** Share of images classified right, 0 to 1. */
  accuracy: number;
  /** Softmax outputs, `count * 10`, row-major. */
  probabilities: Float32Array;
  /** Images classified per second (forward passes only). */
  imagesPerSecond: number;
}

/** Keras clips probabilities to [epsilon, 1 - epsilon] before taking logs. */
const EPSILON = 1e-7;

/**
 * Scores softmax outputs against true labels: mean cross-entropy and accuracy.
 *
 * @example
 * ```ts
 * scoreProbabilities(new Float32Array([0.9, 0.1, ...]), new Uint8Array([0]));
 * ```
 */
export function scoreProbabilities(
  probabilities: Float32Array,
  labels: Uint8Array,
): { loss: number; accuracy: number } {
  if (probabilities.length !== labels.length * NUM_CLASSES) {
    throw new RangeError(
      `Cannot score predictions: ${probabilities.length} probabilities for ${labels.length} labels, expected ${
        labels.length * NUM_CLASSES
      }`,
    );
  }
  const predicted = argmaxClasses(probabilities);
  let loss = 0, correct = 0;
  labels.forEach((label, i) => {
    const p = Math.min(Math.max(probabilities[i * NUM_CLASSES + label], EPSILON), 1 - EPSILON);
    loss -= Math.log(p);
    if (predicted[i] === label) correct++;
  });
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}

/**
 * Classifies images with a model in batches, returning the softmax outputs.
 *
 * @example
 * ```ts
 * const probabilities = await predictProbabilities(model, prepared.test);
 * ```
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  set: Pick<PreparedSet, "pixels" | "count">,
  options: EvaluateModelOptions = {},
): Promise<Float32Array> {
  const batchSize = options.batchSize ?? 1000;
  const probabilities = new Float32Array(set.count * NUM_CLASSES);
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(start + batchSize, set.count);
    const batch = {
      pixels: set.pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS),
      count: end - start,
    };
    const output = tf.tidy(() => model.predict(toImageTensor(batch)) as tf.Tensor);
    probabilities.set(await output.data<"float32">(), start * NUM_CLASSES);
    output.dispose();
  }
  return probabilities;
}

/**
 * Evaluates a model on a labelled split.
 *
 * @example
 * ```ts
 * const { accuracy } = await evaluateModel(model, prepared.test);
 * ```
 */
export async function evaluateModel(
  model: tf.LayersModel,
  set: PreparedSet,
  options: EvaluateModelOptions = {},
): Promise<Evaluation> {
  const started = performance.now();
  const probabilities = await predictProbabilities(model, set, options);
  const seconds = (performance.now() - started) / 1000;
  return {
    ...scoreProbabilities(probabilities, set.labels),
    probabilities,
    imagesPerSecond: set.count / seconds,
  };
}
