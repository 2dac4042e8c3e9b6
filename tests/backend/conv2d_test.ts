import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { openBlasLibrary } from "../../lib/backend/blas_library.ts";
import { createBlasConvKernels } from "../../lib/backend/conv2d_blas.ts";
import { createHeapGemm, threadsForProduct } from "../../lib/backend/heap_gemm.ts";
import {
  assertClose,
  assertMatchesCpu,
  assertThreadedMatchesCpu,
  BLAS_MISSING,
  seededValues,
  testFastPaths,
  valuesOn,
} from "../helpers/backend_compare.ts";

type Pad = "valid" | "same";

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: Pad;
}

const CASES: ConvCase[] = [];
for (const strides of [1, 2]) {
  for (const pad of ["valid", "same"] as const) {
    CASES.push({ x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides, pad });
    CASES.push({ x: [3, 7, 7, 8], filter: [2, 2, 8, 5], strides, pad });
    CASES.push({ x: [2, 6, 5, 9], filter: [1, 1, 9, 3], strides, pad });
    CASES.push({ x: [2, 8, 7, 16], filter: [3, 3, 16, 4], strides, pad });
    CASES.push({ x: [1, 8, 9, 1], filter: [5, 3, 1, 6], strides, pad });
  }
}

testFastPaths(
  "at a size split across threads, a convolution and its gradients match cpu and repeat bit for bit",
  (path) => {
    const c: ConvCase = { x: [8, 20, 20, 8], filter: [3, 3, 8, 16], strides: 1, pad: "same" };
    return assertThreadedMatchesCpu(path, "threaded convolution", () => convolutionOutputs(c));
  },
);

function tensorsOf(c: ConvCase) {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(seededValues(size(c.x), 1), c.x);
  const filter = tf.tensor4d(seededValues(size(c.filter), 2), c.filter);
  const bias = tf.tensor1d(seededValues(c.filter[3], 3));
  return { x, filter, bias };
}

/** Forward, fused forward, and both gradients of a convolution. */
function convolutionOutputs(c: ConvCase): tf.Tensor[] {
  const { x, filter, bias } = tensorsOf(c);
  const y = tf.conv2d(x, filter, c.strides, c.pad);
  const fused = tf.fused.conv2d({
    x,
    filter,
    strides: c.strides,
    pad: c.pad,
    bias,
    activation: "relu",
  });
  const dy = tf.tensor(seededValues(y.size, 4), y.shape);
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy));
  const [dx, dFilter] = tf.grads(loss)([x, filter]);
  return [y, fused, dx, dFilter];
}

for (const c of CASES) {
  const label = `conv2d x ${c.x} filter ${c.filter} strides ${c.strides} ${c.pad}`;
  testFastPaths(
    `${label}: output, fused output and gradients match cpu`,
    (path) => assertMatchesCpu(path, label, () => convolutionOutputs(c)),
  );
}

Deno.test({
  name: BLAS_MISSING
    ? `BLAS convolutions built a chunk of images at a time match cpu (ignored: ${BLAS_MISSING})`
    : "BLAS convolutions built a chunk of images at a time match cpu",
  ignore: BLAS_MISSING !== null,
  async fn() {
    for (const c of CASES.filter((c) => c.filter[0] > 1)) {
      const expected = await valuesOn("cpu", () => convolutionOutputs(c));
      const actual = await valuesOn("blas", () => chunkedOutputs(c));
      const label = `chunked conv2d x ${c.x} filter ${c.filter} strides ${c.strides} ${c.pad}`;
      assertClose(actual[0], expected[0], `${label} output`);
      assertClose(actual[1], expected[2], `${label} input gradient`);
      assertClose(actual[2], expected[3], `${label} filter gradient`);
    }
  },
});

/**
 * Runs the kernels directly, with a column limit of about one image, on the
 * products alone (without oneDNN's own convolutions).
 */
function chunkedOutputs(c: ConvCase): tf.Tensor[] {
  const gemm = { ...createHeapGemm(openBlasLibrary(), 1), convolutions: undefined };
  const kernels = createBlasConvKernels(gemm, { maxColumnsFloats: 64 });
  const backend = tf.backend() as BackendWasm;
  const { x, filter } = tensorsOf(c);
  const attrs = { strides: c.strides, pad: c.pad, dilations: 1, dataFormat: "NHWC" };
  const asTensor = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info);
  const y = asTensor(kernels.conv2d({ inputs: { x, filter }, attrs, backend }));
  const dy = tf.tensor(seededValues(y.size, 4), y.shape);
  const dx = kernels.conv2dBackpropInput({
    inputs: { dy, filter },
    attrs: { ...attrs, inputShape: c.x },
    backend,
  });
  const dFilter = kernels.conv2dBackpropFilter({
    inputs: { x, dy },
    attrs: { ...attrs, filterShape: c.filter },
    backend,
  });
  return [y, asTensor(dx), asTensor(dFilter)];
}

testFastPaths(
  "a dilated convolution falls back to the stock kernel and matches cpu",
  (path) =>
    assertMatchesCpu(path, "dilated conv2d", () => {
      const { x, filter } = tensorsOf({
        x: [2, 9, 9, 3],
        filter: [3, 3, 3, 4],
        strides: 1,
        pad: "same",
      });
      return [tf.conv2d(x, filter, 1, "same", "NHWC", 2)];
    }),
);

/**
 * The CNN's second convolution at the training batch of 64: 64x13x13x32
 * images through 3x3x32x64 filters, "valid". Its forward product
 * (7744x64x288), filter gradient (288x64x7744) and input gradient
 * (7744x288x64) are each 143M multiply-adds, split over two BLAS threads,
 * in the default chunks of images.
 */
const SECOND_CONVOLUTION: ConvCase = {
  x: [64, 13, 13, 32],
  filter: [3, 3, 32, 64],
  strides: 1,
  pad: "valid",
};

/** The output, input gradient and filter gradient of a "valid" stride-1 convolution. */
function plainConvolutionOutputs(c: ConvCase): tf.Tensor[] {
  const { x, filter } = tensorsOf(c);
  const y = tf.conv2d(x, filter, 1, "valid");
  const dy = tf.tensor(seededValues(y.size, 4), y.shape);
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "valid"), dy));
  return [y, ...tf.grads(loss)([x, filter])];
}

/**
 * The same three on the cpu backend, the filter gradient made as one product
 * per filter tap (x's shifted window by dy): the cpu backend's own filter
 * gradient kernel takes minutes at this size.
 */
function referenceConvolutionOutputs(c: ConvCase): tf.Tensor[] {
  const { x, filter } = tensorsOf(c);
  const y = tf.conv2d(x, filter, 1, "valid");
  const dy = tf.tensor(seededValues(y.size, 4), y.shape);
  const dx = tf.grad((a: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, filter, 1, "valid"), dy))
  )(x);
  const [batch, height, width, channels] = y.shape;
  const rows = dy.reshape([batch * height * width, channels]) as tf.Tensor2D;
  const taps: tf.Tensor[] = [];
  for (let row = 0; row < c.filter[0]; row++) {
    for (let col = 0; col < c.filter[1]; col++) {
      const window = tf.slice(x, [0, row, col, 0], [batch, height, width, c.x[3]]);
      taps.push(tf.matMul(window.reshape([rows.shape[0], c.x[3]]) as tf.Tensor2D, rows, true));
    }
  }
  return [y, dx, tf.stack(taps).reshape(c.filter)];
}

let secondConvolutionReference: Promise<Float32Array[]> | undefined;

testFastPaths(
  "the CNN's second convolution at batch 64, on two BLAS threads, and its gradients match cpu",
  async (path) => {
    const m = 64 * 11 * 11, n = 64, k = 3 * 3 * 32;
    for (const sides of [{ m, n, k }, { m: k, n, k: m }, { m, n: k, k: n }]) {
      assert.equal(threadsForProduct(sides, 2), 2, `${JSON.stringify(sides)} runs on two threads`);
    }
    secondConvolutionReference ??= valuesOn(
      "cpu",
      () => referenceConvolutionOutputs(SECOND_CONVOLUTION),
    );
    const expected = await secondConvolutionReference;
    const actual = await valuesOn(path, () => plainConvolutionOutputs(SECOND_CONVOLUTION), {
      blasThreads: 2,
    });
    const names = ["output", "input gradient", "filter gradient"];
    expected.forEach((values, i) =>
      assertClose(actual[i], values, `second convolution ${names[i]}`)
    );
  },
);
