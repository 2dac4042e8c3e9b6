/**
 * One experiment: load a data set, then train and evaluate each requested
 * model on the same splits, returning a `ModelResult` per model.
 *
 * The command line, the notebooks and the tests all run models through
 * here, so a tfjs model and the from-scratch MLP are measured the same way.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import {
  type BackendId,
  type DatasetId,
  DEFAULT_TRAINING,
  defaultEpochs,
  type ModelId,
  type TrainingSettings,
} from "./config.ts";
import { type DigitData, loadDataset } from "./datasets.ts";
import { evaluateModel } from "./evaluate.ts";
import type { TrainingCallbacks } from "./history.ts";
import { compileModel, TFJS_MODEL_BUILDERS } from "./models.ts";
import { prepareData, type PreparedData } from "./preprocess.ts";
import type { ModelResult } from "./results.ts";
import {
  countScratchParams,
  createScratchMlp,
  evaluateScratchMlp,
  predictScratchMlp,
  type ScratchMlp,
  trainScratchMlp,
} from "./scratch/mod.ts";
import { trainModel } from "./train.ts";
import { type BackendInfo, setupBackend } from "./backend/mod.ts";

/** A trained model together with its results: a tfjs model or the from-scratch MLP. */
export type TrainedModel =
  | { kind: "tfjs"; id: "mlp" | "cnn"; model: tf.LayersModel; result: ModelResult }
  | { kind: "scratch"; id: "scratch"; model: ScratchMlp; result: ModelResult };

/** Options for {@linkcode trainAndEvaluate}: the training settings, epochs optional. */
export interface TrainAndEvaluateOptions extends Partial<TrainingSettings>, TrainingCallbacks {}

function settingsFor(id: ModelId, options: TrainAndEvaluateOptions): TrainingSettings {
  return {
    epochs: options.epochs ?? defaultEpochs(id),
    batchSize: options.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    validationSplit: options.validationSplit ?? DEFAULT_TRAINING.validationSplit,
    seed: options.seed ?? DEFAULT_TRAINING.seed,
  };
}

async function trainTfjs(
  id: "mlp" | "cnn",
  data: PreparedData,
  settings: TrainingSettings,
  callbacks: TrainingCallbacks,
): Promise<TrainedModel> {
  const model = compileModel(TFJS_MODEL_BUILDERS[id]({ seed: settings.seed }), settings);
  const { history, seconds } = await trainModel(model, data, { ...settings, ...callbacks });
  const evaluation = await evaluateModel(model, data.test);
  const result: ModelResult = {
    id,
    params: model.countParams(),
    epochs: settings.epochs,
    trainSeconds: seconds,
    history,
    testLoss: evaluation.loss,
    testAccuracy: evaluation.accuracy,
    probabilities: evaluation.probabilities,
    inferImagesPerSecond: evaluation.imagesPerSecond,
  };
  return { kind: "tfjs", id, model, result };
}

async function trainScratch(
  data: PreparedData,
  settings: TrainingSettings,
  callbacks: TrainingCallbacks,
): Promise<TrainedModel> {
  const model = createScratchMlp({ seed: settings.seed });
  const started = performance.now();
  const history = await trainScratchMlp(model, data, { ...settings, optimizer: "adam", callbacks });
  const trainSeconds = (performance.now() - started) / 1000;
  const inferStarted = performance.now();
  const probabilities = predictScratchMlp(model, data.test.pixels, data.test.count);
  const inferSeconds = (performance.now() - inferStarted) / 1000;
  const { loss, accuracy } = evaluateScratchMlp(model, data.test);
  const result: ModelResult = {
    id: "scratch",
    params: countScratchParams(model),
    epochs: settings.epochs,
    trainSeconds,
    history,
    testLoss: loss,
    testAccuracy: accuracy,
    probabilities,
    inferImagesPerSecond: data.test.count / inferSeconds,
  };
  return { kind: "scratch", id: "scratch", model, result };
}

/**
 * Trains one model on prepared data and evaluates it on the test split.
 * The tfjs backend must be set up first ({@linkcode setupBackend}).
 *
 * @example
 * ```ts
 * const trained = await trainAndEvaluate("mlp", prepared, { epochs: 1 });
 * trained.result.testAccuracy; // about 0.96
 * ```
 */
export function trainAndEvaluate(
  id: ModelId,
  data: PreparedData,
  options: TrainAndEvaluateOptions = {},
): Promise<TrainedModel> {
  const settings = settingsFor(id, options);
  const callbacks = { onBatchEnd: options.onBatchEnd, onEpochEnd: options.onEpochEnd };
  return id === "scratch"
    ? trainScratch(data, settings, callbacks)
    : trainTfjs(id, data, settings, callbacks);
}

/** Options for {@linkcode runExperiment}. */
export interface ExperimentOptions extends TrainAndEvaluateOptions {
  /** Models to train, in order. */
  models: ModelId[];
  /** Named data set, used when `dataDir` is absent. Default "mnist". */
  dataset?: DatasetId;
  /** A folder of the user's IDX or CSV files. */
  dataDir?: string;
  /** Use only the first `limit` training images. */
  limit?: number;
  /** How tfjs runs. Default "auto". */
  backend?: BackendId;
  /** Called once the backend is chosen. */
  onBackend?: (info: BackendInfo) => void;
  /** Called once the data is loaded and split. */
  onData?: (data: DigitData, prepared: PreparedData) => void;
  /** Called before each model trains. */
  onModelStart?: (id: ModelId, index: number) => void;
  /** Called after each model is trained and evaluated. */
  onModelEnd?: (trained: TrainedModel) => void;
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
  /** The trained models with their results, in the order asked. */
  trained: TrainedModel[];
}

/**
 * Sets up tfjs, loads and splits the data, then trains and evaluates each model.
 *
 * @example
 * ```ts
 * const experiment = await runExperiment({ models: ["mlp", "cnn"], epochs: 1 });
 * ```
 */
export async function runExperiment(options: ExperimentOptions): Promise<Experiment> {
  const backend = await setupBackend({ backend: options.backend ?? "auto" });
  options.onBackend?.(backend);
  const raw = await loadDataset({ dataset: options.dataset, dataDir: options.dataDir });
  const data = prepareData(raw, {
    validationSplit: options.validationSplit ?? DEFAULT_TRAINING.validationSplit,
    limit: options.limit,
  });
  options.onData?.(raw, data);
  const trained: TrainedModel[] = [];
  for (const [index, id] of options.models.entries()) {
    options.onModelStart?.(id, index);
    const model = await trainAndEvaluate(id, data, options);
    options.onModelEnd?.(model);
    trained.push(model);
  }
  return { dataset: raw.name, classNames: raw.classNames, backend, data, trained };
}
