import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { decodeNpz, encodeNpz } from "../../lib/scratch/npz.ts";

/** `np.savez(f, W=np.array([[0.5, -1.5]], np.float32), b=np.array([2.25], np.float32))`, by NumPy 1.24. */
const NUMPY_NPZ = Uint8Array.fromBase64(
  "UEsDBBQAAAAAAAAAIQCqag0SiAAAAIgAAAAFABQAVy5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2Ny" +
    "JzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCAyKSwgfSAgICAgICAgICAgICAgICAgICAg" +
    "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAPwAAwL9QSwMEFAAAAAAAAAAhAObQrMKEAAAAhAAA" +
    "AAUAFABiLm5weQEAEACEAAAAAAAAAIQAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXIn" +
    "OiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg" +
    "ICAgICAgICAgICAgIAoAABBAUEsBAhQDFAAAAAAAAAAhAKpqDRKIAAAAiAAAAAUAAAAAAAAAAAAAAIABAAAAAFcubnB5UEsB" +
    "AhQDFAAAAAAAAAAhAObQrMKEAAAAhAAAAAUAAAAAAAAAAAAAAIABvwAAAGIubnB5UEsFBgAAAAACAAIAZgAAAHoBAAAAAA==",
);

Deno.test("decodeNpz reads an archive written by NumPy's np.savez", () => {
  assert.deepEqual(decodeNpz(NUMPY_NPZ), {
    W: { data: Float32Array.of(0.5, -1.5), shape: [1, 2] },
    b: { data: Float32Array.of(2.25), shape: [1] },
  });
});

Deno.test("encodeNpz and decodeNpz round-trip named arrays", () => {
  const arrays = {
    W1: { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] },
    b1: { data: Float32Array.of(-0.5, 0.25), shape: [2] },
  };
  assert.deepEqual(decodeNpz(encodeNpz(arrays)), arrays);
});

Deno.test("encodeNpz dates entries 1980-01-01 as np.savez does, so files are reproducible", () => {
  const bytes = encodeNpz({ b1: { data: Float32Array.of(1), shape: [1] } });
  // The local header's DOS time (0) and date ((1980 - 1980) << 9 | 1 << 5 | 1), little-endian.
  assert.deepEqual([...bytes.subarray(10, 14)], [0, 0, 0x21, 0]);
});

Deno.test("encodeNpz rejects names NumPy could not use as keys", () => {
  assert.throws(
    () => encodeNpz({ "W/1": { data: new Float32Array(1), shape: [1] } }),
    new TypeError(
      'Cannot encode .npz: array name "W/1" is not usable, expected letters, digits and underscores',
    ),
  );
});

Deno.test("decodeNpz says what is wrong with bytes that are not a whole .npz", () => {
  const source = { source: "out/weights.npz" };
  assert.throws(
    () => decodeNpz(new TextEncoder().encode("hello"), source),
    new SyntaxError(
      "Cannot read out/weights.npz: it starts with bytes [68 65 6c 6c], expected a zip archive (.npz) starting with [50 4b]",
    ),
  );
  assert.throws(
    () => decodeNpz(NUMPY_NPZ.subarray(0, 200), source),
    (error: Error) =>
      error instanceof SyntaxError &&
      /^Cannot read out\/weights.npz: the zip archive is damaged \(.+\), expected a whole .npz$/
        .test(error.message),
  );
  assert.throws(
    () => decodeNpz(zipSync({ "notes.txt": new Uint8Array(3) }), source),
    new SyntaxError(
      'Cannot read out/weights.npz: entry "notes.txt" is not a .npy file, expected only <name>.npy entries',
    ),
  );
});
