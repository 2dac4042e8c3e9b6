/**
 * Routes tfjs-layers' BatchNormalization in training mode through the two
 * kernels of batch_norm.ts on the backends registered here.
 *
 * `BatchNormalization.prototype.call` is replaced once per process by one
 * that, when the active backend is one of these, the call is training, the
 * channels are the last axis and both scale and offset are learnt, runs the
 * forward kernel (whose registered gradient is the fused one) and updates
 * the moving mean and variance exactly as the original does; in every
 * other case the original runs. The layer's class, weights and config are
 * untouched, so saved models are stock.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  BATCH_NORM_TRAINING_GRAD_KERNEL,
  BATCH_NORM_TRAINING_KERNEL,
  batchNormTraining,
  batchNormTrainingGrad,
} from "./batch_norm.ts";
import { replaceLayerCall } from "./layer_call.ts";
import { registerKernelOnce } from "./register_backend.ts";

/** The private state of tfjs-layers' BatchNormalization that the call reads. */
interface BatchNormState {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

const fusedBackends = new Set<string>();
let installed = false;

/**
 * Registers the kernels on `backendNames` and, once per process, the
 * gradient and the BatchNormalization call that use them there.
 *
 * @example
 * ```ts
 * installFusedBatchNorm(["blas"]);
 * ```
 */
export function installFusedBatchNorm(backendNames: readonly string[]): void {
  backendNames.forEach((backendName) => fusedBackends.add(backendName));
  registerKernelOnce(
    { kernelName: BATCH_NORM_TRAINING_KERNEL, kernelFunc: batchNormTraining },
    backendNames,
  );
  registerKernelOnce(
    { kernelName: BATCH_NORM_TRAINING_GRAD_KERNEL, kernelFunc: batchNormTrainingGrad },
    backendNames,
  );
  if (installed) return;
  installed = true;
  registerBatchNormGradient();
  replaceLayerCall(tf.layers.batchNormalization({}), {
    applies: (layer, input, kwargs) =>
      Boolean(kwargs["training"]) && fusable(layer as unknown as BatchNormState, input),
    run: (layer, input) => normalizeInTraining(layer as unknown as BatchNormState, input),
  });
}

/** Whether the fused kernels apply to this layer, input and active backend. */
function fusable(state: BatchNormState, input: tf.Tensor): boolean {
  const axis = state.axis < 0 ? state.axis + input.rank : state.axis;
  return fusedBackends.has(tf.getBackend()) && input.dtype === "float32" &&
    input.rank >= 2 && axis === input.rank - 1 && state.center && state.scale;
}

/** The training branch of the original call, on the fused kernel. */
function normalizeInTraining(state: BatchNormState, input: tf.Tensor): tf.Tensor {
  const [normalised, mean, variance] = tf.engine().runKernel(
    BATCH_NORM_TRAINING_KERNEL,
    { x: input, scale: state.gamma.read(), offset: state.beta.read() },
    { varianceEpsilon: state.epsilon },
  ) as tf.Tensor[];
  // The same moving-average update, in the same operations, as the original.
  for (
    const [variable, value] of [[state.movingMean, mean], [state.movingVariance, variance]] as const
  ) {
    tf.tidy(() => {
      const current = variable.read();
      const delta = tf.mul(tf.sub(current, value), 1 - state.momentum);
      variable.write(tf.sub(current, delta));
    });
  }
  return normalised;
}

/** Registers the forward kernel's gradient: the fused gradient kernel. */
function registerBatchNormGradient(): void {
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING_KERNEL,
    inputsToSave: ["x", "scale"],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dmean, dvariance] = dys as tf.Tensor[];
      const [x, scale, mean, variance] = saved;
      // One kernel gives all three gradients, so it runs now, not per input.
      const [dx, dscale, doffset] = tf.engine().runKernel(
        BATCH_NORM_TRAINING_GRAD_KERNEL,
        { dy, x, mean, variance, scale, dmean, dvariance },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      return { x: () => dx, scale: () => dscale, offset: () => doffset };
    },
  });
}
