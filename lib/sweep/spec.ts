/**
 * What a sweep is, as `<out>/sweep.json` records it: the model, the flags
 * every trial shares, the keys varied and the trials. A rerun with the same
 * model and shared flags resumes it (and may add trials); other ones belong
 * to another sweep, and are refused rather than mixed into one table.
 *
 * @module
 */
import { join } from "node:path";
import type { Trial } from "./plan.ts";
import { SWEEP_KEYS, type SweepKey } from "./settings.ts";

/** A sweep's definition. */
export interface SweepSpec {
  /** The model every trial trains (a registry id). */
  model: string;
  /** Train flags every trial shares, such as `["--limit", "5000", "--epochs", "1"]`. */
  sharedArgs: string[];
  /** The settings varied, in the order of the grid. */
  keys: SweepKey[];
  /** The trials. */
  trials: Trial[];
}

/** The file that records a sweep in its output folder. */
export const SWEEP_FILE = "sweep.json";

/**
 * The `deno task train` flags of one trial, its output folder
 * `<out>/trials/<id>` included.
 *
 * @example
 * ```ts
 * trialArgs(spec, spec.trials[0], { out: "sweeps/lr" });
 * // ["--model", "cnn", "--limit", "5000", "--learning-rate", "0.001", "--seed", "1", "--out", "sweeps/lr/trials/..."]
 * ```
 */
export function trialArgs(spec: SweepSpec, trial: Trial, options: { out: string }): string[] {
  const settings = Object.entries(trial.settings).flatMap(([key, value]) => [
    SWEEP_KEYS[key as SweepKey].flag,
    String(value),
  ]);
  const seed = trial.seed === undefined ? [] : ["--seed", String(trial.seed)];
  return [
    "--model",
    spec.model,
    ...spec.sharedArgs,
    ...settings,
    ...seed,
    "--out",
    trialFolder(options.out, trial),
  ];
}

/**
 * Where a trial writes: `<out>/trials/<id>`.
 *
 * @example
 * ```ts
 * trialFolder("sweeps/lr", { id: "learningRate=0.001", settings: {} }); // "sweeps/lr/trials/learningRate=0.001"
 * ```
 */
export function trialFolder(out: string, trial: Trial): string {
  return join(out, "trials", trial.id);
}

/**
 * Where a trial's output lines go: `<out>/logs/<id>.log`.
 *
 * @example
 * ```ts
 * trialLog("sweeps/lr", { id: "learningRate=0.001", settings: {} }); // "sweeps/lr/logs/learningRate=0.001.log"
 * ```
 */
export function trialLog(out: string, trial: Trial): string {
  return join(out, "logs", `${trial.id}.log`);
}

/**
 * Reads `<out>/sweep.json`, or undefined when the folder holds no sweep.
 *
 * @throws {SyntaxError} when the file is not JSON, or not a sweep's.
 * @throws {Deno.errors.NotADirectory} when `out` is a file.
 *
 * @example
 * ```ts
 * const spec = await readSweepSpec("sweeps/lr");
 * ```
 */
export async function readSweepSpec(out: string): Promise<SweepSpec | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(out, SWEEP_FILE));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.IsADirectory) {
      throw new Deno.errors.IsADirectory(
        `Cannot read ${join(out, SWEEP_FILE)}: it is a folder, expected a sweep's JSON file`,
      );
    }
    if (error instanceof Deno.errors.NotADirectory) {
      throw new Deno.errors.NotADirectory(
        `Cannot read a sweep from ${out}: it is a file, expected a folder`,
      );
    }
    throw error;
  }
  let spec: SweepSpec;
  try {
    spec = JSON.parse(text) as SweepSpec;
  } catch (error) {
    throw new SyntaxError(
      `Cannot read ${join(out, SWEEP_FILE)}: ${(error as Error).message}, expected a sweep's JSON`,
    );
  }
  if (typeof spec?.model !== "string" || !Array.isArray(spec.trials)) {
    throw new SyntaxError(
      `Cannot read ${join(out, SWEEP_FILE)}: found no model and trials, expected a sweep's JSON`,
    );
  }
  return spec;
}

/**
 * Checks that `out` holds no sweep or this one (same model, shared flags
 * and grid keys), and no train run's results, and returns the sweep recorded
 * there, if any.
 *
 * @throws {RangeError} when `out` holds another sweep:
 *   `Cannot use sweeps/lr: it holds a sweep of mlp with [--limit 300], expected cnn with [--limit 300]`;
 *   or a train run's results (a metrics.json without a sweep.json).
 *
 * @example
 * ```ts
 * await checkSweepFolder(spec, "sweeps/lr"); // undefined for a new folder
 * ```
 */
export async function checkSweepFolder(
  spec: SweepSpec,
  out: string,
): Promise<SweepSpec | undefined> {
  const old = await readSweepSpec(out);
  if (old === undefined && await isFile(join(out, "metrics.json"))) {
    throw new RangeError(
      `Cannot use ${out}: it holds a train run's results (metrics.json), expected a new folder ` +
        `or this sweep's (choose another --out)`,
    );
  }
  const describe = (s: SweepSpec) => `${s.model} with [${s.sharedArgs.join(" ")}]`;
  if (old !== undefined && describe(old) !== describe(spec)) {
    throw new RangeError(
      `Cannot use ${out}: it holds a sweep of ${describe(old)}, expected ${
        describe(spec)
      } (choose another --out)`,
    );
  }
  const keysOf = (s: SweepSpec) => [...s.keys].sort().join(", ");
  if (old !== undefined && keysOf(old) !== keysOf(spec)) {
    throw new RangeError(
      `Cannot use ${out}: it holds a sweep over ${keysOf(old)}, expected one over ${
        keysOf(spec)
      }, since each sweep's trials have no values for the other's keys (choose another --out)`,
    );
  }
  return old;
}

/**
 * Records a sweep in `out`, merging the trials already recorded there.
 *
 * @throws {RangeError} when `out` holds another sweep (other model or shared flags), or a
 *   train run's results ({@linkcode checkSweepFolder}).
 *
 * @example
 * ```ts
 * const spec = await recordSweepSpec({ model: "cnn", sharedArgs: [], keys, trials }, "sweeps/lr");
 * ```
 */
export async function recordSweepSpec(spec: SweepSpec, out: string): Promise<SweepSpec> {
  const old = await checkSweepFolder(spec, out);
  const known = new Set(spec.trials.map((trial) => trial.id));
  const merged: SweepSpec = {
    ...spec,
    keys: old?.keys ?? spec.keys,
    trials: [...(old?.trials.filter((trial) => !known.has(trial.id)) ?? []), ...spec.trials],
  };
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(join(out, SWEEP_FILE), JSON.stringify(merged, null, 2) + "\n");
  return merged;
}

/**
 * Whether `path` is a file; false when it is missing.
 *
 * @throws {Deno.errors.PermissionDenied} and other errors of `Deno.stat` but NotFound.
 * @example
 * ```ts
 * await isFile("sweeps/lr/sweep.json"); // true once a sweep was recorded there
 * ```
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
