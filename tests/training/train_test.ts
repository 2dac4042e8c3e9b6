import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { BatchProgress, EpochSummary } from "../../lib/callbacks.ts";
import {
  AUGMENT_PRESETS,
  type LabelledImages,
  loadDataset,
  prepareData,
} from "../../lib/data/mod.ts";
import { createModelRegistry } from "../../lib/models/mod.ts";
import { trainModel, type TrainModelResult } from "../../lib/training/mod.ts";

await tf.setBackend("wasm");

// The first 2,000 MNIST training images: 1,800 to train on, 200 to validate.
const data = prepareData(await loadDataset(), { validationSplit: 0.1, limit: 2000, testLimit: 1 });
const BATCH_SIZE = 64;
const BATCHES = Math.ceil(1800 / BATCH_SIZE);

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual}, expected ${expected}`,
  );
}

Deno.test("the subset splits 1,800 training and 200 validation images", () => {
  assert.equal(data.train.count, 1800);
  assert.equal(data.validation.count, 200);
});

/** What one recorded run saw: its result, its callbacks, and the tensor count. */
interface RecordedRun {
  result: TrainModelResult;
  batches: BatchProgress[];
  epochs: EpochSummary[];
  tensorsAfterEpoch: number[];
  tensorsAfterRun: number;
}

/** Trains a fresh MLP for `epochs` epochs, recording every callback. */
async function recordRun(seed: number, epochs: number): Promise<RecordedRun> {
  const batches: BatchProgress[] = [];
  const summaries: EpochSummary[] = [];
  const tensorsAfterEpoch: number[] = [];
  const model = createModelRegistry().get("mlp").build({ seed });
  const result = await trainModel(model, data, {
    epochs,
    batchSize: BATCH_SIZE,
    learningRate: 1e-3,
    seed,
    onBatchEnd: (progress) => void batches.push(progress),
    onEpochEnd: (summary) => {
      summaries.push(summary);
      tensorsAfterEpoch.push(tf.memory().numTensors);
    },
  });
  const tensorsAfterRun = tf.memory().numTensors;
  model.dispose();
  return { result, batches, epochs: summaries, tensorsAfterEpoch, tensorsAfterRun };
}

// One three-epoch run serves the tests below; training is the slow part.
let threeEpochs: Promise<RecordedRun> | undefined;
function threeEpochRun(): Promise<RecordedRun> {
  threeEpochs ??= recordRun(1, 3);
  return threeEpochs;
}

Deno.test("the MLP learns: loss falls each epoch, validation accuracy far above chance", async () => {
  const { history } = (await threeEpochRun()).result;
  assert.equal(history.loss.length, 3);
  assert.ok(
    history.loss[1] < history.loss[0] && history.loss[2] < history.loss[1],
    `${history.loss}`,
  );
  assert.ok(history.accuracy[2] > history.accuracy[0], `${history.accuracy}`);
  assert.ok(history.valLoss[2] < history.valLoss[0], `${history.valLoss}`);
  assert.ok(history.valAccuracy[2] > 0.8, `${history.valAccuracy}`);
});

Deno.test("onBatchEnd reports every tenth batch and the last, its running means ending at the epoch's", async () => {
  const { batches, result: { history } } = await threeEpochRun();
  // 29 batches an epoch: reports after batches 10, 20 and 29.
  const reported = [10, 20, BATCHES];
  assert.equal(batches.length, 3 * reported.length);
  batches.forEach((progress, i) => {
    assert.equal(progress.epoch, Math.floor(i / reported.length) + 1);
    assert.equal(progress.batch, reported[i % reported.length]);
    assert.equal(progress.batches, BATCHES);
    assert.equal(progress.epochs, 3);
    assert.ok(progress.imagesPerSecond > 0 && Number.isFinite(progress.imagesPerSecond));
  });
  // The last batch's running means cover the whole epoch, as tfjs' own do.
  for (let epoch = 0; epoch < 3; epoch++) {
    const last = batches[(epoch + 1) * reported.length - 1];
    assertClose(last.loss, history.loss[epoch], `running loss of epoch ${epoch + 1}`);
    assertClose(last.accuracy, history.accuracy[epoch], `running accuracy of epoch ${epoch + 1}`);
  }
});

Deno.test("onEpochEnd reports each epoch as the history records it", async () => {
  const { epochs, result } = await threeEpochRun();
  const { history } = result;
  assert.deepEqual(epochs.map((summary) => summary.epoch), [1, 2, 3]);
  epochs.forEach((summary, i) => {
    assert.equal(summary.epochs, 3);
    assert.equal(summary.loss, history.loss[i]);
    assert.equal(summary.accuracy, history.accuracy[i]);
    assert.equal(summary.valLoss, history.valLoss[i]);
    assert.equal(summary.valAccuracy, history.valAccuracy[i]);
    assert.ok(summary.seconds > 0);
    // Images per second count the training steps only, so at least the epoch's overall rate.
    assert.ok(summary.imagesPerSecond >= 1800 / summary.seconds, `${summary.imagesPerSecond}`);
  });
  const epochSeconds = epochs.reduce((sum, summary) => sum + summary.seconds, 0);
  assert.ok(result.seconds >= epochSeconds, `${result.seconds} s for ${epochSeconds} s of epochs`);
});

Deno.test("training leaks no tensor from epoch to epoch, and frees its own at the end", async () => {
  const { tensorsAfterEpoch, tensorsAfterRun } = await threeEpochRun();
  // Adam makes its moment variables on the first step, inside epoch 1;
  // from then on, an epoch must free every tensor it makes.
  assert.equal(tensorsAfterEpoch[1], tensorsAfterEpoch[0], `${tensorsAfterEpoch}`);
  assert.equal(tensorsAfterEpoch[2], tensorsAfterEpoch[0], `${tensorsAfterEpoch}`);
  // Validation makes and frees its tensors inside each epoch, so nothing is left over.
  assert.equal(tensorsAfterRun, tensorsAfterEpoch[2]);
});

Deno.test("the same seed repeats a run exactly; another seed differs", async () => {
  const first = (await threeEpochRun()).result.history;
  // The shuffles of a seed are drawn epoch after epoch, so a shorter run
  // with the same seed repeats the first epochs of a longer one.
  const again = (await recordRun(1, 2)).result.history;
  assert.deepEqual(again, {
    loss: first.loss.slice(0, 2),
    accuracy: first.accuracy.slice(0, 2),
    valLoss: first.valLoss.slice(0, 2),
    valAccuracy: first.valAccuracy.slice(0, 2),
  });
  const other = (await recordRun(2, 1)).result.history;
  assert.notEqual(other.loss[0], first.loss[0]);
  assert.notEqual(other.valLoss[0], first.valLoss[0]);
});

Deno.test("a cosine schedule lowers the learning rate of the second epoch of two to half", async () => {
  const constant = (await recordRun(1, 2)).result.history;
  for (const id of ["mlp", "scratch"]) {
    const summaries: EpochSummary[] = [];
    const model = createModelRegistry().get(id).build({ seed: 1 });
    const { history } = await trainModel(model, data, {
      epochs: 2,
      batchSize: BATCH_SIZE,
      learningRate: 1e-3,
      seed: 1,
      learningRateSchedule: "cosine",
      onEpochEnd: (summary) => void summaries.push(summary),
    });
    model.dispose();
    assert.deepEqual(summaries.map((summary) => summary.learningRate), [1e-3, 5e-4], id);
    if (id === "mlp") {
      // The first epoch runs at the full rate, as a constant run's does; the second does not.
      assert.equal(history.loss[0], constant.loss[0]);
      assert.notEqual(history.loss[1], constant.loss[1]);
    }
  }
});

Deno.test("the same loop trains the from-scratch MLP, repeating exactly for a seed", async () => {
  const run = async () => {
    const model = createModelRegistry().get("scratch").build({ seed: 3 });
    return (await trainModel(model, data, {
      epochs: 2,
      batchSize: BATCH_SIZE,
      learningRate: 1e-3,
      seed: 3,
    })).history;
  };
  const history = await run();
  assert.ok(history.loss[1] < history.loss[0], `${history.loss}`);
  assert.ok(history.valAccuracy[1] > 0.8, `${history.valAccuracy}`);
  assert.deepEqual(await run(), history);
});

Deno.test("augmentation distorts only the training images, anew each epoch, repeating for a seed", async () => {
  const run = async () => {
    const model = createModelRegistry().get("scratch").build({ seed: 4 });
    const trainedOn: LabelledImages[] = [];
    const evaluatedOn: LabelledImages[] = [];
    const trainEpoch = model.trainEpoch.bind(model);
    const evaluate = model.evaluate.bind(model);
    // A copy of what each epoch trains on: the next epoch's augmentation reuses the array.
    model.trainEpoch = (images, options) => {
      trainedOn.push({ ...images, pixels: images.pixels.slice() });
      return trainEpoch(images, options);
    };
    model.evaluate = (images) => (evaluatedOn.push(images), evaluate(images));
    const trainBefore = data.train.pixels.slice();
    const { history } = await trainModel(model, data, {
      epochs: 2,
      batchSize: BATCH_SIZE,
      learningRate: 1e-3,
      seed: 4,
      augment: AUGMENT_PRESETS.standard,
    });
    assert.deepEqual(data.train.pixels, trainBefore);
    return { history, trainedOn, evaluatedOn };
  };
  const first = await run();
  assert.equal(first.trainedOn.length, 2);
  assert.notDeepEqual(first.trainedOn[0].pixels, data.train.pixels);
  assert.notDeepEqual(first.trainedOn[1].pixels, first.trainedOn[0].pixels);
  assert.deepEqual(first.trainedOn[0].labels, data.train.labels);
  // Validation images go in as they are, the very same object each epoch.
  assert.deepEqual(first.evaluatedOn, [data.validation, data.validation]);
  assert.ok(first.history.valAccuracy[1] > 0.8, `${first.history.valAccuracy}`);
  const again = await run();
  assert.deepEqual(again.history, first.history);
  assert.deepEqual(again.trainedOn[1].pixels, first.trainedOn[1].pixels);
});
