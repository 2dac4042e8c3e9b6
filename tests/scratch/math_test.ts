import assert from "node:assert/strict";
import {
  addBias,
  countCorrect,
  createMatrix,
  matmul,
  matmulTransposeA,
  matmulTransposeB,
  type Matrix,
  relu,
  reluBackward,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  sumColumns,
} from "../../lib/scratch/math.ts";
import { createRandom } from "../../lib/random.ts";

/** A matrix of small integers, a third of them zero, so products are exact in float32. */
function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const random = createRandom(seed);
  const matrix = createMatrix(rows, cols);
  for (let i = 0; i < matrix.data.length; i++) {
    matrix.data[i] = random() < 1 / 3 ? 0 : Math.floor(random() * 9) - 4;
  }
  return matrix;
}

function at(matrix: Matrix, i: number, j: number): number {
  return matrix.data[i * matrix.cols + j];
}

/** The textbook triple loop, out[i][j] = Σ_k a(i, k) · b(k, j), as the reference. */
function naiveProduct(
  rows: number,
  cols: number,
  inner: number,
  element: (i: number, k: number, j: number) => number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += element(i, k, j);
      out.push(sum);
    }
  }
  return out;
}

Deno.test("matmul equals the textbook triple loop", () => {
  const a = randomMatrix(5, 7, 1), b = randomMatrix(7, 3, 2), out = createMatrix(5, 3);
  out.data.fill(99); // stale contents must be overwritten
  matmul(a, b, { out });
  const expected = naiveProduct(5, 3, 7, (i, k, j) => at(a, i, k) * at(b, k, j));
  assert.deepEqual([...out.data], expected);
});

Deno.test("matmulTransposeA computes aᵀ · b", () => {
  const a = randomMatrix(6, 4, 3), b = randomMatrix(6, 5, 4), out = createMatrix(4, 5);
  matmulTransposeA(a, b, { out });
  const expected = naiveProduct(4, 5, 6, (k, i, j) => at(a, i, k) * at(b, i, j));
  assert.deepEqual([...out.data], expected);
});

Deno.test("matmulTransposeB computes a · bᵀ", () => {
  const a = randomMatrix(3, 6, 5), b = randomMatrix(4, 6, 6), out = createMatrix(3, 4);
  matmulTransposeB(a, b, { out });
  const expected = naiveProduct(3, 4, 6, (i, j, k) => at(a, i, j) * at(b, k, j));
  assert.deepEqual([...out.data], expected);
});

Deno.test("matrix functions use only the rows in use of a larger buffer", () => {
  const a = randomMatrix(8, 3, 7), b = randomMatrix(3, 2, 8), out = createMatrix(8, 2);
  a.rows = out.rows = 2;
  out.data.fill(99);
  matmul(a, b, { out });
  const expected = naiveProduct(2, 2, 3, (i, k, j) => at(a, i, k) * at(b, k, j));
  assert.deepEqual([...out.data.subarray(0, 4)], expected);
  assert.deepEqual([...out.data.subarray(4)], new Array(12).fill(99));
});

Deno.test("matrix functions reject mismatched shapes", () => {
  assert.throws(
    () => matmul(createMatrix(2, 3), createMatrix(4, 2), { out: createMatrix(2, 2) }),
    new RangeError("Cannot multiply a · b: sizes are [4,2,2], expected [3,2,2]"),
  );
  assert.throws(
    () => addBias(createMatrix(2, 3), new Float32Array(2)),
    new RangeError("Cannot add a bias: sizes are [2], expected [3]"),
  );
});

Deno.test("addBias adds the bias to every row and sumColumns sums over rows", () => {
  const z = { data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 2, cols: 3 };
  addBias(z, Float32Array.of(10, 20, 30));
  assert.deepEqual([...z.data], [11, 22, 33, 14, 25, 36]);
  const sums = Float32Array.of(7, 7, 7); // stale contents must be overwritten
  sumColumns(z, sums);
  assert.deepEqual([...sums], [25, 47, 69]);
});

Deno.test("relu clips negatives and reluBackward passes gradient only where active", () => {
  const z = { data: Float32Array.of(-2, 0, 3, -0.5), rows: 2, cols: 2 };
  relu(z);
  assert.deepEqual([...z.data], [0, 0, 3, 0]);
  const gradient = { data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 };
  reluBackward(gradient, z);
  assert.deepEqual([...gradient.data], [0, 0, 3, 0]);
});

Deno.test("softmaxCrossEntropy gives -log p of the label and stays finite for huge logits", () => {
  const logits = { data: Float32Array.of(1, 2, 3, 1000, 0, -1000), rows: 2, cols: 3 };
  const loss = softmaxCrossEntropy(logits, Uint8Array.of(2, 1));
  const p = [1, 2, 3].map((z) => Math.exp(z) / (Math.E + Math.exp(2) + Math.exp(3)));
  assert.ok(Math.abs(loss - (-Math.log(p[2]) + 1000)) < 1e-9);
  assert.ok(Math.abs(logits.data[0] - p[0]) < 1e-7 && Math.abs(logits.data[2] - p[2]) < 1e-7);
  assert.deepEqual([...logits.data.subarray(3)], [1, 0, 0]);
  const plain = { data: Float32Array.of(1, 2, 3), rows: 1, cols: 3 };
  softmax(plain);
  assert.deepEqual([...plain.data], [...logits.data.subarray(0, 3)]);
});

Deno.test("softmaxCrossEntropyGradient is (p - y) / n", () => {
  const probabilities = {
    data: Float32Array.of(0.5, 0.25, 0.25, 0.125, 0.375, 0.5),
    rows: 2,
    cols: 3,
  };
  const out = createMatrix(2, 3);
  softmaxCrossEntropyGradient(probabilities, Uint8Array.of(0, 2), { out });
  assert.deepEqual([...out.data], [-0.25, 0.125, 0.125, 0.0625, 0.1875, -0.25]);
});

Deno.test("countCorrect counts rows whose largest probability is the label", () => {
  const probabilities = { data: Float32Array.of(0.7, 0.2, 0.1, 0.1, 0.3, 0.6), rows: 2, cols: 3 };
  assert.equal(countCorrect(probabilities, Uint8Array.of(0, 1)), 1);
  assert.equal(countCorrect(probabilities, Uint8Array.of(0, 2)), 2);
});
