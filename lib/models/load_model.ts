/**
 * Loading a saved model from its folder, whatever wrote it: the standard
 * TensorFlow.js layers format (`model.json` and its weights, from this
 * project or any tfjs tool) or the from-scratch MLP's `weights.npz`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { basename, dirname, join } from "node:path";
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import { loadScratchMlp, SCRATCH_WEIGHTS_FILE } from "../scratch/mod.ts";
import { loadLayersModel, MODEL_JSON } from "./layers_io.ts";
import { LayersDigitModel } from "./layers_model.ts";
import type { DigitModel } from "./model.ts";
import { createModelRegistry, type ModelRegistry } from "./registry.ts";
import { ScratchDigitModel } from "./scratch_model.ts";

/** Options for {@linkcode loadModel}. */
export interface LoadModelOptions {
  /** Where the model's label comes from (default the built-in models); a model it does not know is labelled by its id. */
  registry?: ModelRegistry;
  /** The model's id; default the folder's name ("cnn" for `out/models/cnn`). */
  id?: string;
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

/** The folder a model path names: the path itself, or the folder of a `model.json`. */
async function modelFolder(path: string): Promise<string> {
  if (!(await isFile(path))) return path;
  if (basename(path) === MODEL_JSON) return dirname(path);
  throw new Deno.errors.NotFound(
    `Cannot load model from '${path}': it is a file, expected a saved model's folder or its ${MODEL_JSON}`,
  );
}

/**
 * Loads a saved model: a folder holding `model.json` (tfjs layers) or
 * `weights.npz` (from-scratch MLP), or the path of the `model.json` itself.
 *
 * @throws {Deno.errors.NotFound} when the folder holds neither, or the path
 * is a file other than `model.json`.
 * @throws {TypeError} when the model does not map one 28x28 image (input
 * shape [28, 28], [28, 28, 1] or [784]) to 10 classes, or `model.json` is
 * not a layers model; the message names the `model.json` and what it found.
 *
 * @example
 * ```ts
 * const cnn = await loadModel("out/models/cnn");
 * const probabilities = await cnn.predict(pixels, 1); // 10 values
 * ```
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<DigitModel> {
  const directory = await modelFolder(path);
  const id = options.id ?? basename(directory);
  const label = (options.registry ?? createModelRegistry()).labelOf(id);
  if (await isFile(join(directory, MODEL_JSON))) {
    const model = await loadLayersModel(directory);
    checkLayersModel(model, directory);
    return new LayersDigitModel(model, { id, label });
  }
  if (await isFile(join(directory, SCRATCH_WEIGHTS_FILE))) {
    return new ScratchDigitModel(await loadScratchMlp(directory), { id, label });
  }
  throw new Deno.errors.NotFound(
    `Cannot load model from '${directory}': found neither ${MODEL_JSON} (tfjs layers model) nor ${SCRATCH_WEIGHTS_FILE} (from-scratch MLP)`,
  );
}

/** The input shapes, less the batch, that hold one 28x28 image. */
const IMAGE_INPUT_SHAPES = [[IMAGE_SIZE, IMAGE_SIZE], [IMAGE_SIZE, IMAGE_SIZE, 1], [IMAGE_PIXELS]];

/** Refuses a model that does not map one 28x28 image to 10 classes, naming its model.json. */
function checkLayersModel(model: tf.LayersModel, directory: string): void {
  const input = model.inputs[0].shape.slice(1);
  const output = model.outputs[0].shape.slice(1);
  const path = join(directory, MODEL_JSON);
  let problem: string | undefined;
  if (model.inputs.length !== 1 || !IMAGE_INPUT_SHAPES.some((shape) => sameShape(input, shape))) {
    problem = `found input shape ${
      shapeText(model.inputs.map((tensor) => tensor.shape.slice(1)))
    }` +
      `, expected one 28x28 image: [28, 28], [28, 28, 1] or [784]`;
  } else if (model.outputs.length !== 1 || !sameShape(output, [NUM_CLASSES])) {
    problem = `found output shape ${
      shapeText(model.outputs.map((tensor) => tensor.shape.slice(1)))
    }` +
      `, expected [${NUM_CLASSES}] (one probability per digit)`;
  }
  if (problem !== undefined) {
    model.dispose();
    throw new TypeError(`Cannot load model from '${path}': ${problem}`);
  }
}

function sameShape(shape: (number | null)[], expected: number[]): boolean {
  return shape.length === expected.length && shape.every((size, i) => size === expected[i]);
}

/** Shapes as `[28, 28]`, several joined by "and". */
function shapeText(shapes: (number | null)[][]): string {
  return shapes.map((shape) => `[${shape.join(", ")}]`).join(" and ");
}
