import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { toImageTensor, toOneHot } from "../../lib/models/tensors.ts";

await tf.setBackend("wasm");

Deno.test("toImageTensor shapes pixels as [n, 28, 28, 1], row-major", () => {
  const pixels = Float32Array.from({ length: 2 * IMAGE_PIXELS }, (_, i) => i / (2 * IMAGE_PIXELS));
  const images = toImageTensor({ pixels, count: 2 });
  assert.deepEqual(images.shape, [2, 28, 28, 1]);
  assert.equal(images.dtype, "float32");
  const values = images.arraySync();
  // Image 1, row 2, column 5 is pixel 784 + 2 * 28 + 5.
  assert.equal(values[1][2][5][0], pixels[IMAGE_PIXELS + 2 * 28 + 5]);
  assert.deepEqual(images.dataSync(), pixels);
  images.dispose();
});

Deno.test("toImageTensor rejects pixels that do not fill count images", () => {
  assert.throws(() => toImageTensor({ pixels: new Float32Array(IMAGE_PIXELS), count: 2 }), {
    message:
      "Based on the provided shape, [2,28,28,1], the tensor should have 1568 values but has 784",
  });
});

Deno.test("toOneHot gives float rows with a single 1 at each label, and one tensor", () => {
  const before = tf.memory().numTensors;
  const oneHot = toOneHot(Uint8Array.of(2, 0, 9));
  assert.equal(tf.memory().numTensors, before + 1);
  assert.equal(oneHot.dtype, "float32");
  assert.deepEqual(oneHot.arraySync(), [
    [0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  ]);
  oneHot.dispose();
});
