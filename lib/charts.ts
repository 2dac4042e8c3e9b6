/**
 * Every chart of the project, as Vega-Lite specs with their data inlined.
 * Render them with `render.ts`, show them in Jupyter with `chart_bundle.ts`.
 *
 * @module
 */
export { trainingCurvesChart, type TrainingCurvesOptions } from "./chart_training.ts";
export {
  confusionCounts,
  confusionMatrixChart,
  confusionMatrixChartFromCounts,
  type ConfusionMatrixOptions,
} from "./chart_confusion.ts";
export { classBalanceChart, type ClassChartOptions, perClassErrorChart } from "./chart_classes.ts";
export {
  digitGridChart,
  type DigitSampleOptions,
  misclassifiedChart,
  type MisclassifiedOptions,
  samplePredictionsChart,
} from "./chart_digits.ts";
