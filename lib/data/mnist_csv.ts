/**
 * Parsing of MNIST in CSV form, as it is found in the wild: Colab's
 * `sample_data` (`mnist_train_small.csv`, `mnist_test.csv`) and the common
 * `mnist_train.csv` / `mnist_test.csv` pair (a label then 784 pixel values
 * 0-255 a row, no header), and Kaggle's Digit Recognizer (`train.csv` with a
 * `label,pixel0,...,pixel783` header; `test.csv` with `pixel0,...` only, no
 * labels). A header row is recognised by having no number in it, and is
 * never taken as a sample.
 *
 * A clean file is read by a plain scan of its characters (`csv_scan.ts`);
 * any other goes through polars, which names the bad row and column.
 *
 * @module
 */
import pl from "nodejs-polars";
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import { scanByteCsv } from "./csv_scan.ts";
import { looksLikeHtml } from "./idx.ts";
import type { DigitSet, UnlabelledDigits } from "./sets.ts";

/** Options naming where the text came from, for error messages. */
export interface ParseMnistCsvOptions {
  /** File name or other description of the text's origin. */
  source?: string;
}

/** Images without labels parsed from a CSV file, such as Kaggle's `test.csv`. */
export type UnlabelledCsvDigits = UnlabelledDigits & {
  /** Whether the file began with a header row (which is not among the images). */
  hasHeader: boolean;
};

/** Images and labels parsed from a CSV file. */
export type CsvDigits = DigitSet & {
  /** Whether the file began with a header row (which is not among the images). */
  hasHeader: boolean;
};

/**
 * The text without the blank lines an editor often leaves at the end of a
 * file, which are not rows; one final newline stays.
 */
function withoutTrailingBlankLines(text: string): string {
  // Walks back from the end only: a regular expression anchored at the end
  // would be tried at every newline of a file of tens of megabytes.
  let end = text.length;
  while (end > 0 && " \t\r\n".includes(text[end - 1])) end--;
  const lastLine = text.indexOf("\n", end);
  if (lastLine === -1 || text.indexOf("\n", lastLine + 1) === -1) return text;
  return `${text.slice(0, end)}\n`;
}

function readFrame(text: string, source: string): pl.DataFrame {
  if (text.trim() === "") {
    throw new SyntaxError(
      `Cannot read MNIST CSV ${source}: file is empty, expected rows of a label and ${IMAGE_PIXELS} pixels`,
    );
  }
  if (looksLikeHtml(new TextEncoder().encode(text.slice(0, 512)))) {
    throw new SyntaxError(
      `Cannot read MNIST CSV ${source}: it is an HTML page, expected rows of numbers; a web page was saved under the data file's name, so download the file itself (the page's download link)`,
    );
  }
  try {
    // Polars by default drops the extra fields of a long row and fills a
    // short one with nulls; both are malformed rows, so make them visible.
    return pl.readCSV(text, {
      hasHeader: false,
      inferSchemaLength: 0,
      truncateRaggedLines: false,
      missingIsNull: false,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    if (reason.includes("found more fields")) {
      throw new RangeError(
        `Cannot read MNIST CSV ${source}: a row has more columns than the first row, expected the same number in every row`,
      );
    }
    throw new SyntaxError(`Cannot read MNIST CSV ${source}: ${reason}`);
  }
}

/**
 * Drops a header row: a first row without a single whole number in it (a
 * data row with a bad cell still has hundreds of numbers, so it is kept and
 * its bad cell reported).
 */
function dropHeader(frame: pl.DataFrame): { frame: pl.DataFrame; hasHeader: boolean } {
  const first = frame.row(0) as unknown[];
  const hasHeader = first.every((cell) => !/^-?\d+$/.test(String(cell).trim()));
  return { frame: hasHeader ? frame.slice(1, frame.height - 1) : frame, hasHeader };
}

/** Finds the first cell of `frame` for which `isBad` holds, as [row, column]. */
function findCell(frame: pl.DataFrame, isBad: (series: pl.Series) => pl.Series): [number, number] {
  for (const [column, series] of frame.getColumns().entries()) {
    const row = isBad(series).toArray().indexOf(true);
    if (row >= 0) return [row, column];
  }
  return [-1, -1];
}

/** Casts every cell to a whole number, naming the first cell that is not one. */
function toIntegers(
  text: pl.DataFrame,
  where: { source: string; rowOffset: number },
): pl.DataFrame {
  const numbers = text.select(pl.all().cast(pl.Int32));
  const nulls = numbers.nullCount().row(0).reduce((sum: number, n: number) => sum + n, 0);
  if (nulls > 0) {
    const [row, column] = findCell(numbers, (series) => series.isNull());
    throw new SyntaxError(
      `Cannot read MNIST CSV ${where.source}: row ${row + 1 + where.rowOffset}, column ${
        column + 1
      } is "${text.getColumns()[column].get(row)}", expected a whole number`,
    );
  }
  return numbers;
}

/** Copies a column of whole numbers into bytes, naming the first value outside 0..max. */
function copyColumn(
  values: ArrayLike<number>,
  target: { bytes: Uint8Array; stride: number; offset: number },
  where: { column: number; max: number; source: string; rowOffset: number },
): void {
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (value < 0 || value > where.max) {
      throw new RangeError(
        `Cannot read MNIST CSV ${where.source}: row ${row + 1 + where.rowOffset}, column ${
          where.column + 1
        } is ${value}, expected 0 to ${where.max}`,
      );
    }
    target.bytes[row * target.stride + target.offset] = value;
  }
}

/** Reads the table, drops a header, and checks the column count. */
function readTable(text: string, source: string, labelled: boolean) {
  const { frame, hasHeader } = dropHeader(readFrame(text, source));
  const expected = labelled
    ? `${IMAGE_PIXELS + 1} (a label and ${IMAGE_PIXELS} pixels)`
    : `${IMAGE_PIXELS} (pixels only, as in Kaggle's test.csv)`;
  if (frame.width !== IMAGE_PIXELS + (labelled ? 1 : 0)) {
    const hint = labelled && frame.width === IMAGE_PIXELS
      ? "; a file without labels, such as Kaggle's test.csv, cannot be trained or tested on"
      : "";
    throw new RangeError(
      `Cannot read MNIST CSV ${source}: rows have ${frame.width} columns, expected ${expected}${hint}`,
    );
  }
  if (frame.height === 0) {
    throw new SyntaxError(
      `Cannot read MNIST CSV ${source}: it has a header but no rows, expected at least one image`,
    );
  }
  const where = { source, rowOffset: hasHeader ? 1 : 0 };
  return { numbers: toIntegers(frame, where), hasHeader, where };
}

/** Copies the pixel columns, from `first` on, into `count * 784` bytes. */
function copyPixels(
  numbers: pl.DataFrame,
  first: number,
  where: { source: string; rowOffset: number },
): Uint8Array {
  const pixels = new Uint8Array(numbers.height * IMAGE_PIXELS);
  numbers.getColumns().slice(first).forEach((series, k) => {
    copyColumn(series.toTypedArray() as Int32Array, {
      bytes: pixels,
      stride: IMAGE_PIXELS,
      offset: k,
    }, { ...where, column: first + k, max: 255 });
  });
  return pixels;
}

/**
 * Parses MNIST CSV text into pixels and labels: a label then 784 pixels a
 * row, with or without a header row (Kaggle's `train.csv` has one). Checks
 * the column count, that every value is a whole number, and their ranges;
 * rows in messages count the file's lines, header included.
 *
 * @example
 * ```ts
 * const digits = parseMnistCsv(await Deno.readTextFile("mnist_test.csv"));
 * digits.count; // 10000
 * ```
 */
export function parseMnistCsv(text: string, options: ParseMnistCsvOptions = {}): CsvDigits {
  text = withoutTrailingBlankLines(text);
  const scanned = scanByteCsv(text, { columns: IMAGE_PIXELS + 1 });
  if (scanned !== undefined) {
    const { values, rows, hasHeader } = scanned;
    const labels = new Uint8Array(rows);
    const pixels = new Uint8Array(rows * IMAGE_PIXELS);
    for (let row = 0; row < rows; row++) {
      labels[row] = values[row * (IMAGE_PIXELS + 1)];
      pixels.set(
        values.subarray(row * (IMAGE_PIXELS + 1) + 1, (row + 1) * (IMAGE_PIXELS + 1)),
        row * IMAGE_PIXELS,
      );
    }
    // A label above 9 is left to the reading below, which names its row.
    if (labels.every((label) => label < NUM_CLASSES)) {
      return { pixels, labels, count: rows, hasHeader };
    }
  }
  const { numbers, hasHeader, where } = readTable(text, options.source ?? "text", true);
  const labels = new Uint8Array(numbers.height);
  copyColumn(numbers.getColumns()[0].toTypedArray() as Int32Array, {
    bytes: labels,
    stride: 1,
    offset: 0,
  }, { ...where, column: 0, max: NUM_CLASSES - 1 });
  return { pixels: copyPixels(numbers, 1, where), labels, count: numbers.height, hasHeader };
}

/**
 * Parses CSV text of pixels without labels, 784 a row, with or without a
 * header row: Kaggle's Digit Recognizer `test.csv` (28,000 rows headed
 * `pixel0,...,pixel783`), the images a submission is made for.
 *
 * @example
 * ```ts
 * const images = parseUnlabelledCsv(await Deno.readTextFile("test.csv"), { source: "test.csv" });
 * images.count; // 28000
 * ```
 */
export function parseUnlabelledCsv(
  text: string,
  options: ParseMnistCsvOptions = {},
): UnlabelledCsvDigits {
  text = withoutTrailingBlankLines(text);
  const scanned = scanByteCsv(text, { columns: IMAGE_PIXELS });
  if (scanned !== undefined) {
    return { pixels: scanned.values, count: scanned.rows, hasHeader: scanned.hasHeader };
  }
  const { numbers, hasHeader, where } = readTable(text, options.source ?? "text", false);
  return { pixels: copyPixels(numbers, 0, where), count: numbers.height, hasHeader };
}

/**
 * Counts the columns of a CSV file's first line, to tell a labelled file
 * (785) from one of pixels only (784) before parsing it.
 *
 * @example
 * ```ts
 * countCsvColumns("label,pixel0,pixel1\n..."); // 3
 * ```
 */
export function countCsvColumns(text: string): number {
  const end = text.indexOf("\n");
  const line = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, "");
  return line.trim() === "" ? 0 : line.split(",").length;
}
