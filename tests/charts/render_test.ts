import assert from "node:assert/strict";
import { decode } from "fast-png";
import type { TopLevelSpec } from "vega-lite";
import { digitDataUrl } from "../../lib/charts/digit_image.ts";
import { renderPng, renderSvg, svgToPng } from "../../lib/charts/render.ts";

/** A 200x100 chart holding only one text mark (no axes), in black on white. */
const TEXT_ONLY: TopLevelSpec = {
  data: { values: [{ word: "Hello" }] },
  width: 200,
  height: 100,
  mark: { type: "text", fontSize: 40, color: "black" },
  encoding: { text: { field: "word", type: "nominal" } },
  config: { view: { stroke: null } },
};

/** Fraction of a decoded RGBA image's pixels that are dark. */
function darkShare(
  png: ReturnType<typeof decode>,
  region?: { x0: number; y0: number; x1: number; y1: number },
) {
  const { x0, y0, x1, y1 } = region ?? { x0: 0, y0: 0, x1: png.width, y1: png.height };
  let dark = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const offset = (y * png.width + x) * png.channels;
      if (png.data[offset] < 100 && png.data[offset + 1] < 100 && png.data[offset + 2] < 100) {
        dark++;
      }
    }
  }
  return dark / ((x1 - x0) * (y1 - y0));
}

Deno.test("renderSvg draws text marks as SVG text", async () => {
  const svg = await renderSvg(TEXT_ONLY);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<text[^>]*>Hello<\/text>/);
});

Deno.test("renderPng draws text with the bundled font, at the scale asked", async () => {
  const small = decode(await renderPng(TEXT_ONLY, { scale: 1 }));
  const large = decode(await renderPng(TEXT_ONLY, { scale: 2 }));
  assert.equal(large.width, small.width * 2);
  assert.equal(large.height, small.height * 2);
  // "Hello" at 40px inks a few percent of the picture; without a font nothing is drawn.
  const ink = darkShare(small);
  assert.ok(ink > 0.02 && ink < 0.5, `text covers ${ink} of the PNG`);
});

Deno.test("renderPng draws image marks given as data URLs", async () => {
  const pixels = new Float32Array(784).fill(1); // all ink: black once inverted
  const spec: TopLevelSpec = {
    data: { values: [{ url: digitDataUrl(pixels, { scale: 2 }) }] },
    width: 100,
    height: 100,
    padding: 0,
    mark: { type: "image", width: 56, height: 56 },
    encoding: { url: { field: "url", type: "nominal" }, x: { value: 50 }, y: { value: 50 } },
    config: { view: { stroke: null } },
  };
  const png = decode(await renderPng(spec, { scale: 1 }));
  assert.equal(png.width, 100);
  assert.equal(darkShare(png, { x0: 30, y0: 30, x1: 70, y1: 70 }), 1);
  assert.equal(darkShare(png, { x0: 0, y0: 0, x1: 15, y1: 15 }), 0);
});

Deno.test("rendering rejects an invalid spec and a bad scale", async () => {
  await assert.rejects(() => renderSvg({} as TopLevelSpec), {
    name: "TypeError",
    message:
      /^Cannot render a chart: Vega-Lite rejects its spec \(Invalid specification \{\}.+\), expected a valid Vega-Lite spec$/,
  });
  await assert.rejects(() => svgToPng("<svg xmlns='http://www.w3.org/2000/svg'/>", { scale: 0 }), {
    name: "RangeError",
    message: "Cannot render a PNG: scale is 0, expected a number from 0.25 to 8",
  });
});
