import assert from "node:assert/strict";
import { join } from "node:path";
import { formatSubmission, writeSubmission } from "../../lib/digits/submission.ts";

Deno.test("formatSubmission writes Kaggle's ImageId,Label, ImageId from 1", () => {
  assert.equal(formatSubmission([2, 0, 9]), "ImageId,Label\n1,2\n2,0\n3,9\n");
  assert.equal(formatSubmission(Uint8Array.of(7)), "ImageId,Label\n1,7\n");
});

Deno.test("formatSubmission refuses no predictions and values that are not digits", () => {
  assert.throws(() => formatSubmission([]), {
    name: "RangeError",
    message: "Cannot write a submission: found 0 predictions, expected at least one",
  });
  for (const [digits, bad] of [[[1, 10], "prediction 2 is 10"], [[1.5], "prediction 1 is 1.5"]]) {
    assert.throws(() => formatSubmission(digits as number[]), {
      name: "RangeError",
      message: `Cannot write a submission: ${bad}, expected a digit 0 to 9`,
    });
  }
});

Deno.test("writeSubmission writes the file, and names a missing folder or a folder in the file's place", async () => {
  const folder = await Deno.makeTempDir({ prefix: "submission_" });
  try {
    const path = join(folder, "submission.csv");
    await writeSubmission(path, [3, 1]);
    assert.equal(await Deno.readTextFile(path), "ImageId,Label\n1,3\n2,1\n");
    const missing = join(folder, "absent", "submission.csv");
    await assert.rejects(writeSubmission(missing, [3]), {
      name: "NotFound",
      message: `Cannot write submission ${missing}: folder ${
        join(folder, "absent")
      } not found, expected an existing folder`,
    });
    const inner = join(folder, "inner");
    await Deno.mkdir(inner);
    await assert.rejects(writeSubmission(inner, [3]), {
      name: "IsADirectory",
      message: `Cannot write submission ${inner}: it is a folder, expected a file name`,
    });
    const left = [...Deno.readDirSync(folder)].map((entry) => entry.name).sort();
    assert.deepEqual(left, ["inner", "submission.csv"]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
