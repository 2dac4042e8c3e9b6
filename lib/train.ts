/**
 * Training of a compiled tfjs model: one `fit` call per epoch over images
 * shuffled by a seeded generator, so a seed repeats a run exactly (tfjs'
 * own shuffle draws from Math.random).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { IMAGE_PIXELS } from "./config.ts";
import { createHistory, type History, type TrainingCallbacks } from "./history.ts";
import type { PreparedSet } from "./preprocess.ts";
import { createRandom, type RandomSource, shuffledIndices } from "./random.ts";
import { toImageTensor, toOneHot } from "./tensors.ts";

/** Options for {@linkcode trainModel}. */
export interface TrainModelOptions extends TrainingCallbacks {
  /** Passes over the training set. */
  epochs: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
}

/** What training leaves: the per-epoch history and the wall time. */
export interface TrainModelResult {
  /** Loss and accuracy per epoch, on training and validation images. */
  history: History;
  /** Wall time of all epochs, validation included. */
  seconds: number;
}

/** Copies the images and labels of a split into the order `indices` gives. */
export function reorderSet(set: PreparedSet, indices: Uint32Array): PreparedSet {
  const pixels = new Float32Array(indices.length * IMAGE_PIXELS);
  const labels = new Uint8Array(indices.length);
  indices.forEach((from, to) => {
    pixels.set(
      set.pixels.subarray(from * IMAGE_PIXELS, (from + 1) * IMAGE_PIXELS),
      to * IMAGE_PIXELS,
    );
    labels[to] = set.labels[from];
  });
  return { pixels, labels, count: indices.length };
}

/** Runs one epoch of `fit` on a fresh shuffle, reporting progress per batch. */
async function fitEpoch(
  model: tf.LayersModel,
  data: { train: PreparedSet; validation: [tf.Tensor, tf.Tensor] },
  epoch: { index: number; random: RandomSource; options: TrainModelOptions },
): Promise<tf.History> {
  const { train } = data;
  const { batchSize, epochs } = epoch.options;
  const shuffled = reorderSet(train, shuffledIndices(train.count, epoch.random));
  const xs = toImageTensor(shuffled);
  const ys = toOneHot(shuffled.labels);
  const batches = Math.ceil(train.count / batchSize);
  const started = performance.now();
  let lossSum = 0, correctSum = 0, seen = 0;
  try {
    return await model.fit(xs, ys, {
      epochs: 1,
      batchSize,
      shuffle: false,
      validationData: data.validation,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (batch, logs) => {
          const size = Math.min(batchSize, train.count - batch * batchSize);
          seen += size;
          lossSum += (logs?.loss ?? 0) * size;
          correctSum += (logs?.acc ?? 0) * size;
          await epoch.options.onBatchEnd?.({
            epoch: epoch.index + 1,
            epochs,
            batch: batch + 1,
            batches,
            loss: lossSum / seen,
            accuracy: correctSum / seen,
            imagesPerSecond: seen / ((performance.now() - started) / 1000),
          });
        },
      },
    });
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

/**
 * Trains a compiled model for `epochs` epochs, validating after each.
 *
 * @example
 * ```ts
 * const model = compileModel(createMlp({ seed: 1 }), { learningRate: 1e-3 });
 * const { history } = await trainModel(model, prepared, { epochs: 1, batchSize: 64, seed: 1 });
 * ```
 */
export async function trainModel(
  model: tf.LayersModel,
  data: { train: PreparedSet; validation: PreparedSet },
  options: TrainModelOptions,
): Promise<TrainModelResult> {
  const history = createHistory();
  const random = createRandom(options.seed);
  const validation: [tf.Tensor, tf.Tensor] = [
    toImageTensor(data.validation),
    toOneHot(data.validation.labels),
  ];
  const started = performance.now();
  try {
    for (let index = 0; index < options.epochs; index++) {
      const epochStarted = performance.now();
      const logs =
        (await fitEpoch(model, { train: data.train, validation }, { index, random, options }))
          .history;
      const seconds = (performance.now() - epochStarted) / 1000;
      history.loss.push(logs.loss[0] as number);
      history.accuracy.push((logs.acc ?? logs.accuracy)[0] as number);
      history.valLoss.push(logs.val_loss[0] as number);
      history.valAccuracy.push((logs.val_acc ?? logs.val_accuracy)[0] as number);
      await options.onEpochEnd?.({
        epoch: index + 1,
        epochs: options.epochs,
        loss: history.loss[index],
        accuracy: history.accuracy[index],
        valLoss: history.valLoss[index],
        valAccuracy: history.valAccuracy[index],
        seconds,
        imagesPerSecond: data.train.count / seconds,
      });
    }
  } finally {
    validation.forEach((tensor) => tensor.dispose());
  }
  return { history, seconds: (performance.now() - started) / 1000 };
}
