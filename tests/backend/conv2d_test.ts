import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { openBlasLibrary } from "../../lib/backend/blas_library.ts";
import { createBlasConvKernels } from "../../lib/backend/conv2d_blas.ts";
import { createHeapGemm } from "../../lib/backend/heap_gemm.ts";
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

/** Runs the kernels directly, with a column limit of about one image. */
function chunkedOutputs(c: ConvCase): tf.Tensor[] {
  const kernels = createBlasConvKernels(createHeapGemm(openBlasLibrary(), 1), {
    maxColumnsFloats: 64,
  });
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
