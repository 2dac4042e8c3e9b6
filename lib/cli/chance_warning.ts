/**
 * The train command's warning when a model reads held-out digits no better
 * than chance: one line naming the model, its accuracies, the likely cause
 * and the remedy.
 *
 * @module
 */
import {
  type ChanceLevelFinding,
  DEFAULT_CHANCE_MARGIN,
  describeChanceAccuracies,
} from "../evaluation/mod.ts";

/** Options for {@linkcode formatChanceWarning}. */
export interface ChanceWarningOptions {
  /** Gradient steps the model trained for: epochs times batches per epoch. */
  steps: number;
  /** The seed of the run, named when an experiment trains several. */
  seed?: number;
  /** The margin the check used, in accuracy 0 to 1; default {@linkcode DEFAULT_CHANCE_MARGIN}. */
  margin?: number;
}

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;

/** Whether the model learnt its training images: training accuracy clear of both chance levels. */
function learntTraining(finding: ChanceLevelFinding): boolean {
  if (finding.trainAccuracy === undefined) return false;
  const chance = Math.max(finding.testChance, finding.validationChance ?? 0);
  return finding.trainAccuracy > chance + 0.1;
}

/**
 * The one-line warning for a model whose validation or test accuracy is no
 * better than chance, that is than always answering the split's most
 * frequent class. When it learnt its training images but not held-out
 * ones, the likely cause is batch normalisation's moving mean and variance,
 * which inference uses and which keep most of their starting values for the
 * first tens of steps (momentum 0.9 keeps 0.9^29 = 4.7% of the starting
 * variance of 1 after 29 steps, several times a first layer's true variance
 * of about 0.01); otherwise the model has not learnt yet. Either way the
 * remedy is more images or epochs.
 *
 * @example
 * ```ts
 * formatChanceWarning(
 *   { id: "vgg", testAccuracy: 0.1135, testChance: 0.1135, trainAccuracy: 0.5, atChance: ["test"] },
 *   { steps: 29 },
 * );
 * // "warning: vgg: test accuracy 11.35% (chance 11.35%) is within 5 points of chance ..."
 * ```
 */
export function formatChanceWarning(
  finding: ChanceLevelFinding,
  options: ChanceWarningOptions,
): string {
  const name = options.seed === undefined ? finding.id : `${finding.id} seed ${options.seed}`;
  const verb = finding.atChance.length > 1 ? "are" : "is";
  const margin = Math.round((options.margin ?? DEFAULT_CHANCE_MARGIN) * 100);
  const chance =
    `${verb} within ${margin} points of chance (the share of the split's most frequent class)`;
  const steps = `${options.steps} training ${options.steps === 1 ? "step" : "steps"}`;
  const cause = learntTraining(finding)
    ? `while its training accuracy was ${
      percent(finding.trainAccuracy!)
    }: after only ${steps} a batch-normalised model's moving means and variances, which it classifies held-out images with, have not settled`
    : `after ${steps}: it has not learnt yet`;
  return `warning: ${name}: ${
    describeChanceAccuracies(finding)
  } ${chance} ${cause}; train on more images or for more epochs (a larger --limit, or --epochs)`;
}
