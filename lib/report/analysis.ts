/**
 * The comparison of trained models as named tables and charts: what the
 * report, the CSV files and the notebooks show.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { TopLevelSpec } from "vega-lite";
import {
  augmentationGridChart,
  confusionMatrixChart,
  misclassifiedChart,
  perClassErrorChart,
  reliabilityDiagramChart,
  samplePredictionsChart,
  seedAccuracyChart,
  trainingCurvesChart,
} from "../charts/mod.ts";
import type { ModelId } from "../config.ts";
import type { AugmentSettings, LabelledImages } from "../data/mod.ts";
import {
  agreement,
  calibrationSummary,
  calibrationTable,
  classificationReport,
  compareModels,
  disagreements,
  fitTemperature,
  mcnemarTable,
  mostConfusedPairs,
  pairSummary,
  perClassErrors,
  predictClasses,
  seedAccuracies,
  seedSummary,
  type TemperatureFit,
} from "../evaluation/mod.ts";
import type { ModelResult, SeedRuns } from "../results.ts";
import type { ValidationOutputs } from "../training/mod.ts";

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
  /**
   * Validation outputs: with them each model gets a temperature fitted on
   * the validation split, and the calibration table and reliability diagram
   * show the test set before and after scaling. Without them, before only.
   */
  validation?: ValidationOutputs;
}

/** Fits a temperature per model that has validation outputs. */
function fitTemperatures(
  results: readonly ModelResult[],
  validation: ValidationOutputs | undefined,
): Partial<Record<ModelId, TemperatureFit>> {
  const fits: Partial<Record<ModelId, TemperatureFit>> = {};
  for (const { id } of results) {
    const probabilities = validation?.probabilities[id];
    if (validation && probabilities) fits[id] = fitTemperature(probabilities, validation.labels);
  }
  return fits;
}

function perModelTables(result: ModelResult, labels: Uint8Array): Record<string, pl.DataFrame> {
  const predicted = predictClasses(result.probabilities, labels.length);
  return {
    [`classification_report_${result.id}`]: classificationReport(labels, predicted),
    [`most_confused_${result.id}`]: mostConfusedPairs(result, labels, { top: 10 }),
    [`calibration_${result.id}`]: calibrationTable(result, labels).filter(pl.col("count").gt(0)),
  };
}

function perModelCharts(
  result: ModelResult,
  test: LabelledImages,
  options: AnalyseResultsOptions & { temperature?: number },
): Record<string, TopLevelSpec> {
  const classNames = options.classNames;
  return {
    [`reliability_${result.id}`]: reliabilityDiagramChart(result, test.labels, {
      temperature: options.temperature,
    }),
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
 * Calibration: the table `calibration` (ECE and temperature per model),
 * per model `calibration_<id>` (the non-empty bins of 15) and the chart
 * `reliability_<id>`; temperatures only with `options.validation`.
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
  const fits = fitTemperatures(results, options.validation);
  tables.calibration = calibrationSummary(results, test.labels, { fits });
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
    Object.assign(
      charts,
      perModelCharts(result, test, { ...options, temperature: fits[result.id]?.temperature }),
    );
  }
  return { tables, charts };
}
