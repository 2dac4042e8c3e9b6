/**
 * Routes tfjs-layers' Conv2D with a ReLU activation through one forward
 * kernel (convolution, bias and ReLU) and one gradient on the backends
 * registered here, while gradients are being recorded.
 *
 * tfjs fuses the bias and activation into the convolution only when no
 * gradient is recorded, or the activation is linear
 * (`shouldFuse` in tfjs-core's fused_util.ts), so in training a ReLU
 * convolution is three kernels: Conv2D, Add and Relu. Each is a pass over
 * the layer's activations (the CNN's first layer writes 64x26x26x32 floats,
 * 5.5 MB, three times), and each is an engine call that records a tape node
 * and saves tensors for the backward pass. Here it is one kernel,
 * {@linkcode CONV_BIAS_RELU_KERNEL}, that computes max(conv(x, w) + b, 0)
 * with the bias and the ReLU in one pass after the product, and
 * whose registered gradient makes ReLU's gradient from the saved output
 * (max(z, 0) > 0 exactly where z > 0) and then the three gradients, each
 * only when the tape asks for it (the first layer's input gradient is not).
 *
 * `Conv2D.prototype.call` is replaced once per process by one that takes
 * this path when the active backend is one of these, the layer's
 * activation is ReLU, it has a bias, its data is channels-last float32 and
 * its dilation is 1; in every other case the original call runs. The
 * layer's class, weights and config are untouched, so saved models are
 * stock.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { replaceLayerCall } from "./layer_call.ts";
import { RELU_GRADIENT_KERNEL } from "./relu_gradient.ts";

/** The name of the forward kernel: convolution, bias and ReLU in training. */
export const CONV_BIAS_RELU_KERNEL = "Conv2DBiasRelu";

/** The private state of tfjs-layers' Conv2D that the call reads. */
interface ConvState {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: { getClassName(): string } | null;
}

const fusedBackends = new Set<string>();
let installed = false;

/**
 * Once per process, registers the gradient of {@linkcode CONV_BIAS_RELU_KERNEL}
 * and replaces Conv2D's call; marks `backendNames` as running it. Each
 * backend registers the kernel itself, as its FusedConv2D kernel with a
 * ReLU (setup_backend.ts), since that runs on the backend's own products.
 *
 * @example
 * ```ts
 * installConvRelu(["blas"]);
 * ```
 */
export function installConvRelu(backendNames: readonly string[]): void {
  backendNames.forEach((backendName) => fusedBackends.add(backendName));
  if (installed) return;
  installed = true;
  registerConvReluGradient();
  replaceLayerCall(tf.layers.conv2d({ filters: 1, kernelSize: 1 }), {
    applies: (layer, input) => fusable(layer as unknown as ConvState, input),
    run: (layer, input) => {
      const state = layer as unknown as ConvState;
      return tf.engine().runKernel(
        CONV_BIAS_RELU_KERNEL,
        { x: input, filter: state.kernel.read(), bias: state.bias!.read() },
        attributesOf(state),
      ) as tf.Tensor;
    },
  });
}

/** Whether this layer, input and active backend take the fused path. */
function fusable(state: ConvState, input: tf.Tensor): boolean {
  const dilations = Array.isArray(state.dilationRate) ? state.dilationRate : [state.dilationRate];
  return fusedBackends.has(tf.getBackend()) && tf.engine().state.gradientDepth > 0 &&
    state.activation?.getClassName() === "relu" && state.bias != null &&
    state.dataFormat === "channelsLast" && input.dtype === "float32" && input.rank === 4 &&
    (state.padding === "valid" || state.padding === "same") && dilations.every((d) => d === 1);
}

/** The FusedConv2D attributes of the layer's convolution, with ReLU. */
function attributesOf(state: ConvState): tf.NamedAttrMap {
  return {
    strides: state.strides,
    pad: state.padding,
    dataFormat: "NHWC",
    dilations: [1, 1],
    activation: "relu",
  };
}

/**
 * The gradient: dz = dy * step(y) (ReLU's gradient, from the output),
 * then dx, dw and db from dz as tfjs's Conv2D and bias gradients compute
 * them.
 */
function registerConvReluGradient(): void {
  tf.registerGradient({
    kernelName: CONV_BIAS_RELU_KERNEL,
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      const dz = tf.engine().runKernel(RELU_GRADIENT_KERNEL, {
        dy: dy as tf.Tensor,
        x: y,
      }) as tf.Tensor;
      const convAttrs = { strides: attrs.strides, pad: attrs.pad, dataFormat: "NHWC" };
      return {
        x: () =>
          tf.engine().runKernel("Conv2DBackpropInput", { dy: dz, filter }, {
            ...convAttrs,
            inputShape: x.shape,
          }) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: dz }, {
            ...convAttrs,
            filterShape: filter.shape,
          }) as tf.Tensor,
        bias: () => tf.sum(dz, [0, 1, 2]),
      };
    },
  });
}
