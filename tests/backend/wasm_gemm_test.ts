import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { setupBackend } from "../../lib/backend/mod.ts";
import { allocateFloats, freeFloats, heapF32 } from "../../lib/backend/heap.ts";
import { startThreads } from "../../lib/backend/threads.ts";
import { createWasmGemm, THREADED_WASM_GEMM_MIN_MACS } from "../../lib/backend/wasm_gemm.ts";

/** A product on the heap with padded strides, and its float64 reference. */
function runProduct(
  backend: BackendWasm,
  shape: { m: number; n: number; k: number },
  flags: { transA: boolean; transB: boolean; beta: number },
): { got: Float32Array; expected: Float64Array } {
  const { m, n, k } = shape;
  const [lda, ldb, ldc] = [(flags.transA ? m : k) + 3, (flags.transB ? k : n) + 1, n + 5];
  const aRows = flags.transA ? k : m;
  const bRows = flags.transB ? n : k;
  const [a, b, c] = [aRows * lda, bRows * ldb, m * ldc].map((size) =>
    allocateFloats(backend, size)
  );
  const heap = heapF32(backend);
  for (let i = 0; i < aRows * lda; i++) heap[a + i] = Math.sin(i * 0.37);
  for (let i = 0; i < bRows * ldb; i++) heap[b + i] = Math.cos(i * 0.11);
  for (let i = 0; i < m * ldc; i++) heap[c + i] = (i % 7) - 3;
  const expected = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = flags.beta === 0 ? 0 : heap[c + i * ldc + j];
      for (let p = 0; p < k; p++) {
        sum += heap[a + (flags.transA ? p * lda + i : i * lda + p)] *
          heap[b + (flags.transB ? j * ldb + p : p * ldb + j)];
      }
      expected[i * n + j] = sum;
    }
  }
  createWasmGemm().run(backend, { ...shape, ...flags, a, lda, b, ldb, c, ldc });
  const after = heapF32(backend);
  const got = new Float32Array(m * n);
  for (let i = 0; i < m; i++) got.set(after.subarray(c + i * ldc, c + i * ldc + n), i * n);
  for (const at of [a, b, c]) freeFloats(backend, at);
  return { got, expected };
}

Deno.test("the wasm product matches a float64 reference for every transpose, beta and edge", async () => {
  await setupBackend({ backend: "wasm", wasmThreads: 2 });
  const backend = tf.backend() as BackendWasm;
  // Odd sides cover the partial tiles and panels; 91x70x300 has two K blocks and threads.
  for (const shape of [{ m: 1, n: 1, k: 1 }, { m: 7, n: 13, k: 5 }, { m: 91, n: 70, k: 300 }]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const beta of [0, 1]) {
          const { got, expected } = runProduct(backend, shape, { transA, transB, beta });
          const worst = Math.max(...got.map((v, i) => Math.abs(v - expected[i])));
          assert.ok(worst < 1e-3, `${JSON.stringify({ shape, transA, transB, beta })}: ${worst}`);
        }
      }
    }
  }
});

Deno.test("a threaded wasm product gives the same bits on 1, 2 and 3 threads", async () => {
  await setupBackend({ backend: "wasm" });
  const backend = tf.backend() as BackendWasm;
  const shape = { m: 203, n: 37, k: 270 };
  assert.ok(shape.m * shape.n * shape.k >= THREADED_WASM_GEMM_MIN_MACS);
  const results = [];
  for (const threads of [1, 2, 3]) {
    await startThreads(backend, threads);
    results.push(runProduct(backend, shape, { transA: true, transB: false, beta: 1 }).got);
  }
  await startThreads(backend, 2);
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

Deno.test("a wasm product with an empty inner side sets or keeps c", async () => {
  await setupBackend({ backend: "wasm" });
  const backend = tf.backend() as BackendWasm;
  for (const beta of [0, 1]) {
    const { got, expected } = runProduct(backend, { m: 3, n: 4, k: 0 }, {
      transA: false,
      transB: false,
      beta,
    });
    assert.deepEqual(Array.from(got), Array.from(expected));
  }
});
