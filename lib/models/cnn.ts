/**
 * The CNN of the original Keras notebook: two 3x3 convolutions with max
 * pooling, then a dense layer, 225,034 weights, about the MLP's size.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import { createDropout } from "./dropout.ts";
import { type CreateModelOptions, seededGlorot } from "./initializers.ts";

/** The CNN's dropout rate, the original notebook's and Keras' example's. */
export const CNN_DROPOUT_RATE = 0.5;

/**
 * Creates the CNN: Conv2D 32 3x3 ReLU, MaxPool 2, Conv2D 64 3x3 ReLU,
 * MaxPool 2, Flatten, Dense 128 ReLU, Dropout 0.5 (`dropoutRate`), Dense 10 softmax:
 * 225,034 parameters. It takes images shaped [n, 28, 28, 1] and gives
 * probabilities shaped [n, 10]. Source: the original Colab notebook
 * (`shared/seeds/000_*.txt`: two Conv2D with ReLU, two MaxPooling2D, a dense
 * ReLU layer, dropout, softmax), with the filter counts of Keras' "Simple
 * MNIST convnet" (keras-io, examples/vision/mnist_convnet.py).
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
      createDropout({ rate: options.dropoutRate ?? CNN_DROPOUT_RATE, seed: seed * 101 + 4 }),
      tf.layers.dense({
        units: NUM_CLASSES,
        activation: "softmax",
        kernelInitializer: seededGlorot(seed, 5),
      }),
    ],
  });
}
