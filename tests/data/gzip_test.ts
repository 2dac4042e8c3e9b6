import assert from "node:assert/strict";
import { gunzip, isGzip } from "../../lib/data/gzip.ts";
import { gzipBytes, idxImageBytes } from "../fixtures/idx_bytes.ts";

Deno.test("isGzip looks at the two magic bytes only", () => {
  assert.equal(isGzip(Uint8Array.of(0x1f, 0x8b)), true);
  assert.equal(isGzip(Uint8Array.of(0x1f, 0x8b, 8, 0)), true);
  assert.equal(isGzip(Uint8Array.of(0x1f)), false);
  assert.equal(isGzip(new Uint8Array(0)), false);
  assert.equal(isGzip(idxImageBytes(1)), false);
});

Deno.test("gunzip restores what CompressionStream compressed", async () => {
  const raw = idxImageBytes(4);
  const compressed = await gzipBytes(raw);
  assert.equal(isGzip(compressed), true);
  assert.ok(compressed.length < raw.length, "the patterned images should compress");
  assert.deepEqual(await gunzip(compressed), raw);
});

Deno.test("gunzip rejects a gzip magic followed by garbage", async () => {
  const garbage = Uint8Array.of(0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  await assert.rejects(gunzip(garbage, { source: "bad.gz" }), {
    name: "SyntaxError",
    message: "Cannot decompress bad.gz: corrupt gzip data (invalid gzip header)",
  });
});

Deno.test("gunzip rejects a truncated stream instead of returning part of it", async () => {
  const compressed = await gzipBytes(idxImageBytes(4));
  const message =
    "Cannot decompress cut.gz: corrupt gzip data (corrupt gzip stream does not have a matching checksum)";
  // Cut in the deflate data, and cut only the 8-byte trailer (CRC and length).
  for (const end of [Math.floor(compressed.length / 2), compressed.length - 8]) {
    await assert.rejects(gunzip(compressed.subarray(0, end), { source: "cut.gz" }), {
      name: "SyntaxError",
      message,
    });
  }
});

Deno.test("gunzip rejects a stream whose checksum does not match", async () => {
  const compressed = await gzipBytes(idxImageBytes(4));
  const flipped = compressed.slice();
  flipped[flipped.length - 6] ^= 0xff; // inside the CRC-32 of the trailer
  await assert.rejects(gunzip(flipped), {
    name: "SyntaxError",
    message:
      "Cannot decompress bytes: corrupt gzip data (corrupt gzip stream does not have a matching checksum)",
  });
});
