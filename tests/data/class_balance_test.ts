import assert from "node:assert/strict";
import { classBalance } from "../../lib/data/mod.ts";

Deno.test("classBalance counts each class per split with its share", () => {
  const train = Uint8Array.from([0, 1, 1, 9, 9, 9]);
  const test = Uint8Array.from([1, 9]);
  const table = classBalance({ train, test });
  assert.deepEqual(table.columns, ["class", "train", "trainShare", "test", "testShare"]);
  const rows = table.toRecords();
  assert.equal(rows.length, 10);
  assert.deepEqual(rows[1], { class: "1", train: 2, trainShare: 2 / 6, test: 1, testShare: 0.5 });
  assert.deepEqual(rows[5], { class: "5", train: 0, trainShare: 0, test: 0, testShare: 0 });
  assert.equal(rows[9].train, 3);
});

Deno.test("classBalance rejects a label out of range and a wrong number of names", () => {
  assert.throws(() => classBalance({ test: Uint8Array.from([3, 12]) }), {
    name: "RangeError",
    message: "Cannot count classes: label 1 of the test split is 12, expected 0 to 9",
  });
  assert.throws(() => classBalance({ test: Uint8Array.from([3]) }, { classNames: ["a"] }), {
    name: "RangeError",
    message: "Cannot count classes: found 1 class names, expected 10",
  });
});
