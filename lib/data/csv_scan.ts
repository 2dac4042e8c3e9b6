/**
 * A fast reading of the usual MNIST CSV file: whole numbers 0 to 255
 * separated by commas, the same count on every line, perhaps under a header.
 *
 * Why not polars alone: reading Kaggle's 28,000-row `test.csv` took polars
 * 10 s on two cores (every cell read as text, then cast, so that a bad cell
 * can be named), where this scan of the characters takes well under one.
 * The scan gives up on anything it does not expect, and the caller then
 * reads the file with polars, whose messages name the row and column.
 *
 * @module
 */

/** What {@link scanByteCsv} read: `rows * columns` values, row after row. */
export interface ScannedCsv {
  /** The values, each 0 to 255, row-major: row r, column c at `r * columns + c`. */
  values: Uint8Array;
  /** Rows read, the header not counted. */
  rows: number;
  /** Whether the first line was a header (no whole number in it) and was skipped. */
  hasHeader: boolean;
}

/** Options of {@link scanByteCsv}. */
export interface ScanByteCsvOptions {
  /** The number of values every row must have (785 for a label and 784 pixels). */
  columns: number;
}

const COMMA = 44;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const ZERO = 48;
const NINE = 57;

/** Where the first line ends, and whether it is a header (the rule of `parseMnistCsv`). */
function readFirstLine(text: string): { end: number; hasHeader: boolean } {
  const newline = text.indexOf("\n");
  const end = newline < 0 ? text.length : newline;
  const cells = text.slice(0, end).replace(/\r$/, "").split(",");
  return { end, hasHeader: cells.every((cell) => !/^-?\d+$/.test(cell.trim())) };
}

function countLines(text: string, from: number): number {
  let lines = 1;
  for (let i = text.indexOf("\n", from); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * Reads CSV text of whole numbers 0 to 255, `columns` to a row, with or
 * without a header line, lines ending in LF or CRLF. Returns undefined,
 * rather than throwing, for anything else: an empty cell or line, another
 * character, a value above 255, a row of another length, no rows. The
 * caller then reads the text the slow way, which explains the problem.
 *
 * @example
 * ```ts
 * scanByteCsv("label,a,b\n7,0,255\n", { columns: 3 });
 * // { values: Uint8Array [7, 0, 255], rows: 1, hasHeader: true }
 * ```
 */
export function scanByteCsv(text: string, options: ScanByteCsvOptions): ScannedCsv | undefined {
  const { columns } = options;
  const first = readFirstLine(text);
  const start = first.hasHeader ? first.end + 1 : 0;
  const values = new Uint8Array(countLines(text, start) * columns);
  let rows = 0, column = 0, value = 0, digits = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      value = value * 10 + code - ZERO;
      digits++;
      if (value > 255) return undefined;
      continue;
    }
    const endOfRow = code === LINE_FEED ||
      (code === CARRIAGE_RETURN && text.charCodeAt(++i) === LINE_FEED);
    if ((code !== COMMA && !endOfRow) || digits === 0 || column >= columns) return undefined;
    values[rows * columns + column] = value;
    value = 0;
    digits = 0;
    column++;
    if (endOfRow) {
      if (column !== columns) return undefined;
      rows++;
      column = 0;
    }
  }
  if (digits > 0) {
    if (column !== columns - 1) return undefined;
    values[rows * columns + column] = value;
    rows++;
  } else if (column > 0) {
    return undefined;
  }
  if (rows === 0) return undefined;
  return { values: values.subarray(0, rows * columns), rows, hasHeader: first.hasHeader };
}
