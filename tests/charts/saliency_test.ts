import assert from "node:assert/strict";
import { decode } from "fast-png";
import { Buffer } from "node:buffer";
import {
  renderSvg,
  saliencyChart,
  saliencyDataUrl,
  saliencyOfMistakes,
} from "../../lib/charts/mod.ts";
import type { DigitModel } from "../../lib/models/mod.ts";
import { syntheticImages, syntheticResult } from "../fixtures/chart_inputs.ts";

const images = syntheticImages(20);
const result = syntheticResult("cnn", images.labels, { accuracy: 0.7, seed: 4 });

function pngOf(url: string) {
  return decode(Buffer.from(url.slice("data:image/png;base64,".length), "base64"));
}

Deno.test("saliencyDataUrl draws the largest |gradient| darkest and zero white", () => {
  const gradient = new Float32Array(784);
  gradient[0] = -2; // largest in absolute value
  gradient[1] = 1;
  const png = pngOf(saliencyDataUrl(gradient, 1));
  assert.equal(png.width, 28);
  assert.deepEqual([...png.data.subarray(0, 3)], [165, 15, 21]);
  assert.deepEqual([...png.data.subarray(3, 6)], [253, 141, 60]);
  assert.deepEqual([...png.data.subarray(6, 9)], [255, 255, 255]);
  assert.throws(
    () => saliencyDataUrl(new Float32Array(10)),
    new RangeError(
      "Cannot encode a saliency map: got 10 values, expected 784 finite numbers",
    ),
  );
});

/** A stand-in model whose gradient is the image itself times its class, to follow the wiring. */
function fakeModel(withGradients: boolean): DigitModel {
  const model = { id: "cnn", label: "CNN" } as unknown as DigitModel;
  if (withGradients) {
    model.inputGradients = (pixels, _count, classes) =>
      Promise.resolve(pixels.map((p, i) => p * (classes[Math.floor(i / 784)] + 1)));
  }
  return model;
}

Deno.test("saliencyOfMistakes takes the most confident mistakes and their winning classes", async () => {
  const cells = await saliencyOfMistakes(fakeModel(true), result, images, { count: 3 });
  assert.equal(cells.length, 3);
  for (const cell of cells) {
    const [truth, predicted] = cell.caption.split(" ")[0].split("→").map(Number);
    assert.notEqual(truth, predicted);
    assert.ok(cell.gradient.every((g, i) => Math.abs(g - cell.pixels[i] * (predicted + 1)) < 1e-6));
  }
  const warnings: string[] = [];
  await renderSvg(saliencyChart(cells, { columns: 2 }), {
    onWarning: (message) => warnings.push(message),
  });
  assert.deepEqual(warnings, []);
});

Deno.test("saliencyOfMistakes needs a model with inputGradients", async () => {
  await assert.rejects(
    () => saliencyOfMistakes(fakeModel(false), result, images),
    new TypeError(
      "Cannot compute the saliency of cnn's mistakes: the model has no inputGradients, expected one",
    ),
  );
});

Deno.test("saliencyChart with no digits says so", () => {
  const spec = saliencyChart([]) as unknown as { data: { values: { message: string }[] } };
  assert.equal(spec.data.values[0].message, "No digits to show");
});
