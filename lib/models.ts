/**
 * The two tfjs architectures of the original notebooks, side by side.
 *
 * Both end in a 10-way softmax and have about the same number of weights
 * (235,146 for the MLP, 225,034 for the CNN), so a difference in accuracy
 * comes from the architecture, not from its size.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, NUM_CLASSES } from "./config.ts";
import { createDropout } from "./dropout.ts";

/** Options for building a model. */
export interface CreateModelOptions {
  /** Seed of the weight initialisers and dropout masks; the same seed gives the same weights. */
  seed?: number;
}

/** Glorot-uniform initialiser (Keras' default) with a seed derived from the model's. */
function seededGlorot(seed: number, layer: number) {
  return tf.initializers.glorotUniform({ seed: seed * 101 + layer });
}

/**
 * Creates the MLP: Flatten, Dense 256 ReLU, Dense 128 ReLU, Dropout 0.2,
 * Dense 10 softmax. It takes images shaped [n, 28, 28, 1].
 *
 * @example
 * ```ts
 * const mlp = createMlp({ seed: 1 });
 * mlp.countParams(); // 235146
 * ```
 */
export function createMlp(options: CreateModelOptions = {}): tf.Sequential {
  const seed = options.seed ?? 42;
  return tf.sequential({
    name: "mlp",
    layers: [
      tf.layers.flatten({ inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }),
      tf.layers.dense({
        units: 256,
        activation: "relu",
        kernelInitializer: seededGlorot(seed, 1),
      }),
      tf.layers.dense({
        units: 128,
        activation: "relu",
        kernelInitializer: seededGlorot(seed, 2),
      }),
      createDropout({ rate: 0.2, seed: seed * 101 + 3 }),
      tf.layers.dense({
        units: NUM_CLASSES,
        activation: "softmax",
        kernelInitializer: seededGlorot(seed, 4),
      }),
    ],
  });
}

/**
 * Creates the CNN: Conv2D 32 3x3 ReLU, MaxPool 2, Conv2D 64 3x3 ReLU,
 * MaxPool 2, Flatten, Dense 128 ReLU, Dropout 0.5, Dense 10 softmax.
 *
 * @example
 * ```ts
 * const cnn = createCnn({ seed: 1 });
 * cnn.countParams(); // 225034
 * ```
 */
export function createCnn(options: CreateModelOptions = {}): tf.Sequential {
  const seed = options.seed ?? 42;
  return tf.sequential({
    name: "cnn",
    layers: [
      tf.layers.conv2d({
        inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1],
        filters: 32,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: seededGlorot(seed, 1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 64,
        kernelSize: 3,
        activation: "relu",
        kernelInitializer: seededGlorot(seed, 2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 128,
        activation: "relu",
        kernelInitializer: seededGlorot(seed, 3),
      }),
      createDropout({ rate: 0.5, seed: seed * 101 + 4 }),
      tf.layers.dense({
        units: NUM_CLASSES,
        activation: "softmax",
        kernelInitializer: seededGlorot(seed, 5),
      }),
    ],
  });
}

/** The tfjs model ids and their builders. */
export const TFJS_MODEL_BUILDERS = {
  mlp: createMlp,
  cnn: createCnn,
} as const;

/** A model id that tfjs builds. */
export type TfjsModelId = keyof typeof TFJS_MODEL_BUILDERS;

/**
 * Compiles a model as the originals did: Adam, categorical cross-entropy, accuracy.
 *
 * @example
 * ```ts
 * compileModel(createMlp(), { learningRate: 1e-3 });
 * ```
 */
export function compileModel(
  model: tf.LayersModel,
  options: { learningRate: number },
): tf.LayersModel {
  model.compile({
    optimizer: tf.train.adam(options.learningRate),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return model;
}
