/**
 * The self-contained HTML report: one file with inline CSS and charts as
 * inline SVG, no scripts, fonts or images fetched, so it opens offline in any
 * browser. What goes in it (which tables, which charts) is the caller's
 * choice; this module only lays it out.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { escapeHtml, renderHtmlTable, type TableInput } from "./html_table.ts";
import { renderSvg } from "../charts/mod.ts";
import type { ReportFact } from "./notes.ts";
import { REPORT_CSS } from "./style.ts";

export type { ReportFact } from "./notes.ts";

/** A table of the report, from a nodejs-polars DataFrame or rows. */
export interface ReportTable {
  /** Heading above the table. */
  title: string;
  /** The data. */
  table: TableInput;
  /** A sentence under the table. */
  caption?: string;
}

/** A chart of the report. */
export interface ReportChart {
  /** Heading above the chart. */
  title: string;
  /** The Vega-Lite spec, rendered to inline SVG. */
  spec: TopLevelSpec;
  /** A sentence under the chart. */
  caption?: string;
}

/** One section: a heading, a paragraph, then its tables and charts. */
export interface ReportSection {
  /** Section heading. */
  title: string;
  /** A paragraph under the heading. */
  text?: string;
  /** Tables, in order. */
  tables?: readonly ReportTable[];
  /** Charts, in order, after the tables. */
  charts?: readonly ReportChart[];
}

/** Everything the report shows. */
export interface ReportInput {
  /** Page title and main heading. */
  title: string;
  /** Which data the results come from, in a sentence. */
  dataset: string;
  /** Headline figures shown first. */
  summary?: readonly ReportFact[];
  /** The body of the report. */
  sections: readonly ReportSection[];
  /** Closing paragraphs, such as caveats. */
  notes?: readonly string[];
  /** When the results were produced; omitted, the report carries no date and is reproducible. */
  generatedAt?: Date;
}

/**
 * Gives the ids inside one SVG a prefix. Vega numbers its clip paths from 1
 * in every SVG, and duplicate ids in one page make browsers clip a chart
 * with another chart's clip path.
 */
function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/(\s)id="([^"]+)"/g, `$1id="${prefix}$2"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`);
}

/** Heading, table and caption of one table. */
function tableHtml(table: ReportTable): string {
  const caption = table.caption ? `<p class="caption">${escapeHtml(table.caption)}</p>` : "";
  return `<figure class="table"><h3>${escapeHtml(table.title)}</h3>${
    renderHtmlTable(table.table)
  }${caption}</figure>`;
}

/** Heading, inline SVG and caption of one chart; `id` keeps its SVG ids apart from other charts'. */
async function chartHtml(chart: ReportChart, id: string): Promise<string> {
  const svg = scopeSvgIds(await renderSvg(chart.spec), `${id}-`);
  const caption = chart.caption ? `<p class="caption">${escapeHtml(chart.caption)}</p>` : "";
  return `<figure class="chart" id="${id}"><h3>${
    escapeHtml(chart.title)
  }</h3>${svg}${caption}</figure>`;
}

/** One section: heading, paragraph, tables, then charts. */
async function sectionHtml(section: ReportSection, number: number): Promise<string> {
  const parts = [`<h2>${escapeHtml(section.title)}</h2>`];
  if (section.text) parts.push(`<p>${escapeHtml(section.text)}</p>`);
  parts.push(...(section.tables ?? []).map(tableHtml));
  for (const [index, chart] of (section.charts ?? []).entries()) {
    parts.push(await chartHtml(chart, `section-${number}-chart-${index + 1}`));
  }
  return `<section id="section-${number}">${parts.join("\n")}</section>`;
}

/** The list of sections, linked to them. */
function contentsHtml(sections: readonly ReportSection[]): string {
  if (sections.length === 0) return "";
  const items = sections.map((section, index) =>
    `<li><a href="#section-${index + 1}">${escapeHtml(section.title)}</a></li>`
  );
  return `<nav><ol>${items.join("")}</ol></nav>`;
}

/** The summary figures as a definition list. */
function summaryHtml(facts: readonly ReportFact[]): string {
  if (facts.length === 0) return "";
  const items = facts.map((fact) =>
    `<div><dt>${escapeHtml(fact.label)}</dt><dd>${escapeHtml(fact.value)}</dd></div>`
  );
  return `<section id="summary"><h2>Summary</h2><dl class="facts">${items.join("")}</dl></section>`;
}

/** The closing notes, blank ones left out. */
function notesHtml(notes: readonly string[]): string {
  const paragraphs = notes.filter((note) => note.trim() !== "").map((note) =>
    `<p>${escapeHtml(note)}</p>`
  );
  return paragraphs.length > 0
    ? `<section id="notes"><h2>Notes</h2>${paragraphs.join("")}</section>`
    : "";
}

/** Throws unless the input has a title, a data set and a list of sections. */
function checkInput(input: ReportInput): void {
  for (const key of ["title", "dataset"] as const) {
    if (typeof input[key] !== "string" || input[key].trim() === "") {
      const found = JSON.stringify(input[key]);
      throw new TypeError(
        `Cannot build the report: ${key} is ${found}, expected a non-empty string`,
      );
    }
  }
  if (!Array.isArray(input.sections)) {
    throw new TypeError(
      `Cannot build the report: sections is ${typeof input.sections}, expected an array`,
    );
  }
}

/**
 * Builds the report as one HTML document.
 *
 * @example
 * ```ts
 * const html = await buildReport({
 *   title: "MNIST: MLP vs CNN",
 *   dataset: "MNIST, 60,000 training and 10,000 test images",
 *   summary: resultFacts(results),
 *   sections: [{ title: "Comparison", tables: [{ title: "Models", table: comparison }] }],
 *   notes: [parameterParityNote(results) ?? ""],
 * });
 * await Deno.writeTextFile("report.html", html);
 * ```
 */
export async function buildReport(input: ReportInput): Promise<string> {
  checkInput(input);
  const sections: string[] = [];
  for (const [index, section] of input.sections.entries()) {
    sections.push(await sectionHtml(section, index + 1));
  }
  const generated = input.generatedAt
    ? ` Generated ${escapeHtml(input.generatedAt.toISOString())}.`
    : "";
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${title}</h1><p class="dataset">${escapeHtml(input.dataset)}${generated}</p></header>
${contentsHtml(input.sections)}
${summaryHtml(input.summary ?? [])}
${sections.join("\n")}
${notesHtml(input.notes ?? [])}
</body>
</html>
`;
}
