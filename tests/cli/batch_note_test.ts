import assert from "node:assert/strict";
import { batchNote } from "../../lib/cli/batch_note.ts";

Deno.test("batchNote speaks only when the batch is larger than the training set", () => {
  assert.equal(
    batchNote(100000, 1800),
    "the batch of 100000 is larger than the 1800 training images, so each epoch is one step on all of them",
  );
  assert.equal(batchNote(1800, 1800), undefined);
  assert.equal(batchNote(64, 54000), undefined);
});
