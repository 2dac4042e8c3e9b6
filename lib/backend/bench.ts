/**
 * Training and inference throughput of the project's tfjs models on random
 * data, in images per second: the numbers `deno task bench` prints, with
 * the same keys as the PyTorch reference (shared/anchors/torch_reference.py).
 *
 * Training runs `trainBatch` (the step `deno task train` takes, which is
 * `model.fit`'s step) on batches of 64 with Adam 1e-3 and categorical
 * cross-entropy, as `compileLayersModel` sets up, reading the loss back
 * after each step; inference runs `model.predict` on batches of 1000.
 * Each figure is the median of several timed runs after a warm-up.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { checkPositiveInteger, checkPositiveNumber } from "../checks.ts";
import { IMAGE_SIZE, NUM_CLASSES } from "../config.ts";
import { compileLayersModel, createCnn, createMlp, trainBatch } from "../models/mod.ts";

/** The tfjs models measured, as PyTorch's reference measures them. */
const BENCH_MODELS = { mlp: createMlp, cnn: createCnn } as const;

/** A model the benchmark measures. */
type BenchModelId = keyof typeof BENCH_MODELS;

/** Images per second of one model. */
export interface ModelThroughput {
  trainImagesPerSecond: number;
  inferImagesPerSecond: number;
}

/** What {@linkcode benchmarkModels} returns. */
export interface BenchResult {
  /** The backend id the figures were measured on. */
  backend: string;
  mlp: ModelThroughput;
  cnn: ModelThroughput;
}

/** Options for {@linkcode benchmarkModels}. */
export interface BenchOptions {
  /** Backend id to report; the caller activates the backend. */
  backend: string;
  /** Seconds per timed run; default 3. */
  seconds?: number;
  /** Timed runs per figure, of which the median is kept; default 3. */
  repeats?: number;
  /** Seconds of untimed warm-up before each figure; default 1. */
  warmupSeconds?: number;
  /** Called before each figure, e.g. to print progress. */
  onProgress?: (message: string) => void;
}

/** Images per training step, as in the original notebooks. */
export const TRAIN_BATCH = 64;
/** Images per inference call. */
export const INFER_BATCH = 1000;
/** Distinct random batches cycled through, so no data is reused back to back. */
const DISTINCT_BATCHES = 8;

/**
 * Measures training and inference of the MLP and the CNN on the active
 * tfjs backend.
 *
 * @throws {RangeError} when seconds, repeats or warm-up are out of range.
 * @example
 * ```ts
 * const result = await benchmarkModels({ backend: "blas", seconds: 1, repeats: 1 });
 * result.cnn.trainImagesPerSecond; // e.g. 2400
 * ```
 */
export async function benchmarkModels(
  options: BenchOptions,
): Promise<BenchResult> {
  const settings = {
    seconds: options.seconds ?? 3,
    repeats: options.repeats ?? 3,
    warmupSeconds: options.warmupSeconds ?? 1,
  };
  const action = "benchmark";
  checkPositiveNumber(settings.seconds, { action, name: "seconds" });
  checkPositiveInteger(settings.repeats, { action, name: "repeats" });
  if (!(Number.isFinite(settings.warmupSeconds) && settings.warmupSeconds >= 0)) {
    throw new RangeError(
      `Cannot benchmark: warm-up seconds is ${settings.warmupSeconds}, expected a finite number of at least 0`,
    );
  }
  const measure = async (id: BenchModelId) => {
    options.onProgress?.(`${id}: training`);
    const trainImagesPerSecond = Math.round(await measureTraining(id, settings));
    options.onProgress?.(`${id}: inference`);
    const inferImagesPerSecond = Math.round(await measureInference(id, settings));
    return { trainImagesPerSecond, inferImagesPerSecond };
  };
  const mlp = await measure("mlp");
  const cnn = await measure("cnn");
  return { backend: options.backend, mlp, cnn };
}

interface TimingSettings {
  seconds: number;
  repeats: number;
  warmupSeconds: number;
}

/** Random images in [0, 1) and one-hot labels, as tensors. */
function randomBatches(count: number, size: number): tf.Tensor[][] {
  return Array.from({ length: count }, (_, i) =>
    tf.tidy(() => {
      const x = tf.randomUniform([size, IMAGE_SIZE, IMAGE_SIZE, 1], 0, 1, "float32", i + 1);
      const labels = tf.randomUniform([size], 0, NUM_CLASSES, "int32", i + 101);
      return [x, tf.oneHot(labels, NUM_CLASSES).toFloat()];
    }));
}

async function measureTraining(
  id: BenchModelId,
  settings: TimingSettings,
): Promise<number> {
  const model = compileLayersModel(BENCH_MODELS[id]({ seed: 42 }), {
    learningRate: 1e-3,
  });
  const batches = randomBatches(DISTINCT_BATCHES, TRAIN_BATCH);
  let step = 0;
  const trainStep = async () => {
    const [x, y] = batches[step++ % batches.length];
    const sums = trainBatch(model, { x, y });
    await sums.data();
    sums.dispose();
  };
  try {
    return TRAIN_BATCH * await medianRate(trainStep, settings);
  } finally {
    tf.dispose(batches);
    model.optimizer.dispose();
    model.dispose();
  }
}

async function measureInference(
  id: BenchModelId,
  settings: TimingSettings,
): Promise<number> {
  const model = BENCH_MODELS[id]({ seed: 42 });
  const batches = randomBatches(2, INFER_BATCH).map(([x, y]) => {
    y.dispose();
    return x;
  });
  let step = 0;
  const inferStep = async () => {
    const x = batches[step++ % batches.length];
    const out = model.predict(x, { batchSize: INFER_BATCH }) as tf.Tensor;
    await out.data();
    out.dispose();
  };
  try {
    return INFER_BATCH * await medianRate(inferStep, settings);
  } finally {
    tf.dispose(batches);
    model.dispose();
  }
}

/** Calls per second of `step`: median over the timed runs, after warm-up. */
async function medianRate(
  step: () => Promise<void>,
  settings: TimingSettings,
): Promise<number> {
  await runFor(step, settings.warmupSeconds, 1);
  const rates: number[] = [];
  for (let run = 0; run < settings.repeats; run++) {
    rates.push(await runFor(step, settings.seconds, 2));
  }
  rates.sort((a, b) => a - b);
  const middle = Math.floor(rates.length / 2);
  return rates.length % 2 === 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
}

/** Runs `step` for at least `seconds` and `minCalls` calls; returns calls per second. */
async function runFor(
  step: () => Promise<void>,
  seconds: number,
  minCalls: number,
): Promise<number> {
  const start = performance.now();
  let calls = 0;
  let elapsed = 0;
  while (calls < minCalls || elapsed < seconds * 1000) {
    await step();
    calls++;
    elapsed = performance.now() - start;
  }
  return calls / (elapsed / 1000);
}
