/**
 * Reads what a sweep's trials left behind, on this machine or a cluster's
 * shared folder: one row per finished trial (its settings and its results
 * from metrics.json), the failed trials with their error line, and the
 * trials not run yet.
 *
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import type { MetricsJson } from "../report/mod.ts";
import type { Trial } from "./plan.ts";
import { readSweepSpec, type SweepSpec, trialFolder, trialLog } from "./spec.ts";
import { isCategorical, SWEEP_KEYS, type SweepKey, type SweepValue } from "./settings.ts";

/** One finished trial's results. */
export interface TrialResult {
  /** The trial's id. */
  trial: string;
  /** Its settings (numbers, or ids of choices such as "sgd"), then its seed. */
  settings: Record<string, SweepValue>;
  /** Validation accuracy after the last epoch, 0 to 1: what the best settings are chosen by. */
  valAccuracy: number;
  /** Validation loss after the last epoch. */
  valLoss: number;
  /** Training accuracy of the last epoch, 0 to 1. */
  trainAccuracy: number;
  /** Test accuracy, 0 to 1: reported, never used to choose. */
  testAccuracy: number;
  /** Training wall time, in seconds. */
  trainSeconds: number;
}

/** Everything a sweep's folder holds. */
export interface CollectedSweep {
  /** The sweep's definition. */
  spec: SweepSpec;
  /** One row per finished trial: `trial`, the keys, `seed`, then the results. */
  table: pl.DataFrame;
  /** Finished trials, in the order planned. */
  results: TrialResult[];
  /** Failed trials, with the error line the train command printed. */
  failed: { trial: string; error: string }[];
  /** Trials neither finished nor failed (not run, running, or interrupted). */
  pending: string[];
}

/** A failed trial's error line: the train command's one line `train: ...`, if its log has one. */
async function errorLine(out: string, trial: Trial): Promise<string | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(trialLog(out, trial));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return text.split("\n").reverse().find((line) => /^(train|error): /.test(line.trim()))?.trim();
}

async function readMetrics(out: string, trial: Trial): Promise<MetricsJson | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(trialFolder(out, trial), "metrics.json")));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function toResult(spec: SweepSpec, trial: Trial, metrics: MetricsJson): TrialResult {
  const model = metrics.models[spec.model];
  const last = (values: number[]) => values[values.length - 1];
  const settings: Record<string, SweepValue> = {};
  for (const key of spec.keys) settings[key] = trial.settings[key] ?? NaN;
  // A trial without its own seed ran with train's default, which its metrics.json records.
  settings.seed = trial.seed ?? metrics.seeds?.seeds[0] ?? NaN;
  return {
    trial: trial.id,
    settings,
    valAccuracy: last(model.history.valAccuracy),
    valLoss: last(model.history.valLoss),
    trainAccuracy: last(model.history.accuracy),
    testAccuracy: model.testAccuracy,
    trainSeconds: model.trainSeconds,
  };
}

/**
 * Builds the table of trials as polars DataFrame columns.
 *
 * @example
 * ```ts
 * trialTable(results, ["learningRate"]).columns;
 * // ["trial", "learningRate", "seed", "valAccuracy", "valLoss", "trainAccuracy", "testAccuracy", "trainSeconds"]
 * ```
 */
export function trialTable(results: readonly TrialResult[], keys: readonly string[]): pl.DataFrame {
  const column = (name: string, values: SweepValue[]) => pl.Series(name, values, pl.Float64);
  // Whole settings and the seed print as whole numbers; a seed not given is null.
  const wholeColumn = (name: string, values: SweepValue[]) =>
    pl.Series(name, values.map((value) => Number.isNaN(value) ? null : value), pl.Int32);
  // A trial recorded before its key was varied has no value: null, not "NaN".
  const choiceColumn = (name: string, values: SweepValue[]) =>
    pl.Series(name, values.map((value) => typeof value === "string" ? value : null), pl.Utf8);
  const columnOf = (key: string) =>
    key === "seed" || SWEEP_KEYS[key as SweepKey]?.whole
      ? wholeColumn
      : Object.hasOwn(SWEEP_KEYS, key) && isCategorical(key as SweepKey)
      ? choiceColumn
      : column;
  return pl.DataFrame([
    pl.Series("trial", results.map((r) => r.trial), pl.Utf8),
    ...[...keys, "seed"].map((key) => columnOf(key)(key, results.map((r) => r.settings[key]))),
    ...(["valAccuracy", "valLoss", "trainAccuracy", "testAccuracy", "trainSeconds"] as const).map(
      (name) => column(name, results.map((r) => r[name])),
    ),
  ]);
}

/**
 * Reads a sweep's folder: the finished trials' table, the failed trials
 * and the pending ones.
 *
 * @throws {Deno.errors.NotFound} when the folder holds no sweep.json.
 *
 * @example
 * ```ts
 * const sweep = await collectSweep("sweeps/lr");
 * sweep.table.height; // trials finished
 * ```
 */
export async function collectSweep(out: string): Promise<CollectedSweep> {
  const spec = await readSweepSpec(out);
  if (spec === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot collect ${out}: it holds no sweep.json, expected a folder written by deno task sweep`,
    );
  }
  const results: TrialResult[] = [];
  const failed: CollectedSweep["failed"] = [];
  const pending: string[] = [];
  for (const trial of spec.trials) {
    const metrics = await readMetrics(out, trial);
    if (metrics !== undefined) {
      results.push(toResult(spec, trial, metrics));
      continue;
    }
    const error = await errorLine(out, trial);
    if (error === undefined) pending.push(trial.id);
    else failed.push({ trial: trial.id, error });
  }
  return { spec, table: trialTable(results, spec.keys), results, failed, pending };
}
