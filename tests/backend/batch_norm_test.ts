import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  assertClose,
  assertMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
  valuesOn,
} from "../helpers/backend_compare.ts";
import { BATCH_NORM_TRAINING_KERNEL } from "../../lib/backend/batch_norm.ts";

/** Seeded values with a channel-dependent offset and spread, as activations have. */
function activations(shape: number[], seed: number): tf.Tensor {
  const channels = shape[shape.length - 1];
  const values = seededValues(shape.reduce((a, b) => a * b), seed);
  const shifted = values.map((v, i) => (1 + (i % channels)) * v + 0.5 * (i % channels) - 1);
  return tf.tensor(shifted, shape);
}

/**
 * A BatchNormalization layer called in training mode on `shape`: its
 * output, the gradients of a weighted sum of it with respect to the input,
 * gamma and beta, and the moving statistics after two calls.
 */
function layerInTraining(shape: number[]): tf.Tensor[] {
  const channels = shape[shape.length - 1];
  const layer = tf.layers.batchNormalization({
    gammaInitializer: tf.initializers.constant({ value: 1.5 }),
    betaInitializer: tf.initializers.constant({ value: -0.25 }),
  });
  const x = tf.variable(activations(shape, 1));
  const weights = tf.tensor(seededValues(x.size, 2), shape);
  layer.apply(x, { training: true });
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, weights)),
    [x, gamma, beta],
  );
  const moving = layer.nonTrainableWeights.map((w) => w.read().clone());
  const inference = layer.apply(x, { training: false }) as tf.Tensor;
  const result = [y, grads[x.name], grads[gamma.name], grads[beta.name], ...moving, inference];
  x.dispose();
  layer.dispose();
  assert.equal(channels, result[2].size);
  return result;
}

for (const shape of [[2, 5, 4, 3], [6, 7], [3, 4, 4, 20], [16, 14, 14, 12]]) {
  testFastPaths(
    `a BatchNormalization layer in training, input [${shape}]: output, gradients and moving statistics match cpu`,
    (path) => assertMatchesCpu(path, `batch norm ${shape}`, () => layerInTraining(shape)),
  );
}

/**
 * tf.moments and tf.batchNorm, as tfjs-layers composes them, and a loss
 * that uses the mean and variance too, so that their gradients count.
 */
function composite(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return [tf.batchNorm(x, mean, variance, offset, scale, 1e-3), mean, variance];
}

function fused(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) {
  return tf.engine().runKernel(
    BATCH_NORM_TRAINING_KERNEL,
    { x, scale, offset },
    { varianceEpsilon: 1e-3 },
  ) as tf.Tensor[];
}

/** The three outputs and the gradients of a loss of all three. */
function outputsAndGradients(normalise: typeof composite): tf.Tensor[] {
  const shape = [2, 3, 5, 4];
  const x = activations(shape, 3);
  const scale = tf.tensor1d(seededValues(4, 4));
  const offset = tf.tensor1d(seededValues(4, 5));
  const weights = tf.tensor(seededValues(x.size, 6), shape);
  const meanWeights = tf.tensor1d(seededValues(4, 7));
  const varianceWeights = tf.tensor1d(seededValues(4, 8));
  const loss = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
    const [y, mean, variance] = normalise(a, s, o);
    return tf.addN([
      tf.sum(tf.mul(y, weights)),
      tf.sum(tf.mul(mean, meanWeights)),
      tf.sum(tf.mul(variance, varianceWeights)),
    ]);
  };
  return [...normalise(x, scale, offset), ...tf.grads(loss)([x, scale, offset])];
}

testFastPaths(
  "the fused kernel and its gradient, with the mean and variance in the loss, match tf.moments and tf.batchNorm on cpu",
  async (path) => {
    const expected = await valuesOn("cpu", () => outputsAndGradients(composite));
    const actual = await valuesOn(path, () => outputsAndGradients(fused));
    expected.forEach((values, i) => assertClose(actual[i], values, `output ${i}`));
  },
);

testFastPaths(
  "a training step through batch normalisation leaves no tensors behind",
  async (path) => {
    await setupPath(path);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: "softmax" }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
    const x = tf.tensor4d(seededValues(8 * 36, 9), [8, 6, 6, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], "int32"), 2);
    await model.trainOnBatch(x, y);
    const tensors = tf.memory().numTensors;
    await model.trainOnBatch(x, y);
    assert.equal(tf.memory().numTensors, tensors);
    tf.dispose([x, y]);
    model.dispose();
  },
);
