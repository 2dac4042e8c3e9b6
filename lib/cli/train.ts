/**
 * `deno task train`: trains, evaluates and compares the models, and writes
 * the models, metrics.json, tables, charts and report.html to `--out`.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import type { BatchProgress, EpochSummary } from "../callbacks.ts";
import type { ModelId } from "../config.ts";
import {
  type AugmentSettings,
  describeAugmentSettings,
  isAugmenting,
  type LabelledImages,
} from "../data/mod.ts";
import { findChanceLevelResults } from "../evaluation/mod.ts";
import { analyseResults, writeExperiment } from "../report/mod.ts";
import type { ModelRegistry } from "../models/mod.ts";
import { formatChanceWarning } from "./chance_warning.ts";
import { registryWithModelFile } from "./model_file.ts";
import {
  type Experiment,
  formatEpochLine,
  formatProgressBar,
  predictValidation,
  runExperiment,
} from "../training/mod.ts";
import { SWEEP_FILE } from "../sweep/mod.ts";
import { batchNote } from "./batch_note.ts";
import { prepareOutFolder } from "./out_folder.ts";
import { runCommand } from "./run_command.ts";
import { parseTrainArgs, readModelFileFlag, TRAIN_HELP, type TrainArgs } from "./train_args.ts";

const encoder = new TextEncoder();

/** Prints progress: a bar redrawn in place on a terminal, epoch lines otherwise. */
function createProgressPrinter(interactive: boolean) {
  let label = "";
  let lastDraw = 0;
  return {
    start(id: ModelId) {
      label = id;
    },
    batch(progress: BatchProgress) {
      const now = performance.now();
      if (!interactive || (now - lastDraw < 100 && progress.batch < progress.batches)) return;
      lastDraw = now;
      // Cut to one column less than the terminal, so that it never wraps
      // (a wrapped line leaves a trail of bars when redrawn with \r).
      const width = Math.max(1, Deno.consoleSize().columns - 1);
      const line = formatProgressBar(progress, { label }).slice(0, width);
      Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${line}`));
    },
    epoch(summary: EpochSummary) {
      const line = formatEpochLine(summary, label);
      Deno.stdout.writeSync(encoder.encode(interactive ? `\r\x1b[2K${line}\n` : `${line}\n`));
    },
  };
}

/** Prints accuracy over seeds and the paired tests, when the run has them. */
function printSeedTables(tables: Record<string, pl.DataFrame>): void {
  if (tables.seed_summary) {
    console.log("test accuracy over seeds (95% t interval):");
    console.log(
      tables.seed_summary.select(
        pl.col("model"),
        pl.col("seeds"),
        pl.col(["testAccuracyMean", "testAccuracySd", "ciLower", "ciUpper"]).round(4),
      ).toString(),
    );
  }
  if (tables.model_pairs) {
    console.log("pairs of models (McNemar's exact test per seed):");
    console.log(
      tables.model_pairs.select(
        pl.col(["first", "second", "seeds"]),
        pl.col(["differenceMean", "differenceLower", "differenceUpper"]).round(4),
        pl.col("significantSeeds"),
        pl.col("largestPValue").round(4),
      ).toString(),
    );
  }
}

/** One warning line per model and seed whose validation or test accuracy is no better than chance. */
function chanceWarnings(experiment: Experiment): string[] {
  const { seeds, byModel } = experiment.seedRuns;
  const batches = Math.ceil(experiment.data.train.count / experiment.settings.batchSize);
  const epochs = new Map(byModel.map((results) => [results[0].id, results[0].epochs]));
  return seeds.flatMap((seed, run) =>
    findChanceLevelResults(byModel.map((results) => results[run]), experiment.data.test.labels, {
      validationLabels: experiment.data.validation.labels,
    }).map((finding) =>
      formatChanceWarning(finding, {
        steps: epochs.get(finding.id)! * batches,
        seed: seeds.length > 1 ? seed : undefined,
      })
    )
  );
}

/** The flags, with the registry they were checked against: the built-in models plus `--model-file`'s. */
type TrainCommand = TrainArgs & { registry: ModelRegistry };

/**
 * Registers `--model-file`'s models, then parses the flags against them,
 * and makes `--out`; a bad module or an unusable `--out` is a usage error.
 */
async function parse(argv: string[]): Promise<TrainCommand> {
  const registry = await registryWithModelFile(readModelFileFlag(argv));
  const args = parseTrainArgs(argv, { registry });
  if (!args.help) {
    await prepareOutFolder(args.out, { refuse: { file: SWEEP_FILE, holding: "a sweep" } });
  }
  return { ...args, registry };
}

/**
 * The augmentation the report shows on a training digit: the one asked
 * for, else the first model's own; undefined when no model distorted its images.
 */
function shownAugmentation(
  experiment: Experiment,
): { settings: AugmentSettings; images: LabelledImages } | undefined {
  const settings = experiment.augment && isAugmenting(experiment.augment)
    ? experiment.augment
    : Object.values(experiment.modelAugment ?? {})[0];
  return settings ? { settings, images: experiment.data.train } : undefined;
}

async function train(args: TrainCommand): Promise<void> {
  const printer = createProgressPrinter(Deno.stdout.isTerminal());
  const experiment = await runExperiment({
    ...args,
    onBackend: (info) => console.log(`backend: ${info.description}`),
    onData: (raw, data) => {
      console.log(
        `data: ${raw.name}, ${data.train.count} training, ${data.validation.count} validation, ${data.test.count} test images`,
      );
      raw.notes?.forEach((note) => console.log(`data: ${note}`));
      const note = batchNote(args.batchSize, data.train.count);
      if (note !== undefined) console.log(`data: ${note}`);
      if (args.augment && isAugmenting(args.augment)) {
        console.log(
          `augmentation of training images, afresh each epoch: ${
            describeAugmentSettings(args.augment)
          }`,
        );
      }
      if (args.learningRateSchedule === undefined) {
        for (const id of args.models) {
          const own = args.registry.learningRateScheduleOf(id);
          if (own !== "constant") {
            console.log(
              `learning-rate schedule of ${id}: ${own}, its default (--learning-rate-schedule constant turns it off)`,
            );
          }
        }
      }
      if (args.augment === undefined) {
        for (const id of args.models) {
          const own = args.registry.augmentOf(id);
          if (own && isAugmenting(own)) {
            console.log(
              `augmentation of ${id}'s training images, its default (--augment none turns it off), afresh each epoch: ${
                describeAugmentSettings(own)
              }`,
            );
          }
        }
      }
      if (raw.unlabelled) {
        const model = join(args.out, "models", args.models[0]);
        console.log(
          `data: the ${raw.unlabelled.count} rows of ${raw.unlabelled.source} have no labels; for a Kaggle submission run deno task predict --model ${model} --csv ${raw.unlabelled.source} --submission submission.csv`,
        );
      }
    },
    onModelStart: (id, _index, seed) =>
      printer.start(args.seeds.length > 1 ? `${id} seed ${seed}` : id),
    onBatchEnd: (progress) => printer.batch(progress),
    onEpochEnd: (summary) => printer.epoch(summary),
    onModelEnd: ({ result }, seed) =>
      console.log(
        `${result.id}${args.seeds.length > 1 ? ` seed ${seed}` : ""}: test accuracy ${
          (result.testAccuracy * 100).toFixed(2)
        }%, test loss ${result.testLoss.toFixed(4)}, trained in ${
          result.trainSeconds.toFixed(1)
        } s`,
      ),
  });
  const results = experiment.trained.map((trained) => trained.result);
  const analysis = analyseResults(results, experiment.data.test, {
    classNames: experiment.classNames,
    validation: await predictValidation(experiment.trained, experiment.data.validation),
    seedRuns: experiment.seedRuns,
    augmentation: shownAugmentation(experiment),
  });
  const written = await writeExperiment(experiment, analysis, { out: args.out });
  experiment.trained.forEach(({ model }) => model.dispose());
  pl.Config.setTblHideColumnDataTypes(true).setTblCols(20).setTblWidthChars(200);
  console.log(
    analysis.tables.comparison.select(
      pl.col("model"),
      pl.col("params"),
      pl.col("epochs"),
      pl.col("trainSeconds").round(1),
      pl.col(["trainAccuracy", "valAccuracy", "testAccuracy", "testLoss"]).round(4),
      pl.col("inferImagesPerSecond").round(0),
    ).toString(),
  );
  console.log(
    analysis.tables.calibration.select(
      pl.col("model"),
      pl.col(["testEce", "scaledTestEce"]).round(4),
      pl.col("temperature").round(3),
    ).toString(),
  );
  printSeedTables(analysis.tables);
  chanceWarnings(experiment).forEach((line) => console.log(line));
  console.log(`wrote ${written.files.length} files to ${args.out} (open ${written.report})`);
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "train",
    parse,
    help: TRAIN_HELP,
    run: train,
    breakLineBeforeError: true,
  }),
);
