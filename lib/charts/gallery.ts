/**
 * The layout shared by every chart of digits: a grid of digit images, each
 * drawn from its pixels as a PNG data URL, with a caption above it and,
 * when predictions are shown, a frame and caption coloured right or wrong.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import { digitDataUrl } from "./digit_image.ts";
import { CHART_CONFIG, type Outcome, OUTCOME_COLORS, VEGA_LITE_SCHEMA } from "./style.ts";

/** Side of a digit in the chart, in pixels: MNIST's 28 pixels, doubled. */
const DIGIT_SIDE = 56;

/** One digit of a gallery. */
export interface GalleryCell {
  /** The digit's 784 pixels in [0, 1]. */
  pixels: Float32Array;
  /** Text shown above the digit. */
  caption: string;
  /** Whether the prediction shown is right; omit when no prediction is shown. */
  outcome?: Outcome;
}

/** Options for a gallery of digits. */
export interface GalleryOptions {
  /** Chart title. */
  title: string;
  /** Digits per row; default 10. */
  columns?: number;
  /** What the chart says when there is no digit to show. */
  emptyMessage?: string;
}

/**
 * Throws unless `value` is a whole number of at least `least`.
 *
 * @example
 * ```ts
 * checkWholeNumber(columns, 1, "lay out a gallery of digits", "columns");
 * ```
 */
export function checkWholeNumber(value: number, least: number, action: string, what: string): void {
  if (!Number.isInteger(value) || value < least) {
    throw new RangeError(
      `Cannot ${action}: ${what} is ${value}, expected a whole number of at least ${least}`,
    );
  }
}

/** A chart holding only a sentence, for a gallery with nothing to show. */
function messageSpec(title: string, message: string): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values: [{ message }] },
    width: 320,
    height: 40,
    mark: { type: "text", fontSize: 13, color: "#555" },
    encoding: { text: { field: "message", type: "nominal" } },
    config: { ...CHART_CONFIG, view: { stroke: null } },
  };
}

/** The colour encoding of captions and frames: by outcome, or a fixed colour. */
function outcomeColor(outcomes: ReadonlySet<string>, fixed: string) {
  if (!outcomes.has("right") && !outcomes.has("wrong")) return { value: fixed };
  return {
    field: "outcome",
    type: "nominal" as const,
    title: "Prediction",
    scale: { domain: ["right", "wrong"], range: [OUTCOME_COLORS.right, OUTCOME_COLORS.wrong] },
    // A legend with one entry (a gallery of mistakes) says nothing the title does not.
    legend: outcomes.size > 1 ? {} : null,
  };
}

/** One data row per digit: its grid position, its image as a data URL, its caption. */
function galleryRows(cells: readonly GalleryCell[], columns: number) {
  return cells.map((cell, index) => ({
    column: index % columns,
    row: Math.floor(index / columns),
    url: digitDataUrl(cell.pixels, { scale: 2 }),
    caption: cell.caption,
    outcome: cell.outcome ?? "none",
  }));
}

/** The digit image, a frame around it, and the caption above it. */
function galleryLayers(outcomes: ReadonlySet<string>) {
  return [
    {
      // aria false: otherwise Vega copies every data URL into an aria-label, doubling the SVG.
      mark: {
        type: "image" as const,
        width: DIGIT_SIDE,
        height: DIGIT_SIDE,
        yOffset: 9,
        aria: false,
      },
      encoding: { url: { field: "url", type: "nominal" as const } },
    },
    {
      mark: {
        type: "point" as const,
        shape: "square" as const,
        size: (DIGIT_SIDE + 4) ** 2,
        yOffset: 9,
        strokeWidth: 2,
      },
      encoding: { color: outcomeColor(outcomes, "#d0d7de"), opacity: { value: 1 } },
    },
    {
      mark: {
        type: "text" as const,
        yOffset: -DIGIT_SIDE / 2 - 1,
        fontSize: 11,
        fontWeight: "bold" as const,
      },
      encoding: {
        text: { field: "caption", type: "nominal" as const },
        color: outcomeColor(outcomes, "#24292f"),
      },
    },
  ];
}

/**
 * Lays digits out in a grid, row by row, `columns` to a row.
 *
 * @example
 * ```ts
 * const spec = digitGallerySpec(
 *   [{ pixels: digitPixels(testImages, 0), caption: "7 / 7", outcome: "right" }],
 *   { title: "One digit" },
 * );
 * ```
 */
export function digitGallerySpec(
  cells: readonly GalleryCell[],
  options: GalleryOptions,
): TopLevelSpec {
  const columns = options.columns ?? 10;
  checkWholeNumber(columns, 1, "lay out a gallery of digits", "columns");
  if (cells.length === 0) {
    return messageSpec(options.title, options.emptyMessage ?? "No digits to show");
  }
  const outcomes = new Set(cells.map((cell) => cell.outcome ?? "none"));
  // Captions are about 6.5 pixels a character at 11px; wide ones widen the grid.
  const longest = Math.max(...cells.map((cell) => cell.caption.length));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title,
    data: { values: galleryRows(cells, columns) },
    width: { step: Math.max(DIGIT_SIDE + 12, Math.ceil(longest * 6.5) + 10) },
    height: { step: DIGIT_SIDE + 32 },
    encoding: {
      x: { field: "column", type: "ordinal", axis: null },
      y: { field: "row", type: "ordinal", axis: null },
    },
    layer: galleryLayers(outcomes),
    config: {
      ...CHART_CONFIG,
      view: { stroke: null },
      legend: { ...CHART_CONFIG.legend, orient: "top", titleOrient: "left", symbolType: "square" },
    },
  };
}
