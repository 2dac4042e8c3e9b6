/**
 * The flags of `deno task train`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  BACKEND_IDS,
  type BackendId,
  DATASET_IDS,
  type DatasetId,
  DEFAULT_SCRATCH_EPOCHS,
  DEFAULT_TRAINING,
  MODEL_IDS,
  type ModelId,
} from "../config.ts";

/** A bad flag or value; the command line prints its message and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Everything `deno task train` was asked to do. */
export interface TrainArgs {
  /** Models to train, in the order given. */
  models: ModelId[];
  /** Epochs for every model; when absent each model takes its default. */
  epochs?: number;
  /** Images per gradient step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Fraction of the training images held out for validation. */
  validationSplit: number;
  /** Use only the first `limit` training images. */
  limit?: number;
  /** Seed of weights, dropout and shuffles. */
  seed: number;
  /** Named data set, used when `dataDir` is absent. */
  dataset: DatasetId;
  /** Folder of the user's own IDX or CSV files. */
  dataDir?: string;
  /** Folder the results are written to. */
  out: string;
  /** How tfjs runs. */
  backend: BackendId;
  /** Print the help text and do nothing else. */
  help: boolean;
}

const DEFAULT_MODELS = "mlp,cnn";
const DEFAULT_OUT = "out/";

/** The help text of `deno task train`; every flag shows its default. */
export const TRAIN_HELP =
  `Train, evaluate and compare the MLP and the CNN on MNIST, and write a report.

Usage: deno task train [options]

Options:
  --model <ids>             models to train, a comma list of ${
    MODEL_IDS.join(", ")
  }, or all (default: ${DEFAULT_MODELS})
  --epochs <n>              passes over the training set (default: ${DEFAULT_TRAINING.epochs}; ${DEFAULT_SCRATCH_EPOCHS} for scratch)
  --batch-size <n>          images per gradient step (default: ${DEFAULT_TRAINING.batchSize})
  --learning-rate <x>       Adam learning rate (default: ${DEFAULT_TRAINING.learningRate})
  --validation-split <x>    share of training images held out, in (0, 1) (default: ${DEFAULT_TRAINING.validationSplit})
  --limit <n>               use only the first n training images, for quick runs (default: all)
  --seed <n>                seed of weights, dropout and shuffling (default: ${DEFAULT_TRAINING.seed})
  --dataset <id>            ${DATASET_IDS.join(" or ")} (default: mnist)
  --data-dir <folder>       your own data: the four IDX files (raw or .gz) or Colab's
                            mnist_train_small.csv and mnist_test.csv (default: none)
  --out <folder>            where results are written (default: ${DEFAULT_OUT})
  --backend <id>            ${BACKEND_IDS.join(", ")} (default: auto)
  -h, --help                show this help
`;

function parseModels(text: string): ModelId[] {
  if (text.trim() === "all") return [...MODEL_IDS];
  const ids = text.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (ids.length === 0) {
    throw new UsageError(`--model is empty, expected ${MODEL_IDS.join(", ")} or all`);
  }
  for (const id of ids) {
    if (!(MODEL_IDS as readonly string[]).includes(id)) {
      throw new UsageError(
        `--model has unknown model "${id}", expected ${MODEL_IDS.join(", ")} or all`,
      );
    }
  }
  return [...new Set(ids)] as ModelId[];
}

function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag} is "${text}", expected one of ${choices.join(", ")}`);
  }
  return text as T;
}

/** Parses a number that must be positive (and whole, when `integer`). */
function parsePositive(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  const kind = integer ? "a whole number above 0" : "a number above 0";
  if (
    text.trim() === "" || !Number.isFinite(value) || value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(`--${flag} is "${text}", expected ${kind}`);
  }
  return value;
}

function parseSplit(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !(value > 0 && value < 1)) {
    throw new UsageError(
      `--validation-split is "${text}", expected a number between 0 and 1, exclusive`,
    );
  }
  return value;
}

function parseSeed(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`--seed is "${text}", expected a whole number 0 or above`);
  }
  return value;
}

/** Joins `--flag -3` into `--flag=-3`, which parseArgs would otherwise call ambiguous. */
function joinNegativeValues(args: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (
      args[i].startsWith("--") && !args[i].includes("=") && next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  return joined;
}

function readFlags(args: string[]) {
  try {
    return parseArgs({
      args: joinNegativeValues(args),
      allowPositionals: false,
      strict: true,
      options: {
        model: { type: "string", default: DEFAULT_MODELS },
        epochs: { type: "string" },
        "batch-size": { type: "string", default: String(DEFAULT_TRAINING.batchSize) },
        "learning-rate": { type: "string", default: String(DEFAULT_TRAINING.learningRate) },
        "validation-split": { type: "string", default: String(DEFAULT_TRAINING.validationSplit) },
        limit: { type: "string" },
        seed: { type: "string", default: String(DEFAULT_TRAINING.seed) },
        dataset: { type: "string", default: "mnist" },
        "data-dir": { type: "string" },
        out: { type: "string", default: DEFAULT_OUT },
        backend: { type: "string", default: "auto" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Parses and checks the flags of `deno task train`.
 *
 * @example
 * ```ts
 * const args = parseTrainArgs(["--model", "cnn", "--epochs", "1"]);
 * args.models; // ["cnn"]
 * ```
 */
export function parseTrainArgs(args: string[]): TrainArgs {
  const flags = readFlags(args);
  if (flags.out.trim() === "") throw new UsageError(`--out is empty, expected a folder`);
  return {
    models: parseModels(flags.model),
    epochs: flags.epochs === undefined ? undefined : parsePositive("epochs", flags.epochs, true),
    batchSize: parsePositive("batch-size", flags["batch-size"], true),
    learningRate: parsePositive("learning-rate", flags["learning-rate"], false),
    validationSplit: parseSplit(flags["validation-split"]),
    limit: flags.limit === undefined ? undefined : parsePositive("limit", flags.limit, true),
    seed: parseSeed(flags.seed),
    dataset: parseChoice("dataset", flags.dataset, DATASET_IDS),
    dataDir: flags["data-dir"],
    out: flags.out,
    backend: parseChoice("backend", flags.backend, BACKEND_IDS),
    help: flags.help,
  };
}
