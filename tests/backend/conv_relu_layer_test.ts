import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { CONV_BIAS_RELU_KERNEL } from "../../lib/backend/conv_relu_layer.ts";
import {
  assertMatchesCpu,
  assertThreadedMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
} from "../helpers/backend_compare.ts";

/** A ReLU convolution, a 2x2 pool, a second ReLU convolution (strided, "same"). */
interface NetCase {
  x: [number, number, number, number];
  filters: [number, number];
}

function seeded(shape: number[], seed: number, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seededValues(size, seed).map((v) => v * scale), shape);
}

/**
 * The loss sum(net(x) * r) for seeded r, and its gradients with respect to
 * the input and every weight, computed through tfjs-layers' Conv2D.
 */
function netGradients(c: NetCase): tf.Tensor[] {
  const channels = c.x[3];
  const [first, second] = c.filters;
  const conv1 = tf.layers.conv2d({
    filters: first,
    kernelSize: 3,
    activation: "relu",
    weights: [seeded([3, 3, channels, first], 2, 0.5), seeded([first], 3, 0.2)],
  });
  const pool = tf.layers.maxPooling2d({ poolSize: 2 });
  const conv2 = tf.layers.conv2d({
    filters: second,
    kernelSize: 3,
    strides: 2,
    padding: "same",
    activation: "relu",
    weights: [seeded([3, 3, first, second], 4, 0.5), seeded([second], 5, 0.2)],
  });
  const x = tf.variable(seeded(c.x, 1));
  const net = (input: tf.Tensor) => conv2.apply(pool.apply(conv1.apply(input))) as tf.Tensor;
  // conv1 "valid" 3x3, pool 2, conv2 "same" with stride 2.
  const side = (length: number) => Math.ceil(Math.floor((length - 2) / 2) / 2);
  const r = seeded([c.x[0], side(c.x[1]), side(c.x[2]), second], 6);
  const variables = [
    x,
    ...[conv1, conv2].flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable)),
  ];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(net(x), r)), variables);
  const outputs = [value, ...variables.map((v) => grads[v.name])];
  conv1.dispose();
  conv2.dispose();
  x.dispose();
  return outputs;
}

testFastPaths(
  "a ReLU Conv2D layer's gradients through the fused kernel match cpu",
  async (path) => {
    for (
      const c of [
        { x: [2, 9, 9, 3], filters: [4, 5] },
        { x: [3, 10, 8, 1], filters: [8, 4] },
      ] as NetCase[]
    ) {
      await assertMatchesCpu(path, `net ${c.x}`, () => netGradients(c));
    }
  },
);

testFastPaths(
  "at a size split across threads, the fused ReLU convolution's gradients match cpu and repeat bit for bit",
  (path) => {
    const c: NetCase = { x: [8, 20, 20, 4], filters: [16, 8] };
    return assertThreadedMatchesCpu(path, "threaded net", () => netGradients(c));
  },
);

testFastPaths(
  "with gradients recorded a ReLU Conv2D layer runs one fused kernel, not Conv2D, Add and Relu",
  async (path) => {
    await setupPath(path);
    const c: NetCase = { x: [2, 9, 9, 3], filters: [4, 5] };
    const profile = await tf.profile(() => {
      tf.dispose(netGradients(c));
    });
    const names = profile.kernels.map((k) => k.name);
    assert.equal(names.filter((n) => n === CONV_BIAS_RELU_KERNEL).length, 2);
    for (const stock of ["Conv2D", "Relu", "FusedConv2D"]) {
      assert.ok(!names.includes(stock), `${stock} ran: ${names.join(", ")}`);
    }
    // Without a gradient, tfjs's own fused kernel runs as before.
    const inference = await tf.profile(() => {
      const layer = tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: "relu" });
      tf.tidy(() => layer.apply(tf.ones([1, 5, 5, 1])) as tf.Tensor);
      layer.dispose();
    });
    assert.ok(inference.kernels.some((k) => k.name === "FusedConv2D"));
  },
);
