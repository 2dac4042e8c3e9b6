/**
 * Saliency maps beside their digits: each map is the absolute gradient of
 * the model's output for its answer with respect to the pixels (Simonyan,
 * Vedaldi and Zisserman 2014, "Deep Inside Convolutional Networks",
 * section 3), scaled to its own largest value and drawn as a heat map, so
 * that a reader sees which pixels would most change the answer.
 *
 * @module
 */
import { encode } from "fast-png";
import { Buffer } from "node:buffer";
import type { TopLevelSpec } from "vega-lite";
import { IMAGE_PIXELS, IMAGE_SIZE } from "../config.ts";
import { digitDataUrl } from "./digit_image.ts";
import { checkWholeNumber, digitGallerySpec } from "./gallery.ts";
import { CHART_CONFIG, VEGA_LITE_SCHEMA } from "./style.ts";

/** Side of an image in the chart, in pixels: MNIST's 28 pixels, tripled. */
const SIDE = 84;

/** Colour stops of the heat map, from no effect to the largest: white, orange, dark red. */
const HEAT_STOPS = [[255, 255, 255], [253, 141, 60], [165, 15, 21]] as const;

/** One digit with its saliency map. */
export interface SaliencyCell {
  /** The digit's 784 pixels in [0, 1]. */
  pixels: Float32Array;
  /** The gradient of the model's output for its answer with respect to each pixel: 784 values. */
  gradient: Float32Array;
  /** Text above the pair, such as "4→9 (0.87)". */
  caption: string;
}

/** Options for {@linkcode saliencyChart}. */
export interface SaliencyChartOptions {
  /** Chart title. Default "Saliency of mistakes". */
  title?: string;
  /** Digit-and-map pairs per row. Default 4. */
  columns?: number;
}

/** The heat-map colour of a share of the largest saliency, 0 to 1. */
function heatColor(share: number): readonly number[] {
  const position = share * (HEAT_STOPS.length - 1);
  const stop = Math.min(HEAT_STOPS.length - 2, Math.floor(position));
  const t = position - stop;
  return HEAT_STOPS[stop].map((value, c) =>
    Math.round(value + t * (HEAT_STOPS[stop + 1][c] - value))
  );
}

/**
 * Encodes |gradient| of one digit as an RGB PNG heat map, scaled so that the
 * largest value is the darkest, each pixel repeated into a `scale` x `scale`
 * block; all white when every gradient is 0.
 *
 * @throws {RangeError} unless there are 784 finite values.
 *
 * @example
 * ```ts
 * const url = saliencyDataUrl(gradients.subarray(0, 784));
 * url.startsWith("data:image/png;base64,"); // true
 * ```
 */
export function saliencyDataUrl(gradient: Float32Array, scale = 3): string {
  checkWholeNumber(scale, 1, "encode a saliency map", "scale");
  if (gradient.length !== IMAGE_PIXELS || !gradient.every(Number.isFinite)) {
    throw new RangeError(
      `Cannot encode a saliency map: got ${gradient.length} values, expected ${IMAGE_PIXELS} finite numbers`,
    );
  }
  const largest = gradient.reduce((most, g) => Math.max(most, Math.abs(g)), 0);
  const side = IMAGE_SIZE * scale;
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const g = gradient[Math.floor(y / scale) * IMAGE_SIZE + Math.floor(x / scale)];
      data.set(heatColor(largest === 0 ? 0 : Math.abs(g) / largest), (y * side + x) * 3);
    }
  }
  const png = encode({ width: side, height: side, data, channels: 3, depth: 8 });
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

/** Two data rows per cell: the digit, then its map in the next column. */
function saliencyRows(cells: readonly SaliencyCell[], columns: number) {
  return cells.flatMap((cell, index) => {
    const row = Math.floor(index / columns), column = 2 * (index % columns);
    return [
      { row, column, url: digitDataUrl(cell.pixels, { scale: 3 }), caption: cell.caption },
      { row, column: column + 1, url: saliencyDataUrl(cell.gradient), caption: "saliency" },
    ];
  });
}

/**
 * Lays out digits each beside its saliency map, `columns` pairs to a row,
 * each pair captioned (for mistakes, true→predicted).
 *
 * With no cells it is a chart that says "No digits to show".
 *
 * @throws {RangeError} for a `columns` below 1, or a gradient that is not
 * 784 finite numbers.
 *
 * @example
 * ```ts
 * const gradient = await cnn.inputGradients!(pixels, 1, [predicted]);
 * saliencyChart([{ pixels, gradient, caption: "4→9 (0.87)" }]);
 * ```
 */
export function saliencyChart(
  cells: readonly SaliencyCell[],
  options: SaliencyChartOptions = {},
): TopLevelSpec {
  const columns = options.columns ?? 4;
  checkWholeNumber(columns, 1, "chart saliency maps", "columns");
  const title = options.title ?? "Saliency of mistakes";
  if (cells.length === 0) return digitGallerySpec([], { title, emptyMessage: "No digits to show" });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    data: { values: saliencyRows(cells, columns) },
    width: { step: SIDE + 8 },
    height: { step: SIDE + 26 },
    encoding: {
      x: { field: "column", type: "ordinal", axis: null },
      y: { field: "row", type: "ordinal", axis: null },
    },
    layer: [
      {
        // aria false: otherwise Vega copies every data URL into an aria-label.
        mark: { type: "image", width: SIDE, height: SIDE, yOffset: 8, aria: false },
        encoding: { url: { field: "url", type: "nominal" } },
      },
      {
        mark: { type: "text", yOffset: -SIDE / 2 - 2, fontSize: 12, fontWeight: "bold" },
        encoding: { text: { field: "caption", type: "nominal" } },
      },
    ],
    config: { ...CHART_CONFIG, view: { stroke: null } },
  };
}
