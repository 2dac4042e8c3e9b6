/**
 * One experiment: load a data set, then train and evaluate each requested
 * model on the same splits, returning a `ModelResult` per model.
 *
 * The command line, the notebooks and the tests all run models through
 * here, so every model is trained and measured the same way.
 *
 * @module
 */
import { type BackendInfo, setupBackend } from "../backend/mod.ts";
import {
  type BackendId,
  type DatasetId,
  DEFAULT_TRAINING,
  type LearningRateScheduleId,
  type ModelId,
  type TrainingSettings,
} from "../config.ts";
import type { TrainingCallbacks } from "../callbacks.ts";
import {
  type AugmentSettings,
  type CsvPaths,
  type DigitData,
  isAugmenting,
  loadDataset,
  prepareData,
  type PreparedData,
} from "../data/mod.ts";
import {
  createModelRegistry,
  DEFAULT_MOMENTUM,
  type DigitModel,
  type ModelRegistry,
  type OptimizerId,
} from "../models/mod.ts";
import type { ModelResult, SeedRuns } from "../results.ts";
import { evaluateModel } from "./evaluate.ts";
import { createModelResult } from "./model_result.ts";
import { trainModel } from "./train.ts";

/** A trained model together with its results. */
export interface TrainedModel {
  /** The model, trained; dispose of it when done. */
  model: DigitModel;
  /** Its training history and test figures. */
  result: ModelResult;
}

/** Refuses a dropout rate for a model that has no dropout layer to take it. */
function checkDropoutRate(registry: ModelRegistry, id: ModelId, rate: number | undefined): void {
  if (rate !== undefined && registry.dropoutRateOf(id) === undefined) {
    const takers = registry.ids().filter((known) => registry.dropoutRateOf(known) !== undefined);
    throw new RangeError(
      `Cannot set the dropout rate of ${id} to ${rate}: it has no dropout layer, expected one of ${
        takers.join(", ")
      }`,
    );
  }
}

/** The augmentation `id` trains with: the one asked for, else its own; undefined for none. */
function augmentOf(
  registry: ModelRegistry,
  id: ModelId,
  asked: AugmentSettings | undefined,
): AugmentSettings | undefined {
  const settings = asked ?? registry.augmentOf(id);
  return settings && isAugmenting(settings) ? settings : undefined;
}

/** Options for {@linkcode trainAndEvaluate}: the training settings, each optional. */
export interface TrainAndEvaluateOptions
  extends Partial<Omit<TrainingSettings, "validationSplit">>, TrainingCallbacks {
  /** The optimizer. Default "adam". */
  optimizer?: OptimizerId;
  /** Momentum of "sgd". Default 0.9. */
  momentum?: number;
  /**
   * Dropout rate of the model's dropout layers, in [0, 1). Default the
   * model's own; a model without dropout refuses one.
   */
  dropoutRate?: number;
  /** Where model ids are looked up. Default the built-in models. */
  registry?: ModelRegistry;
  /**
   * How to distort each epoch's training images. Default the model's own:
   * the "standard" preset for lenet5, none for the other built-in models;
   * `AUGMENT_PRESETS.none` turns it off.
   */
  augment?: AugmentSettings;
  /**
   * How the learning rate moves from epoch to epoch. Default the model's
   * own: "constant" for mlp, cnn and scratch, "cosine" for the zoo's
   * lenet5, vgg, resnet and densenet.
   */
  learningRateSchedule?: LearningRateScheduleId;
}

/**
 * Builds one model from its seed, trains it on prepared data and evaluates
 * it on the test split. The tfjs backend must be set up first
 * ({@linkcode setupBackend}).
 *
 * @throws {RangeError} when the id is not registered, or `dropoutRate` is
 * given for a model without dropout.
 *
 * @example
 * ```ts
 * const trained = await trainAndEvaluate("mlp", prepared, { epochs: 1 });
 * trained.result.testAccuracy; // about 0.96
 * ```
 */
export async function trainAndEvaluate(
  id: ModelId,
  data: PreparedData,
  options: TrainAndEvaluateOptions = {},
): Promise<TrainedModel> {
  const registry = options.registry ?? createModelRegistry();
  const seed = options.seed ?? DEFAULT_TRAINING.seed;
  const epochs = options.epochs ?? registry.defaultEpochs(id);
  checkDropoutRate(registry, id, options.dropoutRate);
  const model = registry.get(id).build({ seed, dropoutRate: options.dropoutRate });
  const learningRateSchedule = options.learningRateSchedule ?? registry.learningRateScheduleOf(id);
  const { history, seconds } = await trainModel(model, data, {
    epochs,
    batchSize: options.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    optimizer: options.optimizer,
    momentum: options.momentum,
    seed,
    augment: augmentOf(registry, id, options.augment),
    learningRateSchedule,
    onBatchEnd: options.onBatchEnd,
    onEpochEnd: options.onEpochEnd,
  });
  const record = {
    id,
    label: model.label,
    params: model.params,
    epochs,
    learningRateSchedule,
    trainSeconds: seconds,
    history,
  };
  return { model, result: createModelResult(record, await evaluateModel(model, data.test)) };
}

/** Options for {@linkcode runExperiment}. */
export interface ExperimentOptions extends TrainAndEvaluateOptions {
  /** Models to train, in order. */
  models: ModelId[];
  /** Fraction of the training images held out for validation. Default 0.1. */
  validationSplit?: number;
  /** Named data set, used when `dataDir` is absent. Default "mnist". */
  dataset?: DatasetId;
  /** A folder of the user's IDX or CSV files. */
  dataDir?: string;
  /** CSV files of the user's, of any name; not with `dataDir`. */
  csv?: CsvPaths;
  /** Use only the first `limit` training images. */
  limit?: number;
  /** How tfjs runs. Default "auto". */
  backend?: BackendId;
  /** Most BLAS threads a large product may use; default every core, up to four. */
  blasThreads?: number;
  /** The BLAS library to open, instead of searching the usual places. */
  blasLibrary?: string;
  /** Let "auto" take the path of a machine without oneDNN or OpenBLAS. */
  ignoreSystemLibraries?: boolean;
  /** Called once the backend is chosen. */
  onBackend?: (info: BackendInfo) => void;
  /** Called once the data is loaded and split. */
  onData?: (data: DigitData, prepared: PreparedData) => void;
  /**
   * Seeds to train each model with, on the same splits; default `[seed]`.
   * The first seed's models are the experiment's `trained` models; the
   * others are evaluated, then disposed of.
   */
  seeds?: readonly number[];
  /** Called before each model trains, once per seed. */
  onModelStart?: (id: ModelId, index: number, seed: number) => void;
  /** Called after each model is trained and evaluated, once per seed. */
  onModelEnd?: (trained: TrainedModel, seed: number) => void;
}

/** Everything an experiment produced. */
export interface Experiment {
  /** Name of the data set. */
  dataset: string;
  /** Names of classes 0 to 9. */
  classNames: string[];
  /** The backend the tfjs models ran on. */
  backend: BackendInfo;
  /** The splits every model used. */
  data: PreparedData;
  /** The trained models of the first seed with their results, in the order asked. */
  trained: TrainedModel[];
  /** Every model's results for every seed, the first seed's included. */
  seedRuns: SeedRuns;
  /** The augmentation of training images, when one was asked for. */
  augment?: AugmentSettings;
  /**
   * The augmentation each model trained with, by id, for the models that
   * distorted their images (asked for, or their own default).
   */
  modelAugment?: Partial<Record<ModelId, AugmentSettings>>;
  /** How every model was trained, as metrics.json records it. */
  settings: ExperimentSettings;
}

/** The training settings an experiment shared, with every default filled in. */
export interface ExperimentSettings {
  /** "adam" or "sgd" (with momentum). */
  optimizer: OptimizerId;
  /** The optimizer's step size. */
  learningRate: number;
  /** Momentum of "sgd"; null for Adam. */
  momentum: number | null;
  /** Images per gradient step. */
  batchSize: number;
  /** Dropout rate asked for; null when each model used its own. */
  dropoutRate: number | null;
  /** Learning-rate schedule asked for; null when each model used its own. */
  learningRateSchedule: LearningRateScheduleId | null;
  /**
   * Augmentation asked for, applied to every model (all zeros for
   * `--augment none`); null when each model used its own.
   */
  augment: AugmentSettings | null;
  /** Fraction of the training images held out for validation. */
  validationSplit: number;
}

/**
 * The training settings of an experiment with every default filled in, as
 * {@linkcode trainAndEvaluate} uses them: what metrics.json records.
 *
 * @example
 * ```ts
 * experimentSettings({ optimizer: "sgd" }).momentum; // 0.9
 * experimentSettings({ augment: AUGMENT_PRESETS.none }).augment; // { shift: 0, rotation: 0, zoom: 0, thickness: 0 }
 * ```
 */
export function experimentSettings(
  options: Omit<TrainAndEvaluateOptions, "registry"> & { validationSplit?: number },
): ExperimentSettings {
  const optimizer = options.optimizer ?? "adam";
  return {
    optimizer,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    momentum: optimizer === "sgd" ? options.momentum ?? DEFAULT_MOMENTUM : null,
    batchSize: options.batchSize ?? DEFAULT_TRAINING.batchSize,
    dropoutRate: options.dropoutRate ?? null,
    learningRateSchedule: options.learningRateSchedule ?? null,
    augment: options.augment ?? null,
    validationSplit: options.validationSplit ?? DEFAULT_TRAINING.validationSplit,
  };
}

/**
 * Sets up tfjs, loads and splits the data, then trains and evaluates each
 * model once per seed, every time on the same splits.
 *
 * @throws {RangeError} when a model id is not registered, a dropout rate is
 * given for a model without dropout, or no seed is given (before any
 * training).
 *
 * @example
 * ```ts
 * const experiment = await runExperiment({ models: ["mlp", "cnn"], epochs: 1 });
 * ```
 */
export async function runExperiment(options: ExperimentOptions): Promise<Experiment> {
  const registry = options.registry ?? createModelRegistry();
  options.models.forEach((id) => checkDropoutRate(registry, id, options.dropoutRate));
  const seeds = options.seeds ?? [options.seed ?? DEFAULT_TRAINING.seed];
  if (seeds.length === 0) {
    throw new RangeError("Cannot run an experiment: found 0 seeds, expected 1 or more");
  }
  const backend = await setupBackend({
    backend: options.backend ?? "auto",
    blasThreads: options.blasThreads,
    blasLibrary: options.blasLibrary,
    ignoreSystemLibraries: options.ignoreSystemLibraries,
  });
  options.onBackend?.(backend);
  const raw = await loadDataset({
    dataset: options.dataset,
    dataDir: options.dataDir,
    csv: options.csv,
  });
  const data = prepareData(raw, {
    validationSplit: options.validationSplit ?? DEFAULT_TRAINING.validationSplit,
    limit: options.limit,
  });
  options.onData?.(raw, data);
  const trained: TrainedModel[] = [];
  const byModel: ModelResult[][] = [];
  for (const [index, id] of options.models.entries()) {
    const results: ModelResult[] = [];
    for (const [run, seed] of seeds.entries()) {
      options.onModelStart?.(id, index, seed);
      const model = await trainAndEvaluate(id, data, { ...options, registry, seed });
      options.onModelEnd?.(model, seed);
      results.push(model.result);
      if (run === 0) trained.push(model);
      else model.model.dispose();
    }
    byModel.push(results);
  }
  return {
    dataset: raw.name,
    classNames: raw.classNames,
    backend,
    data,
    trained,
    seedRuns: { seeds: [...seeds], byModel },
    augment: options.augment,
    modelAugment: Object.fromEntries(
      options.models.flatMap((id) => {
        const settings = augmentOf(registry, id, options.augment);
        return settings ? [[id, settings]] : [];
      }),
    ),
    settings: experimentSettings(options),
  };
}
