import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { createBlasConvKernels } from "../../lib/backend/conv2d_blas.ts";
import { createHeapGemm, type HeapGemm } from "../../lib/backend/heap_gemm.ts";
import type { ConvolutionPass, OneDnnConvolutions } from "../../lib/backend/onednn_convolution.ts";
import {
  assertClose,
  openBlasLibraryOrWhy,
  seededValues,
  valuesOn,
} from "../helpers/backend_compare.ts";

const LIBRARY = openBlasLibraryOrWhy();

/** Why these tests are skipped: no oneDNN 2.x found. */
const NO_PRIMITIVES: string | null = typeof LIBRARY === "string"
  ? LIBRARY
  : LIBRARY.convolutions === undefined
  ? `${LIBRARY.name} at ${LIBRARY.path} has no oneDNN 2.x convolution primitives`
  : null;

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: "valid" | "same";
}

/** The CNN's and the zoo's layer kinds, at small batches: 3x3, 5x5, 1x1, stride 2, odd sizes. */
const CASES: Case[] = [
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: "valid" },
  { x: [4, 13, 13, 32], filter: [3, 3, 32, 64], strides: 1, pad: "valid" },
  { x: [3, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: "same" },
  { x: [2, 14, 14, 16], filter: [3, 3, 16, 24], strides: 2, pad: "same" },
  { x: [2, 7, 9, 12], filter: [1, 1, 12, 20], strides: 2, pad: "same" },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: "valid" },
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function describeCase(c: Case): string {
  return `x ${c.x} filter ${c.filter} strides ${c.strides} ${c.pad}`;
}

/** Counts the convolutions run by each pass, around the real ones. */
function countingGemm(): { gemm: HeapGemm; runs: Record<ConvolutionPass, number> } {
  if (typeof LIBRARY === "string") throw new Error(LIBRARY);
  const gemm = createHeapGemm(LIBRARY, 2);
  const inner = gemm.convolutions as OneDnnConvolutions;
  const runs = { forward: 0, inputGradient: 0, filterGradient: 0 };
  const convolutions: OneDnnConvolutions = {
    ...inner,
    forward(...args) {
      runs.forward++;
      inner.forward(...args);
    },
    inputGradient(...args) {
      runs.inputGradient++;
      inner.inputGradient(...args);
    },
    filterGradient(...args) {
      runs.filterGradient++;
      inner.filterGradient(...args);
    },
  };
  return { gemm: { ...gemm, convolutions }, runs };
}

/** Output, fused output (bias, ReLU), input and filter gradients, from tfjs ops on cpu. */
function referenceOutputs(c: Case): tf.Tensor[] {
  const x = tf.tensor4d(seededValues(size(c.x), 1), c.x);
  const filter = tf.tensor4d(seededValues(size(c.filter), 2), c.filter);
  const bias = tf.tensor1d(seededValues(c.filter[3], 3));
  const y = tf.conv2d(x, filter, c.strides, c.pad);
  const fused = tf.relu(tf.add(y, bias));
  const dy = tf.tensor(seededValues(y.size, 4), y.shape);
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), dy));
  return [y, fused, ...tf.grads(loss)([x, filter])];
}

/** The same four from the kernels themselves, on the blas backend. */
function kernelOutputs(c: Case, gemm: HeapGemm): tf.Tensor[] {
  const kernels = createBlasConvKernels(gemm);
  const backend = tf.backend() as BackendWasm;
  const x = tf.tensor4d(seededValues(size(c.x), 1), c.x);
  const filter = tf.tensor4d(seededValues(size(c.filter), 2), c.filter);
  const bias = tf.tensor1d(seededValues(c.filter[3], 3));
  const attrs = { strides: c.strides, pad: c.pad, dilations: 1, dataFormat: "NHWC" };
  const asTensor = (info: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(info);
  const y = asTensor(kernels.conv2d({ inputs: { x, filter }, attrs, backend }));
  const fused = asTensor(kernels.fusedConv2d({
    inputs: { x, filter, bias },
    attrs: { ...attrs, activation: "relu" },
    backend,
  }));
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
  return [y, fused, asTensor(dx), asTensor(dFilter)];
}

Deno.test({
  name: NO_PRIMITIVES
    ? `oneDNN's convolution primitives run each pass and match cpu (ignored: ${NO_PRIMITIVES})`
    : "oneDNN's convolution primitives run each pass and match cpu",
  ignore: NO_PRIMITIVES !== null,
  async fn() {
    for (const c of CASES) {
      const label = describeCase(c);
      const expected = await valuesOn("cpu", () => referenceOutputs(c));
      const { gemm, runs } = countingGemm();
      const actual = await valuesOn("blas", () => kernelOutputs(c, gemm), { blasThreads: 2 });
      assert.deepEqual(
        runs,
        { forward: 2, inputGradient: 1, filterGradient: 1 },
        `${label}: every pass ran on oneDNN's primitives`,
      );
      const names = ["output", "fused output", "input gradient", "filter gradient"];
      names.forEach((name, i) => assertClose(actual[i], expected[i], `${label} ${name}`));
    }
  },
});

Deno.test({
  name: NO_PRIMITIVES
    ? `oneDNN's convolutions repeat bit for bit on two threads (ignored: ${NO_PRIMITIVES})`
    : "oneDNN's convolutions repeat bit for bit on two threads",
  ignore: NO_PRIMITIVES !== null,
  async fn() {
    const c: Case = { x: [16, 13, 13, 32], filter: [3, 3, 32, 64], strides: 1, pad: "valid" };
    const { gemm } = countingGemm();
    const first = await valuesOn("blas", () => kernelOutputs(c, gemm), { blasThreads: 2 });
    const second = await valuesOn("blas", () => kernelOutputs(c, gemm), { blasThreads: 2 });
    first.forEach((values, i) => assert.deepEqual(second[i], values, `output ${i} repeats`));
  },
});

Deno.test({
  name: NO_PRIMITIVES
    ? `oneDNN's primitives decline what they cannot take (ignored: ${NO_PRIMITIVES})`
    : "oneDNN's primitives decline what they cannot take",
  ignore: NO_PRIMITIVES !== null,
  fn() {
    const convolutions = (LIBRARY as { convolutions: OneDnnConvolutions }).convolutions;
    const dilated = tf.backend_util.computeConv2DInfo([1, 9, 9, 3], [3, 3, 3, 4], 1, 2, "same");
    assert.equal(convolutions.prepare(dilated, "forward", { bias: false, relu: false }), false);
    const plain = tf.backend_util.computeConv2DInfo([1, 9, 9, 3], [3, 3, 3, 4], 1, 1, "same");
    assert.match(
      convolutions.implementation(plain, "filterGradient"),
      /^(jit|brg)/,
      "a JIT implementation named",
    );
    assert.throws(
      () =>
        convolutions.forward(dilated, { bias: false, relu: false }, {
          x: new Float32Array(243),
          filter: new Float32Array(108),
          bias: undefined,
          out: new Float32Array(324),
        }),
      /none prepared/,
    );
    const biased = { bias: true, relu: false };
    assert.ok(convolutions.prepare(plain, "forward", biased));
    assert.throws(
      () =>
        convolutions.forward(plain, biased, {
          x: new Float32Array(243),
          filter: new Float32Array(108),
          bias: undefined,
          out: new Float32Array(324),
        }),
      /missing, expected a tensor/,
    );
  },
});

Deno.test({
  name: NO_PRIMITIVES
    ? `oneDNN's primitives are remade alike after many geometries pushed them out (ignored: ${NO_PRIMITIVES})`
    : "oneDNN's primitives are remade alike after many geometries pushed them out",
  ignore: NO_PRIMITIVES !== null,
  fn() {
    const convolutions = (LIBRARY as { convolutions: OneDnnConvolutions }).convolutions;
    const epilogue = { bias: true, relu: true };
    const forwardAt = (batch: number) => {
      const info = tf.backend_util.computeConv2DInfo([batch, 6, 6, 4], [3, 3, 4, 8], 1, 1, "valid");
      assert.ok(convolutions.prepare(info, "forward", epilogue), `batch ${batch} prepared`);
      const out = new Float32Array(batch * 4 * 4 * 8);
      convolutions.forward(info, epilogue, {
        x: seededValues(batch * 6 * 6 * 4, 1),
        filter: seededValues(3 * 3 * 4 * 8, 2),
        bias: seededValues(8, 3),
        out,
      });
      return out;
    };
    const first = forwardAt(1);
    for (let batch = 2; batch <= 60; batch++) forwardAt(batch);
    assert.deepEqual(forwardAt(1), first);
  },
});
