/**
 * HTML tables from nodejs-polars DataFrames or plain rows, for the
 * self-contained report: every value is escaped, numbers are formatted and
 * right-aligned.
 *
 * @module
 */

/** The part of a nodejs-polars `DataFrame` a table needs; any DataFrame fits. */
export interface TableLike {
  /** Column names in order. */
  readonly columns: string[];
  /** One object per row, keyed by column name. */
  toRecords(): Record<string, unknown>[];
}

/** A table: a DataFrame, or rows as objects (columns in the first row's key order). */
export type TableInput = TableLike | readonly Record<string, unknown>[];

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for use in HTML content and quoted attributes.
 *
 * @example
 * ```ts
 * escapeHtml('<b>"A&B"</b>'); // "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

const WHOLE = new Intl.NumberFormat("en-US");
const DECIMAL = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
/** Numbers below 0.001 (learning rates, say), which 4 decimals would show as 0 or merge. */
const SMALL = new Intl.NumberFormat("en-US", {
  notation: "scientific",
  maximumSignificantDigits: 3,
});

/**
 * Formats one cell: whole numbers with thousands separators, other numbers to
 * at most 4 decimals (below 0.001 in scientific notation with 3 significant
 * digits, as 3E-5), missing values as an empty cell.
 *
 * @example
 * ```ts
 * formatCell(235146); // "235,146"
 * formatCell(0.992912); // "0.9929"
 * ```
 */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value)) return WHOLE.format(value);
    return Math.abs(value) < 1e-3 ? SMALL.format(value) : DECIMAL.format(value);
  }
  if (typeof value === "bigint") return WHOLE.format(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Whether a value is a DataFrame (or anything else with columns and records). */
function isTableLike(table: TableInput): table is TableLike {
  return !Array.isArray(table) && typeof (table as TableLike).toRecords === "function";
}

/** Column names and rows of either kind of table. */
function tableContents(table: TableInput): { columns: string[]; rows: Record<string, unknown>[] } {
  if (isTableLike(table)) return { columns: [...table.columns], rows: table.toRecords() };
  if (!Array.isArray(table)) {
    throw new TypeError(
      `Cannot render a table: got ${typeof table}, expected a DataFrame or an array of rows`,
    );
  }
  return { columns: Object.keys(table[0] ?? {}), rows: [...table] };
}

/**
 * Renders a table as an HTML `<table>`, its header from the column names.
 *
 * @example
 * ```ts
 * renderHtmlTable([{ model: "MLP", accuracy: 0.9812 }]);
 * // "<table><thead><tr><th>model</th><th>accuracy</th></tr></thead><tbody>..."
 * ```
 */
export function renderHtmlTable(table: TableInput): string {
  const { columns, rows } = tableContents(table);
  if (columns.length === 0) return `<p class="empty">No rows.</p>`;
  const header = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("");
  const body = rows.map((row) => {
    const cells = columns.map((column) => {
      const value = row[column];
      const numeric = typeof value === "number" || typeof value === "bigint";
      return `<td${numeric ? ' class="number"' : ""}>${escapeHtml(formatCell(value))}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  });
  return `<table><thead><tr>${header}</tr></thead><tbody>${body.join("\n")}</tbody></table>`;
}
