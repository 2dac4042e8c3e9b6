import assert from "node:assert/strict";
import type { EpochSummary } from "../../lib/callbacks.ts";
import type { LabelledImages } from "../../lib/data/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { evaluateScratchMlp, predictScratchMlp } from "../../lib/scratch/evaluate.ts";
import { countScratchParams, createScratchMlp } from "../../lib/scratch/network.ts";
import { trainScratchMlp } from "../../lib/scratch/train.ts";

/**
 * XOR in two dimensions: the class is whether x and y have the same sign.
 * No straight line separates the classes, so only the hidden layers can.
 */
function makeXor(count: number, seed: number): LabelledImages {
  const random = createRandom(seed);
  const pixels = new Float32Array(count * 2), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const x = random() * 2 - 1, y = random() * 2 - 1;
    pixels[2 * i] = x;
    pixels[2 * i + 1] = y;
    labels[i] = x * y > 0 ? 1 : 0;
  }
  return { pixels, labels, count };
}

/**
 * MNIST-shaped data: ten random binary "digit" images, each sample one of
 * them with 30% of its pixels flipped, so classes overlap heavily pixel by pixel.
 */
function makeNoisyPrototypes(count: number, seed: number): LabelledImages {
  const prototypeRandom = createRandom(100);
  const prototypes = Uint8Array.from({ length: 10 * 784 }, () => prototypeRandom() < 0.2 ? 1 : 0);
  const random = createRandom(seed);
  const pixels = new Float32Array(count * 784), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 10;
    for (let p = 0; p < 784; p++) {
      const on = prototypes[labels[i] * 784 + p] === 1;
      pixels[i * 784 + p] = (random() < 0.3 ? !on : on) ? 1 : 0;
    }
  }
  return { pixels, labels, count };
}

Deno.test("the default network has the tfjs MLP's 235,146 parameters", () => {
  assert.equal(countScratchParams(createScratchMlp()), 235_146);
});

Deno.test("the same seed gives the same initial weights, another seed others", () => {
  const first = createScratchMlp({ seed: 5 }).layers[0].weights.data;
  assert.deepEqual(createScratchMlp({ seed: 5 }).layers[0].weights.data, first);
  assert.notDeepEqual(createScratchMlp({ seed: 6 }).layers[0].weights.data, first);
  // He initialisation: variance 2 / inputs.
  const variance = first.reduce((sum, w) => sum + w * w, 0) / first.length;
  assert.ok(Math.abs(variance - 2 / 784) < 0.05 * (2 / 784), `variance ${variance}`);
});

for (const optimizer of ["adam", "sgd"] as const) {
  Deno.test(`training with ${optimizer} learns XOR: loss falls, accuracy far above chance`, async () => {
    const network = createScratchMlp({ seed: 1, layerSizes: [2, 16, 16, 2] });
    const data = { train: makeXor(512, 1), validation: makeXor(256, 2) };
    const before = evaluateScratchMlp(network, data.validation);
    const history = await trainScratchMlp(network, data, {
      epochs: 30,
      batchSize: 16,
      optimizer,
      learningRate: optimizer === "adam" ? 0.01 : 0.05,
      seed: 3,
    });
    assert.equal(history.loss.length, 30);
    assert.ok(
      history.loss[29] < history.loss[0] / 3,
      `loss ${history.loss[0]} -> ${history.loss[29]}`,
    );
    assert.ok(
      history.valLoss[29] < before.loss / 3,
      `val loss ${before.loss} -> ${history.valLoss[29]}`,
    );
    assert.ok(history.valAccuracy[29] > 0.93, `validation accuracy ${history.valAccuracy[29]}`);
  });
}

Deno.test("the default 784-256-128-10 network learns noisy MNIST-shaped classes", async () => {
  const network = createScratchMlp({ seed: 2 });
  const data = { train: makeNoisyPrototypes(600, 1), validation: makeNoisyPrototypes(200, 2) };
  const summaries: EpochSummary[] = [];
  const history = await trainScratchMlp(network, data, {
    epochs: 3,
    callbacks: { onEpochEnd: (summary) => void summaries.push(summary) },
  });
  assert.ok(history.valAccuracy[2] > 0.9, `validation accuracy ${history.valAccuracy[2]}`);
  assert.ok(history.loss[2] < history.loss[0], `loss ${history.loss}`);
  assert.deepEqual(summaries.map((summary) => summary.epoch), [1, 2, 3]);
  assert.ok(summaries.every((summary) => summary.imagesPerSecond > 0 && summary.seconds > 0));
  const probabilities = predictScratchMlp(network, data.validation.pixels, 200);
  assert.equal(probabilities.length, 2000);
  const rowSum = probabilities.subarray(0, 10).reduce((sum, p) => sum + p, 0);
  assert.ok(Math.abs(rowSum - 1) < 1e-6);
});

Deno.test("training is repeatable for fixed seeds and reports batches as asked", async () => {
  const data = { train: makeXor(100, 1), validation: makeXor(50, 2) };
  const batches: number[] = [];
  const run = (onBatchEnd?: (progress: { batch: number }) => void) =>
    trainScratchMlp(createScratchMlp({ seed: 4, layerSizes: [2, 8, 2] }), data, {
      epochs: 2,
      batchSize: 16,
      progressEvery: 3,
      callbacks: { onBatchEnd },
    });
  const first = await run((progress) => void batches.push(progress.batch));
  assert.deepEqual(await run(), first);
  // 100 images in batches of 16 make 7 batches: reports after 3, 6 and the last.
  assert.deepEqual(batches, [3, 6, 7, 3, 6, 7]);
});

Deno.test("training rejects bad options and data with clear messages", async () => {
  const network = createScratchMlp({ layerSizes: [2, 4, 2] });
  const data = { train: makeXor(10, 1), validation: makeXor(10, 2) };
  await assert.rejects(
    trainScratchMlp(network, data, { batchSize: 0 }),
    new RangeError("Cannot train the scratch MLP: batchSize is 0, expected a positive integer"),
  );
  await assert.rejects(
    trainScratchMlp(network, data, { optimizer: "rmsprop" as "adam" }),
    new TypeError('Cannot train the scratch MLP: optimizer is "rmsprop", expected "adam" or "sgd"'),
  );
  await assert.rejects(
    trainScratchMlp(network, { ...data, train: { ...data.train, count: 11 } }),
    new RangeError(
      "Cannot train the scratch MLP: the training images have 20 pixel values for count 11, expected count >= 1 images of 2 values",
    ),
  );
  const badLabels = {
    ...data.validation,
    labels: data.validation.labels.map((_, i) => i === 4 ? 7 : 0),
  };
  await assert.rejects(
    trainScratchMlp(network, { ...data, validation: badLabels }),
    new RangeError(
      "Cannot train the scratch MLP: label 4 of the validation images is 7, expected a class from 0 to 1",
    ),
  );
  assert.throws(
    () => createScratchMlp({ layerSizes: [784] }),
    new RangeError(
      "Cannot create the scratch MLP: layerSizes is [784], expected at least two positive integers",
    ),
  );
});

Deno.test("prediction and evaluation reject images of the wrong size and too few labels", () => {
  const network = createScratchMlp({ layerSizes: [2, 4, 2] });
  assert.throws(
    () => predictScratchMlp(network, new Float32Array(5), 2),
    new RangeError(
      "Cannot predict with the scratch MLP: the images have 5 pixel values for count 2, expected count >= 1 images of 2 values",
    ),
  );
  const set = { ...makeXor(4, 1), labels: Uint8Array.of(0, 1, 1) };
  assert.throws(
    () => evaluateScratchMlp(network, set),
    new RangeError(
      "Cannot evaluate the scratch MLP: the images have 3 labels for 4 images, expected one per image",
    ),
  );
});
