/**
 * Mini-batch training of the from-scratch MLP: each epoch takes the
 * training set in a new random order, and for every batch runs forward,
 * back-propagates and takes an optimizer step; then it measures the
 * validation set.
 *
 * `trainScratchMlp` does the whole run. `createScratchTrainer` and
 * `trainScratchEpoch` do one epoch at a time, for a caller that runs its
 * own epoch loop (the project's shared training loop does).
 *
 * @module
 */
import type { BatchProgress, TrainingCallbacks } from "../callbacks.ts";
import { checkPositiveInteger } from "../checks.ts";
import { DEFAULT_TRAINING } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import { createRandom, shuffledIndices } from "../random.ts";
import { createHistory, type History } from "../results.ts";
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

/** The from-scratch MLP trains for 20 epochs unless told otherwise, as the original NumPy notebook did. */
export const SCRATCH_DEFAULT_EPOCHS = 20;

/** How the optimizer steps: what one epoch of training needs besides the data. */
export interface ScratchTrainerOptions {
  /** Images per gradient step. Default 64. */
  batchSize?: number;
  /** Step size of the optimizer. Default 1e-3, right for Adam; SGD usually wants about 1e-2. */
  learningRate?: number;
  /** "adam" (default) or "sgd" (with momentum). */
  optimizer?: ScratchOptimizerId;
  /** Momentum of "sgd"; ignored by Adam. Default 0.9. */
  momentum?: number;
  /** Batches between `onBatchEnd` calls. Default 50. */
  progressEvery?: number;
}

/** Options for {@linkcode trainScratchMlp}. */
export interface TrainScratchOptions extends ScratchTrainerOptions {
  /** Passes over the training set. Default 20 ({@linkcode SCRATCH_DEFAULT_EPOCHS}). */
  epochs?: number;
  /** Seed of the batch order of each epoch. Default 42. */
  seed?: number;
  /** Progress reports; `onBatchEnd` comes every `progressEvery` batches and after the last. */
  callbacks?: TrainingCallbacks;
}

/** The training and validation splits. */
export interface ScratchTrainingData {
  /** Images trained on. */
  train: LabelledImages;
  /** Images measured after every epoch, never trained on. */
  validation: LabelledImages;
}

/** Everything an epoch reuses: the settings, the buffers and the optimizer's state. */
export interface ScratchTrainer {
  /** The options with every default filled in. */
  settings: Required<ScratchTrainerOptions>;
  /** Buffers for one batch, gradients included. */
  workspace: Workspace;
  /** The optimizer, with its running moments. */
  optimizer: ScratchOptimizer;
}

/** Fills in the defaults and checks the options, before any work is done. */
function resolveTrainerOptions(options: ScratchTrainerOptions): Required<ScratchTrainerOptions> {
  const settings: Required<ScratchTrainerOptions> = {
    batchSize: options.batchSize ?? DEFAULT_TRAINING.batchSize,
    learningRate: options.learningRate ?? DEFAULT_TRAINING.learningRate,
    optimizer: options.optimizer ?? "adam",
    momentum: options.momentum ?? 0.9,
    progressEvery: options.progressEvery ?? 50,
  };
  checkPositiveInteger(settings.batchSize, { action: "train the scratch MLP", name: "batchSize" });
  checkPositiveInteger(settings.progressEvery, {
    action: "train the scratch MLP",
    name: "progressEvery",
  });
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
  settings: Required<ScratchTrainerOptions>,
): ScratchOptimizer {
  const parameters = listParameters(network);
  const { learningRate, momentum } = settings;
  return settings.optimizer === "adam"
    ? createAdam(parameters, { learningRate })
    : createSgd(parameters, { learningRate, momentum });
}

/**
 * Prepares to train a network: buffers for a batch and a fresh optimizer.
 *
 * @throws {RangeError} when the batch size or `progressEvery` is not a positive integer.
 * @throws {TypeError} for an optimizer other than "adam" or "sgd".
 *
 * @example
 * ```ts
 * const trainer = createScratchTrainer(network, { batchSize: 64, learningRate: 1e-3 });
 * ```
 */
export function createScratchTrainer(
  network: ScratchMlp,
  options: ScratchTrainerOptions = {},
): ScratchTrainer {
  const settings = resolveTrainerOptions(options);
  return {
    settings,
    workspace: createWorkspace(network, settings.batchSize, { withGradients: true }),
    optimizer: createOptimizer(network, settings),
  };
}

/** Copies the images and labels at `order[start..start+rows)` into the workspace. */
function gatherBatch(
  set: LabelledImages,
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

/** Where an epoch stands in the run, and whom to tell about its batches. */
export interface ScratchEpochOptions {
  /** The order to take the images in: a permutation of 0 to count - 1. */
  order: Uint32Array;
  /** Epoch number, counting from 1, for the progress reports. */
  epoch: number;
  /** Epochs in the run, for the progress reports. */
  epochs: number;
  /** The learning rate of this epoch and the ones after it, as a schedule sets it; default the trainer's. */
  learningRate?: number;
  /** Called every `progressEvery` batches and after the last. */
  onBatchEnd?: TrainingCallbacks["onBatchEnd"];
}

/** Mean loss and accuracy over one epoch's batches, and the time they took. */
export interface ScratchEpochResult {
  /** Mean cross-entropy of the batches, each measured before its step. */
  loss: number;
  /** Share of the images classified right before their step, 0 to 1. */
  accuracy: number;
  /** Wall time of the epoch's steps, in seconds. */
  seconds: number;
}

/**
 * One pass over the training set in the order given: for each batch,
 * forward, loss, backward, optimizer step. The loss and accuracy are those
 * of each batch before its step, averaged, as Keras reports them.
 *
 * @throws {RangeError} when the order does not hold one index per image.
 *
 * @example
 * ```ts
 * const order = shuffledIndices(train.count, createRandom(1));
 * await trainScratchEpoch(network, train, trainer, { order, epoch: 1, epochs: 1 });
 * ```
 */
export async function trainScratchEpoch(
  network: ScratchMlp,
  set: LabelledImages,
  trainer: ScratchTrainer,
  options: ScratchEpochOptions,
): Promise<ScratchEpochResult> {
  const { settings, workspace, optimizer } = trainer;
  const { order, epoch, epochs, onBatchEnd } = options;
  if (order.length !== set.count) {
    throw new RangeError(
      `Cannot train the scratch MLP: the order has ${order.length} indices, expected ${set.count}, one per image`,
    );
  }
  if (options.learningRate !== undefined) optimizer.learningRate = options.learningRate;
  const batches = Math.ceil(set.count / workspace.capacity);
  const totals: EpochTotals = { loss: 0, correct: 0, seen: 0, started: performance.now() };
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
      await onBatchEnd(describeProgress({ epoch, epochs, batch, batches }, totals));
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
 * @throws {RangeError} when an option is out of range or an image set does not fit the network.
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
  const epochs = options.epochs ?? SCRATCH_DEFAULT_EPOCHS;
  const seed = options.seed ?? DEFAULT_TRAINING.seed;
  const callbacks = options.callbacks ?? {};
  checkPositiveInteger(epochs, { action: "train the scratch MLP", name: "epochs" });
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot train the scratch MLP: seed is ${seed}, expected an integer`);
  }
  const trainer = createScratchTrainer(network, options);
  const action = "train the scratch MLP";
  checkImageSet(network, data.train, { action, name: "the training images" });
  checkImageSet(network, data.validation, { action, name: "the validation images" });
  const random = createRandom(seed);
  const history = createHistory();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    const order = shuffledIndices(data.train.count, random);
    const trained = await trainScratchEpoch(network, data.train, trainer, {
      order,
      epoch,
      epochs,
      onBatchEnd: callbacks.onBatchEnd,
    });
    const validation = evaluateScratchMlp(network, data.validation);
    history.loss.push(trained.loss);
    history.accuracy.push(trained.accuracy);
    history.valLoss.push(validation.loss);
    history.valAccuracy.push(validation.accuracy);
    await callbacks.onEpochEnd?.({
      epoch,
      epochs,
      loss: trained.loss,
      accuracy: trained.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy,
      learningRate: trainer.optimizer.learningRate,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: data.train.count / trained.seconds,
    });
    await yieldToEventLoop();
  }
  return history;
}
