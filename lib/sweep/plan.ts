/**
 * A sweep's trials: every combination of a grid's values (times the
 * seeds), or `count` draws from ranges, each trial named by its settings so
 * that its folder says what it ran and a rerun finds it again.
 *
 * @module
 */
import { createRandom, type RandomSource } from "../random.ts";
import { SWEEP_KEYS, type SweepAxis, type SweepKey, type SweepValue } from "./settings.ts";

/** One trial: the settings it varies and its seed. */
export interface Trial {
  /** Folder name under `<out>/trials/`, built from the settings ("learningRate=0.001_batchSize=64_seed=1"). */
  id: string;
  /** The values of the swept settings. */
  settings: Partial<Record<SweepKey, SweepValue>>;
  /** The training seed; absent, the train command's default. */
  seed?: number;
}

/** Options for {@linkcode planTrials}. */
export interface PlanTrialsOptions {
  /** Training seeds: each combination runs once per seed. Default one run with the train default. */
  seeds?: readonly number[];
  /** Draw this many settings at random from the axes (ranges, or lists to choose from) instead of the grid. */
  random?: number;
  /** Seed of the random draws. Default 0. */
  randomSeed?: number;
}

/** Every combination of the axes' values, the first axis varying slowest. */
function gridSettings(axes: readonly SweepAxis[]): Trial["settings"][] {
  return axes.reduce<Trial["settings"][]>((combinations, axis) => {
    if (axis.values === undefined) {
      throw new TypeError(
        `Cannot plan a grid: ${axis.key} is a range, expected a list of values (or --random N)`,
      );
    }
    return combinations.flatMap((settings) =>
      axis.values!.map((value) => ({ ...settings, [axis.key]: value }))
    );
  }, [{}]);
}

/**
 * One draw from an axis: a list's value (a choice's too) uniformly at
 * random, or log-uniform / uniform in a range.
 */
function drawValue(axis: SweepAxis, random: RandomSource): SweepValue {
  if (axis.values !== undefined) return axis.values[Math.floor(random() * axis.values.length)];
  const [low, high] = axis.range!;
  const spec = SWEEP_KEYS[axis.key];
  const value = spec.logScale
    ? Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)))
    : low + random() * (high - low);
  // Three significant digits keep folder names short and the values readable.
  return spec.whole ? Math.round(value) : Number(value.toPrecision(3));
}

/** The folder name of a trial: its settings in the order given, then its seed. */
function trialId(settings: Trial["settings"], seed: number | undefined): string {
  const parts = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  if (seed !== undefined) parts.push(`seed=${seed}`);
  return parts.length === 0 ? "default" : parts.join("_");
}

/**
 * Plans a sweep's trials from its axes.
 *
 * @throws {TypeError} when a grid axis is a range (ranges are for `random`).
 * @throws {RangeError} when two axes vary the same key.
 *
 * @example
 * ```ts
 * const trials = planTrials([parseSweepAxis("learningRate=1e-3,3e-3")], { seeds: [1, 2] });
 * trials.map((trial) => trial.id);
 * // ["learningRate=0.001_seed=1", "learningRate=0.001_seed=2", "learningRate=0.003_seed=1", ...]
 * ```
 */
export function planTrials(axes: readonly SweepAxis[], options: PlanTrialsOptions = {}): Trial[] {
  const keys = axes.map((axis) => axis.key);
  const repeated = keys.find((key, index) => keys.indexOf(key) !== index);
  if (repeated !== undefined) {
    throw new RangeError(`Cannot plan a sweep: ${repeated} is given twice, expected each key once`);
  }
  let combinations: Trial["settings"][];
  if (options.random !== undefined) {
    const random = createRandom(options.randomSeed ?? 0);
    combinations = Array.from(
      { length: options.random },
      () => Object.fromEntries(axes.map((axis) => [axis.key, drawValue(axis, random)])),
    );
  } else {
    combinations = gridSettings(axes);
  }
  const seeds: (number | undefined)[] = options.seeds?.length ? [...options.seeds] : [undefined];
  const trials = combinations.flatMap((settings) =>
    seeds.map((seed) => ({ id: trialId(settings, seed), settings, seed }))
  );
  // Random draws may repeat a combination; it is one trial.
  return trials.filter((trial, index) => trials.findIndex((t) => t.id === trial.id) === index);
}
