/**
 * Seeded weight initialisers, so that the same seed builds the same model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options for building a tfjs model. */
export interface CreateModelOptions {
  /** Seed of the weight initialisers and dropout masks; the same seed gives the same weights. Default 42. */
  seed?: number;
  /**
   * Share of units each dropout layer drops while training, in [0, 1); a
   * model without dropout ignores it. Default the model's own rate.
   */
  dropoutRate?: number;
}

/**
 * Glorot-uniform initialiser (Keras' default; Glorot and Bengio 2010) with a
 * seed derived from the model's seed and the layer's position, so that no
 * two layers draw the same weights.
 *
 * @example
 * ```ts
 * tf.layers.dense({ units: 10, kernelInitializer: seededGlorot(42, 1) });
 * ```
 */
export function seededGlorot(seed: number, layer: number) {
  return tf.initializers.glorotUniform({ seed: seed * 101 + layer });
}
