/**
 * A tfjs layers model behind the project's model interface: Keras'
 * `compile`, then one epoch at a time the steps `fit` takes (`trainBatch`),
 * on images given in the order the training loop chose; prediction batch by
 * batch; the standard TensorFlow.js format on disk.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelId } from "../config.ts";
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import { type LabelledImages, selectImages } from "../data/mod.ts";
import { scoreProbabilities } from "../evaluation/mod.ts";
import { EpochProgress } from "./batch_progress.ts";
import { categoricalCrossentropy } from "./cross_entropy.ts";
import { saveLayersModel } from "./layers_io.ts";
import {
  type CompileOptions,
  DEFAULT_MOMENTUM,
  type DigitModel,
  type EpochLogs,
  type EpochOptions,
  type Evaluation,
  type LayerSummary,
} from "./model.ts";
import { toOneHot } from "./tensors.ts";
import { trainBatch } from "./train_step.ts";

/**
 * Compiles a layers model as the original notebooks did: the optimizer
 * (Adam by default), categorical cross-entropy (as tfjs-layers computes it,
 * in two kernels on the fast backends: see cross_entropy.ts), accuracy.
 *
 * @example
 * ```ts
 * compileLayersModel(createMlp(), { learningRate: 1e-3 });
 * ```
 */
export function compileLayersModel(model: tf.LayersModel, options: CompileOptions): tf.LayersModel {
  const optimizer = (options.optimizer ?? "adam") === "adam"
    ? tf.train.adam(options.learningRate)
    : tf.train.momentum(options.learningRate, options.momentum ?? DEFAULT_MOMENTUM);
  model.compile({ optimizer, loss: categoricalCrossentropy, metrics: ["accuracy"] });
  return model;
}

/**
 * Sets the learning rate of a compiled model's optimizer, for the steps
 * from now on. tfjs' SGD and momentum keep it as a tensor, which their
 * `setLearningRate` replaces; Adam reads its `learningRate` field at each
 * step (tfjs-core's `adam_optimizer.ts`), where the field is protected.
 *
 * @throws {TypeError} when the model is not compiled.
 *
 * @example
 * ```ts
 * setLearningRate(compileLayersModel(createCnn(), { learningRate: 1e-3 }), 5e-4);
 * ```
 */
export function setLearningRate(model: tf.LayersModel, learningRate: number): void {
  const optimizer = model.optimizer as
    | (tf.Optimizer & { learningRate: number; setLearningRate?: (rate: number) => void })
    | undefined;
  if (optimizer === undefined) {
    throw new TypeError(
      `Cannot set the learning rate of ${model.name}: found no optimizer, expected a compiled model`,
    );
  }
  if (optimizer.setLearningRate) optimizer.setLearningRate(learningRate);
  else optimizer.learningRate = learningRate;
}

/** What names a wrapped layers model. */
export interface LayersDigitModelOptions {
  /** Its registry id. */
  id: ModelId;
  /** Its name in tables and charts. */
  label: string;
  /** Images per forward pass when predicting and evaluating. Default 1000: fast, and small enough for memory. */
  predictBatchSize?: number;
}

/**
 * The factor pixels in [0, 1] are multiplied by before they reach a model:
 * 255 when its first layer is a `Rescaling` (Keras' way of building the
 * scaling into a model, as in `Rescaling(1 / 255)`, which expects bytes 0 to
 * 255), 1 for every other model, which reads pixels in [0, 1] as this
 * project's models and the original notebooks do.
 *
 * @example
 * ```ts
 * pixelScaleOf(createCnn()); // 1
 * ```
 */
export function pixelScaleOf(model: tf.LayersModel): number {
  const first = model.layers.find((layer) => layer.getClassName() !== "InputLayer");
  return first?.getClassName() === "Rescaling" ? 255 : 1;
}

/**
 * A tfjs layers model as a `DigitModel`; `layersModel` is the model itself,
 * for tfjs-only tools. Callers always give pixels in [0, 1]; a model that
 * starts with a `Rescaling` layer gets them as 0 to 255 (see `pixelScaleOf`),
 * and its input gets them in its own shape ([28, 28], [28, 28, 1] or [784]).
 */
export class LayersDigitModel implements DigitModel {
  readonly id: ModelId;
  readonly label: string;
  /** The wrapped tfjs model. */
  readonly layersModel: tf.LayersModel;
  readonly #predictBatchSize: number;
  readonly #pixelScale: number;

  constructor(model: tf.LayersModel, options: LayersDigitModelOptions) {
    this.layersModel = model;
    this.id = options.id;
    this.label = options.label;
    this.#predictBatchSize = options.predictBatchSize ?? 1000;
    this.#pixelScale = pixelScaleOf(model);
  }

  get params(): number {
    return this.layersModel.countParams();
  }

  compile(options: CompileOptions): void {
    compileLayersModel(this.layersModel, options);
  }

  async trainEpoch(images: LabelledImages, options: EpochOptions): Promise<EpochLogs> {
    if (options.learningRate !== undefined) setLearningRate(this.layersModel, options.learningRate);
    const ordered = selectImages(images, options.order, {
      into: orderedPixelsFor(images.count * IMAGE_PIXELS),
    });
    const xs = this.#inputTensor(ordered.pixels, ordered.count);
    const ys = toOneHot(ordered.labels);
    const started = performance.now();
    const progress = new EpochProgress(images.count, options);
    try {
      for (let start = 0; start < ordered.count; start += options.batchSize) {
        const size = Math.min(options.batchSize, ordered.count - start);
        const batch = tf.tidy(() => ({ x: xs.slice(start, size), y: ys.slice(start, size) }));
        try {
          await progress.addBatch(trainBatch(this.layersModel, batch), size);
        } finally {
          tf.dispose([batch.x, batch.y]);
        }
      }
      const { loss, accuracy } = await progress.totals();
      return { loss, accuracy, seconds: (performance.now() - started) / 1000 };
    } finally {
      progress.dispose();
      xs.dispose();
      ys.dispose();
    }
  }

  async evaluate(images: LabelledImages): Promise<Evaluation> {
    const probabilities = await this.predict(images.pixels, images.count);
    return { ...scoreProbabilities(probabilities, images.labels), probabilities };
  }

  async predict(pixels: Float32Array, count: number): Promise<Float32Array> {
    const probabilities = new Float32Array(count * NUM_CLASSES);
    for (let start = 0; start < count; start += this.#predictBatchSize) {
      const end = Math.min(start + this.#predictBatchSize, count);
      const batch = pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS);
      // One call per batch, as the benchmark runs it: tfjs' predict would
      // otherwise cut the batch into its default of 32 images.
      const output = tf.tidy(() =>
        this.layersModel.predict(this.#inputTensor(batch, end - start), {
          batchSize: this.#predictBatchSize,
        }) as tf.Tensor
      );
      probabilities.set(await output.data<"float32">(), start * NUM_CLASSES);
      output.dispose();
    }
    return probabilities;
  }

  /**
   * The gradient of each image's probability of `classes[i]` with respect
   * to its pixels, by `tf.grad` through the model in inference mode, batch
   * by batch. Each probability depends on its own image only (no layer
   * mixes images at inference), so the gradient of their sum holds every
   * image's own gradient. It is the gradient of the softmax output, not of
   * the logit: the models fold the softmax into their last layer.
   */
  async inputGradients(
    pixels: Float32Array,
    count: number,
    classes: ArrayLike<number>,
  ): Promise<Float32Array> {
    checkGradientInput(pixels, count, classes);
    const gradients = new Float32Array(count * IMAGE_PIXELS);
    for (let start = 0; start < count; start += this.#predictBatchSize) {
      const end = Math.min(start + this.#predictBatchSize, count);
      const batch = pixels.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS);
      const wanted = Uint8Array.from({ length: end - start }, (_, i) => classes[start + i]);
      const gradient = tf.tidy(() => {
        const mask = toOneHot(wanted);
        const probabilityOfWanted = (input: tf.Tensor) =>
          tf.sum(tf.mul(this.layersModel.apply(input, { training: false }) as tf.Tensor, mask));
        return tf.grad(probabilityOfWanted)(this.#inputTensor(batch, end - start));
      });
      gradients.set(await gradient.data<"float32">(), start * IMAGE_PIXELS);
      gradient.dispose();
    }
    return gradients;
  }

  save(directory: string): Promise<void> {
    return saveLayersModel(this.layersModel, directory);
  }

  summary(): LayerSummary[] {
    return this.layersModel.layers.map((layer) => ({
      name: layer.name,
      type: layer.getClassName(),
      outputShape: layer.outputShape as (number | null)[],
      params: layer.countParams(),
    }));
  }

  dispose(): void {
    // An optimizer passed to compile as an object is not the model's to free.
    this.layersModel.optimizer?.dispose();
    this.layersModel.dispose();
  }

  /** Pixels as a tensor in the model's own input shape ([n, 28, 28, 1], or [n, 784]) and scale. */
  #inputTensor(pixels: Float32Array, count: number): tf.Tensor {
    const inputShape = this.layersModel.inputs[0].shape.slice(1) as number[];
    const scale = this.#pixelScale;
    return tf.tidy(() => {
      const tensor = tf.tensor(pixels, [count, ...inputShape], "float32");
      return scale === 1 ? tensor : tensor.mul(scale);
    });
  }
}

/**
 * The array each epoch's images are copied into in training order, before
 * they become a tensor: one for every model and epoch of the process while
 * it lives (a weak reference, so an idle notebook does not keep 169 MB),
 * since the first writes to a new array of that size cost about 0.55 s of
 * page faults here (see selectImages). Models may share it: the copy and
 * the tensor made from it follow each other with no await between.
 */
let orderedPixels: WeakRef<Float32Array> | undefined;

function orderedPixelsFor(size: number): Float32Array {
  const kept = orderedPixels?.deref();
  if (kept !== undefined && kept.length >= size) return kept;
  const fresh = new Float32Array(size);
  orderedPixels = new WeakRef(fresh);
  return fresh;
}

/** Throws unless there are `count` images of 784 pixels and `count` classes 0 to 9. */
function checkGradientInput(pixels: Float32Array, count: number, classes: ArrayLike<number>) {
  const action = "compute input gradients";
  if (!Number.isInteger(count) || count < 1 || pixels.length !== count * IMAGE_PIXELS) {
    throw new RangeError(
      `Cannot ${action}: ${pixels.length} pixels for ${count} images, expected ${IMAGE_PIXELS} per image`,
    );
  }
  if (classes.length !== count) {
    throw new RangeError(
      `Cannot ${action}: ${classes.length} classes for ${count} images, expected one per image`,
    );
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isInteger(classes[i]) || classes[i] < 0 || classes[i] >= NUM_CLASSES) {
      throw new RangeError(
        `Cannot ${action}: classes[${i}] is ${classes[i]}, expected an integer class 0 to 9`,
      );
    }
  }
}
