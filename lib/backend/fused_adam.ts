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
 * restoring and switching backends mid-training all still work. Weights
 * and moments that nothing else shares are updated in their own buffers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { simdKernelsOf } from "./simd_kernels.ts";
import {
  canRenumberData,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  renumberData,
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
      if (updateInPlace({ value, gradient, m, v }, attrs)) return;
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

/** The attributes of one update: the optimizer's settings and bias terms. */
type AdamAttributes = Record<
  "learningRate" | "beta1" | "beta2" | "epsilon" | "accBeta1" | "accBeta2",
  number
>;

/** A variable, its gradient and its two moment variables. */
interface AdamTensors {
  value: tf.Tensor;
  gradient: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * Updates the value and moments in their own buffers when each is held by
 * its variable alone (the backend's reference count is 1, so no clone,
 * reshape or other tensor shares the data and nobody can see the change
 * but the variable, as after an assign). The data is then renumbered, so
 * that no cache keyed by the old number (XNNPACK's packed filters, the
 * im2col columns) serves the old values. This saves allocating three
 * buffers a variable and writing into cold memory. Returns false, changing
 * nothing, otherwise.
 */
function updateInPlace(tensors: AdamTensors, attrs: AdamAttributes): boolean {
  const { value, gradient, m, v } = tensors;
  const backend = tf.backend() as unknown as KernelArgs["backend"];
  if (!canRenumberData(backend)) return false;
  const owned = [value, m, v].every((t) => backend.refCount(t.dataId) === 1);
  const float = [value, gradient, m, v].every((t) => t.dtype === "float32");
  if (!owned || !float || !tf.util.arraysEqual(value.shape, gradient.shape)) return false;
  const [w, g, mAt, vAt] = [value, gradient, m, v].map((t) => offsetOf(backend, t) * 4);
  runAdam(backend, { w0: w, g0: g, m0: mAt, v0: vAt, w1: w, m1: mAt, v1: vAt }, {
    count: value.size,
    attrs,
  });
  [value, m, v].forEach((t) => renumberData(backend, t));
  return true;
}

/** Byte offsets of the inputs and outputs of one update. */
interface AdamBuffers {
  w0: number;
  g0: number;
  m0: number;
  v0: number;
  w1: number;
  m1: number;
  v1: number;
}

/** One SIMD pass, with the two bias corrections folded into a step size and a scale. */
function runAdam(
  backend: KernelArgs["backend"],
  buffers: AdamBuffers,
  { count, attrs }: { count: number; attrs: AdamAttributes },
): void {
  const { w0, g0, m0, v0, w1, m1, v1 } = buffers;
  simdKernelsOf(backend).adam(
    w0,
    g0,
    m0,
    v0,
    w1,
    m1,
    v1,
    count,
    attrs.beta1,
    attrs.beta2,
    -attrs.learningRate / (1 - attrs.accBeta1),
    1 / (1 - attrs.accBeta2),
    attrs.epsilon,
  );
}

/**
 * The kernel: inputs value, gradient, m, v; outputs the new value, m, v,
 * computed in one SIMD pass (float32 throughout, with the two bias
 * corrections folded into a step size and a scale).
 */
function fusedAdamUpdate(args: KernelArgs): TensorInfo[] {
  touchInputs(args);
  const { value, gradient, m, v } = args.inputs;
  const attrs = args.attrs as AdamAttributes;
  const { backend } = args;
  const outputs = [value, m, v].map((t) => makeFloatOutput(backend, t.shape));
  const [w1, m1, v1] = outputs.map((t) => offsetOf(backend, t) * 4);
  const [w0, g0, m0, v0] = [value, gradient, m, v].map((t) => offsetOf(backend, t) * 4);
  runAdam(backend, { w0, g0, m0, v0, w1, m1, v1 }, {
    count: tf.util.sizeFromShape(value.shape),
    attrs,
  });
  return outputs;
}
