import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { threadsForProduct } from "../../lib/backend/heap_gemm.ts";
import {
  assertClose,
  assertMatchesCpu,
  assertThreadedMatchesCpu,
  seededValues,
  testFastPaths,
  valuesOn,
} from "../helpers/backend_compare.ts";

function tensorOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const label = `matMul transposeA ${transposeA} transposeB ${transposeB}`;
    testFastPaths(
      `${label}: product and gradients match cpu`,
      (path) =>
        assertMatchesCpu(path, label, () => {
          const a = tensorOf(transposeA ? [7, 5] : [5, 7], 1);
          const b = tensorOf(transposeB ? [3, 7] : [7, 3], 2);
          const product = (x: tf.Tensor, y: tf.Tensor) =>
            tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, transposeA, transposeB);
          const dy = tensorOf([5, 3], 3);
          const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
            tf.sum(tf.mul(product(x, y), dy))
          )([a, b]);
          return [product(a, b), da, db];
        }),
    );
  }
}

testFastPaths(
  "a dense layer's products at a size split across threads match cpu and repeat bit for bit",
  (path) =>
    assertThreadedMatchesCpu(path, "threaded dense layer", () => {
      const x = tensorOf([64, 300], 1);
      const w = tensorOf([300, 130], 2);
      const bias = tensorOf([130], 3);
      const layer = (a: tf.Tensor, b: tf.Tensor) =>
        tf.relu(tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), bias));
      const dy = tensorOf([64, 130], 4);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layer(a, b), dy)))([
        x,
        w,
      ]);
      return [layer(x, w), dx, dw];
    }),
);

testFastPaths(
  "batched and broadcast matMul match cpu",
  (path) =>
    assertMatchesCpu(path, "batched matMul", () => [
      tf.matMul(tensorOf([2, 5, 7], 1) as tf.Tensor3D, tensorOf([2, 7, 3], 2) as tf.Tensor3D),
      tf.matMul(
        tensorOf([1, 5, 7], 1) as tf.Tensor3D,
        tensorOf([3, 4, 7], 2) as tf.Tensor3D,
        false,
        true,
      ),
      tf.matMul(
        tensorOf([3, 7, 5], 1) as tf.Tensor3D,
        tensorOf([7, 4], 2) as tf.Tensor2D,
        true,
        false,
      ),
    ]),
);

testFastPaths(
  "fused matMul with bias and relu or linear matches cpu",
  (path) =>
    assertMatchesCpu(path, "fused matMul", () => {
      const a = tensorOf([6, 9], 1) as tf.Tensor2D;
      const b = tensorOf([9, 4], 2) as tf.Tensor2D;
      const bias = tensorOf([4], 3);
      return [
        tf.fused.matMul({ a, b, bias, activation: "relu" }),
        tf.fused.matMul({ a, b, bias }),
        tf.fused.matMul({ a, b: b.transpose(), transposeB: true, activation: "relu" }),
        tf.fused.matMul({ a, b, bias, activation: "elu" }),
        tf.fused.matMul({ a, b, bias, activation: "relu6" }),
      ];
    }),
);

testFastPaths(
  "fused matMul's bias and ReLU pass keeps NaN and covers columns past a multiple of 4",
  (path) =>
    assertMatchesCpu(path, "fused matMul epilogue", () => {
      const values = tensorOf([5, 7], 1).arraySync() as number[][];
      values[2][3] = NaN;
      const a = tf.tensor2d(values);
      const b = tensorOf([7, 7], 2) as tf.Tensor2D;
      const bias = tensorOf([7], 3);
      return [
        tf.fused.matMul({ a, b, bias, activation: "relu" }),
        tf.fused.matMul({ a, b, bias }),
      ];
    }),
);

testFastPaths(
  "a dense layer's weight and input gradients match cpu",
  (path) =>
    assertMatchesCpu(path, "dense gradients", () => {
      const x = tensorOf([64, 30], 1);
      const w = tensorOf([30, 20], 2);
      const bias = tensorOf([20], 3);
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.relu(tf.add(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), c)));
      return tf.grads(loss)([x, w, bias]);
    }),
);

/**
 * The MLP's second layer at inference's batch of 1000: 1000x256 by 256x128,
 * 33M multiply-adds, and its two gradients, each large enough for BLAS to
 * split over two threads. The cpu reference is computed once for all paths.
 */
const DENSE_SIDES = { m: 1000, k: 256, n: 128 };
let denseReference: Promise<Float32Array[]> | undefined;

function denseLayerOutputs(): tf.Tensor[] {
  const { m, k, n } = DENSE_SIDES;
  const x = tensorOf([m, k], 1);
  const w = tensorOf([k, n], 2);
  const dy = tensorOf([m, n], 3);
  const product = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(product(a, b), dy)))([
    x,
    w,
  ]);
  return [product(x, w), dx, dw];
}

testFastPaths(
  "the MLP's 1000x256x128 layer, run on two BLAS threads, and its gradients match cpu",
  async (path) => {
    const { m, k, n } = DENSE_SIDES;
    for (const sides of [{ m, n, k }, { m, n: k, k: n }, { m: k, n, k: m }]) {
      assert.equal(threadsForProduct(sides, 2), 2, `${JSON.stringify(sides)} runs on two threads`);
    }
    denseReference ??= valuesOn("cpu", denseLayerOutputs);
    const expected = await denseReference;
    const actual = await valuesOn(path, denseLayerOutputs, { blasThreads: 2 });
    const names = ["product", "input gradient", "weight gradient"];
    expected.forEach((values, i) => assertClose(actual[i], values, `dense ${names[i]}`));
  },
);
