/**
 * A trained model ready to read digits: a tfjs layers model (the MLP or the
 * CNN) or the from-scratch MLP, loaded from its saved folder, behind one
 * prediction function.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { IMAGE_PIXELS, NUM_CLASSES } from "./config.ts";
import { loadLayersModel, MODEL_JSON } from "./model_io.ts";
import { loadScratchMlp, SCRATCH_WEIGHTS_FILE } from "./scratch/weights_io.ts";
import type { ScratchMlp } from "./scratch/network.ts";
import { predictScratchMlp } from "./scratch/evaluate.ts";

/** A loaded model and what kind it is. */
export type Predictor =
  | { kind: "tfjs"; directory: string; model: tf.LayersModel }
  | { kind: "scratch"; directory: string; network: ScratchMlp };

/** What a model reads in one image. */
export interface DigitPrediction {
  /** The most probable class, 0 to 9. */
  digit: number;
  /** The probability of each class 0 to 9; they sum to 1. */
  probabilities: number[];
}

/** Options of {@link predictDigits}. */
export interface PredictDigitsOptions {
  /** Images per call of the model, which bounds the memory one call takes (default 256). */
  batchSize?: number;
}

/** Whether a path exists and is a file. */
async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Loads a saved model folder: tfjs layers format (`model.json` and its
 * weights) or the from-scratch MLP's (`weights.npz`). Throws NotFound when
 * the folder holds neither, and TypeError when the model does not take
 * 784 pixels and give 10 classes.
 *
 * @example
 * ```ts
 * const cnn = await loadPredictor("out/models/cnn");
 * ```
 */
export async function loadPredictor(directory: string): Promise<Predictor> {
  if (await isFile(join(directory, MODEL_JSON))) {
    const model = await loadLayersModel(directory);
    checkLayersModel(model, directory);
    return { kind: "tfjs", directory, model };
  }
  if (await isFile(join(directory, SCRATCH_WEIGHTS_FILE))) {
    return { kind: "scratch", directory, network: await loadScratchMlp(directory) };
  }
  throw new Deno.errors.NotFound(
    `Cannot load model from '${directory}': found neither ${MODEL_JSON} (tfjs layers model) nor ${SCRATCH_WEIGHTS_FILE} (from-scratch MLP)`,
  );
}

/** Refuses a model that does not map one 28x28 image to 10 classes. */
function checkLayersModel(model: tf.LayersModel, directory: string): void {
  const inputShape = model.inputs[0].shape.slice(1);
  const inputs = inputShape.reduce((product: number, size) => product * (size ?? NaN), 1);
  const outputs = model.outputs[0].shape.slice(1);
  if (inputs !== IMAGE_PIXELS || outputs.length !== 1 || outputs[0] !== NUM_CLASSES) {
    model.dispose();
    throw new TypeError(
      `Cannot load model from '${directory}': it maps [${inputShape}] to [${outputs}], expected ${IMAGE_PIXELS} pixels to ${NUM_CLASSES} classes`,
    );
  }
}

/**
 * Reads the digits in `pixels`: `count * 784` values in [0, 1], one MNIST
 * image after another (as `preprocessDigit` makes them).
 *
 * @example
 * ```ts
 * const [prediction] = await predictDigits(cnn, preprocessDigit(image));
 * prediction.digit; // 7
 * ```
 */
export async function predictDigits(
  predictor: Predictor,
  pixels: Float32Array,
  options: PredictDigitsOptions = {},
): Promise<DigitPrediction[]> {
  if (pixels.length % IMAGE_PIXELS !== 0) {
    throw new RangeError(
      `Cannot predict digits: got ${pixels.length} pixels, expected a multiple of ${IMAGE_PIXELS}`,
    );
  }
  const count = pixels.length / IMAGE_PIXELS;
  if (count === 0) return [];
  const probabilities = predictor.kind === "scratch"
    ? predictScratchMlp(predictor.network, pixels, count)
    : await predictLayers(predictor.model, pixels, options.batchSize ?? 256);
  return Array.from({ length: count }, (_, i) => {
    const row = Array.from(probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
    return { digit: row.indexOf(Math.max(...row)), probabilities: row };
  });
}

/** Runs a layers model batch by batch and returns the probabilities, row by row. */
async function predictLayers(
  model: tf.LayersModel,
  pixels: Float32Array,
  batchSize: number,
): Promise<Float32Array> {
  const inputShape = model.inputs[0].shape.slice(1) as number[];
  const count = pixels.length / IMAGE_PIXELS;
  const out = new Float32Array(count * NUM_CLASSES);
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const batch = pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS);
    const output = tf.tidy(() =>
      model.predict(tf.tensor(batch, [end - start, ...inputShape])) as tf.Tensor
    );
    out.set(await output.data(), start * NUM_CLASSES);
    output.dispose();
  }
  return out;
}

/**
 * Frees the tensors a predictor holds (the from-scratch MLP holds none).
 *
 * @example
 * ```ts
 * disposePredictor(cnn);
 * ```
 */
export function disposePredictor(predictor: Predictor): void {
  if (predictor.kind === "tfjs") predictor.model.dispose();
}
