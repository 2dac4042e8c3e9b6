/**
 * Identifiers, defaults and format constants shared by the whole project.
 *
 * Nothing here does work: it is the bottom of the import graph, so every
 * other module may import it and it imports nothing.
 *
 * @module
 */

/** The models the project trains: two with tfjs layers and one from scratch. */
export type ModelId = "mlp" | "cnn" | "scratch";

/** Every model id, in the order reports list them. */
export const MODEL_IDS: readonly ModelId[] = ["mlp", "cnn", "scratch"];

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

/** Defaults as in the original notebooks: Adam 1e-3, 15 epochs, batch 64, split 0.1. */
export const DEFAULT_TRAINING: Readonly<TrainingSettings> = {
  epochs: 15,
  batchSize: 64,
  learningRate: 1e-3,
  validationSplit: 0.1,
  seed: 42,
};

/** The from-scratch MLP trains for 20 epochs, as the original NumPy notebook did. */
export const DEFAULT_SCRATCH_EPOCHS = 20;

/**
 * The epochs a model trains for unless told otherwise: 15 as in the Keras
 * notebooks, 20 for the from-scratch MLP as in the NumPy one.
 *
 * @example
 * ```ts
 * defaultEpochs("scratch"); // 20
 * ```
 */
export function defaultEpochs(id: ModelId): number {
  return id === "scratch" ? DEFAULT_SCRATCH_EPOCHS : DEFAULT_TRAINING.epochs;
}
