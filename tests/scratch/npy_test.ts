import assert from "node:assert/strict";
import { decodeNpy, encodeNpy } from "../../lib/scratch/npy.ts";

/** `np.save(f, np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32))`, written by NumPy 1.24. */
const NUMPY_2X3 = Uint8Array.fromBase64(
  "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9" +
    "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEAA" +
    "AIBAAACgQAAAwEA=",
);

/** A version 1.0 `.npy` file with the given header dict and `dataBytes` zero bytes of data. */
function npyWithHeader(dict: string, dataBytes: number): Uint8Array {
  const header = new TextEncoder().encode(dict + "\n");
  const bytes = new Uint8Array(10 + header.length + dataBytes);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(header, 10);
  return bytes;
}

Deno.test("encodeNpy writes the same bytes as NumPy's np.save", () => {
  const bytes = encodeNpy({ data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [2, 3] });
  assert.deepEqual(bytes, NUMPY_2X3);
});

Deno.test("decodeNpy reads a file written by NumPy", () => {
  assert.deepEqual(decodeNpy(NUMPY_2X3), {
    data: Float32Array.of(1, 2, 3, 4, 5, 6),
    shape: [2, 3],
  });
});

Deno.test("encodeNpy and decodeNpy round-trip vectors, scalars and empty arrays, 64-byte aligned", () => {
  for (
    const array of [
      { data: Float32Array.of(-1.5, 3e-38, Infinity), shape: [3] },
      { data: Float32Array.of(7), shape: [] },
      { data: new Float32Array(0), shape: [0, 4] },
    ]
  ) {
    const bytes = encodeNpy(array);
    assert.equal((bytes.length - array.data.length * 4) % 64, 0);
    assert.deepEqual(decodeNpy(bytes), array);
  }
});

Deno.test("encodeNpy rejects a shape that does not match the data", () => {
  assert.throws(
    () => encodeNpy({ data: new Float32Array(5), shape: [2, 3] }),
    new RangeError("Cannot encode .npy: shape [2,3] holds 6 values, expected 5 (the data length)"),
  );
});

Deno.test("decodeNpy says what is wrong with malformed bytes", () => {
  const source = { source: "W1.npy in weights.npz" };
  assert.throws(
    () => decodeNpy(new TextEncoder().encode("PK not numpy"), source),
    new SyntaxError(
      "Cannot read W1.npy in weights.npz: it starts with bytes [50 4b 20 6e 6f 74], expected the .npy magic [93 4e 55 4d 50 59] and a header",
    ),
  );
  const version4 = NUMPY_2X3.slice();
  version4[6] = 4;
  assert.throws(
    () => decodeNpy(version4, source),
    new SyntaxError(
      "Cannot read W1.npy in weights.npz: .npy version is 4.0, expected 1.0, 2.0 or 3.0",
    ),
  );
  assert.throws(
    () => decodeNpy(NUMPY_2X3.subarray(0, 50), source),
    new SyntaxError(
      "Cannot read W1.npy in weights.npz: the header is truncated, 40 bytes follow the preamble, expected 118",
    ),
  );
  assert.throws(
    () => decodeNpy(npyWithHeader("{'descr': '<f4', 'shape': (2,), }", 8), source),
    new SyntaxError(
      `Cannot read W1.npy in weights.npz: the header is "{'descr': '<f4', 'shape': (2,), }", expected a dict with 'descr', 'fortran_order' and 'shape'`,
    ),
  );
  assert.throws(
    () => decodeNpy(NUMPY_2X3.subarray(0, NUMPY_2X3.length - 4), source),
    new SyntaxError(
      "Cannot read W1.npy in weights.npz: the data is 20 bytes, expected 24 for float32 shape (2, 3)",
    ),
  );
});

Deno.test("decodeNpy rejects other dtypes and Fortran order with a TypeError", () => {
  const source = { source: "W1.npy in weights.npz" };
  assert.throws(
    () =>
      decodeNpy(
        npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 16),
        source,
      ),
    new TypeError("Cannot read W1.npy in weights.npz: dtype is '<f8', expected '<f4' (float32)"),
  );
  assert.throws(
    () =>
      decodeNpy(
        npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16),
        source,
      ),
    new TypeError(
      "Cannot read W1.npy in weights.npz: fortran_order is True, expected False (C order)",
    ),
  );
});
