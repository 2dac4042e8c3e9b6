/**
 * The comparison of trained models as named tables and charts: what the
 * report, the CSV files and the notebooks show.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { TopLevelSpec } from "vega-lite";
import {
  confusionMatrixChart,
  misclassifiedChart,
  perClassErrorChart,
  samplePredictionsChart,
  trainingCurvesChart,
} from "../charts/mod.ts";
import type { LabelledImages } from "../data/mod.ts";
import {
  agreement,
  classificationReport,
  compareModels,
  disagreements,
  mostConfusedPairs,
  perClassErrors,
  predictClasses,
} from "../evaluation/mod.ts";
import type { ModelResult } from "../results.ts";

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
  for (const result of results) {
    Object.assign(tables, perModelTables(result, test.labels));
    Object.assign(charts, perModelCharts(result, test, options));
  }
  return { tables, charts };
}
