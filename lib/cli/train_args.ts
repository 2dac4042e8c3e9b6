import { isDeepStrictEqual } from "node:util";
/**
 * The flags of `deno task train`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import {
  BACKEND_IDS,
  DATASET_IDS,
  type DatasetId,
  DEFAULT_TRAINING,
  LEARNING_RATE_SCHEDULE_IDS,
  type LearningRateScheduleId,
  type ModelId,
} from "../config.ts";
import {
  AUGMENT_PRESET_IDS,
  AUGMENT_PRESETS,
  type AugmentPresetId,
  type AugmentSettings,
  type CsvPaths,
  HELD_OUT_FRACTION,
  trainingCountOf,
} from "../data/mod.ts";
import {
  createModelRegistry,
  DEFAULT_MOMENTUM,
  MODEL_GROUPS,
  type ModelRegistry,
  OPTIMIZER_IDS,
  type OptimizerId,
} from "../models/mod.ts";
import {
  givesFlag,
  parseChoice,
  parseNonEmpty,
  parsePositive,
  parseWholeNumber,
  readFlags,
  UsageError,
} from "./flags.ts";
import { type LibraryChoice, parseLibraryChoice } from "./library_flags.ts";

/** Everything `deno task train` was asked to do. */
export interface TrainArgs extends LibraryChoice {
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
  /** Seeds to train each model with, the first of them `seed`'s run; one seed unless `--seeds`. */
  seeds: number[];
  /**
   * How to distort each epoch's training images: a preset, with any flag's
   * override; absent when no `--augment` flag is given, each model's own.
   */
  augment?: AugmentSettings;
  /** Named data set, used when neither `dataDir` nor `csv` is given. */
  dataset: DatasetId;
  /** Folder of the user's own IDX or CSV files. */
  dataDir?: string;
  /** The user's own CSV files, of any name (`--train-csv`, `--test-csv`). */
  csv?: CsvPaths;
  /** Folder the results are written to. */
  out: string;
  /** A module of the user's own models (`export const models = [...]`), registered before `--model` is checked. */
  modelFile?: string;
  /** Most BLAS threads a large product may use; default every core up to four. */
  blasThreads?: number;
  /** "adam" or "sgd" (with momentum). */
  optimizer: OptimizerId;
  /** Momentum of "sgd", in [0, 1); absent with Adam. */
  momentum?: number;
  /** Dropout rate of every model's dropout layers, in [0, 1); absent, each model's own. */
  dropoutRate?: number;
  /** How the learning rate moves from epoch to epoch; absent, each model's own. */
  learningRateSchedule?: LearningRateScheduleId;
  /** Print the help text and do nothing else. */
  help: boolean;
}

const DEFAULT_MODELS = "mlp,cnn";
const DEFAULT_OUT = "out/";
const HELD_OUT_PERCENT = HELD_OUT_FRACTION * 100;

/**
 * The help text of `deno task train` for the models a registry holds;
 * every flag shows its default.
 *
 * @example
 * ```ts
 * console.log(trainHelp(createModelRegistry()));
 * ```
 */
export function trainHelp(registry: ModelRegistry): string {
  const ids = registry.ids();
  const byEpochs = Map.groupBy(
    ids.filter((id) => registry.defaultEpochs(id) !== DEFAULT_TRAINING.epochs),
    (id) => registry.defaultEpochs(id),
  );
  const epochs = [...byEpochs].map(([count, group]) => `; ${count} for ${group.join(", ")}`)
    .join("");
  return `Train, evaluate and compare models on MNIST, and write a report.

Usage: deno task train [options]

Options:
${
    wrapHelp(
      `  --model <ids>             models to train, a comma list of ${ids.join(", ")}; or ${
        Object.entries(MODEL_GROUPS).map(([name, group]) => `${name} (${group.join(", ")})`)
          .join(", or ")
      } (default: ${DEFAULT_MODELS})`,
    )
  }
  --epochs <n>              passes over the training set (default: ${DEFAULT_TRAINING.epochs}${epochs})
  --batch-size <n>          images per gradient step (default: ${DEFAULT_TRAINING.batchSize})
  --learning-rate <x>       the optimizer's learning rate (default: ${DEFAULT_TRAINING.learningRate})
  --validation-split <x>    share of training images held out, in (0, 1) (default: ${DEFAULT_TRAINING.validationSplit})
  --limit <n>               use only the first n training images, for quick runs (default: all)
  --seed <n>                seed of weights, dropout, shuffling and augmentation (default: ${DEFAULT_TRAINING.seed})
  --seeds <n or list>       train each model once per seed: n seeds from --seed on, or a
                            comma list such as 1,2,3 (default: just --seed)
  --augment <preset>        distort training images each epoch: ${AUGMENT_PRESET_IDS.join(", ")};
                            standard is ${describePreset("standard")} (default: each
                            model's own: ${augmentDefaults(registry)})
  --augment-shift <px>      largest shift per axis, in pixels, 0 to 14 (default: the preset's)
  --augment-rotation <deg>  largest rotation, in degrees, 0 to 180 (default: the preset's)
  --augment-zoom <x>        largest relative zoom, from 0 up to 1 (default: the preset's)
  --augment-thickness <x>   share of images thickened or thinned, 0 to 1 (default: the preset's)
                            (an --augment-* flag changes --augment's preset, none when --augment
                            is not given, for every model)
  --dataset <id>            ${DATASET_IDS.join(" or ")} (default: mnist)
  --data-dir <folder>       your own data: the four IDX files (raw or .gz, 7-Zip's dotted names
                            too), Colab's mnist_train_small.csv and mnist_test.csv, the
                            mnist_train.csv pair, or Kaggle's train.csv and test.csv (default: none)
  --train-csv <file>        your own training CSV of any name: a label and 784 pixels 0-255 a
                            row, header or not; not with --dataset or --data-dir (default: none)
  --test-csv <file>         its test CSV, with labels; when it has none (Kaggle's test.csv) or is
                            not given, the last ${HELD_OUT_PERCENT}% of --train-csv is held out as the test split
                            (default: none)
  --out <folder>            where results are written (default: ${DEFAULT_OUT})
  --backend <id>            ${BACKEND_IDS.join(", ")} (default: auto)
  --model-file <file>       a module exporting your own models, whose ids --model then takes:
                            export const models = [{ id, label, build: ({ seed }) => tf.LayersModel }]
                            (default: none)
  --blas-threads <n>        most BLAS threads a product may use (default: every core, up to 4)
  --blas-library <path>     the BLAS library to train on, e.g. OpenBLAS's to compare it with
                            oneDNN's, or a libonnxruntime; the run stops if it cannot be opened
                            (default: oneDNN, else OpenBLAS, where installed)
  --ignore-system-libraries train as auto would on a machine without oneDNN or OpenBLAS: on
                            ONNX Runtime from npm, else the wasm path (default: false)
${optimizerHelp(registry)}  -h, --help                show this help
`;
}

/** The help lines of the optimizer and dropout flags. */
function optimizerHelp(registry: ModelRegistry): string {
  const withDropout = registry.ids().filter((id) => registry.dropoutRateOf(id) !== undefined);
  const rates = Map.groupBy(withDropout, (id) => registry.dropoutRateOf(id));
  const own = [...rates].map(([rate, group]) => `${rate} for ${group.join(", ")}`).join(", ");
  return `  --optimizer <id>          ${
    OPTIMIZER_IDS.join(" or ")
  } (SGD with momentum) (default: adam)
  --momentum <x>            momentum of sgd, from 0 up to 1, exclusive (default: ${DEFAULT_MOMENTUM})
${
    wrapHelp(
      `  --learning-rate-schedule <id>  ${
        LEARNING_RATE_SCHEDULE_IDS.join(" or ")
      }: cosine lowers the learning rate each epoch along half a cosine, to 1% of it in the last of 15, half of it in the last of 2 (default: each model's own, ${
        scheduleDefaults(registry)
      })`,
    )
  }
${
    wrapHelp(
      `  --dropout-rate <x>        share of units dropped while training, from 0 up to 1, exclusive; only for the models with dropout: ${
        withDropout.join(", ")
      } (default: each model's own, ${own})`,
    )
  }
`;
}

/** Which models distort their images by default, as the help text says it: "standard for lenet5, none for the others". */
function augmentDefaults(registry: ModelRegistry): string {
  const own = registry.ids().flatMap((id) => {
    const settings = registry.augmentOf(id);
    const preset = AUGMENT_PRESET_IDS.find((name) =>
      settings !== undefined && isDeepStrictEqual(AUGMENT_PRESETS[name], settings)
    );
    return settings === undefined ? [] : [`${preset ?? "its own"} for ${id}`];
  });
  return own.length === 0 ? "none" : `${own.join(", ")}, none for the others`;
}

/** Which models take which schedule by default, as the help text says it: "constant for mlp, cnn; cosine for vgg". */
function scheduleDefaults(registry: ModelRegistry): string {
  const groups = Map.groupBy(registry.ids(), (id) => registry.learningRateScheduleOf(id));
  return [...groups].map(([schedule, ids]) => `${schedule} for ${ids.join(", ")}`).join("; ");
}

function describePreset(id: AugmentPresetId): string {
  const { shift, rotation, zoom, thickness } = AUGMENT_PRESETS[id];
  return `shifts to ${shift} px, ${rotation} deg, zoom ${zoom}, thickness ${thickness}`;
}

/** Wraps a help line at 100 characters, continuing under its description. */
function wrapHelp(line: string): string {
  const indent = " ".repeat(28);
  const lines: string[] = [];
  const lead = line.match(/^ */)![0];
  let current = lead;
  for (const word of line.trimStart().split(" ")) {
    if (current.length + word.length + 1 > 100 && current !== lead) {
      lines.push(current);
      current = indent + word;
    } else {
      current = current === lead ? lead + word : `${current} ${word}`;
    }
  }
  return [...lines, current].join("\n");
}

/** The help text of `deno task train` for the built-in models. */
export const TRAIN_HELP: string = trainHelp(createModelRegistry());

function parseModels(text: string, registry: ModelRegistry): ModelId[] {
  const expected = `${registry.ids().join(", ")} or ${Object.keys(MODEL_GROUPS).join(", ")}`;
  const words = text.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (words.length === 0) throw new UsageError(`--model is empty, expected ${expected}`);
  const ids = words.flatMap((word) => MODEL_GROUPS[word] ?? [word]);
  for (const id of ids) {
    if (!registry.has(id)) {
      throw new UsageError(`--model has unknown model "${id}", expected ${expected}`);
    }
  }
  return [...new Set(ids)];
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

/** Parses a flag's value as a number from `min` to `max`. */
function parseRange(
  flag: string,
  text: string,
  range: { min: number; max: number; below?: boolean },
) {
  const value = Number(text);
  const inside = range.below ? value < range.max : value <= range.max;
  if (text.trim() === "" || !Number.isFinite(value) || value < range.min || !inside) {
    const upper = range.below ? `up to ${range.max}, exclusive` : `to ${range.max}`;
    throw new UsageError(`--${flag} is "${text}", expected a number from ${range.min} ${upper}`);
  }
  return value;
}

/**
 * Reads `--seeds`: a count n gives the n seeds from `seed` on; a comma list
 * gives its seeds, and then `--seed` must not be given too (it would be
 * ignored).
 */
function parseSeeds(
  text: string | undefined,
  seed: number,
  { seedGiven }: { seedGiven: boolean },
): number[] {
  if (text === undefined) return [seed];
  const words = text.split(",").map((word) => word.trim());
  const numbers = words.map(Number);
  const expected = "a whole number of seeds above 0, or a comma list of seeds 0 or above";
  if (words.some((word) => word === "") || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new UsageError(`--seeds is "${text}", expected ${expected}`);
  }
  const repeated = numbers.find((n, index) => numbers.indexOf(n) !== index);
  if (repeated !== undefined) {
    throw new UsageError(
      `--seeds is "${text}": seed ${repeated} comes twice, expected each seed once`,
    );
  }
  if (words.length > 1) {
    if (seedGiven) {
      throw new UsageError(
        `--seed is given with --seeds "${text}", a list of the seeds themselves, expected one of the two (or --seeds as a count from --seed)`,
      );
    }
    return numbers;
  }
  if (numbers[0] === 0) throw new UsageError(`--seeds is "${text}", expected ${expected}`);
  return Array.from({ length: numbers[0] }, (_, index) => seed + index);
}

/**
 * The preset of `--augment` with the values of any `--augment-*` flag in its
 * place; undefined when none of them is given, so that each model takes its own.
 */
function parseAugment(
  flags: Record<string, string | boolean | undefined>,
): AugmentSettings | undefined {
  const given = Object.keys(flags).some((flag) =>
    flag.startsWith("augment") && flags[flag] !== undefined
  );
  if (!given) return undefined;
  const preset = parseChoice("augment", String(flags.augment ?? "none"), {
    choices: AUGMENT_PRESET_IDS,
  });
  const settings = { ...AUGMENT_PRESETS[preset] };
  const read = (
    name: keyof AugmentSettings,
    range: { min: number; max: number; below?: boolean },
  ) => {
    const text = flags[`augment-${name}`];
    if (typeof text === "string") settings[name] = parseRange(`augment-${name}`, text, range);
  };
  read("shift", { min: 0, max: 14 });
  read("rotation", { min: 0, max: 180 });
  read("zoom", { min: 0, max: 1, below: true });
  read("thickness", { min: 0, max: 1 });
  return settings;
}

/**
 * Reads `--train-csv` and `--test-csv`, and refuses a second source of data
 * beside them, or beside `--data-dir`, which would leave one of them unused.
 */
function parseCsvPaths(flags: Record<string, string | boolean | undefined>): CsvPaths | undefined {
  const given = ["dataset", "data-dir", "train-csv"].filter((flag) => flags[flag] !== undefined);
  if (given.length > 1) {
    throw new UsageError(
      `${
        given.map((flag) => `--${flag}`).join(" and ")
      } are given together, expected one source of data`,
    );
  }
  const [train, test] = [flags["train-csv"], flags["test-csv"]] as (string | undefined)[];
  if (test !== undefined && train === undefined) {
    throw new UsageError(
      `--test-csv is given without --train-csv, expected both, or --train-csv alone`,
    );
  }
  if (train === undefined) return undefined;
  return {
    train: parseNonEmpty("train-csv", train, { expected: "a CSV file" }),
    test: test === undefined
      ? undefined
      : parseNonEmpty("test-csv", test, { expected: "a CSV file" }),
  };
}

const TRAIN_FLAGS = {
  model: { type: "string", default: DEFAULT_MODELS },
  epochs: { type: "string" },
  "batch-size": { type: "string", default: String(DEFAULT_TRAINING.batchSize) },
  "learning-rate": { type: "string", default: String(DEFAULT_TRAINING.learningRate) },
  "validation-split": { type: "string", default: String(DEFAULT_TRAINING.validationSplit) },
  limit: { type: "string" },
  seed: { type: "string", default: String(DEFAULT_TRAINING.seed) },
  seeds: { type: "string" },
  augment: { type: "string" },
  "augment-shift": { type: "string" },
  "augment-rotation": { type: "string" },
  "augment-zoom": { type: "string" },
  "augment-thickness": { type: "string" },
  dataset: { type: "string" },
  "data-dir": { type: "string" },
  "train-csv": { type: "string" },
  "test-csv": { type: "string" },
  out: { type: "string", default: DEFAULT_OUT },
  backend: { type: "string", default: "auto" },
  "model-file": { type: "string" },
  "blas-threads": { type: "string" },
  "blas-library": { type: "string" },
  "ignore-system-libraries": { type: "boolean", default: false },
  optimizer: { type: "string", default: "adam" },
  momentum: { type: "string" },
  "dropout-rate": { type: "string" },
  "learning-rate-schedule": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * The `--model-file` of a train command line, read before the other flags
 * so that its models can be registered before `--model` is checked.
 *
 * @throws {UsageError} for an unknown flag or a missing value.
 *
 * @example
 * ```ts
 * readModelFileFlag(["--model-file", "my_models.ts", "--model", "mine"]); // "my_models.ts"
 * ```
 */
export function readModelFileFlag(args: string[]): string | undefined {
  return readFlags(args, TRAIN_FLAGS).values["model-file"];
}

/** Options for {@linkcode parseTrainArgs}. */
export interface ParseTrainArgsOptions {
  /** The models `--model` may name. Default the built-in ones. */
  registry?: ModelRegistry;
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
export function parseTrainArgs(args: string[], options: ParseTrainArgsOptions = {}): TrainArgs {
  const parsed = readTrainArgs(args, options);
  checkLimitSplit(parsed.limit, parsed.validationSplit);
  return parsed;
}

/**
 * Refuses a `--limit` too small to leave a training and a validation image
 * after the split, before any data is loaded.
 */
function checkLimitSplit(limit: number | undefined, validationSplit: number): void {
  if (limit === undefined) return;
  const trainCount = trainingCountOf(limit, validationSplit);
  if (trainCount < 1 || trainCount === limit) {
    throw new UsageError(
      `--limit is ${limit}, expected enough images to keep at least one on each side of --validation-split ${validationSplit}`,
    );
  }
}

function readTrainArgs(args: string[], options: ParseTrainArgsOptions): TrainArgs {
  const flags = readFlags(args, TRAIN_FLAGS).values;
  const registry = options.registry ?? createModelRegistry();
  const whole = { whole: true };
  const out = parseNonEmpty("out", flags.out, { expected: "a folder" });
  const seed = parseWholeNumber("seed", flags.seed, { min: 0 });
  const models = parseModels(flags.model, registry);
  return {
    models,
    epochs: flags.epochs === undefined ? undefined : parsePositive("epochs", flags.epochs, whole),
    batchSize: parsePositive("batch-size", flags["batch-size"], whole),
    learningRate: parsePositive("learning-rate", flags["learning-rate"]),
    validationSplit: parseSplit(flags["validation-split"]),
    limit: flags.limit === undefined ? undefined : parsePositive("limit", flags.limit, whole),
    seed,
    seeds: parseSeeds(flags.seeds, seed, { seedGiven: givesFlag(args, "seed") }),
    augment: parseAugment(flags),
    dataset: parseChoice("dataset", flags.dataset ?? "mnist", { choices: DATASET_IDS }),
    dataDir: flags["data-dir"],
    csv: parseCsvPaths(flags),
    out,
    ...parseLibraryChoice(flags),
    modelFile: flags["model-file"] === undefined
      ? undefined
      : parseNonEmpty("model-file", flags["model-file"], { expected: "a .ts file" }),
    blasThreads: flags["blas-threads"] === undefined
      ? undefined
      : parsePositive("blas-threads", flags["blas-threads"], whole),
    ...parseOptimizer(flags),
    dropoutRate: parseDropoutRate(flags["dropout-rate"], models, registry),
    learningRateSchedule: flags["learning-rate-schedule"] === undefined
      ? undefined
      : parseChoice("learning-rate-schedule", flags["learning-rate-schedule"], {
        choices: LEARNING_RATE_SCHEDULE_IDS,
      }),
    help: flags.help,
  };
}

/** Reads `--optimizer` and `--momentum`, which only SGD takes. */
function parseOptimizer(
  flags: Record<string, string | boolean | undefined>,
): Pick<TrainArgs, "optimizer" | "momentum"> {
  const optimizer = parseChoice("optimizer", String(flags.optimizer), { choices: OPTIMIZER_IDS });
  const text = flags.momentum;
  if (typeof text !== "string") {
    return { optimizer, momentum: optimizer === "sgd" ? DEFAULT_MOMENTUM : undefined };
  }
  if (optimizer !== "sgd") {
    throw new UsageError(
      `--momentum is given with --optimizer ${optimizer}, expected --optimizer sgd`,
    );
  }
  return { optimizer, momentum: parseRange("momentum", text, { min: 0, max: 1, below: true }) };
}

/** Reads `--dropout-rate`, refusing it for a model that has no dropout layer. */
function parseDropoutRate(
  text: string | undefined,
  models: readonly ModelId[],
  registry: ModelRegistry,
): number | undefined {
  if (text === undefined) return undefined;
  const rate = parseRange("dropout-rate", text, { min: 0, max: 1, below: true });
  const without = models.filter((id) => registry.dropoutRateOf(id) === undefined);
  if (without.length > 0) {
    const takers = registry.ids().filter((id) => registry.dropoutRateOf(id) !== undefined);
    throw new UsageError(
      `--dropout-rate is given but ${without.join(", ")} ${
        without.length === 1 ? "has" : "have"
      } no dropout layer, expected --model among ${takers.join(", ")}`,
    );
  }
  return rate;
}
