/**
 * Models a user defines in a module of their own, for `--model-file`: the
 * module exports `models`, a list of `{ id, label, build, defaultEpochs?, dropoutRate? }`
 * whose `build({ seed })` returns a `tf.LayersModel` (or a `DigitModel`).
 * Each is built once and checked before it is registered, so a wrong shape
 * is found before any data is loaded.
 *
 * ```ts
 * // my_models.ts
 * import * as tf from "@tensorflow/tfjs";
 * export const models = [{
 *   id: "mine",
 *   label: "My MLP",
 *   build: ({ seed }: { seed: number }) => tf.sequential({ layers: [
 *     tf.layers.flatten({ inputShape: [28, 28, 1] }),
 *     tf.layers.dense({ units: 10, activation: "softmax",
 *       kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
 *   ] }),
 * }];
 * ```
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import { LayersDigitModel } from "./layers_model.ts";
import type { DigitModel } from "./model.ts";
import type { BuildModelOptions, ModelEntry, ModelRegistry } from "./registry.ts";

/** What a user's module exports under `models`: one entry per model. */
export interface UserModelEntry {
  /** Its id for `--model`: lower-case letters, digits, `_` and `-`. */
  id: string;
  /** Its name in tables, charts and the report; default the id. */
  label?: string;
  /** Epochs it trains for unless told otherwise; default 15. */
  defaultEpochs?: number;
  /**
   * The rate of its dropout layers when `--dropout-rate` is not given; give
   * it only when `build` reads `options.dropoutRate`. Default none: the
   * model refuses `--dropout-rate`.
   */
  dropoutRate?: number;
  /** Builds an untrained model mapping [n, 28, 28, 1] images to 10 softmax probabilities. */
  build(options: BuildModelOptions): tf.LayersModel | DigitModel;
}

/** Whether a value is a DigitModel rather than a tfjs model (duck-typed: a user's own class). */
function isDigitModel(value: unknown): value is DigitModel {
  const model = value as DigitModel;
  return typeof model?.trainEpoch === "function" && typeof model?.predict === "function";
}

/** Wraps what a user's builder returned as a DigitModel named by the entry. */
function toDigitModel(built: unknown, entry: { id: string; label: string }): DigitModel {
  if (built instanceof tf.LayersModel) {
    checkLayersShape(built, entry.id);
    return new LayersDigitModel(built, entry);
  }
  if (isDigitModel(built)) return built;
  throw new TypeError(
    `Cannot use model "${entry.id}": build returned ${
      describe(built)
    }, expected a tf.LayersModel or a DigitModel`,
  );
}

/** Checks a tfjs model's declared output: [null, 10], as the wrapper's predict assumes. */
function checkLayersShape(model: tf.LayersModel, id: string): void {
  const shapes = model.outputs.map((output) => output.shape);
  if (shapes.length !== 1 || shapes[0].length !== 2 || shapes[0][1] !== NUM_CLASSES) {
    const found = shapes.map((shape) => `[${shape.map((side) => side ?? "n").join(", ")}]`);
    throw new TypeError(
      `Cannot use model "${id}": it maps [n, 28, 28, 1] to ${
        found.join(" and ")
      }, expected [n, ${NUM_CLASSES}] probabilities`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object") return String(value);
  return `a ${value.constructor?.name ?? "object"}`;
}

/**
 * Builds a model once and checks that two blank images give two rows of
 * 10 probabilities summing to 1.
 *
 * @throws {TypeError} `Cannot use model "mine": it maps [2, 28, 28, 1] to rows summing to 2.000, expected [2, 10] probabilities (softmax)`.
 *
 * @example
 * ```ts
 * await checkDigitModel(createModelRegistry().get("mlp").build({ seed: 1 }), "mlp"); // passes
 * ```
 */
export async function checkDigitModel(model: DigitModel, id: string): Promise<void> {
  const count = 2;
  let output: Float32Array;
  try {
    output = await model.predict(new Float32Array(count * IMAGE_SIZE * IMAGE_SIZE), count);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new TypeError(
      `Cannot use model "${id}": predicting [${count}, 28, 28, 1] failed (${why}), expected [${count}, ${NUM_CLASSES}] probabilities`,
    );
  }
  const rows = output.length / count;
  const sums = [0, 1].map((row) =>
    output.slice(row * rows, (row + 1) * rows).reduce((a, b) => a + b, 0)
  );
  if (rows !== NUM_CLASSES || sums.some((sum) => Math.abs(sum - 1) > 1e-3)) {
    const found = rows === NUM_CLASSES
      ? `rows summing to ${sums[0].toFixed(3)}`
      : `[${count}, ${rows}]`;
    throw new TypeError(
      `Cannot use model "${id}": it maps [${count}, 28, 28, 1] to ${found}, expected [${count}, ${NUM_CLASSES}] probabilities (softmax)`,
    );
  }
}

/** Checks one exported entry's fields and turns it into a registry entry. */
function toModelEntry(value: unknown, index: number): ModelEntry {
  const entry = value as UserModelEntry;
  if (typeof entry?.id !== "string" || typeof entry?.build !== "function") {
    throw new TypeError(
      `Cannot use models[${index}]: found ${
        describe(value)
      }, expected { id: string, label?: string, build({ seed }) }`,
    );
  }
  const label = typeof entry.label === "string" ? entry.label : entry.id;
  return {
    id: entry.id,
    label,
    defaultEpochs: entry.defaultEpochs,
    dropoutRate: entry.dropoutRate,
    build: (options) => toDigitModel(entry.build(options), { id: entry.id, label }),
  };
}

/**
 * Registers the models a module exports (see the module doc for the
 * shape), after building each once and checking its output.
 *
 * @throws {TypeError} when the module exports no `models` list, or a model
 *   is not a builder or does not map [n, 28, 28, 1] to 10 probabilities.
 * @throws {RangeError} when an id is taken (a built-in one) or not a plain id.
 *
 * @example
 * ```ts
 * const registry = createModelRegistry();
 * await registerModels(registry, await import("./my_models.ts"));
 * registry.has("mine"); // true
 * ```
 */
export async function registerModels(registry: ModelRegistry, module: unknown): Promise<string[]> {
  const models = (module as { models?: unknown })?.models;
  if (!Array.isArray(models) || models.length === 0) {
    throw new TypeError(
      `Cannot register models: the module exports ${
        models === undefined ? "no models" : `models as ${describe(models)}`
      }, expected \`export const models = [{ id, label, build: ({ seed }) => tf.LayersModel }]\``,
    );
  }
  const entries = models.map(toModelEntry);
  for (const entry of entries) {
    if (registry.has(entry.id)) registry.register(entry); // throws: the id is taken
    const model = entry.build({ seed: 0 });
    try {
      await checkDigitModel(model, entry.id);
    } finally {
      model.dispose();
    }
    registry.register(entry);
  }
  return entries.map((entry) => entry.id);
}

/**
 * Imports a module of models from a file and registers them
 * ({@linkcode registerModels}).
 *
 * @throws {Deno.errors.NotFound} `Cannot load models from x.ts: no such file`.
 * @throws {TypeError | RangeError} as {@linkcode registerModels}, or when the module does not load.
 *
 * @example
 * ```ts
 * const registry = createModelRegistry();
 * await loadModelFile(registry, "my_models.ts"); // ["mine"]
 * ```
 */
export async function loadModelFile(registry: ModelRegistry, path: string): Promise<string[]> {
  const absolute = resolve(path);
  try {
    if (!(await Deno.stat(absolute)).isFile) throw new Deno.errors.NotFound();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(`Cannot load models from ${path}: no such file`);
  }
  let module: unknown;
  try {
    module = await import(pathToFileURL(absolute).href);
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new TypeError(`Cannot load models from ${path}: ${why}, expected a TypeScript module`);
  }
  try {
    return await registerModels(registry, module);
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message} (in ${path})`;
    throw error;
  }
}
