/**
 * The experiments of notebook 04 as one call each: train one model once per
 * seed in front of the reader, with or without augmentation.
 *
 * @module
 */
import type { ModelId } from "../config.ts";
import { type AugmentSettings, isAugmenting, type PreparedData } from "../data/mod.ts";
import type { ModelResult } from "../results.ts";
import { trainAndEvaluate } from "../training/mod.ts";
import type { NotebookSession } from "./session.ts";
import type { NotebookRun } from "./settings.ts";

/**
 * The seeds a notebook trains each model with: 5 at the defaults (the
 * issue's setting for accuracy over seeds), 2 in quick mode, from the
 * run's seed on.
 *
 * @example
 * ```ts
 * notebookSeeds(session.run); // [42, 43] in quick mode
 * ```
 */
export function notebookSeeds(run: NotebookRun): number[] {
  const count = run.quick ? 2 : 5;
  return Array.from({ length: count }, (_, index) => run.training.seed + index);
}

/** Options for {@linkcode trainOverSeeds}. */
export interface TrainOverSeedsOptions {
  /** The model to train. */
  id: ModelId;
  /** One run per seed, in order. */
  seeds: readonly number[];
  /** How to distort the training images each epoch; default none. */
  augment?: AugmentSettings;
}

/**
 * Trains and evaluates one model once per seed at the notebook's settings,
 * on the same splits, showing each run's progress. With augmentation the
 * results are renamed `<id>_augmented` ("<label>, augmented"), so that
 * tables and charts can hold them beside the plain model's.
 *
 * @throws {RangeError} when the id is not in the session's registry.
 *
 * @example
 * ```ts
 * const cnn = await trainOverSeeds(session, prepared, { id: "cnn", seeds: [42, 43] });
 * cnn.map((result) => result.testAccuracy);
 * ```
 */
export async function trainOverSeeds(
  session: NotebookSession,
  data: PreparedData,
  options: TrainOverSeedsOptions,
): Promise<ModelResult[]> {
  const augmented = options.augment !== undefined && isAugmenting(options.augment);
  const results: ModelResult[] = [];
  for (const seed of options.seeds) {
    const label = session.registry.labelOf(options.id);
    const progress = await session.show.progress(
      `${label}${augmented ? ", augmented" : ""}, seed ${seed}`,
    );
    const trained = await trainAndEvaluate(options.id, data, {
      ...session.run.training,
      ...progress.callbacks,
      seed,
      augment: options.augment,
      registry: session.registry,
    });
    trained.model.dispose();
    await progress.finish(trained.result);
    results.push(
      augmented
        ? { ...trained.result, id: `${options.id}_augmented`, label: `${label}, augmented` }
        : trained.result,
    );
  }
  return results;
}
