import assert from "node:assert/strict";
import { scanByteCsv } from "../../lib/data/csv_scan.ts";

Deno.test("scanByteCsv reads whole numbers row after row, with or without a header", () => {
  for (
    const [text, hasHeader] of [["a,b,c\n7,0,255\n1,2,3\n", true], ["7,0,255\r\n1,2,3", false]]
  ) {
    const scanned = scanByteCsv(text as string, { columns: 3 });
    assert.deepEqual(scanned, { values: Uint8Array.of(7, 0, 255, 1, 2, 3), rows: 2, hasHeader });
  }
});

Deno.test("scanByteCsv gives up, for the careful reading to explain, on anything unusual", () => {
  const cases = [
    "", // no rows
    "a,b,c\n", // a header only
    "1,2,256\n", // a value above 255
    "1,2,-3\n", // a sign
    "1,2\n", // a short row
    "1,2,3,4\n", // a long row
    "1,2,3\n4,5\n", // a short last row
    "1,,3\n", // an empty cell
    "1,2,3\n\n4,5,6\n", // an empty line
    "1,2,x\n", // a letter
    "1, 2,3\n", // a space
    "1,2,3\r4,5,6\n", // a lone carriage return
  ];
  for (const text of cases) {
    assert.equal(scanByteCsv(text, { columns: 3 }), undefined, JSON.stringify(text));
  }
});
