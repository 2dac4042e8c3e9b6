/**
 * How much the notebooks train: the product's defaults, or a quick mode on a
 * small subset that runs each notebook in a minute or two (for CI and for a
 * first look). The notebook reads `MNIST_QUICK` and passes the answer here.
 *
 * @module
 */
import {
  DEFAULT_SCRATCH_EPOCHS,
  DEFAULT_TRAINING,
  defaultEpochs,
  type ModelId,
  type TrainingSettings,
} from "./config.ts";

/** Training images (before the validation split) used in quick mode. */
export const QUICK_LIMIT = 6000;

/** Epochs of every model in quick mode. */
export const QUICK_EPOCHS = 3;

/** What a notebook trains on and for how long. */
export interface NotebookRun {
  /** Whether this is the quick mode. */
  quick: boolean;
  /** Training images used, validation included; undefined for all of them. */
  limit?: number;
  /** The settings each model trains with, for `trainAndEvaluate`. */
  training: Record<ModelId, TrainingSettings>;
  /** One sentence saying what the run does, for the notebook to show. */
  description: string;
}

/** Options for {@linkcode notebookRun}. */
export interface NotebookRunOptions {
  /** Train on a small subset for a few epochs. */
  quick: boolean;
}

/**
 * Returns the settings of a notebook run: the defaults of the original
 * notebooks (15 epochs for the tfjs models, 20 for the from-scratch MLP,
 * all 60,000 training images), or the quick mode (the first 6,000 training
 * images, 3 epochs each). Batch size, learning rate, validation split and
 * seed are the defaults in both.
 *
 * @example
 * ```ts
 * const run = notebookRun({ quick: Deno.env.get("MNIST_QUICK") === "1" });
 * await trainAndEvaluate("mlp", prepared, run.training.mlp);
 * ```
 */
export function notebookRun(options: NotebookRunOptions): NotebookRun {
  const epochs = (id: ModelId) => options.quick ? QUICK_EPOCHS : defaultEpochs(id);
  const training = Object.fromEntries(
    (["mlp", "cnn", "scratch"] as const).map((
      id,
    ) => [id, { ...DEFAULT_TRAINING, epochs: epochs(id) }]),
  ) as Record<ModelId, TrainingSettings>;
  const description = options.quick
    ? `Quick mode (MNIST_QUICK=1): the first ${
      QUICK_LIMIT.toLocaleString("en-US")
    } training images, ` +
      `${QUICK_EPOCHS} epochs per model; accuracies are lower than at the defaults.`
    : `Defaults: all training images, ${DEFAULT_TRAINING.epochs} epochs for the MLP and the CNN, ` +
      `${DEFAULT_SCRATCH_EPOCHS} for the from-scratch MLP.`;
  return {
    quick: options.quick,
    limit: options.quick ? QUICK_LIMIT : undefined,
    training,
    description,
  };
}
