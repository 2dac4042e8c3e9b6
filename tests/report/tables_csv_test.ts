import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { compareModels } from "../../lib/evaluation/comparison.ts";
import {
  agreement,
  mostConfusedPairs,
  perClassErrors,
} from "../../lib/evaluation/error_analysis.ts";
import { classificationReport } from "../../lib/evaluation/mod.ts";
import { writeTablesCsv } from "../../lib/report/tables_csv.ts";
import { createResult } from "../fixtures/model_results.ts";

const LABELS = Uint8Array.of(0, 0, 1, 1, 2);
const MLP = createResult("mlp", [0, 1, 1, 1, 2]);
const CNN = createResult("cnn", [0, 0, 1, 2, 2], {
  fields: { history: { loss: [0.2], accuracy: [0.9], valLoss: [], valAccuracy: [] } },
});

Deno.test("writeTablesCsv writes each table and polars reads the same values back", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const tables = {
      comparison: compareModels([MLP, CNN]),
      most_confused_mlp: mostConfusedPairs(MLP, LABELS),
      report_mlp: classificationReport(LABELS, [0, 1, 1, 1, 2]),
      per_class_errors: perClassErrors([MLP, CNN], LABELS),
      agreement: agreement([MLP, CNN], LABELS),
    };
    const target = join(directory, "tables");
    const paths = await writeTablesCsv(tables, target);
    assert.deepEqual(paths, Object.keys(tables).map((name) => join(target, `${name}.csv`)));
    for (const [name, table] of Object.entries(tables)) {
      const back = pl.readCSV(join(target, `${name}.csv`));
      assert.deepEqual(back.columns, table.columns, name);
      assert.deepEqual(back.toRecords(), table.toRecords(), name);
    }
    const text = await Deno.readTextFile(join(target, "agreement.csv"));
    assert.equal(text.split("\n")[0], "outcome,mlpRight,cnnRight,count,share");
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("writeTablesCsv rejects unsafe names and non-tables before writing anything", async () => {
  const directory = await Deno.makeTempDir();
  try {
    const good = compareModels([MLP]);
    await assert.rejects(writeTablesCsv({ good, "../escape": good }, directory), {
      name: "RangeError",
      message:
        'Cannot write table CSV: name "../escape" is not a plain file name, expected letters, digits, "_" or "-"',
    });
    const notTable = [1, 2] as unknown as pl.DataFrame;
    await assert.rejects(writeTablesCsv({ good, list: notTable }, directory), {
      name: "TypeError",
      message: 'Cannot write table CSV: "list" is object, expected a polars DataFrame',
    });
    assert.deepEqual([...Deno.readDirSync(directory)], []);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
