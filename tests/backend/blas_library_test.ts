import assert from "node:assert/strict";
import {
  type BlasLibrary,
  CBLAS_LIBRARY_CANDIDATES,
  ONEDNN_LIBRARY_CANDIDATES,
  openBlasLibrary,
  type SgemmCall,
} from "../../lib/backend/blas_library.ts";
import { openBlasLibraryOrWhy, seededValues } from "../helpers/backend_compare.ts";

/** c = alpha * op(a) * op(b) + beta * c, one float64 sum per element, rounded at the end. */
function referenceProduct(call: SgemmCall): Float32Array {
  const c = call.c.slice();
  const at = (m: Float32Array, ld: number, trans: boolean, row: number, col: number) =>
    trans ? m[col * ld + row] : m[row * ld + col];
  for (let i = 0; i < call.m; i++) {
    for (let j = 0; j < call.n; j++) {
      let sum = 0;
      for (let p = 0; p < call.k; p++) {
        sum += at(call.a, call.lda, call.transA, i, p) * at(call.b, call.ldb, call.transB, p, j);
      }
      c[i * call.ldc + j] = (call.alpha ?? 1) * sum + (call.beta ?? 0) * call.c[i * call.ldc + j];
    }
  }
  return c;
}

const LIBRARIES = [
  ["oneDNN", openBlasLibraryOrWhy({ candidates: ONEDNN_LIBRARY_CANDIDATES })],
  ["CBLAS", openBlasLibraryOrWhy({ candidates: CBLAS_LIBRARY_CANDIDATES })],
] as const;

for (const [kind, library] of LIBRARIES) {
  const missing = typeof library === "string" ? library : null;
  Deno.test({
    name: missing
      ? `${kind} sgemm matches a reference product (ignored: ${missing})`
      : `${kind} sgemm matches a reference product for every transpose, padded strides, alpha and beta`,
    ignore: missing !== null,
    fn() {
      const blas = library as BlasLibrary;
      assert.equal(blas.name === "oneDNN", kind === "oneDNN", `${kind} opened ${blas.name}`);
      const [m, n, k] = [7, 5, 9];
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const lda = (transA ? m : k) + 3;
          const ldb = (transB ? k : n) + 2;
          const ldc = n + 1;
          const call: SgemmCall = {
            transA,
            transB,
            m,
            n,
            k,
            alpha: 0.5,
            a: seededValues((transA ? k : m) * lda, 1),
            lda,
            b: seededValues((transB ? n : k) * ldb, 2),
            ldb,
            beta: 2,
            c: seededValues(m * ldc, 3),
            ldc,
          };
          const expected = referenceProduct(call);
          blas.sgemm(call);
          for (let i = 0; i < expected.length; i++) {
            assert.ok(
              Math.abs(call.c[i] - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])),
              `transA ${transA} transB ${transB}: element ${i} is ${call.c[i]}, expected ${
                expected[i]
              }`,
            );
          }
        }
      }
    },
  });
}

const [, oneDnn] = LIBRARIES[0];
Deno.test({
  name: typeof oneDnn === "string"
    ? `oneDNN names itself and refuses bad strides (ignored: ${oneDnn})`
    : "oneDNN names itself, sets its threads, and refuses bad strides with its status",
  ignore: typeof oneDnn === "string",
  fn() {
    const blas = oneDnn as BlasLibrary;
    assert.equal(blas.name, "oneDNN");
    assert.equal(blas.setThreads(1), true);
    const call: SgemmCall = {
      transA: false,
      transB: false,
      m: 2,
      n: 2,
      k: 3,
      a: new Float32Array(6),
      lda: 1,
      b: new Float32Array(6),
      ldb: 2,
      c: new Float32Array(4),
      ldc: 2,
    };
    assert.throws(() => blas.sgemm(call), {
      name: "RangeError",
      message: "Cannot multiply 2x3 by 3x2 with oneDNN: dnnl_sgemm returned status 2, " +
        "expected 0 (success)",
    });
  },
});

Deno.test("a library path that is not there is reported with what was expected", () => {
  assert.throws(() => openBlasLibrary({ path: "/no/such/libdnnl.so.2" }), {
    name: "NotFound",
    message: "Cannot open a BLAS library: tried /no/such/libdnnl.so.2, expected oneDNN or " +
      "OpenBLAS (apt-get install libdnnl2 or libopenblas0-pthread) or macOS Accelerate",
  });
});
