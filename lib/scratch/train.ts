/**
 * Mini-batch training of the from-scratch MLP: each epoch shuffles the
 * training set, and for every batch runs forward, back-propagates and takes
 * an optimizer step; then it measures the validation set.
 *
 * @module
 */
import { DEFAULT_SCRATCH_EPOCHS, DEFAULT_TRAINING } from "../config.ts";
import {
  type BatchProgress,
  createHistory,
  type History,
  type TrainingCallbacks,
} from "../history.ts";
import type { PreparedSet } from "../preprocess.ts";
import { createRandom, type RandomSource, shuffledIndices } from "../random.ts";
import { checkImageSet } from "./checks.ts";
import { evaluateScratchMlp } from "./evaluate.ts";
import { countCorrect, softmaxCrossEntropy } from "./math.ts";
import { listParameters, type ScratchMlp } from "./network.ts";
import {
  createAdam,
  createSgd,
  type ScratchOptimizer,
  type ScratchOptimizerId,
} from "./optimizers.ts";
import {
  backwardPass,
  createWorkspace,
  forwardPass,
  setBatchRows,
  type Workspace,
} from "./passes.ts";

/** Options for {@linkcode trainScratchMlp}. */
export interface TrainScratchOptions {
  /** Passes over the training set. Default 20 ({@linkcode DEFAULT_SCRATCH_EPOCHS}). */
  epochs?: number;
  /** Images per gradient step. Default 64. */
  batchSize?: number;
  /** Step size of the optimizer. Default 1e-3, right for Adam; SGD usually wants about 1e-2. */
  learningRate?: number;
  /** "adam" (default) or "sgd" (with momentum). */
  optimizer?: ScratchOptimizerId;
  /** Momentum of "sgd"; ignored by Adam. Default 0.9. */
  momentum?: number;
  /** Seed of the batch order of each epoch. Default 42. */
  seed?: number;
  /** Progress reports; `onBatchEnd` comes every `progressEvery` batches and after the last. */
  callbacks?: TrainingCallbacks;
  /** Batches between `onBatchEnd` calls. Default 50. */
  progressEvery?: number;
}

/** The training and validation splits. */
export interface ScratchTrainingData {
  /** Images trained on. */
  train: PreparedSet;
  /** Images measured after every epoch, never trained on. */
  validation: PreparedSet;
}

/** The options with every default filled in. */
type Settings = Required<Omit<TrainScratchOptions, "callbacks">> & {
  callbacks: TrainingCallbacks;
};

/** Everything an epoch reuses: buffers, optimizer state and the generator of batch orders. */
interface TrainingState {
  settings: Settings;
  workspace: Workspace;
  optimizer: ScratchOptimizer;
  random: RandomSource;
}

/** Fills in the defaults and checks the options, before any work is done. */
function resolveSettings(options: TrainScratchOptions): Settings {
  const settings: Settings = {
    epochs: options.epochs ?? DEFAULT_SCRATCH_EPOCHS,
    batchSize: options.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    optimizer: options.optimizer ?? "adam",
    momentum: options.momentum ?? 0.9,
    seed: options.seed ?? DEFAULT_TRAINING.seed,
    callbacks: options.callbacks ?? {},
    progressEvery: options.progressEvery ?? 50,
  };
  for (const name of ["epochs", "batchSize", "progressEvery"] as const) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1) {
      throw new RangeError(
        `Cannot train the scratch MLP: ${name} is ${settings[name]}, expected a positive integer`,
      );
    }
  }
  if (!Number.isInteger(settings.seed)) {
    throw new RangeError(
      `Cannot train the scratch MLP: seed is ${settings.seed}, expected an integer`,
    );
  }
  if (settings.optimizer !== "adam" && settings.optimizer !== "sgd") {
    throw new TypeError(
      `Cannot train the scratch MLP: optimizer is "${settings.optimizer}", expected "adam" or "sgd"`,
    );
  }
  return settings;
}

/** The optimizer the settings name, over the network's parameters. */
function createOptimizer(
  network: ScratchMlp,
  settings: Settings,
): ScratchOptimizer {
  const parameters = listParameters(network);
  const { learningRate, momentum } = settings;
  return settings.optimizer === "adam"
    ? createAdam(parameters, { learningRate })
    : createSgd(parameters, { learningRate, momentum });
}

/** Copies the images and labels at `order[start..start+rows)` into the workspace. */
function gatherBatch(
  set: PreparedSet,
  order: Uint32Array,
  start: number,
  workspace: Workspace,
): void {
  const inputs = workspace.input.cols, rows = workspace.input.rows;
  const batch = workspace.input.data, pixels = set.pixels;
  for (let r = 0; r < rows; r++) {
    const image = order[start + r];
    const from = image * inputs, to = r * inputs;
    for (let p = 0; p < inputs; p++) batch[to + p] = pixels[from + p];
    workspace.labels[r] = set.labels[image];
  }
}

/** Mean loss and accuracy over one epoch's batches, and the time they took. */
interface EpochResult {
  loss: number;
  accuracy: number;
  seconds: number;
}

/** Running totals of an epoch, from which progress is reported. */
interface EpochTotals {
  /** Summed loss of the images seen so far. */
  loss: number;
  /** Images classified right so far. */
  correct: number;
  /** Images seen so far. */
  seen: number;
  /** `performance.now()` at the start of the epoch. */
  started: number;
}

/** The progress report after `batch` of `batches` batches. */
function describeProgress(
  position: { epoch: number; epochs: number; batch: number; batches: number },
  totals: EpochTotals,
): BatchProgress {
  const seconds = (performance.now() - totals.started) / 1000;
  return {
    ...position,
    loss: totals.loss / totals.seen,
    accuracy: totals.correct / totals.seen,
    imagesPerSecond: totals.seen / seconds,
  };
}

/**
 * One pass over the training set in a new random order: for each batch,
 * forward, loss, backward, optimizer step. The loss and accuracy are those
 * of each batch before its step, averaged, as Keras reports them.
 */
async function trainEpoch(
  network: ScratchMlp,
  set: PreparedSet,
  state: TrainingState,
  epoch: number,
): Promise<EpochResult> {
  const { settings, workspace, optimizer } = state;
  const order = shuffledIndices(set.count, state.random);
  const batches = Math.ceil(set.count / workspace.capacity);
  const totals: EpochTotals = { loss: 0, correct: 0, seen: 0, started: performance.now() };
  const { onBatchEnd } = settings.callbacks;
  for (let batch = 1; batch <= batches; batch++) {
    setBatchRows(workspace, Math.min(workspace.capacity, set.count - totals.seen));
    gatherBatch(set, order, totals.seen, workspace);
    const logits = forwardPass(network, workspace);
    totals.loss += softmaxCrossEntropy(logits, workspace.labels); // logits become probabilities
    totals.correct += countCorrect(logits, workspace.labels);
    backwardPass(network, workspace);
    optimizer.step(workspace.gradients);
    totals.seen += logits.rows;
    // Reports are rare, so that most batches allocate nothing and never await.
    if (onBatchEnd && (batch % settings.progressEvery === 0 || batch === batches)) {
      await onBatchEnd(
        describeProgress({ epoch, epochs: settings.epochs, batch, batches }, totals),
      );
    }
  }
  return {
    loss: totals.loss / totals.seen,
    accuracy: totals.correct / totals.seen,
    seconds: (performance.now() - totals.started) / 1000,
  };
}

/** Lets timers and I/O run (a UI redraw, a progress bar) between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains the network in place with mini-batches and returns the loss and
 * accuracy of every epoch, on the training set (averaged over its batches)
 * and on the validation set (measured after the epoch).
 *
 * @example
 * ```ts
 * const network = createScratchMlp({ seed: 42 });
 * const history = await trainScratchMlp(network, prepared, {
 *   epochs: 20,
 *   callbacks: { onEpochEnd: (summary) => console.log(summary.valAccuracy) },
 * });
 * ```
 */
export async function trainScratchMlp(
  network: ScratchMlp,
  data: ScratchTrainingData,
  options: TrainScratchOptions = {},
): Promise<History> {
  const settings = resolveSettings(options);
  const action = "train the scratch MLP";
  checkImageSet(network, data.train, { action, name: "the training images" });
  checkImageSet(network, data.validation, { action, name: "the validation images" });
  const capacity = Math.min(settings.batchSize, data.train.count);
  const state: TrainingState = {
    settings,
    workspace: createWorkspace(network, capacity, { withGradients: true }),
    optimizer: createOptimizer(network, settings),
    random: createRandom(settings.seed),
  };
  const history = createHistory();
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    const trained = await trainEpoch(network, data.train, state, epoch);
    const validation = evaluateScratchMlp(network, data.validation);
    history.loss.push(trained.loss);
    history.accuracy.push(trained.accuracy);
    history.valLoss.push(validation.loss);
    history.valAccuracy.push(validation.accuracy);
    await settings.callbacks.onEpochEnd?.({
      epoch,
      epochs: settings.epochs,
      loss: trained.loss,
      accuracy: trained.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: data.train.count / trained.seconds,
    });
    await yieldToEventLoop();
  }
  return history;
}
