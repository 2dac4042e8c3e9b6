import assert from "node:assert/strict";
import type { BlasLibrary, SgemmCall } from "../../lib/backend/blas_library.ts";
import { encodeGemmModel } from "../../lib/backend/onnx_gemm_model.ts";
import {
  onnxRuntimeFile,
  openOnnxRuntime,
  packagedOnnxRuntimePath,
} from "../../lib/backend/onnx_runtime.ts";
import { ONNX_RUNTIME_MISSING, seededValues } from "../helpers/backend_compare.ts";

/** c = alpha * op(a) * op(b) + beta * c on unpadded matrices, summed in float64. */
function referenceProduct(call: SgemmCall): Float32Array {
  const { m, n, k } = call;
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const a = call.transA ? call.a[p * m + i] : call.a[i * k + p];
        const b = call.transB ? call.b[j * k + p] : call.b[p * n + j];
        sum += a * b;
      }
      c[i * n + j] = (call.alpha ?? 1) * sum + (call.beta ?? 0) * call.c[i * n + j];
    }
  }
  return c;
}

function productCall(
  sides: { m: number; n: number; k: number },
  options: { transA: boolean; transB: boolean; alpha?: number; beta?: number },
): SgemmCall {
  const { m, n, k } = sides;
  return {
    ...options,
    m,
    n,
    k,
    a: seededValues(m * k, 1),
    lda: options.transA ? m : k,
    b: seededValues(k * n, 2),
    ldb: options.transB ? k : n,
    c: seededValues(m * n, 3),
    ldc: n,
  };
}

Deno.test("the package's library is found for each platform it ships, and not elsewhere", () => {
  assert.equal(onnxRuntimeFile("linux", "x86_64"), "../bin/napi-v6/linux/x64/libonnxruntime.so.1");
  assert.equal(
    onnxRuntimeFile("linux", "aarch64"),
    "../bin/napi-v6/linux/arm64/libonnxruntime.so.1",
  );
  assert.equal(
    onnxRuntimeFile("darwin", "aarch64"),
    "../bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib",
  );
  assert.equal(onnxRuntimeFile("windows", "x86_64"), "../bin/napi-v6/win32/x64/onnxruntime.dll");
  assert.equal(onnxRuntimeFile("darwin", "x86_64"), undefined);
});

Deno.test("a Gemm model refuses a scale that is not a finite number", () => {
  assert.throws(() => encodeGemmModel({ transA: false, transB: false, beta: NaN }), {
    name: "RangeError",
    message: "Cannot encode a Gemm model: beta is NaN, expected a finite number",
  });
});

Deno.test("a library path that is not there is reported with what was expected", () => {
  assert.throws(() => openOnnxRuntime({ path: "/no/such/libonnxruntime.so.1" }), {
    name: "NotFound",
    message: "Cannot open ONNX Runtime: tried /no/such/libonnxruntime.so.1, expected " +
      "libonnxruntime 1.13 or later (deno install puts npm:onnxruntime-node's copy in node_modules)",
  });
});

/** Registers a test that needs the library, ignored with the reason when it cannot be opened. */
function testWithOnnxRuntime(name: string, fn: (ort: BlasLibrary) => void): void {
  Deno.test({
    name: ONNX_RUNTIME_MISSING ? `${name} (ignored: ${ONNX_RUNTIME_MISSING})` : name,
    ignore: ONNX_RUNTIME_MISSING !== null,
    fn: () => fn(openOnnxRuntime()),
  });
}

testWithOnnxRuntime(
  "ONNX Runtime's sgemm matches a reference product for every transpose, alpha and beta",
  (ort) => {
    assert.equal(ort.name, "ONNX Runtime");
    assert.equal(ort.path, packagedOnnxRuntimePath());
    assert.match(ort.version ?? "", /^1\.\d+\.\d+$/);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const [alpha, beta] of [[1, 0], [1, 1], [0.5, 2]]) {
          const call = productCall({ m: 7, n: 5, k: 9 }, { transA, transB, alpha, beta });
          const expected = referenceProduct(call);
          ort.sgemm(call);
          for (let i = 0; i < expected.length; i++) {
            assert.ok(
              Math.abs(call.c[i] - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])),
              `transA ${transA} transB ${transB} alpha ${alpha} beta ${beta}: element ${i} is ` +
                `${call.c[i]}, expected ${expected[i]}`,
            );
          }
        }
      }
    }
  },
);

testWithOnnxRuntime(
  "a product large enough to be threaded repeats bit for bit, on 1 and 2 threads",
  (ort) => {
    const results = [];
    for (const threads of [1, 2, 2]) {
      ort.setThreads(threads);
      const call = productCall({ m: 256, n: 200, k: 300 }, {
        transA: true,
        transB: false,
        beta: 1,
      });
      ort.sgemm(call);
      results.push(call.c);
    }
    ort.setThreads(1);
    assert.deepEqual(results[1], results[2], "2 threads twice");
    assert.deepEqual(results[1], results[0], "2 threads against 1");
  },
);

testWithOnnxRuntime(
  "padded matrices and short buffers are refused before the library runs",
  (ort) => {
    const call = productCall({ m: 2, n: 3, k: 4 }, { transA: false, transB: false });
    assert.throws(() => ort.sgemm({ ...call, lda: 5 }), {
      name: "RangeError",
      message: "Cannot multiply 2x4 by 4x3 with ONNX Runtime: leading dimensions are 5, 3, 3, " +
        "expected 4, 3, 3 (unpadded matrices)",
    });
    assert.throws(() => ort.sgemm({ ...call, b: new Float32Array(11) }), {
      name: "RangeError",
      message: "Cannot multiply with ONNX Runtime: b holds 11 floats, expected at least 12 (4x3)",
    });
  },
);
