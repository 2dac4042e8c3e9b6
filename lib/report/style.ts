/**
 * The report's stylesheet, inlined into `report.html` so that the page needs
 * no other file. System fonts only: nothing is downloaded.
 *
 * @module
 */

/**
 * CSS of the report: a readable column, tables with right-aligned numbers,
 * charts that shrink to the window.
 *
 * @example
 * ```ts
 * `<style>${REPORT_CSS}</style>`;
 * ```
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body {
  margin: 0 auto; padding: 2rem 1.5rem 4rem; max-width: 72rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1f2328; background: #fff;
}
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
.dataset { color: #57606a; margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; list-style: none; padding: 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .75rem; margin: 0; }
.facts div { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .75rem; }
.facts dt { font-size: .85rem; color: #57606a; }
.facts dd { margin: 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 1.5rem; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid #d0d7de; text-align: left; }
th { background: #f6f8fa; font-weight: 600; }
td.number { text-align: right; }
tbody tr:hover { background: #f6f8fa; }
.caption { color: #57606a; font-size: .9rem; margin: .4rem 0 0; }
`;
