/**
 * The trained models' softmax outputs on the validation split: what
 * temperature scaling is fitted on (never the test set, which must stay
 * unseen by anything that is fitted).
 *
 * @module
 */
import type { ModelId } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import type { TrainedModel } from "./experiment.ts";

/** The models' outputs on the validation split, with its labels. */
export interface ValidationOutputs {
  /** True classes of the validation images. */
  labels: Uint8Array;
  /** Each model's softmax outputs on them, shape [count, 10], by model id; a model left out is not scaled. */
  probabilities: Readonly<Partial<Record<ModelId, Float32Array>>>;
}

/**
 * Runs every trained model over the validation images, in inference mode.
 *
 * @example
 * ```ts
 * const validation = await predictValidation(experiment.trained, experiment.data.validation);
 * const analysis = analyseResults(results, experiment.data.test, { validation });
 * ```
 */
export async function predictValidation(
  trained: readonly TrainedModel[],
  validation: LabelledImages,
): Promise<ValidationOutputs> {
  const probabilities: Partial<Record<ModelId, Float32Array>> = {};
  for (const { model } of trained) {
    probabilities[model.id] = await model.predict(validation.pixels, validation.count);
  }
  return { labels: validation.labels, probabilities };
}
