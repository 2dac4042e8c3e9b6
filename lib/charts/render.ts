/**
 * Headless rendering of Vega-Lite specs: to SVG with Vega's scenegraph (no
 * browser, no canvas), and from SVG to PNG with resvg compiled to wasm.
 *
 * The PNG step draws text with DejaVu Sans from the `dejavu-fonts-ttf`
 * package, so it looks the same on every machine and needs no system fonts.
 *
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Options for rendering a spec to SVG. */
export interface RenderSvgOptions {
  /** Receives Vega-Lite's and Vega's warnings; by default they are dropped, as library code never prints. */
  onWarning?: (message: string) => void;
}

/** Options for rendering to PNG. */
export interface RenderPngOptions extends RenderSvgOptions {
  /** Pixels per SVG unit, from 0.25 to 8; default 2, sharp on high-density screens. */
  scale?: number;
}

/** The fonts the PNG renderer loads: Vega draws titles bold and the rest regular. */
const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];

/** A logger in the shape both Vega-Lite and Vega accept, passing warnings on. */
function warningLogger(onWarning: (message: string) => void): vega.LoggerInterface {
  const logger: vega.LoggerInterface = {
    level: ((..._level: number[]) => (_level.length ? logger : vega.Warn)) as vega.LoggerInterface[
      "level"
    ],
    error: (...args: readonly unknown[]) => {
      throw new Error(args.map(String).join(" "));
    },
    warn: (...args: readonly unknown[]) => (onWarning(args.map(String).join(" ")), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG document.
 *
 * @example
 * ```ts
 * const svg = await renderSvg(trainingCurvesChart([mlpResult]));
 * svg.startsWith("<svg"); // true
 * ```
 */
export async function renderSvg(
  spec: TopLevelSpec,
  options: RenderSvgOptions = {},
): Promise<string> {
  const logger = warningLogger(options.onWarning ?? (() => {}));
  let compiled: vega.Spec;
  try {
    // Vega tags inline data rows with ids as it ingests them; a copy keeps the caller's spec untouched.
    compiled = compile(structuredClone(spec), { logger }).spec;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(
      `Cannot render a chart: Vega-Lite rejects its spec (${reason}), expected a valid Vega-Lite spec`,
      {
        cause: error,
      },
    );
  }
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Where an npm package's file lies on disk, through the import map. */
function packageFile(specifier: string): URL {
  const url = new URL(import.meta.resolve(specifier));
  if (url.protocol !== "file:") {
    throw new Error(
      `Cannot find ${specifier} on disk: it resolves to ${url.href}, expected a file under node_modules ("nodeModulesDir" in deno.json)`,
    );
  }
  return url;
}

// resvg's wasm module can be initialised once per process only, so the
// initialisation (and the font files read with it) is shared by all calls.
let resvgFonts: Promise<Uint8Array[]> | undefined;

/** Initialises resvg once and returns the font files, retrying after a failure. */
function loadResvg(): Promise<Uint8Array[]> {
  resvgFonts ??= (async () => {
    await initWasm(await Deno.readFile(packageFile("@resvg/resvg-wasm/index_bg.wasm")));
    return await Promise.all(
      FONT_FILES.map((name) => Deno.readFile(packageFile(`dejavu-fonts-ttf/ttf/${name}`))),
    );
  })().catch((error) => {
    resvgFonts = undefined;
    throw error;
  });
  return resvgFonts;
}

/**
 * Rasterises an SVG document (such as `renderSvg` returns) to PNG bytes.
 * Embedded `data:` images are drawn; external files are not fetched.
 *
 * @example
 * ```ts
 * const png = await svgToPng(await renderSvg(spec), { scale: 1 });
 * ```
 */
export async function svgToPng(
  svg: string,
  options: Pick<RenderPngOptions, "scale"> = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(scale >= 0.25 && scale <= 8)) {
    throw new RangeError(
      `Cannot render a PNG: scale is ${scale}, expected a number from 0.25 to 8`,
    );
  }
  const fontBuffers = await loadResvg();
  const resvg = new Resvg(svg, {
    font: { fontBuffers, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: scale },
  });
  try {
    const image = resvg.render();
    const png = image.asPng();
    image.free();
    return png;
  } finally {
    resvg.free();
  }
}

/**
 * Renders a Vega-Lite spec to PNG bytes (through SVG).
 *
 * @example
 * ```ts
 * await Deno.writeFile("curves.png", await renderPng(spec, { scale: 2 }));
 * ```
 */
export async function renderPng(
  spec: TopLevelSpec,
  options: RenderPngOptions = {},
): Promise<Uint8Array> {
  return await svgToPng(await renderSvg(spec, options), options);
}
