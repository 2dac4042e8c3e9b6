/**
 * Layers the architecture zoo (LeNet-5, VGG, ResNet, DenseNet) builds
 * from: seeded initialisers, so that a seed gives the same weights, and
 * the convolution, batch normalisation and ReLU unit of the three modern
 * networks.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type CreateModelOptions, seededGlorot } from "./initializers.ts";

/** Options of every zoo builder: the seed, as for the MLP and the CNN. */
export type ZooModelOptions = CreateModelOptions;

/** The seed a zoo builder uses when none is given, as `createCnn` does. */
export const DEFAULT_ZOO_SEED = 42;

/** Where a {@linkcode convBnRelu} unit sits and what it makes. */
export interface ConvUnit {
  /** Output channels. */
  filters: number;
  /** Side of the square filter (default 3). */
  kernelSize?: number;
  /** Stride in both directions (default 1). */
  strides?: number;
  /** Seed of the model. */
  seed: number;
  /** Number of the layer, for its initialiser's seed. */
  layer: number;
  /** Whether a ReLU follows the normalisation (default true). */
  relu?: boolean;
}

/**
 * Momentum of the normalisation's moving mean and variance: 0.9, PyTorch's
 * `BatchNorm2d` default (its `momentum=0.1` weighs the new batch by 0.1), which
 * torchvision's `vgg11_bn`, `resnet18` and `densenet121` train with. Keras'
 * 0.99 keeps 0.99^255 = 7.7% of the starting variance of 1 after the 255
 * steps of a notebook's quick run; next to a first layer's true variance of
 * about 0.005 that shrank every activation fourfold, and the deep models read
 * held-out digits at chance while training at 95%.
 */
export const BATCH_NORM_MOMENTUM = 0.9;

function normalisation(): tf.layers.Layer {
  return tf.layers.batchNormalization({ momentum: BATCH_NORM_MOMENTUM });
}

/**
 * Conv2D ("same" padding, no bias: the normalisation's offset replaces it),
 * batch normalisation (momentum {@link BATCH_NORM_MOMENTUM}, Keras' epsilon 1e-3) and
 * ReLU, applied to `input`.
 *
 * @example
 * ```ts
 * const x = convBnRelu(input, { filters: 16, seed: 42, layer: 1 });
 * ```
 */
export function convBnRelu(input: tf.SymbolicTensor, unit: ConvUnit): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({
    filters: unit.filters,
    kernelSize: unit.kernelSize ?? 3,
    strides: unit.strides ?? 1,
    padding: "same",
    useBias: false,
    kernelInitializer: seededGlorot(unit.seed, unit.layer),
  }).apply(input) as tf.SymbolicTensor;
  const normalised = normalisation().apply(conv) as tf.SymbolicTensor;
  if (unit.relu === false) return normalised;
  return tf.layers.reLU().apply(normalised) as tf.SymbolicTensor;
}

/**
 * Batch normalisation then ReLU: the pre-activation order of DenseNet.
 *
 * @example
 * ```ts
 * const x = bnRelu(features);
 * ```
 */
export function bnRelu(input: tf.SymbolicTensor): tf.SymbolicTensor {
  const normalised = normalisation().apply(input) as tf.SymbolicTensor;
  return tf.layers.reLU().apply(normalised) as tf.SymbolicTensor;
}
