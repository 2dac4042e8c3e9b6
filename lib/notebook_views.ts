/**
 * Small tables and texts the notebooks show that no other module builds:
 * how many images each class has, the layers of a model, a model's summary
 * as text, a model's probabilities for a few images, and any table with
 * its decimals rounded for reading.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import pl from "nodejs-polars";
import { NUM_CLASSES } from "./config.ts";
import type { PreparedData } from "./preprocess.ts";
import type { ScratchMlp } from "./scratch/network.ts";
import type { Workspace } from "./scratch/passes.ts";

/** Options for {@linkcode roundFloats}. */
export interface RoundFloatsOptions {
  /** Decimals kept. Default 4. */
  digits?: number;
}

/**
 * Rounds every floating-point column of a table (float32 columns become
 * float64, so that 0.512 does not print as 0.5120000243).
 *
 * @example
 * ```ts
 * roundFloats(compareModels(results), { digits: 3 });
 * ```
 */
export function roundFloats(table: pl.DataFrame, options: RoundFloatsOptions = {}): pl.DataFrame {
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
    throw new RangeError(
      `Cannot round a table: digits is ${digits}, expected an integer from 0 to 15`,
    );
  }
  return pl.DataFrame(
    table.getColumns().map((column) =>
      column.isFloat() ? column.cast(pl.Float64).round(digits) : column
    ),
  );
}

/** Options for {@linkcode classBalance}. */
export interface ClassBalanceOptions {
  /** Names of classes 0 to 9. Default the digits "0" to "9". */
  classNames?: readonly string[];
}

function checkClassNames(classNames: readonly string[], action: string): void {
  if (classNames.length !== NUM_CLASSES) {
    throw new RangeError(
      `Cannot ${action}: found ${classNames.length} class names, expected ${NUM_CLASSES}`,
    );
  }
}

function countClasses(labels: Uint8Array, split: string): Int32Array {
  const counts = new Int32Array(NUM_CLASSES);
  labels.forEach((label, index) => {
    if (label >= NUM_CLASSES) {
      throw new RangeError(
        `Cannot count classes: label ${index} of the ${split} split is ${label}, expected 0 to ${
          NUM_CLASSES - 1
        }`,
      );
    }
    counts[label]++;
  });
  return counts;
}

/**
 * Counts the images of each class in each split: a column `class` (the class
 * names), then for each split a count column named after it and a
 * `<split>Share` column (its share of the split, 0 to 1).
 *
 * @example
 * ```ts
 * classBalance({ train: data.train.labels, test: data.test.labels });
 * // class | train | trainShare | test | testShare
 * ```
 */
export function classBalance(
  splits: Record<string, Uint8Array>,
  options: ClassBalanceOptions = {},
): pl.DataFrame {
  const classNames = options.classNames ?? Array.from({ length: NUM_CLASSES }, (_, k) => String(k));
  checkClassNames(classNames, "count classes");
  const columns: pl.Series[] = [pl.Series("class", [...classNames], pl.String)];
  for (const [split, labels] of Object.entries(splits)) {
    const counts = countClasses(labels, split);
    columns.push(pl.Series(split, counts, pl.Int32));
    columns.push(
      pl.Series(`${split}Share`, Array.from(counts, (count) => count / labels.length), pl.Float64),
    );
  }
  return pl.DataFrame(columns);
}

/**
 * Lists the layers of a tfjs model: `layer` (its name), `type`,
 * `outputShape` (batch dimension as null) and `params`.
 *
 * @example
 * ```ts
 * layerTable(createCnn()).getColumn("params").sum(); // 225034
 * ```
 */
export function layerTable(model: tf.LayersModel): pl.DataFrame {
  const layers = model.layers;
  return pl.DataFrame([
    pl.Series("layer", layers.map((layer) => layer.name), pl.String),
    pl.Series("type", layers.map((layer) => layer.getClassName()), pl.String),
    pl.Series("outputShape", layers.map((layer) => JSON.stringify(layer.outputShape)), pl.String),
    pl.Series("params", layers.map((layer) => layer.countParams()), pl.Int32),
  ]);
}

/**
 * Lists the layers of the from-scratch MLP in the columns of
 * {@linkcode layerTable}: each dense layer with its activation, the shape
 * of its weights W and biases b, and its parameters.
 *
 * @example
 * ```ts
 * scratchLayerTable(createScratchMlp()).getColumn("params").sum(); // 235146
 * ```
 */
export function scratchLayerTable(network: ScratchMlp): pl.DataFrame {
  const last = network.layers.length - 1;
  const rows = network.layers.map((layer, l) => ({
    layer: `layer ${l + 1}: W${l + 1} [${layer.weights.rows}, ${layer.weights.cols}], b${
      l + 1
    } [${layer.biases.length}]`,
    type: l === last ? "Dense, softmax" : "Dense, ReLU",
    outputShape: JSON.stringify([null, layer.weights.cols]),
    params: layer.weights.data.length + layer.biases.length,
  }));
  return pl.DataFrame([
    pl.Series("layer", rows.map((row) => row.layer), pl.String),
    pl.Series("type", rows.map((row) => row.type), pl.String),
    pl.Series("outputShape", rows.map((row) => row.outputShape), pl.String),
    pl.Series("params", rows.map((row) => row.params), pl.Int32),
  ]);
}

/** Characters per line of a model summary, and where its four columns end, as fractions. */
const SUMMARY_WIDTH = 90;
const SUMMARY_COLUMNS = [0.36, 0.6, 0.84, 1];

/**
 * Returns the text of `model.summary()` instead of printing it.
 *
 * @example
 * ```ts
 * modelSummaryText(createMlp()).includes("Total params: 235146"); // true
 * ```
 */
export function modelSummaryText(model: tf.LayersModel): string {
  const lines: string[] = [];
  model.summary(SUMMARY_WIDTH, SUMMARY_COLUMNS, (line?: unknown) => lines.push(String(line ?? "")));
  return lines.join("\n");
}

/** Options for {@linkcode probabilityTable}. */
export interface ProbabilityTableOptions {
  /** Rows shown, the first images. Default 5. */
  rows?: number;
}

/**
 * Shows what a model says about the first images: columns `image`, `true`,
 * `predicted`, then `p0` to `p9`, the probability of each class.
 *
 * @example
 * ```ts
 * probabilityTable(predictScratchMlp(network, test.pixels, 5), test.labels, { rows: 5 });
 * ```
 */
export function probabilityTable(
  probabilities: Float32Array,
  labels: Uint8Array,
  options: ProbabilityTableOptions = {},
): pl.DataFrame {
  const available = Math.floor(probabilities.length / NUM_CLASSES);
  const rows = Math.min(options.rows ?? 5, available, labels.length);
  if (probabilities.length % NUM_CLASSES !== 0 || rows < 1) {
    throw new RangeError(
      `Cannot tabulate probabilities: found ${probabilities.length} values and ${labels.length} labels, expected ${NUM_CLASSES} values per labelled image`,
    );
  }
  const row = (index: number) =>
    probabilities.subarray(index * NUM_CLASSES, (index + 1) * NUM_CLASSES);
  const indices = Array.from({ length: rows }, (_, index) => index);
  const predicted = indices.map((index) => row(index).indexOf(Math.max(...row(index))));
  return pl.DataFrame([
    pl.Series("image", indices, pl.Int32),
    pl.Series("true", indices.map((index) => labels[index]), pl.Int32),
    pl.Series("predicted", predicted, pl.Int32),
    ...Array.from(
      { length: NUM_CLASSES },
      (_, k) => pl.Series(`p${k}`, indices.map((index) => row(index)[k]), pl.Float64),
    ),
  ]);
}

/**
 * Lists the gradients a backward pass left in a workspace, one row per
 * parameter array: `parameter` (W1, b1, W2, ...), `shape`, and `norm`, the
 * gradient's Euclidean length, which shows how strongly each array is pulled.
 *
 * @example
 * ```ts
 * backwardPass(network, workspace);
 * gradientTable(network, workspace);
 * ```
 */
export function gradientTable(network: ScratchMlp, workspace: Workspace): pl.DataFrame {
  if (workspace.gradients.length !== network.layers.length * 2) {
    throw new TypeError(
      `Cannot list gradients: the workspace holds ${workspace.gradients.length} gradient arrays, expected ${
        network.layers.length * 2
      } (make it with { withGradients: true })`,
    );
  }
  const names = network.layers.flatMap((_, l) => [`W${l + 1}`, `b${l + 1}`]);
  const shapes = network.layers.flatMap((layer) => [
    `[${layer.weights.rows}, ${layer.weights.cols}]`,
    `[${layer.biases.length}]`,
  ]);
  const norms = workspace.gradients.map((gradient) =>
    Math.sqrt(gradient.reduce((sum, g) => sum + g * g, 0))
  );
  return pl.DataFrame([
    pl.Series("parameter", names, pl.String),
    pl.Series("shape", shapes, pl.String),
    pl.Series("norm", norms, pl.Float64),
  ]);
}

const COUNT = new Intl.NumberFormat("en-US");

/**
 * Says in one sentence how many images each split holds.
 *
 * @example
 * ```ts
 * describeSplits(prepareData(await loadDataset(), { validationSplit: 0.1 }));
 * // "54,000 training, 6,000 validation and 10,000 test images"
 * ```
 */
export function describeSplits(data: PreparedData): string {
  const [train, validation, test] = [data.train, data.validation, data.test].map((set) =>
    COUNT.format(set.count)
  );
  return `${train} training, ${validation} validation and ${test} test images`;
}
