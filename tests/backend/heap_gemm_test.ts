import assert from "node:assert/strict";
import {
  THREADED_GEMM_MIN_MACS,
  THREADED_GEMM_MIN_SIDE,
  threadsForProduct,
} from "../../lib/backend/heap_gemm.ts";

Deno.test("products with every side long enough and enough work use every thread", () => {
  assert.equal(threadsForProduct({ m: 1000, n: 128, k: 256 }, 2), 2);
  assert.equal(threadsForProduct({ m: 7744, n: 64, k: 288 }, 4), 4);
});

Deno.test("thin products and small ones stay on one thread", () => {
  // The first convolution's product and its filter gradient (one input channel).
  assert.equal(threadsForProduct({ m: 43264, n: 32, k: 9 }, 2), 1);
  assert.equal(threadsForProduct({ m: 9, n: 32, k: 43264 }, 2), 1);
  // The output layer: 10 classes.
  assert.equal(threadsForProduct({ m: 1000, n: 10, k: 128 }, 2), 1);
  const side = THREADED_GEMM_MIN_SIDE;
  const small = Math.floor(Math.sqrt(THREADED_GEMM_MIN_MACS / side)) - 1;
  assert.equal(threadsForProduct({ m: small, n: small, k: side }, 2), 1);
});
