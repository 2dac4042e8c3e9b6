/**
 * The flags of `deno task sweep`: parsing, checks and help text.
 *
 * Pure: takes the argument list and the registry of models, returns
 * options or throws a `UsageError` whose one-line message the entry point
 * prints before exiting with 2.
 *
 * @module
 */
import { createModelRegistry, type ModelRegistry } from "../models/mod.ts";
import {
  parseSweepAxis,
  planTrials,
  SWEEP_KEYS,
  type SweepAxis,
  type SweepSpec,
} from "../sweep/mod.ts";
import {
  givesFlag,
  parseNonEmpty,
  parsePositive,
  parseWholeNumber,
  readFlags,
  UsageError,
} from "./flags.ts";

/** Everything `deno task sweep` was asked to do. */
export interface SweepArgs {
  /** The sweep to run or emit; absent with `--collect`. */
  spec?: SweepSpec;
  /** The sweep's folder. */
  out: string;
  /** Trials run at once; absent, one per two cores. */
  jobs?: number;
  /** Write one shell line per trial to this file and stop. */
  emit?: string;
  /** Only collect the finished trials of this folder. */
  collect?: string;
  /** Print the help text and do nothing else. */
  help: boolean;
  /** What the user should know before the sweep runs, one line each; absent when nothing. */
  notes?: string[];
}

/** The help text of `deno task sweep`. */
export const SWEEP_HELP =
  `Run a grid (or random draws) of training settings, one deno task train per trial,
and compare them by validation accuracy in a table, charts and report.html.

Usage: deno task sweep --model <id> --grid <key=v1,v2> [--grid ...] --out <folder> [options]
       deno task sweep --collect <folder>

Options:
  --model <id>          the model every trial trains (required unless --collect)
  --grid <key=values>   a setting and its values, repeatable: ${Object.keys(SWEEP_KEYS).join(", ")};
                        e.g. "learningRate=3e-4,1e-3,3e-3", "dropoutRate=0,0.25,0.5",
                        "optimizer=${
    SWEEP_KEYS.optimizer.choices!.join(",")
  }" (sgd with momentum 0.9),
                        "augment=${
    SWEEP_KEYS.augment.choices!.join(",")
  }" (train's --augment presets),
                        "learningRateSchedule=${
    SWEEP_KEYS.learningRateSchedule.choices!.join(",")
  }";
                        with --random a range of a number, "learningRate=1e-4..1e-2"
  --seeds <list>        training seeds, each setting runs once per seed, e.g. 1,2,3 (default: train's seed)
  --random <n>          draw n settings instead of the grid: log-uniform in the ranges of learningRate
                        and batchSize, uniform in those of epochs and dropoutRate, and uniformly
                        from a list (optimizer, augment, learningRateSchedule) (default: grid)
  --random-seed <n>     seed of the draws (default: 0)
  --epochs <n>          epochs of every trial, unless the grid varies them (default: train's)
  --limit <n>           use only the first n training images in every trial (default: all)
  --model-file <file>   a module of your own models (see deno task train --help) (default: none)
  --jobs <n>            trials run at once, each with cores/jobs BLAS threads
                        (default: ${
    Math.max(1, Math.floor((navigator.hardwareConcurrency ?? 1) / 2))
  }, one per two cores)
  --out <folder>        the sweep's folder: trials/, logs/, tables/, charts/, report.html (required)
  --emit <file>         write one shell command per trial to <file> and stop, for GNU parallel,
                        a Slurm job array or a Kubernetes Indexed Job (default: run here)
  --collect <folder>    build the table, charts and report from the trials finished so far
  -h, --help            show this help

A trial whose metrics.json exists is skipped, so a sweep run again resumes where it stopped.
`;

const SWEEP_FLAGS = {
  model: { type: "string" },
  grid: { type: "string", multiple: true },
  seeds: { type: "string" },
  random: { type: "string" },
  "random-seed": { type: "string", default: "0" },
  epochs: { type: "string" },
  limit: { type: "string" },
  "model-file": { type: "string" },
  jobs: { type: "string" },
  out: { type: "string" },
  emit: { type: "string" },
  collect: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Options for {@linkcode parseSweepArgs}. */
export interface ParseSweepArgsOptions {
  /** The models `--model` may name. Default the built-in ones. */
  registry?: ModelRegistry;
}

/**
 * The `--model-file` of a sweep command line, read first so that its models
 * can be registered before `--model` is checked.
 *
 * @example
 * ```ts
 * readSweepModelFile(["--model-file", "my_models.ts"]); // "my_models.ts"
 * ```
 */
export function readSweepModelFile(args: string[]): string | undefined {
  return readFlags(args, SWEEP_FLAGS).values["model-file"];
}

function parseSeeds(text: string): number[] {
  const words = text.split(",").map((word) => word.trim());
  if (words.every((word) => word === "")) {
    throw new UsageError(`--seeds is empty, expected a comma list of whole numbers such as 1,2,3`);
  }
  const seeds = words.map((word) => parseWholeNumber("seeds", word, { min: 0 }));
  const repeated = seeds.find((seed, index) => seeds.indexOf(seed) !== index);
  if (repeated !== undefined) {
    throw new UsageError(
      `--seeds is "${text}": seed ${repeated} comes twice, expected each seed once`,
    );
  }
  return seeds;
}

function parseAxes(texts: readonly string[]): SweepAxis[] {
  if (texts.length === 0) {
    throw new UsageError(
      `--grid is missing, expected at least one such as "learningRate=1e-3,3e-3"`,
    );
  }
  return texts.map((text) => {
    try {
      return parseSweepAxis(text);
    } catch (error) {
      throw new UsageError(`--grid: ${(error as Error).message}`);
    }
  });
}

/**
 * A note when `--random n` drew a setting more than once: the repeats are one
 * trial each (per seed), so fewer than n settings run.
 */
function repeatedDraws(
  random: number | undefined,
  trials: number,
  seeds: readonly number[] | undefined,
): { notes?: string[] } {
  const distinct = trials / (seeds?.length || 1);
  if (random === undefined || distinct === random) return {};
  return {
    notes: [
      `--random ${random} drew ${
        random - distinct
      } settings more than once; each runs once, so ${distinct} distinct settings run`,
    ],
  };
}

/** The sweep's definition from the flags: model, shared train flags, keys and trials. */
function parseSpec(
  flags: ReturnType<typeof readFlags<typeof SWEEP_FLAGS>>["values"],
  registry: ModelRegistry,
): SweepSpec & { notes?: string[] } {
  const model = flags.model?.trim() ?? "";
  if (!registry.has(model)) {
    const found = model === "" ? "missing" : `"${model}"`;
    throw new UsageError(`--model is ${found}, expected one of ${registry.ids().join(", ")}`);
  }
  const axes = parseAxes(flags.grid ?? []);
  const keys = axes.map((axis) => axis.key);
  if (keys.includes("dropoutRate") && registry.dropoutRateOf(model) === undefined) {
    const takers = registry.ids().filter((id) => registry.dropoutRateOf(id) !== undefined);
    throw new UsageError(
      `--grid varies dropoutRate but ${model} has no dropout layer, expected --model among ${
        takers.join(", ")
      }`,
    );
  }
  if (flags.epochs !== undefined && keys.includes("epochs")) {
    throw new UsageError(`--epochs is given and --grid varies epochs, expected one of them`);
  }
  const whole = { whole: true };
  const sharedArgs = [
    ...(flags.epochs === undefined
      ? []
      : ["--epochs", String(parsePositive("epochs", flags.epochs, whole))]),
    ...(flags.limit === undefined
      ? []
      : ["--limit", String(parsePositive("limit", flags.limit, whole))]),
    ...(flags["model-file"] === undefined ? [] : ["--model-file", flags["model-file"]]),
  ];
  try {
    const seeds = flags.seeds === undefined ? undefined : parseSeeds(flags.seeds);
    const random = flags.random === undefined
      ? undefined
      : parsePositive("random", flags.random, whole);
    const trials = planTrials(axes, {
      seeds,
      random,
      randomSeed: parseWholeNumber("random-seed", flags["random-seed"], { min: 0 }),
    });
    return { model, sharedArgs, keys, trials, ...repeatedDraws(random, trials.length, seeds) };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--grid: ${(error as Error).message}`);
  }
}

/**
 * Parses and checks the flags of `deno task sweep`.
 *
 * @throws {UsageError} for an unknown grid key, an empty list, a value of the wrong type,
 *   `--jobs 0`, a missing `--model` or `--out`, and the like.
 *
 * @example
 * ```ts
 * const args = parseSweepArgs(["--model", "mlp", "--grid", "learningRate=1e-3,3e-3", "--out", "sweeps/lr"]);
 * args.spec?.trials.length; // 2
 * ```
 */
export function parseSweepArgs(args: string[], options: ParseSweepArgsOptions = {}): SweepArgs {
  const flags = readFlags(args, SWEEP_FLAGS).values;
  const jobs = flags.jobs === undefined
    ? undefined
    : parsePositive("jobs", flags.jobs, { whole: true });
  if (flags.help) return { out: "", help: true };
  if (flags.collect !== undefined) {
    const collect = parseNonEmpty("collect", flags.collect, { expected: "a sweep's folder" });
    const others = Object.keys(SWEEP_FLAGS).filter((name) =>
      name !== "collect" && name !== "help" && givesFlag(args, name)
    );
    if (others.length > 0) {
      throw new UsageError(
        `--collect is given with ${others.map((name) => `--${name}`).join(", ")}, ` +
          `expected it alone (it reads the settings from the sweep's folder)`,
      );
    }
    return { out: collect, collect, help: false };
  }
  if (flags.out === undefined) {
    throw new UsageError(`--out is missing, expected the sweep's folder`);
  }
  const out = parseNonEmpty("out", flags.out, { expected: "a folder" });
  const emit = flags.emit === undefined
    ? undefined
    : parseNonEmpty("emit", flags.emit, { expected: "a file" });
  const { notes, ...spec } = parseSpec(flags, options.registry ?? createModelRegistry());
  return { spec, out, jobs, emit, help: false, ...(notes ? { notes } : {}) };
}
