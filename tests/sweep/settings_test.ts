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
      'Cannot read grid "dropout=0.1": unknown key "dropout", expected one of learningRate, batchSize, epochs, dropoutRate, optimizer, augment, learningRateSchedule',
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

Deno.test("categorical keys take lists of their choices; dropoutRate takes 0 up to 1", () => {
  assert.deepEqual(parseSweepAxis("optimizer=adam,sgd"), {
    key: "optimizer",
    values: ["adam", "sgd"],
  });
  assert.deepEqual(parseSweepAxis("augment=none,strong"), {
    key: "augment",
    values: ["none", "strong"],
  });
  assert.deepEqual(parseSweepAxis("learningRateSchedule=constant,cosine"), {
    key: "learningRateSchedule",
    values: ["constant", "cosine"],
  });
  assert.throws(
    () => parseSweepAxis("learningRateSchedule=cosine,step"),
    new TypeError(
      'Cannot read learningRateSchedule: found "step", expected one of constant, cosine',
    ),
  );
  assert.deepEqual(parseSweepAxis("dropoutRate=0,0.5"), { key: "dropoutRate", values: [0, 0.5] });
  assert.deepEqual(parseSweepAxis("dropoutRate=0..0.6"), { key: "dropoutRate", range: [0, 0.6] });
  assert.throws(
    () => parseSweepAxis("optimizer=adam,rmsprop"),
    new TypeError('Cannot read optimizer: found "rmsprop", expected one of adam, sgd'),
  );
  assert.throws(
    () => parseSweepAxis("augment=none..strong"),
    new TypeError(
      'Cannot read range "augment=none..strong": augment is a choice, expected a list such as augment=none,light,standard,strong',
    ),
  );
  assert.throws(
    () => parseSweepAxis("dropoutRate=0.2,1"),
    new TypeError(
      'Cannot read dropoutRate: found "1", expected a number from 0 up to 1, exclusive',
    ),
  );
  assert.throws(
    () => parseSweepAxis("learningRate=0"),
    new TypeError('Cannot read learningRate: found "0", expected a number above 0'),
  );
});
