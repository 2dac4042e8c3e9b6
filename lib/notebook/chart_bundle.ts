/**
 * MIME bundles for showing charts and digits in Jupyter: the caller passes
 * them to `Deno.jupyter.display(bundle, { raw: true })` (library code does
 * not touch `Deno.jupyter`, so it also runs outside a kernel).
 *
 * @module
 */
import { Buffer } from "node:buffer";
import type { TopLevelSpec } from "vega-lite";
import { encodeDigitPng, renderPng } from "../charts/mod.ts";

/** The schema JupyterLab's `application/vnd.vegalite.v5+json` renderer expects. */
export const VEGA_LITE_V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A chart as Jupyter takes it: Vega-Lite for live front ends, PNG for the rest. */
export interface ChartBundle {
  /** The Vega-Lite spec, data inlined, declaring the v5 schema. */
  "application/vnd.vegalite.v5+json": { $schema: string; [key: string]: unknown };
  /** The chart rendered to PNG, base64. */
  "image/png": string;
  /** The chart's title, for consoles that show only text. */
  "text/plain": string;
  [mime: string]: unknown;
}

/** Options for a chart bundle. */
export interface ChartBundleOptions {
  /** Pixels per chart unit of the PNG fallback; default 1, which keeps notebooks small (it is only the fallback). */
  scale?: number;
}

/** Options for a digit bundle. */
export interface DigitBundleOptions {
  /** Each pixel becomes a `scale` x `scale` block; default 4 (a 112x112 image). */
  scale?: number;
  /** Text shown by consoles that cannot show images; default "digit". */
  caption?: string;
}

/** The text of a spec's title, whichever form the title takes. */
function titleText(spec: TopLevelSpec): string {
  const title = (spec as { title?: unknown }).title;
  const text = typeof title === "object" && title !== null
    ? (title as { text?: unknown }).text
    : title;
  if (Array.isArray(text)) return text.join(" ");
  return typeof text === "string" && text !== "" ? text : "Vega-Lite chart";
}

/**
 * Builds the bundle that shows a chart in Jupyter: interactive in JupyterLab
 * and VS Code, a PNG in classic Notebook and on GitHub.
 *
 * The specs are compiled here with Vega-Lite 6 but use only features
 * Vega-Lite 5 has. Front ends render `application/vnd.vegalite.v5+json` with
 * their bundled Vega-Lite 5, which warns about (or refuses) a v6 `$schema`,
 * so the bundle declares the v5 schema.
 *
 * @example
 * ```ts
 * const bundle = await chartBundle(trainingCurvesChart([mlpResult, cnnResult]));
 * await Deno.jupyter.display(bundle, { raw: true });
 * ```
 */
export async function chartBundle(
  spec: TopLevelSpec,
  options: ChartBundleOptions = {},
): Promise<ChartBundle> {
  const png = await renderPng(spec, { scale: options.scale ?? 1 });
  return {
    "application/vnd.vegalite.v5+json": { ...spec, $schema: VEGA_LITE_V5_SCHEMA },
    "image/png": Buffer.from(png).toString("base64"),
    "text/plain": titleText(spec),
  };
}

/**
 * Builds the bundle that shows one digit (784 pixels in [0, 1]) as an image.
 *
 * @example
 * ```ts
 * await Deno.jupyter.display(digitImageBundle(digitPixels(testImages, 0)), { raw: true });
 * ```
 */
export function digitImageBundle(
  pixels: Float32Array,
  options: DigitBundleOptions = {},
): { "image/png": string; "text/plain": string } {
  const png = encodeDigitPng(pixels, { scale: options.scale ?? 4 });
  return {
    "image/png": Buffer.from(png).toString("base64"),
    "text/plain": options.caption ?? "digit",
  };
}
