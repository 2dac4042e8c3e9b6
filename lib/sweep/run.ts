/**
 * Runs a sweep's trials on this machine: each one `deno task train`
 * process, `jobs` at a time, each told how many BLAS threads it may use so
 * that together they do not oversubscribe the cores. A trial whose
 * `metrics.json` exists is skipped, and the train command writes that file
 * only once the trial is complete, so an interrupted sweep resumes where it
 * stopped and never counts a half-written trial.
 *
 * @module
 */
import { dirname, join } from "node:path";
import type { Trial } from "./plan.ts";
import { isFile, type SweepSpec, trialArgs, trialFolder, trialLog } from "./spec.ts";

/** Where a sweep stands, after each trial starts or ends. */
export interface SweepProgress {
  /** Trials finished with metrics.json, in this run or before it. */
  done: number;
  /** Trials that failed in this run. */
  failed: number;
  /** Trials running now. */
  running: number;
  /** Trials not started yet. */
  left: number;
  /**
   * Estimated seconds until the last trial ends: the trials left at this
   * run's mean trial wall time plus what the running ones still need, shared
   * by the jobs; absent before one ends.
   */
  secondsLeft?: number;
}

/** Options for {@linkcode runSweep}. */
export interface RunSweepOptions {
  /** The sweep's folder. */
  out: string;
  /** Trials run at once. Default one per two cores, at least one. */
  jobs?: number;
  /** The command a trial runs, before its flags. Default `["deno", "task", "train"]`. */
  command?: readonly string[];
  /** Called whenever a trial starts or ends. */
  onProgress?: (progress: SweepProgress) => void;
}

/** What a run of a sweep did. */
export interface SweepRun {
  /** Trials skipped because their metrics.json already existed. */
  skipped: string[];
  /** Trials this run completed. */
  completed: string[];
  /** Trials this run saw fail, with their exit code. */
  failed: { id: string; code: number }[];
  /** Wall time of this run, in seconds. */
  seconds: number;
}

/**
 * The trials run at once by default: one per two cores, as each trial's
 * JS thread and one BLAS thread keep two cores busy.
 *
 * @example
 * ```ts
 * defaultJobs(); // 1 on a 2-core machine
 * ```
 */
export function defaultJobs(cores: number = navigator.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.floor(cores / 2));
}

/**
 * BLAS threads per trial so that `jobs` trials share the cores: the cores
 * divided among them, at least one.
 *
 * @example
 * ```ts
 * blasThreadsPerJob(2, 8); // 4
 * ```
 */
export function blasThreadsPerJob(
  jobs: number,
  cores: number = navigator.hardwareConcurrency ?? 1,
): number {
  return Math.max(1, Math.floor(cores / jobs));
}

/**
 * The environment that keeps a trial's BLAS library to `threads` threads,
 * whichever library it opens (OpenBLAS or oneDNN's OpenMP).
 *
 * @example
 * ```ts
 * blasThreadEnv(1); // { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" }
 * ```
 */
export function blasThreadEnv(threads: number): Record<string, string> {
  return { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
}

/**
 * Whether a trial has finished: its metrics.json exists.
 *
 * @example
 * ```ts
 * await isTrialDone("sweeps/lr", trial); // false before it ran
 * ```
 */
export function isTrialDone(out: string, trial: Trial): Promise<boolean> {
  return isFile(join(trialFolder(out, trial), "metrics.json"));
}

/** What {@linkcode estimateSecondsLeft} needs besides the finished trials' wall times. */
export interface EstimateOptions {
  /** Trials not started yet. */
  left: number;
  /** When each running trial started, in `performance.now()` milliseconds. */
  startedAt: readonly number[];
  /** Trials run at once. */
  jobs: number;
  /** The time now, in `performance.now()` milliseconds; default now. */
  now?: number;
}

/**
 * Seconds until a sweep's last trial ends, from the mean wall time m of
 * the trials finished in this run: the work left, m for each trial not
 * started plus m minus the time already spent for each running one, shared
 * by the jobs; never less than the longest a running trial still needs.
 * Undefined before a trial has finished.
 *
 * @example
 * ```ts
 * estimateSecondsLeft([60, 80], { left: 4, startedAt: [], jobs: 2 }); // 140
 * ```
 */
export function estimateSecondsLeft(
  durations: readonly number[],
  options: EstimateOptions,
): number | undefined {
  if (durations.length === 0) return undefined;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  const now = options.now ?? performance.now();
  const still = options.startedAt.map((start) => Math.max(0, mean - (now - start) / 1000));
  const work = mean * options.left + still.reduce((a, b) => a + b, 0);
  return Math.max(work / options.jobs, ...still);
}

/** Runs one trial, writing its output lines (stdout then stderr) to its log; returns the exit code. */
async function runTrial(
  spec: SweepSpec,
  trial: Trial,
  options: { out: string; command: readonly string[]; threads: number },
): Promise<number> {
  const [program, ...first] = options.command;
  const args = [
    ...first,
    ...trialArgs(spec, trial, options),
    "--blas-threads",
    String(options.threads),
  ];
  const output = await new Deno.Command(program, {
    args,
    env: { ...blasThreadEnv(options.threads), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const log = trialLog(options.out, trial);
  await Deno.mkdir(dirname(log), { recursive: true });
  const decoder = new TextDecoder();
  await Deno.writeTextFile(log, decoder.decode(output.stdout) + decoder.decode(output.stderr));
  return output.code;
}

/**
 * Runs every trial not yet done, `jobs` at a time.
 *
 * @throws {RangeError} when `jobs` is not a whole number above 0.
 *
 * @example
 * ```ts
 * const run = await runSweep(spec, { out: "sweeps/lr", jobs: 2, onProgress: console.log });
 * run.completed.length;
 * ```
 */
export async function runSweep(spec: SweepSpec, options: RunSweepOptions): Promise<SweepRun> {
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new RangeError(`Cannot run a sweep: jobs is ${jobs}, expected a whole number above 0`);
  }
  const started = performance.now();
  const run: SweepRun = { skipped: [], completed: [], failed: [], seconds: 0 };
  const queue: Trial[] = [];
  for (const trial of spec.trials) {
    if (await isTrialDone(options.out, trial)) run.skipped.push(trial.id);
    else queue.push(trial);
  }
  const settings = {
    out: options.out,
    command: options.command ?? ["deno", "task", "train"],
    threads: blasThreadsPerJob(jobs),
  };
  const durations: number[] = [];
  const running = new Map<string, number>();
  const report = () => {
    options.onProgress?.({
      done: run.skipped.length + run.completed.length,
      failed: run.failed.length,
      running: running.size,
      left: queue.length,
      secondsLeft: estimateSecondsLeft(durations, {
        left: queue.length,
        startedAt: [...running.values()],
        jobs,
      }),
    });
  };
  const worker = async () => {
    for (let trial = queue.shift(); trial !== undefined; trial = queue.shift()) {
      const trialStarted = performance.now();
      running.set(trial.id, trialStarted);
      report();
      const code = await runTrial(spec, trial, settings);
      durations.push((performance.now() - trialStarted) / 1000);
      running.delete(trial.id);
      if (code === 0 && await isTrialDone(options.out, trial)) run.completed.push(trial.id);
      else run.failed.push({ id: trial.id, code });
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(queue.length, 1)) }, worker));
  run.seconds = (performance.now() - started) / 1000;
  return run;
}
