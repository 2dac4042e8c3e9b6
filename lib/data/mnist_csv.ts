/**
 * Parsing of the CSV form of MNIST that Colab ships in `sample_data`
 * (`mnist_train_small.csv`, `mnist_test.csv`): one image a row, the label
 * then 784 pixel values 0-255, no header.
 *
 * @module
 */
import pl from "nodejs-polars";
import { IMAGE_PIXELS, NUM_CLASSES } from "../config.ts";
import type { DigitSet } from "./sets.ts";

/** Options naming where the text came from, for error messages. */
export interface ParseMnistCsvOptions {
  /** File name or other description of the text's origin. */
  source?: string;
}

function readFrame(text: string, source: string): pl.DataFrame {
  if (text.trim() === "") {
    throw new SyntaxError(
      `Cannot read MNIST CSV ${source}: file is empty, expected rows of a label and ${IMAGE_PIXELS} pixels`,
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
        `Cannot read MNIST CSV ${source}: a row has more columns than the first row, expected ${
          IMAGE_PIXELS + 1
        } in every row`,
      );
    }
    throw new SyntaxError(`Cannot read MNIST CSV ${source}: ${reason}`);
  }
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
function toIntegers(text: pl.DataFrame, source: string): pl.DataFrame {
  const numbers = text.select(pl.all().cast(pl.Int32));
  const nulls = numbers.nullCount().row(0).reduce((sum: number, n: number) => sum + n, 0);
  if (nulls > 0) {
    const [row, column] = findCell(numbers, (series) => series.isNull());
    throw new SyntaxError(
      `Cannot read MNIST CSV ${source}: row ${row + 1}, column ${column + 1} is "${
        text.getColumns()[column].get(row)
      }", expected a whole number`,
    );
  }
  return numbers;
}

/** Copies a column of whole numbers into bytes, naming the first value outside 0..max. */
function copyColumn(
  values: ArrayLike<number>,
  target: { bytes: Uint8Array; stride: number; offset: number },
  where: { column: number; max: number; source: string },
): void {
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    if (value < 0 || value > where.max) {
      throw new RangeError(
        `Cannot read MNIST CSV ${where.source}: row ${row + 1}, column ${
          where.column + 1
        } is ${value}, expected 0 to ${where.max}`,
      );
    }
    target.bytes[row * target.stride + target.offset] = value;
  }
}

/**
 * Parses MNIST CSV text into pixels and labels, checking the column count,
 * that every value is a whole number, and their ranges.
 *
 * @example
 * ```ts
 * const digits = parseMnistCsv(await Deno.readTextFile("mnist_test.csv"));
 * digits.count; // 10000
 * ```
 */
export function parseMnistCsv(text: string, options: ParseMnistCsvOptions = {}): DigitSet {
  const source = options.source ?? "text";
  const frame = readFrame(text, source);
  if (frame.width !== IMAGE_PIXELS + 1) {
    throw new RangeError(
      `Cannot read MNIST CSV ${source}: rows have ${frame.width} columns, expected ${
        IMAGE_PIXELS + 1
      } (a label and ${IMAGE_PIXELS} pixels)`,
    );
  }
  const numbers = toIntegers(frame, source);
  const count = numbers.height;
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * IMAGE_PIXELS);
  numbers.getColumns().forEach((series, column) => {
    const values = series.toTypedArray() as Int32Array;
    if (column === 0) {
      copyColumn(values, { bytes: labels, stride: 1, offset: 0 }, {
        column,
        max: NUM_CLASSES - 1,
        source,
      });
    } else {
      copyColumn(values, { bytes: pixels, stride: IMAGE_PIXELS, offset: column - 1 }, {
        column,
        max: 255,
        source,
      });
    }
  });
  return { pixels, labels, count };
}
