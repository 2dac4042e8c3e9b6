/**
 * Adam's update as one kernel per variable instead of about 14.
 *
 * `tf.train.adam` updates each variable with 14 small operations, each a
 * pass over the weights plus engine bookkeeping: for the MLP that is as
 * long as the whole forward and backward pass. On the backends registered
 * here, `AdamOptimizer.prototype.applyGradients` is replaced by one that
 * computes the same formula in one pass; on any other backend the original
 * runs. The optimizer's state (moment variables, accBeta1, accBeta2,
 * iterations) is kept exactly as the original keeps it, so saving,
 * restoring and switching backends mid-training all still work.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { simdKernelsOf } from "./simd_kernels.ts";
import {
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";
import { registerKernelOnce } from "./register_backend.ts";

/** The name of the fused update kernel. */
export const FUSED_ADAM_KERNEL = "FusedAdamUpdate";

/** The private state of tfjs's AdamOptimizer that the update reads. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

/** What `applyGradients` accepts. */
type NamedGradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

type ApplyGradients = (
  this: tf.AdamOptimizer,
  gradients: NamedGradients,
) => void;

const fusedBackends = new Set<string>();
let originalApply: ApplyGradients | undefined;

/**
 * Registers the fused kernel on `backendNames` and routes Adam updates on
 * those backends through it. Calling it again adds backends; the prototype
 * is patched once.
 *
 * @example
 * ```ts
 * installFusedAdam(["blas"]);
 * ```
 */
export function installFusedAdam(backendNames: readonly string[]): void {
  backendNames.forEach((backendName) => fusedBackends.add(backendName));
  registerKernelOnce({ kernelName: FUSED_ADAM_KERNEL, kernelFunc: fusedAdamUpdate }, backendNames);
  if (originalApply !== undefined) return;
  const prototype = tf.AdamOptimizer.prototype as unknown as {
    applyGradients: ApplyGradients;
  };
  const original = prototype.applyGradients;
  originalApply = original;
  prototype.applyGradients = function (this: tf.AdamOptimizer, gradients) {
    if (!fusedBackends.has(tf.getBackend())) {
      original.call(this, gradients);
      return;
    }
    applyFused(this as unknown as AdamState, gradients);
  };
}

function applyFused(
  adam: AdamState,
  gradients: NamedGradients,
): void {
  const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
  tf.tidy(() => {
    const attrs = {
      learningRate: adam.learningRate,
      beta1: adam.beta1,
      beta2: adam.beta2,
      epsilon: adam.epsilon,
      accBeta1: adam.accBeta1.dataSync()[0],
      accBeta2: adam.accBeta2.dataSync()[0],
    };
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      const [m, v] = momentsOf(adam, i, name, value);
      const gradient = Array.isArray(gradients) ? gradients[i].tensor : gradients[name];
      if (gradient == null) return;
      const [newValue, newM, newV] = tf.engine().runKernel(
        FUSED_ADAM_KERNEL,
        { value, gradient, m, v },
        attrs,
      ) as tf.Tensor[];
      m.assign(newM);
      v.assign(newV);
      value.assign(newValue);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

/** The moment variables of variable `i`, created as the original does. */
function momentsOf(
  adam: AdamState,
  i: number,
  name: string,
  value: tf.Variable,
): [tf.Variable, tf.Variable] {
  const zeros = () => tf.tidy(() => tf.zerosLike(value).variable(false));
  adam.accumulatedFirstMoment[i] ??= {
    originalName: `${name}/m`,
    variable: zeros(),
  };
  adam.accumulatedSecondMoment[i] ??= {
    originalName: `${name}/v`,
    variable: zeros(),
  };
  return [
    adam.accumulatedFirstMoment[i].variable,
    adam.accumulatedSecondMoment[i].variable,
  ];
}

/**
 * The kernel: inputs value, gradient, m, v; outputs the new value, m, v,
 * computed in one SIMD pass (float32 throughout, with the two bias
 * corrections folded into a step size and a scale).
 */
function fusedAdamUpdate(args: KernelArgs): TensorInfo[] {
  touchInputs(args);
  const { value, gradient, m, v } = args.inputs;
  const attrs = args.attrs as Record<string, number>;
  const { backend } = args;
  const outputs = [value, m, v].map((t) => makeFloatOutput(backend, t.shape));
  const [w1, m1, v1] = outputs.map((t) => offsetOf(backend, t) * 4);
  const [w0, g0, m0, v0] = [value, gradient, m, v].map((t) => offsetOf(backend, t) * 4);
  simdKernelsOf(backend).adam(
    w0,
    g0,
    m0,
    v0,
    w1,
    m1,
    v1,
    tf.util.sizeFromShape(value.shape),
    attrs.beta1,
    attrs.beta2,
    -attrs.learningRate / (1 - attrs.accBeta1),
    1 / (1 - attrs.accBeta2),
    attrs.epsilon,
  );
  return outputs;
}
