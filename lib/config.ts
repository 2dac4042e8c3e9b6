/**
 * Identifiers, defaults and format constants shared by the whole project.
 *
 * Nothing here does work: it is the bottom of the import graph, so every
 * other module may import it and it imports nothing.
 *
 * @module
 */

/**
 * A model's id in the model registry (`lib/models/registry.ts`): "mlp",
 * "cnn", "scratch", or one a user registers. It names the model's folder,
 * its `metrics.json` entry and its table columns.
 */
export type ModelId = string;

/** The data sets the project knows by name. */
export type DatasetId = "mnist" | "fashion";

/** Every data set id. */
export const DATASET_IDS: readonly DatasetId[] = ["mnist", "fashion"];

/**
 * How tfjs runs: WebGPU, BLAS through FFI, the pure-wasm kernels, plain JS,
 * or the best found.
 */
export type BackendId = "auto" | "webgpu" | "blas" | "wasm" | "cpu";

/** Every backend id accepted on the command line. */
export const BACKEND_IDS: readonly BackendId[] = ["auto", "webgpu", "blas", "wasm", "cpu"];

/** Side of a square MNIST image, in pixels. */
export const IMAGE_SIZE = 28;

/** Pixels in one MNIST image. */
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Digit classes 0 to 9. */
export const NUM_CLASSES = 10;

/** The training settings of the original Keras notebooks. */
export interface TrainingSettings {
  /** Passes over the training set. */
  epochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Fraction of the training set, taken from its end, held out for validation. */
  validationSplit: number;
  /** Seed for initial weights, dropout and shuffling. */
  seed: number;
}

/**
 * How the learning rate moves over a run: "constant" keeps it, "cosine"
 * lowers it from the learning rate towards 0 along half a cosine, epoch by
 * epoch (Loshchilov and Hutter 2017, "SGDR", eq. 5 without restarts;
 * PyTorch's `CosineAnnealingLR` with `T_max` the epochs).
 */
export type LearningRateScheduleId = "constant" | "cosine";

/** Every learning-rate schedule, in the order help texts list them. */
export const LEARNING_RATE_SCHEDULE_IDS: readonly LearningRateScheduleId[] = ["constant", "cosine"];

/** Defaults as in the original notebooks: Adam 1e-3, 15 epochs, batch 64, split 0.1. */
export const DEFAULT_TRAINING: Readonly<TrainingSettings> = {
  epochs: 15,
  batchSize: 64,
  learningRate: 1e-3,
  validationSplit: 0.1,
  seed: 42,
};
