import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { roundFloats } from "../../lib/notebook/mod.ts";

Deno.test("roundFloats rounds float32 and float64 columns and leaves the others", () => {
  const table = pl.DataFrame([
    pl.Series("name", ["a", "b"]),
    pl.Series("f32", [0.512345, 0.25], pl.Float32),
    pl.Series("f64", [1.23456789, null], pl.Float64),
    pl.Series("count", [7, 8], pl.Int32),
  ]);
  const rounded = roundFloats(table, { digits: 3 });
  assert.deepEqual(rounded.toRecords(), [
    { name: "a", f32: 0.512, f64: 1.235, count: 7 },
    { name: "b", f32: 0.25, f64: null, count: 8 },
  ]);
  assert.throws(() => roundFloats(table, { digits: -1 }), {
    name: "RangeError",
    message: "Cannot round a table: digits is -1, expected an integer from 0 to 15",
  });
});
