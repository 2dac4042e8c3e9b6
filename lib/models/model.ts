/**
 * The one interface every model of the project implements, whatever runs
 * it (tfjs layers, the from-scratch MLP, or a model a user registers):
 * training epoch by epoch, evaluation and prediction on images, saving,
 * a description of its layers, and disposal.
 *
 * Training, evaluation, prediction, the page and the report talk to this
 * interface only, so none of them asks which kind of model it holds.
 * Its names follow Keras (`compile`, `evaluate`, `predict`, `save`).
 *
 * @module
 */
import type { BatchProgress } from "../callbacks.ts";
import type { ModelId } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";

/** The optimizers a model can be compiled with. */
export type OptimizerId = "adam" | "sgd";

/** Every optimizer id, in the order help texts list them. */
export const OPTIMIZER_IDS: readonly OptimizerId[] = ["adam", "sgd"];

/** Momentum of "sgd" unless told otherwise: 0.9, the common choice (Keras' examples, torchvision's recipes). */
export const DEFAULT_MOMENTUM = 0.9;

/** How a model learns: set once, before its first epoch. */
export interface CompileOptions {
  /** The optimizer's step size. */
  learningRate: number;
  /** "adam" (Kingma and Ba 2015, Keras' defaults) or "sgd" with momentum. Default "adam". */
  optimizer?: OptimizerId;
  /** Momentum of "sgd", in [0, 1); ignored by Adam. Default 0.9. */
  momentum?: number;
}

/** One epoch of training: the order of the images, the batch size, and whom to tell. */
export interface EpochOptions {
  /** Images per gradient step. */
  batchSize: number;
  /** The order to take the images in: a permutation of 0 to count - 1. */
  order: Uint32Array;
  /** Epoch number, counting from 1, for the progress reports. */
  epoch: number;
  /** Epochs in the run, for the progress reports. */
  epochs: number;
  /**
   * The optimizer's learning rate for this epoch and the ones after it, as
   * a schedule sets it; default the one it has (at first the compiled one).
   */
  learningRate?: number;
  /** Called after batches, as often as the model can afford. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
}

/** What one epoch of training measured, on the training images, batch by batch. */
export interface EpochLogs {
  /** Mean training loss of the epoch's batches, each measured before its step. */
  loss: number;
  /** Share of the training images classified right, 0 to 1. */
  accuracy: number;
  /** Wall time of the epoch's training steps, in seconds. */
  seconds: number;
}

/** How a model did on a labelled set. */
export interface Evaluation {
  /** Mean categorical cross-entropy. */
  loss: number;
  /** Share of images classified right, 0 to 1. */
  accuracy: number;
  /** Softmax outputs, probabilities in [0, 1], shape [count, 10], row-major. */
  probabilities: Float32Array;
}

/** One layer as a summary lists it, in Keras' `model.summary()` columns. */
export interface LayerSummary {
  /** The layer's name. */
  name: string;
  /** What kind of layer ("Dense", "Conv2D", "Dense, ReLU"). */
  type: string;
  /** Its output shape, the batch dimension as null. */
  outputShape: (number | null)[];
  /** Its trainable parameters. */
  params: number;
}

/** A model that learns to read digits: images shaped [n, 28, 28, 1] to 10 probabilities. */
export interface DigitModel {
  /** Its registry id ("mlp", "cnn", "scratch", or a user's). */
  readonly id: ModelId;
  /** Its name as tables and charts show it ("MLP from scratch"). */
  readonly label: string;
  /** Trainable parameters. */
  readonly params: number;
  /** Sets up the optimizer; call once before the first epoch. */
  compile(options: CompileOptions): void;
  /** Trains one epoch over `images` in the order given, updating the weights in place. */
  trainEpoch(images: LabelledImages, options: EpochOptions): Promise<EpochLogs>;
  /** Loss, accuracy and probabilities on a labelled set, in inference mode. */
  evaluate(images: LabelledImages): Promise<Evaluation>;
  /** Probabilities shaped [count, 10] of `count` images given as pixels in [0, 1], [count, 784]. */
  predict(pixels: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Optional, for models that can differentiate through themselves: the
   * gradient of each image's probability of class `classes[i]` with respect
   * to its pixels, shaped [count, 784], in probability per unit of pixel
   * value, in inference mode. Saliency maps (Simonyan, Vedaldi and
   * Zisserman 2014, "Deep Inside Convolutional Networks", section 3) are
   * its absolute values. Callers check that the method is there, never the
   * kind of model.
   *
   * @throws {RangeError} when `pixels` is not `count * 784` values or
   * `classes` is not `count` classes 0 to 9.
   */
  inputGradients?(
    pixels: Float32Array,
    count: number,
    classes: ArrayLike<number>,
  ): Promise<Float32Array>;
  /** Saves the model in `directory`, in its own format, so that `loadModel` reads it back. */
  save(directory: string): Promise<void>;
  /** Its layers, input first. */
  summary(): LayerSummary[];
  /** Frees what the model holds (tfjs tensors); the model is unusable afterwards. */
  dispose(): void;
}
