/**
 * Dropout that draws a fresh mask on every training step and still repeats
 * exactly for a given seed.
 *
 * A stock tfjs Dropout layer given a seed passes that same seed to every
 * random draw, so every batch drops the same units: far weaker
 * regularisation than Keras, where a seeded dropout layer still varies its
 * mask. Without a seed it draws from Math.random and no run repeats. This
 * layer keeps its own seeded generator and hands each call a new seed. Its
 * class name stays "Dropout", so a saved model loads in any tfjs program.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRandom, type RandomSource } from "../random.ts";

/** Options for {@linkcode createDropout}. */
export interface DropoutOptions {
  /** Share of units dropped while training, in [0, 1). */
  rate: number;
  /** Seed of the generator the masks are drawn from. */
  seed: number;
}

type LayerCall = (
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

/** The stock layer's class, which tfjs does not export by name. */
const StockDropout = Object.getPrototypeOf(tf.layers.dropout({ rate: 0.5 })).constructor as new (
  args: { rate: number; seed?: number },
) => tf.layers.Layer & { seed?: number };

class FreshMaskDropout extends StockDropout {
  readonly #nextSeed: RandomSource;

  constructor(options: DropoutOptions) {
    super({ rate: options.rate, seed: options.seed });
    this.#nextSeed = createRandom(options.seed);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
    // Only a training step draws a mask, so how often a model is evaluated
    // between epochs (validation, tests) leaves the training masks unchanged.
    if (kwargs?.training === true) this.seed = Math.floor(this.#nextSeed() * 2 ** 31);
    return (super.call as LayerCall)(inputs, kwargs);
  }
}

/**
 * Creates a dropout layer with a new, seeded mask on each training step.
 *
 * @example
 * ```ts
 * const layer = createDropout({ rate: 0.5, seed: 7 });
 * ```
 */
export function createDropout(options: DropoutOptions): tf.layers.Layer {
  return new FreshMaskDropout(options);
}
