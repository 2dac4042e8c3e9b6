/**
 * The comparison of trained models as named tables and charts: what the
 * report, the CSV files and the notebooks show.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { TopLevelSpec } from "vega-lite";
import {
  augmentationGridChart,
  confusionMatrixChart,
  misclassifiedChart,
  perClassErrorChart,
  samplePredictionsChart,
  seedAccuracyChart,
  trainingCurvesChart,
} from "../charts/mod.ts";
import type { AugmentSettings, LabelledImages } from "../data/mod.ts";
import {
  agreement,
  classificationReport,
  compareModels,
  disagreements,
  mcnemarTable,
  mostConfusedPairs,
  pairSummary,
  perClassErrors,
  predictClasses,
  seedAccuracies,
  seedSummary,
} from "../evaluation/mod.ts";
import type { ModelResult, SeedRuns } from "../results.ts";

/** Named tables and charts comparing models; names become file names. */
export interface Analysis {
  /** Tables by file name (without `.csv`). */
  tables: Record<string, pl.DataFrame>;
  /** Vega-Lite charts by file name (without `.svg`/`.png`). */
  charts: Record<string, TopLevelSpec>;
}

/** Options for {@linkcode analyseResults}. */
export interface AnalyseResultsOptions {
  /** Names of classes 0 to 9, for chart labels. */
  classNames?: readonly string[];
  /** Misclassified digits shown per model. Default 24. */
  galleryLimit?: number;
  /**
   * Every model's results per seed. With two seeds or more the analysis adds
   * accuracy over seeds (tables `seed_accuracies`, `seed_summary`, chart
   * `seed_accuracies`, and mean, spread and interval columns in
   * `comparison`); with two models or more, McNemar's test per pair and seed
   * (`mcnemar`, summed up per pair in `model_pairs`).
   */
  seedRuns?: SeedRuns;
  /** The augmentation used, with training images to show it on (chart `augmentation`). */
  augmentation?: { settings: AugmentSettings; images: LabelledImages };
}

function perModelTables(result: ModelResult, labels: Uint8Array): Record<string, pl.DataFrame> {
  const predicted = predictClasses(result.probabilities, labels.length);
  return {
    [`classification_report_${result.id}`]: classificationReport(labels, predicted),
    [`most_confused_${result.id}`]: mostConfusedPairs(result, labels, { top: 10 }),
  };
}

function perModelCharts(
  result: ModelResult,
  test: LabelledImages,
  options: AnalyseResultsOptions,
): Record<string, TopLevelSpec> {
  const classNames = options.classNames;
  return {
    [`confusion_matrix_${result.id}`]: confusionMatrixChart(result, test.labels, {
      title: `Confusion matrix: ${result.label}`,
      classNames,
    }),
    [`sample_predictions_${result.id}`]: samplePredictionsChart(result, test, {
      count: 20,
      classNames,
    }),
    [`misclassified_${result.id}`]: misclassifiedChart(result, test, {
      limit: options.galleryLimit ?? 24,
      classNames,
    }),
  };
}

/** The tables about seeds: accuracy over seeds (two seeds or more), paired tests (two models or more). */
function seedTables(runs: SeedRuns, labels: Uint8Array): Record<string, pl.DataFrame> {
  const tables: Record<string, pl.DataFrame> = {};
  if (runs.seeds.length >= 2) {
    tables.seed_accuracies = seedAccuracies(runs);
    tables.seed_summary = seedSummary(runs);
  }
  if (runs.byModel.length >= 2) {
    tables.mcnemar = mcnemarTable(runs, labels);
    tables.model_pairs = pairSummary(tables.mcnemar);
  }
  return tables;
}

/**
 * Builds every table and chart comparing the given models on a test set.
 * Tables about agreement need two models or more and are left out otherwise.
 *
 * @example
 * ```ts
 * const { tables, charts } = analyseResults(results, prepared.test);
 * console.log(tables.comparison.toString());
 * ```
 */
export function analyseResults(
  results: readonly ModelResult[],
  test: LabelledImages,
  options: AnalyseResultsOptions = {},
): Analysis {
  const tables: Record<string, pl.DataFrame> = {
    comparison: compareModels(results),
    per_class_errors: perClassErrors(results, test.labels),
  };
  if (results.length >= 2) {
    tables.agreement = agreement(results, test.labels);
    tables.disagreements = disagreements(results, test.labels, { limit: 100 });
  }
  const charts: Record<string, TopLevelSpec> = {
    training_curves: trainingCurvesChart(results),
    per_class_errors: perClassErrorChart(results, test.labels, { classNames: options.classNames }),
  };
  if (options.seedRuns) Object.assign(tables, seedTables(options.seedRuns, test.labels));
  if (tables.seed_summary) {
    tables.comparison = tables.comparison.join(tables.seed_summary, { on: "model", how: "left" });
    charts.seed_accuracies = seedAccuracyChart(options.seedRuns!);
  }
  if (options.augmentation) {
    charts.augmentation = augmentationGridChart(options.augmentation.images, {
      settings: options.augmentation.settings,
    });
  }
  for (const result of results) {
    Object.assign(tables, perModelTables(result, test.labels));
    Object.assign(charts, perModelCharts(result, test, options));
  }
  return { tables, charts };
}
