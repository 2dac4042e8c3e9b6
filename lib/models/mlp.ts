/**
 * The MLP of the original Keras notebook: 784 pixels through two dense
 * layers to a 10-way softmax, 235,146 weights.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import { createDropout } from "./dropout.ts";
import { type CreateModelOptions, seededGlorot } from "./initializers.ts";

/** The MLP's dropout rate, the original notebook's. */
export const MLP_DROPOUT_RATE = 0.2;

/**
 * Creates the MLP: Flatten, Dense 256 ReLU, Dense 128 ReLU, Dropout 0.2
 * (`dropoutRate`),
 * Dense 10 softmax: 235,146 parameters. It takes images shaped [n, 28, 28, 1]
 * and gives probabilities shaped [n, 10]. Source: the original Colab
 * notebook (`shared/seeds/000_*.txt`), after the Keras MNIST MLP example.
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
      createDropout({ rate: options.dropoutRate ?? MLP_DROPOUT_RATE, seed: seed * 101 + 3 }),
      tf.layers.dense({
        units: NUM_CLASSES,
        activation: "softmax",
        kernelInitializer: seededGlorot(seed, 4),
      }),
    ],
  });
}
