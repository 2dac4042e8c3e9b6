/**
 * Saving and loading tfjs layers models in a folder, in the standard
 * TensorFlow.js format (`model.json` plus a binary weight file), so any tfjs
 * program loads them with `tf.loadLayersModel`. tfjs' own `file://` handler
 * needs tfjs-node, which cannot be installed here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { normaliseKerasTopology } from "./keras_topology.ts";

/** Name of the model description file. */
export const MODEL_JSON = "model.json";

/** How to make a layers model from a Keras model, for messages that refuse another kind. */
const CONVERT_HINT = "tensorflowjs_converter --input_format keras model.h5 out_dir";

/** Name of the single weight file written next to it. */
export const WEIGHTS_BIN = "weights.bin";

/**
 * Saves a layers model into `directory` as `model.json` and `weights.bin`.
 *
 * @example
 * ```ts
 * await saveLayersModel(createMlp(), "out/models/mlp");
 * ```
 */
export async function saveLayersModel(model: tf.LayersModel, directory: string): Promise<void> {
  await Deno.mkdir(directory, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
    const modelJson: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology as object,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    };
    await Deno.writeFile(join(directory, WEIGHTS_BIN), weights);
    await Deno.writeTextFile(join(directory, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
}

async function readModelJson(path: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot load model from ${path}: file not found`);
    }
    throw error;
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyntaxError(`Cannot load model from ${path}: not valid JSON`);
  }
  if (json?.modelTopology === undefined || !Array.isArray(json.weightsManifest)) {
    throw new TypeError(
      `Cannot load model from ${path}: found no modelTopology and weightsManifest, expected a tfjs layers model.json`,
    );
  }
  return checkLayersFormat(json, path);
}

/** Refuses a graph model or a missing topology with what to do instead; the JSON otherwise. */
function checkLayersFormat(json: tf.io.ModelJSON, path: string): tf.io.ModelJSON {
  // Older converters leave out "format"; a GraphDef's "node" list tells it too.
  const topology = json.modelTopology as { node?: unknown } | null;
  if (json.format === "graph-model" || Array.isArray(topology?.node)) {
    throw new TypeError(
      `Cannot load model from '${path}': found a graph model ("format": "graph-model"), expected a layers model; convert the Keras model as one with ${CONVERT_HINT}`,
    );
  }
  if (json.modelTopology === null || typeof json.modelTopology !== "object") {
    throw new TypeError(
      `Cannot load model from '${path}': found "modelTopology": ${
        JSON.stringify(json.modelTopology)
      }, expected the model's layers; convert the Keras model with them using ${CONVERT_HINT}`,
    );
  }
  return json;
}

/** Bytes per stored value, by dtype or quantization dtype. */
const BYTES_PER_VALUE: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** Bytes the weights of a manifest take, NaN when a dtype has no fixed size. */
function manifestBytes(specs: tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((sum, spec) => {
    const values = spec.shape.reduce((product, size) => product * size, 1);
    return sum + values * BYTES_PER_VALUE[spec.quantization?.dtype ?? spec.dtype];
  }, 0);
}

async function readWeightFile(path: string): Promise<ArrayBuffer> {
  try {
    const bytes = await Deno.readFile(path);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot load model weights from ${path}: file not found`);
    }
    throw error;
  }
}

/** Reads every weight file a manifest names, in order, as one buffer. */
async function readWeights(directory: string, manifest: tf.io.WeightsManifestConfig) {
  const specs = manifest.flatMap((group) => group.weights);
  const buffers: ArrayBuffer[] = [];
  for (const path of manifest.flatMap((group) => group.paths)) {
    buffers.push(await readWeightFile(join(directory, path)));
  }
  const weights = tf.io.CompositeArrayBuffer.join(buffers);
  const expected = manifestBytes(specs);
  // A truncated or padded file would otherwise fail deep in tfjs, or load silently.
  if (Number.isFinite(expected) && weights.byteLength !== expected) {
    throw new SyntaxError(
      `Cannot load model weights from ${directory}: found ${weights.byteLength} bytes, expected ${expected} for the weights model.json lists`,
    );
  }
  return [specs, weights] as [tf.io.WeightsManifestEntry[], ArrayBuffer];
}

/**
 * Loads a layers model saved in `directory` (by this module or by any tfjs
 * tool that writes the standard format, Keras 3's spelling included: see
 * `normaliseKerasTopology`).
 *
 * @throws {Deno.errors.NotFound} when `model.json` or a weight file is missing.
 * @throws {SyntaxError} when `model.json` is not JSON or the weights are not the size it lists.
 * @throws {TypeError} when `model.json` is a graph model, has no topology, is
 * not a model.json, or describes a model tfjs cannot build.
 *
 * @example
 * ```ts
 * const model = await loadLayersModel("out/models/cnn");
 * ```
 */
export async function loadLayersModel(directory: string): Promise<tf.LayersModel> {
  const modelJson = await readModelJson(join(directory, MODEL_JSON));
  // Keras 3's spelling, as converted, is read in memory; the file stays as it is.
  const modelTopology = normaliseKerasTopology(modelJson.modelTopology as Record<string, unknown>);
  const artifacts = await tf.io.getModelArtifactsForJSON(
    { ...modelJson, modelTopology },
    (manifest) => readWeights(directory, manifest),
  );
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    // tfjs' own messages name neither the file nor what it read; keep theirs, add ours.
    const message = error instanceof Error ? error.message : String(error);
    throw new TypeError(
      `Cannot load model from '${join(directory, MODEL_JSON)}': tfjs could not build it (${
        message.split("\n")[0]
      }), expected a layers model tfjs ${tf.version.tfjs} reads`,
      { cause: error },
    );
  }
}
