import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { escapeHtml, formatCell, renderHtmlTable } from "../../lib/report/html_table.ts";

Deno.test("escapeHtml escapes markup and quotes", () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});

Deno.test("formatCell groups whole numbers and rounds others to 4 decimals", () => {
  assert.equal(formatCell(235146), "235,146");
  assert.equal(formatCell(0.99291234), "0.9929");
  // Learning rates below 0.001 keep their digits instead of rounding to 0.
  assert.equal(formatCell(3e-5), "3E-5");
  assert.equal(formatCell(-1.234e-7), "-1.23E-7");
  assert.equal(formatCell(0.001), "0.001");
  assert.equal(formatCell(12n), "12");
  assert.equal(formatCell(null), "");
  assert.equal(formatCell(Number.NaN), "NaN");
  assert.equal(formatCell("cnn"), "cnn");
});

Deno.test("a DataFrame and the same rows render to the same table", () => {
  const rows = [{ model: "MLP", params: 235146, accuracy: 0.98123 }, {
    model: "<CNN>",
    params: 225034,
    accuracy: 0.9929,
  }];
  const fromRows = renderHtmlTable(rows);
  assert.equal(renderHtmlTable(pl.DataFrame(rows)), fromRows);
  assert.match(fromRows, /<th>model<\/th><th>params<\/th><th>accuracy<\/th>/);
  assert.match(
    fromRows,
    /<td>&lt;CNN&gt;<\/td><td class="number">225,034<\/td><td class="number">0.9929<\/td>/,
  );
  assert.equal(renderHtmlTable([]), `<p class="empty">No rows.</p>`);
});

Deno.test("renderHtmlTable rejects what is not a table", () => {
  assert.throws(() => renderHtmlTable("rows" as never), {
    name: "TypeError",
    message: "Cannot render a table: got string, expected a DataFrame or an array of rows",
  });
});
