import assert from "node:assert/strict";
import { join } from "node:path";
import { classBalanceChart } from "../../lib/charts/mod.ts";
import { writeCharts } from "../../lib/charts/files.ts";

const LABELS = new Uint8Array([0, 1, 1, 2, 3, 3, 3]);

Deno.test("writeCharts writes an SVG and a PNG per chart", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const target = join(directory, "charts");
    const paths = await writeCharts({
      balance: classBalanceChart(LABELS),
      other_one: classBalanceChart(LABELS),
    }, target);
    assert.deepEqual(
      paths,
      ["balance.svg", "balance.png", "other_one.svg", "other_one.png"].map((f) => join(target, f)),
    );
    assert.match(await Deno.readTextFile(paths[0]), /^<svg/);
    const png = await Deno.readFile(paths[1]);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("writeCharts refuses names that are not plain file names, before writing", async () => {
  await assert.rejects(
    () => writeCharts({ "../escape": classBalanceChart(LABELS) }, "never-created"),
    {
      name: "RangeError",
      message:
        'Cannot write chart "../escape": its name is not a plain file name, expected letters, digits, "_" and "-"',
    },
  );
  await assert.rejects(() => Deno.stat("never-created"), Deno.errors.NotFound);
});
