import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  BACKEND_NAMES,
  type BackendInfo,
  BLAS_APT_PACKAGES,
  defaultBlasThreads,
  setupBackend,
} from "../../lib/backend/mod.ts";
import type { BackendId } from "../../lib/config.ts";
import { BLAS_MISSING, ONNX_RUNTIME_MISSING } from "../helpers/backend_compare.ts";

/** How "auto" says it passed WebGPU over on a machine without a GPU (this one, CI). */
const NO_WEBGPU = ", no WebGPU: (no GPU device \\(.+\\)|no adapter|.+ is a software fallback)";

Deno.test("cpu and wasm are set up as asked and say so in one line", async () => {
  const cpu = await setupBackend({ backend: "cpu" });
  assert.equal(cpu.id, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  const wasm = await setupBackend({ backend: "wasm" });
  assert.equal(wasm.id, "wasm");
  assert.equal(tf.getBackend(), BACKEND_NAMES.wasm);
  assert.match(wasm.description, /^wasm: .*as asked$/);
  assert.ok(!wasm.description.includes("\n"));
});

Deno.test("the cpu backend does not advise installing tfjs-node, and leaves tfjs warnings on", async () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...parts: unknown[]) => warnings.push(parts.join(" "));
  try {
    await setupBackend({ backend: "cpu" });
    tf.tensor1d([1, 2, 3]).dispose();
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings.filter((line) => line.includes("tfjs-node")), []);
  assert.equal(tf.env().getBool("PROD"), false, "production mode was left on");
});

Deno.test({
  name: BLAS_MISSING
    ? `auto picks BLAS when the library is found (ignored: ${BLAS_MISSING})`
    : "auto picks BLAS when the library is found, and names it",
  ignore: BLAS_MISSING !== null,
  async fn() {
    const info = await setupBackend();
    assert.equal(info.id, "blas");
    assert.equal(tf.getBackend(), BACKEND_NAMES.blas);
    const threads = defaultBlasThreads();
    assert.match(
      info.description,
      new RegExp(
        `^blas: (oneDNN|OpenBLAS|Accelerate) via FFI \\(.+\\), ([\\w-]+ kernels, )?(direct convolutions, )?up to ${threads} threads?; wasm kernels on ${threads} threads?${NO_WEBGPU}$`,
      ),
    );
  },
});

Deno.test("the wasm line says how many threads its kernels use, and which multiply-add", async () => {
  const one = await setupBackend({ backend: "wasm", wasmThreads: 1 });
  assert.match(
    one.description,
    /^wasm: (relaxed-SIMD FMA|SIMD) kernels on the wasm heap, 1 thread, as asked$/,
  );
  const two = await setupBackend({ backend: "wasm", wasmThreads: 2 });
  assert.match(two.description, /, 2 threads, as asked$/);
});

/** What auto takes without a system library: ONNX Runtime from npm where it opens, else wasm. */
function assertWithoutSystemLibrary(info: BackendInfo, why: string): void {
  if (ONNX_RUNTIME_MISSING === null) {
    assert.equal(info.id, "blas");
    assert.equal(tf.getBackend(), BACKEND_NAMES.blas);
    assert.match(
      info.description,
      new RegExp(
        `^blas: ONNX Runtime 1\\.\\d+\\.\\d+ via FFI \\(.*onnxruntime.*\\), up to \\d+ threads?; ` +
          `wasm kernels on \\d+ threads?; no system BLAS: ${why}$`,
      ),
    );
  } else {
    assert.equal(info.id, "wasm");
    assert.equal(tf.getBackend(), BACKEND_NAMES.wasm);
    assert.match(info.description, new RegExp(`no BLAS: ${why}; no ONNX Runtime.*$`));
  }
}

Deno.test("auto ignoring system libraries takes the path a machine without them takes", async () => {
  const info = await setupBackend({ backend: "auto", ignoreSystemLibraries: true });
  // It names WebGPU as plain "auto" does, and passes a usable adapter over.
  assertWithoutSystemLibrary(
    info,
    `system libraries ignored, as asked(${NO_WEBGPU}|, WebGPU on .+ passed over, as asked)`,
  );
});

Deno.test("auto falls back to ONNX Runtime or wasm, saying why, when the BLAS library is missing", async () => {
  const info = await setupBackend({ backend: "auto", blasLibrary: "/no/such/libopenblas.so.0" });
  assertWithoutSystemLibrary(
    info,
    `library not found \\(apt-get install libdnnl2 or libopenblas0-pthread\\)${NO_WEBGPU}`,
  );
});

Deno.test("asking for blas without the library names what was tried and the package", async () => {
  await assert.rejects(
    () => setupBackend({ backend: "blas", blasLibrary: "/no/such/libopenblas.so.0" }),
    (error: Error) => {
      assert.ok(error instanceof Deno.errors.NotFound);
      assert.equal(
        error.message,
        "Cannot open a BLAS library: tried /no/such/libopenblas.so.0, expected oneDNN or " +
          `OpenBLAS (apt-get install ${BLAS_APT_PACKAGES.join(" or ")}) or macOS Accelerate`,
      );
      return true;
    },
  );
});

Deno.test("an unknown backend id or thread count is refused with a RangeError", async () => {
  await assert.rejects(
    () => setupBackend({ backend: "gpu" as BackendId }),
    new RangeError(
      "Cannot set up backend: got 'gpu', expected one of auto, webgpu, blas, wasm, cpu",
    ),
  );
  await assert.rejects(
    () => setupBackend({ blasThreads: 0 }),
    new RangeError("Cannot set up backend: BLAS threads is 0, expected an integer >= 1"),
  );
  await assert.rejects(
    () => setupBackend({ backend: "wasm", wasmThreads: 1.5 }),
    new RangeError("Cannot set up backend: wasm threads is 1.5, expected an integer >= 1"),
  );
});

Deno.test("setting up again, and switching back and forth, keeps every backend working", async () => {
  const ids: BackendId[] = BLAS_MISSING
    ? ["wasm", "cpu", "wasm"]
    : ["blas", "wasm", "blas", "cpu", "wasm", "blas"];
  for (const id of ids) {
    const info = await setupBackend({ backend: id });
    assert.equal(info.id, id);
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]), false, true)
        .arraySync()
    );
    assert.deepEqual(product, [[17, 23], [39, 53]], `matMul on ${id}`);
  }
});
