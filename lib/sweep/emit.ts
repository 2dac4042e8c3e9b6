/**
 * A sweep as one shell command per trial, for a scheduler that already
 * exists (GNU parallel, a Slurm job array, a Kubernetes Indexed Job): each
 * line runs from the project folder, skips a trial that is done, keeps to
 * its BLAS threads and writes its output lines to the trial's log.
 *
 * @module
 */
import type { SweepSpec } from "./spec.ts";
import { trialArgs, trialFolder, trialLog } from "./spec.ts";
import { blasThreadEnv } from "./run.ts";
import { dirname, join } from "node:path";

/** Options for {@linkcode emitTrialCommands}. */
export interface EmitTrialCommandsOptions {
  /** The sweep's folder, as the machines that run the lines see it (relative to `root`, or absolute). */
  out: string;
  /** The project folder each line changes to. */
  root: string;
  /** BLAS threads each trial may use. Default 1. */
  blasThreads?: number;
}

/**
 * Quotes a word for POSIX sh when it needs it: in single quotes, with single quotes escaped.
 *
 * @example
 * ```ts
 * quoteShell("sweeps/lr"); // "sweeps/lr"
 * quoteShell("my mnist"); // "'my mnist'"
 * ```
 */
export function quoteShell(word: string): string {
  return /^[A-Za-z0-9_./=:,@+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * One POSIX shell line per trial.
 *
 * @example
 * ```ts
 * emitTrialCommands(spec, { out: "sweeps/lr", root: "/home/me/mnist" })[0];
 * // "cd /home/me/mnist && test -f sweeps/lr/trials/.../metrics.json || { mkdir -p sweeps/lr/logs && ... deno task train ... > sweeps/lr/logs/....log 2>&1; }"
 * ```
 */
export function emitTrialCommands(spec: SweepSpec, options: EmitTrialCommandsOptions): string[] {
  const threads = options.blasThreads ?? 1;
  const env = Object.entries(blasThreadEnv(threads)).map(([name, value]) => `${name}=${value}`);
  return spec.trials.map((trial) => {
    const metrics = quoteShell(join(trialFolder(options.out, trial), "metrics.json"));
    const log = quoteShell(trialLog(options.out, trial));
    const train = [
      ...env,
      "NO_COLOR=1",
      "deno",
      "task",
      "train",
      ...trialArgs(spec, trial, options),
      "--blas-threads",
      String(threads),
    ].map(quoteShell).join(" ");
    return `cd ${quoteShell(options.root)} && test -f ${metrics} || { mkdir -p ${
      quoteShell(dirname(trialLog(options.out, trial)))
    } && ${train} > ${log} 2>&1; }`;
  });
}
