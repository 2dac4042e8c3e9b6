/**
 * ReLU's gradient as one kernel instead of three.
 *
 * tfjs computes it as mul(dy, cast(step(x))): three passes over the
 * largest activations of the CNN. Gradients are registered per kernel for
 * every backend at once, so the replacement checks the active backend and
 * keeps the original formula on any backend not registered here.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";
import { registerKernelOnce } from "./register_backend.ts";
import { runSplit } from "./simd_kernels.ts";
import { takeReluGradient } from "./relu_pool_gradient.ts";

/** The name of the fused gradient kernel. */
export const RELU_GRADIENT_KERNEL = "FusedReluGradient";

const fusedBackends = new Set<string>();
let installed = false;

/**
 * Registers the fused kernel on `backendNames` and, once per process, a
 * ReLU gradient that uses it on those backends.
 *
 * @example
 * ```ts
 * installReluGradient(["blas"]);
 * ```
 */
export function installReluGradient(backendNames: readonly string[]): void {
  backendNames.forEach((backendName) => fusedBackends.add(backendName));
  registerKernelOnce({ kernelName: RELU_GRADIENT_KERNEL, kernelFunc: reluGradient }, backendNames);
  if (installed) return;
  installed = true;
  const original = tf.getGradient("Relu");
  tf.registerGradient({
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const gradient = dy as tf.Tensor;
      const fusable = fusedBackends.has(tf.getBackend()) &&
        x.dtype === "float32" && gradient.dtype === "float32" &&
        tf.util.arraysEqual(x.shape, gradient.shape);
      if (!fusable) return original!.gradFunc(dy, saved, attrs);
      return {
        x: () =>
          tf.engine().runKernel(RELU_GRADIENT_KERNEL, {
            dy: gradient,
            x,
          }) as tf.Tensor,
      };
    },
  });
}

/**
 * The kernel: dy * step(x), for float32 inputs of one shape; taken ready
 * from the max-pool gradient when a 2x2 pool of this ReLU made dy.
 */
function reluGradient(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { dy, x } = args.inputs;
  const { backend } = args;
  const ready = takeReluGradient(backend, { dy, x });
  if (ready !== undefined) return ready;
  const out = makeFloatOutput(backend, x.shape);
  const count = tf.util.sizeFromShape(x.shape);
  runSplit(backend, {
    name: "relu_grad",
    args: [out, dy, x].map((t) => offsetOf(backend, t) * 4).concat(0),
    strides: [4, 4, 4, 0],
    items: count,
    countArgument: 3,
    multiple: 16,
    floats: 3 * count,
  });
  return out;
}
