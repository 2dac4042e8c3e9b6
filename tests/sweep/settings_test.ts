import assert from "node:assert/strict";
import { parseSweepAxis } from "../../lib/sweep/mod.ts";

Deno.test("a grid dimension is a key and its values; a range is low..high", () => {
  assert.deepEqual(parseSweepAxis("learningRate=3e-4,1e-3, 3e-3"), {
    key: "learningRate",
    values: [3e-4, 1e-3, 3e-3],
  });
  assert.deepEqual(parseSweepAxis("batchSize=16..256"), { key: "batchSize", range: [16, 256] });
});

Deno.test("bad grids name the key, the value found and what was expected", () => {
  assert.throws(
    () => parseSweepAxis("dropout=0.1"),
    new RangeError(
      'Cannot read grid "dropout=0.1": unknown key "dropout", expected one of learningRate, batchSize, epochs, dropoutRate, optimizer, augment',
    ),
  );
  assert.throws(() => parseSweepAxis("batchSize="), /the list of batchSize is empty/);
  assert.throws(() => parseSweepAxis("batchSize=,"), RangeError);
  assert.throws(
    () => parseSweepAxis("batchSize=32,6.5"),
    new TypeError('Cannot read batchSize: found "6.5", expected a whole number above 0'),
  );
  assert.throws(() => parseSweepAxis("learningRate=fast"), TypeError);
  assert.throws(() => parseSweepAxis("learningRate=1..0.1"), /1 is above 0.1/);
});
