import assert from "node:assert/strict";
import wabtInit from "wabt";
import { decodeBase64, encodeBase64 } from "../../lib/backend/simd/base64.ts";
import { KERNELS_WASM_BASE64 } from "../../lib/backend/simd/kernels_wasm.ts";

Deno.test("the embedded WebAssembly is kernels.wat as it stands (rerun build.ts if not)", async () => {
  const source = await Deno.readTextFile(
    new URL("../../lib/backend/simd/kernels.wat", import.meta.url),
  );
  const wabt = await wabtInit();
  const module = wabt.parseWat("kernels.wat", source, { simd: true });
  const { buffer } = module.toBinary({});
  module.destroy();
  assert.deepEqual(decodeBase64(KERNELS_WASM_BASE64), buffer);
});

Deno.test("base64 round-trips every byte value", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(encodeBase64(new Uint8Array([0, 97, 115, 109])), "AGFzbQ==");
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
});
