/**
 * `metrics.json`, the summary other tools read:
 * `{"dataset", "models": {"<id>": {"testAccuracy", "testLoss", "params",
 * "epochs", "trainSeconds", "history": {"loss", "accuracy", "valLoss",
 * "valAccuracy"}}}}`, plus the backend and a timestamp; with seeds, a
 * `seeds` section (accuracy per seed, mean, spread and 95% t interval per
 * model, McNemar's exact test per pair of models and seed), and with
 * augmentation its settings under `augment`; the training settings every
 * model shared (optimizer, learning rate, momentum, batch size, dropout
 * rate, learning-rate schedule, augmentation asked for, validation split)
 * under `settings`, so that a sweep's trials can be read back with what
 * they ran.
 *
 * @module
 */
import type { LearningRateScheduleId, ModelId } from "../config.ts";
import { type AugmentSettings, isAugmenting } from "../data/mod.ts";
import { mcnemarTable, meanConfidenceInterval, pairSummary } from "../evaluation/mod.ts";
import type { History, ModelResult, SeedRuns } from "../results.ts";
import type { ExperimentSettings } from "../training/mod.ts";

/** One model's entry in `metrics.json`. */
export interface ModelMetrics {
  /** Accuracy on the test set, 0 to 1. */
  testAccuracy: number;
  /** Mean cross-entropy on the test set. */
  testLoss: number;
  /** Trainable parameters. */
  params: number;
  /** Epochs trained. */
  epochs: number;
  /** How its learning rate moved over the epochs, when known. */
  learningRateSchedule?: LearningRateScheduleId;
  /** Wall time of training. */
  trainSeconds: number;
  /** Test images classified per second. */
  inferImagesPerSecond: number;
  /** Per-epoch history. */
  history: History;
  /** The augmentation it trained with, when it distorted its training images. */
  augment?: AugmentSettings;
}

/** One model's accuracy over seeds in `metrics.json`. */
export interface SeedModelMetrics {
  /** Test accuracy per seed, in the order of `seeds`, 0 to 1. */
  testAccuracy: number[];
  /** Their mean. */
  mean: number;
  /** Their sample standard deviation; null for one seed. */
  standardDeviation: number | null;
  /** The 95% t interval of the mean, [lower, upper]; null for one seed. */
  confidenceInterval: [number, number] | null;
}

/** One pair of models compared over seeds in `metrics.json`. */
export interface SeedPairMetrics {
  /** The first model's id. */
  first: ModelId;
  /** The second model's id. */
  second: ModelId;
  /** Mean over seeds of first's accuracy minus second's, 0 to 1. */
  differenceMean: number;
  /** Its 95% t interval over seeds; null for one seed. */
  differenceInterval: [number, number] | null;
  /** McNemar's exact test on the test images, per seed. */
  tests: { seed: number; onlyFirst: number; onlySecond: number; pValue: number }[];
}

/** The `seeds` section of `metrics.json`. */
export interface SeedsMetrics {
  /** The seeds, in the order trained; the first is the run of `models`. */
  seeds: number[];
  /** How the figures were computed, in words. */
  methods: { interval: string; pairedTest: string };
  /** Per model id. */
  models: Record<ModelId, SeedModelMetrics>;
  /** Per pair of models, in the order asked. */
  pairs: SeedPairMetrics[];
}

/** The whole of `metrics.json`. */
export interface MetricsJson {
  /** Name of the data set. */
  dataset: string;
  /** Which backend tfjs ran on. */
  backend: string;
  /** When the run finished, ISO 8601. */
  createdAt: string;
  /** Entries by model id: the first seed's run. */
  models: Record<ModelId, ModelMetrics>;
  /** Accuracy over seeds and paired tests, when seeds were given. */
  seeds?: SeedsMetrics;
  /** The augmentation of training images, when one was used. */
  augment?: AugmentSettings;
  /** The training settings every model shared, when known. */
  settings?: ExperimentSettings;
}

/** Options for {@linkcode buildMetricsJson}. */
export interface MetricsJsonOptions {
  /** Name of the data set. */
  dataset: string;
  /** Which backend tfjs ran on. */
  backend: string;
  /** Every model's results per seed, with the test labels they were scored on. */
  seeds?: { runs: SeedRuns; labels: Uint8Array };
  /** The augmentation asked for, if any. */
  augment?: AugmentSettings;
  /** The augmentation each model trained with, by id, for those that distorted their images. */
  modelAugment?: Partial<Record<ModelId, AugmentSettings>>;
  /** The training settings every model shared. */
  settings?: ExperimentSettings;
}

const interval = (lower: number | null, upper: number | null): [number, number] | null =>
  lower === null || upper === null ? null : [lower, upper];

/**
 * Builds the `seeds` section: accuracy over seeds per model and McNemar's
 * test per pair of models and seed.
 *
 * @example
 * ```ts
 * buildSeedsMetrics(experiment.seedRuns, experiment.data.test.labels).models.cnn?.mean;
 * ```
 */
export function buildSeedsMetrics(runs: SeedRuns, labels: Uint8Array): SeedsMetrics {
  const models: Record<ModelId, SeedModelMetrics> = {};
  for (const results of runs.byModel) {
    const accuracies = results.map((result) => result.testAccuracy);
    const summary = meanConfidenceInterval(accuracies);
    models[results[0].id] = {
      testAccuracy: accuracies,
      mean: summary.mean,
      standardDeviation: summary.standardDeviation,
      confidenceInterval: interval(summary.lower, summary.upper),
    };
  }
  const tests = mcnemarTable(runs, labels);
  const pairs = pairSummary(tests).toRecords().map((pair) => ({
    first: String(pair.first),
    second: String(pair.second),
    differenceMean: Number(pair.differenceMean),
    differenceInterval: interval(
      pair.differenceLower as number | null,
      pair.differenceUpper as number | null,
    ),
    tests: tests.toRecords().filter((row) => row.first === pair.first && row.second === pair.second)
      .map((row) => ({
        seed: Number(row.seed),
        onlyFirst: Number(row.onlyFirst),
        onlySecond: Number(row.onlySecond),
        pValue: Number(row.pValue),
      })),
  }));
  return {
    seeds: [...runs.seeds],
    methods: {
      interval: "mean ± t(0.975, n-1)·s/√n over seeds (NIST/SEMATECH e-Handbook 7.2.2.1)",
      pairedTest:
        "McNemar's exact conditional test per seed, two-sided: 2·BinomCDF(min(b,c); b+c, 1/2) (Fagerland et al. 2013)",
    },
    models,
    pairs,
  };
}

/**
 * Builds the `metrics.json` object of a run.
 *
 * @example
 * ```ts
 * const json = buildMetricsJson(results, { dataset: "mnist", backend: "blas" });
 * json.models.cnn?.testAccuracy;
 * ```
 */
export function buildMetricsJson(
  results: readonly ModelResult[],
  options: MetricsJsonOptions,
): MetricsJson {
  const models: Record<ModelId, ModelMetrics> = {};
  for (const result of results) {
    models[result.id] = {
      testAccuracy: result.testAccuracy,
      testLoss: result.testLoss,
      params: result.params,
      epochs: result.epochs,
      ...(result.learningRateSchedule ? { learningRateSchedule: result.learningRateSchedule } : {}),
      trainSeconds: result.trainSeconds,
      inferImagesPerSecond: result.inferImagesPerSecond,
      history: result.history,
      ...(options.modelAugment?.[result.id] ? { augment: options.modelAugment[result.id] } : {}),
    };
  }
  return {
    dataset: options.dataset,
    backend: options.backend,
    createdAt: new Date().toISOString(),
    models,
    ...(options.seeds
      ? { seeds: buildSeedsMetrics(options.seeds.runs, options.seeds.labels) }
      : {}),
    ...(options.augment && isAugmenting(options.augment) ? { augment: options.augment } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
  };
}
