/**
 * Writing evaluation tables to disk as CSV, one file per table.
 *
 * @module
 */
import pl from "nodejs-polars";
import { join } from "node:path";

/** A table name that is safe as a file name on every system: no separators, no dots. */
const TABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Writes each table to `<directory>/<name>.csv` with polars' CSV writer
 * (header row, comma separator, nulls as empty fields), creating the
 * directory if needed, and returns the paths written in the order given.
 * All names are checked before anything is written.
 *
 * @throws {RangeError} if a name is not letters, digits, `_` and `-`.
 * @throws {TypeError} if a value is not a polars DataFrame.
 *
 * @example
 * ```ts
 * await writeTablesCsv({ comparison: compareModels(results) }, "out/tables");
 * // ["out/tables/comparison.csv"]
 * ```
 */
export async function writeTablesCsv(
  tables: Record<string, pl.DataFrame>,
  directory: string,
): Promise<string[]> {
  const entries = Object.entries(tables);
  for (const [name, table] of entries) {
    if (!TABLE_NAME.test(name)) {
      throw new RangeError(
        `Cannot write table CSV: name "${name}" is not a plain file name, expected letters, digits, "_" or "-"`,
      );
    }
    if (!pl.DataFrame.isDataFrame(table)) {
      throw new TypeError(
        `Cannot write table CSV: "${name}" is ${typeof table}, expected a polars DataFrame`,
      );
    }
  }
  await Deno.mkdir(directory, { recursive: true });
  return entries.map(([name, table]) => {
    const path = join(directory, `${name}.csv`);
    table.writeCSV(path);
    return path;
  });
}
