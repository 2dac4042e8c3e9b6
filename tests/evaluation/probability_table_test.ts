import assert from "node:assert/strict";
import { probabilityTable } from "../../lib/evaluation/mod.ts";

Deno.test("probabilityTable shows the first images with their predicted class", () => {
  const probabilities = new Float32Array(30).fill(0.05);
  probabilities[3] = 0.55; // image 0: class 3
  probabilities[10 + 7] = 0.55; // image 1: class 7
  probabilities[20 + 0] = 0.55; // image 2: class 0
  const table = probabilityTable(probabilities, Uint8Array.from([3, 1, 0]), { rows: 2 });
  assert.equal(table.height, 2);
  assert.deepEqual(table.columns.slice(0, 4), ["image", "true", "predicted", "p0"]);
  assert.deepEqual(table.getColumn("predicted").toArray(), [3, 7]);
  assert.ok(Math.abs((table.getColumn("p7").toArray()[1] as number) - 0.55) < 1e-6);
  assert.throws(() => probabilityTable(new Float32Array(15), Uint8Array.from([1])), {
    name: "RangeError",
    message:
      "Cannot tabulate probabilities: found 15 values and 1 labels, expected 10 values per labelled image",
  });
});
