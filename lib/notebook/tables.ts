/**
 * Tables as a notebook shows them: decimals rounded for reading.
 *
 * @module
 */
import pl from "nodejs-polars";

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
