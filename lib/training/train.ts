/**
 * The training loop every model goes through: per epoch a new order of the
 * training images drawn from a seeded generator (so a seed repeats a run
 * exactly; tfjs' own shuffle draws from Math.random), one epoch of the
 * model's training steps, then the validation set.
 *
 * @module
 */
import type { TrainingCallbacks } from "../callbacks.ts";
import {
  augmentImages,
  type AugmentSettings,
  isAugmenting,
  type PreparedData,
} from "../data/mod.ts";
import type { CompileOptions, DigitModel } from "../models/mod.ts";
import type { LearningRateScheduleId } from "../config.ts";
import { createRandom, shuffledIndices } from "../random.ts";
import { createHistory, type History } from "../results.ts";
import { scheduledLearningRate } from "./learning_rate_schedule.ts";

/** Options for {@linkcode trainModel}: how to learn, for how long, and whom to tell. */
export interface TrainModelOptions extends CompileOptions, TrainingCallbacks {
  /** Passes over the training set. */
  epochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Seed of the per-epoch orders and of the augmentation's draws. */
  seed: number;
  /** How to distort each epoch's training images; default none. Validation is never distorted. */
  augment?: AugmentSettings;
  /** How the learning rate moves from epoch to epoch; default "constant". */
  learningRateSchedule?: LearningRateScheduleId;
}

/**
 * Mixed into the seed of the augmentation's generator, so that its draws
 * are not the shuffle's and a run without augmentation keeps its orders.
 */
const AUGMENT_SEED_SALT = 0x5a17e5;

/** What training leaves: the per-epoch history and the wall time. */
export interface TrainModelResult {
  /** Loss and accuracy per epoch, on training and validation images. */
  history: History;
  /** Wall time of all epochs, validation included, in seconds. */
  seconds: number;
}

/**
 * Compiles a model and trains it for `epochs` epochs, validating after each.
 * The model's weights change in place. With `augment`, each epoch trains on
 * a fresh distortion of the training images (its cost counts in the epoch's
 * time), drawn from the seed; validation images are used as they are.
 * With a `learningRateSchedule`, each epoch's steps take the learning rate
 * {@linkcode scheduledLearningRate} gives it.
 *
 * @example
 * ```ts
 * const model = createModelRegistry().get("mlp").build({ seed: 1 });
 * const { history } = await trainModel(model, prepared, {
 *   epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 1,
 * });
 * ```
 */
export async function trainModel(
  model: DigitModel,
  data: Pick<PreparedData, "train" | "validation">,
  options: TrainModelOptions,
): Promise<TrainModelResult> {
  const { epochs, batchSize } = options;
  const schedule = options.learningRateSchedule ?? "constant";
  model.compile(options);
  const history = createHistory();
  const random = createRandom(options.seed);
  const augment = options.augment && isAugmenting(options.augment) ? options.augment : undefined;
  const augmentRandom = createRandom(options.seed ^ AUGMENT_SEED_SALT);
  // Every epoch's distorted images go to the same array (see augmentImages).
  const augmented = augment ? new Float32Array(data.train.pixels.length) : undefined;
  const started = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStarted = performance.now();
    const order = shuffledIndices(data.train.count, random);
    const images = augment
      ? augmentImages(data.train, augment, augmentRandom, { into: augmented })
      : data.train;
    const learningRate = scheduledLearningRate(schedule, {
      learningRate: options.learningRate,
      epoch,
      epochs,
    });
    const trained = await model.trainEpoch(images, {
      batchSize,
      order,
      epoch,
      epochs,
      learningRate,
      onBatchEnd: options.onBatchEnd,
    });
    const validation = await model.evaluate(data.validation);
    history.loss.push(trained.loss);
    history.accuracy.push(trained.accuracy);
    history.valLoss.push(validation.loss);
    history.valAccuracy.push(validation.accuracy);
    await options.onEpochEnd?.({
      epoch,
      epochs,
      loss: trained.loss,
      accuracy: trained.accuracy,
      valLoss: validation.loss,
      valAccuracy: validation.accuracy,
      learningRate,
      seconds: (performance.now() - epochStarted) / 1000,
      imagesPerSecond: data.train.count / trained.seconds,
    });
    // Lets timers and I/O run (a notebook display, a progress bar) between epochs.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { history, seconds: (performance.now() - started) / 1000 };
}
