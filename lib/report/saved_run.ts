/**
 * Reading back the models of an earlier `deno task train` run from its
 * output folder (`metrics.json` and `models/<id>/`), evaluated afresh on a
 * test set, so that an analysis can start from them instead of training.
 *
 * @module
 */
import { join } from "node:path";
import type { ModelId } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import { type DigitModel, loadModel, type ModelRegistry } from "../models/mod.ts";
import type { ModelResult } from "../results.ts";
import { createModelResult, evaluateModel } from "../training/mod.ts";
import type { MetricsJson, ModelMetrics } from "./metrics_json.ts";

/** A run read back from its output folder. */
export interface SavedRun {
  /** The output folder. */
  directory: string;
  /** The data set it was trained on, as `metrics.json` names it. */
  dataset: string;
  /** When the run finished, ISO 8601. */
  createdAt: string;
  /** One result per model asked for: history and size from `metrics.json`, test figures measured now. */
  results: ModelResult[];
  /** The loaded models, in the same order, when `keepModels` was asked; the caller disposes of them. */
  models?: DigitModel[];
}

/** What {@linkcode findSavedRun} found: a run, or why none could be used. */
export type SavedRunLookup =
  | { found: true; run: SavedRun }
  | { found: false; reason: string };

/** Options for {@linkcode findSavedRun}. */
export interface FindSavedRunOptions {
  /** The models the run must hold, in the order the results come in. */
  models: readonly ModelId[];
  /** The data set the run must have been trained on. Default "mnist". */
  dataset?: string;
  /** Where the models' labels come from. Default the built-in models. */
  registry?: ModelRegistry;
  /** Keep the loaded models (in `SavedRun.models`) rather than dispose of them. Default false. */
  keepModels?: boolean;
}

async function readMetrics(path: string): Promise<MetricsJson | string> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return `no ${path}`;
    throw error;
  }
  try {
    const json = JSON.parse(text);
    if (typeof json?.models !== "object" || json.models === null) {
      return `${path} has no "models" object`;
    }
    return json as MetricsJson;
  } catch {
    return `${path} is not valid JSON`;
  }
}

/** Loads one saved model and measures it on the test set; loading is not timed. */
async function loadResult(
  directory: string,
  metrics: ModelMetrics,
  test: LabelledImages,
  options: { id: ModelId; registry?: ModelRegistry },
): Promise<{ model: DigitModel; result: ModelResult }> {
  const model = await loadModel(join(directory, "models", options.id), options);
  try {
    const record = {
      id: options.id,
      label: model.label,
      params: metrics.params,
      epochs: metrics.epochs,
      trainSeconds: metrics.trainSeconds,
      history: metrics.history,
    };
    return { model, result: createModelResult(record, await evaluateModel(model, test)) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * Looks in an output folder for a finished run holding every model asked
 * for, trained on the expected data set, and loads those models. Returns
 * `{ found: false, reason }` rather than throwing when there is no such run
 * or a file of it cannot be read, so a notebook can say why and train instead.
 *
 * @example
 * ```ts
 * const lookup = await findSavedRun("../out", prepared.test, { models: ["mlp", "cnn"] });
 * if (lookup.found) lookup.run.results; // [mlp, cnn]
 * ```
 */
export async function findSavedRun(
  directory: string,
  test: LabelledImages,
  options: FindSavedRunOptions,
): Promise<SavedRunLookup> {
  const metrics = await readMetrics(join(directory, "metrics.json"));
  if (typeof metrics === "string") return { found: false, reason: metrics };
  const dataset = options.dataset ?? "mnist";
  if (metrics.dataset !== dataset) {
    return {
      found: false,
      reason: `the run in ${directory} was trained on ${metrics.dataset}, expected ${dataset}`,
    };
  }
  const missing = options.models.filter((id) => metrics.models[id] === undefined);
  if (missing.length > 0) {
    return { found: false, reason: `the run in ${directory} has no ${missing.join(" or ")} model` };
  }
  const loaded: { model: DigitModel; result: ModelResult }[] = [];
  try {
    for (const id of options.models) {
      const settings = { id, registry: options.registry };
      loaded.push(await loadResult(directory, metrics.models[id], test, settings));
    }
  } catch (error) {
    loaded.forEach(({ model }) => model.dispose());
    return { found: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!options.keepModels) loaded.forEach(({ model }) => model.dispose());
  const results = loaded.map(({ result }) => result);
  const run = { directory, dataset: metrics.dataset, createdAt: metrics.createdAt, results };
  return {
    found: true,
    run: options.keepModels ? { ...run, models: loaded.map(({ model }) => model) } : run,
  };
}
