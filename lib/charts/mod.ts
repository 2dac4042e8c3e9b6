/**
 * Charts: every chart of the project as a Vega-Lite spec with its data
 * inlined, their shared look (one colour per model), and rendering to SVG
 * and PNG. Chart builders of models take `(results, labels or images,
 * options)`, as the evaluation functions do.
 *
 * @example
 * ```ts
 * import { renderSvg, trainingCurvesChart } from "./lib/charts/mod.ts";
 *
 * const svg = await renderSvg(trainingCurvesChart(results));
 * ```
 *
 * @module
 */
export * from "./style.ts";
export * from "./checks.ts";
export * from "./training_curves.ts";
export * from "./confusion_matrix.ts";
export * from "./per_class.ts";
export * from "./digits.ts";
export * from "./gallery.ts";
export * from "./digit_image.ts";
export * from "./augmentation.ts";
export * from "./seed_accuracies.ts";
export * from "./render.ts";
export * from "./files.ts";
export * from "./reliability.ts";
export * from "./saliency.ts";
export * from "./saliency_mistakes.ts";
