/**
 * NumPy's `.npy` format for float32 arrays, read and written by hand since
 * it is short: the magic bytes `\x93NUMPY`, a version, the length of a
 * header, the header (a Python dict literal giving dtype, memory order and
 * shape, padded with spaces so the data starts on a 64-byte boundary), then
 * the raw little-endian values.
 *
 * See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 *
 * @module
 */

/** A float32 array and its shape, as NumPy stores it in C (row-major) order. */
export interface NpyArray {
  /** The values, last axis fastest. */
  data: Float32Array;
  /** Length of each axis; [] for a scalar. */
  shape: number[];
}

/** Options for {@linkcode decodeNpy}. */
export interface DecodeNpyOptions {
  /** What the bytes are, for error messages, e.g. "W1.npy in weights.npz". */
  source?: string;
}

/** The first six bytes of every `.npy` file. */
export const NPY_MAGIC: Uint8Array = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** The only dtype read and written: little-endian 4-byte float. */
export const NPY_FLOAT32 = "<f4";

/** The data of a `.npy` file starts at a multiple of this many bytes. */
const NPY_ALIGNMENT = 64;

/** Magic (6), version (2) and the 2-byte header length of version 1.0. */
const NPY_V1_PREAMBLE = 10;

function countValues(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Formats a shape as a Python tuple: (784, 256), (256,) or (). */
function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/**
 * Encodes a float32 array as a version 1.0 `.npy` file.
 *
 * @example
 * ```ts
 * const bytes = encodeNpy({ data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] });
 * // NumPy: np.load(io.BytesIO(bytes)) -> array([[1., 2.], [3., 4.]], dtype=float32)
 * ```
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { data, shape } = array;
  if (
    !shape.every((size) => Number.isInteger(size) && size >= 0) ||
    countValues(shape) !== data.length
  ) {
    throw new RangeError(
      `Cannot encode .npy: shape [${shape}] holds ${
        countValues(shape)
      } values, expected ${data.length} (the data length)`,
    );
  }
  const dict = `{'descr': '${NPY_FLOAT32}', 'fortran_order': False, 'shape': ${
    formatShape(shape)
  }, }`;
  const unpadded = NPY_V1_PREAMBLE + dict.length + 1; // + the closing newline
  const header = dict + " ".repeat((NPY_ALIGNMENT - unpadded % NPY_ALIGNMENT) % NPY_ALIGNMENT) +
    "\n";
  const bytes = new Uint8Array(NPY_V1_PREAMBLE + header.length + data.length * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(NPY_MAGIC);
  bytes[6] = 1; // major version
  bytes[7] = 0; // minor version
  view.setUint16(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), NPY_V1_PREAMBLE);
  const start = NPY_V1_PREAMBLE + header.length;
  for (let i = 0; i < data.length; i++) view.setFloat32(start + 4 * i, data[i], true);
  return bytes;
}

/** The header text and where the data starts, after checking magic and version. */
function readPreamble(bytes: Uint8Array, source: string): { header: string; dataStart: number } {
  const magic = bytes.subarray(0, NPY_MAGIC.length);
  if (bytes.length < NPY_V1_PREAMBLE || magic.some((byte, i) => byte !== NPY_MAGIC[i])) {
    const found = [...magic].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    throw new SyntaxError(
      `Cannot read ${source}: it starts with bytes [${found}], expected the .npy magic [93 4e 55 4d 50 59] and a header`,
    );
  }
  const major = bytes[6], view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3 || (major > 1 && bytes.length < 12)) {
    throw new SyntaxError(
      `Cannot read ${source}: .npy version is ${major}.${bytes[7]}, expected 1.0, 2.0 or 3.0`,
    );
  }
  // Version 1 stores the header length in 2 bytes; versions 2 and 3 in 4.
  const preamble = major === 1 ? NPY_V1_PREAMBLE : 12;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (preamble + headerLength > bytes.length) {
    throw new SyntaxError(
      `Cannot read ${source}: the header is truncated, ${
        bytes.length - preamble
      } bytes follow the preamble, expected ${headerLength}`,
    );
  }
  const header = new TextDecoder().decode(bytes.subarray(preamble, preamble + headerLength));
  return { header, dataStart: preamble + headerLength };
}

/** The three entries of a `.npy` header dict. */
interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * Reads the header dict, e.g. `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (784, 256), }`. It is a Python literal of a fixed form, so three
 * patterns are enough; anything else is reported as unparsable.
 */
function parseHeader(header: string, source: string): NpyHeader {
  const text = header.trim();
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const order = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  const shapeItems = shapeText?.split(",").map((item) => item.trim()).filter((item) => item !== "");
  const valid = text.startsWith("{") && text.endsWith("}") && descr !== undefined &&
    order !== undefined && shapeItems !== undefined &&
    shapeItems.every((item) => /^\d+L?$/.test(item));
  if (!valid) {
    const shown = text.length > 120 ? `${text.slice(0, 120)}...` : text;
    throw new SyntaxError(
      `Cannot read ${source}: the header is ${
        JSON.stringify(shown)
      }, expected a dict with 'descr', 'fortran_order' and 'shape'`,
    );
  }
  return {
    descr: descr!,
    fortranOrder: order === "True",
    shape: shapeItems!.map((item) => parseInt(item, 10)),
  };
}

/**
 * Decodes a `.npy` file holding little-endian float32 values in C order.
 * Unparsable bytes raise a SyntaxError; a valid file of another dtype or in
 * Fortran order raises a TypeError.
 *
 * @example
 * ```ts
 * const array = decodeNpy(encodeNpy({ data: Float32Array.of(1, 2), shape: [2] }));
 * array.shape; // [2]
 * ```
 */
export function decodeNpy(bytes: Uint8Array, options: DecodeNpyOptions = {}): NpyArray {
  const source = options.source ?? "the .npy data";
  const { header, dataStart } = readPreamble(bytes, source);
  const { descr, fortranOrder, shape } = parseHeader(header, source);
  if (descr !== NPY_FLOAT32) {
    throw new TypeError(
      `Cannot read ${source}: dtype is '${descr}', expected '${NPY_FLOAT32}' (float32)`,
    );
  }
  if (fortranOrder) {
    throw new TypeError(`Cannot read ${source}: fortran_order is True, expected False (C order)`);
  }
  const count = countValues(shape), found = bytes.length - dataStart;
  if (found !== count * 4) {
    throw new SyntaxError(
      `Cannot read ${source}: the data is ${found} bytes, expected ${count * 4} for float32 shape ${
        formatShape(shape)
      }`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, found);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
  return { data, shape };
}
