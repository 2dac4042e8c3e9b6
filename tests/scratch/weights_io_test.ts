import assert from "node:assert/strict";
import { join } from "node:path";
import { zipSync } from "fflate";
import { createRandom } from "../../lib/random.ts";
import { predictScratchMlp } from "../../lib/scratch/evaluate.ts";
import { createScratchMlp } from "../../lib/scratch/network.ts";
import { encodeNpy } from "../../lib/scratch/npy.ts";
import {
  loadScratchMlp,
  saveScratchMlp,
  scratchMlpToArrays,
} from "../../lib/scratch/weights_io.ts";

const SIZES = [6, 5, 4, 3];

/** The `.npy` entries of a valid network of SIZES. */
function validEntries(): Record<string, Uint8Array> {
  const arrays = scratchMlpToArrays(createScratchMlp({ seed: 1, layerSizes: SIZES }));
  return Object.fromEntries(
    Object.entries(arrays).map(([name, array]) => [`${name}.npy`, encodeNpy(array)]),
  );
}

Deno.test("saving and loading keeps every weight: predictions are identical", async () => {
  const network = createScratchMlp({ seed: 3 });
  network.layers[1].biases.fill(0.125); // biases that are not all zero, to see them saved
  const directory = await Deno.makeTempDir({ prefix: "scratch_weights_" });
  await saveScratchMlp(network, join(directory, "models", "scratch"));
  const loaded = await loadScratchMlp(join(directory, "models", "scratch"));
  const random = createRandom(9);
  const pixels = Float32Array.from({ length: 20 * 784 }, () => random());
  assert.deepEqual(predictScratchMlp(loaded, pixels, 20), predictScratchMlp(network, pixels, 20));
  assert.deepEqual(loaded.layerSizes, [784, 256, 128, 10]);
  const names = (await Array.fromAsync(Deno.readDir(join(directory, "models", "scratch")))).map((
    e,
  ) => e.name);
  assert.deepEqual(names, ["weights.npz"]);
  await Deno.remove(directory, { recursive: true });
});

/** Entries of a valid network with some replaced or removed (`undefined`). */
function entriesWith(changes: Record<string, Uint8Array | undefined>): Record<string, Uint8Array> {
  const entries = { ...validEntries(), ...changes };
  return Object.fromEntries(
    Object.entries(entries).filter(([, bytes]) => bytes !== undefined),
  ) as Record<
    string,
    Uint8Array
  >;
}

Deno.test("loading names the file, array, found and expected for each malformed case", async () => {
  const load = `Cannot load the scratch MLP from`;
  const cases: [string, Record<string, Uint8Array> | Uint8Array, (path: string) => Error][] = [
    [
      "not a zip",
      new TextEncoder().encode("W1,b1\n1,2\n"),
      (path) =>
        new SyntaxError(
          `Cannot read ${path}: it starts with bytes [57 31 2c 62], expected a zip archive (.npz) starting with [50 4b]`,
        ),
    ],
    [
      "missing array",
      entriesWith({ "b3.npy": undefined }),
      (path) =>
        new TypeError(
          `${load} ${path}: array b3 is missing, expected arrays W1, b1, W2, b2, W3, b3`,
        ),
    ],
    [
      "extra array",
      entriesWith({ "W4.npy": encodeNpy({ data: new Float32Array(1), shape: [1] }) }),
      (path) =>
        new TypeError(
          `${load} ${path}: found an extra array W4, expected only W1, b1, W2, b2, W3, b3`,
        ),
    ],
    [
      "wrong dtype",
      entriesWith({ "W2.npy": float64Npy() }),
      (path) =>
        new TypeError(`Cannot read W2.npy in ${path}: dtype is '<f8', expected '<f4' (float32)`),
    ],
    [
      "wrong shape",
      entriesWith({ "W2.npy": encodeNpy({ data: new Float32Array(20), shape: [4, 5] }) }),
      (path) => new TypeError(`${load} ${path}: W2 has shape [4,5], expected [5,4]`),
    ],
    [
      "truncated header",
      entriesWith({ "W1.npy": validEntries()["W1.npy"].subarray(0, 40) }),
      (path) =>
        new SyntaxError(
          `Cannot read W1.npy in ${path}: the header is truncated, 30 bytes follow the preamble, expected 118`,
        ),
    ],
    [
      "NaN weight",
      entriesWith({ "b2.npy": encodeNpy({ data: Float32Array.of(0, NaN, 0, 0), shape: [4] }) }),
      (path) => new RangeError(`${load} ${path}: b2[1] is NaN, expected finite numbers`),
    ],
  ];
  for (const [name, content, expected] of cases) {
    const directory = await Deno.makeTempDir({ prefix: "scratch_weights_" });
    const path = join(directory, "weights.npz");
    await Deno.writeFile(path, content instanceof Uint8Array ? content : zipSync(content));
    await assert.rejects(loadScratchMlp(directory, { layerSizes: SIZES }), expected(path), name);
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("loading a missing file says which file was expected", async () => {
  const directory = await Deno.makeTempDir({ prefix: "scratch_weights_" });
  const path = join(directory, "weights.npz");
  await assert.rejects(
    loadScratchMlp(directory),
    new Deno.errors.NotFound(
      `Cannot load the scratch MLP: ${path} does not exist, expected a file written by saveScratchMlp`,
    ),
  );
  await Deno.remove(directory, { recursive: true });
});

/** A valid `.npy` of float64 values, shape (5, 4): what `np.save` writes for a default NumPy array. */
function float64Npy(): Uint8Array {
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (5, 4), }".padEnd(117) + "\n";
  const bytes = new Uint8Array(128 + 20 * 8);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
  bytes.set(new TextEncoder().encode(header), 10);
  return bytes;
}
