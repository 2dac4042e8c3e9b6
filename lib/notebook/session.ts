/**
 * What every notebook does around its teaching cells, as one call each:
 * set up (backend, display, run settings), train a model in front of the
 * reader, and take models from the last `deno task train` run or train them.
 *
 * @module
 */
import { type BackendInfo, setupBackend } from "../backend/mod.ts";
import type { ModelId } from "../config.ts";
import type { PreparedData } from "../data/mod.ts";
import { createModelRegistry, type ModelRegistry } from "../models/mod.ts";
import { findSavedRun } from "../report/mod.ts";
import type { ModelResult } from "../results.ts";
import { trainAndEvaluate, type TrainedModel } from "../training/mod.ts";
import { createNotebookShow, type JupyterDisplay, type NotebookShow } from "./display.ts";
import { type NotebookRun, notebookRun } from "./settings.ts";

/** What a notebook works with: its display, its run settings, its backend and its models. */
export interface NotebookSession {
  /** Shows tables, charts, text and training progress. */
  show: NotebookShow;
  /** How much to train: the defaults or the quick mode. */
  run: NotebookRun;
  /** The backend tfjs runs on. */
  backend: BackendInfo;
  /** The models known by id; register your own here. */
  registry: ModelRegistry;
}

/** Options for {@linkcode startNotebook}. */
export interface StartNotebookOptions {
  /** `Deno.jupyter.display`. */
  display: JupyterDisplay;
  /** Train on a small subset for a few epochs (`MNIST_QUICK=1`). */
  quick: boolean;
}

/**
 * Sets a notebook up: the fastest backend found, the display calls and the
 * run settings, then shows which backend and which run it is.
 *
 * @example
 * ```ts
 * const { show, run } = await startNotebook({
 *   display: Deno.jupyter.display,
 *   quick: Deno.env.get("MNIST_QUICK") === "1",
 * });
 * ```
 */
export async function startNotebook(options: StartNotebookOptions): Promise<NotebookSession> {
  const show = createNotebookShow(options.display);
  const run = notebookRun({ quick: options.quick });
  const backend = await setupBackend({ backend: "auto" });
  await show.markdown(`**Backend:** ${backend.description}\n\n**Run:** ${run.description}`);
  return { show, run, backend, registry: createModelRegistry() };
}

/**
 * Trains and evaluates one model at the notebook's settings, showing its
 * progress as it goes and its test figures at the end.
 *
 * @throws {RangeError} when the id is not in the session's registry.
 *
 * @example
 * ```ts
 * const cnn = await trainInNotebook(session, "cnn", prepared);
 * cnn.result.testAccuracy;
 * ```
 */
export async function trainInNotebook(
  session: NotebookSession,
  id: ModelId,
  data: PreparedData,
): Promise<TrainedModel> {
  const progress = await session.show.progress(session.registry.labelOf(id));
  const trained = await trainAndEvaluate(id, data, {
    ...session.run.training,
    ...progress.callbacks,
    registry: session.registry,
  });
  await progress.finish(trained.result);
  return trained;
}

/** Options for {@linkcode loadOrTrain}. */
export interface LoadOrTrainOptions {
  /** The models wanted, in order. */
  models: readonly ModelId[];
  /** The output folder of an earlier `deno task train`; undefined always trains. */
  savedRun?: string;
}

/**
 * Takes the models from an earlier `deno task train` run when it holds them
 * all and was trained on MNIST, measured afresh on the test set; trains them
 * here otherwise, and always in quick mode (so that a headless run does not
 * depend on what is in `out/`). Says which it did, and why. Keeps the
 * models: dispose of them when done.
 *
 * @example
 * ```ts
 * const [mlp, cnn] = await loadOrTrainModels(session, prepared, { models: ["mlp", "cnn"] });
 * cnn.model.inputGradients; // present for tfjs models
 * ```
 */
export async function loadOrTrainModels(
  session: NotebookSession,
  data: PreparedData,
  options: LoadOrTrainOptions,
): Promise<TrainedModel[]> {
  const reason = session.run.quick
    ? "quick mode trains its own models"
    : options.savedRun === undefined
    ? "no saved run was given"
    : undefined;
  const lookup = reason === undefined
    ? await findSavedRun(options.savedRun!, data.test, {
      models: options.models,
      registry: session.registry,
      keepModels: true,
    })
    : { found: false as const, reason };
  if (lookup.found) {
    const epochs = lookup.run.results.map((result) => `${result.id} ${result.epochs}`).join(", ");
    await session.show.markdown(
      `Loaded the models of the run in \`${lookup.run.directory}\`, ` +
        `finished ${lookup.run.createdAt} (epochs: ${epochs}).`,
    );
    const models = lookup.run.models!;
    return lookup.run.results.map((result, i) => ({ model: models[i], result }));
  }
  await session.show.markdown(`Training the models here: ${lookup.reason}.`);
  const trained: TrainedModel[] = [];
  for (const id of options.models) trained.push(await trainInNotebook(session, id, data));
  return trained;
}

/**
 * As {@linkcode loadOrTrainModels}, but returns only the results and
 * disposes of the models.
 *
 * @example
 * ```ts
 * const results = await loadOrTrain(session, prepared, { models: ["mlp", "cnn"], savedRun: "../out" });
 * ```
 */
export async function loadOrTrain(
  session: NotebookSession,
  data: PreparedData,
  options: LoadOrTrainOptions,
): Promise<ModelResult[]> {
  const trained = await loadOrTrainModels(session, data, options);
  trained.forEach(({ model }) => model.dispose());
  return trained.map(({ result }) => result);
}
