/**
 * Writes charts as files: `<name>.svg` and `<name>.png` for each, the form
 * in which `--out` keeps them beside the report.
 *
 * @module
 */
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { renderSvg, svgToPng } from "./render.ts";

/** Options for writing chart files. */
export interface WriteChartsOptions {
  /** Pixels per chart unit of the PNGs; default 2. */
  scale?: number;
}

/** Chart names become file names, so they are kept to a portable alphabet. */
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * Renders each chart once to SVG, rasterises that SVG to PNG, and writes both
 * into `directory` (created if missing). Returns the paths written, SVG then
 * PNG for each chart in order.
 *
 * @example
 * ```ts
 * const paths = await writeCharts({ training_curves: trainingCurvesChart(results) }, "out/charts");
 * // ["out/charts/training_curves.svg", "out/charts/training_curves.png"]
 * ```
 */
export async function writeCharts(
  charts: Readonly<Record<string, TopLevelSpec>>,
  directory: string,
  options: WriteChartsOptions = {},
): Promise<string[]> {
  for (const name of Object.keys(charts)) {
    if (!CHART_NAME.test(name)) {
      throw new RangeError(
        `Cannot write chart "${name}": its name is not a plain file name, expected letters, digits, "_" and "-"`,
      );
    }
  }
  await Deno.mkdir(directory, { recursive: true });
  const paths: string[] = [];
  for (const [name, spec] of Object.entries(charts)) {
    const svg = await renderSvg(spec);
    const svgPath = join(directory, `${name}.svg`);
    const pngPath = join(directory, `${name}.png`);
    await Deno.writeTextFile(svgPath, svg);
    await Deno.writeFile(pngPath, await svgToPng(svg, { scale: options.scale ?? 2 }));
    paths.push(svgPath, pngPath);
  }
  return paths;
}
