/**
 * Evaluation of a trained model on a labelled split: its softmax outputs,
 * loss and accuracy, and how fast it classifies. The one place inference
 * speed is measured, the same way for every kind of model: the forward
 * passes over the split, after a warm-up, loading excluded, as
 * `deno task bench` measures it.
 *
 * @module
 */
import { IMAGE_PIXELS } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import type { DigitModel, Evaluation } from "../models/mod.ts";

/** How a model did on a labelled split, and how fast. */
export interface TimedEvaluation extends Evaluation {
  /** Images classified per second over the split (forward passes and scoring only). */
  imagesPerSecond: number;
}

/**
 * Evaluates a model on a labelled split, timing it.
 *
 * @example
 * ```ts
 * const { accuracy, imagesPerSecond } = await evaluateModel(model, prepared.test);
 * ```
 */
export async function evaluateModel(
  model: DigitModel,
  images: LabelledImages,
): Promise<TimedEvaluation> {
  // The first forward pass of a shape sets up kernels and buffers; like the
  // benchmark, time the model once it is warm.
  const warmUp = Math.min(images.count, 1000);
  await model.predict(images.pixels.subarray(0, warmUp * IMAGE_PIXELS), warmUp);
  const started = performance.now();
  const evaluation = await model.evaluate(images);
  const seconds = (performance.now() - started) / 1000;
  return { ...evaluation, imagesPerSecond: images.count / seconds };
}
