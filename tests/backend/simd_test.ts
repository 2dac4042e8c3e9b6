import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "../../lib/backend/simd/base64.ts";
import { compileWat } from "../../lib/backend/simd/compile.ts";
import { gemmWat } from "../../lib/backend/simd/gemm_wat.ts";
import {
  GEMM_PLAIN_WASM_BASE64,
  GEMM_RELAXED_WASM_BASE64,
} from "../../lib/backend/simd/gemm_wasm.ts";
import { KERNELS_WASM_BASE64 } from "../../lib/backend/simd/kernels_wasm.ts";

Deno.test("the embedded WebAssembly is kernels.wat as it stands (rerun build.ts if not)", async () => {
  const source = await Deno.readTextFile(
    new URL("../../lib/backend/simd/kernels.wat", import.meta.url),
  );
  assert.deepEqual(decodeBase64(KERNELS_WASM_BASE64), await compileWat("kernels.wat", source));
});

Deno.test("the embedded products are gemm_wat.ts as it stands (rerun build.ts if not)", async () => {
  const plain = await compileWat("gemm.wat", gemmWat({ relaxed: false }));
  const relaxed = await compileWat("gemm.wat", gemmWat({ relaxed: true }));
  assert.deepEqual(decodeBase64(GEMM_PLAIN_WASM_BASE64), plain);
  assert.deepEqual(decodeBase64(GEMM_RELAXED_WASM_BASE64), relaxed);
});

Deno.test("base64 round-trips every byte value", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(encodeBase64(new Uint8Array([0, 97, 115, 109])), "AGFzbQ==");
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
});
