/**
 * NumPy's `.npz` format: a zip archive of `.npy` files, one per named
 * array, as `np.savez` writes and `np.load` reads. The zip container comes
 * from `fflate`; the `.npy` entries from `npy.ts`.
 *
 * @module
 */
import { unzipSync, zipSync } from "fflate";
import { decodeNpy, encodeNpy, type NpyArray } from "./npy.ts";

/** Options for {@linkcode decodeNpz}. */
export interface DecodeNpzOptions {
  /** What the bytes are, for error messages, e.g. the file path. */
  source?: string;
}

/** The modification date np.savez gives every entry: the earliest a zip can hold. */
const NPZ_DATE = new Date(1980, 0, 1);

/** Every zip archive (and so every `.npz`) starts with "PK". */
const ZIP_MAGIC = [0x50, 0x4b];

/**
 * Encodes named float32 arrays as an `.npz` archive, entry `<name>.npy` for
 * each, stored uncompressed as `np.savez` does (weights hardly compress).
 *
 * @example
 * ```ts
 * const bytes = encodeNpz({ b1: { data: new Float32Array(256), shape: [256] } });
 * // NumPy: np.load("weights.npz")["b1"].shape == (256,)
 * ```
 */
export function encodeNpz(arrays: Record<string, NpyArray>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, array] of Object.entries(arrays)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new TypeError(
        `Cannot encode .npz: array name "${name}" is not usable, expected letters, digits and underscores`,
      );
    }
    entries[`${name}.npy`] = encodeNpy(array);
  }
  // A fixed date, as np.savez writes, so the same arrays always give the same bytes.
  return zipSync(entries, { level: 0, mtime: NPZ_DATE });
}

/** Unzips, turning fflate's errors into a SyntaxError that names the source. */
function unzipEntries(bytes: Uint8Array, source: string): Record<string, Uint8Array> {
  if (bytes.length < 4 || bytes[0] !== ZIP_MAGIC[0] || bytes[1] !== ZIP_MAGIC[1]) {
    const found = [...bytes.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, "0")).join(
      " ",
    );
    throw new SyntaxError(
      `Cannot read ${source}: it starts with bytes [${found}], expected a zip archive (.npz) starting with [50 4b]`,
    );
  }
  try {
    return unzipSync(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(
      `Cannot read ${source}: the zip archive is damaged (${reason}), expected a whole .npz`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Decodes an `.npz` archive of float32 arrays into arrays by name (the
 * entry name without `.npy`). Unparsable bytes raise a SyntaxError, arrays
 * of another dtype a TypeError; both messages name the source and entry.
 *
 * @example
 * ```ts
 * const arrays = decodeNpz(await Deno.readFile("weights.npz"), { source: "weights.npz" });
 * arrays.W1.shape; // [784, 256]
 * ```
 */
export function decodeNpz(
  bytes: Uint8Array,
  options: DecodeNpzOptions = {},
): Record<string, NpyArray> {
  const source = options.source ?? "the .npz data";
  const arrays: Record<string, NpyArray> = {};
  for (const [entry, content] of Object.entries(unzipEntries(bytes, source))) {
    if (entry.endsWith("/")) continue; // a directory record holds no array
    if (!entry.endsWith(".npy")) {
      throw new SyntaxError(
        `Cannot read ${source}: entry "${entry}" is not a .npy file, expected only <name>.npy entries`,
      );
    }
    arrays[entry.slice(0, -".npy".length)] = decodeNpy(content, {
      source: `${entry} in ${source}`,
    });
  }
  return arrays;
}
