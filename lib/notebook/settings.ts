/**
 * How much the notebooks train: the product's defaults, or a quick mode on a
 * small subset that runs each notebook in a minute or two (for CI and for a
 * first look). The notebook reads `MNIST_QUICK` and passes the answer here.
 *
 * @module
 */
import { DEFAULT_TRAINING, type TrainingSettings } from "../config.ts";
import { SCRATCH_DEFAULT_EPOCHS } from "../scratch/mod.ts";

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
  /** Fraction of those images held out for validation, one setting for the whole run. */
  validationSplit: number;
  /**
   * The settings every model trains with, for `trainAndEvaluate`. Epochs are
   * set only in quick mode; otherwise each model takes its own default.
   */
  training: Omit<TrainingSettings, "validationSplit" | "epochs"> & { epochs?: number };
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
 * notebooks (all 60,000 training images, each model its default epochs:
 * 15 for the tfjs models, 20 for the from-scratch MLP), or the quick mode
 * (the first 6,000 training images, 3 epochs each). Batch size, learning
 * rate, validation split and seed are the defaults in both.
 *
 * @example
 * ```ts
 * const run = notebookRun({ quick: Deno.env.get("MNIST_QUICK") === "1" });
 * await trainAndEvaluate("mlp", prepared, run.training);
 * ```
 */
export function notebookRun(options: NotebookRunOptions): NotebookRun {
  const { batchSize, learningRate, seed, validationSplit } = DEFAULT_TRAINING;
  const count = (n: number) => n.toLocaleString("en-US");
  const description = options.quick
    ? `Quick mode (MNIST_QUICK=1): the first ${count(QUICK_LIMIT)} training images, ` +
      `${QUICK_EPOCHS} epochs per model; accuracies are lower than at the defaults.`
    : "Defaults: all training images, each model for its default epochs " +
      `(${DEFAULT_TRAINING.epochs} for the TensorFlow.js models, ${SCRATCH_DEFAULT_EPOCHS} for the from-scratch MLP).`;
  return {
    quick: options.quick,
    limit: options.quick ? QUICK_LIMIT : undefined,
    validationSplit,
    training: {
      batchSize,
      learningRate,
      seed,
      ...(options.quick ? { epochs: QUICK_EPOCHS } : {}),
    },
    description,
  };
}
