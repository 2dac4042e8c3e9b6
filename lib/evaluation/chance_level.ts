/**
 * Whether a trained model beats guessing: its held-out accuracy against the
 * share of the most frequent class, which a model that always answers that
 * class scores (the "zero rule" baseline).
 *
 * A model can train well and still read held-out digits at chance: a
 * batch-normalised network classifies held-out images with the moving mean
 * and variance it gathered in training, and after a few dozen steps those
 * still carry their starting values, so a quick run of the zoo (VGG,
 * ResNet, DenseNet) on a `--limit` of 2,000 images and one epoch ends near
 * 11%. This check lets the command line say so instead of leaving a number
 * that looks like a result.
 *
 * @module
 */
import type { ModelResult } from "../results.ts";
import { checkClasses } from "./checks.ts";
import { NUM_CLASSES } from "../config.ts";

/**
 * The margin, in accuracy (0 to 1), within which a model counts as no
 * better than chance: 5 points above the most frequent class's share.
 */
export const DEFAULT_CHANCE_MARGIN = 0.05;

/**
 * The share of the most frequent class among `labels`, 0 to 1: the
 * accuracy of always answering that class, the baseline every classifier
 * must beat (the "zero rule", Witten and Frank, Data Mining, 2005, 4.1).
 *
 * @param labels True classes 0 to 9.
 * @throws {RangeError} when `labels` is empty or holds a value that is not a class.
 *
 * @example
 * ```ts
 * majorityClassShare(Uint8Array.of(1, 1, 7, 3)); // 0.5
 * ```
 */
export function majorityClassShare(labels: Uint8Array): number {
  checkClasses(labels, "labels", "compute the majority class share");
  const counts = new Int32Array(NUM_CLASSES);
  labels.forEach((label) => counts[label]++);
  return Math.max(...counts) / labels.length;
}

/** Options for {@linkcode findChanceLevelResults}. */
export interface ChanceLevelOptions {
  /** True classes of the validation images, to check each model's last validation accuracy too. */
  validationLabels?: Uint8Array;
  /** How far above the majority share, in accuracy 0 to 1, still counts as chance. Default 0.05. */
  margin?: number;
}

/** A model whose held-out accuracy is no better than chance. */
export interface ChanceLevelFinding {
  /** The model's id. */
  id: string;
  /** Its test accuracy, 0 to 1. */
  testAccuracy: number;
  /** Share of the most frequent class among the test images, 0 to 1. */
  testChance: number;
  /** Its validation accuracy after the last epoch, 0 to 1; absent without validation labels or history. */
  validationAccuracy?: number;
  /** Share of the most frequent class among the validation images, 0 to 1; absent without them. */
  validationChance?: number;
  /** Its training accuracy in the last epoch, 0 to 1; absent without history. */
  trainAccuracy?: number;
  /** The held-out splits whose accuracy is within the margin of chance, validation first. */
  atChance: ("validation" | "test")[];
}

/**
 * The results whose test accuracy, or last validation accuracy, is within
 * `margin` of the share of the most frequent class of that split: models
 * that learnt nothing a held-out image shows, in the order given.
 *
 * @param results Trained and evaluated models.
 * @param testLabels True classes of the test images the results were scored on.
 * @throws {RangeError} when a set of labels is empty or holds a value that is
 * not a class, or `margin` is not a number from 0 to 1.
 *
 * @example
 * ```ts
 * findChanceLevelResults(results, data.test.labels, { validationLabels: data.validation.labels });
 * // [{ id: "vgg", testAccuracy: 0.1135, testChance: 0.1135, ..., atChance: ["validation", "test"] }]
 * ```
 */
export function findChanceLevelResults(
  results: readonly ModelResult[],
  testLabels: Uint8Array,
  options: ChanceLevelOptions = {},
): ChanceLevelFinding[] {
  const margin = options.margin ?? DEFAULT_CHANCE_MARGIN;
  if (!(margin >= 0 && margin <= 1)) {
    throw new RangeError(
      `Cannot compare accuracy with chance: margin is ${margin}, expected a number from 0 to 1`,
    );
  }
  const testChance = majorityClassShare(testLabels);
  const validationChance = options.validationLabels && majorityClassShare(options.validationLabels);
  return results.flatMap((result) => {
    const validationAccuracy = validationChance === undefined
      ? undefined
      : result.history.valAccuracy.at(-1);
    const atChance = [
      ...(validationAccuracy !== undefined && validationAccuracy <= validationChance! + margin
        ? ["validation" as const]
        : []),
      ...(result.testAccuracy <= testChance + margin ? ["test" as const] : []),
    ];
    if (atChance.length === 0) return [];
    return [{
      id: result.id,
      testAccuracy: result.testAccuracy,
      testChance,
      ...(validationAccuracy === undefined ? {} : { validationAccuracy, validationChance }),
      ...(result.history.accuracy.length ? { trainAccuracy: result.history.accuracy.at(-1) } : {}),
      atChance,
    }];
  });
}

/**
 * The accuracies of a finding's splits at chance, each beside its chance
 * level, in percent: "validation accuracy 9.00% (chance 11.50%) and test
 * accuracy 11.35% (chance 11.35%)", for the train command's warning and the
 * report alike.
 *
 * @example
 * ```ts
 * describeChanceAccuracies({ id: "vgg", testAccuracy: 0.1135, testChance: 0.1135, atChance: ["test"] });
 * // "test accuracy 11.35% (chance 11.35%)"
 * ```
 */
export function describeChanceAccuracies(finding: ChanceLevelFinding): string {
  const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
  return finding.atChance.map((split) =>
    split === "test"
      ? `test accuracy ${percent(finding.testAccuracy)} (chance ${percent(finding.testChance)})`
      : `validation accuracy ${percent(finding.validationAccuracy!)} (chance ${
        percent(finding.validationChance!)
      })`
  ).join(" and ");
}
