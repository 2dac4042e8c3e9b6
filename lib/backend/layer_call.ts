/**
 * The one way this backend reroutes a tfjs-layers layer: the `call` of its
 * class is replaced by one that takes a fused path when that path applies,
 * and runs the original call in every other case. The class, weights and
 * config are untouched, so saved models stay stock.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A tfjs-layers layer's `call`, as its class's prototype holds it. */
type LayerCall = (
  this: tf.layers.Layer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

/** The fused path of a replaced call. */
export interface LayerCallReplacement {
  /** Whether the fused path applies to this layer, its first input and the call's options; it must make no tensor. */
  applies(layer: tf.layers.Layer, input: tf.Tensor, kwargs: Record<string, unknown>): boolean;
  /** The layer's output by the fused path; run inside `tf.tidy`. */
  run(layer: tf.layers.Layer, input: tf.Tensor): tf.Tensor;
}

/**
 * Replaces `call` on the prototype of `sample`'s class, for every layer of
 * that class: where `replacement.applies`, the output is
 * `replacement.run` on the first input, inside `tf.tidy`; elsewhere the
 * original call runs with the original arguments. Call it once per class
 * and process: a second call would wrap the first.
 *
 * @example
 * ```ts
 * replaceLayerCall(tf.layers.batchNormalization({}), { applies, run });
 * ```
 */
export function replaceLayerCall(
  sample: tf.layers.Layer,
  replacement: LayerCallReplacement,
): void {
  const prototype = Object.getPrototypeOf(sample) as { call: LayerCall };
  const original = prototype.call;
  prototype.call = function (this: tf.layers.Layer, inputs, kwargs) {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!replacement.applies(this, input, kwargs)) return original.call(this, inputs, kwargs);
    return tf.tidy(() => replacement.run(this, input));
  };
}
