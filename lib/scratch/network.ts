/**
 * The from-scratch MLP's parameters: dense layers, each a weight matrix of
 * shape [inputs, outputs] and a bias vector, He-initialised from a seed.
 *
 * @module
 */
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import { createMatrix, type Matrix } from "./math.ts";
import { createRandom, type RandomSource } from "../random.ts";

/** 784 -> 256 ReLU -> 128 ReLU -> 10 softmax, the tfjs MLP without its dropout. */
export const DEFAULT_LAYER_SIZES: readonly number[] = [
  IMAGE_PIXELS,
  256,
  128,
  NUM_CLASSES,
];

/** One dense layer, `z = x · W + b`: weights [inputs, outputs], biases [outputs]. */
export interface DenseLayer {
  /** W, row k holding the weights out of input k. */
  weights: Matrix;
  /** b, one per output. */
  biases: Float32Array;
}

/**
 * A multilayer perceptron: ReLU after every layer but the last, whose
 * outputs (logits) go through softmax.
 */
export interface ScratchMlp {
  /** Units per layer, input first and classes last, e.g. [784, 256, 128, 10]. */
  layerSizes: readonly number[];
  /** The dense layers, `layerSizes.length - 1` of them. */
  layers: DenseLayer[];
}

/** Options for {@linkcode createScratchMlp}. */
export interface CreateScratchMlpOptions {
  /** Seed of the initial weights; the same seed gives the same network. Default 42. */
  seed?: number;
  /** Units per layer, input first. Default {@linkcode DEFAULT_LAYER_SIZES}. */
  layerSizes?: readonly number[];
}

/**
 * Draws from the standard normal distribution N(0, 1) by the Box-Muller
 * transform: `√(-2 ln u1) · cos(2π u2)` for uniform u1, u2 (1 - u1 keeps
 * the logarithm away from zero).
 */
function drawNormal(random: RandomSource): number {
  return Math.sqrt(-2 * Math.log(1 - random())) *
    Math.cos(2 * Math.PI * random());
}

/**
 * Throws a RangeError unless `layerSizes` lists at least two positive integers.
 *
 * @example
 * ```ts
 * checkLayerSizes("create a network", [784, 10]); // passes
 * ```
 */
export function checkLayerSizes(
  action: string,
  layerSizes: readonly number[],
): void {
  const valid = layerSizes.length >= 2 &&
    layerSizes.every((size) => Number.isInteger(size) && size > 0);
  if (!valid) {
    throw new RangeError(
      `Cannot ${action}: layerSizes is [${layerSizes}], expected at least two positive integers`,
    );
  }
}

/**
 * Creates an MLP with He initialisation: every weight drawn from
 * N(0, 2 / inputs), biases zero. The 2 / inputs variance keeps the size of
 * the activations steady from layer to layer, since ReLU zeroes half of them.
 *
 * @example
 * ```ts
 * const network = createScratchMlp({ seed: 1 });
 * countScratchParams(network); // 235146
 * ```
 */
export function createScratchMlp(
  options: CreateScratchMlpOptions = {},
): ScratchMlp {
  const layerSizes = [...(options.layerSizes ?? DEFAULT_LAYER_SIZES)];
  checkLayerSizes("create the scratch MLP", layerSizes);
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot create the scratch MLP: seed is ${seed}, expected an integer`);
  }
  const random = createRandom(seed);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const inputs = layerSizes[l], outputs = layerSizes[l + 1];
    const weights = createMatrix(inputs, outputs);
    const scale = Math.sqrt(2 / inputs);
    for (let i = 0; i < weights.data.length; i++) {
      weights.data[i] = drawNormal(random) * scale;
    }
    layers.push({ weights, biases: new Float32Array(outputs) });
  }
  return { layerSizes, layers };
}

/**
 * Lists the parameter arrays in a fixed order, W1, b1, W2, b2, ..., the
 * order in which optimizers and gradients pair them up.
 *
 * @example
 * ```ts
 * listParameters(createScratchMlp()).length; // 6
 * ```
 */
export function listParameters(network: ScratchMlp): Float32Array[] {
  return network.layers.flatMap((layer) => [layer.weights.data, layer.biases]);
}

/**
 * Counts the trainable numbers: Σ (inputs · outputs + outputs) over layers.
 *
 * @example
 * ```ts
 * countScratchParams(createScratchMlp()); // 235146
 * ```
 */
export function countScratchParams(network: ScratchMlp): number {
  return listParameters(network).reduce(
    (sum, values) => sum + values.length,
    0,
  );
}
